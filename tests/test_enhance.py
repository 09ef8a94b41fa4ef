"""Low light and enhancement: the darkening, the curves and losses of Zero-DCE, HDRNet's grid,
DeepUPE's illumination, the classical baselines, and the trained models on real photos."""

import numpy as np
import pytest
import torch

import darkroom
from darkroom.degrade import LowLight, apply
from darkroom.errors import DarkroomError
from darkroom.io import read_image
from darkroom.losses.zero_reference import exposure_control, spatial_consistency
from darkroom.metrics import psnr
from darkroom.nets.hdrnet import HDRNet, apply_affine, slice_grid
from darkroom.nets.zero_dce import light_curve
from darkroom.ops import to_batch
from darkroom.ops.contract import quantize


def _photo(data, name="101085.png") -> torch.Tensor:
    return to_batch(read_image(data("CBSD68") / name).pixels)[0]


def test_lowlight_leaves_the_clear_share_untouched_and_is_seeded():
    x = torch.rand(3, 3, 24, 24, generator=torch.Generator().manual_seed(0))
    assert torch.equal(apply(LowLight(clear=1.0), x, seed=0), x)
    dark = LowLight(exposure=(0.05, 0.05), shot=(1e-3, 1e-3))
    assert torch.equal(apply(dark, x, seed=1), apply(dark, x, seed=1))
    assert float(apply(dark, x, seed=1).mean()) < 0.6 * float(x.mean())


def test_the_light_curve_keeps_the_range_and_the_order_of_tones():
    x = torch.linspace(0, 1, 101)
    for alpha in (-1.0, -0.3, 0.5, 1.0):
        y = light_curve(x, torch.tensor(alpha))
        assert float(y.min()) >= 0 and float(y.max()) <= 1 and bool((y.diff() >= -1e-7).all())
    assert float(light_curve(torch.tensor(0.2), torch.tensor(1.0))) == pytest.approx(0.36)


def test_zero_reference_losses_judge_exposure_and_contrast():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1, 3, 32, 32, generator=g)
    dark, mid = x * 0.1, 0.3 + 0.6 * x * 0.5  # around 0.6 on average
    assert float(exposure_control(dark)) > float(exposure_control(mid)) + 0.2  # about 0.30 against 0.02
    flat = torch.full_like(x, 0.5)
    assert float(spatial_consistency(x, x)) == 0 and float(spatial_consistency(flat, x)) > 0


def test_hdrnet_slices_a_constant_grid_into_its_transform_and_strips_match_the_whole():
    matrix = torch.tensor([[0.5, 0.2, 0.0, 0.1], [0.0, 1.0, 0.0, 0.0], [0.3, 0.0, 0.7, -0.05]])
    grid = matrix.flatten().view(1, 12, 1, 1, 1).expand(1, 12, 4, 3, 5).contiguous()
    x = torch.rand(1, 3, 10, 12)
    out = apply_affine(slice_grid(grid, x.mean(1, keepdim=True)), x)
    expected = torch.einsum("ij,bjhw->bihw", matrix[:, :3], x) + matrix[:, 3].view(1, 3, 1, 1)
    assert torch.allclose(out, expected, atol=1e-6)
    net = HDRNet(low_res=32, grid_size=8, depth=2, width=8, strip_rows=7).eval()
    torch.nn.init.normal_(net.to_grid.weight, std=0.1)  # a non-trivial grid
    big = torch.rand(1, 3, 30, 20)
    with torch.no_grad():
        whole = apply_affine(slice_grid(net.coefficients(big), net.guidance(big)), big)
        assert torch.allclose(net(big), whole, atol=1e-5)


def test_hdrnet_guidance_curves_are_the_same_function_in_training_and_at_inference():
    from darkroom.nets.hdrnet import Guidance

    guide = Guidance(16)
    with torch.no_grad():
        guide.thresholds.copy_(torch.rand(3, 16, generator=torch.Generator().manual_seed(0)))  # unsorted, as training leaves them
        guide.slopes.copy_(torch.randn(3, 16, generator=torch.Generator().manual_seed(1)))
    y = torch.rand(2, 3, 9, 11) * 1.2 - 0.1
    summed = guide.curves(y)  # grad enabled: the paper's sum
    with torch.no_grad():
        assert torch.allclose(guide.curves(y), summed, atol=1e-5)


def test_deepupe_never_darkens_never_overshoots_and_keeps_black():
    from darkroom.nets.deepupe import DeepUPE

    net = DeepUPE(features=(4, 8), low_res=16).eval()
    x = torch.rand(1, 3, 30, 26) * 0.3
    with torch.no_grad():
        out = net(x)
        assert bool((out >= x - 1e-6).all()) and float(out.max()) <= 1
        assert float(net(torch.zeros(1, 3, 20, 20)).abs().max()) == 0


def test_gamma_leaves_a_bright_photo_alone_and_lifts_a_dark_one(data):
    from darkroom.classical import Gamma

    photo = _photo(data)  # mean 0.35
    bright = (photo * 1.5).clamp(0, 1)  # mean luminance above the target 0.45: γ = 1
    assert torch.equal(Gamma()(bright), bright)
    dark = photo * 0.1
    assert float(Gamma()(dark).mean()) > 3 * float(dark.mean())


