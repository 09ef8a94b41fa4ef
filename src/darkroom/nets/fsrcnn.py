"""FSRCNN: "Accelerating the Super-Resolution Convolutional Neural Network" (Dong, Loy,
Tang; ECCV 2016).

Post-upsampling: feature extraction (5×5, d filters) on the low-resolution image,
shrinking (1×1 to s), m mapping layers (3×3, s), expanding (1×1 back to d), all with
PReLU, and a 9×9 transposed convolution with stride = scale as the upsampler. The
paper's FSRCNN is d=56, s=12, m=4; FSRCNN-s is d=32, s=5, m=1. Only the deconvolution
depends on the scale, so a body trained at one scale can be fine-tuned for another.
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class FSRCNN(nn.Module):
    def __init__(self, *, scale: int = 3, channels: int = 3, d: int = 56, s: int = 12, m: int = 4):
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(channels, d, 5, padding=2), nn.PReLU(d), nn.Conv2d(d, s, 1), nn.PReLU(s)]
        for _ in range(m):
            layers += [nn.Conv2d(s, s, 3, padding=1), nn.PReLU(s)]
        layers += [nn.Conv2d(s, d, 1), nn.PReLU(d)]
        self.body = nn.Sequential(*layers)
        self.upsample = nn.ConvTranspose2d(d, channels, 9, stride=scale, padding=4, output_padding=scale - 1)
        self.scale = scale

    def forward(self, low: Tensor) -> Tensor:
        return self.upsample(self.body(low))


FAMILY = Family(
    "fsrcnn", FSRCNN,
    paper="Dong, Loy, Tang, 'Accelerating the Super-Resolution Convolutional Neural Network', ECCV 2016",
    geometry=lambda m, **_: Geometry(1, 2 + m + 5),  # 5×5 extraction, m 3×3 mappings, 9×9 deconvolution
    tiny={"scale": 3, "channels": 1, "d": 8, "s": 4, "m": 1},
)
