"""Terminal reports; words always stand beside symbols and colours.

A report is laid out as blocks of text (``reporters.text_blocks``), drawn by rich on a
terminal and as the same plain text without rich where stdout is a file or a pipe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.core.vocabulary import Kind, Level, Outcome, Verdict, is_published, spoken
from masterycheck.reporters.text_blocks import (
    Blank,
    Block,
    Hanging,
    Indented,
    Line,
    Paragraph,
    Rule,
    Span,
    draw,
    line,
    show_blocks,
)
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
    from rich.console import Console

    from masterycheck.reporters.registry import Listing, Out

VERDICT_STYLE = {
    Verdict.ELIGIBLE: "bold green",
    Verdict.NOT_ELIGIBLE: "bold red",
    Verdict.INCOMPLETE: "bold yellow",
}
OUTCOME_STYLE = {Outcome.MET: "green", Outcome.NOT_MET: "red", Outcome.UNKNOWN: "yellow"}


def _criterion(result: CriterionResult) -> Hanging:
    """A criterion as a block: its symbol and wording, then the outcome in a word and why."""
    mark, _ = OUTCOME_MARKS[result.outcome]
    style = OUTCOME_STYLE[result.outcome]
    spans: list[Span] = [(result.text, "bold")]
    if not is_published(result.origin):
        spans.append((" (hub's own criterion)", "italic"))
    spans += [("\n", ""), (outcome_label(result), style), (f": {result.reason}", "dim")]
    return Hanging(mark, Line(tuple(spans)), mark_style=style)


def _heading(text: str) -> Paragraph:
    return Paragraph(line(f"\n{text}", "bold underline"))


def _section(title: str, results: Sequence[CriterionResult]) -> list[Block]:
    if not results:
        return []
    return [_heading(title), *(_criterion(result) for result in results)]


def assessment_blocks(assessment: Assessment, *, full: bool = False) -> list[Block]:
    """One assessment: by default what decides it (what stops the teacher, what is missing,
    the path, next time, the window and the commitment); with ``full``, every criterion and
    what the statement must evidence too."""
    blocks: list[Block] = [
        Paragraph(line(programme_title(assessment), "bold")),
        Paragraph(
            line("Verdict: ", "", (verdict_line(assessment), VERDICT_STYLE[assessment.verdict]))
        ),
    ]
    if assessment.cohort_status is not None:
        blocks.append(Paragraph(line(assessment.cohort_status.message)))
    blocks.append(Paragraph(line(dates_line(assessment), "dim")))
    blocks += [Paragraph(line(f"Note: {note}", "italic")) for note in assessment.notes]
    essentials = [r for r in assessment.criteria if r.level is Level.ESSENTIAL]
    desirables = [r for r in assessment.criteria if r.level is Level.DESIRABLE]
    if full:
        blocks += _section("Essential criteria", essentials)
        if desirables:
            blocks += _section(f"Desirable criteria: {desirable_line(assessment)}", desirables)
    else:
        stopping = [r for r in essentials if r.outcome is Outcome.NOT_MET]
        blocks += _section("What stops you", stopping)
        blocks += _section("For the hub to confirm", [r for r in essentials if r.hub_to_confirm])
        open_facts = [
            r
            for r in essentials
            if r.outcome is Outcome.UNKNOWN and not r.hub_to_confirm and r.kind is Kind.FACT
        ]
        blocks += _section("Not yet known", open_facts)
        if desirables:
            blocks.append(_heading(f"Desirable criteria: {desirable_line(assessment)}"))
    if assessment.path_to_eligibility:
        blocks.append(_heading("Path to eligibility"))
        for number, step in enumerate(assessment.path_to_eligibility, 1):
            blocks.append(Hanging(f"{number}.", line(step.action)))
    blocks += _next_time(assessment)
    if assessment.evidence and full:
        blocks.append(_heading("Your application statement must evidence"))
        for item in assessment.evidence:
            blocks.append(Hanging("•", line(item.text, "bold", (f": {item.evidence}", ""))))
    blocks += [_heading("Application window"), Indented(line(assessment.window.message))]
    blocks.append(_heading("Commitment"))
    blocks += [Hanging("•", line(commitment_line(year))) for year in assessment.commitment]
    if not full:
        more = "every criterion"
        if assessment.evidence:
            more += f" and the {len(assessment.evidence)} things your statement must evidence"
        blocks.append(Paragraph(line(f"\nFor {more}, add --full.", "dim")))
    return blocks


def _next_time(assessment: Assessment) -> list[Block]:
    later = assessment.next_time
    if later is None:
        return []
    return [
        _heading(f"Next time ({later.note})"),
        Indented(line(next_time_line(later), VERDICT_STYLE[later.verdict])),
        *(Hanging("•", line(change.message)) for change in later.becomes_met),
    ]


def assessments_blocks(assessments: Sequence[Assessment], *, full: bool = False) -> list[Block]:
    """Several assessments, best fit first, with a summary line for each; a programme the
    teacher's setting rules out gets one line saying why, not a report."""
    blocks: list[Block] = []
    ruled_out = [a for a in assessments if a.not_for_you is not None]
    assessments = [a for a in assessments if a.not_for_you is None]
    if len(assessments) > 1:
        blocks.append(Paragraph(line("Best fit first", "bold underline")))
        for assessment in assessments:
            summary = line(
                f"{programme_title(assessment)}: ",
                "",
                (spoken(assessment.verdict), VERDICT_STYLE[assessment.verdict]),
                (f" (desirable {assessment.desirable.met}/{assessment.desirable.total})", ""),
            )
            blocks.append(Hanging("•", summary))
        blocks.append(Blank())
    if ruled_out:
        blocks.append(Paragraph(line("Not for you", "bold underline")))
        for assessment in ruled_out:
            why = line(f"{assessment.programme_name}: ", "bold", (assessment.not_for_you or "", ""))
            blocks.append(Hanging("•", why))
        blocks.append(Blank())
    for index, assessment in enumerate(assessments):
        if index:
            blocks.append(Rule())
        blocks += assessment_blocks(assessment, full=full)
    return blocks


