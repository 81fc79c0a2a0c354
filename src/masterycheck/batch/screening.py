"""Batch screening of a form export: every row screened or marked invalid, then ranked.

Pure: no printing, no files. The caller gives rows (blocks of rows, ``batch.tables.RowBlock``,
or rows shaped like ``batch.tables.TableRow``), a ``RowMapper`` and a compiled programme.
``Screener.screen_blocks`` is the one pass over the rows (``batch.screening_pass``): it screens
each row (memoised: per criterion on the cells that feed it, per row on its criteria's
results), hands each block of screened rows to a callback (the writers spool them), and keeps
only one small int per row, its rank key, plus the ``Summary`` counts, so memory does not grow
with the export (``batch.screened``). The ranks are then counted out from those keys, and the
writers copy their spools with each row's rank.

Rows in = rows out is checked by the program itself: ``AccountingError`` if the rows do not
come numbered 1, 2, 3... (the caller checks the rows written against the rows read).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

from masterycheck.batch.row_mapping import CellStatus, RowMapper
from masterycheck.batch.screened import (
    INVALID,
    SUPERSEDED_CODE,
    VERDICT_CODES,
    VERDICTS,
    RankKeys,
    ScreenedRows,
    Shortlist,
    ShortlistEntry,
    Summary,
    ranks_in_order,
)
from masterycheck.batch.tables.source import NumberedRow, RowBlock, blocks_of
from masterycheck.core.answers import Value, display, shown_answer
from masterycheck.core.engine import (
    HUB_STATEMENT,
    CompiledProgramme,
    answers_with_derived,
    criterion_result,
    decide_verdict,
    path_to_eligibility,
)
from masterycheck.core.fields import Field
from masterycheck.core.profile import Profile
from masterycheck.core.results import CriterionResult
from masterycheck.core.vocabulary import Kind, Level, Outcome, RowVerdict, is_published

if TYPE_CHECKING:
    from masterycheck.batch.screening_pass import BlockSink, ScreenedBlock

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "HUB_TO_CONFIRM",
    "INVALID",
    "SUPERSEDED_CODE",
    "VERDICTS",
    "VERDICT_CODES",
    "AccountingError",
    "Evaluation",
    "RankKeys",
    "RowLike",
    "RowSink",
    "ScreenedRows",
    "Screener",
    "Shortlist",
    "ShortlistEntry",
    "Summary",
    "constant_note",
    "invalid",
    "ranks_in_order",
    "screen_rows",
]

HUB_TO_CONFIRM = "hub_to_confirm"
_OUTCOME_WORDS = {outcome: outcome.value for outcome in Outcome}
_SECOND = itemgetter(1)
DEFAULT_CACHE_SIZE = 16_384


class AccountingError(RuntimeError):
    """Internal error: the rows written are not exactly the rows read."""


#: What screening needs of an input row (``batch.tables.TableRow``): number, line, cells and
#: problem.
RowLike = NumberedRow


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
        #: The mapped columns each varying criterion reads, in the order of ``_plan``.
        self.criterion_columns = tuple(columns_of[i] for i in self._variable)
        # The positions in ``_plan`` of the essential criteria: the verdict, the reasons and
        # the path depend on their results only (memoised in ``_essentials``).
        essential = [
            p
            for p, i in enumerate(self._variable)
            if compiled.criteria[i].criterion.level is Level.ESSENTIAL
        ]
        self._essential_tokens: Callable[[tuple[object, ...]], object] = (
            itemgetter(*essential) if essential else (lambda tokens: ())
        )
        self._essentials: dict[object, tuple[RowVerdict, tuple[str, ...], tuple[str, ...]]] = {}
        positions = mapper.positions
        #: The mapped cells of a row (its key): equal keys give equal answers.
        self.key: Callable[[Sequence[str]], tuple[str, ...]] = (
            itemgetter(*positions) if len(positions) > 1 else mapper.key
        )
        # (criterion, its cache, a getter of the cells that feed it from the row's key)
        self._plan = tuple(
            (i, self._criterion_cache[i], itemgetter(*columns_of[i])) for i in self._variable
        )
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

    def tokens(self, plan: Sequence[int], key: tuple[str, ...]) -> tuple[object, ...] | None:
        """The tokens of the varying criteria at ``plan`` (positions in the plan) for one
        row's mapped cells, or None if a result does not fit its memo (its token would not
        stand for it once it is gone)."""
        tokens: list[object] = []
        read: list[tuple[dict[str, Value], dict[str, str]]] = []
        for position in plan:
            index, cache, cells = self._plan[position]
            values = cells(key)
            found = cache.get(values)
            if found is None:
                found = self._criterion_miss(index, cache, values, key, read)
                if cache.get(values) is not found:
                    return None
            tokens.append(found[1])
        return tuple(tokens)

    def results(self, key: tuple[str, ...]) -> tuple[CriterionResult, ...]:
        """Every criterion's result for one row's mapped cells, from the memo the screening
        filled (so a row already screened needs no criterion evaluated again)."""
        results = list(self._constant_results)
        read: list[tuple[dict[str, Value], dict[str, str]]] = []
        for index, cache, cells in self._plan:
            values = cells(key)
            found = cache.get(values) or self._criterion_miss(index, cache, values, key, read)
            results[index] = found[0]
        return tuple(results)

    def _evaluate_afresh(self, key: tuple[str, ...]) -> Evaluation:
        """Evaluate one row's mapped cells, memoising per criterion and per outcome.

        Each criterion's result is memoised on the cells that feed it, so most rows need no
        reading of answers at all; the row's evaluation is memoised on the identities of those
        results (kept alive by their caches), and found from them by ``screen_rows`` without
        calling this. Whatever does not fit a bounded cache is computed afresh.
        """
        read: list[tuple[dict[str, Value], dict[str, str]]] = []  # at the first criterion missed
        founds = [
            cache.get(cells(key)) or self._criterion_miss(index, cache, cells(key), key, read)
            for index, cache, cells in self._plan
        ]
        outcome_key = tuple(map(_SECOND, founds))
        evaluation = self._outcome_cache.get(outcome_key)
        if evaluation is None:
            results = list(self._constant_results)
            for (index, _, _), found in zip(self._plan, founds, strict=True):
                results[index] = found[0]
            # Results that did not fit their cache may be gone by the next row, and with them
            # the identity their token stands for: such an evaluation is not remembered.
            room = len(self._outcome_cache) < self.cache_size and all(
                found is self._criterion_cache[index].get(cells(key))
                for (index, _, cells), found in zip(self._plan, founds, strict=True)
            )
            evaluation = self._evaluation(results, key, outcome_key if room else None)
            if room:
                self._outcome_cache[outcome_key] = evaluation
        return evaluation

    def _criterion_miss(
        self,
        index: int,
        cache: dict[object, tuple[CriterionResult, object]],
        values: object,
        key: tuple[str, ...],
        read: list[tuple[dict[str, Value], dict[str, str]]],
    ) -> tuple[CriterionResult, object]:
        """Evaluate one criterion on cells not seen before (and remember it if there is room);
        ``read`` holds the row's answers once a criterion of the row has read them."""
        compiled = self.compiled
        if not read:
            row = self.mapper.read(key)
            read.append((answers_with_derived(compiled, Profile(row.answers)), row.given))
        answers, given = read[0]
        result = criterion_result(
            compiled.criteria[index], compiled.catalogue, answers, given, self._hub
        )
        found = (result, _token(index, result))
        if len(cache) < self.cache_size:
            cache[values] = found
        return found

    def _evaluation(
        self,
        results: list[CriterionResult],
        key: tuple[str, ...],
        outcome_key: tuple[object, ...] | None,
    ) -> Evaluation:
        """The evaluation of one row's results (``outcome_key``, its tokens, if it is to be
        remembered). The verdict, the reasons and the path, which depend on the essential
        criteria's results only, are memoised on those criteria's tokens."""
        essentials = None if outcome_key is None else self._essential_tokens(outcome_key)
        decided = None if essentials is None else self._essentials.get(essentials)
        if decided is None:
            answers = answers_with_derived(self.compiled, Profile(self.mapper.read(key).answers))
            reasons = tuple(
                f"{result.id}: {result.reason}"
                for result in results
                if result.level is Level.ESSENTIAL
                and (
                    result.outcome is Outcome.NOT_MET
                    or (result.outcome is Outcome.UNKNOWN and result.kind is Kind.FACT)
                )
            )
            steps = path_to_eligibility(self.compiled, results, answers)
            decided = (
                RowVerdict.of(decide_verdict(results)),
                reasons,
                tuple(step.action for step in steps),
            )
            if essentials is not None and len(self._essentials) < self.cache_size:
                self._essentials[essentials] = decided
        row_verdict, reasons, path = decided
        score = 0  # as ``desirable_score(results).met``
        overlay_score = 0
        hub = False
        outcomes: list[str] = []
        for result in results:
            outcome = result.outcome
            if result.hub_to_confirm:
                hub = True
                outcomes.append(HUB_TO_CONFIRM)
            else:
                outcomes.append(_OUTCOME_WORDS[outcome])
            if result.level is Level.DESIRABLE and outcome is Outcome.MET:
                score += result.weight
                if not is_published(result.origin):
                    overlay_score += result.weight
        return Evaluation(
            row_verdict.value,
            VERDICT_CODES[row_verdict.value],
            score,
            row_verdict is RowVerdict.INCOMPLETE or hub,
            tuple(outcomes),
            reasons,
            path,
            outcome_key is not None,
            overlay_score,
        )

    def screen_blocks(self, blocks: Iterable[RowBlock], on_block: BlockSink) -> ScreenedRows:
        """The one pass (``batch.screening_pass``): screen every block of rows, in order,
        handing each to ``on_block``; keeps a verdict code and a score per row and the
        summary's counts."""
        from masterycheck.batch.screening_pass import screen_blocks

        rank_keys = RankKeys(self.max_score)
        keys: array[int] = array(rank_keys.typecode)
        summary = Summary.for_screener(self)
        screen_blocks(self, blocks, on_block, rank_keys, keys, summary)
        return ScreenedRows(keys, self.max_score, summary)

    def screen_rows(self, rows: Iterable[RowLike], on_row: RowSink) -> ScreenedRows:
        """The one pass, a row at a time: ``screen_blocks``, each row handed to ``on_row`` as
        ``(number, line, cells, evaluation, notes)``."""

        def each(block: ScreenedBlock) -> None:
            for row in block.rows():
                on_row(*row)

        return self.screen_blocks(blocks_of(rows, misnumbered=AccountingError), each)


def screen_rows(rows: Iterable[RowLike], screener: Screener, on_row: RowSink) -> ScreenedRows:
    """Screen every row in one pass (``Screener.screen_rows``)."""
    return screener.screen_rows(rows, on_row)
