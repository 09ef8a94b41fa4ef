"""Network architectures: one file per family, plain ``nn.Module``s whose
hyper-parameters are constructor arguments. ``ARCHITECTURES`` is the explicit table the
zoo and the trainer build from."""

from darkroom.nets.dncnn import DnCNN
from darkroom.nets.ffdnet import FFDNet

ARCHITECTURES = {
    "dncnn": DnCNN,
    "ffdnet": FFDNet,
}

__all__ = ["ARCHITECTURES", "DnCNN", "FFDNet"]
