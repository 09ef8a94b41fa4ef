"""Reading other projects' weight files: ``.safetensors``, or PyTorch ``.pth``/``.pt``
loaded with ``weights_only=True`` (tensors only; a pickle that tries to build any other
object is refused by PyTorch instead of run)."""

from __future__ import annotations

from pathlib import Path

import torch

from darkroom.errors import DarkroomError


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    path = Path(path)
    if not path.is_file():
        raise DarkroomError(f"weights {path} not found")
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            state = load_file(str(path))
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # each format raises its own error types
        raise DarkroomError(f"cannot read weights {path}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise DarkroomError(f"{path} does not hold a state dict of tensors")
    return state
