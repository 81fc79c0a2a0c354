"""The screening pass: every row of an export screened once, a block of rows at a time.

What a row costs is what its cells need, no more. Each mapped cell is looked up in its
column's memo, which gives the cell's *class*, a small int: what of the cell the results can
depend on. A column that feeds no criterion classes its cells by their status alone (blank,
no, unreadable, answered); one whose criteria read no other column, by its status and those
criteria's results (``Screener``'s tokens: "met" stands for every cell that meets them); a
column read together with others, by the cell itself. The row's classes, one tuple, are
looked up in one more memo, of *combinations*: its evaluation, its cells' statuses, whether a
cell is unreadable. Equal classes give equal evaluations and statuses, so the usual row is
screened by a dict lookup per mapped column and one more; only a class or combination not seen
before is worked out (``_Classes.resolve``), and a row whose parts do not fit the bounded memos
is screened on its own (``Screener._evaluate_afresh``), as every row of an export of unbounded
variety then is.

The pass hands each block of rows, screened (``ScreenedBlock``), to one callback: the writers
encode it, the shortlist and the log of submissions take what they need. It keeps a verdict
code and a score per row (for the ranks) and counts each combination; the summary's counts
(verdicts, criteria, cells) are derived from those counts when the pass ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import getitem, itemgetter
from typing import TYPE_CHECKING, cast

from masterycheck.batch.row_mapping import CellStatus

if TYPE_CHECKING:
    from array import array

    from masterycheck.batch.screening import Evaluation, Screener, Summary
    from masterycheck.batch.tables.source import RowBlock

#: A row as the per-row callback of ``Screener.screen_rows`` is given it.
Row = tuple[int, int, tuple[str, ...], "Evaluation", tuple[str, ...]]
_NOT_MEMOISED = 0  # the combination id of a row screened on its own (or invalid)


@dataclass(slots=True)
class ScreenedBlock:
    """A block of rows, screened: rows ``start``, ``start + 1``, ... in input order.

    ``cells[i]``, ``lines[i]`` and ``evaluations[i]`` are row ``start + i``'s; its notes are
    ``notes[i]`` if the row is there, else ``usual_notes`` (the hub's constants, which every
    screened row carries; an invalid row carries none).
    """

    start: int
    lines: Sequence[int]
    cells: Sequence[Sequence[str]]
    evaluations: list[Evaluation]
    usual_notes: tuple[str, ...] = ()
    notes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    invalid: tuple[int, ...] = ()  # the offsets of the rows that could not be read

    def __len__(self) -> int:
        """How many rows the block holds."""
        return len(self.evaluations)

    def rows(self) -> Iterator[Row]:
        """Each row as ``(row, line, cells, evaluation, notes)``."""
        notes, usual = self.notes.get, self.usual_notes
        for offset, (line, cells, evaluation) in enumerate(
            zip(self.lines, self.cells, self.evaluations, strict=True)
        ):
            yield (
                self.start + offset,
                line,
                tuple(cells),
                evaluation,
                notes(offset, usual),
            )


BlockSink = Callable[[ScreenedBlock], None]


class _Classes:
    """Each mapped column's memo of cell -> class, and the memo of combinations."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        mapper = screener.mapper
        width = len(mapper.columns)
        self.limit = screener.cache_size
        # The columns each criterion reads, joined where a criterion reads several.
        parent = list(range(width))

        def root(j: int) -> int:
            while parent[j] != j:
                j = parent[j]
            return j

        for columns in screener.criterion_columns:
            for j in columns[1:]:
                parent[root(j)] = root(columns[0])
        together = Counter(root(j) for j in range(width))
        # The columns read together, and the criteria that read them (positions in the plan):
        # what the criteria read of them is those criteria's tokens.
        self._together: list[tuple[tuple[int, ...], tuple[int, ...], dict[object, int]]] = [
            (
                columns,
                tuple(
                    p
                    for p, read in enumerate(screener.criterion_columns)
                    if set(read) <= set(columns)
                ),
                {},
            )
            for columns in (
                tuple(j for j in range(width) if root(j) == group)
                for group, size in together.items()
                if size > 1
            )
        ]
        # For a column whose criteria read it alone: those criteria (positions in the plan).
        self.alone: list[tuple[int, ...] | None] = []
        for j in range(width):
            if together[root(j)] > 1:
                self.alone.append(None)  # classed by the cell itself
            else:
                self.alone.append(
                    tuple(
                        p for p, columns in enumerate(screener.criterion_columns) if columns == (j,)
                    )
                )
        self.maps: tuple[dict[str, int], ...] = tuple({} for _ in range(width))
        self._interned: tuple[dict[object, int], ...] = tuple({} for _ in range(width))
        # For each column, each class's status (in its place in a row's statuses), and what
        # of it the criteria read (an int: its tokens' for a cell read alone, 0 for one read
        # with others, which ``resolve`` reads together).
        self._status_parts: tuple[list[int], ...] = tuple([] for _ in range(width))
        self._read_of: tuple[list[int], ...] = tuple([] for _ in range(width))
        self._tokens: tuple[dict[object, int], ...] = tuple({} for _ in range(width))
        # What the criteria read of a row (one int a column) -> its evaluation.
        self._evaluation_of: dict[tuple[int, ...], Evaluation] = {}
        self._low_bits = sum(1 << (2 * j) for j in range(width))
        positions = mapper.positions
        self.take: Callable[[Sequence[str]], Sequence[str]] = (
            itemgetter(*positions) if len(positions) > 1 else screener.key
        )
        # Each combination's evaluation and statuses (two bits a column, ``CellStatus``,
        # column 0 lowest); combination 0 stands for a row not memoised (kept apart).
        self.evaluations: list[Evaluation] = [_placeholder()]
        self.statuses: list[int] = [0]
        self.combination_of: dict[tuple[int | None, ...], int] = {}
        self.unreadable: set[int] = set()

    def key(self, cells: Sequence[str]) -> tuple[int | None, ...]:
        """The row's classes (None for a cell not memoised)."""
        return tuple(map(dict.get, self.maps, self.take(cells)))

    def resolve(self, cells: Sequence[str]) -> int | tuple[Evaluation, tuple[CellStatus, ...]]:
        """A row whose combination was not found: its combination's id (memoised now), or its
        evaluation and statuses when they do not fit the memos."""
        screener = self.screener
        found = self.key(cells)
        if None in found:
            key = screener.key(cells)
            classes: list[int | None] = list(found)
            for j, cell in enumerate(key):
                if classes[j] is None:
                    classes[j] = self._class(j, cell, key)
                    if classes[j] is None:
                        return screener._evaluate_afresh(key), screener.mapper.statuses(key)
            found = tuple(classes)
        known = cast(tuple[int, ...], found)
        read = list(map(getitem, self._read_of, known))
        if self._together:
            key = screener.key(cells)
            for columns, plan, ids in self._together:
                tokens = screener.tokens(plan, key)
                if tokens is None:
                    return screener._evaluate_afresh(key), screener.mapper.statuses(key)
                read[columns[0]] = ids.setdefault(tokens, len(ids))
        evaluation = self._evaluation_of.get(tuple(read))
        if evaluation is None:
            key = screener.key(cells)
            evaluation = screener._evaluate_afresh(key)
            if not evaluation.cached:
                return evaluation, screener.mapper.statuses(key)
            if len(self._evaluation_of) < self.limit:
                self._evaluation_of[tuple(read)] = evaluation
        statuses = sum(map(getitem, self._status_parts, known))
        if len(self.combination_of) >= self.limit:
            return evaluation, _statuses(statuses, len(known))
        number = len(self.evaluations)
        self.evaluations.append(evaluation)
        self.statuses.append(statuses)
        self.combination_of[known] = number
        if (statuses >> 1) & ~statuses & self._low_bits:
            self.unreadable.add(number)
        return number

    def _class(self, j: int, cell: str, key: tuple[str, ...]) -> int | None:
        """Column ``j``'s class of ``cell`` (memoised if there is room), or None when it
        cannot be told apart from the criteria's results (they did not fit their memos)."""
        screener = self.screener
        status = screener.mapper.status(j, cell)
        alone = self.alone[j]
        what: object
        tokens: tuple[object, ...] | None = ()
        if alone is None:
            what = cell
        elif not alone:
            what = status
        else:
            tokens = screener.tokens(alone, key)
            if tokens is None:
                return None
            what = (status, tokens)
        interned = self._interned[j]
        found = interned.get(what)
        if found is None:
            if len(interned) >= self.limit:
                return None
            found = interned[what] = len(interned)
            self._status_parts[j].append(status << (2 * j))
            if alone is None:
                self._read_of[j].append(0)
            else:
                ids = self._tokens[j]
                self._read_of[j].append(ids.setdefault(tokens, len(ids)))
        if len(self.maps[j]) < self.limit:
            self.maps[j][cell] = found
        return found


