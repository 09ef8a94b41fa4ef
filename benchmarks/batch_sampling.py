"""How long one training batch of ``recipes/ffdnet_gray_gpu.toml`` (128 gray patches of 96×96
from its photos, AWGN) takes to make on this machine's CPU, by each sampler the trainer can use
(``darkroom.train.pixel.batch_maker``), in one run: per sample (``PairedPatches``, what CPU recipes
use) and whole-batch (``DeviceBatches``, what the GPU recipes use). Median of 7 batches after one
warm-up; one thread.

    OMP_NUM_THREADS=1 python benchmarks/batch_sampling.py
"""

import dataclasses
import statistics
import time

import torch

from darkroom.train import Recipe
from darkroom.train.pixel import batch_maker, recipe_data


def median_seconds(batch_at, batch: int, runs: int = 7) -> float:
    batch_at(0)
    times = []
    for i in range(1, runs + 1):
        start = time.perf_counter()
        batch_at(i * batch)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    torch.set_num_threads(1)
    r = Recipe.from_toml("recipes/ffdnet_gray_gpu.toml")
    images, _ = recipe_data(r)
    cpu = torch.device("cpu")
    seconds = {sampler: median_seconds(batch_maker(dataclasses.replace(r, sampler=sampler), images, cpu), r.batch)
               for sampler in ("per_sample", "device")}
    per_sample = seconds["per_sample"]
    print(f"| sampler | ms per batch of {r.batch} × {r.patch}×{r.patch} | time ÷ per sample |\n|---|---|---|")
    print(f"| PairedPatches, one sample at a time | {1000 * per_sample:.1f} | 1 |")
    print(f"| DeviceBatches, one gather (on the CPU here) | {1000 * seconds['device']:.1f} | {seconds['device'] / per_sample:.2f} |")


if __name__ == "__main__":
    main()
