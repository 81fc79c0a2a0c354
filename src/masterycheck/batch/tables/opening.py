"""Open an export: ``open_table`` decides the format from the file's bytes (not only its
name) and hands it to the CSV or XLSX reader, refusing legacy, encrypted and renamed files
and options that do not fit the format."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from masterycheck.batch.tables.csv_reader import CsvTable
from masterycheck.batch.tables.delimiters import parse_delimiter
from masterycheck.batch.tables.file_access import _read_head
from masterycheck.batch.tables.source import TableSource
from masterycheck.batch.tables.xlsx_reader import XlsxTable
from masterycheck.errors import InputError

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"


def open_table(
    path: Path | str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
) -> TableSource:
    """Open a CSV or XLSX application export and read its heading row.

    The format is decided by the content: a zip file is read as XLSX, anything else as CSV.
    ``encoding`` (CSV only) overrides the detection; ``delimiter`` (CSV only; a character or a
    name, see ``parse_delimiter``) overrides the sniffing among comma, semicolon and tab;
    ``sheet`` (XLSX only) names the worksheet, else the first one is read. Raises
    ``InputError`` for every problem with the file, its bytes or its headings.
    """
    path = Path(path)
    name = str(path)
    if delimiter is not None:
        delimiter = parse_delimiter(delimiter)
    head = _read_head(path, name)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        if encoding is not None or delimiter is not None:
            option = "encoding" if encoding is not None else "delimiter"
            raise InputError(f"an {option} was given, but this is an Excel workbook", where=name)
        return XlsxTable(path, sheet=sheet)
    if head.startswith(_OLE_MAGIC):
        if suffix in {".xlsx", ".xlsm"}:
            raise InputError(
                "this workbook is password-protected (encrypted), or a legacy .xls renamed; "
                "masterycheck cannot read it",
                where=name,
                hint="in Excel: remove the password, then File > Save As > Excel Workbook (.xlsx)",
            )
        raise InputError(
            "legacy .xls is not supported; save as .xlsx or CSV",
            where=name,
            hint="in Excel: File > Save As > Excel Workbook (.xlsx)",
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise InputError("not an Excel file (is it a renamed CSV?)", where=name)
    if suffix == ".xls":
        raise InputError(
            "not a real Excel file (some systems save web pages or text as .xls)",
            where=name,
            hint="open it in Excel and save as .xlsx or CSV",
        )
    if sheet is not None:
        raise InputError("a sheet was given, but this is a CSV file, not a workbook", where=name)
    return CsvTable(path, head=head, encoding=encoding, delimiter=delimiter)
