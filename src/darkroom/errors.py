"""The one exception type darkroom raises for problems a user can fix.

The CLI prints ``DarkroomError`` messages as a single line and exits non-zero;
anything else is a bug and is reported as such.
"""


class DarkroomError(Exception):
    """A problem with the user's input, arguments or environment, with a one-line explanation."""


class ImageReadError(DarkroomError):
    """An image file could not be decoded."""


class ContractError(DarkroomError, ValueError):
    """An array or tensor does not follow darkroom's array contract."""
