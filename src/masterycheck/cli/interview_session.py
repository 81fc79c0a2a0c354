"""The interview at the terminal: asks each question the planner picks, reads and re-asks
answers, offers help, and says at once when an essential criterion fails.

The planner (``masterycheck.core.interview_plan``) decides what to ask; ``cli.interview`` runs
the command, writes the report and the saved profile.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from masterycheck.core.answers import Value
    from masterycheck.core.engine import CompiledProgramme
    from masterycheck.core.fields import Field
    from masterycheck.core.interview_plan import Question, Settled

Ask = Callable[[str], str]

SKIP_WORDS = frozenset({"s", "skip"})
HELP_WORDS = frozenset({"?", "help", "h"})
UNKNOWN_WORD = "don't know"


def terminal_ask(prompt: str) -> str:
    """Print the prompt on stdout and read one line (EOFError at end of input)."""
    from masterycheck.outputs.inert_text import inert

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
        self.disclaimed = False  # the self-assessment disclaimer is said once

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
        import dataclasses

        offered = frozenset(p.programme.id for p in self.active)
        question = dataclasses.replace(question, field=question.field.offered_for(offered))
        field = question.field
        self.number += 1
        self.say()
        self.say(self._header(question), style="bold")
        evidence = question.evidence_targets
        if evidence:
            if not self.disclaimed:
                self.disclaimed = True
                self.say(
                    "Self-assessment: the hub judges this from your application; nothing you "
                    "answer here counts as proven. (Said once: the same holds for every "
                    "self-assessment question.)",
                    style="italic",
                )
            else:
                self.say("Self-assessment.", style="italic")
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
        from masterycheck.core.answers import display, is_unknown, shown_answer
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
                # Asked again with a short hint: the list only on request (?).
                if field.choices:
                    count = len(field.choices)
                    self.say(
                        f"Not understood: {shown_answer(text)}. Type a number from 1 to {count} "
                        "or a name (? shows the list again)."
                    )
                else:
                    message = str(problem).removeprefix(f"{field.id}: ")
                    self.say(f"Not understood: {message}.")
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
        if field.choices:
            self._choices(field)
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
        from masterycheck.core.answers import DateRange, display, is_unknown
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
        value = self.profile.answers.get(field.id)
        year = value.latest.year if isinstance(value, DateRange) else None
        example = f" (e.g. July {year})" if year else ""
        self.say(f"Give the month or the date{example}, or press Enter to keep {given}.")
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

        if not self.named:
            self._phase_first()
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

    def _phase_first(self) -> None:
        """Drop the programmes where and what the teacher teaches rules out, saying why in
        one line each; their criteria are never announced (the teacher did not ask)."""
        from masterycheck.core.fit import split_by_fit

        fitting, ruled = split_by_fit(self.active, self.profile)
        if not ruled:
            return
        self.active = fitting
        for compiled, why in ruled:
            self.say(f"Not for you: {self._name(compiled)}. {why}", indent=0, hang=2)

    def _announce(self, settled: Settled) -> None:
        from masterycheck.core.interview_plan import Status

        name = self._name(settled.programme)
        text = settled.criterion.criterion.text
        self.say()
        if settled.status is Status.NOT_MET and not self.named and len(self.active) > 1:
            # The teacher did not ask about this programme: one line, not an announcement.
            self.say(f"Not for you: {name}. “{text}”: {settled.reason}.", hang=2)
            return
        if settled.status is Status.NOT_MET:
            from masterycheck.core.projection import met_from
            from masterycheck.core.window import long_date

            self.say(f"Not met, and it is essential: “{text}”", style="bold")
            self.say(f"Why: {settled.reason}.", indent=2)
            self.say(f"So you are not eligible for the {name}.", style="bold")
            day = met_from(settled.programme, settled.criterion, self.profile)
            if day is not None:
                self.say(
                    f"Time will meet it: from {long_date(day)}. Your report's “Next time” "
                    "says what that means for the next cohort.",
                    indent=2,
                )
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
        return f"Type a whole number, e.g. 4 or 10+ ({end})."
    if field.type is FieldType.DATE:
        return f"Type a year (2019), a month (July 2019) or a date (15/07/2019) ({end})."
    return f"Type your answer ({end})."
