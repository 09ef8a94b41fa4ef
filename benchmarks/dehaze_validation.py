"""A paired dehazing validation set made from training photos, never from a benchmark: the 8
BSD200 photos every dehazing recipe holds out, each hazed twice by the default's training haze
(``degrade.Haze`` with the random depth proxy: β in [0.5, 2.5], A in [0.7, 1] tinted ±5 %, the
nearest depth in [0, 0.7]), seeds 0–15, 8-bit PNG. Design choices of the dehazers (the
guided filter's settings, the airlight rule) are made here, so that SOTS only measures.

    python benchmarks/dehaze_validation.py make runs/dehaze_val
    darkroom bench dehaze --data runs/dehaze_val --model hazy --model dcp --model dehazenet --model haze_unet
    python benchmarks/dehaze_validation.py patches     # DehazeNet's t against the dark channel's on held-out patches
    python benchmarks/dehaze_validation.py untrained runs/dehaze_val   # the default's network before training: the prior, unfiltered
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from darkroom.degrade import Chain, Haze, Quantize, apply
from darkroom.io import data_root, list_images, read_image, write_image
from darkroom.ops import to_batch

HAZE = Chain((Haze((0.5, 2.5), (0.7, 1.0), random_depth=True, near=(0.0, 0.7), tint=0.05), Quantize()))


def make(out: Path) -> None:
    photos = sorted(list_images([data_root() / "BSD200"]))[-8:]  # the recipes' val_holdout = 8
    for folder in ("hazy", "GT"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    seed = 0
    for path in photos:
        clear, _ = to_batch(read_image(path).pixels)
        for _ in range(2):
            hazy = apply(HAZE, clear, seed=seed)
            name = f"{path.stem}_{seed}.png"
            write_image(out / "hazy" / name, (hazy[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8), overwrite=True)
            write_image(out / "GT" / name, read_image(path).pixels, overwrite=True)
            seed += 1


def patches() -> None:
    """RMSE of t on DehazeNet's 2,048 held-out patches (its recipe's validation): the shipped
    network, and the dark channel prior's estimate 1 − 0.95·min over the patch and channels."""
    import torch

    from darkroom.train.objectives import TransmissionTerms, hazed_patches
    from darkroom.train.pixel import recipe_data
    from darkroom.train.recipe import Recipe
    from darkroom.zoo import load

    r = Recipe.from_toml(Path(__file__).resolve().parent.parent / "recipes" / "dehazenet.toml")
    _, val = recipe_data(r)
    hazy, trans = hazed_patches(val, 0, 2048, r.patch, r.seed + 1, TransmissionTerms(**r.objective_kwargs))
    with torch.no_grad():
        net = load("dehazenet").net.patch_transmission(hazy).flatten()
    prior = 1 - 0.95 * hazy.amin(1).flatten(1).amin(1)
    for name, t in (("dehazenet", net), ("dark channel prior", prior)):
        print(f"| {name} | {float((t.clamp(0, 1) - trans).pow(2).mean().sqrt()):.3f} |")


def untrained(folder: Path) -> None:
    """The default's architecture with its heads at zero, as training starts: the prior's coarse t and A."""
    import torch

    from darkroom.benchmark import paired_files
    from darkroom.metrics import psnr
    from darkroom.nets import FAMILIES

    torch.manual_seed(0)
    net = FAMILIES["haze_unet"](features=(24, 48, 64, 64), prior=True).eval()
    scores = []
    for hazy_path, clear_path in paired_files(folder, (("hazy",), ("GT",))):
        hazy, clear = (to_batch(read_image(p).pixels)[0] for p in (hazy_path, clear_path))
        with torch.no_grad():
            out = torch.round(net(hazy).clamp(0, 1) * 255) / 255
        scores.append(float(psnr(out, clear)))
    print(f"untrained haze_unet (prior = true): {np.mean(scores):.2f} dB over {len(scores)} pairs")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(Path(sys.argv[2]))
    elif sys.argv[1] == "untrained":
        untrained(Path(sys.argv[2]))
    else:
        patches()
