"""With --redact, the export's own file name (often a person's) is withheld too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "examples" / "forms-export-primary.csv"
MAPPING = REPO / "examples" / "forms-export-primary.mapping.yaml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def test_redact_withholds_the_export_name_from_the_report_and_the_summary(tmp_path: Path) -> None:
    export = tmp_path / "Jane Smith application.csv"
    shutil.copyfile(EXPORT, export)
    report = tmp_path / "panel.html"
    result = runner.invoke(
        app,
        [
            *("screen", str(export), "--programme", "primary", "--mapping", str(MAPPING)),
            *("--as-of", "2026-01-10", "--redact", "--html", str(report)),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "Jane Smith" not in result.stderr
    assert "name withheld" in result.stderr
    html = report.read_text(encoding="utf-8")
    assert "Jane Smith" not in html
    assert "name withheld" in html
    assert (tmp_path / "Jane Smith application-screened.csv").is_file()


def test_without_redact_the_summary_names_the_results_file(tmp_path: Path) -> None:
    export = tmp_path / "applications.csv"
    shutil.copyfile(EXPORT, export)
    result = runner.invoke(
        app,
        [
            *("screen", str(export), "--programme", "primary", "--mapping", str(MAPPING)),
            *("--as-of", "2026-01-10"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "applications-screened.csv" in " ".join(result.stderr.split())
