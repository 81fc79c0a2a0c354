"""`masterycheck check`: one profile against one programme, or against all of them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    parse_as_of,
    report_file,
    reports_errors,
    show,
)
from masterycheck.core.vocabulary import Level, Outcome, RowVerdict, Verdict
from masterycheck.errors import ExitCode, InputError

if TYPE_CHECKING:
    from masterycheck.core.results import Assessment

VERDICT_EXIT = {
    Verdict.ELIGIBLE: ExitCode.OK,
    Verdict.NOT_ELIGIBLE: ExitCode.NOT_ELIGIBLE,
    Verdict.INCOMPLETE: ExitCode.INCOMPLETE,
}
#: Eligible first, then incomplete, then not eligible: the ranking order of ``RowVerdict``.
VERDICT_RANK = {verdict: list(RowVerdict).index(RowVerdict.of(verdict)) for verdict in Verdict}


def best_fit_first(assessments: list[Assessment]) -> list[Assessment]:
    """Order assessments: eligible first, then incomplete, then not eligible; fewer essentials
    failing or unknown, then a higher desirable score, come first."""

    def key(assessment: Assessment) -> tuple[int, int, int, int]:
        failing = len(assessment.stopped_by)
        unknown = sum(
            1
            for r in assessment.criteria
            if r.level is Level.ESSENTIAL and r.outcome is Outcome.UNKNOWN
        )
        return (VERDICT_RANK[assessment.verdict], failing, unknown, -assessment.desirable.percent)

    return sorted(assessments, key=key)


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
) -> None:
    """Check a teacher's profile against a programme's published criteria.

    Exit code: 0 eligible, 3 not eligible, 4 incomplete, 2 bad input.
    """
    from masterycheck.core.engine import assess
    from masterycheck.core.profile import Profile, ProfileProblem, read_answer
    from masterycheck.files.criteria import (
        load_all_programmes,
        load_catalogue,
        load_profile,
        load_programme,
        resolve_programme,
    )

    if (programme is None) == (not all_programmes):
        raise InputError("name one PROGRAMME or give --all", hint="e.g. masterycheck check primary")
    if profile is None and not answer:
        raise InputError("give --profile FILE and/or --answer FIELD=VALUE")
    day = parse_as_of(as_of)
    inputs = [p for p in (profile, resolve_programme(programme) if programme else None) if p]
    report_to = report_file(report)
    if report_to is not None:
        _check_report_target(report_to.path, protect=inputs)
    catalogue = load_catalogue()
    teacher = load_profile(profile, catalogue, lenient=lenient) if profile else Profile()
    overrides = {}
    for field_id, raw in _parse_answers(answer or []).items():
        try:
            overrides[field_id] = read_answer(catalogue, field_id, raw)
        except ProfileProblem as problem:
            raise InputError(str(problem), where="--answer") from None
    teacher = teacher.with_answers(overrides)
    if programme is not None:
        programmes = [load_programme(resolve_programme(programme), catalogue)]
    else:
        programmes = load_all_programmes(catalogue)
    assessments = best_fit_first([assess(p, teacher, day) for p in programmes])
    show(output_format, assessments, single=programme is not None)
    if report_to is not None:
        report_to.write(assessments, protect=inputs)
    raise typer.Exit(VERDICT_EXIT[assessments[0].verdict])


def _check_report_target(target: Path, *, protect: list[Path]) -> None:
    """Refuse a --report target that cannot be written before any work is done."""
    from masterycheck.outputs.safe_files import check_output_target

    check_output_target(target, protect)
