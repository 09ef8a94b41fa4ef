"""Labelled panels for the benchmark figures (sr_figures.py, dejpeg_figure.py): an RGB crop
with a line of text under it, drawn with Pillow."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw


def label(panel: np.ndarray, text: str) -> np.ndarray:
    """``panel`` (H×W×3 uint8) on a white strip 18 pixels taller, ``text`` in the strip."""
    image = Image.fromarray(panel)
    canvas = Image.new("RGB", (image.width, image.height + 18), "white")
    canvas.paste(image, (0, 0))
    ImageDraw.Draw(canvas).text((3, image.height + 3), text, fill="black")
    return np.asarray(canvas)
