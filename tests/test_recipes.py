"""Every recipe in recipes/ trains for two steps and exports weights (recipes cannot rot)."""

from pathlib import Path

import pytest
from safetensors.torch import load_file

from darkroom.nets import FAMILIES
from darkroom.train import Recipe, train
from darkroom.train.checkpoint import export_weights

RECIPES = sorted((Path(__file__).resolve().parent.parent / "recipes").glob("*.toml"))


def test_there_are_recipes():
    assert len(RECIPES) >= 5


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.stem)
def test_recipe_runs(path, tmp_path, data):
    r = Recipe.from_toml(path)
    for folder in r.train:
        data(folder)
    assert r.arch in FAMILIES and r.name == path.stem
    init = None
    if r.init:  # a recipe that fine-tunes other weights (another scale's, or a shipped model's); stand them in with fresh ones
        kwargs = {**r.arch_kwargs, "scale": 3 if r.scale != 3 else 2} if r.scale > 1 else r.arch_kwargs
        init = tmp_path / "init.safetensors"
        export_weights(init, FAMILIES[r.arch](**kwargs), {})
    small = Recipe.from_toml(path, steps=2, batch=2, val_every=2, checkpoint_every=2, log_every=1, val_holdout=1,
                             val_crop=48, init=str(init) if init else None)
    weights = train(small, tmp_path, progress=False)
    assert weights.exists() and load_file(str(weights))
