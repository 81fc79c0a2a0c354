"""Re-reading an edited mapping against its export: what is still left to decide.

``masterycheck mapping --check MAPPING EXPORT`` validates the mapping as ``screen`` would,
binds its headings to the export's columns, and reads every distinct answer of every mapped
column through it, without screening anyone. It reports the answers that still cannot be
read (with how many rows give each), the answers the mapping reads as unknown by choice
(null), the essential fields no column or constant gives, and the export's columns the
mapping does not mention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from masterycheck.batch.row_mapping import CellStatus, RowMapper
from masterycheck.core.answers import is_unknown
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue, normalise
from masterycheck.files.mapping_file import LoadedMapping, missing_fields


@dataclass
class MappingReview:
    """What an edited mapping still leaves undecided for one export."""

    unplaced: dict[str, Counter[str]] = field(default_factory=dict)  # heading -> answer: rows
    unknown_by_choice: dict[str, list[str]] = field(default_factory=dict)  # mapped to null
    missing_essential: list[str] = field(default_factory=list)
    missing_other: list[str] = field(default_factory=list)
    unmentioned: list[str] = field(default_factory=list)  # export columns not in the mapping
    columns: int = 0
    rows: int = 0

    @property
    def settled(self) -> bool:
        """Nothing left to decide: every answer read, every essential field given."""
        return not self.unplaced and not self.missing_essential


def review_mapping(
    loaded: LoadedMapping,
    headings: Sequence[str],
    rows: Iterable[Sequence[str]],
    catalogue: Catalogue,
    compiled: CompiledProgramme,
) -> MappingReview:
    """Read every mapped answer of the export through the mapping (see the module)."""
    mapper = RowMapper(loaded, headings, catalogue)  # InputError: a heading the export lacks
    mapping = loaded.mapping
    review = MappingReview(columns=len(mapper.columns))
    seen: list[Counter[str]] = [Counter() for _ in mapper.columns]
    for cells in rows:
        review.rows += 1
        for index, position in enumerate(mapper.positions):
            cell = cells[position] if position < len(cells) else ""
            seen[index][cell] += 1
    for index, column in enumerate(mapper.columns):
        for cell, times in seen[index].items():
            if is_unknown(cell):
                continue
            status = mapper.status(index, cell)
            if status is CellStatus.UNREADABLE:
                review.unplaced.setdefault(column.heading, Counter())[cell.strip()] += times
    for entry in mapping.columns:
        nulls = [answer for answer, setting in entry.values.items() if setting is None]
        if nulls:
            review.unknown_by_choice[entry.heading] = nulls
    review.missing_essential, review.missing_other = missing_fields(mapping, compiled)
    mentioned = {
        normalise(h)
        for h in (
            *mapping.applicant.model_dump(exclude_none=True).values(),
            *(c.heading for c in mapping.columns),
            *mapping.keep,
            *mapping.ignore,
        )
    }
    review.unmentioned = [h for h in headings if h.strip() and normalise(h) not in mentioned]
    return review
