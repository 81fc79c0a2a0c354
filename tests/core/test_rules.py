"""Pins the rule language: checking against the catalogue, file:line errors, evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from masterycheck.core.answers import YearsRange
from masterycheck.core.fields import FieldType
from masterycheck.core.kleene import Outcome
from masterycheck.core.model_base import StrictModel
from masterycheck.core.problems import Problem
from masterycheck.core.profile import read_profile
from masterycheck.core.rules import (
    OPERATORS,
    AllRule,
    Answers,
    Comparison,
    CompiledRule,
    Rule,
    RuleProblem,
    UnknownOperator,
    compile_rule,
    operator,
)
from masterycheck.errors import InputError
from masterycheck.files.criteria import criteria_dir, load_catalogue, load_programme

CATALOGUE = load_catalogue()
PRIMARY_TEXT = (criteria_dir() / "primary.yaml").read_text(encoding="utf-8")
QTS_RULE = "rule: {field: qualified_status, equals: qts}"

MET = Outcome.MET
NOT = Outcome.NOT_MET
UNK = Outcome.UNKNOWN


class _Holder(StrictModel):
    rule: Rule


def rule_of(data: dict[str, Any]) -> Rule:
    """A rule read as a programme file would be."""
    return _Holder.model_validate({"rule": data}).rule


def compiled(data: dict[str, Any]) -> CompiledRule:
    return compile_rule(rule_of(data), CATALOGUE)


def outcome(data: dict[str, Any], answers: Answers) -> Outcome:
    return compiled(data).evaluate(answers).outcome


def rule_problem(data: dict[str, Any], loc: tuple[str | int, ...] = ()) -> RuleProblem:
    with pytest.raises(RuleProblem) as caught:
        compile_rule(rule_of(data), CATALOGUE, loc)
    return caught.value


# --- checking against the catalogue --------------------------------------------------------


def test_unknown_field_is_a_rule_problem_at_the_field_key() -> None:
    found = rule_problem({"field": "qualified_statuss", "equals": "qts"}, ("criteria", 0, "rule"))
    assert str(found) == "unknown field 'qualified_statuss'"
    assert found.loc == ("criteria", 0, "rule", "field")


def test_gte_on_a_yes_no_field_is_a_rule_problem_at_the_operator() -> None:
    found = rule_problem({"field": "in_england", "gte": 1})
    assert found.loc == ("gte",)
    assert "operator 'gte' does not fit field 'in_england' of type yes_no" in str(found)
    assert "whole_number" in str(found)


def test_contains_on_a_one_of_field_is_a_rule_problem_at_the_operator() -> None:
    found = rule_problem({"field": "school_type", "contains": "primary"})
    assert found.loc == ("contains",)
    assert "does not fit field 'school_type' of type one_of" in str(found)
    assert "many_of" in str(found)


def test_unknown_choice_in_in_names_its_index_and_the_choices() -> None:
    found = rule_problem({"field": "school_type", "in": ["primary", "primry"]})
    assert found.loc == ("in", 1)
    assert "unknown choice 'primry' for field 'school_type'" in str(found)
    assert "infant, junior, primary" in str(found)


def test_equals_on_a_one_of_field_needs_the_choice_id_not_a_label() -> None:
    found = rule_problem({"field": "qualified_status", "equals": "QTS"})
    assert found.loc == ("equals",)
    assert "unknown choice 'QTS'" in str(found)


def test_equals_value_must_fit_a_yes_no_field() -> None:
    found = rule_problem({"field": "in_england", "equals": "maybe"})
    assert found.loc == ("equals",)
    assert "value does not fit field 'in_england'" in str(found)


def test_equals_cannot_compare_with_an_unknown_value() -> None:
    found = rule_problem({"field": "in_england", "equals": "don't know"})
    assert "cannot compare field 'in_england' with an unknown value" in str(found)


def test_problem_inside_all_any_not_has_the_full_path() -> None:
    data = {
        "all": [
            {"field": "in_england", "equals": "yes"},
            {"any": [{"not": {"field": "key_stages_taught", "contains": "ks9"}}]},
        ]
    }
    found = rule_problem(data, ("criteria", 3, "rule"))
    assert found.loc == ("criteria", 3, "rule", "all", 1, "any", 0, "not", "contains")


def test_rule_with_two_operators_is_refused_when_read() -> None:
    with pytest.raises(ValueError, match="exactly one operator") as caught:
        rule_of({"field": "years_teaching_maths", "gte": 2, "lte": 5})
    assert "got gte, lte" in str(caught.value)


def test_rule_with_no_rule_key_is_refused_when_read() -> None:
    with pytest.raises(
        ValueError, match="a rule needs one of the keys all, any, not, unless or field"
    ):
        rule_of({"feild": "in_england", "equals": "yes"})


def test_compiled_rule_lists_fields_once_in_order_and_reads_in_words() -> None:
    rule = compiled(
        {
            "all": [
                {"field": "school_type", "in": ["middle", "secondary"]},
                {"field": "state_funded", "equals": "yes"},
                {
                    "any": [
                        {"field": "school_type", "equals": "middle"},
                        {"field": "in_england", "equals": "yes"},
                    ]
                },
            ]
        }
    )
    assert rule.fields == ("school_type", "state_funded", "in_england")
    assert rule.words == (
        "(School or college is Middle school or Secondary school) and State-funded is yes "
        "and (School or college is Middle school or In England is yes)"
    )


# --- through load_programme: file:line:column ----------------------------------------------


def line_and_column_of(text: str, needle: str, inside: str) -> tuple[int, int]:
    """1-based line of the first line containing ``inside``, and column of ``needle`` on it."""
    for number, line in enumerate(text.splitlines(), 1):
        if inside in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{inside!r} not in text")


def broken_primary(tmp_path: Path, old: str, new: str) -> Path:
    assert old in PRIMARY_TEXT
    path = tmp_path / "primary.yaml"
    path.write_text(PRIMARY_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_programme(path, CATALOGUE)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_load_programme_reports_an_unknown_field_at_its_line_and_column(tmp_path: Path) -> None:
    new = "rule: {field: qualified_statuss, equals: qts}"
    path = broken_primary(tmp_path, QTS_RULE, new)
    line, column = line_and_column_of(path.read_text(encoding="utf-8"), "field", new)
    assert line > 1
    message = load_error(path)
    assert message.startswith(f"{path}:{line}:{column}: unknown field 'qualified_statuss'")


def test_load_programme_reports_an_operator_misfit_inside_all(tmp_path: Path) -> None:
    old = '        - {field: teaches_same_class_maths, equals: "yes"}'
    new = "        - {field: teaches_same_class_maths, gte: 1}"
    path = broken_primary(tmp_path, old, new)
    line, column = line_and_column_of(path.read_text(encoding="utf-8"), "gte", new)
    message = load_error(path)
    assert message.startswith(
        f"{path}:{line}:{column}: operator 'gte' does not fit field 'teaches_same_class_maths'"
    )


def test_load_programme_reports_two_operators_on_the_rule_line(tmp_path: Path) -> None:
    new = "rule:\n      field: qualified_status\n      equals: qts\n      in: [qts]"
    path = broken_primary(tmp_path, QTS_RULE, new)
    line, _ = line_and_column_of(
        path.read_text(encoding="utf-8"), "field", "field: qualified_status"
    )
    message = load_error(path)
    assert message.startswith(f"{path}:{line}:")
    assert "exactly one operator" in message
    assert "got equals, in" in message


def test_load_programme_reports_a_rule_without_a_rule_key_on_its_line(tmp_path: Path) -> None:
    new = "rule:\n      feild: qualified_status\n      equals: qts"
    path = broken_primary(tmp_path, QTS_RULE, new)
    line, _ = line_and_column_of(path.read_text(encoding="utf-8"), "feild", "feild:")
    message = load_error(path)
    assert message.startswith(f"{path}:{line}:")
    assert "a rule needs one of the keys all, any, not, unless or field" in message


def test_load_programme_reports_a_bad_operand_at_the_operator_line(tmp_path: Path) -> None:
    # The operand's type is wrong; the error must point at "gte: four", not at "field:".
    old = "rule: {field: years_teaching_primary_maths, gte: 4}"
    new = "rule:\n      field: years_teaching_primary_maths\n      gte: four"
    path = broken_primary(tmp_path, old, new)
    line, column = line_and_column_of(path.read_text(encoding="utf-8"), "four", "gte: four")
    message = load_error(path)
    assert message.startswith(f"{path}:{line}:{column}: ")
    assert "rule.gte" in message


def test_load_programme_reports_a_bad_example_answer_at_its_line(tmp_path: Path) -> None:
    old = '      qts_date: "2016"'
    path = broken_primary(tmp_path, old, '      qts_date: "2016-13"')
    line, column = line_and_column_of(path.read_text(encoding="utf-8"), "qts_date", "2016-13")
    message = load_error(path)
    assert message.startswith(f"{path}:{line}:{column}: example ")
    assert "qts_date: expected a year" in message


# --- evaluation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"in_england": True}, MET), ({"in_england": False}, NOT), ({}, UNK)],
)
def test_equals_yes_no(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "in_england", "equals": "yes"}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"qualified_status": "qts"}, MET), ({"qualified_status": "qtls"}, NOT), ({}, UNK)],
)
def test_equals_one_of(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "qualified_status", "equals": "qts"}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"years_teaching_maths": 3}, MET), ({"years_teaching_maths": 4}, NOT), ({}, UNK)],
)
def test_equals_whole_number(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "years_teaching_maths", "equals": 3}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"school_type": "middle"}, MET),
        ({"school_type": "secondary"}, MET),
        ({"school_type": "primary"}, NOT),
        ({}, UNK),
    ],
)
def test_in(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "school_type", "in": ["middle", "secondary"]}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"years_teaching_maths": 2}, MET),
        ({"years_teaching_maths": 9}, MET),
        ({"years_teaching_maths": 1}, NOT),
        ({}, UNK),
    ],
)
def test_gte(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "years_teaching_maths", "gte": 2}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"years_teaching_maths": 5}, MET),
        ({"years_teaching_maths": 0}, MET),
        ({"years_teaching_maths": 6}, NOT),
        ({}, UNK),
    ],
)
def test_lte(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "years_teaching_maths", "lte": 5}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"key_stages_taught": frozenset({"ks3", "ks4"})}, MET),
        ({"key_stages_taught": frozenset({"ks2"})}, NOT),
        ({"key_stages_taught": frozenset()}, NOT),
        ({}, UNK),
    ],
)
def test_contains(answers: Answers, expected: Outcome) -> None:
    assert outcome({"field": "key_stages_taught", "contains": "ks3"}, answers) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"key_stages_taught": frozenset({"ks4"})}, MET),
        ({"key_stages_taught": frozenset({"ks2", "ks3"})}, MET),
        ({"key_stages_taught": frozenset({"ks1", "ks2"})}, NOT),
        ({}, UNK),
    ],
)
def test_contains_any(answers: Answers, expected: Outcome) -> None:
    rule = {"field": "key_stages_taught", "contains_any": ["ks3", "ks4"]}
    assert outcome(rule, answers) is expected


def test_unknown_answer_reason_quotes_the_question() -> None:
    finding = compiled({"field": "in_england", "equals": "yes"}).evaluate({})
    assert finding.reasons == ("no answer to “Is your school or college in England?”",)


def test_not_met_reason_says_what_is_needed() -> None:
    finding = compiled({"field": "years_teaching_maths", "gte": 2}).evaluate(
        {"years_teaching_maths": 1}
    )
    assert finding.reasons == ("Years teaching maths: 1 (needs at least 2)",)


YES = {"field": "in_england", "equals": "yes"}  # met by in_england True
FUNDED = {"field": "state_funded", "equals": "yes"}


def answers_for(england: Outcome, funded: Outcome) -> dict[str, bool]:
    answers: dict[str, bool] = {}
    for name, wanted in (("in_england", england), ("state_funded", funded)):
        if wanted is not UNK:
            answers[name] = wanted is MET
    return answers


# (first part, second part, all, any)
COMBINATIONS = [
    (MET, MET, MET, MET),
    (MET, NOT, NOT, MET),
    (MET, UNK, UNK, MET),
    (NOT, MET, NOT, MET),
    (NOT, NOT, NOT, NOT),
    (NOT, UNK, NOT, UNK),
    (UNK, MET, UNK, MET),
    (UNK, NOT, NOT, UNK),
    (UNK, UNK, UNK, UNK),
]


@pytest.mark.parametrize(("first", "second", "all_", "any_"), COMBINATIONS)
def test_all_and_any_with_unknown_parts_follow_kleene(
    first: Outcome, second: Outcome, all_: Outcome, any_: Outcome
) -> None:
    answers = answers_for(first, second)
    assert outcome({"all": [YES, FUNDED]}, answers) is all_
    assert outcome({"any": [YES, FUNDED]}, answers) is any_


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"in_england": True}, NOT), ({"in_england": False}, MET), ({}, UNK)],
)
def test_not_swaps_met_and_not_met_and_keeps_unknown(answers: Answers, expected: Outcome) -> None:
    assert outcome({"not": YES}, answers) is expected


def test_all_reasons_come_from_the_parts_that_decided_it() -> None:
    finding = compiled({"all": [YES, FUNDED]}).evaluate({"in_england": True, "state_funded": False})
    assert finding.outcome is NOT
    assert finding.reasons == ("State-funded: no (needs yes)",)


def test_not_unknown_keeps_the_reason_for_the_unknown() -> None:
    finding = compiled({"not": YES}).evaluate({})
    assert finding.outcome is UNK
    assert "no answer to" in finding.reasons[0]


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (YearsRange(1, 2), UNK),  # straddles 2
        (YearsRange(2, 3), MET),
        (YearsRange(2, 2), MET),
        (YearsRange(0, 1), NOT),
    ],
)
def test_gte_on_a_years_range(years: YearsRange, expected: Outcome) -> None:
    assert outcome({"field": "years_since_qts", "gte": 2}, {"years_since_qts": years}) is expected


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (YearsRange(1, 2), UNK),  # straddles 1
        (YearsRange(0, 1), MET),
        (YearsRange(2, 3), NOT),
    ],
)
def test_lte_on_a_years_range(years: YearsRange, expected: Outcome) -> None:
    assert outcome({"field": "years_since_qts", "lte": 1}, {"years_since_qts": years}) is expected


def test_straddling_years_range_asks_for_a_more_exact_date() -> None:
    finding = compiled({"field": "years_since_qts", "gte": 2}).evaluate(
        {"years_since_qts": YearsRange(1, 2)}
    )
    assert finding.outcome is UNK
    assert finding.reasons == (
        "Years since QTS: 1–2, which cannot settle “Years since QTS is at least 2”: "
        "give a more exact date",
    )


def test_qts_two_years_rule_with_qtls_is_not_met_whatever_the_date() -> None:
    rule = {
        "all": [
            {"field": "qualified_status", "equals": "qts"},
            {"field": "years_since_qts", "gte": 2},
        ]
    }
    answers: Answers = {"qualified_status": "qtls", "years_since_qts": YearsRange(1, 2)}
    assert outcome(rule, answers) is NOT


def test_rule_models_are_the_typed_shapes() -> None:
    assert isinstance(rule_of({"all": [YES]}), AllRule)
    comparison = rule_of({"field": "school_type", "in": ["primary"]})
    assert isinstance(comparison, Comparison)
    assert comparison.operator == "in"
    assert comparison.operand == ["primary"]


# --- the operator registry ---------------------------------------------------------------


def _example_answers(raw: dict[str, object]) -> Answers:
    """Answers read as a profile file gives them."""
    return read_profile(CATALOGUE, raw).answers


@pytest.mark.parametrize("name", list(OPERATORS))
def test_every_operator_meets_its_passing_example_and_not_its_failing_one(name: str) -> None:
    spec = OPERATORS[name]
    assert set(spec.example) == {"field", name}, "the example must use the operator it documents"
    rule = compiled(dict(spec.example))
    assert rule.evaluate(_example_answers(dict(spec.passing))).outcome is MET
    assert rule.evaluate(_example_answers(dict(spec.failing))).outcome is NOT


@pytest.mark.parametrize("name", list(OPERATORS))
def test_every_operator_example_is_on_a_field_of_a_type_it_applies_to(name: str) -> None:
    field = CATALOGUE.get(str(OPERATORS[name].example["field"]))
    assert field is not None
    assert field.type in OPERATORS[name].types


FIELD_OF_TYPE = {field.type: field for field in reversed(CATALOGUE.fields)}  # the first of each


@pytest.mark.parametrize(
    ("name", "field_type"),
    [(n, t) for n, spec in OPERATORS.items() for t in FIELD_OF_TYPE if t not in spec.types],
)
def test_every_operator_refuses_every_field_type_it_does_not_apply_to(
    name: str, field_type: FieldType
) -> None:
    field = FIELD_OF_TYPE[field_type]
    found = rule_problem({"field": field.id, name: OPERATORS[name].example[name]}, ("rule",))
    allowed = ", ".join(t.value for t in OPERATORS[name].types)
    assert str(found) == (
        f"operator {name!r} does not fit field {field.id!r} of type {field_type.value} "
        f"(it applies to {allowed})"
    )
    assert found.loc == ("rule", name)


def test_the_registry_names_exactly_the_comparison_keys_in_message_order() -> None:
    keys = [info.alias or key for key, info in Comparison.model_fields.items() if key != "field"]
    assert list(OPERATORS) == keys == ["equals", "in", "gte", "lte", "contains", "contains_any"]


def test_an_unknown_operator_name_fails_loudly() -> None:
    assert operator("gte") is OPERATORS["gte"]
    with pytest.raises(UnknownOperator, match=r"unknown operator 'gtx' \(known: equals, in, "):
        operator("gtx")


def test_an_unknown_operator_key_in_a_file_is_refused_as_an_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "primary.yaml"
    path.write_text(PRIMARY_TEXT.replace(QTS_RULE, "rule: {field: qualified_status, gtx: 1}"))
    with pytest.raises(InputError, match=r":\d+:\d+: unknown key 'gtx'$"):
        load_programme(path, CATALOGUE)


# --- problems ----------------------------------------------------------------------------


def test_rule_problems_are_problems_with_a_location() -> None:
    found = rule_problem({"field": "nope", "equals": 1}, ("criteria", 2, "rule"))
    assert isinstance(found, Problem)
    assert isinstance(found, ValueError)
    assert found.loc == ("criteria", 2, "rule", "field")


# --- unless: a question the published criterion does not ask (issue 10, item 1) ------------

UNLESS_WALES = {"unless": {"field": "in_england", "equals": "no"}}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [({"in_england": False}, NOT), ({"in_england": True}, MET), ({}, MET)],
)
def test_unless_fails_only_on_an_answer_that_meets_its_part(
    answers: Answers, expected: Outcome
) -> None:
    assert outcome(UNLESS_WALES, answers) is expected


def test_unless_says_how_silence_was_read_and_why_an_answer_rules_it_out() -> None:
    rule = compiled(UNLESS_WALES)
    assert rule.evaluate({}).reasons == ("In England: no answer, which does not rule it out",)
    assert rule.evaluate({"in_england": False}).reasons == ("In England: no (rules it out)",)


def test_unless_fields_are_optional_and_a_field_read_elsewhere_stays_required() -> None:
    rule = compiled({"all": [{"field": "school_type", "in": ["primary"]}, UNLESS_WALES]})
    assert rule.fields == ("school_type", "in_england")
    assert (rule.required, rule.optional) == (("school_type",), ("in_england",))
    both = compiled({"all": [{"field": "in_england", "equals": "yes"}, UNLESS_WALES]})
    assert (both.required, both.optional) == (("in_england",), ())
    assert compiled({"not": UNLESS_WALES}).optional == ("in_england",)


def test_unless_inside_all_keeps_the_other_parts_kleene() -> None:
    rule = {"all": [{"field": "teaches_same_class_maths", "equals": "yes"}, UNLESS_WALES]}
    assert outcome(rule, {}) is UNK  # the asked question still waits for an answer
    assert outcome(rule, {"teaches_same_class_maths": True}) is MET
    assert outcome(rule, {"teaches_same_class_maths": True, "in_england": False}) is NOT


def test_a_problem_inside_unless_has_the_full_path() -> None:
    problem = rule_problem({"unless": {"field": "in_england", "gte": 1}}, ("rule",))
    assert problem.loc == ("rule", "unless", "gte")
