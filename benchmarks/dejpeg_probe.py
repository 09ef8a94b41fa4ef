"""Score an ARCNN training run's checkpoint on the JPEG protocol (classic5 and LIVE1, gray,
PSNR / SSIM / PSNR-B), for runs that have no zoo card yet: the probe runs of
docs/lab/dejpeg.md (train with the recipe printed there, ``darkroom train FILE``).

    OMP_NUM_THREADS=1 python benchmarks/dejpeg_probe.py runs/arcnn_q10_residual_probe --residual --quality 10
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from darkroom.benchmark import run_benchmark
from darkroom.io import read_weights
from darkroom.nets import ARCNN
from darkroom.tasks import DEJPEG
from darkroom.train import data_root


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run", type=Path, help="a run folder holding checkpoint.pt")
    p.add_argument("--residual", action="store_true", help="the run's ARCNN adds its input back")
    p.add_argument("--quality", type=int, default=10)
    a = p.parse_args()
    checkpoint = a.run / "checkpoint.pt"
    net = ARCNN(channels=1, residual=a.residual).eval()
    net.load_state_dict(read_weights(checkpoint)[0])  # the EMA weights, as the trainer exports them
    step = torch.load(checkpoint, weights_only=True)["step"]
    print("| run | steps | data | PSNR / SSIM / PSNR-B |")
    print("|---|---|---|---|")
    for data in ("classic5", "LIVE1_gray"):
        with torch.no_grad():
            r = run_benchmark(DEJPEG, data_root() / data, a.run.name, net, setting=a.quality)
        print(f"| {a.run.name} | {step} | {data} | {r.mean_psnr:.2f} / {r.mean_ssim:.4f} / {r.mean_psnrb:.2f} |", flush=True)


if __name__ == "__main__":
    main()
