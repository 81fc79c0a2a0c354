"""The screening report: one self-contained HTML page for a selection panel.

Sections, in order: the run's facts (programme, as-of date, input file, row counts, criteria
checksums and verification dates), a verdict chart, an attrition chart (how many applicants
each essential criterion excludes, in the criteria file's order), a data-quality panel (per
mapped column: answered, blank, explicit no, unreadable), the ranked shortlist, then one card
per input row, in input order (``<section class="card" id="row-N">``), with every criterion's
outcome and reason, the path to eligibility, and the evidence the panel must judge. A card is
laid out to print on one A4 page: the fact criteria in two short tables, the evidence criteria
in one list by their wording with the evidence each needs (see ``reporters.html``).

The report is one of the screening run's writers (``HtmlReport``, a
``batch.run.ResultsWriter``): each row's card is built from the pass's own results
(``CardBuilder``: the criteria's results come from the screener's memo, never evaluated again)
and rendered at once (``CardRenderer``) into a private spool, in three parts around the rank,
which is known only when every row is read. Then the page is produced as a stream of chunks
(``render_screening_html``) so that a large export never has to sit in memory as one string;
``write_screening_html`` writes the chunks atomically. Each distinct part of a card is
rendered once, and equal desirable-score charts are drawn once and then referenced. The cards
are ASCII (any other character as a character reference), so they are spooled as bytes and
written without transcoding.

Every applicant value is escaped; with ``redact`` the cards and the shortlist hold no name,
email, ID or free text. The page holds no script and no URL: opened from disk it
requests nothing, and its Content-Security-Policy forbids any request anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from masterycheck.batch.row_mapping import CellStatus
from masterycheck.core.engine import (
    CompiledProgramme,
    desirable_score,
)
from masterycheck.core.kleene import Outcome
from masterycheck.core.programme import Level
from masterycheck.core.results import CriterionResult, DesirableScore
from masterycheck.core.vocabulary import RowVerdict
from masterycheck.core.window import long_date
from masterycheck.outputs.ranked import RecordSpool
from masterycheck.outputs.safe_files import atomic_output
from masterycheck.reporters.html import (
    PAGE_FOOT,
    VERDICT_TITLES,
    criterion_row,
    desirable_section,
    e,
    essential_section,
    evidence_section,
    is_evidence,
    page_head,
    path_section,
    score_chart,
)
from masterycheck.reporters.svg_charts import Bar, Tone, bar_chart, reusable
from masterycheck.version import __version__

if TYPE_CHECKING:
    from masterycheck.batch.run import ScreenRun
    from masterycheck.batch.screening import Evaluation, Screener, Summary

T = TypeVar("T")
INVALID = RowVerdict.INVALID.value
_TONES: dict[RowVerdict, Tone] = {
    RowVerdict.ELIGIBLE: "good",
    RowVerdict.INCOMPLETE: "warn",
    RowVerdict.NOT_ELIGIBLE: "bad",
    RowVerdict.INVALID: "void",
}
#: The verdicts in ranking order, with the tone each is drawn in.
VERDICT_TONES: tuple[tuple[str, Tone], ...] = tuple((v.value, _TONES[v]) for v in RowVerdict)
VERDICT_MEANING = {
    RowVerdict.ELIGIBLE.value: "meets every essential criterion that the answers can decide",
    RowVerdict.INCOMPLETE.value: (
        "no essential criterion fails, but some cannot be decided from the answers"
    ),
    RowVerdict.NOT_ELIGIBLE.value: "an essential criterion is not met",
    INVALID: "the row could not be read, so it was not screened",
}
ROLE_WORDS = {"name": "Name", "id": "ID", "email": "Email"}
ROLE_ORDER = ("name", "id", "email")
REDACTED = "(redacted)"
CHUNK_CARDS = 10  # cards joined into one chunk


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


REDACTED_INPUT_NAME = "(name withheld: --redact)"


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
    from masterycheck.core.window import window_status

    programme = compiled.programme
    criteria = [c.criterion for c in compiled.criteria]
    dates = [c.last_verified for c in criteria]
    return RunFacts(
        programme=programme.id,
        programme_name=programme.name,
        cohort=programme.cohort,
        academic_years=tuple(programme.academic_years),
        as_of=as_of,
        # The export's name can be a person's ("Jane Smith application.csv").
        input_name=REDACTED_INPUT_NAME if redacted else Path(input_path).name,
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
    identity: tuple[tuple[str, str], ...] = ()  # (role, value), in the order name, id, email
    statements: tuple[tuple[str, str], ...] = ()  # (column heading, free text)
    notes: tuple[str, ...] = ()


class CardBuilder:
    """Builds each row's card from the screening pass's parts, redacting if asked.

    The criteria's results (their reasons, for the card) are the screening's own: the
    ``Screener`` memoises each criterion's result on the cells that feed it, so a card takes
    the results the pass computed, and rows that share those cells share one result object.
    """

    def __init__(self, screener: Screener, *, redact: bool = False):
        """Cards for rows screened by ``screener``."""
        self.screener = screener
        self.redact = redact
        mapper = screener.mapper
        applicant: dict[str, int] = dict(mapper.applicant)
        self.roles = tuple((role, applicant[role]) for role in ROLE_ORDER if role in applicant)
        self.keep: tuple[tuple[str, int], ...] = tuple(mapper.keep)
        self._redacted = tuple((heading, REDACTED) for heading, _ in self.keep)

    def _detail(self, cells: tuple[str, ...], evaluation: Evaluation) -> CardDetail:
        if evaluation.verdict == INVALID:
            problem = evaluation.reasons[0] if evaluation.reasons else "the row could not be read"
            return CardDetail((), (), problem)
        screener = self.screener
        return CardDetail(screener.results(screener.key(cells)), evaluation.path)

    def card(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
        rank: int = 0,
    ) -> ApplicantCard:
        """The card of one screened (or invalid) row, as the screening pass gives it."""
        identity: tuple[tuple[str, str], ...] = ()
        statements: tuple[tuple[str, str], ...]
        if self.redact:
            statements = self._redacted
        else:
            size = len(cells)
            identity = tuple(
                [
                    (role, value)
                    for role, position in self.roles
                    if position < size and (value := cells[position].strip())
                ]
            )
            statements = tuple(
                [
                    (heading, value)
                    for heading, position in self.keep
                    if position < size and (value := cells[position].strip())
                ]
            )
        return ApplicantCard(
            row=row,
            line=line,
            rank=rank,
            verdict=evaluation.verdict,
            review=evaluation.review,
            score=evaluation.score,
            detail=self._detail(cells, evaluation),
            identity=identity,
            statements=statements,
            notes=notes,
        )


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


def _verdict_line(verdict: str) -> str:
    title = VERDICT_TITLES.get(verdict, verdict.upper())
    meaning = VERDICT_MEANING.get(verdict, "")
    return f'<p class="verdict {e(verdict)}">{e(title)} — {e(meaning)}</p>'


_SPECIAL = re.compile("[&<>\"']")


def _ascii(markup: str) -> str:
    """Markup with every non-ASCII character as a character reference (the same page).

    A chunk of cards that is all ASCII is held one byte a character and written without
    transcoding, which is most of the cost of writing a large report.
    """
    return markup if markup.isascii() else markup.encode("ascii", "xmlcharrefreplace").decode()


def _text(value: str) -> str:
    """An applicant's value as HTML text, escaped, in ASCII (quick when nothing changes)."""
    if not value.isascii():
        return _ascii(e(value))
    return e(value) if _SPECIAL.search(value) else value


