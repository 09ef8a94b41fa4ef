"""Running a task's model on an image, as its record says: choose the model, tell it what
the record's ``condition`` makes of the request, adapt channels, keep alpha apart, and
return the image in the kind and dtype it came in. The verbs (``darkroom.verbs``), the
benchmark and the CLI all come through here, so a task's behaviour is written once.
"""

from __future__ import annotations

from typing import Any

import torch

from darkroom.engine.restorer import Restorer
from darkroom.errors import DarkroomError
from darkroom.ops.alpha import bleed_transparent, split_alpha
from darkroom.ops.contract import channel_count, from_batch, to_batch
from darkroom.ops.resize import imresize
from darkroom.tasks import Task


def choose_model(task: Task, model: str | None, channels: int, request: Any) -> str:
    """The zoo name for ``model`` (or the task's default) on an image with ``channels``
    channels, checked against the request; a one-line error otherwise."""
    from darkroom.zoo import get_card, is_registered, list_models

    names = task.candidates(model, channels, request)
    name = next((n for n in names if is_registered(n)), None)
    if name is None:
        raise DarkroomError(task.unknown_model(model or names[0], [c.name for c in list_models(task.name)]))
    card = get_card(name)
    if card.spec.task != task.name:
        raise DarkroomError(f"model {name!r} is a {card.spec.task} model, not {task.noun}")
    task.check(name, card.spec, request)
    return name


def run_model(task: Task, restorer: Restorer, x: torch.Tensor, request: Any, **run) -> torch.Tensor:
    """``restorer`` on a (B, C, H, W) batch with the channels it takes, or a colour batch
    for a one-channel model (through the record's ``through_gray``). ``run`` goes to the
    restorer (tile, precision, device, self_ensemble). Where the record aligns images to a
    grid, each image is padded at its top and left first and the pad cut off after."""
    if task.align is None or not restorer.spec.in_channels:  # classical models see any grid alike
        return _run_on_grid(task, restorer, x, request, run)
    pads = [task.align(image) for image in x]
    if len(set(pads)) > 1:  # each image on its own grid
        return torch.cat([run_model(task, restorer, x[i : i + 1], request, **run) for i in range(len(x))])
    top, left = pads[0]
    padded = torch.nn.functional.pad(x, (left, 0, top, 0), mode="replicate") if top or left else x
    return _run_on_grid(task, restorer, padded, request, run)[..., top:, left:]


def _run_on_grid(task: Task, restorer: Restorer, x: torch.Tensor, request: Any, run: dict) -> torch.Tensor:
    spec = restorer.spec
    cond = task.condition(spec, x, request)
    if spec.in_channels == 1 and x.shape[1] == 3:
        if task.through_gray is None:
            raise DarkroomError(f"this {task.name} model takes gray images only")
        out = task.through_gray(lambda y, c: restorer(y, c, **run), x, cond, spec)
    else:
        out = restorer(x, cond, **run)
    return task.finish(x, out, request)


def gray_as_color(spec, x: torch.Tensor) -> torch.Tensor:
    """A gray batch as three equal channels where the model takes colour; otherwise ``x``."""
    return x.expand(-1, 3, -1, -1) if spec.in_channels == 3 and x.shape[1] == 1 else x


def run_on_image(image, restorer: Restorer, run_color, *, name: str = "image"):
    """Apply ``run_color`` (colour batch → restored colour batch) to ``image``, alpha kept separately.

    Gray images go through a colour model as three equal channels and come back gray;
    alpha is resized with MATLAB bicubic when the model changes the size.
    """
    x, kind = to_batch(image, name)
    color, alpha = split_alpha(x)
    if alpha is not None:
        color = bleed_transparent(color, alpha)
    expanded = gray_as_color(restorer.spec, color)
    out = run_color(expanded)
    if expanded is not color:
        out = out.mean(1, keepdim=True)
    if alpha is not None:
        scale = restorer.spec.scale
        a = imresize(alpha, scale) if scale != 1 else alpha
        out = torch.cat([out, a.clamp(0, 1)], 1)
    return from_batch(out, kind)


def run_task(task: Task, image, request: Any, model: str | None = None, *, device: str | None = None, **run):
    """The verb of ``task`` on ``image``: the chosen model, conditioned by ``request``;
    returns the same kind and dtype. ``run`` goes to the restorer."""
    from darkroom.zoo import load_shared

    name = choose_model(task, model, 3 if channel_count(image) >= 3 else 1, request)
    restorer = load_shared(name, device)
    return run_on_image(image, restorer, lambda color: run_model(task, restorer, color, request, device=device, **run))
