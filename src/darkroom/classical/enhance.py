"""Classical low-light enhancers and the operators HDRNet learns, behind the networks' call:

- ``Dark``: the input itself, the row every table starts from.
- ``Gamma``: a global power curve on each channel, its exponent set per image so that the mean
  luminance reaches ``target`` (0.45) and never above 1, so a bright photo is left as it is.
- ``Clahe`` (from ``darkroom.classical.dehaze``): CLAHE on CIELAB's L (OpenCV).
- ``Lime``: Guo, Li & Ling, "LIME: Low-Light Image Enhancement via Illumination Map Estimation",
  IEEE TIP 2017. The initial illumination is each pixel's largest channel, T̂ = max_c L_c; it is
  refined by the paper's structure-aware smoothing, the sped-up solver of its Section III-C:

      (I + α Σ_d D_dᵀ diag(W_d / (|∇_d T̂| + ε)) D_d) t = t̂,
      W_d = 1 / (|G_σ ∗ ∇_d T̂| + ε)                           (its strategy III)

  with α = 0.15, σ = 2, ε = 1e-3 as the paper sets them; then R = L / T^γ with γ = 0.8. No
  maintained library has LIME (not scikit-image, OpenCV or kornia), so it is written here; the
  sparse solve is SciPy's. The paper denoises R with BM3D afterwards; that step is left out
  here so that every row of the benchmark is judged without a denoiser. Above
  ``work_pixels`` the map is solved on a copy shrunk to that size and brought back bilinearly
  (it is smooth by construction), so a 12-megapixel photo stays in memory and time bounds.
- ``LocalLaplacian``: the local Laplacian filter's presets (``darkroom.ops.local_laplacian``).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.ops.color import rgb_to_gray

GAMMA_TARGET = 0.45  # the mean luminance a gamma-corrected photo is brought to
LIME_ALPHA, LIME_SIGMA, LIME_EPS, LIME_GAMMA = 0.15, 2.0, 1e-3, 0.8


class Dark(nn.Module):
    """The under-exposed image itself (the baseline row)."""

    def forward(self, x: Tensor) -> Tensor:
        return x


class Gamma(nn.Module):
    """x^γ per image, γ = log(target)/log(mean luminance), at most 1 (never darkens)."""

    def __init__(self, target: float = GAMMA_TARGET):
        super().__init__()
        self.target = target

    def forward(self, x: Tensor) -> Tensor:
        mean = rgb_to_gray(x.clamp(0, 1)).mean((1, 2, 3), keepdim=True).clamp(1e-4, 1 - 1e-4)
        gamma = (math.log(self.target) / torch.log(mean)).clamp(0.1, 1.0)
        return x.clamp(0, 1) ** gamma


def _refine_illumination(initial: np.ndarray, alpha: float, sigma: float, eps: float) -> np.ndarray:
    """LIME's sped-up structure-aware refinement of an (H, W) map (strategy III weights)."""
    import cv2
    from scipy.sparse import diags
    from scipy.sparse.linalg import spsolve

    h, w = initial.shape
    dx = np.diff(initial, axis=1, append=initial[:, -1:])  # forward differences, zero at the far border
    dy = np.diff(initial, axis=0, append=initial[-1:, :])
    k = int(2 * math.ceil(3 * sigma) + 1)
    wx = 1 / (np.abs(cv2.GaussianBlur(dx, (k, k), sigma, borderType=cv2.BORDER_REFLECT)) + eps) / (np.abs(dx) + eps)
    wy = 1 / (np.abs(cv2.GaussianBlur(dy, (k, k), sigma, borderType=cv2.BORDER_REFLECT)) + eps) / (np.abs(dy) + eps)
    wx[:, -1] = 0  # no neighbour beyond the border
    wy[-1, :] = 0
    n = h * w
    # D_x t = t[x+1] − t[x] (row-major); Σ_d D_dᵀ W_d D_d is a five-band Laplacian with these weights
    ax, ay = alpha * wx.ravel(), alpha * wy.ravel()
    centre = 1 + ax + ay + np.concatenate(([0.0], ax[:-1])) + np.concatenate((np.zeros(w), ay[:-w]))
    matrix = diags([centre, -ax[:-1], -ax[:-1], -ay[:-w], -ay[:-w]], [0, 1, -1, w, -w], shape=(n, n), format="csc")
    return spsolve(matrix, initial.ravel().astype(np.float64)).reshape(h, w)


class Lime(nn.Module):
    """LIME (Guo et al., TIP 2017): R = L / T^γ, T the refined max-RGB illumination."""

    def __init__(self, alpha: float = LIME_ALPHA, sigma: float = LIME_SIGMA, eps: float = LIME_EPS,
                 gamma: float = LIME_GAMMA, work_pixels: int = 500_000):
        super().__init__()
        self.alpha, self.sigma, self.eps, self.gamma, self.work_pixels = alpha, sigma, eps, gamma, work_pixels

    def illumination(self, x: Tensor) -> Tensor:
        """The refined map T, (B, 1, H, W) on (0, 1]."""
        h, w = x.shape[-2:]
        initial = x.clamp(0, 1).amax(1, keepdim=True)
        shrink = min(1.0, math.sqrt(self.work_pixels / (h * w)))
        small = initial if shrink == 1 else F.interpolate(initial, scale_factor=shrink, mode="area")
        maps = [torch.from_numpy(_refine_illumination(m[0].double().cpu().numpy(), self.alpha, self.sigma, self.eps))
                for m in small]
        t = torch.stack(maps)[:, None].to(x)
        if shrink != 1:
            t = F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)
        return t.clamp(self.eps, 1)

    def forward(self, x: Tensor) -> Tensor:
        return (x.clamp(0, 1) / self.illumination(x) ** self.gamma).clamp(0, 1)


class LocalLaplacian(nn.Module):
    """One of the local Laplacian filter's presets (``darkroom.ops.local_laplacian.OPERATORS``)."""

    def __init__(self, preset: str = "local_laplacian_detail"):
        super().__init__()
        from darkroom.ops.local_laplacian import OPERATORS

        self.preset = preset
        self.operator = OPERATORS[preset]

    def forward(self, x: Tensor) -> Tensor:
        return self.operator(x.clamp(0, 1))
