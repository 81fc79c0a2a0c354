"""Pins what ``validate`` and ``test`` report, as facts: each file's summary or error, each
example's expected and actual verdicts; and the schemas by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterycheck.core.vocabulary import Verdict
from masterycheck.errors import InputError
from masterycheck.files.criteria import (
    CATALOGUE_FILE,
    criteria_dir,
    criteria_files,
    load_catalogue,
    load_programme,
)
from masterycheck.files.schemas import ALL_SCHEMAS, SCHEMAS, UnknownSchema, schema_of
from masterycheck.files.validation import run_examples, validate_files

REPO = Path(__file__).resolve().parents[2]
PRIMARY = REPO / "criteria" / "primary.yaml"


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def test_criteria_files_are_the_catalogue_then_the_programmes() -> None:
    files = criteria_files()
    assert files[0] == criteria_dir() / CATALOGUE_FILE
    assert [p.stem for p in files[1:]] == ["post16", "primary", "secondary"]


def test_validate_files_defaults_to_the_bundled_files_and_summarises_each() -> None:
    checks = validate_files()
    assert [c.path for c in checks] == criteria_files()
    assert all(c.ok and c.error is None for c in checks)
    assert checks[0].summary is not None and checks[0].summary.endswith(" fields")
    by_name = {c.path.stem: c.summary for c in checks}
    examples = len(load_programme(PRIMARY, load_catalogue()).programme.examples)
    assert by_name["primary"] == f"11 essential, 6 desirable, {examples} examples"


def test_a_bad_file_keeps_its_error_and_the_others_are_still_validated(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria: [\n", encoding="utf-8")
    checks = validate_files([bad, PRIMARY])
    assert [c.ok for c in checks] == [False, True]
    assert checks[0].summary is None
    assert isinstance(checks[0].error, InputError)
    assert checks[0].error.one_line().startswith(f"{bad}:2:1: YAML syntax error")


def test_run_examples_gives_each_examples_expected_and_actual_verdict(tmp_path: Path) -> None:
    text = PRIMARY.read_text(encoding="utf-8")
    wrong = tmp_path / "primary-wrong.yaml"
    wrong.write_text(
        text.replace("\n    expect: eligible\n", "\n    expect: not_eligible\n", 1), "utf-8"
    )
    runs = run_examples([criteria_dir() / CATALOGUE_FILE, wrong])  # the catalogue is skipped
    assert len(runs) == len(load_programme(PRIMARY, load_catalogue()).programme.examples)
    assert {r.programme for r in runs} == {"primary"}
    failed = [r for r in runs if not r.passed]
    assert len(failed) == 1
    assert (failed[0].expected, failed[0].verdict) == (Verdict.NOT_ELIGIBLE, Verdict.ELIGIBLE)


def test_run_examples_stops_at_a_file_that_does_not_load(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    with pytest.raises(InputError):
        run_examples([bad])


def test_schema_all_is_the_criteria_and_profile_schemas_by_name() -> None:
    everything = schema_of("all")
    assert list(everything) == list(ALL_SCHEMAS) == ["programme", "catalogue", "profile"]
    for name in SCHEMAS:
        assert schema_of(name)["$schema"].startswith("https://json-schema.org/")


def test_an_unknown_schema_name_fails_loudly() -> None:
    with pytest.raises(UnknownSchema, match="unknown schema 'nonsense'"):
        schema_of("nonsense")
