"""Results records written in two steps: a block of rows at a time while the export is read,
and with each row's rank once every row is screened (``PieceSpool``).

A record is pieces of bytes: a prefix made when the ranks are known (``row,line,rank,,`` in
CSV), then its template's fixed pieces with the row's own texts between them (``fixed[0]``,
``texts[0]``, ``fixed[1]``, ..., ``fixed[-1]``). A template is the same for every row of one
kind (in the results, one evaluation) and is encoded once; only what differs from row to row
is spooled: the line, the template's number, and each slot's texts as one UTF-8 text a block.
The file is then written a block at a time, joining the pieces (each byte copied once), and
nothing is kept in memory per row. A row whose record is not made this way (its notes are not
the usual ones, or its kind is not memoised) is spooled whole, after its prefix.

The spool holds applicants' data: it is a ``BlockSpool`` (created 0600, always removed).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Generic, TypeVar

from masterycheck.outputs.ranked import BlockSpool
from masterycheck.outputs.safe_files import atomic_output

__all__ = ["PieceSpool"]

#: A block of texts as spooled: joined by NULs and encoded (a list of each one's UTF-8 when a
#: text holds a NUL).
_Packed = bytes | list[bytes]
K = TypeVar("K", bound=Hashable)  # a kind of row (in the results, an evaluation)


def _pack(texts: list[str]) -> _Packed:
    joined = "\x00".join(texts)
    if joined.count("\x00") == len(texts) - 1:
        return joined.encode()
    return [text.encode() for text in texts]


def _unpack(packed: _Packed) -> list[bytes]:
    return packed.split(b"\x00") if isinstance(packed, bytes) else packed


class _Numbers(dict[K, int]):
    """Kind -> its template's number, made on first use by ``new(kind)``."""

    def __init__(self, new: Callable[[K], int]) -> None:
        super().__init__()
        self.new = new

    def __missing__(self, kind: K) -> int:
        return self.new(kind)


class PieceSpool(Generic[K]):
    """Rows' records spooled without their rank, written with it (see the module docstring).

    ``fixed(kind)`` gives a kind's fixed pieces (one more than the slots) and whether they
    may be remembered (else the kind's rows are spooled whole).
    """

    def __init__(
        self,
        folder: Path,
        fixed: Callable[[K], tuple[tuple[bytes, ...], bool]],
        slots: int,
    ) -> None:
        """Spool in ``folder``; each record has ``slots`` texts of its own."""
        self.spool = BlockSpool(folder)
        self._fixed = fixed
        self.slots = slots
        self._number = _Numbers(self._new_number)
        # Each template's fixed pieces, by place: ``_places[place][number]``; number 0 stands
        # for a row spooled whole.
        self._places: list[list[bytes]] = [[b""] for _ in range(slots + 1)]

    def add(
        self,
        start: int,
        lines: Sequence[int],
        kinds: Sequence[K],
        texts: Sequence[list[str]],
        whole: Mapping[int, bytes],
    ) -> None:
        """Spool the rows ``start``, ``start + 1``, ...: each one's line and kind, the texts
        of each slot (one list a slot), and the records after the prefix of the rows in
        ``whole`` (by offset in the block; their kinds and texts are not read)."""
        numbers = list(map(self._number.__getitem__, kinds))
        whole = dict(whole)
        if -1 in numbers:
            for offset, number in enumerate(numbers):
                if number == -1:
                    numbers[offset] = 0
                    if offset not in whole:
                        pieces, _ = self._fixed(kinds[offset])
                        whole[offset] = self._record(pieces, [slot[offset] for slot in texts])
        self.spool.write(
            (
                start,
                array("I", lines).tobytes(),
                array("I", numbers).tobytes(),
                [_pack(slot) for slot in texts],
                whole,
            )
        )

    def _new_number(self, kind: K) -> int:
        """The number of a kind's template, made now (-1 for a kind not remembered)."""
        pieces, remember = self._fixed(kind)
        if not remember:
            return -1
        number = self._number[kind] = len(self._places[0])
        for place, piece in zip(self._places, pieces, strict=True):
            place.append(piece)
        return number

    @staticmethod
    def _record(pieces: tuple[bytes, ...], texts: list[str]) -> bytes:
        """A record after its prefix, from its template's pieces and its texts."""
        parts = [pieces[0]]
        for text, piece in zip(texts, pieces[1:], strict=True):
            parts += [text.encode(), piece]
        return b"".join(parts)

    def write(
        self,
        target: Path,
        head: bytes,
        ranks: Iterator[int],
        prefix: bytes,
        *,
        protect: Iterable[Path] = (),
        others: Mapping[int, Callable[[int, int, bytes], bytes]] | None = None,
    ) -> int:
        """Write ``head`` and every row's record to ``target``, atomically: ``prefix %
        (row, line, rank)`` and the rest; for a row numbered in ``others``,
        ``others[row](row, line, rest)`` (its rank unused). Returns how many rows were
        written; ``ValueError`` if ``ranks`` does not give one rank a row."""
        apart = sorted(others or ())
        written = 0
        with atomic_output(target, protect=protect, mode="wb") as out:
            out.write(head)
            for start, lines_data, numbers_data, packed, whole in self.spool.blocks():
                lines, numbers = array("I"), array("I")
                lines.frombytes(lines_data)
                numbers.frombytes(numbers_data)
                count = len(lines)
                got = list(islice(ranks, count))
                if start != written + 1 or len(got) != count:
                    raise ValueError(f"rows {start} to {start + count - 1} follow row {written}")
                rows = range(start, start + count)
                columns = [list(map(prefix.__mod__, zip(rows, lines, got, strict=True)))]
                slots = [_unpack(slot) for slot in packed]
                for place, pieces in enumerate(self._places):
                    columns.append(list(map(pieces.__getitem__, numbers)))
                    if place < self.slots:
                        columns.append(slots[place])
                for offset, rest in whole.items():
                    columns[1][offset] = rest
                    for column in columns[2:]:
                        column[offset] = b""
                if others:
                    for row in apart[bisect_left(apart, start) : bisect_left(apart, start + count)]:
                        offset = row - start
                        rest = b"".join(column[offset] for column in columns[1:])
                        columns[0][offset] = others[row](row, lines[offset], rest)
                        for column in columns[1:]:
                            column[offset] = b""
                out.write(b"".join(chain.from_iterable(zip(*columns, strict=True))))
                written += count
            if next(ranks, None) is not None:
                raise ValueError(f"more ranks than the {written} rows")
        return written

    def remove(self) -> None:
        """Remove the spool."""
        self.spool.remove()
