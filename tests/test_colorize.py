"""Colorization groundwork (issue 23): the ab bins and their soft encoding, the prior and its
rebalancing weights, the annealed mean, the colour metrics, and the network that keeps L."""

import pytest
import torch

from darkroom.metrics.colour import ab_error_auc, colourfulness
from darkroom.nets.colorizer import Colorizer, keep_lightness
from darkroom.ops.ab_bins import (annealed_mean, empirical_prior, gamut_bins, nearest_bin, rebalancing_weights, smoothed_prior,
                                  soft_encode)
from darkroom.ops.color import lab_to_rgb, rgb_to_lab


def test_the_gamut_bins_are_the_displayable_squares_of_side_ten():
    bins = gamut_bins()
    assert bins.shape == (262, 2)  # the check in the module's docstring; the paper's table has 313
    assert bool((bins % 10 == 0).all())
    assert any(bool((b == torch.tensor([0.0, 0.0])).all()) for b in bins)
    # saturated sRGB primaries fall in kept squares; a far corner of the plane does not
    primaries = torch.eye(3).view(3, 3, 1, 1).permute(1, 0, 2, 3).reshape(1, 3, 1, 3)
    ab = rgb_to_lab(primaries)[:, 1:]
    nearest = bins[nearest_bin(ab, bins)].permute(0, 3, 1, 2)
    assert float((nearest - ab).abs().max()) <= 5.0 + 1e-4
    assert not any(bool((b == torch.tensor([-110.0, 110.0])).all()) for b in bins)


def test_soft_encoding_puts_five_gaussian_weights_on_the_nearest_bins():
    bins = gamut_bins()
    ab = torch.tensor([13.0, -26.0]).view(1, 2, 1, 1)
    z = soft_encode(ab, bins)[0, :, 0, 0]
    assert int((z > 0).sum()) == 5 and float(z.sum()) == pytest.approx(1.0)
    d2 = ((bins - torch.tensor([13.0, -26.0])) ** 2).sum(1)
    near = d2.argsort()[:5]
    expected = torch.softmax(-d2[near] / 50, 0)  # σ = 5: 2σ² = 50
    assert torch.allclose(z[near], expected, atol=1e-6)


def test_the_prior_and_its_rebalancing_weights():
    bins = gamut_bins()
    gray = torch.zeros(1, 2, 4, 4)
    prior = empirical_prior(gray, bins)
    assert float(prior.sum()) == pytest.approx(1.0) and float(prior.max()) == 1.0
    ab = torch.cat((torch.zeros(1, 2, 4, 3), torch.full((1, 2, 4, 1), 40.0)), 3)  # three quarters gray, a quarter coloured
    prior = empirical_prior(ab, bins)
    w = rebalancing_weights(prior, bins)
    smoothed = smoothed_prior(prior, bins)
    assert float(smoothed.sum()) == pytest.approx(1.0) and float((w * smoothed).sum()) == pytest.approx(1.0)
    centre, coloured = nearest_bin(torch.zeros(1, 2, 1, 1), bins).item(), nearest_bin(torch.full((1, 2, 1, 1), 40.0), bins).item()
    assert float(w[coloured]) > float(w[centre])  # the rarer colour weighs more
    assert torch.allclose(rebalancing_weights(prior, bins, lam=1.0), torch.ones(len(bins)))  # λ = 1: no rebalancing


def test_the_annealed_mean_moves_from_the_mean_to_the_mode():
    bins = torch.tensor([[0.0, 0.0], [40.0, 0.0], [0.0, 40.0]])
    p = torch.tensor([0.2, 0.5, 0.3])
    logits = p.log().view(1, 3, 1, 1)
    mean = annealed_mean(logits, bins, 1.0)[0, :, 0, 0]
    assert torch.allclose(mean, torch.tensor([20.0, 12.0]), atol=1e-5)
    assert torch.allclose(annealed_mean(logits, bins, 0.0)[0, :, 0, 0], torch.tensor([40.0, 0.0]))
    t038 = annealed_mean(logits, bins, 0.38)[0, :, 0, 0]
    q = p ** (1 / 0.38)
    assert torch.allclose(t038, (q / q.sum()) @ bins, atol=1e-4)


def test_the_ab_error_auc_is_the_area_under_the_cumulative_error_curve():
    g = torch.Generator().manual_seed(0)
    truth, pred = torch.rand(2, 3, 6, 7, generator=g), torch.rand(2, 3, 6, 7, generator=g)
    error = (rgb_to_lab(pred)[:, 1:] - rgb_to_lab(truth)[:, 1:]).norm(dim=1).flatten(1)
    brute = torch.stack([(error <= t).float().mean(1) for t in range(151)], 1).mean(1) * 100
    assert torch.allclose(ab_error_auc(pred, truth), brute, atol=1e-4)
    weights = torch.rand(2, 1, 6, 7, generator=g)
    w = weights.flatten(1)
    brute_w = torch.stack([((error <= t).float() * w).sum(1) / w.sum(1) for t in range(151)], 1).mean(1) * 100
    assert torch.allclose(ab_error_auc(pred, truth, weights), brute_w, atol=1e-4)
    assert torch.allclose(ab_error_auc(truth, truth), torch.full((2,), 100.0))


def test_colourfulness_of_a_gray_and_a_two_colour_image():
    assert float(colourfulness(torch.full((1, 3, 4, 4), 0.3))) == 0.0
    half = torch.zeros(1, 3, 2, 2)
    half[0, 0, :, :1] = 1.0  # left column red, right column black
    # rg = (255, 0), yb = (127.5, 0): σ = (127.5, 63.75), μ = (127.5, 63.75); M = 1.3 · hypot(127.5, 63.75)
    assert float(colourfulness(half)) == pytest.approx(1.3 * 142.5459, rel=1e-4)


def test_the_colorizer_keeps_the_inputs_lightness_exactly():
    g = torch.Generator().manual_seed(1)
    lightness = torch.rand(1, 1, 16, 16, generator=g) * 100
    wild_ab = (torch.rand(1, 2, 16, 16, generator=g) - 0.5) * 240  # mostly not displayable at that L
    rgb = keep_lightness(lightness, wild_ab)
    assert float(rgb.min()) >= 0 and float(rgb.max()) <= 1
    assert float((rgb_to_lab(rgb)[:, :1] - lightness).abs().max()) < 0.01
    net = Colorizer(widths=(4, 4, 8, 8, 8, 8, 8, 4), work_pixels=4096).eval()
    for x in (torch.rand(1, 1, 37, 29), torch.rand(1, 3, 37, 29), torch.rand(1, 3, 1, 1)):
        with torch.no_grad():
            out = net(x)
        assert out.shape == (1, 3, *x.shape[-2:])
        assert float((rgb_to_lab(out)[:, :1] - Colorizer.lightness(x)).abs().max()) < 0.01


def test_gray_lab_round_trip_keeps_lightness():
    lab = torch.stack((torch.linspace(0, 100, 11), torch.zeros(11), torch.zeros(11))).view(1, 3, 1, 11)
    assert float((rgb_to_lab(lab_to_rgb(lab).clamp(0, 1))[:, :1] - lab[:, :1]).abs().max()) < 1e-3
