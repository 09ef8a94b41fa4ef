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
    from darkroom.io import data_root

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


def test_beats_bm3d_on_a_real_image(bsd_image):
    # Measured on BSD68 at σ = 25: 28.80 dB against BM3D's 28.62 (BENCHMARKS.md); on this image
    # 25.71 against 25.44. Stage 3's weights, before the GPU stage, scored 28.53 on BSD68.
    clean, noisy = bsd_image
    ours, bm3d = _score("ffdnet_gray", noisy, clean), _score("bm3d", noisy, clean)
    assert ours > bm3d + 0.1, (ours, bm3d)


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
    # Measured on BSD68 σ=25: 28.46 dB blind against 28.80 dB for ffdnet_gray told the true σ
    # (BENCHMARKS.md), short of the 0.2 dB target; on this textured image 25.41 against 25.71.
    # The test pins the gap within 0.5 dB so that a regression shows.
    clean, noisy = bsd_image
    blind = load("cbdnet_gray")
    score = float(psnr(quantize(blind(noisy, torch.ones(1, 1, 1, 1))), clean))
    assert score > _score("ffdnet_gray", noisy, clean) - 0.5 and score > float(psnr(quantize(noisy), clean)) + 3
    gentle, strong = (blind(noisy, torch.full((1, 1, 1, 1), g)) for g in (0.5, 2.0))
    assert float(strong.diff(dim=-1).std()) < float(gentle.diff(dim=-1).std())


@pytest.fixture(scope="module")
def unseen_photo():
    """A BSD200 photo the gray denoisers never trained on: the last, held out by ffdnet_gray's GPU stage
    (the others train on Train400, and the blind estimator sees BSD200 only through camera noise)."""
    from darkroom.io import data_root

    path = data_root() / "BSD200" / "97017.png"
    if not path.exists():
        pytest.skip("BSD200 is missing")
    return load_clean(path)[..., :256, :256]


@pytest.mark.parametrize("sigma, gain", [(5, 4.0), (10, 6.5), (15, 8.0)])  # measured: +5.12, +7.32, +8.84
def test_low_noise_levels_are_removed_too(unseen_photo, sigma, gain):
    # The first training stage left σ ≤ 8 nearly untouched (σ = 10: +3.0 dB over the noisy
    # input on 12 BSD200 crops); the fine-tuning stage (recipes/ffdnet_gray_finetune.toml)
    # lifted σ = 10 to +4.9 dB, and σ = 5 stayed at +1.2 dB until the GPU stage lifted it to
    # +3.5 dB (all measured by benchmarks/denoise_unseen_crops.py).
    from darkroom.ops import rgb_to_gray_8bit

    clean = rgb_to_gray_8bit(unseen_photo)
    noisy = apply(GaussianNoise(sigma), clean, seed=0)
    before, after = float(psnr(quantize(noisy), clean)), _score("ffdnet_gray", noisy, clean, sigma)
    assert after > before + gain, (before, after)


@pytest.mark.parametrize("sigma", [15, 25, 50])
def test_self_ensemble_gains_on_an_unseen_photo(unseen_photo, sigma):
    # Measured on this crop: ×8 over ×1 +0.12 / +0.11 / +0.14 dB at σ = 15 / 25 / 50, ×2 about
    # two thirds of it; on 12 BSD200 crops see `benchmarks/denoise_unseen_crops.py`.
    from darkroom.ops import rgb_to_gray_8bit

    clean = rgb_to_gray_8bit(unseen_photo)
    noisy = apply(GaussianNoise(sigma), clean, seed=0)
    model, level = load("ffdnet_gray"), torch.full((1, 1, 1, 1), sigma / 255)
    once, twice, eight = (float(psnr(quantize(model(noisy, level, self_ensemble=n)), clean)) for n in (1, 2, 8))
    assert once + 0.05 < twice < eight and eight > once + 0.08, (once, twice, eight)


def test_color_goes_through_the_gray_model_in_the_opponent_space(unseen_photo):
    noisy = apply(GaussianNoise(25), unseen_photo, seed=0)
    gray = load("ffdnet_gray")
    cond = torch.full((1, 1, 1, 1), 25 / 255)
    per_rgb_channel = torch.cat([gray(noisy[:, c : c + 1], cond) for c in range(3)], 1)
    ours = darkroom.denoise(noisy, sigma=25, model="ffdnet_gray")
    rgb_score, opponent_score = float(psnr(quantize(per_rgb_channel), unseen_photo)), float(psnr(quantize(ours), unseen_photo))
    assert opponent_score > rgb_score + 0.5, (rgb_score, opponent_score)


@pytest.fixture(scope="module")
def cbsd_crop():
    from darkroom.io import data_root

    path = data_root() / "CBSD68" / "106024.png"
    if not path.exists():
        pytest.skip("CBSD68 is missing")
    clean = load_clean(path)[..., :256, :256]
    return clean, apply(GaussianNoise(25), clean, seed=0)


