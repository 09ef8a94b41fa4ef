"""Network architectures: one file per family, plain ``nn.Module``s whose hyper-parameters
are constructor arguments. Each file ends with its family record (``darkroom.nets.family``):
paper, constructor, geometry and tiny test variant. ``FAMILIES`` is the explicit table the
zoo, the trainer and the tests read; importing this package builds no network."""

from darkroom.nets import (arcnn, autoencoder, cbdnet, classifiers, dcgan, deepdeblur, deepupe, dehazenet, dncnn, edsr, espcn, ffdnet, fsrcnn, haze_unet, hdrnet,
                          pnp, quality_unet, srcnn, transformer, vae, zero_dce)
from darkroom.nets.arcnn import ARCNN
from darkroom.nets.autoencoder import ConvAutoencoder
from darkroom.nets.cbdnet import BlindDenoiser, NoiseEstimator
from darkroom.nets.classifiers import SmallResNet, SurveyCNN
from darkroom.nets.dcgan import Discriminator, Generator
from darkroom.nets.deepdeblur import MultiScaleDeblur
from darkroom.nets.deepupe import DeepUPE
from darkroom.nets.dehazenet import DehazeNet
from darkroom.nets.dncnn import DnCNN
from darkroom.nets.edsr import EDSR
from darkroom.nets.espcn import ESPCN
from darkroom.nets.family import Family, Geometry
from darkroom.nets.ffdnet import FFDNet, GuidedOpponentFFDNet
from darkroom.nets.fsrcnn import FSRCNN
from darkroom.nets.haze_unet import HazeUNet
from darkroom.nets.hdrnet import HDRNet
from darkroom.nets.pnp import PlugAndPlayDeblur
from darkroom.nets.quality_unet import QualityUNet
from darkroom.nets.srcnn import SRCNN
from darkroom.nets.transformer import TransformerNet
from darkroom.nets.vae import VAE
from darkroom.nets.zero_dce import ZeroDCE

FAMILIES: dict[str, Family] = {f.name: f for f in (
    dncnn.FAMILY, ffdnet.FAMILY, ffdnet.GUIDED_OPPONENT_FAMILY, cbdnet.FAMILY,
    srcnn.FAMILY, fsrcnn.FAMILY, espcn.FAMILY, edsr.FAMILY,
    arcnn.FAMILY, quality_unet.FAMILY, deepdeblur.FAMILY, pnp.FAMILY, dehazenet.FAMILY, haze_unet.FAMILY,
    zero_dce.FAMILY, deepupe.FAMILY, hdrnet.FAMILY, autoencoder.FAMILY, transformer.FAMILY,
    classifiers.SURVEY_CNN_FAMILY, classifiers.SMALL_RESNET_FAMILY, vae.FAMILY, dcgan.FAMILY,
)}

# Image classifiers map images to class scores, not images to images: `train-classifier --arch` picks among these.
CLASSIFIERS: dict[str, Family] = {f.name: f for f in (classifiers.SURVEY_CNN_FAMILY, classifiers.SMALL_RESNET_FAMILY)}

__all__ = ["ARCNN", "BlindDenoiser", "CLASSIFIERS", "ConvAutoencoder", "DeepUPE", "DehazeNet", "DnCNN", "Discriminator", "EDSR", "ESPCN", "FAMILIES", "FFDNet",
           "FSRCNN", "Family", "Generator", "Geometry", "GuidedOpponentFFDNet", "HazeUNet", "HDRNet", "MultiScaleDeblur", "NoiseEstimator", "PlugAndPlayDeblur", "QualityUNet", "SRCNN", "SmallResNet",
           "SurveyCNN", "TransformerNet", "VAE", "ZeroDCE"]
