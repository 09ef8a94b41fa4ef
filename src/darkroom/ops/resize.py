"""MATLAB-compatible ``imresize`` on tensors.

Super-resolution papers make their low-resolution inputs with MATLAB's
``imresize(img, 1/s, 'bicubic')``, and PyTorch's ``interpolate`` does not reproduce
it: MATLAB widens the kernel when shrinking (antialiasing), mirrors the border
(symmetric padding) and sizes the output as ``ceil(in * scale)``. This module
implements that algorithm (Keys cubic with a = −0.5, plus the triangle, box and
Lanczos kernels MATLAB offers) by hand because no maintained Python library matches
MATLAB to the last digit. It is separable: one gather-and-weight pass per axis.
"""

from __future__ import annotations

import math

import torch

from darkroom.ops.shape import check_image_batch


def _cubic(x: torch.Tensor) -> torch.Tensor:
    a = -0.5
    ax = x.abs()
    ax2, ax3 = ax**2, ax**3
    near = (a + 2) * ax3 - (a + 3) * ax2 + 1
    far = a * ax3 - 5 * a * ax2 + 8 * a * ax - 4 * a
    return torch.where(ax <= 1, near, torch.where(ax < 2, far, torch.zeros_like(ax)))


def _triangle(x: torch.Tensor) -> torch.Tensor:
    return (1 - x.abs()).clamp(min=0)


def _box(x: torch.Tensor) -> torch.Tensor:
    return ((x >= -0.5) & (x < 0.5)).to(x.dtype)


def _lanczos(n: int):
    def kernel(x: torch.Tensor) -> torch.Tensor:
        out = torch.sinc(x) * torch.sinc(x / n)
        return torch.where(x.abs() < n, out, torch.zeros_like(out))

    return kernel


KERNELS = {
    "bicubic": (_cubic, 4.0),
    "bilinear": (_triangle, 2.0),
    "nearest": (_box, 1.0),
    "lanczos2": (_lanczos(2), 4.0),
    "lanczos3": (_lanczos(3), 6.0),
}


def _contributions(in_len: int, out_len: int, scale: float, method: str, antialias: bool):
    """Indices (out_len, P) into the input and their weights, as MATLAB computes them."""
    kernel, width = KERNELS[method]
    shrinking = scale < 1 and antialias
    if shrinking:
        width = width / scale
    x = torch.arange(1, out_len + 1, dtype=torch.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)  # output pixel centre in input coordinates (1-based)
    left = torch.floor(u - width / 2)
    taps = int(math.ceil(width)) + 2
    idx = left[:, None] + torch.arange(taps, dtype=torch.float64)[None, :]
    dist = u[:, None] - idx
    weights = scale * kernel(scale * dist) if shrinking else kernel(dist)
    weights = weights / weights.sum(1, keepdim=True)
    # Symmetric (mirror) border, as MATLAB's padarray 'symmetric'.
    mirror = torch.cat([torch.arange(in_len), torch.arange(in_len - 1, -1, -1)])
    idx = mirror[((idx - 1).long()) % (2 * in_len)]
    keep = weights.abs().sum(0) > 0
    return idx[:, keep], weights[:, keep]


def _resize_axis(x: torch.Tensor, axis: int, out_len: int, scale: float, method: str, antialias: bool) -> torch.Tensor:
    idx, w = _contributions(x.shape[axis], out_len, scale, method, antialias)
    idx = idx.to(x.device)
    w = w.to(device=x.device, dtype=x.dtype if x.dtype == torch.float64 else torch.float32)
    if axis == 2:
        gathered = x[:, :, idx, :]  # B, C, out, P, W
        return torch.einsum("bcopw,op->bcow", gathered.to(w.dtype), w)
    gathered = x[:, :, :, idx]  # B, C, H, out, P
    return torch.einsum("bchop,op->bcho", gathered.to(w.dtype), w)


def output_size(in_size: tuple[int, int], scale: float) -> tuple[int, int]:
    """MATLAB's rule: each side becomes ``ceil(side * scale)``.

    >>> output_size((321, 481), 1 / 3)
    (107, 161)
    """
    return tuple(int(math.ceil(s * scale - 1e-9)) for s in in_size)


def resize_longest(x: torch.Tensor, side: int, *, min_side: int = 1) -> torch.Tensor:
    """MATLAB-bicubic resize of a (B, C, H, W) batch so that its longer side is ``side``; no axis below ``min_side``.

    >>> resize_longest(torch.rand(1, 3, 30, 60), 20).shape
    torch.Size([1, 3, 10, 20])
    """
    h, w = x.shape[-2:]
    k = side / max(h, w)
    return imresize(x, size=(max(min_side, round(h * k)), max(min_side, round(w * k))))


def imresize(
    x: torch.Tensor,
    scale: float | None = None,
    *,
    size: tuple[int, int] | None = None,
    method: str = "bicubic",
    antialias: bool = True,
) -> torch.Tensor:
    """Resize a (B, C, H, W) float tensor exactly as MATLAB's ``imresize`` does.

    Give either ``scale`` (the same for both axes) or ``size`` = (H, W). The result is
    not clipped: bicubic overshoots, and callers that need pixels quantize themselves.

    >>> x = torch.rand(1, 1, 12, 12)
    >>> imresize(x, 1 / 4).shape
    torch.Size([1, 1, 3, 3])
    >>> torch.allclose(imresize(torch.ones(1, 3, 5, 7), 3), torch.ones(1, 3, 15, 21))
    True
    """
    check_image_batch(x, "image")
    if method not in KERNELS:
        raise ValueError(f"unknown resize method {method!r}; choose from {', '.join(KERNELS)}")
    h, w = x.shape[-2:]
    if size is None:
        if scale is None or scale <= 0:
            raise ValueError("imresize needs a positive scale or an output size")
        size = output_size((h, w), scale)
        scales = (scale, scale)
    else:
        scales = (size[0] / h, size[1] / w)
    dtype = x.dtype
    work = x.double() if dtype == torch.float64 else x.float()
    # MATLAB resizes the axis with the smaller scale first; the order changes rounding only.
    order = sorted([(scales[0], 2, size[0]), (scales[1], 3, size[1])])
    for s, axis, n in order:
        work = _resize_axis(work, axis, n, s, method, antialias)
    return work.to(dtype)
