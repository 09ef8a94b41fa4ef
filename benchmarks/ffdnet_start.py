"""How fast does an FFDNet-style colour denoiser leave the identity at the start of training?

A colour FFDNet in the paper's layout (12 sub-images in), its 13 middle layers from
``ffdnet_gray``, sat near "output = input" for 2,000 steps on one core. This script trains a few starts
side by side for ``STEPS`` steps (batch 16 of 64×64 colour patches of BSD200 + T91,
σ ∈ [0, 75], L1, AdamW with a 50-step warm-up) and prints the mean training loss every
25 steps, next to the loss of returning the noisy input unchanged (0.8 σ on average):

    python benchmarks/ffdnet_start.py [STEPS] [START ...] [gray]   # 150 steps, all starts: about 4 minutes on one core

``gray`` runs the starts that apply to the gray network, on Train400 (``ffdnet_gray``'s data).

Starts: ``scratch`` (PyTorch's default initialisation), ``zero_last`` (the last
convolution zeroed, so the network starts at the identity), ``gray_body`` (what that
run did: middle layers from ffdnet_gray, first and last fresh) and ``inflated``
(ffdnet_gray's first and last layers too, applied to the mean of R, G and B, with the σ
channel scaled by 1/√3 for the mean's lower noise), ``no_bn`` (default initialisation,
batch normalisation replaced by the identity) and ``direct`` (default initialisation, the
network predicts the clean image instead of the noise, as in the paper). ``mse`` trains
every start on squared error instead of L1.

Every residual colour start sits at the identity's loss; ``direct`` leaves it, slowly
(``python benchmarks/ffdnet_start.py 400 direct``: L1 0.0956 over steps 375–400 against 0.1175
for the identity; the gray residual network reaches 0.066 by then). Trained on as
``recipes/ffdnet_color_direct.toml`` it still crawled (validation 20.4 dB at σ = 37.5 after
2,000 steps), so the shipped colour model reuses the gray body instead
(``darkroom.nets.ffdnet.GuidedOpponentFFDNet``).
"""

import math
import statistics
import sys

import torch

from darkroom.nets import FFDNet
from darkroom.train import data_root
from darkroom.io import read_weights
from darkroom.train.checkpoint import init_from_weights
from darkroom.train.data import PairedPatches, load_folder_images
from darkroom.train.recipe import build_degradation
from darkroom.zoo import weights_path

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 150
CHOSEN = sys.argv[2:]
BATCH, LR, WARMUP = 16, 5e-4, 50


GRAY_WEIGHTS = weights_path("ffdnet_gray.safetensors")


def gray_body(net: FFDNet) -> None:
    init_from_weights(net, GRAY_WEIGHTS)  # what the recipe's `init` does


def inflated(net: FFDNet) -> None:
    init_from_weights(net, GRAY_WEIGHTS)
    gray = read_weights(GRAY_WEIGHTS)[0]
    first, last = net.body[0], net.body[-1]
    g_first, g_last = gray["body.0.weight"], gray[f"body.{len(net.body) - 1}.weight"]
    with torch.no_grad():
        first.weight.zero_()
        for c in range(3):  # pixel_unshuffle orders channels colour-major: c * 4 + sub-image
            first.weight[:, 4 * c : 4 * c + 4] = g_first[:, :4] / 3
        first.weight[:, 12] = g_first[:, 4] / math.sqrt(3)
        last.weight.copy_(g_last.repeat(3, 1, 1, 1))
        last.bias.copy_(gray[f"body.{len(net.body) - 1}.bias"].repeat(3))


def zero_last(net: FFDNet) -> None:
    torch.nn.init.zeros_(net.body[-1].weight)
    torch.nn.init.zeros_(net.body[-1].bias)


def direct(net: FFDNet) -> None:
    net.residual = False  # predict the clean image, as the paper's FFDNet does


def no_bn(net: FFDNet) -> None:
    for i, layer in enumerate(net.body):
        if isinstance(layer, torch.nn.BatchNorm2d):
            net.body[i] = torch.nn.Identity()


STARTS = {"scratch": lambda net: None, "zero_last": zero_last, "gray_body": gray_body, "inflated": inflated, "no_bn": no_bn,
          "direct": direct}


def main() -> None:
    gray = "gray" in CHOSEN  # the same starts for the gray network on Train400, as ffdnet_gray trains
    mse = "mse" in CHOSEN  # train on squared error (what PSNR measures) instead of L1
    channels = 1 if gray else 3
    images = load_folder_images([data_root() / "Train400"] if gray else [data_root() / "BSD200", data_root() / "T91"], channels)
    patches = PairedPatches(images, build_degradation({"kind": "gaussian", "sigma": [0, 75]}), patch=64, seed=0,
                            condition="sigma")
    def error(d):
        return d.square().mean() if mse else d.abs().mean()

    identity = statistics.mean(float(error(patches[i][0] - patches[i][1])) for i in range(STEPS * BATCH))
    print(f"returning the input unchanged: {'MSE' if mse else 'L1'} {identity:.4f}")
    for name, start in STARTS.items():
        if [c for c in CHOSEN if c not in ("gray", "mse")] and name not in CHOSEN:
            continue
        if gray and name in ("gray_body", "inflated"):
            continue
        torch.manual_seed(0)
        net = FFDNet(channels=channels, depth=15, features=64)
        start(net)
        optimizer = torch.optim.AdamW(net.parameters(), lr=LR)
        losses = []
        for step in range(STEPS):
            for group in optimizer.param_groups:
                group["lr"] = LR * min(1.0, (step + 1) / WARMUP)
            noisy, clean, sigma = (torch.stack(t) for t in zip(*(patches[step * BATCH + j] for j in range(BATCH))))
            loss = error(net(noisy, sigma) - clean)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach()))
        means = [statistics.mean(losses[i : i + 25]) for i in range(0, STEPS, 25)]
        print(f"{name:>10}: " + " ".join(f"{m:.4f}" for m in means), flush=True)


if __name__ == "__main__":
    main()
