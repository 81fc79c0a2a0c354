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
    from rich.console import Console


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
    """The one line printed for a user's mistake."""
    return f"masterycheck: error: {error.one_line()}"


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a user's mistake into one line on stderr and exit code 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            typer.echo(error_line(error), err=True)
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


def console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr); honours NO_COLOR and non-terminals."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(
        stderr=stderr, highlight=False, soft_wrap=False, color_system=None if plain else "auto"
    )


def print_json(data: object) -> None:
    """Write data as indented JSON to stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
