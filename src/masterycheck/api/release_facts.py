"""The Python API's facts of what produced a result: the release and its criteria files.

Offered by ``masterycheck.api`` (and ``import masterycheck``), imported on first use: what
``masterycheck --version`` prints and the HTML screening report records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from masterycheck.errors import InputError
from masterycheck.version import __version__


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
