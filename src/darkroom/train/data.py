"""Training pairs made on the fly from folders of clean images.

Sample ``i`` is a pure function of (seed, i): which image, where to crop, which of the
8 flips/rotations (``darkroom.augment.dihedral``), and the degradation's own randomness all come from a generator
seeded by (seed, i). That makes any step's batch reproducible from the step number
alone, which is what exact resume and multi-process training rely on.

Scale jitter (FSRCNN's data augmentation, Dong et al. 2016, which shrank the training
images by 0.9 … 0.6) takes a larger window and shrinks it to the patch size with MATLAB
bicubic, so the network sees structures at more sizes than the photos hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from torch.utils.data import Dataset

from darkroom.augment import dihedral
from darkroom.degrade import add_gaussian_noise, sample_param
from darkroom.degrade.base import Degradation
from darkroom.errors import DarkroomError
from darkroom.io import list_images, read_image
from darkroom.io.datasets import as_uint8
from darkroom.ops.color import rgb_to_gray_8bit
from darkroom.ops.resize import imresize


@dataclass(frozen=True)
class Conditioning:
    """How a conditioned recipe's samples are made: ``draw(degradation, clean, generator)``
    draws the degradation's level for one patch and returns (degraded patch, the level on the
    scale the network is told); ``param`` names the degradation's field holding the range,
    and ``validation_level(range)`` is the one level validation runs at."""

    param: str
    draw: Callable[[Degradation, torch.Tensor, torch.Generator], tuple[torch.Tensor, float]]
    validation_level: Callable[[object], float]


def half_the_highest(level) -> float:
    """Half the highest level of a fixed level, a (low, high) range or a mixture of ranges."""
    if not isinstance(level, tuple):
        return float(level)
    highs = [r[1] for r in level] if isinstance(level[0], tuple) else [level[1]]
    return max(highs) / 2


def _draw_sigma(degradation, clean: torch.Tensor, g: torch.Generator) -> tuple[torch.Tensor, float]:
    sigma = sample_param(degradation.sigma, 1, g)
    return add_gaussian_noise(clean, sigma, g), float(sigma) / 255.0


def _draw_quality(degradation, clean: torch.Tensor, g: torch.Generator) -> tuple[torch.Tensor, float]:
    quality = float(sample_param(degradation.quality, 1, g).round())
    return replace(degradation, quality=quality)(clean, g), quality / 100.0


# What a recipe's ``condition`` may name: the noise level σ (FFDNet) or the JPEG quality q (FBCNN).
CONDITIONINGS: dict[str, Conditioning] = {
    "sigma": Conditioning("sigma", _draw_sigma, half_the_highest),
    # a JPEG quality is a whole number
    "quality": Conditioning("quality", _draw_quality, lambda q: float(round(half_the_highest(q)))),
}


def load_folder_images(folders: list[Path], channels: int) -> list[torch.Tensor]:
    """Every image of the folders as a uint8 (C, H, W) tensor with ``channels`` channels."""
    images = []
    for path in list_images([str(f) for f in folders]):
        px = read_image(path).pixels
        px = as_uint8(px)
        t = torch.from_numpy(px[None] if px.ndim == 2 else px.transpose(2, 0, 1)[:3].copy())
        if channels == 1 and t.shape[0] == 3:
            t = torch.round(rgb_to_gray_8bit(t[None].float() / 255)[0] * 255).to(torch.uint8)
        elif channels == 3 and t.shape[0] == 1:
            t = t.expand(3, -1, -1).contiguous()
        images.append(t)
    if not images:
        raise DarkroomError(f"no training images in {', '.join(map(str, folders))}")
    return images


class PairedPatches(Dataset):
    """(degraded, clean, condition) triples of random patches.

    ``patch`` is the clean patch side; for super-resolution (``scale`` > 1) the
    degradation must shrink it by ``scale``. With a ``condition`` (a name in
    ``CONDITIONINGS``: ``'sigma'`` for ``GaussianNoise``, ``'quality'`` for ``Jpeg``) the
    degradation's level is drawn here and returned as a (1, 1, 1) map of what the network
    is told (σ/255, q/100). ``scale_jitter`` < 1 is
    the smallest factor the clean patch's content is shrunk by (uniform in [it, 1]).
    ``highlight_gain`` > 1 brightens a quarter of the clean patches by a gain uniform in
    [1, it] and clips them at white, as an over-exposed photo is: blown highlights are
    missing from the usual training sets, and a BatchNorm network meets them first at
    inference (``tests/test_zoo.py``).
    """

    def __init__(self, images: list[torch.Tensor], degradation: Degradation, *, patch: int, seed: int,
                 condition: str | None = None, length: int = 10**12, scale_jitter: float = 1.0,
                 highlight_gain: float = 1.0):
        if not 0 < scale_jitter <= 1:
            raise DarkroomError(f"scale_jitter must be in (0, 1], got {scale_jitter}")
        if highlight_gain < 1:
            raise DarkroomError(f"highlight_gain must be at least 1, got {highlight_gain}")
        small = [tuple(im.shape[-2:]) for im in images if min(im.shape[-2:]) < patch]
        if small:
            raise DarkroomError(f"{len(small)} training images are smaller than the patch size {patch}")
        self.images = images
        self.degradation = degradation
        self.patch = patch
        self.seed = seed
        self.condition = condition
        self.length = length
        self.scale_jitter = scale_jitter
        self.highlight_gain = highlight_gain

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int):
        g = torch.Generator().manual_seed(self.seed * 1_000_003 + int(index))
        img = self.images[int(torch.randint(len(self.images), (1,), generator=g))]
        h, w = img.shape[-2:]
        window = self.patch
        if self.scale_jitter < 1:
            factor = self.scale_jitter + (1 - self.scale_jitter) * float(torch.rand((), generator=g))
            window = min(h, w, round(self.patch / factor))
        top = int(torch.randint(h - window + 1, (1,), generator=g))
        left = int(torch.randint(w - window + 1, (1,), generator=g))
        k = int(torch.randint(8, (1,), generator=g))
        clean = dihedral(img[:, top : top + window, left : left + window], k).float()[None] / 255.0
        if window != self.patch:  # an 8-bit image again, as a shrunk photo would be stored
            clean = torch.round(imresize(clean, size=(self.patch, self.patch)).clamp(0, 1) * 255) / 255
        # drawn only when asked, so that recipes without it keep their exact patches
        if self.highlight_gain > 1 and float(torch.rand((), generator=g)) < 0.25:
            gain = 1 + (self.highlight_gain - 1) * float(torch.rand((), generator=g))
            clean = torch.round((clean * gain).clamp(0, 1) * 255) / 255
        if self.condition is not None:
            degraded, told = CONDITIONINGS[self.condition].draw(self.degradation, clean, g)
            cond = torch.full((1, 1, 1), told)
        else:
            degraded = self.degradation(clean, g)
            cond = torch.zeros(0)
        return degraded[0], clean[0], cond


def random_patch(images: list[torch.Tensor], patch: int, g: torch.Generator) -> torch.Tensor:
    """One ``patch``² crop of a random image, in one of the 8 dihedral orientations, on [0, 1]."""
    img = images[int(torch.randint(len(images), (1,), generator=g))]
    h, w = img.shape[-2:]
    top = int(torch.randint(h - patch + 1, (1,), generator=g))
    left = int(torch.randint(w - patch + 1, (1,), generator=g))
    return dihedral(img[:, top : top + patch, left : left + patch], int(torch.randint(8, (1,), generator=g))).float() / 255


def content_crop(photos: list[torch.Tensor], size: int, g: torch.Generator) -> torch.Tensor:
    """A fast-style content sample (Johnson et al. 2016 train on 256² COCO crops): a square of
    0.6–1 of a random photo's shorter side, resized to ``size``² (antialiased), flipped half the time."""
    import torch.nn.functional as F

    img = photos[int(torch.randint(len(photos), (1,), generator=g))]
    h, w = img.shape[-2:]
    side = max(16, int(min(h, w) * (0.6 + 0.4 * float(torch.rand((), generator=g)))))
    top = int(torch.randint(h - side + 1, (1,), generator=g))
    left = int(torch.randint(w - side + 1, (1,), generator=g))
    crop = img[:, top : top + side, left : left + side].float()[None] / 255
    crop = F.interpolate(crop, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    if float(torch.rand((), generator=g)) < 0.5:
        crop = crop.flip(-1)
    return crop[0].clamp(0, 1)
