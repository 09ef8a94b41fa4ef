"""Zero-DCE: Guo, Li, Guo, Loy, Hou, Kwong & Cong, "Zero-Reference Deep Curve Estimation for
Low-Light Image Enhancement", CVPR 2020.

DCE-Net is seven 3×3 convolutions of 32 channels at full resolution with the paper's symmetric
skip concatenations (layer 5 sees layers 3 and 4, layer 6 sees 2 and 5, layer 7 sees 1 and 6),
ending in tanh and 24 maps: one curve parameter map α_n (3 channels) for each of 8 iterations
of the light-enhancement curve

    LE(x) = x + α·x·(1 − x),      α ∈ [−1, 1],

which maps [0, 1] onto itself monotonically, so the result can never leave the range or invert
tones, and a well-exposed pixel near 1 barely moves. Trained with no reference image at all, by
the paper's four losses (``darkroom.losses.zero_reference``).

>>> import torch
>>> net = ZeroDCE(features=4)
>>> out = net(torch.rand(1, 3, 16, 16))
>>> tuple(out.shape), bool(out.min() >= 0), bool(out.max() <= 1)
((1, 3, 16, 16), True, True)
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.shape import check_image_batch


def light_curve(x: Tensor, alpha: Tensor) -> Tensor:
    """One step of the quadratic light-enhancement curve LE(x) = x + α·x·(1 − x)."""
    return x + alpha * (x - x * x)


class ZeroDCE(nn.Module):
    """(B, 3, H, W) low-light image on [0, 1] → enhanced; ``curves(x)`` gives the 8 α maps."""

    def __init__(self, features: int = 32, iterations: int = 8):
        super().__init__()
        self.iterations = iterations
        f = features
        conv = lambda i, o: nn.Conv2d(i, o, 3, padding=1)  # noqa: E731
        self.convs = nn.ModuleList([conv(3, f), conv(f, f), conv(f, f), conv(f, f), conv(2 * f, f), conv(2 * f, f),
                                    conv(2 * f, 3 * iterations)])

    def curves(self, x: Tensor) -> Tensor:
        """The curve parameter maps, (B, 3·iterations, H, W) on [−1, 1]."""
        check_image_batch(x, channels=(3,))
        relu = torch.relu
        c = self.convs
        x1 = relu(c[0](x))
        x2 = relu(c[1](x1))
        x3 = relu(c[2](x2))
        x4 = relu(c[3](x3))
        x5 = relu(c[4](torch.cat((x3, x4), 1)))
        x6 = relu(c[5](torch.cat((x2, x5), 1)))
        return torch.tanh(c[6](torch.cat((x1, x6), 1)))

    def enhance(self, x: Tensor, curves: Tensor) -> Tensor:
        for alpha in curves.split(3, dim=1):
            x = light_curve(x, alpha)
        return x

    def forward(self, x: Tensor) -> Tensor:
        x = x.clamp(0, 1)
        return self.enhance(x, self.curves(x))


FAMILY = Family(
    "zero_dce", ZeroDCE,
    paper="Guo et al., 'Zero-Reference Deep Curve Estimation for Low-Light Image Enhancement', CVPR 2020",
    geometry=lambda **_: Geometry(1, 7),  # seven 3×3 layers: tiles overlapping by 14 px give the untiled result
    tiny={"features": 4, "iterations": 2},
)
