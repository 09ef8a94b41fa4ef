"""Bad and awkward input files, shared by the CLI tests and benchmarks/bad_inputs.py.

Each CLI case is (name, command with {d} for the folder, expected exit code, text the
message must contain, the (shape, dtype) of the written ``out.png`` or None). The command is
split as a shell would (``shlex``), so names with spaces and brackets are quoted. Every case
is also judged by the one-line rule (each line of stderr is ``error:``, ``warning:``,
``wrote`` or ``skip``) and by the inputs' hashes, which must not change.

Each API case is (name, a call of the Python API, the text of the ``DarkroomError`` it must
raise, or None when it must return a finite result).
"""

from __future__ import annotations

import shlex
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

    # names that console markup would eat: brackets in a file and in a folder name
    Image.fromarray(_photo()).save(folder / "photo [copy].png")
    Image.fromarray(_photo()).save(folder / "photo :smile: [bold red]x.png")  # emoji codes and markup tags
    (folder / "x[").mkdir(exist_ok=True)
    Image.fromarray(_photo()).save(folder / "x[" / "in [b].png")
    # non-finite pixels in float TIFFs
    flt = _photo()[..., 0].astype(np.float32) / 255
    cv2.imwrite(str(folder / "float.tif"), flt)
    for name, value in (("nan.tif", np.nan), ("inf.tif", np.inf), ("neginf.tif", -np.inf)):
        bad = flt.copy()
        bad[3, 5] = value
        cv2.imwrite(str(folder / name), bad)
    # several frames: animated GIF, APNG, multi-page TIFF
    frames = [Image.fromarray(np.roll(_photo(), 3 * k, axis=1)) for k in range(3)]
    frames[0].save(folder / "animated.gif", save_all=True, append_images=frames[1:])
    frames[0].save(folder / "animated.png", save_all=True, append_images=frames[1:])
    frames[0].save(folder / "pages.tif", save_all=True, append_images=frames[1:])
    # 16-bit gray + alpha
    gray16 = _photo()[..., 0].astype(np.uint16) * 257
    (folder / "la16.png").write_bytes(gray_alpha16_png(np.dstack([gray16, 65535 - gray16])))
    # checksums that fail
    (folder / "bad_idat_crc.png").write_bytes(_break_crc(data, b"IDAT"))
    (folder / "bad_ihdr_crc.png").write_bytes(_break_crc(data, b"IHDR"))
    # 16-bit RGBA TIFF as OpenCV writes it (no ExtraSamples tag: decoders warn about it)
    rgba16 = np.dstack([_photo().astype(np.uint16) * 257, np.full((40, 56), 50000, np.uint16)])
    cv2.imwrite(str(folder / "rgba16.tif"), rgba16[..., [2, 1, 0, 3]])
    # a folder named like an image
    (folder / "dir.png").mkdir(exist_ok=True)
    # JPEGs for dejpeg: progressive, with tables no libjpeg quality makes, and a plain blocky one
    Image.fromarray(_photo()).save(folder / "progressive.jpg", quality=20, progressive=True)
    Image.fromarray(_photo()).save(folder / "custom_tables.jpg", qtables=[[7 + (k % 5) for k in range(64)]] * 2)
    Image.fromarray(_photo()).save(folder / "blocky.jpg", quality=10)
    # for dehaze: all white, all black, and smaller than the dark channel's 15×15 patch
    Image.fromarray(np.full((40, 56, 3), 255, np.uint8)).save(folder / "white.png")
    Image.fromarray(np.zeros((40, 56, 3), np.uint8)).save(folder / "black.png")
    Image.fromarray(_photo(6, 5)).save(folder / "tiny.png")
    # blur kernels for deblur: a colour image, a NaN, a negative, an all-zero, a huge one, not an array
    Image.fromarray(np.full((5, 5, 3), (200, 100, 50), np.uint8)).save(folder / "kernel_rgb.png")
    for name, kernel in (("nan", np.full((3, 3), np.nan)), ("negative", -np.ones((3, 3))), ("zero", np.zeros((3, 3))),
                         ("huge", np.ones((99, 99))), ("rgb", np.ones((3, 3, 3)))):
        np.save(folder / f"kernel_{name}.npy", kernel)
    (folder / "kernel_text.npy").write_text("not an array")


def gray_alpha16_png(pixels: np.ndarray) -> bytes:
    h, w, _ = pixels.shape
    rows = np.hstack([np.zeros((h, 1), np.uint8), pixels.astype(">u2").reshape(h, w * 2).view(np.uint8)])
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 4, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(rows.tobytes())) + _png_chunk(b"IEND", b"")


