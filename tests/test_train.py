import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from darkroom.errors import DarkroomError
from safetensors.torch import load_file

from darkroom.io import write_image
from darkroom.nets import DnCNN
from darkroom.augment import dihedral
from darkroom.degrade import Chain, Downsample
from darkroom.train import PairedPatches, Recipe, build_degradation, learning_rate, train
from darkroom.train.pixel import recalibrate_batchnorm

RECIPE = """
name = "tiny"
arch = "dncnn"
task = "denoise"
channels = 1
train = ["{folder}"]
val_holdout = 2
val_crop = 32
patch = 24
batch = {batch}
steps = {steps}
lr = 3e-3
warmup = 5
ema = 0.9
threads = 1
checkpoint_every = 5
val_every = 20
log_every = 5
[arch_kwargs]
channels = 1
depth = 4
features = 8
batch_norm = false
[degradation]
kind = "gaussian"
sigma = 25
"""


@pytest.fixture
def tiny_recipe(tmp_path):
    folder = tmp_path / "images"
    rng = np.random.default_rng(0)
    for i in range(8):
        yy, xx = np.mgrid[0:48, 0:48]
        img = 128 + 60 * np.sin(xx / (3 + i)) + 40 * np.cos(yy / (2 + i)) + rng.normal(0, 5, (48, 48))
        write_image(folder / f"{i}.png", np.clip(img, 0, 255).astype(np.uint8))

    def make(batch=4, steps=30):
        path = tmp_path / f"tiny_{batch}_{steps}.toml"
        path.write_text(RECIPE.format(folder=folder, batch=batch, steps=steps))
        return path

    return make


def _weights(path: Path) -> dict:
    return load_file(str(path))


def test_training_lowers_the_loss_and_logs(tiny_recipe, tmp_path):
    out = tmp_path / "run"
    weights = train(Recipe.from_toml(tiny_recipe(steps=100)), out, progress=False)
    records = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in records if "loss" in r]
    val = [r["val_psnr"] for r in records if "val_psnr" in r]
    assert np.mean(losses[-3:]) < 0.8 * np.mean(losses[:2])
    assert val[-1] > val[0] + 1.0 and val[-1] > 21.5  # σ=25 input is ~20.2 dB
    assert (out / "tb").is_dir()
    assert set(_weights(weights)) == set(DnCNN(depth=4, features=8, batch_norm=False).state_dict())


def test_resume_after_kill_9_is_exact(tiny_recipe, tmp_path):
    # With BatchNorm, so that the EMA's statistics recalibration is part of what must replay exactly.
    recipe = tiny_recipe(steps=40)
    recipe.write_text(recipe.read_text().replace("batch_norm = false", "batch_norm = true"))
    reference = train(Recipe.from_toml(recipe), tmp_path / "straight", progress=False)

    interrupted = tmp_path / "interrupted"
    code = f"from pathlib import Path; from darkroom.train import Recipe, train; train(Recipe.from_toml({str(recipe)!r}), Path({str(interrupted)!r}), progress=False)"
    proc = subprocess.Popen([sys.executable, "-c", code])
    log = interrupted / "log.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and not (log.exists() and log.read_text().count('"loss"') >= 4):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    state = torch.load(interrupted / "checkpoint.pt", weights_only=True)
    assert 0 < state["step"] < 40  # it really died midway
    resumed = train(Recipe.from_toml(recipe), interrupted, progress=False)
    a, b = _weights(reference), _weights(resumed)
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.slow
def test_ddp_two_processes_equal_one_process_with_double_batch(tiny_recipe, tmp_path):
    single = train(Recipe.from_toml(tiny_recipe(batch=4, steps=10)), tmp_path / "single", progress=False)
    recipe = tiny_recipe(batch=2, steps=10)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-port", "29533",
           "-m", "darkroom.cli", "train", str(recipe), "--out", str(tmp_path / "ddp"), "--no-resume"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    a, b = _weights(single), _weights(tmp_path / "ddp" / "tiny.safetensors")
    assert all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)


