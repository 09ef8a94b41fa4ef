"""Which networks run faster in NHWC ("channels last") memory order on this CPU, same run.

oneDNN, PyTorch's x86 convolution backend, computes 3×3 convolutions in a blocked channels-last
layout; an NCHW tensor is reordered into it and back at every layer. ``ModelSpec.channels_last``
(set on the cards that gain here) hands the network NHWC tensors instead, and the trainer
(``darkroom.train.loop``) trains in NHWC. The order changes speed, not results: the last column
is the largest output difference between the two orders (float rounding only).

Two tables, one thread, each time the median of interleaved runs (NCHW, NHWC, NCHW, ...):
1. inference through the engine (``Restorer``, whole image, no tile) for every zoo network:
   a 481×321 photo for the denoisers, a 160×160 input for the ×2/×3/×4 upscalers, 256×256 for
   the style networks;
2. one training step (forward, backward, AdamW) of the two denoiser recipes' shapes.

    python benchmarks/memory_format.py            # about 3 minutes on one core
"""

from __future__ import annotations

import dataclasses
import statistics
import time

import torch

from darkroom.engine import Restorer
from darkroom.nets import DnCNN, FFDNet
from darkroom.zoo.registry import build_model, list_models

REPEATS = 7


def interleaved_medians(first, second) -> tuple[float, float]:
    first(), second()  # warm-up: oneDNN builds its kernels on the first call
    a, b = [], []
    for _ in range(REPEATS):
        for fn, times in ((first, a), (second, b)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(a), statistics.median(b)


def sample_input(card) -> tuple[torch.Tensor, torch.Tensor | None]:
    g = torch.Generator().manual_seed(0)
    channels = card.spec.in_channels or 3
    size = {"denoise": (322, 482), "upscale": (160, 160)}.get(card.spec.task, (256, 256))
    x = torch.rand(1, channels, *size, generator=g)
    return x, (torch.full((1, 1, 1, 1), 25 / 255) if card.spec.conditioned else None)


def inference_rows() -> list[str]:
    rows = []
    for card in list_models():
        if card.weights is None:  # interpolation and classical filters have no convolutions to reorder
            continue
        x, cond = sample_input(card)
        runs = []
        for order in (False, True):
            restorer = Restorer(build_model(card), dataclasses.replace(card.spec, channels_last=order))
            runs.append(lambda r=restorer: r(x, cond, tile=0, clamp=False))
        nchw, nhwc = interleaved_medians(*runs)
        diff = float((runs[0]() - runs[1]()).abs().max())
        rows.append(f"| {card.name} | {'yes' if card.spec.channels_last else 'no'} | {nchw:.3f} | {nhwc:.3f} | {nchw / nhwc:.2f} | {diff:.1e} |")
    return rows


def training_step(net: torch.nn.Module, inputs: list[torch.Tensor], order: torch.memory_format):
    net = net.to(memory_format=order)
    inputs = [t.contiguous(memory_format=order) for t in inputs]
    optimizer = torch.optim.AdamW(net.parameters(), 1e-4)

    def step():
        loss = (net(*inputs) - inputs[0]).abs().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def training_rows() -> list[str]:
    g = torch.Generator().manual_seed(0)
    shapes = {
        "ffdnet_gray recipes (batch 8 of 96×96, σ map)": (lambda: FFDNet(channels=1),
                                                          [torch.rand(8, 1, 96, 96, generator=g), torch.rand(8, 1, 1, 1, generator=g) * 0.3]),
        "dncnn_color_s25 recipe (batch 16 of 40×40 RGB)": (lambda: DnCNN(channels=3, depth=20),
                                                            [torch.rand(16, 3, 40, 40, generator=g)]),
    }
    rows = []
    for label, (make, inputs) in shapes.items():
        torch.manual_seed(0)
        steps = [training_step(make(), inputs, order) for order in (torch.contiguous_format, torch.channels_last)]
        nchw, nhwc = interleaved_medians(*steps)
        rows.append(f"| {label} | {nchw:.3f} | {nhwc:.3f} | {nchw / nhwc:.2f} |")
    return rows


def main() -> None:
    torch.set_num_threads(1)
    print("| network | channels last in its card | NCHW s | NHWC s | speed-up | largest difference |")
    print("|---|---|---|---|---|---|")
    print("\n".join(inference_rows()))
    print("\n| training step | NCHW s | NHWC s | speed-up |\n|---|---|---|---|")
    print("\n".join(training_rows()))


if __name__ == "__main__":
    main()
