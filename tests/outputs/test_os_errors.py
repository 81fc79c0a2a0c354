"""Operating-system errors are one line and exit 2, never a traceback, and leave nothing behind:
a full disk, a folder that cannot be written, an export that changes while it is read.

The full-disk and read-only cases mount a tiny tmpfs, which needs root (CI runs as root); they
are skipped, saying so, where mounting is not allowed.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hostile import AS_OF, EXPORT, MAPPING, big_export, run_child, screen_args
from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

runner = CliRunner()


def _mount(folder: Path, options: str) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    yield from _mount(tmp_path / "tiny", "size=16k")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    yield from _mount(tmp_path / "ro", "ro,size=16k")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_export(tmp_path_factory.mktemp("oserr") / "export.csv", 400)


def _screen(export: Path, *args: str | Path) -> tuple[int, str]:
    done = run_child(*screen_args(export), *args)
    return done.returncode, done.stderr.decode()


def assert_one_error_line(code: int, stderr: str, words: str) -> None:
    assert code == ExitCode.BAD_INPUT, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("masterycheck: error: ")
    assert words in lines[0].lower()


@pytest.mark.parametrize("output_format", ["csv", "json", "xlsx"])
def test_full_disk_is_one_line_and_leaves_nothing(
    export: Path, full_disk: Path, output_format: str
) -> None:
    code, stderr = _screen(export, "-o", full_disk / "results.out", "--format", output_format)
    assert_one_error_line(code, stderr, "no space left on device")
    assert list(full_disk.iterdir()) == []


def test_full_disk_for_the_html_report_is_one_line_and_leaves_nothing(
    export: Path, full_disk: Path, tmp_path: Path
) -> None:
    code, stderr = _screen(export, "-o", tmp_path / "r.csv", "--html", full_disk / "r.html")
    assert_one_error_line(code, stderr, "no space left on device")
    assert list(full_disk.iterdir()) == []


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_read_only_output_folder_is_one_line(
    export: Path, read_only: Path, output_format: str
) -> None:
    code, stderr = _screen(export, "-o", read_only / "results.out", "--format", output_format)
    assert_one_error_line(code, stderr, "read-only file system")


def test_permission_denied_for_the_spool_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = runner.invoke(
        app,
        [
            *("screen", str(EXPORT), "--programme", "primary", "--mapping", str(MAPPING)),
            *("-o", str(tmp_path / "r.csv")),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.strip().lower().endswith("permission denied")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "xlsx"])
def test_an_export_that_changes_while_it_is_read_is_named_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    import masterycheck.batch.tables as table_reader

    export = tmp_path / "export.csv"
    shutil.copyfile(EXPORT, export)
    real_open = table_reader.open_table

    def open_and_grow(*args: Any, **kwargs: Any) -> object:
        source = real_open(*args, **kwargs)
        blocks = source.row_blocks

        def blocks_then_grow() -> Iterator[object]:
            for number, block in enumerate(blocks(), 1):
                yield block
                if number == 1:  # another program appends a submission while it is read
                    with export.open("a", encoding="utf-8", newline="") as stream:
                        stream.write("99,,,late@school.example,Late Entry" + "," * 20 + "\r\n")

        monkeypatch.setattr(source, "row_blocks", blocks_then_grow)
        return source

    monkeypatch.setattr(table_reader, "open_table", open_and_grow)
    result = runner.invoke(
        app,
        [
            *("screen", str(export), "--programme", "primary", "--mapping", str(MAPPING)),
            *("--as-of", AS_OF, "-o", str(tmp_path / f"r.{suffix}")),
            *("--html", str(tmp_path / "r.html")),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    assert "the export changed while it was being read" in result.stderr
    assert not (tmp_path / f"r.{suffix}").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
