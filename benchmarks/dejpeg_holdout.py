"""The JPEG default against ARCNN on the recipes' own held-out photos (the last 8 T91 images, in
gray), never a test set: the check used while the default trained. Mean PSNR (dB) of the decoded
JPEG, ARCNN's model for that quality and ``dejpeg_unet`` (or ``--weights``, e.g. a run's
checkpoint.pt) at q = 10 / 20 / 30 / 40.

    OMP_NUM_THREADS=1 python benchmarks/dejpeg_holdout.py [--weights runs/dejpeg_unet/checkpoint.pt]
"""

import argparse
from pathlib import Path

import torch

from darkroom.degrade.jpeg import jpeg_compress
from darkroom.engine import Restorer
from darkroom.engine.run import gray_as_color, run_model
from darkroom.metrics import psnr
from darkroom.tasks import DEJPEG
from darkroom.tasks.dejpeg import quality_request
from darkroom.train import Recipe
from darkroom.train.pixel import recipe_data
from darkroom.zoo import build_model, get_card, load, weights_path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weights", type=Path, default=weights_path("dejpeg_unet.safetensors"))
    a = p.parse_args()
    _, held_out = recipe_data(Recipe.from_toml(ROOT / "recipes/arcnn_q10.toml"))  # gray, the ARCNN recipes' hold-out
    card = get_card("dejpeg_unet")
    default = Restorer(build_model(card, weights=a.weights), card.spec)
    print("| q | JPEG | ARCNN | dejpeg_unet |")
    print("|---|---|---|---|")
    for quality in (10, 20, 30, 40):
        arcnn, request = load(f"arcnn_q{quality}"), quality_request(quality)
        scores = {"jpeg": [], "arcnn": [], "default": []}
        for image in held_out:
            clean = image[None].float() / 255
            decoded = jpeg_compress(clean, quality)
            with torch.no_grad():
                outs = {"jpeg": decoded, "arcnn": run_model(DEJPEG, arcnn, decoded, request),
                        "default": run_model(DEJPEG, default, gray_as_color(default.spec, decoded), request).mean(1, keepdim=True)}
            for name, out in outs.items():
                scores[name].append(float(psnr((out.clamp(0, 1) * 255).round() / 255, clean)))
        print(f"| {quality} | " + " | ".join(f"{sum(v) / len(v):.2f}" for v in scores.values()) + " |", flush=True)


if __name__ == "__main__":
    main()
