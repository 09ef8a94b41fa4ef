import os

import numpy as np
import pytest
from PIL import Image, ImageCms

from darkroom.errors import DarkroomError, ImageReadError
from darkroom.io import list_images, read_idx, read_image, read_kernels, write_image


@pytest.mark.parametrize("suffix,lossless", [(".png", True), (".bmp", True), (".tif", True), (".webp", False), (".jpg", False)])
def test_round_trip_formats(tmp_path, rgb_uint8, suffix, lossless):
    path = tmp_path / f"a{suffix}"
    write_image(path, rgb_uint8)
    back = read_image(path).pixels
    assert back.shape == rgb_uint8.shape and back.dtype == np.uint8
    if lossless:
        assert np.array_equal(back, rgb_uint8)
    else:
        assert np.abs(back.astype(int) - rgb_uint8).mean() < 4


@pytest.mark.parametrize("suffix", [".png", ".tif"])
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_sixteen_bit_survives(tmp_path, suffix, channels):
    rng = np.random.default_rng(1)
    shape = (9, 11) if channels == 1 else (9, 11, channels)
    arr = rng.integers(0, 65536, shape).astype(np.uint16)
    path = tmp_path / f"a{suffix}"
    write_image(path, arr)
    img = read_image(path)
    assert img.pixels.dtype == np.uint16 and np.array_equal(img.pixels, arr)
    assert img.has_alpha == (channels == 4)


def test_sixteen_bit_color_png_keeps_icc_and_exif(tmp_path):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "darkroom-test-camera"
    arr = (np.random.default_rng(3).random((6, 7, 3)) * 65535).astype(np.uint16)
    write_image(tmp_path / "m.png", arr, exif=exif.tobytes(), icc_profile=icc)
    img = read_image(tmp_path / "m.png")
    assert np.array_equal(img.pixels, arr) and img.icc_profile == icc
    assert Image.open(tmp_path / "m.png").getexif()[0x010F] == "darkroom-test-camera"


def test_float32_tiff_survives(tmp_path):
    arr = np.random.default_rng(2).normal(0.5, 0.4, (7, 5, 3)).astype(np.float32)
    write_image(tmp_path / "f.tif", arr)
    back = read_image(tmp_path / "f.tif").pixels
    assert back.dtype == np.float32 and np.array_equal(back, arr)


def test_palette_with_transparency_reads_as_rgba(tmp_path):
    im = Image.new("P", (4, 3))
    im.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    im.putpixel((1, 1), 1)
    im.info["transparency"] = 0
    im.save(tmp_path / "p.png", transparency=0)
    img = read_image(tmp_path / "p.png")
    assert img.has_alpha and img.pixels.shape == (3, 4, 4)
    assert img.pixels[1, 1].tolist() == [0, 255, 0, 255] and img.pixels[0, 0, 3] == 0


def test_gray_alpha_and_cmyk(tmp_path):
    Image.new("LA", (5, 4), (100, 50)).save(tmp_path / "la.png")
    la = read_image(tmp_path / "la.png")
    assert la.has_alpha and la.pixels.shape == (4, 5, 2)
    Image.new("CMYK", (5, 4), (0, 255, 255, 0)).save(tmp_path / "c.jpg")
    c = read_image(tmp_path / "c.jpg")
    assert c.pixels.shape == (4, 5, 3)
    r, g, b = c.pixels[2, 2].astype(int)
    assert r > 200 and g < 60 and b < 60  # cyan-free, full magenta+yellow is red


def test_exif_orientation_applied_and_exif_icc_carried(tmp_path):
    arr = np.zeros((4, 6, 3), np.uint8)
    arr[0, 0] = 255  # mark the top-left corner
    im = Image.fromarray(arr)
    exif = im.getexif()
    exif[0x0112] = 6  # stored rotated: display needs 90° clockwise
    exif[0x010F] = "darkroom-test-camera"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    im.save(tmp_path / "r.jpg", exif=exif.tobytes(), icc_profile=icc, quality=100)
    img = read_image(tmp_path / "r.jpg")
    assert img.pixels.shape == (6, 4, 3)
    assert img.pixels[0, -1].mean() > 200  # top-left went to top-right
    write_image(tmp_path / "o.png", img.pixels, exif=img.exif, icc_profile=img.icc_profile)
    out = Image.open(tmp_path / "o.png")
    assert out.info.get("icc_profile") == icc
    carried = out.getexif()
    assert carried[0x010F] == "darkroom-test-camera" and carried.get(0x0112, 1) == 1


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"hello, I am text\n", "not a readable image"),
])
def test_unreadable_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ImageReadError, match=message) as info:
        read_image(path)
    assert "\n" not in str(info.value)


def test_truncated_file(tmp_path, rgb_uint8):
    write_image(tmp_path / "full.png", np.tile(rgb_uint8, (4, 4, 1)))
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageReadError, match="truncated or corrupt"):
        read_image(tmp_path / "cut.png")


def test_decompression_bomb_guard_and_override(tmp_path):
    Image.new("L", (400, 300)).save(tmp_path / "big.png")
    with pytest.raises(DarkroomError, match="exceeds the limit.*--max-pixels"):
        read_image(tmp_path / "big.png", max_pixels=100_000)
    assert read_image(tmp_path / "big.png", max_pixels=200_000).pixels.shape == (300, 400)


def test_writes_are_atomic_and_never_overwrite(tmp_path, rgb_uint8):
    path = tmp_path / "x.png"
    write_image(path, rgb_uint8)
    before = path.read_bytes()
    with pytest.raises(DarkroomError, match="already exists"):
        write_image(path, rgb_uint8 // 2)
    assert path.read_bytes() == before
    write_image(path, rgb_uint8 // 2, overwrite=True)
    assert path.read_bytes() != before
    assert sorted(os.listdir(tmp_path)) == ["x.png"]  # no temporary file left behind
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()  # not the temporary file's private 0600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_alpha_cannot_silently_vanish_into_jpeg(tmp_path):
    with pytest.raises(DarkroomError, match="transparency"):
        write_image(tmp_path / "a.jpg", np.zeros((4, 4, 4), np.uint8))


def test_unwritable_destination(tmp_path, rgb_uint8):
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")  # even root cannot create a folder where a file stands
    with pytest.raises(DarkroomError, match="cannot write"):
        write_image(blocker / "x.png", rgb_uint8)
    assert blocker.read_bytes() == b"not a folder"


def test_list_images_expands_folders_and_globs(tmp_path, rgb_uint8):
    for n in ("b.png", "a.jpg", "notes.txt"):
        (tmp_path / n).write_bytes(b"x")
    assert [p.name for p in list_images([tmp_path])] == ["a.jpg", "b.png"]
    assert [p.name for p in list_images([str(tmp_path / "*.png")])] == ["b.png"]
    with pytest.raises(DarkroomError, match="no such file"):
        list_images([tmp_path / "missing.png"])


def test_kernels_and_mnist(data):
    levin = read_kernels(data("blur_kernels") / "Levin09.mat")
    assert [k.shape[0] for k in levin] == [19, 17, 15, 27, 13, 21, 23, 23]
    assert all(abs(k.sum() - 1) < 1e-9 for k in levin)
    assert len(read_kernels(data("blur_kernels") / "kernels_12.mat")) == 12
    labels = read_idx(data("MNIST") / "t10k-labels-idx1-ubyte.gz")
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
