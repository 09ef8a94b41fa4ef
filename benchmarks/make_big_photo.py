"""Write a photo-like RGB PNG of a given size (default 6000×4000) for memory benchmarks.

    python benchmarks/make_big_photo.py /tmp/big.png 6000 4000
"""

import sys

import cv2
import numpy as np
from skimage import data

from darkroom.io import write_image

path, width, height = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 6000, int(sys.argv[3]) if len(sys.argv) > 3 else 4000
base = cv2.resize(data.astronaut(), (width, height), interpolation=cv2.INTER_CUBIC)
noise = np.random.default_rng(0).normal(0, 15, base.shape)
write_image(path, np.clip(base + noise, 0, 255).astype(np.uint8), overwrite=True)
