"""The screening report's appendix and the lists around the cards.

``appendix_sections``: the run's facts (programme, as-of date, input file, row counts, criteria
files with their checksums, verification dates, mapping, overlay, window) and every criterion
by its short label with its published wording, printed after the cards. ``evidence_panel``:
the evidence criteria, printed once for the panel. ``not_screened_section``: invalid and
superseded rows in one table, in place of cards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from masterycheck.core.vocabulary import SUPERSEDED, label, spoken
from masterycheck.core.window import long_date
from masterycheck.reporters.html_page import e
from masterycheck.reporters.html_screen.facts import CriterionFacts, RunFacts


def _verdict_words(verdict: str) -> str:
    return label(verdict)


@dataclass(frozen=True, slots=True)
class NotScreenedRow:
    """A row listed rather than given a card: invalid, or superseded by a later row."""

    row: int
    line: int
    verdict: str  # invalid, or the superseded row's own verdict
    why: str
    superseded_by: int = 0


def _date_span(span: tuple[dt.date, dt.date] | None) -> str:
    if span is None:
        return "—"
    first, last = span
    if first == last:
        return long_date(first)
    return f"{long_date(first)} to {long_date(last)}"


def _appendix_section(facts: RunFacts) -> list[str]:
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
    lines = [
        '<section id="facts" class="appendix">',
        "<h2>Appendix: the run</h2>",
        '<p class="small">What a reader needs to trust, reproduce or question the run.</p>',
        '<dl class="facts">',
    ]
    lines += [f'<dt>{label}</dt><dd id="fact-{key}">{value}</dd>' for key, label, value in rows]
    lines.append("</dl>")
    if facts.notes:
        lines.append('<ul class="notes">')
        lines += [f'<li class="note">{e(note)}</li>' for note in facts.notes]
        lines.append("</ul>")
    lines += _criteria_table(facts.criteria)
    lines.append("</section>")
    return lines


def _criteria_table(criteria: Sequence[CriterionFacts]) -> list[str]:
    """Every criterion by its short label, with its level, kind and published wording."""
    if not criteria:
        return []
    lines = [
        "<h3>The criteria, as published</h3>",
        '<table class="criteria-list">',
        "<thead><tr><th>Criterion</th><th>Level</th><th>Published wording</th></tr></thead>",
        "<tbody>",
    ]
    for c in criteria:
        judged = ", judged by the panel" if c.kind == "evidence" else ""
        lines.append(
            f'<tr data-criterion="{e(c.id)}"><td>{e(c.short)}</td>'
            f"<td>{e(c.level)}{judged}</td><td>{e(c.text)}</td></tr>"
        )
    return [*lines, "</tbody>", "</table>"]


def evidence_panel(facts: RunFacts) -> list[str]:
    """The evidence criteria, printed once for the panel: what each statement must show."""
    evidence = [c for c in facts.criteria if c.kind == "evidence"]
    if not evidence:
        return []
    lines = [
        '<section id="evidence">',
        "<h2>Evidence the panel judges</h2>",
        '<p class="small">Judged from each application, not from the answers: each card lists '
        "these criteria beside the applicant's statement, as boxes to tick.</p>",
        '<ul class="evidence">',
    ]
    lines += [
        f'<li data-criterion="{e(c.id)}" title="{e(c.text)}"><strong>{e(c.short)}</strong> '
        f"({e(c.level)}): {e(c.evidence or c.text)}</li>"
        for c in evidence
    ]
    return [*lines, "</ul>", "</section>"]


def not_screened_section(rows: Sequence[NotScreenedRow]) -> list[str]:
    """Invalid and superseded rows in one table (they have no card)."""
    if not rows:
        return []
    lines = [
        '<section id="not-screened">',
        "<h2>Rows not screened as applicants</h2>",
        '<p class="small">Invalid rows could not be read; superseded rows are earlier '
        "submissions by an applicant whose latest row is screened instead. Neither is ranked "
        "nor counted as an applicant.</p>",
        '<table class="not-screened">',
        '<thead><tr><th class="num">Row</th><th class="num">Line</th><th>Status</th>'
        "<th>Why</th></tr></thead>",
        "<tbody>",
    ]
    for r in rows:
        if r.superseded_by:
            status = SUPERSEDED
            why = (
                f'by <a href="#row-{r.superseded_by}">row {r.superseded_by}</a> '
                f"(this row's own answers: {e(spoken(r.verdict))})"
            )
        else:
            status, why = r.verdict, e(r.why)
        lines.append(
            f'<tr id="row-{r.row}" data-row="{r.row}"><td class="num">{r.row}</td>'
            f'<td class="num">{r.line:,}</td><td class="{e(status)}">'
            f"{e(_verdict_words(status))}</td><td>{why}</td></tr>"
        )
    return [*lines, "</tbody>", "</table>", "</section>"]


def appendix_sections(facts: RunFacts) -> list[str]:
    """The appendix, after the cards: the run's facts, checksums and criteria."""
    return _appendix_section(facts)
