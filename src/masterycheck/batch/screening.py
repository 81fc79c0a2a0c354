"""Batch screening of a form export: every row screened or marked invalid, then ranked.

Pure: no printing, no files. The caller gives rows (anything shaped like
``batch.tables.TableRow``), a ``RowMapper`` and a compiled programme. ``screen_rows`` is the
one pass over the rows: it screens each row (memoised on its mapped cells), hands the row's
parts to a callback (the writers spool them), and keeps only a verdict code and a desirable
score per row (two small-int ``array`` s) plus the ``Summary`` counts, so memory does not
grow with the export. ``ranks_in_order`` then ranks from those arrays with a counting sort
(stable by row number), and the writers copy their spools with each row's rank.

Rows in = rows out is checked by the program itself: ``AccountingError`` if the rows do not
come numbered 1, 2, 3... (the caller checks the rows written against the rows read).
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import call, itemgetter
from typing import Protocol, cast

from masterycheck.batch.row_mapping import CellStatus, RowMapper
from masterycheck.core.answers import Value, display, shown_answer
from masterycheck.core.engine import (
    HUB_STATEMENT,
    CompiledProgramme,
    answers_with_derived,
    criterion_result,
    decide_verdict,
    desirable_score,
    path_to_eligibility,
)
from masterycheck.core.fields import Field
from masterycheck.core.labels import criterion_label
from masterycheck.core.profile import Profile
from masterycheck.core.results import CriterionResult
from masterycheck.core.vocabulary import Kind, Level, Outcome, RowVerdict, is_published

INVALID = RowVerdict.INVALID.value
#: Verdict -> code; the ranking order of the verdict classes.
VERDICT_CODES: dict[str, int] = {verdict.value: code for code, verdict in enumerate(RowVerdict)}
VERDICTS: tuple[str, ...] = tuple(VERDICT_CODES)
HUB_TO_CONFIRM = "hub_to_confirm"
_SECOND = itemgetter(1)
_INCOMPLETE_CODE = VERDICT_CODES[RowVerdict.INCOMPLETE.value]
#: The code of a superseded row (``batch.duplicates``), after every verdict's: not ranked.
SUPERSEDED_CODE = len(VERDICT_CODES)
DEFAULT_CACHE_SIZE = 16_384


class AccountingError(RuntimeError):
    """Internal error: the rows written are not exactly the rows read."""


class RowLike(Protocol):
    """What screening needs of an input row (``batch.tables.TableRow``)."""

    @property
    def number(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def cells(self) -> tuple[str, ...]: ...
    @property
    def problem(self) -> str | None: ...


@dataclass(frozen=True, slots=True, eq=False)
class Evaluation:
    """What the criteria concluded for one distinct set of mapped answers (memoised).

    Compared and hashed by identity, so a ``Counter`` of evaluations stays cheap.
    """

    verdict: str
    code: int
    score: int  # weights of desirable criteria met, overlay criteria included
    review: bool
    outcomes: tuple[str, ...]  # per criterion: met, not_met, unknown or hub_to_confirm
    reasons: tuple[str, ...]
    path: tuple[str, ...]
    cached: bool = True
    overlay_score: int = 0  # the part of ``score`` from a hub overlay's criteria


def invalid(problem: str) -> Evaluation:
    """The evaluation of a row that could not be read (``problem`` says why)."""
    return Evaluation(INVALID, VERDICT_CODES[INVALID], 0, False, (), (problem,), (), False)


def _token(index: int, result: CriterionResult) -> object:
    """What of a criterion's result a row's evaluation depends on.

    A desirable or met criterion contributes only its outcome; an essential one that fails or
    is unknown also gives its reason and path step, so it stands for itself (by identity: the
    result is kept alive by the criterion's cache).
    """
    if result.level is Level.DESIRABLE or result.outcome is Outcome.MET:
        return (index, result.outcome, result.hub_to_confirm)
    return id(result)


def constant_note(field: Field, value: Value) -> str:
    """The note on every screened row for an answer the hub states (a mapping constant)."""
    return (
        f"{field.label}: {display(field, value)} ({HUB_STATEMENT}, from the mapping's "
        "constants; not the applicant's answer)"
    )


#: ``on_row(number, line, cells, evaluation, notes)``: one screened or invalid row, in order.
RowSink = Callable[[int, int, tuple[str, ...], Evaluation, tuple[str, ...]], None]


class Screener:
    """Screens rows against a compiled programme, memoising on the mapped cells."""

    def __init__(
        self,
        compiled: CompiledProgramme,
        mapper: RowMapper,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        """Prepare to screen; at most ``cache_size`` distinct answer sets are remembered."""
        self.compiled = compiled
        self.mapper = mapper
        self.cache_size = cache_size
        self._outcome_cache: dict[tuple[object, ...], Evaluation] = {}
        self._criterion_cache: tuple[dict[object, tuple[CriterionResult, object]], ...] = tuple(
            {} for _ in compiled.criteria
        )
        self._criterion_fields = tuple(
            (*c.rule.fields, *(c.hub.fields if c.hub else ())) for c in compiled.criteria
        )
        # A criterion's result depends only on the cells of the columns that may set one of
        # its fields (a derived field through its source), so it is memoised on those cells.
        source_of = dict(compiled.derived)
        settable = mapper.settable_fields()
        columns_of: list[tuple[int, ...]] = []
        for names in self._criterion_fields:
            wanted = {source_of.get(name, name) for name in names}
            columns_of.append(tuple(j for j, fields in enumerate(settable) if fields & wanted))
        # Criteria that no column feeds give the same result for every row.
        self._variable = tuple(i for i, cols in enumerate(columns_of) if cols)
        positions = mapper.positions
        #: The mapped cells of a row (its key): equal keys give equal answers.
        self.key: Callable[[Sequence[str]], tuple[str, ...]] = (
            itemgetter(*positions) if len(positions) > 1 else mapper.key
        )
        # (criterion, its cache, a getter of the cells that feed it from the row's key)
        self._plan = tuple(
            (i, self._criterion_cache[i], itemgetter(*columns_of[i])) for i in self._variable
        )
        self._getters = tuple(getter for _, _, getter in self._plan)
        # The tokens alone, filled with the caches: a row's outcome key in one map.
        self._token_caches: tuple[dict[object, object], ...] = tuple({} for _ in self._plan)
        self._token_cache_of = dict(zip(self._variable, self._token_caches, strict=True))
        # The hub's constants are every row's answers too (and the only ones of the criteria
        # that no column feeds).
        self._hub = frozenset(mapper.constants)
        constants = answers_with_derived(compiled, Profile(dict(mapper.constants)))
        self._constant_results: tuple[CriterionResult, ...] = tuple(
            criterion_result(item, compiled.catalogue, constants, stated_by_hub=self._hub)
            for item in compiled.criteria
        )
        #: The note every screened row carries when the hub states answers for every row.
        self.constant_notes: tuple[str, ...] = tuple(
            constant_note(compiled.catalogue.by_id[field_id], value)
            for field_id, value in mapper.constants.items()
        )
        self.criteria = tuple(c.criterion for c in compiled.criteria)
        self.origins = tuple(c.origin for c in compiled.criteria)
        self.max_score = sum(c.weight for c in self.criteria if c.level is Level.DESIRABLE)

    def unreadable_notes(
        self, number: int, statuses: Sequence[CellStatus], key: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """The notes for row ``number``'s unreadable cells (by their ``statuses``), each
        quoting the cell as given (from ``key``, the row's mapped cells: on one line, inert,
        shortened) so that it is not mistaken for no answer."""
        columns = self.mapper.columns
        return tuple(
            f"row {number}, column “{columns[i].heading}”: unreadable answer"
            + (f" {shown_answer(key[i])}" if i < len(key) else "")
            + ", treated as unknown"
            for i, status in enumerate(statuses)
            if status is CellStatus.UNREADABLE
        )

    def results(self, key: tuple[str, ...]) -> tuple[CriterionResult, ...]:
        """Every criterion's result for one row's mapped cells, from the memo the screening
        filled (so a row already screened needs no criterion evaluated again)."""
        results = list(self._constant_results)
        for index, cache, cells in self._plan:
            values = cells(key)
            results[index] = (cache.get(values) or self._criterion_miss(index, cache, values, key))[
                0
            ]
        return tuple(results)

    def _evaluate_afresh(self, key: tuple[str, ...]) -> Evaluation:
        """Evaluate one row's mapped cells, memoising per criterion and per outcome.

        Each criterion's result is memoised on the cells that feed it, so most rows need no
        reading of answers at all; the row's evaluation is memoised on the identities of those
        results (kept alive by their caches), and found from them by ``screen_rows`` without
        calling this. Whatever does not fit a bounded cache is computed afresh.
        """
        founds = [
            cache.get(cells(key)) or self._criterion_miss(index, cache, cells(key), key)
            for index, cache, cells in self._plan
        ]
        outcome_key = tuple(map(_SECOND, founds))
        evaluation = self._outcome_cache.get(outcome_key)
        if evaluation is None:
            results = list(self._constant_results)
            for (index, _, _), found in zip(self._plan, founds, strict=True):
                results[index] = found[0]
            answers = answers_with_derived(self.compiled, Profile(self.mapper.read(key).answers))
            # Results that did not fit their cache may be gone by the next row, and with them
            # the identity their token stands for: such an evaluation is not remembered.
            room = len(self._outcome_cache) < self.cache_size and all(
                found is self._criterion_cache[index].get(cells(key))
                for (index, _, cells), found in zip(self._plan, founds, strict=True)
            )
            evaluation = self._evaluation(results, answers, cached=room)
            if room:
                self._outcome_cache[outcome_key] = evaluation
        return evaluation

    def _criterion_miss(
        self,
        index: int,
        cache: dict[object, tuple[CriterionResult, object]],
        values: object,
        key: tuple[str, ...],
    ) -> tuple[CriterionResult, object]:
        """Evaluate one criterion on cells not seen before (and remember it if there is room)."""
        compiled = self.compiled
        read = self.mapper.read(key)
        answers = answers_with_derived(compiled, Profile(read.answers))
        result = criterion_result(
            compiled.criteria[index], compiled.catalogue, answers, read.given, self._hub
        )
        found = (result, _token(index, result))
        if len(cache) < self.cache_size:
            cache[values] = found
            self._token_cache_of[index][values] = found[1]
        return found

    def _evaluation(
        self,
        results: list[CriterionResult],
        answers: dict[str, Value],
        *,
        cached: bool,
    ) -> Evaluation:
        compiled = self.compiled
        verdict = decide_verdict(results)
        score = desirable_score(results).met
        outcomes: list[str] = []
        reasons: list[str] = []
        hub = False
        overlay_score = 0
        for result in results:
            if (
                not is_published(result.origin)
                and result.level is Level.DESIRABLE
                and result.outcome is Outcome.MET
            ):
                overlay_score += result.weight
            if result.hub_to_confirm:
                hub = True
                outcomes.append(HUB_TO_CONFIRM)
            else:
                outcomes.append(result.outcome.value)
            if result.level is Level.ESSENTIAL and (
                result.outcome is Outcome.NOT_MET
                or (result.outcome is Outcome.UNKNOWN and result.kind is Kind.FACT)
            ):
                reasons.append(f"{result.id}: {result.reason}")
        path = tuple(step.action for step in path_to_eligibility(compiled, results, answers))
        row_verdict = RowVerdict.of(verdict)
        return Evaluation(
            row_verdict.value,
            VERDICT_CODES[row_verdict.value],
            score,
            row_verdict is RowVerdict.INCOMPLETE or hub,
            tuple(outcomes),
            tuple(reasons),
            path,
            cached,
            overlay_score,
        )

    def screen_rows(self, rows: Iterable[RowLike], on_row: RowSink) -> ScreenedRows:
        """The one pass: screen every row, in order, handing each row's parts to ``on_row``.

        Keeps a verdict code and a score per row and the summary's counts. A row whose
        criteria's results are all memoised finds its evaluation in two lookups (the tokens of
        those results, then the evaluation of the tokens); any other goes to
        ``_evaluate_afresh``.
        """
        codes: array[int] = array("b")
        scores: array[int] = array("H")
        summary = Summary.for_screener(self)
        add_code, add_score = codes.append, scores.append
        evaluations: Counter[Evaluation] = Counter()
        count_now = summary.count
        mapper = self.mapper
        key_of, statuses_of = self.key, mapper.statuses
        token_caches, getters = self._token_caches, self._getters
        outcomes, evaluate = self._outcome_cache, self._evaluate_afresh
        get = dict.get
        # None for a cell not memoised, which makes ``sum`` raise TypeError.
        part_of = cast(Callable[[dict[str, int], str], int], dict.get)
        # A row's statuses as one int, two bits a column (a CellStatus is 0 to 3): the sum of
        # each cell's status shifted to its column's place, memoised per column and cell.
        width = len(mapper.columns)
        places = tuple(2 * j for j in range(width))
        status_parts: tuple[dict[str, int], ...] = tuple({} for _ in range(width))
        low_bits = sum(1 << place for place in places)  # UNREADABLE is the only 0b10
        statuses_seen: Counter[int] = Counter()
        number = 0
        constant_notes = self.constant_notes
        for row in rows:
            number += 1
            if row.number != number:
                raise AccountingError(f"row {row.number} read where row {number} was expected")
            cells = row.cells
            problem = row.problem
            notes: tuple[str, ...] = ()
            if problem is None:
                notes = constant_notes
                key = key_of(cells)
                try:
                    status_code = sum(map(part_of, status_parts, key))
                except TypeError:  # a cell not memoised (a None in the sum)
                    status_code = _status_code(statuses_of(key), key, status_parts)
                statuses_seen[status_code] += 1
                outcome_key = tuple(map(get, token_caches, map(call, getters, repeat(key))))
                evaluation = outcomes.get(outcome_key)  # never found with a None in the key
                if evaluation is None:
                    evaluation = evaluate(key)
                if (status_code >> 1) & ~status_code & low_bits:
                    notes = self.unreadable_notes(number, statuses_of(key), key) + notes
            else:
                evaluation = invalid(problem)
            if evaluation.cached:
                evaluations[evaluation] += 1
            else:
                count_now(evaluation, 1)
            score = evaluation.score
            add_code(evaluation.code)
            add_score(score if score < 65_535 else 65_535)
            on_row(number, row.line, cells, evaluation, notes)
        for evaluation, times in evaluations.items():
            summary.count(evaluation, times)
        for status_code, times in statuses_seen.items():
            statuses = tuple(CellStatus((status_code >> place) & 3) for place in places)
            summary.count_cells(statuses, times)
        summary.rows = number
        return ScreenedRows(codes, scores, summary)


def screen_rows(rows: Iterable[RowLike], screener: Screener, on_row: RowSink) -> ScreenedRows:
    """Screen every row in one pass (``Screener.screen_rows``)."""
    return screener.screen_rows(rows, on_row)


def _status_code(
    statuses: tuple[CellStatus, ...], key: Sequence[str], parts: tuple[dict[str, int], ...]
) -> int:
    """``statuses`` as one int (see ``Screener.screen_rows``), remembering each cell's part."""
    code = 0
    for place, (status, cell, memo) in enumerate(zip(statuses, key, parts, strict=True)):
        part = status << (2 * place)
        code += part
        if len(memo) < DEFAULT_CACHE_SIZE:
            memo[cell] = part
    return code


