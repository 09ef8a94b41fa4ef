"""Figures of a classifier's training: accuracy and loss curves (survey 000's Figure 11) and
the confusion matrix. Drawn with matplotlib's Agg backend, written atomically."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from darkroom.io import write_bytes_atomic
from darkroom.recognize.train import History


def _figure_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def plot_histories(histories: dict[str, History], path: str | Path) -> None:
    """Accuracy (left) and loss (right) per epoch; solid = training, dashed = validation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (acc, loss) = plt.subplots(1, 2, figsize=(10, 3.8))
    for (label, h), color in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        acc.plot(h.epoch, h.train_accuracy, "-", color=color, label=f"{label} · train")
        acc.plot(h.epoch, h.val_accuracy, "--", color=color, label=f"{label} · validation")
        loss.plot(h.epoch, h.train_loss, "-", color=color)
        loss.plot(h.epoch, h.val_loss, "--", color=color)
    acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    loss.set(xlabel="epoch", ylabel="cross-entropy", title="loss", yscale="log")
    acc.legend(fontsize=8)
    for ax in (acc, loss):
        ax.grid(alpha=0.3)
    write_bytes_atomic(Path(path), _figure_bytes(fig))
    plt.close(fig)


def plot_confusion(matrix: np.ndarray, classes: list[str], path: str | Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(classes)
    fig, ax = plt.subplots(figsize=(1 + 0.45 * n, 1 + 0.45 * n))
    ax.imshow(matrix, cmap="Blues")
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    ax.set(xticks=range(n), yticks=range(n), xticklabels=classes, yticklabels=classes,
           xlabel="predicted", ylabel="true", title="confusion matrix")
    write_bytes_atomic(Path(path), _figure_bytes(fig))
    plt.close(fig)
