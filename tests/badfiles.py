"""Bad and awkward input files, shared by the CLI tests and benchmarks/bad_inputs.py.

Each case is (name, files made in a folder, extra CLI args, expected exit code, text the
one-line message must contain, a check of the written output or None).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims 10^10 pixels: the classic decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def _photo(h=40, w=56) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    return np.clip(np.dstack([128 + 90 * np.sin(xx / 6), 128 + 90 * np.cos(yy / 5), (xx * 4) % 256]), 0, 255).astype(np.uint8)


def make_files(folder: Path) -> None:
    """Write every case's input files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.png"
    Image.fromarray(_photo()).save(good)
    data = good.read_bytes()
    (folder / "corrupt.png").write_bytes(data[:60] + bytes(range(256)) * 4)
    (folder / "truncated.png").write_bytes(data[: len(data) // 2])
    (folder / "empty.png").write_bytes(b"")
    (folder / "text.png").write_text("this is not an image\n")
    (folder / "bomb.png").write_bytes(bomb_png())
    Image.fromarray(_photo()).convert("CMYK").save(folder / "cmyk.jpg")
    pal = Image.fromarray(_photo()).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    pal.save(folder / "palette.png", transparency=0)
    Image.fromarray(_photo()[..., 0].astype(np.uint16) * 257).save(folder / "gray16.png")
    rot = Image.fromarray(_photo())
    exif = rot.getexif()
    exif[0x0112] = 6
    rot.save(folder / "rotated.jpg", exif=exif.tobytes())
    import cv2

    cv2.imwrite(str(folder / "rgb16.png"), _photo().astype(np.uint16) * 257)
    (folder / "blocker").write_text("a file where a folder should be")
    (folder / "broken.pt").write_bytes(b"PK\x03\x04 not a checkpoint")
    import torch
    from safetensors.torch import save_file

    save_file({"weight": torch.zeros(1)}, str(folder / "foreign.safetensors"))


# (case, CLI arguments with {d} for the folder, exit code, text of the message, expected output (shape, dtype) or None)
CASES = [
    ("corrupt file", "upscale {d}/corrupt.png -o {d}/out.png", 1, "corrupt", None),
    ("truncated file", "upscale {d}/truncated.png -o {d}/out.png", 1, "truncated", None),
    ("zero-byte file", "upscale {d}/empty.png -o {d}/out.png", 1, "empty", None),
    ("text file named .png", "upscale {d}/text.png -o {d}/out.png", 1, "not a readable image", None),
    ("decompression bomb (10^10 px header)", "upscale {d}/bomb.png -o {d}/out.png", 1, "exceeds the limit", None),
    ("CMYK JPEG", "upscale {d}/cmyk.jpg -o {d}/out.png", 0, "wrote", ((80, 112, 3), np.uint8)),
    ("palette + transparency PNG", "upscale {d}/palette.png -o {d}/out.png", 0, "wrote", ((80, 112, 4), np.uint8)),
    ("16-bit gray PNG", "upscale {d}/gray16.png -o {d}/out.png", 0, "wrote", ((80, 112), np.uint16)),
    ("EXIF-rotated JPEG (orientation 6)", "upscale {d}/rotated.jpg -o {d}/out.png", 0, "wrote", ((112, 80, 3), np.uint8)),
    ("unwritable output", "upscale {d}/good.png -o {d}/blocker/out.png", 1, "is a file, not a folder", None),
    ("missing model name", "upscale {d}/good.png -o {d}/out.png --model no_such_model", 1, "unknown upscaling model", None),
    ("missing input file", "upscale {d}/nothere.png -o {d}/out.png", 1, "no such file", None),
    ("16-bit RGB PNG", "upscale {d}/rgb16.png -o {d}/out.png --scale 3", 0, "wrote", ((120, 168, 3), np.uint16)),
    ("device that does not exist", "denoise {d}/good.png -o {d}/out.png --sigma 25 --device gpu", 1, "unknown device 'gpu'", None),
    ("precision that does not exist", "upscale {d}/good.png -o {d}/out.png --precision int4", 1, "precision must be one of", None),
    ("self-ensemble of 3", "denoise {d}/good.png -o {d}/out.png --self-ensemble 3", 1, "--self-ensemble must be one of 1, 2, 4, 8", None),
    ("scale out of range", "upscale {d}/good.png -o {d}/out.png --scale 5", 1, "scale must be one of", None),
    ("alpha into JPEG", "upscale {d}/palette.png -o {d}/out.jpg", 1, "cannot store transparency", None),
    ("bench weights: a broken checkpoint", "bench upscale --data {d} --model srcnn --weights {d}/broken.pt", 1, "not a darkroom training checkpoint", None),
    ("bench weights: not safetensors", "bench upscale --data {d} --model srcnn --weights {d}/text.png", 1, "not a safetensors file", None),
    ("bench weights: two models", "bench upscale --data {d} --model srcnn --model fsrcnn --weights {d}/broken.pt", 1, "--weights belongs to one model", None),
    ("train: a time budget of zero", "train recipes/ffdnet_gray.toml --out {d}/run --minutes 0", 1, "--minutes must be positive", None),
    ("train: a recipe that is not there", "train {d}/nothere.toml --out {d}/run", 1, "not found", None),
    ("bench weights: another architecture", "bench upscale --data {d} --model fsrcnn --weights {d}/foreign.safetensors", 1, "do not fit its architecture", None),
    ("output is the input", "denoise {d}/good.png -o {d}/good.png --sigma 15", 1, "is an input and the output", None),
    ("bench: a task with no benchmark", "bench sample --data {d} --model vae", 1, "bench knows denoise, upscale", None),
    ("bench: a protocol the task lacks", "bench upscale --data {d} --model bicubic --protocol camera", 1, "protocols are bicubic", None),
    ("models: a task that does not exist", "models --task nope", 1, "unknown task 'nope'", None),
]
