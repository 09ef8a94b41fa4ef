"""The training loop, readable top to bottom (in the spirit of nanoGPT's train.py).

AdamW with linear warm-up and a cosine schedule, gradient clipping, an exponential
moving average (EMA) of the weights used for validation and export, bf16 autocast on
the CPU or AMP on CUDA, atomic checkpoints with exact resume, validation PSNR, a
progress bar, JSON-lines and TensorBoard logs, multi-process data parallelism
(``torchrun``; gloo on CPU, NCCL on CUDA), and a wall-clock budget that sets the step count
from the measured rate (for a GPU lent for fixed minutes).
"""

from __future__ import annotations

import copy
import json
import math
import os
import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.distributed as dist
from tqdm import tqdm

from darkroom.degrade import Quantize, apply
from darkroom.errors import DarkroomError
from darkroom.engine import ModelSpec, Restorer, autocast, resolve_precision
from darkroom.losses import PIXEL_LOSSES
from darkroom.metrics import psnr
from darkroom.nets import FAMILIES
from darkroom.tasks import get_task
from darkroom.train.checkpoint import export_weights, init_from_weights, load_checkpoint, save_checkpoint
from darkroom.train.data import CONDITIONINGS, PairedPatches, load_folder_images
from darkroom.train.device_batches import DeviceBatches
from darkroom.train.recipe import Recipe, build_degradation, data_root


