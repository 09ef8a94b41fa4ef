"""Atomic checkpoints and safetensors export.

Checkpoints hold model, EMA and optimiser state plus the step; they are written to a
temporary file and renamed, so a ``kill -9`` at any moment leaves the previous
checkpoint intact. They are loaded with ``weights_only=True`` (no arbitrary
unpickling). They are training state: runs write them under ``runs/`` (or
``$DARKROOM_RUNS``), never into the repository. Shipped weights are exported as
``.safetensors`` with the recipe in the metadata, through ``darkroom.io.write_weights``.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch
from darkroom.errors import DarkroomError
from darkroom.io import read_weights, write_bytes_atomic, write_weights


def save_checkpoint(path: Path, state: dict) -> None:
    buf = io.BytesIO()
    torch.save(state, buf)
    write_bytes_atomic(path, buf.getvalue())


def load_checkpoint(path: Path) -> dict | None:
    if not path.exists():
        return None
    return torch.load(path, map_location="cpu", weights_only=True)


def export_weights(path: Path, model: torch.nn.Module, metadata: dict) -> None:
    """Write the model's state dict as safetensors (fp32); metadata values are JSON-encoded."""
    write_weights(path, model.state_dict(), metadata)


def resolve_init(init: str | Path) -> Path:
    """The weight file a recipe's ``init`` names: ``zoo:NAME`` is a shipped model's weights
    (a run that continues a shipped model starts from them), anything else a path."""
    text = str(init)
    if text.startswith("zoo:"):
        from darkroom.zoo import get_card, weights_path

        card = get_card(text.removeprefix("zoo:"))
        if not card.learned:
            raise DarkroomError(f"init {text}: {card.name} has no weights")
        return weights_path(card.weights)
    return Path(text)


def init_from_weights(model: torch.nn.Module, init: str | Path) -> list[str]:
    """Copy every tensor of the weights ``init`` names (a path, or ``zoo:NAME``) whose name and
    shape match into ``model``.

    This is FSRCNN's fine-tuning recipe (Dong et al. 2016): a body trained at one scale
    starts another scale, and the scale-specific upsampler stays freshly initialised.
    Returns the names that were left fresh.
    """
    path = resolve_init(init)
    if not path.exists():
        raise DarkroomError(f"init weights {path} not found")
    source, _ = read_weights(path)
    own = model.state_dict()
    matched = {k: v for k, v in source.items() if k in own and own[k].shape == v.shape}
    if not matched:
        raise DarkroomError(f"init weights {path} share no tensor with this architecture")
    model.load_state_dict(matched, strict=False)
    return sorted(set(own) - set(matched))
