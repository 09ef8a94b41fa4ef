"""Generation commands: sample digits from the shipped VAE or DCGAN."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from darkroom.cli.app import Overwrite, app, err_console
from darkroom.errors import DarkroomError

# The short names `darkroom sample` takes, for the shipped zoo models (darkroom models --task sample).
GENERATIVE_MODELS = {"vae": "vae_mnist", "gan": "dcgan_mnist"}


@app.command()
def sample(
    model: Annotated[str, typer.Argument(help="vae or gan (the shipped MNIST models), or a zoo name.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG grid to write.")],
    n: Annotated[int, typer.Option("-n", help="How many digits.")] = 64,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    overwrite: Overwrite = False,
) -> None:
    """Draw N new digits from a generative model and write them as one grid."""
    import math

    import numpy as np

    from darkroom.generate import sample_gan, sample_vae
    from darkroom.io import write_image
    from darkroom.nets import VAE
    from darkroom.ops import image_grid
    from darkroom.tasks import SAMPLE
    from darkroom.zoo import build_model, get_card, is_registered, list_models

    name = GENERATIVE_MODELS.get(model, model)
    if not is_registered(name) or get_card(name).spec.task != SAMPLE.name:
        known = [*GENERATIVE_MODELS, *(c.name for c in list_models(SAMPLE.name))]
        raise DarkroomError(f"unknown generative model {model!r}; choose from {', '.join(known)}")
    if not 1 <= n <= 10_000:
        raise DarkroomError(f"-n must be between 1 and 10000, got {n}")
    net = build_model(get_card(name))
    digits = sample_vae(net, n, seed) if isinstance(net, VAE) else sample_gan(net, n, seed)
    grid = image_grid(digits, columns=math.ceil(math.sqrt(n)), padding=2, fill=0.0)
    write_image(output, (grid[0].numpy() * 255).round().astype(np.uint8), overwrite=overwrite)
    err_console.print(f"wrote {output}", highlight=False)


def _read_rgb(path: Path, max_side: int | None = None):
    from darkroom.io import read_image
    from darkroom.ops import resize_longest, to_rgb_batch

    x = to_rgb_batch(read_image(path).pixels)
    if max_side and max(x.shape[-2:]) > max_side:
        x = resize_longest(x, max_side).clamp(0, 1)
    return x.contiguous()


def _write_rgb(path: Path, x, overwrite: bool) -> None:
    from darkroom.io import write_image

    write_image(path, (x[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255).round().astype("uint8"), overwrite=overwrite)
    err_console.print(f"wrote {path}", highlight=False)


@app.command()
def stylize(
    content: Annotated[Path, typer.Argument(help="The photo to restyle.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Image to write.")],
    style: Annotated[Optional[Path], typer.Option("--style", help="The style image (optimisation method).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="A trained fast style (e.g. candy, mosaic): one forward pass.")] = None,
    size: Annotated[Optional[int], typer.Option("--size", help="Longest side of the result in pixels (default: 512 for --style, the photo's own size for --model).")] = None,
    steps: Annotated[int, typer.Option("--steps", help="Optimisation steps per scale.")] = 200,
    scales: Annotated[int, typer.Option("--scales", help="Coarse-to-fine levels (each doubles the size).")] = 1,
    optimizer: Annotated[str, typer.Option("--optimizer", help="lbfgs (the paper's) or adam.")] = "lbfgs",
    style_weight: Annotated[Optional[float], typer.Option("--style-weight", help="Style vs content balance (default: per feature network).")] = None,
    content_weight: Annotated[float, typer.Option("--content-weight")] = 1.0,
    tv_weight: Annotated[float, typer.Option("--tv-weight", help="Total-variation smoothing.")] = 1e-3,
    preserve_color: Annotated[bool, typer.Option("--preserve-color", help="Keep the content's colours (luminance-only transfer).")] = False,
    vgg: Annotated[Optional[Path], typer.Option("--vgg", help="torchvision VGG-19 weights (.pth or .safetensors).")] = None,
    download_vgg: Annotated[bool, typer.Option("--download-vgg", help="Fetch torchvision's VGG-19 weights if not cached.")] = False,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    overwrite: Overwrite = False,
) -> None:
    """Neural style transfer: by optimisation (Gatys et al., --style IMAGE) or with a trained network (Johnson et al., --model NAME)."""
    from rich.progress import Progress

    from darkroom.generate.style import feature_network, stylize as run

    if (style is None) == (model is None):
        raise DarkroomError("give either --style STYLE_IMAGE (optimisation) or --model NAME (a trained style)")
    if output.exists() and not overwrite:
        raise DarkroomError(f"{output} exists; pass --overwrite to replace it")
    if model is not None:
        _fast_stylize(content, model, output, size, overwrite)
        return
    size = size or 512
    features = feature_network(vgg, download=download_vgg)
    err_console.print(f"features: {features.description}", highlight=False)
    c, s = _read_rgb(content), _read_rgb(style, max_side=2 * size)
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("style transfer", total=steps * scales)
        result = run(c, s, features, size=size, scales=scales, steps=steps, optimizer=optimizer,
                     style_weight=style_weight, content_weight=content_weight, tv_weight=tv_weight,
                     preserve_color=preserve_color, seed=seed,
                     progress=lambda step, loss: bar.update(task, advance=1, description=f"stylize · loss {loss:.4g}"))
    _write_rgb(output, result, overwrite)


def _fast_stylize(content: Path, model: str, output: Path, size: int | None, overwrite: bool) -> None:
    from darkroom.io import read_image, write_image
    from darkroom.verbs import stylize as fast

    source = read_image(content)
    result = fast(source.pixels, model, size=size)
    write_image(output, result, exif=source.exif, icc_profile=source.icc_profile, overwrite=overwrite)
    err_console.print(f"wrote {output} ({model}, {result.shape[1]}×{result.shape[0]})", highlight=False)


@app.command()
def dream(
    image: Annotated[Path, typer.Argument(help="The photo to dream on.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Image to write.")],
    layer: Annotated[Optional[str], typer.Option("--layer", help="Layer whose activations to amplify (module name, e.g. features.28).")] = None,
    model: Annotated[Optional[Path], typer.Option("--model", help="A classifier from train-classifier (default: VGG-19 or its fallback).")] = None,
    vgg: Annotated[Optional[Path], typer.Option("--vgg", help="torchvision VGG-19 weights (.pth or .safetensors).")] = None,
    octaves: Annotated[int, typer.Option("--octaves")] = 4,
    steps: Annotated[int, typer.Option("--steps", help="Ascent steps per octave.")] = 20,
    lr: Annotated[float, typer.Option("--lr", help="Step size in pixel units.")] = 0.01,
    size: Annotated[int, typer.Option("--size", help="Longest side to work at.")] = 512,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    overwrite: Overwrite = False,
) -> None:
    """DeepDream: amplify what a layer sees, octave by octave."""
    from torch import nn

    from darkroom.generate.dream import dream as run
    from darkroom.generate.style import feature_network
    from darkroom.nets.vgg import VGG19Features

    if output.exists() and not overwrite:
        raise DarkroomError(f"{output} exists; pass --overwrite to replace it")
    x = _read_rgb(image, max_side=size)
    if model is not None:
        from darkroom.recognize import load_classifier

        c = load_classifier(model)
        net, normalize, description = c.net, c.normalize, f"classifier {model}"
        if c.channels == 1:
            x = x.mean(1, keepdim=True)
        default_layer = next(n for n, m in reversed(list(net.named_modules())) if isinstance(m, nn.Conv2d))
    else:
        features = feature_network(vgg)
        net, normalize, description = features.net, (lambda t: t), features.description
        default_layer = "features.28" if isinstance(net, VGG19Features) else "convs.random11"  # conv5_1 in VGG-19
    err_console.print(f"network: {description}; layer {layer or default_layer}", highlight=False)
    result = run(x, net, layer or default_layer, octaves=octaves, steps=steps, lr=lr, seed=seed, normalize=normalize)
    _write_rgb(output, result.expand(-1, 3, -1, -1), overwrite)
