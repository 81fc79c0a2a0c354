"""Reading an export's rows through a mapping.

``RowMapper`` compiles a mapping against an export's headings once and then reads each row's
cells into typed answers, turning unreadable cells into unknown answers (kept, with the cell
as given, so the results can quote it: it is the applicant's own answer, shown to the person
screening). A mapping heading that matches several export columns loosely and none exactly is
refused (an exact match wins). The mapping's ``constants`` are answers the hub gives for
every row: ``RowMapper.constants`` holds them typed, and every row's answers include them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import IntEnum

from masterycheck.core.answers import Value, ValueProblem, is_unknown, parse_value
from masterycheck.core.fields import Catalogue, Field, FieldType, normalise
from masterycheck.errors import InputError
from masterycheck.files.mapping_file import (
    LoadedMapping,
    Location,
    SplitStyle,
    entry_place,
    field_options,
    shown_heading,
)

CELL_CACHE_SIZE = 4096  # distinct answers remembered per column (form answers repeat)


# --- reading rows -----------------------------------------------------------------------------


class CellStatus(IntEnum):
    """How one mapped cell was answered, for the summary."""

    BLANK = 0  # empty or "don't know"
    NO = 1  # an explicit no (or none)
    UNREADABLE = 2
    ANSWERED = 3


Settings = tuple[tuple[str, Value | None], ...]


@dataclass(frozen=True, slots=True)
class MappedColumn:
    """A mapping column bound to its position in the export."""

    position: int
    heading: str
    field: Field
    split: SplitStyle | None
    values: Mapping[str, Settings]  # normalised answer -> settings
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReadAnswers:
    """One row's answers, read: typed values, and each mapped column's status."""

    answers: dict[str, Value]
    statuses: tuple[CellStatus, ...]
    given: dict[str, str] = dataclass_field(default_factory=dict)  # unreadable: field -> cell

    @property
    def unreadable(self) -> tuple[int, ...]:
        """Indexes (into ``RowMapper.columns``) of the cells that could not be read."""
        return tuple(i for i, s in enumerate(self.statuses) if s is CellStatus.UNREADABLE)


def _is_no(field: Field, value: Value) -> bool:
    """Whether an answer says "no" / "none of these" (its choices say which: ``means_none``)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value in field.none_choices
    if isinstance(value, frozenset):
        return value <= field.none_choices
    return False


class _ExportHeadings:
    """An export's headings, for finding the column a mapping heading names."""

    def __init__(self, headings: Sequence[str]) -> None:
        self.headings = headings
        self.exact: dict[str, list[int]] = {}
        self.loose: dict[str, list[int]] = {}
        for position, heading in enumerate(headings):
            if heading.strip():
                self.exact.setdefault(heading.strip(), []).append(position)
            key = normalise(heading)
            if key:
                self.loose.setdefault(key, []).append(position)

    def matches(self, heading: str) -> list[int]:
        """Columns headed ``heading``: the exact match if there is one, else every loose one.

        Loosely is as ``normalise`` compares (case, spaces and punctuation ignored); a heading
        that is all punctuation matches only exactly, never a blank heading.
        """
        exact = self.exact.get(heading.strip())
        if exact:
            return exact
        key = normalise(heading)
        return self.loose.get(key, []) if key else []

    def column(self, position: int) -> str:
        """'column D 'Email'' for a 0-based position, the heading quoted safely."""
        from masterycheck.batch.tables import column_letter

        words = f"column {column_letter(position + 1)}"
        heading = self.headings[position]
        return f"{words} {shown_heading(heading)}" if heading.strip() else words


_COLUMNS_NAMED = 5  # columns listed in a message about an ambiguous heading


