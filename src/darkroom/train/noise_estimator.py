"""Training CBDNet's noise-estimation subnet in front of a frozen non-blind denoiser.

CBDNet (Guo et al., CVPR 2019) trains the estimator with an asymmetric loss on the σ
map plus a total-variation term. Here the non-blind denoiser is already trained
(``ffdnet_gray``) and stays frozen, so only the estimator learns, from two kinds of
noise: AWGN with σ uniform in [0, 75] (target: that σ everywhere) and the realistic
camera pipeline of ``darkroom.degrade.camera`` with optional JPEG (target: the local
RMS of the noise actually added, smoothed over a few pixels, since signal-dependent
noise has no single σ). Gray patches come from Train400; camera noise is made on
colour patches of BSD200 and one channel is kept, because the gray denoiser runs per
channel. Reads top to bottom; resumes exactly from its checkpoint.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import torch
from tqdm import tqdm

from darkroom.augment import dihedral
from darkroom.degrade import CameraNoise, blur, gaussian_kernel
from darkroom.losses import asymmetric_loss, total_variation
from darkroom.nets import BlindDenoiser, NoiseEstimator
from darkroom.train.checkpoint import export_weights, load_checkpoint, save_checkpoint
from darkroom.train.data import load_folder_images
from darkroom.train.recipe import data_root

SMOOTHING = gaussian_kernel(9, 2.0)


def local_noise_level(noisy: torch.Tensor, clean: torch.Tensor) -> torch.Tensor:
    """√(Gaussian-weighted mean of the squared added noise): a per-pixel σ map (σ/255 scale)."""
    return blur((noisy - clean) ** 2, SMOOTHING).clamp_min(0).sqrt()


def random_patch(images: list[torch.Tensor], patch: int, g: torch.Generator) -> torch.Tensor:
    img = images[int(torch.randint(len(images), (1,), generator=g))]
    h, w = img.shape[-2:]
    top = int(torch.randint(h - patch + 1, (1,), generator=g))
    left = int(torch.randint(w - patch + 1, (1,), generator=g))
    return dihedral(img[:, top : top + patch, left : left + patch], int(torch.randint(8, (1,), generator=g))).float() / 255


def training_pair(gray: list[torch.Tensor], color: list[torch.Tensor], index: int, patch: int, seed: int):
    """(noisy, target σ map), a pure function of (seed, index): even indices AWGN, odd camera noise."""
    g = torch.Generator().manual_seed(seed * 1_000_003 + index)
    if index % 2 == 0:
        clean = random_patch(gray, patch, g)[None]
        sigma = float(torch.rand((), generator=g)) * 75 / 255
        noisy = clean + sigma * torch.randn(clean.shape, generator=g)
        return noisy[0], torch.full((1, patch, patch), sigma)
    clean = random_patch(color, patch, g)[None]
    noisy = CameraNoise()(clean, g)
    channel = int(torch.randint(3, (1,), generator=g))
    noisy, clean = noisy[:, channel : channel + 1], clean[:, channel : channel + 1]
    return noisy[0], local_noise_level(noisy, clean)[0]


def train_noise_estimator(denoiser_weights: Path, out_dir: Path, *, steps: int = 3000, batch: int = 16, patch: int = 64,
                          lr: float = 1e-3, alpha: float = 0.3, tv_weight: float = 0.05, seed: int = 0,
                          progress: bool = True) -> Path:
    from safetensors.torch import load_file

    out_dir.mkdir(parents=True, exist_ok=True)
    root = data_root()
    gray = load_folder_images([root / "Train400"], 1)
    color = load_folder_images([root / "BSD200"], 3)

    torch.manual_seed(seed)
    estimator = NoiseEstimator(channels=1)
    optimizer = torch.optim.AdamW(estimator.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.1)
    ckpt = out_dir / "checkpoint.pt"
    start, elapsed = 0, 0.0
    state = load_checkpoint(ckpt)
    if state is not None:
        estimator.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        start, elapsed = state["step"], state["elapsed"]
    log = (out_dir / "log.jsonl").open("a")
    t0 = time.perf_counter() - elapsed
    for step in tqdm(range(start, steps), initial=start, total=steps, disable=not progress, mininterval=5, desc="noise estimator"):
        noisy, target = (torch.stack(t) for t in zip(*(training_pair(gray, color, step * batch + j, patch, seed) for j in range(batch))))
        estimate = estimator(noisy)
        loss = asymmetric_loss(estimate, target, alpha) + tv_weight * total_variation(estimate)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        done = step + 1
        if done % 20 == 0:
            log.write(json.dumps({"step": done, "loss": float(loss.detach()), "wall_s": time.perf_counter() - t0}) + "\n")
            log.flush()
        if done % 250 == 0 or done == steps:
            save_checkpoint(ckpt, {"model": estimator.state_dict(), "optimizer": optimizer.state_dict(),
                                   "schedule": schedule.state_dict(), "step": done, "elapsed": time.perf_counter() - t0})
    log.close()
    blind = BlindDenoiser(channels=1, depth=15, features=64)
    blind.estimator.load_state_dict(estimator.state_dict())
    blind.denoiser.load_state_dict(load_file(str(denoiser_weights)))
    weights = out_dir / "cbdnet_gray.safetensors"
    export_weights(weights, blind, {"recipe": "darkroom.train.noise_estimator", "steps": steps, "batch": batch,
                                    "patch": patch, "alpha": alpha, "tv_weight": tv_weight,
                                    "wall_s": round(time.perf_counter() - t0, 1)})
    return weights


def main() -> None:
    import argparse

    from darkroom.zoo import weights_path

    parser = argparse.ArgumentParser(description="Train the CBDNet-style noise estimator in front of ffdnet_gray.")
    parser.add_argument("--out", type=Path, default=Path("checkpoints/cbdnet_gray"))
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    print(train_noise_estimator(weights_path("ffdnet_gray.safetensors"), args.out, steps=args.steps, batch=args.batch))


if __name__ == "__main__":
    main()
