"""Time and peak memory of one verb on one large photo, each run in a fresh process (dehaze.py
and enhance.py ``large``): Linux carries a process's high-water mark across exec, so the photo is
made in one process and every model runs in another that reports its own peak."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = """
import resource, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
import darkroom.verbs
verb = getattr(darkroom.verbs, sys.argv[2])
image = np.load(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
out = verb(image, model=sys.argv[3])
seconds = time.perf_counter() - t0
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, before / 2**20)
"""

MAKE = """
import sys
import numpy as np
sys.path.insert(0, sys.argv[2])
photo = getattr(__import__(sys.argv[3]), "photo")
np.save(sys.argv[1], photo(int(sys.argv[4])))
"""


def make_photo(path: Path, module: str, pixels: int) -> None:
    """``module.photo(pixels)`` (a benchmark module beside this one) saved to ``path`` by another process."""
    subprocess.run([sys.executable, "-c", MAKE, str(path), str(Path(__file__).parent), module, str(pixels)], check=True)


def run(path: Path, verb: str, model: str) -> tuple[float, float, float]:
    """(seconds, peak GiB, GiB after reading the photo) of ``darkroom.verbs.<verb>(photo, model=model)``."""
    done = subprocess.run([sys.executable, "-c", RUN, str(path), verb, model], capture_output=True, text=True, check=True)
    seconds, peak, before = (float(v) for v in done.stdout.split()[-3:])
    return seconds, peak, before
