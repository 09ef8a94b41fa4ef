import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from darkroom.errors import DarkroomError
from darkroom.io import read_image, write_image

sys.path.insert(0, str(Path(__file__).parent))
from badfiles import API_CASES, CASES, cli_args, input_hashes, make_files, stray_lines  # noqa: E402
from conftest import run_cli  # noqa: E402


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_and_awkward_inputs(case, capfd, tmp_path):  # capfd: a C library's own stderr lines count too
    _, template, expected_code, text, expected_output = case
    make_files(tmp_path)
    before = input_hashes(tmp_path)
    code, _, stderr = run_cli(cli_args(template, tmp_path), capfd)
    assert code == expected_code, stderr
    assert text in stderr and not stray_lines(stderr), stderr  # one line per message, nothing else
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == (1 if expected_code else 0)
    after = input_hashes(tmp_path)
    assert {k: after.get(k) for k in before} == before  # no input changed or vanished
    if expected_output:
        img = read_image(tmp_path / "out.png")
        assert (img.pixels.shape, img.pixels.dtype) == expected_output


@pytest.mark.parametrize("case", API_CASES, ids=[c[0] for c in API_CASES])
def test_bad_and_awkward_api_inputs(case):
    _, call, text = case
    if text is None:
        result = call()
        values = result.double().numpy() if isinstance(result, torch.Tensor) else np.asarray(result, dtype=np.float64)
        assert np.isfinite(values).all()
    else:
        with pytest.raises(DarkroomError, match=re.escape(text)):
            call()


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


def test_a_png_written_from_a_photo_with_a_huge_icc_profile_opens_in_a_plain_pillow(tmp_path, capsys):
    import io as _io

    from PIL import Image, ImageCms, PngImagePlugin

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile += bytes(1_300_000 - len(profile))  # a 1.3 MB profile, as some cameras and printers embed
    profile[0:4] = len(profile).to_bytes(4, "big")
    photo = np.random.default_rng(0).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    Image.fromarray(photo).save(tmp_path / "big_icc.jpg", icc_profile=bytes(profile))
    code, _, err = run_cli(["denoise", tmp_path / "big_icc.jpg", "-o", tmp_path / "out.png", "--sigma", "5"], capsys)
    assert code == 0 and "warning:" in err and "converted to sRGB" in err
    limit = PngImagePlugin.MAX_TEXT_CHUNK
    PngImagePlugin.MAX_TEXT_CHUNK = 2**20  # Pillow's own limit, not darkroom's raised one
    try:
        with Image.open(_io.BytesIO((tmp_path / "out.png").read_bytes())) as im:
            im.load()
    finally:
        PngImagePlugin.MAX_TEXT_CHUNK = limit
    assert im.size == (32, 24)


@pytest.mark.parametrize("exhaustion", [MemoryError(), RuntimeError(
    "[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 bytes")])
def test_out_of_memory_is_said_in_one_line_with_what_to_do(tmp_path, capsys, monkeypatch, rgb_uint8, exhaustion):
    import darkroom.verbs

    def exhausted(*args, **kwargs):
        raise exhaustion

    write_image(tmp_path / "a.png", rgb_uint8)
    monkeypatch.setattr(darkroom.verbs, "denoise", exhausted)
    code, _, err = run_cli(["denoise", tmp_path / "a.png", "-o", tmp_path / "b.png", "--sigma", "5"], capsys)
    assert code == 1 and not stray_lines(err)
    assert "out of memory" in err and "--tile" in err and "internal error" not in err


def test_an_output_another_run_just_wrote_with_the_same_bytes_is_skipped_not_an_error(tmp_path, capsys, rgb_uint8):
    import darkroom

    write_image(tmp_path / "a.png", rgb_uint8)
    other_run = tmp_path / "other"
    code, _, _ = run_cli(["denoise", tmp_path / "a.png", "-o", other_run / "a.png", "--sigma", "15"], capsys)
    assert code == 0
    finished = (other_run / "a.png").read_bytes()
    (other_run / "a.png").unlink()
    from darkroom.cli.app import process_images

    def denoise_while_another_run_finishes(img, src):  # the other process renames its file in place meanwhile
        result = darkroom.denoise(img.pixels, 15)
        (other_run / "a.png").write_bytes(finished)
        return result

    process_images([str(tmp_path / "a.png")], other_run / "a.png", False, None, denoise_while_another_run_finishes, "denoise")
    err = capsys.readouterr().err
    assert "skip" in err and "meanwhile" in err and "error" not in err
    assert (other_run / "a.png").read_bytes() == finished
    (other_run / "a.png").write_bytes(b"other contents")  # a different file appeared: kept, and said
    import typer

    with pytest.raises(typer.Exit):
        process_images([str(tmp_path / "a.png")], other_run / "b.png", False, None,
                               lambda img, src: (other_run / "b.png").write_bytes(b"other") and img.pixels, "denoise")
    assert "already exists" in capsys.readouterr().err and (other_run / "b.png").read_bytes() == b"other"


def test_stale_temporary_files_of_killed_runs_are_removed_and_live_ones_kept(tmp_path, capsys, rgb_uint8):
    import subprocess

    write_image(tmp_path / "a.png", rgb_uint8)
    out = tmp_path / "out"
    out.mkdir()
    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer runs
    stale = out / f".a.png.{gone.pid}.k3j2h1.part"
    live = out / f".b.png.{__import__('os').getpid()}.x9y8z7.part"
    stale.write_bytes(b"half a png")
    live.write_bytes(b"being written")
    code, _, _ = run_cli(["denoise", tmp_path / "a.png", "-o", out, "--sigma", "15"], capsys)
    assert code == 0 and not stale.exists() and live.exists() and (out / "a.png").exists()


def test_wrote_and_skip_lines_never_wrap_in_a_log(tmp_path, capsys, rgb_uint8):
    deep = tmp_path / ("a_rather_long_folder_name_" * 4) / ("and_another_one_" * 4)
    deep.mkdir(parents=True)
    write_image(deep / "photo.png", rgb_uint8)
    target = deep / ("a_long_output_name_" * 3 + ".png")
    for word in ("wrote", "skip"):
        code, _, err = run_cli(["upscale", deep / "photo.png", "-o", target], capsys)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 0 and lines == [next(line for line in lines if line.startswith(word))] and str(target) in lines[0]


@pytest.mark.parametrize("name, pixels", [
    ("rgba16.tif", np.dstack([np.arange(48 * 64, dtype=np.uint16).reshape(48, 64)] * 3 + [np.full((48, 64), 40000, np.uint16)])),
    ("la16.png", np.dstack([np.arange(48 * 64, dtype=np.uint16).reshape(48, 64), np.full((48, 64), 40000, np.uint16)])),
    ("float.tif", np.linspace(0, 1, 48 * 64, dtype=np.float32).reshape(48, 64)),
    ("rgb16.png", np.dstack([np.arange(48 * 64, dtype=np.uint16).reshape(48, 64)] * 3)),
])
def test_files_darkroom_writes_read_back_exactly_and_without_a_word_on_stderr(tmp_path, capfd, name, pixels):
    write_image(tmp_path / name, pixels)
    back = read_image(tmp_path / name)
    assert back.pixels.dtype == pixels.dtype and np.array_equal(back.pixels, pixels)
    assert capfd.readouterr().err == ""
