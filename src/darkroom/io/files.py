"""Finding input images and reading auxiliary files (blur kernels, MNIST idx)."""

from __future__ import annotations

import glob
import gzip
import os
from pathlib import Path

import numpy as np

from darkroom.errors import DarkroomError
from darkroom.io.image import READABLE


def list_images(inputs: list[str | os.PathLike]) -> list[Path]:
    """Expand files, folders (non-recursive) and glob patterns into a sorted, unique list.

    A folder contributes the files whose suffix is a readable image format; a file
    named explicitly is kept whatever its suffix, so that a bad file is reported
    rather than silently skipped.
    """
    found: list[Path] = []
    for item in inputs:
        text = str(item)
        p = Path(text)
        if p.is_dir():
            found.extend(sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in READABLE))
        elif p.exists():
            found.append(p)
        elif any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text) if Path(m).is_file())
            if not matches:
                raise DarkroomError(f"no files match {text}")
            found.extend(matches)
        else:
            raise DarkroomError(f"{text}: no such file or folder")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise DarkroomError("no input images found")
    return unique


def read_kernel(path: str | os.PathLike) -> tuple[np.ndarray, str]:
    """One blur kernel from a ``.npy`` array or an image file, as float64 (not yet normalized:
    ``darkroom.tasks.deblur.kernel_request`` checks and scales it), and a note where it was
    converted: a colour kernel image becomes the mean of its R, G and B (alpha dropped), said in
    the note; a ``.npy`` array must be 2-D (a colour array is refused where it is checked)."""
    from darkroom.errors import DarkroomError

    path = Path(path)
    if not path.is_file():
        raise DarkroomError(f"kernel file {path} not found")
    if path.suffix.lower() == ".npy":
        try:
            return np.asarray(np.load(path, allow_pickle=False), dtype=np.float64), ""
        except (ValueError, OSError):  # not .npy, or pickled objects, which are never loaded
            raise DarkroomError(f"kernel file {path} is not a NumPy array of numbers (.npy without pickled objects)") from None
    from darkroom.io.image import read_image

    try:
        pixels = read_image(path).pixels.astype(np.float64)
    except DarkroomError as exc:
        raise DarkroomError(f"kernel file {path} is neither an image nor a .npy array ({exc})") from None
    if pixels.ndim == 3:
        return pixels[..., :3].mean(-1), f"kernel {path.name} is a colour image; its R, G and B were averaged into one kernel"
    return pixels, ""


def read_kernels(path: str | os.PathLike) -> list[np.ndarray]:
    """Read blur kernels from a MATLAB .mat file (v7.3/HDF5 or older) or an image file.

    Kernels come back as float64 arrays normalised to sum to 1.
    """
    path = Path(path)
    if path.suffix.lower() != ".mat":
        from darkroom.io.image import read_image

        k = read_image(path).pixels.astype(np.float64)
        k = k if k.ndim == 2 else k[..., :3].mean(-1)
        return [k / k.sum()]
    kernels: list[np.ndarray] = []
    try:
        import h5py

        with h5py.File(path, "r") as f:
            for name, data in f.items():
                if not isinstance(data, h5py.Dataset) or data.dtype != h5py.ref_dtype:
                    continue  # MATLAB's own '#refs#' bookkeeping group
                kernels.extend(np.array(f[r]).T.astype(np.float64) for r in np.array(data).ravel())
    except OSError:  # not HDF5: MATLAB v5
        import scipy.io

        mat = scipy.io.loadmat(path)
        for name, value in mat.items():
            if name.startswith("__"):
                continue
            if value.dtype == object:
                kernels.extend(np.asarray(v, dtype=np.float64) for v in value.ravel())
            elif value.ndim == 2:
                kernels.append(value.astype(np.float64))
            elif value.ndim == 3:
                kernels.extend(value[..., i].astype(np.float64) for i in range(value.shape[2]))
    if not kernels:
        raise DarkroomError(f"{path}: no kernels found")
    return [k / k.sum() for k in kernels]


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an MNIST-style idx file (optionally gzipped) into a NumPy array."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        data = fh.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise DarkroomError(f"{path}: not an idx file")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    dtype = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[data[2]]
    return np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim).reshape(dims)