def test_batchnorm_recalibration_uses_exact_batch_statistics():
    net = torch.nn.Sequential(torch.nn.BatchNorm2d(2, momentum=0.1))
    g = torch.Generator().manual_seed(0)
    batches = [(torch.randn(4, 2, 8, 8, generator=g) * 2 + 3,) for _ in range(5)]
    recalibrate_batchnorm(net, batches)
    data = torch.cat([b[0] for b in batches])
    assert torch.allclose(net[0].running_mean, data.mean((0, 2, 3)), atol=1e-5)
    assert net[0].momentum == 0.1 and not net.training


def test_pairs_are_reproducible_and_augmented(tiny_recipe):
    r = Recipe.from_toml(tiny_recipe())
    images = [torch.arange(48 * 48, dtype=torch.uint8).reshape(1, 48, 48)]
    ds = PairedPatches(images, build_degradation(r.degradation), patch=24, seed=3)
    a, b = ds[5], ds[5]
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not torch.equal(ds[5][1], ds[6][1])
    x = torch.arange(6).reshape(1, 2, 3)
    assert len({tuple(dihedral(x, k).flatten().tolist()) + tuple(dihedral(x, k).shape) for k in range(8)}) == 8


def test_scale_jitter_shrinks_content_and_stays_reproducible():
    """A vertical ramp of slope 1 level/pixel: a patch shrunk by f has slope 1/f, so the jitter shows in the gradient."""
    images = [torch.arange(200, dtype=torch.uint8).view(1, 200, 1).expand(1, 200, 200).contiguous()]
    plain = PairedPatches(images, Chain((Downsample(2),)), patch=32, seed=1)
    jittered = PairedPatches(images, Chain((Downsample(2),)), patch=32, seed=1, scale_jitter=0.5)

    def slope(clean):  # mean levels per pixel along the ramp, whichever way the flip put it
        return 255 * max(float((clean[0, 1:] - clean[0, :-1]).abs().mean()), float((clean[0, :, 1:] - clean[0, :, :-1]).abs().mean()))

    slopes = [slope(jittered[i][1]) for i in range(40)]
    assert all(abs(slope(plain[i][1]) - 1) < 1e-6 for i in range(10))
    assert min(slopes) > 0.9 and 1.6 < max(slopes) < 2.1  # about 1/f for f in [0.5, 1]
    assert jittered[7][0].shape == (1, 16, 16) and all(torch.equal(a, b) for a, b in zip(jittered[7], jittered[7]))
    with pytest.raises(DarkroomError, match="scale_jitter"):
        PairedPatches(images, Chain((Downsample(2),)), patch=32, seed=1, scale_jitter=0)


def test_highlight_gain_blows_out_a_quarter_of_the_patches_and_leaves_the_rest_alone():
    images = [torch.randint(60, 200, (3, 64, 64), generator=torch.Generator().manual_seed(0), dtype=torch.uint8)]
    noise = build_degradation({"kind": "gaussian", "sigma": 25})
    plain = PairedPatches(images, noise, patch=32, seed=1)
    bright = PairedPatches(images, noise, patch=32, seed=1, highlight_gain=2.0)
    pairs = [(plain[i][1], bright[i][1]) for i in range(200)]
    same = sum(torch.equal(a, b) for a, b in pairs)
    blown = [b for a, b in pairs if not torch.equal(a, b)]
    assert 120 < same < 180  # three quarters untouched, with sampling slack
    assert all((b >= a).all() for a, b in pairs)  # a gain only brightens
    assert sum(bool((b == 1).any()) for b in blown) > 0.5 * len(blown)  # most brightened patches clip at white
    assert all(torch.allclose(b * 255, torch.round(b * 255), atol=1e-3) for b in blown)  # still 8-bit levels
    with pytest.raises(DarkroomError, match="highlight_gain"):
        PairedPatches(images, noise, patch=32, seed=1, highlight_gain=0.5)


def test_schedule_and_recipe_errors(tiny_recipe, tmp_path):
    r = Recipe.from_toml(tiny_recipe(steps=100))
    assert learning_rate(0, r) < learning_rate(4, r) == pytest.approx(r.lr)
    assert learning_rate(99, r) < 0.05 * r.lr
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\narch = "dncnn"\nlearning_rat = 3\n')
    with pytest.raises(Exception, match="unknown keys learning_rat"):
        Recipe.from_toml(bad)


