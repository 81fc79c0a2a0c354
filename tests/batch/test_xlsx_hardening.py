"""The XLSX reader under hostile or broken workbooks: bounded work (``tables.xlsx_bounds``),
one-line errors, openpyxl's warnings kept in, formula cells without a saved value noted.

Hostile workbooks are written here as zips directly (``zipfile``), so that each test builds its
file in well under a second: a run of one character hundreds of MB long compresses to almost
nothing.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl import Workbook

from masterycheck.batch.tables import TableRow, TableSource, open_table, xlsx_bounds
from masterycheck.errors import InputError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Form1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)
# A heading row (shared strings 0 and 1) and one applicant (shared string 2).
SHEET_ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>'
)
STRINGS_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
HEADINGS_STRINGS = "<si><t>ID</t></si><si><t>Name</t></si>"

Parts = Iterable[bytes] | str


def sheet(rows: str, *, after: str = "") -> str:
    """A worksheet part holding ``rows`` (``<row>`` elements), ``after`` following sheetData."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def strings(*items: str) -> str:
    """A shared strings part with the heading strings "ID", "Name", then ``items``."""
    body = "".join(f"<si><t>{item}</t></si>" for item in items)
    return f"{STRINGS_HEAD}{HEADINGS_STRINGS}{body}</sst>"


