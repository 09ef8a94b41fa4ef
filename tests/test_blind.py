"""CBDNet-style blind denoising pieces: the σ-map losses, the noise-level target, the
strength knob, and the training pairs."""

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from darkroom.losses import asymmetric_loss, total_variation
from darkroom.nets import FAMILIES, BlindDenoiser
from darkroom.degrade import local_noise_level
from darkroom.train import Recipe
from darkroom.train.objectives import noise_estimation_pair

ROOT = Path(__file__).resolve().parent.parent


def test_asymmetric_loss_punishes_under_estimates_more():
    true = torch.full((1, 1, 8, 8), 0.1)
    under, over = asymmetric_loss(true - 0.02, true, alpha=0.3), asymmetric_loss(true + 0.02, true, alpha=0.3)
    assert abs(float(under) - float(over) * 0.7 / 0.3) < 1e-9
    assert float(asymmetric_loss(true, true)) == 0.0


def test_total_variation_is_zero_on_flat_maps_only():
    assert float(total_variation(torch.full((1, 1, 5, 5), 0.3))) == 0.0
    ramp = torch.arange(5.0).view(1, 1, 1, 5).expand(1, 1, 5, 5)
    assert float(total_variation(ramp)) == 1.0  # horizontal steps of 1, no vertical change


def test_local_noise_level_recovers_a_known_sigma():
    clean = torch.rand(1, 1, 96, 96, generator=torch.Generator().manual_seed(0))
    noisy = clean + 0.1 * torch.randn(clean.shape, generator=torch.Generator().manual_seed(1))
    level = local_noise_level(noisy, clean)
    assert abs(float(level.mean()) - 0.1) < 0.005 and float(level.std()) < 0.02


def test_strength_scales_the_estimated_map():
    torch.manual_seed(0)
    net = BlindDenoiser(channels=1, depth=3, features=8, estimator_features=4).eval()
    seen = []
    net.denoiser.register_forward_pre_hook(lambda m, args: seen.append(args[1]))
    x = torch.rand(1, 1, 16, 16)
    with torch.no_grad():
        net(x, 1.0)
        net(x, torch.full((1, 1, 1, 1), 2.5))
    assert torch.allclose(seen[1], 2.5 * seen[0]) and float(seen[0].min()) > 0  # softplus keeps σ̂ positive


def test_training_pairs_alternate_awgn_and_camera_noise():
    gray = [torch.randint(0, 256, (1, 80, 80), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))]
    color = [torch.randint(0, 256, (3, 80, 80), dtype=torch.uint8, generator=torch.Generator().manual_seed(1))]
    noisy, clean, target = noise_estimation_pair(gray, color, 0, 64, seed=0, channels=1)
    assert noisy.shape == clean.shape == target.shape == (1, 64, 64) and float(target.std()) < 1e-6  # AWGN: one σ everywhere
    assert abs(float((noisy - clean).std()) - float(target.mean())) < 0.1 * float(target.mean())  # the σ it says
    noisy2, clean2, target2 = noise_estimation_pair(gray, color, 1, 64, seed=0, channels=1)
    assert noisy2.shape == (1, 64, 64) and float(target2.std()) > 0  # camera noise: σ varies with the signal
    assert torch.allclose(local_noise_level(noisy2[None], clean2[None])[0], target2)
    again, _, _ = noise_estimation_pair(gray, color, 1, 64, seed=0, channels=1)
    assert torch.equal(again, noisy2)


def test_camera_noise_bench_sweeps_only_what_non_blind_models_are_told(tmp_path, cli, rgb_uint8):
    import json

    from darkroom.io import write_image

    (tmp_path / "color").mkdir()
    (tmp_path / "gray").mkdir()
    write_image(tmp_path / "color" / "a.png", rgb_uint8)
    write_image(tmp_path / "gray" / "a.png", rgb_uint8[..., 0])
    code, out, err = cli("bench", "denoise", "--data", tmp_path / "color", "--noise", "camera", "--model", "cbdnet_gray",
                         "--model", "gaussian", "--sigma", "5", "--sigma", "40", "--markdown", "--quiet", "--json", tmp_path / "r.json")
    assert code == 0, err
    assert "told σ=5" in out
    rows = {(r["model"], r["setting"]): r["mean_psnr"] for r in json.loads((tmp_path / "r.json").read_text())}
    assert rows[("cbdnet_gray", 5.0)] == rows[("cbdnet_gray", 40.0)]  # blind: the same noise, nothing told
    assert rows[("gaussian", 5.0)] != rows[("gaussian", 40.0)]
    code, _, err = cli("bench", "denoise", "--data", tmp_path / "gray", "--noise", "camera", "--model", "gaussian")
    assert code == 1 and "the camera protocol needs colour test images" in err


