"""Inpainting masks: free-form brush strokes (as in Yu et al., "Free-Form Image
Inpainting with Gated Convolution", ICCV 2019, and the irregular masks of Liu et al.'s
partial convolutions, ECCV 2018) and random boxes. Masks are (B, 1, H, W) floats with
1 marking a hole."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from darkroom.ops.color import rgb_to_gray
from darkroom.ops.shape import check_image_batch


def _segment_distance(yy, xx, p0, p1):
    d = p1 - p0
    length2 = float((d**2).sum()) or 1e-9
    t = (((yy - p0[0]) * d[0] + (xx - p0[1]) * d[1]) / length2).clamp(0, 1)
    return ((yy - (p0[0] + t * d[0])) ** 2 + (xx - (p0[1] + t * d[1])) ** 2).sqrt()


def free_form_mask(
    height: int, width: int, generator: torch.Generator, *, strokes: int = 4, vertices: int = 8, max_width: float = 0.08
) -> torch.Tensor:
    """Random thick polyline strokes, shape (1, 1, H, W)."""
    yy = torch.arange(height, dtype=torch.float32)[:, None]
    xx = torch.arange(width, dtype=torch.float32)[None, :]
    mask = torch.zeros(height, width, dtype=torch.bool)
    size = min(height, width)
    for _ in range(strokes):
        p = torch.rand(2, generator=generator) * torch.tensor([height, width])
        radius = (0.3 + 0.7 * torch.rand((), generator=generator).item()) * max_width * size / 2 + 1
        for _ in range(vertices):
            angle = torch.rand((), generator=generator).item() * 2 * math.pi
            step = (0.05 + 0.15 * torch.rand((), generator=generator).item()) * size
            q = p + step * torch.tensor([math.sin(angle), math.cos(angle)])
            q = torch.stack([q[0].clamp(0, height - 1), q[1].clamp(0, width - 1)])
            mask |= _segment_distance(yy, xx, p, q) <= radius
            p = q
    return mask.float()[None, None]


def box_mask(height: int, width: int, generator: torch.Generator, *, boxes: int = 1, max_fraction: float = 0.4) -> torch.Tensor:
    """Random axis-aligned rectangles, shape (1, 1, H, W)."""
    mask = torch.zeros(height, width)
    for _ in range(boxes):
        bh = max(1, int(height * max_fraction * (0.3 + 0.7 * torch.rand((), generator=generator).item())))
        bw = max(1, int(width * max_fraction * (0.3 + 0.7 * torch.rand((), generator=generator).item())))
        top = int(torch.randint(0, height - bh + 1, (1,), generator=generator))
        left = int(torch.randint(0, width - bw + 1, (1,), generator=generator))
        mask[top : top + bh, left : left + bw] = 1
    return mask[None, None]


def apply_mask(x: torch.Tensor, mask: torch.Tensor, fill: float = 0.0) -> torch.Tensor:
    """Blank the holes (mask == 1) with ``fill``."""
    check_image_batch(x)
    return x * (1 - mask) + fill * mask


@dataclass(frozen=True)
class Mask:
    """Blank free-form (``kind='free'``) or box (``kind='box'``) holes, one mask per image."""

    kind: str = "free"

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        b, _, h, w = x.shape
        make = free_form_mask if self.kind == "free" else box_mask
        masks = torch.cat([make(h, w, generator) for _ in range(b)]).to(x.device, x.dtype)
        return apply_mask(x, masks)


@dataclass(frozen=True)
class Grayscale:
    """Drop color (BT.601 luma); keeps 3 channels when ``keep_channels`` for color-only nets."""

    keep_channels: bool = False

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        if x.shape[1] == 1:
            return x
        g = rgb_to_gray(x)
        return g.expand(-1, 3, -1, -1).contiguous() if self.keep_channels else g
