"""Reading and writing image files: the only place darkroom touches pixels on disk.

Pillow reads the header (format, mode, size, EXIF, ICC profile) and most pixel data.
Pillow silently reduces 16-bit color PNG/TIFF to 8 bits and cannot open float TIFF,
so those pixels are decoded with OpenCV instead. Pixels come back upright (EXIF
orientation applied), as NumPy arrays in the file's own precision: uint8, uint16 or
float32; gray as H×W, color as H×W×3, and alpha, when present, as one more channel
(H×W×2 or H×W×4), which is how darkroom's public verbs expect it.
"""

from __future__ import annotations

import io as _io
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, PngImagePlugin, UnidentifiedImageError

from darkroom.errors import DarkroomError, ImageReadError

# darkroom applies its own, clearer decompression-bomb guard (see ``max_pixels``).
Image.MAX_IMAGE_PIXELS = None
# Pillow refuses PNG text and ICC chunks that inflate past 1 MB; darkroom reads such files
# (a camera's or a printer's ICC profile can be larger), and writes PNGs that any Pillow reads.
_PILLOW_PNG_CHUNK_LIMIT = PngImagePlugin.MAX_TEXT_CHUNK
PngImagePlugin.MAX_TEXT_CHUNK = 64 * 2**20

DEFAULT_MAX_PIXELS = 120_000_000  # ~ a 12000×10000 photo; larger needs an explicit override
WRITABLE = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF", ".webp": "WEBP"}
READABLE = set(WRITABLE) | {".gif", ".ppm", ".pgm", ".pbm", ".pnm"}
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class ImageFile:
    """Decoded pixels plus the metadata to carry to the output."""

    pixels: np.ndarray
    has_alpha: bool
    exif: bytes | None
    icc_profile: bytes | None
    format: str
    notes: tuple[str, ...] = ()  # what the user should hear about the file (e.g. frames left out)
    jpeg_tables: tuple[tuple[int, ...], ...] | None = None  # a JPEG's quantization tables, natural order

    @property
    def color_channels(self) -> int:
        c = 1 if self.pixels.ndim == 2 else self.pixels.shape[2]
        return c - 1 if self.has_alpha else c


