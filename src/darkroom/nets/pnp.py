"""Plug-and-play deconvolution: half-quadratic splitting with a trained denoiser as the prior,
as in IRCNN (Zhang, Zuo, Gu, Zhang, "Learning Deep CNN Denoiser Prior for Image Restoration",
CVPR 2017) and DPIR (Zhang, Li, Zuo, Zhang, Van Gool, Timofte, "Plug-and-Play Image Restoration
with Deep Denoiser Prior", TPAMI 2021).

Given the blur kernel k and the noise level σ (estimated from the input: the wavelet
median-absolute-deviation estimate of Donoho & Johnstone, as scikit-image computes it), it
alternates a closed-form Fourier least-squares step (``darkroom.ops.fourier``) with one pass of
darkroom's shipped FFDNet told a noise level that falls geometrically from 49 to σ over 8
iterations; the data step's weight is 0.23·σ²/σ_k², DPIR's schedule. A photo's border is
unknown scene: ``darkroom.ops.fourier.UnknownBorder`` pads it and refills the pad from the
estimate, three times per iteration; an image said to be periodic (the benchmark's circular
blur) is deconvolved as it is. No new training: the
denoiser's weights are the shipped ``ffdnet_gray`` or ``ffdnet_color``, loaded as they are.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.nets.ffdnet import FFDNet, GuidedOpponentFFDNet
from darkroom.ops.fourier import UnknownBorder, least_squares_step
from darkroom.ops.noise_level import wavelet_noise_sigma
from darkroom.ops.pad import pad_to_multiple

DENOISERS = {"ffdnet": FFDNet, "ffdnet_guided_opponent": GuidedOpponentFFDNet}
LOWEST_SIGMA = 0.255 / 255  # DPIR's floor: the last data step never becomes a bare inverse filter


def estimated_noise(x: Tensor) -> Tensor:
    """Each image's noise σ on the [0, 1] scale, (B, 1, 1, 1), at least DPIR's floor."""
    return wavelet_noise_sigma(x).to(x.device).view(-1, 1, 1, 1).clamp_min(LOWEST_SIGMA)


class PlugAndPlayDeblur(nn.Module):
    """(blurred (B, C, H, W), kernel (1, 1, kh, kw)) → the deconvolved batch."""

    def __init__(self, *, denoiser: str = "ffdnet", iterations: int = 8, sigma_start: float = 49.0, weight: float = 0.23,
                 border_passes: int = 3, **denoiser_kwargs):
        super().__init__()
        self.denoiser = DENOISERS[denoiser](**denoiser_kwargs)
        self.iterations, self.sigma_start, self.weight = iterations, sigma_start / 255, weight
        self.border_passes = border_passes
        # the shipped denoiser's weight file loads as it is: its names gain the "denoiser." prefix
        self._register_load_state_dict_pre_hook(self._as_denoiser_weights)

    @staticmethod
    def _as_denoiser_weights(state_dict, prefix, *_):
        for key in [k for k in state_dict if k.startswith(prefix) and not k.startswith(prefix + "denoiser.")]:
            state_dict[prefix + "denoiser." + key[len(prefix):]] = state_dict.pop(key)

    def denoise(self, x: Tensor, sigma: Tensor) -> Tensor:
        padded, (h, w) = pad_to_multiple(x, 2)  # FFDNet works at half resolution
        return self.denoiser(padded, sigma)[..., :h, :w]

    def forward(self, blurred: Tensor, kernel: Tensor) -> Tensor:
        """``kernel``: (1, 1 or 2, kh, kw), the PSF and, where given, a plane of ones if the image is periodic."""
        noise = estimated_noise(blurred)
        periodic = kernel.shape[1] == 2 and bool(kernel[0, 1, 0, 0] > 0.5)
        border = UnknownBorder(blurred.float(), kernel[:, :1].float(), periodic=periodic)
        sigmas = torch.exp(torch.linspace(0, 1, self.iterations, device=blurred.device).view(1, -1, 1, 1)
                           * (noise.log() - np.log(self.sigma_start)).view(-1, 1, 1, 1) + np.log(self.sigma_start))
        z = estimate = border.observed
        for k in range(self.iterations):
            sigma = sigmas[:, k : k + 1]  # (B, 1, 1, 1)
            weight = self.weight * noise**2 / sigma**2
            for _ in range(self.border_passes if border.pad else 1):
                estimate = least_squares_step(border.spectrum(estimate), border.otf, z, weight)
            z = estimate = self.denoise(estimate.to(blurred.dtype), sigma.to(blurred.dtype)).float()
        return border.crop(z).to(blurred.dtype)


FAMILY = Family(
    "pnp", PlugAndPlayDeblur,
    paper="Zhang, Li, Zuo, Zhang, Van Gool, Timofte, 'Plug-and-Play Image Restoration with Deep Denoiser Prior', "
          "TPAMI 2021 (DPIR); Zhang, Zuo, Gu, Zhang, 'Learning Deep CNN Denoiser Prior for Image Restoration', CVPR 2017",
    geometry=lambda **_: Geometry(1, 48),  # the Fourier step reaches the whole tile; the engine overlaps tiles by 112
    tiny={"denoiser": "ffdnet", "channels": 1, "depth": 3, "features": 8, "iterations": 2},
    kernel_conditioned=True,
)
