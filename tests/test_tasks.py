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


def test_upscale_sixteen_bit_keeps_precision():
    ramp = (np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)
    out = darkroom.upscale(ramp, 2)
    assert out.dtype == np.uint16 and len(np.unique(out)) > 1000  # 8-bit would allow at most 256


def test_upscale_errors():
    with pytest.raises(DarkroomError, match="scale must be one of"):
        darkroom.upscale(np.zeros((4, 4), np.uint8), 7)
    with pytest.raises(DarkroomError, match="unknown upscaling model"):
        darkroom.upscale(np.zeros((4, 4), np.uint8), 2, model="magic")