def _statuses(code: int, width: int) -> tuple[CellStatus, ...]:
    """A row's statuses from their code (two bits a column)."""
    return tuple(CellStatus((code >> (2 * j)) & 3) for j in range(width))


def _placeholder() -> Evaluation:
    from masterycheck.batch.screening import invalid

    return invalid("")


def screen_blocks(
    screener: Screener,
    blocks: Iterable[RowBlock],
    on_block: BlockSink,
    rank_keys: Mapping[Evaluation, int],
    keys: array[int],
    summary: Summary,
) -> int:
    """The pass (see the module docstring): screen every block, fill ``keys`` (each row's
    rank key, ``rank_keys`` of its evaluation) and ``summary``; returns how many rows were
    read. ``AccountingError`` if the blocks do not
    come numbered 1, 2, 3... (counted in rows)."""
    from masterycheck.batch.screening import AccountingError, invalid

    classes = _Classes(screener)
    combination_of = classes.combination_of.get
    maps, take = classes.maps, classes.take
    get = dict.get
    evaluation_of = classes.evaluations.__getitem__
    counts: Counter[int] = Counter()
    evaluations: Counter[Evaluation] = Counter()
    statuses_seen: Counter[int] = Counter()
    width = len(screener.mapper.columns)
    usual = screener.constant_notes
    number = 0
    for block in blocks:
        if block.start != number + 1:
            raise AccountingError(f"row {block.start} read where row {number + 1} was expected")
        rows = block.cells
        problems = block.problems
        if problems:
            ids: list[int | None] = [
                _NOT_MEMOISED
                if offset in problems
                else combination_of(tuple(map(get, maps, take(cells))))
                for offset, cells in enumerate(rows)
            ]
        else:
            ids = [combination_of(tuple(map(get, maps, take(cells)))) for cells in rows]
        apart: dict[int, Evaluation] = {}
        notes: dict[int, tuple[str, ...]] = {}
        if None in ids:
            for offset, found in enumerate(ids):
                if found is not None:
                    continue
                resolved = classes.resolve(rows[offset])
                if isinstance(resolved, int):
                    ids[offset] = resolved
                    statuses_seen.setdefault(classes.statuses[resolved], 0)
                    continue
                evaluation, statuses = resolved
                ids[offset] = _NOT_MEMOISED
                apart[offset] = evaluation
                if evaluation.cached:
                    evaluations[evaluation] += 1
                else:
                    summary.count(evaluation, 1)
                statuses_seen[sum(s << (2 * j) for j, s in enumerate(statuses))] += 1
                if CellStatus.UNREADABLE in statuses:
                    key = screener.key(rows[offset])
                    notes[offset] = screener.unreadable_notes(number + 1 + offset, statuses, key)
        found_ids = cast(list[int], ids)  # no None left
        counts.update(found_ids)
        screened = list(map(evaluation_of, found_ids))
        for offset, evaluation in apart.items():
            screened[offset] = evaluation
        for offset, problem in problems.items():
            evaluation = screened[offset] = invalid(problem)
            summary.count(evaluation, 1)
            notes[offset] = ()
        if not classes.unreadable.isdisjoint(found_ids):
            for offset, found in enumerate(found_ids):
                if found in classes.unreadable:
                    statuses = _statuses(classes.statuses[found], width)
                    key = screener.key(rows[offset])
                    notes[offset] = screener.unreadable_notes(number + 1 + offset, statuses, key)
        if usual:
            for offset, given in notes.items():
                if offset not in problems:
                    notes[offset] = given + usual
        elif notes:
            notes = {offset: given for offset, given in notes.items() if given}
        keys.extend(map(rank_keys.__getitem__, screened))
        number += len(rows)
        on_block(
            ScreenedBlock(
                block.start, block.lines, rows, screened, usual, notes, tuple(sorted(problems))
            )
        )
    del counts[_NOT_MEMOISED]
    for found, times in counts.items():
        evaluations[classes.evaluations[found]] += times
        statuses_seen[classes.statuses[found]] += times
    # Rows are counted by what the counts read of their evaluation, which many share.
    counted: dict[tuple[object, ...], tuple[Evaluation, int]] = {}
    for evaluation, times in evaluations.items():
        what = (evaluation.verdict, evaluation.review, evaluation.outcomes)
        earlier = counted.get(what)
        counted[what] = (evaluation, times + (earlier[1] if earlier else 0))
    for evaluation, times in counted.values():
        summary.count(evaluation, times)
    for code, times in statuses_seen.items():
        if times:
            summary.count_cells(_statuses(code, width), times)
    summary.rows = number
    return number
