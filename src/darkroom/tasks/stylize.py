"""Fast style transfer: the task record (``STYLIZE``).

One forward pass of a transformation network trained for one style (Johnson, Alahi &
Fei-Fei, ECCV 2016; ``darkroom.nets.transformer``). Its instance normalisation takes
statistics over the whole image, so the cards never tile (``ModelSpec.tile`` = 0); the verb
can resize the image first when memory or speed call for it. The optimisation method
(Gatys et al.) is ``darkroom.generate.style.stylize``.
"""

from __future__ import annotations

from darkroom.tasks.record import Task

DEFAULT_STYLE = "candy"

STYLIZE = Task(
    name="stylize",
    noun="a style",
    summary="restyle a photo with a trained style network (one forward pass)",
    candidates=lambda model, channels, request: [model or DEFAULT_STYLE],
    unknown_model=lambda name, known: f"unknown style {name!r}; trained styles: {', '.join(sorted(known))}",
)
