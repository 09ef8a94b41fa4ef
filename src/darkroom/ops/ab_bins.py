"""Colour as classes: the quantized ab plane of Zhang, Isola & Efros, "Colorful Image
Colorization" (ECCV 2016), as pure tensor functions.

- ``gamut_bins``: the ab plane (CIE Lab, D65) cut into squares of side 10 centred on multiples
  of 10, keeping the squares that hold at least one displayable colour: a square is in gamut
  where some (L, a, b) inside it (L from 0 to 100, a and b on a 1-unit lattice, its borders
  included) converts to sRGB within [0, 1]. This check, done here in closed form, keeps **262**
  squares. The paper keeps 313: its released table (``pts_in_hull.npy``) also holds squares that
  no sRGB colour reaches, and the paper does not say how it was made; every square kept here can
  be shown on a screen.
- ``soft_encode``: a pixel's ab as a distribution over the bins: its 5 nearest bins weighted
  by a Gaussian of σ = 5 on the distance, normalised (the paper's soft encoding).
- ``empirical_prior``: how often each bin is the nearest to a pixel's ab in a set of photos.
- ``rebalancing_weights``: w ∝ ((1 − λ)·p̃ + λ/Q)⁻¹ with p̃ the prior smoothed by a Gaussian of
  σ = 5 over the ab plane and λ = 0.5, normalised so that E_p̃[w] = 1 (the paper's Eq. 4).
- ``annealed_mean``: H(Z) = E[f_T(Z)], f_T(z) = exp(log z / T) / Σ exp(log z / T): T = 1 is
  the mean, T → 0 the mode; the paper's T = 0.38 sits between the desaturated mean and the
  patchy mode.

No maintained library offers these (not kornia, scikit-image or OpenCV), so they are here.

>>> bins = gamut_bins()
>>> bins.shape
torch.Size([262, 2])
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

GRID = 10.0
NEIGHBOURS = 5
SIGMA = 5.0
LAMBDA = 0.5
TEMPERATURE = 0.38
_D65 = (0.95047, 1.0, 1.08883)
_XYZ_TO_LINEAR_RGB = torch.tensor([[3.2404542, -1.5371385, -0.4985314],
                                   [-0.9692660, 1.8760108, 0.0415560],
                                   [0.0556434, -0.2040259, 1.0572252]], dtype=torch.float64)


def _lab_displayable(lab: Tensor) -> Tensor:
    """Whether each (…, 3) Lab colour converts to linear sRGB within [0, 1] (CIE 1976 Lab, D65)."""
    fy = (lab[..., 0] + 16) / 116
    fx, fz = fy + lab[..., 1] / 500, fy - lab[..., 2] / 200
    epsilon, kappa = 216 / 24389, 24389 / 27
    inverse = lambda f: torch.where(f**3 > epsilon, f**3, (116 * f - 16) / kappa)  # noqa: E731
    xyz = torch.stack((inverse(fx) * _D65[0], inverse(fy) * _D65[1], inverse(fz) * _D65[2]), -1)
    rgb = xyz @ _XYZ_TO_LINEAR_RGB.T
    return ((rgb >= -1e-9) & (rgb <= 1 + 1e-9)).all(-1)  # the transfer curve keeps [0, 1]: linear is enough


@functools.cache
def _gamut_bins(grid: float) -> Tensor:
    centres = torch.arange(-110.0, 110.0 + grid / 2, grid, dtype=torch.float64)
    offsets = torch.arange(-grid / 2, grid / 2 + 0.5, 1.0, dtype=torch.float64)
    axis = (centres[:, None] + offsets[None]).flatten()
    a, b = torch.meshgrid(axis, axis, indexing="ij")
    seen = torch.zeros_like(a, dtype=torch.bool)
    for lightness in range(101):
        seen |= _lab_displayable(torch.stack((torch.full_like(a, float(lightness)), a, b), -1))
    n, k = len(centres), len(offsets)
    keep = seen.view(n, k, n, k).any(3).any(1)
    ca, cb = torch.meshgrid(centres, centres, indexing="ij")
    return torch.stack((ca[keep], cb[keep]), -1).float()


def gamut_bins(grid: float = GRID) -> Tensor:
    """The in-gamut bin centres, (Q, 2) as (a, b), in row-major order of a then b."""
    return _gamut_bins(float(grid)).clone()


def _squared_distances(ab: Tensor, bins: Tensor) -> Tensor:
    """(B, Q, H, W) squared distances from each pixel's ab (B, 2, H, W) to each bin centre."""
    return ((ab[:, None] - bins.to(ab).view(1, -1, 2, 1, 1)) ** 2).sum(2)


