"""Training-step time of a network with fp32 and with bf16 autocast, same run.

    python benchmarks/bf16_vs_fp32.py                                  # the default denoiser, batch 32 of 64×64
    OMP_NUM_THREADS=1 python benchmarks/bf16_vs_fp32.py --recipe recipes/arcnn_q10.toml   # a recipe's network and batch

Without a recipe it times the FFDNet the README cites (2 threads, batch 32 of 64×64); with one,
the recipe's network on a batch of the recipe's size (random pixels: the time, not the loss,
is measured). On a CPU without avx512_bf16 or AMX bf16 is emulated and much slower, which is
why recipes ask for ``precision = "auto"`` (bf16 only where it is native).
"""

import argparse
import time

import torch

from darkroom.nets import FAMILIES, FFDNet
from darkroom.train import Recipe


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--recipe", help="time this recipe's network and batch instead")
    p.add_argument("--steps", type=int, default=3, help="timed steps (after two untimed ones)")
    a = p.parse_args()
    if a.recipe:
        r = Recipe.from_toml(a.recipe)
        make, family = (lambda: FAMILIES[r.arch](**r.arch_kwargs)), FAMILIES[r.arch]
        shape, conditioned, what = (r.batch, r.channels, r.patch, r.patch), family.conditioned, f"{r.name}, batch {r.batch} of {r.patch}×{r.patch}"
    else:
        torch.set_num_threads(2)
        make, shape, conditioned, what = (lambda: FFDNet(channels=1)), (32, 1, 64, 64), True, "ffdnet, batch 32 of 64×64"
    # a recipe trains in NHWC (darkroom.train.loop); the README's FFDNet timing was made in NCHW
    memory_format = torch.channels_last if a.recipe else torch.contiguous_format
    x = torch.rand(*shape).contiguous(memory_format=memory_format)
    level = torch.rand(shape[0], 1, 1, 1)
    times = {}
    for precision in ("fp32", "bf16"):
        torch.manual_seed(0)
        net = make().to(memory_format=memory_format)
        opt = torch.optim.AdamW(net.parameters(), 1e-3)
        for i in range(2 + a.steps):
            if i == 2:
                t0 = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
                y = net(x, level) if conditioned else net(x)
            loss = (y.float() - x).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        times[precision] = (time.perf_counter() - t0) / a.steps
        print(f"{precision}: {times[precision]:.3f} s per step ({what})")
    print(f"bf16 / fp32 time: {times['bf16'] / times['fp32']:.2f}×")


if __name__ == "__main__":
    main()
