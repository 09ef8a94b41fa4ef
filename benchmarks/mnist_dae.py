"""The denoising autoencoder of survey 000 on MNIST: train on the first 8,000 images of
``shared/data/MNIST`` with Keras' noise (x + 0.5·N(0, 1), clipped to [0, 1]), test on the
last 2,000, compare with a Gaussian filter (width tuned on the training images) and
non-local means, and draw survey 000's before/after figure (noisy / denoised / clean).

    python benchmarks/mnist_dae.py     # writes src/darkroom/zoo/weights/dae_mnist.safetensors,
                                       # docs/figures/mnist_dae.png, benchmarks/results/mnist_dae.json
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from darkroom.io import read_mnist, write_bytes_atomic, write_image
from darkroom.metrics import psnr
from darkroom.nets import ConvAutoencoder
from darkroom.ops import image_grid
from darkroom.train import data_root
from darkroom.train.checkpoint import export_weights

ROOT = Path(__file__).resolve().parent.parent
NOISE = 0.5  # Keras' noise_factor


def noisy_version(clean: torch.Tensor, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (clean + NOISE * torch.randn(clean.shape, generator=g)).clamp(0, 1)


def mean_psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(psnr(a, b).mean())


def gaussian_filter(x: torch.Tensor, sigma: float) -> torch.Tensor:
    out = [cv2.GaussianBlur(im[0].numpy(), (0, 0), sigma) for im in x]
    return torch.from_numpy(np.stack(out))[:, None]


def main(epochs: int = 30, batch: int = 128, lr: float = 2e-3, seed: int = 0) -> None:
    torch.set_num_threads(max(1, torch.get_num_threads()))
    d = read_mnist(data_root() / "MNIST")
    digits = torch.from_numpy(d.images.transpose(0, 3, 1, 2).copy()).float() / 255
    train, test = digits[:8000], digits[8000:]
    noisy_test = noisy_version(test, seed=10_000)

    torch.manual_seed(seed)
    net = ConvAutoencoder()
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr)
    steps = epochs * (len(train) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    g = torch.Generator().manual_seed(seed)
    t0, step, curve = time.perf_counter(), 0, []
    for epoch in range(epochs):
        order = torch.randperm(len(train), generator=g)
        for i in range(len(train) // batch):
            clean = train[order[i * batch : (i + 1) * batch]]
            noisy = (clean + NOISE * torch.randn(clean.shape, generator=g)).clamp(0, 1)
            loss = F.binary_cross_entropy(net(noisy), clean)  # the tutorial's loss for [0, 1] pixels
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
        with torch.no_grad():
            score = mean_psnr(net.eval()(noisy_test), test)
        net.train()
        curve.append({"epoch": epoch + 1, "test_psnr": score, "wall_s": round(time.perf_counter() - t0, 1)})
        print(curve[-1], flush=True)
    wall = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        denoised = net(noisy_test)

    # Baselines: the Gaussian width that is best on 500 training digits, then non-local means.
    probe = train[:500]
    noisy_probe = noisy_version(probe, seed=20_000)
    best_sigma = max((0.5, 0.75, 1.0, 1.25, 1.5, 2.0), key=lambda s: mean_psnr(gaussian_filter(noisy_probe, s), probe))
    nlm = torch.from_numpy(np.stack([cv2.fastNlMeansDenoising((im[0].numpy() * 255).round().astype(np.uint8), None, h=NOISE * 255, templateWindowSize=7, searchWindowSize=21) for im in noisy_test]))[:, None].float() / 255
    results = {
        "noisy input": mean_psnr(noisy_test, test),
        f"Gaussian filter (σ = {best_sigma} px, tuned on training digits)": mean_psnr(gaussian_filter(noisy_test, best_sigma), test),
        "non-local means (OpenCV, h = 0.5·255)": mean_psnr(nlm, test),
        "denoising autoencoder (ours)": mean_psnr(denoised, test),
    }
    for name, value in results.items():
        print(f"| {name} | {value:.2f} dB |")

    export_weights(ROOT / "src/darkroom/zoo/weights/dae_mnist.safetensors", net,
                   {"recipe": "benchmarks/mnist_dae.py", "arch": "conv_autoencoder", "epochs": epochs, "wall_s": round(wall, 1)})
    shown = torch.cat([noisy_test[:10], denoised[:10], test[:10]])
    figure = image_grid(F.interpolate(shown, scale_factor=3, mode="nearest"), columns=10, padding=3)
    write_image(ROOT / "docs/figures/mnist_dae.png", (figure[0].numpy() * 255).round().astype(np.uint8), overwrite=True)
    out = ROOT / "benchmarks/results/mnist_dae.json"
    out.parent.mkdir(exist_ok=True)
    write_bytes_atomic(out, json.dumps({"test_psnr": results, "epochs": epochs, "wall_s": round(wall, 1),
                                        "curve": curve, "seed": seed}, indent=1).encode())


if __name__ == "__main__":
    main()