def test_init_from_weights_keeps_the_body_and_leaves_the_upsampler_fresh(tmp_path):
    from darkroom.nets import EDSR
    from darkroom.train.checkpoint import export_weights, init_from_weights

    torch.manual_seed(0)
    x2 = EDSR(scale=2, features=8, blocks=2)
    export_weights(tmp_path / "x2.safetensors", x2, {})
    x4 = EDSR(scale=4, features=8, blocks=2)
    fresh = init_from_weights(x4, tmp_path / "x2.safetensors")
    assert fresh == ["upsample.0.bias", "upsample.0.weight"]  # C·r² output channels depend on the scale
    assert torch.equal(x4.head.weight, x2.head.weight) and torch.equal(x4.blocks[1].conv2.weight, x2.blocks[1].conv2.weight)
    with pytest.raises(DarkroomError, match="share no tensor"):
        init_from_weights(torch.nn.Linear(2, 2), tmp_path / "x2.safetensors")


def test_one_cycle_rises_for_its_fraction_of_the_steps_then_falls_to_a_ten_thousandth():
    from dataclasses import replace

    from darkroom.train import learning_rate

    r = replace(Recipe(name="r", arch="dncnn"), schedule="onecycle", steps=1000, lr=1e-3, onecycle_rise=0.05)
    rates = [learning_rate(step, r) for step in range(1001)]
    assert max(range(1001), key=rates.__getitem__) == 50 and rates[50] == pytest.approx(1e-3)
    assert rates[0] == pytest.approx(1e-3 / 25) and rates[-1] == pytest.approx(1e-3 / 25e4)


def test_a_frozen_part_stays_in_inference_mode_while_the_rest_trains():
    from darkroom.train.loop import train_mode

    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Sequential(torch.nn.Conv2d(2, 2, 1), torch.nn.BatchNorm2d(2)))
    net[2].requires_grad_(False)
    train_mode(net)
    assert net.training and net[1].training and not net[2].training and not net[2][1].training


def test_a_resumed_run_does_not_need_its_init_weights_again(tiny_recipe, tmp_path):
    out = tmp_path / "run"
    train(Recipe.from_toml(tiny_recipe(steps=10)), out, progress=False)
    gone = tmp_path / "deleted_since.safetensors"  # e.g. another run's export, not kept in git
    longer = Recipe.from_toml(tiny_recipe(steps=15), init=str(gone))
    weights = train(longer, out, progress=False)  # resumes from the checkpoint
    assert weights.exists() and torch.load(out / "checkpoint.pt", weights_only=True)["step"] == 15
    with pytest.raises(DarkroomError, match="not found"):
        train(longer, tmp_path / "fresh", progress=False)


def test_soup_of_one_run_is_that_run_and_of_two_fine_tunings_is_a_working_average(tiny_recipe, tmp_path):
    from darkroom.train.soup import average_state, make_soup

    text = Path(tiny_recipe(steps=60)).read_text().replace("batch_norm = false", "batch_norm = true")

    def run(name: str, seed: int, init: Path | None = None) -> Path:
        path = tmp_path / f"{name}.toml"
        head = f'name = "{name}"\nseed = {seed}\n' + (f'init = "{init}"\n' if init else "")
        path.write_text(text.replace('name = "tiny"\n', head))
        return train(Recipe.from_toml(path), tmp_path / name, progress=False)

    base = run("base", 1)
    runs = [run("a", 2, base), run("b", 3, base)]  # two seeds from one start, as a soup needs
    recipe = Recipe.from_toml(tmp_path / "a.toml")
    # A soup of a run with itself re-estimates BatchNorm on the samples the export used: the same weights.
    make_soup(recipe, [runs[0], runs[0]], tmp_path / "same.safetensors")
    first, same = _weights(runs[0]), _weights(tmp_path / "same.safetensors")
    assert all(torch.allclose(first[k].float(), same[k].float(), atol=1e-5) for k in first)
    scores = make_soup(recipe, runs, tmp_path / "soup.safetensors")
    soup, second = _weights(tmp_path / "soup.safetensors"), _weights(runs[1])
    conv = "body.0.weight"
    assert torch.allclose(soup[conv], (first[conv] + second[conv]) / 2)
    assert scores["soup"] > min(scores[str(p)] for p in runs) and scores["soup"] > 21.5, scores  # input ~20.2 dB
    with pytest.raises(DarkroomError, match="not the same architecture"):
        average_state([first, {k: v for k, v in first.items() if k != conv}])


