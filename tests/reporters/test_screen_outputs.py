"""`masterycheck screen` outputs: every row accounted for, atomic, private, same in every format."""

from __future__ import annotations

import csv
import json
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-01-10"

runner = CliRunner()


def screen(export: Path, *args: str | Path) -> Result:
    arguments = ["screen", export, "--programme", "primary", "--mapping", MAPPING]
    return runner.invoke(app, [str(a) for a in [*arguments, "--as-of", AS_OF, *args]])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def export_rows() -> tuple[list[str], list[list[str]]]:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], rows[1:]


def write_export(path: Path, headings: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([headings, *rows])


def test_xlsx_export_is_screened_with_the_same_mapping(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    headings, rows = export_rows()
    # A workbook has no short rows, so compare on the rows that are whole in the CSV too.
    rows = [row for row in rows if len(row) == len(headings) and any(row)]
    same = tmp_path / "export.csv"
    write_export(same, headings, rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    workbook = tmp_path / "export.xlsx"
    book.save(workbook)
    from_csv = tmp_path / "from-csv.csv"
    from_xlsx = tmp_path / "from-xlsx.csv"
    assert screen(same, "-o", from_csv).exit_code == ExitCode.OK
    result = screen(workbook, "-o", from_xlsx)
    assert result.exit_code == ExitCode.OK, result.stderr
    verdicts = [(r["row"], r["verdict"], r["rank"]) for r in read_csv(from_xlsx)]
    assert verdicts == [(r["row"], r["verdict"], r["rank"]) for r in read_csv(from_csv)]


def test_results_file_is_private_to_its_owner(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    assert screen(EXPORT, "-o", out).exit_code == ExitCode.OK
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_failure_midway_leaves_the_earlier_output_and_no_temporary_file(tmp_path: Path) -> None:
    headings, rows = export_rows()
    bad = tmp_path / "export.csv"
    write_export(bad, headings, rows)
    # A stray quote in row 8's name: the strict reader stops there, after 7 rows screened.
    text = bad.read_text(encoding="utf-8").replace("Gus White", 'Gus "G" White', 1)
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "results.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    result = screen(bad, "-o", out)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.startswith(f"masterycheck: error: {bad}: row 8 (line ")
    assert "row 8" in result.stderr and "Gus" not in result.stderr
    assert out.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "results.csv"]


def test_csv_and_json_lines_agree_row_by_row(tmp_path: Path) -> None:
    as_csv, as_json = tmp_path / "r.csv", tmp_path / "r.jsonl"
    assert screen(EXPORT, "-o", as_csv).exit_code == ExitCode.OK
    assert screen(EXPORT, "-o", as_json).exit_code == ExitCode.OK
    records = [json.loads(line) for line in as_json.read_text(encoding="utf-8").splitlines()]
    rows = read_csv(as_csv)
    assert [(int(r["row"]), int(r["rank"]), r["verdict"]) for r in rows] == [
        (j["row"], j["rank"], j["verdict"]) for j in records
    ]
    assert [r["qts"] for r in rows] == [j["criteria"].get("qts", "") for j in records]


answer = st.sampled_from(["Yes, I hold QTS", "QTLS", "No", "", "maybe", "=1+1", 'say "hi"'])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 11), answer, st.sampled_from(["ok", "short", "long", "blank"])),
        min_size=1,
        max_size=30,
    )
)
def test_every_input_row_is_in_the_results_once_in_order(
    tmp_path_factory: pytest.TempPathFactory, picks: list[tuple[int, str, str]]
) -> None:
    headings, rows = export_rows()
    whole = [row for row in rows if len(row) == len(headings) and any(row)]  # valid bases
    qts = headings.index("Do you hold Qualified Teacher Status?")
    made: list[list[str]] = []
    for base, qts_answer, shape in picks:
        row = list(whole[base % len(whole)])
        row[qts] = qts_answer
        if shape == "short":
            row = row[:5]
        elif shape == "long":
            row = [*row, "extra"]
        elif shape == "blank":
            row = [""] * len(headings)
        made.append(row)
    folder = tmp_path_factory.mktemp("prop")
    export = folder / "export.csv"
    write_export(export, headings, made)
    out = folder / "results.csv"
    result = screen(export, "-o", out)
    assert result.exit_code == ExitCode.OK, result.stderr
    results = read_csv(out)
    assert [int(r["row"]) for r in results] == list(range(1, len(made) + 1))
    # Valid rows made from one base row are one applicant's submissions (the same email):
    # the last is ranked, the earlier ones are superseded by it, unranked.
    latest = {
        base % len(whole): number
        for number, (base, _, shape) in enumerate(picks, 1)
        if shape == "ok"
    }
    ranked = [int(r["rank"]) for r in results if r["rank"]]
    assert sorted(ranked) == list(range(1, len(ranked) + 1))
    for number, (record, (base, _, shape)) in enumerate(zip(results, picks, strict=True), 1):
        assert (record["verdict"] == "invalid") == (shape != "ok")
        if shape == "ok" and latest[base % len(whole)] != number:
            assert record["verdict"] == "superseded" and not record["rank"]
            assert record["duplicate_of"] == str(latest[base % len(whole)])
            continue
        assert record["rank"] and not record["duplicate_of"]
        assert record["reasons"] or record["verdict"] in ("eligible", "not_eligible")
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_proposal_leaves_long_free_text_out_of_the_results_unless_kept(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    shutil.copyfile(EXPORT, export)
    mapping = tmp_path / "mapping.yaml"
    result = runner.invoke(
        app, ["mapping", str(export), "--programme", "primary", "-o", str(mapping)]
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    text = mapping.read_text(encoding="utf-8")
    assert "keep: []" in text
    assert '  # - "Personal statement' in text
    out = tmp_path / "results.csv"
    arguments = ["screen", export, "--programme", "primary", "--mapping", mapping, "-o", out]
    run = runner.invoke(app, [*map(str, arguments), "--as-of", AS_OF])
    assert run.exit_code == ExitCode.OK, run.stderr
    assert "lesson study" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx"])
def test_every_format_reads_the_export_once_and_evaluates_each_combination_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """One pass for every output format, the HTML report included: the rows are read once,
    and a criterion is evaluated once per distinct combination of the cells that feed it."""
    import masterycheck.batch.tables as table_reader
    from masterycheck.core.engine import criterion_result as real_result

    real_open = table_reader.open_table
    passes: list[int] = []
    evaluated: list[tuple[Any, ...]] = []

    def open_counted(*args: Any, **kwargs: Any) -> object:
        source = real_open(*args, **kwargs)
        blocks = source.row_blocks

        def counted() -> Iterator[object]:
            passes.append(1)
            yield from blocks()

        monkeypatch.setattr(source, "row_blocks", counted)
        return source

    def result_counted(*args: Any, **kwargs: Any) -> Any:
        evaluated.append(args)
        return real_result(*args, **kwargs)

    monkeypatch.setattr(table_reader, "open_table", open_counted)
    monkeypatch.setattr("masterycheck.batch.screening.criterion_result", result_counted)
    result = screen(EXPORT, "-o", tmp_path / f"r.{suffix}", "--html", tmp_path / "r.html")
    assert result.exit_code == 0, result.stderr
    assert passes == [1]
    # (criterion, catalogue, answers, unreadable answers as given, ...): never the same
    # criterion on the same answers twice
    seen = [(id(args[0]), repr(sorted(args[2].items())), repr(args[3:4])) for args in evaluated]
    assert len(seen) == len(set(seen))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r.html", f"r.{suffix}"])
