"""One registry of report formats: by name (``--format``) and by file suffix (``--report``).

A command gathers its options, picks a reporter here and makes one call. Each format lives in
its own module, imported only when that format is used: ``check`` in text pays neither for
the HTML reporter nor for JSON.

A reporter reports two subjects: assessments (``check``, ``interview``) and a listing (the
rows of ``programmes``, ``fields`` and ``explain``). It writes to a terminal through ``Out``
(``show``); a format that can be a report file also renders the whole file (``document``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console

    from masterycheck.core.results import Assessment

Row = dict[str, object]


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows of plain values with a title; ``columns`` are the keys shown, in order.

    ``data`` is what JSON gives when it is more than the rows (``explain`` adds the programme).
    """

    title: str
    rows: list[Row]
    columns: list[str]
    data: object = None


class Out(Protocol):
    """Where a reporter writes: stdout, as one document or through a rich console."""

    def echo(self, text: str) -> None:
        """Write ``text`` and a line break, as it is."""

    def console(self) -> Console:
        """The terminal, for a format that lays text out (made on first use)."""


class Reporter(Protocol):
    """What every format does."""

    name: str

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        """Report assessments (best fit first) on ``out``; ``single`` when one programme was
        asked for rather than all of them."""

    def show_listing(self, out: Out, listing: Listing) -> None:
        """Report a listing on ``out``."""

    def document(self, assessments: Sequence[Assessment]) -> str:
        """The whole report file (only formats with ``SUFFIXES`` are asked)."""


def _text() -> Reporter:
    from masterycheck.reporters.text import TextReporter

    return TextReporter()


def _json() -> Reporter:
    from masterycheck.reporters.json_report import JsonReporter

    return JsonReporter()


def _markdown() -> Reporter:
    from masterycheck.reporters.markdown import MarkdownReporter

    return MarkdownReporter()


def _html() -> Reporter:
    from masterycheck.reporters.html import HtmlReporter

    return HtmlReporter()


#: Every format by name, each made (and its module imported) only when asked for.
FORMATS: dict[str, Callable[[], Reporter]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "html": _html,
}
#: The report-file suffixes (lower case) and the format each chooses.
SUFFIXES: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
#: The suffixes as a person is told them.
SUFFIX_WORDS = ".md or .html"


class UnknownFormat(ValueError):
    """A format name no reporter has: a bug in the caller (options offer only known names)."""


def reporter(name: str, *, full: bool = False) -> Reporter:
    """The reporter of format ``name``; raises ``UnknownFormat`` for a name not registered.

    ``full`` asks the text format for every criterion (the other formats are always whole).
    """
    if name == "text" and full:
        from masterycheck.reporters.text import TextReporter

        return TextReporter(full=True)
    make = FORMATS.get(name)
    if make is None:
        raise UnknownFormat(f"unknown report format {name!r} (known: {', '.join(FORMATS)})")
    return make()


def file_format(path: Path) -> str | None:
    """The format a report file's suffix chooses (case-insensitive), or None."""
    return SUFFIXES.get(path.suffix.lower())


def reporter_for_file(path: Path) -> Reporter | None:
    """The reporter that writes a report file named ``path``, or None for another suffix."""
    name = file_format(path)
    return None if name is None else reporter(name)
