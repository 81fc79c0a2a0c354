"""Outputs go only where the user meant: never into /dev, /proc or /sys, never through a link
to something that is not a regular file, never over any file the command reads; ``-o -`` is
standard output, never a file named ``-``; an export read from a stream needs ``-o``."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hostile import AS_OF, EXPORT, MAPPING, REPO, run_child, screen_args
from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

runner = CliRunner()
OVERLAY = REPO / "examples" / "overlay-yorkshire-humber.yaml"


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def screen(export: Path, *args: str | Path) -> Result:
    return run("screen", export, "--programme", "primary", "--as-of", AS_OF, *args)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    copy = tmp_path / "export.csv"
    shutil.copyfile(EXPORT, copy)
    return copy


def assert_refused(result: Result, words: str) -> None:
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("masterycheck: error: ")
    assert words in lines[0]


@pytest.mark.skipif(not Path("/dev/stdout").is_symlink(), reason="/dev/stdout is not a link here")
def test_output_to_dev_stdout_is_refused_and_the_link_kept(export: Path) -> None:
    result = screen(export, "-o", "/dev/stdout")
    assert_refused(result, "system folders")
    assert Path("/dev/stdout").is_symlink()


def test_output_through_a_link_into_proc_is_refused_and_the_link_kept(
    export: Path, tmp_path: Path
) -> None:
    link = tmp_path / "results.csv"
    link.symlink_to("/proc/self/fd/1")
    assert_refused(screen(export, "-o", link), "system folders")
    assert link.is_symlink()
    assert str(link.readlink()) == "/proc/self/fd/1"
    assert_refused(run("mapping", export, "--programme", "primary", "-o", link), "system")
    assert link.is_symlink()


def test_output_in_a_folder_that_links_into_proc_is_refused(export: Path, tmp_path: Path) -> None:
    folder = tmp_path / "fds"
    folder.symlink_to("/proc/self/fd")
    assert_refused(screen(export, "-o", folder / "results.csv"), "system folders")


def test_output_through_a_link_to_a_named_pipe_is_refused(export: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "results.csv"
    link.symlink_to(fifo)
    assert_refused(screen(export, "-o", link), "not a regular file")
    assert link.is_symlink()


def test_html_report_into_dev_is_refused(export: Path, tmp_path: Path) -> None:
    result = screen(export, "-o", tmp_path / "r.csv", "--html", "/dev/null.html")
    assert_refused(result, "system folders")


@pytest.mark.parametrize("option", ["--programme", "--mapping", "--overlay"])
def test_screen_never_writes_over_a_file_it_reads(
    export: Path, tmp_path: Path, option: str
) -> None:
    sources = {
        "--programme": REPO / "criteria" / "primary.yaml",
        "--mapping": MAPPING,
        "--overlay": OVERLAY,
    }
    copy = tmp_path / "input.yaml"
    shutil.copyfile(sources[option], copy)
    before = copy.read_bytes()
    args: list[str | Path] = ["screen", export, "--as-of", AS_OF, option, copy, "-o", copy]
    if option != "--programme":
        args += ["--programme", "primary"]
    if option != "--mapping":
        args += ["--mapping", MAPPING]
    result = run(*args, "--format", "csv")
    assert_refused(result, "refusing to overwrite the input file")
    assert copy.read_bytes() == before


def test_mapping_never_writes_over_the_programme_file(export: Path, tmp_path: Path) -> None:
    programme = tmp_path / "mine.yaml"
    shutil.copyfile(REPO / "criteria" / "primary.yaml", programme)
    before = programme.read_bytes()
    result = run("mapping", export, "--programme", programme, "-o", programme)
    assert_refused(result, "refusing to overwrite the input file")
    assert programme.read_bytes() == before


def test_interview_never_saves_over_the_programme_file(tmp_path: Path) -> None:
    programme = tmp_path / "mine.yaml"
    shutil.copyfile(REPO / "criteria" / "primary.yaml", programme)
    before = programme.read_bytes()
    result = run("interview", programme, "--save", programme)
    assert_refused(result, "refusing to overwrite the input file")
    assert programme.read_bytes() == before


def test_screen_dash_writes_the_results_to_standard_output(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = run_child(
        *screen_args(export),
        "-o",
        "-",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert len(rows) == 12
    assert {"row", "rank", "verdict"} <= set(rows[0])
    assert not (tmp_path / "-").exists()
    assert "Results: standard output" in done.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_screen_dash_as_json_lines(export: Path) -> None:
    done = run_child(
        *screen_args(export),
        "-o",
        "-",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.decode().splitlines()) == 12


def test_mapping_dash_writes_to_standard_output(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("mapping", export, "--programme", "primary", "-o", "-")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "columns:" in result.stdout
    assert not (tmp_path / "-").exists()


def test_check_report_dash_is_refused_not_a_file_named_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    profile = REPO / "examples" / "primary-eligible.yaml"
    result = run("check", "primary", "--profile", profile, "--report", "-")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert not (tmp_path / "-").exists()


def test_export_from_a_stream_needs_an_output_name() -> None:
    done = run_child(
        "screen",
        "/dev/stdin",
        "--programme",
        "primary",
        "--mapping",
        MAPPING,
        stdin=EXPORT.read_bytes(),
    )
    assert done.returncode == ExitCode.BAD_INPUT
    stderr = done.stderr.decode()
    assert len(stderr.strip().splitlines()) == 1
    assert "-o" in stderr
    assert not Path("/dev/stdin-screened.csv").exists()


@pytest.mark.parametrize("extra", [[], ["--format", "xlsx"], ["--html", "report.html"]])
def test_export_from_a_stream_is_screened_with_an_output_name(
    tmp_path: Path, extra: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = run_child(
        "screen",
        "/dev/stdin",
        "--programme",
        "primary",
        "--mapping",
        MAPPING,
        "--as-of",
        AS_OF,
        "-o",
        tmp_path / "results.out",
        *extra,
        stdin=EXPORT.read_bytes(),
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "results.out").stat().st_size > 0
    assert "Screened 12 row(s)" in done.stderr.decode()
