"""Fréchet distance between two sets of feature vectors, each modelled as a Gaussian
(Dowson & Landau 1982; the recipe behind FID, Heusel et al. 2017):

    d² = |μ₁ − μ₂|² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)

Which network supplies the features decides what the number means: FID is this on
Inception-v3 pool features. darkroom computes it on features of its own MNIST
classifier, so its numbers are not FIDs and must not be compared with published ones.

>>> import torch
>>> a = torch.randn(500, 4, generator=torch.Generator().manual_seed(0))
>>> round(float(frechet_distance(a, a)), 6)
0.0
"""

from __future__ import annotations

import torch
from torch import Tensor


def _sqrt_psd(m: Tensor) -> Tensor:
    values, vectors = torch.linalg.eigh(m)
    return (vectors * values.clamp_min(0).sqrt()) @ vectors.T


def frechet_distance(a: Tensor, b: Tensor) -> Tensor:
    """Squared Fréchet distance between the Gaussians fitted to rows of ``a`` and ``b`` (N, D)."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"need two (N, D) feature sets with the same D, got {tuple(a.shape)} and {tuple(b.shape)}")
    a, b = a.double(), b.double()
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = torch.atleast_2d(torch.cov(a.T)), torch.atleast_2d(torch.cov(b.T))
    root_a = _sqrt_psd(cov_a)
    cross = _sqrt_psd(root_a @ cov_b @ root_a)
    return (mu_a - mu_b).square().sum() + torch.trace(cov_a + cov_b - 2 * cross)
