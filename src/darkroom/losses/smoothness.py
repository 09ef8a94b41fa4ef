"""Total variation: the mean ``power``-th power of horizontal and vertical differences.

Two uses, one definition: ``power=1`` (anisotropic TV, Rudin, Osher & Fatemi 1992) smooths
style-transfer images (Johnson et al. 2016); ``power=2`` is CBDNet's smoothness term on the
estimated noise map (Guo et al., CVPR 2019).

>>> import torch
>>> ramp = torch.arange(4.0).repeat(4, 1)[None, None]   # rises by 1 left to right
>>> float(total_variation(ramp, power=1)), float(total_variation(2 * ramp, power=2))
(1.0, 4.0)
"""

from __future__ import annotations

from torch import Tensor


def total_variation(x: Tensor, power: int = 1) -> Tensor:
    vertical = (x[..., 1:, :] - x[..., :-1, :]).abs().pow(power).mean()
    horizontal = (x[..., :, 1:] - x[..., :, :-1]).abs().pow(power).mean()
    return vertical + horizontal