class RowMapper:
    """A mapping compiled against an export's headings; reads each row's cells."""

    def __init__(
        self, loaded: LoadedMapping, headings: Sequence[str], catalogue: Catalogue
    ) -> None:
        """Bind every mapped heading to its column; ``InputError`` names what does not fit.

        A mapping heading binds to the export column with exactly that heading, else to the one
        column whose heading matches ignoring case, spaces and punctuation. Refused, at the
        mapping's line: a heading no column has; a heading that matches several columns that
        way and none exactly ("Email" and "email" for "E-MAIL"), which would otherwise pick
        one silently; two ``keep`` entries that find the same column; an ``ignore`` entry
        that finds a column the mapping reads (under ``columns``, ``applicant`` or ``keep``).
        """
        mapping = loaded.mapping
        document = loaded.document
        export = _ExportHeadings(headings)

        def find(heading: str, loc: Location) -> int:
            found = export.matches(heading)
            if not found:
                raise InputError(
                    f"the export has no column headed {shown_heading(heading)}",
                    where=loaded.where(loc),
                    hint="run 'masterycheck mapping' to see the headings it has",
                )
            if len(found) > 1:
                named = ", ".join(export.column(p) for p in found[:_COLUMNS_NAMED])
                if len(found) > _COLUMNS_NAMED:
                    named += f" and {len(found) - _COLUMNS_NAMED} more"
                raise InputError(
                    f"the heading {shown_heading(heading)} matches {len(found)} columns of the "
                    "export once case, spaces and punctuation are ignored "
                    f"({named}), and none exactly",
                    where=loaded.where(loc),
                    hint="write the heading exactly as the export spells the one you mean",
                )
            return found[0]

        reads: dict[int, tuple[str, Location]] = {}  # export position -> who reads it
        columns: list[MappedColumn] = []
        for index, column in enumerate(mapping.columns):
            if column.overlay is not None and column.field not in catalogue.by_id:
                continue  # for a hub overlay that is not applied (the run notes it)
            field = catalogue.by_id[column.field]
            values: dict[str, Settings] = {}
            for answer, setting in column.values.items():
                pairs = setting.items() if isinstance(setting, dict) else [(field.id, setting)]
                values[normalise(answer)] = tuple(
                    (fid, parse_value(catalogue.by_id[fid], raw)) for fid, raw in pairs
                )
            options = tuple(dict.fromkeys([*column.values, *field_options(field)]))
            split = column.split
            if split is None and field.type is FieldType.MANY_OF:
                split = "semicolon"
            loc: Location = ("columns", index, "heading")
            position = find(column.heading, loc)
            reads.setdefault(position, ("columns", loc))
            columns.append(MappedColumn(position, column.heading, field, split, values, options))
        self.columns: tuple[MappedColumn, ...] = tuple(columns)
        self.positions: tuple[int, ...] = tuple(c.position for c in columns)
        roles = mapping.applicant.model_dump(exclude_none=True)
        self.applicant: dict[str, int] = {}
        for role, heading in roles.items():
            position = find(heading, ("applicant", role))
            reads.setdefault(position, (f"applicant {role}", ("applicant", role)))
            self.applicant[role] = position
        kept: dict[int, int] = {}
        keep: list[tuple[str, int]] = []
        for index, heading in enumerate(mapping.keep):
            position = find(heading, ("keep", index))
            if position in kept:
                raise InputError(
                    f"{shown_heading(heading)} finds {export.column(position)}, which is already "
                    f"kept at {entry_place(document, ('keep', kept[position]))}: keep it once",
                    where=loaded.where(("keep", index)),
                )
            kept[position] = index
            reads.setdefault(position, ("keep", ("keep", index)))
            keep.append((heading, position))
        self.keep: tuple[tuple[str, int], ...] = tuple(keep)
        for index, heading in enumerate(mapping.ignore):
            for position in export.matches(heading):
                if position in reads:
                    section, loc = reads[position]
                    raise InputError(
                        f"{shown_heading(heading)} under ignore finds {export.column(position)}, "
                        f"which {section} at {entry_place(document, loc)} reads: take it out of "
                        "one of them",
                        where=loaded.where(("ignore", index)),
                    )
        self._own = {c.field.id for c in columns}
        #: Answers the hub gives for every row (the mapping's ``constants``), typed.
        self.constants: dict[str, Value] = {}
        for field_id, raw in mapping.constants.items():
            value = parse_value(catalogue.by_id[field_id], raw)
            if value is not None:
                self.constants[field_id] = value
        self._cell_cache: tuple[dict[str, tuple[CellStatus, Settings]], ...] = tuple(
            {} for _ in columns
        )
        self._status_cache: tuple[dict[str, CellStatus], ...] = tuple({} for _ in columns)

    def provided_fields(self) -> set[str]:
        """Every field a mapped cell may set (its own field, or through a value map), and
        every field a constant sets."""
        provided = set(self._own) | set(self.constants)
        for column in self.columns:
            for settings in column.values.values():
                provided.update(fid for fid, _ in settings)
        return provided

    def settable_fields(self) -> tuple[frozenset[str], ...]:
        """For each mapped column, the fields its answers may set (own field and value maps)."""
        return tuple(
            frozenset(
                {column.field.id}
                | {fid for settings in column.values.values() for fid, _ in settings}
            )
            for column in self.columns
        )

    def statuses(self, key: Sequence[str]) -> tuple[CellStatus, ...]:
        """How each mapped cell (as given by ``key``) was answered."""
        found = tuple(map(dict.get, self._status_cache, key))
        if None in found:
            return tuple([self.status(j, cell) for j, cell in enumerate(key)])
        return found  # type: ignore[return-value]  # no None left

    def status(self, index: int, cell: str) -> CellStatus:
        """How mapped column ``index``'s cell was answered: blank, no, answered, unreadable."""
        cache = self._cell_cache[index]
        found = cache.get(cell)
        if found is None:
            found = self._read_cell(self.columns[index], cell)
            if len(cache) < CELL_CACHE_SIZE:
                cache[cell] = found
        if len(self._status_cache[index]) < CELL_CACHE_SIZE:
            self._status_cache[index][cell] = found[0]
        return found[0]

    def key(self, cells: Sequence[str]) -> tuple[str, ...]:
        """The cells that feed the criteria: equal keys give equal answers."""
        return tuple([cells[p] for p in self.positions])

    def read(self, key: Sequence[str]) -> ReadAnswers:
        """Read the mapped cells (as given by ``key``) into typed answers."""
        answers: dict[str, Value] = dict(self.constants)
        extras: dict[str, Value | None] = {}
        statuses: list[CellStatus] = []
        own: dict[str, Value | None] = {}
        given: dict[str, str] = {}
        for column, cache, cell in zip(self.columns, self._cell_cache, key, strict=True):
            found = cache.get(cell)
            if found is None:
                found = self._read_cell(column, cell)
                if len(cache) < CELL_CACHE_SIZE:
                    cache[cell] = found
            status, settings = found
            statuses.append(status)
            if status is CellStatus.UNREADABLE:
                given[column.field.id] = cell
            for fid, value in settings:
                if fid == column.field.id:
                    own[fid] = value
                elif fid not in self._own:
                    if fid in extras and extras[fid] != value:
                        extras[fid] = None  # two answers disagree: unknown
                    else:
                        extras[fid] = value
        for fid, value in (*extras.items(), *own.items()):
            if value is not None:
                answers[fid] = value
        return ReadAnswers(answers, tuple(statuses), given)

    def _read_cell(self, column: MappedColumn, cell: str) -> tuple[CellStatus, Settings]:
        field = column.field
        if is_unknown(cell):
            return CellStatus.BLANK, ()
        mapped = column.values.get(normalise(cell)) if column.values else None
        if mapped is not None:
            return self._status_of(field, mapped), mapped
        try:
            if column.split is not None:
                settings = self._read_many(column, cell)
                if settings is None:
                    return CellStatus.UNREADABLE, ()
                return self._status_of(field, settings), settings
            value = parse_value(field, cell)
        except ValueProblem:
            return CellStatus.UNREADABLE, ()
        if value is None:
            return CellStatus.BLANK, ()
        return (CellStatus.NO if _is_no(field, value) else CellStatus.ANSWERED), (
            (field.id, value),
        )

    def _read_many(self, column: MappedColumn, cell: str) -> Settings | None:
        from masterycheck.batch.many_of_answers import split_many

        assert column.split is not None
        matched, leftovers = split_many(cell, column.options, column.split)
        if any(part.strip() for part in leftovers):
            return None
        field = column.field
        chosen: set[str] = set()
        extra: list[tuple[str, Value | None]] = []
        for part in matched:
            mapped = column.values.get(normalise(part))
            if mapped is not None:
                for fid, value in mapped:
                    if fid == field.id and isinstance(value, frozenset):
                        chosen |= value
                    elif fid == field.id and isinstance(value, str):
                        chosen.add(value)
                    elif fid != field.id:
                        extra.append((fid, value))
                continue
            found = field.choice_lookup.get(normalise(part))
            if found is None:
                return None
            chosen.add(found)
        return ((field.id, frozenset(chosen)), *extra)

    @staticmethod
    def _status_of(field: Field, settings: Settings) -> CellStatus:
        for fid, value in settings:
            if fid == field.id:
                if value is None:
                    return CellStatus.BLANK
                return CellStatus.NO if _is_no(field, value) else CellStatus.ANSWERED
        return CellStatus.ANSWERED