@dataclass
class Summary:
    """Counts over a screening run, for the report after it."""

    criteria: tuple[str, ...]
    essential: tuple[bool, ...]
    columns: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    rows: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    review: int = 0
    excluded: Counter[str] = field(default_factory=Counter)  # essential not met, by id
    unknown: Counter[str] = field(default_factory=Counter)  # essential unknown, by id
    cells: dict[str, Counter[CellStatus]] = field(default_factory=dict)  # column -> statuses
    hub_statements: tuple[str, ...] = ()  # the mapping's constants, as every row's note says
    superseded: int = 0  # earlier submissions of an applicant, not counted as applicants
    labels: tuple[str, ...] = ()  # each criterion's short label (``core.labels``)

    @classmethod
    def for_screener(cls, screener: Screener) -> Summary:
        """An empty summary for the criteria and columns of ``screener``."""
        return cls(
            criteria=tuple(c.id for c in screener.criteria),
            essential=tuple(c.level is Level.ESSENTIAL for c in screener.criteria),
            columns=tuple(c.heading for c in screener.mapper.columns),
            kinds=tuple(c.kind.value for c in screener.criteria),
            hub_statements=screener.constant_notes,
            labels=tuple(criterion_label(c) for c in screener.criteria),
        )

    def count(self, evaluation: Evaluation, times: int) -> None:
        """Count ``times`` rows of one evaluation (rows are counted by ``rows``)."""
        self.verdicts[evaluation.verdict] += times
        if evaluation.review:
            self.review += times
        for index, outcome in enumerate(evaluation.outcomes):
            if not self.essential[index]:
                continue
            if outcome == Outcome.NOT_MET.value:
                self.excluded[self.criteria[index]] += times
            elif outcome != Outcome.MET.value:
                self.unknown[self.criteria[index]] += times

    def count_cells(self, statuses: Sequence[CellStatus], times: int) -> None:
        """Count ``times`` rows whose mapped cells were answered as ``statuses``."""
        for index, status in enumerate(statuses):
            self.cells.setdefault(self.columns[index], Counter())[status] += times

    def supersede(self, evaluation: Evaluation) -> None:
        """Take one counted row of ``evaluation`` out of the counts of applicants: an
        earlier submission of an applicant who submitted again (``batch.duplicates``). Its
        cells stay in the data-quality counts: they are the export's."""
        self.count(evaluation, -1)
        for counts in (self.verdicts, self.excluded, self.unknown):
            for key in [key for key, times in counts.items() if times == 0]:
                del counts[key]
        self.superseded += 1


