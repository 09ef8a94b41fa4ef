"""Training: recipes, on-the-fly paired data, and one readable loop."""

from darkroom.train.classifier import train_classifier
from darkroom.train.data import PairedPatches, load_folder_images
from darkroom.train.loop import learning_rate, train, update_ema
from darkroom.train.pixel import validate
from darkroom.train.recipe import Recipe, build_degradation, runs_root
from darkroom.io import data_root

__all__ = [
    "PairedPatches", "Recipe", "build_degradation", "data_root", "learning_rate",
    "load_folder_images", "runs_root", "train", "train_classifier", "update_ema", "validate",
]
