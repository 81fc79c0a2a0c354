"""`masterycheck validate` and `masterycheck test`: check criteria files and their examples."""

from __future__ import annotations

from collections.abc import Sequence
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
from masterycheck.errors import ExitCode
from masterycheck.outputs.inert_text import one_line

if TYPE_CHECKING:
    from masterycheck.files.validation import ExampleRun, FileCheck

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Criteria files (default: the bundled catalogue and programmes)."),
]


@reports_errors
def validate(paths: PathsArgument = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Validate criteria, mapping and overlay files: syntax, keys, rules against the catalogue.

    Exit code: 0 all valid, 2 a file is invalid (one line per invalid file on stderr).
    """
    from masterycheck.files.validation import validate_files

    checks = validate_files(paths)
    _report_checks(checks, output_format)
    if not all(check.ok for check in checks):
        raise typer.Exit(ExitCode.BAD_INPUT)


def _report_checks(checks: Sequence[FileCheck], output_format: OutputFormat) -> None:
    """One line on stderr per invalid file; then, on stdout, every file's result (JSON) or a
    line per valid file (text, and markdown, which has no form of its own here)."""
    for check in checks:
        if check.error is not None:
            typer.echo(error_line(check.error), err=True)
    if output_format is OutputFormat.JSON:
        print_json([_check_data(check) for check in checks])
        return
    for check in checks:
        if check.ok:
            typer.echo(one_line(f"ok: {check.path} ({check.summary})"))


def _check_data(check: FileCheck) -> dict[str, object]:
    if check.error is not None:
        return {"path": str(check.path), "ok": False, "error": check.error.one_line()}
    return {"path": str(check.path), "ok": True, "summary": check.summary}


@reports_errors
def test(paths: PathsArgument = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Run the example candidates in programme files against their expected verdicts.

    Exit code: 0 all pass, 1 an example failed, 2 a file is invalid.
    """
    from masterycheck.files.validation import run_examples

    runs = run_examples(paths)
    _report_runs(runs, output_format)
    if not all(run.passed for run in runs):
        raise typer.Exit(ExitCode.FAILURE)


def _report_runs(runs: Sequence[ExampleRun], output_format: OutputFormat) -> None:
    """Every example's result and the counts: as JSON, or a line each and a summary line."""
    passed = sum(1 for run in runs if run.passed)
    failed = len(runs) - passed
    if output_format is OutputFormat.JSON:
        results = [_run_data(run) for run in runs]
        print_json({"passed": passed, "failed": failed, "results": results})
        return
    for run in runs:
        name = f"{run.programme}: {run.example}"
        if run.passed:
            typer.echo(one_line(f"PASS {name}"))
        else:
            failure = f"FAIL {name}: expected {run.expected.value}, got {run.verdict.value}"
            if run.verdict is run.expected:
                failure = f"FAIL {name}: no criterion's reason says {run.expected_reason!r}"
            typer.echo(one_line(failure))
    typer.echo(f"{passed} passed, {failed} failed")


def _run_data(run: ExampleRun) -> dict[str, object]:
    return {
        "programme": run.programme,
        "example": run.example,
        "expected": run.expected.value,
        "verdict": run.verdict.value,
        "expected_reason": run.expected_reason,
        "reason_found": run.reason_found,
        "passed": run.passed,
    }
