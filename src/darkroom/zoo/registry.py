"""The model zoo: an explicit registry of named models and their cards.

Each entry is a ``ModelCard``: the network family (``darkroom.nets.FAMILIES``, or a
classical method) and its keyword arguments, the
descriptor the engine needs, where the weights are and how they were made (data,
recipe, steps, wall time) and what they score. Weights are ``.safetensors`` files
shipped inside the package, so loading never unpickles. Like torchvision's
registry, registering a name twice raises.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import torch
from torch import nn

from darkroom.engine import ModelSpec, Restorer, resolve_device
from darkroom.errors import DarkroomError
from darkroom.io import read_weights
from darkroom.nets import Family
from darkroom.tasks import TaskName


@dataclass(frozen=True)
class ModelCard:
    name: str
    summary: str
    build: Callable[..., nn.Module]
    kwargs: dict
    spec: ModelSpec
    weights: str | None = None  # file name under darkroom/zoo/weights
    data: str = ""
    recipe: str = ""
    steps: int = 0
    wall_time: str = ""
    scores: dict = field(default_factory=dict)
    license: str = "MIT"
    paper: str = ""

    @property
    def learned(self) -> bool:
        return self.weights is not None


    def markdown(self) -> str:
        """The card as Markdown, for ``darkroom models --card NAME`` and docs/models/."""
        lines = [f"# {self.name}", "", self.summary, "",
                 f"- architecture: `{_constructor(self.build)}({', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())})`",
                 f"- task: {self.spec.task}, scale ×{self.spec.scale}, channels {self.spec.in_channels or 'any'}"]
        for label, value in (("paper", self.paper), ("training data", self.data), ("recipe", self.recipe),
                             ("steps", self.steps or ""), ("wall time", self.wall_time),
                             ("weights", f"`darkroom/zoo/weights/{self.weights}` (stored in fp16, read back as fp32)"
                              if self.weights else "none (not learned)"),
                             ("precision", "--precision auto runs it in bf16 autocast where the CPU or GPU has bf16 "
                              "natively (it keeps the scores within 0.01 dB)" if self.spec.bf16 else
                              "--precision auto runs it in fp32 (bf16 was not measured to keep its scores)"
                              if self.learned else ""),
                             ("license", self.license)):
            if value:
                lines.append(f"- {label}: {value}")
        if self.scores:
            lines += ["", "| benchmark | score |", "|---|---|"] + [f"| {k} | {v} |" for k, v in self.scores.items()]
        return "\n".join(lines) + "\n"


def _constructor(build) -> str:
    cls = build.build if isinstance(build, Family) else build
    return f"{cls.__module__}.{cls.__name__}"


_REGISTRY: dict[str, ModelCard] = {}


def register(card: ModelCard) -> ModelCard:
    if card.name in _REGISTRY:
        raise ValueError(f"model {card.name!r} is already registered")
    _REGISTRY[card.name] = card
    return card


def is_registered(name: str) -> bool:
    return name in _REGISTRY


def list_models(task: str | None = None) -> list[ModelCard]:
    return [c for c in _REGISTRY.values() if task is None or c.spec.task == task]


def get_card(name: str) -> ModelCard:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise DarkroomError(f"unknown model {name!r}; known models: {known}") from None


def weights_path(file_name: str) -> Path:
    return Path(str(resources.files("darkroom.zoo") / "weights" / file_name))


def load_state(path: str | Path) -> tuple[dict[str, torch.Tensor], dict]:
    """Tensors (fp32) and metadata of a weight file or a training checkpoint (``darkroom.io.read_weights``)."""
    return read_weights(path)


def spec_for(family: Family, kwargs: dict, task: TaskName, channels: int, **policy) -> ModelSpec:
    """The descriptor of ``family(**kwargs)``: its geometry comes from the family, said once there."""
    g = family.geometry_of(kwargs)
    return ModelSpec(task, channels, channels, size_multiple=g.size_multiple, receptive_radius=g.receptive_radius, **policy)


def build_model(card: ModelCard, *, weights: str | Path | None = None) -> nn.Module:
    """Instantiate ``card``'s network in eval mode, with its shipped weights (or ``weights``)."""
    net = card.build(**card.kwargs)
    source = weights or (weights_path(card.weights) if card.weights else None)
    if source is not None:
        state, _ = load_state(source)
        try:
            missing, unexpected = net.load_state_dict(state, strict=False)
        except RuntimeError as exc:  # same names, other shapes
            raise DarkroomError(f"weights for {card.name} do not fit its architecture ({str(exc).splitlines()[-1].strip()})") from None
        if missing or unexpected:
            raise DarkroomError(f"weights for {card.name} do not fit its architecture (missing {missing[:3]}, unexpected {unexpected[:3]})")
    return net.eval()


def load(name: str, *, weights: str | Path | None = None, device: str | torch.device | None = None) -> Restorer:
    """A ready-to-call ``Restorer`` for the named model, its weights on ``device`` (default: the CPU).

    >>> load("bicubic_x2")(torch.rand(1, 3, 8, 8)).shape
    torch.Size([1, 3, 16, 16])
    """
    card = get_card(name)
    net = build_model(card, weights=weights)
    if device is not None:
        net.to(resolve_device(device))
    return Restorer(net, card.spec)


@lru_cache(maxsize=32)
def load_shared(name: str, device: str | None = None) -> Restorer:
    """``load(name, device=device)``, built once per process and device: a ``Restorer`` is immutable, so threads may share it."""
    return load(name, device=device)
