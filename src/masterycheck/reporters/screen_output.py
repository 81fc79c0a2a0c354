"""The results file of a screening run as CSV or JSON Lines (XLSX: ``reporters.screen_workbook``).

Every format is written the same way (``batch.run.ResultsWriter``): each block of rows, as
the one screening pass gives it, is encoded at once into a private spool without its rank
(CSV: the pieces of each record, an evaluation's cells rendered once; JSON Lines: each line's
text; XLSX: each row's cells); when the ranks are known the spool is copied into the results
file with them (``outputs.ranked``, ``outputs.ranked_records``). The columns and cells are
``reporters.screen_columns``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from masterycheck.batch.screening import Evaluation
from masterycheck.outputs.ranked import BlockSpool, write_ranked_blocks
from masterycheck.outputs.ranked_records import PieceSpool
from masterycheck.outputs.safe_files import csv_line
from masterycheck.reporters.screen_columns import ScreenColumns

if TYPE_CHECKING:
    from masterycheck.batch.run import ScreenRun
    from masterycheck.batch.screening_pass import ScreenedBlock

__all__ = ["CsvResults", "JsonResults", "ScreenColumns"]

_UTF8_BOM = "\ufeff".encode()


class _OneRow:
    """``add`` (``batch.run.ResultsWriter``) as a block of one row, for a block writer."""

    columns: ScreenColumns

    def add_block(self, block: ScreenedBlock) -> None:
        """Spool a block of rows."""
        raise NotImplementedError

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None:
        """Spool one row (as a block of one)."""
        from masterycheck.batch.screening_pass import ScreenedBlock

        usual = self.columns.screener.constant_notes
        given = {} if notes == usual else {0: notes}
        self.add_block(ScreenedBlock(row, [line], [cells], [evaluation], usual, given))


class CsvResults(_OneRow):
    """The results as CSV for Excel: UTF-8 with a BOM, CRLF, formulas escaped. Each block of
    rows is spooled as the pieces of their records (``outputs.ranked_records``)."""

    def __init__(self, columns: ScreenColumns, target: Path, protect: list[Path]) -> None:
        """Write to ``target``."""
        self.columns = columns
        self.target = target
        self.protect = protect
        slots = len(columns.csv_slots(_no_rows(columns)))
        self.spool = PieceSpool(target.parent, columns.csv_pieces, slots)

    def add_block(self, block: ScreenedBlock) -> None:
        """Spool a block of rows: their lines, evaluations and own texts."""
        slots = self.columns.csv_slots(block)
        whole = self.columns.csv_whole(block, slots)
        self.spool.add(block.start, block.lines, block.evaluations, slots, whole)

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the results file; returns how many rows were written."""
        superseded = self.columns.superseded_csv_rest
        return self.spool.write(
            self.target,
            _UTF8_BOM + csv_line(self.columns.headings).encode(),
            ranks,
            b"%d,%d,%d,,",
            protect=self.protect,
            others={row: superseded(by) for row, by in run.superseded.items()},
        )

    def discard(self) -> None:
        """Remove the spool."""
        self.spool.remove()


def _no_rows(columns: ScreenColumns) -> ScreenedBlock:
    from masterycheck.batch.screening_pass import ScreenedBlock

    return ScreenedBlock(1, [], [], [], columns.screener.constant_notes)


class JsonResults(_OneRow):
    """The results as JSON Lines, for machines: exact values, nothing escaped for Excel. Each
    block of rows is spooled as their lines' texts after ``"duplicate_of"``."""

    def __init__(self, columns: ScreenColumns, target: Path, protect: list[Path]) -> None:
        """Write to ``target``."""
        self.columns = columns
        self.target = target
        self.protect = protect
        self.spool = BlockSpool(target.parent)

    def add_block(self, block: ScreenedBlock) -> None:
        """Spool a block of rows' texts (``ScreenColumns.json_texts``)."""
        self.spool.write((block.start, list(block.lines), self.columns.json_texts(block)))

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the results file; returns how many rows were written."""
        superseded = self.columns.superseded_json_text
        return write_ranked_blocks(
            self.target,
            b"",
            self.spool,
            ranks,
            '{"row":%d,"line":%d,"rank":%d,"duplicate_of":null,%s',
            protect=self.protect,
            others={row: superseded(by) for row, by in run.superseded.items()},
        )

    def discard(self) -> None:
        """Remove the spool."""
        self.spool.remove()
