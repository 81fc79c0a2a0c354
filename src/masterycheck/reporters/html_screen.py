"""The screening report: one self-contained HTML page for a selection panel.

Sections, in order: the run's facts (programme, as-of date, input file, row counts, criteria
checksums and verification dates), a verdict chart, an attrition chart (how many applicants
each essential criterion excludes, in the criteria file's order), a data-quality panel (per
mapped column: answered, blank, explicit no, unreadable), the ranked shortlist, then one card
per input row, in input order (``<section class="card" id="row-N">``), with every criterion's
outcome and reason, the path to eligibility, and the evidence the panel must judge.

The page is produced as a stream of chunks (``render_screening_html``) so that a large export
never has to sit in memory as one string; ``write_screening_html`` writes the chunks
atomically. Every applicant value is escaped; with ``redact`` the cards and the shortlist hold
no name, email, ID or free text. The page holds no script and no URL: opened from disk it
requests nothing, and its Content-Security-Policy forbids any request anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from masterycheck import __version__
from masterycheck.assessment import CriterionResult
from masterycheck.engine import (
    CompiledProgramme,
    answers_with_derived,
    criterion_result,
    desirable_score,
    evidence_items,
)
from masterycheck.mapping import CellStatus
from masterycheck.profile import Profile
from masterycheck.programme import Kind, Level
from masterycheck.reporters.html import (
    CRITERIA_FOOT,
    CRITERIA_HEAD,
    PAGE_FOOT,
    VERDICT_TITLES,
    criterion_row,
    e,
    evidence_item,
    page_head,
    path_section,
    score_chart,
)
from masterycheck.reporters.svg_charts import Bar, Tone, bar_chart
from masterycheck.reporters.words import score_line
from masterycheck.values import Value
from masterycheck.window import long_date

if TYPE_CHECKING:
    from masterycheck.screening import Screener, ScreenResult, Summary

INVALID = "invalid"
#: The verdicts in ranking order, with the tone each is drawn in.
VERDICT_TONES: tuple[tuple[str, Tone], ...] = (
    ("eligible", "good"),
    ("incomplete", "warn"),
    ("not_eligible", "bad"),
    (INVALID, "void"),
)
VERDICT_MEANING = {
    "eligible": "meets every essential criterion that the answers can decide",
    "incomplete": "no essential criterion fails, but some cannot be decided from the answers",
    "not_eligible": "an essential criterion is not met",
    INVALID: "the row could not be read, so it was not screened",
}
ROLE_WORDS = {"name": "Name", "id": "ID", "email": "Email"}
ROLE_ORDER = ("name", "id", "email")
REDACTED = "(redacted)"
CHUNK_CARDS = 25  # cards joined into one chunk


class ReportError(RuntimeError):
    """Internal error: the report's cards are not exactly the rows read."""


