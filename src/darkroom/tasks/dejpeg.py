"""JPEG artifact removal: the task record (``DEJPEG``).

The request is a :class:`Quality`: the JPEG quality factor q (1–100) the image was saved at,
which a quality-aware model is told (as FBCNN's user-adjustable quality factor: Jiang et
al., "Towards Flexible Blind JPEG Artifacts Removal", ICCV 2021). Here the models are the
baselines behind the same call: ``jpeg``, the decoded JPEG itself, and ``bm3d_jpeg``, BM3D
with a noise level set from q (``darkroom.classical.deblock``). The learned models of the
survey (ARCNN, Dong et al., ICCV 2015; a DnCNN-3-style blind network, Zhang et al., TIP 2017;
a quality-conditioned default) are not trained yet, so this task has no verb or command yet:
``darkroom bench dejpeg`` scores the baselines.

A one-channel model on a colour image works on its luminance: the correction it makes to
the gray image is added to R, G and B alike, which leaves the colour differences as decoded.

Benchmark protocol (ARCNN/DnCNN-3/FBCNN, docs/protocols.md): the clean image (8-bit gray
for classic5/LIVE1) is saved as a baseline JPEG at q by libjpeg (Pillow; colour 4:2:0) and
decoded; the output is rounded to 8 bits; PSNR, SSIM and PSNR-B on all channels, no crop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from darkroom.degrade.jpeg import jpeg_compress
from darkroom.errors import DarkroomError
from darkroom.ops.color import rgb_to_gray, with_luminance
from darkroom.tasks.record import ModelCall, Protocol, Task, whole_setting

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

DEFAULT_DEJPEG = "bm3d_jpeg"  # until a network ships


@dataclass(frozen=True)
class Quality:
    """What a JPEG artifact remover is asked: the quality factor the image was saved at."""

    factor: int | None = None


def quality_request(setting, told: bool = True) -> Quality:
    """The request for a quality ``setting``: a whole number from 1 to 100.

    >>> quality_request(10.0)
    Quality(factor=10)
    """
    if setting is None or not told:
        return Quality(None)
    return Quality(whole_setting(setting, "the JPEG quality", 1, 100))


def condition(spec: ModelSpec, x: torch.Tensor, request: Quality) -> torch.Tensor | None:
    """q/100 as a (1, 1, 1, 1) map for a quality-aware model; nothing for the others."""
    if not spec.conditioned:
        return None
    if request.factor is None:
        raise DarkroomError("this model needs the JPEG quality; give it (1–100)")
    return torch.full((1, 1, 1, 1), request.factor / 100.0)


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
    candidates=lambda model, channels, request: [model or DEFAULT_DEJPEG],
    condition=condition,
    through_gray=through_gray,
    request=quality_request,
)
