"""Neural style transfer by optimisation: Gatys, Ecker & Bethge, "Image Style Transfer
Using Convolutional Neural Networks" (CVPR 2016).

The image is optimised so that its features at a deep layer match the content image's
(content loss) and the Gram matrices of its features at several layers match the style
image's (style loss), plus a total-variation term for smoothness. L-BFGS as in the
paper, or Adam; coarse-to-fine over several scales for large images (each scale starts
from the upsampled result of the previous one); and the paper's colour-preservation
variant (Gatys et al., "Preserving Color in Neural Artistic Style Transfer", 2016):
transfer on luminance only and keep the content's chroma.

The feature network comes from ``feature_network``: torchvision-layout VGG-19 weights
from a path or the torch hub cache, else random multi-scale filters (see
``darkroom.nets.vgg``), and it says which one it is using.

>>> import torch
>>> f = torch.ones(1, 2, 2, 2)
>>> gram_matrix(f)  # every channel pair: 4 products of 1, divided by C·H·W = 8
tensor([[[0.5000, 0.5000],
         [0.5000, 0.5000]]])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor, nn

from darkroom.errors import DarkroomError
from darkroom.io import read_image, read_state_dict
from darkroom.losses import content_loss, gram_matrix, style_loss, total_variation
from darkroom.nets.vgg import RandomMultiscaleFeatures, VGG19Features
from darkroom.ops import check_image_batch, imresize, resize_longest, rgb_to_ycbcr, to_rgb_batch, ycbcr_to_rgb

VGG19_URL = "https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"  # torchvision's ImageNet weights
VGG_CONTENT = ("conv4_2",)
VGG_STYLE = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")
RANDOM_CONTENT = ("random3", "random5")
RANDOM_STYLE = ("random3", "random5", "random7", "random11", "random15", "random23")


@dataclass(frozen=True)
class FeatureNetwork:
    net: nn.Module
    description: str
    content_layers: tuple[str, ...]
    style_layers: tuple[str, ...]
    style_weight: float  # the default balance; the two networks' Gram matrices differ in scale by orders of magnitude


def read_style(path: str | Path, side: int) -> Tensor:
    """A style image as (1, 3, H, W) on [0, 1], its longest side resized to ``side``."""
    return resize_longest(to_rgb_batch(read_image(path).pixels), side).clamp(0, 1)


def hub_vgg19_path() -> Path:
    """Where torchvision caches VGG-19 (``$TORCH_HOME/hub/checkpoints``)."""
    return Path(torch.hub.get_dir()) / "checkpoints" / Path(VGG19_URL).name


def feature_network(weights: str | Path | None = None, *, download: bool = False) -> FeatureNetwork:
    """VGG-19 with ImageNet weights if they can be found, else random multi-scale filters.

    The hub cache is ``torch.hub.get_dir()``, which honours ``$TORCH_HOME``.

    Order: ``weights`` (a torchvision-layout ``.pth`` or ``.safetensors``), then the torch
    hub cache, then (only if ``download``) torchvision's URL. Naming a file that cannot
    be read is an error; finding nothing falls back, and ``description`` says so.
    """
    path = Path(weights) if weights else hub_vgg19_path()
    state = None
    if weights or path.exists():
        state = read_state_dict(path)
    elif download:
        try:
            state = torch.hub.load_state_dict_from_url(VGG19_URL, map_location="cpu", weights_only=True)
            path = hub_vgg19_path()
        except Exception as exc:  # offline, proxy, disk: say which
            raise DarkroomError(f"could not download VGG-19 weights from {VGG19_URL}: {exc}") from None
    if state is None:
        return FeatureNetwork(RandomMultiscaleFeatures().eval(), "random multi-scale filters (no VGG-19 weights found; "
                              f"pass --vgg or put {hub_vgg19_path().name} in {hub_vgg19_path().parent})",
                              RANDOM_CONTENT, RANDOM_STYLE, 1e8)
    net = VGG19Features()
    features = {k: v for k, v in state.items() if k.startswith("features.")}
    try:
        net.load_state_dict(features)
    except RuntimeError as exc:
        raise DarkroomError(f"{path} is not a torchvision VGG-19 state dict: {str(exc).splitlines()[0]}") from None
    net.requires_grad_(False)
    return FeatureNetwork(net.eval(), f"VGG-19 ({path})", VGG_CONTENT, VGG_STYLE, 1e6)


def _match_luminance(style: Tensor, content: Tensor) -> Tensor:
    """Gray style image whose luminance has the content's mean and spread (Gatys et al. 2016, §2.2)."""
    y_s, y_c = rgb_to_ycbcr(style)[:, :1], rgb_to_ycbcr(content)[:, :1]
    y = (y_s - y_s.mean()) * (y_c.std() / y_s.std().clamp_min(1e-6)) + y_c.mean()
    return y.clamp(0, 1).expand(-1, 3, -1, -1)


