"""Restoration commands: upscale, denoise, dejpeg, the model zoo, benchmarks and training."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from darkroom.cli.app import (Device, Inputs, MaxPixels, Output, Overwrite, Precision, SelfEnsemble, Tile, app,
                              check_self_ensemble, err_console, out_console, process_images)
from darkroom.errors import DarkroomError


@app.command()
def upscale(
    inputs: Inputs, output: Output, scale: Annotated[int, typer.Option("--scale", "-s", help="2, 3 or 4.")] = 2,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name or family (see `darkroom models`).")] = None,
    tile: Tile = None, precision: Precision = "auto", device: Device = None, self_ensemble: SelfEnsemble = 1,
    overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Make images larger (super-resolution)."""
    from darkroom.engine.run import choose_model
    from darkroom.tasks import UPSCALE
    from darkroom.tasks.upscale import Scale
    from darkroom.verbs import upscale as run

    choose_model(UPSCALE, model, 3, Scale(scale))  # fail on a bad model before touching files
    check_self_ensemble(self_ensemble)
    process_images(inputs, output, overwrite, max_pixels,
                   lambda img, src: run(img.pixels, scale, model, tile=tile, precision=precision, device=device, self_ensemble=self_ensemble),
                   f"{UPSCALE.name} ×{scale}")


@app.command()
def denoise(
    inputs: Inputs, output: Output,
    sigma: Annotated[Optional[float], typer.Option("--sigma", help="Noise level in 0-255 units (default: estimated).")] = None,
    strength: Annotated[float, typer.Option("--strength", help="Multiplies the estimated noise level.")] = 1.0,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models`).")] = None,
    tile: Tile = None, precision: Precision = "auto", device: Device = None, self_ensemble: SelfEnsemble = 1,
    overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Remove noise from photos."""
    from darkroom.engine.run import choose_model
    from darkroom.tasks import DENOISE
    from darkroom.tasks.denoise import NoiseLevel
    from darkroom.verbs import denoise as run

    if sigma is not None and not 0 <= sigma <= 255:
        raise DarkroomError(f"--sigma must be between 0 and 255, got {sigma}")
    choose_model(DENOISE, model, 3, NoiseLevel(sigma, strength))  # fail on a bad model or strength before touching files
    check_self_ensemble(self_ensemble)
    process_images(inputs, output, overwrite, max_pixels,
                   lambda img, src: run(img.pixels, sigma, strength, model, tile=tile, precision=precision, device=device,
                                  self_ensemble=self_ensemble), DENOISE.name)


@app.command()
def dejpeg(
    inputs: Inputs, output: Output,
    quality: Annotated[Optional[int], typer.Option("--quality", "-q", help="JPEG quality 1-100 the images were saved at (default: read from the file, else predicted from the pixels).")] = None,
    strength: Annotated[float, typer.Option("--strength", help="Scales the correction: 0 returns the input, 2 at most.")] = 1.0,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models --task dejpeg`), or arcnn.")] = None,
    tile: Tile = None, precision: Precision = "auto", device: Device = None, self_ensemble: SelfEnsemble = 1,
    overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Remove JPEG blocking and ringing from photos."""
    from darkroom.engine.run import choose_model
    from darkroom.tasks import DEJPEG
    from darkroom.tasks.dejpeg import naming_request, quality_request
    from darkroom.verbs import dejpeg as run

    request = quality_request(quality, True, strength)  # a bad quality, strength or model fails before touching files
    choose_model(DEJPEG, model, 3, naming_request(model, request))  # "arcnn" picks its model by each file's quality
    check_self_ensemble(self_ensemble)

    def restore(img, src):
        told = quality if quality is not None else file_quality(img, src)
        return run(img.pixels, told, strength, model, tile=tile, precision=precision, device=device, self_ensemble=self_ensemble)

    process_images(inputs, output, overwrite, max_pixels, restore, DEJPEG.name)


@app.command()
def deblur(
    inputs: Inputs, output: Output,
    kernel: Annotated[Optional[Path], typer.Option("--kernel", help="The blur's point-spread function: an image or a 2-D .npy array (normalized to sum 1).")] = None,
    motion: Annotated[Optional[str], typer.Option("--motion", help="Straight motion blur: LENGTH,ANGLE in pixels and degrees (counter-clockwise from the x axis).")] = None,
    defocus: Annotated[Optional[float], typer.Option("--defocus", help="Out-of-focus blur: the disk's radius in pixels.")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models --task deblur`).")] = None,
    tile: Tile = None, precision: Precision = "auto", device: Device = None, self_ensemble: SelfEnsemble = 1,
    overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Remove camera shake and defocus blur: given the kernel (plug-and-play with FFDNet), or blind."""
    from darkroom.engine.run import choose_model
    from darkroom.tasks import DEBLUR
    from darkroom.tasks.deblur import kernel_request
    from darkroom.verbs import deblur as run

    psf = blur_kernel(kernel, motion, defocus)
    request = kernel_request(psf)  # a bad kernel or model fails before touching files
    choose_model(DEBLUR, model, 3, request)
    check_self_ensemble(self_ensemble)
    process_images(inputs, output, overwrite, max_pixels,
                   lambda img, src: run(img.pixels, psf, model, tile=tile, precision=precision, device=device,
                                        self_ensemble=self_ensemble), DEBLUR.name)


