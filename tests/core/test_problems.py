"""Pins the one kind of error the core raises: a ``Problem`` with a message and a location."""

from __future__ import annotations

import pytest

from masterycheck.core.answers import ValueProblem, parse_value
from masterycheck.core.fields import Catalogue
from masterycheck.core.overlay import Overlay, OverlayProblem, apply_overlay
from masterycheck.core.problems import Problem
from masterycheck.core.profile import ProfileProblem, read_answer
from masterycheck.core.programme import Programme
from masterycheck.core.rules import RuleProblem
from masterycheck.files.criteria import criteria_dir, load_catalogue
from masterycheck.files.yaml_source import load_model

CATALOGUE: Catalogue = load_catalogue()


@pytest.mark.parametrize("kind", [RuleProblem, ValueProblem, ProfileProblem, OverlayProblem])
def test_every_core_problem_is_a_problem_and_a_value_error(kind: type[Problem]) -> None:
    assert issubclass(kind, Problem)
    assert issubclass(kind, ValueError)


def test_a_problem_carries_its_message_and_location() -> None:
    problem = RuleProblem("unknown field 'x'", ("criteria", 0, "rule", "field"))
    assert str(problem) == "unknown field 'x'"
    assert problem.loc == ("criteria", 0, "rule", "field")
    assert Problem("no place").loc == ()


def test_a_value_problem_has_no_location_of_its_own() -> None:
    field = CATALOGUE.get("in_england")
    assert field is not None
    with pytest.raises(ValueProblem) as caught:
        parse_value(field, "maybe")
    assert caught.value.loc == ()


def test_a_profile_problem_is_located_at_its_field() -> None:
    with pytest.raises(ProfileProblem) as caught:
        read_answer(CATALOGUE, "in_england", "maybe")
    assert caught.value.field_id == "in_england"
    assert caught.value.loc == ("in_england",)
    assert str(caught.value).startswith("in_england: expected yes or no")


def test_an_overlay_problem_is_located_inside_the_overlay() -> None:
    programme, _ = load_model(criteria_dir() / "primary.yaml", Programme, "a programme file")
    overlay = Overlay.model_validate({"name": "Hub", "hub": "hub", "weights": {"nope": 2}})
    with pytest.raises(OverlayProblem) as caught:
        apply_overlay(programme, overlay)
    assert str(caught.value) == "unknown criterion 'nope'"
    assert caught.value.loc == ("weights", "nope")
