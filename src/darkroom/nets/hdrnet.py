"""HDRNet: Gharbi, Chen, Barron, Hasinoff & Durand, "Deep Bilateral Learning for Real-Time
Image Enhancement", SIGGRAPH 2017.

The paper's layout, layer for layer:

- a **low-resolution stream** sees the image shrunk to ``low_res``² (256): ``splat`` layers
  (3×3, stride 2, channels 8·2ⁱ up to ``width``) bring it to the grid's ``grid_size``² (16);
  a **local path** (two 3×3 convolutions, the last without activation) and a **global path**
  (two stride-2 convolutions, then fully connected 4·w, 2·w, w) meet in a fusion
  ReLU(local + global), and a 1×1 convolution gives ``depth`` (8) × 12 numbers a cell: a
  16×16×8 bilateral grid of 3×4 affine colour transforms;
- a **guidance map** g, pointwise at full resolution: a 3×3 colour matrix with bias, a
  piecewise-linear curve of 16 ReLUs per channel, a weighted sum, clipped to [0, 1];
- **slicing**: each full-resolution pixel takes the trilinear interpolation of the grid at
  (x, y, g(x, y)) (``torch.nn.functional.grid_sample`` on the 5-D grid), and its output is
  that 3×4 matrix applied to its own colour.

Every full-resolution operation is pointwise, so a 12-megapixel photo costs the 256² stream plus
a few multiply-adds a pixel. One choice beyond the paper: the coefficients are predicted as a
correction to the identity transform (the last layer starts at zero), so the untrained
network returns its input and a well-exposed photo has the identity to fall back on. Slicing
runs in strips of ``strip_rows`` rows so that memory stays bounded on large images.

>>> import torch
>>> net = HDRNet(low_res=32, grid_size=8, depth=2, width=8)
>>> x = torch.rand(1, 3, 40, 30)
>>> torch.allclose(net(x), x, atol=1e-6)  # starts as the identity
True
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry
from darkroom.ops.shape import check_image_batch

AFFINE = 12  # a 3×4 colour transform: out_c = Σ_c' A[c, c']·in_c' + A[c, 3]


def slice_grid(grid: Tensor, guide: Tensor, ys: Tensor | None = None) -> Tensor:
    """The grid's coefficients at every pixel: ``grid`` (B, C, D, Gh, Gw), ``guide`` (B, 1, H, W)
    on [0, 1] → (B, C, H, W), trilinear, cell centres at (i + ½)/G as in the paper. ``ys``: the
    rows' normalised vertical places where the guide is a strip of a taller image."""
    b, _, h, w = guide.shape
    if ys is None:
        ys = torch.linspace(-1 + 1 / h, 1 - 1 / h, h, device=guide.device, dtype=guide.dtype)
    xs = torch.linspace(-1 + 1 / w, 1 - 1 / w, w, device=guide.device, dtype=guide.dtype)
    where = torch.stack((xs.view(1, 1, w).expand(b, h, w), ys.view(1, h, 1).expand(b, h, w), guide[:, 0] * 2 - 1), -1)
    return F.grid_sample(grid, where[:, None], mode="bilinear", padding_mode="border", align_corners=False)[:, :, 0]


def apply_affine(coefficients: Tensor, x: Tensor) -> Tensor:
    """Each pixel's 3×4 matrix, (B, 12, H, W), applied to its colour (B, 3, H, W)."""
    a = coefficients.unflatten(1, (3, 4))
    return (a[:, :, :3] * x[:, None]).sum(2) + a[:, :, 3]


def _conv(inputs: int, outputs: int, stride: int = 1, relu: bool = True) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1)]
    return nn.Sequential(*layers, nn.ReLU(inplace=True)) if relu else layers[0]


class Guidance(nn.Module):
    """The learned pointwise guidance map: colour matrix, per-channel curves of ``knots`` ReLUs,
    weighted sum; starts as the mean of the channels."""

    def __init__(self, knots: int = 16):
        super().__init__()
        self.matrix = nn.Conv2d(3, 3, 1)
        nn.init.eye_(self.matrix.weight[:, :, 0, 0])
        nn.init.zeros_(self.matrix.bias)
        self.thresholds = nn.Parameter(torch.linspace(0, 1, knots + 1)[:-1].repeat(3, 1))  # (3, knots)
        slopes = torch.zeros(3, knots)
        slopes[:, 0] = 1  # the identity curve
        self.slopes = nn.Parameter(slopes)
        self.mix = nn.Conv2d(3, 1, 1)
        nn.init.constant_(self.mix.weight, 1 / 3)
        nn.init.zeros_(self.mix.bias)

    def curves(self, y: Tensor) -> Tensor:
        """ρ_c(y) = Σ_k a_ck·max(y − t_ck, 0) for each channel c of (B, 3, H, W)."""
        if torch.is_grad_enabled():  # the sum as the paper writes it, for training
            return (torch.relu(y[:, :, None] - self.thresholds[None, :, :, None, None])
                    * self.slopes[None, :, :, None, None]).sum(2)
        # the same function evaluated piece by piece: with the knots sorted, a value above the first
        # n of them is y·Σ_{k<n} a_k − Σ_{k<n} a_k·t_k, one lookup instead of 16 passes over the image
        knots, order = self.thresholds.sort(1)
        slopes = self.slopes.gather(1, order)
        zero = torch.zeros_like(knots[:, :1])
        rise = torch.cat((zero, slopes.cumsum(1)), 1)
        offset = torch.cat((zero, (slopes * knots).cumsum(1)), 1)
        out = torch.empty_like(y)
        for c in range(y.shape[1]):
            n = torch.bucketize(y[:, c].contiguous(), knots[c])
            out[:, c] = y[:, c] * rise[c][n] - offset[c][n]
        return out

    def forward(self, x: Tensor) -> Tensor:
        return self.mix(self.curves(self.matrix(x))).clamp(0, 1)


