"""What every command shares: output formats, date options, one-line error reporting, and
the way to the reporters."""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, ParamSpec, TextIO, TypeVar

import typer

from masterycheck.errors import ExitCode, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from masterycheck.core.results import Assessment
    from masterycheck.outputs.terminal import InertConsole
    from masterycheck.reporters.registry import Listing, Reporter


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
    from masterycheck.outputs.inert_text import one_line

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


def print_json(data: object) -> None:
    """Write data as indented JSON to stdout, every control character escaped."""
    from masterycheck.reporters.json_report import json_text

    sys.stdout.write(json_text(data) + "\n")


def _std_fileno(stream: object, default: int) -> int:
    try:
        return int(stream.fileno())  # type: ignore[attr-defined]
    except Exception:  # what rich does: any stream without a usable descriptor
        return default


def plain_width(
    environ: Mapping[str, str] | None = None, *, stream: TextIO | None = None
) -> int | None:
    """The width rich lays text out to on stdout (or on ``stream``: ``sys.stderr`` for a
    ``Console(stderr=True)``) when it writes it plain, because the stream is not a terminal
    (no colour, no style, no control code); None when rich would see a terminal, or in a
    setting this does not follow (Windows, Jupyter, IDLE, a stream rich proxies).

    The same reading as ``rich.console.Console`` (``is_terminal``, ``size``, ``encoding``):
    TTY_COMPATIBLE, FORCE_COLOR, then the stream's isatty; COLUMNS, else the size of the first
    of stdin, stdout and stderr that is a terminal, else 80. An encoding that is not UTF-8 is
    left to rich too (it draws rules in ASCII there).
    """
    env = os.environ if environ is None else environ
    out = sys.stdout if stream is None else stream
    if sys.platform == "win32" or out is None or hasattr(out, "rich_proxied_file"):
        return None
    if "get_ipython" in vars(builtins) or getattr(sys.stdin, "__module__", "").startswith(
        "idlelib"
    ):
        return None
    if not (getattr(out, "encoding", None) or "utf-8").lower().startswith("utf"):
        return None
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible == "1" or (compatible != "0" and env.get("FORCE_COLOR")):
        return None
    if compatible != "0" and "FORCE_COLOR" not in env:
        try:
            if out.isatty():
                return None
        except ValueError:  # a closed stream: rich takes it for no terminal
            pass
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    streams = ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2))
    for stream, default in streams:
        try:
            return os.get_terminal_size(_std_fileno(stream, default)).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


class Terminal:
    """Stdout, where reporters write (``reporters.registry.Out``); its rich console is the one
    given (the interview's) or made only for a format that lays text out."""

    def __init__(self, console: Console | None = None) -> None:
        self._console = console

    def echo(self, text: str) -> None:
        """Write ``text`` and a line break."""
        typer.echo(text)

    def write(self, text: str) -> None:
        """Write ``text`` as it is (the text reporter's plain drawing, see ``plain_width``)."""
        sys.stdout.write(text)
        sys.stdout.flush()

    def plain_width(self) -> int | None:
        """The width to lay text out to without rich (see ``plain_width``); None with a
        console given, or where rich must draw."""
        return None if self._console is not None else plain_width()

    def console(self) -> Console:
        """The console on stdout (see ``console``)."""
        if self._console is None:
            self._console = console()
        return self._console


def show(
    output_format: str,
    assessments: Sequence[Assessment],
    *,
    single: bool,
    terminal: Terminal | None = None,
    full: bool = False,
) -> None:
    """Report assessments on stdout (``terminal``, by default a new one) in the format named;
    the text format is short unless ``full``."""
    from masterycheck.reporters.registry import reporter

    reporter(output_format, full=full).show(terminal or Terminal(), assessments, single=single)


def show_listing(output_format: str, listing: Listing) -> None:
    """Report a listing on stdout in the format named."""
    from masterycheck.reporters.registry import reporter

    reporter(output_format).show_listing(Terminal(), listing)


class ReportFile(NamedTuple):
    """A ``--report FILE`` and the reporter its suffix chooses."""

    path: Path
    reporter: Reporter

    def write(self, assessments: Sequence[Assessment], *, protect: Iterable[Path] = ()) -> None:
        """Write the report, atomically (never over one of ``protect``)."""
        from masterycheck.outputs.safe_files import atomic_output

        text = self.reporter.document(assessments)
        with atomic_output(self.path, protect=protect) as out:
            out.write(text)


def report_file(path: Path | None, option: str = "--report") -> ReportFile | None:
    """The report file asked for (None without one); a suffix no reporter writes is refused
    before any work is done."""
    from masterycheck.reporters.registry import SUFFIX_WORDS, reporter_for_file

    if path is None:
        return None
    found = reporter_for_file(path)
    if found is None:
        raise InputError(f"the report file must end in {SUFFIX_WORDS}", where=option)
    return ReportFile(path, found)
