"""Batch screening of a form export: every row screened or marked invalid, then ranked.

Pure: no printing, no files. The caller gives rows (anything shaped like
``batch.tables.TableRow``), a ``RowMapper`` and a compiled programme. Screening streams in
two passes so that memory does not grow with the export:

1. ``first_pass`` screens every row and keeps only a verdict code and a desirable score per
   row (two small-int ``array`` s) plus the ``Summary`` counts, handing each result to a
   callback; ``screen_rows`` is the same pass written out for speed, for the one-pass CSV
   writer, which spools each row's record (``io.ranked_csv``);
2. ``ranks_in_order`` ranks from those arrays with a counting sort (stable by row number);
3. for writers that need whole results again (XLSX, JSON lines), ``second_pass`` screens the
   re-read rows again (cheap: results are memoised) and yields each with its rank.

Rows in = rows out is checked by the program itself: ``AccountingError`` if the second pass
does not see exactly the rows of the first, in the same order.
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
from masterycheck.core.answers import Value
from masterycheck.core.engine import (
    CompiledProgramme,
    answers_with_derived,
    criterion_result,
    criterion_results,
    decide_verdict,
    desirable_score,
    path_to_eligibility,
)
from masterycheck.core.kleene import Outcome
from masterycheck.core.profile import Profile
from masterycheck.core.programme import Level, Verdict
from masterycheck.core.results import CriterionResult

INVALID = "invalid"
#: Verdict -> code; the ranking order of the verdict classes.
VERDICT_CODES: dict[str, int] = {
    Verdict.ELIGIBLE.value: 0,
    Verdict.INCOMPLETE.value: 1,
    Verdict.NOT_ELIGIBLE.value: 2,
    INVALID: 3,
}
VERDICTS: tuple[str, ...] = tuple(VERDICT_CODES)
HUB_TO_CONFIRM = "hub_to_confirm"
_SECOND = itemgetter(1)
_INCOMPLETE_CODE = VERDICT_CODES[Verdict.INCOMPLETE.value]
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


@dataclass(slots=True)
class ScreenResult:
    """One input row, screened or invalid."""

    row: int
    line: int
    evaluation: Evaluation
    cells: tuple[str, ...]
    notes: tuple[str, ...]
    statuses: tuple[CellStatus, ...] = ()  # how each mapped cell was answered

    @property
    def verdict(self) -> str:
        """eligible, not_eligible, incomplete or invalid."""
        return self.evaluation.verdict

    @property
    def score(self) -> int:
        """Weights of desirable criteria met."""
        return self.evaluation.score


def _invalid(problem: str) -> Evaluation:
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
        self._key: Callable[[Sequence[str]], tuple[str, ...]] = (
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
        self._constant_results: tuple[CriterionResult, ...] = tuple(
            criterion_result(item, compiled.catalogue, {}) for item in compiled.criteria
        )
        self.criteria = tuple(c.criterion for c in compiled.criteria)
        self.origins = tuple(c.origin for c in compiled.criteria)
        self.max_score = sum(c.weight for c in self.criteria if c.level is Level.DESIRABLE)

    def screen(self, row: RowLike) -> ScreenResult:
        """Screen one row (or mark it invalid, with its problem as the reason)."""
        if row.problem is not None:
            return ScreenResult(row.number, row.line, _invalid(row.problem), row.cells, ())
        key = self._key(row.cells)
        statuses = self.mapper.statuses(key)
        evaluation = self._evaluate_key(key)
        notes: tuple[str, ...] = ()
        if CellStatus.UNREADABLE in statuses:
            notes = self.unreadable_notes(row.number, statuses)
        return ScreenResult(row.number, row.line, evaluation, row.cells, notes, statuses)

    def unreadable_notes(self, number: int, statuses: Sequence[CellStatus]) -> tuple[str, ...]:
        """The notes for row ``number``'s unreadable cells (by their ``statuses``)."""
        columns = self.mapper.columns
        return tuple(
            f"row {number}, column “{columns[i].heading}”: unreadable answer, treated as unknown"
            for i, status in enumerate(statuses)
            if status is CellStatus.UNREADABLE
        )

    def _evaluate_key(self, key: tuple[str, ...]) -> Evaluation:
        """Evaluate one row's mapped cells, memoising per criterion and per outcome.

        Each criterion's result is memoised on the cells that feed it, so most rows need no
        reading of answers at all; the row's evaluation is memoised on the identities of those
        results (kept alive by their caches). Whatever does not fit a bounded cache is computed
        afresh.
        """
        outcome_key = tuple(
            map(dict.get, self._token_caches, map(call, self._getters, repeat(key)))
        )
        if None not in outcome_key:
            evaluation = self._outcome_cache.get(outcome_key)
            if evaluation is not None:
                return evaluation
        return self._evaluate_afresh(key)

    def _evaluate_afresh(self, key: tuple[str, ...]) -> Evaluation:
        """``_evaluate_key`` for a row whose evaluation is not memoised yet."""
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
        answers = answers_with_derived(compiled, Profile(self.mapper.read(key).answers))
        result = criterion_result(compiled.criteria[index], compiled.catalogue, answers)
        found = (result, _token(index, result))
        if len(cache) < self.cache_size:
            cache[values] = found
            self._token_cache_of[index][values] = found[1]
        return found

    def evaluate(self, key: Sequence[str], *, cached: bool = True) -> Evaluation:
        """Assess one set of mapped cells with the engine's own rules (no memoising)."""
        compiled = self.compiled
        read = self.mapper.read(key)
        answers = answers_with_derived(compiled, Profile(read.answers))
        return self._evaluation(criterion_results(compiled, answers), answers, cached=cached)

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
                result.origin != "published"
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
                or (result.outcome is Outcome.UNKNOWN and result.kind.value == "fact")
            ):
                reasons.append(f"{result.id}: {result.reason}")
        path = tuple(step.action for step in path_to_eligibility(compiled, results, answers))
        return Evaluation(
            verdict.value,
            VERDICT_CODES[verdict.value],
            score,
            verdict is Verdict.INCOMPLETE or hub,
            tuple(outcomes),
            tuple(reasons),
            path,
            cached,
            overlay_score,
        )


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
    _pending: Counter[Evaluation] = field(default_factory=Counter, repr=False)
    _pending_statuses: Counter[tuple[CellStatus, ...]] = field(default_factory=Counter, repr=False)

    @classmethod
    def for_screener(cls, screener: Screener) -> Summary:
        """An empty summary for the criteria and columns of ``screener``."""
        return cls(
            criteria=tuple(c.id for c in screener.criteria),
            essential=tuple(c.level is Level.ESSENTIAL for c in screener.criteria),
            columns=tuple(c.heading for c in screener.mapper.columns),
            kinds=tuple(c.kind.value for c in screener.criteria),
        )

    def add(self, result: ScreenResult) -> None:
        """Count one row."""
        self.rows += 1
        evaluation = result.evaluation
        if evaluation.cached:
            self._pending[evaluation] += 1
        else:
            self._count(evaluation, 1)
        if result.statuses:
            self._pending_statuses[result.statuses] += 1

    def _count(self, evaluation: Evaluation, times: int) -> None:
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

    def finish(self) -> Summary:
        """Fold the memoised evaluations into the counts; returns self."""
        for evaluation, times in self._pending.items():
            self._count(evaluation, times)
        self._pending.clear()
        for statuses, times in self._pending_statuses.items():
            for index, status in enumerate(statuses):
                self.cells.setdefault(self.columns[index], Counter())[status] += times
        self._pending_statuses.clear()
        return self


