"""The screening report's overview: the sections before the cards.

The run's facts, the verdict chart, the attrition chart (how many applicants each essential
criterion excludes, in the criteria file's order), the data-quality panel (per mapped column:
answered, blank, explicit no, unreadable) and the ranked shortlist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from masterycheck.batch.duplicates import SUPERSEDED
from masterycheck.batch.row_mapping import CellStatus
from masterycheck.core.vocabulary import RowVerdict
from masterycheck.core.window import long_date
from masterycheck.reporters.html_page import e
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


def _verdict_words(verdict: str) -> str:
    return verdict.replace("_", " ")


def _date_span(span: tuple[dt.date, dt.date] | None) -> str:
    if span is None:
        return "—"
    first, last = span
    if first == last:
        return long_date(first)
    return f"{long_date(first)} to {long_date(last)}"


def _facts_section(facts: RunFacts) -> list[str]:
    cohort = f", Cohort {facts.cohort}" if facts.cohort is not None else ""
    years = ", ".join(facts.academic_years)
    rows: list[tuple[str, str, str]] = [
        ("programme", "Programme", f"{e(facts.programme_name)}{e(cohort)} ({e(years)})"),
        ("programme-id", "Programme id", f"<code>{e(facts.programme)}</code>"),
        ("as-of", "As of", f"{e(long_date(facts.as_of))} ({e(facts.as_of.isoformat())})"),
        ("input", "Input file", e(facts.input_name)),
    ]
    if facts.mapping_name:
        rows.append(("mapping", "Mapping file", e(facts.mapping_name)))
    rows += [
        ("rows-in", "Rows read", f"{facts.rows_in:,}"),
        ("rows-out", "Rows in the results", f"{facts.rows_out:,}"),
    ]
    files = "<br>".join(
        f'{e(f.name)}: <span class="checksum">sha256 {e(f.sha256)}</span>'
        for f in facts.criteria_files
    )
    rows += [
        ("criteria-files", "Criteria files", files or "—"),
        ("last-verified", "Criteria last verified", e(_date_span(facts.last_verified))),
        (
            "redacted",
            "Redacted",
            "yes: names, emails, IDs and free text are left out" if facts.redacted else "no",
        ),
    ]
    if facts.overlay:
        rows.append(("overlay", "Hub overlay", e(facts.overlay)))
    if facts.window:
        rows.append(("window", "Application window", e(facts.window)))
    rows.append(("version", "Made by", f"masterycheck {e(facts.version)}"))
    lines = ['<section id="facts">', "<h2>The run</h2>", '<dl class="facts">']
    lines += [f'<dt>{label}</dt><dd id="fact-{key}">{value}</dd>' for key, label, value in rows]
    lines.append("</dl>")
    if facts.notes:
        lines.append('<ul class="notes">')
        lines += [f'<li class="note">{e(note)}</li>' for note in facts.notes]
        lines.append("</ul>")
    lines.append("</section>")
    return lines


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
        f'<p id="review-count">{summary.review:,} row(s) for human review '
        "(incomplete, or a case for the hub to confirm).</p>",
        *superseded,
        "</section>",
    ]


def _attrition_section(summary: Summary, facts: RunFacts) -> list[str]:
    texts = dict(facts.criteria_texts)
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
                criterion,
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
        for bar, criterion in zip(bars, (b.label for b in bars), strict=True):
            lines.append(
                f'<tr data-criterion="{e(criterion)}"><td><code>{e(criterion)}</code> '
                f'{e(bar.detail)}</td><td class="num">{bar.value:,}</td>'
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


def _shortlist_section(shortlist: Sequence[ShortlistRow], facts: RunFacts) -> list[str]:
    lines = [
        '<section id="shortlist">',
        "<h2>Shortlist</h2>",
        '<p class="small">The best-ranked eligible or incomplete rows: eligible first, then '
        "incomplete; within each, the higher desirable score first; ties in row order.</p>",
    ]
    if not shortlist:
        return [*lines, "<p>No row is eligible or incomplete.</p>", "</section>"]
    who = "" if facts.redacted else "<th>Applicant</th>"
    lines += [
        '<table class="shortlist">',
        f'<thead><tr><th class="num">Rank</th><th class="num">Row</th>{who}<th>Verdict</th>'
        '<th class="num">Score</th></tr></thead>',
        "<tbody>",
    ]
    for entry in shortlist:
        name = "" if facts.redacted else f"<td>{e(entry.identifier or '')}</td>"
        lines.append(
            f'<tr><td class="num">{entry.rank:,}</td>'
            f'<td class="num"><a href="#row-{entry.row}">{entry.row}</a></td>{name}'
            f'<td class="{e(entry.verdict)}">{e(_verdict_words(entry.verdict))}</td>'
            f'<td class="num">{entry.score} of {facts.score_out_of}</td></tr>'
        )
    lines += ["</tbody>", "</table>", "</section>"]
    return lines


def overview_sections(
    facts: RunFacts, summary: Summary, shortlist: Sequence[ShortlistRow]
) -> list[str]:
    """The sections before the cards, in order: facts, verdicts, attrition, data quality and
    the shortlist."""
    return [
        *_facts_section(facts),
        *_verdict_section(summary),
        *_attrition_section(summary, facts),
        *_quality_section(summary),
        *_shortlist_section(shortlist, facts),
    ]
