"""What every task verb does around its model: take any contract-conforming image,
keep alpha apart, match the model's channels, run the engine, and return the image
in the kind and dtype it came in."""

from __future__ import annotations

from collections.abc import Callable

import torch

from darkroom.engine import Restorer
from darkroom.ops.alpha import bleed_transparent, split_alpha
from darkroom.ops.contract import from_batch, to_batch
from darkroom.ops.resize import imresize

RunColor = Callable[[torch.Tensor], torch.Tensor]


def run_on_image(image, restorer: Restorer, run: RunColor, *, name: str = "image"):
    """Apply ``run`` (color batch → restored color batch) to ``image``, alpha kept separately.

    Gray images go through a color model as three equal channels and come back gray;
    alpha is resized with MATLAB bicubic when the model changes the size.
    """
    x, kind = to_batch(image, name)
    color, alpha = split_alpha(x)
    if alpha is not None:
        color = bleed_transparent(color, alpha)
    gray_through_color = restorer.spec.in_channels == 3 and color.shape[1] == 1
    if gray_through_color:
        color = color.expand(-1, 3, -1, -1)
    out = run(color)
    if gray_through_color:
        out = out.mean(1, keepdim=True)
    if alpha is not None:
        scale = restorer.spec.scale
        a = imresize(alpha, scale) if scale != 1 else alpha
        out = torch.cat([out, a.clamp(0, 1)], 1)
    return from_batch(out, kind)
