"""Super-resolution: the task record (``UPSCALE``).

The default is ``edsr``, a compact EDSR-style residual network (``darkroom.nets.edsr``)
trained here for ×2, ×3 and ×4; a model is named by family (``bicubic``, ``lanczos3``,
``srcnn``, ``fsrcnn``, ``espcn``), which the scale completes, or exactly (``espcn_x3``).

SRCNN and FSRCNN are luminance networks, as in their papers (Dong et al. 2014, 2016): a
colour image is enlarged with MATLAB bicubic, and the network's luminance replaces the
bicubic one. Because the gray weights (0.299, 0.587, 0.114) sum to one, adding the same
correction to R, G and B changes the luminance by exactly that correction and leaves the
colour differences B − Y and R − Y as bicubic made them.

Benchmark protocol (SRCNN/VDSR/EDSR): the ground truth is mod-cropped to the scale; the
input is MATLAB-bicubic downsampled and rounded to 8 bits; the output is rounded to 8
bits; PSNR/SSIM on the Y channel of MATLAB's ``rgb2ycbcr`` (gray images replicated to RGB
first), with ``scale`` border pixels cropped; the set score is the mean of per-image scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from darkroom.degrade import Chain, Downsample, Quantize, apply
from darkroom.errors import DarkroomError
from darkroom.ops.color import rgb_to_gray, with_luminance
from darkroom.ops.pad import modcrop
from darkroom.ops.resize import imresize
from darkroom.tasks.record import ModelCall, Protocol, Task, whole_setting

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

SCALES = (2, 3, 4)
DEFAULT_UPSCALER = "edsr"


@dataclass(frozen=True)
class Scale:
    """What an upscaler is asked: the factor."""

    factor: int


def scale_request(factor) -> Scale:
    """The request for ``factor``, which must be a whole number: 2.5 is refused, never truncated.

    >>> scale_request(3.0)
    Scale(factor=3)
    """
    return Scale(whole_setting(factor, "scale", 1))  # which whole scales exist: ``candidates``


def candidates(model: str | None, channels: int, request: Scale) -> list[str]:
    """A family name completed by the scale (``bicubic`` → ``bicubic_x2``), then the exact name."""
    if request.factor not in SCALES:
        raise DarkroomError(f"scale must be one of {', '.join(map(str, SCALES))}, got {request.factor}")
    name = model or DEFAULT_UPSCALER
    return [f"{name}_x{request.factor}", name]


def check(name: str, spec: ModelSpec, request: Scale) -> None:
    if spec.scale != request.factor:
        raise DarkroomError(f"model {name!r} upscales ×{spec.scale}, not ×{request.factor}")


def through_gray(call: ModelCall, color: torch.Tensor, cond: torch.Tensor | None, spec: ModelSpec) -> torch.Tensor:
    """A luminance network on a (B, 3, H, W) batch: bicubic colour, the network's luminance.

    >>> import torch
    >>> from darkroom.engine.spec import ModelSpec
    >>> spec = ModelSpec("upscale", 1, 1, scale=2)
    >>> x = torch.rand(1, 3, 12, 12)
    >>> out = through_gray(lambda y, c: imresize(y, 2) + 0.01, x, None, spec)
    >>> chroma = lambda im: im - rgb_to_gray(im)    # B − Y, G − Y, R − Y
    >>> out.shape, bool(torch.allclose(chroma(out), chroma(imresize(x, 2)), atol=1e-6))
    (torch.Size([1, 3, 24, 24]), True)
    """
    return with_luminance(imresize(color, spec.scale), call(rgb_to_gray(color), cond))


def _families(known: list[str]) -> str:
    return ", ".join(sorted({n.rsplit("_x", 1)[0] for n in known}))


def _bicubic_down(truth: torch.Tensor, scale: float, seed: int) -> torch.Tensor:
    return apply(Chain((Downsample(int(scale)), Quantize())), truth, seed=seed)


PROTOCOLS = {
    "bicubic": Protocol("bicubic", "y-channel, crop=scale", degrade=_bicubic_down,
                        ground_truth=lambda clean, scale: modcrop(clean, int(scale)),
                        crop=lambda scale: int(scale), y_channel=True),
}

UPSCALE = Task(
    name="upscale",
    noun="an upscaler",
    summary="make images 2, 3 or 4 times larger (super-resolution)",
    setting="scale",
    setting_label="×{:g}",
    protocols=PROTOCOLS,
    candidates=candidates,
    check=check,
    through_gray=through_gray,
    request=lambda setting, told: scale_request(setting),
    unknown_model=lambda name, known: f"unknown upscaling model {name!r}; choose from {_families(known)}",
)
