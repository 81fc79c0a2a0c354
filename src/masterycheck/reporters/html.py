"""The personal report: one self-contained HTML page (no scripts, no external files) for a teacher.

One card per programme, best fit first (with a summary table when there are several): the
verdict, the criteria, the desirable score, the path to eligibility and the evidence the
application statement must give (``html_cards``, shared with the screening report, so a
teacher's card and an applicant's card read the same), then the application window and the
commitment. The page, its stylesheet and escaping are ``html_page``'s; charts are inline SVG
(``svg_charts``). The page holds no URL, so opened from disk it requests nothing.

Printing: A4 with 15 mm margins, every card starting on a new page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from masterycheck.core.results import Assessment, CommitmentSummary, WindowStatus
from masterycheck.core.vocabulary import Verdict, label
from masterycheck.core.window import long_date
from masterycheck.reporters.html_cards import (
    CRITERIA_FOOT,
    CRITERIA_HEAD,
    VERDICT_TITLES,
    criteria_sections,
    criteria_table,
    criterion_row,
    desirable_section,
    essential_section,
    evidence_entry,
    evidence_section,
    is_evidence,
    outcome_class,
    outcome_words,
    path_section,
    score_chart,
)
from masterycheck.reporters.html_page import PAGE_FOOT, STYLE, e, page_head
from masterycheck.reporters.words import (
    commitment_line,
    dates_line,
    next_time_line,
    programme_title,
    verdict_line,
)

if TYPE_CHECKING:
    from masterycheck.reporters.registry import Listing, Out

PERSONAL_UNANSWERED = (
    'Unless an item shows its own outcome, it is <span class="unknown">? unknown</span>: '
    "you have not said whether you meet it. After each colon, what your statement must show."
)


def window_section(window: WindowStatus) -> list[str]:
    """The application window: its dates and where the as-of date falls."""
    lines = ["<h3>Application window</h3>", '<dl class="facts window">']
    lines.append(f"<dt>Opens</dt><dd>{e(long_date(window.opens) if window.opens else '—')}</dd>")
    closes = long_date(window.closes) if window.closes else "not published"
    lines.append(f"<dt>Closes</dt><dd>{e(closes)}</dd>")
    lines.append(f"<dt>Status</dt><dd>{e(window.message)}</dd>")
    return [*lines, "</dl>"]


def commitment_section(
    commitment: Sequence[CommitmentSummary], expectations: Sequence[str]
) -> list[str]:
    """The commitment year by year, and what the school commits to."""
    lines = ["<h3>Commitment</h3>", '<ul class="commitment">']
    lines += [f"<li>{e(commitment_line(year))}</li>" for year in commitment]
    lines.append("</ul>")
    if expectations:
        lines += ["<h3>What the school commits to</h3>", "<ul>"]
        lines += [f"<li>{e(item)}</li>" for item in expectations]
        lines.append("</ul>")
    return lines


# --- the personal report -------------------------------------------------------------------


def _summary(assessments: Sequence[Assessment]) -> list[str]:
    if len(assessments) < 2:
        return []
    lines = [
        "<h2>Best fit first</h2>",
        '<table class="best-fit">',
        "<thead><tr><th>Programme</th><th>Verdict</th><th>Desirable</th></tr></thead>",
        "<tbody>",
    ]
    for assessment in assessments:
        score = assessment.desirable
        lines.append(
            f'<tr><td><a href="#{e(assessment.programme)}">{e(programme_title(assessment))}'
            f"</a></td><td>{e(label(assessment.verdict))}</td>"
            f"<td>{score.met} of {score.total}</td></tr>"
        )
    lines += ["</tbody>", "</table>"]
    return lines


def render_assessment_html(assessment: Assessment) -> str:
    """One assessment as a card: verdict, criteria, score, path, evidence, window, commitment."""
    verdict: Verdict = assessment.verdict
    lines = [
        f'<section class="card" id="{e(assessment.programme)}" data-verdict="{e(verdict.value)}">',
        f"<h2>{e(programme_title(assessment))}</h2>",
        f'<p class="verdict {e(verdict.value)}">Verdict: {e(verdict_line(assessment))}</p>',
        f'<p class="small">{e(dates_line(assessment))}</p>',
    ]
    if assessment.cohort_status is not None:
        lines.insert(3, f'<p class="cohort">{e(assessment.cohort_status.message)}</p>')
    lines += [f'<p class="note">{e(note)}</p>' for note in assessment.notes]
    lines += criteria_sections(
        assessment.criteria, assessment.desirable, f"score-{assessment.programme}"
    )
    lines += path_section([step.action for step in assessment.path_to_eligibility])
    if assessment.next_time is not None:
        later = assessment.next_time
        lines += [
            '<section class="next-time">',
            f"<h3>Next time ({e(later.note)})</h3>",
            f"<p>{e(next_time_line(later))}</p>",
        ]
        if later.becomes_met:
            lines += ["<ul>", *(f"<li>{e(c.message)}</li>" for c in later.becomes_met), "</ul>"]
        lines.append("</section>")
    lines += evidence_section(
        assessment.criteria, "What your application statement must evidence", PERSONAL_UNANSWERED
    )
    lines += window_section(assessment.window)
    lines += commitment_section(assessment.commitment, assessment.expectations)
    lines.append("</section>")
    return "\n".join(lines)


def render_personal_html(assessments: Sequence[Assessment]) -> str:
    """Several assessments, best fit first, as one self-contained HTML page."""
    title = "Mastery Specialist eligibility check"
    head = [page_head(title), f"<h1>{e(title)}</h1>"]
    if assessments:
        head.append(
            f'<p class="small">As of {e(long_date(assessments[0].as_of))}. '
            "Criteria met, unknown and not met, with the reason for each.</p>"
        )
    body = _summary(assessments) + [render_assessment_html(a) for a in assessments]
    return "\n".join([*head, *body]) + "\n" + PAGE_FOOT


class HtmlReporter:
    """The ``html`` format: one self-contained page, as a report file (.html)."""

    name = "html"

    def show(self, out: Out, assessments: Sequence[Assessment], *, single: bool) -> None:
        out.echo(render_personal_html(assessments).removesuffix("\n"))

    def show_listing(self, out: Out, listing: Listing) -> None:
        raise NotImplementedError("listings have no HTML form")

    def document(self, assessments: Sequence[Assessment]) -> str:
        return render_personal_html(assessments)


# The page and the card sections were defined here before they were shared: their names stay
# importable from this module.
__all__ = [
    "CRITERIA_FOOT",
    "CRITERIA_HEAD",
    "PAGE_FOOT",
    "PERSONAL_UNANSWERED",
    "STYLE",
    "VERDICT_TITLES",
    "HtmlReporter",
    "commitment_section",
    "criteria_sections",
    "criteria_table",
    "criterion_row",
    "desirable_section",
    "e",
    "essential_section",
    "evidence_entry",
    "evidence_section",
    "is_evidence",
    "outcome_class",
    "outcome_words",
    "page_head",
    "path_section",
    "render_assessment_html",
    "render_personal_html",
    "score_chart",
    "window_section",
]
