"""Duplicate applicants: one person's earlier submissions, superseded by their latest.

People submit a form twice. Rows with the same email (trimmed, case-folded; a value without
``@``, such as Microsoft Forms' "anonymous", is no email), or the same full name *and* school
(case-folded, spaces collapsed), are one applicant's submissions; rows linked through either
are one group. The latest submission of a group, by the mapping's ``applicant: submitted``
column (ties and unreadable times by row order; without the column, the last row), is screened
as the applicant; the others are *superseded*: they stay in the results (rows in = rows out),
with ``duplicate_of`` the row that supersedes them and the verdict ``superseded``, and are left
out of the ranks, the shortlist and the counts of applicants. Invalid rows take no part.

Grouping needs every row's identity before any row is known to be superseded, so the
screening pass keeps each row's identifying cells as they are, and which evaluation it had
(``SubmissionLog``: a block of rows at a time, in a private spool beside the results, so that
memory does not grow with the export), and ``SubmissionLog.resolve`` groups them when the pass
ends, the way the ranks are resolved. The export is read once. The log is read back twice at
most: once for every row's keys, whose repeats are found in bounded memory
(``batch.duplicate_keys``); only when a key may repeat is it read again, and the rows whose key
may repeat are grouped by their keys exactly. Submission times (``batch.submission_times``)
are read only when some rows are grouped.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING, Final

from masterycheck.batch.duplicate_keys import (
    ANONYMOUS,
    Chunk,
    Repeats,
    cells,
    email_keys,
    email_links,
    groups,
    name_keys,
    name_links,
    pairs,
)
from masterycheck.batch.submission_times import ColumnTimes, submission_times
from masterycheck.core.answers import shown_answer

if TYPE_CHECKING:
    from masterycheck.batch.screening import Evaluation
    from masterycheck.outputs.ranked import BlockSpool

__all__ = [
    "ANONYMOUS",
    "IDENTITY_ROLES",
    "NO_DUPLICATES",
    "Duplicates",
    "SubmissionLog",
    "submission_times",
]

#: The columns of ``applicant`` that identify a submission, in the order ``SubmissionLog``
#: keeps them.
IDENTITY_ROLES: Final = ("name", "id", "email", "school", "submitted")
#: How many notes on unreadable submission times the summary lists before counting the rest.
MAX_TIME_NOTES: Final = 5


@dataclass(frozen=True)
class Duplicates:
    """What grouping found: which rows are superseded, and by which row."""

    superseded: Mapping[int, int] = field(default_factory=dict)  # row -> the row screened
    notes: tuple[str, ...] = ()  # for the run's summary: how times were read, what was not

    def __bool__(self) -> bool:
        """Whether any row is superseded."""
        return bool(self.superseded)


NO_DUPLICATES = Duplicates()


#: Rows kept at once by ``SubmissionLog.keep_function`` (``keep_block`` takes any block).
CHUNK_ROWS: Final = 1024
#: One block of the log: its rows' count, each identity column's cells ("" for an invalid
#: row), and each row's evaluation (``_EvaluationIds``, as an ``array("I")``'s bytes).
_Block = tuple[int, list[Chunk], bytes]


class _EvaluationIds(dict["Evaluation | tuple[object, ...]", int]):
    """Evaluation -> a small int, for the log to say which evaluation a row had. An evaluation
    that was not memoised (a new one each row) is known by what the counts read of it, so that
    the table stays as small as the memos."""

    def __init__(self) -> None:
        super().__init__()
        self.table: list[Evaluation] = []

    def __missing__(self, evaluation: Evaluation | tuple[object, ...]) -> int:
        assert not isinstance(evaluation, tuple)
        if not evaluation.cached:
            counted = (evaluation.verdict, evaluation.review, evaluation.outcomes)
            found = self.get(counted)
            if found is None:
                found = self[counted] = len(self.table)
                self.table.append(evaluation)
            return found
        found = self[evaluation] = len(self.table)
        self.table.append(evaluation)
        return found


class SubmissionLog:
    """Each row's identifying cells, kept during the screening pass, grouped at its end.

    ``keep_block`` is given every block of rows in order (``batch.run``; ``keep_function``
    keeps one row at a time): the rows' identifying cells and which evaluation each had are
    kept (in a ``BlockSpool`` when ``spool`` makes one, else in memory). ``resolve`` groups
    the rows (``Duplicates``); ``evaluations`` and ``cells`` read back what a few rows had.
    """

    def __init__(
        self,
        applicant: Mapping[str, int],
        headings: Sequence[str],
        spool: Callable[[], BlockSpool] | None = None,
    ) -> None:
        """Log the ``applicant`` columns (role -> export position) of an export with
        ``headings``; ``spool`` makes the spool that holds the log (else it is kept in memory)."""
        self.roles = tuple(role for role in IDENTITY_ROLES if role in applicant)
        self._takes = [itemgetter(applicant[role]) for role in self.roles]
        self.submitted_heading = (
            headings[applicant["submitted"]] if "submitted" in applicant else None
        )
        self._make_spool = spool
        self._spool: BlockSpool | None = None
        self._kept: list[bytes] = []
        self._ids = _EvaluationIds()
        self._batch: list[tuple[Sequence[str], Evaluation]] = []
        self._invalid_code = -1
        self.rows = 0

    @property
    def groups_anything(self) -> bool:
        """Whether the mapping names a column that can link two rows (email, or name and
        school)."""
        return "email" in self.roles or {"name", "school"} <= set(self.roles)

    def keep_block(
        self,
        cells: Sequence[Sequence[str]],
        evaluations: Sequence[Evaluation],
        invalid: Iterable[int] = (),
    ) -> None:
        """Keep a block of rows: each row's identifying cells (none for the ``invalid``
        rows, offsets in the block, which take no part) and its evaluation (to take a
        superseded row out of the counts)."""
        invalid = list(invalid)
        chunks: list[Chunk] = []
        for take in self._takes:
            column = list(map(take, cells))
            for offset in invalid:
                column[offset] = ""
            joined = "\x00".join(column)
            chunks.append(joined if joined.count("\x00") == len(column) - 1 else column)
        ids = array("I", map(self._ids.__getitem__, evaluations))
        block: _Block = (len(cells), chunks, ids.tobytes())
        if self._make_spool is None:
            self._kept.append(marshal.dumps(block))
        else:
            if self._spool is None:
                self._spool = self._make_spool()
            self._spool.write(block)
        self.rows += len(cells)

    def keep_function(self, invalid_code: int) -> Callable[[Sequence[str], Evaluation], None]:
        """A per-row call that keeps one row at a time (as ``keep_block``): its identifying
        cells (none for an evaluation of ``invalid_code``) and its evaluation."""
        self._invalid_code = invalid_code
        batch = self._batch
        add = batch.append

        def keep(cells: Sequence[str], evaluation: Evaluation) -> None:
            add((cells, evaluation))
            if len(batch) == CHUNK_ROWS:
                self._flush()

        return keep

    def _flush(self) -> None:
        batch = self._batch
        if batch:
            invalid = [i for i, (_, e) in enumerate(batch) if e.code == self._invalid_code]
            self.keep_block([c for c, _ in batch], [e for _, e in batch], invalid)
            batch.clear()

    def _blocks(self) -> Iterator[_Block]:
        """The log's blocks, in order."""
        self._flush()
        if self._spool is not None:
            yield from self._spool.blocks()
        else:
            for data in self._kept:
                yield marshal.loads(data)

    def discard(self) -> None:
        """Remove what the log kept (its spool)."""
        if self._spool is not None:
            self._spool.remove()
        self._kept.clear()

    def _chunks(self, roles: Sequence[str]) -> Iterator[tuple[int, list[Chunk]]]:
        """Each block's first row index (from 0) and its chunks of ``roles`` (logged ones)."""
        start = 0
        at = [self.roles.index(role) for role in roles]
        for count, chunks, _ in self._blocks():
            yield start, [chunks[i] for i in at]
            start += count

    def cells(self, rows: Collection[int], role: str) -> dict[int, str]:
        """The cell of ``role`` of each of ``rows`` (numbered from 1), "" if not logged."""
        if role not in self.roles:
            return dict.fromkeys(rows, "")
        found: dict[int, str] = {}
        for start, (chunk,) in self._chunks([role]):
            column = cells(chunk)
            for row in rows:
                if start < row <= start + len(column):
                    found[row] = column[row - 1 - start]
        return found

    def evaluations(self, rows: Collection[int]) -> dict[int, Evaluation]:
        """The evaluation each of ``rows`` (numbered from 1) had (one that counts alike)."""
        found: dict[int, Evaluation] = {}
        start = 0
        table = self._ids.table
        for count, _, data in self._blocks():
            ids = array("I")
            ids.frombytes(data)
            for row in rows:
                if start < row <= start + count:
                    found[row] = table[ids[row - 1 - start]]
            start += count
        return found

    def resolve(self) -> Duplicates:
        """Group the rows and choose each group's latest submission."""
        links = _links(self)
        if not links:
            return NO_DUPLICATES
        found = groups(links)
        times, stamps, notes = _times_for(self, found)
        superseded: dict[int, int] = {}
        unread: list[str] = []
        for members in found:
            known = [times[index] for index in members]
            if all(time is not None for time in known):
                latest = max(members, key=lambda index: (times[index], index))
            else:
                latest = members[-1]
                if self.submitted_heading is not None:
                    unread.append(_unread_note(members, known, stamps))
            for index in members:
                if index != latest:
                    superseded[index + 1] = latest + 1
        if unread:
            notes.extend(unread[:MAX_TIME_NOTES])
            if len(unread) > MAX_TIME_NOTES:
                notes.append(f"... and {len(unread) - MAX_TIME_NOTES} more such group(s).")
        return Duplicates(dict(sorted(superseded.items())), tuple(notes))


