"""The JPEG artifact-removal protocol checked against the published JPEG row: gray classic5
and LIVE1 compressed at q = 10 / 20 / 30 / 40 by libjpeg through Pillow, scored as decoded
(PSNR, SSIM, PSNR-B on the gray channel, no crop, 8-bit), beside the numbers the FBCNN and
SwinIR tables print for the JPEG input. It also checks that OpenCV's encoder (which the
published evaluation code uses) gives the same bytes' pixels.

    OMP_NUM_THREADS=2 python benchmarks/jpeg_protocol.py
"""

from __future__ import annotations

import io

import numpy as np
import torch
from PIL import Image

from darkroom.metrics import psnr, psnrb, ssim
from darkroom.train import data_root

QUALITIES = (10, 20, 30, 40)
# The JPEG row of the FBCNN table (Jiang et al., ICCV 2021), PSNR in dB.
PUBLISHED = {"classic5": (27.82, 30.12, 31.48, 32.43), "LIVE1_gray": (27.77, 30.07, 31.41, 32.35)}


def jpeg_gray(gray: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(gray).save(buf, format="JPEG", quality=quality)
    return np.array(Image.open(buf))


def main() -> None:
    import cv2

    print("| set | q | JPEG PSNR (published) | SSIM | PSNR-B | Pillow = OpenCV |")
    print("|---|---|---|---|---|---|")
    for name, published in PUBLISHED.items():
        files = sorted(p for p in (data_root() / name).iterdir() if p.suffix.lower() in (".bmp", ".png"))
        for q, reference in zip(QUALITIES, published):
            scores, same = [], True
            for f in files:
                gray = np.array(Image.open(f).convert("L"))
                decoded = jpeg_gray(gray, q)
                ok, encoded = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, q])
                same &= bool(ok) and np.array_equal(decoded, cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE))
                truth = torch.from_numpy(gray).double()[None, None] / 255
                x = torch.from_numpy(decoded).double()[None, None] / 255
                scores.append((float(psnr(x, truth)), float(ssim(x, truth)), float(psnrb(x, truth))))
            p, s, b = np.mean(scores, 0)
            print(f"| {name} ({len(files)}) | {q} | {p:.2f} ({reference:.2f}) | {s:.4f} | {b:.2f} | {'yes' if same else 'no'} |",
                  flush=True)


if __name__ == "__main__":
    main()
