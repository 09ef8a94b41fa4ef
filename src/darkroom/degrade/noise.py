"""Noise models: additive white Gaussian noise (AWGN, as in DnCNN/FFDNet benchmarks)
and Poisson–Gaussian signal-dependent noise (Foi et al., "Practical Poissonian-Gaussian
noise modeling and fitting for single-image raw-data", IEEE TIP 2008).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from darkroom.degrade.base import Param, randn_like, sample_param
from darkroom.degrade.blur import blur, gaussian_kernel
from darkroom.ops.shape import check_image_batch


def add_gaussian_noise(x: torch.Tensor, sigma: float | torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Add AWGN with standard deviation ``sigma`` in 0–255 units; the result is *not* clipped.

    ``sigma`` may be a number, a (B,) tensor (one level per image) or a (B, 1, H, W)
    map (spatially varying noise).
    """
    check_image_batch(x)
    s = torch.as_tensor(sigma, dtype=x.dtype, device=x.device)
    if s.ndim == 1:
        s = s.view(-1, 1, 1, 1)
    return x + randn_like(x, generator) * (s / 255.0)


def add_poisson_gaussian_noise(
    x: torch.Tensor, shot: float | torch.Tensor, read: float | torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """Signal-dependent noise: variance = shot·x + read² (x in [0, 1]), Gaussian approximation.

    ``shot`` is the Poisson gain (1/photons per unit signal) and ``read`` the standard
    deviation of the signal-independent part, both on the [0, 1] scale.
    """
    check_image_batch(x)
    shot = torch.as_tensor(shot, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    read = torch.as_tensor(read, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    variance = shot * x.clamp(min=0) + read**2
    return x + randn_like(x, generator) * variance.sqrt()


@dataclass(frozen=True)
class GaussianNoise:
    """AWGN with σ in 0–255 units (a number or a (low, high) range drawn per image)."""

    sigma: Param = 25.0

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return add_gaussian_noise(x, sample_param(self.sigma, x.shape[0], generator), generator)


@dataclass(frozen=True)
class PoissonGaussianNoise:
    """Signal-dependent noise; ``shot`` and ``read`` on the [0, 1] scale, fixed or ranges."""

    shot: Param = (1e-4, 1e-2)
    read: Param = (1e-3, 2e-2)

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        b = x.shape[0]
        return add_poisson_gaussian_noise(x, sample_param(self.shot, b, generator), sample_param(self.read, b, generator), generator)


def local_noise_level(noisy: torch.Tensor, clean: torch.Tensor) -> torch.Tensor:
    """The noise actually added, as a per-pixel σ map on the [0, 1] scale: √(Gaussian-weighted
    (σ = 2 px) mean of its square). CBDNet's estimator target for signal-dependent noise, which
    has no single σ (Guo et al., CVPR 2019).

    >>> clean = torch.zeros(1, 1, 32, 32)
    >>> noisy = clean + 0.1 * torch.randn(clean.shape, generator=torch.Generator().manual_seed(0))
    >>> round(float(local_noise_level(noisy, clean).mean()), 1)
    0.1
    """
    return blur((noisy - clean) ** 2, gaussian_kernel(9, 2.0)).clamp_min(0).sqrt()
