"""What every command shares: output formats, date options, and one-line error reporting."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from masterycheck.errors import ExitCode, InputError

if TYPE_CHECKING:
    from masterycheck.outputs.terminal import InertConsole


class OutputFormat(StrEnum):
    """How a command reports."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Report as text (terminal), json or markdown."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Assess as of this date (YYYY-MM-DD) instead of today.",
        show_default=False,
    ),
]

P = ParamSpec("P")
R = TypeVar("R")


def error_line(error: InputError) -> str:
    """The one line printed for a user's mistake: control characters and line breaks from a
    file name, heading or option value are shown, never obeyed."""
    from masterycheck.outputs.terminal import one_line

    return f"masterycheck: error: {one_line(error.one_line())}"


def os_error(error: OSError) -> InputError:
    """An operating-system error (disk full, no permission, a vanished file) as one line."""
    reason = error.strerror or str(error) or type(error).__name__
    where = error.filename if isinstance(error.filename, str | bytes) else None
    if isinstance(where, bytes):
        where = os.fsdecode(where)
    return InputError(reason[:1].lower() + reason[1:], where=where)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a user's mistake, or an operating-system error, into one line on stderr and exit
    code 2, never a traceback. The command runs with a fresh record of the files it reads."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from masterycheck.protected_files import reading

        try:
            with reading():
                return command(*args, **kwargs)
        except InputError as error:
            typer.echo(error_line(error), err=True)
            raise typer.Exit(ExitCode.BAD_INPUT) from None
        except OSError as error:  # after every temporary file has been removed
            if isinstance(error, BrokenPipeError):
                raise
            typer.echo(error_line(os_error(error)), err=True)
            raise typer.Exit(ExitCode.BAD_INPUT) from None

    return wrapper


def parse_as_of(text: str | None) -> dt.date:
    """The --as-of date, or today."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            "expected a date as YYYY-MM-DD, e.g. 2026-03-01", where="--as-of"
        ) from None


def console(*, stderr: bool = False) -> InertConsole:
    """A rich console on stdout (or stderr) that prints data as inert text (no markup, control
    characters made visible); honours NO_COLOR and non-terminals."""
    from masterycheck.outputs.terminal import InertConsole

    plain = bool(os.environ.get("NO_COLOR"))
    return InertConsole(
        stderr=stderr, highlight=False, soft_wrap=False, color_system=None if plain else "auto"
    )


# json.dumps(ensure_ascii=False) escapes C0 controls but leaves DEL, the C1 controls (CSI is
# U+009B) and the line separators raw; inside JSON strings (the only place they can occur) the
# \u escape means the same, and a terminal showing the JSON never obeys them.
_JSON_RAW_CONTROLS = {code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}


def print_json(data: object) -> None:
    """Write data as indented JSON to stdout, every control character escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text.translate(_JSON_RAW_CONTROLS) + "\n")
