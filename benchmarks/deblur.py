"""Deblurring benchmarks (BENCHMARKS.md, "Deblurring"): one section per command.

    python benchmarks/deblur.py nonblind --sigma 2.55     # Set12 + BSD68, the 8 Levin kernels (IRCNN/DPIR protocol)
    python benchmarks/deblur.py nonblind --sigma 7.65
    python benchmarks/deblur.py motion                    # CBSD68, 8 synthetic camera-shake kernels, colour
    python benchmarks/deblur.py levin                     # Levin09: 4 scenes × 8 real kernels, blind and non-blind
    python benchmarks/deblur.py large                     # a 12-megapixel photo: time and peak memory, blind and non-blind

``--limit N`` scores the first N images of each set (every kernel on each). Times are seconds
per image on this machine, one thread, measured in the same run as the ratios beside them.
Writes benchmarks/results/deblur_<section>.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from darkroom.benchmark import bench
from darkroom.io import data_root, list_images, read_image, read_kernels, write_bytes_atomic
from darkroom.metrics import psnr, ssim
from darkroom.ops import to_batch
from darkroom.tasks import DEBLUR

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
KERNELS = list(range(1, 9))


def table(rows, reference: str) -> list[dict]:
    """Mean over the kernels of each (model, set): PSNR, SSIM, seconds, and time ÷ reference."""
    out = []
    for model in dict.fromkeys(r.label for r in rows):
        for data in dict.fromkeys(r.data for r in rows):
            cells = [r for r in rows if r.label == model and r.data == data]
            ref = [r for r in rows if r.label == reference and r.data == data]
            secs = float(np.mean([c.result.mean_seconds for c in cells]))
            ref_secs = float(np.mean([c.result.mean_seconds for c in ref])) if ref else float("nan")
            out.append({"model": model, "data": data, "psnr": float(np.mean([c.result.mean_psnr for c in cells])),
                        "ssim": float(np.mean([c.result.mean_ssim for c in cells])), "seconds": secs,
                        "time_ratio": secs / ref_secs, "per_kernel": [round(c.result.mean_psnr, 2) for c in cells]})
    return out


def show(rows: list[dict], reference: str) -> None:
    print(f"| model | data | PSNR / SSIM (mean of 8 kernels) | kernels 1–8 PSNR | s/image | time ÷ {reference} |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['data']} | {r['psnr']:.2f} / {r['ssim']:.4f} | {' '.join(f'{p:.2f}' for p in r['per_kernel'])} "
              f"| {r['seconds']:.3f} | {r['time_ratio']:.3g} |", flush=True)


def nonblind(sigma: float, limit: int | None) -> list[dict]:
    models = ["blurred", "wiener", "richardson_lucy", "unsupervised_wiener", "pnp_ffdnet_gray"]
    rows = bench(DEBLUR, [data_root() / "Set12", data_root() / "BSD68"], models, KERNELS, protocol=f"levin_s{sigma:g}",
                 limit=limit, precision="fp32")
    return table(rows, "wiener")


def motion(limit: int | None) -> list[dict]:
    models = ["blurred", "wiener", "pnp_ffdnet_color", "deepdeblur"]
    rows = bench(DEBLUR, [data_root() / "CBSD68"], models, KERNELS, protocol="motion", limit=limit, precision="fp32")
    return table(rows, "wiener")


def shift_tolerant(out: torch.Tensor, truth: torch.Tensor, reach: int = 5, border: int = 15) -> tuple[float, float]:
    """PSNR and SSIM at the best integer shift within ±``reach`` pixels (Levin et al.'s
    comparison, as SelfDeblur scores Levin09: the blur's centre is unknown to a blind method),
    ``border`` pixels left out."""
    best = (-1.0, 0.0)
    h, w = truth.shape[-2:]
    core = truth[..., border : h - border, border : w - border]
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            moved = out[..., border + dy : h - border + dy, border + dx : w - border + dx]
            p = float(psnr(moved, core))
            if p > best[0]:
                best = (p, float(ssim(moved, core, data_range=1.0)))
    return best


def levin() -> list[dict]:
    """Levin09's files fit the kernels of ``Levin09.mat`` turned by 180°: each sharp image blurred
    by a kernel as stored matches its blurred file less well than by the turned kernel (the
    mean shift-tolerant PSNR of the two is printed first), so non-blind methods are told the
    turned kernel."""
    from darkroom.degrade import blur
    from darkroom.ops.fourier import estimate_kernel
    from darkroom.verbs import deblur

    root = data_root() / "Levin09"
    stored = read_kernels(data_root() / "blur_kernels" / "Levin09.mat")
    fits = {"as stored": [], "turned 180°": []}
    for scene in range(1, 5):
        truth, _ = to_batch(read_image(root / "gt" / f"im{scene}.png").pixels)
        for k in range(1, 9):
            blurred, _ = to_batch(read_image(root / f"im{scene}_kernel{k}_img.png").pixels)
            for name, kernel in (("as stored", stored[k - 1]), ("turned 180°", stored[k - 1][::-1, ::-1])):
                simulated = blur(truth, torch.from_numpy(np.ascontiguousarray(kernel)).float())
                fits[name].append(shift_tolerant(simulated, blurred)[0])
    print("sharp image blurred by the kernel, against the blurred file: "
          + ", ".join(f"{name} {np.mean(v):.2f} dB" for name, v in fits.items()), flush=True)
    kernels = [np.ascontiguousarray(k[::-1, ::-1]) for k in stored]
    scores: dict[str, list] = {}
    for scene in range(1, 5):
        truth, _ = to_batch(read_image(root / "gt" / f"im{scene}.png").pixels)
        for k in range(1, 9):
            blurred = read_image(root / f"im{scene}_kernel{k}_img.png").pixels
            runs = {
                "blurred": lambda: blurred,
                "deepdeblur (blind)": lambda: deblur(blurred),
                "kernel path: deepdeblur → estimated kernel → pnp_ffdnet_gray": lambda: deblur(
                    blurred, estimate_kernel(to_batch(blurred)[0], to_batch(deblur(blurred))[0], 31).numpy()),
                "wiener, true kernel": lambda: deblur(blurred, kernels[k - 1], model="wiener"),
                "pnp_ffdnet_gray, true kernel": lambda: deblur(blurred, kernels[k - 1]),
            }
            for name, run in runs.items():
                t0 = time.perf_counter()
                out, _ = to_batch(run())
                seconds = time.perf_counter() - t0
                scores.setdefault(name, []).append((*shift_tolerant(out.clamp(0, 1), truth), seconds))
    rows = [{"model": name, "data": "Levin09", "psnr": float(np.mean([s[0] for s in v])), "ssim": float(np.mean([s[1] for s in v])),
             "seconds": float(np.mean([s[2] for s in v])), "images": len(v)} for name, v in scores.items()]
    rows.append({"forward_fit_db": {name: float(np.mean(v)) for name, v in fits.items()}})
    for r in rows[:-1]:
        print(f"| {r['model']} | {r['psnr']:.2f} / {r['ssim']:.4f} | {r['seconds']:.2f} |", flush=True)
    return rows


LARGE_RUN = """
import resource, sys, time
import numpy as np
from darkroom.io import read_image, write_image
from darkroom.verbs import deblur
image = read_image(sys.argv[1]).pixels
kernel = np.load(sys.argv[3]) if len(sys.argv) > 3 else None
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
out = deblur(image, kernel, None if sys.argv[2] == "default" else sys.argv[2])
seconds = time.perf_counter() - t0
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, before / 2**20)
"""


MAKE_LARGE = """
import sys
import numpy as np
from darkroom.degrade import blur
from darkroom.io import read_image, write_image
from darkroom.ops import imresize, to_batch
from darkroom.tasks.deblur import motion_kernels
x, _ = to_batch(read_image(sys.argv[1]).pixels)
photo = blur(imresize(x, size=(3000, 4000)).clamp(0, 1), motion_kernels()[0])
write_image(sys.argv[2], (photo[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8))
np.save(sys.argv[3], motion_kernels()[0].numpy())
"""


def large() -> list[dict]:
    """A 12-megapixel photo (a CBSD68 image resized to 4000×3000, blurred by the motion
    protocol's first kernel, 8-bit PNG), deblurred blind, by Wiener and by plug-and-play given
    the kernel, each in its own process (as ``darkroom deblur`` would run) that reports its own
    peak resident memory. The photo is made in a process of its own too: Linux carries a
    process's high-water mark across exec, so the parent must stay small."""
    import tempfile

    name = sorted(p.name for p in list_images([data_root() / "CBSD68"]))[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path, kernel_path = Path(tmp) / "large.png", Path(tmp) / "kernel.npy"
        subprocess.run([sys.executable, "-c", MAKE_LARGE, str(data_root() / "CBSD68" / name), str(path), str(kernel_path)],
                       check=True)
        for model, extra in (("deepdeblur", []), ("wiener", [str(kernel_path)]), ("pnp_ffdnet_color", [str(kernel_path)])):
            done = subprocess.run([sys.executable, "-c", LARGE_RUN, str(path), model, *extra], capture_output=True, text=True,
                                  check=True)
            seconds, peak, before = (float(v) for v in done.stdout.split()[-3:])
            rows.append({"model": model, "data": f"12 MP ({name} resized to 4000×3000)", "seconds": seconds, "peak_gib": peak,
                         "peak_after_reading_gib": before})
            print(f"| {model} | {seconds:.1f} s | {peak:.2f} GiB peak ({before:.2f} GiB after reading the photo) |", flush=True)
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("section", choices=("nonblind", "motion", "levin", "large"))
    p.add_argument("--sigma", type=float, default=2.55, choices=(2.55, 7.65))
    p.add_argument("--limit", type=int, default=None, help="the first N images of each set")
    a = p.parse_args()
    torch.set_num_threads(1)
    if a.section == "nonblind":
        rows = nonblind(a.sigma, a.limit)
        show(rows, "wiener")
        name = f"nonblind_s{a.sigma:g}"
    elif a.section == "motion":
        rows = motion(a.limit)
        show(rows, "wiener")
        name = "motion"
    elif a.section == "levin":
        rows, name = levin(), "levin"
    else:
        rows, name = large(), "large"
    RESULTS.mkdir(exist_ok=True)
    write_bytes_atomic(RESULTS / f"deblur_{name}.json", json.dumps({"limit": a.limit, "rows": rows}, indent=1).encode())


if __name__ == "__main__":
    main()
