import json
import sys
from pathlib import Path

import numpy as np
import pytest

from darkroom.io import read_image, write_image

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import CASES, make_files  # noqa: E402
from conftest import run_cli  # noqa: E402


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_and_awkward_inputs(case, capsys, tmp_path):
    _, template, expected_code, text, expected_output = case
    make_files(tmp_path)
    code, _, stderr = run_cli(template.format(d=tmp_path).split(), capsys)
    assert code == expected_code, stderr
    assert "Traceback" not in stderr and text in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == (1 if expected_code else 0)
    if expected_output:
        img = read_image(tmp_path / "out.png")
        assert (img.pixels.shape, img.pixels.dtype) == expected_output


def test_inputs_are_never_overwritten_and_finished_outputs_skipped(tmp_path, capsys, rgb_uint8):
    src = tmp_path / "a.png"
    write_image(src, rgb_uint8)
    before = src.read_bytes()
    for verb in (["upscale"], ["denoise", "--sigma", "15"]):  # the output is the input: an error, the input untouched
        code, _, err = run_cli([*verb, src, "-o", src], capsys)
        assert code == 1 and "is an input and the output" in err and src.read_bytes() == before
        assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1
    code, _, err = run_cli(["denoise", tmp_path, "-o", tmp_path, "--sigma", "15"], capsys)  # a folder onto itself, too
    assert code == 1 and "is an input and the output" in err and src.read_bytes() == before
    code, _, err = run_cli(["upscale", tmp_path, "-o", tmp_path / "out"], capsys)
    assert code == 0 and (tmp_path / "out" / "a.png").exists()
    stamp = (tmp_path / "out" / "a.png").stat().st_mtime_ns
    code, _, err = run_cli(["upscale", tmp_path, "-o", tmp_path / "out"], capsys)
    assert "skip" in err and (tmp_path / "out" / "a.png").stat().st_mtime_ns == stamp
    code, _, err = run_cli(["upscale", src, "-o", src, "--overwrite", "--scale", "3"], capsys)
    assert code == 0 and read_image(src).pixels.shape == (144, 192, 3)


def test_several_inputs_need_a_folder(tmp_path, capsys, rgb_uint8):
    write_image(tmp_path / "a.png", rgb_uint8)
    write_image(tmp_path / "b.png", rgb_uint8)
    code, _, err = run_cli(["upscale", tmp_path, "-o", tmp_path / "big.png"], capsys)
    assert code == 1 and "need a folder" in err and not (tmp_path / "big.png").exists()


def test_upscale_keeps_alpha_without_dark_fringes(tmp_path, capsys):
    rgba = np.zeros((32, 32, 4), np.uint8)
    rgba[:, :16] = (255, 255, 255, 255)  # white, opaque; the rest transparent black
    write_image(tmp_path / "a.png", rgba)
    for model, floor in (("bicubic", 250), ("edsr", 200)):  # a network may ring a little at a hard edge
        code, _, _ = run_cli(["upscale", tmp_path / "a.png", "-o", tmp_path / f"{model}.png", "--scale", "4",
                              "--model", model], capsys)
        out = read_image(tmp_path / f"{model}.png").pixels
        assert code == 0 and out.shape == (128, 128, 4)
        visible = out[..., 3] > 0
        assert out[..., :3][visible].min() >= floor, model  # black bleeding in would pull the edge to ~128


def test_bench_upscale_bicubic_prints_and_writes_json(data, tmp_path, capsys):
    code, out, _ = run_cli(["bench", "upscale", "--data", data("Set5"), "--model", "bicubic", "--scale", "3",
                            "--json", tmp_path / "r.json"], capsys)
    result = json.loads((tmp_path / "r.json").read_text())[0]
    assert code == 0 and "mean" in out and len(result["images"]) == 5
    assert abs(result["mean_psnr"] - 30.40) <= 0.01


def test_bench_table_in_one_command(data, capsys):
    code, out, _ = run_cli(["bench", "upscale", "--data", data("Set5"), "--model", "bicubic", "--model", "nearest",
                            "--scale", "2", "--scale", "4", "--reference", "bicubic", "--markdown", "--quiet"], capsys)
    lines = [line for line in out.splitlines() if line.startswith("| bicubic") or line.startswith("| nearest")]
    assert code == 0 and len(lines) == 2
    assert "33.68" in lines[0] and "28.43" in lines[0] and lines[0].endswith("| 1 |")


def test_bench_scores_a_training_checkpoint_as_its_exported_weights(data, tmp_path, capsys):
    import torch
    from safetensors.torch import load_file

    from darkroom.zoo import weights_path

    shipped = load_file(str(weights_path("fsrcnn_x3.safetensors")))
    scrambled = {k: torch.randn_like(v) for k, v in shipped.items()}
    torch.save({"model": scrambled, "ema": shipped, "step": 7}, tmp_path / "checkpoint.pt")  # the EMA is what gets exported
    scores = []
    for extra in ([], ["--weights", tmp_path / "checkpoint.pt"]):
        code, _, stderr = run_cli(["bench", "upscale", "--data", data("Set5"), "--model", "fsrcnn", "--scale", "3", "--limit", "2",
                                   "--json", tmp_path / "r.json", *extra], capsys)
        assert code == 0, stderr
        scores.append(json.loads((tmp_path / "r.json").read_text())[0]["mean_psnr"])
    assert scores[0] == scores[1] and scores[0] > 33.0  # baby and bird ×3, shipped FSRCNN


def test_models_lists_the_zoo(capsys):
    code, out, _ = run_cli(["models"], capsys)
    assert code == 0 and "bicubic_x4" in out and "ffdnet_gray" in out


def test_bench_self_ensemble_rows_for_networks_only(data, tmp_path, capsys):
    # One Set12 image: fixed data, never trained on. A row per ensemble size for the network, one for the filter.
    write_image(tmp_path / "01.png", np.asarray(read_image(sorted(data("Set12").glob("*.png"))[0]).pixels))
    code, out, err = run_cli(["bench", "denoise", "--data", tmp_path, "--model", "ffdnet_gray", "--model", "gaussian",
                              "--self-ensemble", "1", "--self-ensemble", "4", "--markdown", "--quiet",
                              "--json", tmp_path / "r.json"], capsys)
    assert code == 0, err
    rows = {r["row"]: r["mean_psnr"] for r in json.loads((tmp_path / "r.json").read_text())}
    assert set(rows) == {"ffdnet_gray", "ffdnet_gray (self-ensemble ×4)", "gaussian"}
    assert rows["ffdnet_gray (self-ensemble ×4)"] > rows["ffdnet_gray"] + 0.05, rows
    code, _, err = run_cli(["bench", "denoise", "--data", tmp_path, "--model", "gaussian", "--self-ensemble", "5"], capsys)
    assert code == 1 and "--self-ensemble must be one of" in err


def test_version(capsys):
    import darkroom

    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0 and out.strip() == f"darkroom {darkroom.__version__}" and darkroom.__version__[0].isdigit()


def test_models_lists_every_shipped_model_with_its_task(capsys):
    code, out, _ = run_cli(["models"], capsys)
    for name in ("ffdnet_gray", "edsr_x4", "candy", "mnist_small_resnet", "vae_mnist", "dcgan_mnist", "dae_mnist"):
        assert name in out
    code, out, _ = run_cli(["models", "--task", "sample"], capsys)
    assert code == 0 and "vae_mnist" in out and "ffdnet_gray" not in out
    code, _, err = run_cli(["models", "--task", "nope"], capsys)
    assert code == 1 and "unknown task 'nope'" in err
