"""Generation: the VAE's objective by hand, the Fréchet distance against closed forms,
training that lowers its losses, and the shipped samplers."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from darkroom.generate import negative_elbo, sample_gan
from darkroom.io import read_image
from darkroom.metrics import frechet_distance
from darkroom.nets.dcgan import Discriminator, Generator
from darkroom.train import data_root

WEIGHTS = Path(__file__).resolve().parent.parent / "src/darkroom/zoo/weights"


def test_negative_elbo_by_hand():
    x = (torch.rand(3, 1, 28, 28) > 0.5).float()
    # p = 0.5 everywhere costs log 2 per pixel; a posterior equal to the prior costs no KL
    zero = torch.zeros(3, 2)
    assert torch.allclose(negative_elbo(torch.zeros_like(x), x, zero, zero), torch.full((3,), 784 * math.log(2)))
    # KL(N(1, e^0) ‖ N(0, 1)) = ½ per dimension
    assert torch.allclose(negative_elbo(torch.zeros_like(x), x, torch.ones(3, 2), zero) - 784 * math.log(2), torch.ones(3), atol=1e-3)


def test_frechet_distance_closed_forms():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(400, 5, generator=g, dtype=torch.float64)
    shift = torch.tensor([1.0, -2.0, 0.5, 0.0, 3.0], dtype=torch.float64)
    assert float(frechet_distance(a, a + shift)) == pytest.approx(float(shift.square().sum()), rel=1e-9)
    # 1-D: (μ₁ − μ₂)² + (σ₁ − σ₂)²
    x = torch.randn(1000, 1, generator=g, dtype=torch.float64) * 2 + 1
    y = torch.randn(1000, 1, generator=g, dtype=torch.float64) * 3
    expected = (x.mean() - y.mean()) ** 2 + (x.std() - y.std()) ** 2
    assert float(frechet_distance(x, y)) == pytest.approx(float(expected), rel=1e-9)
    with pytest.raises(ValueError, match="same D"):
        frechet_distance(x, a)


def blobs(n=256):
    """Digit-like images: a bright bar at one of 4 places."""
    g = torch.Generator().manual_seed(0)
    images = torch.zeros(n, 1, 28, 28)
    for i, k in enumerate(torch.randint(4, (n,), generator=g)):
        images[i, 0, 4 + 5 * int(k) : 8 + 5 * int(k), 6:22] = 1
    return images


RECIPES = Path(__file__).resolve().parent.parent / "recipes"
needs_mnist = pytest.mark.skipif(not (data_root() / "MNIST").is_dir(), reason="shared data not present")


def _log(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]


@needs_mnist
def test_the_vae_recipe_lowers_the_held_out_negative_elbo(tmp_path):
    from darkroom.train import Recipe, train

    r = Recipe.from_toml(RECIPES / "vae_mnist.toml", steps=116, val_every=58)  # two epochs
    train(r, tmp_path, progress=False)
    scores = [e["val_neg_elbo"] for e in _log(tmp_path) if "val_neg_elbo" in e]
    uniform = 784 * math.log(2)  # what predicting 0.5 everywhere costs
    assert len(scores) == 2 and scores[1] < scores[0] < 0.6 * uniform, scores


@needs_mnist
def test_the_gan_recipe_trains_both_networks_and_exports_a_generator(tmp_path):
    from darkroom.io import read_weights
    from darkroom.train import Recipe, train

    r = Recipe.from_toml(RECIPES / "dcgan_mnist.toml", steps=20, log_every=5)
    weights = train(r, tmp_path, progress=False)
    assert all(np.isfinite(e["loss"]) for e in _log(tmp_path) if "loss" in e)
    generator = Generator(latent=64, features=32)
    generator.load_state_dict(read_weights(weights)[0])
    out = sample_gan(generator, 8)
    assert out.shape == (8, 1, 28, 28) and 0 <= float(out.min()) and float(out.max()) <= 1
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    assert set(state["networks"]) == {"generator", "discriminator"} == set(state["optimizers"])


def test_the_discriminator_learns_real_bars_from_a_fixed_generators_output():
    torch.manual_seed(0)
    # a discriminator alone, real bars vs a fixed generator's output: its loss falls
    d, g = Discriminator(), Generator()
    opt = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    real, fake = blobs(64) * 2 - 1, g(torch.randn(64, 64)).detach()
    losses = []
    for _ in range(10):
        loss = (torch.nn.functional.softplus(-d(real)) + torch.nn.functional.softplus(d(fake))).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    assert losses[-1] < 0.5 * losses[0], losses


@pytest.mark.parametrize("model", ["vae", "gan"])
def test_sample_command_writes_a_grid(model, tmp_path, cli):
    code, _, err = cli("sample", model, "-n", "16", "-o", tmp_path / "grid.png")
    assert code == 0, err
    grid = read_image(tmp_path / "grid.png").pixels
    assert grid.shape == (2 + 4 * 30, 2 + 4 * 30) and grid.std() > 20  # 4×4 digits of 28 px, 2 px apart; not blank
    code, _, err = cli("sample", "diffusion", "-o", tmp_path / "g.png")
    assert code == 1 and "choose from vae, gan" in err
