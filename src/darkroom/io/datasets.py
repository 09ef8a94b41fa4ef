"""Reading labelled image collections: a folder per class, MNIST idx files, CIFAR-10 batches.

Every reader returns a ``LabeledArrays``: uint8 images (N, H, W, C) of one size, int64
labels and the class names. A folder of photos comes in at ``size``×``size`` (shorter
side resized with antialiasing, centre crop); unreadable files are skipped and
counted, never fatal. CIFAR-10's "python" batches are pickles, so they are read with
an unpickler that admits only NumPy arrays (a downloaded pickle can run code).
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from darkroom.errors import DarkroomError
from darkroom.io.files import list_images, read_idx
from darkroom.io.image import read_image

CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


@dataclass(frozen=True)
class LabeledArrays:
    images: np.ndarray  # (N, H, W, C) uint8
    labels: np.ndarray  # (N,) int64
    classes: list[str]
    skipped: int = 0  # unreadable files left out


def as_uint8(pixels: np.ndarray) -> np.ndarray:
    """16-bit or float [0, 1] pixels → 8-bit (training sets and classifiers work in 8 bits)."""
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype == np.uint16:
        return (pixels / 257).round().astype(np.uint8)
    return (np.clip(pixels, 0, 1) * 255).round().astype(np.uint8)


def _square(pixels: np.ndarray, size: int, channels: int) -> np.ndarray:
    pixels = as_uint8(pixels)
    if pixels.ndim == 3 and pixels.shape[2] in (2, 4):  # drop alpha
        pixels = pixels[..., :-1]
    image = Image.fromarray(pixels.squeeze(-1) if pixels.ndim == 3 and pixels.shape[2] == 1 else pixels)
    image = image.convert("L" if channels == 1 else "RGB")
    w, h = image.size
    k = size / min(w, h)
    image = image.resize((max(size, round(w * k)), max(size, round(h * k))), Image.Resampling.LANCZOS, reducing_gap=3.0)
    w, h = image.size
    left, top = (w - size) // 2, (h - size) // 2
    out = np.asarray(image.crop((left, top, left + size, top + size)))
    return out[..., None] if out.ndim == 2 else out


def read_image_folder(root: str | Path, *, size: int = 64, channels: int = 3) -> LabeledArrays:
    """One sub-folder per class (``cats/``, ``dogs/`` …), class names sorted alphabetically."""
    root = Path(root)
    if not root.is_dir():
        raise DarkroomError(f"{root} is not a folder")
    class_dirs = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if len(class_dirs) < 2:
        raise DarkroomError(f"{root} needs one sub-folder per class and at least two classes; found {len(class_dirs)}")
    images, labels, skipped = [], [], 0
    for label, folder in enumerate(class_dirs):
        try:
            paths = list_images([folder])
        except DarkroomError:
            paths = []
        for path in paths:
            try:
                images.append(_square(read_image(path).pixels, size, channels))
                labels.append(label)
            except (DarkroomError, OSError, ValueError):
                skipped += 1
    counts = np.bincount(np.array(labels, dtype=np.int64), minlength=len(class_dirs))
    empty = [d.name for d, n in zip(class_dirs, counts) if n == 0]
    if empty:
        raise DarkroomError(f"no readable images in class folder(s) {', '.join(empty)} of {root}")
    return LabeledArrays(np.stack(images), np.array(labels, dtype=np.int64), [d.name for d in class_dirs], skipped)


def read_mnist(root: str | Path, split: str = "t10k") -> LabeledArrays:
    """``{split}-images-idx3-ubyte[.gz]`` and ``{split}-labels-idx1-ubyte[.gz]`` from ``root``."""
    root = Path(root)

    def find(kind: str) -> Path:
        for name in (f"{split}-{kind}", f"{split}-{kind}.gz"):
            if (root / name).exists():
                return root / name
        raise DarkroomError(f"{root} has no {split}-{kind}[.gz]")

    images = read_idx(find("images-idx3-ubyte"))
    labels = read_idx(find("labels-idx1-ubyte")).astype(np.int64)
    if len(images) != len(labels):
        raise DarkroomError(f"{root}: {len(images)} images but {len(labels)} labels")
    return LabeledArrays(images[..., None].copy(), labels, [str(d) for d in range(10)])


class _NumpyOnlyUnpickler(pickle.Unpickler):
    allowed = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
               ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
               ("numpy._core.multiarray", "scalar")}

    def find_class(self, module: str, name: str):
        if (module, name) not in self.allowed:
            raise DarkroomError(f"refusing to unpickle {module}.{name} from a CIFAR batch")
        return super().find_class(module, name)


def read_cifar10(root: str | Path, split: str = "train") -> LabeledArrays:
    """CIFAR-10 from the "python" (``data_batch_1`` …) or "binary" (``data_batch_1.bin`` …) release."""
    root = Path(root)
    names = [f"data_batch_{i}" for i in range(1, 6)] if split == "train" else ["test_batch"]
    images, labels = [], []
    for name in names:
        if (root / f"{name}.bin").exists():
            raw = np.fromfile(root / f"{name}.bin", dtype=np.uint8).reshape(-1, 3073)
            labels.append(raw[:, 0].astype(np.int64))
            images.append(raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        elif (root / name).exists():
            batch = _NumpyOnlyUnpickler(io.BytesIO((root / name).read_bytes()), encoding="bytes").load()
            labels.append(np.asarray(batch[b"labels"], dtype=np.int64))
            images.append(np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    if not images:
        raise DarkroomError(f"{root} has no CIFAR-10 {split} batches ({names[0]} or {names[0]}.bin)")
    return LabeledArrays(np.concatenate(images), np.concatenate(labels), list(CIFAR10_CLASSES))


def read_labeled(root: str | Path, *, size: int = 64, channels: int = 3) -> LabeledArrays:
    """Whatever ``root`` holds: MNIST idx files, CIFAR-10 batches, or a folder per class."""
    root = Path(root)
    if not root.exists():
        raise DarkroomError(f"{root} not found")
    if any(root.glob("*-images-idx3-ubyte*")):
        split = "train" if any(root.glob("train-images-idx3-ubyte*")) else "t10k"
        return read_mnist(root, split)
    if any(root.glob("data_batch_*")):
        return read_cifar10(root)
    return read_image_folder(root, size=size, channels=channels)
