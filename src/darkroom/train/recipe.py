"""Training recipes: small TOML files in ``recipes/`` parsed into one frozen dataclass.

A recipe names its task (``darkroom.tasks.TASKS``) and a network family from ``darkroom.nets.FAMILIES`` with its keyword
arguments, the training folders (relative to the data root, ``$DARKROOM_DATA``), the
degradation that makes inputs from clean patches, and the optimisation settings.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from darkroom import degrade
from darkroom.errors import DarkroomError
from darkroom.nets import FAMILIES
from darkroom.tasks import TASKS
from darkroom.train.data import CONDITIONINGS


def runs_root() -> Path:
    """Where training runs write their state: ``$DARKROOM_RUNS``, else ``runs/`` (never tracked)."""
    return Path(os.environ.get("DARKROOM_RUNS", "runs"))


SCHEDULES = ("cosine", "constant", "onecycle")


@dataclass(frozen=True)
class Recipe:
    name: str
    arch: str
    arch_kwargs: dict = field(default_factory=dict)
    task: str = ""  # a name in darkroom.tasks.TASKS
    objective: str = "pixel"  # a name in darkroom.train.objectives.OBJECTIVES
    objective_kwargs: dict = field(default_factory=dict)  # the objective's own settings (its dataclass's fields)
    channels: int = 1
    train: tuple[str, ...] = ()
    val: str | None = None
    val_holdout: int = 8
    val_crop: int = 256
    degradation: dict = field(default_factory=dict)
    condition: str | None = None
    scale: int = 1
    patch: int = 64
    scale_jitter: float = 1.0  # < 1: shrink the clean patches' content by a random factor in [it, 1]
    highlight_gain: float = 1.0  # > 1: a quarter of the clean patches brightened by up to it and clipped at white
    sampler: str = "per_sample"  # or "device": whole AWGN batches cut on the training device (darkroom.train.device_batches)
    batch: int = 16
    steps: int = 1000
    lr: float = 1e-3
    schedule: str = "cosine"  # warm-up then cosine to min_lr_ratio; "constant" after the warm-up; "onecycle"
    betas: tuple[float, float] = (0.9, 0.999)  # AdamW's; the DCGAN's are (0.5, 0.999)
    min_lr_ratio: float = 0.01
    onecycle_rise: float = 0.3  # the one-cycle schedule's rising fraction of the steps (PyTorch's pct_start)
    warmup: int = 100
    weight_decay: float = 0.0
    ema: float = 0.999
    grad_clip: float = 1.0
    loss: str = "l1"
    precision: str = "fp32"
    seed: int = 0
    checkpoint_every: int = 200
    val_every: int = 500
    log_every: int = 20
    workers: int = 0
    threads: int = 0
    init: str | None = None  # weights (.safetensors) to start from; tensors whose shapes differ are left fresh

    @classmethod
    def from_toml(cls, path: str | os.PathLike, **overrides) -> Recipe:
        path = Path(path)
        if not path.exists():
            raise DarkroomError(f"recipe {path} not found")
        try:
            raw = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise DarkroomError(f"recipe {path} is not valid TOML: {exc}") from None
        flat: dict = {}
        for key, value in raw.items():
            if isinstance(value, dict) and key not in ("arch_kwargs", "degradation", "objective_kwargs"):
                flat.update(value)  # sections ([model], [data], [optim], ...) only group keys
            else:
                flat[key] = value
        flat.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(flat) - known)
        if unknown:
            raise DarkroomError(f"recipe {path}: unknown keys {', '.join(unknown)}")
        for key in ("train", "betas"):
            if key in flat:
                flat[key] = tuple(flat[key])
        r = cls(**flat)
        if r.task not in TASKS:
            raise DarkroomError(f"recipe {path}: task must be one of {', '.join(TASKS)}, got {r.task!r}")
        if r.arch not in FAMILIES:
            raise DarkroomError(f"recipe {path}: unknown architecture {r.arch!r}; choose from {', '.join(FAMILIES)}")
        from darkroom.train.objectives import OBJECTIVES

        if r.objective not in OBJECTIVES:
            raise DarkroomError(f"recipe {path}: objective must be one of {', '.join(OBJECTIVES)}, got {r.objective!r}")
        if r.schedule not in SCHEDULES:
            raise DarkroomError(f"recipe {path}: schedule must be one of {', '.join(SCHEDULES)}, got {r.schedule!r}")
        if r.condition is not None and r.condition not in CONDITIONINGS:
            raise DarkroomError(f"recipe {path}: condition must be one of {', '.join(CONDITIONINGS)}, got {r.condition!r}")
        if r.sampler not in ("per_sample", "device"):
            raise DarkroomError(f"recipe {path}: sampler must be per_sample or device, got {r.sampler!r}")
        if r.sampler == "device" and (r.degradation.get("kind") != "gaussian" or r.scale_jitter != 1 or r.highlight_gain != 1):
            raise DarkroomError(f"recipe {path}: the device sampler makes only Gaussian noise, without scale_jitter or highlight_gain")
        return r


def build_degradation(spec: dict) -> degrade.Degradation:
    """Build a degradation from a recipe table, e.g. ``{kind = "gaussian", sigma = [0, 75]}``.

    A ``chain`` kind takes ``steps``, a list of such tables; every chain ends by
    quantizing to 8 bits unless ``quantize = false`` (real inputs are 8-bit files).
    """
    spec = dict(spec)
    kind = spec.pop("kind", None)

    def pair(v):  # [lo, hi] → (lo, hi); [[lo, hi], ...] → a mixture of ranges
        return tuple(pair(e) for e in v) if isinstance(v, list) else v

    if kind == "chain":
        steps = tuple(build_degradation(s) for s in spec.pop("steps"))
        quantize = spec.pop("quantize", True)
        return degrade.Chain(steps + ((degrade.Quantize(),) if quantize else ()))
    makers = {
        "gaussian": lambda s: degrade.GaussianNoise(pair(s.get("sigma", 25))),
        "poisson_gaussian": lambda s: degrade.PoissonGaussianNoise(pair(s.get("shot", (1e-4, 1e-2))), pair(s.get("read", (1e-3, 2e-2)))),
        "camera": lambda s: degrade.CameraNoise(tuple(s.get("shot", (1e-4, 1.2e-2))), pair(s.get("jpeg", (60, 95))), s.get("jpeg_probability", 0.5)),
        "downsample": lambda s: degrade.Downsample(int(s.get("scale", 4))),
        "bicubic_roundtrip": lambda s: degrade.BicubicRoundTrip(tuple(s.get("scales", (2, 3, 4)))),
        "jpeg": lambda s: degrade.Jpeg(pair(s.get("quality", 30)), s.get("subsampling", "4:2:0"),
                                       pair(s["then"]) if "then" in s else None, tuple(s.get("shift", (4, 4)))),
        "blur": lambda s: degrade.Blur(None, int(s.get("motion_size", 21))),
        "random_blur": lambda s: degrade.RandomBlur(tuple(s.get("kinds", ("trajectory",))), tuple(s.get("weights", (1.0,))),
                                                    int(s.get("size", 31)), float(s.get("varying", 0.0))),
        "haze": lambda s: degrade.Haze(pair(s.get("beta", (0.6, 1.8))), pair(s.get("airlight", (0.7, 1.0))),
                                       bool(s.get("random_depth", False)), pair(s.get("near", 0.0)), float(s.get("tint", 0.0)),
                                       float(s.get("uniform", 0.0)), float(s.get("clear", 0.0))),
        "lowlight": lambda s: degrade.LowLight(tuple(s.get("exposure", (0.02, 0.3))), tuple(s.get("shot", (1e-4, 4e-3))),
                                               float(s.get("cast", 0.0)), pair(s["jpeg"]) if "jpeg" in s else None,
                                               float(s.get("jpeg_probability", 0.0)), float(s.get("clear", 0.0))),
        "quantize": lambda s: degrade.Quantize(),
    }
    if kind not in makers:
        raise DarkroomError(f"unknown degradation kind {kind!r}; choose from chain, {', '.join(makers)}")
    return makers[kind](spec)