@dataclass
class ScreenedRows:
    """What the pass keeps: a verdict code and a score per row, and the summary."""

    codes: array[int]
    scores: array[int]
    summary: Summary

    @property
    def rows(self) -> int:
        """How many rows were read."""
        return len(self.codes)

    def ranks(self, max_score: int) -> Iterator[int]:
        """Every row's rank, in row order (``ranks_in_order``)."""
        return ranks_in_order(self.codes, self.scores, max_score)

    def supersede(self, rows: Iterable[int], evaluations: Sequence[Evaluation]) -> None:
        """Leave ``rows`` (earlier submissions of an applicant) out of the ranks and the
        summary's counts of applicants; ``evaluations`` holds every row's evaluation."""
        for row in rows:
            self.codes[row - 1] = SUPERSEDED_CODE
            self.summary.supersede(evaluations[row - 1])


def ranks_in_order(codes: Sequence[int], scores: Sequence[int], max_score: int) -> Iterator[int]:
    """1-based rank of every row, in row order: eligible first, then incomplete, then not
    eligible, then invalid; within each, higher desirable score first; ties in row order. A
    superseded row (``SUPERSEDED_CODE``) is not ranked: 0.

    A counting sort over (verdict, score) buckets: linear time, no array of ranks.
    """
    top = max(max_score, max(scores, default=0))
    width = top + 1
    counts = [0] * ((SUPERSEDED_CODE + 1) * width)
    for code, score in zip(codes, scores, strict=True):
        counts[code * width + (top - score)] += 1
    start = 1
    for bucket, count in enumerate(counts):
        counts[bucket] = start
        start += count
    for code, score in zip(codes, scores, strict=True):
        if code == SUPERSEDED_CODE:
            yield 0
            continue
        bucket = code * width + (top - score)
        yield counts[bucket]
        counts[bucket] += 1


