"""Seeded, composable data augmentation on tensors, safe for paired targets.

The augmentations the surveys teach against over-fitting (Simard et al. 2003;
Krizhevsky et al. 2012): scaling, shifting, rotation, flips, crops, the 8 dihedral
transforms, and photometric jitter of brightness, contrast, hue, saturation and gamma.

Why not a ready-made pipeline: kornia's ``kornia.augmentation`` draws its parameters
from the global random state, and albumentations works on NumPy images one at a time.
darkroom needs parameters that are a pure function of a seed (so a training batch can
be rebuilt from its step number after a resume) and the same geometric draw applied to
several targets (noisy/clean, image/mask) while photometric jitter touches only the
targets that ask for it. So each transform here *samples* its parameters from a
``torch.Generator`` and *applies* them with kornia's functional kernels
(``warp_affine``, ``adjust_hue`` …), which are exact and batched.

>>> import torch
>>> from darkroom.augment import Affine, Compose, Flip, augment
>>> image, mask = torch.rand(2, 3, 32, 32), torch.rand(2, 1, 32, 32).round()
>>> a, m = augment([image, mask], Compose((Flip(), Affine(degrees=10))), seed=0, modes=("bilinear", "nearest"))
>>> a.shape, m.shape
(torch.Size([2, 3, 32, 32]), torch.Size([2, 1, 32, 32]))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import kornia
import torch
from torch import Tensor

from darkroom.ops.geometry import dihedral
from darkroom.ops.shape import check_image_batch


def _uniform(g: torch.Generator, n: int, low: float, high: float) -> Tensor:
    return low + (high - low) * torch.rand(n, generator=g)


@dataclass(frozen=True)
class Dihedral:
    """One of the 8 flips/rotations per sample (the restoration trainers' augmentation)."""

    geometric = True

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        if size[0] != size[1]:
            raise ValueError(f"Dihedral needs square images (rotations by 90° swap the sides), got {size}")
        return torch.randint(8, (batch,), generator=g)

    def apply(self, x: Tensor, ks: Tensor, mode: str) -> Tensor:
        return torch.stack([dihedral(x[i], int(k)) for i, k in enumerate(ks)])


@dataclass(frozen=True)
class Flip:
    """Horizontal (and optionally vertical) mirror, each with its own probability."""

    horizontal: float = 0.5
    vertical: float = 0.0
    geometric = True

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        return torch.rand(batch, 2, generator=g) < torch.tensor([self.horizontal, self.vertical])

    def apply(self, x: Tensor, flips: Tensor, mode: str) -> Tensor:
        out = torch.where(flips[:, 0, None, None, None], x.flip(-1), x)
        return torch.where(flips[:, 1, None, None, None], out.flip(-2), out)


@dataclass(frozen=True)
class Affine:
    """Rotation by ±``degrees``, shift by ±``translate`` of the size, zoom in ``scale``.

    One 2×3 matrix per sample about the image centre; borders are filled by reflection
    so no black corners teach the network a false cue.
    """

    degrees: float = 0.0
    translate: float = 0.0
    scale: tuple[float, float] = (1.0, 1.0)
    geometric = True

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        h, w = size
        angle = _uniform(g, batch, -self.degrees, self.degrees)
        shift = torch.stack([_uniform(g, batch, -self.translate, self.translate) * w,
                             _uniform(g, batch, -self.translate, self.translate) * h], 1)
        zoom = _uniform(g, batch, *self.scale)
        center = torch.tensor([(w - 1) / 2, (h - 1) / 2]).expand(batch, 2)
        matrix = kornia.geometry.transform.get_rotation_matrix2d(center, angle, torch.stack([zoom, zoom], 1))
        matrix[:, :, 2] += shift
        return matrix

    def apply(self, x: Tensor, matrix: Tensor, mode: str) -> Tensor:
        return kornia.geometry.transform.warp_affine(x, matrix.to(x), tuple(x.shape[-2:]), mode=mode,
                                                     padding_mode="reflection", align_corners=True)


@dataclass(frozen=True)
class RandomCrop:
    """A ``size``×``size`` window at a random place (the same place in every target)."""

    size: int
    geometric = True

    def room(self, size: tuple[int, int]) -> tuple[int, int]:
        """How far the window's corner can move down and right."""
        h, w = size
        if min(h, w) < self.size:
            raise ValueError(f"cannot crop {self.size}×{self.size} from a {h}×{w} image")
        return h - self.size, w - self.size

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        down, right = self.room(size)
        return torch.stack([torch.randint(down + 1, (batch,), generator=g), torch.randint(right + 1, (batch,), generator=g)], 1)

    def apply(self, x: Tensor, corners: Tensor, mode: str) -> Tensor:
        s = self.size
        return torch.stack([x[i, :, int(t) : int(t) + s, int(l) : int(l) + s] for i, (t, l) in enumerate(corners)])


@dataclass(frozen=True)
class CenterCrop(RandomCrop):
    """The middle ``size``×``size`` window (validation's counterpart of ``RandomCrop``)."""

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        down, right = self.room(size)
        return torch.tensor([down // 2, right // 2]).expand(batch, 2)


@dataclass(frozen=True)
class ColorJitter:
    """Brightness (additive), contrast, saturation (factors about 1) and hue (fraction of a turn).

    Saturation and hue need 3 channels and are skipped on gray images.
    """

    brightness: float = 0.0
    contrast: float = 0.0
    saturation: float = 0.0
    hue: float = 0.0
    geometric = False

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        return torch.stack([_uniform(g, batch, -self.brightness, self.brightness),
                            _uniform(g, batch, 1 - self.contrast, 1 + self.contrast),
                            _uniform(g, batch, 1 - self.saturation, 1 + self.saturation),
                            _uniform(g, batch, -self.hue, self.hue)], 1)

    def apply(self, x: Tensor, p: Tensor, mode: str) -> Tensor:
        p = p.to(x)
        x = kornia.enhance.adjust_brightness(x, p[:, 0], clip_output=True)
        x = kornia.enhance.adjust_contrast(x, p[:, 1], clip_output=True)
        if x.shape[1] == 3:
            x = kornia.enhance.adjust_saturation(x, p[:, 2])
            x = kornia.enhance.adjust_hue(x, p[:, 3] * 2 * math.pi)
        return x.clamp(0, 1)


@dataclass(frozen=True)
class Gamma:
    """x ** γ with γ drawn log-uniformly in ``gamma`` (darker above 1, brighter below)."""

    gamma: tuple[float, float] = (0.7, 1.4)
    geometric = False

    def sample(self, g: torch.Generator, batch: int, size: tuple[int, int]) -> Tensor:
        return torch.exp(_uniform(g, batch, math.log(self.gamma[0]), math.log(self.gamma[1])))

    def apply(self, x: Tensor, gammas: Tensor, mode: str) -> Tensor:
        return x.clamp(0, 1) ** gammas.to(x)[:, None, None, None]


@dataclass(frozen=True)
class Compose:
    transforms: tuple

    def __iter__(self):
        return iter(self.transforms)


PRESETS: dict[str, Compose] = {
    # survey 000's Figure 1: shifts, zooms, rotations, flips, colour
    "classify": Compose((Affine(degrees=20, translate=0.1, scale=(0.85, 1.15)), Flip(0.5),
                         ColorJitter(brightness=0.15, contrast=0.2, saturation=0.3, hue=0.04), Gamma((0.8, 1.25)))),
    # digits are not mirror-symmetric: small affine moves only
    "digits": Compose((Affine(degrees=10, translate=0.08, scale=(0.9, 1.1)),)),
    # restoration pairs: lossless rearrangements only
    "restore": Compose((Dihedral(),)),
}


def augment(images: Sequence[Tensor], pipeline: Compose | object, *, seed: int | None = None,
            generator: torch.Generator | None = None, photometric: Sequence[bool] | None = None,
            modes: Sequence[str] | None = None) -> list[Tensor]:
    """Apply ``pipeline`` to every (B, C, H, W) tensor of ``images`` with one random draw.

    Geometric transforms move all targets alike; photometric ones change only the
    targets whose ``photometric`` flag is true (default: the first only). ``modes`` is
    the resampling per target: "bilinear" for images, "nearest" for masks and labels.
    Inputs are floats in [0, 1]; the draw depends only on ``seed`` (or ``generator``).
    """
    if not images:
        raise ValueError("augment needs at least one image batch")
    for x in images:
        check_image_batch(x)
    batch, size = images[0].shape[0], tuple(images[0].shape[-2:])
    for x in images[1:]:
        if x.shape[0] != batch or tuple(x.shape[-2:]) != size:
            raise ValueError(f"paired targets must share batch and size: {tuple(images[0].shape)} vs {tuple(x.shape)}")
    photometric = list(photometric) if photometric is not None else [True] + [False] * (len(images) - 1)
    modes = list(modes) if modes is not None else ["bilinear"] * len(images)
    if len(photometric) != len(images) or len(modes) != len(images):
        raise ValueError("photometric and modes need one entry per image batch")
    g = generator if generator is not None else torch.Generator().manual_seed(0 if seed is None else seed)
    out = list(images)
    for transform in pipeline if isinstance(pipeline, Compose) else (pipeline,):
        params = transform.sample(g, batch, tuple(out[0].shape[-2:]))
        out = [transform.apply(x, params, mode) if transform.geometric or jitter else x
               for x, jitter, mode in zip(out, photometric, modes)]
    return out
