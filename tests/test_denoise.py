"""The shipped denoiser on real images, against classical baselines run in the same test."""

import numpy as np
import pytest
import torch

import darkroom
from darkroom.benchmark import load_clean
from darkroom.degrade import GaussianNoise, apply
from darkroom.errors import DarkroomError
from darkroom.metrics import psnr
from darkroom.ops import quantize
from darkroom.tasks.denoise import estimate_noise_sigma
from darkroom.zoo import load


@pytest.fixture(scope="module")
def bsd_image():
    from darkroom.train.recipe import data_root

    path = data_root() / "BSD68" / "test001.png"
    if not path.exists():
        pytest.skip("BSD68 is missing")
    clean = load_clean(path)
    return clean, apply(GaussianNoise(25), clean, seed=0)


def _score(name, noisy, clean, sigma=25):
    out = load(name)(noisy, torch.full((1, 1, 1, 1), sigma / 255))
    return float(psnr(quantize(out), clean))


def test_beats_non_local_means_by_a_margin(bsd_image):
    clean, noisy = bsd_image
    ours, nlm = _score("ffdnet_gray", noisy, clean), _score("nlm", noisy, clean)
    assert ours > nlm + 1.0, (ours, nlm)


def test_close_to_bm3d_on_a_real_image(bsd_image):
    # Measured on BSD68 at σ=25: 28.04 dB against BM3D's 28.62 dB (BENCHMARKS.md). The shipped
    # model does not beat BM3D yet; this pins it within 1 dB so that a regression shows.
    clean, noisy = bsd_image
    ours, bm3d = _score("ffdnet_gray", noisy, clean), _score("bm3d", noisy, clean)
    assert ours > bm3d - 1.0, (ours, bm3d)


def test_sigma_map_sets_strength_where_it_is_given(bsd_image):
    clean, _ = bsd_image
    img = (clean[0, 0].numpy() * 255).round().astype(np.uint8)
    sigma = np.full(img.shape, 25.0, np.float32)
    sigma[:, : img.shape[1] // 2] = 0.0
    out = darkroom.denoise(img, sigma=sigma)
    left = slice(0, img.shape[1] // 2 - 40)
    right = slice(img.shape[1] // 2 + 40, None)
    change_left = np.abs(out[:, left].astype(int) - img[:, left]).mean()
    change_right = np.abs(out[:, right].astype(int) - img[:, right]).mean()
    assert change_left < 1.0 and change_right > 3 * change_left, (change_left, change_right)


def test_estimated_sigma_and_strength(bsd_image):
    clean, noisy = bsd_image
    assert abs(estimate_noise_sigma(noisy) - 25) < 2.5
    u8 = (quantize(noisy)[0, 0].numpy() * 255).round().astype(np.uint8)
    gentle, strong = darkroom.denoise(u8, strength=0.5), darkroom.denoise(u8, strength=2.0)
    assert np.std(np.diff(strong.astype(float), axis=1)) < np.std(np.diff(gentle.astype(float), axis=1))


def test_kinds_and_errors():
    rgb16 = (np.random.default_rng(0).random((40, 50, 3)) * 65535).astype(np.uint16)
    out = darkroom.denoise(rgb16, sigma=10)
    assert out.dtype == np.uint16 and out.shape == rgb16.shape
    with pytest.raises(DarkroomError, match="sigma must be between"):
        darkroom.denoise(rgb16, sigma=300)
    with pytest.raises(DarkroomError, match="not a denoiser"):
        darkroom.denoise(rgb16, sigma=10, model="bicubic_x2")


def test_blind_model_runs_without_sigma_and_strength_scales_it(bsd_image):
    # Measured on BSD68 σ=25: 27.25 dB blind against 28.04 dB for ffdnet_gray told the true σ
    # (BENCHMARKS.md) — short of the 0.2 dB target. On this textured image the gap is 1.35 dB;
    # the test pins it within 1.5 dB so that a regression shows.
    clean, noisy = bsd_image
    blind = load("cbdnet_gray")
    score = float(psnr(quantize(blind(noisy, torch.ones(1, 1, 1, 1))), clean))
    assert score > _score("ffdnet_gray", noisy, clean) - 1.5 and score > float(psnr(quantize(noisy), clean)) + 3
    gentle, strong = (blind(noisy, torch.full((1, 1, 1, 1), g)) for g in (0.5, 2.0))
    assert float(strong.diff(dim=-1).std()) < float(gentle.diff(dim=-1).std())
