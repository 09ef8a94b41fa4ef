"""Zero-DCE's four non-reference losses (Guo et al., "Zero-Reference Deep Curve Estimation for
Low-Light Image Enhancement", CVPR 2020), which judge an enhanced image with no ground truth:

- ``spatial_consistency``: the differences between each 4×4 region of the channel mean and its
  four neighbours should be the same before and after enhancement (contrast kept);
- ``exposure_control``: each 16×16 region's mean level should be near E = 0.6;
- ``colour_constancy``: the image's mean R, G and B should agree (gray world);
- ``illumination_smoothness``: the curve maps should vary smoothly (squared differences).

``zero_reference_loss`` weighs them as the authors' released training script does (spatial 1,
exposure 10, colour 5, smoothness 200; the paper's text states only W_col and W_tvA), and so each
term is written as that script computes it, for which those weights were set: the spatial term
squares the change of the *signed* neighbour differences and the exposure term squares the
distance to E, where the paper's equations take absolute values; the smoothness term sums over
the 24 curve maps.

>>> import torch
>>> gray = torch.full((1, 3, 32, 32), 0.6)
>>> [round(float(v), 4) for v in (exposure_control(gray), colour_constancy(gray), spatial_consistency(gray, gray))]
[0.0, 0.0, 0.0]
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

EXPOSURE_LEVEL = 0.6
EXPOSURE_REGION = 16
SPATIAL_REGION = 4


def _neighbour_differences(x: Tensor) -> list[Tensor]:
    """x minus its left, right, upper and lower neighbour (zero beyond the border)."""
    padded = F.pad(x, (1, 1, 1, 1))
    h, w = x.shape[-2:]
    return [x - padded[..., 1 : h + 1, 0:w], x - padded[..., 1 : h + 1, 2 : w + 2],
            x - padded[..., 0:h, 1 : w + 1], x - padded[..., 2 : h + 2, 1 : w + 1]]


def spatial_consistency(enhanced: Tensor, original: Tensor) -> Tensor:
    pool = lambda x: F.avg_pool2d(x.mean(1, keepdim=True), SPATIAL_REGION)  # noqa: E731
    before, after = _neighbour_differences(pool(original)), _neighbour_differences(pool(enhanced))
    return sum((a - b) ** 2 for a, b in zip(after, before)).mean()


def exposure_control(enhanced: Tensor, level: float = EXPOSURE_LEVEL) -> Tensor:
    return ((F.avg_pool2d(enhanced.mean(1, keepdim=True), EXPOSURE_REGION) - level) ** 2).mean()


def colour_constancy(enhanced: Tensor) -> Tensor:
    r, g, b = enhanced.mean((2, 3)).unbind(1)
    return torch.sqrt((r - g) ** 4 + (r - b) ** 4 + (g - b) ** 4 + 1e-12).mean()


def illumination_smoothness(curves: Tensor) -> Tensor:
    """Squared differences of the curve maps, summed over the maps, averaged over images and places
    (the released code's normalisation: a mean over the channels too would weaken the term 24 times)."""
    vertical = (curves[..., 1:, :] - curves[..., :-1, :]) ** 2
    horizontal = (curves[..., :, 1:] - curves[..., :, :-1]) ** 2
    return 2 * (vertical.sum(1).mean() + horizontal.sum(1).mean())


def zero_reference_loss(enhanced: Tensor, original: Tensor, curves: Tensor, *, spatial: float = 1.0, exposure: float = 10.0,
                        colour: float = 5.0, smoothness: float = 200.0, level: float = EXPOSURE_LEVEL) -> Tensor:
    """The weighted sum of the four losses for one batch."""
    return (spatial * spatial_consistency(enhanced, original) + exposure * exposure_control(enhanced, level)
            + colour * colour_constancy(enhanced) + smoothness * illumination_smoothness(curves))
