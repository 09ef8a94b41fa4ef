"""Full-reference image quality metrics, as pure functions on tensors."""

from darkroom.metrics.psnr import prepare_for_metric, psnr
from darkroom.metrics.ssim import gaussian_window, ssim

__all__ = ["gaussian_window", "prepare_for_metric", "psnr", "ssim"]
