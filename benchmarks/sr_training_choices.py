"""Two training choices for FSRCNN, measured: luminance (as the paper trains it) or RGB, and
FSRCNN's scale-jitter augmentation (content shrunk by a random factor in [0.6, 1]). 20,000
Adam steps at ×3 (constant learning rate 1e-3, batch 32 of 48×48 HR patches from T91 +
BSD200, L1, same seed and data), then Set5 ×3 Y-PSNR. The luminance models are trained and
applied on MATLAB's Y (YCbCr, where the shipped models use 8-bit gray through
``darkroom.tasks.upscale.through_gray``; kept so these figures stay as measured); the
chroma of the Set5 inputs is enlarged with bicubic. One thread,
about 11 min per variant (run two at once, one per core):

    python benchmarks/sr_training_choices.py rgb 20000
    python benchmarks/sr_training_choices.py y 20000
    python benchmarks/sr_training_choices.py y_jitter 20000

Measured: rgb 31.56 dB, y 32.29 dB, y_jitter 31.87 dB (bicubic 30.40). The shipped SRCNN
and FSRCNN are luminance networks because of this, and train without scale jitter: at this
budget it cost 0.42 dB (y_jitter took 1,005 s against about 650 s, beside other work).
"""
import sys
import time

import torch

from darkroom.benchmark import run_benchmark
from darkroom.tasks import UPSCALE
from darkroom.nets import FSRCNN
from darkroom.ops.color import rgb_to_ycbcr, ycbcr_to_rgb
from darkroom.ops.resize import imresize
from darkroom.train.data import PairedPatches, load_folder_images
from darkroom.train.recipe import Recipe, build_degradation
from darkroom.io import data_root

torch.set_num_threads(1)
variant, steps = sys.argv[1], int(sys.argv[2])
if variant not in ("rgb", "y", "y_jitter"):
    sys.exit("usage: sr_training_choices.py rgb|y|y_jitter STEPS")
lr, patch, batch = 1e-3, 48, 32
recipe = Recipe.from_toml("recipes/fsrcnn_x3.toml")
images = load_folder_images([data_root() / f for f in recipe.train], 3)
patches = PairedPatches(images, build_degradation(recipe.degradation), patch=patch, seed=0,
                        scale_jitter=0.6 if variant == "y_jitter" else 1.0)
torch.manual_seed(0)
luma = variant.startswith("y")
net = FSRCNN(scale=3, channels=1 if luma else 3)
optimizer = torch.optim.Adam(net.parameters(), lr)


def y_of(x: torch.Tensor) -> torch.Tensor:
    return rgb_to_ycbcr(x)[:, :1]


start = time.perf_counter()
for step in range(steps):
    low, high, _ = (torch.stack(x) for x in zip(*[patches[step * batch + j] for j in range(batch)]))
    if luma:
        low, high = y_of(low), y_of(high)
    loss = (net(low) - high).abs().mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
net.eval()


@torch.no_grad()
def restore(x: torch.Tensor) -> torch.Tensor:
    if not luma:
        return net(x).clamp(0, 1)
    ycc = rgb_to_ycbcr(x)
    enlarged = imresize(ycc, 3)
    enlarged[:, :1] = net(ycc[:, :1])
    return ycbcr_to_rgb(enlarged).clamp(0, 1)


score = run_benchmark(UPSCALE, data_root() / "Set5", variant, restore, setting=3).mean_psnr
print(f"{variant}: {steps} steps, Set5 x3 {score:.2f} dB, {time.perf_counter() - start:.0f} s")
