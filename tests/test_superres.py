"""The shipped super-resolution networks, under the benchmark protocol on Set5:
every one beats bicubic at every scale, and SRCNN serves all scales with one weight file."""

import pytest
import torch

from conftest import need
from darkroom.benchmark import run_benchmark
from darkroom.tasks.upscale import DEFAULT_UPSCALER, resolve_upscaler, run_upscaler
from darkroom.zoo import get_card, load

FAMILIES = ("srcnn", "fsrcnn", "espcn", "edsr")


def y_psnr(family: str, scale: int, folder) -> float:
    restorer = load(resolve_upscaler(family, scale))
    return run_benchmark("upscale", folder, family, lambda x, info: run_upscaler(restorer, x), scale=scale).mean_psnr


@pytest.fixture(scope="module")
def set5():
    return need("Set5")


@pytest.mark.parametrize("scale", [2, 3, 4])
def test_every_network_beats_bicubic(scale, set5):
    bicubic = y_psnr("bicubic", scale, set5)
    for family in FAMILIES:
        gain = y_psnr(family, scale, set5) - bicubic
        assert gain > MIN_GAIN[scale], (family, scale, gain)


def test_fsrcnn_comes_within_0_3_db_of_its_paper_at_x3(set5):
    assert y_psnr("fsrcnn", 3, set5) > 33.16 - 0.3  # Dong et al. 2016; measured 32.97


def test_srcnn_keeps_its_measured_level_at_x3(set5):
    # The paper's 9-5-5 reaches 32.75 dB; ours is 32.13 (BENCHMARKS.md), short of the target,
    # and this guards it from slipping further while that gap is open.
    assert y_psnr("srcnn", 3, set5) > 32.0


def test_srcnn_is_one_set_of_weights_for_every_scale():
    assert len({get_card(f"srcnn_x{s}").weights for s in (2, 3, 4)}) == 1
    nets = [load(f"srcnn_x{s}").net for s in (2, 3, 4)]
    assert all(torch.equal(a, b) for a, b in zip(nets[0].state_dict().values(), nets[2].state_dict().values()))


def test_the_default_upscaler_is_a_network():
    assert DEFAULT_UPSCALER == "edsr" and get_card(resolve_upscaler(None, 4)).learned


MIN_GAIN = {2: 1.0, 3: 0.8, 4: 0.6}  # dB over bicubic, Set5 mean (measured minimum, ESPCN: +1.18 / +0.94 / +0.70; BENCHMARKS.md)
