"""DeepDream (Mordvintsev, Olah & Tyka, Google Research blog, 2015): amplify whatever a
chosen layer already sees in a photo, by gradient ascent on the image.

The objective is the mean squared activation of the layer. The image is processed as
an octave pyramid, smallest first: at each octave the ascent runs with jitter and
gradient normalisation (``darkroom.visualize.gradient_ascent``, the engine shared with
activation maximisation), and the *detail* it added is carried up to the next octave,
so large structures form at coarse scales and fine ones at the photo's own size.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from darkroom.errors import DarkroomError
from darkroom.ops import check_image_batch, imresize
from darkroom.visualize import gradient_ascent, layer_objective


def dream(image: Tensor, model: nn.Module, layer: str, *, octaves: int = 4, octave_scale: float = 1.4,
          steps: int = 20, lr: float = 0.01, jitter: int = 16, seed: int = 0,
          normalize: Callable[[Tensor], Tensor] = lambda t: t,
          progress: Callable[[int, int, float], None] | None = None) -> Tensor:
    """Dream on ``image`` (1, C, H, W) in [0, 1] with ``model``'s ``layer``; returns the same shape."""
    check_image_batch(image)
    if octaves < 1 or octave_scale <= 1:
        raise DarkroomError("octaves must be at least 1 and octave_scale above 1")
    h, w = image.shape[-2:]
    sizes = [(max(8, round(h / octave_scale**k)), max(8, round(w / octave_scale**k))) for k in range(octaves)][::-1]
    model.eval()
    params = list(model.parameters())
    trainable = [p.requires_grad for p in params]
    for p in params:
        p.requires_grad_(False)
    objective = layer_objective(model, layer)
    g = torch.Generator().manual_seed(seed)
    detail = torch.zeros(1, image.shape[1], *sizes[0])
    try:
        for octave, size in enumerate(sizes):
            base = imresize(image, size=size).clamp(0, 1)
            detail = imresize(detail, size=size)
            dreamed = gradient_ascent((base + detail).clamp(0, 1), objective, steps=steps, lr=lr, jitter=jitter,
                                      blur_every=0, generator=g, normalize=normalize,
                                      progress=(lambda step, value, o=octave: progress(o, step, value)) if progress else None)
            detail = dreamed - base
    finally:
        for p, flag in zip(params, trainable):
            p.requires_grad_(flag)
    return (image + imresize(detail, size=(h, w))).clamp(0, 1)