def test_noise_map_smoothing_averages_a_window_and_keeps_flat_maps():
    from darkroom.nets.cbdnet import smooth_noise_map

    m = torch.rand(1, 1, 20, 30, generator=torch.Generator().manual_seed(0))
    smooth = smooth_noise_map(m, 3)
    assert torch.allclose(smooth[..., 3:-3, 3:-3], torch.nn.functional.avg_pool2d(m, 7, 1), atol=1e-6)
    assert torch.allclose(smooth_noise_map(torch.full((1, 1, 9, 9), 0.2), 4), torch.full((1, 1, 9, 9), 0.2), atol=1e-6)
    assert torch.equal(smooth_noise_map(m, 0), m)
    assert float(smooth.std()) < 0.5 * float(m.std())
    # estimator (5 layers) + the 31×31 window + an FFDNet of depth 3 (2·3 + 1), said once in the family
    kwargs = dict(channels=1, depth=3, features=8, estimator_features=4, smoothing=15)
    assert FAMILIES["cbdnet"].geometry_of(kwargs).receptive_radius == 5 + 15 + 7


def _short(recipe: str, **changes):
    """A shipped model's recipe, cut to a few small steps."""
    r = Recipe.from_toml(ROOT / "recipes" / f"{recipe}.toml")
    return replace(r, **{"batch": 2, "patch": 32, "val_every": 1000, "checkpoint_every": 1000, **changes})


def test_joint_stage_trains_the_estimator_through_the_frozen_denoiser(tmp_path, data):
    """recipes/cbdnet_gray.toml, four steps: the estimator moves, the frozen denoiser (BatchNorm
    statistics included) is exported exactly as given."""
    from darkroom.train import train
    from darkroom.zoo import weights_path
    from darkroom.zoo.registry import load_state

    data("Train400"), data("BSD200")
    r = _short("cbdnet_gray", steps=4, lr=1e-3, arch_kwargs={"channels": 1, "smoothing": 2},
               init=str(weights_path("cbdnet_gray.safetensors")))
    out = train(r, tmp_path, progress=False)
    exported, meta = load_state(out)
    before, _ = load_state(weights_path("cbdnet_gray.safetensors"))
    denoiser, _ = load_state(weights_path("ffdnet_gray.safetensors"))
    assert all(torch.equal(exported[f"denoiser.{k}"], v) for k, v in denoiser.items())  # frozen: exported as given
    assert any(not torch.equal(exported[k], before[k]) for k in exported if k.startswith("estimator."))  # trained
    assert meta["objective"] == "cbdnet" and meta["objective_kwargs"]["reconstruction_weight"] == 1.0
    BlindDenoiser(channels=1, smoothing=2).load_state_dict(exported)


def test_noise_level_function_follows_brightness_and_ignores_texture_spikes():
    from darkroom.nets.cbdnet import noise_level_function, smooth_noise_map

    g = torch.Generator().manual_seed(0)
    noisy = torch.linspace(0, 1, 128).view(1, 1, 1, 128).expand(1, 1, 128, 128).contiguous()
    truth = 0.02 + 0.06 * noisy  # signal-dependent noise: grows with brightness
    spikes = (torch.rand(truth.shape, generator=g) < 0.15).float() * 0.3  # texture read as noise
    pooled = noise_level_function(truth + spikes, noisy, 8)
    inner = (slice(None), slice(None), slice(8, -8), slice(8, -8))  # the blur reflects at the border
    assert float((pooled - truth)[inner].abs().max()) < 0.01  # the spikes (15 % of pixels) fall outside the quartiles
    assert float((smooth_noise_map(truth + spikes, 15) - truth).mean()) > 0.03  # a window average keeps them
    flat = noise_level_function(torch.full_like(truth, 0.1), noisy, 4)
    assert torch.allclose(flat, torch.full_like(flat, 0.1))


