"""Atomic checkpoints and safetensors export.

Checkpoints hold model, EMA and optimiser state plus the step; they are written to a
temporary file and renamed, so a ``kill -9`` at any moment leaves the previous
checkpoint intact. They are loaded with ``weights_only=True`` (no arbitrary
unpickling). Shipped weights are exported as ``.safetensors`` with the recipe in the
metadata.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import torch
from safetensors.torch import load_file
from safetensors.torch import save as safetensors_bytes

from darkroom.errors import DarkroomError
from darkroom.io import write_bytes_atomic


def save_checkpoint(path: Path, state: dict) -> None:
    buf = io.BytesIO()
    torch.save(state, buf)
    write_bytes_atomic(path, buf.getvalue())


def load_checkpoint(path: Path) -> dict | None:
    if not path.exists():
        return None
    return torch.load(path, map_location="cpu", weights_only=True)


def resume_run(path: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, schedule) -> tuple[int, float]:
    """Restore what :func:`save_run` wrote into the live objects; returns (step, elapsed seconds), (0, 0.0) for a new run."""
    state = load_checkpoint(path)
    if state is None:
        return 0, 0.0
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    # A run resumed with more steps keeps the new horizon (OneCycleLR fixes its phases at
    # construction); the saved state would otherwise stop it at the old one.
    horizon = {k: getattr(schedule, k) for k in ("total_steps", "_schedule_phases") if hasattr(schedule, k)}
    schedule.load_state_dict(state["schedule"])
    schedule.__dict__.update(horizon)
    return state["step"], state["elapsed"]


def save_run(path: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, schedule, step: int, elapsed: float) -> None:
    """Checkpoint a single-model run (model, optimiser, LR schedule, step, wall time) for :func:`resume_run`."""
    save_checkpoint(path, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                           "schedule": schedule.state_dict(), "step": step, "elapsed": elapsed})


def export_weights(path: Path, model: torch.nn.Module, metadata: dict) -> None:
    """Write the model's state dict as safetensors; metadata values are JSON-encoded."""
    tensors = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    meta = {k: v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()}
    write_bytes_atomic(path, safetensors_bytes(tensors, metadata=meta))


def init_from_weights(model: torch.nn.Module, path: Path) -> list[str]:
    """Copy every tensor of ``path`` whose name and shape match into ``model``.

    This is FSRCNN's fine-tuning recipe (Dong et al. 2016): a body trained at one scale
    starts another scale, and the scale-specific upsampler stays freshly initialised.
    Returns the names that were left fresh.
    """
    if not path.exists():
        raise DarkroomError(f"init weights {path} not found")
    source = load_file(str(path))
    own = model.state_dict()
    matched = {k: v for k, v in source.items() if k in own and own[k].shape == v.shape}
    if not matched:
        raise DarkroomError(f"init weights {path} share no tensor with this architecture")
    model.load_state_dict(matched, strict=False)
    return sorted(set(own) - set(matched))
