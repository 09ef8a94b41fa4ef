"""ARCNN: "Compression Artifacts Reduction by a Deep Convolutional Network" (Dong, Deng,
Loy, Tang; ICCV 2015).

Four convolutions, as the paper describes them: feature extraction (9×9, 64 filters),
feature enhancement (7×7, 32), mapping (1×1, 16) and reconstruction (5×5, back to the
image's channels), with ReLU between them. The paper trains one model per JPEG quality, on
the Y channel, predicting the restored image directly; ``residual`` adds the input back
instead (a later, faster-converging choice), off by default. Padding keeps the size (the
paper's valid convolutions shrink it).
"""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class ARCNN(nn.Module):
    def __init__(self, *, channels: int = 1, features: tuple[int, int, int] = (64, 32, 16),
                 kernels: tuple[int, int, int, int] = (9, 7, 1, 5), residual: bool = False):
        super().__init__()
        f1, f2, f3 = features
        k1, k2, k3, k4 = kernels
        self.residual = residual
        self.body = nn.Sequential(
            nn.Conv2d(channels, f1, k1, padding=k1 // 2), nn.ReLU(inplace=True),  # feature extraction
            nn.Conv2d(f1, f2, k2, padding=k2 // 2), nn.ReLU(inplace=True),  # feature enhancement
            nn.Conv2d(f2, f3, k3, padding=k3 // 2), nn.ReLU(inplace=True),  # mapping
            nn.Conv2d(f3, channels, k4, padding=k4 // 2),  # reconstruction
        )

    def forward(self, decoded: Tensor) -> Tensor:
        out = self.body(decoded)
        return decoded + out if self.residual else out


def _geometry(kernels, **_) -> Geometry:
    return Geometry(1, sum(k // 2 for k in kernels))


FAMILY = Family(
    "arcnn", ARCNN,
    paper="Dong, Deng, Loy, Tang, 'Compression Artifacts Reduction by a Deep Convolutional Network', ICCV 2015",
    geometry=_geometry, tiny={"channels": 1, "features": (8, 4, 4)},
)
