"""Pure tensor operations: the bottom layer of darkroom. Nothing here touches files."""

from darkroom.ops.alpha import bleed_transparent, split_alpha
from darkroom.ops.color import (
    OPPONENT_NOISE_GAIN,
    lab_to_rgb,
    opponent_to_rgb,
    rgb_to_opponent,
    rgb_to_gray,
    rgb_to_gray_8bit,
    rgb_to_lab,
    rgb_to_y,
    rgb_to_ycbcr,
    ycbcr_to_rgb,
)
from darkroom.ops.contract import ArrayKind, from_batch, quantize, to_batch, to_rgb_batch
from darkroom.ops.geometry import ENSEMBLE_TRANSFORMS, dihedral, ensemble_transforms, undo_dihedral
from darkroom.ops.grid import image_grid
from darkroom.ops.pad import modcrop, pad_reflect, pad_to_multiple
from darkroom.ops.resize import imresize, output_size, resize_longest
from darkroom.ops.shape import check_image_batch

__all__ = [
    "OPPONENT_NOISE_GAIN", "opponent_to_rgb", "rgb_to_opponent", "ArrayKind", "bleed_transparent", "split_alpha", "check_image_batch", "dihedral", "ENSEMBLE_TRANSFORMS", "ensemble_transforms", "from_batch", "image_grid", "imresize", "lab_to_rgb", "modcrop", "output_size",
    "pad_reflect", "pad_to_multiple", "quantize", "rgb_to_gray", "rgb_to_gray_8bit", "rgb_to_lab", "rgb_to_y", "rgb_to_ycbcr",
    "resize_longest", "to_batch", "to_rgb_batch", "undo_dihedral", "ycbcr_to_rgb",
]
