"""The local Laplacian filter (Paris et al. 2011, fast form of Aubry et al. 2014): its defining
properties on a step edge carrying fine texture."""

import math

import torch
import torch.nn.functional as F

from darkroom.ops.local_laplacian import collapse, laplacian_pyramid, local_laplacian, local_laplacian_rgb

H, W = 128, 256


def _edge_with_texture(amplitude: float = 0.02) -> torch.Tensor:
    step = torch.where(torch.arange(W) < W // 2, 0.2, 0.8).view(1, 1, 1, W).expand(1, 1, H, W)
    texture = amplitude * torch.sin(torch.arange(H).float() * 2 * math.pi / 8).view(1, 1, H, 1)
    return step + texture


def _texture_amplitude(x: torch.Tensor) -> float:
    far = x[..., :, 20:60]  # far from the edge and the borders
    return float((far.amax(2) - far.amin(2)).mean() / 2)


def _overshoot(x: torch.Tensor, amplitude: float) -> float:
    """How far the output leaves the two levels, beyond their own texture, next to the edge."""
    near = x[..., W // 2 - 12 : W // 2 + 12]
    return max(0.0, 0.2 - amplitude - float(near.min()), float(near.max()) - 0.8 - amplitude)


def test_the_pyramid_collapses_back_exactly():
    x = torch.rand(1, 2, 37, 50)
    assert torch.allclose(collapse(laplacian_pyramid(x, 4)), x, atol=1e-5)


def test_detail_is_scaled_by_alpha_and_the_step_is_kept():
    x = _edge_with_texture()
    amplitudes = {alpha: _texture_amplitude(local_laplacian(x, 0.1, alpha)) for alpha in (0.5, 1.0, 2.0)}
    # measured: 0.030, 0.020, 0.0094 (input 0.020)
    assert amplitudes[0.5] > 1.3 * 0.02 and abs(amplitudes[1.0] - 0.02) < 1e-4 and amplitudes[2.0] < 0.6 * 0.02, amplitudes
    out = local_laplacian(x, 0.1, 0.5)[0, 0].mean(0)
    assert abs(float(out[:40].mean()) - 0.2) < 0.01 and abs(float(out[-40:].mean()) - 0.8) < 0.01


def test_detail_enhancement_leaves_no_halo_where_an_unsharp_mask_does():
    x = _edge_with_texture()
    llf = local_laplacian(x, 0.1, 0.5)
    gain = _texture_amplitude(llf) / 0.02
    # an unsharp mask with the same gain on the texture: x + k·(x − blur(x)), k set so the texture grows alike
    blur = F.avg_pool2d(F.pad(x, (4, 4, 4, 4), mode="replicate"), 9, stride=1)
    k = (gain - 1) / (_texture_amplitude(x - blur) / 0.02)
    unsharp = x + k * (x - blur)
    assert abs(_texture_amplitude(unsharp) / 0.02 - gain) < 0.05
    # measured: 0.009 for the filter, 0.16 for the unsharp mask
    assert _overshoot(llf, 0.02 * gain) < 0.2 * _overshoot(unsharp, 0.02 * gain)


def test_beta_compresses_large_steps_and_colour_is_kept_by_ratio():
    x = _edge_with_texture(0.0)
    out = local_laplacian(x, 0.1, 1.0, beta=0.5)[0, 0].mean(0)
    # the 0.6 step shrinks where it is (measured: 0.36 across the edge's two pixels); the flat
    # levels far from it are the pyramid's residual, which the filter keeps
    assert float(out[W // 2] - out[W // 2 - 1]) < 0.7 * 0.6
    rgb = torch.rand(1, 3, 32, 32) * 0.5 + 0.25
    out = local_laplacian_rgb(rgb, alpha=0.5)
    ratio_in, ratio_out = rgb[:, 0] / rgb[:, 1], out[:, 0] / out[:, 1]
    assert torch.allclose(ratio_in, ratio_out, rtol=1e-3)
