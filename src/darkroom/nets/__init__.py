"""Network architectures: one file per family, plain ``nn.Module``s whose
hyper-parameters are constructor arguments. ``ARCHITECTURES`` is the explicit table the
zoo and the trainer build from; ``TINY_VARIANTS`` holds small keyword sets per family
that the tests run forward and backward."""

from darkroom.nets.autoencoder import ConvAutoencoder
from darkroom.nets.cbdnet import BlindDenoiser, NoiseEstimator
from darkroom.nets.classifiers import SmallResNet, SurveyCNN
from darkroom.nets.dncnn import DnCNN
from darkroom.nets.edsr import EDSR
from darkroom.nets.espcn import ESPCN
from darkroom.nets.ffdnet import FFDNet, GuidedOpponentFFDNet
from darkroom.nets.fsrcnn import FSRCNN
from darkroom.nets.srcnn import SRCNN
from darkroom.nets.transformer import TransformerNet

ARCHITECTURES = {
    "dncnn": DnCNN,
    "ffdnet": FFDNet,
    "ffdnet_guided_opponent": GuidedOpponentFFDNet,
    "srcnn": SRCNN,
    "fsrcnn": FSRCNN,
    "espcn": ESPCN,
    "edsr": EDSR,
    "conv_autoencoder": ConvAutoencoder,
    "cbdnet": BlindDenoiser,
    "transformer": TransformerNet,
}

# Image classifiers live in their own table: they map images to class scores, not images to images.
CLASSIFIERS = {
    "survey_cnn": SurveyCNN,
    "small_resnet": SmallResNet,
}

TINY_VARIANTS = {
    "dncnn": {"channels": 3, "depth": 4, "features": 8},
    "ffdnet": {"channels": 1, "depth": 4, "features": 8},
    "ffdnet_guided_opponent": {"depth": 4, "features": 8},
    "srcnn": {"scale": 2, "channels": 3, "features": (8, 4)},
    "fsrcnn": {"scale": 3, "channels": 1, "d": 8, "s": 4, "m": 1},
    "espcn": {"scale": 4, "channels": 3, "features": (8, 4)},
    "edsr": {"scale": 3, "channels": 3, "features": 8, "blocks": 2},
    "conv_autoencoder": {"channels": 1, "features": 4},
    "cbdnet": {"channels": 1, "depth": 3, "features": 8, "estimator_features": 4},
    "transformer": {"channels": 3, "width": 4, "blocks": 1},
}

__all__ = ["ARCHITECTURES", "BlindDenoiser", "CLASSIFIERS", "ConvAutoencoder", "NoiseEstimator", "DnCNN", "EDSR", "SmallResNet", "SurveyCNN", "ESPCN", "FFDNet", "FSRCNN", "GuidedOpponentFFDNet", "SRCNN", "TINY_VARIANTS", "TransformerNet"]
