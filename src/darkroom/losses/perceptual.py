"""Perceptual losses on a feature network's activations: content (feature distance) and
style (Gram-matrix distance), from Gatys, Ecker & Bethge, "Image Style Transfer Using
Convolutional Neural Networks" (CVPR 2016), as Johnson, Alahi & Fei-Fei train fast style
networks with them ("Perceptual Losses for Real-Time Style Transfer and Super-Resolution",
ECCV 2016).

>>> import torch
>>> f = torch.rand(2, 4, 5, 5)
>>> tuple(gram_matrix(f).shape), float(style_loss(f, gram_matrix(f)))
((2, 4, 4), 0.0)
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def gram_matrix(features: Tensor) -> Tensor:
    """(B, C, H, W) → (B, C, C) channel correlations, normalised by C·H·W."""
    b, c, h, w = features.shape
    f = features.reshape(b, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)


def content_loss(features: Tensor, target: Tensor) -> Tensor:
    return F.mse_loss(features, target)


def style_loss(features: Tensor, target_gram: Tensor) -> Tensor:
    return F.mse_loss(gram_matrix(features), target_gram)