@dataclass
class FirstPass:
    """What the first pass keeps: a verdict code and a score per row, and the summary."""

    codes: array[int]
    scores: array[int]
    summary: Summary

    @property
    def rows(self) -> int:
        """How many rows were read."""
        return len(self.codes)


def first_pass(
    rows: Iterable[RowLike],
    screener: Screener,
    on_result: Callable[[ScreenResult], None] | None = None,
) -> FirstPass:
    """Screen every row, keeping only its verdict code and score (constant memory per row).

    ``on_result`` is called with each row's result, in order (to spool the results file).
    """
    codes: array[int] = array("b")
    scores: array[int] = array("H")
    summary = Summary.for_screener(screener)
    add_code, add_score = codes.append, scores.append
    count, screen = summary.add, screener.screen
    expected = 1
    for row in rows:
        if row.number != expected:
            raise AccountingError(f"row {row.number} read where row {expected} was expected")
        expected += 1
        result = screen(row)
        evaluation = result.evaluation
        add_code(evaluation.code)
        add_score(evaluation.score if evaluation.score < 65_535 else 65_535)
        count(result)
        if on_result is not None:
            on_result(result)
    summary.finish()
    return FirstPass(codes, scores, summary)


#: ``on_row(number, line, cells, evaluation, notes)``: one screened or invalid row.
RowSink = Callable[[int, int, tuple[str, ...], Evaluation, tuple[str, ...]], None]


