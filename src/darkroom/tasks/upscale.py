"""Super-resolution: make an image ``scale`` times larger.

The default is ``edsr``, a compact EDSR-style residual network (``darkroom.nets.edsr``)
trained here for ×2, ×3 and ×4; ``model`` picks any other family (``bicubic``,
``lanczos3``, ``srcnn``, ``fsrcnn``, ``espcn``) or an exact zoo name (``espcn_x3``).
"""

from __future__ import annotations

from darkroom.errors import DarkroomError
from darkroom.tasks.run import run_on_image
from darkroom.zoo import get_card, list_models, load_shared

SCALES = (2, 3, 4)
DEFAULT_UPSCALER = "edsr"


def resolve_upscaler(model: str | None, scale: int) -> str:
    """Map a family name (``bicubic``) or an exact name (``bicubic_x2``) to a zoo entry."""
    if scale not in SCALES:
        raise DarkroomError(f"scale must be one of {', '.join(map(str, SCALES))}, got {scale}")
    name = model or DEFAULT_UPSCALER
    candidates = [f"{name}_x{scale}", name]
    for candidate in candidates:
        try:
            card = get_card(candidate)
        except DarkroomError:
            continue
        if card.spec.task != "upscale":
            raise DarkroomError(f"model {candidate!r} is a {card.spec.task} model, not an upscaler")
        if card.spec.scale != scale:
            raise DarkroomError(f"model {candidate!r} upscales ×{card.spec.scale}, not ×{scale}")
        return candidate
    known = sorted({c.name.rsplit("_x", 1)[0] for c in list_models("upscale")})
    raise DarkroomError(f"unknown upscaling model {name!r}; choose from {', '.join(known)}")


def upscale(image, scale: int = 2, model: str | None = None, *, tile: int | None = None,
            precision: str = "fp32", device: str | None = None):
    """Upscale ``image`` by ``scale``, returning the same kind and dtype.

    >>> import numpy as np
    >>> upscale(np.zeros((10, 12, 3), np.uint8), 2).shape
    (20, 24, 3)
    """
    restorer = load_shared(resolve_upscaler(model, int(scale)))
    return run_on_image(image, restorer, lambda c: restorer(c, tile=tile, precision=precision, device=device))