def _symmetries(square: torch.Tensor) -> list[torch.Tensor]:
    return [dihedral(square, k) for k in range(8)]


def test_device_batches_cut_every_patch_from_a_photo_with_one_of_the_eight_symmetries():
    from darkroom.train.device_batches import DeviceBatches

    values = torch.randperm(240).to(torch.uint8)  # every pixel unique, so a patch shows where it came from
    photos = [values[:120].view(1, 10, 12), values[120:].view(1, 12, 10)]  # a landscape and a portrait photo
    batches = DeviceBatches(photos, 0, patch=4, batch=400, seed=5, device="cpu")
    noisy, clean, sigma = batches(7)
    crops = {}
    for i, photo in enumerate(photos):
        for top in range(photo.shape[1] - 3):
            for left in range(photo.shape[2] - 3):
                for k, view in enumerate(_symmetries(photo[:, top : top + 4, left : left + 4])):
                    crops[view.numpy().tobytes()] = (i, k)
    found = [crops.get(torch.round(p * 255).to(torch.uint8).numpy().tobytes()) for p in clean]
    assert None not in found
    assert {i for i, _ in found} == {0, 1} and {k for _, k in found} == set(range(8))
    assert torch.equal(noisy, clean) and float(sigma.abs().max()) == 0  # σ = 0: no noise
    assert clean.is_contiguous(memory_format=torch.channels_last)


def test_device_batches_add_the_noise_they_report_and_repeat_by_index():
    from darkroom.train.device_batches import DeviceBatches

    photos = [torch.full((3, 64, 80), 128, dtype=torch.uint8)]
    batches = DeviceBatches(photos, ((0, 10), (40, 50)), patch=48, batch=64, seed=1, device="cpu")
    noisy, clean, sigma = batches(3)
    measured = (noisy - clean).flatten(1).std(1) * 255
    told = sigma.flatten() * 255
    assert torch.allclose(measured, told, rtol=0.05, atol=0.3)
    assert ((told < 10) | (told > 40)).all() and (told < 10).any() and (told > 40).any()
    assert torch.equal(batches(3)[0], noisy) and not torch.equal(batches(4)[0], noisy)
    with pytest.raises(DarkroomError, match="smaller than the patch size"):
        DeviceBatches(photos, 25, patch=65, batch=2, seed=0, device="cpu")


def test_training_with_the_device_sampler_and_a_time_budget(tiny_recipe, tmp_path):
    recipe = tiny_recipe(steps=100000).read_text().replace("batch = 4", 'batch = 4\nsampler = "device"')
    path = tmp_path / "device.toml"
    path.write_text(recipe)
    out = tmp_path / "run"
    weights = train(Recipe.from_toml(path), out, progress=False, time_budget_s=4)
    records = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    planned = [r["planned_steps"] for r in records if "planned_steps" in r]
    losses = [r["loss"] for r in records if "loss" in r]
    assert len(planned) == 1 and 60 < planned[0] < 100000 and planned[0] % 5 == 0  # whole checkpoints
    assert records[-1]["step"] == planned[0] and "val_psnr" in records[-1]
    assert np.mean(losses[-3:]) < 0.7 * np.mean(losses[:3])
    assert weights.exists()


def test_the_device_sampler_refuses_degradations_it_cannot_make(tiny_recipe, tmp_path):
    recipe = tiny_recipe().read_text().replace("batch = 4", 'batch = 4\nsampler = "device"')
    path = tmp_path / "jpeg.toml"
    path.write_text(recipe.replace('kind = "gaussian"\nsigma = 25', 'kind = "jpeg"\nquality = 30'))
    with pytest.raises(DarkroomError, match="only Gaussian noise"):
        Recipe.from_toml(path)
    path.write_text(recipe.replace('sampler = "device"', 'sampler = "gpu"'))
    with pytest.raises(DarkroomError, match="per_sample or device"):
        Recipe.from_toml(path)
