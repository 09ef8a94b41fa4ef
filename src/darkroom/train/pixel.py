"""Image-to-image training data and validation (the ``pixel`` objective of
``darkroom.train.objectives``): the recipe's photos, batches of degraded/clean patches made on
the fly, BatchNorm re-estimation for averaged weights, and validation PSNR on held-out photos.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from darkroom.degrade import Quantize, apply
from darkroom.engine import ModelSpec, Restorer
from darkroom.metrics import psnr
from darkroom.nets import FAMILIES
from darkroom.tasks import get_task
from darkroom.train.data import CONDITIONINGS, PairedPatches, load_folder_images
from darkroom.train.device_batches import DeviceBatches
from darkroom.train.recipe import Recipe, build_degradation
from darkroom.io import data_root


@torch.no_grad()
def recalibrate_batchnorm(net: torch.nn.Module, batches) -> None:
    """Re-estimate BatchNorm statistics for averaged (EMA) weights, as SWA's ``update_bn`` does.

    Running means and variances copied from the live network do not match the averaged
    convolution weights; with them the EMA network normalises wrongly (on this project's
    FFDNet it degenerated to the identity). ``batches`` yields the network's inputs.
    """
    norms = [m for m in net.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a plain average over all calibration batches
    net.train()
    for args in batches:
        net(*args)
    for m, momentum in zip(norms, momenta):
        m.momentum = momentum
    net.eval()


def model_spec(r: Recipe) -> ModelSpec:
    """The descriptor validation runs the recipe's network under (its geometry from its family)."""
    g = FAMILIES[r.arch].geometry_of(r.arch_kwargs)
    return ModelSpec(r.task, r.channels, r.channels, scale=r.scale, size_multiple=g.size_multiple,
                     receptive_radius=g.receptive_radius, conditioned=r.condition is not None, channels_last=True)


def stacked(samples, dev: torch.device) -> list[torch.Tensor]:
    """Samples (tuples of tensors) stacked field by field into batches on ``dev``; image batches
    in the NHWC memory order the trainers run in (``ModelSpec.channels_last``)."""
    batches = [torch.stack(t).to(dev) for t in zip(*samples)]
    return [b.contiguous(memory_format=torch.channels_last) if b.dim() == 4 else b for b in batches]


def recipe_data(r: Recipe) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """The recipe's training photos and its validation photos (a named set, or the last
    few training photos held out; never the benchmark sets)."""
    root = data_root()
    images = load_folder_images([root / f for f in r.train], r.channels)
    if r.val:
        val_images = load_folder_images([root / r.val], r.channels)
    else:
        val_images, images = images[-r.val_holdout :], images[: -r.val_holdout]
    return images, val_images


def batch_maker(r: Recipe, images: list[torch.Tensor], dev: torch.device):
    """A function from the index of a batch's first sample to that batch, on ``dev``, made
    by the recipe's sampler: ``PairedPatches`` one sample at a time, or ``DeviceBatches`` at once."""
    if r.sampler == "device":
        batches = DeviceBatches(images, build_degradation(r.degradation).sigma, patch=r.patch, batch=r.batch,
                                seed=r.seed, device=dev, conditioned=r.condition is not None)
        return lambda first: batches(first // r.batch)
    dataset = PairedPatches(images, build_degradation(r.degradation), patch=r.patch, seed=r.seed, condition=r.condition,
                            scale_jitter=r.scale_jitter, highlight_gain=r.highlight_gain)
    return lambda first: stacked((dataset[first + j] for j in range(r.batch)), dev)


def calibration_inputs(batch_at, r: Recipe):
    """The network inputs BatchNorm statistics are re-estimated on: samples far beyond any
    training index, always the same ones, so calibration is deterministic and unseen."""
    for k in range(max(1, 512 // r.batch)):
        degraded, _, cond = batch_at(10**11 + k * r.batch)
        yield (degraded, cond) if r.condition else (degraded,)


@torch.no_grad()
def validate(net: torch.nn.Module, spec: ModelSpec, images: list[torch.Tensor], r: Recipe, device) -> float:
    """Mean PSNR over the validation images, centre-cropped, degraded with fixed seeds; the
    network is told what its task's record tells it (a σ-conditioned one: a fixed σ)."""
    restorer = Restorer(net, spec)
    task = get_task(r.task)
    degradation = build_degradation(r.degradation)
    scores = []
    for i, img in enumerate(images):
        h, w = img.shape[-2:]
        c = min(r.val_crop, h, w)
        c -= c % max(r.scale, 2)
        top, left = (h - c) // 2, (w - c) // 2
        clean = img[None, :, top : top + c, left : left + c].float() / 255.0
        if spec.conditioned:  # one fixed level of the trained range, as a benchmark setting
            conditioning = CONDITIONINGS[r.condition]
            param = conditioning.param
            level = conditioning.validation_level(getattr(degradation, param))
            fixed = replace(degradation, **{param: level})
            degraded, request = apply(fixed, clean, seed=i), task.request(level, True)
        else:
            # told nothing but the recipe's scale (1 for a restoration task, which ignores it)
            degraded, request = apply(degradation, clean, seed=i), task.request(r.scale, False)
        out = restorer(degraded, task.condition(spec, degraded, request), tile=0, device=device, precision="fp32")
        out = apply(Quantize(), out)
        crop = r.scale if r.scale > 1 else 0
        scores.append(float(psnr(out, clean, crop=crop, y_channel=r.scale > 1)))
    return sum(scores) / len(scores)