def test_color_blind_model_reads_each_channel_with_the_gray_estimator():
    torch.manual_seed(0)
    net = BlindDenoiser(channels=3, depth=3, features=8, estimator_features=4, level_bins=2).eval()
    gray = torch.rand(1, 1, 32, 32)
    with torch.no_grad():
        same = net.noise_map(gray.expand(1, 3, 32, 32))
        alone = net.noise_map(gray)  # one channel: the gray estimator's own map
        out = net(gray.expand(1, 3, 32, 32).contiguous(), 1.0)
    assert torch.allclose(same, alone, atol=1e-6)  # three equal channels: the RMS of equal levels
    assert out.shape == (1, 3, 32, 32)


def test_end_to_end_stage_trains_the_denoiser_too(tmp_path, data):
    """recipes/cbdnet_color.toml, three steps: the denoiser learns too, at its fraction of the rate."""
    from darkroom.train import train
    from darkroom.zoo import weights_path
    from darkroom.zoo.registry import load_state

    data("BSD200"), data("T91")
    r = _short("cbdnet_color", steps=3, arch_kwargs={"channels": 3, "level_bins": 2},
               init=str(weights_path("cbdnet_gray.safetensors")))
    r = replace(r, objective_kwargs={**r.objective_kwargs, "denoiser": "zoo:ffdnet_color"})
    out = train(r, tmp_path, progress=False)
    exported, meta = load_state(out)
    start, _ = load_state(weights_path("ffdnet_color.safetensors"))
    assert meta["objective_kwargs"]["train_denoiser"] is True
    assert any(not torch.equal(exported[f"denoiser.{k}"], v) for k, v in start.items() if v.is_floating_point())
    BlindDenoiser(channels=3, level_bins=2).load_state_dict(exported)


def test_a_misspelt_objective_setting_is_an_error(tmp_path):
    from darkroom.errors import DarkroomError
    from darkroom.train import train

    r = _short("cbdnet_gray", steps=1)
    r = replace(r, objective_kwargs={**r.objective_kwargs, "tv_wieght": 0.1})
    with pytest.raises(DarkroomError, match="no setting tv_wieght"):
        train(r, tmp_path, progress=False)


def test_bench_can_tell_non_blind_models_the_estimated_sigma(tmp_path, cli, rgb_uint8):
    import json

    from darkroom.io import write_image

    write_image(tmp_path / "a.png", rgb_uint8[..., 1])
    args = ("bench", "denoise", "--data", tmp_path, "--model", "ffdnet_gray", "--sigma", "25", "--quiet", "--json")
    assert cli(*args, tmp_path / "true.json")[0] == 0
    code, _, err = cli(*args, tmp_path / "est.json", "--told", "estimate")
    assert code == 0, err
    told_true, told_estimate = (json.loads((tmp_path / f"{n}.json").read_text())[0]["mean_psnr"] for n in ("true", "est"))
    assert told_true != told_estimate and abs(told_true - told_estimate) < 1.5  # the wavelet estimate is near 25 here
    code, _, err = cli("bench", "denoise", "--data", tmp_path, "--model", "ffdnet_gray", "--told", "guess")
    assert code != 0 and "--told must be sigma or estimate" in err


def test_zero_steps_put_a_trained_estimator_in_front_of_other_denoiser_weights(tmp_path, data):
    # How cbdnet_gray follows a new ffdnet_gray: its denoiser is a frozen copy, its estimator is kept.
    from darkroom.io import write_weights
    from darkroom.nets import FFDNet
    from darkroom.train import train
    from darkroom.train.checkpoint import export_weights
    from darkroom.zoo import weights_path
    from darkroom.zoo.registry import load_state

    data("Train400"), data("BSD200")
    torch.manual_seed(0)
    export_weights(tmp_path / "other.safetensors", FFDNet(channels=1).eval(), {})
    shipped, _ = load_state(weights_path("cbdnet_gray.safetensors"))
    write_weights(tmp_path / "estimator.safetensors", {k: v for k, v in shipped.items() if k.startswith("estimator.")}, {})
    r = _short("cbdnet_gray", steps=0, init=str(tmp_path / "estimator.safetensors"), arch_kwargs={"channels": 1, "level_bins": 2})
    r = replace(r, objective_kwargs={**r.objective_kwargs, "denoiser": str(tmp_path / "other.safetensors")})
    composed, _ = load_state(train(r, tmp_path / "run", progress=False))
    other, _ = load_state(tmp_path / "other.safetensors")
    assert all(torch.equal(composed[k], v) for k, v in shipped.items() if k.startswith("estimator."))
    assert all(torch.equal(composed[f"denoiser.{k}"], v) for k, v in other.items())
