"""PSNR-B: PSNR with the blocking-effect factor, after Yim & Bovik, "Quality Assessment of
Deblocked Images", IEEE TIP 2011 — the third score of the JPEG artifact-removal papers
(ARCNN, DnCNN-3, FBCNN).

The blocking-effect factor (BEF) of the *tested* image y, with block size B = 8: the mean
squared difference D_B of horizontally and vertically neighbouring pixels that straddle a
block boundary (between column 8k − 1 and 8k, and rows alike), against the mean D_Bc of
the neighbours that do not; BEF = η·(D_B − D_Bc) where that is positive, 0 otherwise, with
η = log2(B) / log2(min(H, W)). Then MSE-B = MSE(x, y) + BEF(y) and
PSNR-B = 10·log10(peak² / MSE-B). The counts are the pairs that exist, so sizes that are
not multiples of 8 are handled exactly.

Written here because the one maintained implementation (torchmetrics) averages over a
whole batch and takes one channel; the papers report per-image scores averaged over a set.
``tests/test_metrics.py`` checks it against values worked out by hand. (torchmetrics'
version also miscounts the boundary pairs, ``height * (width / 8) - 1``, so it is no
reference.) For sizes that are multiples of 8 this is the KAIR/SwinIR code's value, which
the published tables use; for other sizes that code's counts and its sums disagree by one
column or row of pairs, and this follows the paper.
"""

from __future__ import annotations

import math

import torch

from darkroom.metrics.psnr import prepare_for_metric
from darkroom.ops.shape import check_image_batch


def blocking_effect_factor(y: torch.Tensor, block: int = 8) -> torch.Tensor:
    """BEF of each channel of each image of a (B, C, H, W) batch (values on a 0–1 scale), shape (B, C).

    >>> flat = torch.zeros(1, 1, 16, 16)
    >>> blocking_effect_factor(flat).tolist()
    [[0.0]]
    """
    check_image_batch(y, "image")
    y = y.double()
    h, w = y.shape[-2:]
    dx = (y[..., :, 1:] - y[..., :, :-1]) ** 2  # pair (j, j+1) is index j
    dy = (y[..., 1:, :] - y[..., :-1, :]) ** 2
    at_x = (torch.arange(w - 1) % block) == block - 1  # j = 8k − 1: the pair straddles a boundary
    at_y = (torch.arange(h - 1) % block) == block - 1
    boundary = dx[..., at_x].flatten(2).sum(2) + dy[..., at_y, :].flatten(2).sum(2)
    inside = dx[..., ~at_x].flatten(2).sum(2) + dy[..., ~at_y, :].flatten(2).sum(2)
    n_boundary = int(at_x.sum()) * h + int(at_y.sum()) * w
    n_inside = int((~at_x).sum()) * h + int((~at_y).sum()) * w
    if n_boundary == 0 or n_inside == 0:  # smaller than one block: no boundary to judge
        return torch.zeros(y.shape[:2], dtype=torch.float64)
    excess = boundary / n_boundary - inside / n_inside
    eta = math.log2(block) / math.log2(min(h, w))
    return (eta * excess).clamp(min=0)


def psnrb(restored: torch.Tensor, truth: torch.Tensor, *, y_channel: bool = False, block: int = 8) -> torch.Tensor:
    """Per-image PSNR-B in dB of ``restored`` against ``truth`` ((B, C, H, W), 0–1), shape (B,).

    A colour image scores the mean of its channels' PSNR-B, as the published evaluation code
    (the KAIR/SwinIR ``calculate_psnrb``) does; the papers' gray tables are one channel.

    >>> truth = torch.zeros(1, 1, 16, 16)
    >>> blocky = truth.clone(); blocky[..., :8, :] = 0.1     # two flat blocks, one step between them
    >>> round(float(psnrb(blocky, truth)), 4)   # MSE 0.005; BEF = log2(8)/log2(16) · 16·0.01/32 = 0.00375
    20.5799
    """
    if restored.shape != truth.shape:
        raise ValueError(f"psnrb needs equal shapes, got {tuple(restored.shape)} and {tuple(truth.shape)}")
    a = prepare_for_metric(restored, y_channel=y_channel)
    b = prepare_for_metric(truth, y_channel=y_channel)
    mse = ((a - b) ** 2).flatten(2).mean(2)  # (B, C)
    return (10 * torch.log10(1.0 / (mse + blocking_effect_factor(a, block)).clamp(min=1e-20))).mean(1)
