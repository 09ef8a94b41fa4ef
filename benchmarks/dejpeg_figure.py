"""Figure: a real photo shared as a heavily compressed JPEG, before and after.

A DICM photo (stored at q = 100) is saved at quality 10 by libjpeg (Pillow, 4:2:0, as a
messaging app re-saves a photo), read back as a user's file is, and restored through
``darkroom dejpeg``'s path: ARCNN (its q = 10 model, on the luminance) and the default
``dejpeg_unet``; two crops side by side with the original, RGB PSNR against it under each.

    python benchmarks/dejpeg_figure.py      # writes docs/figures/dejpeg_dicm.png
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import darkroom
from darkroom.io import write_image
from darkroom.metrics import psnr
from darkroom.ops import image_grid
from darkroom.train import data_root
from figure_panels import label  # benchmarks/figure_panels.py

ROOT = Path(__file__).resolve().parent.parent
PHOTO, QUALITY = "DICM/05.jpg", 10
CROPS = ((150, 250, 150), (300, 40, 150))  # (top, left, side): a face-sized detail and an edge with sky


def main() -> None:
    original = np.array(Image.open(data_root() / PHOTO).convert("RGB"))
    buffer = io.BytesIO()
    Image.fromarray(original).save(buffer, format="JPEG", quality=QUALITY)
    decoded = np.array(Image.open(buffer))
    versions = {f"JPEG q={QUALITY}": decoded,
                "ARCNN (q=10 model)": darkroom.dejpeg(decoded, QUALITY, model="arcnn"),
                "dejpeg_unet (default)": darkroom.dejpeg(decoded, QUALITY),
                "original (q=100)": original}
    truth = torch.from_numpy(original).permute(2, 0, 1)[None].float() / 255
    rows = []
    for top, left, side in CROPS:
        window = (slice(top, top + side), slice(left, left + side))
        for name, pixels in versions.items():
            crop = pixels[window]
            score = float(psnr(torch.from_numpy(crop).permute(2, 0, 1)[None].float() / 255,
                               truth[..., window[0], window[1]]))
            rows.append(label(crop, name if name.startswith("original") else f"{name} {score:.2f} dB"))
    batch = torch.from_numpy(np.stack(rows)).permute(0, 3, 1, 2).float() / 255
    grid = image_grid(torch.nn.functional.interpolate(batch, scale_factor=2, mode="nearest"), columns=len(versions), padding=4)
    write_image(ROOT / "docs/figures/dejpeg_dicm.png", (grid.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8),
                overwrite=True)
    print("wrote docs/figures/dejpeg_dicm.png")


if __name__ == "__main__":
    main()