def nearest_bin(ab: Tensor, bins: Tensor) -> Tensor:
    """The index of the nearest bin of each pixel, (B, H, W)."""
    return _squared_distances(ab, bins).argmin(1)


def soft_encode(ab: Tensor, bins: Tensor, neighbours: int = NEIGHBOURS, sigma: float = SIGMA) -> Tensor:
    """(B, 2, H, W) ab → (B, Q, H, W): Gaussian weights on the ``neighbours`` nearest bins, summing to 1.

    >>> bins = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    >>> soft_encode(torch.tensor([0.0, 0.0]).view(1, 2, 1, 1), bins, neighbours=2)[0, :, 0, 0]
    tensor([0.8808, 0.1192, 0.0000])
    """
    d2 = _squared_distances(ab, bins)
    near, index = d2.topk(neighbours, dim=1, largest=False)
    weights = torch.softmax(-near / (2 * sigma**2), dim=1)
    return torch.zeros_like(d2).scatter_(1, index, weights)


def empirical_prior(ab: Tensor, bins: Tensor) -> Tensor:
    """How often each bin is the nearest to a pixel's ab over (B, 2, H, W), a (Q,) distribution."""
    counts = torch.bincount(nearest_bin(ab, bins).flatten(), minlength=len(bins)).double()
    return (counts / counts.sum()).float()


def smoothed_prior(prior: Tensor, bins: Tensor, sigma: float = SIGMA) -> Tensor:
    """p̃: each bin's mass spread over the ab plane by a Gaussian of σ, (Q,), still summing to 1."""
    d2 = ((bins[:, None] - bins[None]) ** 2).sum(-1)
    kernel = torch.exp(-d2 / (2 * sigma**2))
    return (kernel / kernel.sum(0, keepdim=True)) @ prior


def rebalancing_weights(prior: Tensor, bins: Tensor, lam: float = LAMBDA, sigma: float = SIGMA) -> Tensor:
    """The paper's class weights: (Q,), E_p̃[w] = 1, rare colours weighed up.

    Two bins far apart (no smoothing between them): 1/(0.5·0.9 + 0.25) = 1.4286 and
    1/(0.5·0.1 + 0.25) = 3.3333, whose mean under the prior is 1.6190:

    >>> bins = torch.tensor([[0.0, 0.0], [100.0, 0.0]])
    >>> rebalancing_weights(torch.tensor([0.9, 0.1]), bins)
    tensor([0.8824, 2.0588])
    """
    smoothed = smoothed_prior(prior, bins, sigma)
    weights = 1 / ((1 - lam) * smoothed + lam / len(prior))
    return weights / (smoothed * weights).sum()


def annealed_mean(logits: Tensor, bins: Tensor, temperature: float = TEMPERATURE) -> Tensor:
    """(B, Q, H, W) class scores → (B, 2, H, W) ab: the mean of the distribution re-tempered by T
    (the mode where T is 0).

    >>> bins = torch.tensor([[0.0, 0.0], [10.0, 20.0]])
    >>> logits = torch.log(torch.tensor([0.25, 0.75])).view(1, 2, 1, 1)
    >>> annealed_mean(logits, bins, 1.0)[0, :, 0, 0], annealed_mean(logits, bins, 0.0)[0, :, 0, 0]
    (tensor([ 7.5000, 15.0000]), tensor([10., 20.]))
    """
    bins = bins.to(logits)
    if temperature <= 0:
        return bins[logits.argmax(1)].permute(0, 3, 1, 2)
    probabilities = torch.softmax(torch.log_softmax(logits, 1) / temperature, dim=1)
    return torch.einsum("bqhw,qc->bchw", probabilities, bins)
