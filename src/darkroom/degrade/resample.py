"""Downsampling as the super-resolution benchmarks do it: MATLAB bicubic ``imresize``
by 1/s (Dong et al. SRCNN 2014 and every paper since)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from darkroom.ops.pad import modcrop
from darkroom.ops.resize import imresize


def bicubic_downsample(x: torch.Tensor, scale: int) -> torch.Tensor:
    """Crop to a multiple of ``scale`` then shrink by it with MATLAB bicubic (antialiased)."""
    if scale not in (2, 3, 4, 8):
        raise ValueError(f"scale must be 2, 3, 4 or 8, got {scale}")
    return imresize(modcrop(x, scale), 1 / scale)


@dataclass(frozen=True)
class Downsample:
    """MATLAB-bicubic downsampling by ``scale`` (the input is mod-cropped first)."""

    scale: int = 4

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return bicubic_downsample(x, self.scale)
