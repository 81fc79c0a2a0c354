"""The application window relative to a date: open, not yet open, closed or not published."""

from __future__ import annotations

import datetime as dt

from masterycheck.core.programme import Window
from masterycheck.core.results import WindowStatus, made


def long_date(day: dt.date) -> str:
    """A date as people write it in England: 23 April 2026."""
    return f"{day.day} {day.strftime('%B %Y')}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def window_status(window: Window, as_of: dt.date) -> WindowStatus:
    """Where ``as_of`` falls relative to the published window, in words and numbers."""
    opens, closes = window.opens, window.closes
    later = f" {window.next_cohort}" if window.next_cohort else ""
    if opens is not None and as_of < opens:
        days = (opens - as_of).days
        message = f"not yet open: opens in {_days(days)}, on {long_date(opens)}"
        if closes is not None:
            message += f", and closes on {long_date(closes)}"
        return made(
            WindowStatus,
            state="not_yet_open",
            opens=opens,
            closes=closes,
            days=days,
            message=message,
        )
    if closes is not None:
        if as_of <= closes:
            days = (closes - as_of).days
            when = "closes today" if days == 0 else f"closes in {_days(days)}"
            return made(
                WindowStatus,
                state="open",
                opens=opens,
                closes=closes,
                days=days,
                message=f"open: {when}, on {long_date(closes)}",
            )
        return made(
            WindowStatus,
            state="closed",
            opens=opens,
            closes=closes,
            days=(as_of - closes).days,
            message=f"closed on {long_date(closes)}.{later}",
        )
    if window.decisions_by is not None and as_of > window.decisions_by:
        return made(
            WindowStatus,
            state="closed",
            opens=opens,
            closes=None,
            days=None,
            message=(
                "closed: no closing date was published, but hubs notified successful "
                f"applicants by {long_date(window.decisions_by)}.{later}"
            ),
        )
    note = f" {window.note}" if window.note else ""
    return made(
        WindowStatus,
        state="not_published",
        opens=opens,
        closes=None,
        days=None,
        message=f"no application dates are published.{note}",
    )
