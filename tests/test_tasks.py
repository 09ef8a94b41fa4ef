import numpy as np
import pytest
import torch

import darkroom
from darkroom.errors import DarkroomError


@pytest.mark.parametrize("image", [
    np.zeros((10, 12), np.uint8),
    np.zeros((10, 12, 3), np.uint16),
    np.zeros((10, 12, 4), np.uint8),
    np.zeros((10, 12, 2), np.float32),
    torch.zeros(3, 10, 12),
    torch.zeros(2, 1, 10, 12, dtype=torch.float64),
], ids=["gray-u8", "rgb-u16", "rgba-u8", "la-f32", "chw", "bchw-f64"])
def test_upscale_returns_the_kind_it_was_given(image):
    out = darkroom.upscale(image, 3)
    assert type(out) is type(image) and out.dtype == image.dtype
    if isinstance(image, np.ndarray):
        assert out.shape[:2] == (30, 36) and out.shape[2:] == image.shape[2:]
    else:
        assert out.shape[-2:] == (30, 36) and out.shape[:-2] == image.shape[:-2]


def test_upscale_matches_the_matlab_bicubic_op(rgb_uint8):
    from darkroom.ops import imresize, to_batch

    x, _ = to_batch(rgb_uint8)
    expected = np.clip(np.rint(imresize(x, 2)[0].numpy().transpose(1, 2, 0) * 255), 0, 255).astype(np.uint8)
    assert np.array_equal(darkroom.upscale(rgb_uint8, 2, model="bicubic"), expected)


@pytest.mark.parametrize("family", ["srcnn", "fsrcnn"])
def test_luminance_upscalers_keep_the_colour_of_bicubic(family, rgb_uint8):
    """SRCNN and FSRCNN see luminance only; colour images keep bicubic's colour differences."""
    from darkroom.ops import imresize, to_batch
    from darkroom.ops.color import rgb_to_gray

    out, _ = to_batch(darkroom.upscale(rgb_uint8, 2, model=family))
    x, _ = to_batch(rgb_uint8)
    bicubic = imresize(x, 2)
    chroma_error = ((out - rgb_to_gray(out)) - (bicubic - rgb_to_gray(bicubic))).abs()
    luma_change = (rgb_to_gray(out) - rgb_to_gray(bicubic)).abs()
    unclipped = ((out > 0) & (out < 1)).all(1, keepdim=True).expand_as(chroma_error)
    assert float(chroma_error[unclipped].max()) <= 1.01 / 255  # the output's 8-bit rounding only
    assert float(luma_change.max()) > 4 / 255  # while the network did change the luminance (fsrcnn: 13 levels)
    gray = darkroom.upscale(rgb_uint8[..., 0], 2, model=family)
    rgba = darkroom.upscale(np.dstack([rgb_uint8, rgb_uint8[..., :1]]), 2, model=family)
    assert gray.shape == (2 * rgb_uint8.shape[0], 2 * rgb_uint8.shape[1])
    assert rgba.shape[2] == 4 and np.array_equal(rgba[..., :3], darkroom.upscale(rgb_uint8, 2, model=family))


def test_upscale_sixteen_bit_keeps_precision():
    ramp = (np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)
    out = darkroom.upscale(ramp, 2)
    assert out.dtype == np.uint16 and len(np.unique(out)) > 1000  # 8-bit would allow at most 256


def test_upscale_errors():
    with pytest.raises(DarkroomError, match="scale must be one of"):
        darkroom.upscale(np.zeros((4, 4), np.uint8), 7)
    with pytest.raises(DarkroomError, match="unknown upscaling model"):
        darkroom.upscale(np.zeros((4, 4), np.uint8), 2, model="magic")
