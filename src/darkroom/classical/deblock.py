"""Classical JPEG artifact removal behind the same call as the networks
(``forward(decoded, quality_map)``, q/100 as a (B, 1, 1, 1) map).

- ``DecodedJpeg``: the decoded JPEG itself, the row every JPEG table starts from.
- ``BM3DDeblock``: BM3D (Dabov et al., IEEE TIP 2007; the ``bm3d`` package) run as if the
  JPEG error were white noise, the classical baseline of the JPEG papers' era (Foi et al.'s
  SA-DCT deblocking rests on the same idea). libjpeg's quantization steps scale with
  ``5000 / q`` below q = 50 and ``200 − 2q`` above; the best noise level grows more slowly
  than the steps, σ = 0.35 · scale(q)^0.6, fitted to the best σ on 8 BSD200 training crops
  (gray, 256×256) at q = 10, 20, 30, 40 (15, 10, 8 and 6.5; docs/lab/dejpeg.md), never on a
  test set. BM3D is chosen over OpenCV's filters because it is the strongest well-kept
  classical denoiser darkroom already ships.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

# σ (0–255) = SIGMA_GAIN · scale(q) ** SIGMA_POWER: fitted on training crops (docs/lab/dejpeg.md)
SIGMA_GAIN, SIGMA_POWER = 0.35, 0.6


def libjpeg_scale(quality: float) -> float:
    """libjpeg's table scale in percent at ``quality``: 5000/q below 50, 200 − 2q from 50."""
    q = min(max(float(quality), 1.0), 100.0)
    return 5000.0 / q if q < 50 else 200.0 - 2.0 * q


def deblocking_sigma(quality: float) -> float:
    """The noise level (0–255) BM3D is told for a JPEG of ``quality``.

    >>> round(deblocking_sigma(10), 1), round(deblocking_sigma(40), 1)
    (14.6, 6.3)
    """
    return max(SIGMA_GAIN * libjpeg_scale(quality) ** SIGMA_POWER, 0.5)  # q = 100: BM3D needs some σ


class DecodedJpeg(nn.Module):
    """The decoded JPEG itself (the baseline row)."""

    def forward(self, decoded: Tensor, quality_map: Tensor) -> Tensor:
        return decoded


class BM3DDeblock(nn.Module):
    def forward(self, decoded: Tensor, quality_map: Tensor) -> Tensor:
        import bm3d

        out = []
        for img, q in zip(decoded, quality_map.expand(decoded.shape[0], -1, -1, -1)):
            sigma = deblocking_sigma(float(q.float().mean()) * 100.0) / 255.0
            arr = img.detach().float().cpu().numpy().transpose(1, 2, 0).astype(np.float64)
            res = bm3d.bm3d_rgb(arr, sigma) if arr.shape[2] == 3 else bm3d.bm3d(arr[..., 0], sigma)[..., None]
            out.append(torch.from_numpy(np.asarray(res, dtype=np.float32).reshape(arr.shape).transpose(2, 0, 1).copy()))
        return torch.stack(out).to(decoded.device, decoded.dtype)
