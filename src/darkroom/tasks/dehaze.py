"""Dehazing: the task record (``DEHAZE``).

The request is a :class:`HazeStrength`: how much of the haze a model removes. Every dehazer
here inverts the atmospheric scattering model I = J·t + A·(1 − t) (``darkroom.ops.scattering``),
and strength s keeps some haze as a cue of depth by recovering with t' = t^s: 1 removes what
the model sees, 0 returns the input, and between, far things keep more haze than near ones,
as in a real view. (CLAHE, which has no t, blends its output with the input by s.)

Models: ``haze_unet``, the default, a compact U-Net that predicts t and A (``darkroom.nets.haze_unet``);
``dehazenet``, Cai et al.'s DehazeNet (TIP 2016; ``darkroom.nets.dehazenet``); the dark channel prior
``dcp`` (He et al., CVPR 2009) and its per-pixel patch-size variant ``dcp_multipatch`` (PMS-Net's
idea); ``clahe``; and ``hazy``, the input itself (``darkroom.classical.dehaze``). All are colour
models: a gray image is dehazed as three equal channels (the prior and the networks then see
a colourless scene, which they handle as one) and comes back gray.

Benchmark protocol ``paired`` (docs/protocols.md): a folder holding ``hazy/`` and its ground
truth in ``clear/`` or ``GT/`` under the same file names (RESIDE's SOTS layout); the hazy file
is the input as it is; the output is rounded to 8 bits; PSNR and SSIM on RGB, no crop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from darkroom.tasks.record import Protocol, Task, bounded_number

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

DEFAULT_DEHAZE = "haze_unet"
MAX_STRENGTH = 1.0  # beyond 1 the recovery divides by less than the model's t: it invents contrast


@dataclass(frozen=True)
class HazeStrength:
    """What a dehazer is asked: the strength s of t' = t^s (1: remove the haze it sees)."""

    strength: float = 1.0


def haze_request(strength=1.0, told: bool = True) -> HazeStrength:
    """The request for ``strength``, a number from 0 to 1; one clean line otherwise.

    >>> haze_request(0.5)
    HazeStrength(strength=0.5)
    """
    if strength is None or not told:
        return HazeStrength()
    return HazeStrength(bounded_number(strength, "strength", 0, MAX_STRENGTH))


def condition(spec: ModelSpec, x: torch.Tensor, request: HazeStrength) -> torch.Tensor | None:
    """The strength as a (1, 1, 1, 1) map."""
    return torch.full((1, 1, 1, 1), request.strength) if spec.conditioned else None


def candidates(model: str | None, channels: int, request: HazeStrength) -> list[str]:
    return [model or DEFAULT_DEHAZE]


PROTOCOLS = {
    "paired": Protocol(
        "paired", "hazy/ as it is against clear/ or GT/ under the same name (RESIDE SOTS); RGB, no crop",
        degrade=lambda truth, setting, seed: truth,  # unused: the inputs are the hazy files themselves
        paired=(("hazy",), ("clear", "GT", "gt")),
    ),
}

DEHAZE = Task(
    name="dehaze",
    noun="a dehazer",
    summary="remove haze and fog through the atmospheric scattering model",
    setting_label="RGB",  # nothing is swept: one column, the pairs as they are
    protocols=PROTOCOLS,
    candidates=candidates,
    condition=condition,
    request=lambda setting, told: HazeStrength(),
)
