"""The export corpus of ``tests/batch/export_corpus`` and how a proposal is measured on it.

Each folder holds a form export (``export.csv`` or ``export.xlsx``) and the mapping a careful
hub lead wrote for it (``expected.mapping.yaml``). A proposal, unedited, is compared with it:

* **columns**: for each question column (not the applicant's own columns, not the form
  system's bookkeeping), whether the proposal gives it the same field, or, like the expected
  mapping, none (ignored, kept or an applicant detail such as the school);
* **answers**: for each distinct answer in a column the expected mapping gives a yes/no,
  one-of or many-of field, whether the proposal reads it as the expected mapping does (the
  cell read through both mappings, all the fields it sets compared), a column given another
  field counting every answer wrong;
* **applicant**: whether the name and email columns are the expected ones.

Folders named ``heldout_*`` were written before the matching code was tuned, and are never
tuned on: their rates are reported apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from masterycheck.batch.proposal import Proposal, propose_mapping, sample_answers
from masterycheck.batch.row_mapping import RowMapper
from masterycheck.batch.tables import open_table
from masterycheck.core.answers import Value
from masterycheck.core.fields import Catalogue, FieldType, normalise
from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
from masterycheck.files.mapping_file import LoadedMapping, MappingFile, load_mapping

CORPUS = Path(__file__).resolve().parent / "batch" / "export_corpus"
BOOKKEEPING = frozenset(
    normalise(h) for h in ("ID", "Start time", "Completion time", "Last modified time", "Timestamp")
)
CHOICE_TYPES = (FieldType.YES_NO, FieldType.ONE_OF, FieldType.MANY_OF)


@dataclass
class Measure:
    """Hits and misses of one proposal against its expected mapping."""

    name: str
    columns: int = 0
    column_hits: int = 0
    answers: int = 0
    answer_hits: int = 0
    applicant_right: bool = False
    column_misses: list[str] = field(default_factory=list)
    answer_misses: list[str] = field(default_factory=list)

    @property
    def held_out(self) -> bool:
        """Written before tuning and never tuned on."""
        return self.name.startswith("heldout_")


def corpus_folders() -> list[Path]:
    """Every export folder of the corpus, by name."""
    return sorted(p for p in CORPUS.iterdir() if (p / "expected.mapping.yaml").is_file())


def export_file(folder: Path) -> Path:
    """The export of a corpus folder."""
    return next(folder.glob("export.*"))


def propose_for(folder: Path, catalogue: Catalogue) -> tuple[Proposal, LoadedMapping, Path]:
    """The unedited proposal for a corpus export, its expected mapping, and the export."""
    expected = load_mapping(folder / "expected.mapping.yaml", catalogue)
    programme = expected.mapping.programme or "primary"
    compiled = load_programme(resolve_programme(programme), catalogue)
    export = export_file(folder)
    source = open_table(export)
    samples = sample_answers((row.cells for row in source.rows()), len(source.headings))
    return propose_mapping(source.headings, catalogue, compiled, samples=samples), expected, export


def _fields_by_heading(mapping: MappingFile) -> dict[str, str]:
    return {column.heading: column.field for column in mapping.columns}


def _read_one(
    mapper: RowMapper, width: int, position: int, cell: str, leave_out: set[str]
) -> dict[str, Value]:
    cells = [""] * width
    cells[position] = cell
    answers = mapper.read(mapper.key(cells)).answers
    return {k: v for k, v in answers.items() if k not in leave_out}


def measure(folder: Path, catalogue: Catalogue | None = None) -> Measure:
    """Compare the unedited proposal for one corpus export with its expected mapping."""
    catalogue = catalogue or load_catalogue()
    proposal, expected, export = propose_for(folder, catalogue)
    result = Measure(folder.name)
    source = open_table(export)
    headings = list(source.headings)
    rows = [list(row.cells) for row in source.rows()]
    want = _fields_by_heading(expected.mapping)
    got = _fields_by_heading(proposal.mapping)
    roles = expected.mapping.applicant
    proposed_roles = proposal.mapping.applicant
    result.applicant_right = (roles.name, roles.email) == (
        proposed_roles.name,
        proposed_roles.email,
    )
    identity = {h for h in (roles.id, roles.name, roles.email) if h}
    for heading in headings:
        if heading in identity or normalise(heading) in BOOKKEEPING:
            continue
        result.columns += 1
        if want.get(heading) == got.get(heading):
            result.column_hits += 1
        else:
            result.column_misses.append(
                f"{heading!r}: expected {want.get(heading)}, proposed {got.get(heading)}"
            )
    constants = set(expected.mapping.constants)  # the hub's, not this column's answers
    expected_mapper = RowMapper(expected, headings, catalogue)
    proposed_mapper = RowMapper(LoadedMapping(proposal.mapping), headings, catalogue)
    for position, heading in enumerate(headings):
        field_id = want.get(heading)
        if field_id is None or catalogue.by_id[field_id].type not in CHOICE_TYPES:
            continue
        seen = {row[position].strip() for row in rows if position < len(row)}
        for cell in sorted(answer for answer in seen if answer):
            result.answers += 1
            wanted = _read_one(expected_mapper, len(headings), position, cell, constants)
            proposed = _read_one(proposed_mapper, len(headings), position, cell, constants)
            if got.get(heading) == field_id and wanted == proposed:
                result.answer_hits += 1
            else:
                result.answer_misses.append(
                    f"{heading!r} {cell!r}: expected {wanted}, proposed {proposed}"
                )
    return result


def rate(hits: int, total: int) -> float:
    """hits / total, 1.0 for nothing to count."""
    return hits / total if total else 1.0
