"""The Python API, used as a notebook or another tool would: only names ``import masterycheck``
offers. Its results are the command line's (``check --format json``, ``screen -o x.jsonl``)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import masterycheck

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
EXPORT = EXAMPLES / "forms-export-primary.csv"
MAPPING = EXAMPLES / "forms-export-primary.mapping.yaml"
OVERLAY = EXAMPLES / "overlay-yorkshire-humber.yaml"
AS_OF = dt.date(2026, 1, 10)

ELIGIBLE_TEACHER = {
    "qualified_status": "qts",
    "qts_date": "2015-07",
    "school_type": "primary",
    "teaches_same_class_maths": "yes",
    "years_teaching_primary_maths": 8,
    "can_fulfil_commitment": "yes",
    "head_understands_commitment": "yes",
}


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def cli_json(*args: str) -> object:
    from masterycheck.cli.app import app  # the command line, to compare with

    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return json.loads(result.stdout)


def test_every_name_in_all_is_importable_and_documented() -> None:
    for name in masterycheck.__all__:
        value = getattr(masterycheck, name)
        assert value is not None, name
        if callable(value):
            assert value.__doc__, f"{name} has no docstring"
    assert set(masterycheck.__all__) <= set(dir(masterycheck))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = masterycheck.nonsense


def test_importing_the_package_imports_no_api_until_a_name_is_used() -> None:
    code = (
        "import sys, masterycheck\n"
        "before = sorted(m for m in sys.modules if m.startswith('masterycheck'))\n"
        "masterycheck.assess\n"
        "print(before, 'masterycheck.api' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['masterycheck', 'masterycheck.version'] True"


@pytest.mark.parametrize(
    ("example", "programme"),
    [
        ("primary-eligible", "primary"),
        ("secondary-not-eligible", "secondary"),
        ("post16-incomplete", "post16"),
    ],
)
def test_assess_gives_what_check_format_json_prints(example: str, programme: str) -> None:
    profile = masterycheck.load_profile(EXAMPLES / f"{example}.yaml")
    result = masterycheck.assess(programme, profile, as_of=AS_OF)
    assert isinstance(result, masterycheck.Assessment)
    expected = cli_json(
        "check", programme, "-p", str(EXAMPLES / f"{example}.yaml"), "--as-of", "2026-01-10",
        "--format", "json",
    )  # fmt: skip
    assert result.to_dict() == expected


def test_assess_reads_answers_given_as_a_mapping() -> None:
    result = masterycheck.assess("primary", ELIGIBLE_TEACHER, as_of=AS_OF)
    assert result.verdict is masterycheck.Verdict.ELIGIBLE
    assert result.to_dict()["verdict"] == "eligible"
    unknown = masterycheck.assess("primary", {"qualified_status": "qts"}, as_of=AS_OF)
    assert unknown.verdict is masterycheck.Verdict.INCOMPLETE  # unknown is never met


def test_a_bad_answer_raises_input_error_naming_the_field() -> None:
    with pytest.raises(masterycheck.InputError, match="qts_date"):
        masterycheck.assess("primary", {"qts_date": "last spring"}, as_of=AS_OF)
    with pytest.raises(masterycheck.InputError, match="unknown field 'qts_dat'"):
        masterycheck.assess("primary", {"qts_dat": "2019"}, as_of=AS_OF)


def test_lenient_makes_a_bad_answer_unknown_with_a_note() -> None:
    result = masterycheck.assess("primary", {"qts_date": "last spring"}, lenient=True)
    assert any("qts_date" in note for note in result.notes)


def test_an_unknown_programme_raises_input_error() -> None:
    with pytest.raises(masterycheck.InputError, match="unknown programme 'tertiary'"):
        masterycheck.load_programme("tertiary")


def test_a_programme_loads_by_id_or_path_and_once_for_many_assessments() -> None:
    by_id = masterycheck.load_programme("primary")
    by_path = masterycheck.load_programme(REPO / "criteria" / "primary.yaml")
    assert by_id.programme == by_path.programme
    assert masterycheck.assess(by_id, ELIGIBLE_TEACHER, as_of=AS_OF).programme == "primary"


def test_assess_all_is_check_all_best_fit_first() -> None:
    results = masterycheck.assess_all(ELIGIBLE_TEACHER, as_of=AS_OF)
    assert results == masterycheck.best_fit_first(results)
    assert results[0].programme == "primary"
    assert {r.programme for r in results} == {
        p.programme.id for p in masterycheck.load_programmes()
    }


def test_an_overlay_adds_desirable_criteria_and_never_changes_the_verdict() -> None:
    plain = masterycheck.load_programme("primary")
    hub = masterycheck.load_programme("primary", overlay=OVERLAY)
    assert len(hub.criteria) > len(plain.criteria)
    applied = masterycheck.load_overlay(OVERLAY, plain)
    assert [c.criterion for c in applied.criteria] == [c.criterion for c in hub.criteria]
    with_hub = masterycheck.assess(hub, ELIGIBLE_TEACHER, as_of=AS_OF)
    assert with_hub.verdict == masterycheck.assess(plain, ELIGIBLE_TEACHER, as_of=AS_OF).verdict


def _screen_cli_rows(tmp_path: Path) -> list[dict[str, object]]:
    out = tmp_path / "results.jsonl"
    from masterycheck.cli.app import app

    args = ["screen", str(EXPORT), "-P", "primary", "-m", str(MAPPING), "-o", str(out)]
    result = CliRunner().invoke(
        app,
        [*args, "--as-of", "2026-01-10"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_screen_a_file_gives_each_row_the_verdict_screen_writes(tmp_path: Path) -> None:
    rows = list(masterycheck.screen(EXPORT, "primary", mapping=MAPPING, as_of=AS_OF))
    written = sorted(_screen_cli_rows(tmp_path), key=lambda r: int(str(r["row"])))
    assert [r.row for r in rows] == [int(str(w["row"])) for w in written]
    assert [r.verdict.value for r in rows] == [w["verdict"] for w in written]
    invalid = [r for r in rows if r.verdict is masterycheck.RowVerdict.INVALID]
    assert all(r.assessment is None and r.problem for r in invalid)
    valid = [(r, r.assessment) for r in rows if r.assessment is not None]
    assert valid and all(r.to_dict()["assessment"] == a.to_dict() for r, a in valid)


def test_screen_rows_given_as_mappings_or_sequences_gives_the_same_results() -> None:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    headings, body = table[0], [r for r in table[1:] if len(r) == len(table[0])]
    as_dicts = [dict(zip(headings, row, strict=True)) for row in body]
    from_dicts = list(masterycheck.screen(as_dicts, "primary", mapping=MAPPING, as_of=AS_OF))
    from_lists = list(
        masterycheck.screen(body, "primary", mapping=MAPPING, headings=headings, as_of=AS_OF)
    )
    assert [r.to_dict() for r in from_dicts] == [r.to_dict() for r in from_lists]
    assert {r.verdict for r in from_dicts} >= {
        masterycheck.RowVerdict.ELIGIBLE,
        masterycheck.RowVerdict.NOT_ELIGIBLE,
    }
    assert from_dicts[0].applicant.get("name")


def test_a_short_row_given_as_data_is_invalid_not_dropped() -> None:
    with EXPORT.open(encoding="utf-8-sig", newline="") as stream:
        headings = next(csv.reader(stream))
    rows = list(
        masterycheck.screen(
            [["1", "x"], [""] * len(headings)],
            "primary",
            mapping=MAPPING,
            headings=headings,
            as_of=AS_OF,
        )
    )
    assert [(r.row, r.verdict.value) for r in rows] == [(1, "invalid"), (2, "invalid")]
    assert rows[0].problem == f"row has 2 cells, expected {len(headings)}"
    assert rows[1].problem == "blank row"


def test_sequences_without_headings_are_refused() -> None:
    with pytest.raises(masterycheck.InputError, match="need their headings"):
        next(masterycheck.screen([["a", "b"]], "primary", mapping=MAPPING))


def test_propose_mapping_gives_the_yaml_and_its_parts_and_screen_accepts_it() -> None:
    proposal = masterycheck.propose_mapping(EXPORT, "primary")
    assert isinstance(proposal, masterycheck.MappingProposal)
    assert "schema_version: 1" in proposal.yaml
    assert proposal.yaml.startswith("# yaml-language-server: $schema=file://")
    assert proposal.yaml.splitlines()[0].endswith("/mapping.schema.json")
    assert proposal.mapping.columns
    assert isinstance(proposal.missing_essential, list)
    rows = list(
        masterycheck.screen(EXPORT, "primary", mapping=proposal, allow_missing=True, as_of=AS_OF)
    )
    assert len(rows) == len(list(masterycheck.screen(EXPORT, "primary", mapping=MAPPING)))


def test_version_facts_name_every_criteria_file_with_its_checksum() -> None:
    facts = masterycheck.version_facts()
    assert facts.version == masterycheck.__version__
    names = [f.name for f in facts.criteria_files]
    assert names[0] == "fields.yaml" and "primary.yaml" in names
    assert all(len(f.sha256) == 64 for f in facts.criteria_files)


def test_the_readme_example_runs_in_five_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_packaging import files_the_example_names, readme_api_example

    code = readme_api_example()
    assert len([line for line in code.splitlines() if line.strip()]) == 5
    files_the_example_names(tmp_path)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})  # the README's own example
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("incomplete [")
    assert len(lines) == 1 + len(list(masterycheck.screen(EXPORT, "primary", mapping=MAPPING)))
