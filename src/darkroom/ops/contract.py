"""The array contract at the edge of the tensor core.

Public verbs accept NumPy arrays (H×W or H×W×C; uint8, uint16 or float) and torch
tensors (C×H×W or B×C×H×W, float), and return the kind, layout and dtype they were
given. Inside, everything is a float32 (B, C, H, W) tensor with values nominally in
[0, 1]. Float input is never clipped on the way in: noisy images legitimately go
outside [0, 1]. Integer output is rounded and clipped; float output is returned as
computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from darkroom.errors import ContractError

_INT_MAX = {np.dtype(np.uint8): 255.0, np.dtype(np.uint16): 65535.0}


def check_finite(x: torch.Tensor, name: str = "image") -> None:
    """Refuse NaN and ±Inf: one such pixel spreads through every convolution that sees it,
    so a result would be mostly NaN or black. The policy is to refuse, never to guess a
    repair: the message gives the count and the first position, so the caller can mend them
    (``numpy.nan_to_num``) knowing what the values mean.

    >>> check_finite(torch.tensor([[[[0.0, float("nan")]]]]))
    Traceback (most recent call last):
    ...
    darkroom.errors.ContractError: image has 1 non-finite value (NaN or ±Inf), the first at row 0, column 1; replace them first (e.g. numpy.nan_to_num)
    """
    if bool(torch.isfinite(x.sum())):  # one pass, no mask: a NaN or ±Inf anywhere makes the sum non-finite
        return
    bad = ~torch.isfinite(x)  # the sum may also overflow on huge finite values: count for certain
    count = int(bad.sum())
    if count:
        where = torch.nonzero(bad)[0].tolist()
        row, col = where[-2:] if len(where) >= 2 else (0, where[-1] if where else 0)
        raise ContractError(f"{name} has {count} non-finite value{'s' if count > 1 else ''} (NaN or ±Inf), the first at "
                            f"row {row}, column {col}; replace them first (e.g. numpy.nan_to_num)")


@dataclass(frozen=True)
class ArrayKind:
    """How an image arrived, so that the result can leave the same way."""

    is_numpy: bool
    layout: str  # "HW", "HWC", "CHW" or "BCHW"
    dtype: object  # numpy dtype or torch dtype
    device: torch.device


def to_batch(image, name: str = "image") -> tuple[torch.Tensor, ArrayKind]:
    """Convert a contract-conforming image to a float32 (B, C, H, W) tensor.

    >>> x, kind = to_batch(np.full((4, 5, 3), 255, np.uint8))
    >>> tuple(x.shape), float(x.max()), kind.layout
    ((1, 3, 4, 5), 1.0, 'HWC')
    """
    if isinstance(image, np.ndarray):
        if image.dtype.byteorder == ">" or (image.dtype.byteorder == "=" and not image.dtype.isnative):
            image = image.astype(image.dtype.newbyteorder("="))  # big-endian (from a file or a FITS reader): same values
        dtype = image.dtype
        if dtype in _INT_MAX:
            scale = _INT_MAX[dtype]
        elif np.issubdtype(dtype, np.floating):
            scale = 1.0
        else:
            raise ContractError(f"{name} has dtype {dtype}; expected uint8, uint16 or float")
        if image.ndim == 2:
            layout, chw = "HW", image[None]
        elif image.ndim == 3 and image.shape[2] in (1, 2, 3, 4):
            layout, chw = "HWC", image.transpose(2, 0, 1)
        else:
            raise ContractError(f"{name} must be H×W or H×W×C with C in 1..4, got shape {image.shape}")
        if min(chw.shape[1:]) == 0:
            raise ContractError(f"{name} is empty (shape {image.shape})")
        t = torch.from_numpy(np.ascontiguousarray(chw).astype(np.float32))
        if scale != 1.0:
            t = t.div_(scale)  # integers: always finite
        else:
            check_finite(t, name)
        return t[None], ArrayKind(True, layout, dtype, torch.device("cpu"))
    if isinstance(image, torch.Tensor):
        if image.device.type == "meta":
            raise ContractError(f"{name} is on the meta device and holds no data")
        if not image.is_floating_point():
            raise ContractError(f"{name} tensor must be float, got {image.dtype}; divide integer images by their maximum")
        if image.ndim == 3:
            layout, batch = "CHW", image[None]
        elif image.ndim == 4:
            layout, batch = "BCHW", image
        else:
            raise ContractError(f"{name} tensor must be C×H×W or B×C×H×W, got shape {tuple(image.shape)}")
        if batch.shape[1] not in (1, 2, 3, 4):
            raise ContractError(f"{name} tensor must have 1 to 4 channels, got {batch.shape[1]}")
        if min(batch.shape[2:]) == 0:
            raise ContractError(f"{name} is empty (shape {tuple(image.shape)})")
        check_finite(batch, name)
        return batch.float(), ArrayKind(False, layout, image.dtype, image.device)
    raise ContractError(f"{name} must be a NumPy array or a torch tensor, got {type(image).__name__}")


def to_rgb_batch(image, name: str = "image") -> torch.Tensor:
    """:func:`to_batch`, then exactly three channels: alpha dropped, gray (or gray + alpha) repeated.

    >>> to_rgb_batch(np.zeros((4, 5, 2), np.uint8)).shape
    torch.Size([1, 3, 4, 5])
    """
    x, _ = to_batch(image, name)
    return x[:, :3] if x.shape[1] >= 3 else x[:, :1].expand(-1, 3, -1, -1)


def channel_count(image) -> int:
    """Channels of a contract-conforming image, read from its shape without converting it."""
    if isinstance(image, np.ndarray) and image.ndim in (2, 3):
        return 1 if image.ndim == 2 else int(image.shape[2])
    if isinstance(image, torch.Tensor) and image.ndim in (3, 4):
        return int(image.shape[-3])
    return to_batch(image)[0].shape[1]  # raises the contract's own error


def from_batch(x: torch.Tensor, kind: ArrayKind):
    """Return ``x`` (B, C, H, W) in the kind, layout and dtype described by ``kind``."""
    if not kind.is_numpy:
        out = x.to(device=kind.device, dtype=kind.dtype)
        return out[0] if kind.layout == "CHW" else out
    arr = x[0].detach().float().cpu().numpy()
    if kind.dtype in _INT_MAX:
        top = _INT_MAX[kind.dtype]
        arr = np.clip(np.rint(arr * top), 0, top).astype(kind.dtype)
    else:
        arr = arr.astype(kind.dtype, copy=False)
    return arr[0] if kind.layout == "HW" else arr.transpose(1, 2, 0).copy()


def quantize(x: torch.Tensor, levels: int = 255) -> torch.Tensor:
    """Round to the nearest of ``levels + 1`` steps in [0, 1], as saving to an integer file does."""
    return torch.round(x.clamp(0, 1) * levels) / levels
