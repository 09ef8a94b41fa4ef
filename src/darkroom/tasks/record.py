"""What a task is, as data: the record that the verbs, ``darkroom bench``, the trainer's
validation and ``darkroom models`` all read, so that no part of darkroom branches on a
task's name.

A record says which models a user gets when naming none, what a model is told (a σ map, a
strength, nothing), how a one-channel model runs on a colour image, and how a benchmark
turns clean test images into inputs and scores the outputs (degradation with its seed,
metric channel, border crop). The records are pure: they import no network, no zoo and no
engine; the engine (``darkroom.engine.run``) applies them.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from torch import Tensor

if TYPE_CHECKING:
    from darkroom.engine.spec import ModelSpec

# A model's call with the run options bound: (batch, condition map or None) → output batch.
ModelCall = Callable[[Tensor, "Tensor | None"], Tensor]


@dataclass(frozen=True)
class Protocol:
    """How a benchmark scores a model on clean test images, under a paper's convention.

    ``ground_truth(clean, setting)`` is what the output is compared with (e.g. mod-cropped to
    the scale); ``degrade(truth, setting, seed)`` is the model's input. ``crop(setting)``
    border pixels are left out of PSNR/SSIM, on the Y channel of MATLAB's ``rgb2ycbcr`` where
    ``y_channel``, else on all channels. Outputs are rounded to 8 bits before scoring.
    ``setting_degrades`` is False where the setting is only what a model is told (camera
    noise: the noise is the same whatever σ a non-blind model is given). ``request(setting,
    told)`` is the request where the protocol, not the task, knows what a model may be told.
    """

    name: str
    description: str
    degrade: Callable[[Tensor, float, int], Tensor]
    ground_truth: Callable[[Tensor, float], Tensor] = lambda clean, setting: clean
    crop: Callable[[float], int] = lambda setting: 0
    y_channel: bool = False
    needs_color: bool = False
    setting_degrades: bool = True
    psnrb: bool = False  # also score PSNR-B (Yim & Bovik 2011), as the JPEG papers do
    # what models are told at a setting where the protocol decides it (deblurring: the kernel it
    # blurred with); None: the task's own ``request``
    request: Callable[[float, bool], Any] | None = None
    # paired data instead of a degradation: (input subfolder names, ground-truth subfolder names),
    # the first of each found in the benchmark's folder, files matched by name (RESIDE's hazy/ and GT/)
    paired: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def whole_setting(value, name: str, low: int, high: int | None = None) -> int:
    """``value`` as a whole number in [low, high] (no upper bound where ``high`` is None), or a
    one-line error: 2.5 is refused, never truncated.

    >>> whole_setting(3.0, "scale", 2, 4)
    3
    """
    from darkroom.errors import DarkroomError

    try:
        whole = float(value).is_integer() and not isinstance(value, bool)
    except (TypeError, ValueError):
        whole = False
    if not whole or float(value) < low or (high is not None and float(value) > high):
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise DarkroomError(f"{name} must be a whole number {bounds}, got {value!r}")
    return int(value)


def bounded_number(value, name: str, low: float, high: float) -> float:
    """``value`` as a float in [low, high], or a one-line error (a bool, text or NaN is refused).

    >>> bounded_number(0.5, "strength", 0, 1)
    0.5
    """
    from darkroom.errors import DarkroomError

    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not low <= float(value) <= high:
        raise DarkroomError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _no_condition(spec: ModelSpec, x: Tensor, request: Any) -> None:
    return None


@dataclass(frozen=True)
class Task:
    """One task: its verb's name, its defaults, its conditioning and its benchmark protocols.

    ``candidates(model, channels, request)`` lists the zoo names a user's ``model`` (or none)
    may mean, in order: the engine takes the first that is registered. ``check(name, spec,
    request)`` raises a one-line error where that model cannot do what was asked.
    ``condition(spec, batch, request)`` is the map the model is told (None for an
    unconditioned model); ``finish(batch, output, request)`` is the answer made of the
    model's output (the output itself, or a correction scaled by a strength). ``align(image)``
    is how many rows and columns an image is padded with at its top and left so that a grid
    the models were trained on (JPEG's 8×8 blocks) starts at its corner; the pad is cut off
    the output. ``through_gray(call, colour batch, condition, spec)`` runs a
    one-channel model on a colour batch. ``request(setting, told)`` is what a benchmark or a
    validation run asks of a model at one setting (σ, scale): ``told`` False withholds the
    setting, as a user who gives no σ does.
    """

    name: str
    noun: str  # what its models are called in messages: "a denoiser"
    summary: str
    image_to_image: bool = True
    setting: str = ""  # the number a benchmark sweeps (sigma, scale); "" where there is none
    setting_label: str = "{:g}"  # how a table heads a column of that setting: "σ={:g}"
    protocols: Mapping[str, Protocol] = field(default_factory=dict)
    candidates: Callable[[str | None, int, Any], list[str]] = lambda model, channels, request: [model] if model else []
    check: Callable[[str, ModelSpec, Any], None] = lambda name, spec, request: None
    condition: Callable[[ModelSpec, Tensor, Any], Tensor | None] = _no_condition
    through_gray: Callable[[ModelCall, Tensor, Tensor | None, ModelSpec], Tensor] | None = None
    finish: Callable[[Tensor, Tensor, Any], Tensor] = lambda x, out, request: out
    align: Callable[[Tensor], tuple[int, int]] | None = None  # rows, columns to pad an image with at its top and left
    request: Callable[[float | None, bool], Any] = lambda setting, told: None
    unknown_model: Callable[[str, list[str]], str] = lambda name, known: f"unknown model {name!r}; choose from {', '.join(known)}"

    @property
    def default_protocol(self) -> Protocol | None:
        return next(iter(self.protocols.values()), None)
