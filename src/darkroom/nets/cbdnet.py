"""Blind denoising after CBDNet: "Toward Convolutional Blind Denoising of Real Photographs"
(Guo, Yan, Zhang, Zuo, Zhang; CVPR 2019).

A noise-estimation subnet (five 3×3 convolutions of 32 channels with ReLU, no pooling,
no batch normalisation) predicts a per-pixel noise level map σ̂(y); a non-blind,
noise-level-conditioned denoiser then removes noise given that map. CBDNet pairs the
estimator with a U-Net; here the non-blind part is darkroom's FFDNet-style default, so
the blind model is exactly "the default, told σ̂". Interactive correction is the
paper's: scale the estimated map by γ before denoising (γ > 1 removes more).

One change from the paper: the estimated map is averaged over a (2r+1)² window
(``smoothing`` = r) before the denoiser sees it. Five 3×3 layers see only 11×11 pixels
and mistake texture for noise there; a photo's noise level varies slowly, and averaging
was measured to recover part of the loss (12 BSD200 crops, AWGN σ = 25: 27.72 dB with
the per-pixel map, 27.92 with r = 15, 28.40 told the true σ;
``benchmarks/denoise_unseen_crops.py``).
CBDNet's total-variation loss asks for smoothness in training; the window enforces it.
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


def smooth_noise_map(sigma: Tensor, radius: int) -> Tensor:
    """Mean of ``sigma`` (B, 1, H, W) over a (2·radius+1)² window; borders average only what exists."""
    if radius == 0:
        return sigma
    ones = torch.ones_like(sigma)
    k = 2 * radius + 1
    total = F.avg_pool2d(F.pad(sigma, (radius,) * 4), k, 1)
    count = F.avg_pool2d(F.pad(ones, (radius,) * 4), k, 1)
    return total / count


class BlindDenoiser(nn.Module):
    """``NoiseEstimator`` → σ̂ map, window-averaged (times γ) → ``FFDNet(noisy, σ̂)``."""

    def __init__(self, *, channels: int = 1, depth: int = 15, features: int = 64, estimator_features: int = 32,
                 estimator_depth: int = 5, smoothing: int = 0):
        super().__init__()
        self.estimator = NoiseEstimator(channels=channels, features=estimator_features, depth=estimator_depth)
        self.denoiser = FFDNet(channels=channels, depth=depth, features=features)
        self.smoothing = smoothing
        self.size_multiple = 2
        self.receptive_radius = self.estimator.receptive_radius + smoothing + self.denoiser.receptive_radius

    def noise_map(self, noisy: Tensor) -> Tensor:
        """The σ̂ map (σ/255) the denoiser is told at strength 1."""
        return smooth_noise_map(self.estimator(noisy), self.smoothing)

    def forward(self, noisy: Tensor, strength: Tensor | float = 1.0) -> Tensor:
        sigma = self.noise_map(noisy) * torch.as_tensor(strength, dtype=noisy.dtype, device=noisy.device)
        return self.denoiser(noisy, sigma)
