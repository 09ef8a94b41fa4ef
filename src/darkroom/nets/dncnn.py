"""DnCNN: "Beyond a Gaussian Denoiser: Residual Learning of Deep CNN for Image
Denoising" (Zhang, Zuo, Chen, Meng, Zhang; IEEE TIP 2017).

Depth D (17 for gray, 20 for color): Conv+ReLU, then D−2 × Conv+BN+ReLU, then Conv,
all 3×3 with 64 filters; the network predicts the noise and the clean image is
x = y − R(y).
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class DnCNN(nn.Module):
    def __init__(self, *, channels: int = 1, depth: int = 17, features: int = 64, batch_norm: bool = True):
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(channels, features, 3, padding=1), nn.ReLU(inplace=True)]
        for _ in range(depth - 2):
            layers.append(nn.Conv2d(features, features, 3, padding=1, bias=not batch_norm))
            if batch_norm:
                layers.append(nn.BatchNorm2d(features))
            layers.append(nn.ReLU(inplace=True))
        layers.append(nn.Conv2d(features, channels, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, noisy: Tensor) -> Tensor:
        return noisy - self.body(noisy)


FAMILY = Family(
    "dncnn", DnCNN,
    paper="Zhang, Zuo, Chen, Meng, Zhang, 'Beyond a Gaussian Denoiser: Residual Learning of Deep CNN for Image Denoising', IEEE TIP 2017",
    geometry=lambda depth, **_: Geometry(1, depth),  # each 3×3 layer widens the field by one pixel per side
    tiny={"channels": 3, "depth": 4, "features": 8},
)
