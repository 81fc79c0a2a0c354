"""Read hub application exports (CSV or Excel) strictly, as a stream, accounting for every row.

``open_table(path)`` looks at the file's bytes (not only its name), reads the heading row and
returns a ``TableSource``; ``source.rows()`` then yields one ``TableRow`` per data row,
without ever holding the whole file (``source.row_blocks()``: the same rows a block at a time,
with no object made per row, for a screening pass). Rows in = rows out: short, long and blank
rows are yielded with ``problem`` set, never dropped. Anything that makes the file itself
unreadable (bad bytes, broken quoting, unusable headings) raises ``InputError``. No message
ever contains a cell's value (applicants' personal data): errors name the file, row, line and
column heading only.

Formats
    * XLSX (zip magic ``PK\\x03\\x04``), read with openpyxl in read-only mode: ``xlsx_reader``
      (cell values as text, formula cells without a saved value), after the zip and its XML
      are checked against the limits: ``xlsx_bounds``. A legacy ``.xls`` (OLE magic; also how
      Excel stores a password-protected workbook) and a non-zip file named ``.xlsx`` are
      errors.
    * CSV, anything else: ``csv_reader``, with ``encoding`` (UTF-8, or Windows-1252 when
      detected; UTF-16 is refused), ``delimiters`` (sniffed, or given) and ``csv_quoting``
      (strict quoting, errors naming the line).

Lines, blank rows and headings
    ``TableRow.line`` is the physical line where the record starts (multi-line quoted answers
    advance it). Every line that is entirely empty is a blank row (problem ``"blank row"``),
    including empty lines at the end of the file, except that the file's single final line
    break does not start a row. A row whose cells are all empty or whitespace is blank too.
    Headings are kept as written, minus the BOM and surrounding whitespace. Trailing empty
    headings are dropped from ``headings`` (Excel often exports formatted but empty columns);
    an empty heading before the last non-empty one is kept as ``""`` so positions still match
    the file. A value under an empty heading raises ``InputError`` when that row is reached.
    In CSV, the expected cell count is the number of cells on the heading line, trailing empty
    ones included; in XLSX, rows are padded to the headings (a sheet row has no length).

Modules, one job each
    ``opening``      ``open_table``: the format from the bytes, the options that fit it
    ``source``       ``TableSource`` (what a reader gives) and ``TableRow``
    ``headings``     column letters, columns in messages, the heading-row check
    ``limits``       every bound on memory and time, and why
    ``file_access``  the file's first MiB; OS errors as one-line messages
    ``encoding``     a CSV file's text encoding; the line of a byte that does not decode
    ``delimiters``   the CSV delimiter, sniffed or named (``parse_delimiter``)
    ``csv_quoting``  quoting faults in a CSV record, found and located
    ``csv_reader``   ``CsvTable``
    ``xlsx_bounds``  the zip and XML checks before openpyxl runs
    ``xlsx_reader``  ``XlsxTable``

Many-of answers (``split_many``) are split in ``masterycheck.batch.many_of_answers``; the name
is also importable from here.
"""

from __future__ import annotations

from masterycheck.batch.many_of_answers import split_many
from masterycheck.batch.tables.csv_reader import CsvTable
from masterycheck.batch.tables.delimiters import parse_delimiter
from masterycheck.batch.tables.headings import column_letter
from masterycheck.batch.tables.opening import open_table
from masterycheck.batch.tables.source import (
    BLOCK_CHARS,
    BLOCK_ROWS,
    RowBlock,
    TableRow,
    TableSource,
    blocks_of,
)
from masterycheck.batch.tables.xlsx_reader import XlsxTable

__all__ = [
    "BLOCK_CHARS",
    "BLOCK_ROWS",
    "CsvTable",
    "RowBlock",
    "TableRow",
    "TableSource",
    "XlsxTable",
    "blocks_of",
    "column_letter",
    "open_table",
    "parse_delimiter",
    "split_many",
]
