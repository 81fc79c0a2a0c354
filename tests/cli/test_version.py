"""`masterycheck --version`: the release and the criteria files behind its results."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.files.criteria import criteria_dir
from masterycheck.version import __version__

REPO = Path(__file__).resolve().parents[2]
CRITERIA = criteria_dir()  # the checkout's, or the installed package's copy
runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version_prints_the_release_then_each_criteria_file() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"masterycheck {__version__}"
    assert lines[1] == f"criteria: {CRITERIA}"
    names = [line.split()[0] for line in lines[2:]]
    assert names == ["fields.yaml", "post16.yaml", "primary.yaml", "secondary.yaml"]
    for line in lines[2:]:
        name = line.split()[0]
        assert f"sha256 {sha256(CRITERIA / name)[:12]}" in line
    primary = next(line for line in lines if line.startswith("  primary.yaml"))
    assert re.search(r"last verified \d{4}-\d\d-\d\d", primary)
    assert "last verified" not in lines[2]  # the field catalogue holds no criteria


def test_version_as_json_gives_full_checksums_and_the_verification_dates() -> None:
    result = runner.invoke(app, ["--version", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["version"] == __version__
    files = {f["name"]: f for f in data["criteria_files"]}
    assert files["primary.yaml"]["sha256"] == sha256(CRITERIA / "primary.yaml")
    assert files["fields.yaml"]["last_verified"] is None
    dates = files["post16.yaml"]["last_verified"]
    assert dates["oldest"] <= dates["newest"]


def test_the_version_names_the_criteria_folder_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "criteria"
    shutil.copytree(CRITERIA, copy)
    (copy / "primary.yaml").write_text("name: [\n", encoding="utf-8")
    monkeypatch.setenv("MASTERYCHECK_CRITERIA", str(copy))
    result = runner.invoke(app, ["--version", "-f", "json"])
    assert result.exit_code == 0  # a broken criteria file does not hide the version
    data = json.loads(result.stdout)
    assert data["criteria_dir"] == str(copy)
    broken = next(f for f in data["criteria_files"] if f["name"] == "primary.yaml")
    assert broken["sha256"] == sha256(copy / "primary.yaml")
    assert broken["last_verified"] is None
    assert broken["problem"].startswith(f"{copy / 'primary.yaml'}:")


def test_format_before_a_command_without_version_is_a_usage_error() -> None:
    result = runner.invoke(app, ["--format", "json", "programmes"])
    assert result.exit_code == 2
    assert "applies to --version only" in result.output


def test_version_works_from_the_console_script() -> None:
    entry = shutil.which("masterycheck")
    command = [entry] if entry else [sys.executable, "-m", "masterycheck"]
    completed = subprocess.run([*command, "--version"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(f"masterycheck {__version__}\n")