class HDRNet(nn.Module):
    """(B, 3, H, W) on [0, 1] → the learned operator's output, any size."""

    def __init__(self, low_res: int = 256, grid_size: int = 16, depth: int = 8, width: int = 64, knots: int = 16,
                 strip_rows: int = 128):
        super().__init__()
        if low_res % (4 * grid_size) or low_res <= grid_size:
            raise ValueError(f"low_res ({low_res}) must be a multiple of 4·grid_size ({4 * grid_size})")
        self.low_res, self.depth, self.strip_rows = low_res, depth, strip_rows
        splats = int(math.log2(low_res // grid_size))
        widths = [max(1, width >> (splats - 1 - i)) for i in range(splats)]
        inputs, splat = 3, []
        for w in widths:
            splat.append(_conv(inputs, w, stride=2))
            inputs = w
        self.splat = nn.Sequential(*splat)
        self.local = nn.Sequential(_conv(width, width), _conv(width, width, relu=False))
        self.global_conv = nn.Sequential(_conv(width, width, stride=2), _conv(width, width, stride=2))
        pooled = width * (grid_size // 4) ** 2
        self.global_fc = nn.Sequential(nn.Linear(pooled, 4 * width), nn.ReLU(inplace=True), nn.Linear(4 * width, 2 * width),
                                       nn.ReLU(inplace=True), nn.Linear(2 * width, width))
        self.to_grid = nn.Conv2d(width, depth * AFFINE, 1)
        nn.init.zeros_(self.to_grid.weight)  # start as the identity transform (see the module docstring)
        nn.init.zeros_(self.to_grid.bias)
        self.guidance = Guidance(knots)
        self.register_buffer("identity", torch.eye(3, 4).flatten(), persistent=False)

    def coefficients(self, x: Tensor) -> Tensor:
        """The bilateral grid, (B, 12, depth, grid, grid), from the image shrunk to ``low_res``²."""
        small = F.interpolate(x, size=(self.low_res, self.low_res), mode="bilinear", antialias=True, align_corners=False)
        features = self.splat(small)
        local = self.local(features)
        glob = self.global_fc(self.global_conv(features).flatten(1))
        fused = torch.relu(local + glob[:, :, None, None])
        grid = self.to_grid(fused)
        b, _, gh, gw = grid.shape
        return grid.view(b, AFFINE, self.depth, gh, gw) + self.identity.view(1, AFFINE, 1, 1, 1)

    def forward(self, x: Tensor) -> Tensor:
        check_image_batch(x, channels=(3,))
        grid = self.coefficients(x)
        if self.training or x.shape[-2] <= self.strip_rows:
            return apply_affine(slice_grid(grid, self.guidance(x)), x)
        h = x.shape[-2]
        strips = []
        for top in range(0, h, self.strip_rows):  # the same pixels, sliced a strip at a time
            part = x[..., top : top + self.strip_rows, :]
            rows = part.shape[-2]
            # the strip's place in the whole image: slice the grid rows it spans
            ys = torch.linspace(-1 + 1 / h, 1 - 1 / h, h, device=x.device, dtype=x.dtype)[top : top + rows]
            strips.append(apply_affine(slice_grid(grid, self.guidance(part), ys), part))
        return torch.cat(strips, -2)


FAMILY = Family(
    "hdrnet", HDRNet,
    paper="Gharbi, Chen, Barron, Hasinoff & Durand, 'Deep Bilateral Learning for Real-Time Image Enhancement', SIGGRAPH 2017",
    geometry=lambda **_: Geometry(1, 0),  # global: the grid comes from the whole image (ModelSpec.tile = 0)
    tiny={"low_res": 32, "grid_size": 8, "depth": 2, "width": 8, "strip_rows": 16},
)
