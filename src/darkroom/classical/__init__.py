"""Non-learned baselines behind the same call as the networks."""

from darkroom.classical.resize import Interpolate

__all__ = ["Interpolate"]
