"""How plug-and-play deconvolution treats an image's border (docs/lab/deblur.md): Set12's first
image blurred by Levin's 4th kernel (27×27) with a circular border (DPIR's protocol) and with a
reflected one (as a photo's), AWGN σ = 2.55; pnp_ffdnet_gray told the image repeats, the same
after MATLAB-style edge tapering, and with the unknown border refilled from its estimate
(``darkroom.ops.fourier.UnknownBorder``, the default for photos).

    OMP_NUM_THREADS=1 python benchmarks/deblur_borders.py      # ~1 min
"""

from __future__ import annotations

import torch

from darkroom.degrade import GaussianNoise, apply, blur
from darkroom.io import data_root, read_image
from darkroom.metrics import psnr
from darkroom.ops import to_batch
from darkroom.ops.fourier import blur_fft, transfer_function
from darkroom.tasks import DEBLUR
from darkroom.tasks.deblur import Kernel, levin_kernels
from darkroom.zoo import load


def edge_tapered(y: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """MATLAB's edgetaper, roughly: the image blended towards its own circular blur over the
    kernel's width at each border, so that it wraps around smoothly."""
    width = kernel.shape[-1]
    ramp = [torch.ones(n) for n in y.shape[-2:]]
    for r in ramp:
        t = torch.linspace(0, 1, width)
        r[:width], r[-width:] = t, t.flip(0)
    weight = ramp[0][:, None] * ramp[1][None, :]
    return weight * y + (1 - weight) * blur_fft(y, transfer_function(kernel[None, None], y.shape[-2:]))


def main() -> None:
    sharp, _ = to_batch(read_image(data_root() / "Set12" / "01.png").pixels)
    k = levin_kernels()[3]
    pnp = load("pnp_ffdnet_gray")
    print("| blurred with | told it repeats | edge-tapered, told it repeats | unknown border refilled |")
    print("|---|---|---|---|")
    for border in ("circular", "reflect"):
        blurred = apply(GaussianNoise(2.55), blur(sharp, k, padding=border), seed=0)
        scores = []
        for image, periodic in ((blurred, True), (edge_tapered(blurred, k), True), (blurred, False)):
            out = pnp(image, DEBLUR.condition(pnp.spec, image, Kernel(k, periodic=periodic)), tile=0)
            scores.append(float(psnr(out, sharp)))
        print(f"| a {border} border | " + " | ".join(f"{s:.2f}" for s in scores) + " |", flush=True)


if __name__ == "__main__":
    main()
