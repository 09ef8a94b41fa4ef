"""Fits the classical deconvolutions' two constants on training photos, never on a test set:
the Wiener balance gain (balance = gain · σ², σ the wavelet noise estimate) and the number of
Richardson–Lucy iterations at σ = 2.55. 8 crops (192×192, gray) of the last BSD200 photos,
each blurred by 2 random camera-shake kernels (seeds 100–115, 25×25) with a reflected border,
AWGN σ = 2.55 and 7.65, 8-bit; mean PSNR per setting of each constant.

    OMP_NUM_THREADS=1 python benchmarks/deblur_classical_fit.py     # ~2 min
"""

from __future__ import annotations

import torch

from darkroom.classical.deconvolve import RichardsonLucy, Wiener
from darkroom.degrade import Chain, GaussianNoise, Quantize, apply, blur, trajectory_kernel
from darkroom.io import data_root, list_images, read_image
from darkroom.metrics import psnr
from darkroom.ops import rgb_to_gray, to_batch


def cases():
    photos = list_images([data_root() / "BSD200"])[-8:]
    for i, path in enumerate(photos):
        x, _ = to_batch(read_image(path).pixels)
        gray = rgb_to_gray(x)[..., :192, :192]
        for j in range(2):
            k = trajectory_kernel(25, torch.Generator().manual_seed(100 + 2 * i + j))
            for sigma in (2.55, 7.65):
                blurred = apply(Chain((GaussianNoise(sigma), Quantize())), blur(gray, k), seed=i * 10 + j)
                yield sigma, gray, blurred, k


def main() -> None:
    data = list(cases())
    for name, make, values in (("Wiener gain", lambda v: Wiener(gain=v), (3, 10, 30, 100, 300)),
                               ("RL iterations at 2.55", lambda v: RichardsonLucy(iterations=v), (10, 20, 30, 50, 80))):
        for v in values:
            model = make(v)
            scores = {2.55: [], 7.65: []}
            for sigma, clean, blurred, k in data:
                out = model(blurred, k[None, None]).clamp(0, 1)
                scores[sigma].append(float(psnr(apply(Quantize(), out), clean)))
            print(f"{name} {v}: " + ", ".join(f"σ={s}: {sum(p) / len(p):.2f}" for s, p in scores.items()), flush=True)


if __name__ == "__main__":
    main()
