"""Entry checks for the tensor core: every op takes float (B, C, H, W) tensors.

Checking shape on entry (as kornia does) turns a deep, unreadable failure inside a
network into a message that names the argument and what was expected.
"""

from __future__ import annotations

import torch

from darkroom.errors import ContractError


def check_image_batch(x: torch.Tensor, name: str = "image", *, channels: tuple[int, ...] | None = None) -> None:
    """Raise ``ContractError`` unless ``x`` is a floating (B, C, H, W) tensor.

    >>> check_image_batch(torch.zeros(1, 3, 8, 8))
    >>> check_image_batch(torch.zeros(3, 8, 8))
    Traceback (most recent call last):
    ...
    darkroom.errors.ContractError: image must be a (B, C, H, W) tensor, got shape (3, 8, 8)
    """
    if not isinstance(x, torch.Tensor):
        raise ContractError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if x.ndim != 4:
        raise ContractError(f"{name} must be a (B, C, H, W) tensor, got shape {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ContractError(f"{name} must be a floating tensor, got {x.dtype}")
    if channels is not None and x.shape[1] not in channels:
        raise ContractError(f"{name} must have {' or '.join(map(str, channels))} channels, got {x.shape[1]}")
