"""The default JPEG remover off the benchmark's protocol: 4:4:4 chroma (the training saw only
4:2:0), high qualities, and photos that were never JPEGs (told q = 90, what the CLI tells them
when no grid is found). Mean and lowest gain in RGB PSNR over the first six CBSD68 photos; the
change a never-compressed Set5 photo suffers, as PSNR against itself.

    OMP_NUM_THREADS=2 python benchmarks/dejpeg_off_protocol.py
"""

from __future__ import annotations

import darkroom
from darkroom.benchmark import load_clean
from darkroom.degrade.jpeg import jpeg_compress
from darkroom.metrics import psnr
from darkroom.tasks.dejpeg import NO_GRID_QUALITY
from darkroom.train import data_root


def rounded(x):
    return (x * 255).round() / 255


def main() -> None:
    photos = [load_clean(f) for f in sorted((data_root() / "CBSD68").iterdir())[:6]]
    print("| chroma | q | mean gain (dB) | lowest gain (dB) |")
    print("|---|---|---|---|")
    for subsampling in ("4:2:0", "4:4:4"):
        for quality in (20, 60, 90):
            gains = []
            for clean in photos:
                decoded = jpeg_compress(clean, quality, subsampling=subsampling)
                gains.append(float(psnr(rounded(darkroom.dejpeg(decoded, quality)), clean) - psnr(decoded, clean)))
            print(f"| {subsampling} | {quality} | {sum(gains) / len(gains):+.2f} | {min(gains):+.2f} |", flush=True)
    print()
    print(f"| Set5 photo, never a JPEG | PSNR of the output told q = {NO_GRID_QUALITY} against the input (dB) |")
    print("|---|---|")
    for f in sorted((data_root() / "Set5").iterdir()):
        clean = load_clean(f)
        print(f"| {f.name} | {float(psnr(rounded(darkroom.dejpeg(clean, NO_GRID_QUALITY)), clean)):.2f} |", flush=True)


if __name__ == "__main__":
    main()
