"""A quality-conditioned two-level U-Net for JPEG artifact removal: darkroom's own design,
sized for a CPU, after FBCNN's idea of a quality factor that conditions the decoder and
that the user may override (Jiang, Zhang, Timofte, "Towards Flexible Blind JPEG Artifacts
Removal", ICCV 2021).

The image is pixel-unshuffled to half resolution (as FFDNet does: Zhang, Zuo, Zhang, IEEE
TIP 2018), so every 3×3 convolution costs a quarter; one strided step takes it to a
quarter resolution, where one pixel covers a 4×4 patch and two of them an 8×8 JPEG block,
and the middle blocks see far across block boundaries cheaply. Residual blocks without
normalisation (as EDSR's: Lim et al., CVPRW 2017). Every block is told the quality factor
through a per-channel scale and shift computed from it (feature-wise modulation, FiLM:
Perez et al., AAAI 2018; FBCNN modulates its decoder the same way). The network predicts
the correction, added to the decoded input.

One model serves gray and colour: it takes RGB, and a gray image goes through it as three
equal channels (the engine's ``gray_as_color``), as gray JPEGs were in training.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.nets.family import Family, Geometry


class ModulatedResBlock(nn.Module):
    """conv → scale and shift from the quality embedding → ReLU → conv, plus the input."""

    def __init__(self, features: int, embedding: int):
        super().__init__()
        self.conv1 = nn.Conv2d(features, features, 3, padding=1)
        self.conv2 = nn.Conv2d(features, features, 3, padding=1)
        self.film = nn.Linear(embedding, 2 * features)
        nn.init.zeros_(self.film.weight)  # starts unmodulated: scale 1, shift 0
        nn.init.zeros_(self.film.bias)

    def forward(self, x: Tensor, quality: Tensor) -> Tensor:
        scale, shift = self.film(quality)[:, :, None, None].chunk(2, 1)
        return x + self.conv2(F.relu(self.conv1(x) * (1 + scale) + shift))


class QualityUNet(nn.Module):
    """``blocks`` = (half-resolution encoder, quarter-resolution middle, half-resolution decoder)."""

    def __init__(self, *, channels: int = 3, features: int = 48, blocks: tuple[int, int, int] = (2, 4, 2),
                 embedding: int = 64):
        super().__init__()
        n_enc, n_mid, n_dec = blocks
        sub = 4 * channels
        self.embed = nn.Sequential(nn.Linear(1, embedding), nn.ReLU(inplace=True), nn.Linear(embedding, embedding),
                                   nn.ReLU(inplace=True))
        self.head = nn.Conv2d(sub, features, 3, padding=1)
        self.encoder = nn.ModuleList(ModulatedResBlock(features, embedding) for _ in range(n_enc))
        self.down = nn.Conv2d(features, 2 * features, 2, stride=2)
        self.middle = nn.ModuleList(ModulatedResBlock(2 * features, embedding) for _ in range(n_mid))
        self.up = nn.Conv2d(2 * features, 4 * features, 1)  # then pixel shuffle: back to half resolution
        self.decoder = nn.ModuleList(ModulatedResBlock(features, embedding) for _ in range(n_dec))
        self.tail = nn.Conv2d(features, sub, 3, padding=1)

    def forward(self, decoded: Tensor, quality: Tensor) -> Tensor:
        """``decoded`` (B, C, H, W), H and W multiples of 4; ``quality`` q/100 as (B, 1, …) (a map is averaged)."""
        h, w = decoded.shape[-2:]
        if h % 4 or w % 4:
            raise ValueError(f"QualityUNet needs height and width that are multiples of 4, got {h}×{w}; the engine pads for you")
        q = self.embed(quality.reshape(quality.shape[0], 1, -1).mean(-1).to(decoded.dtype).expand(decoded.shape[0], 1))
        x = self.head(F.pixel_unshuffle(decoded, 2))
        for block in self.encoder:
            x = block(x, q)
        skip = x
        x = self.down(x)
        for block in self.middle:
            x = block(x, q)
        x = F.pixel_shuffle(self.up(x), 2) + skip
        for block in self.decoder:
            x = block(x, q)
        return decoded + F.pixel_shuffle(self.tail(x), 2)


def _geometry(blocks, **_) -> Geometry:
    n_enc, n_mid, n_dec = blocks
    # full-resolution pixels each layer widens the field by: a 3×3 conv at half resolution 2,
    # at quarter resolution 4; the strided 2×2 step 2; pixel (un)shuffle 2 in all
    return Geometry(4, 2 + 2 + 4 * n_enc + 2 + 8 * n_mid + 4 * n_dec + 2)


FAMILY = Family(
    "quality_unet", QualityUNet,
    paper="darkroom's own; quality-factor modulation after Jiang, Zhang, Timofte, 'Towards Flexible Blind JPEG "
          "Artifacts Removal' (FBCNN), ICCV 2021",
    geometry=_geometry, tiny={"channels": 3, "features": 8, "blocks": (1, 1, 1), "embedding": 8}, conditioned=True,
)
