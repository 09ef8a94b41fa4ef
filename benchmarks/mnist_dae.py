"""The denoising autoencoder of survey 000 on MNIST: the shipped ``dae_mnist`` (trained by
``darkroom train recipes/dae_mnist.toml`` on the first 8,000 images of ``shared/data/MNIST``
with Keras' noise, x + 0.5·N(0, 1) clipped to [0, 1]) tested on the last 2,000, against a
Gaussian filter (width tuned on the training images) and non-local means, with survey 000's
before/after figure (noisy / denoised / clean).

    python benchmarks/mnist_dae.py [--weights runs/dae_mnist/dae_mnist.safetensors]
    # writes docs/figures/mnist_dae.png and benchmarks/results/mnist_dae.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from darkroom.io import read_mnist, write_bytes_atomic, write_image
from darkroom.metrics import psnr
from darkroom.ops import image_grid
from darkroom.train import data_root
from darkroom.train.objectives import DAE_NOISE, keras_noise
from darkroom.zoo import build_model, get_card, weights_path

ROOT = Path(__file__).resolve().parent.parent


def noisy_version(clean: torch.Tensor, seed: int) -> torch.Tensor:
    """The training objective's noise (``darkroom.train.objectives.keras_noise``), drawn from ``seed``."""
    return keras_noise(clean, torch.Generator().manual_seed(seed))


def mean_psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(psnr(a, b).mean())


def gaussian_filter(x: torch.Tensor, sigma: float) -> torch.Tensor:
    out = [cv2.GaussianBlur(im[0].numpy(), (0, 0), sigma) for im in x]
    return torch.from_numpy(np.stack(out))[:, None]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weights", type=Path, default=weights_path("dae_mnist.safetensors"), help="default: the shipped model")
    a = p.parse_args()
    d = read_mnist(data_root() / "MNIST")
    digits = torch.from_numpy(d.images.transpose(0, 3, 1, 2).copy()).float() / 255
    train, test = digits[:8000], digits[8000:]
    noisy_test = noisy_version(test, seed=10_000)
    net = build_model(get_card("dae_mnist"), weights=a.weights)
    with torch.no_grad():
        denoised = net(noisy_test)

    # Baselines: the Gaussian width that is best on 500 training digits, then non-local means.
    probe = train[:500]
    noisy_probe = noisy_version(probe, seed=20_000)
    best_sigma = max((0.5, 0.75, 1.0, 1.25, 1.5, 2.0), key=lambda s: mean_psnr(gaussian_filter(noisy_probe, s), probe))
    nlm = torch.from_numpy(np.stack([cv2.fastNlMeansDenoising((im[0].numpy() * 255).round().astype(np.uint8), None, h=DAE_NOISE * 255, templateWindowSize=7, searchWindowSize=21) for im in noisy_test]))[:, None].float() / 255
    results = {
        "noisy input": mean_psnr(noisy_test, test),
        f"Gaussian filter (σ = {best_sigma} px, tuned on training digits)": mean_psnr(gaussian_filter(noisy_test, best_sigma), test),
        "non-local means (OpenCV, h = 0.5·255)": mean_psnr(nlm, test),
        "denoising autoencoder (ours)": mean_psnr(denoised, test),
    }
    for name, value in results.items():
        print(f"| {name} | {value:.2f} dB |")

    shown = torch.cat([noisy_test[:10], denoised[:10], test[:10]])
    figure = image_grid(F.interpolate(shown, scale_factor=3, mode="nearest"), columns=10, padding=3)
    write_image(ROOT / "docs/figures/mnist_dae.png", (figure[0].numpy() * 255).round().astype(np.uint8), overwrite=True)
    out = ROOT / "benchmarks/results/mnist_dae.json"
    out.parent.mkdir(exist_ok=True)
    write_bytes_atomic(out, json.dumps({"test_psnr": results, "weights": str(a.weights)}, indent=1).encode())


if __name__ == "__main__":
    main()
