"""The Python API for form exports: screen their rows, propose a mapping of their columns.

An export is a CSV or XLSX file, read by the strict reader, or rows given as data (each a
mapping of heading to answer, or a sequence of answers), read as the strict reader reads a
file's. The names here are offered by ``masterycheck.api`` (and ``import masterycheck``) and
imported on first use; the screening and mapping machinery is imported when ``screen`` or
``propose_mapping`` is first called.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from masterycheck.api import PathLike, ProgrammeRef, Rows, _programme
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.engine import assess as _assess
from masterycheck.core.profile import Profile
from masterycheck.core.results import Assessment
from masterycheck.core.vocabulary import RowVerdict
from masterycheck.errors import InputError

if TYPE_CHECKING:
    from masterycheck.batch.proposal import Proposal
    from masterycheck.batch.row_mapping import RowMapper
    from masterycheck.batch.tables import TableRow
    from masterycheck.files.mapping_file import LoadedMapping, MappingFile


@dataclass(frozen=True, slots=True)
class ScreenedRow:
    """One row of a form export, screened: its assessment, or why it could not be read.

    ``row`` counts data rows from 1; ``line`` is where the row starts in the file (for rows
    given as data, ``row + 1``, as if a heading row came first). ``assessment`` is None only
    for an invalid row (``problem`` says why: blank, short or long). ``applicant`` holds the
    cells of the columns the mapping names under ``applicant`` (id, name, email).
    """

    row: int
    line: int
    verdict: RowVerdict
    assessment: Assessment | None
    problem: str | None = None
    applicant: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # answers that could not be read, treated as unknown

    def to_dict(self) -> dict[str, object]:
        """The row as plain data (the assessment as ``check --format json`` gives it)."""
        return {
            "row": self.row,
            "line": self.line,
            "verdict": self.verdict.value,
            "problem": self.problem,
            "applicant": dict(self.applicant),
            "notes": list(self.notes),
            "assessment": self.assessment.to_dict() if self.assessment is not None else None,
        }


@dataclass(frozen=True, slots=True)
class MappingProposal:
    """A proposed mapping of an export's columns to profile fields, for a person to review:
    ``yaml`` is the commented mapping file ``masterycheck mapping`` writes; ``proposal`` its
    structured parts (``mapping``, the approximate matches, answers no choice matched, and the
    fields no column provides)."""

    yaml: str
    proposal: Proposal

    @property
    def mapping(self) -> MappingFile:
        """The mapping itself, as ``screen`` reads it."""
        return self.proposal.mapping

    @property
    def missing_essential(self) -> list[str]:
        """Fields the programme's essential criteria need that no column provides."""
        return list(self.proposal.missing_essential)


@dataclass(frozen=True, slots=True)
class _Table:
    """An export's headings and rows, from a file or from data."""

    name: str
    headings: tuple[str, ...]
    rows: Iterable[TableRow]


