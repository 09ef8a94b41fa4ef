"""The ``darkroom`` command: thin commands over the task verbs, the benchmark and the trainers.

Every problem a user can fix is printed as one line (``error: ...``) with a non-zero
exit status; tracebacks are only shown with ``DARKROOM_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys

from darkroom.cli import restore, recognize, generate  # noqa: F401, I001  (each adds its commands to ``app``, in help order)
import typer

from darkroom.cli.app import OUT_OF_MEMORY, app, err_console, is_out_of_memory, out_console
from darkroom.errors import DarkroomError


def one_line(text: str) -> str:
    """A message as one line: a library's multi-line message is joined, never boxed."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def main() -> None:
    try:
        code = app(standalone_mode=False)  # usage errors come back here, not as Click's boxed panel
    except typer.Abort:
        err_console.print("interrupted")
        sys.exit(130)
    except DarkroomError as exc:
        err_console.print(f"error: {one_line(exc)}")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``darkroom`` or ``darkroom train``: the help
            out_console.print(exc.ctx.get_help())
            sys.exit(0)
        if _is_usage_error(exc):  # a bad option value, an unknown option, a missing argument
            err_console.print(f"error: {one_line(exc.format_message())} (darkroom {_command(exc)}--help lists the options)")
            sys.exit(1)
        if is_out_of_memory(exc):
            err_console.print(f"error: {OUT_OF_MEMORY}")
            sys.exit(1)
        if os.environ.get("DARKROOM_DEBUG"):  # a bug: say so in one line unless debugging
            raise
        err_console.print(f"error: internal error ({type(exc).__name__}: {one_line(exc)}); rerun with DARKROOM_DEBUG=1 "
                          "and report it")
        sys.exit(3)
    sys.exit(code or 0)


def _is_usage_error(exc: Exception) -> bool:
    # Click's UsageError, which Typer vendors in recent releases: known by its shape, not a private import
    return callable(getattr(exc, "format_message", None)) and getattr(exc, "exit_code", None) == 2


def _command(exc) -> str:
    ctx = getattr(exc, "ctx", None)
    name = ctx.info_name if ctx is not None and ctx.parent is not None else ""
    return f"{name} " if name else ""
