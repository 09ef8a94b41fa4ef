"""Training throughput of the default denoiser on this CPU, by how the cores are used, same run:
one process with 1 thread, one process with all threads, and one 1-thread process per core
running at once (their steps added up).

    python benchmarks/threads.py

A step is fp32 FFDNet-gray (the shipped architecture), batch 16 of 64×64, AdamW; the median of
10 timed steps after 3 warm-up steps.
"""

from __future__ import annotations

import os
import statistics
import time
from multiprocessing import get_context

import torch

from darkroom.nets import FFDNet

STEPS, WARMUP = 10, 3


def steps_per_second(threads: int) -> float:
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = FFDNet(channels=1)
    opt = torch.optim.AdamW(net.parameters(), 1e-3)
    x, sigma = torch.rand(16, 1, 64, 64), torch.rand(16, 1, 1, 1) * 0.3
    times = []
    for i in range(WARMUP + STEPS):
        t0 = time.perf_counter()
        loss = (net(x, sigma) - x).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= WARMUP:
            times.append(time.perf_counter() - t0)
    return 1 / statistics.median(times)


def main() -> None:
    cores = os.cpu_count() or 1
    one = steps_per_second(1)
    every = steps_per_second(cores)
    with get_context("spawn").Pool(cores) as pool:
        side_by_side = sum(pool.map(steps_per_second, [1] * cores))
    print(f"| way of using {cores} cores | steps/s | ÷ one process, {cores} threads |\n|---|---|---|")
    for label, rate in (("one process, 1 thread", one), (f"one process, {cores} threads", every),
                        (f"{cores} processes of 1 thread at once (sum)", side_by_side)):
        print(f"| {label} | {rate:.2f} | {rate / every:.2f} |")


if __name__ == "__main__":
    main()
