"""Fast style transfer: one forward pass of a transformation network trained for one
style (Johnson, Alahi & Fei-Fei, ECCV 2016; ``darkroom.nets.transformer``).

The network uses instance normalisation, whose statistics are taken over the whole
image, so the image is never tiled (tiles would each get their own statistics and show
seams); ``size`` resizes it first when memory or speed call for it. The optimisation
method (Gatys et al.) is ``darkroom.generate.style.stylize``.
"""

from __future__ import annotations

from darkroom.errors import DarkroomError
from darkroom.ops.contract import from_batch, to_batch
from darkroom.ops.resize import resize_longest
from darkroom.tasks.run import run_on_image
from darkroom.zoo import get_card, list_models, load_shared


def style_names() -> list[str]:
    return sorted(c.name for c in list_models("stylize"))


def stylize(image, model: str = "candy", *, size: int | None = None, device: str | None = None):
    """Restyle ``image`` with a trained style network, returning the same kind and dtype.

    ``size`` (pixels) resizes the longest side first; gray images are styled as RGB and
    come back gray.
    """
    try:
        card = get_card(model)
    except DarkroomError:
        raise DarkroomError(f"unknown style {model!r}; trained styles: {', '.join(style_names())}") from None
    if card.spec.task != "stylize":
        raise DarkroomError(f"model {model!r} is a {card.spec.task} model, not a style")
    if size is not None and size < 16:
        raise DarkroomError(f"size must be at least 16 pixels, got {size}")
    restorer = load_shared(model, device)
    if size is not None:  # resize every channel, alpha included, before styling
        x, kind = to_batch(image, "image")
        image = from_batch(resize_longest(x, size, min_side=4).clamp(0, 1), kind)
    return run_on_image(image, restorer, lambda color: restorer(color, tile=0, device=device), name="image")
