"""The engine makes its results without validating them (``results.made``): each is exactly
what validating the same data gives, value for value and type for type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import BaseModel

from masterycheck.core.engine import assess
from masterycheck.core.fit import mark_fit
from masterycheck.core.results import Assessment, CohortStatus, made
from masterycheck.files.criteria import load_all_programmes, load_catalogue, load_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGUE = load_catalogue()
PROGRAMMES = load_all_programmes(CATALOGUE)
PROFILES = [
    path
    for path in sorted(EXAMPLES.glob("*.yaml"))
    if "mapping" not in path.name and "overlay" not in path.name
]


def same_types(made_value: object, validated: object) -> None:
    """Equal, and of the same type at every level (a list is not a tuple, a date no datetime)."""
    assert type(made_value) is type(validated), (made_value, validated)
    if isinstance(made_value, BaseModel):
        assert isinstance(validated, BaseModel)
        for name in type(made_value).model_fields:
            same_types(getattr(made_value, name), getattr(validated, name))
    elif isinstance(made_value, list):
        assert isinstance(validated, list) and len(made_value) == len(validated)
        for one, other in zip(made_value, validated, strict=True):
            same_types(one, other)
    else:
        assert made_value == validated


@pytest.mark.parametrize("day", [dt.date(2025, 12, 1), dt.date(2026, 11, 30)])
@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_result_is_what_validation_would_make(path: Path, day: dt.date) -> None:
    profile = load_profile(path, CATALOGUE)
    assessed = [(p, assess(p, profile, day)) for p in PROGRAMMES]
    for assessment in [a for _, a in assessed] + mark_fit(assessed, profile):
        validated = Assessment.model_validate(assessment.model_dump())
        same_types(assessment, validated)
        assert validated == assessment


def test_made_takes_values_by_name_only() -> None:
    assert made(CohortStatus, state="open", message="m") == CohortStatus(state="open", message="m")
    with pytest.raises(TypeError):
        made(CohortStatus, "open", "m")  # type: ignore[call-arg]
