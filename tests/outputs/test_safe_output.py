"""Safe output: formula escaping, atomic writes that never touch an input, and XLSX cells."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet import _writer as openpyxl_sheet_writer

from masterycheck.errors import InputError
from masterycheck.outputs import xlsx_writer
from masterycheck.outputs.safe_files import (
    DANGEROUS_FIRST_CHARACTERS,
    atomic_output,
    csv_output,
    escape_formula,
    json_lines_output,
)
from masterycheck.outputs.xlsx_writer import (
    EXCEL_CELL_LIMIT,
    TRUNCATION_MARKER,
    VERDICT_COLOURS,
    write_xlsx,
)

DANGEROUS = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]


def leftover_temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- escape_formula ---------------------------------------------------------------------------


@pytest.mark.parametrize("first", DANGEROUS)
def test_escape_formula_prefixes_each_dangerous_first_character(first: str) -> None:
    assert escape_formula(first + "1+1") == "'" + first + "1+1"


def test_escape_formula_covers_exactly_the_documented_characters() -> None:
    assert set(DANGEROUS) == DANGEROUS_FIRST_CHARACTERS


@pytest.mark.parametrize("text", ["Jane", "", "3", "O'Brien", " =1", "a=b", "x-y", "#N/A"])
def test_escape_formula_leaves_safe_text_untouched(text: str) -> None:
    assert escape_formula(text) == text


def test_escape_formula_escapes_a_lone_minus_sign() -> None:
    assert escape_formula("-") == "'-"


@given(st.text())
def test_escape_formula_is_reversible_and_never_starts_dangerously(text: str) -> None:
    escaped = escape_formula(text)
    assert escaped[:1] not in DANGEROUS_FIRST_CHARACTERS
    assert escaped in (text, "'" + text)


# --- csv_output -------------------------------------------------------------------------------


def test_csv_output_writes_bom_crlf_and_escapes_headings_and_cells(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with csv_output(target) as writer:
        writer.writerow(["=Name", "Score", "Note"])
        writer.writerow(["@SUM(A1)", -5, "+44 20"])
        writer.writerow(["Jane", 3.5, None])

    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    assert raw.count(b"\r\n") == 3
    assert b"\n" not in raw.replace(b"\r\n", b"")

    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows == [
        ["'=Name", "Score", "Note"],
        ["'@SUM(A1)", "-5", "'+44 20"],
        ["Jane", "3.5", ""],
    ]


def test_csv_output_keeps_negative_numbers_as_numbers(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with csv_output(target) as writer:
        writer.writerows([[-5, -0.25, "-5"]])
    assert target.read_bytes().decode("utf-8-sig") == "-5,-0.25,'-5\r\n"


def test_csv_output_refuses_the_input_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("original", encoding="utf-8")
    with pytest.raises(InputError), csv_output(source, protect=[source]) as writer:
        writer.writerow(["x"])
    assert source.read_text(encoding="utf-8") == "original"


# --- json_lines_output ------------------------------------------------------------------------


def test_json_lines_output_writes_one_compact_object_per_line_without_escaping(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.jsonl"
    records: list[dict[str, object]] = [
        {"name": "=Zoë", "score": -5},
        {"note": "line\u2028break", "n": None},
    ]
    with json_lines_output(target) as writer:
        for record in records:
            writer.write(record)

    text = target.read_text(encoding="utf-8")
    assert text.startswith('{"name":"=Zoë","score":-5}\n')  # compact, not ASCII-escaped
    assert "\u2028" not in text  # escaped, so no reader splits the record
    assert [json.loads(line) for line in text.splitlines()] == records


def test_json_lines_output_refuses_nan(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with pytest.raises(ValueError), json_lines_output(target) as writer:
        writer.write({"x": float("nan")})
    assert not target.exists()
    assert leftover_temp_files(tmp_path) == []


# --- atomic_output: never the input -----------------------------------------------------------


@pytest.fixture
def input_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "dir"
    folder.mkdir()
    source = folder / "in.csv"
    source.write_text("original input", encoding="utf-8")
    monkeypatch.chdir(folder)
    return source


def assert_refused(target: Path, protect: Sequence[Path]) -> None:
    with pytest.raises(InputError) as caught, atomic_output(target, protect=protect) as stream:
        stream.write("clobbered")
    assert caught.value.one_line() == (
        "refusing to overwrite the input file in.csv; choose another output name"
    )


def test_atomic_refuses_the_input_by_the_same_path(input_file: Path) -> None:
    assert_refused(input_file, [input_file])
    assert input_file.read_text(encoding="utf-8") == "original input"


def test_atomic_refuses_the_input_spelt_with_dot_slash(input_file: Path) -> None:
    assert_refused(Path("./in.csv"), [input_file])
    assert_refused(input_file, [Path("./in.csv")])
    assert input_file.read_text(encoding="utf-8") == "original input"


def test_atomic_refuses_the_input_spelt_with_dot_dot(input_file: Path) -> None:
    assert_refused(Path("../dir/in.csv"), [Path("in.csv")])
    assert input_file.read_text(encoding="utf-8") == "original input"


def test_atomic_refuses_a_symlink_to_the_input(input_file: Path) -> None:
    link = input_file.parent / "link.csv"
    link.symlink_to(input_file)
    assert_refused(link, [input_file])
    assert link.is_symlink()
    assert input_file.read_text(encoding="utf-8") == "original input"


def test_atomic_refuses_a_hard_link_to_the_input(input_file: Path) -> None:
    hard = input_file.parent / "hard.csv"
    os.link(input_file, hard)
    assert_refused(hard, [input_file])
    assert input_file.read_text(encoding="utf-8") == "original input"


def test_atomic_refuses_a_missing_folder_and_a_folder_target(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"), atomic_output(tmp_path / "no" / "x"):
        pass
    with pytest.raises(InputError, match="is a folder"), atomic_output(tmp_path):
        pass


def test_atomic_refuses_a_target_that_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"), atomic_output(fifo):
        pass
    with pytest.raises(InputError, match="system folders"), atomic_output(Path(os.devnull)):
        pass


# --- atomic_output: all or nothing ------------------------------------------------------------


def test_atomic_writes_new_content_with_owner_only_permission(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    with atomic_output(target) as stream:
        stream.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftover_temp_files(tmp_path) == []


def test_atomic_writes_bytes_in_binary_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with atomic_output(target, mode="wb") as stream:
        stream.write(b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_atomic_temp_file_is_hidden_in_the_target_folder(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_output(target) as stream:
        stream.write("x")
        [temp_name] = leftover_temp_files(tmp_path)
        temp = tmp_path / temp_name
        assert temp.name.startswith(".out.txt.")
        assert temp.name.endswith(".tmp")
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600
        assert not target.exists()  # nothing at the target until the body completes


@pytest.mark.parametrize("failure", [RuntimeError("boom"), KeyboardInterrupt()])
def test_atomic_failure_mid_write_keeps_earlier_target_and_removes_temp(
    tmp_path: Path, failure: BaseException
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("earlier results", encoding="utf-8")
    with pytest.raises(type(failure)), atomic_output(target) as stream:
        stream.write("half of the new results")
        raise failure
    assert target.read_text(encoding="utf-8") == "earlier results"
    assert leftover_temp_files(tmp_path) == []


def test_atomic_replaces_a_symlink_itself_not_the_file_it_points_to(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(elsewhere)
    with atomic_output(link) as stream:
        stream.write("new")
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == "new"
    assert elsewhere.read_text(encoding="utf-8") == "keep me"


# --- XLSX -------------------------------------------------------------------------------------

HEADINGS = ["Name", "Verdict", "Notes"]


def test_xlsx_formula_looking_text_reads_back_as_exact_string_cells(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    texts = ['=HYPERLINK("http://x")', "@SUM(A1)", "#N/A", "+44", "-"]
    write_xlsx(target, ["=Heading", "B"], [[text, 1] for text in texts])

    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == "=Heading"
    for row, text in enumerate(texts, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s"
        assert cell.value == text
        assert cell.hyperlink is None
        assert sheet.cell(row=row, column=2).value == 1  # numbers stay numbers


def test_xlsx_freezes_the_heading_row_and_filters_the_used_range(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_xlsx(target, HEADINGS, [["Jane", "eligible", "x"], ["Sam", "invalid", "y", "extra"]])
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet["A1"].font.bold


def test_xlsx_verdict_fills_differ_per_verdict_and_keep_the_word(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    verdicts = ["eligible", "incomplete", "not_eligible", "invalid"]
    report = write_xlsx(
        target, HEADINGS, [["P", verdict, ""] for verdict in verdicts], verdict_column="Verdict"
    )
    assert report.rows == 4
    sheet = openpyxl.load_workbook(target).active
    fills = {}
    for row, verdict in enumerate(verdicts, start=2):
        cell = sheet.cell(row=row, column=2)
        assert cell.value == verdict  # colour is never the only signal
        assert cell.fill.fill_type == "solid"
        fills[verdict] = cell.fill.fgColor.rgb
    assert len(set(fills.values())) == 4
    assert sheet.cell(row=2, column=1).fill.fill_type is None  # other columns are not filled


def test_xlsx_verdict_colours_stay_distinct_in_greyscale() -> None:
    def lightness(rgb: str) -> float:
        red, green, blue = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    levels = [lightness(fill) for fill, _ in VERDICT_COLOURS.values()]
    assert all(abs(a - b) >= 40 for a, b in combinations(levels, 2))


def test_xlsx_unknown_verdict_column_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="verdict column"):
        write_xlsx(tmp_path / "out.xlsx", HEADINGS, [], verdict_column="Outcome")


def test_xlsx_overlong_cell_is_truncated_with_marker_and_reported(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    report = write_xlsx(target, HEADINGS, [["Jane", "eligible", "n" * 40_000]])
    assert report.truncated == [(2, "Notes")]
    value = openpyxl.load_workbook(target).active["C2"].value
    assert len(value) == EXCEL_CELL_LIMIT
    assert value.endswith(TRUNCATION_MARKER)
    assert value.startswith("n" * 1000)


def test_xlsx_limit_counts_utf16_units_and_never_splits_a_pair(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    report = write_xlsx(target, ["Notes"], [["😀" * 20_000]])  # 20,000 code points, 40,000 units
    assert report.truncated == [(2, "Notes")]
    value = openpyxl.load_workbook(target).active["A2"].value
    assert len(value.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    kept = value.removesuffix(TRUNCATION_MARKER)
    assert kept == "😀" * len(kept)


def test_xlsx_control_characters_are_replaced_and_reported(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    report = write_xlsx(target, HEADINGS, [["Ja\x00ne", "eligible", "a\x07b\x1fc"]])
    assert report.replaced_characters == 3
    assert report.cells_with_replaced_characters == [(2, "Name"), (2, "Notes")]
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A2"].value == "Ja\ufffdne"
    assert sheet["C2"].value == "a\ufffdb\ufffdc"


def test_xlsx_non_finite_numbers_are_written_as_text(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_xlsx(target, ["x", "y"], [[float("inf"), 2.5]])
    sheet = openpyxl.load_workbook(target).active
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", "inf")
    assert sheet["B2"].value == 2.5


def test_xlsx_streams_twenty_thousand_rows(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    rows = ((f"person {i}", "eligible" if i % 2 else "incomplete", i) for i in range(20_000))
    report = write_xlsx(target, HEADINGS, rows, verdict_column="Verdict")
    assert report.rows == 20_000
    workbook = openpyxl.load_workbook(target, read_only=True)
    try:
        read = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    assert len(read) == 20_001
    assert read[-1] == ("person 19999", "eligible", 19_999)


def test_xlsx_refuses_the_input_file(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"original")
    with pytest.raises(InputError, match=r"refusing to overwrite the input file in\.xlsx"):
        write_xlsx(source, HEADINGS, [], protect=[source])
    assert source.read_bytes() == b"original"


def test_xlsx_failure_mid_stream_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"earlier")
    openpyxl_temp_before = list(openpyxl_sheet_writer.ALL_TEMP_FILES)

    def rows() -> Iterator[list[str]]:
        yield ["Jane", "eligible", ""]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_xlsx(target, HEADINGS, rows())
    assert target.read_bytes() == b"earlier"
    assert leftover_temp_files(tmp_path) == []
    assert openpyxl_temp_before == openpyxl_sheet_writer.ALL_TEMP_FILES


def test_xlsx_too_many_rows_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_writer, "EXCEL_MAX_ROWS", 3)
    target = tmp_path / "out.xlsx"
    with pytest.raises(InputError, match="too many rows"):
        write_xlsx(target, HEADINGS, [["a", "b", "c"]] * 3)
    assert not target.exists()
    assert leftover_temp_files(tmp_path) == []


def test_xlsx_output_is_a_valid_zip_even_when_empty(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_xlsx(target, HEADINGS, [])
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes())).active
    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert sheet.auto_filter.ref == "A1:C1"
