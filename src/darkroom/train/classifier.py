"""Training a classifier on labelled arrays already in memory, through the one loop
(``darkroom.train.loop``) and its ``classifier`` objective: the surveys' Keras ``model.fit``
(mini-batches of augmented images, cross-entropy, AdamW with a one-cycle learning rate,
Smith & Topin 2019, and after every epoch the loss and accuracy on training and validation
examples). ``darkroom train-classifier`` and the over-fitting demonstration of
``benchmarks/mnist_classifiers.py`` train this way; a shipped classifier trains from its
recipe (``recipes/mnist_*.toml``) with ``darkroom train``.
"""

from __future__ import annotations

import json
from pathlib import Path

from darkroom.io import LabeledArrays
from darkroom.recognize.classifier import Classifier, load_classifier
from darkroom.recognize.train import History
from darkroom.tasks import RECOGNIZE
from darkroom.train.loop import train
from darkroom.train.objectives import classifier
from darkroom.train.recipe import Recipe


def classifier_recipe(name: str, *, examples: int, arch: str = "small_resnet", epochs: int = 15, batch: int = 64,
                      lr: float = 3e-3, weight_decay: float = 5e-4, augmentation: str | None = "classify", seed: int = 0,
                      arch_kwargs: dict | None = None) -> Recipe:
    """The recipe of ``epochs`` passes over ``examples`` training examples, validated after each."""
    per_epoch = max(1, examples // batch)  # the last partial batch is dropped, as BatchNorm wants
    steps = epochs * per_epoch
    return Recipe(name=name, arch=arch, arch_kwargs=arch_kwargs or {}, task=RECOGNIZE.name, objective="classifier",
                  objective_kwargs={"augment": augmentation}, batch=min(batch, examples), steps=steps, lr=lr,
                  schedule="onecycle", weight_decay=weight_decay, ema=0.0, warmup=0, grad_clip=0.0, seed=seed,
                  checkpoint_every=per_epoch, val_every=per_epoch, log_every=max(1, min(20, per_epoch)))


def train_classifier(train_set: LabeledArrays, val_set: LabeledArrays, out_dir: Path, *, arch: str = "small_resnet",
                     epochs: int = 15, batch: int = 64, lr: float = 3e-3, weight_decay: float = 5e-4,
                     augmentation: str | None = "classify", seed: int = 0, progress: bool = True,
                     arch_kwargs: dict | None = None, device: str | None = None) -> tuple[Classifier, History]:
    """Train on ``train_set``, validating on ``val_set`` after every epoch; the run (checkpoint,
    log, exported classifier) goes to ``out_dir`` and resumes from it."""
    r = classifier_recipe(Path(out_dir).name or "classifier", examples=len(train_set.labels), arch=arch, epochs=epochs,
                          batch=batch, lr=lr, weight_decay=weight_decay, augmentation=augmentation, seed=seed,
                          arch_kwargs=arch_kwargs)
    weights = train(r, Path(out_dir), progress=progress, device=device,
                    objective=lambda recipe, dev: classifier(recipe, dev, data=(train_set, val_set)))
    records = [json.loads(line) for line in (Path(out_dir) / "log.jsonl").read_text().splitlines() if line]
    return load_classifier(weights), History.from_log(records, r.steps // epochs)
