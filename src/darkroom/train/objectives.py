"""Named training objectives: what the one loop (``darkroom.train.loop.train``) optimises for a
recipe, named by its ``objective`` key.

An objective turns a recipe into a :class:`Setup` for one run: the networks that train, the
one whose weights are exported (and averaged, EMA), a pure function from a step's first
sample index to that step's batch, the updates made each step (:class:`Update`: which
network, which loss), and the held-out score logged at validation. Built fresh per run, so
nothing is shared between runs.

- ``pixel``: image-to-image restoration (denoise, upscale, dejpeg): degraded/clean patches
  made on the fly, a pixel loss (``darkroom.losses.PIXEL_LOSSES``), validation PSNR.
- ``dae``: the denoising autoencoder of survey 000 (Vincent et al., ICML 2008, in the Keras
  tutorial's form): MNIST digits with x + 0.5·N(0, 1) clipped to [0, 1], binary cross-entropy.
- ``vae``: the variational autoencoder (Kingma & Welling, ICLR 2014): the negative ELBO,
  Bernoulli on grey levels (``darkroom.generate.vae.negative_elbo``).
- ``gan``: the DCGAN (Radford et al., ICLR 2016): two updates a step, the discriminator's
  (real → 1, fake → 0) then the generator's non-saturating loss (Goodfellow et al., 2014);
  pixels on [−1, 1] for the generator's tanh.

The MNIST objectives train on the first 8,000 digits of ``shared/data/MNIST`` (the last
2,000 are the project's test digits, never seen here) and validate on the last
``val_holdout`` of those 8,000. A batch is a pure function of the step: each epoch's order
comes from a generator seeded by (seed, epoch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.errors import DarkroomError
from darkroom.losses import PIXEL_LOSSES
from darkroom.metrics import psnr
from darkroom.nets import FAMILIES
from darkroom.nets.dcgan import Discriminator
from darkroom.train.pixel import batch_maker, calibration_inputs, model_spec, recalibrate_batchnorm, recipe_data, validate
from darkroom.train.recipe import Recipe, data_root


@dataclass(frozen=True)
class Update:
    """One optimiser step of one network: ``loss(networks, batch)``."""

    network: str
    loss: Callable[[Mapping[str, nn.Module], tuple], Tensor]


@dataclass(frozen=True)
class Setup:
    """One run of an objective: its networks, batches, updates and validation."""

    networks: dict[str, nn.Module]
    exported: str  # the network whose (EMA) weights the run exports
    batch_at: Callable[[int], tuple]  # the index of a batch's first sample → the batch, on the device
    updates: tuple[Update, ...]
    validate: Callable[[nn.Module], float] | None  # the EMA network → its held-out score (None: none is kept)
    score: str  # the name the score is logged under
    calibrate: Callable[[nn.Module], None] = lambda net: None  # BatchNorm statistics for averaged weights


def pixel(r: Recipe, dev: torch.device) -> Setup:
    images, val_images = recipe_data(r)
    batch_at = batch_maker(r, images, dev)
    loss_fn = PIXEL_LOSSES[r.loss]

    def loss(nets, batch) -> Tensor:
        degraded, clean, cond = batch
        pred = nets["net"](degraded, cond) if r.condition else nets["net"](degraded)
        return loss_fn(pred.float(), clean)

    return Setup(
        networks={"net": FAMILIES[r.arch](**r.arch_kwargs)}, exported="net", batch_at=batch_at, updates=(Update("net", loss),),
        validate=lambda ema: validate(ema, model_spec(r), val_images, r, dev), score="val_psnr",
        calibrate=lambda ema: recalibrate_batchnorm(ema, calibration_inputs(batch_at, r)),
    )


# --- MNIST ------------------------------------------------------------------------------
MNIST_TRAINING_DIGITS = 8000  # of the 10,000 here; the last 2,000 are the test digits


def mnist_digits(r: Recipe) -> tuple[Tensor, Tensor]:
    """The recipe's training digits and its held-out validation digits, (N, 1, 28, 28) on [0, 1]."""
    from darkroom.io import read_mnist

    if tuple(r.train) != ("MNIST",):
        raise DarkroomError(f"the {r.objective} objective trains on MNIST; the recipe names {', '.join(r.train) or 'nothing'}")
    d = read_mnist(data_root() / "MNIST")
    digits = torch.from_numpy(d.images[:MNIST_TRAINING_DIGITS].transpose(0, 3, 1, 2).copy()).float() / 255
    return digits[: -r.val_holdout], digits[-r.val_holdout :]