@app.command()
def dehaze(
    inputs: Inputs, output: Output,
    strength: Annotated[float, typer.Option("--strength", help="0-1: recover with t^S, so that S < 1 keeps some haze as a cue of depth (0 returns the input).")] = 1.0,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models --task dehaze`): haze_unet, dehazenet, dcp, dcp_multipatch, clahe.")] = None,
    save_transmission: Annotated[Optional[Path], typer.Option("--save-transmission", help="Folder to write each image's transmission map t into, as NAME_transmission.png (16-bit gray; white = clear).")] = None,
    precision: Precision = "auto", device: Device = None, overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Remove haze and fog from photos (the scattering model, inverted)."""
    from darkroom.engine.run import choose_model
    from darkroom.tasks import DEHAZE
    from darkroom.tasks.dehaze import haze_request
    from darkroom.verbs import dehaze as run
    from darkroom.verbs import haze_transmission

    request = haze_request(strength)  # a bad strength or model fails before touching files
    name = choose_model(DEHAZE, model, 3, request)
    if save_transmission is not None:
        if save_transmission.exists() and not save_transmission.is_dir():
            raise DarkroomError(f"--save-transmission {save_transmission} is a file; name a folder")
        if name in ("hazy", "clahe"):
            raise DarkroomError(f"{name} estimates no transmission map; use haze_unet, dehazenet, dcp or dcp_multipatch")

    def restore(img, src):
        out = run(img.pixels, strength, model, precision=precision, device=device)
        if save_transmission is not None:
            from darkroom.io import write_image

            t = haze_transmission(img.pixels, model, device=device)
            save_transmission.mkdir(parents=True, exist_ok=True)
            target = save_transmission / f"{src.stem}_transmission.png"
            write_image(target, (t * 65535 + 0.5).astype("uint16"), overwrite=overwrite)
            err_console.print(f"wrote {target}")
        return out

    process_images(inputs, output, overwrite, max_pixels, restore, DEHAZE.name)


@app.command()
def enhance(
    inputs: Inputs, output: Output,
    strength: Annotated[float, typer.Option("--strength", help="0-1: how far toward the model's output (0 returns the input).")] = 1.0,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models --task enhance`): hdrnet_lowlight, deepupe, zero_dce, lime, gamma, clahe_lowlight, hdrnet_tone, local_laplacian_detail, ...")] = None,
    precision: Precision = "auto", device: Device = None, overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Brighten under-exposed and night photos, or enhance detail and tone (HDRNet)."""
    from darkroom.engine.run import choose_model
    from darkroom.tasks import ENHANCE
    from darkroom.tasks.enhance import enhance_request
    from darkroom.verbs import enhance as run

    choose_model(ENHANCE, model, 3, enhance_request(strength))  # a bad strength or model fails before touching files
    process_images(inputs, output, overwrite, max_pixels,
                   lambda img, src: run(img.pixels, strength, model, precision=precision, device=device), ENHANCE.name)


def blur_kernel(path: Path | None, motion: str | None, defocus: float | None):
    """The kernel the options describe (at most one of them), or None (blind)."""
    from darkroom.degrade import defocus_kernel, linear_motion_kernel

    given = [name for name, value in (("--kernel", path), ("--motion", motion), ("--defocus", defocus)) if value is not None]
    if len(given) > 1:
        raise DarkroomError(f"give one blur kernel; got {' and '.join(given)}")
    if path is not None:
        from darkroom.io import read_kernel

        psf, note = read_kernel(path)
        if note:
            err_console.print(f"warning: {note}", highlight=False)
        return psf
    if motion is not None:
        try:
            length, angle = (float(v) for v in motion.split(","))
        except ValueError:
            raise DarkroomError(f"--motion takes LENGTH,ANGLE (pixels, degrees), got {motion!r}") from None
        if not 1 <= length <= 255 or not abs(angle) <= 360:
            raise DarkroomError(f"--motion length must be 1 to 255 pixels and the angle within ±360°, got {motion!r}")
        return linear_motion_kernel(length, angle).numpy()
    if defocus is not None:
        if not 0.5 <= defocus <= 100:
            raise DarkroomError(f"--defocus takes a radius from 0.5 to 100 pixels, got {defocus:g}")
        return defocus_kernel(defocus).numpy()
    return None


def file_quality(img, src: Path) -> int:
    """The quality factor of an image read from a file: exact from a JPEG's quantization tables,
    else predicted from the pixels; anything short of exact is said on stderr."""
    from darkroom.degrade.jpeg import predict_quality, quality_from_tables
    from darkroom.ops.contract import to_batch
    from darkroom.tasks.dejpeg import NO_GRID_QUALITY

    if img.jpeg_tables:
        quality, exact = quality_from_tables(img.jpeg_tables)
        if not exact:
            err_console.print(f"warning: {src}: its quantization tables are not libjpeg's; treated as quality {quality} "
                              f"(the nearest; --quality overrides)")
        return quality
    x, _ = to_batch(img.pixels, "image")
    predicted = predict_quality(x[0, : img.color_channels])  # alpha left out
    if predicted is None:
        err_console.print(f"warning: {src}: no JPEG grid in the pixels (saved at a high quality, or resized); "
                          f"treated as quality {NO_GRID_QUALITY} (--quality overrides)")
        return NO_GRID_QUALITY
    err_console.print(f"warning: {src}: not a JPEG file; quality {predicted} predicted from the pixels (--quality overrides)")
    return predicted


@app.command()
def models(
    task: Annotated[Optional[str], typer.Option("--task", help="Only this task.")] = None,
    card: Annotated[Optional[str], typer.Option("--card", help="Print this model's full card (Markdown).")] = None,
) -> None:
    """List the model zoo with scores."""
    from darkroom.tasks import get_task
    from darkroom.zoo import build_model, get_card, list_models

    if card:
        out_console.print(get_card(card).markdown(), highlight=False, markup=False, soft_wrap=True)
        return
    if task is not None:
        get_task(task)
    table = Table(title="darkroom models (details: darkroom models --card NAME)")
    table.add_column("name", no_wrap=True)
    for column in ("task", "×", "params"):
        table.add_column(column, no_wrap=True)
    table.add_column("headline score")
    for c in list_models(task):
        params = sum(p.numel() for p in build_model(c).parameters()) if c.learned else 0
        headline = next(iter(c.scores.items()), None)
        table.add_row(c.name, c.spec.task, str(c.spec.scale), f"{params:,}" if params else "-",
                      f"{headline[0]}: {headline[1]}" if headline else "-")
    out_console.print(table)


@app.command()
def bench(
    task: Annotated[str, typer.Argument(help="upscale, denoise, dejpeg, deblur, dehaze or enhance")],
    data: Annotated[list[Path], typer.Option("--data", help="Folder of clean test images (repeatable); for dehaze, a folder with hazy/ and clear/ or GT/ under matching names.")],
    model: Annotated[list[str], typer.Option("--model", help="Zoo name or family: bicubic, ffdnet_gray, ... (repeatable).")],
    scale: Annotated[list[int], typer.Option("--scale", help="Upscaling factor (repeatable).")] = [2],  # noqa: B006
    sigma: Annotated[list[float], typer.Option("--sigma", help="AWGN level for denoising, 0-255 units (repeatable).")] = [25.0],  # noqa: B006
    quality: Annotated[list[int], typer.Option("--quality", help="JPEG quality 1-100 for JPEG artifact removal (repeatable).")] = [10],  # noqa: B006
    kernel: Annotated[list[int], typer.Option("--kernel", help="Deblurring: the protocol's kernel number, 1-8 (repeatable).")] = [1, 2, 3, 4, 5, 6, 7, 8],  # noqa: B006
    exposure: Annotated[list[float], typer.Option("--exposure", help="Enhancement: the fraction of the light the darkened photos keep (repeatable).")] = [0.1, 0.03],  # noqa: B006
    protocol: Annotated[Optional[str], typer.Option("--protocol", "--noise", help="The task's benchmark protocol (denoise: awgn, or camera: realistic camera noise, where --sigma is only what non-blind models are told).")] = None,
    told: Annotated[str, typer.Option("--told", help="What non-blind denoisers are told: the true σ, or the wavelet estimate (the no-σ path of darkroom denoise).")] = "sigma",
    gray: Annotated[bool, typer.Option("--gray", help="Convert test images to gray first.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the degradation.")] = 0,
    limit: Annotated[Optional[int], typer.Option("--limit", help="Only the first N images.")] = None,
    reference: Annotated[Optional[str], typer.Option("--reference", help="Model whose time the others are divided by.")] = None,
    tile: Tile = None, device: Device = None,
    precision: Annotated[str, typer.Option("--precision", help="fp32 (the default, so that scores do not depend on the machine), auto, bf16 or fp16.")] = "fp32",
    self_ensemble: Annotated[list[int], typer.Option("--self-ensemble", help="Run each network averaging 1, 2, 4 or 8 flipped/rotated runs (repeatable: a row each).")] = [1],  # noqa: B006
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write per-image and mean scores here.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the summary as a Markdown table.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No per-image rows.")] = False,
    weights: Annotated[Optional[Path], typer.Option("--weights", help="Score these weights (.safetensors, or a training checkpoint.pt) instead of the shipped ones; one --model only.")] = None,
) -> None:
    """Score models on folders under the papers' protocol: PSNR/SSIM, time per image, time ratio."""
    from darkroom.benchmark import bench as run
    from darkroom.tasks import get_task

    t = get_task(task)
    if told not in ("sigma", "estimate"):
        raise DarkroomError(f"--told must be sigma or estimate, not {told!r}")
    for n in self_ensemble:
        check_self_ensemble(n)
    if any(not 0 < e <= 1 for e in exposure):
        raise DarkroomError(f"--exposure must be in (0, 1], got {', '.join(f'{e:g}' for e in exposure)}")
    settings = {"sigma": sigma, "scale": scale, "quality": quality, "kernel": kernel, "exposure": exposure}.get(t.setting, [0])  # the CLI's flag for the setting the record sweeps

    def show(row) -> None:
        if quiet:
            return
        table = Table("image", "PSNR (dB)", "SSIM", "seconds", title=f"{t.name} {row.model} on {row.data}")
        for sc in row.result.images:
            table.add_row(sc.image, f"{sc.psnr:.2f}", f"{sc.ssim:.4f}", f"{sc.seconds:.3f}")
        r = row.result
        table.add_row("mean", f"{r.mean_psnr:.2f}", f"{r.mean_ssim:.4f}", f"{r.mean_seconds:.3f}", style="bold")
        out_console.print(table)

    rows = run(t, data, model, settings, protocol=protocol, told=told == "sigma", gray=gray, seed=seed, limit=limit,
               self_ensembles=tuple(self_ensemble), weights=weights, device=device, on_result=show, tile=tile,
               precision=precision)
    chosen = t.protocols[protocol] if protocol else t.default_protocol
    label = t.setting_label if chosen.setting_degrades else "told " + t.setting_label
    _print_summary(t.name, rows, settings, reference, markdown, label)
    if json_path:
        from darkroom.io import write_bytes_atomic

        payload = [{"setting": r.setting, "parameters": r.parameters, **r.result.to_json(), "row": r.label} for r in rows]
        write_bytes_atomic(json_path, json.dumps(payload, indent=2).encode())


