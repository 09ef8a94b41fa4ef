"""What training an image classifier needs around the one loop (``darkroom.train``, its
``classifier`` objective): labelled arrays as tensors, a seeded per-class split, evaluation
(loss, accuracy, predictions), the per-epoch history the over-fitting curves are drawn from,
and the confusion matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from darkroom.errors import DarkroomError
from darkroom.io import LabeledArrays
from darkroom.recognize.classifier import Classifier


@dataclass
class History:
    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)

    @classmethod
    def from_log(cls, records: list[dict], steps_per_epoch: int) -> History:
        """The epochs' scores from a training log's validation records (``darkroom.train``'s log.jsonl)."""
        h = cls()
        for rec in records:
            if "val_accuracy" in rec:
                h.epoch.append(round(rec["step"] / steps_per_epoch))
                for name in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "wall_s"):
                    getattr(h, name).append(rec[name])
        return h


def to_tensors(data: LabeledArrays) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 (N, H, W, C) → uint8 (N, C, H, W) tensor, and the labels."""
    return torch.from_numpy(np.ascontiguousarray(data.images.transpose(0, 3, 1, 2))), torch.from_numpy(data.labels)


def split(data: LabeledArrays, val_fraction: float, seed: int) -> tuple[LabeledArrays, LabeledArrays]:
    """A seeded random train/validation split that keeps every class on both sides."""
    if not 0 < val_fraction < 1:
        raise DarkroomError(f"validation fraction must be in (0, 1), got {val_fraction}")
    rng = np.random.default_rng(seed)
    val = []
    for c in range(len(data.classes)):
        members = np.flatnonzero(data.labels == c)
        if len(members) < 2:
            raise DarkroomError(f"class {data.classes[c]!r} has {len(members)} image(s); each class needs at least 2")
        val.extend(rng.permutation(members)[: max(1, round(len(members) * val_fraction))])
    mask = np.zeros(len(data.labels), bool)
    mask[val] = True

    def subset(m):
        return LabeledArrays(data.images[m], data.labels[m], data.classes)

    return subset(~mask), subset(mask)


@torch.no_grad()
def evaluate(c: Classifier, images: torch.Tensor, labels: torch.Tensor, batch: int = 500) -> tuple[float, float, torch.Tensor]:
    """Mean cross-entropy, accuracy, and the predicted labels."""
    c.net.eval()
    device = next(c.net.parameters()).device
    losses, predictions = [], []
    for i in range(0, len(images), batch):
        logits = c.net(c.normalize(images[i : i + batch].to(device).float() / 255)).float().cpu()
        losses.append(F.cross_entropy(logits, labels[i : i + batch], reduction="sum"))
        predictions.append(logits.argmax(1))
    predicted = torch.cat(predictions)
    return float(sum(losses)) / len(images), float((predicted == labels).float().mean()), predicted


def confusion_matrix(labels: torch.Tensor, predicted: torch.Tensor, classes: int) -> np.ndarray:
    """Rows: true class, columns: predicted class."""
    return np.bincount((labels * classes + predicted).numpy(), minlength=classes * classes).reshape(classes, classes)