def _break_crc(png: bytes, kind: bytes) -> bytes:
    at = png.index(kind)
    length = int.from_bytes(png[at - 4 : at], "big")
    crc = at + 4 + length
    return png[:crc] + bytes(b ^ 0xFF for b in png[crc : crc + 4]) + png[crc + 4 :]


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
    # console markup in names (issue 18, class 1)
    ("brackets in the file name", "denoise '{d}/photo [copy].png' -o {d}/out.png --sigma 15", 0, "wrote", ((40, 56, 3), np.uint8)),
    ("brackets in the output name", "denoise {d}/good.png -o '{d}/o [x]/photo [copy] out.png' --sigma 15", 0,
     "photo [copy] out.png", None),
    ("emoji codes and markup tags in a name", "upscale '{d}/photo :smile: [bold red]x.png' -o {d}/o", 0,
     "o/photo :smile: [bold red]x.png", None),
    ("a folder named x[", "upscale '{d}/x[' -o {d}/o", 0, "o/in [b].png", None),
    ("a failing file with brackets in a batch", "upscale '{d}/photo [copy].png' {d}/corrupt.png {d}/good.png -o {d}/o", 1,
     "wrote", None),
    # non-finite pixels and settings (class 2)
    ("float TIFF", "denoise {d}/float.tif -o {d}/out.png --sigma 15", 0, "wrote", ((40, 56), np.uint16)),
    ("float TIFF with a NaN pixel", "denoise {d}/nan.tif -o {d}/out.png --sigma 15", 1, "1 non-finite value", None),
    ("float TIFF with +Inf", "upscale {d}/inf.tif -o {d}/out.png", 1, "row 3, column 5", None),
    ("float TIFF with -Inf", "denoise {d}/neginf.tif -o {d}/out.png", 1, "non-finite", None),
    ("--strength nan", "denoise {d}/good.png -o {d}/out.png --strength nan", 1, "strength must be", None),
    ("--strength inf", "denoise {d}/good.png -o {d}/out.png --strength inf", 1, "strength must be", None),
    ("--sigma nan", "denoise {d}/good.png -o {d}/out.png --sigma nan", 1, "--sigma must be between 0 and 255", None),
    # Typer's boxes (class 5)
    ("--scale 2.5", "upscale {d}/good.png -o {d}/out.png --scale 2.5", 1, "Invalid value for '--scale'", None),
    ("--sigma abc", "denoise {d}/good.png -o {d}/out.png --sigma abc", 1, "Invalid value for '--sigma'", None),
    ("--sigma ''", "denoise {d}/good.png -o {d}/out.png --sigma ''", 1, "Invalid value for '--sigma'", None),
    ("--tile abc", "denoise {d}/good.png -o {d}/out.png --tile abc", 1, "Invalid value for '--tile'", None),
    ("--max-pixels abc", "upscale {d}/good.png -o {d}/out.png --max-pixels abc", 1, "Invalid value for '--max-pixels'", None),
    ("an unknown option", "upscale {d}/good.png -o {d}/out.png --frobnicate", 1, "No such option", None),
    ("no -o", "upscale {d}/good.png", 1, "Missing option", None),
    # misleading or repeated messages (class 6)
    ("--strength 1e9 on a gray photo", "denoise {d}/gray16.png -o {d}/out.png --strength 1e9", 1, "strength must be", None),
    ("a bad --strength with a folder", "denoise {d} -o {d}/o --strength -1", 1, "strength must be", None),
    # output paths (class 7)
    ("-o out.gif", "denoise {d}/good.png -o {d}/out.gif --sigma 15", 1, "does not write .gif files", None),
    ("-o out.xyz", "denoise {d}/good.png -o {d}/out.xyz --sigma 15", 1, "does not write .xyz files", None),
    ("-o an existing folder named dir.png", "denoise {d}/good.png -o {d}/dir.png --sigma 15", 0, "dir.png/good.png", None),
    # frames left out (class 8)
    ("animated GIF", "denoise {d}/animated.gif -o {d}/out.png --sigma 15", 0, "only the first is processed", ((40, 56, 3), np.uint8)),
    ("animated PNG", "denoise {d}/animated.png -o {d}/out.png --sigma 15", 0, "only the first is processed", ((40, 56, 3), np.uint8)),
    ("multi-page TIFF", "upscale {d}/pages.tif -o {d}/out.png", 0, "only the first is processed", ((80, 112, 3), np.uint8)),
    # tiles (class 9)
    ("--tile -1", "denoise {d}/good.png -o {d}/out.png --sigma 15 --tile -1", 1, "tile must be 0", None),
    ("--tile 1", "upscale {d}/good.png -o {d}/out.png --tile 1", 1, "tile must be 0", None),
    ("--tile 3", "denoise {d}/good.png -o {d}/out.png --sigma 15 --tile 3", 1, "tile must be 0", None),
    # 16-bit gray + alpha stays gray + alpha (class 10)
    ("16-bit gray + alpha PNG", "denoise {d}/la16.png -o {d}/out.png --sigma 15", 0, "wrote", ((40, 56, 2), np.uint16)),
    # checksums (class 12)
    ("PNG with a bad IDAT checksum", "denoise {d}/bad_idat_crc.png -o {d}/out.png --sigma 15", 1, "checksum of its IDAT", None),
    ("16-bit RGBA TIFF without ExtraSamples", "upscale {d}/rgba16.tif -o {d}/out.png", 0, "wrote", ((80, 112, 4), np.uint16)),
    ("16-bit RGBA TIFF written as TIFF", "denoise {d}/rgba16.tif -o {d}/o/out.tif --sigma 15", 0, "wrote", None),
    ("PNG with a bad IHDR checksum", "upscale {d}/bad_ihdr_crc.png -o {d}/out.png", 1, "checksum of its IHDR", None),
    # JPEG artifact removal (issue 19)
    ("dejpeg: --quality 0", "dejpeg {d}/blocky.jpg -o {d}/out.png --quality 0", 1, "quality must be a whole number from 1 to 100", None),
    ("dejpeg: --quality 101", "dejpeg {d}/blocky.jpg -o {d}/out.png --quality 101", 1, "from 1 to 100", None),
    ("dejpeg: --strength 3", "dejpeg {d}/blocky.jpg -o {d}/out.png --strength 3", 1, "strength must be a number from 0 to 2", None),
    ("dejpeg: a PNG, quality predicted", "dejpeg {d}/good.png -o {d}/out.png", 0, "treated as quality 90", ((40, 56, 3), np.uint8)),
    ("dejpeg: a progressive JPEG", "dejpeg {d}/progressive.jpg -o {d}/out.png", 0, "wrote", ((40, 56, 3), np.uint8)),
    ("dejpeg: tables no libjpeg quality makes", "dejpeg {d}/custom_tables.jpg -o {d}/out.png", 0, "not libjpeg's",
     ((40, 56, 3), np.uint8)),
    ("dejpeg: arcnn picked by the file's quality", "dejpeg {d}/blocky.jpg -o {d}/out.png --model arcnn", 0, "wrote",
     ((40, 56, 3), np.uint8)),
    ("dejpeg: 16-bit gray + alpha", "dejpeg {d}/la16.png -o {d}/out.png", 0, "wrote", ((40, 56, 2), np.uint16)),
    ("dejpeg: a model of another task", "dejpeg {d}/blocky.jpg -o {d}/out.png --model ffdnet_gray", 1, "is a denoise model", None),
    ("deblur: a kernel larger than the image", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_huge.npy", 1,
     "is larger than the image", None),
    ("deblur: an all-zero kernel", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_zero.npy", 1, "all zero", None),
    ("deblur: a negative kernel", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_negative.npy", 1, "negative", None),
    ("deblur: a NaN kernel", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_nan.npy", 1, "NaN", None),
    ("deblur: a kernel file that is neither image nor .npy", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_text.npy",
     1, "not a NumPy array", None),
    ("deblur: a kernel file that is an image of text", "deblur {d}/good.png -o {d}/out.png --kernel {d}/text.png", 1,
     "neither an image nor a .npy", None),
    ("deblur: a colour kernel array", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_rgb.npy", 1,
     "is a colour image", None),
    ("deblur: a colour kernel image, converted", "deblur {d}/good.png -o {d}/out.png --kernel {d}/kernel_rgb.png --model wiener",
     0, "were averaged into one kernel", ((40, 56, 3), np.uint8)),
    ("deblur: two kernels", "deblur {d}/good.png -o {d}/out.png --motion 5,0 --defocus 2", 1, "give one blur kernel", None),
    ("deblur: --motion 5", "deblur {d}/good.png -o {d}/out.png --motion 5", 1, "--motion takes LENGTH,ANGLE", None),
    ("deblur: a blind model told a kernel", "deblur {d}/good.png -o {d}/out.png --defocus 2 --model blurred", 1,
     "deblurs blind", None),
    ("deblur: a non-blind model without a kernel", "deblur {d}/good.png -o {d}/out.png --model wiener", 1,
     "deconvolves a known blur", None),
    ("dehaze: a 16-bit gray image, dehazed as three equal channels", "dehaze {d}/gray16.png -o {d}/out.png", 0, "wrote",
     ((40, 56), np.uint16)),
    ("dehaze: an all-white image", "dehaze {d}/white.png -o {d}/out.png", 0, "wrote", ((40, 56, 3), np.uint8)),
    ("dehaze: an all-black image", "dehaze {d}/black.png -o {d}/out.png", 0, "wrote", ((40, 56, 3), np.uint8)),
    ("dehaze: an all-white image, dark channel prior", "dehaze {d}/white.png -o {d}/out.png --model dcp", 0, "wrote",
     ((40, 56, 3), np.uint8)),
    ("dehaze: an image smaller than the prior's patch", "dehaze {d}/tiny.png -o {d}/out.png --model dcp", 0, "wrote",
     ((6, 5, 3), np.uint8)),
    ("dehaze: an image smaller than the default's grid", "dehaze {d}/tiny.png -o {d}/out.png", 0, "wrote", ((6, 5, 3), np.uint8)),
    ("dehaze: 16-bit gray + alpha", "dehaze {d}/la16.png -o {d}/out.png --model dehazenet", 0, "wrote", ((40, 56, 2), np.uint16)),
    ("dehaze: --strength 2", "dehaze {d}/good.png -o {d}/out.png --strength 2", 1, "strength must be a number from 0 to 1", None),
    ("dehaze: a transmission map from CLAHE", "dehaze {d}/good.png -o {d}/out.png --model clahe --save-transmission {d}/t", 1,
     "estimates no transmission map", None),
    ("dehaze: --save-transmission names a file", "dehaze {d}/good.png -o {d}/out.png --save-transmission {d}/good.png", 1,
     "is a file; name a folder", None),
    ("dehaze: bench on a folder without hazy/", "bench dehaze --data {d} --model dcp", 1, "has no hazy/ folder", None),
    ("deblur: 16-bit gray + alpha, straight motion", "deblur {d}/la16.png -o {d}/out.png --motion 7,45", 0, "wrote",
     ((40, 56, 2), np.uint16)),
    ("enhance: an all-black image (nothing to recover: it comes back unchanged)", "enhance {d}/black.png -o {d}/out.png", 0, "wrote",
     ((40, 56, 3), np.uint8)),
    ("enhance: an all-white image", "enhance {d}/white.png -o {d}/out.png", 0, "wrote", ((40, 56, 3), np.uint8)),
    ("enhance: a 16-bit gray image, enhanced as three equal channels", "enhance {d}/gray16.png -o {d}/out.png", 0, "wrote",
     ((40, 56), np.uint16)),
    ("enhance: 16-bit gray + alpha, LIME", "enhance {d}/la16.png -o {d}/out.png --model lime", 0, "wrote", ((40, 56, 2), np.uint16)),
    ("enhance: an image smaller than HDRNet's grid", "enhance {d}/tiny.png -o {d}/out.png", 0, "wrote", ((6, 5, 3), np.uint8)),
    ("enhance: a tiny image through DeepUPE", "enhance {d}/tiny.png -o {d}/out.png --model deepupe", 0, "wrote", ((6, 5, 3), np.uint8)),
    ("enhance: --strength 2", "enhance {d}/good.png -o {d}/out.png --strength 2", 1, "strength must be a number from 0 to 1", None),
    ("enhance: a dehazer named", "enhance {d}/good.png -o {d}/out.png --model dcp", 1, "is a dehaze model, not an enhancer", None),
    ("enhance: bench at exposure 0", "bench enhance --data {d} --model gamma --exposure 0", 1, "--exposure must be in (0, 1]", None),
]


def _api_cases():
    import torch

    import darkroom

    gray8 = _photo()[..., 0]
    color8 = _photo()
    nan_image = gray8.astype(np.float32) / 255
    nan_image[2, 3] = np.nan
    sigma_nan = np.full(gray8.shape, 15.0)
    sigma_nan[0, 0] = np.nan
    return [
        ("denoise a batch of 2 colour tensors, told σ", lambda: darkroom.denoise(torch.rand(2, 3, 16, 16), sigma=15), None),
        ("denoise a batch of 3 colour tensors, blind", lambda: darkroom.denoise(torch.rand(3, 3, 16, 16)), None),
        ("denoise a batch of 2 gray tensors, estimated σ", lambda: darkroom.denoise(torch.rand(2, 1, 16, 16)), None),
        ("denoise an empty array", lambda: darkroom.denoise(np.array([])), "must be H×W or H×W×C"),
        ("denoise a 0-d array", lambda: darkroom.denoise(np.array(5.0)), "must be H×W or H×W×C"),
        ("a tensor on the meta device", lambda: darkroom.denoise(torch.empty(1, 3, 8, 8, device="meta"), sigma=15),
         "meta device"),
        ("upscale by 2.5", lambda: darkroom.upscale(gray8, 2.5), "scale must be a whole number"),
        ("dejpeg at quality 12.5", lambda: darkroom.dejpeg(gray8, 12.5), "quality must be a whole number"),
        ("dejpeg a batch of 2 colour tensors, quality predicted", lambda: darkroom.dejpeg(torch.rand(2, 3, 16, 16)), None),
        ("upscale by 3.9", lambda: darkroom.upscale(gray8, 3.9), "scale must be a whole number"),
        ("a σ map of -50", lambda: darkroom.denoise(gray8, sigma=np.full(gray8.shape, -50.0)), "between 0 and 255"),
        ("a σ map of 1e6", lambda: darkroom.denoise(gray8, sigma=np.full(gray8.shape, 1e6)), "between 0 and 255"),
        ("a σ map with a NaN", lambda: darkroom.denoise(gray8, sigma=sigma_nan), "non-finite"),
        ("σ as text", lambda: darkroom.denoise(gray8, sigma="abc"), "sigma must be a number"),
        ("a big-endian uint16 array", lambda: darkroom.denoise((gray8.astype(np.uint16) * 257).astype(">u2"), sigma=15), None),
        ("a float array with a NaN pixel", lambda: darkroom.denoise(nan_image, sigma=15), "row 2, column 3"),
        ("a float tensor with +Inf", lambda: darkroom.upscale(torch.full((1, 8, 8), float("inf")), 2), "non-finite"),
        ("strength NaN on a colour photo", lambda: darkroom.denoise(color8, strength=float("nan")), "strength must be"),
        ("strength 1e9 on a gray photo", lambda: darkroom.denoise(gray8, strength=1e9), "strength must be"),
        ("tile -64", lambda: darkroom.denoise(color8, sigma=15, tile=-64), "tile must be 0"),
        ("tile 3", lambda: darkroom.upscale(color8, 2, tile=3), "tile must be 0"),
        ("stylize at size NaN", lambda: darkroom.stylize(color8, size=float("nan")), "size must be a whole number"),
        ("deblur with a kernel of text", lambda: darkroom.deblur(gray8, "abc"), "a 2-D array of numbers"),
        ("deblur with a 1-D kernel", lambda: darkroom.deblur(gray8, np.ones(5)), "must be a 2-D array"),
        ("deblur a colour batch of 2 tensors, given a kernel", lambda: darkroom.deblur(torch.rand(2, 3, 24, 24), np.ones((3, 3))), None),
        ("dehaze at strength NaN", lambda: darkroom.dehaze(color8, float("nan")), "strength must be"),
        ("dehaze a colour batch of 2 tensors", lambda: darkroom.dehaze(torch.rand(2, 3, 24, 24)), None),
        ("dehaze a float image with a NaN pixel", lambda: darkroom.dehaze(np.dstack([nan_image] * 3), model="dcp"), "non-finite"),
        ("the transmission map of CLAHE", lambda: darkroom.haze_transmission(color8, "clahe"), "estimates no transmission map"),
        ("enhance at strength NaN", lambda: darkroom.enhance(color8, float("nan")), "strength must be"),
        ("enhance a colour batch of 2 tensors", lambda: darkroom.enhance(torch.rand(2, 3, 24, 24)), None),
        ("enhance a float image with a NaN pixel", lambda: darkroom.enhance(np.dstack([nan_image] * 3), model="lime"), "non-finite"),
    ]


API_CASES = _api_cases()


def cli_args(template: str, folder: Path) -> list[str]:
    """The command of a case as a shell would split it, with {d} the folder."""
    return shlex.split(template.format(d=folder))


LINE_STARTS = ("error: ", "warning: ", "wrote ", "skip ")


def stray_lines(stderr: str) -> list[str]:
    """Lines of stderr that break the one-line rule (a traceback, a library's own line, a box)."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(LINE_STARTS)]


def input_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``: a run may add files, never change one that was there."""
    import hashlib

    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file()}
