"""Ranked results written after one pass over the input.

The rank of a row is known only when every row has been screened, but the export must be
read once and not held in memory. So each output record is first written, without its rank,
to a spool file beside the target; once the ranks are known the spool is read back in order
and each record gets its rank. A ``BlockSpool`` keeps a block of records at a time (any value
``marshal`` writes): ``write_ranked_blocks`` writes blocks of texts with their ranks (JSON
Lines), ``ranked_records.PieceSpool`` blocks of records' pieces (CSV). A ``RecordSpool`` keeps
records of bytes one by one, for the writers that read them back in another order
(``records``: the XLSX workbook, the HTML report). A spool holds applicants' data: it is
created 0600 and always removed.
"""

from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from masterycheck.errors import InputError
from masterycheck.outputs.safe_files import atomic_output
from masterycheck.outputs.scratch import finished, private_file

__all__ = ["BlockSpool", "RecordSpool", "write_ranked_blocks"]

_BATCH = 1024  # records written at once
_CHUNK = 1 << 20  # bytes of spool read at once


class BlockSpool:
    """Blocks of records (any value ``marshal`` writes) in a temporary file, read back in
    order; only each block's size is kept in memory."""

    def __init__(self, folder: Path) -> None:
        """Create the spool (mode 0600) in ``folder``."""
        handle, self.path = private_file(folder, prefix=".masterycheck-", suffix=".spool")
        self._file = os.fdopen(handle, "wb")
        self._sizes: list[int] = []

    def write(self, block: Any) -> None:
        """Add one block (kept in order)."""
        data = marshal.dumps(block)
        self._sizes.append(len(data))
        try:
            self._file.write(data)
        except OSError as error:  # a full disk, most likely
            raise InputError(
                f"cannot write the results' temporary file: {error.strerror or error}",
                where=str(self.path.parent),
            ) from None

    def blocks(self) -> Iterator[Any]:
        """Finish writing, then every block in the order written."""
        self._file.close()
        with self.path.open("rb") as source:
            for size in self._sizes:
                yield marshal.loads(source.read(size))

    def remove(self) -> None:
        """Close and delete the spool."""
        self._file.close()
        self.path.unlink(missing_ok=True)
        finished(self.path)


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


def write_ranked_blocks(
    target: Path,
    head: bytes,
    spool: BlockSpool,
    ranks: Iterator[int],
    template: str,
    *,
    protect: Iterable[Path] = (),
    others: Mapping[int, Callable[[int, int, str], str]] | None = None,
) -> int:
    """Write ``head``, then every spooled row with its row number and rank, atomically.

    Each spooled block is ``(start, lines, texts)``: the rows ``start``, ``start + 1``, ...
    with their lines and texts. A row's record is ``template % (row, line, rank, text)``, or
    for a row numbered in ``others``, ``others[row](row, line, text)`` (its rank unused); a
    block's records are encoded (UTF-8) and written at once. Returns how many records were
    written; ``ValueError`` if the blocks do not follow each other or ``ranks`` does not give
    one rank a row.
    """
    apart = sorted(others or ())
    written = 0
    with atomic_output(target, protect=protect, mode="wb") as out:
        out.write(head)
        for start, lines, texts in spool.blocks():
            count = len(texts)
            got = list(islice(ranks, count))
            if start != written + 1 or len(got) != count:
                raise ValueError(f"rows {start} to {start + count - 1} do not follow {written}")
            records = list(
                map(
                    template.__mod__,
                    zip(range(start, start + count), lines, got, texts, strict=True),
                )
            )
            if others:
                for row in apart[bisect_left(apart, start) : bisect_left(apart, start + count)]:
                    offset = row - start
                    records[offset] = others[row](row, lines[offset], texts[offset])
            out.write("".join(records).encode())
            written += count
        if next(ranks, None) is not None:
            raise ValueError(f"more ranks than the {written} rows")
    return written
