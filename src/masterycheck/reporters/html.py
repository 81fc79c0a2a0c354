"""HTML reports: one self-contained page (no scripts, no external files) for a teacher.

Every value from the criteria files or the answers is escaped with ``html.escape``. The page
is built from small section functions; the card sections (verdict, criteria, desirable score,
path to eligibility, evidence) are shared with the screening report (``html_screen``), so a
teacher's card and an applicant's card read the same. Charts are inline SVG
(``svg_charts``); the page holds no URL, so opened from disk it requests nothing.

Printing: A4 with 15 mm margins, every card (one per programme here, one per applicant in a
screening report) starting on a new page.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from masterycheck.core.results import (
    Assessment,
    CommitmentSummary,
    CriterionResult,
    DesirableScore,
    WindowStatus,
)
from masterycheck.core.vocabulary import Kind, Level, Verdict, is_published
from masterycheck.core.window import long_date
from masterycheck.reporters.svg_charts import Bar, pattern_defs, stacked_bar
from masterycheck.reporters.words import (
    OUTCOME_MARKS,
    ROW_VERDICT_WORDS,
    commitment_line,
    dates_line,
    outcome_label,
    programme_title,
    score_line,
    spoken,
    verdict_line,
)

if TYPE_CHECKING:
    from masterycheck.reporters.registry import Listing, Out

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 1.5rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 1.6rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 0.3rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-weight: bold; padding: 0.4rem 0.6rem; border-left: 0.5rem solid; }
.verdict.eligible { border-color: #0072B2; } .verdict.not_eligible { border-color: #D55E00; }
.verdict.incomplete { border-color: #E69F00; }
.verdict.invalid { border-color: #777; border-left-style: double; }
td.flagged { font-weight: bold; background: #fff0d0; }
.met { color: #005a8c; } .not_met { color: #a33f00; font-weight: bold; }
.unknown, .hub_to_confirm { color: #6b4a00; }
.note { font-style: italic; } .small { font-size: 0.9em; color: #444; }
.review { font-weight: bold; }
ul.todo { list-style: none; padding-left: 0.5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, .checksum { font-family: ui-monospace, monospace; font-size: 0.85em; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 0.4rem 0 0.8rem; }
blockquote.statement { margin: 0.3rem 0 0.8rem; padding: 0.3rem 0.8rem;
                       border-left: 0.25rem solid #999; white-space: pre-wrap; }
.card { border-top: 2px solid #444; margin-top: 2rem; }
.card h2 { margin: 0.8rem 0 0.2rem; } .card h3 { margin: 0.5rem 0 0.15rem; }
.card p { margin: 0.25rem 0; } .card .verdict { padding: 0.2rem 0.6rem; }
.card table { margin: 0.15rem 0 0.3rem; table-layout: fixed; font-size: 0.92em; }
.card th, .card td { padding: 0.1rem 0.35rem; }
.card table.criteria th:nth-child(1) { width: 38%; }
.card table.criteria th:nth-child(2) { width: 14%; }
.card .score { display: flex; flex-wrap: wrap; align-items: center; gap: 0 1.5rem; }
.card .score svg.chart { margin: 0.15rem 0; }
dl.identity { display: flex; flex-wrap: wrap; gap: 0 0.4rem; margin: 0.15rem 0; }
dl.identity dt::after { content: ":"; } dl.identity dd { margin-right: 0.8rem; }
ul.evidence { margin: 0.15rem 0 0.3rem; padding-left: 1.2rem; font-size: 0.92em; }
ul.evidence li { margin: 0.05rem 0; }
ul.todo.path { margin: 0.15rem 0 0.3rem; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; line-height: 1.2; }
  th, td { padding: 0.15rem 0.35rem; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .card { break-before: page; border-top: none; margin-top: 0; }
  .card h2 { margin-top: 0; font-size: 1.4em; } .card h3 { font-size: 1.1em; }
  h2, h3, .statement-heading { break-after: avoid; }
  tr, li, svg.chart, blockquote.statement { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
""".strip()

#: Verdict titles by their value (a batch row's too).
VERDICT_TITLES = {verdict.value: words for verdict, words in ROW_VERDICT_WORDS.items()}


