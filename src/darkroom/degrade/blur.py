"""Blur: convolution with a point-spread function. Kernels are isotropic/anisotropic
Gaussians, random camera-shake trajectories in the spirit of Boracchi & Foi ("Modeling
the performance of image restoration from motion blur", IEEE TIP 2012), or measured
kernels such as those of Levin et al. (CVPR 2009), read by ``darkroom.io.read_kernels``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from darkroom.ops.shape import check_image_batch


def gaussian_kernel(size: int, sigma: float, *, sigma_y: float | None = None, angle: float = 0.0) -> torch.Tensor:
    """A normalized (size, size) Gaussian kernel, anisotropic when ``sigma_y`` is given."""
    sy = sigma if sigma_y is None else sigma_y
    r = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * xx + s * yy, -s * xx + c * yy
    k = torch.exp(-(u**2) / (2 * sigma**2) - (v**2) / (2 * sy**2))
    return (k / k.sum()).float()


def motion_kernel(size: int, generator: torch.Generator, *, steps: int = 64, jitter: float = 0.6) -> torch.Tensor:
    """A random camera-shake kernel: a smooth random walk splatted onto a (size, size) grid."""
    angle = torch.rand((), generator=generator).item() * 2 * math.pi
    velocity = torch.tensor([math.cos(angle), math.sin(angle)], dtype=torch.float64)
    pos = torch.zeros(2, dtype=torch.float64)
    points = [pos.clone()]
    for _ in range(steps - 1):
        velocity = velocity + jitter * torch.randn(2, generator=generator, dtype=torch.float64) / math.sqrt(steps)
        velocity = velocity / velocity.norm().clamp(min=1e-6)
        pos = pos + velocity * (size / steps)
        points.append(pos.clone())
    track = torch.stack(points)
    track = track - (track.max(0).values + track.min(0).values) / 2  # centre the trajectory
    extent = track.abs().max().clamp(min=1e-6)
    track = track * min(1.0, (size - 3) / 2 / float(extent)) + (size - 1) / 2
    k = torch.zeros(size, size, dtype=torch.float64)
    for x, y in track.tolist():  # bilinear splat of each point
        x0, y0 = int(math.floor(x)), int(math.floor(y))
        fx, fy = x - x0, y - y0
        for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
            if 0 <= x0 + dx < size and 0 <= y0 + dy < size:
                k[y0 + dy, x0 + dx] += w
    return (k / k.sum()).float()


def blur(x: torch.Tensor, kernel: torch.Tensor, *, padding: str = "reflect") -> torch.Tensor:
    """Convolve every channel with ``kernel`` (kh, kw), keeping the size (reflect border)."""
    check_image_batch(x)
    k = torch.as_tensor(kernel, dtype=x.dtype, device=x.device)
    kh, kw = k.shape
    c = x.shape[1]
    pads = (kw // 2, kw - 1 - kw // 2, kh // 2, kh - 1 - kh // 2)
    mode = padding if min(x.shape[-2:]) > max(kh, kw) else "replicate"
    xp = F.pad(x, pads, mode=mode)
    # conv2d is correlation; flip to get a true convolution with the PSF.
    weight = k.flip(0, 1).expand(c, 1, kh, kw)
    return F.conv2d(xp, weight, groups=c)


@dataclass(frozen=True)
class Blur:
    """Blur by a fixed kernel, by one drawn from a bank, or (``kernel=None``) by a random motion kernel."""

    kernel: torch.Tensor | tuple | None = None
    motion_size: int = 21

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        k = self.kernel
        if k is None:
            k = motion_kernel(self.motion_size, generator)
        elif isinstance(k, (tuple, list)):
            k = k[int(torch.randint(len(k), (1,), generator=generator))]
        return blur(x, torch.as_tensor(k))
