"""SSIM (Wang et al., "Image quality assessment: from error visibility to structural
similarity", IEEE TIP 2004) under the restoration papers' convention.

An 11×11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, population (not sample)
covariance, and the mean over the *valid* region only (no padding). On a 0–255 data
range this equals ``skimage.metrics.structural_similarity(..., gaussian_weights=True,
sigma=1.5, use_sample_covariance=False, data_range=255)`` and MATLAB's ``ssim_index``.
Color images are averaged over channels.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from darkroom.metrics.psnr import prepare_for_metric


def gaussian_window(size: int = 11, sigma: float = 1.5, dtype=torch.float64) -> torch.Tensor:
    """A normalized 2-D Gaussian window, shape (size, size)."""
    r = torch.arange(size, dtype=dtype) - (size - 1) / 2
    g = torch.exp(-(r**2) / (2 * sigma**2))
    g = g / g.sum()
    return g[:, None] * g[None, :]


def ssim(
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    crop: int = 0,
    y_channel: bool = False,
    data_range: float = 1.0,
    window: int = 11,
    sigma: float = 1.5,
) -> torch.Tensor:
    """Per-image SSIM of two (B, C, H, W) batches, shape (B,).

    >>> a = torch.rand(1, 1, 32, 32)
    >>> float(ssim(a, a))
    1.0
    """
    if x.shape != y.shape:
        raise ValueError(f"ssim needs equal shapes, got {tuple(x.shape)} and {tuple(y.shape)}")
    a = prepare_for_metric(x, crop=crop, y_channel=y_channel)
    b = prepare_for_metric(y, crop=crop, y_channel=y_channel)
    if min(a.shape[-2:]) < window:
        raise ValueError(f"ssim needs images of at least {window}×{window} after cropping, got {tuple(a.shape[-2:])}")
    c = a.shape[1]
    g = gaussian_window(window, sigma)[window // 2]  # the 2-D window is separable
    g = (g / g.sum()).to(a.device)
    wy, wx = g.view(1, 1, window, 1).expand(c, 1, window, 1), g.view(1, 1, 1, window).expand(c, 1, 1, window)

    def blur(t: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.conv2d(t, wy, groups=c), wx, groups=c)

    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a**2
    var_b = blur(b * b) - mu_b**2
    cov = blur(a * b) - mu_a * mu_b
    num = (2 * mu_a * mu_b + c1) * (2 * cov + c2)
    den = (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    return (num / den).flatten(1).mean(1)
