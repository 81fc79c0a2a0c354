"""The screening report's sections around the cards, in the order a panel reads them.

Before the cards: the decision (the counts, then the shortlist of every eligible and
incomplete applicant, each with its one-line reason and desirable score), the verdict chart,
the attrition chart and table (how many applicants each essential criterion excludes), the
data-quality panel, the evidence the panel judges (once, for every card), and the rows not
screened as applicants (invalid or superseded) in one table. After the cards, as an
appendix: the run's facts and checksums, and every criterion's published wording.

Criteria are named by their short label, the published wording on hover; their ids are
never shown (only kept in ``data-criterion`` attributes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from masterycheck.batch.row_mapping import CellStatus
from masterycheck.core.vocabulary import SUPERSEDED, RowVerdict, label
from masterycheck.reporters.html_page import e
from masterycheck.reporters.html_screen.appendix import (
    NotScreenedRow,
    evidence_panel,
    not_screened_section,
)
from masterycheck.reporters.html_screen.facts import RunFacts
from masterycheck.reporters.svg_charts import Bar, Tone, bar_chart

if TYPE_CHECKING:
    from masterycheck.batch.screening import Summary

_TONES: dict[RowVerdict, Tone] = {
    RowVerdict.ELIGIBLE: "good",
    RowVerdict.INCOMPLETE: "warn",
    RowVerdict.NOT_ELIGIBLE: "bad",
    RowVerdict.INVALID: "void",
}
#: The verdicts in ranking order, with the tone each is drawn in.
VERDICT_TONES: tuple[tuple[str, Tone], ...] = tuple((v.value, _TONES[v]) for v in RowVerdict)


class ShortlistRow(Protocol):
    """One shortlisted row (``reporters.screen_summary.ShortlistEntry`` fits)."""

    @property
    def rank(self) -> int: ...
    @property
    def row(self) -> int: ...
    @property
    def verdict(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def identifier(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One applicant on the shortlist, with the one-line reason the panel reads."""

    rank: int
    row: int
    verdict: str
    score: int
    identifier: str | None
    reason: str = ""


def _verdict_words(verdict: str) -> str:
    return label(verdict)


def _verdict_section(summary: Summary) -> list[str]:
    bars = [
        Bar(_verdict_words(verdict), summary.verdicts.get(verdict, 0), tone)
        for verdict, tone in VERDICT_TONES
    ]
    superseded: list[str] = []
    if summary.superseded:
        bars.append(Bar(SUPERSEDED, summary.superseded, "void"))
        superseded.append(
            f'<p id="superseded-count">{summary.superseded:,} earlier submission(s) superseded '
            "by the same applicant's latest (the same email, or the same name and school): "
            "not counted as applicants, not ranked, not shortlisted.</p>"
        )
    chart = bar_chart(
        "verdict-chart",
        bars,
        title=f"Verdicts of {summary.rows:,} rows",
        description="Rows by verdict.",
        shared_defs=True,
    )
    return [
        '<section id="verdicts">',
        "<h2>Verdicts</h2>",
        chart,
        *superseded,
        "</section>",
    ]


def _attrition_section(summary: Summary, facts: RunFacts) -> list[str]:
    texts = dict(facts.criteria_texts)
    shorts = {c.id: c.short for c in facts.criteria}
    kinds = summary.kinds or ("",) * len(summary.criteria)
    bars = []
    for criterion, essential, kind in zip(summary.criteria, summary.essential, kinds, strict=True):
        if not essential:
            continue
        unknown = summary.unknown.get(criterion, 0)
        judged = " for the panel" if kind == "evidence" else ""
        note = f"({unknown:,} unknown{judged})" if unknown else ""
        bars.append(
            Bar(
                shorts.get(criterion) or criterion,
                summary.excluded.get(criterion, 0),
                "bad",
                note=note,
                detail=texts.get(criterion, criterion),
            )
        )
    chart = bar_chart(
        "attrition-chart",
        bars,
        title="Applicants each essential criterion excludes",
        description="Essential criteria in the criteria file's order; rows not met.",
        shared_defs=True,
    )
    not_eligible = summary.verdicts.get(RowVerdict.NOT_ELIGIBLE.value, 0)
    lines = [
        '<section id="attrition">',
        "<h2>What excludes applicants</h2>",
        chart,
        f"<p>{not_eligible:,} row(s) are not eligible in all; a row can fail more than one "
        "criterion, so the bars can add up to more. Evidence criteria are judged by the panel "
        "from the application: unknown there never excludes anyone.</p>",
    ]
    if bars:
        lines += [
            '<table class="attrition">',
            '<thead><tr><th>Criterion</th><th class="num">Excludes</th>'
            '<th class="num">Unknown</th></tr></thead>',
            "<tbody>",
        ]
        named = [c for c, k in zip(summary.criteria, summary.essential, strict=True) if k]
        for bar, criterion in zip(bars, named, strict=True):
            lines.append(
                f'<tr data-criterion="{e(criterion)}"><td title="{e(bar.detail)}">'
                f'{e(bar.label)}</td><td class="num">{bar.value:,}</td>'
                f'<td class="num">{summary.unknown.get(criterion, 0):,}</td></tr>'
            )
        lines += ["</tbody>", "</table>"]
    lines.append("</section>")
    return lines


