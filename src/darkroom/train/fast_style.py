"""Training a fast style-transfer network for one style: Johnson, Alahi & Fei-Fei,
"Perceptual Losses for Real-Time Style Transfer and Super-Resolution" (ECCV 2016).

The transformation network (``darkroom.nets.transformer``) sees random crops of
ordinary photos and is trained so that its output has the crop's features at the
content layers and the style image's Gram matrices at the style layers, under the same
feature network and losses as the optimisation method (``darkroom.generate.style``),
plus total variation. One network per style. The paper trains on COCO at 256×256; here
the photos are BSD200 + T91 (never a benchmark set), cropped at ``size``.

Read top to bottom: data, model, losses, the loop, the export. Resumable: rerunning
the same command continues from ``checkpoint.pt``.

    python -m darkroom.train.fast_style --style candy.jpg --name style_candy --out runs/style_candy
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from darkroom.generate.style import feature_network
from darkroom.losses import content_loss, gram_matrix, total_variation
from darkroom.io import read_image
from darkroom.nets.transformer import TransformerNet
from darkroom.ops import resize_longest, to_rgb_batch
from darkroom.train.checkpoint import export_weights, resume_run, save_run
from darkroom.train.loop import descend, training_device
from darkroom.train.data import load_folder_images
from darkroom.train.recipe import data_root


def read_style(path: Path, side: int) -> torch.Tensor:
    """The style image as (1, 3, H, W) in [0, 1], its longest side resized to ``side``."""
    return resize_longest(to_rgb_batch(read_image(path).pixels), side).clamp(0, 1)


def content_batch(photos: list[torch.Tensor], step: int, batch: int, size: int, seed: int) -> torch.Tensor:
    """``batch`` random ``size``² crops (random scale 0.6–1 of the shorter side, random flip); a pure function of step."""
    g = torch.Generator().manual_seed(seed * 1_000_003 + step)
    crops = []
    for _ in range(batch):
        img = photos[int(torch.randint(len(photos), (1,), generator=g))]
        h, w = img.shape[-2:]
        side = max(16, int(min(h, w) * (0.6 + 0.4 * float(torch.rand((), generator=g)))))
        top = int(torch.randint(h - side + 1, (1,), generator=g))
        left = int(torch.randint(w - side + 1, (1,), generator=g))
        crop = img[:, top:top + side, left:left + side].float()[None] / 255
        crop = F.interpolate(crop, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
        if float(torch.rand((), generator=g)) < 0.5:
            crop = crop.flip(-1)
        crops.append(crop.clamp(0, 1))
    return torch.cat(crops)


def train_fast_style(style_path: Path, name: str, out_dir: Path, *, steps: int = 2000, batch: int = 4, size: int = 192,
                     lr: float = 1e-3, width: int = 32, blocks: int = 5, style_weight: float | None = None,
                     content_weight: float = 1.0, tv_weight: float = 1e-3, style_side: int = 384,
                     vgg: Path | None = None, seed: int = 0, device: str | None = None, progress: bool = True) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    dev = training_device(device)
    root = data_root()
    photos = [p for p in load_folder_images([root / "BSD200", root / "T91"], 3) if min(p.shape[-2:]) >= 96]

    features = feature_network(vgg)
    net = features.net.to(dev)
    style_weight = features.style_weight if style_weight is None else style_weight
    with torch.no_grad():
        style_grams = {k: gram_matrix(v) for k, v in net(read_style(style_path, style_side).to(dev), features.style_layers).items()}
    layers = tuple(dict.fromkeys(features.content_layers + features.style_layers))

    torch.manual_seed(seed)
    model = TransformerNet(width=width, blocks=blocks).to(dev)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.05)
    ckpt = out_dir / "checkpoint.pt"
    start, elapsed = resume_run(ckpt, model, optimizer, schedule)
    log = (out_dir / "log.jsonl").open("a")
    t0 = time.perf_counter() - elapsed
    model.train()
    for step in tqdm(range(start, steps), initial=start, total=steps, disable=not progress, mininterval=5, desc=name):
        photos_batch = content_batch(photos, step, batch, size, seed).to(dev)
        styled = model(photos_batch)
        with torch.no_grad():
            targets = net(photos_batch, features.content_layers)
        feats = net(styled, layers)
        c_loss = content_weight * sum(content_loss(feats[k], targets[k]) for k in features.content_layers)
        s_loss = style_weight * sum(F.mse_loss(gram_matrix(feats[k]), style_grams[k].expand(batch, -1, -1))
                                    for k in features.style_layers) / len(features.style_layers)
        loss = c_loss + s_loss + tv_weight * total_variation(styled)
        descend(loss, optimizer, schedule)
        done = step + 1
        if done % 10 == 0:
            log.write(json.dumps({"step": done, "loss": loss.item(), "content": c_loss.item(), "style": s_loss.item(),
                                  "wall_s": round(time.perf_counter() - t0, 1)}) + "\n")
            log.flush()
        if done % 100 == 0 or done == steps:
            save_run(ckpt, model, optimizer, schedule, done, time.perf_counter() - t0)
    log.close()
    weights = out_dir / f"{name}.safetensors"
    export_weights(weights, model, {"recipe": "darkroom.train.fast_style", "style": style_path.name, "steps": steps,
                                    "batch": batch, "size": size, "lr": lr, "style_weight": style_weight,
                                    "content_weight": content_weight, "tv_weight": tv_weight, "features": features.description,
                                    "wall_s": round(time.perf_counter() - t0, 1)})
    return weights


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--style", type=Path, required=True, help="the style image")
    p.add_argument("--name", required=True, help="model name, e.g. style_candy")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--size", type=int, default=192)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--style-weight", type=float, default=None)
    p.add_argument("--tv-weight", type=float, default=1e-3)
    p.add_argument("--vgg", type=Path, default=None)
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1 (default: cuda if present)")
    a = p.parse_args()
    path = train_fast_style(a.style, a.name, a.out, steps=a.steps, batch=a.batch, size=a.size, lr=a.lr, width=a.width,
                            style_weight=a.style_weight, tv_weight=a.tv_weight, vgg=a.vgg, device=a.device)
    print(path)


if __name__ == "__main__":
    main()
