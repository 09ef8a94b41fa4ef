"""The verbs users call. Each chooses a model, prepares the input, and calls the engine."""

from darkroom.tasks.denoise import denoise
from darkroom.tasks.stylize import stylize
from darkroom.tasks.upscale import upscale

__all__ = ["denoise", "stylize", "upscale"]
