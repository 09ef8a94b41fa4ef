"""Deblurring: the kernels, the Fourier steps, the classical deconvolutions and plug-and-play
on real test images, and the blind network."""

import numpy as np
import pytest
import torch

from darkroom.degrade import (apply, blur, defocus_kernel, GaussianNoise, linear_motion_kernel, trajectory_kernel,
                              varying_blur)
from darkroom.metrics import psnr
from darkroom.ops.fourier import blur_fft, estimate_kernel, transfer_function
from darkroom.tasks import DEBLUR
from darkroom.tasks.deblur import Kernel, levin_kernels


def test_kernels_are_seeded_normalized_and_shaped_as_said():
    a, b = (trajectory_kernel(21, torch.Generator().manual_seed(3)) for _ in range(2))
    assert torch.equal(a, b) and abs(float(a.sum()) - 1) < 1e-5 and float(a.min()) >= 0
    assert (a > 0.005).sum() > 10  # a path, not a point
    vertical = linear_motion_kernel(9, 90)
    assert float(vertical.sum(1).max()) < 0.2 and float(vertical.sum(0).max()) > 0.95  # one column holds it
    disk = defocus_kernel(4.0)
    assert disk.shape == (9, 9) and float(disk[4, 4]) > 0 and float(disk[0, 0]) == 0


def test_varying_blur_changes_across_the_image_and_stays_between_its_kernels():
    x = torch.rand(1, 1, 64, 64, generator=torch.Generator().manual_seed(0))
    sharp_k, wide_k = torch.zeros(5, 5), torch.full((5, 5), 1 / 25)
    sharp_k[2, 2] = 1
    out = varying_blur(x, [sharp_k, wide_k], torch.Generator().manual_seed(1))
    low, high = torch.minimum(x, blur(x, wide_k)), torch.maximum(x, blur(x, wide_k))
    assert bool(((out >= low - 1e-6) & (out <= high + 1e-6)).all())
    change = (out - x).abs()
    assert float(change[..., :16, :16].mean()) != pytest.approx(float(change[..., -16:, -16:].mean()), rel=0.2)


def test_the_kernel_of_a_real_image_pair_is_recovered_by_least_squares(data):
    from darkroom.io import read_image
    from darkroom.ops import to_batch

    sharp, _ = to_batch(read_image(data("Set12") / "05.png").pixels)
    k = levin_kernels()[0]  # 19×19
    blurred = blur_fft(sharp, transfer_function(k[None, None], sharp.shape[-2:]))
    estimate = estimate_kernel(blurred, sharp, 19)
    assert float((estimate - k).abs().sum()) < 0.15  # measured: 0.070 (L1 over the 19×19 kernel, which sums to 1)


def _bench(models, protocol, kernel, data):
    from darkroom.benchmark import bench

    rows = bench(DEBLUR, [data("Set12")], models, [kernel], protocol=protocol, limit=1, precision="fp32")
    return {r.label: r.result.mean_psnr for r in rows}


def test_plug_and_play_beats_wiener_and_richardson_lucy_on_a_real_image(data):
    # Set12's first image, Levin's 4th kernel (27×27), σ = 2.55, DPIR's circular protocol;
    # measured: pnp 30.86, Wiener 23.35, Richardson–Lucy 21.18, the blurred input 17.01 dB
    scores = _bench(["blurred", "wiener", "richardson_lucy", "pnp_ffdnet_gray"], "levin_s2.55", 4, data)
    assert scores["pnp_ffdnet_gray"] > max(scores["wiener"], scores["richardson_lucy"]) + 5, scores
    assert min(scores["wiener"], scores["richardson_lucy"]) > scores["blurred"] + 3, scores


def test_a_photo_border_is_unknown_scene_not_a_repeat(data):
    # The same blur with a reflected border (as a photo's): told the image repeats, plug-and-play
    # rings from the border inwards; refilling the border from its estimate removes that.
    from darkroom.io import read_image
    from darkroom.ops import to_batch
    from darkroom.zoo import load

    sharp, _ = to_batch(read_image(data("Set12") / "01.png").pixels)
    k = levin_kernels()[3]
    blurred = apply(GaussianNoise(2.55), blur(sharp, k), seed=0)
    restorer = load("pnp_ffdnet_gray")
    scores = {}
    for periodic in (True, False):
        cond = DEBLUR.condition(restorer.spec, blurred, Kernel(k, periodic=periodic))
        scores[periodic] = float(psnr(restorer(blurred, cond, tile=0), sharp))
    assert scores[False] > scores[True] + 8, scores  # measured: 30.06 against 17.56 dB (benchmarks/deblur_borders.py)


def test_a_kernel_given_to_the_verb_is_normalized_and_keeps_the_input_kind():
    from darkroom import deblur

    image = (np.random.default_rng(0).random((40, 48, 3)) * 255).astype(np.uint8)
    out = deblur(image, np.ones((3, 3)) * 7.0, model="wiener")  # sums to 63: scaled to 1
    same = deblur(image, np.ones((3, 3)), model="wiener")
    assert out.dtype == np.uint8 and out.shape == image.shape and np.array_equal(out, same)


def test_the_blind_network_sharpens_camera_shake_it_was_not_told(data):
    # CBSD68's first 2 images under the motion protocol's kernels 2 and 6 (camera shake, σ = 2.55),
    # told nothing. Measured: 24.12 / 23.67 dB against 22.82 / 22.39 blurred (+1.30 / +1.28). On
    # Levin09's real gray camera shake it gains less (+0.70, BENCHMARKS.md).
    from darkroom.benchmark import bench

    rows = bench(DEBLUR, [data("CBSD68")], ["blurred", "deepdeblur"], [2, 6], protocol="motion", limit=2, precision="fp32")
    scores = {(r.label, r.setting): r.result.mean_psnr for r in rows}
    for k in (2, 6):
        assert scores[("deepdeblur", k)] > scores[("blurred", k)] + 0.9, scores
