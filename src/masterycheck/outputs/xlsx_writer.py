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

``write_workbook`` writes a ``Summary`` sheet and the results sheet: human headings with the
machine ids in a second heading row, the heading rows and the leading columns frozen, widths
and wrapped text by column, an auto-filter on the last heading row, and cells filled by value
(verdicts, criterion outcomes) in colours of clearly different lightness, so that they stay
distinct in greyscale print; the word itself is always in the cell, so colour is never the
only signal. ``write_xlsx`` is the one-sheet form (one heading row, the verdict filled).

This module assembles the file (sheets, views, widths, the atomic save); what goes into a cell
and the shared cell styles are ``xlsx_cells``'s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from masterycheck.errors import InputError
from masterycheck.outputs.safe_files import atomic_output
from masterycheck.outputs.xlsx_cells import (
    EXCEL_CELL_LIMIT,
    TRUNCATION_MARKER,
    CellWriter,
    Value,
    XlsxReport,
    fill_key,
    shared_style,
)

__all__ = [
    "EXCEL_CELL_LIMIT",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "OUTCOME_COLOURS",
    "TRUNCATION_MARKER",
    "VERDICT_COLOURS",
    "Column",
    "SummaryLine",
    "XlsxReport",
    "write_workbook",
    "write_xlsx",
]

#: Excel's sheet size limits (heading row included).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

#: The width of the summary sheet's first column (its labels), in characters.
SUMMARY_LABEL_WIDTH = 50

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

#: Criterion outcome -> (fill colour, text colour). Greyscale lightness about 233 (met), 189
#: (unknown), 143 (hub to confirm) and 57 (not met): apart in grey print, and the outcome's
#: word is always in the cell.
OUTCOME_COLOURS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "met": ("E2EFDA", "000000"),  # pale green
        "unknown": ("FFC000", "000000"),  # amber
        "hub_to_confirm": ("5B9BD5", "000000"),  # mid blue
        "not_met": ("C00000", "FFFFFF"),  # dark red
    }
)


@dataclass(frozen=True)
class Column:
    """One column of a results sheet: its human heading, its machine id (the second heading
    row, for scripts), its width, whether its text wraps, and fills by cell value."""

    heading: str
    key: str
    width: float
    wrap: bool = False
    fills: Mapping[str, tuple[str, str]] | None = None


