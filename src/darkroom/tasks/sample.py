"""Sampling new images from a generative model: the task record (``SAMPLE``). Its models
map random codes to images (``darkroom.generate``): the MNIST VAE (Kingma & Welling 2014)
and DCGAN (Radford et al. 2016)."""

from __future__ import annotations

from darkroom.tasks.record import Task

SAMPLE = Task(
    name="sample",
    noun="a generative model",
    summary="draw new images from a generative model",
    image_to_image=False,
)