def _scores(result) -> str:
    """PSNR / SSIM, and PSNR-B where the protocol scores it."""
    text = f"{result.mean_psnr:.2f} / {result.mean_ssim:.4f}"
    return text if result.mean_psnrb is None else f"{text} / {result.mean_psnrb:.2f}"


def _print_summary(task: str, rows: list, settings: list, reference: str | None, markdown: bool, label: str) -> None:
    """One row per (model, set); one PSNR/SSIM column per setting; mean time and its ratio to ``reference``."""
    ref_time = {(r.data, r.setting): r.result.mean_seconds for r in rows if r.label == reference}
    header = ["model", "params", "data", *[label.format(st) for st in settings], "s/image"] + (["time ÷ " + reference] if reference else [])
    lines = []
    for m in dict.fromkeys(r.label for r in rows):
        for d in dict.fromkeys(r.data for r in rows):
            cells = {r.setting: r.result for r in rows if r.label == m and r.data == d}
            if not cells:
                continue
            params = max(r.parameters for r in rows if r.label == m)
            secs = sum(c.mean_seconds for c in cells.values()) / len(cells)
            line = [m, f"{params:,}" if params else "-", d, *[_scores(cells[st]) for st in settings], f"{secs:.3f}"]
            if reference:
                ratios = [cells[st].mean_seconds / ref_time[(d, st)] for st in settings if (d, st) in ref_time]
                line.append(f"{sum(ratios) / len(ratios):.3g}" if ratios else "-")
            lines.append(line)
    if markdown:
        out_console.print("| " + " | ".join(header) + " |", highlight=False, soft_wrap=True, markup=False)
        out_console.print("|" + "---|" * len(header), highlight=False, markup=False)
        for line in lines:
            out_console.print("| " + " | ".join(line) + " |", highlight=False, soft_wrap=True, markup=False)
        return
    blocking = any(r.result.mean_psnrb is not None for r in rows)
    table = Table(*header, title=f"{task}: mean PSNR (dB) / SSIM" + (" / PSNR-B (dB)" if blocking else ""))
    for line in lines:
        table.add_row(*line)
    out_console.print(table)


@app.command()
def train(
    recipe: Annotated[Path, typer.Argument(help="A recipe TOML file from recipes/.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Run folder (default $DARKROOM_RUNS/<name>, else runs/<name>).")] = None,
    steps: Annotated[Optional[int], typer.Option("--steps", help="Override the recipe's step count.")] = None,
    resume: Annotated[bool, typer.Option("--resume/--no-resume", help="Continue from the run's checkpoint.")] = True,
    device: Device = None,
    minutes: Annotated[Optional[float], typer.Option("--minutes", help="Train for this long: the step count is set from the rate of the first steps.")] = None,
) -> None:
    """Train a model from a recipe (resumes from the last checkpoint). Use torchrun for several processes."""
    from darkroom.train import Recipe, train as run
    from darkroom.train.recipe import runs_root

    if minutes is not None and minutes <= 0:
        raise DarkroomError(f"--minutes must be positive, got {minutes}")
    r = Recipe.from_toml(recipe, steps=steps)
    weights = run(r, out or runs_root() / r.name, resume=resume, device=device,
                  time_budget_s=None if minutes is None else 60 * minutes)
    err_console.print(f"weights: {weights}", highlight=False)
