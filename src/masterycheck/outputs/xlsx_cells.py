"""XLSX cells: text made safe for a cell (``CellWriter``) and styles shared between cells.

Every text value becomes a string cell (an inline string), never a formula, an error value or
a hyperlink; characters XML 1.0 forbids are replaced with U+FFFD and text over Excel's cell
limit is cut, each change recorded in an ``XlsxReport`` (see ``xlsx_writer``, which assembles
the workbook from these cells).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

Value = str | int | float | None

#: Excel's limit on the length of a cell's text, in UTF-16 code units.
EXCEL_CELL_LIMIT = 32_767
#: Appended to a cut cell so that the reader can see that text is missing.
TRUNCATION_MARKER = " …[truncated]"

# Characters that may not appear in XML 1.0 text (openpyxl rejects the C0 ones; the others
# would make the file unreadable or fail to encode).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Below this many code points a text cannot exceed the limit, even if every one is astral.
_SURELY_SHORT = EXCEL_CELL_LIMIT // 2


@dataclass
class XlsxReport:
    """What ``write_xlsx`` wrote and what it had to change.

    Row numbers are spreadsheet row numbers: the heading row is 1, the first data row is 2.
    Columns are named by their heading, or by their letter where a row is wider than the
    headings. No cell contents are kept, so the report is safe to print.
    """

    rows: int = 0  # data rows written, heading row not counted
    truncated: list[tuple[int, str]] = field(default_factory=list)
    replaced_characters: int = 0  # illegal characters replaced with U+FFFD, over all cells
    cells_with_replaced_characters: list[tuple[int, str]] = field(default_factory=list)


def _fit_to_cell(text: str) -> str | None:
    """The text cut to Excel's limit with the marker, or None if it already fits."""
    if len(text) <= _SURELY_SHORT:
        return None
    units = text.encode("utf-16-le")
    if len(units) // 2 <= EXCEL_CELL_LIMIT:
        return None
    keep = (EXCEL_CELL_LIMIT - len(TRUNCATION_MARKER)) * 2
    # errors="ignore" drops half of a surrogate pair split at the cut
    return units[:keep].decode("utf-16-le", errors="ignore") + TRUNCATION_MARKER


class CellWriter:
    """Turns values into write-only cells, recording what had to change."""

    def __init__(self, sheet: object, headings: Sequence[str], report: XlsxReport) -> None:
        self.sheet = sheet
        self.headings = headings
        self.report = report

    def column_name(self, index: int) -> str:
        """The column's heading, or its letter where a row is wider than the headings."""
        if index < len(self.headings):
            return self.headings[index]
        return f"column {get_column_letter(index + 1)}"

    def text_cell(self, text: str, row: int, column: int) -> Any:
        """A string cell of ``text``, cleaned and cut to fit, the change recorded."""
        cleaned, count = _ILLEGAL_XML.subn("\ufffd", text)
        if count:
            self.report.replaced_characters += count
            self.report.cells_with_replaced_characters.append((row, self.column_name(column)))
        cut = _fit_to_cell(cleaned)
        if cut is not None:
            cleaned = cut
            self.report.truncated.append((row, self.column_name(column)))
        cell = WriteOnlyCell(self.sheet, value=cleaned)
        # openpyxl turns "=..." into a formula and "#N/A" etc. into an error value; force a
        # plain string, which its writer stores as an inline string.
        cell.data_type = "s"
        return cell

    def row_cells(self, values: Sequence[Value], row: int) -> list[Any]:
        """A row's cells: text (and infinities and NaN, as text) in string cells."""
        cells: list[Any] = []
        for column, value in enumerate(values):
            if isinstance(value, str):
                cells.append(self.text_cell(value, row, column))
            elif isinstance(value, float) and not math.isfinite(value):
                cells.append(self.text_cell(str(value), row, column))
            else:
                cells.append(value)
        return cells


def shared_style(sheet: object, **style: Any) -> Any:
    """The style array of a cell with ``style`` (font, fill, alignment), made once and shared
    by every cell of that style: setting the style objects cell by cell costs a lookup each."""
    cell = WriteOnlyCell(sheet)
    for name, value in style.items():
        setattr(cell, name, value)
    return cell._style


def fill_key(value: str) -> str:
    """A cell's value as a key of its column's fills: "Not eligible" is ``not_eligible``."""
    return value.strip().lower().replace(" ", "_").replace("-", "_")
