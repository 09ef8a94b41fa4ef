"""JPEG compression at quality q (libjpeg through Pillow, in memory), the degradation
that artifact-removal networks (ARCNN, DnCNN-3, FBCNN) are trained and tested on, and the
quality factor read back from a file's quantization tables.

Colour is encoded with 4:2:0 chroma subsampling, Pillow's default at every quality (checked
with Pillow 13 at q = 90, 95 and 100), or with 4:4:4 when asked. Double compression, as a
photo re-saved by an app gets it, compresses at a first quality, shifts the image against the
8×8 grid, compresses at a second quality and shifts back (Jiang et al., FBCNN, ICCV 2021).

libjpeg scales the example tables of the JPEG standard (ITU-T T.81, Annex K) by quality:
``scale = 5000 / q`` below 50, ``200 − 2q`` from 50, each entry ``(base · scale + 50) // 100``
clipped to 1–255 (baseline). A file written that way gives back its q exactly; other
encoders' tables get the nearest q and say it is an estimate.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from darkroom.degrade.base import Param, sample_param
from darkroom.ops.shape import check_image_batch


# ITU-T T.81 Annex K, Tables K.1 (luminance) and K.2 (chrominance), in natural (row) order.
LUMA_BASE = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)
CHROMA_BASE = (
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99, *([99] * 32),
)
SUBSAMPLING = {"4:2:0": 2, "4:4:4": 0}  # Pillow's codes


def standard_tables(quality: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The luminance and chrominance tables libjpeg writes at ``quality`` (1–100), baseline.

    >>> standard_tables(50)[0][:8]
    (16, 11, 10, 16, 24, 40, 51, 61)
    """
    q = min(max(int(quality), 1), 100)
    scale = 5000 // q if q < 50 else 200 - 2 * q
    return tuple(tuple(min(max((b * scale + 50) // 100, 1), 255) for b in base) for base in (LUMA_BASE, CHROMA_BASE))


def quality_from_tables(tables) -> tuple[int, bool]:
    """The quality factor of a JPEG's quantization ``tables`` (a sequence or a dict as Pillow's
    ``Image.quantization`` gives, natural order): (q, True) where they are libjpeg's tables at
    q, else (the nearest q in log-ratio, False).

    >>> quality_from_tables(standard_tables(37))
    (37, True)
    """
    given = [tuple(t) for t in (tables.values() if isinstance(tables, dict) else tables)]
    if not given or any(len(t) != 64 for t in given):
        raise ValueError("a JPEG quantization table has 64 entries")
    for q in range(1, 101):
        std = standard_tables(q)
        if given[0] == std[0] and all(t == std[1] for t in given[1:]):
            return q, True
    luma = np.log(np.asarray(given[0], dtype=np.float64))
    costs = [np.abs(luma - np.log(np.asarray(standard_tables(q)[0], dtype=np.float64))).sum() for q in range(1, 101)]
    return int(np.argmin(costs)) + 1, False


def _encode_decode(arr: np.ndarray, quality: int, subsampling: str) -> np.ndarray:
    pil = Image.fromarray(arr[0] if arr.shape[0] == 1 else arr.transpose(1, 2, 0))
    buf = io.BytesIO()
    options = {} if arr.shape[0] == 1 else {"subsampling": SUBSAMPLING[subsampling]}
    pil.save(buf, format="JPEG", quality=int(quality), **options)
    dec = np.array(Image.open(buf), dtype=np.uint8)
    return dec[None] if dec.ndim == 2 else dec.transpose(2, 0, 1)


def jpeg_compress(x: torch.Tensor, quality: int | torch.Tensor, *, subsampling: str = "4:2:0",
                  then: int | torch.Tensor | None = None, shift: tuple[int, int] = (4, 4)) -> torch.Tensor:
    """Round to 8 bits, encode as baseline JPEG at ``quality`` and decode; with ``then``,
    compress again at that quality with the image shifted by ``shift`` pixels against the
    8×8 grid (double compression), and shift back.

    >>> x = torch.rand(1, 3, 16, 16, generator=torch.Generator().manual_seed(0))
    >>> y = jpeg_compress(x, 10)
    >>> y.shape, bool((y * 255 - (y * 255).round()).abs().max() < 1e-4)
    (torch.Size([1, 3, 16, 16]), True)
    """
    check_image_batch(x, channels=(1, 3))
    if subsampling not in SUBSAMPLING:
        raise ValueError(f"subsampling is one of {', '.join(SUBSAMPLING)}, not {subsampling!r}")
    qualities = torch.as_tensor(quality).reshape(-1).expand(x.shape[0])
    seconds = None if then is None else torch.as_tensor(then).reshape(-1).expand(x.shape[0])
    out = []
    for i, img in enumerate(x):
        arr = np.rint(img.detach().float().clamp(0, 1).cpu().numpy() * 255).astype(np.uint8)
        dec = _encode_decode(arr, int(round(float(qualities[i]))), subsampling)
        if seconds is not None:  # the re-save: shifted, so the two grids do not line up
            dy, dx = shift
            shifted = np.pad(dec, ((0, 0), (dy, 0), (dx, 0)), mode="edge")
            dec = _encode_decode(shifted, int(round(float(seconds[i]))), subsampling)[:, dy:, dx:]
        out.append(torch.from_numpy(np.ascontiguousarray(dec, dtype=np.float32) / 255.0))
    return torch.stack(out).to(device=x.device, dtype=x.dtype)


@dataclass(frozen=True)
class Jpeg:
    """JPEG at ``quality`` (fixed or a (low, high) range drawn per image), 4:2:0 or 4:4:4 for
    colour; with ``then``, a second compression on a grid shifted by ``shift``."""

    quality: Param = 30
    subsampling: str = "4:2:0"
    then: Param | None = None
    shift: tuple[int, int] = (4, 4)

    def __call__(self, x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        first = sample_param(self.quality, x.shape[0], generator).round()
        second = None if self.then is None else sample_param(self.then, x.shape[0], generator).round()
        return jpeg_compress(x, first, subsampling=self.subsampling, then=second, shift=self.shift)


# A phase whose pixel steps are this much above the median phase's is the JPEG grid; natural
# structure and q >= 75 stay under it (measured on CBSD68: clean photos up to 1.19, q = 75 up to
# 1.23, q = 40 from 1.33, q = 10 from 2.1).
CLEAR_BLOCKING = 1.3


def _luma(image: torch.Tensor) -> np.ndarray:
    x = image.detach().float().cpu().reshape(-1, *image.shape[-2:]) if image.dim() <= 3 else image[0].detach().float().cpu()
    px = x.numpy().astype(np.float64) * 255.0
    return px[0] if px.shape[0] == 1 else 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]


def _grid_phase(luma: np.ndarray, axis: int) -> tuple[int, float]:
    """Where the 8×8 grid starts along ``axis``, and how clearly: the phase whose pixel steps
    are largest (JPEG's discontinuities sit on block edges), over the median phase's."""
    steps = np.abs(np.diff(luma, axis=axis)).mean(axis=1 - axis)
    phase = np.array([steps[k::8].mean() for k in range(8)])
    k = int(np.argmax(phase))
    return int((k + 1) % 8), float(phase[k] / max(np.median(np.delete(phase, k)), 1e-12))


def block_grid(image: torch.Tensor) -> tuple[int, int]:
    """The (row, column) where a decoded JPEG's 8×8 grid starts, (0, 0) where it does at the
    corner or where its blocking is too faint to tell (each axis on its own).

    >>> g = torch.Generator().manual_seed(0)
    >>> x = torch.nn.functional.interpolate(torch.rand(1, 1, 24, 24, generator=g), size=96, mode="bicubic")
    >>> block_grid(jpeg_compress(x.clamp(0, 1), 10)[..., 3:, 5:])
    (5, 3)
    """
    luma = _luma(image)
    if min(luma.shape) < 16:  # under two blocks a side: no grid to see
        return 0, 0
    found = []
    for axis in (0, 1):
        start, clarity = _grid_phase(luma, axis)
        found.append(start if clarity > CLEAR_BLOCKING else 0)
    return found[0], found[1]


def predict_quality(image: torch.Tensor, *, max_blocks: int = 20000) -> int | None:
    """The quality factor a decoded JPEG was saved at, read from its pixels; None where no
    quantization grid is found (never a JPEG, or resized since).

    The block DCT of a decoded JPEG's luminance holds, at each frequency, multiples of that
    frequency's quantization step, up to the rounding of the pixels (Fan & de Queiroz,
    "Identification of bitmap compression history: JPEG detection and quantizer
    estimation", IEEE TIP 2003). The answer is the lowest libjpeg quality (largest steps)
    whose steps the block coefficients sit on; a crop is handled by finding the grid's phase
    first (and the corner, where a file's own grid starts, is tried too). Written here: no
    maintained library estimates it.

    ``image`` is (C, H, W) or (1, C, H, W), gray or RGB, on the [0, 1] scale.

    >>> g = torch.Generator().manual_seed(0)
    >>> x = torch.nn.functional.interpolate(torch.rand(1, 1, 24, 24, generator=g), size=96, mode="bicubic")
    >>> predict_quality(jpeg_compress(x.clamp(0, 1), 30))
    30
    """
    luma = _luma(image)
    if min(luma.shape) < 16:  # under two blocks a side: nothing to read
        return None
    # the grid where the blocking puts it, and at the corner, where a file's own grid starts
    phases = dict.fromkeys([(_grid_phase(luma, 0)[0], _grid_phase(luma, 1)[0]), (0, 0)])
    tables = np.asarray([standard_tables(q)[0] for q in range(1, 101)], dtype=np.float64)
    for dy, dx in phases:
        quality = _quality_on_grid(luma[dy:, dx:], tables, max_blocks)
        if quality is not None:
            return quality
    return None


def _quality_on_grid(luma: np.ndarray, tables: np.ndarray, max_blocks: int) -> int | None:
    """``predict_quality`` for a luminance whose 8×8 grid starts at its corner."""
    from scipy.fft import dctn  # scipy comes with scikit-image; imported when a quality is read

    h, w = (luma.shape[0] // 8) * 8, (luma.shape[1] // 8) * 8
    if h < 8 or w < 8:
        return None
    blocks = luma[:h, :w].reshape(h // 8, 8, w // 8, 8).transpose(0, 2, 1, 3).reshape(-1, 8, 8) - 128.0
    if len(blocks) > max_blocks:  # an evenly spread subset: the estimate needs thousands, not millions
        blocks = blocks[np.linspace(0, len(blocks) - 1, max_blocks).astype(int)]
    coefficients = dctn(blocks, axes=(1, 2), norm="ortho").reshape(-1, 64)

    def misfit(steps: np.ndarray, counted: np.ndarray) -> float:
        """Mean distance of the counted coefficients from the steps' multiples, as a fraction
        of the quarter step it averages off them (about 0.2-0.5 on them, from the pixels' rounding)."""
        residual = np.abs(coefficients - steps * np.round(coefficients / steps))
        return float((residual / (steps / 4))[counted].mean())

    for first in range(100):
        steps = tables[first]
        # a zero sits on every step's multiples, and a step under 3 is lost in the rounding
        counted = (np.abs(coefficients) >= steps / 2) & (steps >= 3)
        if counted.sum() >= 200 and misfit(steps, counted) < 0.5:
            # qualities a little above fit almost as well (their steps differ by one or two);
            # the true one fits best
            window = range(first, min(first + 7, 100))
            return 1 + min(window, key=lambda k: misfit(tables[k], counted))
    return None
