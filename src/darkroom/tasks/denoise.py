"""Denoising: the task record (``DENOISE``).

Models are FFDNet-style, conditioned on the noise level (``darkroom.nets.ffdnet``). The
request is a :class:`NoiseLevel`: ``sigma`` (0–255 units) sets the strength, a number or a
spatially varying (H, W) map. Without ``sigma`` a colour image goes to the blind
``cbdnet_color`` (CBDNet-style, ``darkroom.nets.cbdnet``), which estimates a noise map
itself; ``strength`` multiplies that map. A gray image, or a non-blind model, is told the
wavelet median-absolute-deviation estimate of Donoho & Johnstone (1994), as scikit-image's
``estimate_sigma`` implements it, times ``strength``.

Colour images through a gray model are denoised in an opponent colour space (mean,
red−blue, green−magenta; ``darkroom.ops.rgb_to_opponent``), as CBM3D does (Dabov, Foi,
Katkovnik, Egiazarian, "Color image denoising via sparse 3D collaborative filtering
with grouping constraint in luminance-chrominance space", ICIP 2007): its rows are
orthogonal, so AWGN stays white in each channel with a known σ, and the two chroma
channels carry little detail, so far more of their noise can be removed than from R,
G and B separately.

Benchmark protocols (DnCNN/FFDNet): ``awgn`` adds white Gaussian noise of σ, unclipped, with
a fixed seed per image; ``camera`` uses the realistic camera model of
``darkroom.degrade.CameraNoise`` (signal-dependent, through demosaicing and the tone curve,
no JPEG, 8-bit), where σ is only what a non-blind model is told. Outputs are rounded to
8 bits; PSNR/SSIM on all channels (RGB for colour), no crop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from darkroom.degrade import CameraNoise, Chain, GaussianNoise, Quantize, apply
from darkroom.errors import DarkroomError
from darkroom.ops.color import OPPONENT_NOISE_GAIN, opponent_to_rgb, rgb_to_opponent
from darkroom.ops.noise_level import wavelet_noise_sigma
from darkroom.tasks.record import ModelCall, Protocol, Task

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

# The colour default is the gray body guided in the opponent space (darkroom.nets.ffdnet.
# GuidedOpponentFFDNet), fine-tuned on colour photos from ffdnet_gray: on its held-out
# validation images it beats the gray model run in the opponent space, where it started.
DEFAULT_DENOISERS = {1: "ffdnet_gray", 3: "ffdnet_color"}
# Without σ, colour photos go to the blind cbdnet_color: on camera noise (CBSD68, the camera
# model of darkroom.degrade) it beats every non-blind model at its best single σ by over 2 dB,
# where the wavelet estimate reads the demosaiced noise as far too weak; on white noise it is
# 0.6 dB behind ffdnet_color told the true σ (BENCHMARKS.md). Gray images keep the wavelet
# estimate + ffdnet_gray until cbdnet_gray is within 0.2 dB of it on AWGN.
DEFAULT_BLIND_DENOISERS: dict[int, str] = {3: "cbdnet_color"}


@dataclass(frozen=True)
class NoiseLevel:
    """What a denoiser is asked: ``sigma`` (0–255, a number or an (H, W) map; None: estimate it)
    times ``strength``."""

    sigma: object = None
    strength: float = 1.0


def estimate_noise_sigma(x: torch.Tensor) -> torch.Tensor:
    """Noise σ in 0–255 units of each image of a (B, C, H, W) batch, averaged over channels: shape (B,)."""
    return wavelet_noise_sigma(x) * 255.0


MAX_STRENGTH = 100.0  # a multiplier of the noise level: beyond this it only blurs the image away


def sigma_map(sigma, height: int, width: int) -> torch.Tensor:
    """σ (0–255; a number or an (H, W) map) as the (1, 1, h, w) map on the σ/255 scale that models take.

    >>> sigma_map(25.5, 4, 4).flatten().tolist()
    [0.10000000149011612]
    >>> sigma_map(np.full((2, 2), -50.0), 2, 2)
    Traceback (most recent call last):
    ...
    darkroom.errors.DarkroomError: the sigma map must lie between 0 and 255; it holds values from -50 to -50
    """
    try:
        s = torch.as_tensor(sigma if isinstance(sigma, torch.Tensor) else np.asarray(sigma, dtype=np.float32),
                            dtype=torch.float32).cpu()
    except (TypeError, ValueError):
        raise DarkroomError(f"sigma must be a number (0–255) or an (H, W) map of them, got {sigma!r}") from None
    if s.ndim == 0:
        if not 0 <= float(s) <= 255:
            raise DarkroomError(f"sigma must be between 0 and 255, got {float(s):g}")
        return s.view(1, 1, 1, 1) / 255.0
    if tuple(s.shape[-2:]) != (height, width) or s[..., 0, 0].numel() != 1:
        raise DarkroomError(f"the sigma map is {tuple(s.shape)}, the image {height}×{width}")
    from darkroom.ops.contract import check_finite

    check_finite(s, "the sigma map")
    if float(s.min()) < 0 or float(s.max()) > 255:
        raise DarkroomError(f"the sigma map must lie between 0 and 255; it holds values from {float(s.min()):g} to "
                            f"{float(s.max()):g}")
    return s.reshape(1, 1, height, width) / 255.0


def condition(spec: ModelSpec, x: torch.Tensor, request: NoiseLevel) -> torch.Tensor | None:
    """The map a denoiser is told for the batch ``x``: σ/255, or a blind model's strength γ."""
    if not spec.conditioned:  # trained for one noise level (DnCNN-S): nothing to tell it
        return None
    if spec.blind:  # the model's own σ̂ map, times the user's correction
        return torch.full((1, 1, 1, 1), float(request.strength))
    if request.sigma is None:  # each image's own estimate
        estimates = estimate_noise_sigma(x)
        levels = estimates * request.strength
        if float(levels.max()) > 255:
            raise DarkroomError(f"the estimated noise level {float(estimates.max()):.3g} × strength {request.strength:g} is "
                                f"above 255; give a smaller --strength")
        return (levels / 255.0).view(-1, 1, 1, 1)
    level = request.sigma
    if request.strength != 1.0:
        level = sigma_map(level, *x.shape[-2:]) * 255.0 * request.strength
        if float(level.max()) > 255:
            raise DarkroomError(f"sigma × strength {request.strength:g} is above 255; give a smaller sigma or strength")
    return sigma_map(level, *x.shape[-2:])