_STATUSES = (
    (CellStatus.ANSWERED, "Answered"),
    (CellStatus.BLANK, "Blank"),
    (CellStatus.NO, "Explicit no"),
    (CellStatus.UNREADABLE, "Unreadable"),
)


def _quality_section(summary: Summary) -> list[str]:
    lines = [
        '<section id="data-quality">',
        "<h2>Data quality</h2>",
        '<p class="small">Per mapped column: blank means empty or “don’t know”; explicit no is '
        "a no (or none) answer; an unreadable answer is treated as unknown and noted on the "
        "row's card.</p>",
    ]
    if not summary.columns:
        return [*lines, "<p>No column was mapped.</p>", "</section>"]
    head = "".join(f'<th class="num">{title}</th>' for _, title in _STATUSES)
    lines += [
        '<table class="quality">',
        f"<thead><tr><th>Column</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for column in summary.columns:
        counts = summary.cells.get(column)
        cells = []
        for status, _ in _STATUSES:
            count = counts[status] if counts else 0
            if status is CellStatus.UNREADABLE and count:
                cells.append(f'<td class="num flagged">⚠ {count:,}</td>')
            else:
                cells.append(f'<td class="num">{count:,}</td>')
        lines.append(f"<tr><td>{e(column)}</td>{''.join(cells)}</tr>")
    lines += ["</tbody>", "</table>", "</section>"]
    return lines


def _counts_section(facts: RunFacts, summary: Summary) -> list[str]:
    """The decision in numbers: applicants by verdict, and how many need a human look."""
    counts = [
        (v.value, summary.verdicts.get(v.value, 0))
        for v in (
            RowVerdict.ELIGIBLE,
            RowVerdict.INCOMPLETE,
            RowVerdict.NOT_ELIGIBLE,
            RowVerdict.INVALID,
        )
    ]
    if summary.superseded:
        counts.append((SUPERSEDED, summary.superseded))
    items = "".join(
        f'<li class="{verdict}" data-verdict="{verdict}"><strong>{count:,}</strong> '
        f"{_verdict_words(verdict)}</li>"
        for verdict, count in counts
    )
    return [
        '<section id="counts">',
        f"<h2>Decision: {facts.rows_in:,} row(s) screened</h2>",
        f'<ul class="counts">{items}</ul>',
        f'<p id="review-count">{summary.review:,} row(s) for human review '
        "(incomplete, or a case for the hub to confirm).</p>",
        "</section>",
    ]


def _shortlist_section(shortlist: Sequence[ShortlistRow], facts: RunFacts) -> list[str]:
    lines = [
        '<section id="shortlist">',
        f"<h2>Shortlist: every eligible and incomplete applicant ({len(shortlist):,})</h2>",
        '<p class="small">Eligible first, then incomplete; within each, the higher desirable '
        "score first; ties in row order. For an incomplete applicant the reason says what is "
        "missing. The row number links to the applicant's card.</p>",
    ]
    if not shortlist:
        return [*lines, "<p>No row is eligible or incomplete.</p>", "</section>"]
    who = "" if facts.redacted else "<th>Applicant</th>"
    lines += [
        '<table class="shortlist">',
        f'<thead><tr><th class="num">Rank</th><th class="num">Row</th>{who}<th>Verdict</th>'
        '<th class="num">Desirable score</th><th>Reason</th></tr></thead>',
        "<tbody>",
    ]
    for entry in shortlist:
        name = "" if facts.redacted else f"<td>{e(entry.identifier or '')}</td>"
        reason = getattr(entry, "reason", "")
        lines.append(
            f'<tr data-row="{entry.row}"><td class="num">{entry.rank:,}</td>'
            f'<td class="num"><a href="#row-{entry.row}">{entry.row}</a></td>{name}'
            f'<td class="{e(entry.verdict)}">{e(_verdict_words(entry.verdict))}</td>'
            f'<td class="num">{entry.score} of {facts.score_out_of}</td>'
            f"<td>{e(reason)}</td></tr>"
        )
    lines += ["</tbody>", "</table>", "</section>"]
    return lines


def overview_sections(
    facts: RunFacts,
    summary: Summary,
    shortlist: Sequence[ShortlistRow],
    not_screened: Sequence[NotScreenedRow] = (),
) -> list[str]:
    """The sections before the cards, in the order a panel reads: the counts, the shortlist,
    the verdict chart, attrition, data quality, the evidence the panel judges and the rows
    not screened as applicants."""
    return [
        *_counts_section(facts, summary),
        *_shortlist_section(shortlist, facts),
        *_verdict_section(summary),
        *_attrition_section(summary, facts),
        *_quality_section(summary),
        *evidence_panel(facts),
        *not_screened_section(not_screened),
    ]
