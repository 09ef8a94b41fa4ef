"""Training-step time of the default denoiser with fp32 and with bf16 autocast, same run.

    python benchmarks/bf16_vs_fp32.py

On this project's CPU (AMD EPYC without avx512_bf16) bf16 is emulated and much slower, which
is why the recipes train in fp32.
"""

import time

import torch

from darkroom.nets import FFDNet

torch.set_num_threads(2)
x = torch.rand(32, 1, 64, 64)
sigma = torch.rand(32, 1, 1, 1)
times = {}
for precision in ("fp32", "bf16"):
    torch.manual_seed(0)
    net = FFDNet(channels=1)
    opt = torch.optim.AdamW(net.parameters(), 1e-3)
    for i in range(5):
        if i == 2:
            t0 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            y = net(x, sigma)
        loss = (y.float() - x).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    times[precision] = (time.perf_counter() - t0) / 3
    print(f"{precision}: {times[precision]:.2f} s per step (batch 32 of 64×64)")
print(f"bf16 / fp32 time: {times['bf16'] / times['fp32']:.1f}×")
