"""Training CBDNet's noise-estimation subnet in front of a non-blind denoiser.

CBDNet (Guo et al., CVPR 2019) trains the estimator with an asymmetric loss on the σ
map plus a total-variation term, then the whole network end to end on realistic noise.
Here the non-blind denoiser is already trained (``ffdnet_gray`` or ``ffdnet_color``) and
the estimator learns in front of it, from two kinds of noise: AWGN with σ uniform in
[0, 75] (target: that σ everywhere) and the realistic camera pipeline of
``darkroom.degrade.camera`` with optional JPEG (target: the local RMS of the noise
actually added, smoothed over a few pixels, since signal-dependent noise has no single σ).
With ``train_denoiser`` the denoiser learns too, as in CBDNet's end-to-end stage, so that
it fits the demosaiced, correlated camera noise it was never trained on.

Gray (``channels`` = 1): AWGN patches come from Train400; camera noise is made on colour
patches of BSD200 and one channel is kept, because the gray denoiser runs per channel.
Colour (``channels`` = 3): both kinds are made on BSD200 + T91 colour patches, and the
camera target is the root mean square of the three channels' levels, the RGB level the
colour network is told. Reads top to bottom; resumes exactly from its checkpoint.
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
from darkroom.errors import DarkroomError
from darkroom.io import read_weights
from darkroom.nets import BlindDenoiser
from darkroom.nets.cbdnet import channel_rms
from darkroom.train.checkpoint import export_weights, load_checkpoint, resume_run, save_run
from darkroom.train.loop import descend, training_device
from darkroom.train.pixel import stacked
from darkroom.train.data import load_folder_images
from darkroom.train.recipe import data_root, runs_root

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


def training_pair(gray: list[torch.Tensor], color: list[torch.Tensor], index: int, patch: int, seed: int, channels: int = 1):
    """(noisy, clean, target σ map), a pure function of (seed, index): even indices AWGN, odd camera noise."""
    g = torch.Generator().manual_seed(seed * 1_000_003 + index)
    if index % 2 == 0:
        clean = random_patch(gray if channels == 1 else color, patch, g)[None]
        sigma = float(torch.rand((), generator=g)) * 75 / 255
        noisy = clean + sigma * torch.randn(clean.shape, generator=g)
        return noisy[0], clean[0], torch.full((1, patch, patch), sigma)
    clean = random_patch(color, patch, g)[None]
    noisy = CameraNoise()(clean, g)
    if channels == 3:
        return noisy[0], clean[0], channel_rms(local_noise_level(noisy, clean))[0]
    channel = int(torch.randint(3, (1,), generator=g))
    noisy, clean = noisy[:, channel : channel + 1], clean[:, channel : channel + 1]
    return noisy[0], clean[0], local_noise_level(noisy, clean)[0]


def train_noise_estimator(denoiser_weights: Path, out_dir: Path, *, channels: int = 1, steps: int = 3000, batch: int = 16,
                          patch: int = 64, lr: float = 1e-3, alpha: float = 0.3, tv_weight: float = 0.05,
                          reconstruction_weight: float = 0.0, asymmetric_weight: float = 1.0, smoothing: int = 15,
                          level_bins: int = 0, level_band: tuple[float, float] = (0.25, 0.75), train_denoiser: bool = False, denoiser_lr: float = 1e-4, init: Path | None = None, seed: int = 0,
                          device: str | None = None, progress: bool = True) -> Path:
    """Train the blind model; returns its exported weights (``cbdnet_gray`` or ``cbdnet_color``).

    With ``reconstruction_weight`` > 0 the loss is CBDNet's full one: the denoiser's squared
    error given the estimated map, plus ``asymmetric_weight`` × the asymmetric loss (CBDNet:
    0.5) and ``tv_weight`` × TV, so the map is pulled towards what denoises best rather than
    towards the local noise statistics alone. The denoiser stays frozen (in inference mode)
    unless ``train_denoiser``; then it learns at ``denoiser_lr``, below the estimator's ``lr``
    because it starts trained. ``init`` starts the estimator from a blind model's weights
    (its ``estimator.*`` tensors) or an earlier run's ``checkpoint.pt``. ``smoothing`` is the
    radius of the window that averages the map, and ``level_bins`` > 0 pools it into a noise
    level function of brightness instead (``darkroom.nets.cbdnet``); the losses see the
    pooled map, the one the denoiser is told.
    """
    if train_denoiser and reconstruction_weight <= 0:
        raise DarkroomError("training the denoiser needs its reconstruction loss (reconstruction_weight > 0)")
    out_dir.mkdir(parents=True, exist_ok=True)
    root = data_root()
    gray = load_folder_images([root / "Train400"], 1) if channels == 1 else []
    color = load_folder_images([root / "BSD200"] + ([root / "T91"] if channels == 3 else []), 3)

    torch.manual_seed(seed)
    dev = training_device(device)
    blind = BlindDenoiser(channels=channels, depth=15, features=64, smoothing=smoothing, level_bins=level_bins, level_band=level_band)
    blind.denoiser.load_state_dict(read_weights(denoiser_weights)[0])
    if init is not None and init.suffix == ".pt":  # an earlier run's checkpoint: the estimator's, or a whole blind model's
        state = load_checkpoint(init)["model"]
        estimator_state = {k.removeprefix("estimator."): v for k, v in state.items() if not k.startswith("denoiser.")}
        blind.estimator.load_state_dict(estimator_state)
    elif init is not None:  # a blind model's exported weights
        blind.estimator.load_state_dict({k.removeprefix("estimator."): v for k, v in read_weights(init)[0].items() if k.startswith("estimator.")})
    blind.to(dev, memory_format=torch.channels_last)  # NHWC, as darkroom.train.loop trains
    blind.denoiser.train(train_denoiser).requires_grad_(train_denoiser)
    groups = [{"params": list(blind.estimator.parameters()), "lr": lr}]
    if train_denoiser:
        groups.append({"params": list(blind.denoiser.parameters()), "lr": denoiser_lr})
    optimizer = torch.optim.AdamW(groups)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in groups], total_steps=max(steps, 1), pct_start=0.1)
    ckpt = out_dir / "checkpoint.pt"
    start, elapsed = resume_run(ckpt, blind, optimizer, schedule)
    log = (out_dir / "log.jsonl").open("a")
    t0 = time.perf_counter() - elapsed
    for step in tqdm(range(start, steps), initial=start, total=steps, disable=not progress, mininterval=5, desc="blind denoiser"):
        pairs = (training_pair(gray, color, step * batch + j, patch, seed, channels) for j in range(batch))
        noisy, clean, target = stacked(pairs, dev)
        estimate = blind.noise_map(noisy)
        loss = asymmetric_weight * asymmetric_loss(estimate, target, alpha) + tv_weight * total_variation(estimate, power=2)
        if reconstruction_weight > 0:
            loss = loss + reconstruction_weight * torch.nn.functional.mse_loss(blind.denoiser(noisy, estimate), clean)
        descend(loss, optimizer, schedule)
        done = step + 1
        if done % 20 == 0:
            log.write(json.dumps({"step": done, "loss": float(loss.detach()), "wall_s": time.perf_counter() - t0}) + "\n")
            log.flush()
        if done % 250 == 0 or done == steps:
            save_run(ckpt, blind, optimizer, schedule, done, time.perf_counter() - t0)
    log.close()
    weights = out_dir / f"cbdnet_{'gray' if channels == 1 else 'color'}.safetensors"
    export_weights(weights, blind.cpu(), {"recipe": "darkroom.train.noise_estimator", "steps": steps, "batch": batch,
                                          "patch": patch, "alpha": alpha, "tv_weight": tv_weight,
                                          "reconstruction_weight": reconstruction_weight, "asymmetric_weight": asymmetric_weight,
                                          "smoothing": smoothing, "level_bins": level_bins, "level_band": list(level_band), "train_denoiser": train_denoiser, "denoiser_lr": denoiser_lr,
                                          "denoiser": str(denoiser_weights), "init": str(init) if init else "",
                                          "wall_s": round(time.perf_counter() - t0, 1)})
    return weights


def main() -> None:
    import argparse

    from darkroom.zoo import weights_path

    parser = argparse.ArgumentParser(description="Train the CBDNet-style blind denoiser: a noise estimator in front of ffdnet_gray or ffdnet_color.")
    parser.add_argument("--out", type=Path, default=runs_root() / "cbdnet_gray")
    parser.add_argument("--channels", type=int, choices=(1, 3), default=1, help="1: cbdnet_gray; 3: cbdnet_color")
    parser.add_argument("--steps", type=int, default=3000,
                        help="0 trains nothing: the estimator of --init goes in front of --denoiser and is exported")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3, help="the estimator's peak learning rate")
    parser.add_argument("--reconstruction-weight", type=float, default=0.0,
                        help="CBDNet's joint stage: weight of the denoiser's squared error (CBDNet: 1)")
    parser.add_argument("--asymmetric-weight", type=float, default=1.0, help="CBDNet's joint stage uses 0.5")
    parser.add_argument("--smoothing", type=int, default=15, help="radius of the window that averages the σ map")
    parser.add_argument("--level-bins", type=int, default=0,
                        help="pool the σ map per brightness bin (noise level function) instead of the window")
    parser.add_argument("--level-band", type=float, nargs=2, default=(0.25, 0.75), metavar=("LOW", "HIGH"),
                        help="quantiles of σ̂ whose mean is each brightness bin's level (default: interquartile)")
    parser.add_argument("--train-denoiser", action="store_true", help="CBDNet's end-to-end stage: the denoiser learns too")
    parser.add_argument("--denoiser-lr", type=float, default=1e-4, help="the denoiser's peak learning rate with --train-denoiser")
    parser.add_argument("--init", type=Path, default=None, help="start from a blind model's weights (.safetensors) or a run's checkpoint.pt")
    parser.add_argument("--denoiser", type=Path, default=None,
                        help="the non-blind denoiser's weights (default: the shipped ffdnet_gray or ffdnet_color)")
    parser.add_argument("--device", default=None, help="cpu, cuda, cuda:1 (default: cuda if present)")
    args = parser.parse_args()
    denoiser = args.denoiser or weights_path("ffdnet_gray.safetensors" if args.channels == 1 else "ffdnet_color.safetensors")
    print(train_noise_estimator(denoiser, args.out, channels=args.channels, steps=args.steps, batch=args.batch, lr=args.lr,
                                reconstruction_weight=args.reconstruction_weight, asymmetric_weight=args.asymmetric_weight,
                                smoothing=args.smoothing, level_bins=args.level_bins, level_band=tuple(args.level_band), train_denoiser=args.train_denoiser,
                                denoiser_lr=args.denoiser_lr, init=args.init, device=args.device))


if __name__ == "__main__":
    main()
