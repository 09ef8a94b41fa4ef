"""Before/after crops of a real low-light photo (DICM, Lee et al.) through the CLI's denoiser.

    darkroom denoise ../shared/data/DICM/17.jpg -o out/dicm17_auto.png                  # no σ: the blind cbdnet_color
    darkroom denoise ../shared/data/DICM/17.jpg -o out/dicm17_s8.png --sigma 8
    darkroom denoise ../shared/data/DICM/17.jpg -o out/dicm17_s15.png --sigma 15
    darkroom denoise ../shared/data/DICM/17.jpg -o out/dicm17_wavelet.png --model ffdnet_color   # told the wavelet estimate
    python benchmarks/real_photo_denoise.py ../shared/data/DICM/17.jpg out/dicm17_auto.png out/dicm17_s8.png \
        out/dicm17_s15.png out/dicm17_wavelet.png

Writes docs/figures/real_noise_dicm.png: the same crop of each image side by side, every
panel brightened by the same factor (the crop is dark; ×2.5, clipped) and enlarged 2× with
nearest neighbours so grain and single pixels stay visible. There is no clean reference for
a real photo, so this is a figure, not a score. Prints the wavelet noise estimate that a
non-blind model is told when no σ is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from darkroom.io import read_image, write_image
from darkroom.ops import to_batch
from darkroom.tasks.denoise import estimate_noise_sigma

ROOT = Path(__file__).resolve().parent.parent
CROP = (slice(200, 380), slice(390, 630))  # rows, columns: the audience in the aquarium's dim light
BRIGHTEN = 2.5


def main(paths: list[str]) -> None:
    print(f"estimated σ of {paths[0]}: {float(estimate_noise_sigma(to_batch(read_image(paths[0]).pixels)[0])[0]):.2f}")
    crops = [np.clip(read_image(p).pixels[CROP][..., :3] * BRIGHTEN, 0, 255).astype(np.uint8) for p in paths]
    gap = np.full((crops[0].shape[0], 6, 3), 255, np.uint8)
    row = np.concatenate([c for crop in crops for c in (crop, gap)][:-1], axis=1)
    write_image(ROOT / "docs/figures/real_noise_dicm.png", row.repeat(2, 0).repeat(2, 1), overwrite=True)


if __name__ == "__main__":
    main(sys.argv[1:])
