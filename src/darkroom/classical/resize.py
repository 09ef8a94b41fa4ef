"""Interpolation baselines for super-resolution (nearest, bilinear, MATLAB bicubic,
Lanczos-3), as modules so they run behind the same call as the networks."""

from __future__ import annotations

from torch import Tensor, nn

from darkroom.ops.resize import imresize


class Interpolate(nn.Module):
    """Upscale by ``scale`` with one of ``darkroom.ops.resize.KERNELS``."""

    def __init__(self, *, scale: int, method: str = "bicubic"):
        super().__init__()
        self.scale = scale
        self.method = method

    def forward(self, x: Tensor) -> Tensor:
        return imresize(x, self.scale, method=self.method)
