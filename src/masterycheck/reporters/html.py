"""HTML reports: one self-contained page (no scripts, no external files) for a teacher.

Every value from the criteria files or the answers is escaped with ``html.escape``. The page
is built from small section functions so that more (charts, say) can be added beside them.
"""

from __future__ import annotations

import html

from masterycheck.assessment import Assessment, CriterionResult
from masterycheck.programme import Level, Verdict
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    commitment_line,
    dates_line,
    desirable_line,
    outcome_label,
    programme_title,
    verdict_line,
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 1.5rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.35rem 0.5rem; text-align: left;
         vertical-align: top; }
.verdict { font-weight: bold; padding: 0.4rem 0.6rem; border-left: 0.4rem solid; }
.eligible { border-color: #1b7f3b; } .not_eligible { border-color: #b3261e; }
.incomplete { border-color: #a86b00; }
.met { color: #1b7f3b; } .not_met { color: #b3261e; } .unknown { color: #7a5200; }
.note { font-style: italic; } .small { font-size: 0.9em; color: #444; }
ul.todo { list-style: none; padding-left: 0.5rem; }
@media print { body { margin: 0; } }
""".strip()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _criteria_table(results: list[CriterionResult]) -> list[str]:
    lines = [
        "<table>",
        "<thead><tr><th>Criterion</th><th>Outcome</th><th>Why</th></tr></thead>",
        "<tbody>",
    ]
    for result in results:
        mark = OUTCOME_MARKS[result.outcome][0]
        origin = " <em>(hub's own criterion)</em>" if result.origin != "published" else ""
        lines.append(
            f"<tr><td>{_e(result.text)}{origin}</td>"
            f'<td class="{_e(result.outcome.value)}">{_e(mark)} {_e(outcome_label(result))}</td>'
            f"<td>{_e(result.reason)}</td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    return lines


def _summary(assessments: list[Assessment]) -> list[str]:
    if len(assessments) < 2:
        return []
    lines = [
        "<h2>Best fit first</h2>",
        "<table>",
        "<thead><tr><th>Programme</th><th>Verdict</th><th>Desirable</th></tr></thead>",
        "<tbody>",
    ]
    for assessment in assessments:
        score = assessment.desirable
        lines.append(
            f"<tr><td>{_e(programme_title(assessment))}</td>"
            f"<td>{_e(assessment.verdict.value.replace('_', ' '))}</td>"
            f"<td>{score.met} of {score.total}</td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    return lines


def _path(assessment: Assessment) -> list[str]:
    if not assessment.path_to_eligibility:
        return []
    lines = ["<h3>Path to eligibility</h3>", '<ul class="todo">']
    lines += [f"<li>☐ {_e(step.action)}</li>" for step in assessment.path_to_eligibility]
    return [*lines, "</ul>"]


def _evidence(assessment: Assessment) -> list[str]:
    if not assessment.evidence:
        return []
    lines = ["<h3>What your application statement must evidence</h3>", "<ul>"]
    lines += [
        f"<li><strong>{_e(item.text)}</strong> ({_e(item.level.value)}): {_e(item.evidence)}</li>"
        for item in assessment.evidence
    ]
    return [*lines, "</ul>"]


def _commitment(assessment: Assessment) -> list[str]:
    lines = ["<h3>Commitment</h3>", "<ul>"]
    lines += [f"<li>{_e(commitment_line(year))}</li>" for year in assessment.commitment]
    lines.append("</ul>")
    if assessment.expectations:
        lines += ["<h3>What the school commits to</h3>", "<ul>"]
        lines += [f"<li>{_e(item)}</li>" for item in assessment.expectations]
        lines.append("</ul>")
    return lines


def render_assessment_html(assessment: Assessment) -> str:
    """One assessment as an HTML section."""
    verdict: Verdict = assessment.verdict
    lines = [
        f'<section id="{_e(assessment.programme)}">',
        f"<h2>{_e(programme_title(assessment))}</h2>",
        f'<p class="verdict {_e(verdict.value)}">Verdict: {_e(verdict_line(assessment))}</p>',
        f'<p class="small">{_e(dates_line(assessment))}</p>',
    ]
    lines += [f'<p class="note">{_e(note)}</p>' for note in assessment.notes]
    essentials = [r for r in assessment.criteria if r.level is Level.ESSENTIAL]
    desirables = [r for r in assessment.criteria if r.level is Level.DESIRABLE]
    lines += ["<h3>Essential criteria</h3>", *_criteria_table(essentials)]
    if desirables:
        lines.append(f"<h3>Desirable criteria: {_e(desirable_line(assessment))}</h3>")
        lines += _criteria_table(desirables)
    lines += _path(assessment)
    lines += _evidence(assessment)
    lines += ["<h3>Application window</h3>", f"<p>{_e(assessment.window.message)}</p>"]
    lines += _commitment(assessment)
    lines.append("</section>")
    return "\n".join(lines)


def render_personal_html(assessments: list[Assessment]) -> str:
    """Several assessments, best fit first, as one self-contained HTML page."""
    title = "Mastery Specialist eligibility check"
    head = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
    ]
    body = _summary(assessments) + [render_assessment_html(a) for a in assessments]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"