def screen_rows(rows: Iterable[RowLike], screener: Screener, on_row: RowSink) -> FirstPass:
    """``first_pass`` without a ``ScreenResult`` per row, for the one-pass CSV writer.

    Each row's parts go to ``on_row``; the verdicts, scores and summary are the same as
    ``first_pass`` gives. The memoised path is written out here because it runs per row.
    """
    codes: array[int] = array("b")
    scores: array[int] = array("H")
    summary = Summary.for_screener(screener)
    add_code, add_score = codes.append, scores.append
    pending, count_now = summary._pending, summary._count
    mapper = screener.mapper
    key_of, statuses_of = screener._key, mapper.statuses
    token_caches, getters = screener._token_caches, screener._getters
    outcomes, evaluate = screener._outcome_cache, screener._evaluate_key
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
    for row in rows:
        number += 1
        if row.number != number:
            raise AccountingError(f"row {row.number} read where row {number} was expected")
        cells = row.cells
        problem = row.problem
        notes: tuple[str, ...] = ()
        if problem is None:
            key = key_of(cells)
            try:
                status_code = sum(map(part_of, status_parts, key))
            except TypeError:  # a cell not memoised (a None in the sum)
                status_code = _status_code(statuses_of(key), key, status_parts)
            statuses_seen[status_code] += 1
            outcome_key = tuple(map(get, token_caches, map(call, getters, repeat(key))))
            evaluation = outcomes.get(outcome_key) if None not in outcome_key else None
            if evaluation is None:
                evaluation = evaluate(key)
            if (status_code >> 1) & ~status_code & low_bits:
                notes = screener.unreadable_notes(number, statuses_of(key))
        else:
            evaluation = _invalid(problem)
        if evaluation.cached:
            pending[evaluation] += 1
        else:
            count_now(evaluation, 1)
        score = evaluation.score
        add_code(evaluation.code)
        add_score(score if score < 65_535 else 65_535)
        on_row(number, row.line, cells, evaluation, notes)
    pending_statuses = summary._pending_statuses
    for status_code, times in statuses_seen.items():
        statuses = tuple(CellStatus((status_code >> place) & 3) for place in places)
        pending_statuses[statuses] += times
    summary.rows = number
    summary.finish()
    return FirstPass(codes, scores, summary)


def _status_code(
    statuses: tuple[CellStatus, ...], key: Sequence[str], parts: tuple[dict[str, int], ...]
) -> int:
    """``statuses`` as one int (see ``screen_rows``), remembering each cell's part."""
    code = 0
    for place, (status, cell, memo) in enumerate(zip(statuses, key, parts, strict=True)):
        part = status << (2 * place)
        code += part
        if len(memo) < DEFAULT_CACHE_SIZE:
            memo[cell] = part
    return code


def ranks_in_order(codes: Sequence[int], scores: Sequence[int], max_score: int) -> Iterator[int]:
    """1-based rank of every row, in row order: eligible first, then incomplete, then not
    eligible, then invalid; within each, higher desirable score first; ties in row order.

    A counting sort over (verdict, score) buckets: linear time, no array of ranks.
    """
    top = max(max_score, max(scores, default=0))
    width = top + 1
    counts = [0] * (len(VERDICT_CODES) * width)
    for code, score in zip(codes, scores, strict=True):
        counts[code * width + (top - score)] += 1
    start = 1
    for bucket, count in enumerate(counts):
        counts[bucket] = start
        start += count
    for code, score in zip(codes, scores, strict=True):
        bucket = code * width + (top - score)
        yield counts[bucket]
        counts[bucket] += 1


def rank_rows(codes: Sequence[int], scores: Sequence[int], max_score: int) -> array[int]:
    """The ranks of ``ranks_in_order`` as an array (for writers that re-read the input)."""
    return array("L", ranks_in_order(codes, scores, max_score))


def second_pass(
    rows: Iterable[RowLike], screener: Screener, first: FirstPass, ranks: Sequence[int]
) -> Iterator[tuple[ScreenResult, int]]:
    """Screen the re-read rows again, yielding each with its rank, in input order.

    Raises ``AccountingError`` if the rows differ in number, order or verdict from the first
    pass (the input changed while it was read, or a bug).
    """
    count = 0
    for row in rows:
        count += 1
        if row.number != count or count > first.rows:
            raise AccountingError(
                f"the second pass read row {row.number} where row {count} was expected "
                f"(of {first.rows}); did the input change while it was screened?"
            )
        result = screener.screen(row)
        if result.evaluation.code != first.codes[count - 1]:
            raise AccountingError(f"row {row.number} gave a different verdict on re-reading")
        yield result, ranks[count - 1]
    if count != first.rows:
        raise AccountingError(
            f"rows in ({first.rows}) != rows out ({count}); did the input change while it "
            "was screened?"
        )


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
