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
from darkroom.nets.cbdnet import smooth_noise_map
from darkroom.train.checkpoint import export_weights, load_checkpoint, resume_run, save_run
from darkroom.train.loop import descend, training_device
from darkroom.train.data import load_folder_images
from darkroom.train.recipe import data_root
from darkroom.zoo import build_model, get_card

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
    """(noisy, clean, target σ map), a pure function of (seed, index): even indices AWGN, odd camera noise."""
    g = torch.Generator().manual_seed(seed * 1_000_003 + index)
    if index % 2 == 0:
        clean = random_patch(gray, patch, g)[None]
        sigma = float(torch.rand((), generator=g)) * 75 / 255
        noisy = clean + sigma * torch.randn(clean.shape, generator=g)
        return noisy[0], clean[0], torch.full((1, patch, patch), sigma)
    clean = random_patch(color, patch, g)[None]
    noisy = CameraNoise()(clean, g)
    channel = int(torch.randint(3, (1,), generator=g))
    noisy, clean = noisy[:, channel : channel + 1], clean[:, channel : channel + 1]
    return noisy[0], clean[0], local_noise_level(noisy, clean)[0]


def train_noise_estimator(denoiser_weights: Path, out_dir: Path, *, steps: int = 3000, batch: int = 16, patch: int = 64,
                          lr: float = 1e-3, alpha: float = 0.3, tv_weight: float = 0.05, reconstruction_weight: float = 0.0,
                          asymmetric_weight: float = 1.0, smoothing: int = 15, init: Path | None = None, seed: int = 0,
                          device: str | None = None, progress: bool = True) -> Path:
    """Train the estimator; returns the exported blind model's weights.

    With ``reconstruction_weight`` > 0 the loss is CBDNet's full one: the frozen denoiser's
    squared error given the estimated map, plus ``asymmetric_weight`` × the asymmetric
    loss (CBDNet: 0.5) and ``tv_weight`` × TV, so the map is pulled towards what denoises
    best rather than towards the local noise statistics alone. ``init`` starts from a
    blind model's weights (its ``estimator.*`` tensors) or an earlier run's ``checkpoint.pt``. ``smoothing`` is the radius of
    the window that averages the map (``darkroom.nets.cbdnet``); the losses see the
    averaged map, the one the denoiser is told.
    """
    from safetensors.torch import load_file

    out_dir.mkdir(parents=True, exist_ok=True)
    root = data_root()
    gray = load_folder_images([root / "Train400"], 1)
    color = load_folder_images([root / "BSD200"], 3)

    torch.manual_seed(seed)
    dev = training_device(device)
    estimator = NoiseEstimator(channels=1)
    if init is not None and init.suffix == ".pt":  # an earlier run's checkpoint
        estimator.load_state_dict(load_checkpoint(init)["model"])
    elif init is not None:  # a blind model's exported weights
        estimator.load_state_dict({k.removeprefix("estimator."): v for k, v in load_file(str(init)).items() if k.startswith("estimator.")})
    denoiser = None
    if reconstruction_weight > 0:
        denoiser = build_model(get_card("ffdnet_gray"), weights=denoiser_weights).to(dev).requires_grad_(False)
    estimator.to(dev)
    optimizer = torch.optim.AdamW(estimator.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.1)
    ckpt = out_dir / "checkpoint.pt"
    start, elapsed = resume_run(ckpt, estimator, optimizer, schedule)
    log = (out_dir / "log.jsonl").open("a")
    t0 = time.perf_counter() - elapsed
    for step in tqdm(range(start, steps), initial=start, total=steps, disable=not progress, mininterval=5, desc="noise estimator"):
        noisy, clean, target = (torch.stack(t) for t in zip(*(training_pair(gray, color, step * batch + j, patch, seed) for j in range(batch))))
        noisy, clean, target = noisy.to(dev), clean.to(dev), target.to(dev)
        estimate = smooth_noise_map(estimator(noisy), smoothing)
        loss = asymmetric_weight * asymmetric_loss(estimate, target, alpha) + tv_weight * total_variation(estimate)
        if denoiser is not None:
            loss = loss + reconstruction_weight * torch.nn.functional.mse_loss(denoiser(noisy, estimate), clean)
        descend(loss, optimizer, schedule)
        done = step + 1
        if done % 20 == 0:
            log.write(json.dumps({"step": done, "loss": float(loss.detach()), "wall_s": time.perf_counter() - t0}) + "\n")
            log.flush()
        if done % 250 == 0 or done == steps:
            save_run(ckpt, estimator, optimizer, schedule, done, time.perf_counter() - t0)
    log.close()
    blind = BlindDenoiser(channels=1, depth=15, features=64, smoothing=smoothing)
    blind.estimator.load_state_dict({k: v.cpu() for k, v in estimator.state_dict().items()})
    blind.denoiser.load_state_dict(load_file(str(denoiser_weights)))
    weights = out_dir / "cbdnet_gray.safetensors"
    export_weights(weights, blind, {"recipe": "darkroom.train.noise_estimator", "steps": steps, "batch": batch,
                                    "patch": patch, "alpha": alpha, "tv_weight": tv_weight,
                                    "reconstruction_weight": reconstruction_weight, "asymmetric_weight": asymmetric_weight,
                                    "smoothing": smoothing,
                                    "init": str(init) if init else "",
                                    "wall_s": round(time.perf_counter() - t0, 1)})
    return weights


def main() -> None:
    import argparse

    from darkroom.zoo import weights_path

    parser = argparse.ArgumentParser(description="Train the CBDNet-style noise estimator in front of ffdnet_gray.")
    parser.add_argument("--out", type=Path, default=Path("checkpoints/cbdnet_gray"))
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--reconstruction-weight", type=float, default=0.0,
                        help="CBDNet's joint stage: weight of the frozen denoiser's squared error (CBDNet: 1)")
    parser.add_argument("--asymmetric-weight", type=float, default=1.0, help="CBDNet's joint stage uses 0.5")
    parser.add_argument("--smoothing", type=int, default=15, help="radius of the window that averages the σ map")
    parser.add_argument("--init", type=Path, default=None, help="start from a blind model's weights (.safetensors) or a run's checkpoint.pt")
    parser.add_argument("--device", default=None, help="cpu, cuda, cuda:1 (default: cuda if present)")
    args = parser.parse_args()
    print(train_noise_estimator(weights_path("ffdnet_gray.safetensors"), args.out, steps=args.steps, batch=args.batch,
                                lr=args.lr, reconstruction_weight=args.reconstruction_weight,
                                asymmetric_weight=args.asymmetric_weight, smoothing=args.smoothing, init=args.init, device=args.device))


if __name__ == "__main__":
    main()
