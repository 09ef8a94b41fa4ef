"""Training an image classifier, readable top to bottom.

The loop the surveys teach with Keras' ``model.fit``: mini-batches of augmented images,
cross-entropy, an optimiser (AdamW with a one-cycle learning rate, Smith & Topin 2019),
and after every epoch the loss and accuracy on the training and validation sets, kept
in a history for the curves that show over-fitting. Every random draw (split, order,
augmentation, initial weights) comes from ``seed``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from darkroom.augment import PRESETS, augment
from darkroom.errors import DarkroomError
from darkroom.io import LabeledArrays
from darkroom.nets import CLASSIFIERS
from darkroom.recognize.classifier import Classifier


@dataclass
class History:
    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)


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
    losses, predictions = [], []
    for i in range(0, len(images), batch):
        logits = c.net(c.normalize(images[i : i + batch].float() / 255))
        losses.append(F.cross_entropy(logits, labels[i : i + batch], reduction="sum"))
        predictions.append(logits.argmax(1))
    predicted = torch.cat(predictions)
    return float(sum(losses)) / len(images), float((predicted == labels).float().mean()), predicted


def train_classifier(train: LabeledArrays, val: LabeledArrays, *, arch: str = "small_resnet", epochs: int = 15,
                     batch: int = 64, lr: float = 3e-3, weight_decay: float = 5e-4, augmentation: str | None = "classify",
                     seed: int = 0, progress: bool = True, arch_kwargs: dict | None = None) -> tuple[Classifier, History]:
    if arch not in CLASSIFIERS:
        raise DarkroomError(f"unknown classifier {arch!r}; choose from {', '.join(CLASSIFIERS)}")
    if augmentation is not None and augmentation not in PRESETS:
        raise DarkroomError(f"unknown augmentation preset {augmentation!r}; choose from {', '.join(PRESETS)}")
    x_train, y_train = to_tensors(train)
    x_val, y_val = to_tensors(val)
    n, channels, size = x_train.shape[0], x_train.shape[1], x_train.shape[2]
    kwargs = {"channels": channels, "classes": len(train.classes), **(arch_kwargs or {})}
    if arch == "survey_cnn":
        kwargs["size"] = size
    torch.manual_seed(seed)
    net = CLASSIFIERS[arch](**kwargs)
    pixels = x_train.float() / 255
    c = Classifier(net, arch, kwargs, list(train.classes), size, channels, float(pixels.mean()), float(pixels.std()))

    steps_per_epoch = max(1, n // batch)  # the last partial batch is dropped, as BatchNorm wants
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * steps_per_epoch)
    g = torch.Generator().manual_seed(seed)
    history, t0 = History(), time.perf_counter()
    for epoch in range(1, epochs + 1):
        net.train()
        order = torch.randperm(n, generator=g)
        seen, loss_sum, correct = 0, 0.0, 0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch}/{epochs}", disable=not progress, leave=False)
        for step in bar:
            idx = order[step * batch : (step + 1) * batch]
            images = x_train[idx].float() / 255
            if augmentation:
                (images,) = augment([images], PRESETS[augmentation], generator=g)
            logits = net(c.normalize(images))
            loss = F.cross_entropy(logits, y_train[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            seen += len(idx)
            loss_sum += float(loss.detach()) * len(idx)
            correct += int((logits.argmax(1) == y_train[idx]).sum())
            bar.set_postfix(loss=f"{loss_sum / seen:.3f}", acc=f"{correct / seen:.3f}")
        val_loss, val_accuracy, _ = evaluate(c, x_val, y_val)
        history.epoch.append(epoch)
        history.train_loss.append(loss_sum / seen)
        history.train_accuracy.append(correct / seen)
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_accuracy)
        history.wall_s.append(time.perf_counter() - t0)
        if progress:
            tqdm.write(f"epoch {epoch}: train loss {loss_sum / seen:.4f} acc {correct / seen:.4f} · "
                       f"val loss {val_loss:.4f} acc {val_accuracy:.4f}")
    net.eval()
    return c, history


def confusion_matrix(labels: torch.Tensor, predicted: torch.Tensor, classes: int) -> np.ndarray:
    """Rows: true class, columns: predicted class."""
    return np.bincount((labels * classes + predicted).numpy(), minlength=classes * classes).reshape(classes, classes)
