"""The page's evaluator (``evaluator.js``) on its own, in node: fast and exact.

The module is loaded as node loads any CommonJS module, with the data the page embeds, and
asked for the same record the page shows (verdicts, outcomes, hub to confirm, desirable
score, path to eligibility, window, best fit, next question); the Python engine must agree on
every generated profile. Skipped where node is not installed: the browser test
(``test_self_check_page_browser.py``) is the check that always runs in CI.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import pytest
from test_self_check_page import (
    EDGE_CASES,
    Record,
    differential_size,
    disagreements,
    engine_profile,
    profile_round_trips,
    programmes,
    sample,
)

from masterycheck.reporters.self_check_page import asset, page_data

RUNNER = r"""
const MC = require(process.argv[1]);
const data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const today = process.argv[3].split("-").map(Number);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.map((fragment) => {
  const state = MC.parseFragment(data, fragment);
  const assessments = MC.assessAll(data, state, today);
  const q = MC.journeyQuestion(data, state);
  const programmes = {};
  assessments.forEach((a) => {
    const criteria = {};
    a.criteria.forEach((r) => { criteria[r.id] = [r.outcome, r.hub_to_confirm ? "yes" : "no"]; });
    const s = a.desirable;
    programmes[a.programme] = {
      verdict: a.verdict, not_for_you: a.not_for_you || "", criteria,
      score: [s.met, s.not_met, s.unknown, s.total, s.self_declared, s.percent],
      path: a.path.map((step) => [step.kind, step.criteria, step.fields]),
      window: a.window.state,
    };
  });
  return {
    record: {fit: assessments.map((a) => a.programme),
             next: q ? q.field.id : "", programmes},
    profile: MC.profileYaml(data, state, today),
    fragment: MC.formatFragment(state),
  };
});
process.stdout.write(JSON.stringify(out));
"""

TODAY = dt.date.today()


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("node is not installed (the browser test checks the evaluator in CI)")
    return found


def evaluate(cases: Sequence[str], work: Path) -> list[dict[str, object]]:
    """The evaluator's record, saved profile and fragment for each fragment, from one node."""
    data = work / "data.json"
    data.write_text(json.dumps(page_data(programmes())), encoding="utf-8")
    module = work / "evaluator.js"
    module.write_text(asset("evaluator.js"), encoding="utf-8")
    done = subprocess.run(
        [node(), "-e", RUNNER, str(module), str(data), TODAY.isoformat()],
        input=json.dumps(list(cases)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results


@pytest.fixture(scope="module")
def evaluated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[str], list[dict[str, object]]]:
    """The generated fragments and the evaluator's results for them, from one node run."""
    node()
    cases = sample(differential_size(50))
    return cases, evaluate(cases, tmp_path_factory.mktemp("node"))


def test_the_evaluator_agrees_with_the_engine_on_generated_profiles(
    evaluated: tuple[list[str], list[dict[str, object]]],
) -> None:
    cases, results = evaluated
    records = [cast(Record, result["record"]) for result in results]
    wrong = disagreements(programmes(), cases, records, TODAY)
    assert wrong == [], f"{len(wrong)} of {len(cases)} differ:\n" + "\n".join(wrong[:5])


def test_the_saved_profile_reads_back_to_the_same_answers(
    evaluated: tuple[list[str], list[dict[str, object]]], tmp_path: Path
) -> None:
    cases, results = evaluated
    catalogue = programmes()[0].catalogue
    for fragment, result in list(zip(cases, results, strict=True))[::5]:
        profile_round_trips(catalogue, fragment, str(result["profile"]), tmp_path)


def test_the_fragment_the_page_writes_reads_back_the_same(
    evaluated: tuple[list[str], list[dict[str, object]]],
) -> None:
    cases, results = evaluated
    catalogue = programmes()[0].catalogue
    for fragment, result in zip(cases, results, strict=True):
        written = str(result["fragment"])
        assert engine_profile(catalogue, written)[0].answers == (
            engine_profile(catalogue, fragment)[0].answers
        )


def test_edge_cases_decide_as_the_sources_are_read(
    evaluated: tuple[list[str], list[dict[str, object]]],
) -> None:
    """Pins a few outcomes by hand, so the differential cannot agree on a shared mistake."""
    cases, results = evaluated
    by_case: dict[str, Record] = {
        case: cast(Record, result["record"]) for case, result in zip(cases, results, strict=True)
    }
    qtls = by_case[EDGE_CASES[1]]["programmes"]["primary"]
    assert qtls["criteria"]["qts"] == ["unknown", "yes"]  # hub to confirm
    to_the_day = by_case[EDGE_CASES[2]]["programmes"]["secondary"]
    assert to_the_day["criteria"]["qts_two_years"][0] == "met"
    a_day_short = by_case[EDGE_CASES[3]]["programmes"]["secondary"]
    assert a_day_short["criteria"]["qts_two_years"] == ["unknown", "yes"]  # two by the start
    short = by_case[EDGE_CASES[4]]["programmes"]["secondary"]
    assert short["criteria"]["qts_two_years"] == ["not_met", "no"]
    year_only = by_case[EDGE_CASES[5]]["programmes"]["secondary"]
    assert year_only["criteria"]["qts_two_years"][0] == "unknown"
    assert by_case[""]["next"] == "school_type"  # where you teach first


UNITS = r"""
const MC = require(process.argv[1]);
const field = (type, extra) => Object.assign({id: "f", label: "F", type, choices: [],
  min: null, max: null}, extra);
process.stdout.write(JSON.stringify({
  academic: MC.parseDate("2011-12"), month: MC.parseDate("2019-07"),
  leap: MC.parseDate("2024-02-29"), impossible: MC.parseDate("2019-02-30"),
  over: MC.readAnswer(field("whole_number", {max: 60}), "61").problem || null,
  yes: MC.readAnswer(field("yes_no"), "YES").value,
  blank: MC.readAnswer(field("yes_no"), " ").value,
  unless: MC.evaluate({unless: {f: "x", op: "equals", v: false}}, {}).o,
  not: MC.evaluate({not: {f: "x", op: "equals", v: false}}, {}).o,
  vague: MC.evaluate({f: "n", op: "gte", v: 2}, {n: {low: 1, high: 2}}),
  percents: [1, 3, 5, 7].map((met) => MC.assess({fields: []}, {criteria: Array.from({length: 8},
    (_, i) => ({id: "d" + i, level: "desirable", kind: "fact", weight: 1, hub: [],
      fields: {rule: [], used: [], sources: []},
      rule: {f: "d" + i, op: "equals", v: i < met}})), derived: [], window: {}},
    {answers: Object.fromEntries(Array.from({length: 8}, (_, i) => ["d" + i, true])), notes: []},
    [2026, 1, 1]).desirable.percent),
}));
"""


def test_the_evaluators_pieces_read_and_decide_as_the_engine_does(tmp_path: Path) -> None:
    module = tmp_path / "evaluator.js"
    module.write_text(asset("evaluator.js"), encoding="utf-8")
    done = subprocess.run(
        [node(), "-e", UNITS, str(module)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found["academic"] == {"e": [2011, 9, 1], "l": [2012, 8, 31]}  # as the engine reads it
    assert found["month"] == {"e": [2019, 7, 1], "l": [2019, 7, 31]}
    assert found["leap"] == {"e": [2024, 2, 29], "l": [2024, 2, 29]}
    assert found["impossible"] is None
    assert found["over"] == "expected a whole number of at most 60"
    assert (found["yes"], found["blank"]) == (True, None)
    assert (found["unless"], found["not"]) == ("met", "unknown")  # silence does not fail unless
    assert found["vague"] == {"o": "unknown", "unk": ["n"], "imp": ["n"]}
    assert found["percents"] == [round(100 * met / 8) for met in (1, 3, 5, 7)]  # halves to even
