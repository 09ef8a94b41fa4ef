"""Time to upscale one 256×256 RGB image ×4 (×2, ×3 too), each network against FSRCNN in
the same run: the median of repeated runs after a warm-up, whole image at once (no tiles).

    python benchmarks/sr_speed.py            # prints a Markdown table
"""

from __future__ import annotations

import statistics
import time

import torch

from darkroom.engine.run import choose_model, run_model
from darkroom.tasks import UPSCALE
from darkroom.tasks.upscale import Scale
from darkroom.zoo import load

FAMILIES = ("bicubic", "srcnn", "fsrcnn", "espcn", "edsr")


def seconds(restorer, x: torch.Tensor, repeats: int = 7) -> float:
    with torch.no_grad():
        run_model(UPSCALE, restorer, x, None, tile=0)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            run_model(UPSCALE, restorer, x, None, tile=0)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    x = torch.rand(1, 3, 256, 256, generator=torch.Generator().manual_seed(0))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("| model | ×2 s | ×3 s | ×4 s | ×4 time ÷ FSRCNN |")
    print("|---|---|---|---|---|")
    rows = {}
    for family in FAMILIES:
        rows[family] = {s: seconds(load(choose_model(UPSCALE, family, 3, Scale(s))), x) for s in (2, 3, 4)}
    for family, t in rows.items():
        print(f"| {family} | {t[2]:.3f} | {t[3]:.3f} | {t[4]:.3f} | {t[4] / rows['fsrcnn'][4]:.2f} |")


if __name__ == "__main__":
    main()
