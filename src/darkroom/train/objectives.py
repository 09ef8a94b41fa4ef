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
- ``classifier``: cross-entropy on augmented labelled images (the surveys' Keras
  ``model.fit``); the exported file carries the classifier's contract (classes, input size,
  normalisation; ``darkroom.recognize.classifier``).
- ``fast_style``: Johnson, Alahi & Fei-Fei (ECCV 2016): the content crop's features at the
  content layers, the style image's Gram matrices at the style layers and total variation,
  under the feature network of ``darkroom.generate.style``.
- ``multiscale``: Nah et al.'s multi-scale content loss (CVPR 2017) for a network with a
  ``pyramid`` of estimates: the mean squared error at every level against the sharp patch taken
  down the same Gaussian pyramid; with ``adversarial`` > 0, plus that weight times a
  discriminator's non-saturating loss on the finest estimate (the paper's 1e-4).
- ``transmission``: DehazeNet's patch protocol (Cai et al., TIP 2016): clear patches of the
  recipe's ``patch`` size, each hazed with one uniform random t and a slightly coloured A,
  and the squared error of the network's ``patch_transmission`` against that t.
- ``lowlight``, ``zero_reference``, ``illumination``, ``operator``: low-light pairs, Zero-DCE,
  DeepUPE and HDRNet (``darkroom.train.enhance``).
- ``cbdnet``: CBDNet's noise-estimation subnet (Guo et al., CVPR 2019) in front of a trained
  non-blind denoiser: the asymmetric loss on the σ map, its total variation, and (the joint
  stage) the denoiser's squared error given the estimated map; the denoiser frozen, or
  learning at a fraction of the rate (the end-to-end stage).

An objective's own settings are the recipe's ``[objective_kwargs]`` table, read into that
objective's frozen dataclass (``StyleTerms``, ``NoiseEstimatorTerms``, ``ClassifierTerms``),
so a misspelt key is an error, not a silent default.