_VERDICT_LINES = {verdict: _ascii(_verdict_line(verdict)) for verdict in VERDICT_MEANING}
_VERDICTS = {verdict: verdict for verdict in VERDICT_MEANING}  # safe in an attribute as they are


def _number(count: int) -> str:
    """A count with thousands separators (quick for the many under a thousand)."""
    return str(count) if count < 1000 else f"{count:,}"


def _role_term(role: str) -> str:
    """The term of an identity entry, up to its value: ``<dt>Name</dt><dd>``."""
    return f"<dt>{ROLE_WORDS.get(role) or _text(role)}</dt><dd>"


_ROLE_TERMS = {role: _role_term(role) for role in ROLE_WORDS}
SCREEN_UNANSWERED = (
    'Unless an item shows its own outcome, it is <span class="unknown">? unknown — for the '
    "panel to judge</span>: the row holds no answer to it. After each colon, the evidence the "
    "statement must give."
)
_SCORE_ID = "score-row-placeholder"
_REVIEW = '<p class="review">For human review: incomplete, or a case for the hub to confirm.</p>'


Ids = tuple[int, ...]


def _picker(positions: Sequence[int]) -> Callable[[Sequence[T]], tuple[T, ...]]:
    """A function taking the items at ``positions`` from a sequence, as a tuple."""
    if len(positions) >= 2:
        return operator.itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda items: (items[only],)
    return lambda items: ()


