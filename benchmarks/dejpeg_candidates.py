"""Inference time of the quality-conditioned U-Net at the sizes considered for the JPEG default,
against ARCNN, on one 512×512 image, one thread, fp32 and bf16 autocast, NHWC, random weights
(the time, not the output, is measured). The shipped ``dejpeg_unet`` is features 48, blocks (2, 4, 2).

    OMP_NUM_THREADS=1 python benchmarks/dejpeg_candidates.py
"""

import time

import torch

from darkroom.nets import ARCNN, QualityUNet

CANDIDATES = [(48, (2, 4, 2)), (48, (2, 6, 2)), (64, (2, 4, 2)), (32, (2, 6, 2)), (48, (1, 6, 1))]


def seconds(net: torch.nn.Module, args: tuple, bf16: bool, repeats: int = 3) -> float:
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        net(*args)
        t0 = time.perf_counter()
        for _ in range(repeats):
            net(*args)
    return (time.perf_counter() - t0) / repeats


def main() -> None:
    torch.set_num_threads(1)
    gray = torch.rand(1, 1, 512, 512).contiguous(memory_format=torch.channels_last)
    colour = torch.rand(1, 3, 512, 512).contiguous(memory_format=torch.channels_last)
    quality = torch.full((1, 1, 1, 1), 0.1)
    nets = {"arcnn": (ARCNN(channels=1, residual=True), (gray,))}
    for features, blocks in CANDIDATES:
        nets[f"quality_unet {features} {blocks}"] = (QualityUNet(features=features, blocks=blocks), (colour, quality))
    print("| network | parameters | fp32 (ms) | bf16 (ms) |")
    print("|---|---|---|---|")
    for name, (net, args) in nets.items():
        net = net.eval().to(memory_format=torch.channels_last)
        params = sum(p.numel() for p in net.parameters())
        print(f"| {name} | {params:,} | {1000 * seconds(net, args, False):.0f} | {1000 * seconds(net, args, True):.0f} |", flush=True)


if __name__ == "__main__":
    main()
