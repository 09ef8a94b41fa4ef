"""Cropping and padding to the size multiples that networks and scale factors need."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from darkroom.ops.shape import check_image_batch


def modcrop(x: torch.Tensor, multiple: int) -> torch.Tensor:
    """Crop the bottom/right so H and W are multiples of ``multiple`` (as SR test sets do).

    >>> modcrop(torch.zeros(1, 3, 10, 11), 4).shape
    torch.Size([1, 3, 8, 8])
    """
    check_image_batch(x)
    h, w = x.shape[-2:]
    return x[..., : h - h % multiple, : w - w % multiple]


def pad_to_multiple(x: torch.Tensor, multiple: int, mode: str = "reflect") -> tuple[torch.Tensor, tuple[int, int]]:
    """Pad bottom/right so H and W are multiples of ``multiple``; return the original (H, W).

    Reflection needs the pad to be smaller than the side; tiny images fall back to
    replicating the edge.

    >>> y, (h, w) = pad_to_multiple(torch.zeros(1, 1, 5, 9), 4)
    >>> tuple(y.shape), (h, w)
    ((1, 1, 8, 12), (5, 9))
    """
    check_image_batch(x)
    h, w = x.shape[-2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph == 0 and pw == 0:
        return x, (h, w)
    if mode == "reflect" and (ph >= h or pw >= w):
        mode = "replicate"
    return F.pad(x, (0, pw, 0, ph), mode=mode), (h, w)


def pad_reflect(x: torch.Tensor, amount: int) -> torch.Tensor:
    """Pad all four sides by ``amount``, reflecting (replicating when the image is too small)."""
    if amount == 0:
        return x
    mode = "reflect" if min(x.shape[-2:]) > amount else "replicate"
    return F.pad(x, (amount,) * 4, mode=mode)
