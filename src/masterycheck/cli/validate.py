"""`masterycheck validate` and `masterycheck test`: check criteria files and their examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from masterycheck.cli.common import error_line, reports_errors
from masterycheck.errors import ExitCode, InputError

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Criteria files (default: the bundled catalogue and programmes)."),
]


def _targets(paths: list[Path] | None) -> list[Path]:
    from masterycheck.criteria_files import CATALOGUE_FILE, criteria_dir, programme_files

    if paths:
        return paths
    return [criteria_dir() / CATALOGUE_FILE, *programme_files()]


@reports_errors
def validate(paths: PathsArgument = None) -> None:
    """Validate criteria files: syntax, keys, rules against the catalogue, example answers."""
    from masterycheck.criteria_files import CATALOGUE_FILE, load_catalogue, load_programme

    catalogue = load_catalogue()
    bad = 0
    for path in _targets(paths):
        try:
            if path.name == CATALOGUE_FILE:
                found = load_catalogue(path)
                typer.echo(f"ok: {path} ({len(found.fields)} fields)")
            else:
                programme = load_programme(path, catalogue).programme
                typer.echo(
                    f"ok: {path} ({len(programme.essentials())} essential, "
                    f"{len(programme.desirables())} desirable, {len(programme.examples)} examples)"
                )
        except InputError as error:
            bad += 1
            typer.echo(error_line(error), err=True)
    if bad:
        raise typer.Exit(ExitCode.BAD_INPUT)


@reports_errors
def test(paths: PathsArgument = None) -> None:
    """Run the example candidates in programme files against their expected verdicts."""
    from masterycheck.criteria_files import CATALOGUE_FILE, load_catalogue, load_programme
    from masterycheck.engine import assess
    from masterycheck.profile import read_profile

    catalogue = load_catalogue()
    passed = failed = 0
    for path in _targets(paths):
        if path.name == CATALOGUE_FILE:
            continue
        compiled = load_programme(path, catalogue)
        for example in compiled.programme.examples:
            profile = read_profile(catalogue, example.profile)
            day = example.as_of or dt.date.today()
            verdict = assess(compiled, profile, day).verdict
            if verdict is example.expect:
                passed += 1
                typer.echo(f"PASS {compiled.programme.id}: {example.name}")
            else:
                failed += 1
                typer.echo(
                    f"FAIL {compiled.programme.id}: {example.name}: expected "
                    f"{example.expect.value}, got {verdict.value}"
                )
    typer.echo(f"{passed} passed, {failed} failed")
    if failed:
        raise typer.Exit(ExitCode.FAILURE)
