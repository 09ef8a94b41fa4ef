"""The eight flips and rotations of the square (its dihedral group) and their inverses.

Training uses them as augmentation (``darkroom.augment.Dihedral``); inference uses them
for geometric self-ensembling: run a network on each transformed copy, undo the
transform on each output, and average. Timofte, Rothe, Van Gool, "Seven ways to improve
example-based single image super resolution" (CVPR 2016) introduced it; EDSR+ (Lim et
al., CVPRW 2017) and DRUNet's ×8 results use it. Written here because each transform is
two ``torch`` calls and no library in the stack pairs them with their inverses.
"""

from __future__ import annotations

import torch

from darkroom.errors import DarkroomError

# Which transforms a self-ensemble of n runs uses: 2 adds the anti-transpose (which moves
# every pixel, so a pixel-unshuffling network sees other sub-pixel phases), 4 is the four
# rotations, 8 the whole group.
ENSEMBLE_TRANSFORMS = {1: (0,), 2: (0, 7), 4: (0, 1, 2, 3), 8: tuple(range(8))}


def ensemble_transforms(n: int, name: str = "self-ensemble") -> tuple[int, ...]:
    """The transforms a self-ensemble of ``n`` runs uses; a one-line error names ``name`` otherwise.

    >>> ensemble_transforms(4)
    (0, 1, 2, 3)
    """
    if n not in ENSEMBLE_TRANSFORMS:
        raise DarkroomError(f"{name} must be one of {', '.join(map(str, ENSEMBLE_TRANSFORMS))}, got {n!r}")
    return ENSEMBLE_TRANSFORMS[n]


def _check_k(k: int) -> None:
    if not 0 <= k < 8:
        raise ValueError(f"a dihedral transform is numbered 0-7, got {k}")


def dihedral(x: torch.Tensor, k: int) -> torch.Tensor:
    """Transform ``k`` (0-7) of the last two axes: bit 2 mirrors left-right, then the
    image turns by ``k % 4`` quarter turns counter-clockwise. ``k`` = 0 is the identity.

    >>> x = torch.arange(6.0).view(1, 1, 2, 3)
    >>> dihedral(x, 1).shape
    torch.Size([1, 1, 3, 2])
    >>> bool((undo_dihedral(dihedral(x, 7), 7) == x).all())
    True
    """
    _check_k(k)
    if k & 4:
        x = x.flip(-1)
    return torch.rot90(x, k & 3, dims=(-2, -1))


def undo_dihedral(x: torch.Tensor, k: int) -> torch.Tensor:
    """The inverse of :func:`dihedral` (``k``): turn back, then undo the mirror."""
    _check_k(k)
    x = torch.rot90(x, -(k & 3), dims=(-2, -1))
    return x.flip(-1) if k & 4 else x
