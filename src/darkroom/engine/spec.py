"""The model descriptor: what the engine must know to run a network on any image
(after spandrel's idea of a loaded model that carries its own requirements)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from darkroom.tasks import TaskName


@dataclass(frozen=True)
class ModelSpec:
    """Task, geometry and running policy of an image-to-image model.

    ``receptive_radius`` is how far (in input pixels) an output pixel sees; the engine
    overlaps tiles by at least twice that so tiling does not change the result.
    ``tile`` is the default tile side in input pixels (0: never tile, e.g. a global
    resize). ``in_channels`` = 0 means any number of channels, with as many out
    (``out_channels`` = 0). ``conditioned`` models take a (B, 1, H, W) map (σ/255 for denoisers) as a
    second input; for a ``blind`` denoiser that map is instead the strength γ that
    multiplies its own noise estimate (1 = as estimated). ``channels_last`` runs the network
    and its input in NHWC memory order, where oneDNN's x86 convolutions run fastest; it
    changes speed, not results (``benchmarks/memory_format.py`` measures which networks gain).
    """

    task: TaskName
    in_channels: int
    out_channels: int
    scale: int = 1
    size_multiple: int = 1
    receptive_radius: int = 0
    tile: int = 256
    min_size: int = 1
    # bf16 autocast keeps this model's scores (within 0.01 dB on its benchmark, measured on a CPU
    # with native bf16: benchmarks/weights_precision.py --compute-bf16); --precision auto uses it then
    bf16: bool = False
    conditioned: bool = False
    blind: bool = False
    channels_last: bool = False
    # the condition is a blur kernel (1, 2, kh, kw: the PSF, and ones where the image is periodic),
    # not a map: every tile gets it whole (turned with the tile under self-ensemble), since a
    # point-spread function is the same everywhere
    kernel_conditioned: bool = False

    def __post_init__(self):
        if self.task not in get_args(TaskName):
            raise ValueError(f"unknown task {self.task!r}; the tasks are {', '.join(get_args(TaskName))}")
        if self.scale < 1 or self.size_multiple < 1:
            raise ValueError("scale and size_multiple must be positive")
