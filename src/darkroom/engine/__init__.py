"""Running networks on real images: tiling, padding, batching, precision."""

from darkroom.engine.restorer import PRECISIONS, Restorer, blend_ramp, tile_starts
from darkroom.engine.spec import ModelSpec

__all__ = ["PRECISIONS", "ModelSpec", "Restorer", "blend_ramp", "tile_starts"]
