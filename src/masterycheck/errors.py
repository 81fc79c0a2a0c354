"""The one error type for the user's mistakes, and the documented exit codes.

Everything the user can get wrong (a bad file, a bad option, a bad value) is raised as an
``InputError`` and printed once, as one line, by the command line. Anything else is a bug.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in the README and pinned by tests."""

    OK = 0  # success; for `check`, the verdict is eligible
    FAILURE = 1  # `test`: an example's verdict differed from the expected one
    BAD_INPUT = 2  # bad input file, bad option or value, usage error
    NOT_ELIGIBLE = 3  # `check`: at least one essential criterion is not met
    INCOMPLETE = 4  # `check`: no essential fails but an essential fact is unknown
    HANGUP = 129  # SIGHUP: the terminal closed (128 + 1, as a shell reports it)
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM: asked to stop (128 + 15)


class Terminated(BaseException):
    """Raised by the signal handler on SIGTERM or SIGHUP, so that every ``with`` block and
    ``finally`` clause cleans up (temporary files, spools of applicants' data) exactly as on
    Ctrl-C. A ``BaseException``, like ``KeyboardInterrupt``: nothing catches it by accident.
    """

    def __init__(self, signal_number: int, name: str) -> None:
        super().__init__(name)
        self.signal_number = signal_number
        self.name = name

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process stopped by it."""
        return 128 + self.signal_number


class InputError(Exception):
    """A mistake in something the user gave us, reported as one line.

    ``where`` names the place (``file:line:column``, ``file: row 4, column "Email"``, or an
    option name); ``message`` says what is wrong without echoing the user's data; ``hint``
    optionally says what to do next.
    """

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def one_line(self) -> str:
        """The error as the single line the command line prints."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.one_line()


def place(path: str, line: int | None = None, column: int | None = None) -> str:
    """Format a file position as ``path:line:column`` (1-based), omitting what is unknown."""
    text = path
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text
