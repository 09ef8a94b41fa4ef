"""darkroom: deep-learning image restoration, enhancement and generation on an ordinary CPU.

>>> import numpy as np, darkroom
>>> darkroom.upscale(np.zeros((8, 8), np.uint8), 3).shape
(24, 24)
"""

from importlib.metadata import PackageNotFoundError, version

from darkroom.errors import DarkroomError
from darkroom.verbs import deblur, dehaze, dejpeg, denoise, enhance, haze_transmission, stylize, upscale

try:
    __version__ = version("darkroom")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["DarkroomError", "deblur", "dehaze", "dejpeg", "denoise", "enhance", "haze_transmission", "stylize", "upscale"]
