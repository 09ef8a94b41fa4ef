"""MNIST classifiers under the project's split: the first 8,000 test-split digits train (a
seeded 10 % of them validate), the last 2,000 test. Scores the shipped classifiers, which
their recipes train, draws their learning curves from the kept run logs, and repeats survey
000's over-fitting demonstration: survey 002's CNN on 500 training digits, with and without
augmentation (trained here, through the same loop). Writes docs/figures/mnist_*.png and
benchmarks/results/mnist.json.

    darkroom train recipes/mnist_small_resnet.toml    # the shipped classifiers (their cards: time, machine)
    darkroom train recipes/mnist_survey_cnn.toml
    python benchmarks/mnist_classifiers.py           # scores them; the over-fitting runs take ~3 min
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

from darkroom.io import LabeledArrays, read_mnist, write_bytes_atomic
from darkroom.recognize import History, confusion_matrix, evaluate, load_classifier, split, to_tensors
from darkroom.recognize.report import plot_confusion, plot_histories
from darkroom.train import data_root, train_classifier
from darkroom.zoo import get_card, weights_path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "figures"
LOGS = ROOT / "docs" / "lab" / "logs"  # the shipped runs' logs, kept for their curves
STEPS_PER_EPOCH = 112  # 7,200 training digits in batches of 64 (recipes/mnist_*.toml)


def logged_history(name: str) -> History:
    with gzip.open(LOGS / f"{name}.jsonl.gz", "rt") as f:
        return History.from_log([json.loads(line) for line in f if line.strip()], STEPS_PER_EPOCH)


def main(subset_epochs: int = 40) -> None:
    d = read_mnist(data_root() / "MNIST")
    test = LabeledArrays(d.images[8000:], d.labels[8000:], d.classes)
    x_test, y_test = to_tensors(test)
    results, histories = {}, {}
    for arch in ("small_resnet", "survey_cnn"):
        name = f"mnist_{arch}"
        c = load_classifier(weights_path(get_card(name).weights))
        loss, accuracy, predicted = evaluate(c, x_test, y_test)
        histories[arch] = logged_history(name)
        results[name] = {"test_accuracy": accuracy, "test_loss": loss, "recipe": f"recipes/{name}.toml",
                         "parameters": sum(p.numel() for p in c.net.parameters()),
                         "train_s": histories[arch].wall_s[-1], "history": histories[arch].__dict__}
        print(name, f"{accuracy:.2%}", flush=True)
        if arch == "small_resnet":
            plot_confusion(confusion_matrix(y_test, predicted, 10), d.classes, FIGURES / "mnist_confusion.png")
    plot_histories(histories, FIGURES / "mnist_curves.png")

    # Survey 000's point: with few examples a CNN memorises them; augmentation delays that.
    train_set, val_set = split(LabeledArrays(d.images[:8000], d.labels[:8000], d.classes), 0.1, seed=0)
    small = LabeledArrays(train_set.images[:500], train_set.labels[:500], d.classes)
    subset_histories = {}
    with tempfile.TemporaryDirectory() as runs:
        for label, preset in (("500 images, no augmentation", None), ("500 images, augmented", "digits")):
            c, h = train_classifier(small, val_set, Path(runs) / str(len(subset_histories)), arch="survey_cnn",
                                    epochs=subset_epochs, lr=1e-3, batch=50, augmentation=preset, seed=0, progress=False)
            loss, accuracy, _ = evaluate(c, x_test, y_test)
            results[label] = {"test_accuracy": accuracy, "test_loss": loss, "final_train_accuracy": h.train_accuracy[-1],
                              "final_val_loss": h.val_loss[-1], "best_val_loss": min(h.val_loss),
                              "train_s": round(h.wall_s[-1], 1), "history": h.__dict__}
            subset_histories[label] = h
            print(label, f"{accuracy:.2%}", flush=True)
    plot_histories(subset_histories, FIGURES / "mnist_overfitting.png")
    out = ROOT / "benchmarks" / "results" / "mnist.json"
    out.parent.mkdir(exist_ok=True)
    write_bytes_atomic(out, json.dumps(results, indent=1).encode())
    for name, r in results.items():
        print(f"| {name} | {r['test_accuracy']:.2%} | {r['train_s']:.0f} s |")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
