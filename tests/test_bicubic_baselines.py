"""The published bicubic baselines, reproduced through the benchmark protocol."""

import pytest

from darkroom.benchmark import run_benchmark
from darkroom.tasks import UPSCALE
from darkroom.zoo import load

# An independent implementation of the protocol on these copies of Set5/Set14.
REFERENCE = {("Set5", 2): 33.68, ("Set5", 3): 30.40, ("Set5", 4): 28.43,
             ("Set14", 2): 30.33, ("Set14", 3): 27.63, ("Set14", 4): 26.09}


@pytest.mark.parametrize("folder,scale", sorted(REFERENCE))
def test_bicubic_matches_reference(data, folder, scale):
    restorer = load(f"bicubic_x{scale}")
    result = run_benchmark(UPSCALE, data(folder), f"bicubic_x{scale}", restorer, setting=scale)
    assert abs(result.mean_psnr - REFERENCE[(folder, scale)]) <= 0.01
