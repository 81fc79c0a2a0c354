"""Pins the three-valued (strong Kleene) logic every criterion is decided with."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masterycheck.core.kleene import Outcome, from_bool, kleene_and, kleene_not, kleene_or

MET = Outcome.MET
NOT = Outcome.NOT_MET
UNK = Outcome.UNKNOWN

# The tables are written out by hand, not recomputed: (left, right) -> result.
AND_TABLE: list[tuple[Outcome, Outcome, Outcome]] = [
    (MET, MET, MET),
    (MET, NOT, NOT),
    (MET, UNK, UNK),
    (NOT, MET, NOT),
    (NOT, NOT, NOT),
    (NOT, UNK, NOT),
    (UNK, MET, UNK),
    (UNK, NOT, NOT),
    (UNK, UNK, UNK),
]

OR_TABLE: list[tuple[Outcome, Outcome, Outcome]] = [
    (MET, MET, MET),
    (MET, NOT, MET),
    (MET, UNK, MET),
    (NOT, MET, MET),
    (NOT, NOT, NOT),
    (NOT, UNK, UNK),
    (UNK, MET, MET),
    (UNK, NOT, UNK),
    (UNK, UNK, UNK),
]

NOT_TABLE: list[tuple[Outcome, Outcome]] = [
    (MET, NOT),
    (NOT, MET),
    (UNK, UNK),
]

outcomes = st.sampled_from(list(Outcome))


def test_tables_cover_every_pair_exactly_once() -> None:
    every_pair = {(a, b) for a in Outcome for b in Outcome}
    assert {(a, b) for a, b, _ in AND_TABLE} == every_pair
    assert {(a, b) for a, b, _ in OR_TABLE} == every_pair
    assert len(AND_TABLE) == len(OR_TABLE) == 9
    assert {a for a, _ in NOT_TABLE} == set(Outcome)


@pytest.mark.parametrize(("left", "right", "expected"), AND_TABLE)
def test_and_follows_the_kleene_truth_table(
    left: Outcome, right: Outcome, expected: Outcome
) -> None:
    assert kleene_and([left, right]) is expected


@pytest.mark.parametrize(("left", "right", "expected"), OR_TABLE)
def test_or_follows_the_kleene_truth_table(
    left: Outcome, right: Outcome, expected: Outcome
) -> None:
    assert kleene_or([left, right]) is expected


@pytest.mark.parametrize(("value", "expected"), NOT_TABLE)
def test_not_swaps_met_and_not_met_and_keeps_unknown(value: Outcome, expected: Outcome) -> None:
    assert kleene_not(value) is expected


def test_empty_and_is_met() -> None:
    assert kleene_and([]) is MET


def test_empty_or_is_not_met() -> None:
    assert kleene_or([]) is NOT


def test_and_and_or_accept_any_iterable_including_generators() -> None:
    assert kleene_and(x for x in (MET, UNK, MET)) is UNK
    assert kleene_or(x for x in (NOT, UNK, NOT)) is UNK


def test_single_part_and_or_is_that_part() -> None:
    for value in Outcome:
        assert kleene_and([value]) is value
        assert kleene_or([value]) is value


def test_unknown_is_never_counted_as_met_or_as_failed() -> None:
    assert kleene_and([MET, MET, UNK]) is UNK
    assert kleene_or([NOT, NOT, UNK]) is UNK


def test_from_bool_maps_true_to_met_and_false_to_not_met() -> None:
    assert from_bool(True) is MET
    assert from_bool(False) is NOT


def test_outcome_values_are_the_documented_strings() -> None:
    assert [o.value for o in Outcome] == ["met", "not_met", "unknown"]


@given(st.lists(outcomes, max_size=8))
def test_de_morgan_not_and_is_or_of_nots(xs: list[Outcome]) -> None:
    assert kleene_not(kleene_and(xs)) is kleene_or(kleene_not(x) for x in xs)


@given(st.lists(outcomes, max_size=8))
def test_de_morgan_not_or_is_and_of_nots(xs: list[Outcome]) -> None:
    assert kleene_not(kleene_or(xs)) is kleene_and(kleene_not(x) for x in xs)


@given(st.lists(outcomes, max_size=8))
def test_and_and_or_do_not_depend_on_order(xs: list[Outcome]) -> None:
    assert kleene_and(xs) is kleene_and(reversed(xs))
    assert kleene_or(xs) is kleene_or(reversed(xs))
