"""The device and precision policy, one for inference and training: where a network runs and
which dtype it computes in.

``auto`` (the default) runs bf16 autocast only where the device computes bf16 natively (a CPU
with avx512_bf16 or AMX, or a CUDA GPU that supports it) and the model's card says bf16 keeps
its scores (``ModelSpec.bf16``); fp32 everywhere else. Machines differ: on one CPU with
avx512_bf16 a bf16 training step took 0.54× the fp32 time, on this project's AVX2 machine
16.8× *more* (``benchmarks/bf16_vs_fp32.py`` measures both on the machine it runs on), so the
choice is made from what the machine can do, never from a number measured elsewhere.
``fp16`` runs on CUDA only.

>>> resolve_precision("fp32", torch.device("cpu"), bf16_keeps_scores=True)
'fp32'
"""

from __future__ import annotations

import contextlib
from functools import lru_cache

import torch

from darkroom.errors import DarkroomError

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


def resolve_device(device: str | torch.device | None = None) -> torch.device:
    """The device named (checked: a one-line error where this machine lacks it), else CUDA
    when present, else the CPU."""
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise DarkroomError(f"unknown device {device!r}; use cpu or cuda") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise DarkroomError("device cuda: this machine has no CUDA GPU, or this PyTorch was built without CUDA; use cpu")
    if dev.type not in ("cpu", "cuda"):
        raise DarkroomError(f"unsupported device {device!r}; use cpu or cuda")
    return dev


@lru_cache(maxsize=None)
def native_bf16(device_type: str) -> bool:
    """Whether ``device_type`` (cpu, cuda) computes bf16 in hardware rather than emulating it."""
    if device_type == "cuda":
        return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    if device_type == "cpu":
        caps = torch.cpu.get_capabilities() if hasattr(torch.cpu, "get_capabilities") else {}
        return bool(caps.get("avx512_bf16") or caps.get("amx_bf16"))
    return False


def resolve_precision(precision: str, device: torch.device, *, bf16_keeps_scores: bool) -> str:
    """``precision`` made concrete for ``device`` (fp32, bf16 or fp16), or a one-line error."""
    if precision not in PRECISIONS:
        raise DarkroomError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision == "auto":
        return "bf16" if bf16_keeps_scores and native_bf16(device.type) else "fp32"
    if precision == "fp16" and device.type != "cuda":
        raise DarkroomError("fp16 runs on CUDA only; use --precision bf16 or fp32 on the CPU")
    return precision


def autocast(device: torch.device, precision: str):
    """The autocast context of a concrete precision (``resolve_precision``'s answer)."""
    if precision == "fp32":
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=torch.bfloat16 if precision == "bf16" else torch.float16)
