"""Named, shipped models with their cards."""

from darkroom.zoo import catalog as _catalog  # noqa: F401  (fills the registry explicitly)
from darkroom.zoo.registry import (ModelCard, build_model, get_card, is_registered, list_models, load, load_shared, load_state, register,
                                   spec_for, weights_path)

__all__ = ["ModelCard", "build_model", "get_card", "is_registered", "list_models", "spec_for", "load", "load_shared", "load_state", "register", "weights_path"]
