"""The wheel: the criteria and the schemas inside it, and a fresh install that works as the
README shows it (the command, ``--version`` and the Python API), in a plain virtual
environment (what ``pipx install .`` and ``uv tool install .`` make)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from masterycheck.files.schemas import SCHEMAS, schema_file_name

REPO = Path(__file__).resolve().parents[1]

# Building a wheel and a fresh virtual environment takes ~15 s: CI (.ci/run) sets
# MASTERYCHECK_PACKAGING=1 and runs these; a local run of the suite stays fast without them.
pytestmark = pytest.mark.skipif(
    os.environ.get("MASTERYCHECK_PACKAGING") != "1",
    reason="set MASTERYCHECK_PACKAGING=1 to build and install the wheel (CI does)",
)


def readme_api_example() -> str:
    """The Python block under "The Python API" in the README, as it is shown."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### The Python API", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def files_the_example_names(folder: Path) -> None:
    """The export and mapping the README's example reads, in ``folder``."""
    shutil.copyfile(REPO / "examples" / "forms-export-primary.csv", folder / "applications.csv")
    shutil.copyfile(
        REPO / "examples" / "forms-export-primary.mapping.yaml", folder / "mapping.yaml"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    [found] = out.glob("masterycheck-*.whl")
    return found


def test_the_wheel_holds_the_criteria_and_the_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for criteria in (REPO / "criteria").glob("*.yaml"):
        assert f"masterycheck/criteria/{criteria.name}" in names
    for kind in SCHEMAS:
        assert f"masterycheck/schemas/{schema_file_name(kind)}" in names
    assert "masterycheck/py.typed" in names


def test_a_fresh_install_from_the_wheel_works_as_the_readme_shows(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), capture_output=True, text=True, cwd=tmp_path)

    version = run(str(bin_dir / "masterycheck"), "--version", "--format", "json")
    assert version.returncode == 0, version.stderr
    facts = json.loads(version.stdout)
    assert Path(facts["criteria_dir"]).is_relative_to(env_dir)  # the installed copy
    assert facts["criteria_files"][0]["name"] == "fields.yaml"
    checked = run(
        str(bin_dir / "masterycheck"), "check", "primary",
        "--profile", str(REPO / "examples" / "primary-eligible.yaml"), "--as-of", "2026-01-10",
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    files_the_example_names(tmp_path)
    api = run(str(bin_dir / "python"), "-c", readme_api_example())
    assert api.returncode == 0, api.stderr
    lines = api.stdout.splitlines()
    assert lines[0].startswith("incomplete [")
    rows = [line.split()[:2] for line in lines[1:]]
    assert [int(number) for number, _ in rows] == list(range(1, len(rows) + 1))
    assert {verdict for _, verdict in rows} >= {"eligible", "invalid"}
    schema_line = run(
        str(bin_dir / "python"),
        "-c",
        "from masterycheck.files.schemas import schema_comment; print(schema_comment('mapping'))",
    )
    uri = schema_line.stdout.strip().removeprefix("# yaml-language-server: $schema=")
    assert uri.startswith("file://") and "site-packages" in uri
