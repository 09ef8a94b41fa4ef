"""Color conversions used by the restoration literature.

``rgb_to_ycbcr`` follows MATLAB's ``rgb2ycbcr`` (ITU-R BT.601 with studio swing: Y in
16–235, Cb/Cr in 16–240 on a 0–255 scale), which is the convention behind every
published Y-channel PSNR in super-resolution. Values here stay on the [0, 1] scale, so
Y lies in [16/255, 235/255]. Lab comes from kornia (D65 white, sRGB companding).
"""

from __future__ import annotations

import kornia.color
import torch
from torch import nn

from darkroom.ops.shape import check_image_batch

# MATLAB rgb2ycbcr for double input in [0, 1], result divided by 255.
_YCBCR_MATRIX = torch.tensor(
    [
        [65.481, 128.553, 24.966],
        [-37.797, -74.203, 112.0],
        [112.0, -93.786, -18.214],
    ],
    dtype=torch.float64,
) / 255.0
_YCBCR_OFFSET = torch.tensor([16.0, 128.0, 128.0], dtype=torch.float64) / 255.0


def _apply_matrix(x: torch.Tensor, matrix: torch.Tensor, offset: torch.Tensor | None) -> torch.Tensor:
    m = matrix.to(x.dtype).to(x.device)
    y = torch.einsum("ij,bjhw->bihw", m, x)
    if offset is not None:
        y = y + offset.to(x.dtype).to(x.device).view(1, -1, 1, 1)
    return y


def rgb_to_ycbcr(x: torch.Tensor) -> torch.Tensor:
    """RGB in [0, 1] → YCbCr as MATLAB ``rgb2ycbcr`` / 255.

    >>> round(float(rgb_to_ycbcr(torch.ones(1, 3, 1, 1))[0, 0]) * 255, 4)
    235.0
    """
    check_image_batch(x, "rgb", channels=(3,))
    return _apply_matrix(x, _YCBCR_MATRIX, _YCBCR_OFFSET)


def ycbcr_to_rgb(x: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`rgb_to_ycbcr` (MATLAB ``ycbcr2rgb``)."""
    check_image_batch(x, "ycbcr", channels=(3,))
    inverse = torch.linalg.inv(_YCBCR_MATRIX)
    return _apply_matrix(x - _YCBCR_OFFSET.to(x.dtype).to(x.device).view(1, -1, 1, 1), inverse, None)


def rgb_to_y(x: torch.Tensor) -> torch.Tensor:
    """The Y channel of :func:`rgb_to_ycbcr`, shape (B, 1, H, W)."""
    return rgb_to_ycbcr(x)[:, :1]


def rgb_to_gray(x: torch.Tensor) -> torch.Tensor:
    """Luma with MATLAB ``rgb2gray`` weights (0.2989, 0.5870, 0.1140), full swing."""
    check_image_batch(x, "rgb", channels=(3,))
    w = torch.tensor([0.298936021293775, 0.587043074451121, 0.114020904255103], dtype=x.dtype, device=x.device)
    return (x * w.view(1, 3, 1, 1)).sum(1, keepdim=True)


def with_luminance(color: torch.Tensor, luma: torch.Tensor) -> torch.Tensor:
    """``color`` with its :func:`rgb_to_gray` luminance replaced by ``luma``: the difference is
    added to R, G and B alike, which, as the weights sum to one, changes the luminance by exactly
    that and leaves the colour differences (R − Y, B − Y) as they were.

    >>> x = torch.rand(1, 3, 4, 4)
    >>> bool(torch.allclose(rgb_to_gray(with_luminance(x, torch.zeros(1, 1, 4, 4))), torch.zeros(1, 1, 4, 4), atol=1e-6))
    True
    """
    return color + (luma - rgb_to_gray(color))


def rgb_to_gray_8bit(x: torch.Tensor) -> torch.Tensor:
    """:func:`rgb_to_gray` rounded to 8-bit levels (still on the [0, 1] scale), as a gray PNG stores it."""
    return torch.round(rgb_to_gray(x) * 255).clamp(0, 255) / 255


def rgb_to_lab(x: torch.Tensor) -> torch.Tensor:
    """sRGB in [0, 1] → CIE Lab (L in 0–100), D65; via kornia."""
    check_image_batch(x, "rgb", channels=(3,))
    return kornia.color.rgb_to_lab(x)


def lab_to_rgb(x: torch.Tensor) -> torch.Tensor:
    """CIE Lab → sRGB in [0, 1] (unclipped); via kornia."""
    check_image_batch(x, "lab", channels=(3,))
    return kornia.color.lab_to_rgb(x, clip=False)


# An opponent color space with orthogonal rows (mean, red−blue, green−magenta), scaled so
# every channel of an RGB image in [0, 1] stays in [0, 1]. Orthogonal rows keep white
# Gaussian noise white and independent across channels; each channel's noise σ is the RGB
# σ times its row's norm (OPPONENT_NOISE_GAIN). CBM3D denoises in such a space.
_OPPONENT_MATRIX = torch.tensor([[1 / 3, 1 / 3, 1 / 3], [1 / 2, 0, -1 / 2], [1 / 4, -1 / 2, 1 / 4]], dtype=torch.float64)
_OPPONENT_OFFSET = torch.tensor([0.0, 0.5, 0.5], dtype=torch.float64)
OPPONENT_NOISE_GAIN = tuple(float(g) for g in _OPPONENT_MATRIX.pow(2).sum(1).sqrt())


def rgb_to_opponent(x: torch.Tensor) -> torch.Tensor:
    """RGB → (mean, (R−B)/2 + ½, (R−2G+B)/4 + ½); AWGN of σ becomes AWGN of σ·``OPPONENT_NOISE_GAIN``.

    >>> [round(float(v), 3) for v in rgb_to_opponent(torch.tensor([1.0, 0.0, 0.0]).view(1, 3, 1, 1)).flatten()]
    [0.333, 1.0, 0.75]
    """
    check_image_batch(x, "rgb", channels=(3,))
    return _apply_matrix(x, _OPPONENT_MATRIX, _OPPONENT_OFFSET)


def opponent_to_rgb(x: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`rgb_to_opponent`."""
    check_image_batch(x, "opponent", channels=(3,))
    return _apply_matrix(x - _OPPONENT_OFFSET.to(x.dtype).to(x.device).view(1, -1, 1, 1), torch.linalg.inv(_OPPONENT_MATRIX), None)


class RgbToYcbcr(nn.Module):
    """Module form of :func:`rgb_to_ycbcr`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return rgb_to_ycbcr(x)