def e(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def page_head(title: str, *, style: str = STYLE) -> str:
    """The start of a page, up to and including the opening ``<body>`` and the chart patterns."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # Nothing may be fetched: no scripts, no fonts, no images from anywhere.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:\">",
            f"<title>{e(title)}</title>",
            f"<style>\n{style}\n</style>",
            "</head>",
            "<body>",
            pattern_defs(),
        ]
    )


PAGE_FOOT = "</body>\n</html>\n"


# --- card sections, shared with the screening report ---------------------------------------
#
# A card is compact so that it prints on one A4 page: the fact criteria (decided from the
# answers) in two short tables, essential then desirable, each row its wording, its outcome in
# words beside a symbol, and why; the evidence criteria (judged from the application) in one
# list by their published wording, each with the evidence the statement must give. An evidence
# criterion that was not answered is not given a row of its own saying so: the list says once
# what its items' outcome is, and only an item that was answered shows its own outcome and
# reason.


CRITERIA_HEAD = (
    '<table class="criteria">\n'
    "<thead><tr><th>Criterion</th><th>Outcome</th><th>Why</th></tr></thead>\n<tbody>"
)
CRITERIA_FOOT = "</tbody>\n</table>"


def outcome_class(result: CriterionResult) -> str:
    """The CSS class of an outcome: met, not_met, unknown or hub_to_confirm."""
    return "hub_to_confirm" if result.hub_to_confirm else result.outcome.value


def outcome_words(result: CriterionResult) -> str:
    """The outcome as a symbol and words (never colour alone), escaped: '✔ met'."""
    return f"{e(OUTCOME_MARKS[result.outcome][0])} {e(outcome_label(result))}"


def criterion_row(result: CriterionResult) -> str:
    """One criterion as a table row: its wording, the outcome in words, and why."""
    origin = " <em>(hub's own criterion)</em>" if not is_published(result.origin) else ""
    return (
        f'<tr data-criterion="{e(result.id)}"><td>{e(result.text)}{origin}</td>'
        f'<td class="{outcome_class(result)}">{outcome_words(result)}</td>'
        f"<td>{e(result.reason)}</td></tr>"
    )


def criteria_table(
    results: Sequence[CriterionResult],
    row: Callable[[CriterionResult], str] = criterion_row,
) -> list[str]:
    """Criteria with each outcome in words and the reason (nothing when there is none).

    ``row`` renders one criterion (the screening report passes a memoised ``criterion_row``).
    """
    if not results:
        return []
    return [CRITERIA_HEAD, *map(row, results), CRITERIA_FOOT]


def score_chart(chart_id: str, score: DesirableScore) -> str:
    """The desirable score as one stacked bar, its key beside it: weights met, unknown, not met."""
    note = f"({score.self_declared} self-declared)" if score.self_declared else ""
    segments = [
        Bar("met", score.met, "good", note=note),
        Bar("unknown", score.unknown, "warn"),
        Bar("not met", score.not_met, "bad"),
    ]
    return stacked_bar(
        chart_id,
        segments,
        title=f"Desirable criteria: {score.met} of {score.total} met",
        description="Weights of the desirable criteria, by outcome.",
        shared_defs=True,
        width=540,
        beside=160,
    )


def is_evidence(result: CriterionResult) -> bool:
    """Whether a criterion is judged from the application (listed, not in a table)."""
    return result.kind is Kind.EVIDENCE


def essential_section(
    facts: Sequence[CriterionResult], row: Callable[[CriterionResult], str] = criterion_row
) -> list[str]:
    """The essential fact criteria, in a table."""
    return ["<h3>Essential criteria</h3>", *criteria_table(facts, row)]


def desirable_section(
    facts: Sequence[CriterionResult],
    score: DesirableScore,
    chart_id: str,
    row: Callable[[CriterionResult], str] = criterion_row,
    chart: str | None = None,
) -> list[str]:
    """The desirable score (in words and as a chart) and the desirable fact criteria.

    Nothing when the programme publishes no desirable criterion. ``chart`` is the score
    chart when already drawn (``score_chart(chart_id, score)``).
    """
    if not score.total:
        return []
    return [
        '<div class="score">',
        f"<h3>Desirable criteria: {e(score_line(score))}</h3>",
        score_chart(chart_id, score) if chart is None else chart,
        "</div>",
        *criteria_table(facts, row),
    ]


def criteria_sections(
    results: Sequence[CriterionResult], score: DesirableScore, chart_id: str
) -> list[str]:
    """The fact criteria: the essential ones, then the desirable score and the desirable ones.

    The evidence criteria are left to ``evidence_section``; the score counts them all.
    """
    facts = [r for r in results if not is_evidence(r)]
    return [
        *essential_section([r for r in facts if r.level is Level.ESSENTIAL]),
        *desirable_section([r for r in facts if r.level is Level.DESIRABLE], score, chart_id),
    ]


def path_section(actions: Sequence[str]) -> list[str]:
    """The path to eligibility as a checklist (nothing when there is no step)."""
    if not actions:
        return []
    lines = ["<h3>Path to eligibility</h3>", '<ul class="todo path">']
    lines += [f"<li>☐ {e(action)}</li>" for action in actions]
    return [*lines, "</ul>"]


def evidence_entry(result: CriterionResult) -> str:
    """One evidence criterion as a list item: its wording, level and the evidence it needs.

    Its outcome and reason follow unless it was simply not answered (the list says that once):
    such an evidence criterion is one for the panel, and its item needs no reason of its own.
    """
    wording = f"<strong>{e(result.text)}</strong> ({e(result.level.value)})"
    if not is_published(result.origin):
        wording += " <em>(hub's own criterion)</em>"
    needs = f": {e(result.evidence)}" if result.evidence else ""
    said = ""
    if not result.unanswered:
        said = (
            f' <span class="{outcome_class(result)}">— {outcome_words(result)}:</span> '
            f"{e(result.reason)}"
        )
    return f'<li data-criterion="{e(result.id)}">{wording}{needs}{said}</li>'


def evidence_section(
    results: Sequence[CriterionResult], heading: str, unanswered: str
) -> list[str]:
    """The evidence criteria among ``results`` in one list (nothing when there is none).

    ``unanswered`` says, once, what an item showing no outcome of its own means.
    """
    items = [evidence_entry(r) for r in results if is_evidence(r)]
    if not items:
        return []
    return [
        f"<h3>{e(heading)}</h3>",
        f'<p class="small evidence-key">{unanswered}</p>',
        '<ul class="evidence">',
        *items,
        "</ul>",
    ]


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
            f"</a></td><td>{e(spoken(assessment.verdict))}</td>"
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
    lines += [f'<p class="note">{e(note)}</p>' for note in assessment.notes]
    lines += criteria_sections(
        assessment.criteria, assessment.desirable, f"score-{assessment.programme}"
    )
    lines += path_section([step.action for step in assessment.path_to_eligibility])
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


__all__ = [
    "CRITERIA_FOOT",
    "CRITERIA_HEAD",
    "PAGE_FOOT",
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
