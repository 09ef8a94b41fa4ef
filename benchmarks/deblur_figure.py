"""The deblurring figure (README, docs/figures/deblur_levin.png): a Levin09 photo blurred by real
camera shake (scene 2, kernel 4, 27×27), then the blind network, the kernel path (the kernel
estimated from the network's output, then plug-and-play), plug-and-play told the true kernel,
and the sharp photo.

    OMP_NUM_THREADS=1 python benchmarks/deblur_figure.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from darkroom.io import data_root, read_image, read_kernels, write_image
from darkroom.ops import to_batch
from darkroom.ops.fourier import estimate_kernel
from darkroom.verbs import deblur

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    root = data_root() / "Levin09"
    blurred = read_image(root / "im2_kernel4_img.png").pixels
    sharp = read_image(root / "gt" / "im2.png").pixels
    true_kernel = np.ascontiguousarray(read_kernels(data_root() / "blur_kernels" / "Levin09.mat")[3][::-1, ::-1])  # turned: benchmarks/deblur.py levin
    blind = deblur(blurred)
    estimated = estimate_kernel(to_batch(blurred)[0], to_batch(blind)[0], 31).numpy()
    panels = [blurred, blind, deblur(blurred, estimated), deblur(blurred, true_kernel), sharp]
    gap = np.full((blurred.shape[0], 6), 255, np.uint8)
    row = np.concatenate([p for panel in panels for p in (panel, gap)][:-1], axis=1)
    write_image(ROOT / "docs" / "figures" / "deblur_levin.png", row)


if __name__ == "__main__":
    main()