def epoch_batches(images: Tensor, r: Recipe, dev: torch.device) -> Callable[[int], tuple]:
    """Batch ``first // batch`` of shuffled epochs (the last partial batch dropped), with a
    per-batch seed for the objective's own noise."""
    per_epoch = len(images) // r.batch

    def batch_at(first: int) -> tuple:
        index = first // r.batch
        epoch, i = divmod(index, per_epoch)
        order = torch.randperm(len(images), generator=torch.Generator().manual_seed(r.seed * 1_000_003 + epoch))
        return images[order[i * r.batch : (i + 1) * r.batch]].to(dev), r.seed * 1_000_003 + index

    return batch_at


def noise_generator(seed: int, dev: torch.device) -> torch.Generator:
    return torch.Generator(device=dev).manual_seed(seed)


DAE_NOISE = 0.5  # the Keras tutorial's noise_factor


def keras_noise(clean: Tensor, generator: torch.Generator) -> Tensor:
    return (clean + DAE_NOISE * torch.randn(clean.shape, generator=generator, device=clean.device)).clamp(0, 1)


def dae(r: Recipe, dev: torch.device) -> Setup:
    train_digits, val_digits = mnist_digits(r)
    val_noisy = keras_noise(val_digits, torch.Generator().manual_seed(10_000)).to(dev)

    def loss(nets, batch) -> Tensor:
        clean, seed = batch
        return F.binary_cross_entropy(nets["net"](keras_noise(clean, noise_generator(seed, dev))).float(), clean)

    @torch.no_grad()
    def held_out_psnr(ema: nn.Module) -> float:
        return float(psnr(ema(val_noisy).float().cpu(), val_digits).mean())

    return Setup({"net": FAMILIES[r.arch](**r.arch_kwargs)}, "net", epoch_batches(train_digits, r, dev),
                 (Update("net", loss),), held_out_psnr, "val_psnr")


def vae(r: Recipe, dev: torch.device) -> Setup:
    from darkroom.generate.vae import negative_elbo

    train_digits, val_digits = mnist_digits(r)

    def loss(nets, batch) -> Tensor:
        x, seed = batch
        logits, mean, log_var = nets["net"](x, noise_generator(seed, dev))
        return negative_elbo(logits.float(), x, mean.float(), log_var.float()).mean()

    @torch.no_grad()
    def held_out_elbo(ema: nn.Module) -> float:
        x = val_digits.to(dev)
        logits, mean, log_var = ema(x, noise_generator(0, dev))
        return float(negative_elbo(logits.float(), x, mean.float(), log_var.float()).mean())

    return Setup({"net": FAMILIES[r.arch](**r.arch_kwargs)}, "net", epoch_batches(train_digits, r, dev),
                 (Update("net", loss),), held_out_elbo, "val_neg_elbo")


def gan(r: Recipe, dev: torch.device) -> Setup:
    train_digits, _ = mnist_digits(r)
    generator = FAMILIES[r.arch](**r.arch_kwargs)
    latent = generator.latent
    digits = train_digits * 2 - 1  # the generator's tanh range
    batch_at = epoch_batches(digits, r, dev)

    def fakes(nets, batch) -> Tensor:
        real, seed = batch
        return nets["generator"](torch.randn(len(real), latent, generator=noise_generator(seed, dev), device=dev))

    def discriminator_loss(nets, batch) -> Tensor:
        real_logits, fake_logits = nets["discriminator"](batch[0]), nets["discriminator"](fakes(nets, batch).detach())
        return (F.binary_cross_entropy_with_logits(real_logits.float(), torch.ones_like(real_logits.float()))
                + F.binary_cross_entropy_with_logits(fake_logits.float(), torch.zeros_like(fake_logits.float())))

    def generator_loss(nets, batch) -> Tensor:  # make the discriminator call fakes real
        fooled = nets["discriminator"](fakes(nets, batch)).float()
        return F.binary_cross_entropy_with_logits(fooled, torch.ones_like(fooled))

    # no held-out score: a GAN's is the Fréchet distance of its samples (benchmarks/mnist_generative.py)
    return Setup({"generator": generator, "discriminator": Discriminator(features=r.arch_kwargs.get("features", 32))},
                 "generator", batch_at, (Update("discriminator", discriminator_loss), Update("generator", generator_loss)),
                 None, "")


OBJECTIVES: dict[str, Callable[[Recipe, torch.device], Setup]] = {"pixel": pixel, "dae": dae, "vae": vae, "gan": gan}
