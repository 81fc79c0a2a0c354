"""Markdown reports: for a teacher to print or email to their headteacher."""

from __future__ import annotations

from masterycheck.assessment import Assessment, CriterionResult
from masterycheck.programme import Level
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    commitment_line,
    dates_line,
    desirable_line,
    outcome_label,
    programme_title,
    verdict_line,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
        f"## {programme_title(assessment)}",
        "",
        f"**Verdict: {verdict_line(assessment)}**",
        "",
    ]
    lines += [dates_line(assessment), ""]
    if assessment.notes:
        lines += [f"> {note}" for note in assessment.notes] + [""]
    essentials = [r for r in assessment.criteria if r.level is Level.ESSENTIAL]
    desirables = [r for r in assessment.criteria if r.level is Level.DESIRABLE]
    lines += ["### Essential criteria", "", *_criteria_table(essentials), ""]
    if desirables:
        lines += [f"### Desirable criteria — {desirable_line(assessment)}", ""]
        lines += [*_criteria_table(desirables), ""]
    if assessment.path_to_eligibility:
        lines += ["### Path to eligibility", ""]
        lines += [f"- [ ] {step.action}" for step in assessment.path_to_eligibility] + [""]
    if assessment.evidence:
        lines += ["### What your application statement must evidence", ""]
        lines += [
            f"- **{_cell(item.text)}** ({item.level.value}): {item.evidence}"
            for item in assessment.evidence
        ] + [""]
    lines += ["### Application window", "", assessment.window.message, ""]
    lines += ["### Commitment", ""]
    lines += [f"- {commitment_line(year)}" for year in assessment.commitment] + [""]
    if assessment.expectations:
        lines += ["### What the school commits to", ""]
        lines += [f"- {item}" for item in assessment.expectations] + [""]
    return "\n".join(lines)


def render_assessments(assessments: list[Assessment]) -> str:
    """Several assessments, best fit first, as one Markdown document."""
    header = ["# Mastery Specialist eligibility check", ""]
    if len(assessments) > 1:
        header += ["| Programme | Verdict |", "|---|---|"]
        header += [
            f"| {programme_title(a)} | {a.verdict.value.replace('_', ' ')} |" for a in assessments
        ] + [""]
    return "\n".join(header) + "\n" + "\n".join(render_assessment(a) for a in assessments)
