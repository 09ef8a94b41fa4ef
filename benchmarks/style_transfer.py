"""Style transfer, both methods, on the same photo in the same run: the time of the shipped
fast networks (Johnson et al.) against the optimisation method (Gatys et al.), the style
loss each reaches, and the README figures (style transfer and DeepDream).

The feature network is whatever ``feature_network()`` finds: on a machine without VGG-19
weights, the random multi-scale filters the shipped styles were trained with.

    python benchmarks/style_transfer.py            # about 30 min on 2 CPU cores
    python benchmarks/style_transfer.py --compare candy runs/style_candy/style_candy.safetensors
        # the style distance at 384 px of the shipped network and of other weights for it (seconds)

Writes benchmarks/results/style_transfer.json, docs/figures/style_transfer.jpg and
docs/figures/dream.jpg; prints the Markdown table of BENCHMARKS.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from darkroom.generate.dream import dream
from darkroom.generate.style import feature_network, gram_matrix, stylize as gatys
from darkroom.io import read_image, write_image
from darkroom.ops import image_grid, to_rgb_batch
from darkroom.verbs import stylize as fast
from darkroom.train import data_root
from darkroom.generate.style import read_style

ROOT = Path(__file__).resolve().parent.parent
STYLES = ("candy", "mosaic")
GATYS_STEPS_FULL = 10  # L-BFGS iterations at full size: enough to time, far from converged
GATYS_STEPS_FIGURE = 100  # at the figure's size, where a result is worth looking at
FIGURE_SIDE = 384


def to_uint8(x: torch.Tensor) -> np.ndarray:
    return (x[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255).round().astype(np.uint8)


def shrink_bilinear(x: torch.Tensor, side: int) -> torch.Tensor:
    """Longest side to ``side`` with antialiased bilinear (the figure's choice, not MATLAB bicubic)."""
    h, w = x.shape[-2:]
    k = side / max(h, w)
    return F.interpolate(x, size=(round(h * k), round(w * k)), mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)


def style_distance(x: torch.Tensor, style: torch.Tensor, features) -> float:
    """The style loss both methods minimise (mean over layers of the Gram matrices' squared error), unweighted."""
    with torch.no_grad():
        a, b = features.net(x, features.style_layers), features.net(style, features.style_layers)
    return sum(float(F.mse_loss(gram_matrix(a[k]), gram_matrix(b[k]))) for k in features.style_layers) / len(features.style_layers)


def main() -> None:
    torch.manual_seed(0)
    features = feature_network()
    print("features:", features.description)
    content_path = data_root() / "fast_neural_style" / "content-images" / "amber.jpg"
    photo = read_image(content_path).pixels
    content = to_rgb_batch(photo)
    megapixels = content.shape[-2] * content.shape[-1] / 1e6
    results: dict = {"content": content_path.name, "size": list(content.shape[-2:]), "megapixels": round(megapixels, 2),
                     "features": features.description, "threads": torch.get_num_threads(), "styles": {}}

    # Full size: the same photo through each method, timed in this run.
    for name in STYLES:
        style = read_style(data_root() / "fast_neural_style" / "style-images" / f"{name}.jpg", 384)
        fast(photo[:64, :64], name)  # warm-up: load weights, allocate
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            styled = fast(photo, name)
            times.append(time.perf_counter() - t0)
        results["styles"][name] = {"fast_s": min(times), "fast_style_distance": style_distance(to_rgb_batch(styled), style, features),
                                   "photo_style_distance": style_distance(content, style, features)}
        print(name, "fast", round(min(times), 2), "s")

    style = read_style(data_root() / "fast_neural_style" / "style-images" / "candy.jpg", max(content.shape[-2:]))
    evaluations = []
    t0 = time.perf_counter()
    gatys(content, style, features, size=max(content.shape[-2:]), steps=GATYS_STEPS_FULL, progress=lambda i, loss: evaluations.append(loss))
    gatys_s = time.perf_counter() - t0
    results["gatys_full"] = {"style": "candy", "lbfgs_iterations": GATYS_STEPS_FULL, "evaluations": len(evaluations),
                             "seconds": gatys_s, "seconds_per_evaluation": gatys_s / len(evaluations)}
    print("gatys full size", round(gatys_s, 1), "s for", len(evaluations), "evaluations")

    # The figure's size: a converged optimisation result beside the networks'.
    small = shrink_bilinear(content, FIGURE_SIDE)
    row = [small]
    for name in STYLES:
        style = read_style(data_root() / "fast_neural_style" / "style-images" / f"{name}.jpg", 384)
        t0 = time.perf_counter()
        optimised = gatys(small, style, features, size=FIGURE_SIDE, steps=GATYS_STEPS_FIGURE)
        t_opt = time.perf_counter() - t0
        t0 = time.perf_counter()
        net_out = to_rgb_batch(fast(to_uint8(small), name))
        t_net = time.perf_counter() - t0
        entry = results["styles"][name]
        entry.update({"figure_side": FIGURE_SIDE, "gatys_figure_s": t_opt, "gatys_figure_steps": GATYS_STEPS_FIGURE,
                      "fast_figure_s": t_net,
                      "gatys_figure_style_distance": style_distance(optimised, style, features),
                      "fast_figure_style_distance": style_distance(net_out, style, features),
                      "photo_figure_style_distance": style_distance(small, style, features)})
        style_tile = F.interpolate(style, size=small.shape[-2:], mode="bilinear", antialias=True, align_corners=False)
        row += [style_tile.clamp(0, 1), optimised, net_out]
        print(name, "figure: gatys", round(t_opt, 1), "s, fast", round(t_net, 2), "s")
    grid = image_grid(torch.cat(row), columns=len(row), padding=4)
    write_image(ROOT / "docs/figures/style_transfer.jpg", to_uint8(grid[None]), overwrite=True)

    dreamt = dream(small, features.net, "convs.random11", octaves=4, steps=20, lr=0.01, seed=0)
    write_image(ROOT / "docs/figures/dream.jpg", to_uint8(image_grid(torch.cat([small, dreamt]), columns=2, padding=4)[None]), overwrite=True)

    for name, r in results["styles"].items():
        r["ratio_gatys_full_to_fast"] = gatys_s / r["fast_s"]
    out = ROOT / "benchmarks/results/style_transfer.json"
    out.write_text(json.dumps(results, indent=1))
    print(f"\n| style | fast network, {results['size'][1]}×{results['size'][0]} | Gatys, {GATYS_STEPS_FULL} L-BFGS iterations, same size | ratio "
          f"| style distance: photo → fast / Gatys {GATYS_STEPS_FIGURE} it. at {FIGURE_SIDE} px |")
    print("|---|---|---|---|---|")
    for name, r in results["styles"].items():
        print(f"| {name} | {r['fast_s']:.2f} s | {gatys_s:.0f} s | {r['ratio_gatys_full_to_fast']:.0f}× | "
              f"{r['photo_figure_style_distance']:.3g} → {r['fast_figure_style_distance']:.3g} / {r['gatys_figure_style_distance']:.3g} |")


@torch.no_grad()
def compare(name: str, weights: str) -> None:
    """The figure's style distance (384 px) of the shipped ``name`` network and of ``weights``."""
    from darkroom.ops.pad import pad_to_multiple
    from darkroom.zoo import build_model, get_card

    torch.manual_seed(0)
    features = feature_network()
    small = shrink_bilinear(to_rgb_batch(read_image(data_root() / "fast_neural_style" / "content-images" / "amber.jpg").pixels),
                            FIGURE_SIDE)
    style = read_style(data_root() / "fast_neural_style" / "style-images" / f"{name}.jpg", 384)
    padded, (h, w) = pad_to_multiple(small, 4)
    print(f"| {name} | style distance at {FIGURE_SIDE} px |\n|---|---|\n| the photo | {style_distance(small, style, features):.3g} |")
    for label, path in (("shipped", None), (weights, weights)):
        net = build_model(get_card(name), weights=path)
        out = net(padded)[..., :h, :w].clamp(0, 1)
        print(f"| {label} | {style_distance(out, style, features):.3g} |")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--compare"]:
        compare(sys.argv[2], sys.argv[3])
    else:
        main()
