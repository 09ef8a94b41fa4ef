"""Realistic camera noise, added in raw space and carried through a camera pipeline.

Follows "Unprocessing Images for Learned Raw Denoising" (Brooks et al., CVPR 2019) and
the noise model of CBDNet ("Toward Convolutional Blind Denoising of Real
Photographs", Guo et al., CVPR 2019): an sRGB image is inverted through the tone
curve, gamma, color matrix and white balance to a Bayer mosaic; heteroscedastic
shot + read noise is added there; then bilinear demosaicing, white balance, the color
matrix, gamma, the tone curve and optionally JPEG produce the noisy sRGB image. The
pipeline is written by hand because it is short and no maintained library offers it
on tensors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from darkroom.degrade.base import Param, randn_like, sample_param
from darkroom.degrade.jpeg import jpeg_compress
from darkroom.ops.shape import check_image_batch


def _smoothstep(x: torch.Tensor) -> torch.Tensor:
    return 3 * x**2 - 2 * x**3


def _inverse_smoothstep(y: torch.Tensor) -> torch.Tensor:
    y = y.clamp(0, 1)
    return 0.5 - torch.sin(torch.asin(1 - 2 * y) / 3)


def random_cam_to_rgb(generator: torch.Generator) -> torch.Tensor:
    """A plausible camera→sRGB matrix: strong diagonal, negative cross-talk, rows summing to 1."""
    off = -(0.05 + 0.45 * torch.rand(3, 3, generator=generator, dtype=torch.float64))
    off.fill_diagonal_(0)
    m = off.clone()
    m += torch.diag(1 - off.sum(1))
    return m.float()


def _bayer_masks(h: int, w: int, device) -> torch.Tensor:
    """RGGB masks, shape (3, H, W)."""
    yy = torch.arange(h, device=device)[:, None] % 2
    xx = torch.arange(w, device=device)[None, :] % 2
    r = (yy == 0) & (xx == 0)
    b = (yy == 1) & (xx == 1)
    g = ~(r | b)
    return torch.stack([r, g, b]).float()


def demosaic_bilinear(mosaic: torch.Tensor) -> torch.Tensor:
    """Bilinear demosaicing of an RGGB mosaic (B, 1, H, W) → (B, 3, H, W)."""
    b, _, h, w = mosaic.shape
    masks = _bayer_masks(h, w, mosaic.device).to(mosaic.dtype)
    planes = mosaic * masks[None]
    k_rb = torch.tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=mosaic.dtype, device=mosaic.device) / 4
    k_g = torch.tensor([[0, 1, 0], [1, 4, 1], [0, 1, 0]], dtype=mosaic.dtype, device=mosaic.device) / 4
    weight = torch.stack([k_rb, k_g, k_rb])[:, None]
    return F.conv2d(F.pad(planes, (1, 1, 1, 1), mode="reflect"), weight, groups=3)


def camera_noise(
    x: torch.Tensor,
    generator: torch.Generator,
    *,
    shot: torch.Tensor,
    read: torch.Tensor | None = None,
    jpeg_quality: torch.Tensor | None = None,
    exposure: torch.Tensor | None = None,
    cast: torch.Tensor | None = None,
) -> torch.Tensor:
    """Run (B, 3, H, W) sRGB through the unprocess → noise → process pipeline.

    ``shot`` (B,) is the shot-noise gain on linear raw values in [0, 1]; ``read`` (B,)
    the read-noise standard deviation (by default tied to ``shot`` as Brooks et al.
    fit it across cameras). ``exposure`` (B,) scales the linear raw signal before the noise
    (an under-exposed shot: less light, the same sensor noise); ``cast`` (B, 3) multiplies the
    white-balance gains of the processing (a camera that misjudged the light). Even sizes are
    not needed: odd edges are handled by reflection padding.
    """
    check_image_batch(x, channels=(3,))
    bsz, _, h, w = x.shape
    dev, dt = x.device, x.dtype
    ph, pw = h % 2, w % 2
    xp = F.pad(x.clamp(0, 1), (0, pw, 0, ph), mode="replicate")
    cam_to_rgb = torch.stack([random_cam_to_rgb(generator) for _ in range(bsz)]).to(dev, dt)
    rgb_to_cam = torch.linalg.inv(cam_to_rgb)
    red_gain = (1.9 + 0.5 * torch.rand(bsz, generator=generator)).to(dev, dt)
    blue_gain = (1.5 + 0.4 * torch.rand(bsz, generator=generator)).to(dev, dt)
    gains = torch.stack([red_gain, torch.ones_like(red_gain), blue_gain], 1).view(bsz, 3, 1, 1)
    if read is None:
        log_shot = torch.log(torch.as_tensor(shot, dtype=torch.float64))
        line = 2.18 * log_shot + 1.20 + 0.26 * torch.randn(bsz, generator=generator, dtype=torch.float64)
        read = torch.exp(line).sqrt()
    shot_t = torch.as_tensor(shot, dtype=dt).to(dev).view(-1, 1, 1, 1)
    read_t = torch.as_tensor(read, dtype=dt).to(dev).view(-1, 1, 1, 1)

    linear = _inverse_smoothstep(xp).clamp(min=1e-8) ** 2.2
    cam = torch.einsum("bij,bjhw->bihw", rgb_to_cam, linear)
    cam = cam / gains
    if exposure is not None:
        cam = cam * torch.as_tensor(exposure, dtype=dt).to(dev).view(-1, 1, 1, 1)
    masks = _bayer_masks(cam.shape[2], cam.shape[3], dev).to(dt)
    mosaic = (cam.clamp(0, 1) * masks[None]).sum(1, keepdim=True)
    variance = shot_t * mosaic + read_t**2
    noisy = mosaic + randn_like(mosaic, generator) * variance.sqrt()
    rgb_cam = demosaic_bilinear(noisy) * (gains if cast is None else gains * torch.as_tensor(cast, dtype=dt).to(dev).view(bsz, 3, 1, 1))
    rgb_linear = torch.einsum("bij,bjhw->bihw", cam_to_rgb, rgb_cam).clamp(1e-8, 1)
    out = _smoothstep(rgb_linear ** (1 / 2.2)).clamp(0, 1)[..., :h, :w]
    if jpeg_quality is not None:
        out = jpeg_compress(out, jpeg_quality)
    return out


@dataclass(frozen=True)
class CameraNoise:
    """CBDNet / unprocessing camera noise. ``shot`` is log-uniform in the given range;
    ``jpeg`` is a quality range, or None for no compression, applied with probability
    ``jpeg_probability``."""

    shot: tuple[float, float] = (1e-4, 1.2e-2)
    jpeg: Param | None = (60, 95)
    jpeg_probability: float = 0.5

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        b = x.shape[0]
        lo, hi = math.log(self.shot[0]), math.log(self.shot[1])
        shot = torch.exp(sample_param((lo, hi), b, generator))
        use_jpeg = self.jpeg is not None and torch.rand((), generator=generator).item() < self.jpeg_probability
        quality = sample_param(self.jpeg, b, generator).round() if use_jpeg else None
        return camera_noise(x, generator, shot=shot, jpeg_quality=quality)
