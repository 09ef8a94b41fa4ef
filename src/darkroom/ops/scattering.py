"""The atmospheric scattering model's inverse, shared by every dehazer: I = J·t + A·(1 − t)
(Koschmieder; McCartney, "Optics of the Atmosphere", 1976), and the dark channel prior's
pieces (He, Sun & Tang, "Single Image Haze Removal Using Dark Channel Prior", CVPR 2009 /
TPAMI 2011) that the learned dehazers reuse: the atmospheric light A, the guided-filter
refinement of a transmission map, and the recovery J = (I − A) / max(t, t₀) + A.

The guided filter is kornia's (``kornia.filters.guided_blur``; He, Sun & Tang, "Guided Image
Filtering", ECCV 2010 / TPAMI 2013), with its box sums separable and, on large images, its
fast subsampled form (He & Sun, "Fast Guided Filter", 2015). Written here: only the dark
channel and the airlight rule, a few lines each, which no maintained library offers as a
tensor op.

>>> import torch
>>> clear = torch.rand(1, 3, 32, 32)
>>> hazy = clear * 0.5 + 0.9 * (1 - 0.5)
>>> torch.allclose(recover(hazy, torch.full((1, 1, 32, 32), 0.5), torch.full((1, 3, 1, 1), 0.9)), clear, atol=1e-6)
True
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from darkroom.errors import ContractError
from darkroom.ops.shape import check_image_batch

# He et al.'s constants (TPAMI 2011, section 4 and 5)
DCP_PATCH = 15  # the dark channel's window
DCP_OMEGA = 0.95  # keep this much haze's complement: ω in t = 1 − ω · dark(I / A)
T_FLOOR = 0.1  # t₀: the lowest transmission the recovery divides by
AIRLIGHT_FRACTION = 0.001  # A is chosen among the 0.1 % most haze-opaque pixels
GUIDE_RADIUS = 60  # the guided filter's radius on a ~600-pixel image, He et al. (Guided Image Filtering, section 4)
GUIDE_EPS = 1e-4
SUBSAMPLE_ABOVE = 1_500_000  # pixels beyond which the guided filter runs subsampled (the fast guided filter)


def local_minimum(x: torch.Tensor, size: int) -> torch.Tensor:
    """The minimum over a ``size``² window around each pixel, edges replicated (an erosion)."""
    check_image_batch(x)
    if size < 1 or size % 2 == 0:
        raise ContractError(f"the window must be an odd number of pixels, got {size}")
    r = size // 2
    if r == 0:
        return x
    padded = F.pad(-x, (r, r, r, r), mode="replicate")
    # separable: a square window's minimum is the row minimum of the column minima
    return -F.max_pool2d(F.max_pool2d(padded, (size, 1), stride=1), (1, size), stride=1)


def dark_channel(x: torch.Tensor, size: int = DCP_PATCH) -> torch.Tensor:
    """min over the window of min over the colour channels: (B, 1, H, W). Near zero in a
    haze-free outdoor patch (He et al.'s prior); haze lifts it toward A."""
    check_image_batch(x)
    return local_minimum(x.amin(1, keepdim=True), size)


def airlight(x: torch.Tensor, opacity: torch.Tensor, fraction: float = AIRLIGHT_FRACTION) -> torch.Tensor:
    """A, per image (B, 3, 1, 1): among the ``fraction`` of pixels where ``opacity`` (the dark
    channel, or 1 − t) is highest, the colour of the brightest in the input (He et al., 4.4)."""
    check_image_batch(x)
    b, c, h, w = x.shape
    flat_opacity = opacity.reshape(b, -1)
    count = max(1, int(round(fraction * h * w)))
    candidates = flat_opacity.topk(count, dim=1).indices  # (B, count)
    pixels = x.reshape(b, c, -1)
    chosen = torch.gather(pixels, 2, candidates[:, None, :].expand(-1, c, -1))  # (B, C, count)
    brightest = chosen.sum(1).argmax(1)  # (B,)
    a = chosen[torch.arange(b), :, brightest]
    return a.reshape(b, c, 1, 1)


def dcp_transmission(x: torch.Tensor, a: torch.Tensor, size: int = DCP_PATCH, omega: float = DCP_OMEGA) -> torch.Tensor:
    """He et al.'s coarse transmission t̃ = 1 − ω · dark(I / A), (B, 1, H, W)."""
    return 1 - omega * dark_channel(x / a.clamp(min=1e-3), size)


def refine_transmission(x: torch.Tensor, t: torch.Tensor, radius: int | None = None, eps: float = GUIDE_EPS) -> torch.Tensor:
    """``t`` smoothed by the guided filter under the input's luminance, so that it follows the
    image's edges (He et al., TPAMI 2013); the radius scales with the image from He's 60
    pixels at 600, and images over 1.5 MP use the subsampled fast form."""
    from kornia.filters import guided_blur

    check_image_batch(x)
    h, w = x.shape[-2:]
    if radius is None:
        radius = max(4, round(GUIDE_RADIUS * min(h, w) / 600))
    radius = min(radius, (min(h, w) - 1) // 2) if min(h, w) > 2 else 0
    if radius < 1:
        return t
    guide = x.mean(1, keepdim=True)
    subsample = 1
    while h * w / subsample**2 > SUBSAMPLE_ABOVE and radius // (2 * subsample) >= 4:
        subsample *= 2
    return guided_blur(guide, t, 2 * radius + 1, eps, border_type="reflect", subsample=subsample, separable=True)


def recover(x: torch.Tensor, t: torch.Tensor, a: torch.Tensor, t_floor: float = T_FLOOR) -> torch.Tensor:
    """J = (I − A) / max(t, t₀) + A: the scattering model solved for the scene radiance."""
    return (x - a) / t.clamp(min=t_floor) + a


def keep_haze(t: torch.Tensor, strength: torch.Tensor | float) -> torch.Tensor:
    """t' = t^s: strength s = 1 removes the haze the model sees, 0 keeps all of it (t' = 1),
    and between, some haze stays as a cue of depth (it grows with distance, as haze does)."""
    s = torch.as_tensor(strength, dtype=t.dtype, device=t.device).reshape(-1, 1, 1, 1)
    return t.clamp(min=1e-6) ** s


def strength_of(strength: torch.Tensor | None, x: torch.Tensor) -> torch.Tensor:
    """The strength a dehazer is told, as one number per image (B, 1, 1, 1): the condition map's
    first value (the engine passes one strength for the whole image), 1 where none is given."""
    if strength is None:
        return torch.ones(x.shape[0], 1, 1, 1, dtype=x.dtype, device=x.device)
    return strength[:, :, :1, :1].to(x.dtype)


def dehaze_through(hazy: torch.Tensor, t: torch.Tensor, a: torch.Tensor, strength: torch.Tensor | None,
                   t_floor: float = T_FLOOR) -> torch.Tensor:
    """Every dehazer's last step: J recovered with t' = max(t, t₀)^s, s the strength told."""
    return recover(hazy, keep_haze(t.clamp(min=t_floor), strength_of(strength, hazy)), a, t_floor)


class InvertsScattering(nn.Module):
    """What every scattering-model dehazer shares (the prior, DehazeNet, the default): a
    subclass says in ``estimate`` how it finds (t, A) in a hazy (B, 3, H, W) batch; this gives the
    transmission map a user may save and the recovery told a strength."""

    t_floor: float = T_FLOOR

    def estimate(self, hazy: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def transmission(self, hazy: torch.Tensor) -> torch.Tensor:
        return self.estimate(hazy)[0]

    def forward(self, hazy: torch.Tensor, strength: torch.Tensor | None = None) -> torch.Tensor:
        t, a = self.estimate(hazy)
        return dehaze_through(hazy, t, a, strength, self.t_floor)
