"""DehazeNet: Cai, Xu, Jia, Qing & Tao, "DehazeNet: An End-to-End System for Single Image Haze
Removal", IEEE TIP 2016 (survey 001's "Image Dehazing").

A 16×16 hazy patch in, its transmission t out, in four operations as the paper gives them:

1. feature extraction: 16 filters of 5×5×3, then a Maxout unit over groups of 4 → 4 maps;
2. multi-scale mapping: 16 filters each of 3×3, 5×5 and 7×7 in parallel → 48 maps;
3. local extremum: a 7×7 max-pool at stride 1;
4. non-linear regression: one 6×6 filter and BReLU, the ReLU bounded to [0, 1].

The feature and regression layers have no padding, so a 16×16 patch gives one t, as in the
paper's patch training; on an image the network slides (the input reflected by 7 and 8
pixels first), one t per pixel, in strips so that a 12-megapixel photo never holds its 48
maps at once. The paper trains with the atmospheric light A = 1; so that an image meets the
network as its training patches did, it is divided by A first, A taken by the dark channel's
rule (the brightest of the 0.1 % most haze-opaque pixels; the paper's own rule, the lowest t,
would need t before A). t is then refined by the guided filter and J = (I − A)/max(t, 0.1) + A
(``darkroom.ops.scattering``). A first run trained with A drawn in [0.7, 1] instead, and read A
from its own t, scored 14.19 dB on the SOTS subset, below the prior: docs/lab/dehaze.md.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.scattering import InvertsScattering, airlight, dark_channel, refine_transmission

PATCH = 16  # the paper's training patch: one t per patch
STRIP = 256  # rows of output per strip on a large image


class Maxout(nn.Module):
    """The maximum over consecutive groups of ``group`` channels."""

    def __init__(self, group: int):
        super().__init__()
        self.group = group

    def forward(self, x: Tensor) -> Tensor:
        b, c, h, w = x.shape
        return x.view(b, c // self.group, self.group, h, w).amax(2)


class DehazeNet(InvertsScattering):
    """Hazy (B, 3, H, W) on [0, 1] → dehazed; ``patch_transmission`` is the paper's network."""

    def __init__(self, features: int = 16, maxout_group: int = 4, scale_filters: int = 16):
        super().__init__()
        self.extract = nn.Conv2d(3, features, 5)
        self.maxout = Maxout(maxout_group)
        maps = features // maxout_group
        self.scales = nn.ModuleList(nn.Conv2d(maps, scale_filters, k, padding=k // 2) for k in (3, 5, 7))
        self.regress = nn.Conv2d(3 * scale_filters, 1, 6)

    def patch_transmission(self, hazy: Tensor) -> Tensor:
        """t for every 16×16 window of ``hazy``: (B, 1, H − 15, W − 15), BReLU-bounded."""
        f = self.maxout(self.extract(hazy - 0.5))  # centred input, as the authors' code feeds it
        f = torch.cat([conv(f) for conv in self.scales], 1)
        f = F.max_pool2d(f, 7, stride=1)  # the local extremum
        return self.regress(f).clamp(0, 1)  # BReLU

    def raw_transmission(self, hazy: Tensor) -> Tensor:
        """One t per pixel (the window centred on it), (B, 1, H, W), computed in strips."""
        h = hazy.shape[-2]
        padded = F.pad(hazy, (7, 8, 7, 8), mode="reflect" if min(hazy.shape[-2:]) > 8 else "replicate")
        strips = [self.patch_transmission(padded[..., top : min(top + STRIP, h) + PATCH - 1, :]) for top in range(0, h, STRIP)]
        return torch.cat(strips, -2)

    def estimate(self, hazy: Tensor) -> tuple[Tensor, Tensor]:
        """(refined t, A). The network was trained with A = 1, as in the paper, so it sees the
        image divided by A, which is taken first by the dark channel's rule: I/A = (J/A)·t + (1 − t)."""
        a = airlight(hazy, dark_channel(hazy))
        t = self.raw_transmission((hazy / a.clamp(min=1e-3)).clamp(0, 1))
        return refine_transmission(hazy, t).clamp(0, 1), a


FAMILY = Family(
    "dehazenet", DehazeNet,
    paper="Cai, Xu, Jia, Qing, Tao, 'DehazeNet: An End-to-End System for Single Image Haze Removal', IEEE TIP 2016",
    geometry=lambda **_: Geometry(1, 0),  # global: A and the guided filter see the whole image (ModelSpec.tile = 0)
    tiny={"features": 8, "maxout_group": 4, "scale_filters": 4},
    conditioned=True,
)
