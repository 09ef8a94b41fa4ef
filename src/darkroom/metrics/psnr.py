"""PSNR under the restoration papers' conventions.

Super-resolution (SRCNN, VDSR, EDSR, ...): both images are uint8, converted to the Y
channel of MATLAB's ``rgb2ycbcr`` as floats (not re-rounded), a border of ``scale``
pixels is cropped, and PSNR = 10·log10(255² / MSE) is computed per image and averaged
over the set. Denoising (DnCNN, FFDNet, ...): RGB or gray, no crop, peak 255.
When Y is asked for, a gray image is first replicated to RGB and then converted
(so its values map to 16–235, as MATLAB's ``rgb2ycbcr(cat(3, g, g, g))`` does); this is
the convention that reproduces the published bicubic Set14 baselines, whose ``bridge``
image is gray.
"""

from __future__ import annotations

import torch

from darkroom.ops.color import rgb_to_y
from darkroom.ops.shape import check_image_batch


def prepare_for_metric(x: torch.Tensor, *, crop: int = 0, y_channel: bool = False) -> torch.Tensor:
    """Crop the border and optionally take MATLAB's Y channel; returns float64 in [0, 1] scale."""
    check_image_batch(x, "image")
    x = x.double()
    if y_channel:
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        x = rgb_to_y(x)
    if crop > 0:
        x = x[..., crop:-crop, crop:-crop]
    return x


def psnr(
    x: torch.Tensor, y: torch.Tensor, *, crop: int = 0, y_channel: bool = False, data_range: float = 1.0
) -> torch.Tensor:
    """Per-image PSNR in dB between two (B, C, H, W) batches, shape (B,).

    >>> a = torch.zeros(1, 1, 4, 4); b = torch.full((1, 1, 4, 4), 0.1)
    >>> round(float(psnr(a, b)), 4)
    20.0
    """
    if x.shape != y.shape:
        raise ValueError(f"psnr needs equal shapes, got {tuple(x.shape)} and {tuple(y.shape)}")
    a = prepare_for_metric(x, crop=crop, y_channel=y_channel)
    b = prepare_for_metric(y, crop=crop, y_channel=y_channel)
    mse = ((a - b) ** 2).flatten(1).mean(1)
    return 10 * torch.log10(data_range**2 / mse.clamp(min=1e-20))
