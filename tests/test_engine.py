import threading

import pytest
import torch
from torch import nn

from darkroom.engine import ModelSpec, Restorer, tile_starts
from darkroom.errors import ContractError, DarkroomError
from darkroom.nets import DnCNN, FFDNet
from darkroom.zoo import load


def _dncnn_with_real_bn_stats(channels=3):
    net = DnCNN(channels=channels, depth=8)
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 2.0)
    return net.eval()


class TinyUpscaler(nn.Module):
    """Two 3×3 convolutions and a pixel shuffle: receptive radius 2, scale 2."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 12, 3, padding=1), nn.PixelShuffle(2))

    def forward(self, x):
        return self.body(x)


@pytest.mark.parametrize("shape", [(1, 3, 150, 211), (2, 3, 97, 64)])
def test_tiled_equals_untiled(shape):
    r = Restorer(_dncnn_with_real_bn_stats(), ModelSpec("denoise", 3, 3, receptive_radius=8, tile=48))
    x = torch.rand(shape)
    assert (r(x, tile=0) - r(x)).abs().max() < 1 / 255


def test_tiled_equals_untiled_with_scale_and_condition():
    up = Restorer(TinyUpscaler().eval(), ModelSpec("upscale", 3, 3, scale=2, receptive_radius=2, tile=32))
    x = torch.rand(1, 3, 70, 90)
    assert up(x).shape == (1, 3, 140, 180)
    assert (up(x, tile=0) - up(x)).abs().max() < 1 / 255
    ff = Restorer(FFDNet(channels=1, depth=5).eval(), ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=11, tile=64, conditioned=True))
    x = torch.rand(1, 1, 181, 167)  # odd sizes: padded to the size multiple, cropped back
    sigma = torch.rand(1, 1, 181, 167) * 0.2  # spatially varying
    out = ff(x, sigma)
    assert out.shape == x.shape and (ff(x, sigma, tile=0) - out).abs().max() < 1 / 255


def test_tile_starts_cover_everything():
    for length in (1, 31, 64, 65, 500):
        starts = tile_starts(length, 64, 20)
        assert starts[0] == 0 and min(length, starts[-1] + 64) == length


def test_concurrent_calls_agree():
    r = Restorer(_dncnn_with_real_bn_stats(1), ModelSpec("denoise", 1, 1, receptive_radius=8, tile=40))
    inputs = [torch.rand(1, 1, 90, 70) for _ in range(4)]
    expected = [r(x) for x in inputs]
    results = [None] * 4

    def work(i):
        results[i] = r(inputs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(torch.equal(a, b) for a, b in zip(results, expected))


def test_engine_checks_input_and_mode():
    with pytest.raises(ValueError, match="eval mode"):
        Restorer(DnCNN(depth=3), ModelSpec("denoise", 1, 1))
    r = Restorer(DnCNN(depth=3).eval(), ModelSpec("denoise", 1, 1))
    with pytest.raises(ContractError, match="1 channels"):
        r(torch.rand(1, 3, 8, 8))
    with pytest.raises(DarkroomError, match="precision"):
        r(torch.rand(1, 1, 8, 8), precision="int4")


def test_a_network_runs_where_its_weights_are_or_says_where_to_load_it():
    net = DnCNN(depth=3).eval()
    r = Restorer(net, ModelSpec("denoise", 1, 1))
    x = torch.rand(1, 1, 8, 8)
    assert torch.equal(r(x), r(x, device="cpu"))
    elsewhere = Restorer(DnCNN(depth=3).eval().to("meta"), ModelSpec("denoise", 1, 1))
    with pytest.raises(DarkroomError, match="weights are on meta, not cpu: load it with device='cpu'"):
        elsewhere(x, device="cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message of a machine without CUDA")
def test_loading_onto_a_missing_gpu_is_one_line():
    with pytest.raises(DarkroomError, match="no CUDA GPU"):
        load("ffdnet_gray", device="cuda")
    with pytest.raises(DarkroomError, match="unknown device"):
        load("ffdnet_gray", device="tpu9")


def test_self_ensemble_averages_the_transformed_runs_and_tiles_like_one_run():
    from darkroom.ops import dihedral, undo_dihedral

    net = FFDNet(channels=1, depth=5).eval()
    ff = Restorer(net, ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=11, tile=64, conditioned=True,
                                 bf16=False))  # fp32 on every machine: compared with fp32 by hand
    x, sigma = torch.rand(1, 1, 90, 120), torch.rand(1, 1, 90, 120) * 0.2
    with torch.no_grad():
        by_hand = sum(undo_dihedral(net(dihedral(x, k), dihedral(sigma, k)), k) for k in range(8)) / 8
    whole = ff(x, sigma, tile=0, self_ensemble=8, clamp=False)
    assert (whole - by_hand).abs().max() < 1e-5
    assert (ff(x, sigma, self_ensemble=8, clamp=False) - whole).abs().max() < 1 / 255  # tiled
    assert (ff(x, sigma, tile=0, clamp=False) - whole).abs().max() > 1e-3  # an untrained net is no symmetric filter
    with pytest.raises(DarkroomError, match="self-ensemble must be one of"):
        ff(x, sigma, self_ensemble=3)


def test_precision_auto_uses_bf16_only_where_the_machine_has_it_and_the_card_measured_it(monkeypatch):
    import darkroom.engine.precision as precision

    cpu = torch.device("cpu")
    for native in (True, False):
        monkeypatch.setattr(precision, "native_bf16", lambda device_type, native=native: native)
        assert precision.resolve_precision("auto", cpu, bf16_keeps_scores=True) == ("bf16" if native else "fp32")
        assert precision.resolve_precision("auto", cpu, bf16_keeps_scores=False) == "fp32"
        assert precision.resolve_precision("bf16", cpu, bf16_keeps_scores=False) == "bf16"  # asked for: honoured
    with pytest.raises(DarkroomError, match="fp16 runs on CUDA only"):
        precision.resolve_precision("fp16", cpu, bf16_keeps_scores=True)
    assert ModelSpec("denoise", 1, 1).bf16 is False  # unmeasured models run in fp32


def test_bf16_runs_in_bf16_and_auto_follows_the_card(monkeypatch):
    import darkroom.engine.precision as precision

    net = FFDNet(channels=1, depth=5).eval()
    x, sigma = torch.rand(1, 1, 40, 48), torch.full((1, 1, 1, 1), 0.1)
    kept = Restorer(net, ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=11, conditioned=True, bf16=True))
    moved = Restorer(net, ModelSpec("denoise", 1, 1, size_multiple=2, receptive_radius=11, conditioned=True, bf16=False))
    fp32 = kept(x, sigma, precision="fp32", clamp=False)
    bf16 = kept(x, sigma, precision="bf16", clamp=False)
    assert 0 < float((bf16 - fp32).abs().max()) < 0.05  # bf16 really ran, and stayed close
    monkeypatch.setattr(precision, "native_bf16", lambda device_type: True)
    assert torch.equal(kept(x, sigma, clamp=False), bf16) and torch.equal(moved(x, sigma, clamp=False), fp32)