def write_workbook(
    path: Path,
    *,
    sheet_xml: Parts | None = None,
    strings_xml: Parts | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A minimal workbook written as a zip; large parts are given as pieces and streamed."""
    parts: dict[str, Parts] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet(SHEET_ROWS) if sheet_xml is None else sheet_xml,
        "xl/sharedStrings.xml": strings("Ann") if strings_xml is None else strings_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in {**parts, **(extra or {})}.items():
            if isinstance(content, str | bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as stream:
                for piece in content:
                    stream.write(piece)
    return path


def long_string_parts(megabytes: int) -> Iterable[bytes]:
    """A shared strings part whose third string is ``megabytes`` MiB of one letter."""
    yield (STRINGS_HEAD + HEADINGS_STRINGS + "<si><t>").encode()
    block = b"a" * (1 << 20)
    for _ in range(megabytes):
        yield block
    yield b"</t></si></sst>"


def read(path: Path, **options: str) -> tuple[TableSource, list[TableRow]]:
    """Open a table and read all its rows."""
    source = open_table(path, **options)
    return source, list(source.rows())


def error_of(path: Path, **options: str) -> InputError:
    """The InputError raised by opening the table or reading its rows."""
    with pytest.raises(InputError) as caught:
        read(path, **options)
    return caught.value


def assert_one_line(error: InputError) -> None:
    """The error prints as one line and names no cell value."""
    text = error.one_line()
    assert "\n" not in text and "\r" not in text
    assert "Jane" not in text and "Secret" not in text


# --- 1. XLSX reading is bounded --------------------------------------------------------------


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)"
)
def test_shared_strings_expanding_to_150_mb_are_refused_fast_in_little_memory(
    tmp_path: Path,
) -> None:
    path = write_workbook(tmp_path / "export.xlsx", strings_xml=long_string_parts(150))
    assert path.stat().st_size < 2 << 20
    child = textwrap.dedent(
        f"""
        import json, sys, time
        start = time.perf_counter()
        from masterycheck.errors import InputError
        from masterycheck.batch.tables import open_table
        try:
            list(open_table({str(path)!r}).rows())
            message = None
        except InputError as error:
            message = error.one_line()
        seconds = time.perf_counter() - start
        # VmHWM is this program's own peak; ru_maxrss would include the pytest parent's,
        # which Linux carries over fork and exec.
        with open("/proc/self/status") as status:
            peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
        print(json.dumps({{"message": message, "seconds": seconds, "peak_mb": peak}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout)
    assert result["message"] == (
        f"{path}: the workbook's shared strings expand to more than 128 MB, the most "
        "masterycheck reads (is this a form export?)"
    )
    # Speed is measured by bench/bench_hostile_xlsx.py, not asserted here (noisy machines);
    # peak memory does not depend on the machine's load.
    assert result["peak_mb"] < 200


def test_a_shared_string_longer_than_1_mb_is_refused_before_openpyxl_reads_it(
    tmp_path: Path,
) -> None:
    path = write_workbook(tmp_path / "export.xlsx", strings_xml=long_string_parts(2))
    error = error_of(path)
    assert error.where == str(path)
    assert "holds a text longer than 1 MB" in error.message
    assert "131,072 characters" in error.message


def test_more_than_a_million_shared_strings_are_refused_whatever_the_count_attribute_says(
    tmp_path: Path,
) -> None:
    def parts() -> Iterable[bytes]:
        yield f'{STRINGS_HEAD[:-1]} count="3" uniqueCount="3">{HEADINGS_STRINGS}'.encode()
        for start in range(0, 1_000_000, 100_000):
            yield b"".join(b"<si><t>%d</t></si>" % n for n in range(start, start + 100_000))
        yield b"</sst>"

    error = error_of(write_workbook(tmp_path / "export.xlsx", strings_xml=parts()))
    assert error.message == (
        "the workbook has more than 1,000,000 shared strings, the most masterycheck reads"
    )


def test_a_part_compressed_more_than_100_fold_is_refused(tmp_path: Path) -> None:
    many = (b"<si><t>x</t></si>" * 10_000 for _ in range(100))  # 17 MB, compresses 300-fold
    path = write_workbook(tmp_path / "export.xlsx", strings_xml=many)
    error = error_of(path)
    assert error.message == (
        'the workbook part "xl/sharedStrings.xml" is compressed more than 100-fold; real '
        "exports compress far less"
    )
    assert error.hint == "is this a form export?"


def test_a_zip_directory_of_thousands_of_parts_is_refused_before_zipfile_reads_it(
    tmp_path: Path,
) -> None:
    path = write_workbook(tmp_path / "export.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        for number in range(18_000):
            archive.writestr(f"customXml/{number:0200d}.xml", b"")
    error = error_of(path)
    assert error.message.startswith("the workbook's zip directory is larger than 4 MB")


def test_a_zip64_end_record_is_read_for_the_directory_size(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "export.xlsx")
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    entries, _, offset = struct.unpack_from("<HII", data, end + 10)
    zip64 = struct.pack(
        "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, 1 << 40, offset
    )
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    path.write_bytes(data[:end] + zip64 + locator + data[end:])
    assert "zip directory is larger than 4 MB" in error_of(path).message


def test_rows_beyond_excels_limits_are_refused_before_any_row_is_read(tmp_path: Path) -> None:
    far = write_workbook(
        tmp_path / "far.xlsx",
        sheet_xml=sheet(SHEET_ROWS + '<row r="50000000"><c r="A50000000"><v>2</v></c></row>'),
    )
    with pytest.raises(InputError) as caught:
        open_table(far)
    assert "numbers a row beyond 1,048,576, Excel's limit" in caught.value.message

    wide_row = '<row r="3">' + "<c><v>1</v></c>" * 16_385 + "</row>"
    wide = write_workbook(tmp_path / "wide.xlsx", sheet_xml=sheet(SHEET_ROWS + wide_row))
    with pytest.raises(InputError) as caught:
        open_table(wide)
    assert "has a row of more than 16,384 cells, Excel's limit" in caught.value.message

    many = write_workbook(
        tmp_path / "many.xlsx",
        sheet_xml=[sheet(SHEET_ROWS).encode(), b"<row/>" * 1_048_577],
    )
    with pytest.raises(InputError) as caught:
        open_table(many)
    assert "has more than 1,048,576 rows, Excel's limit" in caught.value.message


def test_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    entity = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
        f'<sst xmlns="{MAIN}">{HEADINGS_STRINGS}<si><t>&a;&a;</t></si></sst>'
    )
    error = error_of(write_workbook(tmp_path / "export.xlsx", strings_xml=entity))
    assert error.message == (
        'the workbook part "xl/sharedStrings.xml" declares XML entities, which no workbook does'
    )


def test_an_xlsx_cell_over_131072_characters_is_an_error_naming_its_row_and_column(
    tmp_path: Path,
) -> None:
    path = write_workbook(tmp_path / "export.xlsx", strings_xml=strings("J" * 200_000))
    error = error_of(path)
    assert error.message == "a cell is longer than 131,072 characters, the most masterycheck reads"
    assert error.where == f'{path}: row 1 (sheet row 2), column B "Name"'


def test_every_damaged_workbook_is_one_line(tmp_path: Path) -> None:
    good = write_workbook(tmp_path / "good.xlsx").read_bytes()
    sheet_start = good.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    flipped = bytearray(good)
    flipped[sheet_start + 20] ^= 0xFF  # inside the sheet's compressed data
    # Far enough into the sheet that openpyxl meets them while reading rows, not opening.
    padding = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 3000))
    bad_rows = {
        "control character": '<row><c t="inlineStr"><is><t>Jane\x01</t></is></c></row>',
        "no such shared string": '<row><c r="B3000" t="s"><v>99</v></c></row>',
        "unclosed tag": '<row><c t="inlineStr"><is><t>Secret</t></row>',
    }
    shapes: dict[str, Path] = {}
    for shape, row in bad_rows.items():
        rows = SHEET_ROWS.split('<row r="2">')[0] + padding + row
        shapes[shape] = write_workbook(tmp_path / f"{shape}.xlsx", sheet_xml=sheet(rows))
    for shape, data in {"truncated": good[:-200], "flipped byte": bytes(flipped)}.items():
        shapes[shape] = tmp_path / f"{shape}.xlsx"
        shapes[shape].write_bytes(data)
    for shape, path in shapes.items():
        error = error_of(path)
        assert_one_line(error)
        assert error.where == str(path), shape
    message = error_of(shapes["no such shared string"]).message
    assert message == "the worksheet cannot be read after sheet row 2999: the file is damaged"


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    error = error_of(path)
    assert "password-protected" in error.message
    assert "remove the password" in (error.hint or "")


def test_a_file_that_vanishes_after_opening_is_one_line(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "export.xlsx")
    text = tmp_path / "export.csv"
    text.write_text("ID,Name\n1,Ann\n", encoding="utf-8")
    for path in (workbook, text):
        source = open_table(path)
        path.unlink()
        with pytest.raises(InputError) as caught:
            list(source.rows())
        assert caught.value.one_line() == f"{path}: file not found"


# --- 2. openpyxl's warnings ------------------------------------------------------------------


def test_openpyxl_warnings_while_reading_rows_never_escape(tmp_path: Path) -> None:
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="0"/></ext></extLst>'
    )
    path = write_workbook(tmp_path / "export.xlsx", sheet_xml=sheet(SHEET_ROWS, after=extension))
    filters = list(warnings.filters)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        _, rows = read(path)
    assert [str(warning.message) for warning in seen] == []
    assert rows == [TableRow(1, 2, ("1", "Ann"))]
    assert warnings.filters == filters  # silenced while openpyxl ran, not for the process