def _table(
    rows: PathLike | Rows,
    headings: Sequence[str] | None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> _Table:
    """Open an export file with the strict reader, or take rows given as data."""
    if isinstance(rows, str | os.PathLike):
        from masterycheck.batch.tables import open_table

        path = Path(rows)
        source = open_table(path, encoding=encoding, sheet=sheet)
        return _Table(path.name, source.headings, source.rows())
    iterator = iter(rows)
    first = next(iterator, None)
    if headings is None:
        if not isinstance(first, Mapping):
            raise InputError("rows given as sequences need their headings", where="headings")
        headings = [str(key) for key in first]
    chained = iterator if first is None else _prepend(first, iterator)
    shown = tuple(headings)
    return _Table("rows", shown, _data_rows(chained, shown))


def _prepend(first: object, rest: Iterator[object]) -> Iterator[object]:
    yield first
    yield from rest


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _data_rows(rows: Iterable[object], headings: tuple[str, ...]) -> Iterator[TableRow]:
    """Rows given as data, as the strict reader gives a file's: short, long and blank rows are
    kept, with the problem; a mapping row with a heading not in ``headings`` is refused."""
    from masterycheck.batch.tables import TableRow

    width = len(headings)
    for number, row in enumerate(rows, start=1):
        if isinstance(row, Mapping):
            unknown = [key for key in row if key not in headings]
            if unknown:
                raise InputError(
                    f"row {number} has a heading the first row lacks: {unknown[0]!r}",
                    hint="give every heading in the first row, or pass headings=",
                )
            cells = tuple(_cell(row.get(heading)) for heading in headings)
            problem = None
        elif isinstance(row, Sequence) and not isinstance(row, str | bytes):
            cells = tuple(_cell(value) for value in row)
            problem = (
                None if len(cells) == width else f"row has {len(cells)} cells, expected {width}"
            )
        else:
            raise InputError(f"row {number} is neither a mapping nor a sequence of answers")
        if problem is None and not any(cell.strip() for cell in cells):
            problem = "blank row"
        yield TableRow(number, number + 1, cells, problem)


def _loaded_mapping(
    mapping: PathLike | MappingProposal | MappingFile,
    compiled: CompiledProgramme,
) -> LoadedMapping:
    from masterycheck.files.mapping_checks import check_mapping
    from masterycheck.files.mapping_file import (
        LoadedMapping,
        MappingFile,
        MappingProblem,
        load_mapping,
    )

    if isinstance(mapping, MappingProposal):
        mapping = mapping.mapping
    if isinstance(mapping, MappingFile):
        try:
            check_mapping(mapping, compiled.catalogue)
        except MappingProblem as problem:
            raise InputError(str(problem), where="mapping") from None
        return LoadedMapping(mapping)
    return load_mapping(Path(mapping), compiled.catalogue, programme=compiled)


def propose_mapping(
    export: PathLike | Rows,
    programme: ProgrammeRef,
    *,
    headings: Sequence[str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> MappingProposal:
    """Propose a mapping from an export's headings and a sample of its answers (a CSV or XLSX
    file, or rows given as data), as ``masterycheck mapping`` does; its YAML starts with the
    line that points an editor at the shipped mapping schema."""
    from masterycheck.batch.proposal import propose_mapping as propose
    from masterycheck.batch.proposal import render_mapping, sample_answers
    from masterycheck.files.schemas import MODELINE, schema_comment

    compiled = _programme(programme)
    table = _table(export, headings, encoding=encoding, sheet=sheet)
    samples = sample_answers((row.cells for row in table.rows), len(table.headings))
    proposal = propose(table.headings, compiled.catalogue, compiled, samples=samples)
    text = render_mapping(proposal, compiled.catalogue, source=table.name)
    if not text.startswith(MODELINE):
        text = f"{schema_comment('mapping')}\n{text}"
    return MappingProposal(text, proposal)


def screen(
    export: PathLike | Rows,
    programme: ProgrammeRef,
    *,
    mapping: PathLike | MappingProposal | MappingFile | None = None,
    headings: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    allow_missing: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Iterator[ScreenedRow]:
    """Screen every row of a form export (a CSV or XLSX file, or rows given as data) against
    ``programme``, yielding one ``ScreenedRow`` per row, in input order, invalid rows included.

    ``mapping`` is a mapping file (or a proposal, or a ``MappingFile``); without one, a mapping
    is proposed from the headings and answers, as ``screen`` does without ``--mapping`` (rows
    given as data are then read twice: give a list). A mapping that leaves a field the
    essential criteria need without a column raises ``InputError``, unless ``allow_missing``
    (those criteria then stay unknown). Rows are assessed as they are read; ranking them needs
    them all, so it is left to the caller (``masterycheck screen`` writes ranked results).
    """
    from masterycheck.batch.row_mapping import RowMapper
    from masterycheck.files.mapping_file import missing_fields

    compiled = _programme(programme)
    day = as_of if as_of is not None else dt.date.today()
    if mapping is None:
        if not isinstance(export, str | os.PathLike):
            export = list(export)  # read twice: for the proposal's sample, then to screen
        mapping = propose_mapping(export, compiled, headings=headings, encoding=encoding)
    loaded = _loaded_mapping(mapping, compiled)
    missing, _ = missing_fields(loaded.mapping, compiled)
    if missing and not allow_missing:
        raise InputError(
            "no column provides these fields the programme's essential criteria need: "
            + ", ".join(missing),
            hint="map a column to each, or pass allow_missing=True to leave them unknown",
        )
    table = _table(export, headings, encoding=encoding, sheet=sheet)
    mapper = RowMapper(loaded, table.headings, compiled.catalogue)
    for row in table.rows:
        yield _screened(row, mapper, compiled, day)


def _screened(
    row: TableRow, mapper: RowMapper, compiled: CompiledProgramme, day: dt.date
) -> ScreenedRow:
    """One row's result: invalid with its problem, or assessed from its mapped cells."""
    from masterycheck.batch.row_mapping import CellStatus

    applicant = {
        role: row.cells[position].strip()
        for role, position in mapper.applicant.items()
        if position < len(row.cells) and row.cells[position].strip()
    }
    if row.problem is not None:
        return ScreenedRow(row.number, row.line, RowVerdict.INVALID, None, row.problem, applicant)
    key = mapper.key(row.cells)
    read = mapper.read(key)
    unreadable = {
        column.field.id: cell
        for column, status, cell in zip(mapper.columns, read.statuses, key, strict=True)
        if status is CellStatus.UNREADABLE
    }
    notes = tuple(
        f"row {row.number}, column “{column.heading}”: unreadable answer, treated as unknown"
        for column, status in zip(mapper.columns, read.statuses, strict=True)
        if status is CellStatus.UNREADABLE
    )
    assessment = _assess(compiled, Profile(read.answers, notes, unreadable), day)
    return ScreenedRow(
        row.number,
        row.line,
        RowVerdict.of(assessment.verdict),
        assessment,
        None,
        applicant,
        notes,
    )
