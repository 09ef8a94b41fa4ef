import numpy as np
import pytest
import torch

from darkroom import degrade as d
from darkroom.metrics import psnr

CLEAN = torch.rand(2, 3, 64, 64, generator=torch.Generator().manual_seed(0)) * 0.8 + 0.1

ALL = [d.GaussianNoise(25), d.GaussianNoise((0, 50)), d.PoissonGaussianNoise(), d.CameraNoise(), d.Downsample(2),
       d.Blur(), d.Jpeg(30), d.Haze(), d.LowLight(), d.Mask("free"), d.Mask("box"), d.Grayscale(),
       d.Chain((d.Blur(), d.Downsample(2), d.GaussianNoise(5), d.Quantize()))]


@pytest.mark.parametrize("degradation", ALL, ids=lambda x: type(x).__name__)
def test_seeded_pure_and_changes_the_image(degradation):
    x = CLEAN.clone()
    a = d.apply(degradation, x, seed=7)
    b = d.apply(degradation, x, seed=7)
    assert torch.equal(a, b)
    assert torch.equal(x, CLEAN)  # input untouched
    if a.shape == x.shape:
        assert not torch.equal(a, x)


def test_awgn_level_and_unclipped():
    x = torch.full((1, 1, 256, 256), 0.5)
    y = d.apply(d.GaussianNoise(50), x, seed=0)
    assert abs(float((y - x).std()) * 255 - 50) < 1.0
    assert float(y.max()) > 1.0 and float(y.min()) < 0.0


def test_sigma_map_gives_spatially_varying_noise():
    x = torch.zeros(1, 1, 128, 128)
    sigma = torch.zeros(1, 1, 128, 128)
    sigma[..., 64:] = 30
    y = d.add_gaussian_noise(x, sigma, d.make_generator(0))
    assert float(y[..., :64].abs().max()) == 0 and abs(float(y[..., 64:].std()) * 255 - 30) < 1


def test_poisson_gaussian_variance_follows_signal():
    x = torch.cat([torch.full((1, 1, 200, 200), 0.1), torch.full((1, 1, 200, 200), 0.9)])
    y = d.add_poisson_gaussian_noise(x, 0.01, 0.0, d.make_generator(0))
    var = (y - x).flatten(1).var(1)
    assert torch.allclose(var, torch.tensor([0.001, 0.009]), rtol=0.05)


def test_camera_pipeline_inverts_itself_without_noise():
    # With almost no noise, unprocess→process must give the image back: the pipeline is self-consistent.
    # A smooth image, as photographs locally are: demosaicing i.i.d. pixel noise is hopeless by design.
    smooth = torch.nn.functional.interpolate(CLEAN[..., :8, :8], size=(64, 64), mode="bilinear", align_corners=False)
    y = d.camera_noise(smooth, d.make_generator(0), shot=torch.tensor([1e-9, 1e-9]), read=torch.tensor([1e-9, 1e-9]))
    interior = (slice(None), slice(None), slice(2, -2), slice(2, -2))
    assert float(psnr(y[interior], smooth[interior]).min()) > 35  # bilinear demosaicing is the only loss
    noisy = d.camera_noise(smooth, d.make_generator(0), shot=torch.tensor([1e-2, 1e-2]))
    assert float(psnr(noisy, smooth).max()) < 30


def test_downsample_is_matlab_bicubic():
    y = d.bicubic_downsample(torch.rand(1, 3, 50, 47), 3)
    assert y.shape[-2:] == (16, 15)


def test_blur_identity_and_levin_mean(data):
    from darkroom.io import read_kernels

    delta = torch.zeros(5, 5)
    delta[2, 2] = 1
    assert torch.allclose(d.blur(CLEAN, delta), CLEAN)
    k = torch.from_numpy(read_kernels(data("blur_kernels") / "Levin09.mat")[0]).float()
    y = d.blur(CLEAN, k)
    assert abs(float(y.mean() - CLEAN.mean())) < 2e-3 and float(psnr(y, CLEAN).mean()) < 25
    mk = d.motion_kernel(21, d.make_generator(3))
    assert mk.shape == (21, 21) and abs(float(mk.sum()) - 1) < 1e-6 and float((mk > 0).float().mean()) < 0.3


def test_jpeg_quality_orders_error():
    errs = [float(psnr(d.jpeg_compress(CLEAN, q), CLEAN).mean()) for q in (10, 50, 95)]
    assert errs[0] < errs[1] < errs[2]


