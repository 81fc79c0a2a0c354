"""Pins how raw answers are read as typed values, per field type, and YAML 1.1 surprises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from masterycheck.core.answers import (
    DateRange,
    ValueProblem,
    YearsRange,
    display,
    is_unknown,
    parse_value,
    to_plain,
    years_between,
)
from masterycheck.core.fields import Catalogue, Choice, Field, FieldType
from masterycheck.files.criteria import load_catalogue, load_profile

CATALOGUE = load_catalogue()


def field(field_id: str) -> Field:
    found = CATALOGUE.get(field_id)
    assert found is not None, field_id
    return found


def problem(field_id: str, raw: object) -> str:
    with pytest.raises(ValueProblem) as caught:
        parse_value(field(field_id), raw)
    return str(caught.value)


def day(text: str) -> DateRange:
    d = dt.date.fromisoformat(text)
    return DateRange(d, d)


# --- unknown answers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "don't know", "Don’t know", "DONT KNOW", "not sure", "?", "n/a", "skip"],
)
@pytest.mark.parametrize(
    "field_id",
    ["in_england", "years_teaching_maths", "qts_date", "school_type", "key_stages_taught"],
)
def test_dont_know_blank_and_none_are_unknown_for_every_type(field_id: str, raw: object) -> None:
    assert is_unknown(raw)
    assert parse_value(field(field_id), raw) is None


def test_unknown_is_never_read_as_no() -> None:
    assert parse_value(field("in_england"), "don't know") is None
    assert parse_value(field("in_england"), "no") is False


# --- yes / no ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["yes", "Yes", "YES", "y", "Y", "true", "True", "t", "1", " yes ", True]
)
def test_yes_spellings_read_as_true(raw: object) -> None:
    assert parse_value(field("in_england"), raw) is True


@pytest.mark.parametrize(
    "raw", ["no", "No", "NO", "n", "N", "false", "FALSE", "f", "0", " no.", False]
)
def test_no_spellings_read_as_false(raw: object) -> None:
    assert parse_value(field("in_england"), raw) is False


@pytest.mark.parametrize("raw", ["maybe", "five", "yess", 2, 1.0, ["yes"]])
def test_yes_no_rejects_other_answers_naming_yes_and_no(raw: object) -> None:
    message = problem("in_england", raw)
    assert "yes or no" in message
    assert "don't know" in message


# --- whole numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("5", 5), ("5 years", 5), ("1 year", 1), ("12 yrs", 12), (" 7 ", 7), (5, 5), ("0", 0)],
)
def test_whole_numbers_from_text_and_int(raw: object, expected: int) -> None:
    value = parse_value(field("years_teaching_maths"), raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["maybe", "-1", "5 months", "lots", "five-ish", True, [5]])
def test_whole_number_rejects_non_numbers_with_an_example(raw: object) -> None:
    assert "expected a whole number, e.g. 4" in problem("years_teaching_maths", raw)


def test_whole_number_bounds_come_from_the_catalogue() -> None:
    assert parse_value(field("years_teaching_maths"), 60) == 60
    assert "at most 60" in problem("years_teaching_maths", 61)
    assert "at most 60" in problem("years_teaching_maths", "61")
    assert "at least 0" in problem("years_teaching_maths", -1)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019", DateRange(dt.date(2019, 1, 1), dt.date(2019, 12, 31))),
        (2019, DateRange(dt.date(2019, 1, 1), dt.date(2019, 12, 31))),
        ("2019-07", DateRange(dt.date(2019, 7, 1), dt.date(2019, 7, 31))),
        ("07/2019", DateRange(dt.date(2019, 7, 1), dt.date(2019, 7, 31))),
        ("7/2019", DateRange(dt.date(2019, 7, 1), dt.date(2019, 7, 31))),
        ("2020-02", DateRange(dt.date(2020, 2, 1), dt.date(2020, 2, 29))),
        ("2019-07-15", day("2019-07-15")),
        ("15/07/2019", day("2019-07-15")),
        (dt.date(2019, 7, 15), day("2019-07-15")),
        (dt.datetime(2019, 7, 15, 9, 30), day("2019-07-15")),
    ],
)
def test_dates_are_kept_as_the_range_of_days_they_may_mean(
    raw: object, expected: DateRange
) -> None:
    assert parse_value(field("qts_date"), raw) == expected


@pytest.mark.parametrize("raw", ["2019-13", "13/2019", "2019-02-30", "31/02/2019", "July", "19"])
def test_impossible_or_unreadable_dates_are_rejected_with_the_accepted_forms(raw: str) -> None:
    message = problem("qts_date", raw)
    assert "2019" in message
    assert "2019-07" in message
    assert "2019-07-15" in message


def test_date_range_prints_as_it_was_written() -> None:
    assert str(parse_value(field("qts_date"), "2019")) == "2019"
    assert str(parse_value(field("qts_date"), "07/2019")) == "2019-07"
    assert str(parse_value(field("qts_date"), "15/07/2019")) == "2019-07-15"


# --- one of --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("qts", "qts"),
        ("QTS", "qts"),
        ("Qualified Teacher Status (QTS)", "qts"),
        ("qualified teacher status qts", "qts"),
        ("YES, I HOLD QTS!!", "qts"),
        ("qtls", "qtls"),
        ("QTLS (Qualified Teacher Learning and Skills)", "qtls"),
        ("Working towards QTS", "none"),
        ("No", "none"),
    ],
)
def test_one_of_by_id_label_or_spelling_ignoring_case_and_punctuation(
    raw: str, expected: str
) -> None:
    assert parse_value(field("qualified_status"), raw) == expected


@pytest.mark.parametrize("raw", ["all_through", "All-through", "ALL THROUGH", "all-through school"])
def test_one_of_underscores_and_hyphens_are_punctuation(raw: str) -> None:
    assert parse_value(field("school_type"), raw) == "all_through"


def test_one_of_rejects_an_unknown_choice_listing_the_choice_ids() -> None:
    message = problem("qualified_status", "maybe")
    assert message == "expected one of: qts, qtls, none"


# --- many of -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        ["ks3", "ks4"],
        ["KS3", "Key Stage 4"],
        "KS3; KS4",
        "ks3,ks4",
        "Key Stage 3; GCSE",
        ("ks4", "ks3"),
    ],
)
def test_many_of_from_a_list_or_from_separated_text(raw: object) -> None:
    assert parse_value(field("key_stages_taught"), raw) == frozenset({"ks3", "ks4"})


def test_many_of_single_choice_and_empty_list() -> None:
    assert parse_value(field("key_stages_taught"), "KS5") == frozenset({"ks5"})
    assert parse_value(field("key_stages_taught"), []) == frozenset()


@pytest.mark.parametrize("raw", ["KS3; KS9", ["ks3", "maybe"], 5, ["ks3", None]])
def test_many_of_rejects_any_unknown_part_listing_the_choices(raw: object) -> None:
    message = problem("key_stages_taught", raw)
    assert message == "expected any of: eyfs, ks1, ks2, ks3, ks4, ks5"


# --- text ----------------------------------------------------------------------------------


def test_text_is_stripped_and_must_be_text() -> None:
    note = Field(id="note", label="Note", type=FieldType.TEXT, question="Anything else?")
    assert parse_value(note, "  hello  ") == "hello"
    with pytest.raises(ValueProblem, match="expected text"):
        parse_value(note, 5)


# --- years between -------------------------------------------------------------------------


def test_qts_year_to_september_2025_is_one_to_two_years() -> None:
    since = parse_value(field("qts_date"), "2023")
    assert isinstance(since, DateRange)
    years = years_between(since, dt.date(2025, 9, 1))
    assert years == YearsRange(1, 2)
    assert str(years) == "1–2"


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("2023-09-01", YearsRange(2, 2)),
        ("2023-09-02", YearsRange(1, 1)),
        ("2023-08", YearsRange(2, 2)),
        ("2023-09", YearsRange(1, 2)),
        ("2018", YearsRange(6, 7)),
        ("2025-09-01", YearsRange(0, 0)),
    ],
)
def test_years_between_counts_whole_years_to_the_reference(
    since: str, expected: YearsRange
) -> None:
    value = parse_value(field("qts_date"), since)
    assert isinstance(value, DateRange)
    assert years_between(value, dt.date(2025, 9, 1)) == expected


def test_years_between_on_a_leap_day_counts_from_the_first_of_march() -> None:
    assert years_between(day("2020-02-29"), dt.date(2022, 2, 28)) == YearsRange(1, 1)
    assert years_between(day("2020-02-29"), dt.date(2022, 3, 1)) == YearsRange(2, 2)


def test_years_range_prints_one_number_when_exact() -> None:
    assert str(YearsRange(3, 3)) == "3"


# --- display and round trip ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_id", "raw"),
    [
        ("in_england", "no"),
        ("years_teaching_maths", "12"),
        ("qts_date", "2019"),
        ("qts_date", "2019-07"),
        ("qts_date", "2019-07-15"),
        ("school_type", "Primary academy"),
        ("key_stages_taught", "KS4; KS3"),
    ],
)
def test_to_plain_reads_back_to_the_same_value(field_id: str, raw: object) -> None:
    value = parse_value(field(field_id), raw)
    assert value is not None
    assert parse_value(field(field_id), to_plain(value)) == value


def test_display_uses_labels_and_catalogue_order() -> None:
    stages = parse_value(field("key_stages_taught"), "KS4; KS3")
    assert display(field("key_stages_taught"), stages) == (
        "Key Stage 3 (Years 7-9); Key Stage 4 (Years 10-11, GCSE)"
    )
    assert display(field("school_type"), "primary") == "Primary school"
    assert display(field("in_england"), False) == "no"
    assert display(field("in_england"), None) == "no answer"


# --- YAML 1.1 surprises: profiles are read by the field's type, not by YAML's guess ---------


def write(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("written", "expected"), [("NO", False), ("No", False), ("Yes", True)])
def test_yaml_yes_no_words_are_read_as_the_yes_no_answer(
    tmp_path: Path, written: str, expected: bool
) -> None:
    profile = load_profile(write(tmp_path, f"in_england: {written}\n"), CATALOGUE)
    assert profile.answers == {"in_england": expected}


def test_yaml_no_for_a_one_of_field_is_its_no_choice_not_false(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "qualified_status: NO\nmaths_role: None\n"), CATALOGUE)
    assert profile.answers == {"qualified_status": "none", "maths_role": "none"}


def test_yaml_leading_zero_number_is_decimal_never_octal(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "years_teaching_maths: 012\n"), CATALOGUE)
    assert profile.answers == {"years_teaching_maths": 12}


def test_yaml_date_looking_month_is_read_as_a_month_not_a_timestamp(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "qts_date: 2019-07\n"), CATALOGUE)
    assert profile.answers == {"qts_date": DateRange(dt.date(2019, 7, 1), dt.date(2019, 7, 31))}


def test_yaml_float_looking_one_of_value_stays_text(tmp_path: Path) -> None:
    version = Field(
        id="version",
        label="Version",
        type=FieldType.ONE_OF,
        question="Which version?",
        choices=[Choice(id="v3_1", label="3.1"), Choice(id="v3_10", label="3.10")],
    )
    catalogue = Catalogue(fields=[version])
    profile = load_profile(write(tmp_path, "version: 3.10\n"), catalogue)
    assert profile.answers == {"version": "v3_10"}


def test_json_profile_values_are_read_by_field_type(tmp_path: Path) -> None:
    text = '{"in_england": true, "years_teaching_maths": 7, "key_stages_taught": ["KS3"]}\n'
    profile = load_profile(write(tmp_path, text, "profile.json"), CATALOGUE)
    assert profile.answers == {
        "in_england": True,
        "years_teaching_maths": 7,
        "key_stages_taught": frozenset({"ks3"}),
    }
