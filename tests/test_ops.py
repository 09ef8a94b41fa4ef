import numpy as np
import pytest
import torch
from skimage import color as skcolor

from darkroom.errors import ContractError
from darkroom.ops import (
    OPPONENT_NOISE_GAIN,
    opponent_to_rgb,
    rgb_to_opponent,
    bleed_transparent, from_batch, imresize, lab_to_rgb, modcrop, output_size, pad_to_multiple, rgb_to_lab,
    rgb_to_ycbcr, to_batch, ycbcr_to_rgb,
)


def test_ycbcr_matches_matlab_convention_via_skimage():
    rgb = torch.rand(1, 3, 9, 7, dtype=torch.float64)
    ours = rgb_to_ycbcr(rgb)[0].numpy().transpose(1, 2, 0) * 255
    ref = skcolor.rgb2ycbcr(rgb[0].numpy().transpose(1, 2, 0))  # MATLAB formula, 0-255 scale
    assert np.abs(ours - ref).max() < 1e-9
    assert torch.allclose(ycbcr_to_rgb(rgb_to_ycbcr(rgb)), rgb, atol=1e-12)


def test_opponent_space_keeps_white_noise_white_and_round_trips():
    x = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    assert float((opponent_to_rgb(rgb_to_opponent(x)) - x).abs().max()) < 1e-6
    corners = torch.tensor([[a, b, c] for a in (0.0, 1.0) for b in (0.0, 1.0) for c in (0.0, 1.0)]).T.reshape(1, 3, 8, 1)
    o = rgb_to_opponent(corners)
    assert float(o.min()) >= 0 and float(o.max()) <= 1  # the RGB cube maps into [0, 1]³
    noise = 0.1 * torch.randn(1, 3, 512, 512, generator=torch.Generator().manual_seed(1))
    t = (rgb_to_opponent(noise) - rgb_to_opponent(torch.zeros_like(noise)))[0].flatten(1)
    cov = torch.cov(t)
    assert torch.allclose(cov.diagonal().sqrt(), 0.1 * torch.tensor(OPPONENT_NOISE_GAIN), rtol=0.01)
    off_diagonal = cov - torch.diag(cov.diagonal())
    assert float(off_diagonal.abs().max()) < 0.01 * float(cov.diagonal().min())


def test_lab_matches_skimage_and_round_trips():
    rgb = torch.rand(1, 3, 8, 8)
    ours = rgb_to_lab(rgb)[0].numpy().transpose(1, 2, 0)
    ref = skcolor.rgb2lab(rgb[0].numpy().transpose(1, 2, 0))
    assert np.abs(ours - ref).max() < 0.05
    assert torch.allclose(lab_to_rgb(rgb_to_lab(rgb)), rgb, atol=1e-4)


def test_imresize_output_size_rule_and_constants():
    assert output_size((321, 481), 1 / 3) == (107, 161)
    assert output_size((5, 7), 3) == (15, 21)
    x = torch.full((1, 2, 13, 17), 0.3, dtype=torch.float64)
    for s in (1 / 4, 1 / 3, 2, 3):
        assert torch.allclose(imresize(x, s), torch.full_like(imresize(x, s), 0.3))


def test_imresize_known_values():
    # Hand-computed from MATLAB's algorithm: a 1-D step upscaled ×2 with symmetric border.
    x = torch.tensor([[[[0.0, 0.0, 1.0, 1.0]]]], dtype=torch.float64)
    y = imresize(x, size=(1, 8))[0, 0, 0]
    # Output centres at 0.25-steps; the cubic (a=-0.5) weights give the classic overshoot.
    expected = torch.tensor([0.0, -0.0234375, -0.0703125, 0.203125, 0.796875, 1.0703125, 1.0234375, 1.0],
                            dtype=torch.float64)
    assert torch.allclose(y, expected, atol=1e-12)


