"""Shared fixtures: the data root (``$DARKROOM_DATA``, default ../shared/data) and small images."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch

from darkroom.cli import main
from darkroom.io import data_root

DATA = data_root()


def need(folder: str):
    path = DATA / folder
    if not path.is_dir():
        pytest.skip(f"{path} is missing; set DARKROOM_DATA to the shared data folder")
    return path


@pytest.fixture
def data():
    return need


@pytest.fixture
def rgb_uint8() -> np.ndarray:
    """A smooth, textured 48×64 color image (deterministic)."""
    yy, xx = np.mgrid[0:48, 0:64]
    r = 128 + 100 * np.sin(xx / 7.0)
    g = 128 + 100 * np.cos(yy / 5.0)
    b = (xx * 3 + yy * 2) % 256
    return np.clip(np.dstack([r, g, b]), 0, 255).astype(np.uint8)


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def run_cli(args, capsys):
    old = sys.argv
    sys.argv = ["darkroom", *map(str, args)]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cli(capsys):
    """Run ``darkroom ARGS...`` in-process; returns (exit code, stdout, stderr)."""
    return lambda *args: run_cli(args, capsys)
