"""Hub overlays: a hub's own fields, desirable criteria and weights, on top of a published
programme.

An overlay never changes eligibility: it may only add *desirable* criteria, the fields they
ask about (a hub's local authorities, say: hub data stays out of the national catalogue), and
change the weights of desirable criteria. Its criteria keep the origin ``overlay:<hub>`` so
that every report shows them apart from the published ones.
"""

from __future__ import annotations

from pydantic import Field as PydanticField

from masterycheck.core.fields import Catalogue, Field
from masterycheck.core.model_base import (
    Identifier,
    NonEmptyText,
    SchemaVersion,
    StrictModel,
    no_entries,
    no_items,
)
from masterycheck.core.problems import Problem
from masterycheck.core.programme import Criterion, Level, Programme


class Overlay(StrictModel):
    """A hub's additions to a programme: desirable criteria and weights."""

    schema_version: SchemaVersion = 1
    name: NonEmptyText
    hub: Identifier = PydanticField(description="The hub's id, e.g. yorkshire_humber.")
    programmes: list[Identifier] = PydanticField(
        default_factory=no_items,
        description="Programme ids the overlay applies to; empty means any programme.",
    )
    add_fields: list[Field] = PydanticField(
        default_factory=no_items,
        description="Fields the hub's criteria ask about, added to the catalogue while the "
        "overlay is applied (questions, choices and headings, as in the catalogue).",
    )
    add_criteria: list[Criterion] = PydanticField(default_factory=no_items)
    weights: dict[Identifier, int] = PydanticField(
        default_factory=no_entries, description="Desirable criterion id -> weight (1 to 10)."
    )

    @property
    def origin(self) -> str:
        """The origin of the overlay's criteria in reports."""
        return f"overlay:{self.hub}"


class OverlayProblem(Problem):
    """An overlay that does not fit its programme; ``loc`` is the path inside the file."""


def extend_catalogue(catalogue: Catalogue, overlay: Overlay) -> Catalogue:
    """The catalogue with the overlay's fields added after its own.

    Raises ``OverlayProblem`` for a field id the catalogue already has (an overlay adds
    fields; it never redefines a national one).
    """
    if not overlay.add_fields:
        return catalogue
    for index, field in enumerate(overlay.add_fields):
        if catalogue.get(field.id) is not None:
            raise OverlayProblem(
                f"field id {field.id!r} is already in the catalogue (an overlay adds fields of "
                "its own; it cannot redefine one)",
                ("add_fields", index, "id"),
            )
    try:
        return Catalogue.model_validate(
            {
                **{name: getattr(catalogue, name) for name in Catalogue.model_fields},
                "fields": [*catalogue.fields, *overlay.add_fields],
            }
        )
    except ValueError as error:  # e.g. two added fields with one id
        raise OverlayProblem(str(error).splitlines()[-1].strip(), ("add_fields",)) from None


def apply_overlay(programme: Programme, overlay: Overlay) -> tuple[Programme, dict[str, str]]:
    """The programme with the overlay applied, and the origin of each overlay criterion.

    Raises ``OverlayProblem`` for an essential criterion, a clashing id, a weight for an
    unknown or essential criterion, or a programme the overlay is not for.
    """
    if overlay.programmes and programme.id not in overlay.programmes:
        raise OverlayProblem(
            f"the overlay is for {', '.join(overlay.programmes)}, not {programme.id!r}",
            ("programmes",),
        )
    existing = {c.id for c in programme.criteria}
    for index, criterion in enumerate(overlay.add_criteria):
        if criterion.level is not Level.DESIRABLE:
            raise OverlayProblem(
                "an overlay may add desirable criteria only (it never changes eligibility)",
                ("add_criteria", index, "level"),
            )
        if criterion.id in existing:
            raise OverlayProblem(
                f"criterion id {criterion.id!r} is already used", ("add_criteria", index, "id")
            )
        existing.add(criterion.id)
    criteria = [*programme.criteria, *overlay.add_criteria]
    by_id = {c.id: c for c in criteria}
    for criterion_id, weight in overlay.weights.items():
        found = by_id.get(criterion_id)
        if found is None:
            raise OverlayProblem(f"unknown criterion {criterion_id!r}", ("weights", criterion_id))
        if found.level is not Level.DESIRABLE:
            raise OverlayProblem(
                f"{criterion_id!r} is essential; only desirable criteria carry a weight",
                ("weights", criterion_id),
            )
        if not 1 <= weight <= 10:
            raise OverlayProblem(
                "a weight is a whole number from 1 to 10", ("weights", criterion_id)
            )
    weighted = [
        c.model_copy(update={"weight": overlay.weights[c.id]}) if c.id in overlay.weights else c
        for c in criteria
    ]
    origins = {c.id: overlay.origin for c in overlay.add_criteria}
    return programme.model_copy(update={"criteria": weighted}), origins