The MNIST objectives train on the first 8,000 digits of ``shared/data/MNIST`` (the last
2,000 are the project's test digits, never seen here) and validate on the last
``val_holdout`` of those 8,000. A batch is a pure function of the step: each epoch's order
comes from a generator seeded by (seed, epoch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from darkroom.errors import DarkroomError
from darkroom.losses import PIXEL_LOSSES
from darkroom.metrics import psnr
from darkroom.nets import FAMILIES
from darkroom.nets.dcgan import Discriminator
from darkroom.train.pixel import batch_maker, calibration_inputs, model_spec, recalibrate_batchnorm, recipe_data, stacked, validate
from darkroom.train.recipe import Recipe
from darkroom.io import data_root


def everything(net: nn.Module) -> list[tuple[list[nn.Parameter], float]]:
    """A network's trainable parameters as one group at the recipe's learning rate."""
    return [([p for p in net.parameters() if p.requires_grad], 1.0)]


@dataclass(frozen=True)
class Update:
    """One optimiser step of one network: ``loss(networks, batch)``; ``groups(network)`` says
    which parameters it moves and at what fraction of the recipe's learning rate."""

    network: str
    loss: Callable[[Mapping[str, nn.Module], tuple], Tensor]
    groups: Callable[[nn.Module], list[tuple[list[nn.Parameter], float]]] = everything


@dataclass(frozen=True)
class Setup:
    """One run of an objective: its networks, batches, updates and validation."""

    networks: dict[str, nn.Module]
    exported: str  # the network whose (EMA) weights the run exports
    batch_at: Callable[[int], tuple]  # the index of a batch's first sample → the batch, on the device
    updates: tuple[Update, ...]
    validate: Callable[[nn.Module], dict[str, float]] | None  # the EMA network → its held-out scores, by name; the first is shown
    calibrate: Callable[[nn.Module], None] = lambda net: None  # BatchNorm statistics for averaged weights
    metadata: dict = field(default_factory=dict)  # what the exported file must carry beyond the recipe (a classifier's contract)


def terms(kind: type, r: Recipe):
    """The recipe's ``objective_kwargs`` as the objective's dataclass ``kind``."""
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(r.objective_kwargs) - known)
    if unknown:
        raise DarkroomError(f"recipe {r.name}: the {r.objective} objective has no setting {', '.join(unknown)}; "
                            f"it takes {', '.join(sorted(known))}")
    return kind(**r.objective_kwargs)


def network_with(r: Recipe, method: str, needs: str) -> nn.Module:
    """A fresh network of the recipe's family, or a one-line error where it lacks ``method``
    (the objective's ``needs``: "a network with a pyramid of estimates")."""
    net = FAMILIES[r.arch](**r.arch_kwargs)
    if not hasattr(net, method):
        raise DarkroomError(f"recipe {r.name}: the {r.objective} objective needs {needs}, not {r.arch}")
    return net


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
        validate=lambda ema: {"val_psnr": validate(ema, model_spec(r), val_images, r, dev)},
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


def epoch_members(count: int, r: Recipe, first: int) -> tuple[Tensor, int]:
    """The examples of batch ``first // batch`` of shuffled epochs over ``count`` examples (the
    last partial batch dropped, as BatchNorm wants), and that batch's seed for the objective's
    own randomness."""
    index = first // r.batch
    epoch, i = divmod(index, max(1, count // r.batch))
    order = torch.randperm(count, generator=torch.Generator().manual_seed(r.seed * 1_000_003 + epoch))
    return order[i * r.batch : (i + 1) * r.batch], r.seed * 1_000_003 + index


def epoch_batches(images: Tensor, r: Recipe, dev: torch.device) -> Callable[[int], tuple]:
    """Batches of whole images (shuffled epochs) and their seeds."""

    def batch_at(first: int) -> tuple:
        members, seed = epoch_members(len(images), r, first)
        return images[members].to(dev), seed

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
        return {"val_psnr": float(psnr(ema(val_noisy).float().cpu(), val_digits).mean())}

    return Setup({"net": FAMILIES[r.arch](**r.arch_kwargs)}, "net", epoch_batches(train_digits, r, dev),
                 (Update("net", loss),), held_out_psnr)


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
        return {"val_neg_elbo": float(negative_elbo(logits.float(), x, mean.float(), log_var.float()).mean())}

    return Setup({"net": FAMILIES[r.arch](**r.arch_kwargs)}, "net", epoch_batches(train_digits, r, dev),
                 (Update("net", loss),), held_out_elbo)


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
                 None)


# --- classifiers ----------------------------------------------------------------------
@dataclass(frozen=True)
class ClassifierTerms:
    augment: str | None = "classify"  # a preset of darkroom.augment.PRESETS; None: no augmentation
    val_fraction: float = 0.1  # held out per class, seeded by the recipe's seed
    first: int | None = None  # only the first examples of the data set
    test_last: int = 0  # the last examples are a test set, never trained or validated on
    train_scored: int = 2000  # training examples validation also scores (the over-fitting curve)


def labelled_data(r: Recipe, t: ClassifierTerms):
    """The recipe's data set (MNIST, CIFAR-10 or a folder per class, ``patch`` pixels a side)
    as (training, validation) ``LabeledArrays``, the test examples left out."""
    from darkroom.io import LabeledArrays, read_labeled
    from darkroom.recognize.train import split

    if len(r.train) != 1:
        raise DarkroomError(f"recipe {r.name}: the classifier objective reads one data set; it names {len(r.train)}")
    d = read_labeled(data_root() / r.train[0], size=r.patch, channels=r.channels)
    n = len(d.labels) if t.first is None else min(t.first, len(d.labels))
    if t.test_last >= n:
        raise DarkroomError(f"holding out the last {t.test_last} examples leaves nothing to train on ({n} examples)")
    return split(LabeledArrays(d.images[: n - t.test_last], d.labels[: n - t.test_last], d.classes), t.val_fraction, r.seed)


def classifier(r: Recipe, dev: torch.device, data=None) -> Setup:
    """``data``: (training, validation) ``LabeledArrays`` already read (the CLI's folders);
    else the recipe's data set."""
    import inspect

    from darkroom.augment import PRESETS, augment
    from darkroom.recognize.classifier import Classifier
    from darkroom.recognize.train import evaluate, to_tensors

    t = terms(ClassifierTerms, r)
    if t.augment is not None and t.augment not in PRESETS:
        raise DarkroomError(f"unknown augmentation preset {t.augment!r}; choose from {', '.join(PRESETS)}")
    train_set, val_set = data if data is not None else labelled_data(r, t)
    x_train, y_train = to_tensors(train_set)
    x_val, y_val = to_tensors(val_set)
    channels, size = x_train.shape[1], x_train.shape[2]
    if len(x_train) < r.batch:
        raise DarkroomError(f"{len(x_train)} training examples are fewer than one batch of {r.batch}")
    build = FAMILIES[r.arch]
    kwargs = {"channels": channels, "classes": len(train_set.classes), **r.arch_kwargs}
    if "size" in inspect.signature(build.build).parameters:  # a network with dense layers is built for its input size
        kwargs.setdefault("size", size)
    pixels = x_train.float() / 255
    mean, std = float(pixels.mean()), float(pixels.std())
    contract = {"arch": r.arch, "kwargs": kwargs, "classes": list(train_set.classes), "size": size, "channels": channels,
                "mean": mean, "std": std}

    def batch_at(first: int) -> tuple:
        members, seed = epoch_members(len(x_train), r, first)
        images = x_train[members].float() / 255
        if t.augment:
            (images,) = augment([images], PRESETS[t.augment], generator=torch.Generator().manual_seed(seed))
        return ((images - mean) / std).to(dev), y_train[members].to(dev)

    def loss(nets, batch) -> Tensor:
        images, labels = batch
        return F.cross_entropy(nets["net"](images).float(), labels)

    def scores(ema: nn.Module) -> dict[str, float]:
        c = Classifier(ema, r.arch, kwargs, list(train_set.classes), size, channels, mean, std)
        val_loss, val_accuracy, _ = evaluate(c, x_val, y_val)
        train_loss, train_accuracy, _ = evaluate(c, x_train[: t.train_scored], y_train[: t.train_scored])
        return {"val_accuracy": val_accuracy, "val_loss": val_loss, "train_accuracy": train_accuracy, "train_loss": train_loss}

    return Setup({"net": build(**kwargs)}, "net", batch_at, (Update("net", loss),), scores, metadata=contract)


# --- fast style transfer -----------------------------------------------------------------
@dataclass(frozen=True)
class StyleTerms:
    style: str  # the style image, relative to the data root
    style_side: int = 384  # its longest side when its Gram matrices are taken
    style_weight: float | None = None  # None: the feature network's own balance
    content_weight: float = 1.0
    tv_weight: float = 1e-3
    vgg: str | None = None  # VGG-19 weights; None: the torch hub cache, else random multi-scale filters
    min_side: int = 96  # photos with a shorter side are skipped


def fast_style(r: Recipe, dev: torch.device) -> Setup:
    from darkroom.generate.style import feature_network, read_style
    from darkroom.losses import content_loss, gram_matrix, total_variation
    from darkroom.train.data import content_crop, load_folder_images

    t = terms(StyleTerms, r)
    root = data_root()
    photos = [p for p in load_folder_images([root / f for f in r.train], 3) if min(p.shape[-2:]) >= t.min_side]
    if not photos:
        raise DarkroomError(f"recipe {r.name}: no photo in {', '.join(r.train)} is {t.min_side} pixels a side")
    features = feature_network(t.vgg)
    measure = features.net.to(dev).requires_grad_(False)
    style_weight = features.style_weight if t.style_weight is None else t.style_weight
    with torch.no_grad():
        style_grams = {k: gram_matrix(v) for k, v in measure(read_style(root / t.style, t.style_side).to(dev),
                                                              features.style_layers).items()}
    layers = tuple(dict.fromkeys(features.content_layers + features.style_layers))

    def crops(seed: int, count: int) -> tuple:
        g = torch.Generator().manual_seed(seed)
        return stacked([(content_crop(photos, r.patch, g),) for _ in range(count)], dev)

    def perceptual_loss(net: nn.Module, photos_batch: Tensor) -> Tensor:
        styled = net(photos_batch).float()
        with torch.no_grad():
            targets = measure(photos_batch, features.content_layers)
        feats = measure(styled, layers)
        content = sum(content_loss(feats[k], targets[k]) for k in features.content_layers)
        style = sum(F.mse_loss(gram_matrix(feats[k]), style_grams[k].expand(len(styled), -1, -1))
                    for k in features.style_layers) / len(features.style_layers)
        return t.content_weight * content + style_weight * style + t.tv_weight * total_variation(styled)

    held_out = crops(r.seed * 1_000_003 - 1, 8)  # a seed no training batch has

    @torch.no_grad()
    def scores(ema: nn.Module) -> dict[str, float]:
        return {"val_loss": float(perceptual_loss(ema, held_out[0]))}

    return Setup({"net": FAMILIES[r.arch](**r.arch_kwargs)}, "net",
                 lambda first: crops(r.seed * 1_000_003 + first // r.batch, r.batch),
                 (Update("net", lambda nets, batch: perceptual_loss(nets["net"], batch[0])),), scores,
                 metadata={"style": t.style, "features": features.description})


# --- multi-scale deblurring ------------------------------------------------------------------
@dataclass(frozen=True)
class MultiscaleTerms:
    adversarial: float = 0.0  # weight of the adversarial term (Nah et al.: 1e-4); 0: content loss only


def multiscale(r: Recipe, dev: torch.device) -> Setup:
    from darkroom.nets.deepdeblur import PatchDiscriminator, half

    t = terms(MultiscaleTerms, r)
    images, val_images = recipe_data(r)
    batch_at = batch_maker(r, images, dev)
    net = network_with(r, "pyramid", "a network with a pyramid of estimates")

    def content(nets, batch) -> tuple[Tensor, Tensor]:
        blurry, sharp, _ = batch
        estimates = nets["net"].pyramid(blurry)
        targets = [sharp]
        for _ in range(len(estimates) - 1):
            targets.append(half(targets[-1]))
        loss = sum(F.mse_loss(e.float(), s) for e, s in zip(estimates, reversed(targets))) / (2 * len(estimates))
        return loss, estimates[-1]

    def generator_loss(nets, batch) -> Tensor:
        loss, sharpened = content(nets, batch)
        if t.adversarial > 0:  # make the discriminator call the estimate sharp
            judged = nets["discriminator"](sharpened).float()
            loss = loss + t.adversarial * F.binary_cross_entropy_with_logits(judged, torch.ones_like(judged))
        return loss

    def discriminator_loss(nets, batch) -> Tensor:
        with torch.no_grad():
            sharpened = nets["net"](batch[0])
        real, fake = nets["discriminator"](batch[1]).float(), nets["discriminator"](sharpened).float()
        return (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))

    networks = {"net": net}
    updates = (Update("net", generator_loss),)
    if t.adversarial > 0:
        networks["discriminator"] = PatchDiscriminator(channels=r.channels)
        updates = (Update("discriminator", discriminator_loss), Update("net", generator_loss))
    return Setup(networks, "net", batch_at, updates,
                 validate=lambda ema: {"val_psnr": validate(ema, model_spec(r), val_images, r, dev)})


# --- DehazeNet's transmission -------------------------------------------------------------
@dataclass(frozen=True)
class TransmissionTerms:
    t_low: float = 0.05  # t uniform in (t_low, 1): below it a patch is nearly all airlight
    airlight: tuple[float, float] = (0.7, 1.0)  # A's grey level, uniform
    tint: float = 0.05  # each channel of A times 1 ± up to this


def hazed_patches(images: list[Tensor], first: int, batch: int, patch: int, seed: int, t: TransmissionTerms):
    """(hazy patches, their t): a pure function of (seed, first). Each patch is clear × t plus A × (1 − t),
    one t and one A per patch, then 8 bits."""
    from darkroom.degrade.scene import add_haze
    from darkroom.train.data import random_patch

    g = torch.Generator().manual_seed(seed * 1_000_003 + first)
    clear = torch.stack([random_patch(images, patch, g) for _ in range(batch)])
    trans = t.t_low + (1 - t.t_low) * torch.rand(batch, generator=g)
    grey = t.airlight[0] + (t.airlight[1] - t.airlight[0]) * torch.rand(batch, 1, 1, 1, generator=g)
    a = (grey * (1 + t.tint * (2 * torch.rand(batch, 3, 1, 1, generator=g) - 1))).clamp(max=1)
    hazy = add_haze(clear, -torch.log(trans), a, torch.ones_like(clear[:, :1]))
    return torch.round(hazy.clamp(0, 1) * 255) / 255, trans


def transmission(r: Recipe, dev: torch.device) -> Setup:
    t = terms(TransmissionTerms, r)
    images, val_images = recipe_data(r)
    net = network_with(r, "patch_transmission", "a patch_transmission network")

    def batch_at(first: int) -> tuple:
        hazy, trans = hazed_patches(images, first, r.batch, r.patch, r.seed, t)
        return hazy.to(dev), trans.to(dev)

    def loss(nets, batch) -> Tensor:
        hazy, trans = batch
        return F.mse_loss(nets["net"].patch_transmission(hazy).float().flatten(), trans)

    held_out = hazed_patches(val_images, 0, 2048, r.patch, r.seed + 1, t)

    @torch.no_grad()
    def validate_t(ema: nn.Module) -> dict[str, float]:
        hazy, trans = held_out
        error = ema.patch_transmission(hazy.to(dev)).float().flatten().cpu() - trans
        return {"val_t_rmse": float(error.pow(2).mean().sqrt())}

    return Setup({"net": net}, "net", batch_at, (Update("net", loss),), validate=validate_t)


# --- CBDNet's noise estimator --------------------------------------------------------------
@dataclass(frozen=True)
class NoiseEstimatorTerms:
    denoiser: str  # the non-blind denoiser's weights: a path, or zoo:NAME
    awgn: tuple[str, ...] = ()  # gray models: the folders of the AWGN half (colour models use the recipe's)
    alpha: float = 0.3  # the asymmetric loss's weight on over-estimates (under-estimates: 1 − α)
    tv_weight: float = 0.05
    asymmetric_weight: float = 1.0  # CBDNet's joint stage: 0.5
    reconstruction_weight: float = 0.0  # > 0: the joint stage, the denoiser's squared error given the map
    train_denoiser: bool = False  # the end-to-end stage: the denoiser learns too
    denoiser_lr_scale: float = 0.2  # its learning rate, as a fraction of the estimator's (it starts trained)


def noise_estimation_pair(gray: list[Tensor], color: list[Tensor], index: int, patch: int, seed: int, channels: int):
    """(noisy, clean, target σ map), a pure function of (seed, index): even indices AWGN with σ
    uniform in [0, 75] (target: that σ everywhere), odd ones the camera pipeline of
    ``darkroom.degrade.camera`` (target: the local RMS of the noise added). A gray model sees
    one channel of a colour patch's camera noise, since the gray denoiser runs per channel; a
    colour model's target is the RMS of the three channels' levels, the level it is told."""
    from darkroom.degrade import CameraNoise, local_noise_level
    from darkroom.nets.cbdnet import channel_rms
    from darkroom.train.data import random_patch

    g = torch.Generator().manual_seed(seed * 1_000_003 + index)
    if index % 2 == 0:
        clean = random_patch(gray if channels == 1 else color, patch, g)[None]
        sigma = float(torch.rand((), generator=g)) * 75 / 255
        noisy = clean + sigma * torch.randn(clean.shape, generator=g)
        return noisy[0], clean[0], torch.full((1, patch, patch), sigma)
    clean = random_patch(color, patch, g)[None]
    noisy = CameraNoise()(clean, g)
    if channels == 3:
        return noisy[0], clean[0], channel_rms(local_noise_level(noisy, clean))[0]
    channel = int(torch.randint(3, (1,), generator=g))
    noisy, clean = noisy[:, channel : channel + 1], clean[:, channel : channel + 1]
    return noisy[0], clean[0], local_noise_level(noisy, clean)[0]


def cbdnet(r: Recipe, dev: torch.device) -> Setup:
    from darkroom.io import read_weights
    from darkroom.losses import asymmetric_loss, total_variation
    from darkroom.nets import BlindDenoiser
    from darkroom.train.checkpoint import resolve_init
    from darkroom.train.data import load_folder_images

    t = terms(NoiseEstimatorTerms, r)
    if t.train_denoiser and t.reconstruction_weight <= 0:
        raise DarkroomError("training the denoiser needs its reconstruction loss (reconstruction_weight > 0)")
    blind = FAMILIES[r.arch](**r.arch_kwargs)
    if not isinstance(blind, BlindDenoiser):
        raise DarkroomError(f"recipe {r.name}: the cbdnet objective trains a blind denoiser (cbdnet), not {r.arch}")
    path = resolve_init(t.denoiser)
    if not path.exists():
        raise DarkroomError(f"denoiser weights {path} not found")
    blind.denoiser.load_state_dict(read_weights(path)[0])
    blind.denoiser.requires_grad_(t.train_denoiser)  # frozen, it also stays in inference mode (the loop's rule)
    root = data_root()
    channels = r.arch_kwargs.get("channels", 1)
    color = load_folder_images([root / f for f in r.train], 3)
    gray = load_folder_images([root / f for f in t.awgn], 1) if channels == 1 else []
    if channels == 1 and not gray:
        raise DarkroomError(f"recipe {r.name}: a gray model names its AWGN folders (objective_kwargs awgn)")

    def pairs(seed: int, first: int, count: int) -> list[Tensor]:
        return stacked((noise_estimation_pair(gray, color, first + j, r.patch, seed, channels) for j in range(count)), dev)

    def estimate_and_loss(net: nn.Module, batch, denoise: bool) -> tuple[Tensor | None, Tensor]:
        noisy, clean, target = batch
        estimate = net.noise_map(noisy).float()
        loss = t.asymmetric_weight * asymmetric_loss(estimate, target, t.alpha) + t.tv_weight * total_variation(estimate, power=2)
        denoised = net.denoiser(noisy, estimate).float() if denoise or t.reconstruction_weight > 0 else None
        if t.reconstruction_weight > 0:
            loss = loss + t.reconstruction_weight * F.mse_loss(denoised, clean)
        return denoised, loss

    held_out = pairs(r.seed + 1, 0, 32)  # another seed: patches no training batch has

    @torch.no_grad()
    def scores(ema: nn.Module) -> dict[str, float]:
        denoised, loss = estimate_and_loss(ema, held_out, denoise=True)
        return {"val_psnr": float(psnr(denoised.clamp(0, 1).cpu(), held_out[1].cpu()).mean()), "val_loss": float(loss)}

    def groups(net: nn.Module) -> list[tuple[list[nn.Parameter], float]]:
        return [(list(net.estimator.parameters()), 1.0)] + (
            [(list(net.denoiser.parameters()), t.denoiser_lr_scale)] if t.train_denoiser else [])

    return Setup({"net": blind}, "net", lambda first: pairs(r.seed, first, r.batch),
                 (Update("net", lambda nets, batch: estimate_and_loss(nets["net"], batch, denoise=False)[1], groups),), scores,
                 metadata={"denoiser": str(t.denoiser)})


from darkroom.train.enhance import illumination, lowlight, operator, zero_reference  # noqa: E402  (they build on Setup above)

OBJECTIVES: dict[str, Callable[..., Setup]] = {"pixel": pixel, "dae": dae, "vae": vae, "gan": gan, "classifier": classifier,
                                               "fast_style": fast_style, "cbdnet": cbdnet,
                                               "multiscale": multiscale, "transmission": transmission,
                                               "lowlight": lowlight, "zero_reference": zero_reference,
                                               "illumination": illumination, "operator": operator}