# --- the run's facts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriteriaFile:
    """A criteria file the run used, by name and SHA-256 checksum."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What a reader needs to trust, reproduce or question the run."""

    programme: str
    programme_name: str
    cohort: int | None
    academic_years: tuple[str, ...]
    as_of: dt.date
    input_name: str  # the file's name only, never its full path
    rows_in: int
    rows_out: int
    score_out_of: int
    criteria_files: tuple[CriteriaFile, ...]
    last_verified: tuple[dt.date, dt.date] | None  # oldest and newest
    criteria_texts: tuple[tuple[str, str], ...]  # criterion id -> published wording
    redacted: bool = False
    mapping_name: str | None = None
    overlay: str | None = None
    window: str = ""
    notes: tuple[str, ...] = ()
    version: str = __version__


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def run_facts(
    compiled: CompiledProgramme,
    *,
    as_of: dt.date,
    input_path: Path,
    rows_in: int,
    rows_out: int,
    criteria_paths: Sequence[Path],
    redacted: bool = False,
    mapping_path: Path | None = None,
    overlay: str | None = None,
    notes: Sequence[str] = (),
) -> RunFacts:
    """The facts of a run, from the compiled programme (overlay applied) and the files used.

    ``criteria_paths`` are the programme file, the field catalogue and any overlay file; each
    is named (without its folder) with its checksum.
    """
    from masterycheck.window import window_status

    programme = compiled.programme
    criteria = [c.criterion for c in compiled.criteria]
    dates = [c.last_verified for c in criteria]
    return RunFacts(
        programme=programme.id,
        programme_name=programme.name,
        cohort=programme.cohort,
        academic_years=tuple(programme.academic_years),
        as_of=as_of,
        input_name=Path(input_path).name,
        rows_in=rows_in,
        rows_out=rows_out,
        score_out_of=sum(c.weight for c in criteria if c.level is Level.DESIRABLE),
        criteria_files=tuple(
            CriteriaFile(Path(p).name, sha256_file(Path(p))) for p in criteria_paths
        ),
        last_verified=(min(dates), max(dates)) if dates else None,
        criteria_texts=tuple((c.id, c.text) for c in criteria),
        redacted=redacted,
        mapping_name=Path(mapping_path).name if mapping_path is not None else None,
        overlay=overlay,
        window=window_status(programme.window, as_of).message,
        notes=tuple(notes),
    )


# --- the cards -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class CardDetail:
    """What the criteria concluded for one set of answers (shared by equal answer sets)."""

    results: tuple[CriterionResult, ...]
    path: tuple[str, ...]
    problem: str | None = None  # why an invalid row could not be read


@dataclass(frozen=True, slots=True)
class ApplicantCard:
    """One input row, for its card."""

    row: int
    line: int
    rank: int
    verdict: str
    review: bool
    score: int
    detail: CardDetail
    identity: tuple[tuple[str, str], ...] = ()  # (role, value): name, id, email
    statements: tuple[tuple[str, str], ...] = ()  # (column heading, free text)
    notes: tuple[str, ...] = ()


class CardBuilder:
    """Builds each row's card from its screening result, redacting if asked.

    The screening keeps only outcomes, so the criteria's reasons are worked out again with
    the engine's own function, ``criterion_result``. As in the screening, each criterion's
    result is memoised on the mapped cells that can feed it (a derived field through its
    source), so rows that share those cells share one result object, and most rows need no
    reading of their answers at all.
    """

    def __init__(self, screener: Screener, *, redact: bool = False, memo_size: int = 16_384):
        """Cards for rows screened by ``screener``."""
        self.screener = screener
        self.redact = redact
        self.memo_size = memo_size
        mapper = screener.mapper
        applicant: dict[str, int] = dict(mapper.applicant)
        self.roles = tuple((role, applicant[role]) for role in ROLE_ORDER if role in applicant)
        self.keep: tuple[tuple[str, int], ...] = tuple(mapper.keep)
        compiled = screener.compiled
        source_of = dict(compiled.derived)
        settable = mapper.settable_fields()
        plan: list[tuple[int, tuple[int, ...]]] = []
        for index, criterion in enumerate(compiled.criteria):
            names = (*criterion.rule.fields, *(criterion.hub.fields if criterion.hub else ()))
            wanted = {source_of.get(name, name) for name in names}
            feeding = tuple(j for j, fields in enumerate(settable) if fields & wanted)
            if feeding:  # a criterion no column feeds has the same result on every row
                plan.append((index, feeding))
        self._plan = tuple(plan)
        self._results: tuple[dict[tuple[str, ...], CriterionResult], ...] = tuple(
            {} for _ in compiled.criteria
        )
        self._constant = tuple(
            criterion_result(criterion, compiled.catalogue, {}) for criterion in compiled.criteria
        )

    def _detail(self, result: ScreenResult) -> CardDetail:
        evaluation = result.evaluation
        if evaluation.verdict == INVALID:
            problem = evaluation.reasons[0] if evaluation.reasons else "the row could not be read"
            return CardDetail((), (), problem)
        mapper = self.screener.mapper
        compiled = self.screener.compiled
        key = mapper.key(result.cells)
        answers: dict[str, Value] | None = None
        results = list(self._constant)
        for index, feeding in self._plan:
            cache = self._results[index]
            cells = tuple([key[j] for j in feeding])
            done = cache.get(cells)
            if done is None:
                if answers is None:
                    answers = answers_with_derived(compiled, Profile(mapper.read(key).answers))
                done = criterion_result(compiled.criteria[index], compiled.catalogue, answers)
                if len(cache) < self.memo_size:
                    cache[cells] = done
            results[index] = done
        return CardDetail(tuple(results), evaluation.path)

    def _cell(self, result: ScreenResult, position: int) -> str:
        cells = result.cells
        return cells[position].strip() if position < len(cells) else ""

    def card(self, result: ScreenResult, rank: int) -> ApplicantCard:
        """The card of one screened (or invalid) row."""
        identity: tuple[tuple[str, str], ...] = ()
        statements: tuple[tuple[str, str], ...]
        if self.redact:
            statements = tuple((heading, REDACTED) for heading, _ in self.keep)
        else:
            identity = tuple(
                (role, value)
                for role, position in self.roles
                if (value := self._cell(result, position))
            )
            statements = tuple(
                (heading, value)
                for heading, position in self.keep
                if (value := self._cell(result, position))
            )
        evaluation = result.evaluation
        return ApplicantCard(
            row=result.row,
            line=result.line,
            rank=rank,
            verdict=evaluation.verdict,
            review=evaluation.review,
            score=evaluation.score,
            detail=self._detail(result),
            identity=identity,
            statements=statements,
            notes=tuple(result.notes),
        )

    def cards(self, results: Iterable[tuple[ScreenResult, int]]) -> Iterator[ApplicantCard]:
        """Cards for ``(result, rank)`` pairs, as ``second_pass`` yields them."""
        for result, rank in results:
            yield self.card(result, rank)


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


