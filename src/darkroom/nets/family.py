"""The record each network family keeps beside its modules: its paper, its constructor,
the geometry the engine needs (said once, as a function of the constructor's arguments)
and a tiny variant that the tests run forward and backward (after timm, whose model
variants are data and whose tests are generated from its registry).

>>> from darkroom.nets import FAMILIES
>>> FAMILIES["dncnn"].geometry_of({"depth": 20})
Geometry(size_multiple=1, receptive_radius=20)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from torch import nn


@dataclass(frozen=True)
class Geometry:
    """``size_multiple``: the input's height and width must be multiples of it (the engine
    pads). ``receptive_radius``: how far, in input pixels, an output pixel sees; the engine
    overlaps tiles by at least twice that, so tiling does not change the result."""

    size_multiple: int = 1
    receptive_radius: int = 0


@dataclass(frozen=True)
class Family:
    name: str
    build: type[nn.Module]
    paper: str
    geometry: Callable[..., Geometry] = lambda **_: Geometry()
    tiny: Mapping = field(default_factory=dict)
    conditioned: bool = False  # forward(image, map): told a level (σ/255, q/100) as a (B, 1, H, W) or (B, 1, 1, 1) map
    kernel_conditioned: bool = False  # forward(image, kernel): told a blur kernel, (1, 1, kh, kw) summing to 1

    def __call__(self, **kwargs) -> nn.Module:
        """A fresh network of this family (random weights)."""
        return self.build(**kwargs)

    def geometry_of(self, kwargs: Mapping) -> Geometry:
        """The geometry of the network ``self(**kwargs)`` would build, without building it."""
        bound = inspect.signature(self.build).bind(**kwargs)
        bound.apply_defaults()
        return self.geometry(**bound.arguments)