# --- 3. formulas without a saved value -------------------------------------------------------


def test_formula_cells_without_a_saved_value_are_blank_and_counted_in_a_note(
    tmp_path: Path,
) -> None:
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>5</v></c>'
        '<c r="C2"><f>B2*2</f></c>'  # no value at all
        '<c r="D2" t="str"><f>IF(B2&gt;9,"big","")</f><v></v></c></row>'  # an empty text result
        '<row r="3"><c r="A3"><v>2</v></c><c r="B3"><v>7</v></c>'
        '<c r="C3"><f t="shared" ref="C3:C4" si="0">B3*2</f><v/></c>'  # an empty value
        '<c r="D3" t="str"><f>"x"</f><v>x</v></c></row>'
        '<row r="4"><c r="A4"><v>3</v></c><c r="B4"><v>8</v></c>'
        '<c r="C4"><f t="shared" si="0"/></c></row>'  # a shared formula's cell, no value
    )
    path = write_workbook(
        tmp_path / "export.xlsx",
        sheet_xml=sheet(rows),
        strings_xml=f"{STRINGS_HEAD}{HEADINGS_STRINGS}<si><t>Double</t></si>"
        "<si><t>Label</t></si></sst>",
    )
    source, read_rows = read(path)
    assert [row.cells for row in read_rows] == [
        ("1", "5", "", ""),
        ("2", "7", "", "x"),
        ("3", "8", "", ""),
    ]
    assert source.notes == (
        f"{path}: 3 formula cells (first: C2) had no saved value, so they were read as blank; "
        "the file was written by a program that does not calculate formulas: open it in "
        "Excel and save it again to store the results",
    )


def test_openpyxl_written_formula_is_noted_and_csv_and_plain_workbooks_have_no_notes(
    tmp_path: Path,
) -> None:
    workbook = Workbook()
    form = workbook.active
    assert form is not None
    form.append(["ID", "Score", "Double"])
    form.append([1, 5, "=B2*2"])
    workbook.save(tmp_path / "formula.xlsx")
    note = open_table(tmp_path / "formula.xlsx").notes[0]
    assert note.startswith(f"{tmp_path / 'formula.xlsx'}: 1 formula cell (first: C2) had no")
    assert "so it was read as blank" in note
    assert open_table(write_workbook(tmp_path / "plain.xlsx")).notes == ()
    (tmp_path / "plain.csv").write_text("ID,Name\n1,Ann\n", encoding="utf-8")
    assert open_table(tmp_path / "plain.csv").notes == ()


def test_the_part_scan_finds_the_same_cells_whatever_its_piece_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tags cut across pieces, namespace prefixes: every limit and count still holds."""
    rows = ['<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Q</x:t></x:is></x:c></x:row>']
    for number in range(2, 202):
        value = "" if number % 4 else "<x:v>7</x:v>"
        rows.append(
            f'<x:row r="{number}"><x:c r="A{number}">\n <x:f>1+1</x:f>{value}</x:c></x:row>'
        )
    xml = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        f"{''.join(rows)}</x:sheetData></x:worksheet>"
    )
    path = write_workbook(tmp_path / "export.xlsx", sheet_xml=xml)
    whole = open_table(path).notes
    assert whole and whole[0].startswith(f"{path}: 150 formula cells (first: A2)")
    for size in (7, 64, 97, 1000):
        monkeypatch.setattr(xlsx_bounds, "_SCAN_CHUNK", size)
        assert open_table(path).notes == whole, size