class _Layout:
    """Where each part of a card finds its criteria (the same on every card of a run)."""

    def __init__(self, results: Sequence[CriterionResult]) -> None:
        numbered = list(enumerate(results))
        self.size = len(results)
        fact = [(i, r) for i, r in numbered if not is_evidence(r)]
        self.essential = _picker([i for i, r in fact if r.level is Level.ESSENTIAL])
        self.desirable_facts = _picker([i for i, r in fact if r.level is Level.DESIRABLE])
        self.desirable = _picker([i for i, r in numbered if r.level is Level.DESIRABLE])
        evidence = [i for i, r in numbered if is_evidence(r)]
        self.evidence = _picker(evidence)
        self.has_evidence = bool(evidence)


class CardRenderer:
    """Renders cards, rendering each distinct part of a card once.

    ``CardBuilder`` shares result objects between rows (memoised per criterion), so each
    criterion's table row is cached by the identity of its result, and each part of a card
    (the essential table; the desirable score, chart and table; the evidence list) by the
    identities of its results, the path by its steps. The caches hold the results too, so
    that no identity is reused while it is cached. The desirable part is kept split where
    the score chart's id goes. A card is then joined from strings already escaped: only the
    applicant's own values (title, identity, statements, notes) are escaped per row.
    """

    def __init__(self, input_name: str, score_out_of: int, memo_size: int = 16_384) -> None:
        self.memo_size = memo_size
        self._layout: _Layout | None = None
        self._rows: dict[int, tuple[CriterionResult, str]] = {}
        self._essential: dict[Ids, tuple[tuple[CriterionResult, ...], str]] = {}
        self._desirable: dict[Ids, tuple[tuple[CriterionResult, ...], list[str]]] = {}
        self._evidence: dict[Ids, tuple[tuple[CriterionResult, ...], str]] = {}
        self._paths: dict[tuple[str, ...], str] = {}
        # Few: desirable scores by the outcomes that make them, and their charts by score.
        self._scores: dict[tuple[tuple[Outcome, bool], ...], DesirableScore] = {}
        self._charts: dict[DesirableScore, str] = {}
        self._headings: dict[str, str] = {}  # kept columns' headings, escaped
        self._of_rows: dict[int, str] = {}
        self._small = (
            _ascii(f" of {e(input_name)} · "),
            _ascii(" · desirable score "),
            f" of {score_out_of}</p>",
        )

    def _row(self, result: CriterionResult) -> str:
        found = self._rows.get(id(result))
        if found is None:
            found = (result, _ascii(criterion_row(result)))
            if len(self._rows) < self.memo_size:
                self._rows[id(result)] = found
        return found[1]

    def _criteria(self, row: int, detail: CardDetail, statements: bool) -> list[str]:
        """The card's criteria, path and evidence list, from the caches where they can be.

        With ``statements`` to follow, the evidence section is opened even when the
        programme has no evidence criterion.
        """
        results = detail.results
        layout = self._layout
        if layout is None or layout.size != len(results):
            layout = self._layout = _Layout(results)
        ids = tuple(map(id, results))
        lines: list[str] = []
        key = layout.essential(ids)
        essential = self._essential.get(key)
        if essential is None:
            facts = layout.essential(results)
            essential = (facts, _ascii("\n".join(essential_section(facts, self._row))))
            if len(self._essential) < self.memo_size:
                self._essential[key] = essential
        lines.append(essential[1])
        key = layout.desirable(ids)
        desirable = self._desirable.get(key)
        if desirable is None:
            chosen = layout.desirable(results)
            signature = tuple([(r.outcome, r.self_declared) for r in chosen])
            score = self._scores.get(signature)
            if score is None:
                score = self._scores[signature] = desirable_score(list(chosen))
            chart = self._charts.get(score)
            if chart is None and score.total:  # drawn once here, as a symbol; then by reference
                symbol, chart = reusable(
                    score_chart(_SCORE_ID, score), f"mc-score-{len(self._charts) + 1}"
                )
                self._charts[score] = chart
                lines.append(symbol)
            section = desirable_section(
                layout.desirable_facts(results), score, _SCORE_ID, self._row, chart
            )
            # The chart is ours alone (numbers and fixed words): its placeholder id is safe
            # to replace with the row's.
            parts = _ascii("\n".join(section)).split(_SCORE_ID)
            desirable = (chosen, parts)
            if len(self._desirable) < self.memo_size:
                self._desirable[key] = desirable
        if desirable[1] != [""]:
            lines.append(f"score-row-{row}".join(desirable[1]))
        if detail.path:
            path = self._paths.get(detail.path)
            if path is None:
                path = _ascii("\n".join(path_section(detail.path)))
                if len(self._paths) < self.memo_size:
                    self._paths[detail.path] = path
            lines.append(path)
        key = layout.evidence(ids)
        evidence = self._evidence.get(key)
        if evidence is None:
            chosen = layout.evidence(results)
            section = evidence_section(chosen, "Evidence for the panel to judge", SCREEN_UNANSWERED)
            evidence = (chosen, _ascii("\n".join(section)))
            if len(self._evidence) < self.memo_size:
                self._evidence[key] = evidence
        if evidence[1]:
            lines.append(evidence[1])
        elif statements and not layout.has_evidence:
            lines.append("<h3>Evidence for the panel to judge</h3>")
        return lines

    def _heading(self, heading: str) -> str:
        """A kept column's heading, over its text on a card."""
        shown = self._headings[heading] = (
            f'<p class="statement-heading"><strong>{_text(heading)}</strong></p>'
        )
        return shown

    def parts(self, card: ApplicantCard) -> tuple[str, str, str]:
        """One card's HTML (ASCII) in three parts, to be joined around its rank: the part
        before the rank's attribute value, the part before the rank's words (``rank_words``)
        and the rest. The rank is known only once every row is screened."""
        row = card.row
        verdict = card.verdict
        of_input, _, out_of = self._small
        identity = card.identity
        title = f"Row {row}: {_text(identity[0][1])}" if identity else f"Row {row}"
        before_rank = f'<section class="card" id="row-{row}" data-row="{row}" data-rank="'
        before_words = (
            f'" data-verdict="{_VERDICTS.get(verdict) or _text(verdict)}">\n'
            f"<h2>{title}</h2>\n"
            f'<p class="small">Line {_number(card.line)}{of_input}'
        )
        lines = [f"{card.score}{out_of}"]
        if identity:
            roles = _ROLE_TERMS
            shown = "".join(
                [
                    f"{roles.get(role) or _role_term(role)}{_text(value)}</dd>"
                    for role, value in identity
                ]
            )
            lines.append(f'<dl class="facts identity">{shown}</dl>')
        lines.append(_VERDICT_LINES.get(verdict) or _ascii(_verdict_line(verdict)))
        if card.review:
            lines.append(_REVIEW)
        detail = card.detail
        if detail.problem is not None:
            lines.append(f'<p class="problem">Why: {_text(detail.problem)}</p>')
        if card.notes:
            lines += [f'<p class="note">{_text(note)}</p>' for note in card.notes]
        if detail.problem is None:
            statements = card.statements
            lines += self._criteria(row, detail, bool(statements))
            if statements:
                headings = self._headings
                lines += [
                    f"{headings.get(heading) or self._heading(heading)}"
                    f'<blockquote class="statement">{_text(text)}</blockquote>'
                    for heading, text in statements
                ]
        lines.append("</section>")
        return before_rank, before_words, "\n".join(lines)

    def rank_words(self, rank: int, rows_in: int) -> str:
        """The words of a card's rank, up to its score: ``rank 3 of 1,000 · desirable score ``."""
        if not rank:
            return f"not ranked{self._small[1]}"
        of_rows = self._of_rows.get(rows_in)
        if of_rows is None:
            of_rows = self._of_rows[rows_in] = _ascii(f" of {rows_in:,} · desirable score ")
        return f"rank {_number(rank)}{of_rows}"

    def render(self, card: ApplicantCard, rows_in: int) -> str:
        """One card's HTML (ASCII: other characters as character references)."""
        before_rank, before_words, rest = self.parts(card)
        words = self.rank_words(card.rank, rows_in)
        return f"{before_rank}{card.rank}{before_words}{words}{rest}"


