"""Markdown reports: for a teacher to print or email to their headteacher.

Every piece of text comes from a file someone wrote (a programme, an overlay, a profile), so it
is written as text, never as markup a Markdown renderer would obey: ``<``, ``>`` and ``&`` become
entities (no raw HTML such as ``<script>`` reaches a rendered page) and control characters are
made visible.
"""

from __future__ import annotations

import html

from masterycheck.core.programme import Level
from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.outputs.terminal import inert
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    commitment_line,
    dates_line,
    desirable_line,
    outcome_label,
    programme_title,
    verdict_line,
)


def _text(text: str) -> str:
    """Text as Markdown shows it literally: HTML escaped, control characters visible."""
    return html.escape(inert(text), quote=False)


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


def _criteria_table(results: list[CriterionResult]) -> list[str]:
    lines = ["| | Criterion | Outcome | Why |", "|---|---|---|---|"]
    for result in results:
        mark = OUTCOME_MARKS[result.outcome][0]
        origin = " *(hub's own)*" if result.origin != "published" else ""
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


def render_assessments(assessments: list[Assessment]) -> str:
    """Several assessments, best fit first, as one Markdown document."""
    header = ["# Mastery Specialist eligibility check", ""]
    if len(assessments) > 1:
        header += ["| Programme | Verdict |", "|---|---|"]
        for a in assessments:
            header.append(f"| {_cell(programme_title(a))} | {a.verdict.value.replace('_', ' ')} |")
        header.append("")
    return "\n".join(header) + "\n" + "\n".join(render_assessment(a) for a in assessments)
