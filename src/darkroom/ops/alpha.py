"""Alpha handling for restoration and resizing.

Pixels under full transparency often hold black (or garbage) color. Any filter that
mixes neighbours (a resize kernel, a convolutional network) then drags that color
into the visible edge: the familiar dark fringe. Before color is processed, the
color of transparent pixels is replaced by a push–pull fill of the nearby visible
colors (a pyramid of alpha-weighted averages), so mixing across the edge only ever
mixes visible colors. Alpha itself is processed separately.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from darkroom.ops.shape import check_image_batch


def split_alpha(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(B, 2|4, H, W) → color (B, 1|3, H, W) and alpha (B, 1, H, W); otherwise alpha is None."""
    check_image_batch(x)
    if x.shape[1] in (2, 4):
        return x[:, :-1], x[:, -1:]
    return x, None


def bleed_transparent(color: torch.Tensor, alpha: torch.Tensor, threshold: float = 1e-3) -> torch.Tensor:
    """Fill the color under (nearly) transparent pixels from visible neighbours; visible pixels are unchanged.

    >>> c = torch.zeros(1, 3, 4, 4); c[..., :2] = 1.0
    >>> a = torch.zeros(1, 1, 4, 4); a[..., :2] = 1.0
    >>> float(bleed_transparent(c, a).min())
    1.0
    """
    weight = (alpha > threshold).to(color.dtype)
    levels = [(color * weight, weight)]
    while min(levels[-1][1].shape[-2:]) > 1:
        c, w = levels[-1]
        levels.append((F.avg_pool2d(c, 2, ceil_mode=True), F.avg_pool2d(w, 2, ceil_mode=True)))
    fill_c, fill_w = levels[-1]
    filled = fill_c / fill_w.clamp(min=1e-8)
    for c, w in reversed(levels[:-1]):
        up = F.interpolate(filled, size=c.shape[-2:], mode="bilinear", align_corners=False)
        known = w > 1e-8
        filled = torch.where(known, c / w.clamp(min=1e-8), up)
    return torch.where(weight > 0, color, filled)
