"""Deblurring: the task record (``DEBLUR``).

The request is a :class:`Kernel`: the point-spread function the image was blurred with, a 2-D
array (normalized to sum 1), or None. Non-blind models are told it: the classical
deconvolutions (Wiener, Richardson–Lucy, unsupervised Wiener; ``darkroom.classical.deconvolve``)
and plug-and-play deconvolution with darkroom's own FFDNet as the prior (``darkroom.nets.pnp``,
after IRCNN and DPIR). Without a kernel the blind default runs: the multi-scale CNN of Nah et al.
(``darkroom.nets.deepdeblur``). A one-channel non-blind model deconvolves a colour image channel
by channel (the same kernel blurs every channel).

Benchmark protocols (docs/protocols.md). The setting is a kernel's number, 1–8, in the
protocol's bank, and the protocol tells non-blind models that kernel:

- ``levin_s2.55`` and ``levin_s7.65``, IRCNN/DPIR's non-blind protocol: each test image blurred
  by Levin et al.'s kernel k (``blur_kernels/Levin09.mat``) with a *circular* boundary (the image
  repeats, as DPIR's test code convolves with ``mode='wrap'``), then AWGN of σ = 2.55 or 7.65
  (0–255), seeded per image, neither clipped nor quantized; PSNR/SSIM on all channels, no crop.
- ``motion``: synthetic colour camera shake: 8 Boracchi–Foi trajectories (``trajectory_kernel``,
  seeds 1–8, 25×25), a reflected boundary (as a photo's), AWGN σ = 2.55, quantized to 8 bits;
  RGB PSNR/SSIM, no crop.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import torch

from darkroom.degrade import Chain, GaussianNoise, Quantize, apply, blur, trajectory_kernel
from darkroom.errors import DarkroomError
from darkroom.tasks.record import ModelCall, Protocol, Task, whole_setting

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

DEFAULT_NONBLIND = {1: "pnp_ffdnet_gray", 3: "pnp_ffdnet_color"}
DEFAULT_BLIND = "deepdeblur"
BANK_SIZE = 8
MOTION_KERNEL_SIZE = 25


@dataclass(frozen=True)
class Kernel:
    """What a deblurrer is asked: the blur's point-spread function, (kh, kw) summing to 1, or
    None (blind); ``periodic`` where the image wraps around (the circular blur of DPIR's
    benchmark protocol), else a photo's border, beyond which the scene is unknown."""

    psf: torch.Tensor | None = None
    periodic: bool = False


def kernel_request(kernel=None) -> Kernel:
    """A user's kernel checked and normalized: a 2-D array of finite, non-negative numbers,
    not all zero, scaled to sum 1.

    >>> kernel_request(np.ones((3, 3))).psf.sum().item()
    1.0
    """
    if kernel is None:
        return Kernel(None)
    try:
        k = torch.as_tensor(np.asarray(kernel, dtype=np.float64))
    except (TypeError, ValueError):
        raise DarkroomError(f"the blur kernel must be a 2-D array of numbers, got {type(kernel).__name__}") from None
    if k.ndim == 3 and k.shape[-1] in (3, 4):
        raise DarkroomError(f"the blur kernel is a colour image ({k.shape[-1]} channels); give a gray kernel "
                            "(one point-spread function for every channel)")
    if k.ndim != 2 or min(k.shape) < 1:
        raise DarkroomError(f"the blur kernel must be a 2-D array, got shape {tuple(k.shape)}")
    if not torch.isfinite(k).all():
        raise DarkroomError("the blur kernel holds NaN or infinite values")
    if float(k.min()) < 0:
        raise DarkroomError(f"the blur kernel holds negative values (down to {float(k.min()):.3g}); a point-spread "
                            "function is non-negative")
    if float(k.sum()) <= 0:
        raise DarkroomError("the blur kernel is all zero")
    return Kernel((k / k.sum()).float())


def condition(spec: ModelSpec, x: torch.Tensor, request: Kernel) -> torch.Tensor | None:
    """For a non-blind model, (1, 2, kh, kw): the kernel, and a plane of ones where the image is
    periodic (zeros for a photo's border); nothing for a blind one."""
    if not spec.kernel_conditioned or request.psf is None:
        return None
    return torch.stack((request.psf, torch.full_like(request.psf, float(request.periodic))))[None]


