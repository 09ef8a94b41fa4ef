"""Tiled vs untiled output of the shipped denoiser on real images.

    python benchmarks/tiling.py

With the engine's default overlap (which covers the receptive field) the two agree to
float rounding; with a deliberately small overlap (no margin for the receptive field)
they do not, which shows what the overlap rule buys.
"""

import torch

from darkroom.benchmark import load_clean
from darkroom.degrade import GaussianNoise, apply
from darkroom.io import data_root
from darkroom.zoo import load

restorer = load("ffdnet_gray")
sigma = torch.full((1, 1, 1, 1), 25 / 255)
print("| image | tile | overlap | max abs diff (×255) | pixels off by ≥ 1/255 |")
print("|---|---|---|---|---|")
for name in ("test001.png", "test002.png", "test003.png"):
    noisy = apply(GaussianNoise(25), load_clean(data_root() / "BSD68" / name), seed=0)
    whole = restorer(noisy, sigma, tile=0)
    for tile, overlap in ((128, None), (96, None), (128, 8)):
        tiled = restorer(noisy, sigma, tile=tile, overlap=overlap)
        diff = (tiled - whole).abs()
        shown = restorer.default_overlap(tile) if overlap is None else overlap
        print(f"| {name} | {tile} | {shown} | {float(diff.max()) * 255:.5f} | {float((diff >= 1 / 255).float().mean()) * 100:.3f} % |")