def _links(log: SubmissionLog) -> list[tuple[int, int]]:
    """Pairs of row indexes (0-based) that share an email, or a name and a school.

    A first reading of the log looks for keys that repeat; only when one does is the log read
    again, for the rows whose key may repeat, grouped by their keys exactly.
    """
    kinds: list[
        tuple[tuple[str, ...], Callable[[Sequence[Chunk]], list[object]], Callable[[object], bool]]
    ] = []
    if "email" in log.roles:
        kinds.append((("email",), email_keys, email_links))
    if {"name", "school"} <= set(log.roles):
        kinds.append((("name", "school"), name_keys, name_links))
    links: list[tuple[int, int]] = []
    for roles, keys_of, linking in kinds:
        repeats = Repeats(log.rows)
        for _, chunks in log._chunks(roles):
            repeats.add(keys_of(chunks))
        repeats.keep(linking)
        if not repeats.repeated:
            continue
        keyed: list[tuple[int, object]] = []
        for start, chunks in log._chunks(roles):
            keys = keys_of(chunks)
            keyed.extend(
                pair
                for pair in compress(enumerate(keys, start), repeats.which(keys))
                if linking(pair[1])
            )
        links += pairs(keyed)
    return links


def _times_for(
    log: SubmissionLog, groups: list[list[int]]
) -> tuple[dict[int, float | None], dict[int, str], list[str]]:
    """The submission time of every grouped row (None: not read), the value it was read from,
    and notes on how."""
    grouped = sorted(index for members in groups for index in members)
    superseded = sum(len(members) - 1 for members in groups)
    heading = log.submitted_heading
    notes: list[str] = []
    if heading is None:
        notes.append(
            f"{superseded} earlier submission(s) superseded by the last row of the same "
            "applicant: no submission-time column is mapped (applicant: submitted)."
        )
        return dict.fromkeys(grouped), {}, notes
    reading = ColumnTimes()
    stamps: dict[int, str] = {}
    at = 0
    for start, (chunk,) in log._chunks(["submitted"]):
        column = cells(chunk)
        end = start + len(column)
        wanted = []
        while at < len(grouped) and grouped[at] < end:
            wanted.append(grouped[at])
            stamps[grouped[at]] = column[grouped[at] - start]
            at += 1
        reading.read(column, start, wanted)
    times, how = reading.times()
    notes.append(
        f"{superseded} earlier submission(s) superseded by the same applicant's latest, by "
        f"“{heading}”{how}."
    )
    return times, stamps, notes


def _unread_note(members: list[int], known: list[float | None], stamps: dict[int, str]) -> str:
    rows = ", ".join(str(index + 1) for index in members)
    unread = next(
        index for index, time in zip(members, known, strict=True) if time is None
    )  # at least one
    value = stamps[unread]
    shown = shown_answer(value) if value.strip() else "blank"  # on one line, inert, shortened
    return (
        f"Rows {rows} (one applicant): the submission time of row {unread + 1} ({shown}) "
        f"could not be read, so row {members[-1] + 1}, the last, is screened."
    )
