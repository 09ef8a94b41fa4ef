"""The validation PSNR a recipe's run has at step 0: its ``init`` weights, scored exactly as
``darkroom train`` validates (held-out images, fixed seeds), so a learning curve has its
starting point. BatchNorm statistics are the init file's own, which its export re-estimated.

    python benchmarks/validation_at_start.py recipes/ffdnet_color.toml    # 28.88 dB, a few seconds
"""

import sys

import torch

from darkroom.nets import FAMILIES
from darkroom.train import data_root
from darkroom.train.checkpoint import init_from_weights
from darkroom.train.data import load_folder_images
from darkroom.train.pixel import model_spec, validate
from darkroom.train.recipe import Recipe


def main(path: str) -> None:
    torch.set_num_threads(1)
    r = Recipe.from_toml(path)
    if not r.init:
        raise SystemExit(f"{path} has no init weights; its step 0 is a random network")
    net = FAMILIES[r.arch](**r.arch_kwargs)
    init_from_weights(net, r.init)
    images = load_folder_images([data_root() / f for f in r.train], r.channels)[-r.val_holdout :]
    print(f"{r.name} at step 0: validation PSNR {validate(net.eval(), model_spec(r), images, r, 'cpu'):.2f} dB")


if __name__ == "__main__":
    main(sys.argv[1])
