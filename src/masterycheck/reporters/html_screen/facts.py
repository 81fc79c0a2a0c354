"""The run's facts, for the screening report's appendix, and the criteria by short label.

What a reader needs to trust, reproduce or question the run: the programme, the as-of date,
the input file (by name only, withheld when redacted), the row counts, the criteria files with
their checksums and verification dates, the mapping file, the overlay and the window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.labels import criterion_label
from masterycheck.core.programme import Level
from masterycheck.version import __version__


@dataclass(frozen=True, slots=True)
class CriteriaFile:
    """A criteria file the run used, by name and SHA-256 checksum."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class CriterionFacts:
    """A criterion as the report names it: its short label, and its published wording."""

    id: str  # never shown: it keys the criterion in attributes only
    short: str
    text: str
    level: str
    kind: str
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What a reader needs to trust, reproduce or question the run."""

    programme: str
    programme_name: str
    cohort: int | None
    academic_years: tuple[str, ...]
    as_of: dt.date
    input_name: str  # the file's name only, never its full path
    rows_in: int
    rows_out: int
    score_out_of: int
    criteria_files: tuple[CriteriaFile, ...]
    last_verified: tuple[dt.date, dt.date] | None  # oldest and newest
    criteria_texts: tuple[tuple[str, str], ...]  # criterion id -> published wording
    redacted: bool = False
    criteria: tuple[CriterionFacts, ...] = ()  # in the criteria file's order
    mapping_name: str | None = None
    overlay: str | None = None
    window: str = ""
    notes: tuple[str, ...] = ()
    version: str = __version__


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


REDACTED_INPUT_NAME = "(name withheld: --redact)"


def run_facts(
    compiled: CompiledProgramme,
    *,
    as_of: dt.date,
    input_path: Path,
    rows_in: int,
    rows_out: int,
    criteria_paths: Sequence[Path],
    redacted: bool = False,
    mapping_path: Path | None = None,
    overlay: str | None = None,
    notes: Sequence[str] = (),
) -> RunFacts:
    """The facts of a run, from the compiled programme (overlay applied) and the files used.

    ``criteria_paths`` are the programme file, the field catalogue and any overlay file; each
    is named (without its folder) with its checksum.
    """
    from masterycheck.core.window import window_status

    programme = compiled.programme
    criteria = [c.criterion for c in compiled.criteria]
    dates = [c.last_verified for c in criteria]
    return RunFacts(
        programme=programme.id,
        programme_name=programme.name,
        cohort=programme.cohort,
        academic_years=tuple(programme.academic_years),
        as_of=as_of,
        # The export's name can be a person's ("Jane Smith application.csv").
        input_name=REDACTED_INPUT_NAME if redacted else Path(input_path).name,
        rows_in=rows_in,
        rows_out=rows_out,
        score_out_of=sum(c.weight for c in criteria if c.level is Level.DESIRABLE),
        criteria_files=tuple(
            CriteriaFile(Path(p).name, sha256_file(Path(p))) for p in criteria_paths
        ),
        last_verified=(min(dates), max(dates)) if dates else None,
        criteria_texts=tuple((c.id, c.text) for c in criteria),
        criteria=tuple(
            CriterionFacts(
                c.id,
                criterion_label(c),
                c.text,
                c.level.value,
                c.kind.value,
                c.evidence,
            )
            for c in criteria
        ),
        redacted=redacted,
        mapping_name=Path(mapping_path).name if mapping_path is not None else None,
        overlay=overlay,
        window=window_status(programme.window, as_of).message,
        notes=tuple(notes),
    )
