"""Figure per scale: one crop, bicubic vs each network vs the ground truth, with the
crop's Y-PSNR under each panel (the benchmark protocol: MATLAB-bicubic LR, uint8).

    python benchmarks/sr_figures.py      # writes docs/figures/sr_x2.png, sr_x3.png, sr_x4.png
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from darkroom.benchmark import load_clean
from darkroom.degrade import Chain, Downsample, Quantize, apply
from darkroom.io import write_image
from darkroom.metrics import psnr
from darkroom.ops import image_grid, modcrop
from darkroom.engine.run import choose_model, run_model
from darkroom.tasks import UPSCALE
from darkroom.tasks.upscale import Scale
from darkroom.train import data_root
from figure_panels import label  # benchmarks/figure_panels.py
from darkroom.zoo import load

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("bicubic", "srcnn", "fsrcnn", "espcn", "edsr")
# (image, top, left, side) of the crop in HR pixels: textures where methods differ
CROPS = {2: ("Set14/comic.bmp", 40, 40, 120), 3: ("Set14/zebra.bmp", 120, 180, 120), 4: ("Set5/butterfly_GT.bmp", 60, 60, 120)}


def main() -> None:
    for scale, (name, top, left, side) in CROPS.items():
        clean = modcrop(load_clean(data_root() / name), scale)
        if clean.shape[1] == 1:
            clean = clean.expand(-1, 3, -1, -1)
        low = apply(Chain((Downsample(scale), Quantize())), clean, seed=0)
        window = (slice(None), slice(None), slice(top, top + side), slice(left, left + side))
        panels = []
        for family in FAMILIES:
            model = choose_model(UPSCALE, family, 3, Scale(scale))
            with torch.no_grad():
                out = torch.round(run_model(UPSCALE, load(model), low, None).clamp(0, 1) * 255) / 255
            crop = out[window]
            panels.append(label((crop[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8),
                                f"{family} {float(psnr(crop, clean[window], y_channel=True)):.2f} dB"))
        panels.append(label((clean[window][0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8), "ground truth"))
        batch = torch.from_numpy(np.stack(panels)).permute(0, 3, 1, 2).float() / 255
        grid = image_grid(torch.nn.functional.interpolate(batch, scale_factor=2, mode="nearest"), columns=len(panels), padding=4)
        write_image(ROOT / f"docs/figures/sr_x{scale}.png", (grid.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8), overwrite=True)
        print(f"wrote docs/figures/sr_x{scale}.png")


if __name__ == "__main__":
    main()
