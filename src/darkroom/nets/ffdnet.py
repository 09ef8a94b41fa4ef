"""A noise-level-conditioned denoiser in the style of FFDNet: "FFDNet: Toward a Fast and
Flexible Solution for CNN-Based Image Denoising" (Zhang, Zuo, Zhang; IEEE TIP 2018).

The noisy image is pixel-unshuffled into four half-resolution sub-images, a noise-level
map σ (on the [0, 1] scale, i.e. σ/255) is concatenated as one more channel, a plain
Conv+BN+ReLU stack runs at half resolution (4× fewer operations than DnCNN per layer),
and pixel shuffle restores full resolution. Unlike the paper, the body predicts the
residual noise (as DnCNN does), which trains faster from scratch. A spatially varying
σ map gives spatially varying strength.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class FFDNet(nn.Module):
    def __init__(self, *, channels: int = 1, depth: int = 15, features: int = 64):
        super().__init__()
        sub = 4 * channels
        layers: list[nn.Module] = [nn.Conv2d(sub + 1, features, 3, padding=1), nn.ReLU(inplace=True)]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(features, features, 3, padding=1, bias=False), nn.BatchNorm2d(features), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(features, sub, 3, padding=1))
        self.body = nn.Sequential(*layers)
        self.receptive_radius = 2 * depth + 1

    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        """``noisy`` (B, C, H, W) with even H, W; ``sigma_map`` (B, 1, H, W) or (B, 1, 1, 1), σ/255."""
        h, w = noisy.shape[-2:]
        if h % 2 or w % 2:
            raise ValueError(f"FFDNet needs even height and width, got {h}×{w}; the engine pads for you")
        sub = F.pixel_unshuffle(noisy, 2)
        sigma_small = F.interpolate(sigma_map, size=sub.shape[-2:], mode="area") if sigma_map.shape[-1] > 1 else sigma_map.expand(-1, 1, *sub.shape[-2:])
        residual = self.body(torch.cat([sub, sigma_small.to(sub.dtype)], 1))
        return noisy - F.pixel_shuffle(residual, 2)
