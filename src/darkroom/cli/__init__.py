"""The ``darkroom`` command: thin commands over the task verbs, the benchmark and the trainers.

Every problem a user can fix is printed as one line (``error: ...``) with a non-zero
exit status; tracebacks are only shown with ``DARKROOM_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys

from darkroom.cli import restore, recognize, generate  # noqa: F401, I001  (each adds its commands to ``app``, in help order)
from darkroom.cli.app import app, err_console
from darkroom.errors import DarkroomError


def main() -> None:
    try:
        app()
    except DarkroomError as exc:
        err_console.print(f"error: {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line unless debugging
        if os.environ.get("DARKROOM_DEBUG"):
            raise
        err_console.print(f"error: internal error ({type(exc).__name__}: {exc}); rerun with DARKROOM_DEBUG=1 and report it",
                          highlight=False, soft_wrap=True)
        sys.exit(3)

