"""Every shipped weight file's network run on one fixed input, saved so that two versions
of darkroom can be compared output for output.

A refactor must leave the outputs bit-identical where the weights did not change; where
weights were stored at a lower precision, ``--compare`` gives the PSNR between the two
outputs (how far the stored weights moved the result):

    python benchmarks/zoo_fingerprint.py --save before.npz       # on the old commit
    python benchmarks/zoo_fingerprint.py --compare before.npz    # on the new one

The networks are built straight from the weight files (``darkroom.io.read_weights``
casts them to fp32), so the script reads the same files across versions of the registry.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import torch


def inputs_for(name: str, net: torch.nn.Module, in_channels: int, conditioned: bool, blind: bool):
    g = torch.Generator().manual_seed(0)
    if name in ("vae_mnist", "dcgan_mnist"):
        latent = net.latent
        return (torch.randn(4, latent, generator=g) if name == "vae_mnist" else torch.randn(4, latent, 1, 1, generator=g),)
    if name.startswith("mnist_") or name == "dae_mnist":
        return (torch.rand(2, 1, 28, 28, generator=g),)
    x = torch.rand(1, in_channels or 3, 48, 40, generator=g)
    if conditioned:
        return x, (torch.ones(1, 1, 48, 40) if blind else torch.full((1, 1, 48, 40), 25 / 255))
    return (x,)


@torch.no_grad()
def fingerprints() -> dict[str, np.ndarray]:
    from darkroom.zoo import build_model, list_models

    torch.manual_seed(0)
    out = {}
    for card in list_models():
        if not card.learned:
            continue
        net = build_model(card).float().eval()
        spec = card.spec
        args = inputs_for(card.name, net, spec.in_channels, spec.conditioned, spec.blind)
        forward = getattr(net, "decode", None) if card.name == "vae_mnist" else None
        y = forward(*args) if forward is not None else net(*args)
        out[card.name] = y.float().numpy()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--save")
    p.add_argument("--compare")
    a = p.parse_args()
    now = fingerprints()
    if a.save:
        np.savez(a.save, **now)
        print(f"saved {len(now)} outputs to {a.save}")
    if a.compare:
        before = dict(np.load(a.compare))
        for name in sorted(set(before) | set(now)):
            if name not in before or name not in now:
                print(f"{name:24s} only {'before' if name in before else 'now'}")
                continue
            x, y = before[name], now[name]
            if x.shape != y.shape:
                print(f"{name:24s} shape {x.shape} -> {y.shape}")
                continue
            if np.array_equal(x, y):
                print(f"{name:24s} bit-identical")
                continue
            mse = float(np.mean((x.astype(np.float64) - y) ** 2))
            peak = float(np.max(np.abs(x - y)))
            print(f"{name:24s} max |diff| {peak:.2e}, PSNR {10 * math.log10(1 / mse):.1f} dB")


if __name__ == "__main__":
    main()
