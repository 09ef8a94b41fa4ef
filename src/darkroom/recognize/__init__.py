"""Image recognition: the surveys' CNN classifiers, trained from a folder per class, MNIST or CIFAR-10
(by the one training loop: ``darkroom.train.train_classifier``).

>>> from darkroom.nets import SurveyCNN
>>> sum(p.numel() for p in SurveyCNN().parameters())  # survey 002's printed summary
1250858
"""

from darkroom.recognize.classifier import Classifier, load_classifier, save_classifier
from darkroom.recognize.train import History, confusion_matrix, evaluate, split, to_tensors

__all__ = [
    "Classifier", "History", "confusion_matrix", "evaluate", "load_classifier", "save_classifier", "split",
    "to_tensors",
]
