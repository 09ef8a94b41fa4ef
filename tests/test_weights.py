"""Weight files: read in one place, stored in fp16 and run in fp32, and a wheel that carries them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors import safe_open

from darkroom.errors import DarkroomError
from darkroom.io import read_weights, write_weights
from darkroom.nets import DnCNN
from darkroom.train.checkpoint import init_from_weights, resolve_init, save_checkpoint
from darkroom.zoo import get_card, list_models, weights_path

ROOT = Path(__file__).resolve().parent.parent


def test_fp16_weights_are_read_as_fp32_and_keep_integers(tmp_path):
    net = DnCNN(channels=1, depth=3, features=4)
    state = net.state_dict()
    write_weights(tmp_path / "w.safetensors", state, {"steps": 7, "scores": {"BSD68": 28.8}}, dtype="fp16")
    with safe_open(str(tmp_path / "w.safetensors"), "pt") as f:
        assert f.get_tensor("body.0.weight").dtype == torch.float16
        assert f.get_tensor("body.3.num_batches_tracked").dtype == torch.int64
    back, meta = read_weights(tmp_path / "w.safetensors")
    assert meta == {"steps": "7", "scores": {"BSD68": 28.8}}  # safetensors metadata are strings; JSON objects decoded
    assert back["body.0.weight"].dtype == torch.float32 and back["body.3.num_batches_tracked"].dtype == torch.int64
    assert torch.equal(back["body.0.weight"], state["body.0.weight"].half().float())
    with pytest.raises(DarkroomError, match="fp32, fp16 or bf16"):
        write_weights(tmp_path / "x.safetensors", state, dtype="int8")


@pytest.mark.parametrize("card", [c for c in list_models() if c.learned], ids=lambda c: c.name)
def test_every_shipped_weight_file_is_fp16_and_loads(card):
    # Stored in fp16 where the scores did not move (benchmarks/weights_precision.py; BENCHMARKS.md)
    with safe_open(str(weights_path(card.weights)), "pt") as f:
        dtypes = {f.get_slice(k).get_dtype() for k in f.keys()}
    assert "F32" not in dtypes, dtypes
    net = __import__("darkroom.zoo", fromlist=["build_model"]).build_model(card)
    assert all(p.dtype == torch.float32 for p in net.parameters())


def test_a_training_checkpoint_gives_its_calibrated_ema_or_its_live_weights(tmp_path):
    live, ema = DnCNN(depth=3, features=4).state_dict(), DnCNN(depth=3, features=4).state_dict()
    save_checkpoint(tmp_path / "checkpoint.pt", {"model": live, "ema": ema, "step": 5, "ema_calibrated": True})
    weights, meta = read_weights(tmp_path / "checkpoint.pt")
    assert meta == {"step": 5, "weights": "ema"} and torch.equal(weights["body.0.weight"], ema["body.0.weight"])
    save_checkpoint(tmp_path / "checkpoint.pt", {"model": live, "ema": ema, "step": 6, "ema_calibrated": False})
    weights, meta = read_weights(tmp_path / "checkpoint.pt")  # BatchNorm statistics that do not fit the EMA
    assert meta["weights"] == "live" and torch.equal(weights["body.0.weight"], live["body.0.weight"])
    (tmp_path / "broken.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(DarkroomError, match="not a darkroom training checkpoint"):
        read_weights(tmp_path / "broken.pt")
    with pytest.raises(DarkroomError, match="not found"):
        read_weights(tmp_path / "missing.safetensors")


def test_a_recipe_continues_a_shipped_model_from_its_weights():
    assert resolve_init("zoo:edsr_x2") == weights_path(get_card("edsr_x2").weights)
    net = get_card("edsr_x3").build(**get_card("edsr_x3").kwargs)
    fresh = init_from_weights(net, "zoo:edsr_x2")
    assert fresh == ["upsample.0.bias", "upsample.0.weight"]  # the body came from ×2, the ×3 upsampler is new
    with pytest.raises(DarkroomError, match="unknown model"):
        resolve_init("zoo:nope")


def test_recipe_init_files_are_where_the_recipes_say():
    from darkroom.train import Recipe

    for path in sorted((ROOT / "recipes").glob("*.toml")):
        r = Recipe.from_toml(path)
        if r.init and not r.init.startswith("zoo:"):
            assert (ROOT / r.init).is_file(), (path.name, r.init)


@pytest.mark.slow
def test_the_wheel_carries_the_weights_and_reads_nothing_from_the_source_tree(tmp_path, rgb_uint8):
    # Build the wheel, unpack it somewhere else, and run the verbs from a third folder with only
    # the unpacked wheel on the path (the test venv's own dependencies stay importable).
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(ROOT), "-w",
                    str(tmp_path / "dist")], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("darkroom-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(tmp_path / "site"), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    from darkroom.io import write_image

    write_image(elsewhere / "photo.png", rgb_uint8)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    code = ("import darkroom, sys; from darkroom.cli import main; print(darkroom.__file__, darkroom.__version__, file=sys.stderr); "
            "sys.argv = ['darkroom'] + sys.argv[1:]; main()")
    for args in (["denoise", "photo.png", "-o", "clean.png", "--sigma", "15"], ["upscale", "photo.png", "-o", "big.png"]):
        done = subprocess.run([sys.executable, "-c", code, *args], cwd=elsewhere, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert str(tmp_path / "site") in done.stderr.splitlines()[0] and str(ROOT / "src") not in done.stderr
    from darkroom.io import read_image

    assert read_image(elsewhere / "big.png").pixels.shape == (2 * rgb_uint8.shape[0], 2 * rgb_uint8.shape[1], 3)
