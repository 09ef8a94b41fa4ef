"""The enhancement objectives of the one training loop (``darkroom.train.loop``), named by a
recipe's ``objective`` key beside those of ``darkroom.train.objectives``:

- ``lowlight``: the ``pixel`` objective (synthetic low-light/clean pairs, the recipe's pixel loss)
  validated as the other low-light objectives are (below), so that every low-light run compares.
- ``zero_reference``: Zero-DCE (Guo et al., CVPR 2020): no ground truth; the network's curves are
  judged by the four non-reference losses (``darkroom.losses.zero_reference``). Its inputs are the
  recipe's images through its degradation: the SICE exposures as they are (degradation
  ``quantize``), or photos darkened by ``lowlight`` (the clean photo is never shown).
- ``illumination``: DeepUPE (Wang et al., CVPR 2019): synthetic low-light/clean pairs; the mean
  squared error of I/S against the clean photo, plus the smoothness of S under the input's edges
  and the colour angle (``darkroom.losses.illumination``).
- ``operator``: HDRNet's protocol (Gharbi et al., SIGGRAPH 2017): learn an image operator from
  its own input/output pairs: whole training photos (landscape, 320×480, flipped at random) and
  the operator's output on each, computed once when the run starts; L2 as in the paper.
  Validation: PSNR to the operator on the held-out photos.

The two low-light objectives validate alike, so their runs compare: the recipe's held-out photos
(the last 8 of BSD200), whole, darkened by ``LowLight`` at exposures 0.05 and 0.15 in turn, with
shot noise 1e-3, seeded by the photo's place; RGB PSNR of the 8-bit output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.degrade import LowLight, Quantize, apply
from darkroom.errors import DarkroomError
from darkroom.losses.illumination import colour_angle, illumination_smoothness
from darkroom.losses.zero_reference import zero_reference_loss
from darkroom.metrics import psnr
from darkroom.nets import FAMILIES
from darkroom.train.objectives import Setup, Update, network_with, pixel, terms
from darkroom.train.pixel import batch_maker, recipe_data
from darkroom.train.recipe import Recipe

VALIDATION_EXPOSURES = (0.05, 0.15)
VALIDATION_SHOT = 1e-3


def lowlight_validation_pairs(photos: list[Tensor]) -> list[tuple[Tensor, Tensor]]:
    """(dark, clean) for each held-out photo, (1, 3, H, W) on [0, 1], a pure function of the photos."""
    pairs = []
    for i, photo in enumerate(photos):
        clean = photo[None].float() / 255
        exposure = VALIDATION_EXPOSURES[i % len(VALIDATION_EXPOSURES)]
        dark = apply(LowLight(exposure=(exposure, exposure), shot=(VALIDATION_SHOT, VALIDATION_SHOT)), clean, seed=i)
        pairs.append((apply(Quantize(), dark), clean))
    return pairs


def lowlight_validator(photos: list[Tensor], dev: torch.device):
    pairs = lowlight_validation_pairs(photos)

    @torch.no_grad()
    def held_out_psnr(ema: nn.Module) -> dict[str, float]:
        scores = [float(psnr(apply(Quantize(), ema(dark.to(dev)).float().cpu().clamp(0, 1)), clean)) for dark, clean in pairs]
        return {"val_psnr": sum(scores) / len(scores)}

    return held_out_psnr


def lowlight(r: Recipe, dev: torch.device) -> Setup:
    return replace(pixel(r, dev), validate=lowlight_validator(recipe_data(r)[1], dev))


# --- Zero-DCE ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ZeroReferenceTerms:
    spatial: float = 1.0
    exposure: float = 10.0
    colour: float = 5.0
    smoothness: float = 200.0
    level: float = 0.6  # the exposure loss's target level E
    validation: str = "BSD200"  # the photos whose last 8 validate (darkened): never a benchmark set


def zero_reference(r: Recipe, dev: torch.device) -> Setup:
    from darkroom.io import data_root
    from darkroom.train.data import load_folder_images

    t = terms(ZeroReferenceTerms, r)
    images, val_images = recipe_data(r)
    if t.validation not in r.train:  # unpaired training images: the validation photos come from elsewhere
        val_images = load_folder_images([data_root() / t.validation], 3)[-r.val_holdout :]
    batch_at = batch_maker(r, images, dev)
    net = network_with(r, "curves", "a curve network")

    def loss(nets, batch) -> Tensor:
        dark = batch[0].clamp(0, 1)
        curves = nets["net"].curves(dark)
        enhanced = nets["net"].enhance(dark, curves)
        return zero_reference_loss(enhanced.float(), dark, curves.float(), spatial=t.spatial, exposure=t.exposure,
                                   colour=t.colour, smoothness=t.smoothness, level=t.level)

    return Setup({"net": net}, "net", batch_at, (Update("net", loss),), lowlight_validator(val_images, dev))


# --- DeepUPE -------------------------------------------------------------------------------
@dataclass(frozen=True)
class IlluminationTerms:
    smoothness: float = 0.01
    colour: float = 0.1


def illumination(r: Recipe, dev: torch.device) -> Setup:
    t = terms(IlluminationTerms, r)
    images, val_images = recipe_data(r)
    batch_at = batch_maker(r, images, dev)
    net = network_with(r, "illumination", "an illumination network")

    def loss(nets, batch) -> Tensor:
        dark, clean = batch[0].clamp(0, 1), batch[1]
        s = nets["net"].illumination(dark).float()
        out = dark / s
        return (F.mse_loss(out, clean) + t.smoothness * illumination_smoothness(s, dark)
                + t.colour * colour_angle(out, clean))

    return Setup({"net": net}, "net", batch_at, (Update("net", loss),), lowlight_validator(val_images, dev))


# --- HDRNet's operator protocol --------------------------------------------------------------
OPERATOR_SIZE = (320, 480)  # BSD200's photos, landscape, cropped by a row and a column


@dataclass(frozen=True)
class OperatorTerms:
    operator: str = "local_laplacian_detail"  # a name in darkroom.ops.local_laplacian.OPERATORS


def landscape_photos(images: list[Tensor]) -> Tensor:
    """The photos turned landscape and centre-cropped to ``OPERATOR_SIZE``, (N, 3, h, w) on [0, 1];
    smaller ones are left out."""
    h, w = OPERATOR_SIZE
    kept = []
    for image in images:
        if image.shape[-2] > image.shape[-1]:
            image = image.transpose(-2, -1).flip(-1)
        ih, iw = image.shape[-2:]
        if ih >= h and iw >= w:
            top, left = (ih - h) // 2, (iw - w) // 2
            kept.append(image[:, top : top + h, left : left + w])
    if not kept:
        raise DarkroomError(f"the operator objective needs photos of at least {h}×{w}")
    return torch.stack(kept).float() / 255


def operator(r: Recipe, dev: torch.device) -> Setup:
    from darkroom.ops.local_laplacian import OPERATORS

    t = terms(OperatorTerms, r)
    if t.operator not in OPERATORS:
        raise DarkroomError(f"recipe {r.name}: unknown operator {t.operator!r}; choose from {', '.join(OPERATORS)}")
    apply_operator = OPERATORS[t.operator]
    images, val_images = recipe_data(r)
    inputs, val_inputs = landscape_photos(images), landscape_photos(val_images)
    with torch.no_grad():  # once: the operator is the expensive thing the network learns to avoid
        targets = torch.cat([apply_operator(chunk) for chunk in inputs.split(8)])
        val_targets = apply_operator(val_inputs)
    targets = torch.round(targets * 255) / 255  # the operator's output as an 8-bit file would hold it

    def batch_at(first: int) -> tuple:
        g = torch.Generator().manual_seed(r.seed * 1_000_003 + first)
        members = torch.randint(len(inputs), (r.batch,), generator=g)
        x, y = inputs[members], targets[members]
        flips = [d for d, draw in zip((-1, -2), torch.rand(2, generator=g)) if draw < 0.5]
        if flips:
            x, y = x.flip(flips), y.flip(flips)
        return x.to(dev), y.to(dev)

    def loss(nets, batch) -> Tensor:
        x, y = batch
        return F.mse_loss(nets["net"](x).float(), y)

    @torch.no_grad()
    def held_out_psnr(ema: nn.Module) -> dict[str, float]:
        out = apply(Quantize(), ema(val_inputs.to(dev)).float().cpu().clamp(0, 1))
        return {"val_psnr": float(psnr(out, torch.round(val_targets * 255) / 255).mean())}

    return Setup({"net": FAMILIES[r.arch](**r.arch_kwargs)}, "net", batch_at, (Update("net", loss),), held_out_psnr)
