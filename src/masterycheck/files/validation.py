"""Validating the files people write, and running the examples of programme files: the
results that ``masterycheck validate`` and ``masterycheck test`` report.

Nothing here prints: each function returns facts (a file's summary or its error, an
example's expected and actual verdicts) for the command line to report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from masterycheck.core.engine import assess
from masterycheck.core.profile import read_profile
from masterycheck.errors import InputError
from masterycheck.files.criteria import (
    CATALOGUE_FILE,
    criteria_files,
    load_all_programmes,
    load_catalogue,
    load_programme,
    programme_files,
)
from masterycheck.files.yaml_source import load_yaml

if TYPE_CHECKING:
    from masterycheck.core.fields import Catalogue
    from masterycheck.core.vocabulary import Verdict


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One file validated: what it holds (``summary``), or the user's error that refused it."""

    path: Path
    summary: str | None = None
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        """Whether the file is valid."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class ExampleRun:
    """One example of a programme file assessed: the verdict it expects and the one it got."""

    programme: str
    example: str
    expected: Verdict
    verdict: Verdict
    expected_reason: str | None = None
    reasons: tuple[str, ...] = ()

    @property
    def reason_found(self) -> bool:
        """Whether the expected reason (if any) is in one criterion's reason."""
        wanted = (self.expected_reason or "").casefold()
        return not wanted or any(wanted in reason.casefold() for reason in self.reasons)

    @property
    def passed(self) -> bool:
        """Whether the criteria gave the verdict, and the reason, the example expects."""
        return self.verdict is self.expected and self.reason_found


def validate_files(paths: Sequence[Path] | None = None) -> list[FileCheck]:
    """Validate each file: catalogue, programme, mapping or overlay (told apart by its keys).

    Without ``paths``, the bundled catalogue and programmes. A file's ``InputError`` is kept
    in its result and the other files are still validated; the bundled catalogue, which every
    file is checked against, must load (its ``InputError`` propagates).
    """
    catalogue = load_catalogue()
    targets = list(paths) if paths else criteria_files()
    checks: list[FileCheck] = []
    for path in targets:
        try:
            if path.name == CATALOGUE_FILE:
                summary = f"{len(load_catalogue(path).fields)} fields"
            else:
                summary = _validate_file(path, catalogue, targets)
        except InputError as error:
            checks.append(FileCheck(path, error=error))
        else:
            checks.append(FileCheck(path, summary))
    return checks


def run_examples(paths: Sequence[Path] | None = None) -> list[ExampleRun]:
    """Assess every example of the programme files (default: the bundled ones), in file order.

    An example is assessed as of its ``as_of`` date, or today. A file that does not load stops
    the run with its ``InputError``; a catalogue file among ``paths`` is skipped.
    """
    catalogue = load_catalogue()
    runs: list[ExampleRun] = []
    for path in list(paths) if paths else criteria_files():
        if path.name == CATALOGUE_FILE:
            continue
        compiled = load_programme(path, catalogue)
        for example in compiled.programme.examples:
            profile = read_profile(catalogue, example.profile)
            day = example.as_of or dt.date.today()
            assessment = assess(compiled, profile, day)
            runs.append(
                ExampleRun(
                    compiled.programme.id,
                    example.name,
                    example.expect,
                    assessment.verdict,
                    example.reason,
                    tuple(result.reason for result in assessment.criteria),
                )
            )
    return runs


def _validate_file(path: Path, catalogue: Catalogue, targets: Sequence[Path]) -> str:
    """Validate a programme, mapping or overlay file (told apart by its keys).

    ``targets`` are all the files being validated: a mapping may name a programme given
    beside it rather than a bundled one.
    """
    data = load_yaml(path).data
    keys = set(data) if isinstance(data, dict) else set()
    if "columns" in keys and "criteria" not in keys:
        return _validate_mapping(path, catalogue, targets)
    if keys & OVERLAY_KEYS and "criteria" not in keys:
        return _validate_overlay(path, catalogue)
    programme = load_programme(path, catalogue).programme
    return (
        f"{len(programme.essentials())} essential, "
        f"{len(programme.desirables())} desirable, {len(programme.examples)} examples"
    )


