"""A ranked CSV written after one pass over the input.

The rank of a row is known only when every row has been screened, but the export must be
read once and not held in memory. So each results row is first written, without its row
number and rank, to a spool file beside the target; once the ranks are known the spool is
copied byte for byte into the final file with ``row,line,rank`` put in front of each record.
The spool holds applicants' data: it is created 0600 and always removed.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from masterycheck.errors import InputError
from masterycheck.outputs.safe_files import atomic_output
from masterycheck.outputs.scratch import finished, private_file

_UTF8_BOM = "\ufeff".encode()
_BATCH = 1024  # records encoded and written at once
_CHUNK = 1 << 20  # bytes of spool read at once


class CsvSpool:
    """CSV records written to a temporary file, with each record's length kept."""

    def __init__(self, folder: Path) -> None:
        """Create the spool (mode 0600) in ``folder``."""
        handle, self.path = private_file(folder, prefix=".masterycheck-", suffix=".spool")
        self._file = os.fdopen(handle, "wb")
        self.lengths: array[int] = array("I")
        self._batch: list[bytes] = []

    def write_bytes(self, record: bytes) -> None:
        """Write one CSV record in UTF-8, ending in CRLF; the caller escapes and quotes it."""
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


def write_ranked_csv(
    target: Path,
    headings: Sequence[str],
    heading_cell: Callable[[str], str],
    spool: CsvSpool,
    ranks: Iterable[int],
    *,
    protect: Iterable[Path] = (),
) -> int:
    """Write the final CSV (UTF-8 with a BOM, CRLF, formulas escaped) from the spool.

    Each spool record starts with the input line number; the output record is
    ``row,line,rank,`` and the rest of the spool record. ``heading_cell`` renders (escapes and
    quotes) one heading. Returns how many rows were written.
    """
    spool.close()
    heading_line = ",".join(map(heading_cell, headings)) + "\r\n"
    written = 0
    with (
        atomic_output(target, protect=protect, mode="wb") as out,
        spool.path.open("rb") as src,
    ):
        out.write(_UTF8_BOM + heading_line.encode())
        read, write = src.read, out.write
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
            comma = data.find(b",", start)
            add(b"%d,%s,%d,%s" % (written, data[start:comma], rank, data[comma + 1 : end]))
            start = end
        write(b"".join(records))
    return written
