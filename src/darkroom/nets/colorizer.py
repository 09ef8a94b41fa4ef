"""The colorization network of Zhang, Isola & Efros, "Colorful Image Colorization" (ECCV 2016),
sized for a CPU.

The paper's layout: eight blocks of 3×3 convolutions with ReLU and a BatchNorm after each block;
blocks 1–3 end with a stride of 2 (to ⅛ of the input), blocks 5 and 6 dilate by 2 so the
receptive field grows without more pooling, block 8 upsamples by 2 (a transposed convolution)
to ¼, and a 1×1 head gives a score for each of the Q ab bins (``darkroom.ops.ab_bins``) at ¼
resolution. The paper's widths are 64, 128, 256, 512, 512, 512, 512, 256 with 2–3 convolutions
a block (32 M parameters); here ``widths`` default to 32, 64, 128, 128, 128, 128, 128, 64 with
two convolutions a block, for a CPU. With ``classes`` = 2 the same network is the paper's
regression baseline: the head gives (a, b)/110 through tanh.

``ColorizationNet`` is that network: L/100 − 0.5 (B, 1, H, W), H and W multiples of 8, in;
scores at ¼ size out. ``Colorizer`` is the model a user runs, after the paper's demo: any image
(gray, colour, sepia, a colour-cast scan) is reduced to its lightness L; the network sees L
shrunk to at most ``work_pixels`` (colour is smooth: the paper works at 256²); its ab, decoded by
the annealed mean at temperature T (``darkroom.ops.ab_bins``) and scaled by a saturation, is
brought back to full size bilinearly; and the output is the input's own L at full resolution
with that ab, each pixel's ab shortened just enough that its colour is displayable, so that the
output's L is the input's L (``keep_lightness``).

>>> import torch
>>> net = ColorizationNet(widths=(4, 4, 8, 8, 8, 8, 8, 4), classes=10)
>>> tuple(net(torch.rand(1, 1, 32, 40)).shape)
(1, 10, 8, 10)
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.ab_bins import TEMPERATURE, annealed_mean, gamut_bins
from darkroom.ops.color import lab_to_rgb, rgb_to_lab
from darkroom.ops.shape import check_image_batch

AB_SCALE = 110.0  # the regression head's tanh output times this is ab

STRIDES = (2, 2, 2, 1, 1, 1, 1, 1)
DILATIONS = (1, 1, 1, 1, 2, 2, 1, 1)


def _block(inputs: int, width: int, stride: int, dilation: int, convs: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for k in range(convs):
        last = k == convs - 1
        layers += [nn.Conv2d(inputs if k == 0 else width, width, 3, stride=stride if last else 1, padding=dilation,
                             dilation=dilation), nn.ReLU(inplace=True)]
    return nn.Sequential(*layers, nn.BatchNorm2d(width))


class ColorizationNet(nn.Module):
    """L (B, 1, H, W) → scores over the ab bins (B, classes, H/4, W/4), or (a, b)/110 where classes = 2."""

    def __init__(self, widths: tuple[int, ...] = (32, 64, 128, 128, 128, 128, 128, 64), classes: int = 262, convs: int = 2):
        super().__init__()
        widths = tuple(widths)
        blocks, inputs = [], 1
        for i, width in enumerate(widths[:7]):
            blocks.append(_block(inputs, width, STRIDES[i], DILATIONS[i], convs))
            inputs = width
        self.body = nn.Sequential(*blocks)
        self.up = nn.Sequential(nn.ConvTranspose2d(inputs, widths[7], 4, stride=2, padding=1), nn.ReLU(inplace=True),
                                _block(widths[7], widths[7], 1, 1, convs))
        self.head = nn.Conv2d(widths[7], classes, 1)
        self.classes = classes

    def forward(self, lightness: Tensor) -> Tensor:
        check_image_batch(lightness, "lightness", channels=(1,))
        out = self.head(self.up(self.body(lightness)))
        return torch.tanh(out) if self.classes == 2 else out


def keep_lightness(lightness: Tensor, ab: Tensor, steps: int = 12) -> Tensor:
    """sRGB (B, 3, H, W) of L with each pixel's ab scaled by the largest factor in [0, 1] that keeps
    the colour inside [0, 1] (found by bisection), so that the result's L is ``lightness``."""
    low = torch.zeros_like(lightness)
    high = torch.ones_like(lightness)
    inside = lambda k: ((lambda rgb: ((rgb >= -1e-4) & (rgb <= 1 + 1e-4)).all(1, keepdim=True))(  # noqa: E731
        lab_to_rgb(torch.cat((lightness, ab * k), 1))))
    fits = inside(high)
    for _ in range(steps):
        middle = (low + high) / 2
        ok = inside(middle)
        low = torch.where(ok, middle, low)
        high = torch.where(ok, high, middle)
    scale = torch.where(fits, torch.ones_like(low), low)
    return lab_to_rgb(torch.cat((lightness, ab * scale), 1)).clamp(0, 1)


