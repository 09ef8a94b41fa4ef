"""What every degradation is: a pure, seeded map from a clean batch to a degraded one.

A degradation is a frozen dataclass whose fields are its parameters and whose
``__call__(x, generator)`` returns a new tensor; it never mutates ``x`` and draws all
randomness from the ``torch.Generator`` it is given, so the same seed always gives the
same degraded image, in training and in benchmarks alike. A parameter given as a
``(low, high)`` pair is drawn uniformly per image; given as several pairs, each image
first picks one of them with equal odds (a mixture that puts more samples where the
ranges overlap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import torch


class Degradation(Protocol):
    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor: ...


Param = float | tuple[float, float] | tuple[tuple[float, float], ...]


def sample_param(value: Param, batch: int, generator: torch.Generator) -> torch.Tensor:
    """One value per image, shape (B,): fixed, uniform in [low, high], or from a mixture of such ranges.

    >>> g = torch.Generator().manual_seed(0)
    >>> bool(((sample_param(((0, 10), (50, 60)), 1000, g) - 30).abs() > 20).all())
    True
    """
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], (tuple, list)):
        ranges = torch.tensor([[float(lo), float(hi)] for lo, hi in value], dtype=torch.float64)
        pick = ranges[torch.randint(len(ranges), (batch,), generator=generator)]
        return pick[:, 0] + (pick[:, 1] - pick[:, 0]) * torch.rand(batch, generator=generator, dtype=torch.float64)
    if isinstance(value, (tuple, list)):
        low, high = float(value[0]), float(value[1])
        return low + (high - low) * torch.rand(batch, generator=generator, dtype=torch.float64)
    return torch.full((batch,), float(value), dtype=torch.float64)


def randn_like(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Standard normal noise shaped like ``x``, drawn on the generator's device (reproducible on CPU and CUDA)."""
    return torch.randn(x.shape, generator=generator, device=generator.device, dtype=torch.float32).to(x.device, x.dtype)


def make_generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(int(seed))


@dataclass(frozen=True)
class Chain:
    """Apply degradations in order: ``Chain((Blur(k), Downsample(4), GaussianNoise(5)))``."""

    steps: tuple

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        for step in self.steps:
            x = step(x, generator)
        return x


@dataclass(frozen=True)
class Quantize:
    """Round to 8 (or ``bits``) bits and clip, as saving a degraded input to PNG would."""

    bits: int = 8

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        top = 2**self.bits - 1
        return torch.round(x.clamp(0, 1) * top) / top


def apply(degradation: Degradation, x: torch.Tensor, seed: int = 0) -> torch.Tensor:
    """Run ``degradation`` on ``x`` with a fresh generator seeded by ``seed``.

    >>> from darkroom.degrade import GaussianNoise
    >>> x = torch.zeros(1, 1, 8, 8)
    >>> torch.equal(apply(GaussianNoise(25), x, seed=3), apply(GaussianNoise(25), x, seed=3))
    True
    """
    return degradation(x, make_generator(seed))
