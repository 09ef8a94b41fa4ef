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


@dataclass(frozen=True)
class BicubicRoundTrip:
    """Shrink by a scale drawn from ``scales``, quantize to 8 bits, enlarge back (MATLAB bicubic).

    The input of a pre-upsampling network (SRCNN, VDSR): training on a mix of scales
    is what lets one set of weights serve ×2, ×3 and ×4 (Kim et al., VDSR, CVPR 2016).
    The patch side must be a multiple of every scale so the output keeps its size.
    """

    scales: tuple[int, ...] = (2, 3, 4)

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        scale = self.scales[int(torch.randint(len(self.scales), (1,), generator=generator))]
        if x.shape[-1] % scale or x.shape[-2] % scale:
            raise ValueError(f"patch {tuple(x.shape[-2:])} is not a multiple of scale {scale}")
        low = torch.round(bicubic_downsample(x, scale).clamp(0, 1) * 255) / 255
        return imresize(low, scale)
