"""The tasks, one record each (``darkroom.tasks.record.Task``), in one explicit table.

Adding a task is one module here with its record, one line in ``TASKS`` and one name in
``TaskName``; the CLI verbs, ``darkroom bench``, the trainer's validation and the zoo read
the record, and no other code names the task.
"""

from typing import Literal, get_args

from darkroom.tasks.deblur import DEBLUR
from darkroom.tasks.dehaze import DEHAZE
from darkroom.tasks.dejpeg import DEJPEG
from darkroom.tasks.denoise import DENOISE
from darkroom.tasks.enhance import ENHANCE
from darkroom.tasks.record import Protocol, Task
from darkroom.tasks.recognize import RECOGNIZE
from darkroom.tasks.sample import SAMPLE
from darkroom.tasks.stylize import STYLIZE
from darkroom.tasks.upscale import UPSCALE

TaskName = Literal["denoise", "upscale", "dejpeg", "deblur", "dehaze", "enhance", "stylize", "recognize", "sample"]

TASKS: dict[str, Task] = {t.name: t for t in (DENOISE, UPSCALE, DEJPEG, DEBLUR, DEHAZE, ENHANCE, STYLIZE, RECOGNIZE, SAMPLE)}

assert set(TASKS) == set(get_args(TaskName)), "TaskName and TASKS must list the same tasks"


def get_task(name: str) -> Task:
    """The record of the task called ``name``, or a one-line error listing the tasks."""
    from darkroom.errors import DarkroomError

    try:
        return TASKS[name]
    except KeyError:
        raise DarkroomError(f"unknown task {name!r}; choose from {', '.join(TASKS)}") from None


__all__ = ["DEBLUR", "DEHAZE", "DEJPEG", "DENOISE", "ENHANCE", "Protocol", "RECOGNIZE", "SAMPLE", "STYLIZE", "TASKS", "Task", "TaskName", "UPSCALE", "get_task"]
