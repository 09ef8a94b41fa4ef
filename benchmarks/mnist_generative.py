"""VAE and DCGAN on MNIST (first 8,000 digits to train, last 2,000 to test), measured with
darkroom's own MNIST classifier (src/darkroom/zoo/weights/mnist_small_resnet.safetensors).

Writes the shipped weights (vae_mnist, dcgan_mnist), docs/figures/vae_manifold.png,
vae_reconstructions.png, vae_interpolation.png, gan_epochs.png, gan_curves.png, and
benchmarks/results/mnist_generative.json; prints the Markdown table of BENCHMARKS.md.

    python benchmarks/mnist_generative.py
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import numpy as np
import torch

from darkroom.generate import evaluate_vae, interpolate, latent_manifold, sample_gan, sample_vae, train_gan, train_vae
from darkroom.generate.quality import sample_quality
from darkroom.io import read_mnist, write_bytes_atomic, write_image
from darkroom.ops import image_grid
from darkroom.recognize import load_classifier
from darkroom.train import data_root
from darkroom.train.checkpoint import export_weights

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs/figures"
WEIGHTS = ROOT / "src/darkroom/zoo/weights"


def save_grid(name: str, images: torch.Tensor, columns: int, zoom: int = 2) -> None:
    grid = image_grid(torch.nn.functional.interpolate(images, scale_factor=zoom, mode="nearest"), columns=columns, padding=2)
    write_image(FIGURES / name, (grid[0].numpy() * 255).round().astype(np.uint8), overwrite=True)


def plot_gan_curves(curve: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [c["epoch"] for c in curve]
    fig, (losses, scores) = plt.subplots(1, 2, figsize=(10, 3.5))
    losses.plot(epochs, [c["loss_d"] for c in curve], label="discriminator")
    losses.plot(epochs, [c["loss_g"] for c in curve], label="generator")
    scores.plot(epochs, [c["d_real"] for c in curve], label="D(real)")
    scores.plot(epochs, [c["d_fake"] for c in curve], label="D(fake)")
    losses.set(xlabel="epoch", title="losses")
    scores.set(xlabel="epoch", title="discriminator's mean output")
    for ax in (losses, scores):
        ax.legend()
        ax.grid(alpha=0.3)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    write_bytes_atomic(FIGURES / "gan_curves.png", buffer.getvalue())


def main(vae_epochs: int = 20, gan_epochs: int = 12, n: int = 2000) -> None:
    d = read_mnist(data_root() / "MNIST")
    digits = torch.from_numpy(d.images.transpose(0, 3, 1, 2).copy()).float() / 255
    train, test = digits[:8000], digits[8000:]
    classifier = load_classifier(WEIGHTS / "mnist_small_resnet.safetensors")
    results = {}

    t0 = time.perf_counter()
    vae, vae_curve = train_vae(train, test, latent=2, epochs=vae_epochs)
    vae_wall = time.perf_counter() - t0
    export_weights(WEIGHTS / "vae_mnist.safetensors", vae, {"recipe": "benchmarks/mnist_generative.py", "epochs": vae_epochs})
    results["vae"] = {"test_neg_elbo_nats": evaluate_vae(vae, test), "epochs": vae_epochs, "train_s": round(vae_wall, 1),
                      "curve": vae_curve, **sample_quality(sample_vae(vae, n, seed=1), test, classifier)}
    save_grid("vae_manifold.png", latent_manifold(vae, 15), columns=15, zoom=1)
    with torch.no_grad():
        recon = torch.sigmoid(vae(test[:12], torch.Generator().manual_seed(0))[0])
    save_grid("vae_reconstructions.png", torch.cat([test[:12], recon]), columns=12)
    save_grid("vae_interpolation.png", torch.cat([interpolate(vae, test[i], test[i + 1], 10) for i in (0, 2, 4)]), columns=10)

    t0 = time.perf_counter()
    generator, gan_curve, snapshots = train_gan(train, epochs=gan_epochs)
    gan_wall = time.perf_counter() - t0
    export_weights(WEIGHTS / "dcgan_mnist.safetensors", generator, {"recipe": "benchmarks/mnist_generative.py", "epochs": gan_epochs})
    results["dcgan"] = {"epochs": gan_epochs, "train_s": round(gan_wall, 1), "curve": gan_curve,
                        **sample_quality(sample_gan(generator, n, seed=1), test, classifier)}
    shown = [e for e in (1, 2, 5, 10, gan_epochs) if e <= gan_epochs]
    save_grid("gan_epochs.png", torch.cat([snapshots[e - 1][:16] for e in shown]), columns=16)
    plot_gan_curves(gan_curve)

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
