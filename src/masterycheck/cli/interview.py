"""`masterycheck interview`: ask a teacher, one question at a time, only what can still
change their result, then report.

The planner (``masterycheck.core.interview_plan``) picks the questions; this module asks them at the
terminal, reads the answers, says at once when an essential criterion fails, and writes the
report and the saved profile.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import (
    AsOfOption,
    parse_as_of,
    report_file,
    reports_errors,
)
from masterycheck.cli.interview_session import Interview, terminal_console
from masterycheck.errors import ExitCode, InputError, Terminated

if TYPE_CHECKING:
    import datetime as dt

    from masterycheck.core.results import Assessment

__all__ = ["Interview", "interview", "save_profile", "terminal_console"]


def _check_target(path: Path | None, option: str) -> None:
    """Refuse a target that cannot be written before asking anything, not after: a folder, a
    missing folder, a system path, or a file the command reads (the criteria files)."""
    from masterycheck.outputs.safe_files import check_output_target

    if path is None:
        return
    if path.is_dir():
        raise InputError("is a folder, not a file", where=f"{option} {path}")
    if not path.parent.is_dir():
        raise InputError("the folder does not exist", where=f"{option} {path}")
    check_output_target(path, ())


def check_again(profile: Path, programme: str | None) -> str:
    """The command that checks a saved profile again, as the interview printed it."""
    return f"masterycheck check --profile {profile} {programme or '--all'}"


def save_profile(
    target: Path, answers: dict[str, object], day: dt.date, programme: str | None = None
) -> None:
    """Write the answers as a YAML profile that ``check --profile`` reads back; its header
    gives the command that checks it again (for ``programme``, or every programme)."""
    import yaml

    from masterycheck.outputs.safe_files import atomic_output

    header = (
        f"# Answers from 'masterycheck interview' on {day.isoformat()}.\n"
        f"# Check them again with: {check_again(Path(target.name), programme)}\n"
    )
    body = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True, default_flow_style=False)
    with atomic_output(target) as stream:
        stream.write(header + (body if answers else "{}\n"))


def _stop(
    session: Interview | None,
    save: Path | None,
    day: dt.date,
    reason: str,
    programme: str | None = None,
) -> typer.Exit:
    """Leave cleanly after Ctrl-C or end of input, keeping the answers if asked to."""
    from masterycheck.cli.common import error_line

    sys.stdout.write("\n")
    sys.stdout.flush()
    message = f"Interview stopped ({reason})"
    if save is None:
        message += "; nothing saved (use --save FILE to keep your answers)"
    elif session is None:
        message += "; no answers yet, nothing saved"
    else:
        try:
            save_profile(save, session.saved_answers(), day, programme)
        except InputError as error:
            typer.echo(error_line(error), err=True)
            message += "; the answers so far could not be saved"
        else:
            message += f"; answers so far saved to {save}"
    width = shutil.get_terminal_size((80, 24)).columns
    from masterycheck.outputs.inert_text import one_line

    text = textwrap.fill(one_line(message) + ".", width=max(20, width), break_on_hyphens=False)
    typer.echo(text)
    return typer.Exit(ExitCode.INTERRUPTED)


@reports_errors
def interview(
    programme: Annotated[
        str | None,
        typer.Argument(
            help="Programme id (primary, secondary, post16) or a programme file. Without it, "
            "every programme that could fit is assessed.",
            show_default=False,
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            metavar="FILE",
            help="Save the answers as a profile (YAML) that 'check --profile FILE' reads; "
            "also on Ctrl-C or end of input.",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write the report to FILE: Markdown (.md) or HTML (.html).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="End with every criterion and the evidence to give."),
    ] = False,
) -> None:
    """Answer questions one at a time; only questions that can still change the result are
    asked. Ends with the report: verdict, what stops you or is missing, path to eligibility,
    next time, application window and commitment (--full: every criterion and the evidence
    to give).

    Type a choice's number or name, y or n, ? for help; Enter or s means "don't know".
    Needs a terminal; for answers in a file use 'masterycheck check --profile FILE'.

    Exit code: 0 the interview completed (whatever the verdict: 'check' gives verdict exit
    codes); 2 bad input, or no terminal; 130 stopped early by Ctrl-C or by end of input
    (Ctrl-D), after saving the answers so far if --save was given.
    """
    from masterycheck.files.criteria import (
        load_all_programmes,
        load_catalogue,
        load_programme,
        resolve_programme,
    )

    day = parse_as_of(as_of)
    report_to = report_file(report)
    catalogue = load_catalogue()
    if programme is not None:
        programmes = [load_programme(resolve_programme(programme), catalogue)]
    else:
        programmes = load_all_programmes(catalogue)
    _check_target(save, "--save")  # after loading: the criteria files read are protected
    _check_target(report, "--report")
    if save is not None and report is not None and save.resolve() == report.resolve():
        raise InputError("--save and --report must be different files")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            "the interview needs a terminal",
            hint="to check answers kept in a file, run: masterycheck check --profile FILE --all",
        )
    session: Interview | None = None
    try:
        session = Interview(terminal_console(), programmes, named=programme is not None)
        session.run()
        assessments = _finish(session, day, full=full)
        if report_to is not None:
            report_to.write(assessments)
            session.say(f"Report written to {report}.")
        if save is not None:
            save_profile(save, session.saved_answers(), day, programme)
            session.say(f"Answers saved to {save}; check them again with:")
            session.say(check_again(save, programme), indent=2)
    except KeyboardInterrupt:
        raise _stop(session, save, day, "Ctrl-C", programme) from None
    except EOFError:
        raise _stop(session, save, day, "end of input", programme) from None
    except Terminated:  # SIGTERM or SIGHUP (the terminal closed): keep the answers, quietly
        if save is not None and session is not None:
            with contextlib.suppress(InputError, OSError):
                save_profile(save, session.saved_answers(), day, programme)
        raise
    raise typer.Exit(ExitCode.OK)


def _finish(session: Interview, day: dt.date, *, full: bool = False) -> list[Assessment]:
    """Assess every programme with the answers given and print the report, best fit first."""
    from masterycheck.cli.check import best_fit_first
    from masterycheck.cli.common import OutputFormat, Terminal, show
    from masterycheck.core.engine import assess
    from masterycheck.reporters.words import VERDICT_WORDS, programme_title

    assessed = [assess(p, session.profile, day) for p in session.programmes]
    if not session.named:
        from masterycheck.core.fit import mark_fit, ruled_out_by_answers

        assessed = mark_fit(list(zip(session.programmes, assessed, strict=True)), session.profile)
        assessed = [
            ruled_out_by_answers(a) if a.not_for_you is None and p not in session.active else a
            for p, a in zip(session.programmes, assessed, strict=True)
        ]
    assessments = best_fit_first(assessed)
    session.say()
    session.say("Your report", style="bold underline")
    if len([a for a in assessments if a.not_for_you is None]) > 1:
        best = assessments[0]
        session.say(
            f"Best fit: {programme_title(best)}, {VERDICT_WORDS[best.verdict]}.", style="bold"
        )
        session.say()
    show(
        OutputFormat.TEXT,
        assessments,
        single=session.named,
        terminal=Terminal(session.out),
        full=full,
    )
    return assessments
