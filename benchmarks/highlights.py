"""Why the continued colour DnCNN mangles blown highlights (BENCHMARKS.md, "Denoising: DnCNN
against the default"), in three measurements:

1. how many of 2,000 training patches of ``recipes/dncnn_color_s25.toml`` (BSD200 + T91) are
   near white (mean over pixels of the darkest channel above 0.95);
2. what each set of colour DnCNN weights returns for noisy flat patches (σ = 25, seed 1) at
   0.5, 0.98 and 1.0, unclamped: the shipped step-4,000 weights, the run continued to step
   12,000, and its fine-tune with blown highlights;
3. the step-12,000 weights on the white patch in a batch with 15 training patches, with
   BatchNorm's running statistics (inference) and with the batch's own (training mode).

    git show 1f5f90c:checkpoints/dncnn_color_s25_step12000/dncnn_color_s25_step12000.safetensors > /tmp/step12000.safetensors
    git show 1f5f90c:checkpoints/dncnn_color_s25_highlights/dncnn_color_s25_highlights.safetensors > /tmp/highlights.safetensors
    python benchmarks/highlights.py          # under a minute

(the two unshipped weight files left the tracked tree; docs/lab/denoise.md has the results).
"""

from __future__ import annotations

import torch

from darkroom.train import PairedPatches, Recipe, build_degradation
from darkroom.train.pixel import recipe_data
from darkroom.zoo import load, weights_path

WEIGHTS = {
    "shipped (step 4,000)": str(weights_path("dncnn_color_s25.safetensors")),
    "continued to step 12,000": "/tmp/step12000.safetensors",
    "step 12,000 + highlight fine-tune": "/tmp/highlights.safetensors",
}


def noisy_flat(level: float, side: int = 64) -> torch.Tensor:
    flat = torch.full((1, 3, side, side), level)
    return flat + 25 / 255 * torch.randn(flat.shape, generator=torch.Generator().manual_seed(1))


def main() -> None:
    torch.set_num_threads(1)
    r = Recipe.from_toml("recipes/dncnn_color_s25.toml")
    images, _ = recipe_data(r)
    dataset = PairedPatches(images, build_degradation(r.degradation), patch=r.patch, seed=r.seed)
    near_white = sum(float(dataset[10**9 + i][1].amin(0).mean()) > 0.95 for i in range(2000))
    print(f"near-white training patches: {near_white} of 2000\n")

    print("| weights | flat 0.5 | flat 0.98 | flat 1.0 |\n|---|---|---|---|")
    for label, path in WEIGHTS.items():
        restorer = load("dncnn_color_s25", weights=path)
        cells = [f"{float(restorer(noisy_flat(v), clamp=False).mean()):.3f}" for v in (0.5, 0.98, 1.0)]
        print(f"| {label} | " + " | ".join(cells) + " |")

    net = load("dncnn_color_s25", weights=WEIGHTS["continued to step 12,000"]).net
    batch = torch.cat([torch.stack([dataset[10**9 + i][0] for i in range(15)]), noisy_flat(1.0, 40)])
    with torch.no_grad():
        inference = float(net.eval()(batch)[-1].mean())
        training_mode = float(net.train()(batch)[-1].mean())
    print(f"\nstep 12,000, white 40×40 patch among 15 training patches: {inference:.3f} with running statistics, "
          f"{training_mode:.3f} with the batch's")


if __name__ == "__main__":
    main()
