"""Blind denoising after CBDNet: "Toward Convolutional Blind Denoising of Real Photographs"
(Guo, Yan, Zhang, Zuo, Zhang; CVPR 2019).

A noise-estimation subnet (five 3×3 convolutions of 32 channels with ReLU, no pooling,
no batch normalisation) predicts a per-pixel noise level map σ̂(y); a non-blind,
noise-level-conditioned denoiser then removes noise given that map. CBDNet pairs the
estimator with a U-Net; here the non-blind part is darkroom's FFDNet-style default, so
the blind model is exactly "the default, told σ̂". Interactive correction is the
paper's: scale the estimated map by γ before denoising (γ > 1 removes more).

One change from the paper: the estimated map is pooled before the denoiser sees it, because
five 3×3 layers see only 11×11 pixels and mistake texture for noise there. Two poolings:

- ``smoothing`` = r averages the map over a (2r+1)² window. CBDNet's total-variation loss
  asks for smoothness in training; the window enforces it.
- ``level_bins`` > 0 (shipped) follows the noise level function of Liu, Szeliski, Kang,
  Zitnick and Freeman ("Automatic estimation and removal of noise from a single image",
  TPAMI 2008). Camera noise depends on a pixel's brightness, not on where it is, so σ̂ is
  pooled per brightness bin of the (blurred) noisy image and read back through each pixel's
  brightness. Each bin keeps the mean of its σ̂ between two quantiles (``level_band``): the
  texture the estimator mistakes for noise sits in the upper tail. On white noise the
  function comes out flat, as the non-blind denoiser was trained; a window-averaged map
  instead varies with texture.

On 12 BSD200 crops at AWGN σ = 25 (``benchmarks/denoise_unseen_crops.py``), the shipped
``cbdnet_gray`` scores 28.39 dB pooled per brightness, against 27.44 dB for the same
estimator's 31×31 window average, 27.00 dB per pixel, and 28.56 dB when told the true σ.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.degrade import blur, gaussian_kernel
from darkroom.nets.family import Family, Geometry
from darkroom.nets.ffdnet import FFDNet, GuidedOpponentFFDNet


class NoiseEstimator(nn.Module):
    def __init__(self, *, channels: int = 1, features: int = 32, depth: int = 5):
        super().__init__()
        layers: list[nn.Module] = []
        inputs = channels
        for _ in range(depth - 1):
            layers += [nn.Conv2d(inputs, features, 3, padding=1), nn.ReLU(inplace=True)]
            inputs = features
        layers.append(nn.Conv2d(inputs, 1, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, noisy: Tensor) -> Tensor:
        """(B, 1, H, W) noise level on the σ/255 scale; softplus keeps it positive without dead units."""
        return F.softplus(self.body(noisy))


def smooth_noise_map(sigma: Tensor, radius: int) -> Tensor:
    """Mean of ``sigma`` (B, 1, H, W) over a (2·radius+1)² window; borders average only what exists."""
    if radius == 0:
        return sigma
    ones = torch.ones_like(sigma)
    k = 2 * radius + 1
    total = F.avg_pool2d(F.pad(sigma, (radius,) * 4), k, 1)
    count = F.avg_pool2d(F.pad(ones, (radius,) * 4), k, 1)
    return total / count


def _band_mean(values: Tensor, band: tuple[float, float]) -> Tensor:
    """Mean of the values between two quantiles, e.g. (0.25, 0.75): the interquartile mean."""
    ordered = values.sort().values
    n = ordered.numel()
    low, high = int(band[0] * n), max(int(band[0] * n) + 1, int(band[1] * n))
    return ordered[low:high].mean()


_BRIGHTNESS_BLUR = gaussian_kernel(9, 2.0)


def channel_rms(level: Tensor) -> Tensor:
    """(B, C, H, W) per-channel noise levels → (B, 1, H, W): their root mean square, the RGB level a colour denoiser is told."""
    return level.square().mean(1, keepdim=True).sqrt()


def noise_level_function(sigma: Tensor, noisy: Tensor, bins: int, *, band: tuple[float, float] = (0.25, 0.75),
                         min_pixels: int = 64) -> Tensor:
    """Pool ``sigma`` (B, 1, H, W) per brightness bin of ``noisy`` (B, 1, H, W) and read it back per pixel.

    Brightness is the noisy image blurred by a 9×9 Gaussian (σ = 2), clamped to [0, 1] and cut into
    ``bins`` equal bins; a bin with fewer than ``min_pixels`` pixels takes the whole image's
    level. Levels are interpolated linearly between bin centres, so the map is a smooth function
    of brightness. Differentiable in ``sigma``.

    >>> flat = noise_level_function(torch.full((1, 1, 16, 16), 0.1), torch.rand(1, 1, 16, 16), 4, min_pixels=1)
    >>> bool(torch.allclose(flat, torch.full_like(flat, 0.1)))
    True
    """
    if sigma.shape != noisy.shape or sigma.shape[1] != 1:
        raise ValueError(f"sigma and noisy must both be (B, 1, H, W), got {tuple(sigma.shape)} and {tuple(noisy.shape)}")
    brightness = blur(noisy, _BRIGHTNESS_BLUR.to(noisy)).clamp(0, 1)
    position = (brightness * bins - 0.5).clamp(0, bins - 1)
    which = (brightness * bins).long().clamp(max=bins - 1)
    maps = []
    for s, w, pos in zip(sigma, which, position):
        overall = _band_mean(s.flatten(), band)
        levels = torch.stack([_band_mean(s[w == k], band) if int((w == k).sum()) >= min_pixels else overall
                              for k in range(bins)])
        if bins == 1:
            maps.append(levels[0].expand_as(s))
            continue
        low = pos.floor().long().clamp(max=bins - 2)
        frac = pos - low
        maps.append(levels[low] * (1 - frac) + levels[low + 1] * frac)
    return torch.stack(maps)


def pool_noise_map(sigma: Tensor, noisy: Tensor, *, smoothing: int, level_bins: int,
                   level_band: tuple[float, float] = (0.25, 0.75)) -> Tensor:
    """The map a blind model tells its denoiser: per brightness (``level_bins`` > 0) or window-averaged."""
    if level_bins > 0:
        return noise_level_function(sigma, noisy, level_bins, band=level_band)
    return smooth_noise_map(sigma, smoothing)


class BlindDenoiser(nn.Module):
    """``NoiseEstimator`` → σ̂ map, pooled (times γ) → ``FFDNet(noisy, σ̂)``.

    ``channels`` = 3 pairs the estimator with the colour default's network
    (:class:`~darkroom.nets.ffdnet.GuidedOpponentFFDNet`). The estimator is always the gray
    one: it reads each channel on its own and the channels' levels are combined as the root
    mean square, the RGB noise level the colour network is told. ``level_bins`` > 0 pools
    the map into a noise level function of brightness (the whole input is one estimate, so a
    tiled run estimates per tile); otherwise it is averaged over a (2·``smoothing``+1)² window.
    """

    def __init__(self, *, channels: int = 1, depth: int = 15, features: int = 64, estimator_features: int = 32,
                 estimator_depth: int = 5, smoothing: int = 0, level_bins: int = 0,
                 level_band: tuple[float, float] = (0.25, 0.75)):
        super().__init__()
        if channels not in (1, 3):
            raise ValueError(f"BlindDenoiser is gray (1) or RGB (3), got {channels} channels")
        self.estimator = NoiseEstimator(channels=1, features=estimator_features, depth=estimator_depth)
        self.denoiser = (FFDNet(channels=1, depth=depth, features=features) if channels == 1
                         else GuidedOpponentFFDNet(depth=depth, features=features))
        self.smoothing = smoothing
        self.level_bins = level_bins
        self.level_band = tuple(level_band)

    def noise_map(self, noisy: Tensor) -> Tensor:
        """The (B, 1, H, W) σ̂ map (σ/255) the denoiser is told at strength 1."""
        b, c, h, w = noisy.shape
        per_channel = self.estimator(noisy.reshape(b * c, 1, h, w)).reshape(b, c, h, w)
        level = per_channel if c == 1 else channel_rms(per_channel)
        return pool_noise_map(level, noisy.mean(1, keepdim=True), smoothing=self.smoothing, level_bins=self.level_bins,
                              level_band=self.level_band)

    def forward(self, noisy: Tensor, strength: Tensor | float = 1.0) -> Tensor:
        sigma = self.noise_map(noisy) * torch.as_tensor(strength, dtype=noisy.dtype, device=noisy.device)
        return self.denoiser(noisy, sigma)


def _geometry(depth, estimator_depth, smoothing, level_bins, **_) -> Geometry:
    # estimator, then the map's pooling (the window, or the brightness blur's 9×9 for the noise
    # level function, whose per-bin levels are taken over the whole tile), then the FFDNet body
    pooling = smoothing if not level_bins else max(smoothing, _BRIGHTNESS_BLUR.shape[-1] // 2)
    return Geometry(2, estimator_depth + pooling + 2 * depth + 1)


FAMILY = Family(
    "cbdnet", BlindDenoiser,
    paper="Guo, Yan, Zhang, Zuo, Zhang, 'Toward Convolutional Blind Denoising of Real Photographs', CVPR 2019; noise "
          "level function after Liu, Szeliski, Kang, Zitnick, Freeman, TPAMI 2008",
    geometry=_geometry, tiny={"channels": 1, "depth": 3, "features": 8, "estimator_features": 4},
)
