"""Terminal reports, drawn with rich; words always stand beside symbols and colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.core.vocabulary import Kind, Level, Outcome, Verdict, is_published, spoken
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    column_label,
    commitment_line,
    dates_line,
    desirable_line,
    next_time_line,
    outcome_label,
    plain,
    programme_title,
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


def _hanging(mark: str | Text, body: Text, indent: int = 2) -> Padding:
    """``mark`` then ``body``, wrapped lines of the body indented under its first line."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, body)
    return Padding(grid, (0, 0, 0, indent), expand=False)


def _criterion(result: CriterionResult) -> Padding:
    """A criterion as a block: its symbol and wording, then the outcome in a word and why."""
    mark, _ = OUTCOME_MARKS[result.outcome]
    body = Text(result.text, style="bold")
    if not is_published(result.origin):
        body.append(" (hub's own criterion)", style="italic")
    body.append("\n")
    body.append(outcome_label(result), style=OUTCOME_STYLE[result.outcome])
    body.append(f": {result.reason}", style="dim")
    return _hanging(Text(mark, style=OUTCOME_STYLE[result.outcome]), body)


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _section(console: Console, title: str, results: Sequence[CriterionResult]) -> None:
    if results:
        console.print(_heading(title))
        for result in results:
            console.print(_criterion(result))


def render_assessment(console: Console, assessment: Assessment, *, full: bool = False) -> None:
    """Print one assessment: by default what decides it (what stops the teacher, what is
    missing, the path, next time, the window and the commitment); with ``full``, every
    criterion and what the statement must evidence too."""
    console.print(Text(programme_title(assessment), style="bold"))
    console.print(
        Text("Verdict: ") + Text(verdict_line(assessment), style=VERDICT_STYLE[assessment.verdict])
    )
    if assessment.cohort_status is not None:
        console.print(Text(assessment.cohort_status.message))
    console.print(Text(dates_line(assessment), style="dim"))
    for note in assessment.notes:
        console.print(Text(f"Note: {note}", style="italic"))
    essentials = [r for r in assessment.criteria if r.level is Level.ESSENTIAL]
    desirables = [r for r in assessment.criteria if r.level is Level.DESIRABLE]
    if full:
        _section(console, "Essential criteria", essentials)
        if desirables:
            _section(console, f"Desirable criteria: {desirable_line(assessment)}", desirables)
    else:
        _section(console, "What stops you", [r for r in essentials if r.outcome is Outcome.NOT_MET])
        _section(console, "For the hub to confirm", [r for r in essentials if r.hub_to_confirm])
        open_facts = [
            r
            for r in essentials
            if r.outcome is Outcome.UNKNOWN and not r.hub_to_confirm and r.kind is Kind.FACT
        ]
        _section(console, "Not yet known", open_facts)
        if desirables:
            console.print(_heading(f"Desirable criteria: {desirable_line(assessment)}"))
    if assessment.path_to_eligibility:
        console.print(_heading("Path to eligibility"))
        for number, step in enumerate(assessment.path_to_eligibility, 1):
            console.print(_hanging(f"{number}.", Text(step.action)))
    _next_time(console, assessment)
    if assessment.evidence and full:
        console.print(_heading("Your application statement must evidence"))
        for item in assessment.evidence:
            line = Text(item.text, style="bold") + Text(f": {item.evidence}")
            console.print(_hanging("•", line))
    console.print(_heading("Application window"))
    console.print(Padding(Text(assessment.window.message), (0, 0, 0, 2), expand=False))
    console.print(_heading("Commitment"))
    for year in assessment.commitment:
        console.print(_hanging("•", Text(commitment_line(year))))
    if not full:
        more = "every criterion"
        if assessment.evidence:
            more += f" and the {len(assessment.evidence)} things your statement must evidence"
        console.print(Text(f"\nFor {more}, add --full.", style="dim"))


def _next_time(console: Console, assessment: Assessment) -> None:
    later = assessment.next_time
    if later is None:
        return
    console.print(_heading(f"Next time ({later.note})"))
    line = Text(next_time_line(later), style=VERDICT_STYLE[later.verdict])
    console.print(Padding(line, (0, 0, 0, 2), expand=False))
    for change in later.becomes_met:
        console.print(_hanging("•", Text(change.message)))


def render_assessments(
    console: Console, assessments: Sequence[Assessment], *, full: bool = False
) -> None:
    """Print several assessments, best fit first, with a summary line for each; a programme
    the teacher's setting rules out gets one line saying why, not a report."""
    ruled_out = [a for a in assessments if a.not_for_you is not None]
    assessments = [a for a in assessments if a.not_for_you is None]
    if len(assessments) > 1:
        console.print(Text("Best fit first", style="bold underline"))
        for assessment in assessments:
            line = Text(f"{programme_title(assessment)}: ")
            line.append(spoken(assessment.verdict), style=VERDICT_STYLE[assessment.verdict])
            line.append(f" (desirable {assessment.desirable.met}/{assessment.desirable.total})")
            console.print(_hanging("•", line))
        console.print()
    if ruled_out:
        console.print(Text("Not for you", style="bold underline"))
        for assessment in ruled_out:
            line = Text(f"{assessment.programme_name}: ", style="bold")
            line.append(assessment.not_for_you or "")
            console.print(_hanging("•", line))
        console.print()
    for index, assessment in enumerate(assessments):
        if index:
            console.rule()
        render_assessment(console, assessment, full=full)


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
    """The ``text`` format: laid out for a terminal, never a report file. Short unless made
    with ``full``."""

    name = "text"

    def __init__(self, *, full: bool = False) -> None:
        self.full = full

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        render_assessments(out.console(), assessments, full=self.full)

    def show_listing(self, out: Out, listing: Listing) -> None:
        render_listing(out.console(), listing)

    def document(self, assessments: Sequence[Assessment]) -> str:
        raise NotImplementedError("the text format is for a terminal, not a report file")
