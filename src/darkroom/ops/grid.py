"""Contact sheets: many images tiled into one, for figures and previews."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from darkroom.ops.shape import check_image_batch


def image_grid(images: Tensor, columns: int | None = None, *, padding: int = 2, fill: float = 1.0) -> Tensor:
    """Tile a (N, C, H, W) batch row by row into one (C, H', W') image, ``padding`` px apart.

    >>> image_grid(torch.zeros(6, 1, 4, 4), columns=3).shape
    torch.Size([1, 14, 20])
    """
    check_image_batch(images)
    n, c, h, w = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    grid = torch.full((c, padding + rows * (h + padding), padding + columns * (w + padding)), fill, dtype=images.dtype)
    for i in range(n):
        top, left = padding + (i // columns) * (h + padding), padding + (i % columns) * (w + padding)
        grid[:, top : top + h, left : left + w] = images[i]
    return grid
