"""Benchmarks under the papers' protocols, on folders of clean images.

A task's record (``darkroom.tasks``) holds its protocols: how a clean image becomes the
model's input (degradation and seed), what the output is compared with, the border crop and
the metric channel. :func:`score_model` runs one model over one folder at one setting;
:func:`bench` runs a grid of models, folders, settings and self-ensembles and returns one
:class:`BenchRow` per cell. ``darkroom bench`` only prints them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from darkroom.degrade import Quantize, apply
from darkroom.engine import Restorer
from darkroom.engine.run import gray_as_color, run_model
from darkroom.errors import DarkroomError
from darkroom.io import list_images, read_image
from darkroom.metrics import psnr, psnrb, ssim
from darkroom.ops.color import rgb_to_gray_8bit
from darkroom.ops.contract import to_batch
from darkroom.tasks import Protocol, Task


@dataclass(frozen=True)
class ImageScore:
    image: str
    psnr: float
    ssim: float
    seconds: float
    psnrb: float | None = None  # where the protocol scores blocking (JPEG artifact removal)


@dataclass(frozen=True)
class BenchResult:
    task: str
    model: str
    data: str
    settings: dict
    images: list[ImageScore]

    @property
    def mean_psnr(self) -> float:
        return float(np.mean([s.psnr for s in self.images]))

    @property
    def mean_ssim(self) -> float:
        return float(np.mean([s.ssim for s in self.images]))

    @property
    def mean_seconds(self) -> float:
        return float(np.mean([s.seconds for s in self.images]))

    @property
    def mean_psnrb(self) -> float | None:
        values = [s.psnrb for s in self.images]
        return None if any(v is None for v in values) else float(np.mean(values))

    def to_json(self) -> dict:
        d = asdict(self)
        d.update(mean_psnr=self.mean_psnr, mean_ssim=self.mean_ssim, mean_seconds=self.mean_seconds)
        if self.mean_psnrb is not None:
            d.update(mean_psnrb=self.mean_psnrb)
        return d


def load_clean(path: Path, channels: int | None = None) -> torch.Tensor:
    """A clean test image as a (1, C, H, W) float batch (alpha dropped)."""
    x, _ = to_batch(read_image(path).pixels)
    x = x[:, :3] if x.shape[1] == 4 else x[:, :1] if x.shape[1] == 2 else x
    if channels == 1 and x.shape[1] == 3:
        x = rgb_to_gray_8bit(x)
    return x


def paired_files(folder: Path, subfolders: tuple[tuple[str, ...], tuple[str, ...]]) -> list[tuple[Path, Path]]:
    """(input, ground truth) paths of a paired folder: the first existing input subfolder
    (e.g. ``hazy/``) and ground-truth subfolder (``clear/`` or ``GT/``), files matched by name.
    A one-line error where either is missing or a file has no partner."""
    def first(names: tuple[str, ...]) -> Path:
        found = next((folder / n for n in names if (folder / n).is_dir()), None)
        if found is None:
            raise DarkroomError(f"{folder} has no {' or '.join(n + '/' for n in names)} folder; a paired benchmark "
                                f"wants {subfolders[0][0]}/ and {subfolders[1][0]}/ with matching file names")
        return found
    inputs, truths = first(subfolders[0]), first(subfolders[1])
    paths = list_images([inputs])
    if not paths:
        raise DarkroomError(f"no images in {inputs}")
    missing = [p.name for p in paths if not (truths / p.name).is_file()]
    if missing:
        raise DarkroomError(f"{len(missing)} of {len(paths)} images in {inputs} have no partner in {truths} "
                            f"(first: {missing[0]})")
    return [(p, truths / p.name) for p in paths]


def run_benchmark(
    task: Task,
    data: str | Path,
    model_name: str,
    restore: Callable[[torch.Tensor], torch.Tensor],
    *,
    setting: float,
    protocol: Protocol | None = None,
    seed: int = 0,
    limit: int | None = None,
    channels: int | None = None,
    on_image: Callable[[ImageScore], None] | None = None,
) -> BenchResult:
    """Degrade every image of ``data`` by ``protocol`` (the task's first by default) at
    ``setting``, restore it with ``restore(degraded)``, and score it."""
    protocol = protocol or task.default_protocol
    if protocol is None:
        raise DarkroomError(f"the {task.name} task has no benchmark protocol")
    pairs = paired_files(Path(data), protocol.paired) if protocol.paired else [(p, None) for p in list_images([data])]
    scores = []
    for i, (path, truth_path) in enumerate(pairs[:limit]):
        clean = load_clean(truth_path or path, channels)
        if protocol.needs_color and clean.shape[1] != 3:
            raise DarkroomError(f"the {protocol.name} protocol needs colour test images; {path.name} is gray")
        truth = protocol.ground_truth(clean, setting)
        degraded = load_clean(path, channels) if truth_path else protocol.degrade(truth, setting, seed + i)
        if truth_path and degraded.shape != truth.shape:
            raise DarkroomError(f"{path.name}: the input is {tuple(degraded.shape[-2:])} and its ground truth "
                                f"{tuple(truth.shape[-2:])}; a pair must have one size")
        t0 = time.perf_counter()
        out = restore(degraded)
        seconds = time.perf_counter() - t0
        out = apply(Quantize(), out)
        if out.shape[1] == 3 and truth.shape[1] == 1:  # a gray image through a colour model: compare as RGB
            truth = truth.expand(-1, 3, -1, -1)
        crop, y = protocol.crop(setting), protocol.y_channel
        score = ImageScore(path.name, float(psnr(out, truth, crop=crop, y_channel=y)),
                           float(ssim(out, truth, crop=crop, y_channel=y, data_range=1.0)), seconds,
                           float(psnrb(out, truth, y_channel=y)) if protocol.psnrb else None)
        scores.append(score)
        if on_image:
            on_image(score)
    settings = {task.setting: setting, "seed": seed, "protocol": protocol.name, "description": protocol.description}
    return BenchResult(task.name, model_name, str(data), settings, scores)


@dataclass(frozen=True)
class BenchRow:
    """One cell of a benchmark grid: a model (row label) on one folder at one setting."""

    label: str  # the model as asked for, with its self-ensemble
    model: str  # the zoo name that ran
    data: str  # the folder's name
    setting: float
    parameters: int
    result: BenchResult


def bench(
    task: Task,
    folders: list[Path],
    models: list[str],
    settings: list[float],
    *,
    protocol: str | None = None,
    told: bool = True,
    gray: bool = False,
    seed: int = 0,
    limit: int | None = None,
    self_ensembles: tuple[int, ...] = (1,),
    weights: Path | None = None,
    device: str | None = None,
    on_result: Callable[[BenchRow], None] | None = None,
    **run,
) -> list[BenchRow]:
    """Every model on every folder at every setting; networks once per self-ensemble size.

    ``told`` False withholds the setting from the models (a non-blind denoiser then gets the
    estimate a user who gives no σ gets). Where the protocol's degradation ignores the setting
    and a model is told nothing, the first setting's run stands for all of them. ``run`` goes
    to the restorer (tile, precision).
    """
    from darkroom.engine.run import choose_model
    from darkroom.zoo import get_card, load

    if not task.protocols:
        raise DarkroomError(f"bench knows {', '.join(_benchmarked_tasks())}, not {task.name!r}")
    if protocol is not None and protocol not in task.protocols:
        raise DarkroomError(f"the {task.name} benchmark's protocols are {', '.join(task.protocols)}, not {protocol!r}")
    chosen = task.protocols[protocol] if protocol else task.default_protocol
    for folder in folders:
        if not Path(folder).is_dir():
            raise DarkroomError(f"--data {folder} is not a folder")
    if weights is not None and len(models) != 1:
        raise DarkroomError(f"--weights belongs to one model; {len(models)} were given")
    ask = chosen.request or task.request  # what a model is told at a setting

    def resolve(model: str, setting: float) -> str:
        # a family name completed by the setting (bicubic → bicubic_x2), as the verb resolves it; asked
        # without the setting, so that a blind model, which refuses a user's σ, can still be scored,
        # unless the name needs it (arcnn → arcnn_q10: one model per quality)
        try:
            return choose_model(task, model, 3, ask(setting, False))
        except DarkroomError:
            return choose_model(task, model, 3, ask(setting, True))

    names = {(m, s): resolve(m, s) for m in models for s in settings}
    rows: list[BenchRow] = []
    # Only networks are ensembled: the classical peers run once, as their papers report them.
    runs = [(m, e) for m in models for e in (self_ensembles if get_card(names[(m, settings[0])]).learned else (1,))]
    for m, ensemble in runs:
        label = m if ensemble == 1 else f"{m} (self-ensemble ×{ensemble})"
        for folder in folders:
            folder = Path(folder)
            for setting in settings:
                name = names[(m, setting)]
                restorer = load(name, weights=weights, device=device)
                request = ask(setting, told)
                told_nothing = not chosen.setting_degrades and (restorer.spec.blind or not told)
                if told_nothing and setting != settings[0]:  # same input, nothing told: the first setting's run stands
                    result = next(r.result for r in rows if r.label == label and r.data == folder.name)
                else:
                    result = run_benchmark(task, folder, name, _restore_with(task, restorer, request, ensemble, device, run),
                                           setting=setting, protocol=chosen, seed=seed, limit=limit,
                                           channels=1 if gray else None)
                row = BenchRow(label, name, folder.name, setting, sum(p.numel() for p in restorer.net.parameters()), result)
                rows.append(row)
                if on_result:
                    on_result(row)
    return rows


def _restore_with(task: Task, restorer: Restorer, request, ensemble: int, device, run: dict):
    def restore(x: torch.Tensor) -> torch.Tensor:
        return run_model(task, restorer, gray_as_color(restorer.spec, x), request, device=device, self_ensemble=ensemble, **run)

    return restore


def _benchmarked_tasks() -> list[str]:
    from darkroom.tasks import TASKS

    return [name for name, t in TASKS.items() if t.protocols]
