"""Super-resolution: make an image ``scale`` times larger.

The default is ``edsr``, a compact EDSR-style residual network (``darkroom.nets.edsr``)
trained here for ×2, ×3 and ×4; ``model`` picks any other family (``bicubic``,
``lanczos3``, ``srcnn``, ``fsrcnn``, ``espcn``) or an exact zoo name (``espcn_x3``).

SRCNN and FSRCNN are luminance networks, as in their papers (Dong et al. 2014, 2016): a
colour image is enlarged with MATLAB bicubic, and the network's luminance replaces the
bicubic one. Because the gray weights (0.299, 0.587, 0.114) sum to one, adding the same
correction to R, G and B changes the luminance by exactly that correction and leaves the
colour differences B − Y and R − Y as bicubic made them.
"""

from __future__ import annotations

import torch

from darkroom.engine import Restorer
from darkroom.errors import DarkroomError
from darkroom.ops.color import rgb_to_gray
from darkroom.ops.resize import imresize
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


def run_upscaler(restorer: Restorer, color: torch.Tensor, **run) -> torch.Tensor:
    """Upscale a (B, C, H, W) batch with ``restorer``; a luminance network gets a colour batch's luminance.

    ``run`` goes to the restorer (tile, precision, device, self_ensemble).

    >>> from darkroom.zoo import load
    >>> x = torch.rand(1, 3, 12, 12)
    >>> out = run_upscaler(load("fsrcnn_x2"), x)
    >>> bicubic = imresize(x, 2)
    >>> chroma = lambda im: im - rgb_to_gray(im)    # B − Y, G − Y, R − Y
    >>> out.shape, bool(torch.allclose(chroma(out), chroma(bicubic), atol=1e-6))
    (torch.Size([1, 3, 24, 24]), True)
    """
    if restorer.spec.in_channels == 1 and color.shape[1] == 3:
        enlarged = imresize(color, restorer.spec.scale)
        luma = restorer(rgb_to_gray(color), **run)
        return enlarged + (luma - rgb_to_gray(enlarged))
    return restorer(color, **run)


def upscale(image, scale: int = 2, model: str | None = None, *, tile: int | None = None,
            precision: str = "fp32", device: str | None = None, self_ensemble: int = 1):
    """Upscale ``image`` by ``scale``, returning the same kind and dtype.

    >>> import numpy as np
    >>> upscale(np.zeros((10, 12, 3), np.uint8), 2).shape
    (20, 24, 3)
    """
    restorer = load_shared(resolve_upscaler(model, int(scale)), device)
    return run_on_image(image, restorer, lambda c: run_upscaler(restorer, c, tile=tile, precision=precision, device=device,
                                                                             self_ensemble=self_ensemble))
