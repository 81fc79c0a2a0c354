"""Pins reading profile files (YAML and JSON): one-line errors at file:line, lenient mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from masterycheck.core.answers import DateRange
from masterycheck.core.profile import Profile
from masterycheck.errors import InputError
from masterycheck.files.criteria import load_catalogue, load_profile

CATALOGUE = load_catalogue()
LONG_VALUE = "confidential-" + "z" * 187
assert len(LONG_VALUE) == 200


def write(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path, *, lenient: bool = False) -> str:
    with pytest.raises(InputError) as caught:
        load_profile(path, CATALOGUE, lenient=lenient)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- reading -------------------------------------------------------------------------------


def test_yaml_profile_is_read_by_field_type(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "qualified_status: QTS\n"
        "qts_date: 2018-07\n"
        "in_england: yes\n"
        "key_stages_taught: [KS3, KS4]\n"
        "years_teaching_maths: 7 years\n"
        "state_funded: don't know\n",
    )
    profile = load_profile(path, CATALOGUE)
    assert profile.answers == {
        "qualified_status": "qts",
        "qts_date": DateRange(dt.date(2018, 7, 1), dt.date(2018, 7, 31)),
        "in_england": True,
        "key_stages_taught": frozenset({"ks3", "ks4"}),
        "years_teaching_maths": 7,
    }
    assert profile.notes == ()


def test_json_profile_is_read_by_field_type(tmp_path: Path) -> None:
    text = (
        '{\n  "qualified_status": "qts",\n  "in_england": false,\n  "years_teaching_maths": 3\n}\n'
    )
    profile = load_profile(write(tmp_path, text, "profile.json"), CATALOGUE)
    assert profile.answers == {
        "qualified_status": "qts",
        "in_england": False,
        "years_teaching_maths": 3,
    }


def test_answers_wrapper_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "answers:\n  in_england: no\n  school_type: Secondary academy\n")
    assert load_profile(path, CATALOGUE).answers == {
        "in_england": False,
        "school_type": "secondary",
    }


@pytest.mark.parametrize("text", ["", "# nothing answered yet\n", "---\n"])
def test_empty_file_is_an_empty_profile(tmp_path: Path, text: str) -> None:
    assert load_profile(write(tmp_path, text), CATALOGUE) == Profile()


def test_unknown_answers_are_left_out_not_stored_as_no(tmp_path: Path) -> None:
    path = write(tmp_path, "in_england: \nstate_funded: not sure\nschool_type: ~\n")
    assert load_profile(path, CATALOGUE).answers == {}


def test_profile_round_trips_through_to_plain(tmp_path: Path) -> None:
    path = write(tmp_path, "qts_date: 2019\nkey_stages_taught: KS4; KS3\nin_england: no\n")
    profile = load_profile(path, CATALOGUE)
    lines = [f"{key}: {value!r}" for key, value in profile.to_plain().items()]
    again = load_profile(write(tmp_path, "\n".join(lines) + "\n", "again.yaml"), CATALOGUE)
    assert again.answers == profile.answers


# --- refusals ------------------------------------------------------------------------------


def test_unknown_field_names_file_line_and_suggests_the_close_id(tmp_path: Path) -> None:
    path = write(tmp_path, "in_england: yes\nqualified_statu: qts\n")
    message = refusal(path)
    assert message.startswith(f"{path}:2:")
    assert "unknown field 'qualified_statu'" in message
    assert "did you mean 'qualified_status'?" in message


def test_unknown_field_in_json_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "in_england": "yes",\n  "schol_type": "primary"\n}\n', "p.json")
    message = refusal(path)
    assert message.startswith(f"{path}:3:")
    assert "did you mean 'school_type'?" in message


def test_unknown_field_far_from_every_id_has_no_suggestion(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "favourite_colour: blue\n"))
    assert "unknown field 'favourite_colour'" in message
    assert "did you mean" not in message


def test_unknown_field_is_refused_even_when_lenient(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "qualified_statu: qts\n"), lenient=True)
    assert "did you mean 'qualified_status'?" in message


def test_wrong_type_is_one_line_with_file_line_column_and_accepted_values(tmp_path: Path) -> None:
    path = write(tmp_path, "qualified_status: qts\nin_england: maybe\n")
    message = refusal(path)
    assert message.startswith(f"{path}:2:13: in_england: expected yes or no")
    assert "don't know" in message
    assert "masterycheck fields" in message


def test_wrong_type_in_json_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, '{\n  "in_england": "yes",\n  "years_teaching_maths": "lots"\n}\n', "p.json"
    )
    message = refusal(path)
    assert message.startswith(f"{path}:3:")
    assert "expected a whole number" in message


def test_wrong_type_under_the_answers_wrapper_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "answers:\n  in_england: yes\n  state_funded: maybe\n")
    assert refusal(path).startswith(f"{path}:3:17: state_funded: expected yes or no")


@pytest.mark.parametrize(
    "field_id",
    ["in_england", "years_teaching_maths", "qts_date", "school_type", "key_stages_taught"],
)
def test_a_long_wrong_value_is_never_echoed(tmp_path: Path, field_id: str) -> None:
    message = refusal(write(tmp_path, f"{field_id}: {LONG_VALUE}\n"))
    assert message.startswith(f"{tmp_path / 'profile.yaml'}:1:")
    assert LONG_VALUE not in message
    assert "confidential" not in message


def test_lenient_turns_a_wrong_type_into_unknown_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, f"in_england: maybe\nstate_funded: {LONG_VALUE}\nschool_type: primary\n")
    profile = load_profile(path, CATALOGUE, lenient=True)
    assert profile.answers == {"school_type": "primary"}
    assert len(profile.notes) == 2
    assert profile.notes[0].startswith("in_england: unreadable answer treated as unknown")
    assert "expected yes or no" in profile.notes[0]
    assert profile.notes[1].startswith("state_funded: unreadable answer treated as unknown")
    assert all(LONG_VALUE not in note for note in profile.notes)


def test_derived_field_cannot_be_answered(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "years_since_qts: 3\n"))
    assert "'years_since_qts' is computed from 'qts_date'; answer that instead" in message


def test_duplicate_key_is_refused_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "in_england: yes\nstate_funded: yes\nin_england: no\n")
    message = refusal(path)
    assert message.startswith(f"{path}:3:")
    assert "duplicate key 'in_england' (first at line 1)" in message


def test_duplicate_key_in_json_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '{"in_england": "yes", "in_england": "no"}\n', "p.json")
    assert "duplicate key 'in_england'" in refusal(path)


@pytest.mark.parametrize(
    "text",
    [
        "in_england: &a yes\nstate_funded: *a\n",
        "base: &b {in_england: yes}\nanswers: *b\n",
        "answers:\n  <<: &c {in_england: yes}\n",
    ],
)
def test_anchors_and_aliases_are_refused(tmp_path: Path, text: str) -> None:
    assert "anchors and aliases are not allowed" in refusal(write(tmp_path, text))


def test_tags_are_refused(tmp_path: Path) -> None:
    assert "tags are not allowed" in refusal(write(tmp_path, "in_england: !!bool yes\n"))


@pytest.mark.parametrize("text", ["- in_england\n- yes\n", "just some text\n"])
def test_a_profile_that_is_not_a_mapping_is_refused_at_line_one(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert refusal(path) == f"{path}:1:1: a profile must be a mapping of field ids to answers"


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    message = refusal(tmp_path / "absent.yaml")
    assert message.startswith(f"{tmp_path / 'absent.yaml'}: cannot read file")
