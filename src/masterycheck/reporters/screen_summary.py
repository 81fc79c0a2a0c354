"""The summary printed after a screening run (to stderr, so results can be piped).

Counts only, row numbers and column headings: never an applicant's answer. Identifiers appear
in the shortlist unless the run is redacted.

The summary is laid out once, as data (``summary_parts``: paragraphs, whole lines, tables);
rich draws it on a terminal (``draw_summary``), and where stderr is a file or a pipe
``plain_summary`` writes what rich would write there, without importing rich
(``is_plain_summary`` says where it can; ``tests/reporters/test_summary_plain.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from masterycheck.batch.row_mapping import CellStatus
from masterycheck.batch.screening import VERDICTS, ShortlistEntry, Summary
from masterycheck.core.vocabulary import Outcome, label, spoken
from masterycheck.outputs.inert_text import inert
from masterycheck.reporters.text_blocks import PLAIN_MIN_WIDTH, Paragraph, is_plain, line
from masterycheck.reporters.text_blocks import plain_lines as paragraph_lines
from masterycheck.reporters.text_tables import (
    Column,
    TextTable,
    is_plain_table,
    plain_table_lines,
    rich_table,
)

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "ShortlistEntry",
    "Whole",
    "draw_summary",
    "is_plain_summary",
    "plain_summary",
    "render_summary",
    "summary_parts",
]


class Whole(NamedTuple):
    """A line printed whole, never wrapped (a path is never broken)."""

    text: str


Part = str | Whole | TextTable
"""A paragraph (wrapped to the width), a whole line, or a table."""


def summary_parts(
    summary: Summary,
    *,
    shortlist: Sequence[ShortlistEntry],
    output: str,
    notes: Sequence[str] = (),
) -> list[Part]:
    """The summary laid out: counts per verdict, per essential criterion and per mapped column,
    and the top of the shortlist."""
    counts = ", ".join(f"{summary.verdicts.get(v, 0)} {spoken(v)}" for v in VERDICTS)
    if summary.superseded:  # earlier submissions of an applicant (batch.duplicates)
        counts += f", {summary.superseded} superseded (earlier submissions of an applicant)"
    parts: list[Part] = [
        f"Screened {summary.rows} row(s): {counts}.",
        f"{summary.review} row(s) for human review (incomplete or hub to confirm).",
        *notes,
        *(f"Every row: {statement}." for statement in summary.hub_statements),
    ]
    kinds = summary.kinds or ("",) * len(summary.criteria)
    labels = summary.labels or summary.criteria
    essentials = [
        (c, short, k)
        for c, short, e, k in zip(summary.criteria, labels, summary.essential, kinds, strict=True)
        if e
    ]
    if essentials:
        # Short labels (at most 40 characters) and short headings: the table fits 80 columns
        # with every label on one line; narrower, a label wraps at its spaces, never cut.
        parts.append(
            TextTable(
                "Essential criteria: rows excluded (not met) and undecided (unknown)",
                (
                    Column("Criterion", overflow="fold"),
                    Column("Kind"),
                    Column(label(Outcome.NOT_MET), justify="right"),
                    Column(label(Outcome.UNKNOWN), justify="right"),
                ),
                tuple(
                    (
                        inert(short),
                        label(kind) if kind else "",
                        str(summary.excluded[criterion]),
                        str(summary.unknown[criterion]),
                    )
                    for criterion, short, kind in essentials
                ),
            )
        )
    if summary.columns:
        statuses = (CellStatus.ANSWERED, CellStatus.BLANK, CellStatus.NO, CellStatus.UNREADABLE)
        rows = []
        for column in summary.columns:
            cells = summary.cells.get(column)
            rows.append((column, *(str(cells[s]) if cells else "0" for s in statuses)))
        headings = ("Answered", "Blank", "No", "Unreadable")
        parts.append(
            TextTable(
                "Mapped columns",
                (Column("Column"), *(Column(h, justify="right") for h in headings)),
                tuple(rows),
            )
        )
    if shortlist:
        listed = sum(summary.verdicts.get(v, 0) for v in VERDICTS[:2])  # eligible, incomplete
        title = f"Shortlist: every eligible and incomplete applicant ({listed})"
        if len(shortlist) < listed:
            title = (
                f"Shortlist: the first {len(shortlist)} of {listed} eligible and incomplete "
                "applicants (every one is in the results, in rank order)"
            )
        parts.append(
            TextTable(
                title,
                tuple(Column(h) for h in ("Rank", "Row", "Verdict", "Score", "Applicant")),
                tuple(
                    (
                        str(entry.rank),
                        str(entry.row),
                        label(entry.verdict),
                        str(entry.score),
                        entry.identifier or "",
                    )
                    for entry in shortlist
                ),
            )
        )
    parts.append(
        "Evidence criteria are judged by the hub from the application; unknown there never "
        "makes a row incomplete."
    )
    parts.append(Whole(f"Results: {output}"))
    return parts


def draw_summary(console: Console, parts: Sequence[Part]) -> None:
    """Print the summary's parts on a rich console."""
    for part in parts:
        if isinstance(part, str):
            console.print(part)
        elif isinstance(part, Whole):
            console.print(part.text, soft_wrap=True)
        else:
            console.print(rich_table(part))


def render_summary(
    console: Console,
    summary: Summary,
    *,
    shortlist: Sequence[ShortlistEntry],
    output: str,
    notes: Sequence[str] = (),
) -> None:
    """Print counts per verdict, per essential criterion and per mapped column, and the top
    of the shortlist, on a rich console."""
    parts = summary_parts(summary, shortlist=shortlist, output=output, notes=notes)
    draw_summary(console, parts)


def is_plain_summary(parts: Sequence[Part], width: int) -> bool:
    """Whether ``plain_summary`` writes ``parts`` at ``width`` exactly as rich would (see
    ``text_blocks.is_plain`` and ``text_tables.is_plain_table``)."""
    if width < PLAIN_MIN_WIDTH:
        return False
    for part in parts:
        if isinstance(part, TextTable):
            if not is_plain_table(part, width):
                return False
        elif not is_plain([Paragraph(line(part if isinstance(part, str) else part.text))], width):
            return False
    return True


def plain_summary(parts: Sequence[Part], width: int) -> str:
    """The text rich would write for ``parts`` to a console ``width`` wide that is not a
    terminal, trailing spaces removed; only for parts that are ``is_plain_summary``."""
    lines: list[str] = []
    for part in parts:
        if isinstance(part, str):
            lines += paragraph_lines([Paragraph(line(part))], width)
        elif isinstance(part, Whole):
            lines += [piece.rstrip(" ") for piece in part.text.split("\n")]
        else:
            lines += plain_table_lines(part, width)
    return "".join(text + "\n" for text in lines)
