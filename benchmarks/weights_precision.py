"""Does storing a shipped weight file in fp16 move its scores? Each learned model is scored
with its weights as stored now and rounded to fp16 (both run in fp32), on its own benchmark:

* denoisers and upscalers: their headline test set through ``darkroom.benchmark.bench``;
* the MNIST classifiers: accuracy on the last 2,000 digits; the denoising autoencoder: PSNR there;
* the VAE, the DCGAN and the style networks, which have no cheap score: the PSNR between the
  two weights' outputs on fixed inputs.

    OMP_NUM_THREADS=1 python benchmarks/weights_precision.py            # the table (docs/lab/weights.md)
    OMP_NUM_THREADS=1 python benchmarks/weights_precision.py --write    # then store in fp16 where every score moved < 0.01
    OMP_NUM_THREADS=1 python benchmarks/weights_precision.py --compute-bf16   # fp32 against bf16 autocast (the cards' bf16 flag)

``--write`` stores a file in fp16 only where every score moved by less than ``--tolerance``
(0.01 dB, or 0.01 percentage points of accuracy) and every output PSNR is above 60 dB.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

import torch

from darkroom.benchmark import bench
from darkroom.io import read_weights, write_weights
from darkroom.tasks import DEHAZE, DEJPEG, DENOISE, ENHANCE, UPSCALE
from darkroom.train import data_root
from darkroom.zoo import build_model, list_models, weights_path

# model: (task, folders, settings, protocol, told); the headline benchmarks of the cards
BENCHES = {
    "ffdnet_gray": (DENOISE, ["BSD68"], [15, 25, 50], None, True),
    "ffdnet_color": (DENOISE, ["CBSD68"], [25], None, True),
    "dncnn_gray_s25": (DENOISE, ["BSD68"], [25], None, True),
    "dncnn_color_s25": (DENOISE, ["CBSD68"], [25], None, True),
    "cbdnet_gray": (DENOISE, ["BSD68"], [15, 25, 50], None, True),
    "cbdnet_color": (DENOISE, ["CBSD68"], [25], "camera", True),
    **{f"arcnn_q{q}": (DEJPEG, ["classic5", "LIVE1_gray"], [q], None, True) for q in (10, 20, 30, 40)},
    # one model for every quality: checked at the two ends of the benchmark's range
    "dncnn3_jpeg": (DEJPEG, ["classic5"], [10, 40], None, True),  # 20 layers at full resolution: LIVE1 twice costs 20 min
    "dejpeg_unet": (DEJPEG, ["classic5", "LIVE1_gray"], [10, 40], None, True),
    "dehazenet": (DEHAZE, ["SOTS_indoor_subset"], [0], None, True),
    "haze_unet": (DEHAZE, ["SOTS_indoor_subset"], [0], None, True),
    **{name: (ENHANCE, ["CBSD68"], [0.1, 0.03], None, True) for name in ("hdrnet_lowlight", "deepupe", "zero_dce", "zero_dce_synthetic")},
}
LIMITS = {"cbdnet_color": 12}


def scores_of(name: str, weights: Path, precision: str = "fp32") -> dict[str, float]:
    card = next(c for c in list_models() if c.name == name)
    if name in BENCHES or card.spec.task == UPSCALE.name:
        task, folders, settings, protocol, told = BENCHES.get(name, (UPSCALE, ["Set5", "Set14"], [card.spec.scale], None, True))
        rows = bench(task, [data_root() / f for f in folders], [name], settings, protocol=protocol, told=told,
                     limit=LIMITS.get(name), weights=weights, precision=precision)
        return {f"{r.data} {task.setting}={r.setting:g} PSNR": r.result.mean_psnr for r in rows}
    if name.startswith("mnist_"):
        from darkroom.recognize import evaluate, load_classifier, to_tensors
        from darkroom.io import read_mnist

        digits = read_mnist(data_root() / "MNIST")
        x, y = to_tensors(digits)
        x, y = x[-2000:], y[-2000:]
        c = load_classifier(weights_path(card.weights))
        c.net.load_state_dict(read_weights(weights)[0])
        return {"MNIST last 2,000 accuracy (%)": 100 * evaluate(c, x, y)[1]}
    return {}


@torch.no_grad()
def outputs_of(name: str, weights: Path) -> torch.Tensor:
    """The network's output on fixed inputs (for models without a cheap score)."""
    card = next(c for c in list_models() if c.name == name)
    net = build_model(card, weights=weights)
    g = torch.Generator().manual_seed(0)
    if hasattr(net, "decode"):
        return net.decode(torch.randn(16, net.latent, generator=g))
    if hasattr(net, "latent"):
        return net(torch.randn(16, net.latent, generator=g))
    if card.spec.in_channels == 1:
        return net(torch.rand(8, 1, 28, 28, generator=g))
    return net(torch.rand(1, 3, 256, 256, generator=g))


