"""MNIST classifiers under the project's split: first 8,000 test-split images to train (of
which a seeded 10 % validate), last 2,000 to test. Trains the default (small_resnet) and
survey 002's CNN, then survey 000's over-fitting demonstration: 500 training images,
with and without augmentation. Writes docs/figures/mnist_*.png, the shipped classifiers
src/darkroom/zoo/weights/mnist_{small_resnet,survey_cnn}.safetensors and benchmarks/results/mnist.json.

    python benchmarks/mnist_classifiers.py            # ~40 min on 2 CPU cores
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


from darkroom.io import LabeledArrays, read_mnist, write_bytes_atomic
from darkroom.recognize import confusion_matrix, evaluate, save_classifier, split, to_tensors, train_classifier
from darkroom.recognize.report import plot_confusion, plot_histories
from darkroom.train import data_root

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "figures"


def main(epochs: int = 12, subset_epochs: int = 40) -> None:
    d = read_mnist(data_root() / "MNIST")
    train_pool = LabeledArrays(d.images[:8000], d.labels[:8000], d.classes)
    test = LabeledArrays(d.images[8000:], d.labels[8000:], d.classes)
    x_test, y_test = to_tensors(test)
    train_set, val_set = split(train_pool, 0.1, seed=0)
    results, histories = {}, {}
    for arch, lr in (("small_resnet", 3e-3), ("survey_cnn", 1e-3)):
        t0 = time.perf_counter()
        c, h = train_classifier(train_set, val_set, arch=arch, epochs=epochs, lr=lr, augmentation="digits", seed=0)
        loss, accuracy, predicted = evaluate(c, x_test, y_test)
        results[arch] = {"test_accuracy": accuracy, "test_loss": loss, "epochs": epochs, "seed": 0,
                         "train_s": round(time.perf_counter() - t0, 1),
                         "parameters": sum(p.numel() for p in c.net.parameters()),
                         "history": h.__dict__}
        histories[arch] = h
        print(arch, results[arch]["test_accuracy"], results[arch]["train_s"], flush=True)
        save_classifier(ROOT / f"src/darkroom/zoo/weights/mnist_{arch}.safetensors", c)
        if arch == "small_resnet":
            plot_confusion(confusion_matrix(y_test, predicted, 10), d.classes, FIGURES / "mnist_confusion.png")
    plot_histories(histories, FIGURES / "mnist_curves.png")

    # Survey 000's point: with few examples a CNN memorises them; augmentation delays that.
    small = LabeledArrays(train_set.images[:500], train_set.labels[:500], d.classes)
    subset_histories = {}
    for label, preset in (("500 images, no augmentation", None), ("500 images, augmented", "digits")):
        t0 = time.perf_counter()
        c, h = train_classifier(small, val_set, arch="survey_cnn", epochs=subset_epochs, lr=1e-3, batch=50,
                                augmentation=preset, seed=0, progress=False)
        loss, accuracy, _ = evaluate(c, x_test, y_test)
        results[label] = {"test_accuracy": accuracy, "test_loss": loss, "final_train_accuracy": h.train_accuracy[-1],
                          "final_val_loss": h.val_loss[-1], "best_val_loss": min(h.val_loss),
                          "train_s": round(time.perf_counter() - t0, 1), "history": h.__dict__}
        subset_histories[label] = h
        print(label, accuracy, flush=True)
    plot_histories(subset_histories, FIGURES / "mnist_overfitting.png")
    out = ROOT / "benchmarks" / "results" / "mnist.json"
    out.parent.mkdir(exist_ok=True)
    write_bytes_atomic(out, json.dumps(results, indent=1).encode())
    for name, r in results.items():
        print(f"| {name} | {r['test_accuracy']:.2%} | {r['train_s']:.0f} s |")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