class Colorizer(nn.Module):
    """Any (B, 1 or 3, H, W) image on [0, 1] → colour (B, 3, H, W) with the input's lightness.
    Told (B, 2, 1, 1): the annealed mean's temperature T and a saturation factor."""

    def __init__(self, widths: tuple[int, ...] = (32, 64, 128, 128, 128, 128, 128, 64), regression: bool = False,
                 convs: int = 2, work_pixels: int = 262_144):
        super().__init__()
        self.register_buffer("bins", gamut_bins(), persistent=False)
        self.regression = regression
        self.net = ColorizationNet(widths, 2 if regression else len(self.bins), convs)
        self.work_pixels = work_pixels

    @staticmethod
    def lightness(x: Tensor) -> Tensor:
        """CIE L (0–100) of a gray or colour batch, (B, 1, H, W)."""
        rgb = x.expand(-1, 3, -1, -1) if x.shape[1] == 1 else x
        return rgb_to_lab(rgb.clamp(0, 1))[:, :1]

    def small_lightness(self, lightness: Tensor) -> Tensor:
        """L shrunk to at most ``work_pixels`` (area), its sides multiples of 8, as the network takes it."""
        h, w = lightness.shape[-2:]
        shrink = min(1.0, math.sqrt(self.work_pixels / (h * w)))
        size = (max(8, round(h * shrink / 8) * 8), max(8, round(w * shrink / 8) * 8))
        return F.interpolate(lightness, size=size, mode="area" if shrink < 1 else "bilinear",
                             align_corners=None if shrink < 1 else False)

    def predict_ab(self, small: Tensor, temperature: float) -> Tensor:
        """ab at ¼ of ``small``'s size, (B, 2, h/4, w/4)."""
        out = self.net(small / 100 - 0.5)
        return out * AB_SCALE if self.regression else annealed_mean(out, self.bins, temperature)

    def forward(self, x: Tensor, told: Tensor | None = None) -> Tensor:
        check_image_batch(x, channels=(1, 3))
        temperature, saturation = (TEMPERATURE, 1.0) if told is None else (float(told[0, 0, 0, 0]), float(told[0, 1, 0, 0]))
        lightness = self.lightness(x)
        ab = self.predict_ab(self.small_lightness(lightness), temperature)
        ab = F.interpolate(ab, size=x.shape[-2:], mode="bilinear", align_corners=False) * saturation
        return keep_lightness(lightness, ab)


FAMILY = Family(
    "colorizer", Colorizer,
    paper="Zhang, Isola & Efros, 'Colorful Image Colorization', ECCV 2016",
    geometry=lambda **_: Geometry(1, 0),  # global: whole images, shrunk inside (ModelSpec.tile = 0)
    tiny={"widths": (4, 4, 8, 8, 8, 8, 8, 4), "work_pixels": 4096},
    conditioned=True,
)
