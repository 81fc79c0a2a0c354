"""Duplicate applicants: grouping rows, choosing the latest submission, reading its time."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from masterycheck.batch.duplicates import SubmissionLog, submission_times
from masterycheck.batch.screening import (
    INVALID,
    SUPERSEDED_CODE,
    VERDICT_CODES,
    Evaluation,
    Summary,
    invalid,
    ranks_in_order,
)

HEADINGS = ("Name", "Email", "School", "Completion time")
ROLES = {"name": 0, "email": 1, "school": 2, "submitted": 3}
ELIGIBLE = Evaluation("eligible", VERDICT_CODES["eligible"], 2, False, ("met",), (), ())


def logged(
    rows: list[tuple[str, ...]],
    roles: dict[str, int] = ROLES,
    invalid_rows: frozenset[int] = frozenset(),
) -> SubmissionLog:
    """A log of ``rows`` (cells in HEADINGS order) kept as the screening pass keeps them."""
    log = SubmissionLog(roles, HEADINGS)
    keep = log.keep_function(VERDICT_CODES[INVALID])
    for number, cells in enumerate(rows, 1):
        keep(cells, invalid("short row") if number in invalid_rows else ELIGIBLE)
    return log


def seconds(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> float:
    moment = dt.datetime(year, month, day, hour, minute, second)
    return (moment - dt.datetime(1970, 1, 1)).total_seconds()


# --- grouping ------------------------------------------------------------------------------


def test_rows_with_one_email_trimmed_and_case_folded_are_one_applicant() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "1/15/26 9:00:00"),
            ("Bo Chan", "bo@school.example", "Elm", "1/15/26 9:05:00"),
            ("Ann Lee", "  ANN@School.Example ", "Oak Primary", "1/16/26 8:00:00"),
        ]
    )
    assert dict(log.resolve().superseded) == {1: 3}


def test_same_full_name_and_school_link_rows_with_different_emails() -> None:
    log = logged(
        [
            ("Ann  LEE", "ann@home.example", " oak primary", "1/15/26 9:00:00"),
            ("ann lee", "a.lee@school.example", "Oak Primary", "1/15/26 10:00:00"),
            ("Ann Lee", "ann.lee@other.example", "Elm Primary", "1/15/26 11:00:00"),
        ]
    )
    # Row 3 is another Ann Lee, at another school: a different person.
    assert dict(log.resolve().superseded) == {1: 2}


def test_rows_linked_through_either_key_are_one_group() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@home.example", "Oak", "1/15/26 9:00:00"),
            ("Ann Lee", "a.lee@school.example", "Oak", "1/15/26 10:00:00"),
            ("A. Lee", "a.lee@school.example", "", "1/15/26 11:00:00"),
        ]
    )
    assert dict(log.resolve().superseded) == {1: 3, 2: 3}


def test_anonymous_and_blank_identities_never_link_rows() -> None:
    log = logged(
        [
            ("anonymous", "anonymous", "Oak", "1/15/26 9:00:00"),
            ("Anonymous", "anonymous", "Oak", "1/15/26 9:10:00"),
            ("", "", "", "1/15/26 9:20:00"),
            ("", "", "", "1/15/26 9:30:00"),
            ("Bo Chan", "", "", "1/15/26 9:40:00"),
            ("Bo Chan", "", "", "1/15/26 9:50:00"),  # a name alone is not enough
        ]
    )
    assert not log.resolve()


def test_invalid_rows_take_no_part() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "1/15/26 9:00:00"),
            ("Ann Lee", "ann@school.example", "Oak", "1/15/26 10:00:00"),
        ],
        invalid_rows=frozenset({2}),
    )
    assert not log.resolve()


def test_the_latest_submission_by_time_is_screened_even_when_it_is_the_earlier_row() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "1/20/26 9:00:00"),
            ("Ann Lee", "ann@school.example", "Oak", "1/15/26 9:00:00"),
            ("Ann Lee", "ann@school.example", "Oak", "1/18/26 9:00:00"),
        ]
    )
    found = log.resolve()
    assert dict(found.superseded) == {2: 1, 3: 1}
    assert any("“Completion time”" in note and "month first" in note for note in found.notes)


def test_equal_times_keep_the_later_row() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "2026-01-15T09:00:00"),
            ("Ann Lee", "ann@school.example", "Oak", "2026-01-15T09:00:00"),
        ]
    )
    assert dict(log.resolve().superseded) == {1: 2}


def test_an_unreadable_time_falls_back_to_row_order_and_is_noted() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "1/20/26 9:00:00"),
            ("Ann Lee", "ann@school.example", "Oak", "last Tuesday"),
        ]
    )
    found = log.resolve()
    assert dict(found.superseded) == {1: 2}
    assert any(
        "row 2 (“last Tuesday”) could not be read" in note and "row 2, the last" in note
        for note in found.notes
    )


def test_without_a_time_column_the_last_row_is_screened_and_that_is_said() -> None:
    roles = {"name": 0, "email": 1, "school": 2}
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "1/20/26 9:00:00"),
            ("Ann Lee", "ann@school.example", "Oak", "1/15/26 9:00:00"),
        ],
        roles,
    )
    found = log.resolve()
    assert dict(found.superseded) == {1: 2}
    assert any("no submission-time column is mapped" in note for note in found.notes)


def test_a_log_without_email_or_name_and_school_cannot_group() -> None:
    assert not SubmissionLog({"name": 0, "submitted": 3}, HEADINGS).groups_anything
    assert SubmissionLog({"email": 1}, HEADINGS).groups_anything
    assert SubmissionLog({"name": 0, "school": 2}, HEADINGS).groups_anything


# --- submission times ----------------------------------------------------------------------


def test_microsoft_forms_times_are_month_first_by_convention() -> None:
    read = submission_times(["1/5/26 9:20:40", "1/6/26 8:00:00"], "Completion time")
    assert read.times == [seconds(2026, 1, 5, 9, 20, 40), seconds(2026, 1, 6, 8)]
    assert "month first" in read.how


def test_a_first_part_over_12_makes_the_whole_column_day_first() -> None:
    read = submission_times(["15/01/2026 09:20:40", "05/02/2026 10:00:00"])
    assert read.times == [seconds(2026, 1, 15, 9, 20, 40), seconds(2026, 2, 5, 10)]
    assert "day first" in read.how


def test_a_second_part_over_12_makes_the_whole_column_month_first() -> None:
    read = submission_times(["01/15/2026 09:20:40", "02/05/2026 10:00:00"])
    assert read.times == [seconds(2026, 1, 15, 9, 20, 40), seconds(2026, 2, 5, 10)]


def test_zero_padded_uk_google_sheets_times_are_day_first_by_convention() -> None:
    read = submission_times(["05/02/2026 10:00:00", "06/02/2026 10:00:00"], "Timestamp")
    assert read.times == [seconds(2026, 2, 5, 10), seconds(2026, 2, 6, 10)]


def test_a_column_written_both_ways_reads_no_day_month_value() -> None:
    read = submission_times(["15/01/2026 09:00", "01/15/2026 09:00", "2026-01-16 09:00"])
    assert read.times == [None, None, seconds(2026, 1, 16, 9)]
    assert "both ways" in read.how


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026/01/15 9:20:40 AM GMT", seconds(2026, 1, 15, 9, 20, 40)),
        ("2026/01/15 9:20:40 PM GMT", seconds(2026, 1, 15, 21, 20, 40)),
        ("2026/06/15 10:00:00 AM BST", seconds(2026, 6, 15, 9)),
        ("2026-01-15T09:20:40", seconds(2026, 1, 15, 9, 20, 40)),
        ("2026-01-15T09:20:40+01:00", seconds(2026, 1, 15, 8, 20, 40)),
        ("2026-01-15", seconds(2026, 1, 15)),
        ("15 Jan 2026 09:20", seconds(2026, 1, 15, 9, 20)),
        ("January 15, 2026 9:20 pm", seconds(2026, 1, 15, 21, 20)),
        ("46037.5", seconds(2026, 1, 15, 12)),
        ("", None),
        ("soon", None),
        ("2026-02-30 09:00", None),
        ("2026-01-15 25:00", None),
        ("1234", None),
    ],
)
def test_one_submission_time(value: str, expected: float | None) -> None:
    assert submission_times([value]).times == [expected]


# --- ranks and counts ----------------------------------------------------------------------


def test_superseded_rows_are_not_ranked_and_the_others_rank_without_gaps() -> None:
    eligible, incomplete = VERDICT_CODES["eligible"], VERDICT_CODES["incomplete"]
    codes = [eligible, SUPERSEDED_CODE, incomplete, eligible]
    scores = [1, 5, 0, 3]
    assert list(ranks_in_order(codes, scores, 6)) == [2, 0, 3, 1]


def test_a_superseded_row_leaves_the_counts_of_applicants() -> None:
    summary = Summary(criteria=("qts",), essential=(True,), columns=())
    not_met = Evaluation(
        "not_eligible", VERDICT_CODES["not_eligible"], 0, True, ("not_met",), (), ()
    )
    summary.count(not_met, 2)
    summary.count(ELIGIBLE, 1)
    summary.supersede(not_met)
    assert summary.verdicts == Counter({"eligible": 1, "not_eligible": 1})
    assert summary.excluded == Counter({"qts": 1}) and summary.review == 1
    assert summary.superseded == 1
    summary.supersede(not_met)
    assert "not_eligible" not in summary.verdicts and "qts" not in summary.excluded


def test_an_unreadable_time_is_quoted_inert_on_one_line() -> None:
    log = logged(
        [
            ("Ann Lee", "ann@school.example", "Oak", "\x1b]0;owned\x07\nsoon"),
            ("Ann Lee", "ann@school.example", "Oak", "1/20/26 9:00:00"),
        ]
    )
    notes = " ".join(log.resolve().notes)
    assert "\x1b" not in notes and "\n" not in notes and "\x07" not in notes
    assert "row 1 (“\ufffd]0;owned\ufffd soon”) could not be read" in notes


@pytest.mark.parametrize("rows", [10, 200_000])
def test_repeats_finds_every_repeated_key_with_a_set_or_a_bitmap(rows: int) -> None:
    """A key seen twice (in one block or in two) is always found, a set of them up to
    ``SET_ROWS`` rows and a bitmap beyond; ``which`` agrees with ``in``."""
    from masterycheck.batch.duplicate_keys import SET_ROWS, Repeats

    keys: list[object] = [f"p{n}@school.example" for n in range(rows)]
    keys += [*keys[:: max(1, rows // 50)], ("a", "b"), ("a", "b")]
    repeats = Repeats(len(keys))
    assert repeats.bitmap == (len(keys) > SET_ROWS)
    for start in range(0, len(keys), 4096):
        repeats.add(keys[start : start + 4096])
    again = set(keys[rows:])
    assert all(key in repeats for key in again)
    assert list(repeats.which(keys)) == [key in repeats for key in keys]
    assert sum(map(bool, repeats.which(keys[:rows]))) <= len(again) + rows // 50
