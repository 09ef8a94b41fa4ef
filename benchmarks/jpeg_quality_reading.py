"""How well darkroom knows the quality factor q a JPEG was saved at (issue 19's reading
bench): from the file's quantization tables (Pillow's and OpenCV's encoders) and, for an
already decoded image, predicted from the pixels (``darkroom.degrade.jpeg.predict_quality``).

Each of the first ``--images`` CBSD68 photos is saved at q = 5, 10, …, 95 in colour (4:2:0)
and in gray by Pillow and by OpenCV; the file is read back with ``darkroom.io.read_image`` and
its tables give q. The decoded pixels of the Pillow files, also cropped by (3, 5) pixels so
that the 8×8 grid moves, go to the predictor.

    OMP_NUM_THREADS=1 python benchmarks/jpeg_quality_reading.py
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import cv2
import numpy as np
import torch
from PIL import Image

from darkroom.degrade.jpeg import predict_quality, quality_from_tables
from darkroom.io import read_image
from darkroom.train import data_root


def as_tensor(pixels: np.ndarray) -> torch.Tensor:
    t = torch.from_numpy(pixels.astype(np.float32) / 255.0)
    return t[None] if t.ndim == 2 else t.permute(2, 0, 1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", type=int, default=10)
    a = p.parse_args()
    photos = [np.array(Image.open(f).convert("RGB")) for f in sorted((data_root() / "CBSD68").iterdir())[: a.images]]
    print("| q | Pillow files: exact | OpenCV files: exact | predicted from pixels: exact / within 2 / none found |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.jpg"
        for q in range(5, 100, 5):
            pillow = opencv = exact = near = missing = total = 0
            for rgb in photos:
                for pixels in (rgb, np.array(Image.fromarray(rgb).convert("L"))):
                    Image.fromarray(pixels).save(path, quality=q)
                    read = read_image(path)
                    pillow += quality_from_tables(read.jpeg_tables) == (q, True)
                    for crop in (0, 1):
                        decoded = read.pixels[3 * crop:, 5 * crop:]
                        predicted = predict_quality(as_tensor(decoded))
                        exact += predicted == q
                        near += predicted is not None and abs(predicted - q) <= 2
                        missing += predicted is None
                    bgr = pixels[..., ::-1] if pixels.ndim == 3 else pixels
                    cv2.imwrite(str(path), np.ascontiguousarray(bgr), [cv2.IMWRITE_JPEG_QUALITY, q])
                    opencv += quality_from_tables(read_image(path).jpeg_tables) == (q, True)
                    total += 1
            print(f"| {q} | {pillow}/{total} | {opencv}/{total} | {exact}/{2 * total} / {near}/{2 * total} / "
                  f"{missing}/{2 * total} |", flush=True)


if __name__ == "__main__":
    main()
