"""darkroom: deep-learning image restoration, enhancement and generation on an ordinary CPU.

>>> import numpy as np, darkroom
>>> darkroom.upscale(np.zeros((8, 8), np.uint8), 3).shape
(24, 24)
"""

from darkroom.errors import DarkroomError
from darkroom.tasks import denoise, stylize, upscale

__version__ = "0.1.0"
__all__ = ["DarkroomError", "denoise", "stylize", "upscale"]
