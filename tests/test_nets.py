"""Forward and backward for every architecture, generated from the registry (as timm does)."""

import pytest
import torch

from darkroom.nets import ARCHITECTURES, TINY_VARIANTS


def test_every_architecture_has_a_tiny_variant():
    assert set(TINY_VARIANTS) == set(ARCHITECTURES)


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_forward_backward_shapes(name):
    kwargs = TINY_VARIANTS[name]
    net = ARCHITECTURES[name](**kwargs)
    c, scale = kwargs.get("channels", 1), kwargs.get("scale", 1)
    x = torch.rand(2, c, 16, 20, requires_grad=True)
    args = (x, torch.full((2, 1, 1, 1), 0.1)) if name == "ffdnet" else (x,)
    y = net(*args)
    assert y.shape == (2, c, 16 * scale, 20 * scale)
    y.square().mean().backward()
    assert x.grad is not None and all(p.grad is not None for p in net.parameters())


def test_paper_parameter_counts():
    # FSRCNN(56, 12, 4) and DnCNN-17 as the papers describe them, counted layer by layer.
    fsrcnn = ARCHITECTURES["fsrcnn"](scale=3, channels=1)
    convs = sum(p.numel() for n, p in fsrcnn.named_parameters() if "weight" in n and p.ndim == 4)
    assert convs == 56 * 25 + 56 * 12 + 4 * 12 * 12 * 9 + 12 * 56 + 56 * 81  # the paper's 12,464 + deconv
    dncnn = ARCHITECTURES["dncnn"](channels=1, depth=17)
    first, middle, last = 9 * 64 + 64, 15 * (9 * 64 * 64 + 2 * 64), 9 * 64 + 1  # BN: scale and shift
    assert sum(p.numel() for p in dncnn.parameters()) == first + middle + last == 556_097
