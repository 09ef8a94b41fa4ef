"""The training loop, readable top to bottom (in the spirit of nanoGPT's train.py), one for
every objective (``darkroom.train.objectives``: pixel restoration, the denoising
autoencoder, the VAE, the GAN, classifiers, fast style transfer, CBDNet's noise estimator).

AdamW with a linear warm-up and a cosine, constant or one-cycle schedule, gradient
clipping, an exponential moving average (EMA) of the exported network used for validation
and export, bf16 autocast on the CPU or AMP on CUDA (the engine's precision policy), atomic
checkpoints with exact resume, a held-out score, a progress bar, JSON-lines and TensorBoard
logs, multi-process data parallelism for one-network objectives (``torchrun``; gloo on CPU,
NCCL on CUDA), and a wall-clock budget that sets the step count from the measured rate (for
a GPU lent for fixed minutes).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
import json
import math
import os
import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.distributed as dist
from tqdm import tqdm

from darkroom.engine import autocast, resolve_device, resolve_precision
from darkroom.errors import DarkroomError
from darkroom.train.checkpoint import export_weights, init_from_weights, load_checkpoint, save_checkpoint
from darkroom.train.objectives import OBJECTIVES, Setup
from darkroom.train.recipe import Recipe

ONE_CYCLE_PEAK = 25.0  # PyTorch's OneCycleLR default: rising from lr/25 (for Recipe.onecycle_rise of the steps), then down to lr/25e4


def learning_rate(step: int, r: Recipe) -> float:
    """The learning rate of ``step`` under the recipe's schedule."""
    if r.schedule == "onecycle":  # Smith & Topin 2019, as PyTorch's OneCycleLR (without its momentum cycle)
        rise = r.onecycle_rise * r.steps
        if step <= rise:
            low, high, t = r.lr / ONE_CYCLE_PEAK, r.lr, step / max(rise, 1)
        else:
            low, high, t = r.lr / (ONE_CYCLE_PEAK * 1e4), r.lr, 1 - (step - rise) / max(r.steps - rise, 1)
        return low + (high - low) * 0.5 * (1 - math.cos(math.pi * t))
    if step < r.warmup:
        return r.lr * (step + 1) / r.warmup
    if r.schedule == "constant":
        return r.lr
    progress = (step - r.warmup) / max(1, r.steps - r.warmup)
    return r.lr * (r.min_lr_ratio + (1 - r.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.no_grad()
def update_ema(ema: torch.nn.Module, model: torch.nn.Module, decay: float) -> None:
    # one fused call per list: a GPU step is short enough that a launch per tensor shows
    torch._foreach_lerp_(list(ema.parameters()), [p.detach() for p in model.parameters()], 1 - decay)
    buffers = list(ema.buffers())
    if buffers:
        torch._foreach_copy_(buffers, list(model.buffers()))


def train_mode(net: torch.nn.Module) -> None:
    """Training mode, except for the parts that do not learn: a frozen submodule (CBDNet's
    denoiser while its estimator trains) keeps its BatchNorm statistics and runs as in inference."""
    net.train()
    for module in net.modules():
        own = list(module.parameters())
        if own and not any(p.requires_grad for p in own):
            module.eval()


# A time budget's rate is timed over these steps of a call: the first ones pick kernels.
BUDGET_TIMING = range(10, 60)


def steps_within(r: Recipe, done: int, rate: float, seconds_left: float) -> Recipe:
    """``r`` with as many steps as fit in ``seconds_left`` at ``rate`` steps a second (after
    ``done`` steps), rounded down to whole checkpoints so that the last one is also validated."""
    fit = done + int(rate * seconds_left)
    steps = max(done + 1, fit - fit % r.checkpoint_every)
    return replace(r, steps=steps, val_every=min(r.val_every, steps))


def train(r: Recipe, out_dir: Path, *, resume: bool = True, device: str | None = None, progress: bool = True,
          time_budget_s: float | None = None, objective: Callable[[Recipe, torch.device], Setup] | None = None) -> Path:
    """Train ``r`` into ``out_dir``; returns the path of the exported EMA weights.

    ``objective`` replaces the recipe's named one (``OBJECTIVES[r.objective]``), for a caller
    whose data is already in memory (``darkroom train-classifier`` reads its folder first).

    With ``time_budget_s`` the recipe's step count is replaced, once the first steps have
    been timed, by as many as fit in that many seconds, so the learning-rate schedule still
    ends where the run does (a GPU lent for a fixed time: the rate is unknown beforehand).
    """
    # --- processes, device, threads -------------------------------------------------
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    dev = resolve_device(device)
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

    # --- the objective: networks, data, updates, validation ---------------------------
    torch.manual_seed(r.seed)
    setup = (objective or OBJECTIVES[r.objective])(r, dev)
    if world > 1 and len(setup.networks) > 1:
        raise DarkroomError(f"the {r.objective} objective trains {len(setup.networks)} networks; run it in one process")

    def batch_for(step: int):
        return setup.batch_at((step * world + rank) * r.batch)

    # --- networks, EMA, optimisers, resume --------------------------------------------
    ckpt_path = out_dir / "checkpoint.pt"
    net = setup.networks[setup.exported]
    if r.init and not (resume and ckpt_path.exists()):  # a resumed run has its own weights
        init_from_weights(net, r.init)
    nets = {name: n.to(dev, memory_format=torch.channels_last) for name, n in setup.networks.items()}  # NHWC: ModelSpec.channels_last
    net = nets[setup.exported]
    ema = copy.deepcopy(net).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    # each update's parameter groups learn at their fraction of the schedule's rate ("lr_scale")
    optimizers = {u.network: torch.optim.AdamW([{"params": params, "lr_scale": scale} for params, scale in u.groups(nets[u.network])],
                                               lr=r.lr, betas=r.betas, weight_decay=r.weight_decay) for u in setup.updates}
    # fp16 gradients underflow without loss scaling; bf16 and fp32 need none.
    precision = resolve_precision(r.precision, dev, bf16_keeps_scores=True)  # the engine's policy (darkroom.engine.precision)
    scaler = torch.amp.GradScaler("cuda", enabled=precision == "fp16")
    start, elapsed = 0, 0.0
    state = load_checkpoint(ckpt_path) if resume else None
    if state is not None:
        for name, n in nets.items():
            n.load_state_dict(state["networks"][name])
        ema.load_state_dict(state["ema"])
        for name, optimizer in optimizers.items():
            optimizer.load_state_dict(state["optimizers"][name])
        start, elapsed = state["step"], state["elapsed"]
    if world > 1:  # one network (checked above): its replicas average their gradients
        nets = {setup.exported: torch.nn.parallel.DistributedDataParallel(net)}

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
    for n in nets.values():
        train_mode(n)
    step = start
    while step < r.steps:
        lr = learning_rate(step, r)
        batch = batch_for(step)
        for update in setup.updates:  # one for most objectives; the GAN's discriminator, then its generator
            optimizer = optimizers[update.network]
            for group in optimizer.param_groups:
                group["lr"] = lr * group.get("lr_scale", 1.0)
            with autocast(dev, precision):
                loss = update.loss(nets, batch)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            if r.grad_clip:
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], r.grad_clip)
            scaler.step(optimizer)
            scaler.update()
        update_ema(ema, net, r.ema if step >= r.warmup else 0.0)

        done = step + 1
        if done % r.log_every == 0:
            log({"step": done, "loss": float(loss.detach()), "lr": lr, "wall_s": time.perf_counter() - t0})
            bar.set_postfix(loss=f"{float(loss.detach()):.4f}")
        if main and (done % r.val_every == 0 or done == r.steps):
            setup.calibrate(ema)
            if setup.validate is not None:
                scores = setup.validate(ema)
                log({"step": done, **scores, "wall_s": time.perf_counter() - t0})
                headline = next(iter(scores))
                bar.set_postfix(loss=f"{float(loss.detach()):.4f}", **{headline: f"{scores[headline]:.4f}"})
        if main and (done % r.checkpoint_every == 0 or done == r.steps):
            save_checkpoint(ckpt_path, {
                "model": net.state_dict(), "ema": ema.state_dict(),
                "networks": {name: n.state_dict() for name, n in setup.networks.items()},
                "optimizers": {name: o.state_dict() for name, o in optimizers.items()},
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
        setup.calibrate(ema)
        export_weights(weights, ema, {"recipe": r.name, "objective": r.objective, "arch": r.arch, "arch_kwargs": r.arch_kwargs,
                                      "objective_kwargs": r.objective_kwargs, "steps": r.steps, "wall_s": round(wall, 1),
                                      "world_size": world, **setup.metadata})
        log_file.close()
        if writer:
            writer.close()
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return weights
