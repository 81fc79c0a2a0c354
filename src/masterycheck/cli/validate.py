"""`masterycheck validate` and `masterycheck test`: check criteria files and their examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import (
    FormatOption,
    OutputFormat,
    error_line,
    print_json,
    reports_errors,
)
from masterycheck.errors import ExitCode, InputError
from masterycheck.outputs.terminal import one_line

if TYPE_CHECKING:
    from masterycheck.core.fields import Catalogue

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Criteria files (default: the bundled catalogue and programmes)."),
]


def _targets(paths: list[Path] | None) -> list[Path]:
    from masterycheck.files.criteria import CATALOGUE_FILE, criteria_dir, programme_files

    if paths:
        return paths
    return [criteria_dir() / CATALOGUE_FILE, *programme_files()]


@reports_errors
def validate(paths: PathsArgument = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Validate criteria, mapping and overlay files: syntax, keys, rules against the catalogue.

    Exit code: 0 all valid, 2 a file is invalid (one line per invalid file on stderr).
    """
    from masterycheck.files.criteria import CATALOGUE_FILE, load_catalogue

    catalogue = load_catalogue()
    results: list[dict[str, object]] = []
    for path in _targets(paths):
        try:
            if path.name == CATALOGUE_FILE:
                found = load_catalogue(path)
                summary = f"{len(found.fields)} fields"
            else:
                summary = _validate_file(path, catalogue, _targets(paths))
            results.append({"path": str(path), "ok": True, "summary": summary})
        except InputError as error:
            results.append({"path": str(path), "ok": False, "error": error.one_line()})
            typer.echo(error_line(error), err=True)
    if output_format is OutputFormat.JSON:
        print_json(results)
    else:
        for result in results:
            if result["ok"]:
                typer.echo(one_line(f"ok: {result['path']} ({result['summary']})"))
    if not all(result["ok"] for result in results):
        raise typer.Exit(ExitCode.BAD_INPUT)


def _validate_file(path: Path, catalogue: Catalogue, targets: list[Path]) -> str:
    """Validate a programme, mapping or overlay file (told apart by its keys).

    ``targets`` are all the files being validated: a mapping may name a programme given
    beside it rather than a bundled one.
    """
    from masterycheck.files.criteria import load_all_programmes, load_programme
    from masterycheck.files.yaml_source import load_yaml

    data = load_yaml(path).data
    keys = set(data) if isinstance(data, dict) else set()
    if "columns" in keys and "criteria" not in keys:
        return _validate_mapping(path, catalogue, targets)
    if keys & {"add_criteria", "weights"} and "criteria" not in keys:
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
    programme = load_programme(path, catalogue).programme
    return (
        f"{len(programme.essentials())} essential, "
        f"{len(programme.desirables())} desirable, {len(programme.examples)} examples"
    )


def _validate_mapping(path: Path, catalogue: Catalogue, targets: list[Path]) -> str:
    """Validate a mapping file, and check it against the programme its ``programme:`` names.

    A programme that is neither bundled nor among ``targets`` is refused at the
    ``programme:`` value (``screen`` would refuse the mapping for every programme it could
    be given); essential fields the named programme needs that no column provides are
    counted in the summary (``screen`` will then need ``--allow-missing``).
    """
    from masterycheck.files.criteria import load_programme
    from masterycheck.files.mapping_file import load_mapping, missing_fields

    loaded = load_mapping(path, catalogue)
    summary = f"mapping: {len(loaded.mapping.columns)} columns"
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


def _programme_ids(targets: list[Path]) -> dict[str, Path]:
    """Programme id -> file, for the bundled programmes and the programme files in ``targets``.

    Only each file's ``id:`` is read here; the files themselves are validated on their own
    lines (a target that cannot be read is skipped).
    """
    from masterycheck.files.criteria import CATALOGUE_FILE, programme_files
    from masterycheck.files.yaml_source import load_yaml

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


@reports_errors
def test(paths: PathsArgument = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Run the example candidates in programme files against their expected verdicts.

    Exit code: 0 all pass, 1 an example failed, 2 a file is invalid.
    """
    from masterycheck.core.engine import assess
    from masterycheck.core.profile import read_profile
    from masterycheck.files.criteria import CATALOGUE_FILE, load_catalogue, load_programme

    catalogue = load_catalogue()
    results: list[dict[str, object]] = []
    for path in _targets(paths):
        if path.name == CATALOGUE_FILE:
            continue
        compiled = load_programme(path, catalogue)
        for example in compiled.programme.examples:
            profile = read_profile(catalogue, example.profile)
            day = example.as_of or dt.date.today()
            verdict = assess(compiled, profile, day).verdict
            results.append(
                {
                    "programme": compiled.programme.id,
                    "example": example.name,
                    "expected": example.expect.value,
                    "verdict": verdict.value,
                    "passed": verdict is example.expect,
                }
            )
    passed = sum(1 for result in results if result["passed"])
    failed = len(results) - passed
    if output_format is OutputFormat.JSON:
        print_json({"passed": passed, "failed": failed, "results": results})
    else:
        for result in results:
            name = f"{result['programme']}: {result['example']}"
            if result["passed"]:
                typer.echo(one_line(f"PASS {name}"))
            else:
                failure = f"FAIL {name}: expected {result['expected']}, got {result['verdict']}"
                typer.echo(one_line(failure))
        typer.echo(f"{passed} passed, {failed} failed")
    if failed:
        raise typer.Exit(ExitCode.FAILURE)
