"""Finding and loading criteria files (catalogue and programmes) and profile files.

Every problem becomes a one-line ``InputError`` naming the file, line and column.
"""

from __future__ import annotations

import os
from pathlib import Path

from masterycheck.core.engine import CompiledProgramme, compile_programme
from masterycheck.core.fields import Catalogue
from masterycheck.core.profile import Profile, ProfileProblem, read_answer, read_profile
from masterycheck.core.programme import Programme
from masterycheck.core.rules import RuleProblem
from masterycheck.errors import InputError, place
from masterycheck.files.yaml_source import ModelT, load_model, load_yaml

CATALOGUE_FILE = "fields.yaml"
CRITERIA_ENV = "MASTERYCHECK_CRITERIA"


def criteria_dir() -> Path:
    """The folder of criteria files: $MASTERYCHECK_CRITERIA, the installed copy, or the repo's."""
    override = os.environ.get(CRITERIA_ENV)
    if override:
        return Path(override)
    return bundled_dir()


def bundled_dir() -> Path:
    """The criteria that come with masterycheck: the installed copy, or the repo's."""
    package = Path(__file__).resolve().parents[1]  # masterycheck/
    installed = package / "criteria"
    if (installed / CATALOGUE_FILE).is_file():
        return installed
    return package.parents[1] / "criteria"  # a source checkout: src/masterycheck/../../criteria


def programme_files(folder: Path | None = None) -> list[Path]:
    """The programme files in the criteria folder, sorted by name."""
    folder = folder or criteria_dir()
    return sorted(
        path
        for path in folder.glob("*.yaml")
        if path.name != CATALOGUE_FILE and not path.name.startswith(".")
    )


def criteria_files(folder: Path | None = None) -> list[Path]:
    """The catalogue and then every programme file of the criteria folder."""
    folder = folder or criteria_dir()
    return [folder / CATALOGUE_FILE, *programme_files(folder)]


def criteria_model(path: Path, model: type[ModelT], what: str) -> ModelT:
    """A criteria file loaded and validated as ``model`` (see ``load_model``)."""
    return load_model(path, model, what)[0]


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate the field catalogue."""
    return criteria_model(path or criteria_dir() / CATALOGUE_FILE, Catalogue, "a field catalogue")


def resolve_programme(ref: str) -> Path:
    """A programme id (``primary``) or a path to a programme file, as a path."""
    candidate = Path(ref)
    if ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref:
        return candidate
    path = criteria_dir() / f"{ref}.yaml"
    if ref == CATALOGUE_FILE.removesuffix(".yaml") or not path.is_file():
        known = ", ".join(p.stem for p in programme_files())
        raise InputError(f"unknown programme {ref!r}", hint=f"choose one of: {known}")
    return path


def load_programme(path: Path, catalogue: Catalogue) -> CompiledProgramme:
    """Load a programme file, validate it and compile its rules against the catalogue."""
    programme = criteria_model(path, Programme, "a programme file")
    try:
        compiled = compile_programme(programme, catalogue)
    except RuleProblem as problem:
        raise load_yaml(path).error_at(problem.loc, str(problem)) from None
    for index, example in enumerate(programme.examples):
        for key, value in example.profile.items():
            try:
                read_answer(catalogue, key, value)
            except ProfileProblem as problem:
                raise load_yaml(path).error_at(
                    ("examples", index, "profile", *problem.loc),
                    f"example {example.name!r}: {problem}",
                ) from None
    return compiled


def load_all_programmes(catalogue: Catalogue) -> list[CompiledProgramme]:
    """Every bundled programme, compiled."""
    return [load_programme(path, catalogue) for path in programme_files()]


def load_profile(path: Path, catalogue: Catalogue, *, lenient: bool = False) -> Profile:
    """Load a profile file (YAML or JSON): a mapping of field id to answer.

    An ``answers:`` key holding the mapping is accepted too, so a saved interview can carry
    other keys beside it in future.
    """
    document = load_yaml(path)
    data = document.data
    root: tuple[str | int, ...] = ()
    if data is None:
        data = {}
    if isinstance(data, dict) and set(data) == {"answers"} and isinstance(data["answers"], dict):
        data, root = data["answers"], ("answers",)
    if not isinstance(data, dict):
        raise InputError(
            "a profile must be a mapping of field ids to answers", where=place(document.name, 1, 1)
        )
    try:
        return read_profile(catalogue, data, lenient=lenient)
    except ProfileProblem as problem:
        raise document.error_at(
            (*root, *problem.loc),
            str(problem),
            value=catalogue.get(problem.field_id) is not None,
            hint="run 'masterycheck fields' to see the fields and accepted answers",
        ) from None
