"""The fast dehazing default: a compact U-Net (Ronneberger, Fischer & Brox, MICCAI 2015) that
predicts the scattering model's transmission map t and atmospheric light A, from which the
image is recovered in closed form, J = (I − A)/max(t, 0.05) + A. Trained end to end on the
recovered image, as AOD-Net is (Li, Peng, Wang, Xu & Feng, "AOD-Net: All-in-One Dehazing
Network", ICCV 2017), with t and A from separate heads as in DCPDN (Zhang & Patel, "Densely
Connected Pyramid Dehazing Network", CVPR 2018).

With ``prior`` (the shipped default), the network corrects the dark channel prior instead of
starting from nothing: it is shown the prior's coarse transmission t₀ = 1 − 0.95·dark(I/A₀)
beside the image, its t head adds to logit(t₀) and its A head to the prior's A₀ (at most
±0.1), and both heads start at zero, so an untrained network is the prior without its guided
filter. Trained from scratch, the same network stayed below the prior on held-out training
photos after 6,500 steps (docs/lab/dehaze.md).

Why this shape: t is smooth but for depth edges and A is one colour per image, so the network
works at half resolution and below (its stem is a stride-2 convolution; t comes out at half
size and is upsampled bilinearly), while the detail of J comes from the full-resolution input
through the closed form. A comes from the deepest features pooled over the whole image. On
an image larger than ``work_pixels``, t and A are estimated on a copy shrunk to that size and
t is brought back by the guided filter under the full image (``darkroom.ops.scattering``), so
time and memory stay bounded on a 12-megapixel photo.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.scattering import DCP_OMEGA, DCP_PATCH, InvertsScattering, airlight, dark_channel, refine_transmission



def _conv(inputs: int, outputs: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1), nn.ReLU(inplace=True))


class HazeUNet(InvertsScattering):
    """Hazy (B, 3, H, W) on [0, 1] → dehazed. ``features``: the widths at ½, ¼, ⅛, ¹⁄₁₆ size."""

    t_floor = 0.05  # a learned t is trusted further down than the prior's 0.1

    def __init__(self, features: tuple[int, ...] = (24, 48, 64, 64), work_pixels: int = 1_048_576, prior: bool = False):
        super().__init__()
        self.work_pixels = work_pixels
        self.prior = prior
        widths = tuple(features)
        self.down = nn.ModuleList()
        inputs = 4 if prior else 3
        for width in widths:
            self.down.append(nn.Sequential(_conv(inputs, width, stride=2), _conv(width, width)))
            inputs = width
        self.context = _conv(widths[-1], widths[-1])
        self.up = nn.ModuleList(_conv(widths[k + 1] + widths[k], widths[k]) for k in reversed(range(len(widths) - 1)))
        self.t_head = nn.Conv2d(widths[0], 1, 3, padding=1)
        self.a_head = nn.Linear(2 * widths[-1], 3)
        self.multiple = 2 ** len(widths)
        if prior:  # start as the prior: zero corrections
            for head in (self.t_head, self.a_head):
                nn.init.zeros_(head.weight)
                nn.init.zeros_(head.bias)

    def estimate_as_is(self, hazy: Tensor) -> tuple[Tensor, Tensor]:
        """(t at full size, A as (B, 3, 1, 1)) for the image as it is."""
        h, w = hazy.shape[-2:]
        ph, pw = (-h) % self.multiple, (-w) % self.multiple
        x = F.pad(hazy, (0, pw, 0, ph), mode="reflect" if min(h, w) > max(ph, pw) else "replicate")
        skips = []
        f = x - 0.5
        if self.prior:
            a0 = airlight(x, dark_channel(x, DCP_PATCH))
            t0 = (1 - DCP_OMEGA * dark_channel(x / a0.clamp(min=1e-3), DCP_PATCH)).clamp(0.02, 0.98)
            f = torch.cat((f, t0 - 0.5), 1)
        for block in self.down:
            f = block(f)
            skips.append(f)
        f = self.context(f)
        pooled = torch.cat((f.mean((2, 3)), f.amax((2, 3))), 1)
        a = self.a_head(pooled).view(-1, 3, 1, 1)
        a = (a0 + 0.1 * torch.tanh(a)).clamp(0, 1) if self.prior else torch.sigmoid(a)
        for block, skip in zip(self.up, reversed(skips[:-1])):
            f = block(torch.cat((F.interpolate(f, size=skip.shape[-2:], mode="bilinear", align_corners=False), skip), 1))
        logit = F.interpolate(self.t_head(f), size=x.shape[-2:], mode="bilinear", align_corners=False)
        if self.prior:
            logit = logit + torch.logit(t0)
        return torch.sigmoid(logit)[..., :h, :w], a

    def estimate(self, hazy: Tensor) -> tuple[Tensor, Tensor]:
        """(t, A); above ``work_pixels`` estimated on a shrunk copy, t refined back at full size."""
        h, w = hazy.shape[-2:]
        if h * w <= self.work_pixels:
            return self.estimate_as_is(hazy)
        shrink = math.sqrt(self.work_pixels / (h * w))
        small = F.interpolate(hazy, size=(max(1, round(h * shrink)), max(1, round(w * shrink))), mode="area")
        t, a = self.estimate_as_is(small)
        t = F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)
        return refine_transmission(hazy, t, radius=max(4, round(8 / shrink))).clamp(0, 1), a


FAMILY = Family(
    "haze_unet", HazeUNet,
    paper="Li et al., 'AOD-Net: All-in-One Dehazing Network', ICCV 2017 (end-to-end through the scattering model); "
          "Ronneberger et al., 'U-Net', MICCAI 2015; He et al., 'Single Image Haze Removal Using Dark Channel Prior', "
          "CVPR 2009 (the prior it corrects)",
    geometry=lambda **_: Geometry(1, 0),  # global: A is pooled over the whole image (ModelSpec.tile = 0)
    tiny={"features": (4, 8), "work_pixels": 4096, "prior": True},
    conditioned=True,
)
