"""The sections of a card, shared by the personal report and the screening report.

A teacher's card (``reporters.html``) and an applicant's card (``reporters.html_screen``) are
built from these, so they read the same: the verdict's title, the fact criteria in tables,
the desirable score in words and as a chart, the path to eligibility, and the evidence
criteria in one list. Every value from the criteria files or the answers is escaped.

A card is compact so that it prints on one A4 page: the fact criteria (decided from the
answers) in two short tables, essential then desirable, each row its wording, its outcome in
words beside a symbol, and why; the evidence criteria (judged from the application) in one
list by their published wording, each with the evidence the statement must give. An evidence
criterion that was not answered is not given a row of its own saying so: the list says once
what its items' outcome is, and only an item that was answered shows its own outcome and
reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from masterycheck.core.results import CriterionResult, DesirableScore
from masterycheck.core.vocabulary import Kind, Level, Outcome, is_published, label
from masterycheck.reporters.html_page import e
from masterycheck.reporters.svg_charts import Bar, stacked_bar
from masterycheck.reporters.words import OUTCOME_MARKS, ROW_VERDICT_WORDS, outcome_label, score_line

#: Verdict titles by their value (a batch row's too).
VERDICT_TITLES = {verdict.value: words for verdict, words in ROW_VERDICT_WORDS.items()}

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
        Bar(label(Outcome.MET), score.met, "good", note=note),
        Bar(label(Outcome.UNKNOWN), score.unknown, "warn"),
        Bar(label(Outcome.NOT_MET), score.not_met, "bad"),
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


__all__ = [
    "CRITERIA_FOOT",
    "CRITERIA_HEAD",
    "VERDICT_TITLES",
    "criteria_sections",
    "criteria_table",
    "criterion_row",
    "desirable_section",
    "essential_section",
    "evidence_entry",
    "evidence_section",
    "is_evidence",
    "outcome_class",
    "outcome_words",
    "path_section",
    "score_chart",
]
