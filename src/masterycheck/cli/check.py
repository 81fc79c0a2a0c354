"""`masterycheck check`: one profile against one programme, or against all of them."""

# No ``from __future__ import annotations``: typer reads the options from the annotations, which
# it would otherwise evaluate from their text at every run.

from pathlib import Path
from typing import Annotated

import typer

from masterycheck import api
from masterycheck.api import best_fit_first
from masterycheck.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    parse_as_of,
    report_file,
    reports_errors,
    show,
)
from masterycheck.core.vocabulary import Verdict
from masterycheck.errors import ExitCode, InputError

__all__ = ["VERDICT_EXIT", "best_fit_first", "check"]

VERDICT_EXIT = {
    Verdict.ELIGIBLE: ExitCode.OK,
    Verdict.NOT_ELIGIBLE: ExitCode.NOT_ELIGIBLE,
    Verdict.INCOMPLETE: ExitCode.INCOMPLETE,
}


def _parse_answers(pairs: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise InputError("expected FIELD=VALUE, e.g. --answer qts_date=2019", where="--answer")
        answers[field.strip()] = value
    return answers


@reports_errors
def check(
    programme: Annotated[
        str | None,
        typer.Argument(help="Programme id (primary, secondary, post16) or a programme file."),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option("--profile", "-p", help="Profile file (YAML or JSON) of answers."),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option("--answer", "-a", metavar="FIELD=VALUE", help="Set or override one answer."),
    ] = None,
    all_programmes: Annotated[
        bool, typer.Option("--all", help="Check every programme, best fit first.")
    ] = False,
    as_of: AsOfOption = None,
    lenient: Annotated[
        bool,
        typer.Option(help="Treat answers of the wrong type as unknown (with a note), not errors."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write the report to this file: Markdown (.md) or self-contained HTML "
            "(.html).",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.TEXT,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Show every criterion and what the statement must evidence (text format; "
            "JSON and report files are always complete).",
        ),
    ] = False,
) -> None:
    """Check a teacher's profile against a programme's published criteria.

    Exit code: 0 eligible, 3 not eligible, 4 incomplete, 2 bad input.
    """
    from masterycheck.core.profile import Profile, ProfileProblem, read_answer
    from masterycheck.files.criteria import resolve_programme

    if (programme is None) == (not all_programmes):
        raise InputError("name one PROGRAMME or give --all", hint="e.g. masterycheck check primary")
    if profile is None and not answer:
        raise InputError("give --profile FILE and/or --answer FIELD=VALUE")
    day = parse_as_of(as_of)
    inputs = [p for p in (profile, resolve_programme(programme) if programme else None) if p]
    report_to = report_file(report)
    if report_to is not None:
        _check_report_target(report_to.path, protect=inputs)
    catalogue = api.load_catalogue()
    teacher = (
        api.load_profile(profile, catalogue=catalogue, lenient=lenient) if profile else Profile()
    )
    overrides = {}
    for field_id, raw in _parse_answers(answer or []).items():
        try:
            overrides[field_id] = read_answer(catalogue, field_id, raw)
        except ProfileProblem as problem:
            raise InputError(str(problem), where="--answer") from None
    teacher = teacher.with_answers(overrides)
    if programme is not None:
        programmes = [api.load_programme(programme, catalogue=catalogue)]
    else:
        programmes = api.load_programmes(catalogue)
    assessments = api.assess_all(teacher, as_of=day, programmes=programmes)
    show(output_format, assessments, single=programme is not None, full=full)
    if report_to is not None:
        report_to.write(assessments, protect=inputs)
    raise typer.Exit(VERDICT_EXIT[assessments[0].verdict])


def _check_report_target(target: Path, *, protect: list[Path]) -> None:
    """Refuse a --report target that cannot be written before any work is done."""
    from masterycheck.outputs.safe_files import check_output_target

    check_output_target(target, protect)
