"""Markdown reports: for a teacher to print or email to their headteacher.

Every piece of text comes from a file someone wrote (a programme, an overlay, a profile), so it
is written as text, never as markup a Markdown renderer would obey: ``<``, ``>`` and ``&`` become
entities (no raw HTML such as ``<script>`` reaches a rendered page) and control characters are
made visible.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.core.vocabulary import Level, is_published, label
from masterycheck.outputs.inert_text import inert
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


def _text(text: str) -> str:
    """Text as Markdown shows it literally: HTML escaped, control characters visible."""
    return html.escape(inert(text), quote=False)


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


def _criteria_table(results: list[CriterionResult]) -> list[str]:
    lines = ["| | Criterion | Outcome | Why |", "|---|---|---|---|"]
    for result in results:
        mark = OUTCOME_MARKS[result.outcome][0]
        origin = " *(hub's own)*" if not is_published(result.origin) else ""
        lines.append(
            f"| {mark} | {_cell(result.text)}{origin} | {outcome_label(result)} "
            f"| {_cell(result.reason)} |"
        )
    return lines


def render_assessment(assessment: Assessment) -> str:
    """One assessment as a Markdown document section."""
    lines = [
        f"## {_text(programme_title(assessment))}",
        "",
        f"**Verdict: {_text(verdict_line(assessment))}**",
        "",
    ]
    if assessment.cohort_status is not None:
        lines += [_text(assessment.cohort_status.message), ""]
    lines += [_text(dates_line(assessment)), ""]
    if assessment.notes:
        lines += [f"> {_text(note)}" for note in assessment.notes] + [""]
    essentials = [r for r in assessment.criteria if r.level is Level.ESSENTIAL]
    desirables = [r for r in assessment.criteria if r.level is Level.DESIRABLE]
    lines += ["### Essential criteria", "", *_criteria_table(essentials), ""]
    if desirables:
        lines += [f"### Desirable criteria — {_text(desirable_line(assessment))}", ""]
        lines += [*_criteria_table(desirables), ""]
    if assessment.path_to_eligibility:
        lines += ["### Path to eligibility", ""]
        lines += [f"- [ ] {_text(step.action)}" for step in assessment.path_to_eligibility] + [""]
    if assessment.next_time is not None:
        later = assessment.next_time
        lines += [f"### Next time ({_text(later.note)})", "", _text(next_time_line(later)), ""]
        if later.becomes_met:
            lines += [f"- {_text(change.message)}" for change in later.becomes_met] + [""]
    if assessment.evidence:
        lines += ["### What your application statement must evidence", ""]
        lines += [
            f"- **{_cell(item.text)}** ({item.level.value}): {_text(item.evidence)}"
            for item in assessment.evidence
        ] + [""]
    lines += ["### Application window", "", _text(assessment.window.message), ""]
    lines += ["### Commitment", ""]
    lines += [f"- {_text(commitment_line(year))}" for year in assessment.commitment] + [""]
    if assessment.expectations:
        lines += ["### What the school commits to", ""]
        lines += [f"- {_text(item)}" for item in assessment.expectations] + [""]
    return "\n".join(lines)


def render_assessments(assessments: Sequence[Assessment]) -> str:
    """Several assessments, best fit first, as one Markdown document."""
    header = ["# Mastery Specialist eligibility check", ""]
    if len(assessments) > 1:
        header += ["| Programme | Verdict |", "|---|---|"]
        for a in assessments:
            header.append(f"| {_cell(programme_title(a))} | {label(a.verdict)} |")
        header.append("")
    sections = [
        render_assessment(a)
        if a.not_for_you is None
        else f"## {_text(a.programme_name)}\n\nNot for you: {_text(a.not_for_you)}\n"
        for a in assessments
    ]
    return "\n".join(header) + "\n" + "\n".join(sections)


def render_listing(listing: Listing) -> str:
    """A listing as a Markdown heading and table."""
    columns = listing.columns
    lines = [
        "| " + " | ".join(column_label(c) for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for row in listing.rows:
        cells = [plain(row.get(column)).replace("|", "\\|") for column in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return f"# {listing.title}\n\n" + "\n".join(lines)


class MarkdownReporter:
    """The ``markdown`` format: on stdout, or as a report file (.md)."""

    name = "markdown"

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        out.echo(render_assessments(assessments))

    def show_listing(self, out: Out, listing: Listing) -> None:
        out.echo(render_listing(listing))

    def document(self, assessments: Sequence[Assessment]) -> str:
        return render_assessments(assessments)
