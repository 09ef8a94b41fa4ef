"""Restoration commands: upscale, denoise, the model zoo, benchmarks and training."""

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
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models`).")] = None,
    tile: Tile = None, precision: Precision = "fp32", device: Device = None, self_ensemble: SelfEnsemble = 1,
    overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Make images larger (super-resolution)."""
    from darkroom.tasks.upscale import resolve_upscaler, upscale as run

    resolve_upscaler(model, scale)  # fail on a bad model before touching files
    check_self_ensemble(self_ensemble)
    process_images(inputs, output, overwrite, max_pixels,
             lambda px: run(px, scale, model, tile=tile, precision=precision, device=device, self_ensemble=self_ensemble),
             f"upscale ×{scale}")


@app.command()
def denoise(
    inputs: Inputs, output: Output,
    sigma: Annotated[Optional[float], typer.Option("--sigma", help="Noise level in 0-255 units (default: estimated).")] = None,
    strength: Annotated[float, typer.Option("--strength", help="Multiplies the estimated noise level.")] = 1.0,
    model: Annotated[Optional[str], typer.Option("--model", help="Zoo name (see `darkroom models`).")] = None,
    tile: Tile = None, precision: Precision = "fp32", device: Device = None, self_ensemble: SelfEnsemble = 1,
    overwrite: Overwrite = False, max_pixels: MaxPixels = None,
) -> None:
    """Remove noise from photos."""
    from darkroom.tasks.denoise import denoise as run
    from darkroom.zoo import get_card

    if model and get_card(model).spec.task != "denoise":
        raise DarkroomError(f"model {model!r} is a {get_card(model).spec.task} model, not a denoiser")
    if sigma is not None and not 0 <= sigma <= 255:
        raise DarkroomError(f"--sigma must be between 0 and 255, got {sigma}")
    check_self_ensemble(self_ensemble)
    process_images(inputs, output, overwrite, max_pixels,
             lambda px: run(px, sigma, strength, model, tile=tile, precision=precision, device=device,
                            self_ensemble=self_ensemble), "denoise")


@app.command()
def models(
    task: Annotated[Optional[str], typer.Option("--task", help="Only this task.")] = None,
    card: Annotated[Optional[str], typer.Option("--card", help="Print this model's full card (Markdown).")] = None,
) -> None:
    """List the model zoo with scores."""
    from darkroom.zoo import build_model, get_card, list_models

    if card:
        out_console.print(get_card(card).markdown(), highlight=False, markup=False, soft_wrap=True)
        return

    table = Table(title="darkroom models (details: darkroom models --card NAME)")
    table.add_column("name", no_wrap=True)
    for column in ("task", "×", "params"):
        table.add_column(column, no_wrap=True)
    table.add_column("headline score")
    for card in list_models(task):
        params = sum(p.numel() for p in build_model(card).parameters()) if card.learned else 0
        headline = next(iter(card.scores.items()), None)
        table.add_row(card.name, card.spec.task, str(card.spec.scale), f"{params:,}" if params else "-",
                      f"{headline[0]}: {headline[1]}" if headline else "-")
    out_console.print(table)


@app.command()
def bench(
    task: Annotated[str, typer.Argument(help="upscale or denoise")],
    data: Annotated[list[Path], typer.Option("--data", help="Folder of clean test images (repeatable).")],
    model: Annotated[list[str], typer.Option("--model", help="Zoo name or family: bicubic, ffdnet_gray, ... (repeatable).")],
    scale: Annotated[list[int], typer.Option("--scale", help="Upscaling factor (repeatable).")] = [2],  # noqa: B006
    sigma: Annotated[list[float], typer.Option("--sigma", help="AWGN level for denoising, 0-255 units (repeatable).")] = [25.0],  # noqa: B006
    noise: Annotated[str, typer.Option("--noise", help="awgn, or camera (realistic camera noise; --sigma is then only what non-blind models are told).")] = "awgn",
    told: Annotated[str, typer.Option("--told", help="What non-blind denoisers are told: the true σ, or the wavelet estimate (the no-σ path of darkroom denoise).")] = "sigma",
    gray: Annotated[bool, typer.Option("--gray", help="Convert test images to gray first.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the degradation.")] = 0,
    limit: Annotated[Optional[int], typer.Option("--limit", help="Only the first N images.")] = None,
    reference: Annotated[Optional[str], typer.Option("--reference", help="Model whose time the others are divided by.")] = None,
    tile: Tile = None, precision: Precision = "fp32", device: Device = None,
    self_ensemble: Annotated[list[int], typer.Option("--self-ensemble", help="Run each network averaging 1, 2, 4 or 8 flipped/rotated runs (repeatable: a row each).")] = [1],  # noqa: B006
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write per-image and mean scores here.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the summary as a Markdown table.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No per-image rows.")] = False,
    weights: Annotated[Optional[Path], typer.Option("--weights", help="Score these weights (.safetensors, or a training checkpoint.pt) instead of the shipped ones; one --model only.")] = None,
) -> None:
    """Score models on folders under the papers' protocol: PSNR/SSIM, time per image, time ratio."""
    import torch

    from darkroom.benchmark import run_benchmark
    from darkroom.tasks.denoise import estimate_noise_sigma, run_denoiser, sigma_map
    from darkroom.tasks.upscale import resolve_upscaler, run_upscaler
    from darkroom.zoo import get_card, load

    if task not in ("upscale", "denoise"):
        raise DarkroomError(f"bench knows upscale and denoise, not {task!r}")
    if noise not in ("awgn", "camera"):
        raise DarkroomError(f"--noise must be awgn or camera, not {noise!r}")
    if told not in ("sigma", "estimate"):
        raise DarkroomError(f"--told must be sigma or estimate, not {told!r}")
    for n in self_ensemble:
        check_self_ensemble(n)
    for folder in data:
        if not folder.is_dir():
            raise DarkroomError(f"--data {folder} is not a folder")
    if weights is not None and len(model) != 1:
        raise DarkroomError(f"--weights belongs to one model; {len(model)} were given")
    settings = scale if task == "upscale" else sigma
    names = {}
    for m in model:
        for setting in settings:
            names[(m, setting)] = resolve_upscaler(m, setting) if task == "upscale" else get_card(m).name
    results = []
    # Only networks are ensembled: the classical peers run once, as their papers report them.
    runs = [(m, e) for m in model for e in (self_ensemble if get_card(names[(m, settings[0])]).learned else [1])]
    for m, ensemble in runs:
        label = m if ensemble == 1 else f"{m} (self-ensemble ×{ensemble})"
        for folder in data:
            for setting in settings:
                name = names[(m, setting)]
                restorer = load(name, weights=weights, device=device)

                def restore(x: torch.Tensor, info: dict, restorer=restorer, ensemble=ensemble) -> torch.Tensor:
                    if restorer.spec.blind:  # estimates σ itself: strength 1
                        cond = torch.ones(1, 1, 1, 1)
                    elif restorer.spec.conditioned:
                        cond = sigma_map(estimate_noise_sigma(x) if told == "estimate" else info["sigma"], 1, 1)
                    else:
                        cond = None
                    wanted = restorer.spec.in_channels
                    if wanted == 3 and x.shape[1] == 1:  # a gray test image through a color model: as RGB
                        x = x.expand(-1, 3, -1, -1)
                    if task == "upscale":  # a luminance upscaler takes a color image's luminance
                        return run_upscaler(restorer, x, tile=tile, precision=precision, device=device, self_ensemble=ensemble)
                    return run_denoiser(restorer, x, cond, tile=tile, precision=precision, device=device,  # as denoise() does
                                        self_ensemble=ensemble)

                told_nothing = noise == "camera" and (restorer.spec.blind or told == "estimate")
                if told_nothing and setting != settings[0]:  # same noise, nothing told: the first σ's run stands for all
                    result = next(r for mm, dd, _, r, _ in results if mm == label and dd == folder.name)
                else:
                    result = run_benchmark(task, folder, name, restore, scale=setting if task == "upscale" else 1,
                                           sigma=setting if task == "denoise" else None, seed=seed, limit=limit,
                                           channels=1 if gray else None, noise=noise)
                params = sum(p.numel() for p in restorer.net.parameters())
                results.append((label, folder.name, setting, result, params))
                if not quiet:
                    table = Table("image", "PSNR (dB)", "SSIM", "seconds", title=f"{task} {name} on {folder.name}")
                    for sc in result.images:
                        table.add_row(sc.image, f"{sc.psnr:.2f}", f"{sc.ssim:.4f}", f"{sc.seconds:.3f}")
                    table.add_row("mean", f"{result.mean_psnr:.2f}", f"{result.mean_ssim:.4f}", f"{result.mean_seconds:.3f}", style="bold")
                    out_console.print(table)
    _print_summary(task, results, settings, reference, markdown, sigma_label="told σ={:g}" if noise == "camera" else "σ={:g}")
    if json_path:
        from darkroom.io import write_bytes_atomic

        payload = [{"setting": st, "parameters": n, **r.to_json(), "row": m} for m, _, st, r, n in results]  # row: the table label
        write_bytes_atomic(json_path, json.dumps(payload, indent=2).encode())


def _print_summary(task: str, results: list, settings: list, reference: str | None, markdown: bool, *,
                   sigma_label: str = "σ={:g}") -> None:
    """One row per (model, set); one PSNR/SSIM column per scale or σ; mean time and its ratio to ``reference``."""
    label = "×{}" if task == "upscale" else sigma_label
    ref_time = {}
    for m, d, st, r, _ in results:
        if m == reference:
            ref_time[(d, st)] = r.mean_seconds
    header = ["model", "params", "data", *[label.format(st) for st in settings], "s/image"] + (["time ÷ " + reference] if reference else [])
    rows = []
    for m in dict.fromkeys(x[0] for x in results):
        for d in dict.fromkeys(x[1] for x in results):
            cells = {st: r for mm, dd, st, r, _ in results if mm == m and dd == d}
            if not cells:
                continue
            params = max(n for mm, _, _, _, n in results if mm == m)
            secs = sum(r.mean_seconds for r in cells.values()) / len(cells)
            row = [m, f"{params:,}" if params else "-", d, *[f"{cells[st].mean_psnr:.2f} / {cells[st].mean_ssim:.4f}" for st in settings], f"{secs:.3f}"]
            if reference:
                ratios = [cells[st].mean_seconds / ref_time[(d, st)] for st in settings if (d, st) in ref_time]
                row.append(f"{sum(ratios) / len(ratios):.3g}" if ratios else "-")
            rows.append(row)
    if markdown:
        out_console.print("| " + " | ".join(header) + " |", highlight=False, soft_wrap=True)
        out_console.print("|" + "---|" * len(header), highlight=False)
        for row in rows:
            out_console.print("| " + " | ".join(row) + " |", highlight=False, soft_wrap=True)
        return
    table = Table(*header, title=f"{task}: mean PSNR (dB) / SSIM")
    for row in rows:
        table.add_row(*row)
    out_console.print(table)


@app.command()
def train(
    recipe: Annotated[Path, typer.Argument(help="A recipe TOML file from recipes/.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Run folder (default runs/<name>).")] = None,
    steps: Annotated[Optional[int], typer.Option("--steps", help="Override the recipe's step count.")] = None,
    resume: Annotated[bool, typer.Option("--resume/--no-resume", help="Continue from the run's checkpoint.")] = True,
    device: Device = None,
    minutes: Annotated[Optional[float], typer.Option("--minutes", help="Train for this long: the step count is set from the rate of the first steps.")] = None,
) -> None:
    """Train a model from a recipe (resumes from the last checkpoint). Use torchrun for several processes."""
    from darkroom.train import Recipe, train as run

    if minutes is not None and minutes <= 0:
        raise DarkroomError(f"--minutes must be positive, got {minutes}")
    r = Recipe.from_toml(recipe, steps=steps)
    weights = run(r, out or Path("runs") / r.name, resume=resume, device=device,
                  time_budget_s=None if minutes is None else 60 * minutes)
    err_console.print(f"weights: {weights}", highlight=False)
