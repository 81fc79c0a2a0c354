"""A programme compiled: every rule checked against the catalogue once, ready to evaluate.

Pure: no printing, no files. ``compile_programme`` turns a ``Programme`` into a
``CompiledProgramme``, its criteria's rules and hub-to-confirm cases compiled and the dates
its derived fields are counted to settled; ``engine.assess`` then evaluates profiles with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from masterycheck.core.fields import Catalogue
from masterycheck.core.programme import Criterion, HubToConfirm, Programme
from masterycheck.core.rules import Answers, AnyRule, CompiledRule, RuleProblem, compile_rule
from masterycheck.core.vocabulary import PUBLISHED, Outcome


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    """A criterion with its rule (and hub-to-confirm rule) compiled.

    ``counted_to`` is the date derived values are counted to (the programme's reference date).
    """

    criterion: Criterion
    rule: CompiledRule
    hub: CompiledRule | None  # every hub-to-confirm case at once (any of them)
    origin: str
    counted_to: dt.date | None = None
    hub_cases: tuple[tuple[CompiledRule, str], ...] = ()  # each case's rule and note, in order
    derived_dates: tuple[tuple[str, dt.date], ...] = ()  # derived fields counted to another date

    def hub_note(self, answers: Answers) -> str | None:
        """The note of the first hub-to-confirm case the answers meet (else the first's)."""
        for rule, note in self.hub_cases:
            if rule.evaluate(answers).outcome is Outcome.MET:
                return note
        return self.hub_cases[0][1] if self.hub_cases else None


@dataclass(frozen=True, slots=True)
class CompiledProgramme:
    """A programme whose rules have been checked against the catalogue and compiled."""

    programme: Programme
    catalogue: Catalogue
    criteria: tuple[CompiledCriterion, ...]
    derived: tuple[tuple[str, str], ...]  # (derived field, date field it counts from)
    counted_to: tuple[tuple[str, dt.date], ...] = ()  # (derived field, date it counts to)

    def derived_date(self, derived_id: str) -> dt.date:
        """The date the derived field ``derived_id`` is counted to."""
        return dict(self.counted_to).get(derived_id, self.programme.reference_date)


def compile_programme(
    programme: Programme, catalogue: Catalogue, *, origins: dict[str, str] | None = None
) -> CompiledProgramme:
    """Check every rule against the catalogue and compile it; raises ``RuleProblem``.

    The problem's ``loc`` is the path inside the programme file, for file:line errors.
    """
    compiled: list[CompiledCriterion] = []
    for index, criterion in enumerate(programme.criteria):
        rule = compile_rule(criterion.rule, catalogue, ("criteria", index, "rule"))
        cases = _hub_cases(criterion, index, catalogue)
        hub = None
        if cases:
            hub = cases[0][0] if len(cases) == 1 else _any_of(criterion, index, catalogue)
        origin = (origins or {}).get(criterion.id, PUBLISHED)
        compiled.append(
            CompiledCriterion(criterion, rule, hub, origin, programme.reference_date, cases)
        )
    used = {name for c in compiled for name in (*c.rule.fields, *(c.hub.fields if c.hub else ()))}
    derived_fields = [f for f in catalogue.fields if f.derived is not None and f.id in used]
    counted_to: list[tuple[str, dt.date]] = []
    for field in derived_fields:
        assert field.derived is not None
        date = programme.counted_to(field.derived.counted_to)
        if date is None:
            raise RuleProblem(
                f"field {field.id!r} counts years to the closing date, "
                "but the programme gives no closing_date",
                ("closing_date",),
            )
        counted_to.append((field.id, date))
    derived = tuple((f.id, f.derived.years_since) for f in derived_fields if f.derived)
    others = tuple((name, date) for name, date in counted_to if date != programme.reference_date)
    if others:
        compiled = [dataclasses.replace(c, derived_dates=others) for c in compiled]
    return CompiledProgramme(programme, catalogue, tuple(compiled), derived, tuple(counted_to))


def _hub_cases(
    criterion: Criterion, index: int, catalogue: Catalogue
) -> tuple[tuple[CompiledRule, str], ...]:
    given = criterion.hub_to_confirm
    if given is None:
        return ()
    if isinstance(given, HubToConfirm):
        loc: tuple[str | int, ...] = ("criteria", index, "hub_to_confirm", "when")
        return ((compile_rule(given.when, catalogue, loc), given.note),)
    return tuple(
        (
            compile_rule(case.when, catalogue, ("criteria", index, "hub_to_confirm", n, "when")),
            case.note,
        )
        for n, case in enumerate(given)
    )


def _any_of(criterion: Criterion, index: int, catalogue: Catalogue) -> CompiledRule:
    """The hub-to-confirm cases of ``criterion`` as one rule: met when any case is met."""
    assert isinstance(criterion.hub_to_confirm, list)
    # The cases' rules are validated already: nothing to check, and no validator to build.
    every = AnyRule.model_construct(any=[case.when for case in criterion.hub_to_confirm])
    return compile_rule(every, catalogue, ("criteria", index, "hub_to_confirm"))