def through_gray(call: ModelCall, color: torch.Tensor, cond: torch.Tensor | None, spec: ModelSpec) -> torch.Tensor:
    """A gray denoiser on a (B, 3, H, W) batch, channel by channel in the opponent space.

    ``cond`` is the RGB noise map (σ/255) for a non-blind model, scaled here by each
    channel's noise gain; a blind model's strength γ passes unchanged, since it measures
    each channel's noise itself.
    """
    opponent = rgb_to_opponent(color)
    channels = []
    for c, gain in enumerate(OPPONENT_NOISE_GAIN):
        channel_cond = cond if spec.blind or cond is None else cond * gain
        channels.append(call(opponent[:, c : c + 1], channel_cond))
    return opponent_to_rgb(torch.cat(channels, 1))


def candidates(model: str | None, channels: int, request: NoiseLevel) -> list[str]:
    """The model named, else the blind default when no σ is given (where one ships), else the told default."""
    if model:
        return [model]
    key = 3 if channels >= 3 else 1
    blind = [DEFAULT_BLIND_DENOISERS[key]] if request.sigma is None and key in DEFAULT_BLIND_DENOISERS else []
    return blind + [DEFAULT_DENOISERS[key]]


def check(name: str, spec: ModelSpec, request: NoiseLevel) -> None:
    if not isinstance(request.strength, (int, float, np.number)) or not 0 < request.strength <= MAX_STRENGTH:
        raise DarkroomError(f"strength must be a number above 0 and at most {MAX_STRENGTH:g}, got {request.strength!r}")
    told = DEFAULT_DENOISERS[3 if (spec.in_channels or 3) >= 3 else 1]
    if not spec.conditioned and (request.sigma is not None or request.strength != 1.0):
        raise DarkroomError(f"model {name!r} is trained for one noise level and takes neither sigma nor strength; leave them "
                            f"out or pick {told}")
    if spec.blind and request.sigma is not None:
        raise DarkroomError(f"model {name!r} estimates the noise level itself; leave out sigma or pick a non-blind model "
                            f"such as {told}")


def _camera_noise(truth: torch.Tensor, setting: float, seed: int) -> torch.Tensor:
    return apply(Chain((CameraNoise(jpeg=None), Quantize())), truth, seed=seed)


PROTOCOLS = {
    "awgn": Protocol("awgn", "AWGN of σ, unclipped, seeded per image; all channels, no crop",
                     degrade=lambda truth, sigma, seed: apply(GaussianNoise(float(sigma)), truth, seed=seed)),
    "camera": Protocol("camera", "camera noise (CBDNet-style pipeline, no JPEG, 8-bit), seeded per image; σ is only "
                                 "what non-blind models are told; all channels, no crop",
                       degrade=_camera_noise, needs_color=True, setting_degrades=False),
}

DENOISE = Task(
    name="denoise",
    noun="a denoiser",
    summary="remove noise; told σ (0–255) or estimating it",
    setting="sigma",
    setting_label="σ={:g}",
    protocols=PROTOCOLS,
    candidates=candidates,
    check=check,
    condition=condition,
    through_gray=through_gray,
    request=lambda setting, told: NoiseLevel(setting if told else None),
)
