"""Contract tests generated from the registry: every model builds, runs, and keeps its promises."""

import dataclasses

import pytest
import torch

from darkroom.engine import ModelSpec, Restorer
from darkroom.errors import DarkroomError
from darkroom.io import read_weights
from darkroom.nets import DnCNN
from darkroom.tasks import get_task
from darkroom.zoo import ModelCard, build_model, get_card, list_models, load, register, weights_path


IMAGE_TO_IMAGE = [c for c in list_models() if get_task(c.spec.task).image_to_image]


@pytest.mark.parametrize("card", IMAGE_TO_IMAGE, ids=lambda c: c.name)
def test_every_model_runs_with_its_spec(card):
    restorer = load(card.name)
    spec = card.spec
    c = spec.in_channels or 3
    x = torch.rand(1, c, 34, 30)
    cond = torch.full((1, 1, 3, 3), 1 / 9) if spec.kernel_conditioned else (
        torch.full((1, 1, 1, 1), 25 / 255) if spec.conditioned else None)
    y = restorer(x, cond)
    assert y.shape == (1, spec.out_channels or c, 34 * spec.scale, 30 * spec.scale)
    assert float(y.min()) >= 0 and float(y.max()) <= 1


@pytest.mark.parametrize("card", [c for c in list_models() if c not in IMAGE_TO_IMAGE], ids=lambda c: c.name)
def test_classifiers_and_generators_load_their_shipped_weights_exactly(card):
    net = build_model(card)  # strict: every tensor of the file fits the family's network
    stored = read_weights(weights_path(card.weights))[0]
    assert set(net.state_dict()) == set(stored)
    assert all(torch.equal(net.state_dict()[k].float(), v.float()) for k, v in stored.items())
    # and the zoo's network does its job's shape: 10 digit scores, or 28×28 digits drawn from codes
    with torch.no_grad():
        if get_task(card.spec.task).name == "recognize":
            out = net.eval()(torch.rand(2, 1, 28, 28))
            assert out.shape == (2, 10) and torch.isfinite(out).all()
        else:
            latent = torch.randn(2, net.latent) if hasattr(net, "decode") else torch.randn(2, net.latent, 1, 1)
            digits = net.decode(latent) if hasattr(net, "decode") else net.eval()(latent)
            assert digits.shape == (2, 1, 28, 28) and torch.isfinite(digits).all() and float(digits.std()) > 0.01


@pytest.mark.parametrize("card", [c for c in list_models() if c.spec.channels_last], ids=lambda c: c.name)
def test_channels_last_changes_speed_not_results(card):
    # A network that reshapes with .view() or indexes memory directly would scramble NHWC input;
    # every card that asks for it must give the NCHW result up to float rounding.
    c = card.spec.in_channels or 3
    x = torch.rand(1, c, 40, 36, generator=torch.Generator().manual_seed(0))
    cond = torch.full((1, 1, 3, 3), 1 / 9) if card.spec.kernel_conditioned else (
        torch.full((1, 1, 1, 1), 25 / 255) if card.spec.conditioned else None)
    nhwc = load(card.name)
    first_conv = next(p for p in nhwc.net.parameters() if p.dim() == 4)  # not a linear layer's (the quality embedding)
    assert first_conv.is_contiguous(memory_format=torch.channels_last)
    nchw = Restorer(build_model(card), dataclasses.replace(card.spec, channels_last=False))
    assert next(nchw.net.parameters()).is_contiguous()
    difference = (nhwc(x, cond, clamp=False, precision="fp32") - nchw(x, cond, clamp=False, precision="fp32")).abs().max()
    assert float(difference) < 1e-5


# The MNIST autoencoder is trained on digits with its own noise model, not on photos.
PHOTO_DENOISERS = [c for c in list_models() if c.learned and c.spec.task == "denoise" and c.name != "dae_mnist"]


@pytest.mark.parametrize("card", PHOTO_DENOISERS, ids=lambda c: c.name)
def test_photo_denoisers_keep_flat_black_gray_and_white_flat(card):
    # Saturated highlights are rare in the training photos (none in 2,000 BSD200 + T91 patches),
    # and BatchNorm's running statistics meet them only at inference: dncnn_color_s25
    # continued to step 12,000 turned a noisy white patch into 1.117 and lost up to 13.5 dB on
    # CBSD68's skies (BENCHMARKS.md). Each shipped denoiser must return a flat patch's level.
    restorer = load(card.name)
    c = card.spec.in_channels or 3
    cond = (torch.ones(1, 1, 1, 1) if card.spec.blind else torch.full((1, 1, 1, 1), 25 / 255)) if card.spec.conditioned else None
    for level in (0.0, 0.5, 0.98, 1.0):
        flat = torch.full((1, c, 64, 64), level)
        noisy = flat + 25 / 255 * torch.randn(flat.shape, generator=torch.Generator().manual_seed(1))
        out = restorer(noisy, cond, clamp=False)
        assert abs(float(out.mean()) - level) < 0.01, (level, float(out.mean()))


@pytest.mark.parametrize("card", [c for c in list_models() if c.learned], ids=lambda c: c.name)
def test_learned_models_ship_weights_and_a_card(card):
    assert weights_path(card.weights).stat().st_size > 1000
    assert card.data and card.recipe and card.steps > 0 and card.wall_time and card.scores


def test_duplicate_names_and_unknown_models_are_refused():
    with pytest.raises(ValueError, match="already registered"):
        register(ModelCard("bicubic_x2", "", DnCNN, {}, ModelSpec("denoise", 1, 1)))
    with pytest.raises(DarkroomError, match="unknown model 'nope'"):
        get_card("nope")


def test_weights_that_do_not_fit_are_refused(tmp_path):
    from darkroom.train.checkpoint import export_weights

    export_weights(tmp_path / "w.safetensors", DnCNN(depth=3), {})
    with pytest.raises(DarkroomError, match="do not fit"):
        build_model(get_card("ffdnet_gray"), weights=tmp_path / "w.safetensors")


def test_a_checkpoint_of_a_batchnorm_network_is_read_with_statistics_that_fit(tmp_path):
    # EMA weights carry the live network's BatchNorm statistics except right after a validation.
    import torch

    from darkroom.zoo.registry import load_state

    live, ema = {"bn.running_mean": torch.zeros(2), "w": torch.ones(1)}, {"bn.running_mean": torch.ones(2), "w": torch.full((1,), 2.0)}
    for calibrated, expected in ((False, "live"), (True, "ema")):
        torch.save({"model": live, "ema": ema, "step": 5, "ema_calibrated": calibrated}, tmp_path / "checkpoint.pt")
        weights, meta = load_state(tmp_path / "checkpoint.pt")
        assert meta["weights"] == expected and float(weights["w"]) == (1.0 if expected == "live" else 2.0)
