"""What a screening run keeps: the counts (``Summary``), each row's place in the ranks
(``ScreenedRows``, ranked by ``ranks_in_order``'s counting sort) and the best rows
(``Shortlist``), as ``batch.screening``'s pass fills them.

Pure: no printing, no files.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count, repeat
from operator import add, mul, sub
from typing import TYPE_CHECKING

from masterycheck.batch.row_mapping import CellStatus
from masterycheck.core.labels import criterion_label
from masterycheck.core.vocabulary import Level, Outcome, RowVerdict

if TYPE_CHECKING:
    from masterycheck.batch.screening import Evaluation, Screener
    from masterycheck.batch.screening_pass import ScreenedBlock

INVALID = RowVerdict.INVALID.value
#: Verdict -> code; the ranking order of the verdict classes.
VERDICT_CODES: dict[str, int] = {verdict.value: code for code, verdict in enumerate(RowVerdict)}
VERDICTS: tuple[str, ...] = tuple(VERDICT_CODES)
_INCOMPLETE_CODE = VERDICT_CODES[RowVerdict.INCOMPLETE.value]
#: The code of a superseded row (``batch.duplicates``), after every verdict's: not ranked.
SUPERSEDED_CODE = len(VERDICT_CODES)
_MET, _NOT_MET = Outcome.MET.value, Outcome.NOT_MET.value


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
            if outcome == _NOT_MET:
                self.excluded[self.criteria[index]] += times
            elif outcome != _MET:
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
    """What the pass keeps: each row's place in the ranks (``rank_keys``: its verdict code
    and desirable score as one int, ``code * (max_score + 1) + max_score - score``: lower
    ranks first), and the summary."""

    keys: array[int]
    max_score: int
    summary: Summary

    @property
    def rows(self) -> int:
        """How many rows were read."""
        return len(self.keys)

    @property
    def codes(self) -> list[int]:
        """Every row's verdict code (``SUPERSEDED_CODE`` for a superseded row)."""
        return [key // (self.max_score + 1) for key in self.keys]

    @property
    def scores(self) -> list[int]:
        """Every row's desirable score."""
        width = self.max_score + 1
        return [self.max_score - key % width for key in self.keys]

    def ranks(self, max_score: int | None = None) -> Iterator[int]:
        """Every row's rank, in row order (``ranks_in_order``)."""
        if max_score is not None and max_score != self.max_score:
            raise ValueError(f"ranked by a top score of {self.max_score}, not {max_score}")
        return _ranks(self.keys, self.max_score + 1)

    def supersede(self, rows: Iterable[int], evaluations: Mapping[int, Evaluation]) -> None:
        """Leave ``rows`` (earlier submissions of an applicant) out of the ranks and the
        summary's counts of applicants; ``evaluations`` holds each one's evaluation."""
        width = self.max_score + 1
        for row in rows:
            self.keys[row - 1] = SUPERSEDED_CODE * width + self.keys[row - 1] % width
            self.summary.supersede(evaluations[row])


class RankKeys(dict["Evaluation", int]):
    """Evaluation -> its rows' rank key (see ``ScreenedRows``), memoised for the evaluations
    that are."""

    def __init__(self, max_score: int) -> None:
        """Keys for scores out of ``max_score``."""
        super().__init__()
        self.max_score = max_score
        keys = (SUPERSEDED_CODE + 1) * (max_score + 1)
        self.typecode = "H" if keys <= 1 << 16 else "I" if keys <= 1 << 32 else "Q"

    def __missing__(self, evaluation: Evaluation) -> int:
        score = min(evaluation.score, self.max_score)
        key = evaluation.code * (self.max_score + 1) + self.max_score - score
        if evaluation.cached:
            self[evaluation] = key
        return key


def ranks_in_order(codes: Sequence[int], scores: Sequence[int], max_score: int) -> Iterator[int]:
    """1-based rank of every row, in row order: eligible first, then incomplete, then not
    eligible, then invalid; within each, higher desirable score first; ties in row order. A
    superseded row (``SUPERSEDED_CODE``) is not ranked: 0."""
    if len(codes) != len(scores):
        raise ValueError(f"{len(codes)} verdict codes but {len(scores)} scores")
    top = max(max_score, max(scores, default=0))
    width = top + 1
    keys = list(map(add, map(mul, codes, repeat(width)), map(sub, repeat(top), scores)))
    return _ranks(keys, width)


def _ranks(keys: Sequence[int], width: int) -> Iterator[int]:
    """Each row's rank from its rank key (rows ``width`` keys a verdict code).

    A counting sort over the keys: linear time, no array of ranks. Each key's ranks are
    counted out by an ``itertools.count`` from its first rank, so that no Python code runs
    per row.
    """
    counts = Counter(keys)
    counters: dict[int, Iterator[int]] = {}
    start = 1
    for key in sorted(counts):
        if key >= SUPERSEDED_CODE * width:
            counters[key] = repeat(0)  # superseded: not ranked
        else:
            counters[key] = count(start)
            start += counts[key]
    return map(next, map(counters.__getitem__, keys))


class _ShortlistKeys(dict["Evaluation", int]):
    """Evaluation -> the int ``Shortlist`` orders by (-1 for a verdict it does not list);
    an evaluation that was not memoised is not remembered either."""

    def __init__(self, span: int) -> None:
        super().__init__()
        self.span = span

    def __missing__(self, evaluation: Evaluation) -> int:
        code = evaluation.code
        key = -1 if code > _INCOMPLETE_CODE else (1 - code) * self.span + evaluation.score
        if evaluation.cached:
            self[evaluation] = key
        return key


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
        #: Each evaluation's int in that order (-1: not listed), memoised.
        self._keys = _ShortlistKeys(self._span)

    def offer_block(self, block: ScreenedBlock) -> None:
        """Consider a block of screened rows (blocks must come in input order): only a block
        with a row that may beat the worst kept one is looked at row by row."""
        keys = list(map(self._keys.__getitem__, block.evaluations))
        bar = self._bar
        if max(keys, default=-1) <= bar:
            return
        cells, start = block.cells, block.start
        for offset, key in enumerate(keys):
            if key > bar:
                evaluation = block.evaluations[offset]
                self.offer(start + offset, evaluation.code, evaluation.score, tuple(cells[offset]))
                bar = self._bar

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
