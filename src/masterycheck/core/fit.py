"""Which programmes fit a teacher: phase first.

A teacher who does not know which programme to ask about says where and what they teach (the
catalogue's opening questions). A programme whose essential criteria those answers alone
already fail is not for them: it is named in one line with why, and not assessed in full. Its
failed criteria are never announced as if the teacher had asked about it.
"""

from __future__ import annotations

from masterycheck.core.engine import CompiledProgramme, criterion_results
from masterycheck.core.profile import Profile
from masterycheck.core.results import Assessment
from masterycheck.core.vocabulary import Kind, Level, Outcome


def misfit(compiled: CompiledProgramme, profile: Profile) -> str | None:
    """Why the answers to the opening questions rule the programme out (the failed essential
    criterion's ``action``, else its wording), or None when the programme may fit.

    Only the opening answers are looked at: a programme is ruled out by where and what the
    teacher teaches, never by another answer (that is what its full assessment is for).
    """
    opening = {question.field for question in compiled.catalogue.opening_questions}
    answers = {name: value for name, value in profile.answers.items() if name in opening}
    if not answers:
        return None
    for item, result in zip(compiled.criteria, criterion_results(compiled, answers), strict=True):
        if (
            result.level is Level.ESSENTIAL
            and result.kind is Kind.FACT
            and result.outcome is Outcome.NOT_MET
        ):
            return item.criterion.action or item.criterion.text
    return None


def split_by_fit(
    programmes: list[CompiledProgramme], profile: Profile
) -> tuple[list[CompiledProgramme], list[tuple[CompiledProgramme, str]]]:
    """The programmes that may fit, and those that do not with why. When none fits (say, a
    teacher not employed as one), every programme is kept: each report then says why."""
    fitting: list[CompiledProgramme] = []
    ruled_out: list[tuple[CompiledProgramme, str]] = []
    for compiled in programmes:
        why = misfit(compiled, profile)
        if why is None:
            fitting.append(compiled)
        else:
            ruled_out.append((compiled, why))
    if not fitting:
        return list(programmes), []
    return fitting, ruled_out


def mark_fit(
    pairs: list[tuple[CompiledProgramme, Assessment]], profile: Profile
) -> list[Assessment]:
    """Each assessment, with ``not_for_you`` set where the teacher's setting rules its
    programme out (unless it rules out every one: see ``split_by_fit``)."""
    _, ruled_out = split_by_fit([compiled for compiled, _ in pairs], profile)
    why = {id(compiled): reason for compiled, reason in ruled_out}
    return [
        assessment.model_copy(update={"not_for_you": why[id(compiled)]})
        if id(compiled) in why
        else assessment
        for compiled, assessment in pairs
    ]


def ruled_out_by_answers(assessment: Assessment) -> Assessment:
    """A programme the teacher's later answers ruled out (an essential criterion not met),
    marked ``not_for_you`` with that criterion and why, for a one-line mention."""
    failed = [r for r in assessment.criteria if r.id in assessment.stopped_by]
    why = f"“{failed[0].text}”: {failed[0].reason}" if failed else "an essential criterion"
    return assessment.model_copy(update={"not_for_you": why})