def _orient(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """Apply an EXIF orientation (1–8) to an H×W(×C) array."""
    ops = {
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: np.swapaxes(a, 0, 1),
        6: lambda a: np.swapaxes(a, 0, 1)[:, ::-1],
        7: lambda a: np.swapaxes(a, 0, 1)[::-1, ::-1],
        8: lambda a: np.swapaxes(a, 0, 1)[::-1],
    }
    return np.ascontiguousarray(ops[orientation](pixels)) if orientation in ops else pixels


def _pixels_from_pil(im: Image.Image) -> tuple[np.ndarray, bool]:
    mode = im.mode
    if mode == "1":
        return np.array(im.convert("L")), False
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in im.info
        return np.array(im.convert("RGBA" if has_alpha else "RGB")), has_alpha
    if mode == "CMYK":
        icc = im.info.get("icc_profile")
        if icc:
            try:
                src = ImageCms.ImageCmsProfile(_io.BytesIO(icc))
                rgb = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
                return np.array(rgb), False
            except (ImageCms.PyCMSError, OSError):
                pass  # a broken profile: fall back to Pillow's plain conversion
        return np.array(im.convert("RGB")), False
    if mode in ("L", "RGB", "RGBA", "LA"):
        return np.array(im), mode in ("RGBA", "LA")
    if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.array(im).astype(np.uint16), False
    if mode == "I":
        arr = np.array(im)
        if arr.min() >= 0 and arr.max() <= 65535:
            return arr.astype(np.uint16), False
        return arr.astype(np.float32), False
    if mode == "F":
        return np.array(im, dtype=np.float32), False
    if mode in ("RGBX", "RGBa", "La", "YCbCr", "LAB", "HSV"):
        target = "RGBA" if mode in ("RGBa", "La") else "RGB"
        return np.array(im.convert(target)), target == "RGBA"
    raise ImageReadError(f"unsupported image mode {mode!r}")


def _opencv():
    """OpenCV, with its own logger silenced: a decoder's warning (a TIFF tag it does not know)
    must not reach the user's terminal as a stray line; darkroom checks the results itself."""
    import cv2

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    return cv2


def _pixels_from_opencv(data: bytes) -> tuple[np.ndarray, bool] | None:
    cv2 = _opencv()

    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if arr is None:
        return None
    if arr.dtype not in (np.uint8, np.uint16, np.float32):
        arr = arr.astype(np.float32)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim == 3 and arr.shape[2] == 3:
        arr = arr[:, :, ::-1]
    elif arr.ndim == 3 and arr.shape[2] == 4:
        arr = arr[:, :, [2, 1, 0, 3]]
    return np.ascontiguousarray(arr), arr.ndim == 3 and arr.shape[2] in (2, 4)


def _check_pixels(path: Path, width: int, height: int, max_pixels: int | None) -> None:
    if max_pixels is not None and width * height > max_pixels:
        raise DarkroomError(
            f"{path}: {width}×{height} = {width * height:,} pixels exceeds the limit of {max_pixels:,} "
            "(a possible decompression bomb); raise it with --max-pixels if you trust the file"
        )


def read_image(path: str | os.PathLike, *, max_pixels: int | None = DEFAULT_MAX_PIXELS) -> ImageFile:
    """Read an image file upright, in its own precision, with its EXIF and ICC profile.

    Raises ``ImageReadError`` (a ``DarkroomError``) with one line for missing, empty,
    corrupt, truncated or oversized files.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.png")
    >>> write_image(p, np.zeros((4, 6, 3), np.uint8))  # the notes for the user: none
    []
    >>> read_image(p).pixels.shape
    (4, 6, 3)
    """
    path = Path(path)
    if not path.exists():
        raise ImageReadError(f"{path}: no such file")
    if path.is_dir():
        raise ImageReadError(f"{path}: is a folder, not an image")
    data = path.read_bytes()
    if not data:
        raise ImageReadError(f"{path}: the file is empty (0 bytes)")
    if data.startswith(_PNG_SIGNATURE):
        _check_png_chunks(path, data)  # before any decoder, so that libpng never prints its own line
    try:
        im = Image.open(_io.BytesIO(data))
    except UnidentifiedImageError:
        decoded = _pixels_from_opencv(data)  # float TIFF, which Pillow cannot open
        if decoded is None:
            raise ImageReadError(f"{path}: not a readable image (unknown or corrupt format)") from None
        pixels, alpha = decoded
        _check_pixels(path, pixels.shape[1], pixels.shape[0], max_pixels)
        return ImageFile(pixels, alpha, None, None, "TIFF")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageReadError(f"{path}: not a readable image ({exc})") from None
    _check_pixels(path, im.width, im.height, max_pixels)
    fmt = im.format or path.suffix.lstrip(".").upper()
    icc = im.info.get("icc_profile")
    try:
        exif = im.getexif()  # for PNG this may read past the header, so it is guarded too
        orientation = int(exif.get(_ORIENTATION_TAG, 1) or 1)
        im.load()
        decoded = None
        if fmt in ("PNG", "TIFF") and im.mode in ("RGB", "RGBA", "I", "I;16", "I;16B", "I;16L", "F"):
            decoded = _pixels_from_opencv(data)  # keeps 16-bit color, which Pillow reduces to 8
        if decoded is None:
            decoded = _pixels_from_pil(im)
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise ImageReadError(f"{path}: the image data is truncated or corrupt ({exc})") from None
    pixels, has_alpha = decoded
    if fmt == "PNG" and data[25:26] in (b"\x00", b"\x04") and pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        # a gray (+ alpha) PNG that a decoder expanded to RGB(A): keep it gray, as it was stored
        pixels = np.ascontiguousarray(pixels[..., [0, 3]] if pixels.shape[2] == 4 else pixels[..., 0])
    notes = []
    frames = getattr(im, "n_frames", 1)
    if frames > 1:
        notes.append(f"holds {frames} frames (animation or pages); only the first is processed")
    if im.mode == "CMYK":
        icc = None  # the CMYK profile does not describe the converted RGB pixels
    if orientation != 1 and _ORIENTATION_TAG in exif:
        pixels = _orient(pixels, orientation)
        exif[_ORIENTATION_TAG] = 1  # the pixels are upright now
    exif_bytes = exif.tobytes() if len(exif) else None
    tables = getattr(im, "quantization", None) if fmt == "JPEG" else None
    jpeg_tables = tuple(tuple(int(v) for v in tables[k]) for k in sorted(tables)) if tables else None
    return ImageFile(pixels, has_alpha, exif_bytes, icc, fmt, tuple(notes), jpeg_tables)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_png_chunks(path: Path, data: bytes) -> None:
    """Refuse a PNG whose chunk checksums fail: its pixels cannot be trusted (a decoder
    would print its own complaint and go on)."""
    pos = len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 8 + length
        if end + 4 > len(data):
            return  # truncated: the decoder's own error names it
        stored = int.from_bytes(data[end : end + 4], "big")
        if zlib.crc32(data[pos + 4 : end]) & 0xFFFFFFFF != stored:
            name = kind.decode("latin-1") if kind.isalpha() else repr(kind)
            raise ImageReadError(f"{path}: the file is corrupt (the checksum of its {name} chunk fails)")
        if kind == b"IEND":
            return
        pos = end + 4


def _tiff_with_alpha_tag(tiff: bytes) -> bytes:
    """Add ExtraSamples = unassociated alpha to OpenCV's RGBA TIFF, which leaves the tag out (so
    readers warn that the fourth channel is undeclared). The first IFD is copied to the end of
    the file with the tag added; every other offset stays valid."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or struct.unpack(order + "H", tiff[2:4])[0] != 42:
        return tiff  # BigTIFF or not a TIFF: leave it as OpenCV made it
    (ifd,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[ifd : ifd + 2])
    entries = [tiff[ifd + 2 + 12 * i : ifd + 14 + 12 * i] for i in range(count)]
    tags = [struct.unpack(order + "H", e[:2])[0] for e in entries]
    if 338 in tags:
        return tiff
    (next_ifd,) = struct.unpack(order + "I", tiff[ifd + 2 + 12 * count : ifd + 6 + 12 * count])
    extra = struct.pack(order + "HHIHH", 338, 3, 1, 2, 0)  # SHORT, one value: 2 = unassociated alpha
    entries = sorted([*entries, extra], key=lambda e: struct.unpack(order + "H", e[:2])[0])
    body = tiff + b"\x00" * (len(tiff) % 2)  # an IFD starts on a word boundary
    new_ifd = len(body)
    table = struct.pack(order + "H", len(entries)) + b"".join(entries) + struct.pack(order + "I", next_ifd)
    return body[:4] + struct.pack(order + "I", new_ifd) + body[8:] + table


def _png_gray_alpha16(pixels: np.ndarray) -> bytes:
    """A 16-bit gray + alpha PNG (colour type 4), which neither Pillow nor OpenCV writes."""
    h, w, _ = pixels.shape
    samples = pixels.astype(">u2").reshape(h, w * 2).view(np.uint8)
    rows = np.hstack([np.zeros((h, 1), np.uint8), samples])  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", w, h, 16, 4, 0, 0, 0)
    return (_PNG_SIGNATURE + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
            + _png_chunk(b"IEND", b""))


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def _png_with_metadata(png: bytes, exif: bytes | None, icc: bytes | None) -> bytes:
    """Insert iCCP and eXIf chunks after IHDR (OpenCV, which writes 16-bit color PNG, drops them)."""
    extra = b""
    if icc:
        extra += _png_chunk(b"iCCP", b"ICC profile\x00\x00" + zlib.compress(icc))
    if exif:
        extra += _png_chunk(b"eXIf", exif[6:] if exif.startswith(b"Exif\x00\x00") else exif)
    ihdr_end = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    return png[:ihdr_end] + extra + png[ihdr_end:]


def _to_srgb(pixels: np.ndarray, icc: bytes, notes: list[str]) -> tuple[np.ndarray, bytes | None]:
    """8-bit colour converted from ``icc`` to sRGB (so no profile is needed); other pixels keep
    their values, untagged. Either way the user hears of it."""
    size = f"{len(icc) / 2**20:.1f} MB"
    if pixels.dtype == np.uint8 and pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        try:
            source = ImageCms.ImageCmsProfile(_io.BytesIO(icc))
            rgb = ImageCms.profileToProfile(Image.fromarray(np.ascontiguousarray(pixels[..., :3])), source,
                                            ImageCms.createProfile("sRGB"), outputMode="RGB")
            converted = np.array(rgb)
            if pixels.shape[2] == 4:
                converted = np.dstack([converted, pixels[..., 3]])
            notes.append(f"the ICC profile ({size}) is too large for a PNG that other programs read; the pixels "
                         "were converted to sRGB instead")
            return converted, None
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    notes.append(f"the ICC profile ({size}) is too large for a PNG that other programs read; it was left out")
    return pixels, None


def _to_file_dtype(pixels: np.ndarray, fmt: str) -> np.ndarray:
    """Convert to what ``fmt`` can store: 8-bit only formats get rounded uint8."""
    if pixels.dtype == np.uint8:
        return pixels
    if fmt in ("JPEG", "BMP", "WEBP"):
        if pixels.dtype == np.uint16:
            return np.rint(pixels / 257.0).astype(np.uint8)
        return np.clip(np.rint(pixels * 255.0), 0, 255).astype(np.uint8)
    if fmt == "PNG" and pixels.dtype != np.uint16:
        return np.clip(np.rint(pixels.astype(np.float64) * 65535.0), 0, 65535).astype(np.uint16)
    if fmt == "TIFF" and pixels.dtype not in (np.uint16, np.float32):
        return pixels.astype(np.float32)
    return pixels


def _encode(pixels: np.ndarray, fmt: str, exif: bytes | None, icc: bytes | None, quality: int,
            notes: list[str]) -> bytes:
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if fmt in ("JPEG", "BMP") and channels in (2, 4):
        raise DarkroomError(f"{fmt} cannot store transparency; write PNG, WebP or TIFF to keep the alpha channel")
    if fmt == "PNG" and icc and len(icc) > _PILLOW_PNG_CHUNK_LIMIT:
        # Pillow (and so darkroom's users' tools) would refuse to open the file again.
        pixels, icc = _to_srgb(pixels, icc, notes)
    if fmt == "PNG" and channels == 2 and pixels.dtype == np.uint16:
        return _png_with_metadata(_png_gray_alpha16(pixels), exif, icc)
    if pixels.dtype != np.uint8 and not (pixels.ndim == 2 and pixels.dtype == np.uint16 and fmt == "PNG"):
        cv2 = _opencv()
        arr = pixels
        if arr.ndim == 3 and arr.shape[2] == 2:  # a TIFF: OpenCV has no gray+alpha, so RGBA with R = G = B
            arr = np.dstack([arr[..., 0]] * 3 + [arr[..., 1]])
        if arr.ndim == 3 and arr.shape[2] == 3:
            arr = arr[:, :, ::-1]
        elif arr.ndim == 3 and arr.shape[2] == 4:
            arr = arr[:, :, [2, 1, 0, 3]]
        ok, buf = cv2.imencode(".png" if fmt == "PNG" else ".tif", np.ascontiguousarray(arr))
        if not ok:
            raise DarkroomError(f"could not encode a {pixels.dtype} image as {fmt}")
        if fmt == "PNG":
            return _png_with_metadata(buf.tobytes(), exif, icc)
        return _tiff_with_alpha_tag(buf.tobytes()) if arr.ndim == 3 and arr.shape[2] == 4 else buf.tobytes()
    if pixels.ndim == 2:
        im = Image.fromarray(pixels)
    else:
        mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[channels]
        im = Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels, mode=None if channels != 1 else "L")
        if im.mode != mode:
            im = im.convert(mode)
    options: dict = {}
    if exif and fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
        options["exif"] = exif
    if icc and fmt in ("JPEG", "PNG", "TIFF", "WEBP"):
        options["icc_profile"] = icc
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = quality
    out = _io.BytesIO()
    im.save(out, format=fmt, **options)
    return out.getvalue()


def write_image(
    path: str | os.PathLike,
    pixels: np.ndarray,
    *,
    exif: bytes | None = None,
    icc_profile: bytes | None = None,
    overwrite: bool = False,
    quality: int = 95,
) -> list[str]:
    """Write ``pixels`` atomically (temporary file, then rename), carrying EXIF and ICC;
    returns the notes a user should see (metadata that could not be kept as it was).

    The format follows the suffix. uint16 and float32 survive in PNG (16-bit) and
    TIFF; 8-bit-only formats get rounded 8-bit pixels. An existing file is never
    replaced unless ``overwrite`` is true.
    """
    path = Path(path)
    fmt = WRITABLE.get(path.suffix.lower())
    if fmt is None:
        raise DarkroomError(f"{path}: cannot write {path.suffix or 'files without a suffix'}; use one of {', '.join(sorted(WRITABLE))}")
    if path.is_dir():
        raise DarkroomError(f"{path} is a folder; name a file to write")
    notes: list[str] = []
    data = _encode(_to_file_dtype(np.asarray(pixels), fmt), fmt, exif, icc_profile, quality, notes)
    if path.exists() and not overwrite:
        _refuse_existing(path, data)
    write_bytes_atomic(path, data, replace=overwrite)
    return notes


def _link_if_absent(tmp: Path, path: Path, data: bytes) -> None:
    """Give ``tmp`` the name ``path`` unless a file took that name meanwhile (atomic: link fails then)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        _refuse_existing(path, data)
    except OSError:  # a file system without hard links: the plain rename, after one more look
        if path.exists():
            raise OutputExists(f"{path} appeared while it was being written; it was kept") from None
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import: os.umask can only be read by setting it, which would race with other threads.
_UMASK = _read_umask()


class OutputExists(DarkroomError):
    """The output file exists (or appeared while it was being made) and overwriting was not asked."""


class SameOutputExists(OutputExists):
    """The output file exists already with exactly the bytes that would be written (another
    run over the same folder made it): nothing is lost by keeping it."""


def _refuse_existing(path: Path, data: bytes) -> None:
    try:
        same = path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        same = False
    if same:
        raise SameOutputExists(f"{path} was written meanwhile by another run, with the same contents")
    raise OutputExists(f"{path} already exists; pass --overwrite to replace it")


# A temporary file is named .NAME.PID.RANDOM.part, so that a later run can tell a stale one
# (its process is gone, after a kill -9 or a power cut) from one another run is writing now.
_PART_PREFIX = "."
_PART_SUFFIX = ".part"


def remove_stale_parts(folder: Path) -> int:
    """Delete the temporary files that darkroom processes which no longer run left in ``folder``."""
    removed = 0
    try:
        candidates = [p for p in Path(folder).iterdir() if p.name.startswith(_PART_PREFIX) and p.name.endswith(_PART_SUFFIX)]
    except OSError:
        return 0
    for p in candidates:
        fields = p.name[: -len(_PART_SUFFIX)].rsplit(".", 2)
        if len(fields) != 3 or not fields[1].isdigit() or _process_alive(int(fields[1])):
            continue
        try:
            p.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def write_bytes_atomic(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over ``path``.

    With ``replace`` false, a file that appeared at ``path`` meanwhile is kept: if it holds
    the same bytes (another run made the same output) nothing more is done; otherwise
    ``OutputExists`` is raised. Either way it is never replaced.
    """
    folder = path.parent if str(path.parent) else Path(".")
    blocking = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise DarkroomError(f"cannot write {path}: {blocking} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{_PART_PREFIX}{path.name}.{os.getpid()}.", suffix=_PART_SUFFIX, dir=folder)
    except OSError as exc:
        raise DarkroomError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes private (0600) files; give the output the mode a plain open() would.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_UMASK)
        if replace:
            os.replace(tmp, path)
        else:
            _link_if_absent(Path(tmp), path, data)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DarkroomError(f"cannot write {path}: {exc.strerror or exc}") from None
