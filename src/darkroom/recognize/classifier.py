"""A trained classifier as one object: the network, its class names and its input contract.

Saved as ``.safetensors`` (never pickle) with the architecture, its keyword arguments,
the class names, the input size and channel count, and the normalisation mean/std in
the metadata, so ``load_classifier`` needs nothing but the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from darkroom.errors import DarkroomError
from darkroom.io import read_weights, write_weights
from darkroom.nets import CLASSIFIERS
from darkroom.ops import imresize, rgb_to_gray, to_batch


@dataclass(frozen=True)
class Classifier:
    net: nn.Module
    arch: str
    kwargs: dict
    classes: list[str]
    size: int
    channels: int
    mean: float
    std: float

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        """[0, 1] images → the network's input scale."""
        return (x - self.mean) / self.std

    def prepare(self, image: np.ndarray) -> torch.Tensor:
        """Any image of the array contract → one (1, C, size, size) normalised input.

        The shorter side is resized to ``size`` (antialiased) and the centre cropped, as
        the training images were.
        """
        x, _ = to_batch(image)
        if x.shape[1] == 4 or x.shape[1] == 2:
            x = x[:, :-1]
        if self.channels == 1 and x.shape[1] == 3:
            x = rgb_to_gray(x)
        elif self.channels == 3 and x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        h, w = x.shape[-2:]
        k = self.size / min(h, w)
        x = imresize(x, size=(max(self.size, round(h * k)), max(self.size, round(w * k))))
        h, w = x.shape[-2:]
        top, left = (h - self.size) // 2, (w - self.size) // 2
        return self.normalize(x[..., top : top + self.size, left : left + self.size].clamp(0, 1))

    @torch.no_grad()
    def top_k(self, image: np.ndarray, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` most probable classes of one image, with their probabilities."""
        self.net.eval()
        probs = torch.softmax(self.net(self.prepare(image)), dim=1)[0]
        values, indices = probs.topk(min(k, len(self.classes)))
        return [(self.classes[int(i)], float(v)) for v, i in zip(values, indices)]


def save_classifier(path: str | Path, c: Classifier) -> None:
    meta = {"arch": c.arch, "kwargs": json.dumps(c.kwargs), "classes": json.dumps(c.classes),
            "size": str(c.size), "channels": str(c.channels), "mean": repr(c.mean), "std": repr(c.std)}
    write_weights(path, c.net.state_dict(), meta)


def load_classifier(path: str | Path) -> Classifier:
    path = Path(path)
    if not path.exists():
        raise DarkroomError(f"classifier {path} not found")
    if path.suffix != ".safetensors":
        raise DarkroomError(f"{path} is not a darkroom classifier (.safetensors)")
    try:
        state, meta = read_weights(path)
    except DarkroomError as exc:
        raise DarkroomError(f"{path} is not a darkroom classifier (.safetensors): {exc}") from None
    if meta.get("arch") not in CLASSIFIERS:
        raise DarkroomError(f"{path} is not a darkroom classifier (architecture {meta.get('arch')!r})")
    kwargs = dict(meta["kwargs"])
    if "widths" in kwargs:
        kwargs["widths"] = tuple(kwargs["widths"])
    net = CLASSIFIERS[meta["arch"]](**kwargs)
    net.load_state_dict(state)
    return Classifier(net.eval(), meta["arch"], kwargs, list(meta["classes"]), int(meta["size"]),
                      int(meta["channels"]), float(meta["mean"]), float(meta["std"]))
