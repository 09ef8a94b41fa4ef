"""Recognition (image classification): the task record (``RECOGNIZE``); its verb is ``darkroom classify``. Its models map an image to class
scores (``darkroom.recognize``); the shipped ones are the MNIST classifiers of survey 002's
examples, and ``darkroom train-classifier`` trains new ones from folders."""

from __future__ import annotations

from darkroom.tasks.record import Task

RECOGNIZE = Task(
    name="recognize",
    noun="a classifier",
    summary="name what an image shows (class scores)",
    image_to_image=False,
)
