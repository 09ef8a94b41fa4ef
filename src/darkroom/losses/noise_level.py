"""Losses on an estimated noise-level map, from CBDNet (Guo et al., CVPR 2019).

The asymmetric loss weights squared errors by |α − 1[σ̂ < σ]| with α < 0.5, so an
under-estimate costs more than an over-estimate: a non-blind denoiser told too little
leaves noise in, told a little too much only smooths slightly. A total-variation
term (``darkroom.losses.total_variation`` with power 2) keeps the map smooth, as a physical
noise level is.

>>> import torch
>>> true = torch.full((1, 1, 2, 2), 0.1)
>>> float(asymmetric_loss(true - 0.05, true)) > float(asymmetric_loss(true + 0.05, true))
True
"""

from __future__ import annotations

from torch import Tensor


def asymmetric_loss(estimate: Tensor, target: Tensor, alpha: float = 0.3) -> Tensor:
    under = (estimate < target).to(estimate.dtype)
    return ((alpha - under).abs() * (estimate - target) ** 2).mean()
