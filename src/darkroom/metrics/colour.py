"""Colour metrics as pure functions on (B, 3, H, W) sRGB batches on [0, 1]:

- ``colourfulness``: Hasler & Süsstrunk, "Measuring colourfulness in natural images" (SPIE 2003):
  σ_rgyb + 0.3·μ_rgyb of the opponent channels rg = R − G and yb = (R + G)/2 − B, on 0–255.
- ``ab_error_auc``: Zhang, Isola & Efros's colorization score (ECCV 2016, Table 1): the share of
  pixels whose ab (CIE Lab) lies within a threshold t of the truth's, as a curve over t from 0 to
  150, and the area under it as a percentage. With per-pixel ``weights`` (the inverse of the
  prior probability of each pixel's true colour bin) it is the paper's class-rebalanced AuC.

>>> import torch
>>> gray = torch.full((1, 3, 8, 8), 0.5)
>>> float(colourfulness(gray)), round(float(ab_error_auc(gray, gray)), 2)
(0.0, 100.0)
"""

from __future__ import annotations

import torch
from torch import Tensor

from darkroom.ops.color import rgb_to_lab
from darkroom.ops.shape import check_image_batch

AUC_MAX_THRESHOLD = 150


def colourfulness(rgb: Tensor) -> Tensor:
    """(B,) colourfulness of each image."""
    check_image_batch(rgb, "rgb", channels=(3,))
    x = rgb.double() * 255
    rg = x[:, 0] - x[:, 1]
    yb = 0.5 * (x[:, 0] + x[:, 1]) - x[:, 2]
    spread = torch.hypot(rg.flatten(1).std(1, unbiased=False), yb.flatten(1).std(1, unbiased=False))
    centre = torch.hypot(rg.flatten(1).mean(1), yb.flatten(1).mean(1))
    return (spread + 0.3 * centre).float()


def ab_error_auc(pred: Tensor, truth: Tensor, weights: Tensor | None = None, max_threshold: int = AUC_MAX_THRESHOLD) -> Tensor:
    """(B,) area (in %) under the cumulative curve of per-pixel ab errors, thresholds 0, 1, …, 150.

    A pixel whose error e lies in (k − 1, k] counts from threshold k on; the curve is the
    weighted share of pixels counted at each threshold, averaged over the 151 thresholds.
    """
    check_image_batch(pred, "pred", channels=(3,))
    error = (rgb_to_lab(pred.clamp(0, 1))[:, 1:] - rgb_to_lab(truth.clamp(0, 1))[:, 1:]).norm(dim=1).flatten(1)  # (B, N)
    w = torch.ones_like(error) if weights is None else weights.flatten(1).to(error)
    first = error.ceil().clamp(max=max_threshold + 1).long()  # the first threshold that counts the pixel
    counted = torch.zeros(error.shape[0], max_threshold + 2, dtype=w.dtype, device=w.device).scatter_add_(1, first, w)
    curve = counted.cumsum(1)[:, : max_threshold + 1] / w.sum(1, keepdim=True)
    return 100 * curve.mean(1)
