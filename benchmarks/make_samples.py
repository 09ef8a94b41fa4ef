"""Recreate samples/: crops of scikit-image's bundled images with σ=25 Gaussian noise."""

import numpy as np
from skimage import data

from darkroom.io import write_image

rng = np.random.default_rng(2026)
astro = data.astronaut()[30:286, 120:376].astype(np.float64)
cam = data.camera()[40:296, 150:406].astype(np.float64)
for name, img in [("astronaut_sigma25.png", astro), ("camera_sigma25.png", cam)]:
    noisy = np.clip(np.rint(img + rng.normal(0, 25, img.shape)), 0, 255).astype(np.uint8)
    write_image(f"samples/{name}", noisy, overwrite=True)
write_image("samples/clean/camera.png", cam.astype(np.uint8), overwrite=True)
