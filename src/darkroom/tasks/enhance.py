"""Low-light and photo enhancement: the task record (``ENHANCE``).

The request is an :class:`EnhanceStrength`: the answer is the input plus s times the model's
change, so 1 is the model's own output and 0 returns the input untouched.

Models: ``hdrnet_lowlight``, Gharbi et al.'s bilateral-grid enhancer (SIGGRAPH 2017) trained on
synthetic low light, and ``hdrnet_tone``, the same network trained to reproduce the local
Laplacian filter's tone mapping (``darkroom.nets.hdrnet``); ``deepupe``, DeepUPE-style
illumination estimation (Wang et al., CVPR 2019; ``darkroom.nets.deepupe``); ``zero_dce`` and
``zero_dce_synthetic``, Zero-DCE (Guo et al., CVPR 2020; ``darkroom.nets.zero_dce``); the
classical ``gamma``, ``clahe_lowlight``, ``lime`` and the operators ``local_laplacian_detail`` and
``local_laplacian_tone`` (``darkroom.classical.enhance``); and ``dark``, the input itself. All
are colour models: a gray image is enhanced as three equal channels and comes back gray.

Benchmark protocol ``lowlight`` (docs/protocols.md): each clean photo is darkened through the
camera pipeline of ``darkroom.degrade.LowLight`` at the setting's exposure (the fraction of the
light kept, in linear raw), shot noise 1e-3 with its tied read noise, seeded by the photo's
place; the output is rounded to 8 bits; PSNR and SSIM on RGB against the clean photo, no crop.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from darkroom.tasks.record import Protocol, Task, bounded_number

DEFAULT_ENHANCE = "hdrnet_lowlight"  # the best validation score of the low-light models (docs/lab/enhance.md)
BENCHMARK_SHOT = 1e-3  # the shot-noise gain of the benchmark's darkening (a mid-range phone at night)


@dataclass(frozen=True)
class EnhanceStrength:
    """What an enhancer is asked: how far from the input to go (1: the model's output)."""

    strength: float = 1.0


def enhance_request(strength=1.0, told: bool = True) -> EnhanceStrength:
    """The request for ``strength``, a number from 0 to 1; one clean line otherwise.

    >>> enhance_request(0.5)
    EnhanceStrength(strength=0.5)
    """
    if strength is None or not told:
        return EnhanceStrength()
    return EnhanceStrength(bounded_number(strength, "strength", 0, 1))


def candidates(model: str | None, channels: int, request: EnhanceStrength) -> list[str]:
    return [model or DEFAULT_ENHANCE]


def finish(x: torch.Tensor, out: torch.Tensor, request: EnhanceStrength) -> torch.Tensor:
    """The input moved toward the model's output by the strength. An all-black image holds no
    light to recover and comes back unchanged (a learned transform's offsets would otherwise lift
    it to a flat gray)."""
    strength = EnhanceStrength().strength if request is None else request.strength
    black = x.flatten(1).amax(1).view(-1, 1, 1, 1) == 0
    moved = out if strength == 1 else x + strength * (out - x)
    return torch.where(black, x, moved)


def darken(truth: torch.Tensor, exposure: float, seed: int) -> torch.Tensor:
    from darkroom.degrade import LowLight, apply

    return apply(LowLight(exposure=(exposure, exposure), shot=(BENCHMARK_SHOT, BENCHMARK_SHOT)), truth, seed=seed)


PROTOCOLS = {
    "lowlight": Protocol(
        "lowlight", "darkened through the camera pipeline at the exposure, shot noise 1e-3 (degrade.LowLight); RGB, no crop",
        degrade=darken, needs_color=True,
    ),
}

ENHANCE = Task(
    name="enhance",
    noun="an enhancer",
    summary="brighten under-exposed photos and enhance detail",
    setting="exposure",
    setting_label="exposure {:g}",
    protocols=PROTOCOLS,
    candidates=candidates,
    finish=finish,
    request=lambda setting, told: EnhanceStrength(),
)