def output_psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    mse = float(((a.double() - b.double()) ** 2).mean())
    peak = float(a.max() - a.min())
    return math.inf if mse == 0 else 10 * math.log10(peak**2 / mse)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--write", action="store_true", help="store in fp16 the files whose scores did not move")
    p.add_argument("--tolerance", type=float, default=0.01)
    p.add_argument("--only", nargs="*", help="these models only")
    p.add_argument("--compute-bf16", action="store_true",
                   help="instead: score the stored weights run in fp32 and in bf16 autocast (the cards' bf16 flag)")
    a = p.parse_args()
    if a.compute_bf16:
        return compute_bf16(a.only)
    cards = [c for c in list_models() if c.learned and (not a.only or c.name in a.only)]
    done: set[str] = set()
    print("| model | benchmark | stored weights | fp16 | change |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for card in cards:
            source = weights_path(card.weights)
            tensors, meta = read_weights(source)
            half = Path(tmp) / card.weights
            write_weights(half, tensors, meta, dtype="fp16")
            ok = True
            scores = scores_of(card.name, source)
            if scores:
                rounded = scores_of(card.name, half)
                for k, v in scores.items():
                    change = rounded[k] - v
                    ok &= abs(change) < a.tolerance
                    print(f"| {card.name} | {k} | {v:.4f} | {rounded[k]:.4f} | {change:+.4f} |", flush=True)
            else:
                q = output_psnr(outputs_of(card.name, source), outputs_of(card.name, half))
                ok &= q > 60
                print(f"| {card.name} | output PSNR, fp16 weights against stored | - | {q:.1f} dB | - |", flush=True)
            if a.write and ok and card.weights not in done:
                write_weights(source, tensors, meta, dtype="fp16")
            done.add(card.weights)


def compute_bf16(only: list[str] | None) -> None:
    """Does running a denoiser in bf16 autocast keep its scores? Needs a CPU or GPU with native bf16."""
    import time

    from darkroom.engine import native_bf16

    if not native_bf16("cpu"):
        raise SystemExit("this CPU emulates bf16 (no avx512_bf16 or AMX); the comparison would be meaningless here")
    print("| model | benchmark | fp32 | bf16 | change | bf16 / fp32 time |")
    print("|---|---|---|---|---|---|")
    for name in BENCHES:
        if only and name not in only:
            continue
        card = next(c for c in list_models() if c.name == name)
        seconds, scores = {}, {}
        for precision in ("fp32", "bf16"):
            t0 = time.perf_counter()
            scores[precision] = scores_of(name, weights_path(card.weights), precision)
            seconds[precision] = time.perf_counter() - t0
        for k, v in scores["fp32"].items():
            print(f"| {name} | {k} | {v:.4f} | {scores['bf16'][k]:.4f} | {scores['bf16'][k] - v:+.4f} | "
                  f"{seconds['bf16'] / seconds['fp32']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
