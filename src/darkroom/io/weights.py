"""Weight files: the one place darkroom reads and writes them.

* ``.safetensors`` (darkroom's own, and others'): never unpickled. Shipped weights may be
  stored in fp16 to keep the package small; every floating tensor is read back as fp32,
  the precision the networks run in (the stored precision's effect on the scores is measured
  in ``docs/lab/weights.md``).
* ``.pt``/``.pth`` from PyTorch, loaded with ``weights_only=True`` (tensors only; a pickle
  that tries to build any other object is refused by PyTorch instead of run). A darkroom
  training checkpoint (``checkpoint.pt``) gives its EMA weights, the ones a finished run
  exports, unless the network has batch normalisation and the checkpoint was not written
  right after a validation: between validations the EMA copy holds the live network's
  running statistics, which do not fit averaged weights (a colour FFDNet checkpoint lost
  several dB that way), so the live weights are read instead. The trainer re-estimates the
  EMA's statistics to validate, and marks the checkpoint it writes then ``ema_calibrated``.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from darkroom.errors import DarkroomError
from darkroom.io.image import write_bytes_atomic

STORED_DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}


def _as_fp32(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v.float() if v.is_floating_point() and v.dtype != torch.float32 else v for k, v in state.items()}


def read_weights(path: str | Path) -> tuple[dict[str, torch.Tensor], dict]:
    """The tensors (floating ones as fp32) and the metadata of a weight file.

    The metadata of a safetensors file is JSON-decoded where it holds JSON; a training
    checkpoint's is the step reached and which weights were read (``ema`` or ``live``).
    """
    path = Path(path)
    if not path.is_file():
        raise DarkroomError(f"weights file {path} not found (it is missing; reinstall darkroom or retrain the model)")
    if path.suffix not in (".pt", ".pth"):
        from safetensors import safe_open
        from safetensors.torch import load_file

        try:
            with safe_open(str(path), framework="pt") as f:
                meta = f.metadata() or {}
            tensors = load_file(str(path))
        except Exception as exc:  # SafetensorError and friends: the header did not parse
            raise DarkroomError(f"{path} is not a safetensors file ({str(exc).splitlines()[0][:80]})") from None
        return _as_fp32(tensors), {k: json.loads(v) if v[:1] in "[{" else v for k, v in meta.items()}
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # a truncated or foreign file: one line, not a traceback
        kind = "darkroom training checkpoint" if path.suffix == ".pt" else "PyTorch weights file"
        raise DarkroomError(f"cannot read weights {path}: not a {kind} ({type(exc).__name__})") from None
    if isinstance(state, dict) and ("ema" in state or "model" in state):  # a darkroom training checkpoint
        weights, kind = state.get("ema", state.get("model")), "ema"
        if not isinstance(weights, dict):
            raise DarkroomError(f"{path} is not a darkroom training checkpoint (no model weights in it)")
        uncalibrated = any(k.endswith("running_mean") for k in weights) and not state.get("ema_calibrated", False)
        if uncalibrated and isinstance(state.get("model"), dict):
            weights, kind = state["model"], "live"
        return _as_fp32(weights), {"step": state.get("step"), "weights": kind}
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        if path.suffix == ".pt":
            raise DarkroomError(f"{path} is not a darkroom training checkpoint (no model weights in it)")
        raise DarkroomError(f"{path} does not hold a state dict of tensors")
    return _as_fp32(state), {}


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """Only the tensors of :func:`read_weights` (for other projects' weights, e.g. torchvision's VGG-19)."""
    return read_weights(path)[0]


def write_weights(path: str | Path, tensors: dict[str, torch.Tensor], metadata: dict | None = None, *,
                  dtype: str = "fp32") -> None:
    """Write ``tensors`` as safetensors, atomically; floating tensors stored as ``dtype``
    (fp32, fp16 or bf16); metadata values that are not strings are JSON-encoded."""
    if dtype not in STORED_DTYPES:
        raise DarkroomError(f"weights are stored as fp32, fp16 or bf16, not {dtype!r}")
    from safetensors.torch import save as safetensors_bytes

    stored = {k: (v.to(STORED_DTYPES[dtype]) if v.is_floating_point() else v).detach().contiguous().cpu()
              for k, v in tensors.items()}
    meta = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (metadata or {}).items()}
    write_bytes_atomic(Path(path), safetensors_bytes(stored, metadata=meta))
