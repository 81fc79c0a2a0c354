"""Batch screening of a form export: every row screened or marked invalid, then ranked.

Pure: no printing, no files. The caller gives rows (anything shaped like
``io.table_reader.TableRow``), a ``RowMapper`` and a compiled programme. Screening streams in
two passes so that memory does not grow with the export:

1. ``first_pass`` screens every row and keeps only a verdict code and a desirable score per
   row (two small-int ``array`` s) plus the ``Summary`` counts;
2. ``rank_rows`` ranks from those arrays with a counting sort (stable by row number);
3. ``second_pass`` screens the re-read rows again (cheap: assessments are memoised on the
   mapped cells, which repeat a lot in form answers) and yields each with its rank.

Rows in = rows out is checked by the program itself: ``AccountingError`` if the second pass
does not see exactly the rows of the first, in the same order.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from masterycheck.assessment import CriterionResult
from masterycheck.engine import (
    CompiledProgramme,
    answers_with_derived,
    criterion_result,
    criterion_results,
    decide_verdict,
    desirable_score,
    path_to_eligibility,
)
from masterycheck.logic import Outcome
from masterycheck.mapping import CellStatus, RowMapper
from masterycheck.profile import Profile
from masterycheck.programme import Level, Verdict
from masterycheck.values import Value

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
DEFAULT_CACHE_SIZE = 16_384


class AccountingError(RuntimeError):
    """Internal error: the rows written are not exactly the rows read."""


class RowLike(Protocol):
    """What screening needs of an input row (``io.table_reader.TableRow``)."""

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
    statuses: tuple[CellStatus, ...]
    cached: bool = True
    overlay_score: int = 0  # the part of ``score`` from a hub overlay's criteria


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """One input row, screened or invalid."""

    row: int
    line: int
    evaluation: Evaluation
    cells: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def verdict(self) -> str:
        """eligible, not_eligible, incomplete or invalid."""
        return self.evaluation.verdict

    @property
    def score(self) -> int:
        """Weights of desirable criteria met."""
        return self.evaluation.score


def _invalid(problem: str) -> Evaluation:
    return Evaluation(INVALID, VERDICT_CODES[INVALID], 0, False, (), (problem,), (), (), False)


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
        self._cache: dict[tuple[str, ...], Evaluation] = {}
        self._outcome_cache: dict[object, Evaluation] = {}
        self._criterion_cache: tuple[dict[tuple[Value | None, ...], CriterionResult], ...] = tuple(
            {} for _ in compiled.criteria
        )
        self._criterion_fields = tuple(
            (*c.rule.fields, *(c.hub.fields if c.hub else ())) for c in compiled.criteria
        )
        # Criteria whose fields no column provides give the same result for every row.
        provided = mapper.provided_fields()
        provided |= {derived for derived, source in compiled.derived if source in provided}
        self._variable = tuple(
            index
            for index, names in enumerate(self._criterion_fields)
            if any(name in provided for name in names)
        )
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
        key = self.mapper.key(row.cells)
        evaluation = self._cache.get(key)
        if evaluation is None:
            evaluation = self._evaluate_key(key)
        notes: tuple[str, ...] = ()
        if CellStatus.UNREADABLE in evaluation.statuses:
            columns = self.mapper.columns
            notes = tuple(
                f"row {row.number}, column “{columns[i].heading}”: unreadable answer, "
                "treated as unknown"
                for i, status in enumerate(evaluation.statuses)
                if status is CellStatus.UNREADABLE
            )
        return ScreenResult(row.number, row.line, evaluation, row.cells, notes)

    def _evaluate_key(self, key: tuple[str, ...]) -> Evaluation:
        """Evaluate mapped cells not seen before, memoising per criterion and per outcome.

        Each criterion's result is memoised on the values of the fields it reads; the row's
        evaluation on the identities of those results (kept alive by their caches) and the
        cells' statuses. Whatever does not fit a bounded cache is computed afresh.
        """
        compiled = self.compiled
        read = self.mapper.read(key)
        answers = answers_with_derived(compiled, Profile(read.answers))
        results = list(self._constant_results)
        cacheable = True
        for index in self._variable:
            cache = self._criterion_cache[index]
            values = tuple([answers.get(name) for name in self._criterion_fields[index]])
            result = cache.get(values)
            if result is None:
                result = criterion_result(compiled.criteria[index], compiled.catalogue, answers)
                if len(cache) < self.cache_size:
                    cache[values] = result
                else:
                    cacheable = False
            results[index] = result
        outcome_key = (
            (tuple([id(results[i]) for i in self._variable]), read.statuses) if cacheable else None
        )
        evaluation = self._outcome_cache.get(outcome_key) if outcome_key else None
        if evaluation is None:
            room = cacheable and len(self._outcome_cache) < self.cache_size
            evaluation = self._evaluation(results, answers, read.statuses, cached=room)
            if room and outcome_key is not None:
                self._outcome_cache[outcome_key] = evaluation
        if evaluation.cached and len(self._cache) < self.cache_size:
            self._cache[key] = evaluation
        return evaluation

    def evaluate(self, key: Sequence[str], *, cached: bool = True) -> Evaluation:
        """Assess one set of mapped cells with the engine's own rules (no memoising)."""
        compiled = self.compiled
        read = self.mapper.read(key)
        answers = answers_with_derived(compiled, Profile(read.answers))
        return self._evaluation(
            criterion_results(compiled, answers), answers, read.statuses, cached=cached
        )

    def _evaluation(
        self,
        results: list[CriterionResult],
        answers: dict[str, Value],
        statuses: tuple[CellStatus, ...],
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
            statuses,
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
        for index, status in enumerate(evaluation.statuses):
            self.cells.setdefault(self.columns[index], Counter())[status] += times

    def finish(self) -> Summary:
        """Fold the memoised evaluations into the counts; returns self."""
        for evaluation, times in self._pending.items():
            self._count(evaluation, times)
        self._pending.clear()
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


def first_pass(rows: Iterable[RowLike], screener: Screener) -> FirstPass:
    """Screen every row, keeping only its verdict code and score (constant memory per row)."""
    codes: array[int] = array("b")
    scores: array[int] = array("H")
    summary = Summary.for_screener(screener)
    expected = 1
    for row in rows:
        if row.number != expected:
            raise AccountingError(f"row {row.number} read where row {expected} was expected")
        expected += 1
        result = screener.screen(row)
        codes.append(result.evaluation.code)
        scores.append(min(result.evaluation.score, 65_535))
        summary.add(result)
    summary.finish()
    return FirstPass(codes, scores, summary)


def rank_rows(codes: Sequence[int], scores: Sequence[int], max_score: int) -> array[int]:
    """1-based rank of every row: eligible first, then incomplete, then not eligible, then
    invalid; within each, higher desirable score first; ties in row order.

    A counting sort over (verdict, score) buckets: linear time, two small arrays.
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
    ranks: array[int] = array("L", bytes(len(codes) * array("L").itemsize))
    for index, (code, score) in enumerate(zip(codes, scores, strict=True)):
        bucket = code * width + (top - score)
        ranks[index] = counts[bucket]
        counts[bucket] += 1
    return ranks


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


def shortlist(first: FirstPass, ranks: Sequence[int], size: int = 10) -> list[int]:
    """Row numbers of the ``size`` best-ranked screened rows (eligible or incomplete)."""
    wanted = {}
    for index, rank in enumerate(ranks):
        if rank <= size and first.codes[index] <= VERDICT_CODES[Verdict.INCOMPLETE.value]:
            wanted[rank] = index + 1
    return [wanted[rank] for rank in sorted(wanted)]
