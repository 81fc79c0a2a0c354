"""How much of an export is read: the bounds on memory and time, whatever the file holds.

Every reader module takes its limits from here, so they can be found and reviewed together.

XLSX
    Before openpyxl builds anything, the zip is inspected with ``zipfile`` (``xlsx_bounds``):
    its directory (at most 4 MB, some 40,000 parts), the unzipped size of all parts (512 MB),
    of the shared strings (128 MB) and of any other part but a worksheet (32 MB), and the
    compression ratio of parts over 8 MB (100-fold; the parts of real exports compress 2- to
    15-fold). Every part is then streamed once through ``_scan_part``, which refuses a
    ``<!DOCTYPE``/``<!ENTITY`` (entity expansion), a run of text over 1 MB between two tags,
    more than 1,000,000 shared strings (counting the ``<si>`` elements themselves, not trusting
    ``count``/``uniqueCount``), more than Excel's 1,048,576 rows or rows numbered beyond it,
    and more than Excel's 16,384 cells in a row; it also finds the formula cells without a
    saved value. A 10,000-applicant, 60-column export with three 2,000-character answers each
    (61 MB of shared strings and a 20 MB sheet, or a 93 MB sheet of inline strings) reads
    within them; the scan adds ~0.6 s to opening it. A cell over 131,072 characters (csv's
    field limit; Excel's own is 32,767) is an error naming its row and column.

CSV
    csv.reader's field limit (131,072 characters) and at most 8,388,608 characters per row
    (64 such cells); lines are read in pieces no longer than that, so a file without line
    breaks is never read whole.
"""

from __future__ import annotations

from typing import Final

_MB: Final = 1 << 20  # a mebibyte

# How much of the file detection looks at.
_MAGIC_BYTES: Final = 4096  # magic numbers, UTF-16 and NUL checks
_SNIFF_BYTES: Final = 1 << 20  # encoding and delimiter detection

# Cells and CSV rows.
_CELL_CHARS: Final = 131_072  # longest cell: csv's default field limit (Excel's own: 32,767)
_ROW_CHARS: Final = 64 * _CELL_CHARS  # longest CSV row (record), 8,388,608 characters

# XLSX (see the module docstring). Sizes are of the unzipped parts.
_XLSX_DIRECTORY_BYTES: Final = 4 * _MB  # the zip's central directory
_XLSX_TOTAL_BYTES: Final = 512 * _MB  # all parts together
_XLSX_STRINGS_BYTES: Final = 128 * _MB  # the shared strings part
_XLSX_PART_BYTES: Final = 32 * _MB  # any other part but a worksheet
_XLSX_RATIO: Final = 100  # most a part over _XLSX_RATIO_FROM may be compressed (n-fold)
_XLSX_RATIO_FROM: Final = 8 * _MB
_XLSX_TEXT_BYTES: Final = _MB  # longest run of bytes between two tags
_XLSX_STRINGS: Final = 1_000_000  # shared strings
_XLSX_ROWS: Final = 1_048_576  # Excel's limit
_XLSX_ROW_CELLS: Final = 16_384  # Excel's limit (column XFD)
