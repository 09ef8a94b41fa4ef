"""A compact residual super-resolution network in the style of EDSR: "Enhanced Deep
Residual Networks for Single Image Super-Resolution" (Lim, Son, Kim, Nah, Lee; CVPRW 2017).

EDSR's body: a head convolution, residual blocks of Conv-ReLU-Conv without batch
normalisation (scaled by ``res_scale``), a closing convolution and a long skip. Two
changes keep it cheap on a CPU, both from the efficient-SR literature: the upsampler
is one convolution to C·r² channels and a pixel shuffle at low resolution (ESPCN, Shi
et al. 2016) instead of EDSR's conv+shuffle stages at high resolution, and the output
is added to a nearest-neighbour copy of the input (the "anchor" of Du et al.'s ABPN,
2021), so the network learns only the missing detail.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class ResidualBlock(nn.Module):
    def __init__(self, features: int, res_scale: float):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, padding=1)
        self.conv2 = nn.Conv2d(features, features, 3, padding=1)
        self.res_scale = res_scale

    def forward(self, x: Tensor) -> Tensor:
        return x + self.res_scale * self.conv2(F.relu(self.conv1(x)))


class EDSR(nn.Module):
    def __init__(self, *, scale: int = 2, channels: int = 3, features: int = 32, blocks: int = 6,
                 res_scale: float = 1.0):
        super().__init__()
        self.head = nn.Conv2d(channels, features, 3, padding=1)
        self.blocks = nn.Sequential(*(ResidualBlock(features, res_scale) for _ in range(blocks)))
        self.body_tail = nn.Conv2d(features, features, 3, padding=1)
        self.upsample = nn.Sequential(nn.Conv2d(features, channels * scale * scale, 3, padding=1), nn.PixelShuffle(scale))
        self.scale = scale

    def forward(self, low: Tensor) -> Tensor:
        x = self.head(low)
        x = x + self.body_tail(self.blocks(x))
        anchor = torch.repeat_interleave(torch.repeat_interleave(low, self.scale, dim=-2), self.scale, dim=-1)
        return anchor + self.upsample(x)


FAMILY = Family(
    "edsr", EDSR,
    paper="Lim, Son, Kim, Nah, Lee, 'Enhanced Deep Residual Networks for Single Image Super-Resolution', CVPRW 2017",
    geometry=lambda blocks, **_: Geometry(1, 2 * blocks + 3),  # head, two convolutions a block, body tail, upsampler
    tiny={"scale": 3, "channels": 3, "features": 8, "blocks": 2},
)
