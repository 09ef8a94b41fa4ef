"""Classical denoisers behind the same call as the networks (``forward(noisy, sigma_map)``,
σ/255 as a (B, 1, 1, 1) or (B, 1, H, W) map; a map is reduced to its mean).

- ``GaussianDenoiser``: a Gaussian low-pass (OpenCV ``GaussianBlur``), width σ_blur = σ/25 px.
- ``BilateralDenoiser``: Tomasi & Manduchi, ICCV 1998 (OpenCV ``bilateralFilter``),
  range σ_r = 2σ, spatial σ_s = 1.5 px.
- ``NonLocalMeans``: Buades, Coll & Morel, CVPR 2005 (OpenCV ``fastNlMeansDenoising`` /
  ``...Colored``), filter strength h = σ, 7×7 patches, 21×21 search window.
- ``BM3D``: Dabov et al., IEEE TIP 2007, and CBM3D for color (the ``bm3d`` package), given the true σ.

The Gaussian, bilateral and NLM settings are rules of thumb, not tuned on any test set.
OpenCV's NLM works on 8-bit images, so its input is clipped and rounded first.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn


def _per_image(x: Tensor, sigma_map: Tensor, fn) -> Tensor:
    out = []
    for img, s in zip(x, sigma_map):
        sigma = float(s.float().mean()) * 255.0
        arr = img.detach().float().cpu().numpy().transpose(1, 2, 0)
        res = np.asarray(fn(arr, sigma), dtype=np.float32)
        res = res.reshape(arr.shape)
        out.append(torch.from_numpy(res.transpose(2, 0, 1).copy()))
    return torch.stack(out).to(x.device, x.dtype)


class GaussianDenoiser(nn.Module):
    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        import cv2

        def run(a, sigma):
            width = max(sigma / 25.0, 1e-3)
            return cv2.GaussianBlur(a, (0, 0), width, borderType=cv2.BORDER_REFLECT)

        return _per_image(noisy, sigma_map, run)


class BilateralDenoiser(nn.Module):
    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        import cv2

        def run(a, sigma):
            return cv2.bilateralFilter(a.astype(np.float32), d=-1, sigmaColor=max(2 * sigma / 255.0, 1e-3), sigmaSpace=1.5)

        return _per_image(noisy, sigma_map, run)


class NonLocalMeans(nn.Module):
    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        import cv2

        def run(a, sigma):
            u8 = np.clip(np.rint(a * 255), 0, 255).astype(np.uint8)
            h = max(sigma, 0.1)
            if u8.shape[2] == 3:
                res = cv2.fastNlMeansDenoisingColored(np.ascontiguousarray(u8), None, float(h), float(h), 7, 21)
            else:
                res = cv2.fastNlMeansDenoising(np.ascontiguousarray(u8[..., 0]), None, float(h), 7, 21)
            return res.astype(np.float32) / 255.0

        return _per_image(noisy, sigma_map, run)


class BM3D(nn.Module):
    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        import bm3d

        def run(a, sigma):
            s = max(sigma, 0.1) / 255.0
            if a.shape[2] == 3:
                return bm3d.bm3d_rgb(a.astype(np.float64), s)
            return bm3d.bm3d(a[..., 0].astype(np.float64), s)

        return _per_image(noisy, sigma_map, run)
