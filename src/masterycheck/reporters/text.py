"""Terminal reports, drawn with rich; words always stand beside symbols and colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.core.vocabulary import Level, Outcome, Verdict, is_published
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    column_label,
    commitment_line,
    dates_line,
    desirable_line,
    outcome_label,
    plain,
    programme_title,
    spoken,
    verdict_line,
)

if TYPE_CHECKING:
    from masterycheck.reporters.registry import Listing, Out

VERDICT_STYLE = {
    Verdict.ELIGIBLE: "bold green",
    Verdict.NOT_ELIGIBLE: "bold red",
    Verdict.INCOMPLETE: "bold yellow",
}
OUTCOME_STYLE = {Outcome.MET: "green", Outcome.NOT_MET: "red", Outcome.UNKNOWN: "yellow"}


def _criteria_table(results: list[CriterionResult]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=False)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for result in results:
        mark, _ = OUTCOME_MARKS[result.outcome]
        status = Text(f"{mark} {outcome_label(result)}", style=OUTCOME_STYLE[result.outcome])
        body = Text(result.text, style="bold")
        if not is_published(result.origin):
            body.append(" (hub's own criterion)", style="italic")
        body.append(f"\n{result.reason}", style="dim")
        table.add_row(status, body)
    return table


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def render_assessment(console: Console, assessment: Assessment) -> None:
    """Print one assessment."""
    console.print(Text(programme_title(assessment), style="bold"))
    console.print(
        Text("Verdict: ") + Text(verdict_line(assessment), style=VERDICT_STYLE[assessment.verdict])
    )
    console.print(Text(dates_line(assessment), style="dim"))
    for note in assessment.notes:
        console.print(Text(f"Note: {note}", style="italic"))
    essentials = [r for r in assessment.criteria if r.level is Level.ESSENTIAL]
    desirables = [r for r in assessment.criteria if r.level is Level.DESIRABLE]
    console.print(_heading("Essential criteria"))
    console.print(Padding(_criteria_table(essentials), (0, 0, 0, 2), expand=False))
    if desirables:
        console.print(_heading(f"Desirable criteria: {desirable_line(assessment)}"))
        console.print(Padding(_criteria_table(desirables), (0, 0, 0, 2), expand=False))
    if assessment.path_to_eligibility:
        console.print(_heading("Path to eligibility"))
        for number, step in enumerate(assessment.path_to_eligibility, 1):
            console.print(Padding(Text(f"{number}. {step.action}"), (0, 0, 0, 2), expand=False))
    if assessment.evidence:
        console.print(_heading("Your application statement must evidence"))
        for item in assessment.evidence:
            line = Text("• ") + Text(item.text, style="bold") + Text(f": {item.evidence}")
            console.print(Padding(line, (0, 0, 0, 2), expand=False))
    console.print(_heading("Application window"))
    console.print(Padding(Text(assessment.window.message), (0, 0, 0, 2), expand=False))
    console.print(_heading("Commitment"))
    for year in assessment.commitment:
        console.print(Padding(Text(f"• {commitment_line(year)}"), (0, 0, 0, 2), expand=False))


def render_assessments(console: Console, assessments: Sequence[Assessment]) -> None:
    """Print several assessments, best fit first, with a summary line for each."""
    if len(assessments) > 1:
        summary = Table(title="Best fit first", show_lines=False)
        summary.add_column("Programme")
        summary.add_column("Verdict")
        summary.add_column("Desirable")
        for assessment in assessments:
            summary.add_row(
                programme_title(assessment),
                Text(
                    spoken(assessment.verdict),
                    style=VERDICT_STYLE[assessment.verdict],
                ),
                f"{assessment.desirable.met}/{assessment.desirable.total}",
            )
        console.print(summary)
    for index, assessment in enumerate(assessments):
        if index:
            console.rule()
        render_assessment(console, assessment)


def render_listing(console: Console, listing: Listing) -> None:
    """Each row as a block: the first column as its title, the others as labelled lines.

    Blocks wrap cleanly in narrow terminals, where a wide table would not.
    """
    columns = listing.columns
    console.print(Text(listing.title, style="bold underline"))
    for row in listing.rows:
        console.print(Text(f"\n{plain(row.get(columns[0]))}", style="bold"))
        for column in columns[1:]:
            value = plain(row.get(column))
            if value:
                line = Text(f"{column_label(column)}: ", style="dim") + Text(value)
                console.print(Padding(line, (0, 0, 0, 2), expand=False))


class TextReporter:
    """The ``text`` format: laid out for a terminal, never a report file."""

    name = "text"

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        render_assessments(out.console(), assessments)

    def show_listing(self, out: Out, listing: Listing) -> None:
        render_listing(out.console(), listing)

    def document(self, assessments: Sequence[Assessment]) -> str:
        raise NotImplementedError("the text format is for a terminal, not a report file")
