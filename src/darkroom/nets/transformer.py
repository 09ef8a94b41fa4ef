"""The image transformation network of fast style transfer: Johnson, Alahi & Fei-Fei,
"Perceptual Losses for Real-Time Style Transfer and Super-Resolution" (ECCV 2016).

Layout as in the paper's supplementary material: a 9×9 convolution, two stride-2
downsampling convolutions, residual blocks at quarter resolution, two ×2 upsampling
stages and a 9×9 output convolution. Two later fixes that every maintained
implementation adopted are used here:

* instance normalisation instead of batch normalisation (Ulyanov, Vedaldi & Lempitsky,
  "Instance Normalization: The Missing Ingredient for Fast Stylization", 2016), so each
  image is stylised independently of its batch;
* nearest-neighbour upsampling followed by a convolution instead of a transposed
  convolution (Odena, Dumoulin & Olah, "Deconvolution and Checkerboard Artifacts",
  Distill 2016), which removes the checkerboard pattern.

Reflection padding keeps borders free of dark frames. ``width`` is the first layer's
channel count (32 in the paper); the network is fully convolutional, so any image size
works (the engine pads to a multiple of 4).
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


def _conv(inputs: int, outputs: int, kernel: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.ReflectionPad2d(kernel // 2), nn.Conv2d(inputs, outputs, kernel, stride))


class _ConvNormReLU(nn.Sequential):
    def __init__(self, inputs: int, outputs: int, kernel: int, stride: int = 1):
        super().__init__(_conv(inputs, outputs, kernel, stride), nn.InstanceNorm2d(outputs, affine=True), nn.ReLU(inplace=True))


class _ResidualBlock(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.body = nn.Sequential(
            _ConvNormReLU(channels, channels, 3),
            _conv(channels, channels, 3), nn.InstanceNorm2d(channels, affine=True),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class _UpsampleConv(nn.Module):
    def __init__(self, inputs: int, outputs: int):
        super().__init__()
        self.conv = _ConvNormReLU(inputs, outputs, 3)

    def forward(self, x: Tensor) -> Tensor:
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class TransformerNet(nn.Module):
    """Image in [0, 1] → stylised image in [0, 1], same size (H and W multiples of 4)."""

    def __init__(self, *, width: int = 32, blocks: int = 5, channels: int = 3):
        super().__init__()
        self.body = nn.Sequential(
            _ConvNormReLU(channels, width, 9),
            _ConvNormReLU(width, 2 * width, 3, stride=2),
            _ConvNormReLU(2 * width, 4 * width, 3, stride=2),
            *[_ResidualBlock(4 * width) for _ in range(blocks)],
            _UpsampleConv(4 * width, 2 * width),
            _UpsampleConv(2 * width, width),
            _conv(width, channels, 9),
        )

    def forward(self, x: Tensor) -> Tensor:
        h, w = x.shape[-2:]
        if h % 4 or w % 4:
            raise ValueError(f"the transformer network needs height and width divisible by 4, got {h}×{w}; the engine pads for you")
        # a sigmoid output keeps [0, 1] without clipping dead gradients; centred input helps instance norm's first layer
        return self.body(x - 0.5).sigmoid()


FAMILY = Family(
    "transformer", TransformerNet,
    paper="Johnson, Alahi, Fei-Fei, 'Perceptual Losses for Real-Time Style Transfer and Super-Resolution', ECCV 2016; "
          "instance norm (Ulyanov et al. 2016); resize-convolution (Odena et al. 2016)",
    # two stride-2 stages; instance norm takes statistics over the whole image, so no finite radius: never tiled
    geometry=lambda **_: Geometry(4, 0),
    tiny={"channels": 3, "width": 4, "blocks": 1},
)
