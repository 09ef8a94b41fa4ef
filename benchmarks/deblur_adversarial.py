"""Does Nah et al.'s adversarial term help deepdeblur at this budget? From the first stage's
weights (recipes/init/deepdeblur_stage1.safetensors, shipped when this was measured), its recipe
(recipes/deepdeblur_stage1.toml) continues for the same number of steps twice: with its
multi-scale content loss alone, and with 1e-4 × the adversarial loss added (the paper's
weight, a 6-layer discriminator: ``darkroom.nets.deepdeblur.PatchDiscriminator``). Both are
scored on the recipe's held-out photos (BSD200's last 8, never a benchmark set): PSNR, and the
mean gradient magnitude of the output against the sharp image's (a sharpness ratio; 1 is the
sharp photos' own). The runs go to runs/deepdeblur_content and runs/deepdeblur_adversarial.

    OMP_NUM_THREADS=1 python benchmarks/deblur_adversarial.py content 600
    OMP_NUM_THREADS=1 python benchmarks/deblur_adversarial.py adversarial 600   # the two may run at once, one per core
    python benchmarks/deblur_adversarial.py score
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import torch

from darkroom.classical import Blurred
from darkroom.degrade import Quantize, apply
from darkroom.engine import Restorer
from darkroom.metrics import psnr
from darkroom.train import Recipe, train
from darkroom.train.pixel import model_spec, recipe_data
from darkroom.train.recipe import build_degradation, runs_root
from darkroom.zoo import build_model, get_card

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = {"content": 0.0, "adversarial": 1e-4}
STAGE1 = ROOT / "recipes" / "init" / "deepdeblur_stage1.safetensors"


def recipe(arm: str, steps: int) -> Recipe:
    r = Recipe.from_toml(ROOT / "recipes" / "deepdeblur_stage1.toml")
    return replace(r, name=f"deepdeblur_{arm}", init=str(STAGE1), steps=steps, warmup=0, lr=r.lr / 4,
                   schedule="constant", val_every=steps, objective_kwargs={"adversarial": WEIGHTS[arm]})


def gradient(x: torch.Tensor) -> float:
    return float((x[..., 1:, :] - x[..., :-1, :]).abs().mean() + (x[..., :, 1:] - x[..., :, :-1]).abs().mean())


@torch.no_grad()
def score() -> None:
    r = Recipe.from_toml(ROOT / "recipes" / "deepdeblur_stage1.toml")
    _, val_images = recipe_data(r)
    degradation = build_degradation(r.degradation)
    card = get_card("deepdeblur")
    print("| weights | held-out PSNR | sharpness (output ÷ sharp gradient) |")
    print("|---|---|---|")
    arms = [(f"+ {arm}", runs_root() / f"deepdeblur_{arm}" / f"deepdeblur_{arm}.safetensors") for arm in WEIGHTS]
    for label, weights in (("blurred input", "none"), ("stage 1 (both arms start here)", STAGE1), *(a for a in arms if a[1].exists())):
        net = Blurred().eval() if weights == "none" else build_model(card, weights=weights)
        restorer = Restorer(net, model_spec(r))
        scores, ratios = [], []
        for i, img in enumerate(val_images):
            c = min(r.val_crop, *img.shape[-2:]) // 4 * 4
            clean = img[None, :, :c, :c].float() / 255
            out = apply(Quantize(), restorer(apply(degradation, clean, seed=i), tile=0))
            scores.append(float(psnr(out, clean)))
            ratios.append(gradient(out) / gradient(clean))
        print(f"| {label} | {sum(scores) / len(scores):.2f} | {sum(ratios) / len(ratios):.3f} |", flush=True)


def main() -> None:
    if sys.argv[1] == "score":
        return score()
    arm, steps = sys.argv[1], int(sys.argv[2])
    r = recipe(arm, steps)
    print(train(r, runs_root() / r.name, progress=False))


if __name__ == "__main__":
    main()
