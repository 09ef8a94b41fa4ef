"""VAE and DCGAN on MNIST (first 8,000 digits to train, last 2,000 to test), measured with
darkroom's own MNIST classifier (src/darkroom/zoo/weights/mnist_small_resnet.safetensors).

Scores the shipped ``vae_mnist`` and ``dcgan_mnist`` (or ``--vae``/``--gan`` weights, e.g. a
run of ``darkroom train recipes/vae_mnist.toml``), writes docs/figures/vae_manifold.png,
vae_reconstructions.png, vae_interpolation.png and benchmarks/results/mnist_generative.json,
and prints the Markdown table of BENCHMARKS.md. ``--epochs-figure`` also trains the DCGAN
recipe epoch by epoch into ``runs/`` (resuming exactly: the schedule is constant) and draws
docs/figures/gan_epochs.png from fixed codes after epochs 1, 2, 5, 10 and 12.

    python benchmarks/mnist_generative.py [--epochs-figure]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from darkroom.generate import evaluate_vae, interpolate, latent_manifold, sample_gan, sample_vae
from darkroom.generate.quality import sample_quality
from darkroom.io import read_mnist, write_bytes_atomic, write_image
from darkroom.ops import image_grid
from darkroom.recognize import load_classifier
from darkroom.train import Recipe, data_root, train as train_recipe
from darkroom.train.recipe import runs_root
from darkroom.zoo import build_model, get_card, weights_path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs/figures"
WEIGHTS = ROOT / "src/darkroom/zoo/weights"


def save_grid(name: str, images: torch.Tensor, columns: int, zoom: int = 2) -> None:
    grid = image_grid(torch.nn.functional.interpolate(images, scale_factor=zoom, mode="nearest"), columns=columns, padding=2)
    write_image(FIGURES / name, (grid[0].numpy() * 255).round().astype(np.uint8), overwrite=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vae", type=Path, default=weights_path("vae_mnist.safetensors"), help="default: the shipped model")
    p.add_argument("--gan", type=Path, default=weights_path("dcgan_mnist.safetensors"), help="default: the shipped model")
    p.add_argument("--epochs-figure", action="store_true", help="train the DCGAN recipe epoch by epoch for gan_epochs.png")
    p.add_argument("-n", type=int, default=2000, help="samples scored")
    a = p.parse_args()
    n = a.n
    d = read_mnist(data_root() / "MNIST")
    digits = torch.from_numpy(d.images.transpose(0, 3, 1, 2).copy()).float() / 255
    train, test = digits[:8000], digits[8000:]
    classifier = load_classifier(WEIGHTS / "mnist_small_resnet.safetensors")
    results = {}

    vae = build_model(get_card("vae_mnist"), weights=a.vae)
    results["vae"] = {"test_neg_elbo_nats": evaluate_vae(vae, test), **sample_quality(sample_vae(vae, n, seed=1), test, classifier)}
    save_grid("vae_manifold.png", latent_manifold(vae, 15), columns=15, zoom=1)
    with torch.no_grad():
        recon = torch.sigmoid(vae(test[:12], torch.Generator().manual_seed(0))[0])
    save_grid("vae_reconstructions.png", torch.cat([test[:12], recon]), columns=12)
    save_grid("vae_interpolation.png", torch.cat([interpolate(vae, test[i], test[i + 1], 10) for i in (0, 2, 4)]), columns=10)

    generator = build_model(get_card("dcgan_mnist"), weights=a.gan)
    results["dcgan"] = sample_quality(sample_gan(generator, n, seed=1), test, classifier)
    if a.epochs_figure:
        recipe = Recipe.from_toml(ROOT / "recipes/dcgan_mnist.toml")
        per_epoch = (8000 - recipe.val_holdout) // recipe.batch
        fixed = torch.randn(16, generator.latent, generator=torch.Generator().manual_seed(1))
        snapshots = []
        for epoch in (1, 2, 5, 10, recipe.steps // per_epoch):
            staged = train_recipe(replace(recipe, steps=epoch * per_epoch), runs_root() / "dcgan_mnist_epochs", progress=False)
            snapshots.append(sample_gan(build_model(get_card("dcgan_mnist"), weights=staged), fixed))
        save_grid("gan_epochs.png", torch.cat(snapshots), columns=16)

    results["real (training digits vs test digits)"] = sample_quality(train[:n], test, classifier)
    out = ROOT / "benchmarks/results/mnist_generative.json"
    write_bytes_atomic(out, json.dumps(results, indent=1).encode())
    print("| samples | Fréchet distance (our classifier's features) | classes present | label entropy (max 2.303) | mean confidence |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['frechet_distance']:.2f} | {r['classes_present']} | {r['label_entropy']:.3f} | {r['mean_confidence']:.3f} |")
    print(f"VAE test negative ELBO: {results['vae']['test_neg_elbo_nats']:.1f} nats")


if __name__ == "__main__":
    main()