def test_color_model_is_the_color_default_and_keeps_up_with_the_gray_model_in_the_opponent_space(cbsd_crop):
    # CBSD68 at σ = 25: ffdnet_color 30.84 dB against 30.81 for ffdnet_gray in the opponent space
    # (BENCHMARKS.md); on this crop (106024) 35.76 against 35.75. Before both GPU stages the
    # colour model's guide was worth 0.12 dB on CBSD68 and 0.40 here; the gray model's GPU stage
    # gained more than the colour one's, so the guide now only keeps the colour model level.
    clean, noisy = cbsd_crop
    default = darkroom.denoise(noisy, sigma=25)
    assert torch.equal(default, load("ffdnet_color")(noisy, torch.full((1, 1, 1, 1), 25 / 255)).clamp(0, 1))
    gray = darkroom.denoise(noisy, sigma=25, model="ffdnet_gray")
    ours, theirs = float(psnr(quantize(default), clean)), float(psnr(quantize(gray), clean))
    assert ours > theirs - 0.05, (ours, theirs)


def test_dncnn_trained_at_sigma_25(bsd_image):
    # DnCNN-S, trained here for 4,000 steps of 16 patches (the paper: 128). Measured on this image:
    # 25.55 dB against NLM's 23.96 and 20.51 for the noisy input.
    clean, noisy = bsd_image
    ours = float(psnr(quantize(load("dncnn_gray_s25")(noisy)), clean))
    assert ours > _score("nlm", noisy, clean) + 1.2 and ours > float(psnr(quantize(noisy), clean)) + 4.5


@pytest.mark.parametrize("seed, margin", [(5, 1.0), (3, -0.5)])  # measured: +1.61 (heavy noise), -0.31 (light)
def test_color_photos_without_sigma_go_to_the_blind_model_which_handles_camera_noise(cbsd_crop, seed, margin):
    # Camera noise (demosaiced, signal-dependent; darkroom.degrade.CameraNoise) on a CBSD68 crop,
    # against ffdnet_color told the best of five σ for this very image. The blind model wins big
    # where the noise is heavy and loses a little where it is light; over 12 CBSD68 images it
    # beats every non-blind model at its best single σ (BENCHMARKS.md).
    from darkroom.degrade import CameraNoise, Chain, Quantize

    clean, _ = cbsd_crop
    noisy = apply(Chain((CameraNoise(jpeg=None), Quantize())), clean, seed=seed)
    blind = darkroom.denoise(noisy)
    assert torch.equal(blind, load("cbdnet_color")(noisy, torch.ones(1, 1, 1, 1)).clamp(0, 1))
    ours = float(psnr(quantize(blind), clean))
    told_best = max(float(psnr(quantize(darkroom.denoise(noisy, sigma=s)), clean)) for s in (10, 15, 25, 35, 50))
    assert ours > told_best + margin, (ours, told_best)


def test_a_one_level_model_runs_through_the_api_and_refuses_a_sigma(bsd_image):
    clean, noisy = bsd_image  # σ = 25, the level dncnn_gray_s25 was trained for
    noisy_u8 = (noisy[0, 0].clamp(0, 1).numpy() * 255).round().astype(np.uint8)
    as_read = torch.from_numpy(noisy_u8 / 255.0).float()[None, None]
    out = darkroom.denoise(noisy_u8, model="dncnn_gray_s25")
    api = float(psnr(torch.from_numpy(out / 255.0).float()[None, None], clean))
    direct = float(psnr(load("dncnn_gray_s25")(as_read), clean))
    # Measured: 25.33 dB both ways, from 20.51 (test001 is a hard image for every method).
    assert out.dtype == np.uint8 and abs(api - direct) < 0.02 and api > float(psnr(as_read, clean)) + 4.5, (api, direct)
    color = darkroom.denoise(np.stack([noisy_u8] * 3, -1), model="dncnn_gray_s25")  # gray model per opponent channel
    assert color.shape == (*noisy_u8.shape, 3)
    with pytest.raises(DarkroomError, match="trained for one noise level"):
        darkroom.denoise(noisy_u8, sigma=25, model="dncnn_gray_s25")


def test_color_dncnn_denoises_a_color_photo_but_trails_the_default(cbsd_crop):
    # Measured on this crop: noisy 20.93, dncnn_color_s25 30.64, ffdnet_color 35.76 dB
    # (the colour DnCNN is under-trained: 28.87 against the paper's 31.24 on CBSD68).
    clean, noisy = cbsd_crop
    before = float(psnr(quantize(noisy.clamp(0, 1)), clean))
    dncnn = float(psnr(quantize(load("dncnn_color_s25")(noisy)), clean))
    assert dncnn > before + 9.0 and _score("ffdnet_color", noisy, clean) > dncnn + 3.0, (before, dncnn)
