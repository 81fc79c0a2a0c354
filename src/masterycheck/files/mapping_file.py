"""Mapping files: which column of a form export answers which profile field, and how.

A mapping file is written by ``masterycheck mapping`` (a proposal from the export's headings
and answers, ``batch.proposal``), reviewed by a person, and read by ``masterycheck screen``
(``batch.row_mapping``). It says:

* ``columns``: heading -> profile field, with optional value maps (an answer as the form
  spells it -> a choice, or -> several fields at once, as "State-funded middle school" sets
  both the school type and state funding) and, for many-of answers, how they are joined;
* ``applicant``: the columns that identify an applicant (ID, name, email);
* ``keep``: free-text columns carried into the results (replaced with ``--redact``);
* ``ignore``: columns deliberately not used;
* ``constants``: fields the hub answers for every applicant (``in_england: "yes"`` for a
  regional form that does not ask it), shown as the hub's statement, not the applicant's.

A mapping that cannot mean one thing is refused, never resolved by "the later entry wins":
two answers under one column that are the same once case, spaces and punctuation are ignored
but map differently (two that mean the same are accepted); an answer always read as unknown
("N/A") mapped to a value; a heading both used and ignored; a column kept twice; a field set
by a value map and also answered by its own column; and a mapping made for another programme
(``check_mapping_programme``); a constant for a field a column also answers. Those checks but
the last are ``check_mapping``'s, in ``files.mapping_checks``; ``load_mapping`` runs them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field as PydanticField

from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue, Field
from masterycheck.core.model_base import (
    Identifier,
    NonEmptyText,
    SchemaVersion,
    StrictModel,
    no_entries,
    no_items,
)
from masterycheck.core.problems import Location as Location  # batch.row_mapping uses it
from masterycheck.core.problems import Problem
from masterycheck.core.programme import Kind, Level
from masterycheck.errors import InputError
from masterycheck.files.yaml_source import YamlDocument, load_model

SplitStyle = Literal["semicolon", "comma"]
Setting = str | None | dict[Identifier, str | None]


def field_options(field: Field) -> list[str]:
    """Every way a choice of ``field`` may be written: labels, spellings and ids."""
    return [s for choice in field.choices for s in (choice.label, *choice.spellings, choice.id)]


class Applicant(StrictModel):
    """The columns that identify an applicant; any may be left out.

    ``school`` and ``submitted`` tell two submissions by one person apart from two people:
    rows with the same email, or the same full name and school, are one applicant, screened
    from the latest submission (by ``submitted``, else the last row; ``batch.duplicates``).
    """

    id: str | None = None
    name: str | None = None
    email: str | None = None
    school: str | None = PydanticField(
        default=None,
        description="The column naming the applicant's school: the same full name and school "
        "on two rows are one applicant's two submissions.",
    )
    submitted: str | None = PydanticField(
        default=None,
        description='The column holding the submission time (Microsoft Forms "Completion '
        'time", Google Forms "Timestamp"): of one applicant\'s submissions, the latest is '
        "screened. Without it, the last row is.",
    )


class ColumnMapping(StrictModel):
    """One export column that answers one profile field."""

    heading: NonEmptyText = PydanticField(description="The column heading, as in the export.")
    field: Identifier = PydanticField(description="The profile field the column answers.")
    split: SplitStyle | None = PydanticField(
        default=None,
        description='How a many-of answer joins its options: "semicolon" (Microsoft Forms, '
        '"a;b;") or "comma" (Google Forms, "a, b").',
    )
    values: dict[str, Setting] = PydanticField(
        default_factory=no_entries,
        description="Answers as the form spells them: a choice of this column's field, null "
        "(unknown), or a mapping of field -> answer to set several fields at once.",
    )
    overlay: Identifier | None = PydanticField(
        default=None,
        description="The hub overlay (its `hub` id) that adds this column's field. Screened "
        "without that overlay, the column is not read.",
    )


class MappingFile(StrictModel):
    """A mapping of a form export's columns to profile fields."""

    schema_version: SchemaVersion = 1
    programme: Identifier | None = PydanticField(
        default=None,
        description="The programme the mapping is for; screening another programme with it "
        "is refused. Leave it out for a mapping that fits any programme.",
    )
    applicant: Applicant = PydanticField(default_factory=Applicant)
    columns: list[ColumnMapping] = PydanticField(default_factory=no_items)
    keep: list[NonEmptyText] = PydanticField(
        default_factory=no_items,
        description="Free-text columns carried into the results (replaced with --redact).",
    )
    ignore: list[str] = PydanticField(
        default_factory=no_items, description="Columns deliberately not used."
    )
    constants: dict[Identifier, NonEmptyText] = PydanticField(
        default_factory=no_entries,
        description="Fields the hub answers for every applicant (field -> answer, as a profile "
        'gives it), e.g. in_england: "yes" for a regional form that does not ask it. Shown in '
        "the results as the hub's statement, never as the applicant's answer.",
    )


class MappingProblem(Problem):
    """A mapping that does not fit the catalogue; ``loc`` is the path inside the file."""


_SHOWN_LIMIT = 60  # longest heading or answer quoted in full in a message


