"""CBDNet-style blind denoising pieces: the σ-map losses, the noise-level target, the
strength knob, and the training pairs."""

import torch

from darkroom.losses import asymmetric_loss, total_variation
from darkroom.nets import BlindDenoiser
from darkroom.train.noise_estimator import local_noise_level, training_pair


def test_asymmetric_loss_punishes_under_estimates_more():
    true = torch.full((1, 1, 8, 8), 0.1)
    under, over = asymmetric_loss(true - 0.02, true, alpha=0.3), asymmetric_loss(true + 0.02, true, alpha=0.3)
    assert abs(float(under) - float(over) * 0.7 / 0.3) < 1e-9
    assert float(asymmetric_loss(true, true)) == 0.0


def test_total_variation_is_zero_on_flat_maps_only():
    assert float(total_variation(torch.full((1, 1, 5, 5), 0.3))) == 0.0
    ramp = torch.arange(5.0).view(1, 1, 1, 5).expand(1, 1, 5, 5)
    assert float(total_variation(ramp)) == 1.0  # horizontal steps of 1, no vertical change


def test_local_noise_level_recovers_a_known_sigma():
    clean = torch.rand(1, 1, 96, 96, generator=torch.Generator().manual_seed(0))
    noisy = clean + 0.1 * torch.randn(clean.shape, generator=torch.Generator().manual_seed(1))
    level = local_noise_level(noisy, clean)
    assert abs(float(level.mean()) - 0.1) < 0.005 and float(level.std()) < 0.02


def test_strength_scales_the_estimated_map():
    torch.manual_seed(0)
    net = BlindDenoiser(channels=1, depth=3, features=8, estimator_features=4).eval()
    seen = []
    net.denoiser.register_forward_pre_hook(lambda m, args: seen.append(args[1]))
    x = torch.rand(1, 1, 16, 16)
    with torch.no_grad():
        net(x, 1.0)
        net(x, torch.full((1, 1, 1, 1), 2.5))
    assert torch.allclose(seen[1], 2.5 * seen[0]) and float(seen[0].min()) > 0  # softplus keeps σ̂ positive


def test_training_pairs_alternate_awgn_and_camera_noise():
    gray = [torch.randint(0, 256, (1, 80, 80), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))]
    color = [torch.randint(0, 256, (3, 80, 80), dtype=torch.uint8, generator=torch.Generator().manual_seed(1))]
    noisy, target = training_pair(gray, color, 0, 64, seed=0)
    assert noisy.shape == target.shape == (1, 64, 64) and float(target.std()) < 1e-6  # AWGN: one σ everywhere
    noisy2, target2 = training_pair(gray, color, 1, 64, seed=0)
    assert noisy2.shape == (1, 64, 64) and float(target2.std()) > 0  # camera noise: σ varies with the signal
    again, _ = training_pair(gray, color, 1, 64, seed=0)
    assert torch.equal(again, noisy2)
