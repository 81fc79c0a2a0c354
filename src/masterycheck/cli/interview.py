"""`masterycheck interview`: ask a teacher, one question at a time, only what can still
change their result, then report.

The planner (``masterycheck.core.interview_plan``) picks the questions; this module asks them at the
terminal, reads the answers, says at once when an essential criterion fails, and writes the
report and the saved profile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import (
    AsOfOption,
    parse_as_of,
    report_file,
    reports_errors,
)
from masterycheck.errors import ExitCode, InputError, Terminated

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console

    from masterycheck.core.answers import Value
    from masterycheck.core.engine import CompiledProgramme
    from masterycheck.core.fields import Field
    from masterycheck.core.interview_plan import Question, Settled
    from masterycheck.core.results import Assessment

Ask = Callable[[str], str]

SKIP_WORDS = frozenset({"s", "skip"})
HELP_WORDS = frozenset({"?", "help", "h"})
UNKNOWN_WORD = "don't know"


def terminal_ask(prompt: str) -> str:
    """Print the prompt on stdout and read one line (EOFError at end of input)."""
    from masterycheck.outputs.terminal import inert

    sys.stdout.write(inert(prompt))
    sys.stdout.flush()
    return input()


def terminal_console() -> Console:
    """A rich console sized to the real terminal (rich assumes 80 columns when TERM=dumb);
    with NO_COLOR set, no colours and no styles, as ``common.console`` does."""
    from masterycheck.outputs.terminal import InertConsole

    size = shutil.get_terminal_size((80, 24))
    plain = bool(os.environ.get("NO_COLOR"))
    return InertConsole(
        highlight=False,
        soft_wrap=False,
        width=size.columns,
        height=size.lines,
        color_system=None if plain else "auto",
    )


class Interview:
    """One interview at the terminal: the questions, the answers so far, the announcements."""

    def __init__(
        self,
        out: Console,
        programmes: list[CompiledProgramme],
        *,
        named: bool,
        ask: Ask = terminal_ask,
    ) -> None:
        from masterycheck.core.profile import Profile

        self.out = out
        self.programmes = programmes
        self.named = named
        self.ask = ask
        self.profile = Profile()
        self.asked: list[str] = []  # fields asked, answered or skipped, in order
        self.active = list(programmes)  # programmes the questions are still chosen for
        self.announced: set[tuple[str, str]] = set()
        self.offered = False
        self.number = 0

    # --- output -----------------------------------------------------------------------

    def say(
        self, text: str = "", *, style: str | None = None, indent: int = 0, hang: int = 0
    ) -> None:
        """Print plain text (never read as markup), wrapped to the terminal's width with no
        trailing spaces; ``hang`` indents the lines after the first a little more."""
        from rich.text import Text

        lines = textwrap.wrap(
            text,
            width=max(20, self.out.width),
            initial_indent=" " * indent,
            subsequent_indent=" " * (indent + hang),
            break_on_hyphens=False,
        )
        self.out.print(Text("\n".join(lines), style=style or ""), soft_wrap=True)

    def _name(self, programme: CompiledProgramme) -> str:
        return programme.programme.name

    # --- the flow ---------------------------------------------------------------------

    def run(self) -> None:
        """Ask until no answer can change the result, or the teacher stops."""
        from masterycheck.core.interview_plan import next_question, screening_question

        self._intro()
        while True:
            question = None
            if not self.named:
                question = screening_question(self.active, self.profile, self.asked)
            if question is None:
                question = next_question(self.active, self.profile, self.asked)
            if question is None:
                return
            self._ask_question(question)
            if not self._after_answer():
                return

    def _intro(self) -> None:
        if self.named:
            self.say(f"Interview: {self._name(self.programmes[0])}", style="bold")
        else:
            self.say("Interview: which Mastery Specialist programme fits you?", style="bold")
            self.say(
                "First: where and what you teach. Then only the questions that can still "
                "change the result."
            )
        self.say("Type ? for help. Press Enter or type s to skip (don't know). Ctrl-C stops.")

    def _ask_question(self, question: Question) -> None:
        field = question.field
        self.number += 1
        self.say()
        self.say(self._header(question), style="bold")
        evidence = question.evidence_targets
        if evidence:
            self.say(
                "Self-assessment: the hub judges this from your application; nothing you "
                "answer here counts as proven.",
                style="italic",
            )
            for target in evidence:
                self.say(f"Published criterion: “{target.criterion.criterion.text}”", indent=2)
                hint = target.criterion.criterion.evidence
                if hint:
                    self.say(f"A hub looks for: {hint}", indent=2)
        self.say(field.question)
        self._choices(field)
        self.say(_how_to_answer(field), style="dim")
        self._read(question)

    def _choices(self, field: Field) -> None:
        for number, choice in enumerate(field.choices, 1):
            mark = f"{number}) "
            self.say(f"{mark}{choice.label}", indent=2, hang=len(mark))

    def _header(self, question: Question) -> str:
        from masterycheck.core.interview_plan import TIER_WORDS

        words = f"Question {self.number} ({TIER_WORDS[question.tier]})"
        if not self.named and question.targets:
            names = {p.programme.id: p.programme.phase for p in self.programmes}
            phases = ", ".join(names[i] for i in question.programme_ids)
            words += f" for {phases}"
        return words

    def _read(self, question: Question) -> None:
        from masterycheck.core.answers import display, is_unknown
        from masterycheck.core.interview_plan import read_typed_answer
        from masterycheck.core.profile import ProfileProblem

        field = question.field
        while True:
            text = self.ask("> ").strip()
            if text.casefold() in HELP_WORDS:
                self._help(question)
                continue
            if text.casefold() in SKIP_WORDS or is_unknown(text):
                self._record(field, None)
                self.say("Noted: don't know.", style="dim")
                return
            try:
                value = read_typed_answer(self.programmes[0].catalogue, field, text)
            except ProfileProblem as problem:
                if field.choices:
                    self.say("Not understood: please choose from this list.")
                    self._choices(field)
                else:
                    message = str(problem).removeprefix(f"{field.id}: ")
                    self.say(f"Not understood: {message}.")
                self.say(_how_to_answer(field), style="dim")
                continue
            self._record(field, value)
            self.say(f"Noted: {display(field, value)}.", style="dim")
            self._follow_up_date(field)
            return

    def _help(self, question: Question) -> None:
        field = question.field
        said = False
        if field.help:
            self.say(field.help, indent=2)
            said = True
        for target in question.evidence_targets:
            self.say(f"What to show: {target.criterion.criterion.evidence}", indent=2)
            said = True
        if not said:
            self.say("No more help for this question: answer as best you can.", indent=2)
        self.say("Press Enter or type s if you don't know.", indent=2)

    def _record(self, field: Field, value: Value | None) -> None:
        if field.id not in self.asked:
            self.asked.append(field.id)
        self.profile = self.profile.with_answers({field.id: value})

    def _follow_up_date(self, field: Field) -> None:
        """A year may not settle "for at least two years": ask once for the month."""
        from masterycheck.core.answers import display, is_unknown
        from masterycheck.core.interview_plan import read_typed_answer, vague_date_targets
        from masterycheck.core.profile import ProfileProblem
        from masterycheck.core.window import long_date

        targets = vague_date_targets(self.active, self.profile, field.id)
        if not targets:
            return
        given = display(field, self.profile.answers.get(field.id))
        for target in targets:
            reference = long_date(target.programme.programme.reference_date)
            self.say(
                f"{given} is not exact enough to settle “{target.criterion.criterion.text}” "
                f"(counted to {reference})."
            )
        self.say(f"Give the month or the date (e.g. {given}-07), or press Enter to keep {given}.")
        while True:
            text = self.ask("> ").strip()
            if not text or text.casefold() in SKIP_WORDS or is_unknown(text):
                self.say(f"Kept: {given}.", style="dim")
                return
            try:
                value = read_typed_answer(self.programmes[0].catalogue, field, text)
            except ProfileProblem as problem:
                self.say(f"Not understood: {str(problem).removeprefix(f'{field.id}: ')}.")
                continue
            self._record(field, value)
            self.say(f"Noted: {display(field, value)}.", style="dim")
            return

    def _after_answer(self) -> bool:
        """Announce newly settled essentials; drop ruled-out programmes; when every
        programme still asked about is ruled out, offer to stop. False means stop."""
        from masterycheck.core.interview_plan import ruled_out, settled_essentials

        for programme in self.active:
            for settled in settled_essentials(programme, self.profile):
                if settled.key not in self.announced:
                    self.announced.add(settled.key)
                    self._announce(settled)
        out = [p for p in self.active if ruled_out(p, self.profile)]
        if not out:
            return True
        if len(out) < len(self.active):
            self.active = [p for p in self.active if p not in out]
            left = ", ".join(self._name(p) for p in self.active)
            self.say(f"The next questions are for: {left}.")
            return True
        if self.offered:
            return True
        self.offered = True
        return self._offer_to_go_on()

    def _announce(self, settled: Settled) -> None:
        from masterycheck.core.interview_plan import Status

        name = self._name(settled.programme)
        text = settled.criterion.criterion.text
        self.say()
        if settled.status is Status.NOT_MET:
            self.say(f"Not met, and it is essential: “{text}”", style="bold")
            self.say(f"Why: {settled.reason}.", indent=2)
            self.say(f"So you are not eligible for the {name}.", style="bold")
        else:
            self.say(f"For the hub to confirm (essential): “{text}”", style="bold")
            self.say(f"Why: {settled.reason}.", indent=2)

    def _offer_to_go_on(self) -> bool:
        self.say(
            "You can stop now and see the report (n, or Enter), or go on to the remaining "
            "questions and the desirable criteria (y)."
        )
        while True:
            text = self.ask("Go on? (y/n) > ")
            word = text.strip().casefold()
            if word in ("y", "yes"):
                return True
            if word in ("", "n", "no"):
                return False
            self.say("Please type y or n.")

    # --- the answers as a profile -------------------------------------------------------

    def saved_answers(self) -> dict[str, object]:
        """The answers in the order asked, a skipped question as "don't know"."""
        plain = self.profile.to_plain()
        return {name: plain.get(name, UNKNOWN_WORD) for name in self.asked}


def _how_to_answer(field: Field) -> str:
    from masterycheck.core.fields import FieldType

    end = "? for help, Enter to skip"
    if field.type is FieldType.YES_NO:
        return f"Answer y or n ({end})."
    if field.type is FieldType.ONE_OF:
        return f"Type a number from 1 to {len(field.choices)}, or the name ({end})."
    if field.type is FieldType.MANY_OF:
        return f"Type the numbers that apply, e.g. 1, 3 ({end})."
    if field.type is FieldType.WHOLE_NUMBER:
        return f"Type a whole number ({end})."
    if field.type is FieldType.DATE:
        return f"Type a year (2019), a month (2019-07) or a date (2019-07-15) ({end})."
    return f"Type your answer ({end})."


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


def save_profile(target: Path, answers: dict[str, object], day: dt.date) -> None:
    """Write the answers as a YAML profile that ``check --profile`` reads back."""
    import yaml

    from masterycheck.outputs.safe_files import atomic_output

    header = (
        f"# Answers from 'masterycheck interview' on {day.isoformat()}.\n"
        f"# Check them again with: masterycheck check --profile {target.name}\n"
    )
    body = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True, default_flow_style=False)
    with atomic_output(target) as stream:
        stream.write(header + (body if answers else "{}\n"))


def _stop(session: Interview | None, save: Path | None, day: dt.date, reason: str) -> typer.Exit:
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
            save_profile(save, session.saved_answers(), day)
        except InputError as error:
            typer.echo(error_line(error), err=True)
            message += "; the answers so far could not be saved"
        else:
            message += f"; answers so far saved to {save}"
    width = shutil.get_terminal_size((80, 24)).columns
    from masterycheck.outputs.terminal import one_line

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
) -> None:
    """Answer questions one at a time; only questions that can still change the result are
    asked. Ends with the report: verdict, checklist, path to eligibility, evidence to give,
    commitment and application window.

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
            hint="to check answers kept in a file, run: masterycheck check --profile FILE",
        )
    session: Interview | None = None
    try:
        session = Interview(terminal_console(), programmes, named=programme is not None)
        session.run()
        assessments = _finish(session, day)
        if report_to is not None:
            report_to.write(assessments)
            session.say(f"Report written to {report}.")
        if save is not None:
            save_profile(save, session.saved_answers(), day)
            session.say(f"Answers saved to {save}; check them again with:")
            session.say(f"masterycheck check --profile {save}", indent=2)
    except KeyboardInterrupt:
        raise _stop(session, save, day, "Ctrl-C") from None
    except EOFError:
        raise _stop(session, save, day, "end of input") from None
    except Terminated:  # SIGTERM or SIGHUP (the terminal closed): keep the answers, quietly
        if save is not None and session is not None:
            with contextlib.suppress(InputError, OSError):
                save_profile(save, session.saved_answers(), day)
        raise
    raise typer.Exit(ExitCode.OK)


def _finish(session: Interview, day: dt.date) -> list[Assessment]:
    """Assess every programme with the answers given and print the report, best fit first."""
    from masterycheck.cli.check import best_fit_first
    from masterycheck.cli.common import OutputFormat, Terminal, show
    from masterycheck.core.engine import assess
    from masterycheck.reporters.words import VERDICT_WORDS, programme_title

    assessments = best_fit_first([assess(p, session.profile, day) for p in session.programmes])
    session.say()
    session.say("Your report", style="bold underline")
    if len(assessments) > 1:
        best = assessments[0]
        session.say(
            f"Best fit: {programme_title(best)}, {VERDICT_WORDS[best.verdict]}.", style="bold"
        )
        session.say()
    show(OutputFormat.TEXT, assessments, single=session.named, terminal=Terminal(session.out))
    return assessments
