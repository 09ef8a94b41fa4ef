"""The multi-scale blind deblurring CNN of Nah, Kim & Lee, "Deep Multi-scale Convolutional
Neural Network for Dynamic Scene Deblurring" (CVPR 2017; survey 001's "Image Deblurring").

Three levels of a Gaussian pyramid, coarse to fine. Each level sees its blurry image,
joined (from the second level on) with the sharper estimate of the level below, upsampled
by a 5×5 transposed convolution (the paper's "up-convolution"). A level is a 5×5 head
convolution, ResBlocks of Conv-ReLU-Conv without batch normalisation, and a 5×5 tail with no
ReLU before the output; every convolution is 5×5, as in the paper. Two changes for a CPU: 32
features instead of 64 and 3 ResBlocks per level instead of 19, and each level adds its output
to its own blurry input, so it learns the correction (the paper's levels output the image).
``pyramid(x)`` returns every level's estimate, finest last, for the multi-scale loss.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


def half(x: Tensor) -> Tensor:
    """One step down the Gaussian pyramid: an antialiased half-size image."""
    return F.interpolate(x, scale_factor=0.5, mode="bilinear", antialias=True, align_corners=False)


class ResBlock(nn.Module):
    def __init__(self, features: int):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 5, padding=2)
        self.conv2 = nn.Conv2d(features, features, 5, padding=2)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv2(F.relu(self.conv1(x)))


class Level(nn.Module):
    def __init__(self, inputs: int, channels: int, features: int, blocks: int):
        super().__init__()
        self.head = nn.Conv2d(inputs, features, 5, padding=2)
        self.blocks = nn.Sequential(*(ResBlock(features) for _ in range(blocks)))
        self.tail = nn.Conv2d(features, channels, 5, padding=2)

    def forward(self, x: Tensor) -> Tensor:
        return self.tail(self.blocks(self.head(x)))


class MultiScaleDeblur(nn.Module):
    """Blurry (B, C, H, W) on [0, 1] → sharp estimate; H and W multiples of 2^(levels−1)."""

    def __init__(self, *, channels: int = 3, features: int = 32, blocks: int = 3, levels: int = 3):
        super().__init__()
        self.levels = nn.ModuleList(Level(channels if k == 0 else 2 * channels, channels, features, blocks) for k in range(levels))
        self.up = nn.ModuleList(nn.ConvTranspose2d(channels, channels, 5, stride=2, padding=2, output_padding=1)
                                for _ in range(levels - 1))

    def pyramid(self, blurry: Tensor) -> list[Tensor]:
        """Each level's estimate, coarsest first (sizes H/2^(levels−1) … H)."""
        images = [blurry]
        for _ in range(len(self.levels) - 1):
            images.append(half(images[-1]))
        images.reverse()
        estimates: list[Tensor] = []
        for k, (level, image) in enumerate(zip(self.levels, images)):
            inputs = image if k == 0 else torch.cat((image, self.up[k - 1](estimates[-1])), 1)
            estimates.append(image + level(inputs))
        return estimates

    def forward(self, blurry: Tensor) -> Tensor:
        return self.pyramid(blurry)[-1]


class PatchDiscriminator(nn.Module):
    """The adversarial term's judge, after Nah et al.'s discriminator (5×5 convolutions, strides
    alternating 1 and 2, LeakyReLU 0.2), cut to 6 layers for a CPU: one logit per image, the mean
    over what its last layer sees."""

    def __init__(self, *, channels: int = 3, features: int = 32):
        super().__init__()
        widths = (features, features, 2 * features, 2 * features, 4 * features, 4 * features)
        layers: list[nn.Module] = []
        inputs = channels
        for i, width in enumerate(widths):
            layers += [nn.Conv2d(inputs, width, 5, stride=1 + i % 2, padding=2), nn.LeakyReLU(0.2)]
            inputs = width
        self.body = nn.Sequential(*layers)
        self.head = nn.Conv2d(inputs, 1, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x)).mean((1, 2, 3))


def _geometry(blocks: int = 3, levels: int = 3, **_) -> Geometry:
    # a level: head + two convolutions a block + tail, each 5×5 (radius 2), at its own scale, 2^k
    # input pixels each at level k; its up-convolution (radius 3) and the antialiased halvings
    # below it (radius 2) add at most 5 of its pixels: a bound, checked by tests/test_nets.py
    per_level = 2 * (2 * blocks + 2)
    return Geometry(2 ** (levels - 1), sum((per_level + 5) * 2**k for k in range(levels)))


FAMILY = Family(
    "deepdeblur", MultiScaleDeblur,
    paper="Nah, Kim, Lee, 'Deep Multi-scale Convolutional Neural Network for Dynamic Scene Deblurring', CVPR 2017",
    geometry=_geometry,
    tiny={"channels": 3, "features": 8, "blocks": 1, "levels": 2},
)
