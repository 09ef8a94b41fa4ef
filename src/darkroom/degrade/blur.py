"""Blur: convolution with a point-spread function. Kernels are isotropic/anisotropic
Gaussians, defocus disks, straight motion, random camera-shake trajectories (Boracchi & Foi,
"Modeling the performance of image restoration from motion blur", IEEE TIP 2012, the model
DeblurGAN trains on), or measured kernels such as those of Levin et al. (CVPR 2009), read by
``darkroom.io.read_kernels``. ``varying_blur`` blends several kernels smoothly across the
image, a spatially varying blur for training blind deblurring.

>>> k = defocus_kernel(3.0)
>>> tuple(k.shape), round(float(k.sum()), 4)
((7, 7), 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from darkroom.ops.shape import check_image_batch


def gaussian_kernel(size: int, sigma: float, *, sigma_y: float | None = None, angle: float = 0.0) -> torch.Tensor:
    """A normalized (size, size) Gaussian kernel, anisotropic when ``sigma_y`` is given."""
    sy = sigma if sigma_y is None else sigma_y
    r = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * xx + s * yy, -s * xx + c * yy
    k = torch.exp(-(u**2) / (2 * sigma**2) - (v**2) / (2 * sy**2))
    return (k / k.sum()).float()


def splat(track: torch.Tensor, size: int) -> torch.Tensor:
    """Points (N, 2) as (x, y) on a (size, size) grid, each spread bilinearly over its four
    neighbours; normalized to sum 1."""
    k = torch.zeros(size, size, dtype=torch.float64)
    for x, y in track.tolist():
        x0, y0 = int(math.floor(x)), int(math.floor(y))
        fx, fy = x - x0, y - y0
        for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
            if 0 <= x0 + dx < size and 0 <= y0 + dy < size:
                k[y0 + dy, x0 + dx] += w
    return (k / k.sum().clamp(min=1e-12)).float()


def centred(track: torch.Tensor, size: int) -> torch.Tensor:
    """A track moved so that its bounding box is centred on a (size, size) grid and shrunk to fit."""
    track = track - (track.max(0).values + track.min(0).values) / 2
    extent = float(track.abs().max().clamp(min=1e-6))
    return track * min(1.0, (size - 3) / 2 / extent) + (size - 1) / 2


def trajectory_kernel(size: int, generator: torch.Generator, *, steps: int = 1000, exposure: float | None = None) -> torch.Tensor:
    """A random camera-shake kernel after Boracchi & Foi (2012): a trajectory of constant speed
    whose direction wanders under Gaussian jitter, a centripetal pull back towards the start and
    rare large jerks (anxiety 0.005, as in their model), of which a random fraction (the exposure,
    0.5–1) is splatted onto a (size, size) grid.

    >>> k = trajectory_kernel(21, torch.Generator().manual_seed(0))
    >>> tuple(k.shape), round(float(k.sum()), 4)
    ((21, 21), 1.0)
    """
    def uniform() -> float:
        return float(torch.rand((), generator=generator, dtype=torch.float64))

    anxiety = 0.005
    centripetal, big_shake, jitter = 0.7 * uniform(), 0.2 * uniform(), 10 * uniform()
    step_length = size * (0.5 + 0.5 * uniform()) / (steps - 1)
    angle = 2 * math.pi * uniform()
    v = torch.tensor([math.cos(angle), math.sin(angle)], dtype=torch.float64) * step_length
    points = [torch.zeros(2, dtype=torch.float64)]
    for _ in range(steps - 1):
        jerk = torch.zeros(2, dtype=torch.float64)
        if uniform() < big_shake * anxiety:  # an impulsive turn of about 180°
            turn = math.pi + (uniform() - 0.5)
            c, s_ = math.cos(turn), math.sin(turn)
            jerk = 2 * torch.stack([c * v[0] - s_ * v[1], s_ * v[0] + c * v[1]])
        shake = jitter * torch.randn(2, generator=generator, dtype=torch.float64) - centripetal * points[-1]
        v = v + jerk + anxiety * shake * step_length
        v = v / v.norm().clamp(min=1e-12) * step_length
        points.append(points[-1] + v)
    track = torch.stack(points)
    shown = exposure if exposure is not None else 0.5 + 0.5 * uniform()
    track = track[: max(2, int(round(shown * steps)))]
    return splat(centred(track, size), size)


def linear_motion_kernel(length: float, angle: float) -> torch.Tensor:
    """Straight motion of ``length`` pixels at ``angle`` degrees (counter-clockwise from the x
    axis), on the smallest odd square grid that holds it.

    >>> k = linear_motion_kernel(5, 0)  # horizontal: all of it in one row
    >>> int((k.sum(1) > 0).sum()), round(float(k.sum()), 4)
    (1, 1.0)
    """
    size = 2 * int(math.ceil(length / 2)) + 3
    t = torch.linspace(-0.5, 0.5, max(2, 4 * int(math.ceil(length))), dtype=torch.float64) * length
    a = math.radians(angle)
    track = torch.stack([t * math.cos(a), -t * math.sin(a)], 1) + (size - 1) / 2  # image rows grow downwards
    return splat(track, size)


def defocus_kernel(radius: float) -> torch.Tensor:
    """A uniform disk of ``radius`` pixels (out-of-focus blur), anti-aliased at its rim by 4×4 supersampling."""
    half = int(math.ceil(radius))
    size = 2 * half + 1
    fine = (torch.arange(size * 4, dtype=torch.float64) + 0.5) / 4 - size / 2
    yy, xx = torch.meshgrid(fine, fine, indexing="ij")
    inside = ((xx**2 + yy**2) <= max(radius, 0.5) ** 2).double()
    k = F.avg_pool2d(inside[None, None], 4)[0, 0]
    return (k / k.sum()).float()


def motion_kernel(size: int, generator: torch.Generator, *, steps: int = 64, jitter: float = 0.6) -> torch.Tensor:
    """A random camera-shake kernel: a smooth random walk splatted onto a (size, size) grid."""
    angle = torch.rand((), generator=generator).item() * 2 * math.pi
    velocity = torch.tensor([math.cos(angle), math.sin(angle)], dtype=torch.float64)
    pos = torch.zeros(2, dtype=torch.float64)
    points = [pos.clone()]
    for _ in range(steps - 1):
        velocity = velocity + jitter * torch.randn(2, generator=generator, dtype=torch.float64) / math.sqrt(steps)
        velocity = velocity / velocity.norm().clamp(min=1e-6)
        pos = pos + velocity * (size / steps)
        points.append(pos.clone())
    return splat(centred(torch.stack(points), size), size)


def blur(x: torch.Tensor, kernel: torch.Tensor, *, padding: str = "reflect") -> torch.Tensor:
    """Convolve every channel with ``kernel`` (kh, kw), keeping the size; the border is
    ``padding`` (reflect; ``circular``: the image repeats, as in DPIR's deblurring tests)."""
    check_image_batch(x)
    k = torch.as_tensor(kernel, dtype=x.dtype, device=x.device)
    kh, kw = k.shape
    c = x.shape[1]
    pads = (kw // 2, kw - 1 - kw // 2, kh // 2, kh - 1 - kh // 2)
    mode = padding if padding == "circular" or min(x.shape[-2:]) > max(kh, kw) else "replicate"
    xp = F.pad(x, pads, mode=mode)
    # conv2d is correlation; flip to get a true convolution with the PSF.
    weight = k.flip(0, 1).expand(c, 1, kh, kw)
    return F.conv2d(xp, weight, groups=c)


def varying_blur(x: torch.Tensor, kernels: list[torch.Tensor], generator: torch.Generator, *, cells: int = 3) -> torch.Tensor:
    """A spatially varying blur: each kernel's blurred image weighted by a smooth random map
    (a ``cells``×``cells`` grid of random logits upsampled bicubically, then a softmax over the
    kernels), so the blur changes gradually across the image, as camera rotation makes it."""
    check_image_batch(x)
    size = max(max(k.shape) for k in kernels)
    blurred = torch.stack([blur(x, F.pad(k, ((size - k.shape[1]) // 2,) * 2 + ((size - k.shape[0]) // 2,) * 2)) for k in kernels])
    logits = 3 * torch.randn(len(kernels), 1, cells, cells, generator=generator, device=x.device if x.device.type == "cpu" else "cpu")
    weights = torch.softmax(F.interpolate(logits.to(x.device), size=x.shape[-2:], mode="bicubic", align_corners=True), dim=0)
    return (blurred * weights[:, None]).sum(0)


KERNEL_KINDS = ("trajectory", "defocus", "gaussian")


def random_kernel(kind: str, size: int, generator: torch.Generator) -> torch.Tensor:
    """One kernel of a kind, at most ``size`` a side: a camera-shake trajectory, a defocus disk
    of radius 1–size/4, or an anisotropic Gaussian (σ 0.5–size/6)."""
    def uniform() -> float:
        return float(torch.rand((), generator=generator))

    if kind == "trajectory":
        return trajectory_kernel(size, generator)
    if kind == "defocus":
        return defocus_kernel(1 + uniform() * (size / 4 - 1))
    sigma = 0.5 + uniform() * (size / 6 - 0.5)
    return gaussian_kernel(size, sigma, sigma_y=0.5 + uniform() * (size / 6 - 0.5), angle=math.pi * uniform())


@dataclass(frozen=True)
class RandomBlur:
    """Blind-deblurring training blur: a random kernel of one of ``kinds`` (drawn with
    ``weights``), up to ``size`` a side; with probability ``varying``, 2–3 kernels blended
    across the image (``varying_blur``). Noise and JPEG follow in a ``Chain``."""

    kinds: tuple[str, ...] = ("trajectory",)
    weights: tuple[float, ...] = (1.0,)
    size: int = 31
    varying: float = 0.0

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        def draw() -> torch.Tensor:
            i = int(torch.multinomial(torch.tensor(self.weights, dtype=torch.float64), 1, generator=generator))
            return random_kernel(self.kinds[i], self.size, generator).to(x.device)

        if float(torch.rand((), generator=generator)) < self.varying:
            return varying_blur(x, [draw() for _ in range(2 + int(torch.randint(2, (1,), generator=generator)))], generator)
        return blur(x, draw())


@dataclass(frozen=True)
class Blur:
    """Blur by a fixed kernel, by one drawn from a bank, or (``kernel=None``) by a random motion kernel."""

    kernel: torch.Tensor | tuple | None = None
    motion_size: int = 21

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        k = self.kernel
        if k is None:
            k = motion_kernel(self.motion_size, generator)
        elif isinstance(k, (tuple, list)):
            k = k[int(torch.randint(len(k), (1,), generator=generator))]
        return blur(x, torch.as_tensor(k))
