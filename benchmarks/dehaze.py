"""Dehazing benchmarks (BENCHMARKS.md, "Dehazing"): one section per command.

    python benchmarks/dehaze.py sots      # SOTS-indoor subset: 50 pairs, every dehazer, PSNR/SSIM, time ÷ DCP, by haze level
    python benchmarks/dehaze.py levels    # the by-level table again, from benchmarks/results/dehaze_sots.json
    python benchmarks/dehaze.py bright    # the prior against its per-pixel patch-size variant on the bright, white scenes
    python benchmarks/dehaze.py clear     # clear photos (CBSD68, SOTS's clear frames) through each dehazer: should pass unchanged
    python benchmarks/dehaze.py speed     # a 1-megapixel photo: seconds per image, default ÷ DCP
    python benchmarks/dehaze.py large     # a 12-megapixel photo: time and peak memory of every dehazer
    python benchmarks/dehaze.py figure    # docs/figures/dehaze_real.jpg: real hazy photos, results and transmission maps

Times are seconds per image on this machine, one thread, measured in the same run as the
ratios beside them. Writes benchmarks/results/dehaze_<section>.json. No model, threshold or
checkpoint here was chosen on these images.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

import peak_memory
from darkroom.benchmark import bench
from darkroom.io import data_root, list_images, read_image, write_bytes_atomic
from darkroom.metrics import psnr
from darkroom.ops import to_batch
from darkroom.tasks import DEHAZE

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
MODELS = ["hazy", "clahe", "dcp", "dcp_multipatch", "dehazenet", "haze_unet"]
# full SOTS-indoor (500 pairs), as published; our subset is 50 of those pairs (25 scenes × 2 haze levels)
_RESIDE = "RESIDE's SOTS table (Li et al., 'Benchmarking Single-Image Dehazing and Beyond', TIP 2019)"
PUBLISHED = {
    "dcp": f"16.62 / 0.818, {_RESIDE}",
    "dehazenet": f"21.14 / 0.847, {_RESIDE}; 19.82 when retrained by the gUNet authors (Song et al., 2022)",
    "aod-net": f"19.06 / 0.850, {_RESIDE}",
    "griddehazenet": "32.16 / 0.984 (Liu et al., ICCV 2019)",
    "ffa-net": "36.39 / 0.989 (Qin et al., AAAI 2020)",
}


def sots(limit: int | None) -> list[dict]:
    rows = bench(DEHAZE, [data_root() / "SOTS_indoor_subset"], MODELS, [0], limit=limit, precision="fp32")
    ref = next(r for r in rows if r.label == "dcp").result.mean_seconds
    out = [{"model": r.label, "parameters": r.parameters, "psnr": r.result.mean_psnr, "ssim": r.result.mean_ssim,
            "seconds": r.result.mean_seconds, "time_ratio": r.result.mean_seconds / ref,
            "per_image": {s.image: round(s.psnr, 3) for s in r.result.images}} for r in rows]
    print("| model | parameters | PSNR / SSIM (RGB) | s/image | time ÷ dcp | published, full SOTS-indoor |")
    print("|---|---|---|---|---|---|")
    for r in out:
        print(f"| {r['model']} | {r['parameters']:,} | {r['psnr']:.2f} / {r['ssim']:.4f} | {r['seconds']:.3f} | "
              f"{r['time_ratio']:.3g} | {PUBLISHED.get(r['model'], '-')} |", flush=True)
    for name in ("aod-net", "griddehazenet", "ffa-net"):
        print(f"| {name} | | | | | {PUBLISHED[name]} |")
    levels(out)
    return out


def levels(rows: list[dict] | None = None) -> list[dict]:
    """The SOTS rows (those just measured, else benchmarks/results/dehaze_sots.json) by haze level
    (the file names' suffix), and the spread of the default against the prior, image by image."""
    if rows is None:
        rows = json.loads((RESULTS / "dehaze_sots.json").read_text())["rows"]
    out = []
    for r in rows:
        means = {}
        for level in ("3", "8"):
            scores = [p for name, p in r["per_image"].items() if name.endswith(f"_{level}.png")]
            means[level] = float(np.mean(scores))
        out.append({"model": r["model"], "level_3": means["3"], "level_8": means["8"]})
        print(f"| {r['model']} | {means['3']:.2f} | {means['8']:.2f} |")
    prior, default = (next(r["per_image"] for r in rows if r["model"] == m) for m in ("dcp", "haze_unet"))
    gaps = [default[name] - prior[name] for name in prior]
    print(f"haze_unet − dcp per image: {min(gaps):+.2f} to {max(gaps):+.2f} dB")
    out.append({"haze_unet_minus_dcp_min": min(gaps), "haze_unet_minus_dcp_max": max(gaps)})
    return out


def whiteness(path: Path) -> float:
    """The fraction of a clear frame's pixels that are bright in every channel (min ≥ 0.7): white
    walls, ceilings, sheets, where the dark channel prior's assumption fails."""
    x, _ = to_batch(read_image(path).pixels)
    return float((x.amin(1) >= 0.7).float().mean())


def bright(limit: int | None) -> list[dict]:
    """The scenes whose clear frame is the whitest third (by ``whiteness``, a property of the
    scene, not of any method's score), fixed-patch DCP against the per-pixel variant."""
    root = data_root() / "SOTS_indoor_subset"
    names = sorted(p.name for p in list_images([root / "GT"]))
    ranked = sorted(names, key=lambda n: -whiteness(root / "GT" / n))
    chosen = set(ranked[: len(ranked) // 3])
    rows = bench(DEHAZE, [root], ["dcp", "dcp_multipatch"], [0], limit=limit, precision="fp32")
    out = []
    for r in rows:
        for subset, keep in (("bright, white third", lambda n: n in chosen), ("the rest", lambda n: n not in chosen)):
            scores = [s.psnr for s in r.result.images if keep(s.image)]
            out.append({"model": r.label, "scenes": subset, "images": len(scores), "psnr": float(np.mean(scores))})
            print(f"| {r.label} | {subset} ({len(scores)} images) | {np.mean(scores):.2f} |", flush=True)
    return out


CLEAR_PASS_DB = 25.0  # the dehazing issue's bar for a clear photo passing through


def clear() -> list[dict]:
    """Clear photos through each dehazer: PSNR of the output to its input (8-bit), as a median
    (an untouched photo scores +∞, which a mean cannot carry), the worst photo, and the share
    of photos at 25 dB or more."""
    from darkroom.verbs import dehaze

    sets = {"CBSD68": list_images([data_root() / "CBSD68"]),
            "SOTS clear frames (25 scenes)": sorted(list_images([data_root() / "SOTS_indoor_subset" / "GT"]))[::2]}
    out = []
    for model in MODELS[1:]:
        for name, paths in sets.items():
            scores = []
            for p in paths:
                image = read_image(p).pixels
                scores.append(float(psnr(to_batch(dehaze(image, model=model))[0], to_batch(image)[0])))
            share = float(np.mean(np.array(scores) >= CLEAR_PASS_DB))
            out.append({"model": model, "data": name, "median_psnr": float(np.median(scores)), "min_psnr": float(np.min(scores)),
                        "share_at_least_25db": share, "images": len(scores)})
            print(f"| {model} | {name} | {np.median(scores):.2f} | {np.min(scores):.2f} | {100 * share:.0f} % |", flush=True)
    return out


def photo(pixels: int, seed: int = 0) -> np.ndarray:
    """A hazy test photo of about ``pixels`` pixels: a SOTS hazy frame resized (bicubic), 8-bit."""
    from darkroom.ops import imresize

    x, _ = to_batch(read_image(data_root() / "SOTS_indoor_subset" / "hazy" / "1400_3.png").pixels)
    h, w = x.shape[-2:]
    scale = (pixels / (h * w)) ** 0.5
    big = imresize(x, size=(round(h * scale), round(w * scale))).clamp(0, 1)
    return (big[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)


def speed() -> list[dict]:
    """Seconds per 1-megapixel photo (best of 3, after one warm-up), every dehazer in one run."""
    from darkroom.verbs import dehaze

    image = photo(1_000_000)
    times = {}
    for model in MODELS[1:]:
        dehaze(image, model=model)
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            dehaze(image, model=model)
            runs.append(time.perf_counter() - t0)
        times[model] = min(runs)
    out = [{"model": m, "pixels": image.shape[0] * image.shape[1], "seconds": s, "time_ratio_to_dcp": s / times["dcp"]}
           for m, s in times.items()]
    for r in out:
        print(f"| {r['model']} | {r['seconds']:.3f} s | {r['time_ratio_to_dcp']:.3g} |", flush=True)
    return out


def large() -> list[dict]:
    """A 12-megapixel hazy photo (a SOTS frame resized to 4000×2967), each dehazer in its own
    process that reports its own peak resident memory; the photo is made in another process, as
    Linux carries a process's high-water mark across exec."""
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.npy"
        peak_memory.make_photo(path, "dehaze", 12_000_000)
        for model in MODELS[1:]:
            seconds, peak, before = peak_memory.run(path, "dehaze", model)
            rows.append({"model": model, "seconds": seconds, "peak_gib": peak, "peak_after_reading_gib": before})
            print(f"| {model} | {seconds:.1f} s | {peak:.2f} GiB peak ({before:.2f} GiB after reading the photo) |", flush=True)
    return rows


FIGURE_PHOTOS = ("canyon.png", "gugong.bmp", "test2.jpg", "test14.jpg")


def figure() -> list[dict]:
    """Rows of real hazy photos (``hazy_real``, no ground truth): the input, DCP, DehazeNet and
    the default, then the three transmission maps; each photo shrunk to 300 px high."""
    from darkroom.io import write_image
    from darkroom.ops import imresize
    from darkroom.verbs import dehaze, haze_transmission

    rows = []
    for name in FIGURE_PHOTOS:
        image = read_image(data_root() / "hazy_real" / name).pixels[..., :3]
        x, _ = to_batch(image)
        small = imresize(x, size=(300, round(300 * x.shape[-1] / x.shape[-2]))).clamp(0, 1)
        img = (small[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
        panels = [img] + [dehaze(img, model=m) for m in ("dcp", "dehazenet", "haze_unet")]
        panels += [np.repeat((haze_transmission(img, m)[..., None] * 255).round().astype(np.uint8), 3, 2)
                   for m in ("dcp", "dehazenet", "haze_unet")]
        gap = np.full((img.shape[0], 4, 3), 255, np.uint8)
        rows.append(np.concatenate([p for panel in panels for p in (panel, gap)][:-1], axis=1))
    width = max(r.shape[1] for r in rows)
    rows = [np.pad(r, ((0, 4), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows]
    write_image(ROOT / "docs" / "figures" / "dehaze_real.jpg", np.concatenate(rows, 0), overwrite=True, quality=82)
    return [{"photos": list(FIGURE_PHOTOS), "columns": ["input", "dcp", "dehazenet", "haze_unet", "t: dcp", "t: dehazenet",
                                                        "t: haze_unet"]}]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("section", choices=("sots", "levels", "bright", "clear", "speed", "large", "figure"))
    p.add_argument("--limit", type=int, default=None, help="the first N pairs")
    a = p.parse_args()
    torch.set_num_threads(1)
    sections = {"sots": lambda: sots(a.limit), "levels": levels, "bright": lambda: bright(a.limit), "clear": clear, "speed": speed,
                "large": large, "figure": figure}
    rows = sections[a.section]()
    RESULTS.mkdir(exist_ok=True)
    write_bytes_atomic(RESULTS / f"dehaze_{a.section}.json", json.dumps({"limit": a.limit, "rows": rows}, indent=1).encode())


if __name__ == "__main__":
    main()
