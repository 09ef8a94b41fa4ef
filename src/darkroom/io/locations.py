"""Where darkroom finds the shared data sets on disk."""

from __future__ import annotations

import os
from pathlib import Path


def data_root() -> Path:
    """Where the shared data sets live: ``$DARKROOM_DATA``, else ``../shared/data`` beside the checkout."""
    env = os.environ.get("DARKROOM_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"
