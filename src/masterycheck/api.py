"""The Python API: load the criteria, assess a teacher, screen form rows, propose a mapping.

What ``import masterycheck`` offers (its ``__all__``); the ``check`` command is built on these
functions. A mistake in what is given (an unknown programme, a bad file, an answer that cannot
be read) raises ``InputError``, whose ``str`` is the one line the command line prints.

Only the criteria (core and files) are imported here; the screening and mapping machinery is
imported when ``screen`` or ``propose_mapping`` is first called, so that ``check`` starts as
fast as before.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.engine import assess as _assess
from masterycheck.core.fields import Catalogue
from masterycheck.core.profile import Profile, ProfileProblem
from masterycheck.core.results import Assessment
from masterycheck.core.vocabulary import Level, Outcome, RowVerdict, Verdict
from masterycheck.errors import InputError
from masterycheck.version import __version__

if TYPE_CHECKING:
    from masterycheck.batch.proposal import Proposal
    from masterycheck.batch.row_mapping import RowMapper
    from masterycheck.batch.tables import TableRow
    from masterycheck.files.mapping_file import LoadedMapping, MappingFile

__all__ = [
    "Assessment",
    "Catalogue",
    "CompiledProgramme",
    "CriteriaFileFacts",
    "InputError",
    "MappingProposal",
    "Profile",
    "RowVerdict",
    "ScreenedRow",
    "Verdict",
    "VersionFacts",
    "assess",
    "assess_all",
    "best_fit_first",
    "load_catalogue",
    "load_overlay",
    "load_profile",
    "load_programme",
    "load_programmes",
    "propose_mapping",
    "read_profile",
    "screen",
    "version_facts",
]

PathLike: TypeAlias = str | os.PathLike[str]
#: A programme: its id (``"primary"``), the path of a programme file, or one already loaded.
ProgrammeRef: TypeAlias = str | os.PathLike[str] | CompiledProgramme
#: Rows of a form export given as data: each a mapping of heading to answer, or a sequence
#: of answers in the order of ``headings``.
Rows: TypeAlias = Iterable[Mapping[str, object] | Sequence[object]]

# --- the criteria ------------------------------------------------------------------------------


def load_catalogue(path: PathLike | None = None) -> Catalogue:
    """The field catalogue: the bundled one (``criteria/fields.yaml``), or the file at ``path``."""
    from masterycheck.files.criteria import load_catalogue as load

    return load(Path(path) if path is not None else None)


def load_programme(
    programme: PathLike,
    *,
    catalogue: Catalogue | None = None,
    overlay: PathLike | None = None,
) -> CompiledProgramme:
    """A programme, checked and compiled: a bundled one by id (``"primary"``, ``"secondary"``,
    ``"post16"``) or a programme file by path; with ``overlay``, a hub overlay file applied
    (its desirable criteria, weights and fields: it never changes a verdict)."""
    from masterycheck.files.criteria import load_programme as load
    from masterycheck.files.criteria import resolve_programme

    if catalogue is None:
        catalogue = load_catalogue()
    compiled = load(resolve_programme(os.fspath(programme)), catalogue)
    return compiled if overlay is None else load_overlay(overlay, compiled)


def load_programmes(catalogue: Catalogue | None = None) -> list[CompiledProgramme]:
    """Every bundled programme, compiled, in file-name order."""
    from masterycheck.files.criteria import load_all_programmes

    return load_all_programmes(catalogue if catalogue is not None else load_catalogue())


def load_overlay(overlay: PathLike, programme: ProgrammeRef) -> CompiledProgramme:
    """``programme`` with the hub overlay file ``overlay`` applied, compiled (the result's
    ``catalogue`` holds the overlay's own fields)."""
    from masterycheck.files.overlays import load_overlay as load

    compiled = _programme(programme)
    return load(Path(overlay), compiled, compiled.catalogue)[1]


def _programme(programme: ProgrammeRef) -> CompiledProgramme:
    if isinstance(programme, CompiledProgramme):
        return programme
    return load_programme(programme)


# --- one teacher -------------------------------------------------------------------------------


def read_profile(
    answers: Mapping[str, object], catalogue: Catalogue, *, lenient: bool = False
) -> Profile:
    """Read answers given as data (field id -> answer, as in a profile file: ``"yes"``,
    ``2019``, ``"2019-07"``, a list for a many-of field, ``None`` or ``"don't know"`` for
    unknown). With ``lenient`` an answer of the wrong type becomes unknown with a note;
    otherwise, like an unknown field id always, it raises ``InputError`` naming the field."""
    from masterycheck.core.profile import read_profile as read

    try:
        return read(catalogue, answers, lenient=lenient)
    except ProfileProblem as problem:
        raise InputError(
            str(problem), hint="run 'masterycheck fields' to see the fields and accepted answers"
        ) from None


def load_profile(
    path: PathLike, *, catalogue: Catalogue | None = None, lenient: bool = False
) -> Profile:
    """Read a profile file (YAML or JSON); a problem raises ``InputError`` at file:line:column."""
    from masterycheck.files.criteria import load_profile as load

    return load(
        Path(path), catalogue if catalogue is not None else load_catalogue(), lenient=lenient
    )


def assess(
    programme: ProgrammeRef,
    answers: Mapping[str, object] | Profile,
    *,
    as_of: dt.date | None = None,
    lenient: bool = False,
) -> Assessment:
    """Assess a teacher's answers (a mapping as in a profile file, or a ``Profile``) against
    ``programme`` as of ``as_of`` (default: today).

    The result is what ``check --format json`` reports: ``assessment.to_dict()`` is its JSON.
    """
    compiled = _programme(programme)
    profile = (
        answers
        if isinstance(answers, Profile)
        else read_profile(answers, compiled.catalogue, lenient=lenient)
    )
    return _assess(compiled, profile, as_of if as_of is not None else dt.date.today())


#: Eligible first, then incomplete, then not eligible: the ranking order of ``RowVerdict``.
_VERDICT_RANK = {verdict: list(RowVerdict).index(RowVerdict.of(verdict)) for verdict in Verdict}


def best_fit_first(assessments: Iterable[Assessment]) -> list[Assessment]:
    """Order assessments: programmes the teacher's setting rules out (``not_for_you``) last;
    then eligible, incomplete, not eligible; fewer essentials failing or unknown, then a
    higher desirable score, come first."""

    def key(assessment: Assessment) -> tuple[bool, int, int, int, int]:
        failing = len(assessment.stopped_by)
        unknown = sum(
            1
            for r in assessment.criteria
            if r.level is Level.ESSENTIAL and r.outcome is Outcome.UNKNOWN
        )
        return (
            assessment.not_for_you is not None,
            _VERDICT_RANK[assessment.verdict],
            failing,
            unknown,
            -assessment.desirable.percent,
        )

    return sorted(assessments, key=key)


def assess_all(
    answers: Mapping[str, object] | Profile,
    *,
    as_of: dt.date | None = None,
    lenient: bool = False,
    programmes: Iterable[CompiledProgramme] | None = None,
) -> list[Assessment]:
    """Assess the answers against every bundled programme (or ``programmes``), best fit first
    (what ``check --all`` reports). Phase first: a programme that where and what the teacher
    teaches rules out carries ``not_for_you`` (why, in one sentence) and comes last."""
    from masterycheck.core.fit import mark_fit

    chosen = list(programmes) if programmes is not None else load_programmes()
    if not chosen:
        return []
    profile = (
        answers
        if isinstance(answers, Profile)
        else read_profile(answers, chosen[0].catalogue, lenient=lenient)
    )
    assessed = [(p, assess(p, profile, as_of=as_of)) for p in chosen]
    return best_fit_first(mark_fit(assessed, profile))


# --- form exports ------------------------------------------------------------------------------


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
    from masterycheck.files.mapping_file import (
        LoadedMapping,
        MappingFile,
        MappingProblem,
        check_mapping,
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


# --- what produced a result --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriteriaFileFacts:
    """A criteria file in use: its name, SHA-256 and the dates its criteria were last verified
    (oldest, newest; None for the field catalogue, or a file that does not load: ``problem``)."""

    name: str
    path: Path
    sha256: str
    last_verified: tuple[dt.date, dt.date] | None
    problem: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The facts as plain data."""
        dates = self.last_verified
        return {
            "name": self.name,
            "sha256": self.sha256,
            "last_verified": (
                {"oldest": dates[0].isoformat(), "newest": dates[1].isoformat()}
                if dates is not None
                else None
            ),
            "problem": self.problem,
        }


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """Which release, and which criteria files, produce a result (``masterycheck --version``)."""

    version: str
    criteria_dir: Path
    criteria_files: tuple[CriteriaFileFacts, ...]

    def to_dict(self) -> dict[str, object]:
        """The facts as plain data (``masterycheck --version --format json``)."""
        return {
            "version": self.version,
            "criteria_dir": str(self.criteria_dir),
            "criteria_files": [f.to_dict() for f in self.criteria_files],
        }


def version_facts() -> VersionFacts:
    """The package version and every criteria file in use, with its checksum and the dates its
    criteria were last verified (the facts the HTML screening report records)."""
    from masterycheck.core.programme import Programme
    from masterycheck.files.criteria import criteria_dir, criteria_files, criteria_model
    from masterycheck.reporters.html_screen.facts import sha256_file

    folder = criteria_dir()
    found: list[CriteriaFileFacts] = []
    for index, path in enumerate(criteria_files(folder)):
        checksum = sha256_file(path) if path.is_file() else ""
        dates: tuple[dt.date, dt.date] | None = None
        problem: str | None = None if checksum else "missing"
        if index > 0 and checksum:  # the first is the catalogue: it has no criteria
            try:
                programme = criteria_model(path, Programme, "a programme file")
            except InputError as error:
                problem = error.one_line()
            else:
                verified = [c.last_verified for c in programme.criteria]
                dates = (min(verified), max(verified)) if verified else None
        found.append(CriteriaFileFacts(path.name, path, checksum, dates, problem))
    return VersionFacts(__version__, folder, tuple(found))
