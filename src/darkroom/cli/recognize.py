"""Recognition commands: augment (preview a pipeline), train-classifier, classify, visualize."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from darkroom.cli.app import MaxPixels, Overwrite, app, err_console, out_console
from darkroom.errors import DarkroomError
from darkroom.nets import CLASSIFIERS

PREVIEW_SIDE = 384  # longest side of each tile in the augmentation contact sheet


def _write_new(path: Path, image, overwrite: bool) -> None:
    from darkroom.io import write_image

    write_image(path, image, overwrite=overwrite)
    err_console.print(f"wrote {path}", highlight=False)


@app.command()
def augment(
    image: Annotated[Path, typer.Argument(help="One image to preview the augmentation pipeline on.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the variants and the grid.")],
    n: Annotated[int, typer.Option("--n", help="How many augmented variants.")] = 8,
    preset: Annotated[str, typer.Option("--preset", help="classify, digits or restore.")] = "classify",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random draws.")] = 0,
    overwrite: Overwrite = False,
    max_pixels: MaxPixels = None,
) -> None:
    """Write N augmented variants of an image and a grid (original first) to see what a pipeline does."""
    import torch

    from darkroom.augment import PRESETS, augment as run
    from darkroom.io import DEFAULT_MAX_PIXELS, read_image
    from darkroom.ops import from_batch, image_grid, imresize, to_batch

    if preset not in PRESETS:
        raise DarkroomError(f"unknown preset {preset!r}; choose from {', '.join(PRESETS)}")
    if not 1 <= n <= 256:
        raise DarkroomError(f"--n must be between 1 and 256, got {n}")
    if output.exists() and not output.is_dir():
        raise DarkroomError(f"{output} is a file; -o must name a folder")
    img = read_image(image, max_pixels=DEFAULT_MAX_PIXELS if max_pixels is None else max_pixels)
    x, kind = to_batch(img.pixels)
    color, alpha = (x[:, :-1], x[:, -1:]) if img.has_alpha else (x, None)
    targets = [color.expand(n, -1, -1, -1)] + ([alpha.expand(n, -1, -1, -1)] if alpha is not None else [])
    outs = run(targets, PRESETS[preset], seed=seed, photometric=[True, False][: len(targets)])
    variants = torch.cat(outs, 1)
    output.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        _write_new(output / f"{image.stem}_{preset}_{i}.png", from_batch(variants[i : i + 1], kind), overwrite)
    sheet = torch.cat([x, variants])
    longest = max(sheet.shape[-2:])
    if longest > PREVIEW_SIDE:  # a contact sheet to look at, not the data: keep it a few megapixels
        sheet = imresize(sheet, PREVIEW_SIDE / longest).clamp(0, 1)
    _write_new(output / f"{image.stem}_{preset}_grid.png", from_batch(image_grid(sheet, padding=4)[None], kind), overwrite)


def _labeled(data: Path, size: int, channels: int):
    from darkroom.io import read_labeled

    d = read_labeled(data, size=size, channels=channels)
    if d.skipped:
        err_console.print(f"warning: skipped {d.skipped} unreadable image(s) in {data}", highlight=False)
    return d


@app.command("train-classifier")
def train_classifier(
    data: Annotated[Path, typer.Argument(help="A folder with one sub-folder per class, MNIST idx files, or CIFAR-10 batches.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Classifier file to write (.safetensors).")],
    arch: Annotated[str, typer.Option("--arch", help="small_resnet (default) or survey_cnn.")] = "small_resnet",
    epochs: Annotated[int, typer.Option("--epochs")] = 15,
    batch: Annotated[int, typer.Option("--batch")] = 64,
    lr: Annotated[float, typer.Option("--lr", help="Peak learning rate (one-cycle).")] = 3e-3,
    preset: Annotated[str, typer.Option("--augment", help="Augmentation preset: classify, digits, restore, or none.")] = "classify",
    size: Annotated[int, typer.Option("--size", help="Side of the square input for photo folders.")] = 64,
    gray: Annotated[bool, typer.Option("--gray", help="Read photo folders as gray.")] = False,
    val: Annotated[float, typer.Option("--val", help="Fraction held out for validation.")] = 0.1,
    first: Annotated[Optional[int], typer.Option("--first", help="Use only the first N examples (before holding out).")] = None,
    test_last: Annotated[int, typer.Option("--test-last", help="Hold out the last N examples as a test set.")] = 0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    overwrite: Overwrite = False,
) -> None:
    """Train an image classifier; writes the model, its curves, confusion matrix and history next to it."""
    from darkroom.io import LabeledArrays, write_bytes_atomic
    from darkroom.recognize import confusion_matrix, evaluate, save_classifier, split, to_tensors
    from darkroom.train import train_classifier as run
    from darkroom.recognize.report import plot_confusion, plot_histories

    if output.suffix != ".safetensors":
        raise DarkroomError(f"-o must end in .safetensors, got {output}")
    if output.exists() and not overwrite:
        raise DarkroomError(f"{output} exists; pass --overwrite to replace it")
    if epochs < 1 or batch < 1:
        raise DarkroomError("--epochs and --batch must be at least 1")
    d = _labeled(data, size, 1 if gray else 3)
    n = len(d.labels) if first is None else min(first, len(d.labels))
    if test_last >= n:
        raise DarkroomError(f"--test-last {test_last} leaves nothing to train on ({n} examples)")
    pool = LabeledArrays(d.images[: n - test_last], d.labels[: n - test_last], d.classes)
    train_set, val_set = split(pool, val, seed)
    err_console.print(f"{len(train_set.labels)} training, {len(val_set.labels)} validation, {test_last} test examples; "
                      f"{len(d.classes)} classes", highlight=False)
    if arch not in CLASSIFIERS:
        raise DarkroomError(f"unknown classifier {arch!r}; choose from {', '.join(CLASSIFIERS)}")
    with tempfile.TemporaryDirectory(prefix="darkroom-classifier-") as run_dir:  # the run's state is not the product
        c, history = run(train_set, val_set, Path(run_dir) / output.stem, arch=arch, epochs=epochs, batch=batch,
                         lr=lr, augmentation=None if preset == "none" else preset, seed=seed)
    save_classifier(output, c)
    stem = output.with_suffix("")
    plot_histories({arch: history}, stem.with_name(stem.name + ".curves.png"))
    record = {"data": str(data), "arch": arch, "epochs": epochs, "augment": preset, "seed": seed,
              "train": len(train_set.labels), "val": len(val_set.labels), "history": history.__dict__}
    evaluated = (LabeledArrays(d.images[n - test_last : n], d.labels[n - test_last : n], d.classes), "test") if test_last else (val_set, "validation")
    x, y = to_tensors(evaluated[0])
    loss, accuracy, predicted = evaluate(c, x, y)
    matrix = confusion_matrix(y, predicted, len(d.classes))
    plot_confusion(matrix, d.classes, stem.with_name(stem.name + ".confusion.png"))
    record[evaluated[1]] = {"examples": len(y), "accuracy": accuracy, "loss": loss, "confusion": matrix.tolist()}
    write_bytes_atomic(stem.with_name(stem.name + ".json"), json.dumps(record, indent=1).encode())
    out_console.print(f"{evaluated[1]} accuracy {accuracy:.4f} on {len(y)} examples "
                      f"({history.wall_s[-1]:.0f} s training); wrote {output}", highlight=False)


@app.command()
def classify(
    images: Annotated[list[str], typer.Argument(help="Image files, folders or glob patterns.")],
    model: Annotated[Path, typer.Option("--model", help="A classifier written by train-classifier.")],
    top: Annotated[int, typer.Option("--top", help="How many classes to show per image.")] = 5,
) -> None:
    """Print the top-k classes of each image."""
    from darkroom.io import list_images, read_image
    from darkroom.recognize import load_classifier

    c = load_classifier(model)
    table = Table("image", *(f"#{i + 1}" for i in range(min(top, len(c.classes)))))
    failures = 0
    for path in list_images(images):
        try:
            ranked = c.top_k(read_image(path).pixels, top)
        except DarkroomError as exc:
            failures += 1
            err_console.print(f"error: {exc}", highlight=False, soft_wrap=True)
            continue
        table.add_row(path.name, *(f"{name} {p:.1%}" for name, p in ranked))
    out_console.print(table)
    if failures:
        raise typer.Exit(1)


@app.command()
def visualize(
    model: Annotated[Path, typer.Option("--model", help="A classifier written by train-classifier.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG to write.")],
    layer: Annotated[Optional[str], typer.Option("--layer", help="Layer name (omit for the first layer's filters).")] = None,
    image: Annotated[Optional[Path], typer.Option("--input", help="Show this image's feature maps at --layer.")] = None,
    channels: Annotated[str, typer.Option("--channel", help="Channels to maximise at --layer, e.g. 0-7 or 3,5.")] = "0-7",
    steps: Annotated[int, typer.Option("--steps", help="Gradient-ascent steps for activation maximisation.")] = 200,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    overwrite: Overwrite = False,
) -> None:
    """First-layer filters, feature maps of an image, or images that maximise chosen channels."""
    import torch

    from darkroom.io import read_image
    from darkroom.ops import image_grid, imresize
    from darkroom.recognize import load_classifier
    from darkroom.visualize import feature_maps, first_layer_filters, maximize_activation

    c = load_classifier(model)
    if layer is None:
        grid = image_grid(imresize(first_layer_filters(c.net), 8, method="nearest"), padding=2)
    elif image is not None:
        maps = feature_maps(c.net, c.prepare(read_image(image).pixels), layer)[:, None]
        low, high = maps.amin((1, 2, 3), keepdim=True), maps.amax((1, 2, 3), keepdim=True)
        grid = image_grid((maps - low) / (high - low).clamp_min(1e-12), padding=2)
    else:
        try:
            picked = [int(v) for part in channels.split(",") for v in
                      (range(int(part.split("-")[0]), int(part.split("-")[1]) + 1) if "-" in part else [part])]
        except ValueError:
            raise DarkroomError(f"--channel takes numbers and ranges like 0-7 or 3,5; got {channels!r}") from None
        tiles = [maximize_activation(c.net, layer, k, size=max(c.size, 64), channels=c.channels, steps=steps,
                                     seed=seed, normalize=c.normalize) for k in picked]
        grid = image_grid(torch.cat(tiles), padding=2)
    _write_new(output, (grid.permute(1, 2, 0).squeeze(-1).clamp(0, 1).numpy() * 255).round().astype("uint8"), overwrite)
