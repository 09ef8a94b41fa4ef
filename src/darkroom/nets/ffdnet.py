"""A noise-level-conditioned denoiser in the style of FFDNet: "FFDNet: Toward a Fast and
Flexible Solution for CNN-Based Image Denoising" (Zhang, Zuo, Zhang; IEEE TIP 2018).

The noisy image is pixel-unshuffled into four half-resolution sub-images, a noise-level
map σ (on the [0, 1] scale, i.e. σ/255) is concatenated as one more channel, a plain
Conv+BN+ReLU stack runs at half resolution (4× fewer operations than DnCNN per layer),
and pixel shuffle restores full resolution. A spatially varying σ map gives spatially
varying strength.

``residual=True`` makes the body predict the noise (x = y − R(y), as DnCNN does);
``residual=False`` predicts the clean image, as the paper does. The gray model trains
residually. A colour FFDNet in the paper's layout (12 sub-images in) would not train here:
predicting the noise, from scratch or from the gray body, it sat at "output = input" (its
training loss stayed at the noisy input's); predicting the clean image it
left that level but crawled (``benchmarks/ffdnet_start.py``; 20.4 dB validation at σ = 37.5
after 2,000 steps of ``recipes/ffdnet_color_direct.toml``). The shipped colour model is
therefore :class:`GuidedOpponentFFDNet`, which reuses the trained gray body.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.color import OPPONENT_NOISE_GAIN, opponent_to_rgb, rgb_to_opponent


def _check_even(height: int, width: int) -> None:
    if height % 2 or width % 2:
        raise ValueError(f"FFDNet needs even height and width, got {height}×{width}; the engine pads for you")


def _half_resolution_sigma(sigma_map: Tensor, size: tuple[int, int]) -> Tensor:
    """A (B, 1, H, W) or (B, 1, 1, 1) σ map at the sub-images' (H/2, W/2)."""
    if sigma_map.shape[-1] > 1:
        return F.interpolate(sigma_map, size=size, mode="area")
    return sigma_map.expand(-1, 1, *size)