def stylize(content: Tensor, style: Tensor, features: FeatureNetwork, *, size: int = 512, scales: int = 1,
            steps: int = 300, optimizer: str = "lbfgs", lr: float = 0.02, content_weight: float = 1.0,
            style_weight: float | None = None, tv_weight: float = 1e-3, preserve_color: bool = False, seed: int = 0,
            progress: Callable[[int, float], None] | None = None) -> Tensor:
    """Optimise an image with ``content``'s layout and ``style``'s texture; RGB (1, 3, H, W) in [0, 1].

    ``style_weight`` defaults to the feature network's own balance. ``size`` is the output's longest side; with ``scales`` > 1 the optimisation starts at
    ``size / 2**(scales-1)`` and doubles. ``steps`` counts per scale. The start is the
    content image plus a little seeded noise.
    """
    for x in (content, style):
        check_image_batch(x)
        if x.shape[:2] != (1, 3):
            raise DarkroomError(f"style transfer takes one RGB image each, got {tuple(x.shape)}")
    if optimizer not in ("lbfgs", "adam"):
        raise DarkroomError(f"optimizer must be lbfgs or adam, got {optimizer!r}")
    if scales < 1 or steps < 1:
        raise DarkroomError("scales and steps must be at least 1")
    full_content = content
    style_weight = features.style_weight if style_weight is None else style_weight
    if preserve_color:
        style = _match_luminance(style, content)
        content = rgb_to_ycbcr(content)[:, :1].expand(-1, 3, -1, -1)
    g = torch.Generator().manual_seed(seed)
    net = features.net
    image = None
    for level in range(scales):
        side = max(16, size // 2 ** (scales - 1 - level))
        c = resize_longest(content, side).clamp(0, 1)
        s = resize_longest(style, side).clamp(0, 1)
        with torch.no_grad():
            c_feats = net(c, features.content_layers)
            s_grams = {k: gram_matrix(v) for k, v in net(s, features.style_layers).items()}
        if image is None:
            image = (c + 0.02 * torch.randn(c.shape, generator=g)).clamp(0, 1)
        else:
            image = imresize(image, size=tuple(c.shape[-2:])).clamp(0, 1)
        image = image.detach().contiguous().requires_grad_(True)

        def objective() -> Tensor:
            layers = tuple(dict.fromkeys(features.content_layers + features.style_layers))
            feats = net(image, layers)
            loss = content_weight * sum(content_loss(feats[k], c_feats[k]) for k in features.content_layers)
            loss = loss + style_weight * sum(style_loss(feats[k], s_grams[k]) for k in features.style_layers) / len(features.style_layers)
            return loss + tv_weight * total_variation(image)

        if optimizer == "lbfgs":
            opt = torch.optim.LBFGS([image], lr=1.0, max_iter=steps, max_eval=2 * steps, history_size=50,
                                    tolerance_grad=0.0, tolerance_change=0.0, line_search_fn="strong_wolfe")
            count = [0]

            def closure() -> Tensor:
                opt.zero_grad()
                loss = objective()
                loss.backward()
                if progress:
                    progress(count[0], float(loss.detach()))
                count[0] += 1
                return loss

            opt.step(closure)
        else:
            opt = torch.optim.Adam([image], lr=lr)
            for step in range(steps):
                opt.zero_grad()
                loss = objective()
                loss.backward()
                opt.step()
                with torch.no_grad():
                    image.clamp_(0, 1)
                if progress:
                    progress(step, float(loss.detach()))
        image = image.detach().clamp(0, 1)
    if preserve_color:
        chroma = rgb_to_ycbcr(imresize(full_content, size=tuple(image.shape[-2:])).clamp(0, 1))[:, 1:]
        image = ycbcr_to_rgb(torch.cat([rgb_to_ycbcr(image)[:, :1], chroma], 1)).clamp(0, 1)
    return image


