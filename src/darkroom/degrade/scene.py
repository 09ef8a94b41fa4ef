"""Scene-level degradations: haze by the atmospheric scattering model
I = J·t + A·(1 − t), t = exp(−β·d) (Koschmieder; as used by DehazeNet, Cai et al. 2016),
and low light as a camera records it: the photo unprocessed to linear raw (Brooks et al.,
"Unprocessing Images for Learned Raw Denoising", CVPR 2019; ``darkroom.degrade.camera``),
its exposure scaled down, shot and read noise added there, then white balance (optionally
off: a colour cast), the colour matrix, gamma and the tone curve, and optionally JPEG.
``darken`` keeps the simpler gamma/scale model of LLNet (Lore et al. 2017) and MBLLEN
(Lv et al. 2018).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from darkroom.degrade.base import Param, sample_param
from darkroom.degrade.camera import camera_noise
from darkroom.ops.shape import check_image_batch


def _unit_range(d: torch.Tensor) -> torch.Tensor:
    """Each image's map stretched to [0, 1] (a relative depth has no unit)."""
    lo = d.amin((2, 3), keepdim=True)
    hi = d.amax((2, 3), keepdim=True)
    return (d - lo) / (hi - lo).clamp(min=1e-6)


def depth_proxy(x: torch.Tensor) -> torch.Tensor:
    """A rough relative depth in [0, 1], shape (B, 1, H, W), when no depth map is known.

    Photographs usually put distant things high in the frame and bright, low-texture
    regions (sky) far away, so the proxy blends the vertical position with a heavily
    smoothed brightness.
    """
    check_image_batch(x)
    b, _, h, w = x.shape
    rows = torch.linspace(1, 0, h, device=x.device, dtype=x.dtype).view(1, 1, h, 1).expand(b, 1, h, w)
    lum = x.mean(1, keepdim=True)
    small = F.adaptive_avg_pool2d(lum, (max(1, h // 16), max(1, w // 16)))
    smooth = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
    return _unit_range(0.6 * rows + 0.4 * smooth)


def add_haze(x: torch.Tensor, beta: torch.Tensor | float, airlight: torch.Tensor | float, depth: torch.Tensor | None = None) -> torch.Tensor:
    """I = J·t + A·(1 − t) with t = exp(−β·d); ``depth`` defaults to :func:`depth_proxy`. β is a
    number or one per image; A a number, one per image, or a colour per image (B, C, 1, 1)."""
    d = depth_proxy(x) if depth is None else depth
    beta_t = torch.as_tensor(beta, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    a = torch.as_tensor(airlight, dtype=x.dtype, device=x.device)
    a = a if a.ndim == 4 else a.reshape(-1, 1, 1, 1)  # (B, C, 1, 1): a coloured A per image
    t = torch.exp(-beta_t * d)
    return x * t + a * (1 - t)


def darken(x: torch.Tensor, gamma: torch.Tensor | float, scale: torch.Tensor | float) -> torch.Tensor:
    """Low-light exposure: scale · x^gamma (gamma > 1 crushes the shadows)."""
    g = torch.as_tensor(gamma, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    s = torch.as_tensor(scale, dtype=x.dtype, device=x.device).reshape(-1, 1, 1, 1)
    return s * x.clamp(min=0) ** g


def random_depth(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """A random relative depth in [0, 1], (B, 1, H, W), for hazing photos that have no depth map.

    A random blend, per image, of three proxies: a vertical ramp tilted by a random angle
    (far at the top, as the horizon usually is), a smooth random field (a 4×4 grid of uniform
    values, upsampled bicubically: depth is smooth but not planar), and :func:`depth_proxy`
    (the image's own structure: high and bright, low-textured regions far). None is the true
    depth; together they teach a dehazer that haze varies smoothly across a scene, often but
    not always growing upward, without tying it to one layout.
    """
    check_image_batch(x)
    b, _, h, w = x.shape
    kw = {"device": x.device, "dtype": x.dtype}
    angle = (torch.rand(b, generator=generator) - 0.5).to(**kw).view(b, 1, 1, 1)  # radians, ±0.5
    rows = torch.linspace(1, 0, h, **kw).view(1, 1, h, 1)
    cols = torch.linspace(-0.5, 0.5, w, **kw).view(1, 1, 1, w)
    ramp = rows * torch.cos(angle) + cols * torch.sin(angle)
    grid = torch.rand(b, 1, 4, 4, generator=generator).to(**kw)
    field = F.interpolate(grid, size=(h, w), mode="bicubic", align_corners=True)
    weights = torch.rand(b, 3, generator=generator).to(**kw)
    weights = (weights / weights.sum(1, keepdim=True)).view(b, 3, 1, 1)
    return _unit_range(weights[:, :1] * ramp + weights[:, 1:2] * field + weights[:, 2:] * depth_proxy(x))


@dataclass(frozen=True)
class Haze:
    """Atmospheric scattering with β and airlight A drawn per image.

    The depth is :func:`depth_proxy` unless ``random_depth`` (then :func:`random_depth`,
    rescaled to [near, 1] with ``near`` drawn per image, so that the nearest object is not
    always haze-free). A is grey ``airlight`` times a tint of ±``tint`` per channel (haze is
    rarely neutral). A fraction ``uniform`` of the images get one transmission everywhere,
    uniform in (0.05, 1) (DehazeNet's patch protocol, Cai et al. 2016), and a fraction
    ``clear`` none at all, so that a dehazer learns to leave a clear photo alone.
    """

    beta: Param = (0.6, 1.8)
    airlight: Param = (0.7, 1.0)
    random_depth: bool = False
    near: Param = 0.0
    tint: float = 0.0
    uniform: float = 0.0
    clear: float = 0.0

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        b = x.shape[0]
        beta = sample_param(self.beta, b, generator).to(x)
        a = sample_param(self.airlight, b, generator).to(x).view(b, 1, 1, 1)
        if self.tint:
            a = a * (1 + self.tint * (2 * torch.rand(b, 3, 1, 1, generator=generator) - 1).to(x))
        if not self.random_depth:
            return add_haze(x, beta, a.clamp(max=1.0))
        near = sample_param(self.near, b, generator).to(x).view(b, 1, 1, 1)
        depth = near + (1 - near) * random_depth(x, generator)
        draw = torch.rand(b, generator=generator)
        flat = (draw < self.uniform).to(x).view(b, 1, 1, 1)
        t_flat = 0.05 + 0.95 * torch.rand(b, generator=generator).to(x).view(b, 1, 1, 1)
        # one transmission everywhere: depth 1 and β = −ln t
        depth = flat + (1 - flat) * depth
        beta = torch.where(flat.view(b) > 0, -torch.log(t_flat.view(b)), beta)
        beta = torch.where((draw >= self.uniform) & (draw < self.uniform + self.clear), torch.zeros_like(beta), beta)
        return add_haze(x, beta, a.clamp(max=1.0), depth)


@dataclass(frozen=True)
class LowLight:
    """An under-exposed photo: ``exposure`` log-uniform (the fraction of the light the
    photo had), shot-noise gain log-uniform in ``shot`` (read noise tied to it as Brooks et
    al. fit it across cameras), each white-balance gain off by up to ±``cast``, and JPEG at a
    quality in ``jpeg`` with probability ``jpeg_probability``. A share ``clear`` of the images
    is left as it is (a well-exposed photo, which an enhancer must pass unchanged)."""

    exposure: tuple[float, float] = (0.02, 0.3)
    shot: tuple[float, float] = (1e-4, 4e-3)
    cast: float = 0.0
    jpeg: Param | None = None
    jpeg_probability: float = 0.0
    clear: float = 0.0

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        import math

        b = x.shape[0]
        exposure = torch.exp(sample_param((math.log(self.exposure[0]), math.log(self.exposure[1])), b, generator))
        shot = torch.exp(sample_param((math.log(self.shot[0]), math.log(self.shot[1])), b, generator))
        cast = 1 + self.cast * (2 * torch.rand(b, 3, generator=generator) - 1) if self.cast else None
        use_jpeg = self.jpeg is not None and float(torch.rand((), generator=generator)) < self.jpeg_probability
        quality = sample_param(self.jpeg, b, generator).round() if use_jpeg else None
        dark = camera_noise(x, generator, shot=shot, jpeg_quality=quality, exposure=exposure, cast=cast)
        if not self.clear:  # drawn only when asked, so that existing draws keep their exact images
            return dark
        keep = (torch.rand(b, generator=generator) < self.clear).to(x).view(b, 1, 1, 1)
        return keep * x + (1 - keep) * dark