@dataclass(frozen=True)
class SummaryLine:
    """One row of a summary sheet; ``title`` rows are bold (a section's name)."""

    values: Sequence[Value]
    title: bool = False


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

    One sheet, the heading row frozen (``write_workbook`` with one heading row and no
    summary). ``verdict_column`` names the heading whose cells are coloured by verdict
    (``VERDICT_COLOURS``); ``ValueError`` if it is not among the headings.
    """
    headings = list(headings)
    if verdict_column is not None and verdict_column not in headings:
        raise ValueError(f"verdict column {verdict_column!r} is not among the headings")
    columns = [
        Column(
            heading,
            heading,
            min(max(len(heading) + 4, 10), 50),
            fills=VERDICT_COLOURS if heading == verdict_column else None,
        )
        for heading in headings
    ]
    return write_workbook(
        target, columns, rows, protect=protect, sheet_title=sheet_title, id_row=False
    )


def write_workbook(
    target: Path,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Value]],
    *,
    protect: Iterable[Path] = (),
    summary: Sequence[SummaryLine] | None = None,
    id_row: bool = True,
    frozen_columns: int = 0,
    sheet_title: str = "Results",
) -> XlsxReport:
    """Write a workbook at ``target``, streaming and atomically: a ``Summary`` sheet first (if
    ``summary`` is given), then the results sheet.

    The results sheet has the columns' human headings (bold, wrapped), then, with ``id_row``,
    their machine ids; the heading rows and the first ``frozen_columns`` columns are frozen,
    an auto-filter sits on the last heading row, each column has its width and wrap, and a
    cell whose value is one of its column's ``fills`` keys is filled (the word stays in the
    cell). Uses openpyxl's write-only mode, so memory stays constant however many rows there
    are; ``rows`` is consumed once. Text is always written as string cells (see the module
    docstring). Raises ``InputError`` for the refusals of ``atomic_output`` and when the data
    exceeds Excel's 1,048,576 rows or 16,384 columns; on any failure an earlier file at
    ``target`` is left untouched. Returns an ``XlsxReport`` of truncated cells and replaced
    characters (row numbers of the results sheet).
    """

    columns = list(columns)
    headings = [column.heading for column in columns]
    too_wide = InputError(
        f"too many columns for an Excel sheet (the limit is {EXCEL_MAX_COLUMNS:,})",
        where=str(target),
        hint="write CSV instead",
    )
    if len(columns) > EXCEL_MAX_COLUMNS:
        raise too_wide

    workbook = Workbook(write_only=True)
    summary_sheet = None
    if summary is not None:
        summary_sheet = workbook.create_sheet(title="Summary")
        summary_sheet.column_dimensions["A"].width = SUMMARY_LABEL_WIDTH
        summary_sheet.column_dimensions["B"].width = 16
        for letter in "CDE":
            summary_sheet.column_dimensions[letter].width = 12
        summary_sheet.column_dimensions["F"].width = 70
    sheet = workbook.create_sheet(title=sheet_title)
    heading_rows = 2 if id_row else 1
    # Sheet views and column widths are written before the first row, so set them now.
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{heading_rows + 1}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    plain = [shared_style(sheet, alignment=wrapped if c.wrap else top) for c in columns]
    filled = [
        {
            value: shared_style(
                sheet,
                alignment=wrapped if c.wrap else top,
                fill=PatternFill(fill_type="solid", fgColor=fill),
                font=Font(color=ink),
            )
            for value, (fill, ink) in (c.fills or {}).items()
        }
        for c in columns
    ]
    heading_style = shared_style(sheet, font=Font(bold=True), alignment=wrapped)
    id_style = shared_style(sheet, font=Font(italic=True, color="595959"), alignment=top)

    report = XlsxReport()
    sheets = [summary_sheet, sheet]
    cells = CellWriter(sheet, headings, report)
    try:
        with atomic_output(target, protect=protect, mode="wb") as stream:
            if summary_sheet is not None and summary is not None:
                _write_summary(summary_sheet, summary)
            heading_cells = cells.row_cells(headings, 1)
            for cell in heading_cells:
                cell._style = heading_style
            sheet.append(heading_cells)
            if id_row:
                id_cells = cells.row_cells([column.key for column in columns], 2)
                for cell in id_cells:
                    cell._style = id_style
                sheet.append(id_cells)

            width = len(columns)
            row_number = heading_rows
            text_cell = cells.text_cell
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
                row: list[Any] = []
                for index, value in enumerate(values):
                    if isinstance(value, str):
                        cell = text_cell(value, row_number, index)
                    elif isinstance(value, float) and not math.isfinite(value):
                        cell = text_cell(str(value), row_number, index)
                    else:
                        cell = WriteOnlyCell(sheet, value=value)
                    if index < len(columns):
                        style = None
                        if filled[index] and isinstance(value, str):
                            fills = filled[index]
                            style = fills.get(value) or fills.get(fill_key(value))
                        cell._style = style if style is not None else plain[index]
                    row.append(cell)
                sheet.append(row)

            report.rows = row_number - heading_rows
            if width:
                # The auto-filter is written after the rows, so the full range is known here.
                sheet.auto_filter.ref = (
                    f"A{heading_rows}:{get_column_letter(width)}{max(row_number, heading_rows)}"
                )
            _save(workbook, stream)
    except BaseException:
        for each in sheets:
            if each is not None:
                _discard_sheet_stream(each)
        raise
    return report


def _write_summary(sheet: Any, lines: Sequence[SummaryLine]) -> None:
    """The summary sheet's rows: every text a string cell, titles bold."""
    report = XlsxReport()  # the summary holds no applicant text; nothing to report
    cells = CellWriter(sheet, (), report)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, line in enumerate(lines, start=1):
        row = cells.row_cells(line.values, number)
        if line.title:
            for cell in row:
                if not isinstance(cell, int | float | None):
                    cell.font = bold
        first = line.values[0] if line.values else None
        if len(line.values) > 1 and isinstance(first, str) and len(first) > SUMMARY_LABEL_WIDTH:
            # A long label beside a value would be hidden behind it: wrap it instead. A line
            # of one cell is left to run on over the empty cells to its right.
            row[0].alignment = wrap
        sheet.append(row)
