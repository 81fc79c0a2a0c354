"""Reading hub application exports: CSV and XLSX shapes, encodings, strict quoting, headings."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from masterycheck.batch.many_of_answers import split_many
from masterycheck.batch.tables import (
    CsvTable,
    TableRow,
    TableSource,
    column_letter,
    open_table,
)
from masterycheck.batch.tables.source import _row_builder
from masterycheck.errors import InputError


def write(tmp_path: Path, data: bytes | str, name: str = "applications.csv") -> Path:
    """Write ``data`` (str as UTF-8) to a file in ``tmp_path`` and return its path."""
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read(path: Path, **options: str) -> tuple[TableSource, list[TableRow]]:
    """Open a table and read all its rows."""
    source = open_table(path, **options)
    return source, list(source.rows())


def cells(rows: list[TableRow]) -> list[tuple[str, ...]]:
    """The cells of each row."""
    return [row.cells for row in rows]


def error_of(path: Path, **options: str) -> InputError:
    """The InputError raised by opening the table or reading its rows."""
    with pytest.raises(InputError) as caught:
        read(path, **options)
    return caught.value


# --- encodings -------------------------------------------------------------------------------


def test_utf8_csv_is_read_with_rows_numbered_from_one(tmp_path: Path) -> None:
    source, rows = read(write(tmp_path, "Name,Town\nZoë,Ely\nSiân,Bath\n"))
    assert source.format == "csv"
    assert source.encoding == "utf-8"
    assert not source.encoding_guessed
    assert source.headings == ("Name", "Town")
    assert rows == [TableRow(1, 2, ("Zoë", "Ely")), TableRow(2, 3, ("Siân", "Bath"))]


def test_utf8_bom_is_removed_from_the_first_heading(tmp_path: Path) -> None:
    source, rows = read(write(tmp_path, "\ufeffID,Name\n1,Ann\n"))
    assert source.headings == ("ID", "Name")
    assert source.encoding == "utf-8-sig"
    assert cells(rows) == [("1", "Ann")]


def test_windows_1252_is_detected_and_pound_and_curly_quote_come_back_right(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "Name,Note\nO’Brien,£250 bursary\n".encode("cp1252"))
    source, rows = read(path)
    assert source.encoding == "cp1252"
    assert source.encoding_guessed
    assert isinstance(source, CsvTable) and source.encoding_label == "Windows-1252"
    assert cells(rows) == [("O’Brien", "£250 bursary")]


def test_encoding_option_overrides_the_detection(tmp_path: Path) -> None:
    # 0xA4 is "€" in ISO-8859-15 but "¤" in Windows-1252, which would be guessed.
    path = write(tmp_path, "Item,Cost\nFee,\u20ac5\n".encode("iso-8859-15"))
    source, rows = read(path, encoding="iso-8859-15")
    assert not source.encoding_guessed
    assert cells(rows) == [("Fee", "€5")]
    assert cells(read(path)[1]) == [("Fee", "¤5")]


def test_unknown_encoding_option_is_an_error(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "a\n1\n"), encoding="klingon")
    assert 'unknown text encoding "klingon"' in str(error)


def test_bytes_undecodable_in_cp1252_are_an_error_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"Name,Note\nAnn,fine\nJane Secret,bad \x81 byte\n")
    error = error_of(path)
    assert error.where == f"{path}:3"
    assert "0x81" in error.message and "Windows-1252" in error.message
    assert "--encoding" in str(error.hint)


def test_bad_byte_after_the_sniffed_part_names_its_exact_line(tmp_path: Path) -> None:
    body = "".join(f"{n},applicant{n}@school.example,{'x' * 60}\n" for n in range(1, 20_001))
    path = write(tmp_path, ("ID,Email,Note\n" + body).encode() + b"20001,caf\xe9,x\n")
    assert path.stat().st_size > 1 << 20  # beyond the part read to choose the encoding
    source = open_table(path)
    assert source.encoding == "utf-8"
    with pytest.raises(InputError) as caught:
        for _ in source.rows():
            pass
    assert caught.value.where == f"{path}:20002"
    assert "UTF-8" in caught.value.message


def test_utf8_mixed_with_windows_1252_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "Name\nZoë\n".encode() + "Zoë\n".encode("cp1252"))
    error = error_of(path)
    assert "mixes encodings" in error.message and "line 2" in error.message


def test_non_latin_legacy_encoding_is_not_guessed_as_windows_1252(tmp_path: Path) -> None:
    path = write(tmp_path, "Имя\nАнна\n".encode("cp1251"))
    error = error_of(path)
    assert "does not look like Windows-1252" in error.message
    assert cells(read(path, encoding="cp1251")[1]) == [("Анна",)]


def test_utf16_file_is_refused_with_advice(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "Name\tTown\r\nAnn\tEly\r\n".encode("utf-16")))
    assert "UTF-16" in error.message and "CSV UTF-8" in error.message


def test_utf16_without_bom_is_recognised_by_its_nul_bytes(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "Name\tTown\r\nAnn\tEly\r\n".encode("utf-16-le")))
    assert "UTF-16" in error.message


# --- delimiters and line endings -------------------------------------------------------------


def test_semicolon_delimiter_is_sniffed_outside_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID;"Key stages, if any";Name\n1;"KS3, KS4";Ann\n')
    source, rows = read(path)
    assert source.headings == ("ID", "Key stages, if any", "Name")
    assert cells(rows) == [("1", "KS3, KS4", "Ann")]


def test_tab_delimiter_is_sniffed(tmp_path: Path) -> None:
    source, rows = read(write(tmp_path, "ID\tName, full\tPhase\n1\tAnn Lee, Dr\tKS3\n"))
    assert source.headings == ("ID", "Name, full", "Phase")
    assert cells(rows) == [("1", "Ann Lee, Dr", "KS3")]


def test_delimiter_tie_on_the_heading_line_is_settled_by_the_next_lines(tmp_path: Path) -> None:
    source, rows = read(write(tmp_path, "ID\tName, full\n1\tAnn Lee\n2\tBo, Dr\n"))
    assert source.headings == ("ID", "Name, full")
    assert cells(rows) == [("1", "Ann Lee"), ("2", "Bo, Dr")]


def test_delimiter_option_overrides_the_sniffing(tmp_path: Path) -> None:
    source, rows = read(write(tmp_path, "a|b;c\n1|2;3\n"), delimiter="|")
    assert source.headings == ("a", "b;c")
    assert cells(rows) == [("1", "2;3")]


def test_ambiguous_delimiter_is_an_error(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "a,b;c\n1,2;3\n4,5;6\n"))
    assert "cannot tell the delimiter" in error.message and error.hint == "pass --delimiter"


def test_crlf_line_endings_and_a_last_line_without_newline(tmp_path: Path) -> None:
    _, rows = read(write(tmp_path, 'ID,Note\r\n1,"two\r\nlines"\r\n2,last'))
    assert rows == [TableRow(1, 2, ("1", "two\r\nlines")), TableRow(2, 4, ("2", "last"))]


def test_quoted_multi_line_answer_keeps_its_start_line_and_the_next_row_is_right(
    tmp_path: Path,
) -> None:
    text = (
        "ID,Statement,Phase\n"
        '1,"I lead maths.\nWe use ""maths hubs"", TRGs;\nand more.",Primary\n'
        "2,Short,Secondary\n"
    )
    _, rows = read(write(tmp_path, text))
    assert rows[0] == TableRow(
        1, 2, ("1", 'I lead maths.\nWe use "maths hubs", TRGs;\nand more.', "Primary")
    )
    assert rows[1] == TableRow(2, 5, ("2", "Short", "Secondary"))


# --- export shapes ---------------------------------------------------------------------------


def test_microsoft_forms_shape(tmp_path: Path) -> None:
    text = (
        "ID,Start time,Completion time,Email,Name,Which key stages do you teach?,Do you hold QTS?\n"
        "1,3/1/24 9:15:02,3/1/24 9:31:40,ann@school.example,Ann Lee,KS3;KS4;,Yes\n"
        "2,3/2/24 10:00:00,3/2/24 10:12:13,bo@school.example,Bo Chan,KS2;,No\n"
    )
    source, rows = read(write(tmp_path, "\ufeff" + text))
    assert source.headings[:5] == ("ID", "Start time", "Completion time", "Email", "Name")
    stages = source.headings.index("Which key stages do you teach?")
    assert [row.cells[stages] for row in rows] == ["KS3;KS4;", "KS2;"]
    options = ["KS1", "KS2", "KS3", "KS4"]
    assert split_many(rows[0].cells[stages], options, "semicolon") == (["KS3", "KS4"], [])


def test_google_forms_shape_with_options_containing_commas(tmp_path: Path) -> None:
    text = (
        "Timestamp,Email Address,Qualifications,Phase\n"
        '2024/03/01 9:15:02 am GMT,ann@school.example,"Yes, I hold QTS, Maths degree",Primary\n'
    )
    source, rows = read(write(tmp_path, text))
    assert source.headings == ("Timestamp", "Email Address", "Qualifications", "Phase")
    options = ["Yes, I hold QTS", "Yes", "Maths degree", "No"]
    assert split_many(rows[0].cells[2], options, "comma") == (
        ["Yes, I hold QTS", "Maths degree"],
        [],
    )


# --- Excel -----------------------------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    """Two sheets: an application form export and a notes sheet."""
    workbook = Workbook()
    form = workbook.active
    assert form is not None
    form.title = "Form1"
    form.append(["ID", " Name ", "Applied", "Years", "Score", "QTS", None])
    form.append([1, "Ann", date(2024, 3, 1), 12.0, 1.5, True])
    form.append([2, "Bo", datetime(2024, 3, 1, 9, 15), 3, None, False])
    form.append([None, None, None])
    form.append([3, "Cy"])
    notes = workbook.create_sheet("Notes")
    notes.append(["Note"])
    notes.append(["checked"])
    workbook.save(path)
    return path


def test_xlsx_first_sheet_is_read_with_values_as_text(tmp_path: Path) -> None:
    source, rows = read(make_workbook(tmp_path / "export.xlsx"))
    assert source.format == "xlsx"
    assert source.encoding is None
    assert source.headings == ("ID", "Name", "Applied", "Years", "Score", "QTS")
    assert rows == [
        TableRow(1, 2, ("1", "Ann", "2024-03-01", "12", "1.5", "TRUE")),
        TableRow(2, 3, ("2", "Bo", "2024-03-01T09:15:00", "3", "", "FALSE")),
        TableRow(3, 4, ("",) * 6, "blank row"),
        TableRow(4, 5, ("3", "Cy", "", "", "", "")),
    ]


def test_xlsx_named_sheet_is_read(tmp_path: Path) -> None:
    source, rows = read(make_workbook(tmp_path / "export.xlsx"), sheet="Notes")
    assert source.headings == ("Note",)
    assert rows == [TableRow(1, 2, ("checked",))]


def test_xlsx_missing_sheet_is_an_error_listing_the_sheets(tmp_path: Path) -> None:
    error = error_of(make_workbook(tmp_path / "export.xlsx"), sheet="Sheet1")
    assert error.message == 'no sheet named "Sheet1"'
    assert error.hint == 'the workbook has: "Form1", "Notes"'


def test_xlsx_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "export.csv")
    assert open_table(path).format == "xlsx"


def test_renamed_csv_as_xlsx_is_an_error(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "ID,Name\n1,Ann\n", "export.xlsx"))
    assert error.message == "not an Excel file (is it a renamed CSV?)"


def test_legacy_xls_is_refused(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    error = error_of(write(tmp_path, data, "export.xls"))
    assert error.message == "legacy .xls is not supported; save as .xlsx or CSV"


def test_value_beyond_the_xlsx_headings_is_an_error(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Name"])
    sheet.append([1, "Ann", None, "Jane Secret"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    error = error_of(path)
    assert error.where == f"{path}: row 1 (sheet row 2), column D"
    assert "no heading" in error.message


# --- strict quoting --------------------------------------------------------------------------


def test_unterminated_quote_names_the_line_where_it_opened(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,Name,Note\n1,Ann,ok\n2,"Jane Secret,x\n3,Bo,ok\n')
    error = error_of(path)
    assert "opened on line 3 is never closed" in error.message
    assert error.where == f'{path}: row 2 (line 3), column B "Name"'


def test_runaway_quote_in_mid_file_names_the_line_where_it_opened(tmp_path: Path) -> None:
    body = "".join(f"{n},Name {n},ok\n" for n in range(3, 12_000))
    path = write(tmp_path, 'ID,Name,Note\n1,Ann,ok\n2,"Jane Secret,x\n' + body)
    error = error_of(path)
    assert "opened on line 3" in error.message and "closing quote missing" in error.message


def test_stray_quote_in_unquoted_field_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,Name,Note\n1,Ann,ok\n2,Bo,"two\nlines",\n3,Jane 5" Secret,x\n')
    error = error_of(path)
    assert error.message == "stray quote in unquoted field"
    assert error.where == f'{path}: row 3 (line 5), column B "Name"'


def test_stray_quote_on_a_later_line_of_a_multi_line_row_names_that_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,Note,Name\n1,"two\nlines",Jane "Secret"\n')
    error = error_of(path)
    assert error.message == "stray quote in unquoted field"
    assert error.where == f'{path}: row 1 (line 3), column C "Name"'


def test_text_after_a_closing_quote_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'ID,Name\n1,Ann\n2,"Jane" Secret\n')
    error = error_of(path)
    assert error.message == "text after the closing quote of a quoted field"
    assert error.where == f'{path}: row 2 (line 3), column B "Name"'


def test_quote_missing_far_back_is_blamed_on_the_line_where_the_field_opened(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'ID,Name\n1,"Ann\n2,Bo\n3,"Cy",\n')
    error = error_of(path)
    assert "opened on line 2" in error.message
    assert error.where == f'{path}: row 1 (line 4), column B "Name"'


def test_rows_are_not_merged_by_quotes(tmp_path: Path) -> None:
    text = 'ID,Name,Note\n1,"Ann ""AJ"" Lee",x\n2,Bo,"a, b"\n3,"",""\n'
    _, rows = read(write(tmp_path, text))
    assert cells(rows) == [("1", 'Ann "AJ" Lee', "x"), ("2", "Bo", "a, b"), ("3", "", "")]
    assert [row.line for row in rows] == [2, 3, 4]


def test_stray_quote_in_the_heading_row_is_an_error(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'ID,Year 5" group\n1,x\n'))
    assert error.message == "stray quote in unquoted field"
    assert "heading row (line 1), column B" in str(error.where)


# --- headings --------------------------------------------------------------------------------


def test_duplicate_headings_are_an_error_naming_both_columns(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "ID,Email,Name,Phase,Email\n"))
    assert error.message == 'columns B (2) and E (5) have the same heading "Email"'


def test_headings_are_kept_as_written_but_stripped(tmp_path: Path) -> None:
    source, _ = read(write(tmp_path, ' ID ,"Do you hold QTS?  ",email \n'))
    assert source.headings == ("ID", "Do you hold QTS?", "email")


def test_empty_heading_is_allowed_when_its_column_is_empty(tmp_path: Path) -> None:
    source, rows = read(write(tmp_path, "ID,,Name,,\n1,,Ann,,\n2, ,Bo,,\n"))
    assert source.headings == ("ID", "", "Name")
    assert rows == [TableRow(1, 2, ("1", "", "Ann")), TableRow(2, 3, ("2", " ", "Bo"))]


def test_value_under_an_empty_heading_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "ID,Name,\n1,Ann,\n2,Bo,Jane Secret\n")
    error = error_of(path)
    assert error.where == f"{path}: row 2 (line 3), column C"
    assert error.message == "column C has no heading, but this row has a value in it"


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, b"")).message == "file is empty"
    assert error_of(write(tmp_path, b"\xef\xbb\xbf")).message == "file is empty"


def test_blank_first_line_is_an_error(tmp_path: Path) -> None:
    assert "no heading row" in error_of(write(tmp_path, "\nID,Name\n1,Ann\n")).message


# --- rows ------------------------------------------------------------------------------------


def test_short_and_long_rows_are_yielded_with_a_problem(tmp_path: Path) -> None:
    _, rows = read(write(tmp_path, "ID,Name,Phase\n1,Ann\n2,Bo,Primary,extra\n3,Cy,KS3\n"))
    assert rows == [
        TableRow(1, 2, ("1", "Ann", ""), "row has 2 cells, expected 3"),
        TableRow(2, 3, ("2", "Bo", "Primary"), "row has 4 cells, expected 3"),
        TableRow(3, 4, ("3", "Cy", "KS3")),
    ]


def test_blank_rows_are_yielded_and_only_the_final_newline_is_not_a_row(tmp_path: Path) -> None:
    _, rows = read(write(tmp_path, "ID,Name\n1,Ann\n\n,\n , \n2,Bo\n\n\n"))
    assert [(row.number, row.line, row.problem) for row in rows] == [
        (1, 2, None),
        (2, 3, "blank row"),
        (3, 4, "blank row"),
        (4, 5, "blank row"),
        (5, 6, None),
        (6, 7, "blank row"),
        (7, 8, "blank row"),
    ]
    assert all(len(row.cells) == 2 for row in rows)


def test_rows_can_be_read_twice(tmp_path: Path) -> None:
    source = open_table(write(tmp_path, "ID\n1\n2\n"))
    assert list(source.rows()) == list(source.rows())


def test_fast_row_builder_makes_ordinary_rows() -> None:
    built = _row_builder()(3, 7, ("a", "b"), "blank row")
    assert built == TableRow(3, 7, ("a", "b"), "blank row")
    assert type(built) is TableRow
    with pytest.raises(AttributeError):
        built.number = 4  # type: ignore[misc]


def test_options_that_do_not_fit_the_format_are_errors(tmp_path: Path) -> None:
    csv_path = write(tmp_path, "ID\n1\n")
    assert "CSV file" in error_of(csv_path, sheet="Form1").message
    xlsx_path = make_workbook(tmp_path / "export.xlsx")
    assert "Excel workbook" in error_of(xlsx_path, encoding="cp1252").message


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 3, 26, 27, 52, 703)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AZ",
        "AAA",
    ]


# --- personal data ---------------------------------------------------------------------------


def _jane_workbook(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Name"])
    sheet.append([1, "Ann", "Jane Secret"])
    workbook.save(path)


BAD_FILES: dict[str, Callable[[Path], object]] = {
    "stray quote": lambda p: p.write_text('ID,Name\n1,Jane "Secret"\n', encoding="utf-8"),
    "unterminated": lambda p: p.write_text('ID,Name\n1,"Jane Secret\n', encoding="utf-8"),
    "after quote": lambda p: p.write_text('ID,Name\n1,"Jane" Secret\n', encoding="utf-8"),
    "no heading": lambda p: p.write_text("ID,\n1,Jane Secret\n", encoding="utf-8"),
    "bad byte": lambda p: p.write_bytes(b"ID,Name\n1,Jane Secret \x81\n"),
    "mixed": lambda p: p.write_bytes("ID,Name\n1,Jane Secret Zoë\n".encode() + b"2,\xe9\n"),
    "xlsx beyond headings": _jane_workbook,
}


@pytest.mark.parametrize("shape", sorted(BAD_FILES))
def test_error_messages_never_contain_a_cell_value(tmp_path: Path, shape: str) -> None:
    path = tmp_path / ("export.xlsx" if shape.startswith("xlsx") else "export.csv")
    BAD_FILES[shape](path)
    text = str(error_of(path))
    assert "Jane" not in text and "Secret" not in text


# --- property --------------------------------------------------------------------------------

CELL_TEXT = st.text(
    alphabet=st.sampled_from(list("ab ,;\"'\n\r\t£’é€😀\u2028")) | st.characters(codec="utf-8"),
    max_size=12,
).filter(lambda text: "\x00" not in text)


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    """A random table: 1-5 columns, 0-8 rows of random text cells."""
    width = draw(st.integers(1, 5))
    return draw(st.lists(st.lists(CELL_TEXT, min_size=width, max_size=width), max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), bom=st.booleans())
def test_csv_writer_output_reads_back_identically(table: list[list[str]], bom: bool) -> None:
    width = len(table[0]) if table else 2
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([f"Q{n}" for n in range(width)])
    writer.writerows(table)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
        source, rows = read(path)
    assert source.headings == tuple(f"Q{n}" for n in range(width))
    assert [list(row.cells) for row in rows] == table
    assert [row.number for row in rows] == list(range(1, len(table) + 1))
    for row in rows:
        blank = not "".join(row.cells).strip()
        assert row.problem == ("blank row" if blank else None)