def test_lime_refines_a_smooth_illumination_map_and_brightens_a_real_low_light_photo(data):
    from darkroom.classical import Lime

    x = to_batch(read_image(data("LIME") / "1.bmp").pixels)[0][..., :200, :240]
    lime = Lime()
    t = lime.illumination(x)
    initial = x.amax(1, keepdim=True)
    tv = lambda m: float((m.diff(dim=-1).abs().mean() + m.diff(dim=-2).abs().mean()))  # noqa: E731
    # measured: 2.8e-5 against 3.8e-3 for the max-RGB map it starts from, 0.017 from it on average
    assert tv(t) < 0.1 * tv(initial)
    assert float((t - initial).abs().mean()) < 0.05  # still the image's illumination
    out = lime(x)
    assert float(out.mean()) > 5 * float(x.mean()) and float(out.max()) <= 1  # measured: 11.7 times brighter


@pytest.mark.parametrize("model", ["dark", "gamma", "clahe_lowlight", "lime"])
def test_strength_zero_returns_the_input_and_outputs_keep_kind_and_dtype(model, rgb_uint8):
    out = darkroom.enhance(rgb_uint8, 0.0, model=model)
    assert out.dtype == np.uint8 and out.shape == rgb_uint8.shape
    assert np.abs(out.astype(int) - rgb_uint8).max() <= 1
    assert darkroom.enhance(rgb_uint8[..., 0], model=model).shape == rgb_uint8.shape[:2]


def test_a_bad_strength_or_a_model_of_another_task_is_one_clean_error(rgb_uint8):
    with pytest.raises(DarkroomError, match="strength must be a number from 0 to 1"):
        darkroom.enhance(rgb_uint8, 1.5)
    with pytest.raises(DarkroomError, match="is a dehaze model, not an enhancer"):
        darkroom.enhance(rgb_uint8, model="dcp")


def _darkened(data, exposure=0.1, name="101085.png"):
    from darkroom.tasks.enhance import darken

    clean = _photo(data, name)
    return quantize(darken(clean, exposure, 0)), clean


def test_the_default_beats_gamma_and_clahe_on_a_darkened_real_photo(data):
    dark, clean = _darkened(data)
    scores = {m: float(psnr(to_batch(darkroom.enhance(dark, model=m))[0], clean))
              for m in ("dark", "gamma", "clahe_lowlight", "lime", "hdrnet_lowlight")}
    # measured (exposure 0.1, seed 0): dark 9.13, gamma 15.21, CLAHE 14.55, LIME 14.62, default 19.50 dB
    assert scores["hdrnet_lowlight"] > max(scores["gamma"], scores["clahe_lowlight"], scores["lime"]) + 3, scores


def test_a_well_exposed_photo_passes_the_default(data):
    clean = _photo(data)
    out = to_batch(darkroom.enhance(clean))[0]
    assert float(psnr(out, clean)) >= 30  # measured: 67.9 dB


def test_hdrnet_reproduces_the_local_laplacian_filter_on_held_out_photos(data):
    # CBSD68's first three photos (HDRNet trained on BSD200); measured: the copy 30.07 / 34.35 / 36.89 dB
    # to the filter, the unchanged photo 20.31 / 25.73 / 27.58
    copies, inputs = [], []
    for name in ("101085.png", "101087.png", "102061.png"):
        photo = _photo(data, name)
        target = to_batch(darkroom.enhance(photo, model="local_laplacian_tone"))[0]
        copies.append(float(psnr(to_batch(darkroom.enhance(photo, model="hdrnet_tone"))[0], target)))
        inputs.append(float(psnr(photo, target)))
    assert np.mean(copies) >= 32 and min(c - i for c, i in zip(copies, inputs)) > 6, (copies, inputs)


def test_sixteen_bits_in_give_sixteen_bits_out_without_banding():
    ramp = np.linspace(0, 0.12, 400, dtype=np.float64)  # a dark, smooth 16-bit gradient
    image = (np.tile(ramp, (30, 1))[..., None].repeat(3, 2) * 65535).round().astype(np.uint16)
    out = darkroom.enhance(image)
    assert out.dtype == np.uint16 and out.shape == image.shape
    row = out[15, :, 1].astype(np.int64)
    assert len(np.unique(row)) > 300  # measured: all 400 columns distinct, where 8 bits would leave at most 256 levels
    assert np.abs(np.diff(row)).max() < 0.01 * 65535  # no step: measured 254 of 65,535 at most


@pytest.mark.parametrize("model", ["gamma", "clahe_lowlight", "lime", "zero_dce", "zero_dce_synthetic", "deepupe", "hdrnet_lowlight",
                                   "hdrnet_tone"])
def test_an_all_black_image_comes_back_unchanged(model):
    black = np.zeros((20, 24, 3), np.uint8)
    assert int(darkroom.enhance(black, model=model).max()) == 0
