"""Augmentation: seeded, paired-safe, and each transform doing what its name says."""

import pytest
import torch

from darkroom.augment import PRESETS, Affine, CenterCrop, ColorJitter, Compose, Dihedral, Flip, Gamma, RandomCrop, augment


def blocky(batch=4, size=48):
    """Piecewise-constant images (8-px blocks), so a mask is exactly ``image > 0.5``."""
    g = torch.Generator().manual_seed(1)
    small = torch.rand(batch, 1, size // 8, size // 8, generator=g)
    return small.repeat_interleave(8, -2).repeat_interleave(8, -1)


def test_same_seed_same_result_other_seed_other_result():
    x = torch.rand(3, 3, 32, 32)
    a = augment([x], PRESETS["classify"], seed=5)[0]
    assert torch.equal(a, augment([x], PRESETS["classify"], seed=5)[0])
    assert not torch.allclose(a, augment([x], PRESETS["classify"], seed=6)[0])


def test_paired_targets_stay_pixel_aligned():
    x = torch.rand(4, 3, 40, 40)
    a, b = augment([x, x.clone()], PRESETS["classify"], seed=0, photometric=(False, False))
    assert torch.equal(a, b)
    # photometric jitter on the first target only: the second is exactly the geometric-only result
    jittered, clean = augment([x, x.clone()], PRESETS["classify"], seed=0)
    assert torch.equal(clean, b) and not torch.allclose(jittered, b)


def test_image_and_mask_warp_together():
    image = blocky()
    mask = (image > 0.5).float()
    warped, warped_mask = augment([image, mask], Compose((Affine(degrees=25, translate=0.1, scale=(0.8, 1.2)), Flip())),
                                  seed=3, modes=("bilinear", "nearest"))
    assert set(warped_mask.unique().tolist()) <= {0.0, 1.0}  # nearest keeps labels labels
    agree = ((warped > 0.5).float() == warped_mask).float().mean()
    assert agree > 0.97, agree  # disagreement only on the interpolated block edges


@pytest.mark.parametrize("transform", [Dihedral(), Flip(1.0, 1.0), Affine(degrees=30, translate=0.2, scale=(0.7, 1.3))])
def test_geometric_transforms_move_pixels_but_keep_values(transform):
    x = torch.rand(2, 1, 32, 32)
    (y,) = augment([x], transform, seed=2)
    assert y.shape == x.shape and not torch.equal(x, y)
    if not isinstance(transform, Affine):  # lossless rearrangements keep the histogram
        assert torch.equal(x.flatten(1).sort().values, y.flatten(1).sort().values)


def test_dihedral_reaches_all_eight_transforms():
    x = torch.arange(16.0).reshape(1, 1, 4, 4).expand(64, 1, 4, 4)
    (y,) = augment([x], Dihedral(), seed=0)
    assert len({tuple(t.flatten().tolist()) for t in y}) == 8


def test_crops():
    x = torch.rand(3, 1, 20, 30)
    (c,) = augment([x], CenterCrop(10), seed=0)
    assert torch.equal(c, x[..., 5:15, 10:20])
    (r,) = augment([x], RandomCrop(10), seed=0)
    assert r.shape == (3, 1, 10, 10)
    with pytest.raises(ValueError, match="cannot crop"):
        augment([x], RandomCrop(21), seed=0)


def test_photometric_transforms():
    x = torch.rand(8, 3, 16, 16) * 0.8 + 0.1
    (bright,) = augment([x], ColorJitter(brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0), seed=0)
    assert torch.allclose(bright, x, atol=1e-6)  # zero jitter is the identity
    (dark,) = augment([x], Gamma((2.0, 2.0)), seed=0)
    assert torch.allclose(dark, x**2)
    (gray,) = augment([x], ColorJitter(saturation=0.0001, hue=0.0), seed=0)
    assert torch.allclose(gray, x, atol=1e-3)
    (jittered,) = augment([x], ColorJitter(brightness=0.2, contrast=0.3, saturation=0.5, hue=0.1), seed=0)
    assert jittered.min() >= 0 and jittered.max() <= 1 and (jittered - x).abs().mean() > 0.02


def test_mismatched_pairs_are_refused():
    with pytest.raises(ValueError, match="share batch and size"):
        augment([torch.rand(2, 3, 8, 8), torch.rand(2, 1, 8, 9)], Flip(), seed=0)
    with pytest.raises(ValueError, match="one entry per image"):
        augment([torch.rand(2, 3, 8, 8)], Flip(), seed=0, modes=("bilinear", "nearest"))


def test_augment_command_writes_variants_and_a_grid(tmp_path, cli):
    import numpy as np

    from darkroom.io import read_image, write_image

    rgba = np.zeros((30, 40, 4), np.uint8)
    rgba[..., 0] = np.arange(40, dtype=np.uint8)[None] * 6
    rgba[..., 3] = 255
    rgba[:10, :10, 3] = 0  # a transparent corner
    write_image(tmp_path / "in.png", rgba)
    code, _, err = cli("augment", tmp_path / "in.png", "-o", tmp_path / "out", "--n", "3", "--preset", "classify")
    assert code == 0, err
    variants = [read_image(tmp_path / "out" / f"in_classify_{i}.png") for i in range(3)]
    assert all(v.pixels.shape == (30, 40, 4) and v.has_alpha for v in variants)
    assert len({v.pixels.tobytes() for v in variants}) == 3
    grid = read_image(tmp_path / "out" / "in_classify_grid.png").pixels
    assert grid.shape == (4 + 2 * 34, 4 + 2 * 44, 4)  # original + 3 variants in a 2×2 sheet, 4 px apart
    code, _, err = cli("augment", tmp_path / "in.png", "-o", tmp_path / "out", "--preset", "nope")
    assert code == 1 and "choose from classify, digits, restore" in err
