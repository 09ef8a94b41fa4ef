"""JPEG compression at quality q (libjpeg through Pillow, in memory), the degradation
that artifact-removal networks (ARCNN, DnCNN-3, FBCNN) are trained and tested on."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from darkroom.degrade.base import Param, sample_param
from darkroom.ops.shape import check_image_batch


def jpeg_compress(x: torch.Tensor, quality: int | torch.Tensor) -> torch.Tensor:
    """Round to 8 bits, encode as baseline JPEG (4:2:0 for color), and decode."""
    check_image_batch(x, channels=(1, 3))
    qualities = torch.as_tensor(quality).reshape(-1).expand(x.shape[0])
    out = []
    for img, q in zip(x, qualities):
        arr = np.rint(img.detach().float().clamp(0, 1).cpu().numpy() * 255).astype(np.uint8)
        pil = Image.fromarray(arr[0] if arr.shape[0] == 1 else arr.transpose(1, 2, 0))
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=int(round(float(q))))
        dec = np.array(Image.open(buf), dtype=np.float32) / 255.0
        dec = dec[None] if dec.ndim == 2 else dec.transpose(2, 0, 1)
        out.append(torch.from_numpy(dec))
    return torch.stack(out).to(device=x.device, dtype=x.dtype)


@dataclass(frozen=True)
class Jpeg:
    """JPEG at ``quality`` (fixed or a (low, high) range drawn per image)."""

    quality: Param = 30

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return jpeg_compress(x, sample_param(self.quality, x.shape[0], generator).round())
