"""Classical dehazers behind the networks' call, ``forward(hazy, strength)``, and
``transmission(hazy)`` for the map a user may save:

- ``DarkChannelPrior``: He, Sun & Tang, "Single Image Haze Removal Using Dark Channel Prior"
  (CVPR 2009 / TPAMI 2011): the dark channel over 15×15 patches, A from the brightest 0.1 %
  of the dark channel, t = 1 − 0.95·dark(I/A), refined by the guided filter (kornia's
  ``guided_blur``, radius 60 at 600 px, ε = 1e-4), J = (I − A)/max(t, 0.1) + A.
- ``MultiPatchDCP``: PMS-Net's idea (Chen, Yeh, Hsu & Lin, "PMS-Net: Robust Haze Removal
  Based on Patch Map", CVPR 2019) as a measured variant of the prior: each pixel takes its dark
  channel from its own patch size, chosen by a simple rule instead of PMS-Net's learned map:
  small (7) where the image has strong edges (so that a near object's window does not reach
  the far background and leave a halo), large (31) on smooth bright surfaces (a white wall is
  bright in every channel, and only a wider window finds a dark pixel to tell it from haze),
  15 elsewhere.
- ``Clahe``: contrast-limited adaptive histogram equalisation of the L channel in CIELAB
  (Zuiderveld 1994; OpenCV's ``createCLAHE``, clip 2, 8×8 tiles), the naive baseline.
- ``Hazy``: the input itself, the row every table starts from.

Strength s keeps some haze as a depth cue: t' = t^s (``darkroom.ops.scattering.keep_haze``);
CLAHE, which has no t, blends: I + s·(CLAHE(I) − I).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.ops.scattering import (DCP_OMEGA, DCP_PATCH, T_FLOOR, InvertsScattering, airlight, dark_channel,
                                     local_minimum, refine_transmission, strength_of)


class Hazy(nn.Module):
    """The hazy image itself (the baseline row)."""

    def forward(self, hazy: Tensor, strength: Tensor | None = None) -> Tensor:
        return hazy


class DarkChannelPrior(InvertsScattering):
    def __init__(self, patch: int = DCP_PATCH, omega: float = DCP_OMEGA, t_floor: float = T_FLOOR):
        super().__init__()
        self.patch, self.omega, self.t_floor = patch, omega, t_floor

    def dark(self, hazy: Tensor) -> Tensor:
        """The dark channel this prior reads haze from, (B, 1, H, W)."""
        return dark_channel(hazy, self.patch)

    def estimate(self, hazy: Tensor) -> tuple[Tensor, Tensor]:
        """(refined t, A) for a (B, 3, H, W) hazy batch on [0, 1]."""
        a = airlight(hazy, dark_channel(hazy, DCP_PATCH))
        coarse = 1 - self.omega * self.dark(hazy / a.clamp(min=1e-3))
        return refine_transmission(hazy, coarse).clamp(0, 1), a


# the rule's thresholds, chosen once a priori and not fitted to any image set
EDGE_GRADIENT = 0.08  # a local mean gradient above this (on [0, 1]) is an edge: the small patch
BRIGHT_SMOOTH = 0.75  # a smooth neighbourhood whose darkest channel, as a fraction of A, is above this: the large patch


class MultiPatchDCP(DarkChannelPrior):
    """The dark channel with a per-pixel patch size (PMS-Net's patch map, by a rule)."""

    def __init__(self, sizes: tuple[int, int, int] = (7, 15, 31), omega: float = DCP_OMEGA, t_floor: float = T_FLOOR):
        super().__init__(sizes[1], omega, t_floor)
        self.sizes = sizes

    def patch_map(self, hazy: Tensor) -> Tensor:
        """Each pixel's patch size, (B, 1, H, W), from the rule in the module's docstring."""
        gray = hazy.mean(1, keepdim=True)
        gy = (gray[..., 1:, :] - gray[..., :-1, :]).abs()
        gx = (gray[..., :, 1:] - gray[..., :, :-1]).abs()
        gradient = F.pad(gy, (0, 0, 0, 1)) + F.pad(gx, (0, 1, 0, 0))
        small, middle, large = self.sizes
        edges = F.avg_pool2d(F.pad(gradient, (3, 3, 3, 3), mode="replicate"), 7, stride=1) > EDGE_GRADIENT
        a = airlight(hazy, dark_channel(hazy, DCP_PATCH))
        bright = local_minimum((hazy / a.clamp(min=1e-3)).amin(1, keepdim=True), small) > BRIGHT_SMOOTH
        smooth = F.avg_pool2d(F.pad(gradient, (7, 7, 7, 7), mode="replicate"), 15, stride=1) < EDGE_GRADIENT / 4
        sizes = torch.full_like(gray, float(middle))
        sizes = torch.where(bright & smooth, torch.full_like(gray, float(large)), sizes)
        return torch.where(edges, torch.full_like(gray, float(small)), sizes)

    def dark(self, hazy: Tensor) -> Tensor:
        sizes = self.patch_map(hazy)
        out = dark_channel(hazy, self.sizes[1])
        for size in (self.sizes[0], self.sizes[2]):
            out = torch.where(sizes == size, dark_channel(hazy, size), out)
        return out


class Clahe(nn.Module):
    """CLAHE on CIELAB's L (OpenCV), clip limit 2, 8×8 tiles."""

    def __init__(self, clip: float = 2.0, tiles: int = 8):
        super().__init__()
        self.clip, self.tiles = clip, tiles

    def forward(self, hazy: Tensor, strength: Tensor | None = None) -> Tensor:
        import cv2

        clahe = cv2.createCLAHE(clipLimit=self.clip, tileGridSize=(self.tiles, self.tiles))
        outs = []
        for image in hazy.detach().float().clamp(0, 1).cpu():
            rgb = np.ascontiguousarray(image.permute(1, 2, 0).numpy())
            lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
            # OpenCV's CLAHE takes 8- or 16-bit: L (0–100) as 16-bit keeps its precision
            lightness = np.round(lab[..., 0] * 655.35).astype(np.uint16)
            lab[..., 0] = clahe.apply(lightness).astype(np.float32) / 655.35
            outs.append(torch.from_numpy(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)).permute(2, 0, 1))
        out = torch.stack(outs).to(hazy.device, hazy.dtype)
        return hazy + strength_of(strength, hazy) * (out - hazy)
