"""A uniform model soup: the average of networks fine-tuned from the same weights, after
Wortsman et al., "Model soups: averaging weights of multiple fine-tuned models improves
accuracy without increasing inference time" (ICML 2022). BatchNorm statistics are then
re-estimated for the averaged weights, as stochastic weight averaging does (Izmailov et
al., UAI 2018), on the recipe's calibration samples.

This project trains one single-threaded run per CPU core, so a second core can run a second
seed of the same fine-tuning. Fine-tuned from one starting point, the runs should stay in
one basin of the loss, and their average is one network as fast as each. (For
``ffdnet_gray``'s fifth stage it landed between its two ingredients: docs/lab/denoise.md.)

    python -m darkroom.train.soup recipes/RUN.toml runs/a/RUN.safetensors runs/b/RUN.safetensors --out soup.safetensors

prints each ingredient's and the soup's validation PSNR (the recipe's held-out images).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from darkroom.errors import DarkroomError
from darkroom.io import read_weights
from darkroom.nets import FAMILIES
from darkroom.train.checkpoint import export_weights
from darkroom.train.pixel import batch_maker, calibration_inputs, model_spec, recalibrate_batchnorm, recipe_data, validate
from darkroom.train.recipe import Recipe


def average_state(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The mean of each floating tensor; integer ones (BatchNorm's step counters) from the first.

    >>> average_state([{"w": torch.tensor([1.0, 3.0])}, {"w": torch.tensor([3.0, 5.0])}])["w"]
    tensor([2., 4.])
    """
    names = set(states[0])
    for i, state in enumerate(states[1:], 2):
        if set(state) != names or any(state[k].shape != states[0][k].shape for k in names):
            raise DarkroomError(f"ingredient {i} is not the same architecture as the first")
    return {k: torch.stack([s[k] for s in states]).mean(0) if states[0][k].is_floating_point() else states[0][k]
            for k in states[0]}


def make_soup(r: Recipe, paths: list[Path], out: Path, device: str = "cpu") -> dict[str, float]:
    """Average the weights in ``paths`` into ``out``; returns validation PSNR of each and of the soup."""
    dev = torch.device(device)
    images, val_images = recipe_data(r)
    states = [read_weights(p)[0] for p in paths]
    net = FAMILIES[r.arch](**r.arch_kwargs).to(dev).eval()
    spec = model_spec(r)
    scores = {}
    for path, state in zip(paths, states):
        net.load_state_dict(state)
        scores[str(path)] = validate(net, spec, val_images, r, dev)
    net.load_state_dict(average_state(states))
    recalibrate_batchnorm(net, calibration_inputs(batch_maker(r, images, dev), r))
    scores["soup"] = validate(net, spec, val_images, r, dev)
    export_weights(out, net, {"recipe": r.name, "arch": r.arch, "arch_kwargs": r.arch_kwargs,
                              "soup_of": [str(p) for p in paths]})
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description="Average fine-tuned weights into one network (a model soup).")
    parser.add_argument("recipe", help="a recipe of the runs: architecture, calibration and validation data")
    parser.add_argument("weights", nargs="+", type=Path, help="exported .safetensors of the runs")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for name, score in make_soup(Recipe.from_toml(args.recipe), args.weights, args.out).items():
        print(f"{score:.3f} dB  {name}")


if __name__ == "__main__":
    main()
