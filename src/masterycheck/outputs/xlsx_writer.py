"""Streaming XLSX output for hub leads, written atomically with openpyxl's write-only mode.

Every text value is written as a string cell (an inline string), never as a formula, an error
value or a hyperlink, so ``=HYPERLINK(...)`` or ``#N/A`` arrive as the exact text. That is why
``escape_formula`` is *not* applied here: unlike CSV, an XLSX string cell is never evaluated,
and a leading apostrophe would only corrupt the value.

What Excel cannot hold is reported rather than crashing or silently changed:

* text longer than Excel's 32,767-character cell limit is cut to the limit, ends with
  ``TRUNCATION_MARKER`` and is listed in ``XlsxReport.truncated``;
* characters XML 1.0 forbids (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE,
  U+FFFF) are replaced with U+FFFD and counted in ``XlsxReport.replaced_characters``;
* infinities and NaN, which Excel would reject as a corrupt file, are written as text.

The heading row is bold and frozen, an auto-filter covers the used range, and the verdict
column (if any) is filled by verdict in colours of clearly different lightness, so that they
stay distinct in greyscale print; the verdict word itself is always in the cell, so colour is
never the only signal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from masterycheck.errors import InputError
from masterycheck.outputs.safe_files import atomic_output

__all__ = [
    "EXCEL_CELL_LIMIT",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "TRUNCATION_MARKER",
    "VERDICT_COLOURS",
    "XlsxReport",
    "write_xlsx",
]

Value = str | int | float | None

#: Excel's limit on the length of a cell's text, in UTF-16 code units.
EXCEL_CELL_LIMIT = 32_767
#: Appended to a cut cell so that the reader can see that text is missing.
TRUNCATION_MARKER = " …[truncated]"
#: Excel's sheet size limits (heading row included).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

#: Verdict -> (fill colour, text colour) as RGB hex. Greyscale lightness (0.299 R + 0.587 G +
#: 0.114 B) is about 233, 189, 128 and 57, so the four stay apart when printed in grey; the
#: dark red has white text for contrast.
VERDICT_COLOURS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "eligible": ("E2EFDA", "000000"),  # pale green
        "incomplete": ("FFC000", "000000"),  # amber
        "invalid": ("808080", "000000"),  # mid grey
        "not_eligible": ("C00000", "FFFFFF"),  # dark red
    }
)

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


class _SheetWriter:
    """Turns values into write-only cells, recording what had to change."""

    def __init__(self, sheet: object, headings: Sequence[str], report: XlsxReport) -> None:
        self.sheet = sheet
        self.headings = headings
        self.report = report

    def column_name(self, index: int) -> str:
        if index < len(self.headings):
            return self.headings[index]
        return f"column {get_column_letter(index + 1)}"

    def text_cell(self, text: str, row: int, column: int) -> Any:
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
        cells: list[Any] = []
        for column, value in enumerate(values):
            if isinstance(value, str):
                cells.append(self.text_cell(value, row, column))
            elif isinstance(value, float) and not math.isfinite(value):
                cells.append(self.text_cell(str(value), row, column))
            else:
                cells.append(value)
        return cells


def _save(workbook: Any, stream: BinaryIO) -> None:
    """``Workbook.save`` to an open stream, but on failure (a full disk) the half-written zip
    archive is dropped at once: openpyxl would leave it to be closed by the garbage collector,
    which then writes to the closed stream and prints a traceback ("Exception ignored")."""
    from openpyxl.writer.excel import ExcelWriter

    archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    workbook.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        ExcelWriter(workbook, archive).save()
    except BaseException:
        archive.fp = None  # nothing more is written to the discarded stream
        raise


def _discard_sheet_stream(sheet: object) -> None:
    """Remove the temporary file openpyxl streams the sheet into, after a failure.

    openpyxl would otherwise delete it only when the process exits. This reaches into
    openpyxl's internals, so it is best effort.
    """
    rows = getattr(sheet, "_rows", None)
    writer = getattr(sheet, "_writer", None)
    with contextlib.suppress(Exception):
        if rows is not None:
            rows.close()
    with contextlib.suppress(Exception):
        if writer is not None:
            writer.close()
    with contextlib.suppress(Exception):
        if writer is not None:
            writer.cleanup()


def write_xlsx(
    target: Path,
    headings: Sequence[str],
    rows: Iterable[Sequence[Value]],
    *,
    protect: Iterable[Path] = (),
    verdict_column: str | None = None,
    sheet_title: str = "Results",
) -> XlsxReport:
    """Write ``headings`` and ``rows`` to an XLSX file at ``target``, streaming and atomically.

    Uses openpyxl's write-only mode, so memory stays constant however many rows there are;
    ``rows`` is consumed once. Text is always written as string cells (see the module
    docstring). ``verdict_column`` names the heading whose cells are coloured by verdict
    (``VERDICT_COLOURS``); ``ValueError`` if it is not among the headings. Raises
    ``InputError`` for the refusals of ``atomic_output`` and when the data exceeds Excel's
    1,048,576 rows or 16,384 columns; on any failure an earlier file at ``target`` is left
    untouched. Returns an ``XlsxReport`` of truncated cells and replaced characters.
    """
    headings = list(headings)
    verdict_index: int | None = None
    if verdict_column is not None:
        if verdict_column not in headings:
            raise ValueError(f"verdict column {verdict_column!r} is not among the headings")
        verdict_index = headings.index(verdict_column)
    too_wide = InputError(
        f"too many columns for an Excel sheet (the limit is {EXCEL_MAX_COLUMNS:,})",
        where=str(target),
        hint="write CSV instead",
    )
    if len(headings) > EXCEL_MAX_COLUMNS:
        raise too_wide

    verdict_styles = {
        verdict: (PatternFill(fill_type="solid", fgColor=fill), Font(color=ink))
        for verdict, (fill, ink) in VERDICT_COLOURS.items()
    }
    bold = Font(bold=True)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    # Sheet views and column widths are written before the first row, so set them now.
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(heading) + 4, 10), 50)

    report = XlsxReport()
    cells = _SheetWriter(sheet, headings, report)
    try:
        with atomic_output(target, protect=protect, mode="wb") as stream:
            heading_cells = cells.row_cells(headings, 1)
            for cell in heading_cells:
                cell.font = bold
            sheet.append(heading_cells)

            width = len(headings)
            row_number = 1
            for values in rows:
                row_number += 1
                if row_number > EXCEL_MAX_ROWS:
                    raise InputError(
                        f"too many rows for an Excel sheet (the limit is {EXCEL_MAX_ROWS:,} "
                        "including the heading row)",
                        where=str(target),
                        hint="write CSV instead",
                    )
                if len(values) > EXCEL_MAX_COLUMNS:
                    raise too_wide
                width = max(width, len(values))
                row = cells.row_cells(values, row_number)
                if verdict_index is not None and verdict_index < len(values):
                    verdict = values[verdict_index]
                    if isinstance(verdict, str):
                        key = verdict.strip().lower().replace(" ", "_").replace("-", "_")
                        style = verdict_styles.get(key)
                        if style is not None:
                            cell = row[verdict_index]
                            cell.fill, cell.font = style
                sheet.append(row)

            report.rows = row_number - 1
            if width:
                # The auto-filter is written after the rows, so the full range is known here.
                sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{row_number}"
            _save(workbook, stream)
    except BaseException:
        _discard_sheet_stream(sheet)
        raise
    return report
