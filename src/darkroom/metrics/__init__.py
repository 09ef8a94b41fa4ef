"""Image quality metrics, as pure functions on tensors: full-reference PSNR/SSIM/PSNR-B, and the
Fréchet distance between feature distributions for generative models."""

from darkroom.metrics.frechet import frechet_distance
from darkroom.metrics.psnr import prepare_for_metric, psnr
from darkroom.metrics.psnrb import blocking_effect_factor, psnrb
from darkroom.metrics.ssim import gaussian_window, ssim

__all__ = ["blocking_effect_factor", "frechet_distance", "gaussian_window", "prepare_for_metric", "psnr", "psnrb", "ssim"]
