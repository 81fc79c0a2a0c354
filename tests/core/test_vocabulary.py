"""The domain's words: their values are the strings of every output, so they are pinned here."""

from __future__ import annotations

from masterycheck.core import kleene, programme
from masterycheck.core.vocabulary import (
    PUBLISHED,
    Kind,
    Level,
    Outcome,
    RowVerdict,
    Verdict,
    is_published,
)


def test_values_are_the_strings_outputs_carry() -> None:
    assert [v.value for v in Verdict] == ["eligible", "not_eligible", "incomplete"]
    assert [v.value for v in Outcome] == ["met", "not_met", "unknown"]
    assert [v.value for v in Level] == ["essential", "desirable"]
    assert [v.value for v in Kind] == ["fact", "evidence"]
    assert PUBLISHED == "published"


def test_row_verdicts_are_the_verdicts_plus_invalid_in_ranking_order() -> None:
    assert [v.value for v in RowVerdict] == ["eligible", "incomplete", "not_eligible", "invalid"]
    assert {v.value for v in RowVerdict} - {v.value for v in Verdict} == {"invalid"}
    for verdict in Verdict:
        assert RowVerdict.of(verdict) == verdict.value


def test_origins_other_than_published_are_hubs() -> None:
    assert is_published(PUBLISHED)
    assert not is_published("North West Hub")


def test_old_homes_re_export_the_same_enums() -> None:
    assert programme.Verdict is Verdict
    assert programme.Level is Level
    assert programme.Kind is Kind
    assert kleene.Outcome is Outcome