class FFDNet(nn.Module):
    def __init__(self, *, channels: int = 1, depth: int = 15, features: int = 64, residual: bool = True):
        super().__init__()
        self.residual = residual
        sub = 4 * channels
        layers: list[nn.Module] = [nn.Conv2d(sub + 1, features, 3, padding=1), nn.ReLU(inplace=True)]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(features, features, 3, padding=1, bias=False), nn.BatchNorm2d(features), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(features, sub, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        """``noisy`` (B, C, H, W) with even H, W; ``sigma_map`` (B, 1, H, W) or (B, 1, 1, 1), σ/255."""
        _check_even(*noisy.shape[-2:])
        sub = F.pixel_unshuffle(noisy, 2)
        sigma_small = _half_resolution_sigma(sigma_map, sub.shape[-2:]).to(sub.dtype)
        out = F.pixel_shuffle(self.body(torch.cat([sub, sigma_small], 1)), 2)
        return noisy - out if self.residual else out


class GuidedOpponentFFDNet(FFDNet):
    """A colour denoiser built from the gray one: each channel of the opponent colour space
    (mean, red−blue, green−magenta; ``darkroom.ops.rgb_to_opponent``) goes through one shared
    gray FFDNet body, told its own σ, with the noisy mean channel (and its σ) as a guide.

    The guide is what a colour model needs and the gray model in the opponent space lacks:
    the chroma channels carry little detail of their own, and where they do, its edges are
    the luminance's. CBM3D (Dabov et al., ICIP 2007) uses the luminance the same way, to
    group the chroma blocks. The guide enters through its own convolution, added to the first
    layer's output and zero at construction, so the network starts as exactly the gray model
    in the opponent space (``init`` from ``ffdnet_gray``); a fresh colour FFDNet, by
    contrast, did not leave the identity (``benchmarks/ffdnet_start.py``).

    Three gray passes per image: the cost of the gray model run on the three channels.

    ``channel_modulation`` gives every batch-normalised layer a scale and shift of its own for
    each opponent channel (feature-wise modulation, as FiLM: Perez et al., AAAI 2018), so
    the shared body can treat luminance and chroma differently at every depth, not only
    through the first layer's guide. Zero at construction: the network starts as the model
    it is initialised from.
    """

    def __init__(self, *, depth: int = 15, features: int = 64, channel_modulation: bool = False):
        super().__init__(channels=1, depth=depth, features=features, residual=True)
        self.guide_in = nn.Conv2d(4 + 1, features, 3, padding=1, bias=False)
        nn.init.zeros_(self.guide_in.weight)
        # (layer, opponent channel, scale or shift, feature)
        self.channel_modulation = nn.Parameter(torch.zeros(depth - 2, 3, 2, features)) if channel_modulation else None

    def _body_after_first(self, first: Tensor, batch: int) -> Tensor:
        if self.channel_modulation is None:
            return self.body[1:](first)
        h = self.body[1](first)
        for i, modulation in enumerate(self.channel_modulation):
            conv, norm, relu = self.body[2 + 3 * i : 5 + 3 * i]
            scale, shift = (m.repeat_interleave(batch, 0)[:, :, None, None] for m in modulation.unbind(1))
            h = relu(norm(conv(h)) * (1 + scale) + shift)
        return self.body[-1](h)

    def forward(self, noisy: Tensor, sigma_map: Tensor) -> Tensor:
        """``noisy`` (B, 3, H, W) RGB with even H, W; ``sigma_map`` (B, 1, H, W) or (B, 1, 1, 1), σ/255 of the RGB noise."""
        b, c, h, w = noisy.shape
        if c != 3:
            raise ValueError(f"GuidedOpponentFFDNet takes RGB batches, got {c} channels")
        _check_even(h, w)
        opponent = rgb_to_opponent(noisy)
        # The three channels become three batch entries, channel-major: (3B, 1, H, W).
        channels = opponent.transpose(0, 1).reshape(3 * b, 1, h, w)
        gains = torch.tensor(OPPONENT_NOISE_GAIN, dtype=sigma_map.dtype, device=sigma_map.device).repeat_interleave(b)
        sigmas = sigma_map.repeat(3, 1, 1, 1) * gains.view(-1, 1, 1, 1)
        guide, guide_sigma = opponent[:, :1].repeat(3, 1, 1, 1), sigma_map.repeat(3, 1, 1, 1) * gains[0]
        sub, guide_sub = F.pixel_unshuffle(channels, 2), F.pixel_unshuffle(guide, 2)
        size = sub.shape[-2:]
        first = self.body[0](torch.cat([sub, _half_resolution_sigma(sigmas, size).to(sub.dtype)], 1))
        first = first + self.guide_in(torch.cat([guide_sub, _half_resolution_sigma(guide_sigma, size).to(sub.dtype)], 1))
        residual = F.pixel_shuffle(self._body_after_first(first, b), 2)
        denoised = (channels - residual).reshape(3, b, h, w).transpose(0, 1)
        return opponent_to_rgb(denoised)


def _geometry(depth, **_) -> Geometry:
    # pixel-unshuffled to half resolution (even sizes); each 3×3 layer there sees two input pixels further
    return Geometry(2, 2 * depth + 1)


_PAPER = "Zhang, Zuo, Zhang, 'FFDNet: Toward a Fast and Flexible Solution for CNN-Based Image Denoising', IEEE TIP 2018"
FAMILY = Family("ffdnet", FFDNet, paper=_PAPER, geometry=_geometry, tiny={"channels": 1, "depth": 4, "features": 8},
                conditioned=True)
GUIDED_OPPONENT_FAMILY = Family(
    "ffdnet_guided_opponent", GuidedOpponentFFDNet,
    paper=_PAPER + "; luminance-guided chroma as in Dabov et al., 'Color image denoising via sparse 3D collaborative "
                   "filtering with grouping constraint in luminance-chrominance space', ICIP 2007",
    geometry=_geometry, tiny={"depth": 4, "features": 8}, conditioned=True,
)
