"""Scene-level degradations: haze by the atmospheric scattering model
I = J·t + A·(1 − t), t = exp(−β·d) (Koschmieder; as used by DehazeNet, Cai et al. 2016),
and low light by a gamma/scale darkening plus signal-dependent sensor noise
(as in LLNet, Lore et al. 2017, and MBLLEN, Lv et al. 2018).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from darkroom.degrade.base import Param, sample_param
from darkroom.degrade.noise import add_poisson_gaussian_noise
from darkroom.ops.shape import check_image_batch


def depth_proxy(x: torch.Tensor) -> torch.Tensor:
    """A rough relative depth in [0, 1], shape (B, 1, H, W), when no depth map is known.

    Photographs usually put distant things high in the frame and bright, low-texture
    regions (sky) far away, so the proxy blends the vertical position with a heavily
    smoothed brightness.
    """
    check_image_batch(x)
    b, _, h, w = x.shape
    rows = torch.linspace(1, 0, h, device=x.device, dtype=x.dtype).view(1, 1, h, 1).expand(b, 1, h, w)
    lum = x.mean(1, keepdim=True)
    small = F.adaptive_avg_pool2d(lum, (max(1, h // 16), max(1, w // 16)))
    smooth = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
    d = 0.6 * rows + 0.4 * smooth
    lo = d.amin((2, 3), keepdim=True)
    hi = d.amax((2, 3), keepdim=True)
    return (d - lo) / (hi - lo).clamp(min=1e-6)


def add_haze(x: torch.Tensor, beta: torch.Tensor | float, airlight: torch.Tensor | float, depth: torch.Tensor | None = None) -> torch.Tensor:
    """I = J·t + A·(1 − t) with t = exp(−β·d); ``depth`` defaults to :func:`depth_proxy`."""
    d = depth_proxy(x) if depth is None else depth
    beta_t = torch.as_tensor(beta, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    a = torch.as_tensor(airlight, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    t = torch.exp(-beta_t * d)
    return x * t + a * (1 - t)


def darken(x: torch.Tensor, gamma: torch.Tensor | float, scale: torch.Tensor | float) -> torch.Tensor:
    """Low-light exposure: scale · x^gamma (gamma > 1 crushes the shadows)."""
    g = torch.as_tensor(gamma, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    s = torch.as_tensor(scale, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    return s * x.clamp(min=0) ** g


@dataclass(frozen=True)
class Haze:
    """Atmospheric scattering with β and airlight A drawn per image."""

    beta: Param = (0.6, 1.8)
    airlight: Param = (0.7, 1.0)

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        b = x.shape[0]
        return add_haze(x, sample_param(self.beta, b, generator), sample_param(self.airlight, b, generator))


@dataclass(frozen=True)
class LowLight:
    """Darken (gamma, scale) then add Poisson–Gaussian noise of the dim sensor."""

    gamma: Param = (1.5, 3.0)
    scale: Param = (0.1, 0.5)
    shot: Param = (1e-4, 2e-3)
    read: Param = (1e-3, 1e-2)

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        b = x.shape[0]
        dark = darken(x, sample_param(self.gamma, b, generator), sample_param(self.scale, b, generator))
        return add_poisson_gaussian_noise(dark, sample_param(self.shot, b, generator), sample_param(self.read, b, generator), generator)
