"""Blind denoising after CBDNet: "Toward Convolutional Blind Denoising of Real Photographs"
(Guo, Yan, Zhang, Zuo, Zhang; CVPR 2019).

A noise-estimation subnet (five 3×3 convolutions of 32 channels with ReLU, no pooling,
no batch normalisation) predicts a per-pixel noise level map σ̂(y); a non-blind,
noise-level-conditioned denoiser then removes noise given that map. CBDNet pairs the
estimator with a U-Net; here the non-blind part is darkroom's FFDNet-style default, so
the blind model is exactly "the default, told σ̂". Interactive correction is the
paper's: scale the estimated map by γ before denoising (γ > 1 removes more).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.ffdnet import FFDNet


class NoiseEstimator(nn.Module):
    def __init__(self, *, channels: int = 1, features: int = 32, depth: int = 5):
        super().__init__()
        layers: list[nn.Module] = []
        inputs = channels
        for _ in range(depth - 1):
            layers += [nn.Conv2d(inputs, features, 3, padding=1), nn.ReLU(inplace=True)]
            inputs = features
        layers.append(nn.Conv2d(inputs, 1, 3, padding=1))
        self.body = nn.Sequential(*layers)
        self.receptive_radius = depth

    def forward(self, noisy: Tensor) -> Tensor:
        """(B, 1, H, W) noise level on the σ/255 scale; softplus keeps it positive without dead units."""
        return F.softplus(self.body(noisy))


class BlindDenoiser(nn.Module):
    """``NoiseEstimator`` → σ̂ map (times γ) → ``FFDNet(noisy, σ̂)``."""

    def __init__(self, *, channels: int = 1, depth: int = 15, features: int = 64, estimator_features: int = 32,
                 estimator_depth: int = 5):
        super().__init__()
        self.estimator = NoiseEstimator(channels=channels, features=estimator_features, depth=estimator_depth)
        self.denoiser = FFDNet(channels=channels, depth=depth, features=features)
        self.size_multiple = 2
        self.receptive_radius = self.estimator.receptive_radius + self.denoiser.receptive_radius

    def forward(self, noisy: Tensor, strength: Tensor | float = 1.0) -> Tensor:
        sigma = self.estimator(noisy) * torch.as_tensor(strength, dtype=noisy.dtype, device=noisy.device)
        return self.denoiser(noisy, sigma)
