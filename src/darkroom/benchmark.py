"""Benchmarks under the papers' protocols, on a folder of clean images.

Super-resolution (SRCNN/VDSR/EDSR protocol): the ground truth is mod-cropped to the
scale; the input is MATLAB-bicubic downsampled and rounded to 8 bits; the output is
rounded to 8 bits; PSNR/SSIM are computed on the Y channel of MATLAB's
``rgb2ycbcr`` as floats (gray images replicated to RGB first), with ``scale`` border
pixels cropped; the set score is the mean of per-image scores.

Denoising (DnCNN/FFDNet protocol): AWGN of σ (0–255 units) is added, unclipped, with
a fixed seed per image; the output is rounded to 8 bits; PSNR/SSIM on all channels
(RGB for color), no crop. With ``noise="camera"`` the noise is instead the realistic
camera model of ``darkroom.degrade.CameraNoise`` (signal-dependent, through demosaicing
and the tone curve, no JPEG, seeded per image, 8-bit), and σ is only what a non-blind
model is told: sweeping it finds the best single σ a user could pick.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from darkroom.degrade import CameraNoise, Chain, Downsample, GaussianNoise, Quantize, apply
from darkroom.errors import DarkroomError
from darkroom.io import list_images, read_image
from darkroom.metrics import psnr, ssim
from darkroom.ops.color import rgb_to_gray_8bit
from darkroom.ops.contract import to_batch
from darkroom.ops.pad import modcrop


@dataclass(frozen=True)
class ImageScore:
    image: str
    psnr: float
    ssim: float
    seconds: float


@dataclass(frozen=True)
class BenchResult:
    task: str
    model: str
    data: str
    settings: dict
    images: list[ImageScore]

    @property
    def mean_psnr(self) -> float:
        return float(np.mean([s.psnr for s in self.images]))

    @property
    def mean_ssim(self) -> float:
        return float(np.mean([s.ssim for s in self.images]))

    @property
    def mean_seconds(self) -> float:
        return float(np.mean([s.seconds for s in self.images]))

    def to_json(self) -> dict:
        d = asdict(self)
        d.update(mean_psnr=self.mean_psnr, mean_ssim=self.mean_ssim, mean_seconds=self.mean_seconds)
        return d


def load_clean(path: Path, channels: int | None = None) -> torch.Tensor:
    """A clean test image as a (1, C, H, W) float batch (alpha dropped)."""
    x, _ = to_batch(read_image(path).pixels)
    x = x[:, :3] if x.shape[1] == 4 else x[:, :1] if x.shape[1] == 2 else x
    if channels == 1 and x.shape[1] == 3:
        x = rgb_to_gray_8bit(x)
    return x


def run_benchmark(
    task: str,
    data: str | Path,
    model_name: str,
    restore: Callable[[torch.Tensor, dict], torch.Tensor],
    *,
    scale: int = 1,
    sigma: float | None = None,
    seed: int = 0,
    limit: int | None = None,
    channels: int | None = None,
    noise: str = "awgn",
    on_image: Callable[[ImageScore], None] | None = None,
) -> BenchResult:
    """Degrade every image of ``data`` by the task's protocol, restore it, and score it.

    ``restore(degraded, info)`` returns the restored batch; ``info`` carries the true
    ``sigma`` for non-blind denoisers.
    """
    paths = list_images([data])[:limit]
    scores = []
    for i, path in enumerate(paths):
        clean = load_clean(path, channels)
        if task == "upscale":
            clean = modcrop(clean, scale)
            degraded = apply(Chain((Downsample(scale), Quantize())), clean, seed=seed + i)
            crop, y = scale, True
        elif task == "denoise" and noise == "camera":
            if clean.shape[1] != 3:
                raise DarkroomError(f"camera noise needs color test images; {path.name} is gray")
            degraded = apply(Chain((CameraNoise(jpeg=None), Quantize())), clean, seed=seed + i)
            crop, y = 0, False
        elif task == "denoise":
            degraded = apply(GaussianNoise(float(sigma)), clean, seed=seed + i)
            crop, y = 0, False
        else:
            raise ValueError(f"no benchmark protocol for task {task!r}")
        t0 = time.perf_counter()
        out = restore(degraded, {"sigma": sigma})
        seconds = time.perf_counter() - t0
        out = apply(Quantize(), out)
        if out.shape[1] == 3 and clean.shape[1] == 1:  # a gray image through a color model: compare as RGB
            clean = clean.expand(-1, 3, -1, -1)
        score = ImageScore(path.name, float(psnr(out, clean, crop=crop, y_channel=y)), float(ssim(out, clean, crop=crop, y_channel=y, data_range=1.0)), seconds)
        scores.append(score)
        if on_image:
            on_image(score)
    settings = {"scale": scale, "sigma": sigma, "seed": seed, "noise": noise if task == "denoise" else None,
                "protocol": "y-channel, crop=scale" if task == "upscale" else "all channels, no crop"}
    return BenchResult(task, model_name, str(data), settings, scores)
