import pytest
import torch
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from darkroom.benchmark import load_clean
from darkroom.degrade import GaussianNoise, apply
from darkroom.metrics import psnr, ssim


def _pair(path):
    clean = load_clean(path)
    noisy = torch.round(apply(GaussianNoise(15), clean, seed=1).clamp(0, 1) * 255) / 255
    return clean, noisy


@pytest.mark.parametrize("folder,name", [("BSD68", "test001.png"), ("CBSD68", "101085.png"), ("Set5", "butterfly_GT.bmp")])
def test_ssim_equals_skimage_on_real_images(data, folder, name):
    clean, noisy = _pair(data(folder) / name)
    a = clean[0].numpy().transpose(1, 2, 0) * 255
    b = noisy[0].numpy().transpose(1, 2, 0) * 255
    ref = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                data_range=255, channel_axis=-1)
    assert abs(float(ssim(noisy, clean)) - ref) < 1e-4


def test_psnr_equals_skimage(data):
    clean, noisy = _pair(data("Set12") / "01.png")
    ref = peak_signal_noise_ratio(clean[0, 0].double().numpy(), noisy[0, 0].double().numpy(), data_range=1.0)
    assert abs(float(psnr(noisy, clean)) - ref) < 1e-9


def test_y_channel_and_crop_follow_the_papers():
    a = torch.zeros(1, 3, 10, 10)
    b = a.clone()
    b[..., 0, :] = 1.0  # an error confined to the first row disappears with crop=1
    assert float(psnr(a, b, crop=1, y_channel=True)) > 150
    gray = torch.rand(1, 1, 12, 12)
    assert torch.allclose(psnr(gray, gray * 0.9, y_channel=True), psnr(gray.expand(-1, 3, -1, -1), gray.expand(-1, 3, -1, -1) * 0.9, y_channel=True))


def test_ssim_of_identical_and_shape_mismatch():
    x = torch.rand(2, 3, 20, 20)
    assert torch.allclose(ssim(x, x), torch.ones(2, dtype=torch.float64))
    with pytest.raises(ValueError, match="equal shapes"):
        ssim(x, x[..., :10])


def test_psnrb_matches_values_worked_out_by_hand():
    import math

    from darkroom.metrics import blocking_effect_factor, psnrb

    truth = torch.zeros(1, 1, 16, 16, dtype=torch.float64)
    blocky = truth.clone()
    blocky[..., :8, :] = 0.1  # two flat blocks stacked, one step of 0.1 between rows 7 and 8
    # boundary pairs: 16 horizontal (column 7|8) + 16 vertical (row 7|8); only the 16 vertical differ, by 0.1
    bef = math.log2(8) / math.log2(16) * (16 * 0.01 / 32 - 0.0)
    assert float(blocking_effect_factor(blocky)) == pytest.approx(bef, rel=1e-12)
    assert float(psnrb(blocky, truth)) == pytest.approx(10 * math.log10(1 / (0.005 + bef)), rel=1e-12)
    # a smooth ramp has no blocking: PSNR-B is PSNR
    ramp = torch.linspace(0, 1, 24 * 20, dtype=torch.float64).reshape(1, 1, 24, 20)
    assert float(blocking_effect_factor(ramp)) == 0.0
    # a size that is no multiple of 8 (20 wide): the pairs counted are the pairs that exist
    steps = torch.zeros(1, 1, 16, 20, dtype=torch.float64)
    steps[..., 8:] = 0.2  # columns 8..19 raised: one boundary step between columns 7 and 8
    boundary_pairs = 2 * 16 + 1 * 20  # columns 7|8 and 15|16 over 16 rows; row 7|8 over 20 columns
    inside_pairs = 17 * 16 + 14 * 20
    expected = math.log2(8) / math.log2(16) * (16 * 0.04 / boundary_pairs - 0 / inside_pairs)
    assert float(blocking_effect_factor(steps)) == pytest.approx(expected, rel=1e-12)
    # colour: the mean of the channels' PSNR-B
    two = torch.cat([blocky, 2 * blocky], 1)
    per_channel = [float(psnrb(blocky, truth)), float(psnrb(2 * blocky, truth))]
    assert float(psnrb(two, torch.zeros_like(two))) == pytest.approx(sum(per_channel) / 2, rel=1e-12)
