"""DeepUPE-style illumination estimation: Wang, Zhang, Fu, Shen, Zheng & Jia, "Underexposed
Photo Enhancement using Deep Illumination Estimation", CVPR 2019.

The image is modelled as I = S·R (Retinex): the network predicts the illumination S and the
answer is R = I/S. As in the paper, S is estimated at low resolution from local and global
features and brought to full resolution edge-aware, and it is constrained to I ≤ S ≤ 1 so that
I/S never overshoots white. Where this differs from the paper, for a CPU: the encoder is a small
U-Net trained from scratch (the paper fine-tunes VGG16), the low-resolution stream sees the image
shrunk to ``low_res``² and its global features are pooled over the whole image and added back
at the bottleneck (the paper's local/global split), and S is upsampled by the guided filter (He,
Sun & Tang, TPAMI 2013; kornia's ``guided_blur``) under the full-resolution luminance instead
of the paper's bilateral-grid slicing. The losses (reconstruction, illumination smoothness,
colour angle) are ``darkroom.losses.illumination``.

>>> import torch
>>> net = DeepUPE(features=(4, 8), low_res=16)
>>> x = torch.rand(1, 3, 20, 24) * 0.2
>>> out = net(x)
>>> tuple(out.shape), bool((out >= x - 1e-6).all()), bool(out.max() <= 1)
((1, 3, 20, 24), True, True)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.shape import check_image_batch

S_FLOOR = 1e-3  # S ≥ I and S ≥ this: an all-black pixel stays black instead of 0/0
INITIAL_LOGIT = -1.5


def _conv(inputs: int, outputs: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1), nn.ReLU(inplace=True))


class DeepUPE(nn.Module):
    """(B, 3, H, W) under-exposed image on [0, 1] → I/S. ``illumination(x)`` gives S."""

    def __init__(self, features: tuple[int, ...] = (16, 32, 64, 64), low_res: int = 128, guide_radius: int = 4,
                 guide_eps: float = 1e-3):
        super().__init__()
        widths = tuple(features)
        self.low_res, self.guide_radius, self.guide_eps = low_res, guide_radius, guide_eps
        self.stem = _conv(3, widths[0])
        self.down = nn.ModuleList(nn.Sequential(_conv(a, b, stride=2), _conv(b, b)) for a, b in zip(widths[:-1], widths[1:]))
        self.global_fc = nn.Sequential(nn.Linear(2 * widths[-1], widths[-1]), nn.ReLU(inplace=True), nn.Linear(widths[-1], widths[-1]))
        self.up = nn.ModuleList(_conv(widths[k + 1] + widths[k], widths[k]) for k in reversed(range(len(widths) - 1)))
        self.head = nn.Conv2d(widths[0], 3, 3, padding=1)
        # start at S ≈ 0.18, amid the training exposures: from S = ½, Adam's steps of about the
        # learning rate took the head's bias a thousand steps to reach that (a first run, docs/lab/enhance.md)
        nn.init.constant_(self.head.bias, INITIAL_LOGIT)

    def low_res_illumination(self, small: Tensor) -> Tensor:
        """S at low resolution, (B, 3, h, w) on (0, 1), from the shrunk image."""
        f = self.stem(small - 0.5)
        skips = [f]
        for block in self.down:
            f = block(f)
            skips.append(f)
        pooled = torch.cat((f.mean((2, 3)), f.amax((2, 3))), 1)
        f = f + self.global_fc(pooled)[:, :, None, None]  # the global features, added at every place
        for block, skip in zip(self.up, reversed(skips[:-1])):
            f = block(torch.cat((F.interpolate(f, size=skip.shape[-2:], mode="bilinear", align_corners=False), skip), 1))
        return torch.sigmoid(self.head(f))

    def illumination(self, x: Tensor) -> Tensor:
        """S at full resolution, I ≤ S ≤ 1, following the image's edges."""
        from kornia.filters import guided_blur

        check_image_batch(x, channels=(3,))
        h, w = x.shape[-2:]
        small = F.interpolate(x, size=(self.low_res, self.low_res), mode="bilinear", antialias=True, align_corners=False)
        s = F.interpolate(self.low_res_illumination(small), size=(h, w), mode="bilinear", align_corners=False)
        # the guided filter's window scales with the image, as the low-resolution cells do
        radius = min(max(1, round(self.guide_radius * max(h, w) / self.low_res)), (min(h, w) - 1) // 2)
        if radius >= 1:
            subsample = 1
            while radius // (2 * subsample) >= 4 and h * w / (2 * subsample) ** 2 > 65_536:
                subsample *= 2
            guide = x.mean(1, keepdim=True)
            s = guided_blur(guide, s, 2 * radius + 1, self.guide_eps, border_type="reflect", subsample=subsample)
        return torch.maximum(s.clamp(max=1.0), x.clamp(min=S_FLOOR))

    def forward(self, x: Tensor) -> Tensor:
        x = x.clamp(0, 1)
        return (x / self.illumination(x)).clamp(0, 1)


FAMILY = Family(
    "deepupe", DeepUPE,
    paper="Wang, Zhang, Fu, Shen, Zheng & Jia, 'Underexposed Photo Enhancement using Deep Illumination Estimation', CVPR 2019",
    geometry=lambda **_: Geometry(1, 0),  # global: S comes from the whole image (ModelSpec.tile = 0)
    tiny={"features": (4, 8), "low_res": 16},
)
