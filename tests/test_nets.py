"""Forward and backward for every architecture, generated from the registry (as timm does)."""

import pytest
import torch

from darkroom.nets import FAMILIES

IMAGE_TO_IMAGE = sorted(n for n, f in FAMILIES.items() if n not in ("survey_cnn", "small_resnet", "vae", "dcgan"))


def told(family, batch: int):
    """What a family's forward takes beside the image: a level map, a blur kernel, or nothing."""
    if family.kernel_conditioned:
        return lambda t: (t, torch.full((1, 1, 3, 3), 1 / 9))
    if family.conditioned:
        return lambda t: (t, torch.full((batch, 1, 1, 1), 0.1))
    return lambda t: (t,)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_family_names_its_paper_and_a_tiny_variant(name):
    family = FAMILIES[name]
    assert family.paper and family.tiny
    net = family(**family.tiny)
    assert sum(p.numel() for p in net.parameters()) < 200_000


# families built for RGB only (no ``channels`` argument): the opponent-colour FFDNet, and the
# dehazers, whose scattering model has one airlight per colour channel, and the enhancers (colour curves and transforms)
COLOUR_ONLY = ("ffdnet_guided_opponent", "dehazenet", "haze_unet", "zero_dce", "deepupe", "hdrnet")


@pytest.mark.parametrize("name", IMAGE_TO_IMAGE)
def test_forward_backward_shapes(name):
    kwargs = FAMILIES[name].tiny
    net = FAMILIES[name](**kwargs)
    c, scale = kwargs.get("channels", 3 if name in COLOUR_ONLY else 1), kwargs.get("scale", 1)
    x = torch.rand(2, c, 16, 20, requires_grad=True)
    y = net(*told(FAMILIES[name], 2)(x))
    assert y.shape == (2, c, 16 * scale, 20 * scale)
    y.square().mean().backward()
    assert x.grad is not None and all(p.grad is not None for p in net.parameters())


@pytest.mark.parametrize("name", IMAGE_TO_IMAGE)
def test_the_geometry_a_family_states_holds(name):
    # Its receptive radius is said once, in the family: an output pixel must not change when the
    # input changes farther away than that (cbdnet pools its noise map per brightness over the
    # whole input, the style network normalises over it, plug-and-play deconvolves in the
    # Fourier domain, the dehazers estimate one airlight for the whole image, the enhancers read global
    # features of the whole image: none has a finite radius).
    family = FAMILIES[name]
    if name in ("cbdnet", "transformer", "pnp", "dehazenet", "haze_unet", "deepupe", "hdrnet"):
        return
    kwargs = family.tiny
    g = family.geometry_of(kwargs)
    net = family(**kwargs).eval()
    c, scale = kwargs.get("channels", 3 if name in COLOUR_ONLY else 1), kwargs.get("scale", 1)
    side = 4 * g.size_multiple * (g.receptive_radius + 4)
    x = torch.rand(1, c, side, side)
    far = x.clone()
    far[..., : side // 2 - g.receptive_radius - 2, :] = 0.5  # change every row farther than the radius from the middle row
    args = told(family, 1)
    with torch.no_grad():
        y, y_far = net(*args(x)), net(*args(far))
    middle = (side // 2) * scale
    assert torch.allclose(y[..., middle, :], y_far[..., middle, :], atol=1e-5)


def test_paper_parameter_counts():
    # FSRCNN(56, 12, 4) and DnCNN-17 as the papers describe them, counted layer by layer.
    fsrcnn = FAMILIES["fsrcnn"](scale=3, channels=1)
    convs = sum(p.numel() for n, p in fsrcnn.named_parameters() if "weight" in n and p.ndim == 4)
    assert convs == 56 * 25 + 56 * 12 + 4 * 12 * 12 * 9 + 12 * 56 + 56 * 81  # the paper's 12,464 + deconv
    dncnn = FAMILIES["dncnn"](channels=1, depth=17)
    first, middle, last = 9 * 64 + 64, 15 * (9 * 64 * 64 + 2 * 64), 9 * 64 + 1  # BN: scale and shift
    assert sum(p.numel() for p in dncnn.parameters()) == first + middle + last == 556_097


def test_ffdnet_predicts_the_noise_or_the_clean_image():
    # With the last layer zeroed, a residual network returns its input, a direct one its bias.
    x = torch.rand(1, 3, 8, 10)
    for residual, expected in ((True, x), (False, torch.full_like(x, 0.25))):
        net = FAMILIES["ffdnet"](channels=3, depth=3, features=8, residual=residual).eval()
        torch.nn.init.zeros_(net.body[-1].weight)
        torch.nn.init.constant_(net.body[-1].bias, 0.25 if not residual else 0.0)
        assert torch.allclose(net(x, torch.full((1, 1, 1, 1), 0.1)), expected)


def test_guided_opponent_ffdnet_starts_as_the_gray_model_in_the_opponent_space():
    # Its guide convolution starts at zero, so gray weights make it exactly the gray model run
    # on each opponent channel (what darkroom.denoise does with a gray model on colour).
    from darkroom.ops.color import OPPONENT_NOISE_GAIN, opponent_to_rgb, rgb_to_opponent

    torch.manual_seed(0)
    gray = FAMILIES["ffdnet"](channels=1, depth=4, features=8).eval()
    guided = FAMILIES["ffdnet_guided_opponent"](depth=4, features=8).eval()
    guided.load_state_dict(gray.state_dict(), strict=False)
    x, sigma = torch.rand(2, 3, 12, 16), torch.rand(2, 1, 12, 16) * 0.2
    opp = rgb_to_opponent(x)
    expected = opponent_to_rgb(torch.cat([gray(opp[:, c : c + 1], sigma * g) for c, g in enumerate(OPPONENT_NOISE_GAIN)], 1))
    assert torch.allclose(guided(x, sigma), expected, atol=1e-6)
    torch.nn.init.normal_(guided.guide_in.weight)  # once the guide is learned, the output depends on it
    assert not torch.allclose(guided(x, sigma), expected, atol=1e-3)


def test_channel_modulation_starts_as_the_unmodulated_model_and_acts_per_opponent_channel():
    torch.manual_seed(0)
    plain = FAMILIES["ffdnet_guided_opponent"](depth=4, features=8).eval()
    torch.nn.init.normal_(plain.guide_in.weight)
    modulated = FAMILIES["ffdnet_guided_opponent"](depth=4, features=8, channel_modulation=True).eval()
    missing, _ = modulated.load_state_dict(plain.state_dict(), strict=False)
    assert missing == ["channel_modulation"]
    x, sigma = torch.rand(2, 3, 12, 16), torch.rand(2, 1, 1, 1) * 0.2
    with torch.no_grad():
        assert torch.equal(modulated(x, sigma), plain(x, sigma))
        # A shift on the chroma channels only leaves the luminance (the RGB mean) as it was.
        modulated.channel_modulation[:, 1:, 1].normal_()
        changed = modulated(x, sigma)
        assert torch.allclose(changed.mean(1), plain(x, sigma).mean(1), atol=1e-5)
        assert not torch.allclose(changed, plain(x, sigma), atol=1e-3)
        # Each image of a batch is its own: the channel-major batching keeps images apart.
        assert torch.allclose(changed[1:], modulated(x[1:], sigma[1:]), atol=1e-6)
