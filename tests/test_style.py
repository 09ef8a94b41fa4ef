"""Style transfer and DeepDream: the losses by hand, optimisation that lowers them, the
VGG-19 weight loader round trip (torchvision layout, .pth and .safetensors, hub cache),
and the honest fallback when no weights exist."""

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from darkroom.errors import DarkroomError
from darkroom.generate.dream import dream
from darkroom.generate.style import content_loss, feature_network, gram_matrix, style_loss, stylize
from darkroom.io import read_image, write_image
from darkroom.nets.vgg import LAYER_INDEX, VGG19Features
from darkroom.visualize import layer_objective


def test_gram_and_content_loss_by_hand():
    f = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).view(1, 2, 1, 2)  # channel 0: (1, 2), channel 1: (3, 4)
    expected = torch.tensor([[[1 + 4, 3 + 8], [3 + 8, 9 + 16]]]) / 4.0  # C·H·W = 4
    assert torch.equal(gram_matrix(f), expected)
    assert float(content_loss(f, torch.zeros_like(f))) == pytest.approx((1 + 4 + 9 + 16) / 4)
    assert float(style_loss(f, expected)) == 0.0


def test_vgg_layer_names_match_torchvision_indices():
    assert (LAYER_INDEX["conv1_1"], LAYER_INDEX["relu1_1"], LAYER_INDEX["pool1"]) == (0, 1, 4)
    assert (LAYER_INDEX["conv4_2"], LAYER_INDEX["relu5_1"], LAYER_INDEX["pool5"]) == (21, 29, 36)
    assert sum(p.numel() for p in VGG19Features().parameters()) == 20_024_384  # torchvision's vgg19().features


@pytest.fixture(scope="module")
def random_vgg_state():
    torch.manual_seed(1)
    state = {k: v.clone() for k, v in VGG19Features().state_dict().items()}
    state["classifier.0.weight"] = torch.zeros(2, 2)  # a full torchvision checkpoint carries these too
    return state


def test_weight_loader_round_trips_pth_safetensors_and_the_hub_cache(tmp_path, monkeypatch, random_vgg_state):
    torch.save(random_vgg_state, tmp_path / "vgg19.pth")
    save_file(random_vgg_state, str(tmp_path / "vgg19.safetensors"))
    x = torch.rand(1, 3, 32, 32)
    reference = VGG19Features()
    reference.load_state_dict({k: v for k, v in random_vgg_state.items() if k.startswith("features.")})
    expected = reference(x, ("relu3_1",))["relu3_1"]
    for name in ("vgg19.pth", "vgg19.safetensors"):
        f = feature_network(tmp_path / name)
        assert "VGG-19" in f.description and f.content_layers == ("conv4_2",)
        assert torch.equal(f.net(x, ("relu3_1",))["relu3_1"], expected)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    assert "random multi-scale filters" in feature_network().description  # nothing cached: the fallback, said aloud
    (tmp_path / "torch/hub/checkpoints").mkdir(parents=True)
    (tmp_path / "vgg19.pth").rename(tmp_path / "torch/hub/checkpoints/vgg19-dcbb9e9d.pth")
    assert "VGG-19" in feature_network().description


def test_unreadable_weights_are_a_clear_error(tmp_path):
    (tmp_path / "bad.pth").write_bytes(b"not a checkpoint")
    with pytest.raises(DarkroomError, match="cannot read weights"):
        feature_network(tmp_path / "bad.pth")
    save_file({"features.0.weight": torch.zeros(1)}, str(tmp_path / "wrong.safetensors"))
    with pytest.raises(DarkroomError, match="not a torchvision VGG-19"):
        feature_network(tmp_path / "wrong.safetensors")


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_optimisation_lowers_the_loss(optimizer, monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    g = torch.Generator().manual_seed(0)
    content = torch.rand(1, 3, 32, 32, generator=g)
    yy, xx = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    style = (0.5 + 0.5 * torch.sin(xx / 2)).expand(1, 3, 32, 32).contiguous()  # stripes
    losses = []
    out = stylize(content, style, feature_network(), size=32, steps=15, optimizer=optimizer, lr=0.05,
                  progress=lambda step, loss: losses.append(loss))
    assert out.shape == (1, 3, 32, 32) and 0 <= float(out.min()) and float(out.max()) <= 1
    assert losses[-1] < 0.5 * losses[0], losses


def test_preserve_color_keeps_the_content_chroma(monkeypatch, tmp_path):
    from darkroom.ops import rgb_to_ycbcr

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    content = torch.zeros(1, 3, 24, 24)
    content[:, 0] = 0.8  # reddish
    content[:, 2] = 0.2
    style = torch.rand(1, 3, 24, 24, generator=torch.Generator().manual_seed(0))
    out = stylize(content, style, feature_network(), size=24, steps=5, preserve_color=True)
    chroma = rgb_to_ycbcr(out)[:, 1:].mean((2, 3))
    assert torch.allclose(chroma, rgb_to_ycbcr(content)[:, 1:].mean((2, 3)), atol=0.03)


def test_dream_raises_the_layer_activation_and_keeps_the_size(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    net = feature_network().net
    image = torch.rand(1, 3, 40, 52, generator=torch.Generator().manual_seed(0))
    out = dream(image, net, "convs.random7", octaves=2, steps=5, lr=0.02)
    objective = layer_objective(net, "convs.random7")
    with torch.no_grad():
        assert out.shape == image.shape and float(objective(out)) > 1.2 * float(objective(image))


def test_stylize_and_dream_commands(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    rng = np.random.default_rng(0)
    write_image(tmp_path / "c.png", rng.integers(0, 255, (40, 30, 3), dtype=np.uint8))
    write_image(tmp_path / "s.png", rng.integers(0, 255, (20, 20), dtype=np.uint8))  # gray style is fine
    code, _, err = cli("stylize", tmp_path / "c.png", "--style", tmp_path / "s.png", "-o", tmp_path / "o.png",
                       "--size", "32", "--steps", "3")
    assert code == 0 and "features: random multi-scale filters" in err, err
    assert read_image(tmp_path / "o.png").pixels.shape == (32, 24, 3)
    code, _, err = cli("dream", tmp_path / "c.png", "-o", tmp_path / "d.png", "--octaves", "2", "--steps", "2")
    assert code == 0 and read_image(tmp_path / "d.png").pixels.shape == (40, 30, 3), err
    code, _, err = cli("stylize", tmp_path / "c.png", "-o", tmp_path / "x.png")
    assert code == 1 and "give either --style" in err