def test_haze_and_lowlight_physics():
    hazy = d.add_haze(CLEAN, beta=1.5, airlight=1.0)
    assert float(hazy.mean()) > float(CLEAN.mean())  # brighter, lower contrast
    assert float(hazy.std()) < float(CLEAN.std())
    assert torch.allclose(d.add_haze(CLEAN, beta=0.0, airlight=0.9), CLEAN)
    dark = d.darken(CLEAN, 2.0, 0.3)
    assert float(dark.max()) <= 0.3 + 1e-6


def test_masks_cover_a_reasonable_fraction():
    g = d.make_generator(0)
    free = torch.stack([d.free_form_mask(128, 128, g).mean() for _ in range(8)])
    assert 0.01 < float(free.mean()) < 0.6
    box = d.box_mask(100, 100, g)
    assert 0.0 < float(box.mean()) <= 0.16 + 1e-6


def test_the_quality_factor_is_read_back_exactly_from_files_pillow_writes(tmp_path):
    from PIL import Image

    from darkroom.degrade.jpeg import quality_from_tables
    from darkroom.io import read_image

    photo = (np.random.default_rng(0).random((24, 32, 3)) * 255).astype(np.uint8)
    for q in range(5, 100, 5):
        for mode in ("L", "RGB"):
            Image.fromarray(photo).convert(mode).save(tmp_path / "x.jpg", quality=q)
            assert quality_from_tables(read_image(tmp_path / "x.jpg").jpeg_tables) == (q, True)
    custom = [[max(1, v // 2 + 3) for v in range(64)]]  # not libjpeg's tables: the nearest q, said to be a guess
    assert quality_from_tables(custom)[1] is False
    assert read_image(tmp_path / "x.jpg").jpeg_tables is not None
    Image.fromarray(photo).save(tmp_path / "x.png")
    assert read_image(tmp_path / "x.png").jpeg_tables is None


def test_jpeg_subsampling_and_double_compression():
    from darkroom.degrade import Jpeg
    from darkroom.degrade.jpeg import jpeg_compress

    g = torch.Generator().manual_seed(0)
    yy, xx = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
    x = torch.stack([(xx / 63), (yy / 63), ((xx + yy) % 16) / 15])[None]  # red/green ramps, blue stripes
    subsampled, full = jpeg_compress(x, 90), jpeg_compress(x, 90, subsampling="4:4:4")
    err = lambda y: float(((y - x) ** 2).mean())  # noqa: E731
    assert err(full) < err(subsampled)  # 4:4:4 keeps the fine colour stripes that 4:2:0 halves
    once, twice = jpeg_compress(x, 30), jpeg_compress(x, 30, then=50, shift=(3, 5))
    assert twice.shape == x.shape and err(twice) > err(once)  # a shifted re-save only adds error
    assert torch.equal(Jpeg(30, then=50, shift=(3, 5))(x, g), twice)
    with pytest.raises(ValueError, match="subsampling"):
        jpeg_compress(x, 30, subsampling="4:2:2")


def test_low_light_is_an_underexposed_camera_shot():
    # exposure scales linear raw light before the sensor's noise: a darker shot is darker and noisier
    # relative to its own signal; the same seed gives the same shot
    def shot(exposure, noise=(2e-3, 2e-3)):
        return d.apply(d.LowLight(exposure=(exposure, exposure), shot=noise), CLEAN, seed=0)

    bright, dark = shot(0.3), shot(0.03)
    assert float(dark.mean()) < float(bright.mean()) < float(CLEAN.mean())
    snr = {e: float(shot(e, (1e-9, 1e-9)).mean() / (shot(e) - shot(e, (1e-9, 1e-9))).std()) for e in (0.3, 0.03)}
    assert snr[0.03] < 0.6 * snr[0.3], snr
    assert torch.equal(shot(0.1), shot(0.1))
    # a colour cast is white balance off: red gained 20 % more comes out redder, the rest alike
    def camera(cast):
        return d.camera_noise(CLEAN, torch.Generator().manual_seed(0), shot=torch.tensor([1e-9, 1e-9]), read=torch.tensor([0.0, 0.0]), cast=cast)

    neutral, red = camera(None), camera(torch.tensor([[1.2, 1.0, 1.0]] * 2))
    assert float(red[:, 0].mean()) > float(neutral[:, 0].mean()) + 0.02
    assert abs(float(red[:, 2].mean()) - float(neutral[:, 2].mean())) < abs(float(red[:, 0].mean()) - float(neutral[:, 0].mean())) / 2
