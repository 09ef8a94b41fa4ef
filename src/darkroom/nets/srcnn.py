"""SRCNN: "Learning a Deep Convolutional Network for Image Super-Resolution" (Dong, Loy,
He, Tang; ECCV 2014) and "Image Super-Resolution Using Deep Convolutional Networks"
(TPAMI 2016).

Pre-upsampling: the low-resolution image is first enlarged with bicubic interpolation
(MATLAB's, as in the paper), then three convolutions (9-5-5 with 64 and 32 filters)
do patch extraction, non-linear mapping and reconstruction. Because the network works
at the output resolution, one set of weights serves every scale; ``scale`` only sets
the bicubic step. Padding keeps the size (the paper's valid convolutions shrink it).
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.resize import imresize


class SRCNN(nn.Module):
    def __init__(self, *, scale: int = 3, channels: int = 3, features: tuple[int, int] = (64, 32),
                 kernels: tuple[int, int, int] = (9, 5, 5), residual: bool = False):
        super().__init__()
        f1, f2 = features
        k1, k2, k3 = kernels
        self.scale = scale
        self.residual = residual
        self.body = nn.Sequential(
            nn.Conv2d(channels, f1, k1, padding=k1 // 2), nn.ReLU(inplace=True),
            nn.Conv2d(f1, f2, k2, padding=k2 // 2), nn.ReLU(inplace=True),
            nn.Conv2d(f2, channels, k3, padding=k3 // 2),
        )

    def forward(self, low: Tensor) -> Tensor:
        up = imresize(low, self.scale)
        out = self.body(up)
        return up + out if self.residual else out


def _geometry(scale, kernels, **_) -> Geometry:
    # the convolutions run at the output resolution: their reach in input pixels, plus bicubic's 2
    k1, k2, k3 = kernels
    return Geometry(1, (k1 // 2 + k2 // 2 + k3 // 2 + scale) // scale + 2)


FAMILY = Family(
    "srcnn", SRCNN,
    paper="Dong, Loy, He, Tang, 'Image Super-Resolution Using Deep Convolutional Networks', TPAMI 2016",
    geometry=_geometry, tiny={"scale": 2, "channels": 3, "features": (8, 4)},
)
