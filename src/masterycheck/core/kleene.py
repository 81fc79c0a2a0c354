"""Three-valued (Kleene) logic: every criterion is met, not met or unknown.

Unknown is never silently counted as met or as failed: ``and`` is not met as soon as one part
is not met, met only when every part is met, and unknown otherwise; ``or`` is the dual.
"""

from __future__ import annotations

from collections.abc import Iterable

from masterycheck.core.vocabulary import Outcome as Outcome


def kleene_and(outcomes: Iterable[Outcome]) -> Outcome:
    """Strong Kleene conjunction; the empty conjunction is met."""
    result = Outcome.MET
    for outcome in outcomes:
        if outcome is Outcome.NOT_MET:
            return Outcome.NOT_MET
        if outcome is Outcome.UNKNOWN:
            result = Outcome.UNKNOWN
    return result


def kleene_or(outcomes: Iterable[Outcome]) -> Outcome:
    """Strong Kleene disjunction; the empty disjunction is not met."""
    result = Outcome.NOT_MET
    for outcome in outcomes:
        if outcome is Outcome.MET:
            return Outcome.MET
        if outcome is Outcome.UNKNOWN:
            result = Outcome.UNKNOWN
    return result


def kleene_not(outcome: Outcome) -> Outcome:
    """Kleene negation: met and not met swap, unknown stays unknown."""
    if outcome is Outcome.MET:
        return Outcome.NOT_MET
    if outcome is Outcome.NOT_MET:
        return Outcome.MET
    return Outcome.UNKNOWN


def from_bool(value: bool) -> Outcome:
    """Met for True, not met for False."""
    return Outcome.MET if value else Outcome.NOT_MET
