"""Splitting many-of answers (``batch.many_of_answers.split_many``); read from real export
shapes in ``test_table_reader``."""

from __future__ import annotations

from masterycheck.batch.many_of_answers import split_many


def test_split_many_comma_style_reports_leftovers() -> None:
    options = ["Yes, I hold QTS", "Maths degree", "NPQ"]
    assert split_many("maths degree, Chartered, MEI, npq", options, "comma") == (
        ["Maths degree", "NPQ"],
        ["Chartered", "MEI"],
    )
    assert split_many("", options, "comma") == ([], [])


def test_split_many_semicolon_style_drops_only_the_trailing_empty_part() -> None:
    options = ["KS3", "KS4", "Post-16"]
    assert split_many("KS3;Other thing;KS4;", options, "semicolon") == (
        ["KS3", "KS4"],
        ["Other thing"],
    )
    assert split_many("Post-16", options, "semicolon") == (["Post-16"], [])