@dataclass(frozen=True)
class ShortlistEntry:
    """One of the best-ranked rows."""

    rank: int
    row: int
    verdict: str
    score: int
    identifier: str | None


class Shortlist:
    """The best screened rows, kept as the rows pass: eligible before incomplete, a higher
    desirable score first, an earlier row first among equals (so its order is the ranks')."""

    def __init__(
        self,
        size: int,
        max_score: int,
        identify: Callable[[tuple[str, ...]], str | None],
    ) -> None:
        """Keep ``size`` rows; ``identify`` names an applicant from a row's cells (or None)."""
        self.size = size
        self._identify = identify
        self._span = max_score + 1  # above any row's score
        # Entries order like (-code, score, -row); the heap's root is the worst kept.
        self._heap: list[tuple[int, int, int, int, str | None]] = []
        # The worst kept entry as one int that orders like the entries (a later row never
        # beats an equal one); below any row until the list is full.
        self._bar = -1

    def offer(self, row: int, code: int, score: int, cells: tuple[str, ...]) -> None:
        """Consider one screened row (rows must come in input order)."""
        if code > _INCOMPLETE_CODE or (1 - code) * self._span + score <= self._bar:
            return
        entry = (-code, score, -row, row, self._identify(cells))
        heap = self._heap
        if len(heap) < self.size:
            heapq.heappush(heap, entry)
        else:
            heapq.heapreplace(heap, entry)
        if len(heap) == self.size:
            self._bar = (1 + heap[0][0]) * self._span + heap[0][1]

    def best(self) -> list[tuple[int, int, int, str | None]]:
        """(row, verdict code, score, identifier) of the kept rows, best first."""
        return [
            (row, -code, score, name)
            for code, score, _, row, name in sorted(self._heap, reverse=True)
        ]

    def entries(self) -> list[ShortlistEntry]:
        """The kept rows, best first, ranked 1, 2, 3... (their ranks in the whole run)."""
        return [
            ShortlistEntry(rank, row, VERDICTS[code], score, identifier)
            for rank, (row, code, score, identifier) in enumerate(self.best(), 1)
        ]
