"""The σ search behind ``bm3d_jpeg``: BM3D's gain over the decoded JPEG, in dB, for each told
σ at each quality, on 8 BSD200 *training* crops (gray, the 256×256 centre of every 25th
image); never on a test set. The table and the fitted rule are in docs/lab/dejpeg.md.

    OMP_NUM_THREADS=1 python benchmarks/jpeg_bm3d_sigma.py                  # q = 10, 20, 30, 40
    OMP_NUM_THREADS=1 python benchmarks/jpeg_bm3d_sigma.py --quality 10 --sigma 15 18 20 24
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from PIL import Image

from darkroom.classical.denoise import BM3D
from darkroom.degrade.jpeg import jpeg_compress
from darkroom.metrics import psnr
from darkroom.train import data_root


def training_crops() -> list[torch.Tensor]:
    files = sorted((data_root() / "BSD200").iterdir())[:200:25]
    crops = []
    for f in files:
        g = np.array(Image.open(f).convert("L"))
        h, w = g.shape
        crops.append(torch.from_numpy(g[h // 2 - 128 : h // 2 + 128, w // 2 - 128 : w // 2 + 128]).float()[None, None] / 255)
    return crops


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quality", type=int, nargs="+", default=[10, 20, 30, 40])
    p.add_argument("--sigma", type=float, nargs="+", default=[2, 4, 6, 8, 10, 12, 15])
    a = p.parse_args()
    crops = training_crops()
    print("| q | " + " | ".join(f"σ = {s:g}" for s in a.sigma) + " |")
    print("|---|" + "---|" * len(a.sigma))
    for q in a.quality:
        gains = []
        for s in a.sigma:
            per_crop = []
            for clean in crops:
                decoded = jpeg_compress(clean, q)
                restored = (BM3D()(decoded, torch.full((1, 1, 1, 1), s / 255)) * 255).round().clamp(0, 255) / 255
                per_crop.append(float(psnr(restored, clean) - psnr(decoded, clean)))
            gains.append(float(np.mean(per_crop)))
        print(f"| {q} | " + " | ".join(f"{g:+.2f}" for g in gains) + " |", flush=True)


if __name__ == "__main__":
    main()
