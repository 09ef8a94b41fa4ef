"""Seeded, composable, pure degradations: for making training pairs and benchmark inputs.

>>> import torch
>>> from darkroom.degrade import Chain, Downsample, GaussianNoise, Quantize, apply
>>> lr = apply(Chain((Downsample(2), GaussianNoise(5), Quantize())), torch.rand(1, 3, 16, 16), seed=0)
>>> tuple(lr.shape)
(1, 3, 8, 8)
"""

from darkroom.degrade.base import Chain, Degradation, Quantize, apply, make_generator, sample_param
from darkroom.degrade.blur import (KERNEL_KINDS, Blur, RandomBlur, blur, defocus_kernel, gaussian_kernel, linear_motion_kernel,
                                   motion_kernel, random_kernel, trajectory_kernel, varying_blur)
from darkroom.degrade.camera import CameraNoise, camera_noise, demosaic_bilinear
from darkroom.degrade.jpeg import Jpeg, jpeg_compress
from darkroom.degrade.masks import Grayscale, Mask, apply_mask, box_mask, free_form_mask
from darkroom.degrade.noise import (GaussianNoise, PoissonGaussianNoise, add_gaussian_noise, add_poisson_gaussian_noise,
                                    local_noise_level)
from darkroom.degrade.resample import BicubicRoundTrip, Downsample, bicubic_downsample
from darkroom.degrade.scene import Haze, LowLight, add_haze, darken, depth_proxy, random_depth

__all__ = [
    "KERNEL_KINDS", "BicubicRoundTrip", "Blur", "RandomBlur", "defocus_kernel", "linear_motion_kernel", "random_kernel",
    "trajectory_kernel", "varying_blur", "CameraNoise", "Chain", "Degradation", "Downsample", "GaussianNoise", "Grayscale", "Haze", "Jpeg",
    "LowLight", "Mask", "PoissonGaussianNoise", "Quantize", "add_gaussian_noise", "add_haze",
    "add_poisson_gaussian_noise", "apply", "apply_mask", "bicubic_downsample", "blur", "box_mask",
    "camera_noise", "darken", "demosaic_bilinear", "depth_proxy", "random_depth", "free_form_mask", "gaussian_kernel",
    "jpeg_compress", "local_noise_level", "make_generator", "motion_kernel", "sample_param",
]