def candidates(model: str | None, channels: int, request: Kernel) -> list[str]:
    """The model named, else plug-and-play given a kernel, else the blind network."""
    if model:
        return [model]
    return [DEFAULT_NONBLIND[3 if channels >= 3 else 1]] if request.psf is not None else [DEFAULT_BLIND]


def check(name: str, spec: ModelSpec, request: Kernel) -> None:
    if spec.kernel_conditioned and request.psf is None:
        raise DarkroomError(f"model {name!r} deconvolves a known blur: give the kernel (--kernel, --motion or --defocus), "
                            f"or leave out --model to deblur blind with {DEFAULT_BLIND}")
    if not spec.kernel_conditioned and request.psf is not None:
        raise DarkroomError(f"model {name!r} deblurs blind and takes no kernel; leave the kernel out, or pick "
                            f"{DEFAULT_NONBLIND[1]} / {DEFAULT_NONBLIND[3]}")


def through_gray(call: ModelCall, color: torch.Tensor, cond: torch.Tensor | None, spec: ModelSpec) -> torch.Tensor:
    """A one-channel deconvolution on a colour batch: each channel alone (one kernel blurs all three)."""
    return torch.cat([call(color[:, c : c + 1], cond) for c in range(color.shape[1])], 1)


@lru_cache(maxsize=1)
def levin_kernels() -> tuple[torch.Tensor, ...]:
    """The 8 kernels of Levin et al. (CVPR 2009), as KAIR stores them (``blur_kernels/Levin09.mat``)."""
    from darkroom.io import data_root, read_kernels

    path = data_root() / "blur_kernels" / "Levin09.mat"
    if not path.exists():
        raise DarkroomError(f"the Levin kernels are not at {path} (set DARKROOM_DATA)")
    return tuple(torch.from_numpy(k).float() for k in read_kernels(path))


@lru_cache(maxsize=1)
def motion_kernels() -> tuple[torch.Tensor, ...]:
    """The synthetic protocol's 8 camera-shake kernels: Boracchi–Foi trajectories, seeds 1–8."""
    return tuple(trajectory_kernel(MOTION_KERNEL_SIZE, torch.Generator().manual_seed(k)) for k in range(1, BANK_SIZE + 1))


def bank_kernel(bank, setting) -> torch.Tensor:
    return bank()[whole_setting(setting, "the kernel number", 1, BANK_SIZE) - 1]


def _levin(sigma: float) -> Protocol:
    return Protocol(
        f"levin_s{sigma:g}", f"Levin kernel k, circular boundary, AWGN σ = {sigma:g} unclipped (IRCNN/DPIR); all channels, no crop",
        degrade=lambda truth, k, seed: apply(GaussianNoise(sigma), blur(truth, bank_kernel(levin_kernels, k), padding="circular"),
                                             seed=seed),
        request=lambda k, told: Kernel(bank_kernel(levin_kernels, k) if told else None, periodic=True),
    )


PROTOCOLS = {
    "levin_s2.55": _levin(2.55),
    "levin_s7.65": _levin(7.65),
    "motion": Protocol(
        "motion", "Boracchi–Foi camera-shake kernel k (25×25), reflected boundary, AWGN σ = 2.55, 8-bit; all channels, no crop",
        degrade=lambda truth, k, seed: apply(Chain((GaussianNoise(2.55), Quantize())),
                                             blur(truth, bank_kernel(motion_kernels, k)), seed=seed),
        request=lambda k, told: Kernel(bank_kernel(motion_kernels, k) if told else None),
    ),
}


def _request(setting, told: bool) -> Kernel:
    """Outside a protocol a setting names no kernel: what a model is told is nothing (blind)."""
    if setting is not None and not isinstance(setting, numbers.Real):
        raise DarkroomError(f"the deblurring setting is a kernel number, got {setting!r}")
    return Kernel(None)


DEBLUR = Task(
    name="deblur",
    noun="a deblurrer",
    summary="remove camera shake and defocus blur; told the kernel, or blind",
    setting="kernel",
    setting_label="kernel {:g}",
    protocols=PROTOCOLS,
    candidates=candidates,
    check=check,
    condition=condition,
    through_gray=through_gray,
    request=_request,
)
