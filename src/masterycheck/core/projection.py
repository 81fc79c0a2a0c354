"""Today and next time: where a cohort stands on a date, and the same criteria at the next
likely dates.

Pure. The sources publish one cohort of each programme; a teacher who asks after it has
closed wants to know about the next one. Its criteria are not published, so "next time" is
a projection, labelled as one: the same criteria, with every date they count to moved on by
whole years to the first cohort whose closing date is still ahead. A criterion that time
alone will meet (years since QTS) says from when.
"""

from __future__ import annotations

import datetime as dt
import re

from masterycheck.core.answers import display
from masterycheck.core.engine import (
    CompiledCriterion,
    CompiledProgramme,
    answers_with_derived,
    criterion_result,
    decide_verdict,
)
from masterycheck.core.profile import Profile
from masterycheck.core.programme import Programme
from masterycheck.core.results import (
    BecomesMet,
    CohortStatus,
    CriterionResult,
    NextTime,
    WindowStatus,
    made,
)
from masterycheck.core.vocabulary import Level, Outcome
from masterycheck.core.window import long_date

PROJECTED_NOTE = "projected — the next cohort's criteria are not yet published"
#: How far ahead "from when" is looked for (years).
HORIZON_YEARS = 10
_ACADEMIC_YEAR = re.compile(r"(\d{4})\s*/\s*(\d{2}|\d{4})")


def years_on(day: dt.date, years: int = 1) -> dt.date:
    """The same date ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_dates(programme: Programme, as_of: dt.date) -> tuple[dt.date, dt.date | None]:
    """The next likely reference and closing dates: this cohort's, whole years on, the first
    whose closing date (or, without one, reference date) is not before ``as_of``."""
    years = 1
    while years_on(programme.closing_date or programme.reference_date, years) < as_of:
        years += 1
    closing = years_on(programme.closing_date, years) if programme.closing_date else None
    return years_on(programme.reference_date, years), closing


def cohort_years(programme: Programme) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the cohort's academic years (1 September to 31 August), or
    None when its years are not written as "2025/26"."""
    found = [_ACADEMIC_YEAR.match(year.strip()) for year in programme.academic_years]
    starts = [int(m.group(1)) for m in found if m is not None]
    if not starts:
        return None
    return dt.date(min(starts), 9, 1), dt.date(max(starts) + 1, 8, 31)


def cohort_status(programme: Programme, window: WindowStatus, as_of: dt.date) -> CohortStatus:
    """Whether the cohort is open, not yet open, closed, running or finished on ``as_of``."""
    name = f"Cohort {programme.cohort}" if programme.cohort is not None else "This cohort"
    span = ", ".join(programme.academic_years)
    years = cohort_years(programme)
    if window.state in ("open", "not_yet_open"):
        return made(
            CohortStatus,
            state=window.state,
            message=f"{name} ({span}): applications {window.message}",
        )
    if years is not None and as_of >= years[0]:
        start, end = years
        began = f"{start.strftime('%B %Y')}"
        if as_of > end:
            return made(
                CohortStatus,
                state="finished",
                message=f"{name} ({span}) started in {began} and has finished; "
                "its applications are closed.",
            )
        return made(
            CohortStatus,
            state="running",
            message=f"{name} ({span}) has been running since {began}; its applications are closed.",
        )
    if window.state == "closed":
        return made(
            CohortStatus, state="closed", message=f"{name} ({span}): applications {window.message}"
        )
    return made(
        CohortStatus,
        state="not_published",
        message=f"{name} ({span}): applications {window.message}",
    )


def _results_at(
    compiled: CompiledProgramme, profile: Profile, shift: dt.timedelta
) -> list[CriterionResult]:
    answers = answers_with_derived(compiled, profile, shift)
    return [
        criterion_result(c, compiled.catalogue, answers, profile.unreadable)
        for c in compiled.criteria
    ]


def _derived_sources(compiled: CompiledProgramme, criterion: CompiledCriterion) -> list[str]:
    """The date fields a criterion's derived values count from (in rule order)."""
    derived = dict(compiled.derived)
    names = (*criterion.rule.fields, *(criterion.hub.fields if criterion.hub else ()))
    return list(dict.fromkeys(derived[n] for n in names if n in derived))


def met_from(
    compiled: CompiledProgramme, criterion: CompiledCriterion, profile: Profile
) -> dt.date | None:
    """The first date to which a criterion's derived values can be counted and meet it (its
    rule met, not left to the hub), within ``HORIZON_YEARS``; None when time alone never does.

    The dates a programme counts to all move together; the date given is the one the
    criterion's own derived value counts to (for QTS years: the day the years are reached).
    """
    if not _derived_sources(compiled, criterion):
        return None
    counted = dict(compiled.counted_to)
    fields = [n for n in criterion.rule.fields if n in counted]
    if not fields:
        return None
    anchor = counted[fields[0]]

    def met(days: int) -> bool:
        answers = answers_with_derived(compiled, profile, dt.timedelta(days=days))
        found = criterion_result(criterion, compiled.catalogue, answers, profile.unreadable)
        return found.outcome is Outcome.MET

    low, high = 0, HORIZON_YEARS * 366
    if met(low) or not met(high):
        return None
    while high - low > 1:  # outcomes only improve as years pass: the first met day
        middle = (low + high) // 2
        if met(middle):
            high = middle
        else:
            low = middle
    return anchor + dt.timedelta(days=high)


def next_time(
    compiled: CompiledProgramme,
    profile: Profile,
    today: list[CriterionResult],
    as_of: dt.date,
) -> NextTime:
    """The same criteria at the next likely dates (projected: see ``next_dates``), and when
    time alone meets the essential ones that are not met today."""
    programme = compiled.programme
    reference, closing = next_dates(programme, as_of)
    shift = reference - programme.reference_date
    results = _results_at(compiled, profile, shift)
    changed = [
        then.id
        for now, then in zip(today, results, strict=True)
        if (now.outcome, now.hub_to_confirm) != (then.outcome, then.hub_to_confirm)
    ]
    becomes: list[BecomesMet] = []
    for compiled_criterion, now in zip(compiled.criteria, today, strict=True):
        if now.outcome is Outcome.MET or now.level is not Level.ESSENTIAL:
            continue
        day = met_from(compiled, compiled_criterion, profile)
        if day is None:
            continue
        sources = _derived_sources(compiled, compiled_criterion)
        given = "; ".join(
            f"{compiled.catalogue.by_id[s].label}: "
            f"{display(compiled.catalogue.by_id[s], profile.answers.get(s))}"
            for s in sources
        )
        becomes.append(
            made(
                BecomesMet,
                criterion=now.id,
                text=now.text,
                met_from=day,
                message=f"{now.text}: met from {long_date(day)} ({given})",
            )
        )
    return made(
        NextTime,
        note=PROJECTED_NOTE,
        reference_date=reference,
        closing_date=closing,
        verdict=decide_verdict(results),
        stopped_by=[
            r.id for r in results if r.level is Level.ESSENTIAL and r.outcome is Outcome.NOT_MET
        ],
        changed=changed,
        becomes_met=becomes,
    )
