"""Running networks on real images: tiling, padding, batching, precision."""

from darkroom.engine.precision import PRECISIONS, autocast, native_bf16, resolve_device, resolve_precision
from darkroom.engine.restorer import Restorer, blend_ramp, tile_starts
from darkroom.engine.spec import ModelSpec

__all__ = ["PRECISIONS", "ModelSpec", "Restorer", "autocast", "blend_ramp", "native_bf16", "resolve_device", "resolve_precision", "tile_starts"]