def shown_heading(text: str) -> str:
    """Quote a heading or answer for a one-line message: escaped, on one line, shortened.

    Headings and answers come from exports (and so from applicants): ``repr`` escapes control
    and other unprintable characters, so nothing raw reaches the terminal.
    """
    text = " ".join(text.split())
    if len(text) > _SHOWN_LIMIT:
        text = text[: _SHOWN_LIMIT - 1] + "…"
    return repr(text)


def entry_place(document: YamlDocument | None, loc: Location) -> str:
    """Where another entry is, for a message already placed at one entry: "line 12"."""
    if document is None:
        return "entry " + ".".join(map(str, loc))
    return f"line {document.locate(loc)[0]}"


@dataclass(frozen=True)
class LoadedMapping:
    """A validated mapping file and where its entries are (for file:line errors)."""

    mapping: MappingFile
    document: YamlDocument | None = None

    def where(self, loc: Location, *, value: bool = False) -> str | None:
        """``file:line:column`` of an entry (its value's, if ``value``), if from a file."""
        if self.document is None:
            return None
        return self.document.where(loc, value=value)


def check_mapping_programme(loaded: LoadedMapping, compiled: CompiledProgramme) -> None:
    """Refuse a mapping whose ``programme:`` names another programme than ``compiled``.

    A mapping without ``programme:`` fits any programme. The ``InputError`` is placed at the
    ``programme:`` value, e.g. "m.yaml:2:12: the mapping is for primary, but --programme is
    secondary (make a mapping for secondary, or screen with --programme primary)".
    """
    named = loaded.mapping.programme
    wanted = compiled.programme.id
    if named is None or named == wanted:
        return
    raise InputError(
        f"the mapping is for {named}, but --programme is {wanted}",
        where=loaded.where(("programme",), value=True),
        hint=f"make a mapping for {wanted}, or screen with --programme {named}",
    )


def load_mapping(
    path: Path, catalogue: Catalogue, *, programme: CompiledProgramme | None = None
) -> LoadedMapping:
    """Load and validate a mapping file; every problem is an ``InputError`` at file:line.

    With ``programme``, a mapping made for another programme is refused too (see
    ``check_mapping_programme``).
    """
    from masterycheck.files.mapping_checks import check_mapping

    mapping, document = load_model(path, MappingFile, "a mapping file")
    try:
        check_mapping(mapping, catalogue, document)
    except MappingProblem as problem:
        raise document.error_at(problem.loc, str(problem)) from None
    loaded = LoadedMapping(mapping, document)
    if programme is not None:
        check_mapping_programme(loaded, programme)
    return loaded


# --- what a programme needs -------------------------------------------------------------------


def needed_fields(compiled: CompiledProgramme) -> tuple[list[str], list[str]]:
    """Fields a form must answer: (for essential facts, for other criteria), in file order.

    Derived fields are replaced by the field they are computed from. The first list decides
    eligibility; the second only the desirable score and the evidence self-assessments.
    """
    derived_from = dict(compiled.derived)
    essential: dict[str, None] = {}
    other: dict[str, None] = {}
    for item in compiled.criteria:
        names = (*item.rule.fields, *(item.hub.fields if item.hub else ()))
        target = (
            essential
            if item.criterion.level is Level.ESSENTIAL and item.criterion.kind is Kind.FACT
            else other
        )
        for name in names:
            # A field the rule reads only under `unless` (silence read as "not the case")
            # never leaves the criterion unknown, so a form need not ask it.
            where = other if name in item.rule.optional else target
            where.setdefault(derived_from.get(name, name), None)
    return list(essential), [name for name in other if name not in essential]


def read_when_silent(compiled: CompiledProgramme) -> set[str]:
    """Fields every rule reads only under ``unless``: no answer is read as "not the case"
    (England, employment basis), so a form that does not ask them leaves nothing unknown."""
    derived_from = dict(compiled.derived)
    silent: set[str] = set()
    asked: set[str] = set()
    for item in compiled.criteria:
        for name in (*item.rule.fields, *(item.hub.fields if item.hub else ())):
            field = derived_from.get(name, name)
            (silent if name in item.rule.optional else asked).add(field)
    return silent - asked


def unapplied_overlay_columns(mapping: MappingFile, catalogue: Catalogue) -> list[ColumnMapping]:
    """Columns for a hub overlay whose fields ``catalogue`` lacks (that overlay is not applied)."""
    return [c for c in mapping.columns if c.overlay is not None and catalogue.get(c.field) is None]


def provided_fields(mapping: MappingFile) -> set[str]:
    """Every field some column of ``mapping`` answers, directly or through a value map, or
    that a constant sets."""
    provided = {column.field for column in mapping.columns} | set(mapping.constants)
    for column in mapping.columns:
        for setting in column.values.values():
            if isinstance(setting, dict):
                provided.update(setting)
    return provided


def missing_fields(
    mapping: MappingFile, compiled: CompiledProgramme
) -> tuple[list[str], list[str]]:
    """Needed fields no column provides: (for essential facts, for other criteria)."""
    provided = provided_fields(mapping)
    essential, other = needed_fields(compiled)
    return [f for f in essential if f not in provided], [f for f in other if f not in provided]
