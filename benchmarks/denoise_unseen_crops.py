"""Denoising diagnostics on photos no denoiser trained on: 256×256 crops of the last 12
BSD200 images (the gray denoiser's stages 1-3 train on Train400 and its GPU stage on Train400
plus the other 188 BSD200 photos; the blind model's estimator sees BSD200 patches only through
camera noise). Four tables, all AWGN with seed 1, outputs
clipped to [0, 1], not rounded:

1. low and high noise, gray: the noisy input, each given `ffdnet_gray` weights file, BM3D;
2. color at σ = 25: the gray model on R, G, B separately against the opponent color space
   that `darkroom.denoise` uses;
3. the first weights file under geometric self-ensembles of 1, 2, 4 and 8 runs (`--self-ensemble`);
4. the blind model: its estimated map pooled per brightness (as shipped), the same
   estimator pooled into 1, 4 or 8 brightness bins instead, averaged over 31×31 and per
   pixel, the true σ, and the mean estimated σ.

    python benchmarks/denoise_unseen_crops.py                                   # shipped weights
    python benchmarks/denoise_unseen_crops.py --blind runs/cbdnet_gray/checkpoint.pt   # another blind model, e.g. a run
    python benchmarks/denoise_unseen_crops.py recipes/init/ffdnet_gray_stage1.safetensors recipes/init/ffdnet_gray_stage2.safetensors

About 3 minutes on one thread.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

from darkroom.io import list_images, read_image
from darkroom.metrics import psnr
from darkroom.nets import BlindDenoiser
from darkroom.ops import rgb_to_gray_8bit, to_rgb_batch
from darkroom.tasks import DENOISE
from darkroom.train import data_root
from darkroom.zoo import get_card, load, weights_path
from darkroom.zoo.registry import load_state

SIGMAS = (5, 10, 15, 25, 50)


def noisy_version(clean: torch.Tensor, sigma: float) -> torch.Tensor:
    return clean + sigma / 255 * torch.randn(clean.shape, generator=torch.Generator().manual_seed(1))


def score(out: torch.Tensor, clean: torch.Tensor) -> float:
    return float(psnr(out.clamp(0, 1), clean))


def main(weights: list[str], blind_weights: str | None = None) -> None:
    torch.set_num_threads(1)
    weights = weights or [str(weights_path("ffdnet_gray.safetensors"))]
    color = [to_rgb_batch(read_image(p).pixels)[..., :256, :256] for p in list_images([data_root() / "BSD200"])[-12:]]
    gray = [rgb_to_gray_8bit(c) for c in color]
    mean = lambda values: f"{np.mean(values):.2f}"  # noqa: E731
    cond = lambda s: torch.full((1, 1, 1, 1), s / 255)  # noqa: E731

    print("| gray, σ | noisy | " + " | ".join(weights) + " | bm3d |")
    print("|---|" + "---|" * (len(weights) + 2))
    models = [load("ffdnet_gray", weights=w) for w in weights] + [load("bm3d")]
    for s in SIGMAS:
        noisy = [noisy_version(c, s) for c in gray]
        cells = [mean([score(n, c) for n, c in zip(noisy, gray)])]
        cells += [mean([score(m(n, cond(s)), c) for n, c in zip(noisy, gray)]) for m in models]
        print(f"| {s} | " + " | ".join(cells) + " |")

    shipped = load("ffdnet_gray")
    noisy = [noisy_version(c, 25) for c in color]
    per_channel = [score(torch.cat([shipped(n[:, k : k + 1], cond(25)) for k in range(3)], 1), c) for n, c in zip(noisy, color)]
    opponent = [score(DENOISE.through_gray(shipped, n, cond(25), shipped.spec), c) for n, c in zip(noisy, color)]
    print(f"\n| color, σ = 25 | R, G, B separately | opponent space |\n|---|---|---|\n| ffdnet_gray | {mean(per_channel)} | {mean(opponent)} |")

    print("\n| self-ensemble, σ | ×1 | ×2 | ×4 | ×8 |\n|---|---|---|---|---|")
    for s in SIGMAS:
        noisy = [noisy_version(c, s) for c in gray]
        cells = [mean([score(models[0](n, cond(s), self_ensemble=e), c) for n, c in zip(noisy, gray)]) for e in (1, 2, 4, 8)]
        print(f"| {s} | " + " | ".join(cells) + " |")

    card = get_card("cbdnet_gray")
    state, _ = load_state(blind_weights or weights_path(card.weights))
    poolings = {f"pooled per brightness, {card.kwargs['level_bins']} bins (shipped)": card.kwargs,
                **{f"{b} bin{'s' * (b > 1)}": {**card.kwargs, "level_bins": b} for b in (1, 4, 8)},
                "31×31 window": {**card.kwargs, "level_bins": 0, "smoothing": 15},
                "per-pixel map": {**card.kwargs, "level_bins": 0, "smoothing": 0}}
    blind = [BlindDenoiser(**kwargs).eval() for kwargs in poolings.values()]
    for net in blind:
        net.load_state_dict(state)
    print("\n| blind, σ | " + " | ".join(poolings) + " | true σ | mean σ̂ |\n|---|" + "---|" * (len(poolings) + 2))
    with torch.no_grad():
        for s in SIGMAS:
            noisy = [noisy_version(c, s) for c in gray]
            cells = [mean([score(m(n), c) for n, c in zip(noisy, gray)]) for m in blind]
            cells.append(mean([score(blind[0].denoiser(n, cond(s)), c) for n, c in zip(noisy, gray)]))
            cells.append(f"{np.mean([float(blind[0].noise_map(n).mean()) * 255 for n in noisy]):.1f}")
            print(f"| {s} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Denoising diagnostics on 12 BSD200 crops.")
    parser.add_argument("weights", nargs="*", help="ffdnet_gray weights files for the first table (default: shipped)")
    parser.add_argument("--blind", default=None, help="cbdnet_gray weights for the third table (default: shipped)")
    args = parser.parse_args()
    main(args.weights, args.blind)