def render_screening_html(
    facts: RunFacts,
    summary: Summary,
    shortlist: Sequence[ShortlistRow],
    cards: Iterable[str],
) -> Iterator[str]:
    """The screening report as a stream of HTML chunks (join them, or write them in turn).

    ``cards`` are the rendered cards, one per row read, in row order (``CardRenderer``).
    Raises ``ReportError`` after the last card if there are not ``facts.rows_in`` of them;
    written through ``write_screening_html`` the file is then never created.
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
    count = 0
    batch: list[str] = []  # up to CHUNK_CARDS cards
    for card in cards:
        count += 1
        batch.append(card)
        if count % CHUNK_CARDS == 0:
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
    written = 0
    with atomic_output(target, protect=protect, newline="") as stream:
        for chunk in chunks:
            stream.write(chunk)
            written += len(chunk)
    return written


class HtmlReport:
    """The HTML report as a writer of the screening run (``batch.run.ResultsWriter``).

    Each row's card is rendered as the pass gives the row, from the pass's own results
    (``CardBuilder``), and spooled without its rank; ``finish`` writes the page's facts,
    charts and shortlist, then the cards with their ranks.
    """

    def __init__(
        self,
        target: Path,
        screener: Screener,
        facts: Callable[[int], RunFacts],
        *,
        protect: Iterable[Path] = (),
    ) -> None:
        """Write to ``target``; ``facts(rows)`` gives the run's facts once the rows are
        counted (redacted when ``facts(...).redacted``)."""
        self.target = target
        self.protect = list(protect)
        self._facts = facts
        first = facts(0)
        self._builder = CardBuilder(screener, redact=first.redacted)
        self._renderer = CardRenderer(first.input_name, first.score_out_of)
        self._spool = RecordSpool(target.parent)
        self._chars = 0

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None:
        """Render one row's card and spool it, in three parts around its rank (ASCII)."""
        before_rank, before_words, rest = self._renderer.parts(
            self._builder.card(row, line, cells, evaluation, notes)
        )
        self._spool.write(
            b"%d,%d,%s%s%s"
            % (
                len(before_rank),
                len(before_words),
                before_rank.encode(),
                before_words.encode(),
                rest.encode(),
            )
        )

    def _cards(self, ranks: Iterator[int], rows_in: int) -> Iterator[str]:
        words = self._renderer.rank_words
        for record, rank in zip(self._spool.records(), ranks, strict=True):
            first = record.index(b",")
            second = record.index(b",", first + 1)
            start = second + 1
            middle = start + int(record[:first])
            end = middle + int(record[first + 1 : second])
            yield (
                b"%s%d%s%s%s"
                % (
                    record[start:middle],
                    rank,
                    record[middle:end],
                    words(rank, rows_in).encode(),
                    record[end:],
                )
            ).decode("ascii")

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the report; returns how many cards it holds."""
        facts = self._facts(run.rows)
        chunks = render_screening_html(
            facts, run.summary, run.shortlist, self._cards(ranks, facts.rows_in)
        )
        write_screening_html(self.target, chunks, protect=self.protect)
        return run.rows

    def discard(self) -> None:
        """Remove the spool."""
        self._spool.remove()