# --- rendering -------------------------------------------------------------------------------


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
    not_eligible = summary.verdicts.get("not_eligible", 0)
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


Block = tuple[tuple[CriterionResult, ...], str]


class _CardRenderer:
    """Renders cards, caching the HTML of each block of criteria, each path and score.

    ``CardBuilder`` shares result objects between rows (memoised per criterion), so a block
    (the essential criteria, the desirable ones with their score, the evidence list) is keyed
    by the identities of its results; the cache holds the results too, so that no identity
    is reused while it is cached. Most cards are assembled from strings already escaped.
    """

    def __init__(self, facts: RunFacts, memo_size: int = 16_384) -> None:
        self.facts = facts
        self.memo_size = memo_size
        self._essential: dict[tuple[int, ...], Block] = {}
        self._desirable: dict[tuple[int, ...], Block] = {}
        self._evidence: dict[tuple[int, ...], Block] = {}
        self._paths: dict[tuple[str, ...], str] = {}
        self._split: tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None = None
        self._headings: dict[str, str] = {}  # kept columns' headings, escaped
        self._input = e(facts.input_name)
        self._rows_in = f"{facts.rows_in:,}"

    def _block(
        self,
        cache: dict[tuple[int, ...], Block],
        results: tuple[CriterionResult, ...],
        render: Callable[[tuple[CriterionResult, ...]], str],
    ) -> str:
        key = tuple(map(id, results))
        found = cache.get(key)
        if found is None:
            found = (results, render(results))
            if len(cache) < self.memo_size:
                cache[key] = found
        return found[1]

    @staticmethod
    def _essential_html(results: tuple[CriterionResult, ...]) -> str:
        rows = "\n".join(map(criterion_row, results))
        return f"<h3>Essential criteria</h3>\n{CRITERIA_HEAD}\n{rows}\n{CRITERIA_FOOT}"

    @staticmethod
    def _desirable_html(results: tuple[CriterionResult, ...]) -> str:
        if not results:
            return ""
        score = desirable_score(list(results))
        rows = "\n".join(map(criterion_row, results))
        return (
            f"<h3>Desirable criteria: {e(score_line(score))}</h3>\n"
            f"{score_chart(_SCORE_ID, score)}\n{CRITERIA_HEAD}\n{rows}\n{CRITERIA_FOOT}"
        )

    @staticmethod
    def _evidence_html(results: tuple[CriterionResult, ...]) -> str:
        if not results:
            return ""
        items = [evidence_item(item, self_assessment=True) for item in evidence_items(results)]
        return '<ul class="evidence">\n' + "\n".join(items) + "\n</ul>"

    def _path(self, path: tuple[str, ...]) -> str:
        found = self._paths.get(path)
        if found is None:
            found = "\n".join(path_section(path))
            if len(self._paths) < self.memo_size:
                self._paths[path] = found
        return found

    def _positions(
        self, results: tuple[CriterionResult, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        """Where the essential, desirable and evidence criteria sit (the same on every card)."""
        if self._split is None or self._split[0] != len(results):
            numbered = list(enumerate(results))
            self._split = (
                len(results),
                tuple(i for i, r in numbered if r.level is Level.ESSENTIAL),
                tuple(i for i, r in numbered if r.level is Level.DESIRABLE),
                tuple(i for i, r in numbered if r.kind is Kind.EVIDENCE),
            )
        return self._split[1:]

    def _criteria(self, card: ApplicantCard) -> list[str]:
        results = card.detail.results
        essential, desirable, evidence = self._positions(results)
        lines = [
            self._block(
                self._essential, tuple([results[i] for i in essential]), self._essential_html
            )
        ]
        if desirable:
            block = self._block(
                self._desirable, tuple([results[i] for i in desirable]), self._desirable_html
            )
            # The chart is ours alone (numbers and fixed words): its placeholder id is safe
            # to replace with the row's.
            lines.append(block.replace(_SCORE_ID, f"score-row-{card.row}"))
        if card.detail.path:
            lines.append(self._path(card.detail.path))
        items = self._block(
            self._evidence, tuple([results[i] for i in evidence]), self._evidence_html
        )
        if items or card.statements:
            lines.append("<h3>Evidence for the panel to judge</h3>")
        if items:
            lines.append(items)
        for heading, text in card.statements:
            shown = self._headings.get(heading)
            if shown is None:
                shown = self._headings[heading] = (
                    f'<p class="statement-heading"><strong>{e(heading)}</strong></p>'
                )
            lines.append(f'{shown}<blockquote class="statement">{e(text)}</blockquote>')
        return lines

    def render(self, card: ApplicantCard) -> str:
        facts = self.facts
        names = dict(card.identity)
        who = next((names[role] for role in ROLE_ORDER if role in names), None)
        title = f"Row {card.row}: {e(who)}" if who else f"Row {card.row}"
        rank = f"rank {card.rank:,} of {self._rows_in}" if card.rank else "not ranked"
        lines = [
            f'<section class="card" id="row-{card.row}" data-row="{card.row}" '
            f'data-rank="{card.rank}" data-verdict="{e(card.verdict)}">',
            f"<h2>{title}</h2>",
            f'<p class="small">Line {card.line:,} of {self._input} · {rank} · '
            f"desirable score {card.score} of {facts.score_out_of}</p>",
        ]
        if card.identity:
            lines.append('<dl class="facts identity">')
            lines += [
                f"<dt>{ROLE_WORDS.get(role) or e(role)}</dt><dd>{e(value)}</dd>"
                for role, value in card.identity
            ]
            lines.append("</dl>")
        lines.append(_VERDICT_LINES.get(card.verdict) or _verdict_line(card.verdict))
        if card.review:
            lines.append(_REVIEW)
        detail = card.detail
        if detail.problem is not None:
            lines.append(f'<p class="problem">Why: {e(detail.problem)}</p>')
        lines += [f'<p class="note">{e(note)}</p>' for note in card.notes]
        if detail.problem is None:
            lines += self._criteria(card)
        lines.append("</section>")
        return "\n".join(lines)


_SCORE_ID = "score-row-placeholder"
_REVIEW = '<p class="review">For human review: incomplete, or a case for the hub to confirm.</p>'


def _verdict_line(verdict: str) -> str:
    title = VERDICT_TITLES.get(verdict, verdict.upper())
    meaning = VERDICT_MEANING.get(verdict, "")
    return f'<p class="verdict {e(verdict)}">{e(title)} — {e(meaning)}</p>'


_VERDICT_LINES = {verdict: _verdict_line(verdict) for verdict in VERDICT_MEANING}


def render_screening_html(
    facts: RunFacts,
    summary: Summary,
    shortlist: Sequence[ShortlistRow],
    cards: Iterable[ApplicantCard],
) -> Iterator[str]:
    """The screening report as a stream of HTML chunks (join them, or write them in turn).

    Raises ``ReportError`` after the last card if the cards are not one per row read
    (``facts.rows_in``), in row order; written through ``write_screening_html`` the file is
    then never created.
    """
    title = f"Screening report: {facts.programme_name}"
    cohort = f" (Cohort {facts.cohort})" if facts.cohort is not None else ""
    head = [
        page_head(title),
        "<header>",
        f"<h1>{e(title)}{e(cohort)}</h1>",
        f'<p class="small">{facts.rows_in:,} row(s) of {e(facts.input_name)}, screened as of '
        f"{e(long_date(facts.as_of))} against the published criteria. Verdicts come from the "
        "answers given; the panel judges the evidence criteria from each application.</p>",
        "</header>",
        *_facts_section(facts),
        *_verdict_section(summary),
        *_attrition_section(summary, facts),
        *_quality_section(summary),
        *_shortlist_section(shortlist, facts),
        '<section id="applicants">',
        "<h2>Applicants</h2>",
        f"<p>One card per row, in the order of the input file ({facts.rows_in:,} in all); "
        "each card starts on a new page when printed.</p>",
        "</section>",
    ]
    yield "\n".join(head) + "\n"
    renderer = _CardRenderer(facts)
    count = 0
    batch: list[str] = []
    for card in cards:
        count += 1
        if card.row != count:
            raise ReportError(f"card for row {card.row} where row {count} was expected")
        batch.append(renderer.render(card))
        if len(batch) >= CHUNK_CARDS:
            yield "\n".join(batch) + "\n"
            batch.clear()
    if batch:
        yield "\n".join(batch) + "\n"
    if count != facts.rows_in:
        raise ReportError(f"rows in ({facts.rows_in}) != cards in the report ({count})")
    yield (
        f'<footer><p class="small" id="card-count">{count:,} card(s) for {facts.rows_in:,} '
        f"row(s) read. Made by masterycheck {e(facts.version)}.</p></footer>\n" + PAGE_FOOT
    )


def write_screening_html(
    target: Path, chunks: Iterable[str], *, protect: Iterable[Path] = ()
) -> int:
    """Write the chunks to ``target`` atomically (never over an input in ``protect``).

    Returns the number of characters written. If rendering fails part-way, nothing is left
    at ``target`` (an earlier file there is untouched).
    """
    from masterycheck.io.safe_output import atomic_output

    written = 0
    with atomic_output(target, protect=protect, newline="") as stream:
        for chunk in chunks:
            stream.write(chunk)
            written += len(chunk)
    return written


def write_screening_report(
    target: Path,
    facts: RunFacts,
    summary: Summary,
    shortlist: Sequence[ShortlistRow],
    results: Iterable[tuple[ScreenResult, int]],
    screener: Screener,
    *,
    protect: Iterable[Path] = (),
) -> int:
    """Render and write the whole report from a pass over the results (``second_pass``).

    Redacts when ``facts.redacted``. Returns the number of characters written.
    """
    builder = CardBuilder(screener, redact=facts.redacted)
    chunks = render_screening_html(facts, summary, shortlist, builder.cards(results))
    return write_screening_html(target, chunks, protect=protect)
