"""VGG-19 feature extractor in torchvision's layout, and the random-filter fallback.

"Very Deep Convolutional Networks for Large-Scale Image Recognition" (Simonyan &
Zisserman, ICLR 2015). ``VGG19Features`` has exactly the module indices of
``torchvision.models.vgg19().features`` so a torchvision state dict (``features.N.*``)
loads without renaming; ``LAYER_INDEX`` maps the names Gatys et al. use
(``conv4_2``, ``relu1_1`` …) to those indices.

Pretrained ImageNet weights cannot be downloaded on every machine. Without them,
``RandomMultiscaleFeatures`` is the documented stand-in: one layer of random
convolution filters at several sizes with ReLU, which Ustyuzhaninov, Brendel, Gatys &
Bethge ("What does it take to generate natural textures?", ICLR 2017) showed is
enough for Gram-matrix texture synthesis. It is far weaker than VGG for content.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

# (block, convolutions) of VGG-19's feature stack
_BLOCKS = ((1, 2), (2, 2), (3, 4), (4, 4), (5, 4))
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def _layer_index() -> dict[str, int]:
    names, i = {}, 0
    for block, convs in _BLOCKS:
        for k in range(1, convs + 1):
            names[f"conv{block}_{k}"], names[f"relu{block}_{k}"] = i, i + 1
            i += 2
        names[f"pool{block}"] = i
        i += 1
    return names


LAYER_INDEX = _layer_index()


class VGG19Features(nn.Module):
    """``features`` of VGG-19; ``forward(x, layers)`` returns the named layers' outputs.

    ``x`` is RGB in [0, 1]; the ImageNet normalisation the weights expect is applied inside.
    """

    def __init__(self, *, pool: str = "max"):
        super().__init__()
        layers: list[nn.Module] = []
        inputs = 3
        for block, convs in _BLOCKS:
            width = min(64 * 2 ** (block - 1), 512)
            for _ in range(convs):
                layers += [nn.Conv2d(inputs, width, 3, padding=1), nn.ReLU(inplace=False)]
                inputs = width
            layers.append(nn.MaxPool2d(2, 2) if pool == "max" else nn.AvgPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def forward(self, x: Tensor, layers: tuple[str, ...] | None = None) -> dict[str, Tensor] | Tensor:
        """The named layers' outputs, or (``layers`` None) the last layer's, like any backbone."""
        if layers is None:
            return self.features((x - self.mean) / self.std)
        wanted = {LAYER_INDEX[name]: name for name in layers}
        out, h = {}, (x - self.mean) / self.std
        for i, module in enumerate(self.features):
            h = module(h)
            if i in wanted:
                out[wanted[i]] = h
            if len(out) == len(wanted):
                break
        return out


class RandomMultiscaleFeatures(nn.Module):
    """Random filters of several sizes, one ReLU layer; layer names are ``random{k}`` for size k."""

    def __init__(self, *, sizes: tuple[int, ...] = (3, 5, 7, 11, 15, 23), filters: int = 64, seed: int = 0):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.convs = nn.ModuleDict()
        for k in sizes:
            conv = nn.Conv2d(3, filters, k, padding=k // 2, padding_mode="reflect")
            with torch.no_grad():  # zero-mean filters normalised per filter: scale-free responses
                w = torch.randn(conv.weight.shape, generator=g)
                w -= w.mean(dim=(1, 2, 3), keepdim=True)
                conv.weight.copy_(w / w.flatten(1).norm(dim=1).view(-1, 1, 1, 1))
                conv.bias.zero_()
            self.convs[f"random{k}"] = conv
        self.requires_grad_(False)

    def forward(self, x: Tensor, layers: tuple[str, ...] | None = None) -> dict[str, Tensor] | Tensor:
        """The named layers' responses, or (``layers`` None) all of them stacked along channels."""
        if layers is None:
            return torch.cat([torch.relu(conv(x - 0.5)) for conv in self.convs.values()], 1)
        return {name: torch.relu(self.convs[name](x - 0.5)) for name in layers}