def learning_rate(step: int, r: Recipe) -> float:
    if step < r.warmup:
        return r.lr * (step + 1) / r.warmup
    progress = (step - r.warmup) / max(1, r.steps - r.warmup)
    return r.lr * (r.min_lr_ratio + (1 - r.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.no_grad()
def update_ema(ema: torch.nn.Module, model: torch.nn.Module, decay: float) -> None:
    # one fused call per list: a GPU step is short enough that a launch per tensor shows
    torch._foreach_lerp_(list(ema.parameters()), [p.detach() for p in model.parameters()], 1 - decay)
    buffers = list(ema.buffers())
    if buffers:
        torch._foreach_copy_(buffers, list(model.buffers()))


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


def descend(loss: torch.Tensor, optimizer: torch.optim.Optimizer, schedule) -> None:
    """One update of a single-model trainer (fast style, noise estimator): gradients of ``loss``, an optimiser step, a schedule step."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    schedule.step()


def training_device(device: str | None = None) -> torch.device:
    """The device a trainer runs on: the one named, else CUDA when present, else the CPU."""
    return torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))


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


# A time budget's rate is timed over these steps of a call: the first ones pick kernels.
BUDGET_TIMING = range(10, 60)


def steps_within(r: Recipe, done: int, rate: float, seconds_left: float) -> Recipe:
    """``r`` with as many steps as fit in ``seconds_left`` at ``rate`` steps a second (after
    ``done`` steps), rounded down to whole checkpoints so that the last one is also validated."""
    fit = done + int(rate * seconds_left)
    steps = max(done + 1, fit - fit % r.checkpoint_every)
    return replace(r, steps=steps, val_every=min(r.val_every, steps))


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


def train(r: Recipe, out_dir: Path, *, resume: bool = True, device: str | None = None, progress: bool = True,
          time_budget_s: float | None = None) -> Path:
    """Train ``r`` into ``out_dir``; returns the path of the exported EMA weights.

    With ``time_budget_s`` the recipe's step count is replaced, once the first steps have
    been timed, by as many as fit in that many seconds, so the learning-rate schedule still
    ends where the run does (a GPU lent for a fixed time: the rate is unknown beforehand).
    """
    # --- processes, device, threads -------------------------------------------------
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    dev = training_device(device)
    if world > 1:
        if dev.type == "cuda":
            dev = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        dist.init_process_group("nccl" if dev.type == "cuda" else "gloo")
    if r.threads:
        torch.set_num_threads(r.threads)
    main = rank == 0
    if time_budget_s is not None and world > 1:
        raise DarkroomError("a time budget needs a single process (each would time its own steps)")
    out_dir.mkdir(parents=True, exist_ok=True)

    if dev.type == "cuda":
        torch.backends.cudnn.benchmark = True  # the patch size never changes, so the fastest kernels are worth finding
    began = time.perf_counter()

    # --- data -------------------------------------------------------------------------
    images, val_images = recipe_data(r)
    batch_at = batch_maker(r, images, dev)

    def batch_for(step: int):
        return batch_at((step * world + rank) * r.batch)

    def calibrate_ema() -> None:
        recalibrate_batchnorm(ema, calibration_inputs(batch_at, r))

    # --- model, EMA, optimiser, resume ----------------------------------------------
    torch.manual_seed(r.seed)
    net = FAMILIES[r.arch](**r.arch_kwargs)
    ckpt_path = out_dir / "checkpoint.pt"
    if r.init and not (resume and ckpt_path.exists()):  # a resumed run has its own weights
        init_from_weights(net, r.init)
    net = net.to(dev, memory_format=torch.channels_last)  # NHWC: see ModelSpec.channels_last
    ema = copy.deepcopy(net).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    optimizer = torch.optim.AdamW(net.parameters(), lr=r.lr, weight_decay=r.weight_decay)
    loss_fn = PIXEL_LOSSES[r.loss]
    # fp16 gradients underflow without loss scaling; bf16 and fp32 need none.
    precision = resolve_precision(r.precision, dev, bf16_keeps_scores=True)  # the engine's policy (darkroom.engine.precision)
    scaler = torch.amp.GradScaler("cuda", enabled=precision == "fp16")
    start, elapsed = 0, 0.0
    state = load_checkpoint(ckpt_path) if resume else None
    if state is not None:
        net.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        optimizer.load_state_dict(state["optimizer"])
        start, elapsed = state["step"], state["elapsed"]
    model = torch.nn.parallel.DistributedDataParallel(net) if world > 1 else net
    spec = model_spec(r)

    writer = None
    if main:
        try:
            from torch.utils.tensorboard import SummaryWriter

            writer = SummaryWriter(str(out_dir / "tb"), purge_step=start)
        except ImportError:
            pass
    log_path = out_dir / "log.jsonl"
    if main and log_path.exists():  # forget what was logged after the checkpoint we resume from
        kept = [line for line in log_path.read_text().splitlines() if line and json.loads(line)["step"] <= start]
        log_path.write_text("".join(line + "\n" for line in kept))
    log_file = log_path.open("a") if main else None

    def log(record: dict) -> None:
        if not main:
            return
        log_file.write(json.dumps(record) + "\n")
        log_file.flush()
        if writer:
            for k, v in record.items():
                if k != "step":
                    writer.add_scalar(k, v, record["step"])

    # --- the loop ---------------------------------------------------------------------
    bar = tqdm(initial=start, total=r.steps, disable=not (main and progress), mininterval=5, desc=r.name)
    t0 = time.perf_counter() - elapsed
    timed_from = None
    net.train()
    step = start
    while step < r.steps:
        lr = learning_rate(step, r)
        for group in optimizer.param_groups:
            group["lr"] = lr
        degraded, clean, cond = batch_for(step)
        with autocast(dev, precision):
            pred = model(degraded, cond) if r.condition else model(degraded)
        loss = loss_fn(pred.float(), clean)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        if r.grad_clip:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(net.parameters(), r.grad_clip)
        scaler.step(optimizer)
        scaler.update()
        update_ema(ema, net, r.ema if step >= r.warmup else 0.0)

        done = step + 1
        if done % r.log_every == 0:
            log({"step": done, "loss": float(loss.detach()), "lr": lr, "wall_s": time.perf_counter() - t0})
            bar.set_postfix(loss=f"{float(loss.detach()):.4f}")
        if main and (done % r.val_every == 0 or done == r.steps):
            calibrate_ema()
            score = validate(ema, spec, val_images, r, dev)
            log({"step": done, "val_psnr": score, "wall_s": time.perf_counter() - t0})
            bar.set_postfix(loss=f"{float(loss.detach()):.4f}", val_psnr=f"{score:.2f}")
        if main and (done % r.checkpoint_every == 0 or done == r.steps):
            save_checkpoint(ckpt_path, {
                "model": net.state_dict(), "ema": ema.state_dict(), "optimizer": optimizer.state_dict(),
                "step": done, "elapsed": time.perf_counter() - t0,
                # the EMA's BatchNorm statistics fit its weights only right after calibrate_ema()
                "ema_calibrated": done % r.val_every == 0 or done == r.steps,
            })
        bar.update(1)
        if time_budget_s is not None and done == start + BUDGET_TIMING.start:
            timed_from = time.perf_counter()
        elif time_budget_s is not None and done == start + BUDGET_TIMING.stop:
            rate = len(BUDGET_TIMING) / (time.perf_counter() - timed_from)
            # a tenth kept back for validation, checkpoints and the export, which the rate leaves out
            r = steps_within(r, done, rate, 0.9 * (time_budget_s - (time.perf_counter() - began)))
            bar.total = r.steps
            log({"step": done, "steps_per_s": rate, "planned_steps": r.steps})
        step = done
    bar.close()
    wall = time.perf_counter() - t0

    # --- export -----------------------------------------------------------------------
    weights = out_dir / f"{r.name}.safetensors"
    if main:
        calibrate_ema()
        export_weights(weights, ema, {"recipe": r.name, "arch": r.arch, "arch_kwargs": r.arch_kwargs,
                                      "steps": r.steps, "wall_s": round(wall, 1), "world_size": world})
        log_file.close()
        if writer:
            writer.close()
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return weights
