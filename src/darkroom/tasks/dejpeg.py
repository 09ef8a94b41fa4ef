"""JPEG artifact removal: the task record (``DEJPEG``).

The request is a :class:`Quality`: the JPEG quality factor q (1–100) the image was saved at,
which a quality-aware model is told (as FBCNN's user-adjustable quality factor: Jiang et
al., "Towards Flexible Blind JPEG Artifacts Removal", ICCV 2021), and a strength that scales
the correction (0 returns the input). Without q, each image's q is predicted from its pixels
(``darkroom.degrade.jpeg.predict_quality``); where no JPEG grid is found, q = 90 is told
(the image shows no strong artifacts). The CLI reads q exactly from a JPEG file's
quantization tables first.

Models: ``dejpeg_unet``, the default, one quality-conditioned network for gray and colour
(``darkroom.nets.quality_unet``); ARCNN, one gray model per quality as in Dong et al., ICCV
2015 (``--model arcnn`` picks the one nearest the image's q); a DnCNN-3-style blind network
(Zhang et al., TIP 2017); and the baselines ``jpeg`` (the decoded JPEG itself) and
``bm3d_jpeg`` (BM3D with a noise level set from q, ``darkroom.classical.deblock``).

A one-channel model on a colour image works on its luminance: the correction it makes to
the gray image is added to R, G and B alike, which leaves the colour differences as decoded.

Benchmark protocol (ARCNN/DnCNN-3/FBCNN, docs/protocols.md): the clean image (8-bit gray
for classic5/LIVE1) is saved as a baseline JPEG at q by libjpeg (Pillow; colour 4:2:0) and
decoded; the output is rounded to 8 bits; PSNR, SSIM and PSNR-B on all channels, no crop.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import torch

from darkroom.degrade.jpeg import block_grid, jpeg_compress, predict_quality
from darkroom.errors import DarkroomError
from darkroom.ops.color import rgb_to_gray, with_luminance
from darkroom.tasks.record import ModelCall, Protocol, Task, whole_setting

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

DEFAULT_DEJPEG = "dejpeg_unet"
# ARCNN is trained one model per quality (the paper's way); ``--model arcnn`` means the nearest.
ARCNN_QUALITIES = (10, 20, 30, 40)
# Told where no JPEG grid is found in the pixels: predict_quality reads every q up to 70 from
# decoded files and most up to 85 (benchmarks/jpeg_quality_reading.py), so the image was saved
# at a high quality, or resized since; either way its blocking is faint, and a high q keeps the
# correction light.
NO_GRID_QUALITY = 90
MAX_STRENGTH = 2.0  # beyond twice the model's correction it only adds artifacts of its own


@dataclass(frozen=True)
class Quality:
    """What a JPEG artifact remover is asked: the quality factor the image was saved at
    (None: predict it from the pixels), and how much of the correction to apply."""

    factor: int | None = None
    strength: float = 1.0


def quality_request(setting, told: bool = True, strength: float = 1.0) -> Quality:
    """The request for a quality ``setting``: a whole number from 1 to 100.

    >>> quality_request(10.0)
    Quality(factor=10, strength=1.0)
    """
    if not isinstance(strength, numbers.Real) or isinstance(strength, bool) or not 0 <= strength <= MAX_STRENGTH:
        raise DarkroomError(f"strength must be a number from 0 to {MAX_STRENGTH:g}, got {strength!r}")
    if setting is None or not told:
        return Quality(None, float(strength))
    return Quality(whole_setting(setting, "the JPEG quality", 1, 100), float(strength))


def told_quality(image: torch.Tensor) -> int:
    """The quality a model is told for one decoded (C, H, W) image when none is given: the
    one predicted from its pixels, else ``NO_GRID_QUALITY``."""
    predicted = predict_quality(image)
    return NO_GRID_QUALITY if predicted is None else predicted


def condition(spec: ModelSpec, x: torch.Tensor, request: Quality) -> torch.Tensor | None:
    """q/100 as a (B, 1, 1, 1) map for a quality-aware model (each image's predicted q where
    none is given); nothing for the others."""
    if not spec.conditioned:
        return None
    if request.factor is not None:
        return torch.full((1, 1, 1, 1), request.factor / 100.0)
    return torch.tensor([told_quality(img) / 100.0 for img in x]).view(-1, 1, 1, 1)


def candidates(model: str | None, channels: int, request: Quality) -> list[str]:
    """The model named (``arcnn``: the per-quality model nearest the request's q), else the default."""
    if model == "arcnn":
        if request.factor is None:
            raise DarkroomError("ARCNN has one model per quality; give the quality (--quality), or name one: "
                                + ", ".join(f"arcnn_q{q}" for q in ARCNN_QUALITIES))
        return [f"arcnn_q{min(ARCNN_QUALITIES, key=lambda q: abs(q - request.factor))}"]
    return [model or DEFAULT_DEJPEG]


def naming_request(model: str | None, request: Quality) -> Quality:
    """A request to check ``model``'s name with before any image's quality is known: ``arcnn``
    without a quality stands for its first per-quality model."""
    return request if request.factor is not None or model != "arcnn" else replace(request, factor=ARCNN_QUALITIES[0])


def align(image: torch.Tensor) -> tuple[int, int]:
    """Rows and columns to pad at the top and left so that the image's 8×8 JPEG grid starts at
    its corner, as in every training patch: a crop of a decoded JPEG lost up to 0.2 dB of the
    default's gain at q = 20 without it (docs/lab/dejpeg.md)."""
    dy, dx = block_grid(image)
    return (8 - dy) % 8, (8 - dx) % 8


def finish(x: torch.Tensor, out: torch.Tensor, request: Quality) -> torch.Tensor:
    """The correction scaled by the request's strength (1: as the model made it; 0: the input)."""
    return out if request.strength == 1.0 else x + request.strength * (out - x)


def through_gray(call: ModelCall, color: torch.Tensor, cond: torch.Tensor | None, spec: ModelSpec) -> torch.Tensor:
    """A gray model on a colour batch: its luminance correction, added to every channel."""
    return with_luminance(color, call(rgb_to_gray(color), cond))


PROTOCOLS = {
    "jpeg": Protocol("jpeg", "baseline JPEG at quality q (libjpeg through Pillow; colour 4:2:0); all channels, "
                             "no crop; PSNR-B beside PSNR/SSIM",
                     degrade=lambda truth, quality, seed: jpeg_compress(truth, int(quality)), psnrb=True),
}

DEJPEG = Task(
    name="dejpeg",
    noun="a JPEG artifact remover",
    summary="remove JPEG blocking and ringing; told the quality factor q",
    setting="quality",
    setting_label="q={:g}",
    protocols=PROTOCOLS,
    candidates=candidates,
    condition=condition,
    finish=finish,
    align=align,
    through_gray=through_gray,
    request=quality_request,
)
