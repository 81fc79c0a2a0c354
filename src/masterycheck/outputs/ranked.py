"""Ranked results written after one pass over the input.

The rank of a row is known only when every row has been screened, but the export must be
read once and not held in memory. So each output record is first written, without its rank,
to a spool file beside the target (``RecordSpool``); once the ranks are known the spool is
read back in order and each record gets its rank (``write_ranked`` for CSV and JSON Lines,
which put ``row``, ``line`` and ``rank`` first; the other writers read ``records``). The
spool holds applicants' data: it is created 0600 and always removed.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

from masterycheck.errors import InputError
from masterycheck.outputs.safe_files import atomic_output
from masterycheck.outputs.scratch import finished, private_file

__all__ = ["RecordSpool", "write_ranked"]

_BATCH = 1024  # records written at once
_CHUNK = 1 << 20  # bytes of spool read at once


class RecordSpool:
    """Records (bytes) written to a temporary file, with each record's length kept."""

    def __init__(self, folder: Path) -> None:
        """Create the spool (mode 0600) in ``folder``."""
        handle, self.path = private_file(folder, prefix=".masterycheck-", suffix=".spool")
        self._file = os.fdopen(handle, "wb")
        self.lengths: array[int] = array("I")
        self._batch: list[bytes] = []

    def write(self, record: bytes) -> None:
        """Add one record (kept in order)."""
        batch = self._batch
        batch.append(record)
        if len(batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the batched records at once, keeping each one's length."""
        batch = self._batch
        self.lengths.extend(map(len, batch))
        try:
            self._file.write(b"".join(batch))
        except OSError as error:  # a full disk, most likely
            raise InputError(
                f"cannot write the results' temporary file: {error.strerror or error}",
                where=str(self.path.parent),
            ) from None
        batch.clear()

    def close(self) -> None:
        """Finish writing (the spool stays until ``remove``)."""
        if not self._file.closed:
            self._flush()
            self._file.close()

    def records(self) -> Iterator[bytes]:
        """Finish writing, then every record in the order written."""
        self.close()
        with self.path.open("rb") as source:
            read = source.read
            data = b""
            start = 0
            for length in self.lengths:
                end = start + length
                if end > len(data):
                    data = data[start:] + read(max(_CHUNK, length))
                    start, end = 0, length
                yield data[start:end]
                start = end

    def remove(self) -> None:
        """Close and delete the spool."""
        self._file.close()
        self.path.unlink(missing_ok=True)
        finished(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.remove()


def write_ranked(
    target: Path,
    head: bytes,
    spool: RecordSpool,
    ranks: Iterable[int],
    template: bytes,
    *,
    protect: Iterable[Path] = (),
    others: Mapping[int, Callable[[int, bytes], bytes]] | None = None,
) -> int:
    """Write ``head``, then each spool record with its row number and rank, atomically.

    Each spool record is ``<line>,<rest>``; the output record is ``template % (row, line,
    rank, rest)`` (``b"%d,%s,%d,%s"`` for CSV), or for a row numbered in ``others``,
    ``others[row](row, record)`` (its rank unused). Returns how many records were written.
    """
    with atomic_output(target, protect=protect, mode="wb") as out:
        out.write(head)
        return _copy_ranked(spool, ranks, template, out.write, others)


def _copy_ranked(
    spool: RecordSpool,
    ranks: Iterable[int],
    template: bytes,
    write: Callable[[bytes], object],
    others: Mapping[int, Callable[[int, bytes], bytes]] | None = None,
) -> int:
    """``write_ranked``'s copy, slicing each record's parts straight from the spool's chunks."""
    spool.close()
    written = 0
    with spool.path.open("rb") as source:
        read = source.read
        data = b""
        start = 0
        records: list[bytes] = []
        add = records.append
        for written, (length, rank) in enumerate(zip(spool.lengths, ranks, strict=True), 1):
            end = start + length
            if end > len(data):
                write(b"".join(records))
                records.clear()
                data = data[start:] + read(max(_CHUNK, length))
                start, end = 0, length
            if others and written in others:
                add(others[written](written, data[start:end]))
            else:
                comma = data.find(b",", start)
                add(template % (written, data[start:comma], rank, data[comma + 1 : end]))
            start = end
        write(b"".join(records))
    return written
