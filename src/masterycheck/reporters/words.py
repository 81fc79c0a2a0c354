"""The words reports share: verdicts, outcomes, commitment lines."""

from __future__ import annotations

from masterycheck.core.results import (
    Assessment,
    CommitmentSummary,
    CriterionResult,
    DesirableScore,
    NextTime,
)
from masterycheck.core.vocabulary import Kind, Outcome, RowVerdict, Verdict, label, shouted
from masterycheck.core.window import long_date

#: Verdicts (and a batch row's ``invalid``) as a heading shows them: the vocabulary's labels
#: in capitals.
ROW_VERDICT_WORDS = {verdict: shouted(verdict) for verdict in RowVerdict}
VERDICT_WORDS = {verdict: ROW_VERDICT_WORDS[RowVerdict.of(verdict)] for verdict in Verdict}

VERDICT_EXPLAINED = {
    Verdict.ELIGIBLE: "you meet every essential criterion that answers can decide",
    Verdict.NOT_ELIGIBLE: "an essential criterion is not met",
    Verdict.INCOMPLETE: "no essential criterion fails, but some cannot be decided yet",
}

#: Each outcome's mark and its label (the vocabulary's).
OUTCOME_MARKS = {
    outcome: (mark, label(outcome))
    for outcome, mark in ((Outcome.MET, "✔"), (Outcome.NOT_MET, "✘"), (Outcome.UNKNOWN, "?"))
}


def outcome_label(result: CriterionResult) -> str:
    """The outcome in words, qualified: 'met (self-declared)', 'unknown (hub to confirm)'."""
    word = OUTCOME_MARKS[result.outcome][1]
    if result.hub_to_confirm:
        return f"{word} (hub to confirm)"
    if result.self_declared:
        return f"{word} (self-declared)"
    if result.kind is Kind.EVIDENCE and result.outcome is Outcome.UNKNOWN:
        return f"{word} (for the panel to judge)"
    return word


def programme_title(assessment: Assessment) -> str:
    """Programme name with cohort and years."""
    cohort = f", Cohort {assessment.cohort}" if assessment.cohort is not None else ""
    years = ", ".join(assessment.academic_years)
    return f"{assessment.programme_name}{cohort} ({years})"


def verdict_line(assessment: Assessment) -> str:
    """The verdict in capitals, with what it means."""
    line = f"{VERDICT_WORDS[assessment.verdict]} — {VERDICT_EXPLAINED[assessment.verdict]}"
    if assessment.provisional:
        line += " (provisional criteria)"
    return line


def dates_line(assessment: Assessment) -> str:
    """Which dates the assessment used."""
    line = (
        f"As of {long_date(assessment.as_of)}. Derived values (such as years since QTS) are "
        f"counted to {long_date(assessment.reference_date)}, {assessment.reference_date_note}"
    )
    if assessment.closing_date is not None:
        line += (
            f"; where a criterion says so, to the closing date for applications, "
            f"{long_date(assessment.closing_date)}"
        )
    return line + "."


def next_time_line(later: NextTime) -> str:
    """The projected verdict at the next likely dates, with those dates."""
    dates = f"start {long_date(later.reference_date)}"
    if later.closing_date is not None:
        dates = f"closing date {long_date(later.closing_date)}, {dates}"
    return f"At the next likely dates ({dates}): {VERDICT_WORDS[later.verdict]}"


def desirable_line(assessment: Assessment) -> str:
    """The desirable score in words."""
    return score_line(assessment.desirable)


def score_line(score: DesirableScore) -> str:
    """A desirable score in words: '3 of 6 met (50%), 2 unknown, 1 not met'."""
    if score.total == 0:
        return "This programme publishes no desirable criteria."
    parts = [f"{score.met} of {score.total} met ({score.percent}%)"]
    if score.self_declared:
        parts.append(f"{score.self_declared} of them self-declared")
    if score.unknown:
        parts.append(f"{score.unknown} unknown")
    if score.not_met:
        parts.append(f"{score.not_met} not met")
    return ", ".join(parts)


def days_text(days: float) -> str:
    """7.5 → '7.5 days', 10.0 → '10 days'."""
    number = f"{days:g}"
    return f"{number} day" if number == "1" else f"{number} days"


def commitment_line(year: CommitmentSummary) -> str:
    """One year's commitment in a sentence."""
    parts: list[str] = []
    if year.release_days is not None:
        parts.append(f"{days_text(year.release_days)} release time")
    elif year.release_days_note:
        parts.append(f"release time: {year.release_days_note}")
    if year.funded is True:
        parts.append(f"funded by {year.funded_by}" if year.funded_by else "funded")
    elif year.funded is False:
        parts.append("not funded")
    if year.residentials:
        parts.append(f"residentials: {year.residentials}")
    if year.central_events:
        parts.append(f"central events: {year.central_events}")
    parts.extend(year.other)
    return f"{year.academic_year} ({year.label}): " + "; ".join(parts)


#: How a listing's column is headed, where its key is not the word.
COLUMN_LABELS = {
    "type_words": "type",
    "window_message": "window",
    "academic_years": "academic years",
}


def column_label(column: str) -> str:
    """A listing column's heading: 'window_message' → 'window', 'last_verified' → 'last
    verified'."""
    return COLUMN_LABELS.get(column, column.replace("_", " "))


def plain(value: object) -> str:
    """A listing cell as words: nothing for None, lists joined by commas, yes/no for booleans."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
