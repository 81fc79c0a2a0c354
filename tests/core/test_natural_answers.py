"""Pins how answers typed the way teachers type them are read (issue 11, item 4): dates at the
precision given, counts in words or with bounds, "N/A"-like answers as unknown; a value whose
every reading decides a criterion the same way decides it; and an answer that cannot be read
stays unknown but is quoted, never passed off as no answer."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from masterycheck.core.answers import (
    DateRange,
    ValueProblem,
    YearsRange,
    is_unknown,
    parse_value,
    shown_answer,
    to_plain,
)
from masterycheck.core.engine import CompiledProgramme, assess
from masterycheck.core.fields import Field
from masterycheck.core.kleene import Outcome
from masterycheck.core.profile import Profile, read_profile
from masterycheck.core.results import Assessment, CriterionResult
from masterycheck.files.criteria import criteria_dir, load_catalogue, load_programme

CATALOGUE = load_catalogue()
PRIMARY = load_programme(criteria_dir() / "primary.yaml", CATALOGUE)
SECONDARY = load_programme(criteria_dir() / "secondary.yaml", CATALOGUE)
AS_OF = dt.date(2026, 1, 15)

SECONDARY_FACTS: dict[str, object] = {
    "qualified_status": "qts",
    "qts_date": "2015",
    "school_type": "secondary",
    "state_funded": "yes",
    "in_england": "yes",
    "key_stages_taught": ["ks3", "ks4"],
    "years_teaching_maths": "8",
}


def field(field_id: str) -> Field:
    found = CATALOGUE.get(field_id)
    assert found is not None, field_id
    return found


def months(first: tuple[int, int], last: tuple[int, int]) -> DateRange:
    end = calendar.monthrange(*last)[1]
    return DateRange(dt.date(*first, 1), dt.date(*last, end))


def day(text: str) -> DateRange:
    found = dt.date.fromisoformat(text)
    return DateRange(found, found)


def run(
    compiled: CompiledProgramme, raw: dict[str, object], *, lenient: bool = False
) -> Assessment:
    return assess(compiled, read_profile(CATALOGUE, raw, lenient=lenient), AS_OF)


def result(assessment: Assessment, criterion_id: str) -> CriterionResult:
    return next(r for r in assessment.criteria if r.id == criterion_id)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sept 2019", months((2019, 9), (2019, 9))),
        ("Sept. 2019", months((2019, 9), (2019, 9))),
        ("September 2019", months((2019, 9), (2019, 9))),
        ("sep 2019", months((2019, 9), (2019, 9))),
        ("July 2024", months((2024, 7), (2024, 7))),
        ("July, 2024", months((2024, 7), (2024, 7))),
        ("Jul-2024", months((2024, 7), (2024, 7))),
        ("March 2016", months((2016, 3), (2016, 3))),
        ("06/2015", months((2015, 6), (2015, 6))),
        ("6/2015", months((2015, 6), (2015, 6))),
        ("06-2015", months((2015, 6), (2015, 6))),
        ("2019", months((2019, 1), (2019, 12))),
        ("2019-07", months((2019, 7), (2019, 7))),
        ("01/09/2019", day("2019-09-01")),
        ("1.9.2019", day("2019-09-01")),
        ("1 Sept 2019", day("2019-09-01")),
        ("1st September 2019", day("2019-09-01")),
        ("15 July 2019", day("2019-07-15")),
        ("2019-07-15", day("2019-07-15")),
    ],
)
def test_months_days_and_years_in_natural_forms_read_at_the_precision_given(
    raw: str, expected: DateRange
) -> None:
    assert parse_value(field("qts_date"), raw) == expected


@pytest.mark.parametrize("raw", ["2016/17", "2016-17", "2016/2017", "2016 - 2017", "2016/17 "])
def test_an_academic_year_is_1_september_to_31_august(raw: str) -> None:
    assert parse_value(field("qts_date"), raw) == months((2016, 9), (2017, 8))


def test_a_hyphened_pair_that_could_be_a_month_or_an_academic_year_holds_both() -> None:
    # "2011-12" is December 2011 (ISO) or the academic year 2011/12: the wider range holds both.
    value = parse_value(field("qts_date"), "2011-12")
    assert value == months((2011, 9), (2012, 8))
    assert parse_value(field("qts_date"), "2019-07") == months((2019, 7), (2019, 7))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Summer 2022", months((2022, 4), (2022, 8))),
        ("summer term 2022", months((2022, 4), (2022, 8))),
        ("Spring 2020", months((2020, 1), (2020, 5))),
        ("Autumn term 2018", months((2018, 9), (2018, 12))),
        ("Winter 2022", months((2021, 12), (2023, 2))),
    ],
)
def test_a_season_or_term_is_the_months_of_both_its_readings(raw: str, expected: DateRange) -> None:
    assert parse_value(field("qts_date"), raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["Sept 2019", "Summer 2022", "2016/17", "2011-12", "March 2016", "2019", "1 Sept 2019"],
)
def test_every_natural_date_prints_as_text_that_reads_back_to_the_same_range(raw: str) -> None:
    value = parse_value(field("qts_date"), raw)
    assert value is not None
    assert parse_value(field("qts_date"), to_plain(value)) == value


@pytest.mark.parametrize(
    "raw", ["Sept", "Summer", "2019/2021", "Julember 2019", "31 Feb 2019", "13/2019", "soon"]
)
def test_dates_that_cannot_be_read_are_refused_naming_the_forms(raw: str) -> None:
    with pytest.raises(ValueProblem, match="July 2019"):
        parse_value(field("qts_date"), raw)


# --- counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5 years", 5),
        ("5 yrs", 5),
        ("5yrs", 5),
        ("two", 2),
        ("Ten", 10),
        ("ten years", 10),
        ("a year", 1),
        ("2.5", 2),  # whole years it certainly covers
        ("2.5 years", 2),
        (2.5, 2),
        ("10+", YearsRange(10, None)),
        ("10+ years", YearsRange(10, None)),
        ("over 10", YearsRange(10, None)),
        ("at least 10 years", YearsRange(10, None)),
        ("10 or more", YearsRange(10, None)),
        ("3-5 years", YearsRange(3, 5)),
        ("between 3 and 5", YearsRange(3, 5)),
        ("less than 1 year", 0),
        ("under 3", YearsRange(0, 2)),
    ],
)
def test_counts_in_words_with_units_or_bounds(raw: object, expected: object) -> None:
    assert parse_value(field("years_teaching_maths"), raw) == expected


def test_an_open_count_prints_with_a_plus_and_reads_back() -> None:
    value = parse_value(field("years_teaching_maths"), "10+")
    assert str(value) == "10+"
    assert (
        value is not None and parse_value(field("years_teaching_maths"), to_plain(value)) == value
    )


def test_a_count_whose_least_reading_passes_the_catalogue_maximum_is_refused() -> None:
    with pytest.raises(ValueProblem, match="at most 60"):
        parse_value(field("years_teaching_maths"), "over 61")


@pytest.mark.parametrize("raw", ["INF", "nan", "Infinity", "over inf", "3 to nan", "less than inf"])
def test_infinity_and_nan_are_words_not_counts(raw: str) -> None:
    with pytest.raises(ValueProblem, match="expected a whole number"):
        parse_value(field("years_teaching_maths"), raw)


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [
        ("10+", Outcome.MET),  # at least 10: meets "at least 4" whatever the true number
        ("two", Outcome.NOT_MET),
        ("3.9", Outcome.NOT_MET),  # 3 whole years
        ("3-5", Outcome.UNKNOWN),  # 3 fails, 4 and 5 meet
        ("over 3", Outcome.UNKNOWN),  # at least 3: 3 fails, 4 meets
        ("4.5 years", Outcome.MET),
    ],
)
def test_a_count_decides_at_least_only_when_all_its_readings_agree(
    raw: str, outcome: Outcome
) -> None:
    raw_answers: dict[str, object] = {"years_teaching_primary_maths": raw}
    found = result(run(PRIMARY, raw_answers), "four_years_primary_maths")
    assert found.outcome is outcome


# --- unknown words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["N/A", "n/a", "na", "NA", "-", "–", "—", "idk", "dunno", "not sure", "Unsure", "TBC"]
)
@pytest.mark.parametrize("field_id", ["in_england", "qts_date", "years_teaching_maths"])
def test_not_applicable_dashes_and_dont_knows_are_unknown(raw: str, field_id: str) -> None:
    assert is_unknown(raw)
    assert parse_value(field(field_id), raw) is None


# --- a value decides only when every reading agrees ----------------------------------------


def test_july_2024_fails_qts_for_two_years_on_any_day_of_july() -> None:
    month = result(run(SECONDARY, {**SECONDARY_FACTS, "qts_date": "July 2024"}), "qts_two_years")
    assert month.outcome is Outcome.NOT_MET
    for number in range(1, 32):
        on_day = {**SECONDARY_FACTS, "qts_date": f"2024-07-{number:02d}"}
        assert result(run(SECONDARY, on_day), "qts_two_years").outcome is Outcome.NOT_MET


@pytest.mark.parametrize("raw", ["2016/17", "2016-17", "Summer 2022", "Sept 2019", "March 2016"])
def test_a_range_wholly_two_years_before_the_closing_date_passes(raw: str) -> None:
    found = result(run(SECONDARY, {**SECONDARY_FACTS, "qts_date": raw}), "qts_two_years")
    assert found.outcome is Outcome.MET


def test_a_range_that_straddles_the_two_years_is_unknown_and_asks_for_more() -> None:
    # 2022/23 ends 31 August 2023: held two years by 12 June 2025 if awarded by 12 June 2023.
    assessment = run(SECONDARY, {**SECONDARY_FACTS, "qts_date": "2022/23"})
    found = result(assessment, "qts_two_years")
    assert found.outcome is Outcome.UNKNOWN
    assert found.imprecise and not found.missing


# --- an answer that cannot be read is quoted, not passed off as no answer ------------------


def test_an_unreadable_date_is_unknown_with_a_reason_quoting_it() -> None:
    raw = {**SECONDARY_FACTS, "qts_date": "the July after my PGCE"}
    found = result(run(SECONDARY, raw, lenient=True), "qts_two_years")
    assert found.outcome is Outcome.UNKNOWN
    assert "no answer" not in found.reason
    assert "could not read the answer “the July after my PGCE” to “When were you awarded QTS?" in (
        found.reason
    )
    used = next(a for a in found.answers if a.derived_from == "qts_date")
    assert used.unreadable == "“the July after my PGCE”"


def test_the_path_asks_to_answer_again_quoting_the_unreadable_answer() -> None:
    raw = {**SECONDARY_FACTS, "qts_date": "the July after my PGCE"}
    steps = run(SECONDARY, raw, lenient=True).path_to_eligibility
    actions = [s.action for s in steps if s.fields == ["qts_date"]]
    assert len(actions) == 1
    assert actions[0].startswith("Answer again, in a form the checker reads (“the July after")
    assert "When were you awarded QTS?" in actions[0]


def test_unanswered_is_still_worded_as_no_answer() -> None:
    raw = {k: v for k, v in SECONDARY_FACTS.items() if k != "qts_date"}
    assessment = run(SECONDARY, raw)
    found = result(assessment, "qts_two_years")
    assert "no answer to" in found.reason and "could not read" not in found.reason
    used = next(a for a in found.answers if a.derived_from == "qts_date")
    assert used.unreadable is None
    assert any(
        s.action.startswith("Answer: When were you awarded QTS?")
        for s in assessment.path_to_eligibility
    )


def test_an_unreadable_answer_is_quoted_on_one_inert_shortened_line() -> None:
    shown = shown_answer("July\n2012\x1b[31m and then some more words after that, and more")
    assert "\n" not in shown and "\x1b" not in shown
    assert shown.startswith("“July 2012") and shown.endswith("…”")
    assert len(shown) <= 42


def test_the_json_of_an_answer_names_unreadable_and_source_only_when_they_apply() -> None:
    raw = {**SECONDARY_FACTS, "state_funded": "perhaps"}
    assessment = run(SECONDARY, raw, lenient=True)
    data = assessment.model_dump(mode="json")
    answers = [a for c in data["criteria"] for a in c["answers"]]
    funded = [a for a in answers if a["field"] == "state_funded"]
    assert funded and all(a["unreadable"] == "“perhaps”" for a in funded)
    others = [a for a in answers if a["field"] != "state_funded"]
    assert all("unreadable" not in a and "source" not in a for a in others)


def test_a_hub_stated_answer_is_marked_in_the_answers_and_the_reason() -> None:
    from masterycheck.core.engine import answers_with_derived, criterion_results

    profile = read_profile(CATALOGUE, {**SECONDARY_FACTS, "in_england": "no"})
    answers = answers_with_derived(SECONDARY, profile)
    results = criterion_results(SECONDARY, answers, stated_by_hub={"in_england"})
    for found in results:
        for used in found.answers:
            assert used.source == ("hub" if used.field == "in_england" else "applicant")
    england = [r for r in results if any(a.field == "in_england" for a in r.answers)]
    assert england
    assert any("the hub's statement for every applicant" in r.reason for r in england)
    assert Profile().unreadable == {}


def test_an_unreadable_answer_is_not_unanswered_so_reports_show_its_reason() -> None:
    unreadable = result(
        run(SECONDARY, {**SECONDARY_FACTS, "self_passion_tfm": "sort of"}, lenient=True),
        "passion_for_tfm",
    )
    blank = result(run(SECONDARY, SECONDARY_FACTS), "passion_for_tfm")
    assert blank.unanswered is True
    assert unreadable.outcome is Outcome.UNKNOWN and unreadable.unanswered is False
    assert unreadable.unreadable == ["self_passion_tfm"]
    assert "could not read the answer “sort of”" in unreadable.reason


@pytest.mark.parametrize(
    "typed", ["KS3 and KS4", "KS3 & KS4", "KS3/KS4", "ks3, ks4", "KS3;KS4;", "KS3 + KS4"]
)
def test_a_list_joined_as_people_type_it_is_read(typed: str) -> None:
    from masterycheck.files.criteria import load_catalogue

    field = load_catalogue().by_id["key_stages_taught"]
    assert parse_value(field, typed) == frozenset({"ks3", "ks4"})


def test_a_list_with_a_part_that_names_no_choice_is_not_read() -> None:
    from masterycheck.files.criteria import load_catalogue

    field = load_catalogue().by_id["key_stages_taught"]
    with pytest.raises(ValueProblem):
        parse_value(field, "KS3 and lots")
