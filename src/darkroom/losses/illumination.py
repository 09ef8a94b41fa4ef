"""DeepUPE's losses on an estimated illumination S (Wang et al., "Underexposed Photo Enhancement
using Deep Illumination Estimation", CVPR 2019): besides reconstruction of the target,

- ``illumination_smoothness``: S should be smooth where the image is, and free to change at the
  image's edges: squared gradients of S, each weighted by 1/(|∇L|^θ + ε) of the input's
  luminance L (θ = 1.2, ε = 1e-4, after the paper's smoothness prior);
- ``colour_angle``: the mean angle between each output pixel's RGB vector and the target's, so
  that colours keep their hue even where the pixel loss is small.

>>> import torch
>>> x = torch.rand(1, 3, 8, 8)
>>> float(colour_angle(x, 2 * x)) < 0.01  # the same hue at twice the light (0.0014: the clamp keeps acos finite)
True
>>> red, green = torch.tensor([1.0, 0, 0]).view(1, 3, 1, 1), torch.tensor([0, 1.0, 0]).view(1, 3, 1, 1)
>>> round(float(colour_angle(red, green)), 4)  # orthogonal colours: π/2
1.5708
"""

from __future__ import annotations

import torch
from torch import Tensor


def illumination_smoothness(s: Tensor, image: Tensor, theta: float = 1.2, eps: float = 1e-4) -> Tensor:
    luminance = image.mean(1, keepdim=True)
    dy_l, dx_l = luminance.diff(dim=-2).abs(), luminance.diff(dim=-1).abs()
    dy_s, dx_s = s.diff(dim=-2), s.diff(dim=-1)
    return ((dy_s**2) / (dy_l**theta + eps)).mean() + ((dx_s**2) / (dx_l**theta + eps)).mean()


def colour_angle(output: Tensor, target: Tensor, eps: float = 1e-6) -> Tensor:
    cosine = (output * target).sum(1) / (output.norm(dim=1) * target.norm(dim=1) + eps)
    return torch.acos(cosine.clamp(-1 + 1e-6, 1 - 1e-6)).mean()