#: Keys that tell an overlay file from a programme file.
OVERLAY_KEYS = frozenset({"add_criteria", "add_fields", "weights"})


def _with_overlay_fields(catalogue: Catalogue, targets: Sequence[Path]) -> Catalogue:
    """The catalogue with the fields of every overlay among ``targets`` (that loads) added."""
    from masterycheck.core.overlay import Overlay, OverlayProblem, extend_catalogue
    from masterycheck.files.yaml_source import load_model

    for target in targets:
        try:
            data = load_yaml(target).data
            if not isinstance(data, dict) or "criteria" in data or not set(data) & OVERLAY_KEYS:
                continue
            overlay, _ = load_model(target, Overlay, "an overlay file")
            catalogue = extend_catalogue(catalogue, overlay)
        except (InputError, OverlayProblem):
            continue  # reported on the overlay's own line
    return catalogue


def _validate_overlay(path: Path, catalogue: Catalogue) -> str:
    """Validate an overlay file against every bundled programme it is for."""
    from masterycheck.core.overlay import Overlay
    from masterycheck.files.overlays import load_overlay
    from masterycheck.files.yaml_source import load_model

    overlay, _ = load_model(path, Overlay, "an overlay file")
    names = []
    for compiled in load_all_programmes(catalogue):
        if not overlay.programmes or compiled.programme.id in overlay.programmes:
            load_overlay(path, compiled, catalogue)
            names.append(compiled.programme.id)
    added = len(overlay.add_criteria)
    return f"overlay: {added} criteria added, checked on {', '.join(names) or 'no programme'}"


def _validate_mapping(path: Path, catalogue: Catalogue, targets: Sequence[Path]) -> str:
    """Validate a mapping file, and check it against the programme its ``programme:`` names.

    A programme that is neither bundled nor among ``targets`` is refused at the
    ``programme:`` value (``screen`` would refuse the mapping for every programme it could
    be given); essential fields the named programme needs that no column provides are
    counted in the summary (``screen`` will then need ``--allow-missing``).
    """
    from masterycheck.files.mapping_file import (
        load_mapping,
        missing_fields,
        unapplied_overlay_columns,
    )

    catalogue = _with_overlay_fields(catalogue, [p for p in targets if p != path])
    loaded = load_mapping(path, catalogue)
    summary = f"mapping: {len(loaded.mapping.columns)} columns"
    unapplied = [c.field for c in unapplied_overlay_columns(loaded.mapping, catalogue)]
    if unapplied:
        summary += (
            f"; {len(unapplied)} column(s) for a hub overlay not given here, not checked "
            f"({', '.join(unapplied)}): validate the overlay with it"
        )
    named = loaded.mapping.programme
    if named is None:
        return summary
    programmes = _programme_ids([p for p in targets if p != path])
    if named not in programmes:
        known = ", ".join(sorted(programmes))
        raise InputError(
            f"the mapping is for programme {named!r}, which is not a known programme",
            where=loaded.where(("programme",), value=True),
            hint=f"choose one of: {known}; or leave programme: out",
        )
    compiled = load_programme(programmes[named], catalogue)
    missing, _ = missing_fields(loaded.mapping, compiled)
    if missing:
        summary += (
            f"; no column for {len(missing)} field(s) the {named} essential criteria need, "
            "so screening needs --allow-missing"
        )
    return summary


def _programme_ids(targets: Sequence[Path]) -> dict[str, Path]:
    """Programme id -> file, for the bundled programmes and the programme files in ``targets``.

    Only each file's ``id:`` is read here; the files themselves are validated on their own
    lines (a target that cannot be read is skipped).
    """
    found: dict[str, Path] = {}
    for candidate in (*programme_files(), *targets):
        if candidate.name == CATALOGUE_FILE:
            continue
        try:
            data = load_yaml(candidate).data
        except InputError:
            continue
        if isinstance(data, dict) and "criteria" in data and isinstance(data.get("id"), str):
            found[str(data["id"])] = candidate
    return found


__all__ = ["ExampleRun", "FileCheck", "run_examples", "validate_files"]
