"""The summary printed after a screening run (to stderr, so results can be piped).

Counts only, row numbers and column headings: never an applicant's answer. Identifiers appear
in the shortlist unless the run is redacted.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from masterycheck.batch.row_mapping import CellStatus
from masterycheck.batch.screening import VERDICTS, ShortlistEntry, Summary
from masterycheck.core.vocabulary import Outcome, label, spoken
from masterycheck.outputs.inert_text import inert

__all__ = ["ShortlistEntry", "render_summary"]


def render_summary(
    console: Console,
    summary: Summary,
    *,
    shortlist: Sequence[ShortlistEntry],
    output: str,
    notes: Sequence[str] = (),
) -> None:
    """Print counts per verdict, per essential criterion and per mapped column, and the top
    of the shortlist."""
    counts = ", ".join(f"{summary.verdicts.get(v, 0)} {spoken(v)}" for v in VERDICTS)
    if summary.superseded:  # earlier submissions of an applicant (batch.duplicates)
        counts += f", {summary.superseded} superseded (earlier submissions of an applicant)"
    console.print(f"Screened {summary.rows} row(s): {counts}.")
    console.print(f"{summary.review} row(s) for human review (incomplete or hub to confirm).")
    for note in notes:
        console.print(note)
    for statement in summary.hub_statements:
        console.print(f"Every row: {statement}.")
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
        table = Table(
            title="Essential criteria: rows excluded (not met) and undecided (unknown)",
            title_justify="left",
        )
        table.add_column("Criterion", overflow="fold")
        table.add_column("Kind")
        table.add_column(label(Outcome.NOT_MET), justify="right")
        table.add_column(label(Outcome.UNKNOWN), justify="right")
        for criterion, short, kind in essentials:
            table.add_row(
                inert(short),
                label(kind) if kind else "",
                str(summary.excluded[criterion]),
                str(summary.unknown[criterion]),
            )
        console.print(table)
    if summary.columns:
        table = Table(title="Mapped columns", title_justify="left")
        table.add_column("Column")
        for title in ("Answered", "Blank", "No", "Unreadable"):
            table.add_column(title, justify="right")
        for column in summary.columns:
            cells = summary.cells.get(column)
            counts_of = [
                str(cells[status]) if cells else "0"
                for status in (
                    CellStatus.ANSWERED,
                    CellStatus.BLANK,
                    CellStatus.NO,
                    CellStatus.UNREADABLE,
                )
            ]
            table.add_row(column, *counts_of)
        console.print(table)
    if shortlist:
        listed = sum(summary.verdicts.get(v, 0) for v in VERDICTS[:2])  # eligible, incomplete
        title = f"Shortlist: every eligible and incomplete applicant ({listed})"
        if len(shortlist) < listed:
            title = (
                f"Shortlist: the first {len(shortlist)} of {listed} eligible and incomplete "
                "applicants (every one is in the results, in rank order)"
            )
        table = Table(title=title, title_justify="left")
        for title in ("Rank", "Row", "Verdict", "Score", "Applicant"):
            table.add_column(title)
        for entry in shortlist:
            table.add_row(
                str(entry.rank),
                str(entry.row),
                label(entry.verdict),
                str(entry.score),
                entry.identifier or "",
            )
        console.print(table)
    console.print(
        "Evidence criteria are judged by the hub from the application; unknown there never "
        "makes a row incomplete."
    )
    console.print(f"Results: {output}", soft_wrap=True)  # a path is never broken
