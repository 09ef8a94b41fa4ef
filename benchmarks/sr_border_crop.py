"""Do image borders explain why the multi-scale SRCNN falls short of its paper at ×3? Set5 ×3
Y-PSNR of the shipped multi-scale SRCNN and FSRCNN with the border crop of the protocol (3 px) and wider ones: if
zero padding hurt SRCNN at the borders, its score would rise more than FSRCNN's as the
crop grows. (What did explain it: one network serving three scales; BENCHMARKS.md.) A few seconds:

    python benchmarks/sr_border_crop.py

Measured: multi-scale SRCNN 32.13 / 32.22 / 32.49 dB and FSRCNN 32.97 / 33.08 / 33.37 dB at crops of
3 / 12 / 24 px, gains of +0.36 and +0.39 dB: the borders are not SRCNN's problem.
"""
import torch

from darkroom.benchmark import load_clean
from darkroom.degrade import Chain, Downsample, Quantize, apply
from darkroom.io import list_images
from darkroom.metrics import psnr
from darkroom.ops import modcrop
from darkroom.engine.run import run_model
from darkroom.tasks import UPSCALE
from darkroom.train import data_root
from darkroom.zoo import load

CROPS = (3, 12, 24)


def main() -> None:
    paths = list_images([str(data_root() / "Set5")])
    for family in ("srcnn_multiscale", "fsrcnn"):
        restorer = load(f"{family}_x3")
        scores = {crop: [] for crop in CROPS}
        for i, path in enumerate(paths):
            clean = modcrop(load_clean(path), 3)
            low = apply(Chain((Downsample(3), Quantize())), clean, seed=i)  # the benchmark's seeds
            with torch.no_grad():
                out = torch.round(run_model(UPSCALE, restorer, low, None).clamp(0, 1) * 255) / 255
            for crop in CROPS:
                scores[crop].append(float(psnr(out, clean, crop=crop, y_channel=True)))
        means = [sum(s) / len(s) for s in scores.values()]
        print(f"{family}: " + " / ".join(f"{m:.2f}" for m in means) + f" dB at crops {CROPS}; gain {means[-1] - means[0]:+.2f}")


if __name__ == "__main__":
    main()
