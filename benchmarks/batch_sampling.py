"""How long one training batch takes to make, per-sample (``PairedPatches``, what CPU runs use)
against whole-batch (``DeviceBatches``, what the GPU recipes use), on this machine's CPU, in one
run: 128 gray patches of 96×96 from Train400 with AWGN, as ``recipes/ffdnet_gray_gpu.toml`` draws
them. Median of 7 batches after one warm-up; one thread.

    OMP_NUM_THREADS=1 python benchmarks/batch_sampling.py
"""

import statistics
import time

import torch

from darkroom.train import PairedPatches, build_degradation, data_root, load_folder_images
from darkroom.train.device_batches import DeviceBatches
from darkroom.train.loop import stacked


def median_seconds(make, runs: int = 7) -> float:
    make(0)
    times = []
    for i in range(1, runs + 1):
        start = time.perf_counter()
        make(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    torch.set_num_threads(1)
    images = load_folder_images([data_root() / "Train400"], 1)
    sigma = ((0, 30), (0, 75))
    batch, patch = 128, 96
    per_sample = PairedPatches(images, build_degradation({"kind": "gaussian", "sigma": [[0, 30], [0, 75]]}), patch=patch,
                               seed=0, condition="sigma")
    whole = DeviceBatches(images, sigma, patch=patch, batch=batch, seed=0, device="cpu")
    slow = median_seconds(lambda i: stacked((per_sample[i * batch + j] for j in range(batch)), torch.device("cpu")))
    fast = median_seconds(whole)
    print("| sampler | ms per batch of 128 × 96×96 | time ÷ PairedPatches |\n|---|---|---|")
    print(f"| PairedPatches, one sample at a time | {1000 * slow:.1f} | 1 |")
    print(f"| DeviceBatches, one gather (on the CPU here) | {1000 * fast:.1f} | {fast / slow:.2f} |")


if __name__ == "__main__":
    main()
