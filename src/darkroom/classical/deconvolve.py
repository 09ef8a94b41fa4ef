"""Classical deconvolution given the kernel, behind the same call as the networks
(``forward(blurred, kernel)``, the kernel as (1, 1, kh, kw)), from scikit-image:

- ``Wiener``: the Wiener–Hunt filter with a Laplacian regulariser (``skimage.restoration.wiener``),
  its balance set from the noise level: ``WIENER_GAIN`` × σ², σ the wavelet estimate of the input.
- ``RichardsonLucy``: the Richardson–Lucy iteration (Richardson 1972, Lucy 1974;
  ``skimage.restoration.richardson_lucy``), stopped early as the noise grows: ``RL_ITERATIONS``
  at σ ≤ 2.55, fewer above.
- ``UnsupervisedWiener``: the Wiener–Hunt filter whose balance is sampled from the posterior by
  a Gibbs sampler (Orieux, Giovannelli & Rodet 2010; ``skimage.restoration.unsupervised_wiener``),
  seeded.

``Blurred`` is the input itself, the row every table starts from. The constants were fitted
on BSD200 crops blurred by random camera-shake kernels (``benchmarks/deblur_classical_fit.py``),
never on a test set. Each image is reflected at its borders by the kernel's size first (a
photo does not repeat; an image said to be periodic is extended periodically), deconvolved
channel by channel, and cropped back.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

import torch.nn.functional as F

from darkroom.ops.noise_level import wavelet_noise_sigma

# fitted on BSD200 crops (benchmarks/deblur_classical_fit.py)
WIENER_GAIN = 100.0  # balance = gain · σ² (σ on [0, 1]); 26.80 / 25.27 dB at σ = 2.55 / 7.65 (30: 25.90 / 24.82; 300: 26.64 / 25.01)
RL_ITERATIONS = 20  # at σ = 2.55, falling as 2.55/σ above it; 27.23 / 24.79 dB (10: 26.75 / 24.76; 30: 27.11 / 24.42)


def _noise(channel: np.ndarray) -> float:
    return max(float(wavelet_noise_sigma(torch.from_numpy(channel)[None, None])), 0.255 / 255)


class Blurred(nn.Module):
    """The blurred image itself (the baseline row)."""

    def forward(self, blurred: Tensor) -> Tensor:
        return blurred


class _Deconvolution(nn.Module):
    def deconvolve(self, channel: np.ndarray, psf: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def forward(self, blurred: Tensor, kernel: Tensor) -> Tensor:
        """``kernel``: (1, 1 or 2, kh, kw), the PSF and, where given, a plane of ones if the image is periodic."""
        psf = kernel[0, 0].detach().double().cpu().numpy()
        periodic = kernel.shape[1] == 2 and bool(kernel[0, 1, 0, 0] > 0.5)
        p = max(psf.shape)  # a photo: reflected, so the Fourier methods' wrap-around falls in the pad
        x = blurred.detach().double().cpu()
        arrays = F.pad(x, (p, p, p, p), mode="circular" if periodic else "reflect" if min(x.shape[-2:]) > p else "replicate")
        out = np.stack([np.stack([self.deconvolve(image[c], psf) for c in range(image.shape[0])]) for image in arrays.numpy()])
        out = out[..., p : out.shape[-2] - p, p : out.shape[-1] - p]
        return torch.from_numpy(np.ascontiguousarray(out)).to(blurred.device, blurred.dtype)


class Wiener(_Deconvolution):
    def __init__(self, gain: float = WIENER_GAIN):
        super().__init__()
        self.gain = gain

    def deconvolve(self, channel: np.ndarray, psf: np.ndarray) -> np.ndarray:
        from skimage.restoration import wiener

        return wiener(channel, psf, balance=self.gain * _noise(channel) ** 2, clip=False)


class RichardsonLucy(_Deconvolution):
    def __init__(self, iterations: int = RL_ITERATIONS):
        super().__init__()
        self.iterations = iterations

    def deconvolve(self, channel: np.ndarray, psf: np.ndarray) -> np.ndarray:
        from skimage.restoration import richardson_lucy

        iterations = max(3, round(self.iterations * min(1.0, 2.55 / 255 / _noise(channel))))
        return richardson_lucy(np.clip(channel, 0, None), psf, num_iter=iterations, clip=False)


class UnsupervisedWiener(_Deconvolution):
    def deconvolve(self, channel: np.ndarray, psf: np.ndarray) -> np.ndarray:
        from skimage.restoration import unsupervised_wiener

        return unsupervised_wiener(channel, psf, clip=False, rng=0)[0]