def test_imresize_shrink_is_antialiased():
    checker = (torch.arange(16)[:, None] + torch.arange(16)[None, :]) % 2
    y = imresize(checker.double()[None, None], 1 / 2)[..., 2:-2, 2:-2]  # the mirrored border is not flat
    assert torch.allclose(y, torch.full_like(y, 0.5), atol=1e-12)  # aliasing would give 0s or 1s


def test_imresize_rejects_bad_input():
    with pytest.raises(ContractError, match=r"\(B, C, H, W\)"):
        imresize(torch.zeros(3, 8, 8), 2)
    with pytest.raises(ValueError, match="unknown resize method"):
        imresize(torch.zeros(1, 1, 8, 8), 2, method="magic")


def test_modcrop_and_pad():
    assert modcrop(torch.zeros(1, 1, 10, 13), 3).shape[-2:] == (9, 12)
    y, hw = pad_to_multiple(torch.rand(1, 1, 5, 3), 8)
    assert y.shape[-2:] == (8, 8) and hw == (5, 3)


@pytest.mark.parametrize("dtype,top", [(np.uint8, 255), (np.uint16, 65535)])
def test_contract_integer_round_trip(dtype, top):
    arr = np.random.default_rng(0).integers(0, top + 1, (6, 7, 3)).astype(dtype)
    x, kind = to_batch(arr)
    assert x.shape == (1, 3, 6, 7) and x.dtype == torch.float32
    back = from_batch(x, kind)
    assert back.dtype == dtype and np.array_equal(back, arr)


def test_contract_float_is_not_clipped_and_layouts_kept():
    arr = np.array([[-0.5, 1.5]], np.float32)
    x, kind = to_batch(arr)
    assert float(x.min()) == -0.5 and float(x.max()) == 1.5
    assert from_batch(x, kind).shape == (1, 2)
    t = torch.rand(3, 4, 5, dtype=torch.float64)
    x, kind = to_batch(t)
    assert from_batch(x, kind).shape == (3, 4, 5) and from_batch(x, kind).dtype == torch.float64


@pytest.mark.parametrize("bad,message", [
    (np.zeros((4, 4), np.int32), "dtype int32"),
    (np.zeros((4, 4, 7), np.uint8), "H×W×C"),
    (torch.zeros(1, 3, 4, 4, dtype=torch.uint8), "must be float"),
    (np.zeros((0, 4), np.uint8), "empty"),
    ([[1, 2]], "NumPy array or a torch tensor"),
])
def test_contract_errors_are_clear(bad, message):
    with pytest.raises(ContractError, match=message):
        to_batch(bad)


def test_bleed_fills_transparent_color_from_visible_neighbours():
    color = torch.zeros(1, 3, 16, 16)
    color[:, 0, :, :8] = 1.0  # red visible half; black under the transparent half
    alpha = torch.zeros(1, 1, 16, 16)
    alpha[..., :8] = 1
    filled = bleed_transparent(color, alpha)
    assert torch.equal(filled[..., :8], color[..., :8])
    assert torch.allclose(filled[:, 0, :, 8:], torch.ones(16, 8))


def test_dihedral_transforms_are_the_eight_symmetries_and_undo_exactly():
    from darkroom.ops import ENSEMBLE_TRANSFORMS, dihedral, undo_dihedral

    x = torch.arange(12.0).view(1, 1, 3, 4)  # no symmetry of its own: eight distinct images
    images = [dihedral(x, k) for k in range(8)]
    assert len({tuple(im.flatten().tolist()) + tuple(im.shape) for im in images}) == 8
    assert all(torch.equal(undo_dihedral(im, k), x) for k, im in enumerate(images))
    rotations = {tuple(torch.rot90(x, r, (-2, -1)).flatten().tolist()) for r in range(4)}
    anti_transpose = x.transpose(-1, -2).flip((-1, -2))
    assert torch.equal(images[ENSEMBLE_TRANSFORMS[2][1]], anti_transpose)
    assert {tuple(images[k].flatten().tolist()) for k in ENSEMBLE_TRANSFORMS[4]} == rotations
    with pytest.raises(ValueError, match="0-7"):
        dihedral(x, 8)
