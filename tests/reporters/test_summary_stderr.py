"""`masterycheck screen` with stderr to a file writes the summary without loading rich, and
writes what rich wrote; text rich must measure itself (a control character in a name) is
still drawn by rich."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
AS_OF = "2026-01-10"

# Runs the entry point in a fresh interpreter, then writes the modules loaded to stdout.
PROBE = """
import json, sys
sys.argv = ["masterycheck", *json.loads(sys.argv[1])]
from masterycheck.cli.app import main
try:
    main()
except SystemExit as stop:
    code = stop.code
rich = sorted(m for m in sys.modules if m == "rich" or m.startswith("rich."))
sys.stdout.write(json.dumps({"code": code, "rich": rich}))
"""


def screened_with_stderr_to_a_file(
    tmp_path: Path, export: Path, *args: str, columns: str = "80"
) -> tuple[dict[str, object], str]:
    """What the child loaded, and what it wrote to stderr (a file)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MASTERYCHECK_CRITERIA",)}
    env.update(COLUMNS=columns, NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    env.pop("TTY_COMPATIBLE", None)
    argv = ["screen", str(export), "--programme", "primary", "--as-of", AS_OF, *args]
    errors = tmp_path / "stderr.txt"
    with errors.open("w", encoding="utf-8") as stream:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, json.dumps(argv)],
            stdout=subprocess.PIPE,
            stderr=stream,
            stdin=subprocess.DEVNULL,
            text=True,
            check=True,
            cwd=REPO,
            env=env,
        )
    return json.loads(done.stdout), errors.read_text(encoding="utf-8")


def drawn_by_rich(export: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The summary as rich draws it (the plain drawing turned off), 80 columns wide."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)
    monkeypatch.setattr(
        "masterycheck.reporters.screen_summary.is_plain_summary", lambda parts, width: False
    )
    argv = ["screen", str(export), "--programme", "primary", "--as-of", AS_OF, *args]
    result = CliRunner().invoke(app, argv, catch_exceptions=False)
    assert result.exit_code == ExitCode.OK, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--mapping", str(MAPPING), "--redact"],
        [
            "--mapping",
            str(MAPPING),
            "--overlay",
            str(REPO / "examples/overlay-yorkshire-humber.yaml"),
        ],
    ],
    ids=["proposed-mapping", "redacted", "overlay-and-html"],
)
def test_a_screen_with_stderr_to_a_file_loads_no_rich_and_prints_the_same_summary(
    tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "export.csv"
    shutil.copyfile(EXPORT, export)
    args = [*args, "-o", str(tmp_path / "out.csv")]
    if "--overlay" in args:
        args += ["--html", str(tmp_path / "report.html")]
    loaded, written = screened_with_stderr_to_a_file(tmp_path, export, *args)
    assert loaded == {"code": 0, "rich": []}
    assert "┃ Criterion" in written and "Results: " in written
    assert written == drawn_by_rich(export, *args, monkeypatch=monkeypatch)


def test_a_name_with_a_control_character_is_drawn_by_rich(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    name = rows[0].index("Name")
    rows[1][name] = "Eve\x1b[2J Evans"
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    out = ["-o", str(tmp_path / "out.csv")]
    loaded, written = screened_with_stderr_to_a_file(tmp_path, export, *out)
    assert loaded["code"] == 0 and "rich.console" in loaded["rich"]  # type: ignore[operator]
    assert "Eve\u241b[2J Evans" in written and "\x1b" not in written
    assert written == drawn_by_rich(export, *out, monkeypatch=monkeypatch)
