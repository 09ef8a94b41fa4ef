"""A crop of a tiled upscale across a tile boundary, beside the same region run untiled.

    python benchmarks/tile_seam_crop.py INPUT.png TILED_X2.png     # writes docs/figures/tile_seam_x2.png

The untiled reference runs the model on a window around the boundary that is wider than
the network's receptive field, so inside the crop it sees exactly what an untiled run of
the whole photo would. Prints the largest difference in the crop (in 8-bit levels).
"""

from __future__ import annotations

import sys

import numpy as np
import torch

from darkroom.io import read_image, write_image
from darkroom.ops import image_grid, to_batch
from darkroom.engine.run import choose_model
from darkroom.tasks import UPSCALE
from darkroom.tasks.upscale import Scale
from darkroom.zoo import load


def main(source: str, tiled_path: str, scale: int = 2, side: int = 96) -> None:
    restorer = load(choose_model(UPSCALE, None, 3, Scale(scale)))
    spec = restorer.spec
    tile = spec.tile
    overlap = restorer.default_overlap(tile)
    boundary = tile - overlap // 2  # inside the first blend zone between tiles 0 and 1, in input pixels
    low, _ = to_batch(read_image(source).pixels)
    tiled = read_image(tiled_path).pixels
    top, left = 1000, boundary - side // 2  # a region that straddles the vertical boundary
    pad = 4 * spec.receptive_radius + 8
    window = low[..., top - pad : top + side + pad, left - pad : left + side + pad]
    with torch.no_grad():
        untiled = restorer(window, tile=0)
    untiled = (untiled[0, :, pad * scale : (pad + side) * scale, pad * scale : (pad + side) * scale].permute(1, 2, 0).numpy() * 255).round().clip(0, 255).astype(np.uint8)
    crop = tiled[top * scale : (top + side) * scale, left * scale : (left + side) * scale]
    diff = np.abs(crop.astype(int) - untiled.astype(int))
    print(f"tile {tile}, overlap {overlap}; crop {side * scale}×{side * scale} px across the boundary at input x = {boundary}: "
          f"max |tiled − untiled| = {diff.max()} levels, mean {diff.mean():.4f}")
    panels = torch.from_numpy(np.stack([crop, untiled, np.clip(diff * 50, 0, 255).astype(np.uint8)])).permute(0, 3, 1, 2).float() / 255
    grid = image_grid(panels, columns=3, padding=6)
    write_image("docs/figures/tile_seam_x2.png", (grid.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8), overwrite=True)
    print("wrote docs/figures/tile_seam_x2.png (tiled | untiled | difference × 50)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
