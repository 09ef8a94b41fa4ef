"""Denoising with a noise-level-conditioned network (FFDNet-style, see
``darkroom.nets.ffdnet``).

``sigma`` (0–255 units) sets the strength: a number, or a spatially varying (H, W)
map from the Python API. Without ``sigma`` a colour image goes to the blind
``cbdnet_color`` (CBDNet-style, see ``darkroom.nets.cbdnet``), which estimates a noise map
itself; ``strength`` multiplies that map. A gray image, or a non-blind ``model``, is told
the wavelet median-absolute-deviation estimate of Donoho & Johnstone (1994), as
scikit-image's ``estimate_sigma`` implements it, times ``strength``.

Color images through a gray model are denoised in an opponent color space (mean,
red−blue, green−magenta; ``darkroom.ops.rgb_to_opponent``), as CBM3D does (Dabov, Foi,
Katkovnik, Egiazarian, "Color image denoising via sparse 3D collaborative filtering
with grouping constraint in luminance-chrominance space", ICIP 2007): its rows are
orthogonal, so AWGN stays white in each channel with a known σ, and the two chroma
channels carry little detail, so far more of their noise can be removed than from R,
G and B separately.
"""

from __future__ import annotations

import numpy as np
import torch

from darkroom.engine import Restorer
from darkroom.errors import DarkroomError
from darkroom.ops.color import OPPONENT_NOISE_GAIN, opponent_to_rgb, rgb_to_opponent
from darkroom.ops.contract import channel_count
from darkroom.tasks.run import run_on_image
from darkroom.zoo import get_card, list_models, load_shared

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


def default_denoiser(channels: int, *, blind: bool) -> str:
    """The zoo name used when the user names no model: the blind one when no σ is given (if it ships)."""
    names = {c.name for c in list_models("denoise")}
    key = 3 if channels >= 3 else 1
    if blind and DEFAULT_BLIND_DENOISERS.get(key) in names:
        return DEFAULT_BLIND_DENOISERS[key]
    return DEFAULT_DENOISERS[key]


def estimate_noise_sigma(x: torch.Tensor) -> float:
    """Noise σ in 0–255 units of a (1, C, H, W) batch, averaged over channels."""
    try:
        from skimage.restoration import estimate_sigma
    except ImportError:
        raise DarkroomError("estimating the noise level needs scikit-image (pip install 'darkroom[classical]'); or pass --sigma") from None
    arr = x[0].detach().float().cpu().numpy().transpose(1, 2, 0)
    return float(np.mean(estimate_sigma(arr, channel_axis=-1, average_sigmas=False))) * 255.0


def sigma_map(sigma, height: int, width: int) -> torch.Tensor:
    s = torch.as_tensor(np.asarray(sigma, dtype=np.float32) if not isinstance(sigma, torch.Tensor) else sigma, dtype=torch.float32)
    if s.ndim == 0:
        if not 0 <= float(s) <= 255:
            raise DarkroomError(f"sigma must be between 0 and 255, got {float(s)}")
        return s.view(1, 1, 1, 1) / 255.0
    if tuple(s.shape[-2:]) != (height, width):
        raise DarkroomError(f"the sigma map is {tuple(s.shape[-2:])}, the image {height}×{width}")
    return s.reshape(1, 1, height, width) / 255.0


def run_gray_model_on_color(restorer: Restorer, color: torch.Tensor, condition: torch.Tensor, **run) -> torch.Tensor:
    """A gray denoiser on a (B, 3, H, W) batch, channel by channel in the opponent space.

    ``condition`` is the RGB noise map (σ/255) for a non-blind model, scaled here by each
    channel's noise gain; a blind model's strength γ passes unchanged, since it measures
    each channel's noise itself. ``run`` goes to the restorer (tile, precision, device, self_ensemble).
    """
    opponent = rgb_to_opponent(color)
    channels = []
    for c, gain in enumerate(OPPONENT_NOISE_GAIN):
        cond = condition if restorer.spec.blind or condition is None else condition * gain
        channels.append(restorer(opponent[:, c : c + 1], cond, **run))
    return opponent_to_rgb(torch.cat(channels, 1))


def run_denoiser(restorer: Restorer, color: torch.Tensor, condition: torch.Tensor | None, **run) -> torch.Tensor:
    """Denoise a (B, C, H, W) batch with ``restorer``; a gray model takes a color batch through
    :func:`run_gray_model_on_color`. ``run`` goes to the restorer (tile, precision, device, self_ensemble)."""
    if restorer.spec.in_channels == 1 and color.shape[1] == 3:
        return run_gray_model_on_color(restorer, color, condition, **run)
    return restorer(color, condition, **run)


def denoise(image, sigma=None, strength: float = 1.0, model: str | None = None, *, tile: int | None = None,
            precision: str = "fp32", device: str | None = None, self_ensemble: int = 1):
    """Remove noise from ``image``, returning the same kind and dtype.

    Gray images use a gray model; color images use a color model (``ffdnet_color`` unless
    ``model`` names another), or a gray model on each channel of the opponent color space
    (see the module docstring). ``self_ensemble`` = 2, 4 or 8 averages that many
    flipped/rotated runs: n times the time, a little more PSNR (BENCHMARKS.md).
    """
    if strength <= 0:
        raise DarkroomError(f"strength must be positive, got {strength}")

    def condition(restorer, color: torch.Tensor) -> torch.Tensor | None:
        if not restorer.spec.conditioned:  # trained for one noise level (DnCNN-S): nothing to tell it
            return None
        if restorer.spec.blind:  # the model's own σ̂ map, times the user's correction
            return torch.full((1, 1, 1, 1), float(strength))
        level = sigma
        if level is None:
            level = estimate_noise_sigma(color) * strength
        elif strength != 1.0:
            level = np.asarray(level, dtype=np.float32) * strength
        return sigma_map(level, *color.shape[-2:])

    def run(restorer, color: torch.Tensor) -> torch.Tensor:
        return run_denoiser(restorer, color, condition(restorer, color), tile=tile, precision=precision, device=device,
                            self_ensemble=self_ensemble)

    channels = 3 if channel_count(image) >= 3 else 1
    name = model or default_denoiser(channels, blind=sigma is None)
    card = get_card(name)
    if card.spec.task != "denoise":
        raise DarkroomError(f"model {name!r} is a {card.spec.task} model, not a denoiser")
    if not card.spec.conditioned and (sigma is not None or strength != 1.0):
        raise DarkroomError(f"model {name!r} is trained for one noise level and takes neither sigma nor strength; leave them "
                            f"out or pick {DEFAULT_DENOISERS[channels]}")
    if card.spec.blind and sigma is not None:
        raise DarkroomError(f"model {name!r} estimates the noise level itself; leave out sigma or pick a non-blind model "
                            f"such as {DEFAULT_DENOISERS[channels]}")
    restorer = load_shared(name, device)
    return run_on_image(image, restorer, lambda c: run(restorer, c))