def listing_blocks(listing: Listing) -> list[Block]:
    """Each row as a block: the first column as its title, the others as labelled lines.

    Blocks wrap cleanly in narrow terminals, where a wide table would not.
    """
    columns = listing.columns
    blocks: list[Block] = [Paragraph(line(listing.title, "bold underline"))]
    for row in listing.rows:
        blocks.append(Paragraph(line(f"\n{plain(row.get(columns[0]))}", "bold")))
        for column in columns[1:]:
            value = plain(row.get(column))
            if value:
                blocks.append(Indented(line(f"{column_label(column)}: ", "dim", (value, ""))))
    return blocks


# --- the reporter -------------------------------------------------------------------------------


def render_assessments(
    console: Console, assessments: Sequence[Assessment], *, full: bool = False
) -> None:
    """Print several assessments on a rich console (see ``assessments_blocks``)."""
    draw(console, assessments_blocks(assessments, full=full))


def render_listing(console: Console, listing: Listing) -> None:
    """Print a listing on a rich console (see ``listing_blocks``)."""
    draw(console, listing_blocks(listing))


class TextReporter:
    """The ``text`` format: laid out for a terminal, never a report file. Short unless made
    with ``full``."""

    name = "text"

    def __init__(self, *, full: bool = False) -> None:
        self.full = full

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        show_blocks(out, assessments_blocks(assessments, full=self.full))

    def show_listing(self, out: Out, listing: Listing) -> None:
        show_blocks(out, listing_blocks(listing))

    def document(self, assessments: Sequence[Assessment]) -> str:
        raise NotImplementedError("the text format is for a terminal, not a report file")
