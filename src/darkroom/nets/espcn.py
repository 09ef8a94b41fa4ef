"""ESPCN: "Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel
Convolutional Neural Network" (Shi et al.; CVPR 2016).

Three convolutions on the low-resolution image (5×5 64, 3×3 32, 3×3 C·r²; tanh
activations as in the paper) and a sub-pixel shuffle that rearranges the C·r² channels
into an r-times larger image: upsampling without a transposed convolution's
checkerboard overlap.
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class ESPCN(nn.Module):
    def __init__(self, *, scale: int = 3, channels: int = 3, features: tuple[int, int] = (64, 32)):
        super().__init__()
        f1, f2 = features
        self.body = nn.Sequential(
            nn.Conv2d(channels, f1, 5, padding=2), nn.Tanh(),
            nn.Conv2d(f1, f2, 3, padding=1), nn.Tanh(),
            nn.Conv2d(f2, channels * scale * scale, 3, padding=1),
            nn.PixelShuffle(scale),
        )
        self.scale = scale

    def forward(self, low: Tensor) -> Tensor:
        return self.body(low)


FAMILY = Family(
    "espcn", ESPCN,
    paper="Shi et al., 'Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel Convolutional "
          "Neural Network', CVPR 2016",
    geometry=lambda **_: Geometry(1, 4),  # 5×5, 3×3, 3×3 on the low-resolution image
    tiny={"scale": 4, "channels": 3, "features": (8, 4)},
)
