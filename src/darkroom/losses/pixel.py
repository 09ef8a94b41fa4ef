"""Pixel losses: L1 and MSE (survey 004 compares them for super-resolution; L1 is what
EDSR, Lim et al. 2017, found to train better), and Charbonnier, a differentiable L1
(Charbonnier et al. 1994; used by LapSRN, Lai et al. 2017)."""

from __future__ import annotations

import torch
from torch import Tensor, nn


def l1_loss(pred: Tensor, target: Tensor) -> Tensor:
    return (pred - target).abs().mean()


def mse_loss(pred: Tensor, target: Tensor) -> Tensor:
    return ((pred - target) ** 2).mean()


def charbonnier_loss(pred: Tensor, target: Tensor, eps: float = 1e-3) -> Tensor:
    """mean(sqrt((pred − target)² + ε²)).

    >>> round(float(charbonnier_loss(torch.zeros(4), torch.zeros(4), eps=1e-3)), 6)
    0.001
    """
    return torch.sqrt((pred - target) ** 2 + eps**2).mean()


PIXEL_LOSSES = {"l1": l1_loss, "mse": mse_loss, "charbonnier": charbonnier_loss}


class PixelLoss(nn.Module):
    """Module form: ``PixelLoss("charbonnier")``."""

    def __init__(self, kind: str = "l1"):
        super().__init__()
        if kind not in PIXEL_LOSSES:
            raise ValueError(f"unknown loss {kind!r}; choose from {', '.join(PIXEL_LOSSES)}")
        self.kind = kind

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        return PIXEL_LOSSES[self.kind](pred, target)
