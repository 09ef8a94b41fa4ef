"""The noise level of an image, estimated from its pixels: the wavelet median-absolute-deviation
estimate of Donoho & Johnstone (1994), as scikit-image's ``estimate_sigma`` computes it, one
definition for the denoisers' no-σ path and the deconvolutions' noise level.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from darkroom.errors import DarkroomError


def wavelet_noise_sigma(x: Tensor) -> Tensor:
    """Noise σ on the [0, 1] scale of each image of a (B, C, H, W) batch, averaged over its channels: shape (B,)."""
    try:
        from skimage.restoration import estimate_sigma
    except ImportError:
        raise DarkroomError("estimating the noise level needs scikit-image (pip install 'darkroom[classical]')") from None
    arrays = x.detach().float().cpu().numpy().transpose(0, 2, 3, 1)
    return torch.tensor([float(np.mean(estimate_sigma(a, channel_axis=-1, average_sigmas=False))) for a in arrays])
