"""Duplicate applicants: one person's earlier submissions, superseded by their latest.

People submit a form twice. Rows with the same email (trimmed, case-folded; a value without
``@``, such as Microsoft Forms' "anonymous", is no email), or the same full name *and* school
(case-folded, spaces collapsed), are one applicant's submissions; rows linked through either
are one group. The latest submission of a group, by the mapping's ``applicant: submitted``
column (ties and unreadable times by row order; without the column, the last row), is screened
as the applicant; the others are *superseded*: they stay in the results (rows in = rows out),
with ``duplicate_of`` the row that supersedes them and the verdict ``superseded``, and are left
out of the ranks, the shortlist and the counts of applicants. Invalid rows take no part.

Grouping needs every row's identity before any row is known to be superseded, so the
screening pass keeps each row's identifying cells as they are (``SubmissionLog``: a tuple a
row, packed every 1,024 rows into one text a column, some 70 bytes a row) and its evaluation,
and ``SubmissionLog.resolve`` groups them when the pass ends, the way the ranks are resolved:
a quick test that every normalised email and every normalised name is distinct settles the
usual export, and only an export with a repeat is grouped exactly. The export is read once.

Submission times are read tolerantly (``submission_times``): ISO (``2026-01-15T09:20:40``, as
the XLSX reader gives a date cell), Google Forms' ``2026/01/15 9:20:40 AM GMT``, day/month
forms (``1/15/26 9:20:40``, ``15/01/2026 09:20:40``), month names (``15 Jan 2026 09:20``) and
Excel serial numbers. Day and month are read the same way for the whole column: day first
if any value's first part is over 12, month first if any value's second part is; otherwise
by the form system's convention (Microsoft Forms' ``m/d/yy``, US Google Sheets' ``m/d/yyyy``:
month first; UK Google Sheets' zero-padded ``dd/mm/yyyy``: day first).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Final

from masterycheck.core.answers import shown_answer

if TYPE_CHECKING:
    from masterycheck.batch.screening import Evaluation

#: The columns of ``applicant`` that identify a submission, in the order ``SubmissionLog``
#: keeps them.
IDENTITY_ROLES: Final = ("name", "id", "email", "school", "submitted")
#: The names an identity column holds when a form did not record one.
ANONYMOUS: Final = frozenset({"anonymous", "anonymous user"})
#: How many notes on unreadable submission times the summary lists before counting the rest.
MAX_TIME_NOTES: Final = 5


@dataclass(frozen=True)
class Duplicates:
    """What grouping found: which rows are superseded, and by which row."""

    superseded: Mapping[int, int] = field(default_factory=dict)  # row -> the row screened
    notes: tuple[str, ...] = ()  # for the run's summary: how times were read, what was not

    def __bool__(self) -> bool:
        """Whether any row is superseded."""
        return bool(self.superseded)


NO_DUPLICATES = Duplicates()


#: Rows whose identifying cells are kept as one text a column (``SubmissionLog``).
CHUNK_ROWS: Final = 1024

Chunk = str | tuple[str, ...]  # a column's cells of up to CHUNK_ROWS rows, joined by NULs


class SubmissionLog:
    """Each row's identifying cells, kept during the screening pass, grouped at its end.

    ``keep(cells, evaluation)`` is called for every row in order (``batch.run``): it keeps a
    tuple of the row's cells, and every ``CHUNK_ROWS`` rows each column's cells become one
    text (a tuple if a cell holds a NUL), which holds them in a fraction of the memory and is
    what ``_normalised`` reads quickest. ``resolve`` groups the rows (``Duplicates``).
    """

    def __init__(self, applicant: Mapping[str, int], headings: Sequence[str]) -> None:
        """Log the ``applicant`` columns (role -> export position) of an export with
        ``headings``."""
        self.roles = tuple(role for role in IDENTITY_ROLES if role in applicant)
        positions = [applicant[role] for role in self.roles]
        self._blank = ("",) * len(positions)
        take: Callable[[tuple[str, ...]], tuple[str, ...]]
        if len(positions) > 1:  # one tuple a row: the cheapest way to keep them
            take = itemgetter(*positions)
        else:
            only = positions[0] if positions else 0
            take = (lambda cells: (cells[only],)) if positions else (lambda cells: ())
        self._take = take
        self.submitted_heading = (
            headings[applicant["submitted"]] if "submitted" in applicant else None
        )
        self._batch: list[tuple[str, ...]] = []
        self._chunks: tuple[list[Chunk], ...] = tuple([] for _ in self.roles)
        self.evaluations: list[Evaluation] = []  # every row's, in order

    @property
    def groups_anything(self) -> bool:
        """Whether the mapping names a column that can link two rows (email, or name and
        school)."""
        return "email" in self.roles or {"name", "school"} <= set(self.roles)

    def keep_function(self, invalid_code: int) -> Callable[[tuple[str, ...], Evaluation], None]:
        """The pass's per-row call: keeps the row's identifying cells (none for an invalid
        row, which takes no part) and its evaluation (to take a superseded row out of the
        counts)."""
        take, blank, batch, pack = self._take, self._blank, self._batch, self._pack
        add_row, add_evaluation = batch.append, self.evaluations.append

        def keep(cells: tuple[str, ...], evaluation: Evaluation) -> None:
            add_row(take(cells) if evaluation.code != invalid_code else blank)
            add_evaluation(evaluation)
            if len(batch) == CHUNK_ROWS:
                pack()

        return keep

    def _pack(self) -> None:
        """Keep the batch's cells as one text a column."""
        batch = self._batch
        for index, chunks in enumerate(self._chunks):
            cells = list(map(itemgetter(index), batch))
            joined = "\x00".join(cells)
            chunks.append(joined if joined.count("\x00") == len(cells) - 1 else tuple(cells))
        batch.clear()

    def chunks(self, role: str) -> list[Chunk]:
        """One identity column's cells, as kept ("" for an invalid row)."""
        if self._batch:
            self._pack()
        if role not in self.roles:
            return [("",) * len(self.evaluations)]
        return self._chunks[self.roles.index(role)]

    def column(self, role: str) -> list[str]:
        """Every row's cell of one identity column ("" for an invalid row)."""
        cells: list[str] = []
        for chunk in self.chunks(role):
            cells += chunk.split("\x00") if isinstance(chunk, str) else chunk
        return cells

    def resolve(self) -> Duplicates:
        """Group the rows and choose each group's latest submission."""
        links = _links(self)
        if not links:
            return NO_DUPLICATES
        groups = _groups(links)
        times, notes = _times_for(self, groups)
        superseded: dict[int, int] = {}
        unread: list[str] = []
        stamps = self.column("submitted")
        for members in groups:
            known = [times[index] for index in members]
            if all(time is not None for time in known):
                latest = max(members, key=lambda index: (times[index], index))
            else:
                latest = members[-1]
                if self.submitted_heading is not None:
                    unread.append(_unread_note(members, known, stamps))
            for index in members:
                if index != latest:
                    superseded[index + 1] = latest + 1
        if unread:
            notes.extend(unread[:MAX_TIME_NOTES])
            if len(unread) > MAX_TIME_NOTES:
                notes.append(f"... and {len(unread) - MAX_TIME_NOTES} more such group(s).")
        return Duplicates(dict(sorted(superseded.items())), tuple(notes))


def _links(log: SubmissionLog) -> list[tuple[int, int]]:
    """Pairs of row indexes (0-based) that share an email, or a name and a school.

    Quick tests first: when every normalised email is distinct, and so is every normalised
    name (the usual export), nothing is grouped and no school is even read.
    """
    links: list[tuple[int, int]] = []
    if "email" in log.roles and not _all_distinct(log.chunks("email")):
        emails = _normalised(log.chunks("email"))
        links += _pairs((i, key) for i, key in enumerate(emails) if "@" in key)
    if {"name", "school"} <= set(log.roles) and not _all_distinct(log.chunks("name")):
        names = _normalised(log.chunks("name"))
        schools = _normalised(log.chunks("school"))
        links += _pairs(
            (i, (name, school))
            for i, (name, school) in enumerate(zip(names, schools, strict=True))
            if name and school and name not in ANONYMOUS
        )
    return links


#: ASCII whitespace other than the space (``str.split`` splits on each).
_OTHER_SPACES = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")


def _all_distinct(chunks: list[Chunk]) -> bool:
    """Whether every normalised cell differs from every other (a quick test, a chunk at a
    time, keeping only the hashes: two that are equal make it false, as may, rarely, two
    that only hash alike; the exact grouping follows when it is false)."""
    seen: set[int] = set()
    count = 0
    for chunk in chunks:
        keys = _normalised([chunk])
        count += len(keys)
        seen.update(map(hash, keys))
    return len(seen) == count


def _normalised(chunks: list[Chunk]) -> list[str]:
    """Every cell case-folded, with runs of whitespace as one space and none at either end.

    A chunk of cells joined as one text is done at once when it can be (one case-fold, one
    split: most cells need nothing else), else cell by cell.
    """
    keys: list[str] = []
    for chunk in chunks:
        if isinstance(chunk, str):
            folded = chunk.casefold()
            if _evenly_spaced(folded):
                keys += folded.split("\x00")
                continue
            chunk = tuple(chunk.split("\x00"))
        keys += map(" ".join, map(str.split, map(str.casefold, chunk)))
    return keys


def _evenly_spaced(joined: str) -> bool:
    """Whether values joined by NULs are all ASCII with single spaces between words only
    (so normalising their spaces would change nothing). Substring tests, which are quick."""
    return (
        joined.isascii()
        and "  " not in joined
        and "\x00 " not in joined
        and " \x00" not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and not any(space in joined for space in _OTHER_SPACES)
    )


def _pairs(keyed: Iterable[tuple[int, object]]) -> list[tuple[int, int]]:
    """(first index with a key, a later index with the same key), for every later index."""
    first: dict[object, int] = {}
    pairs: list[tuple[int, int]] = []
    for index, key in keyed:
        earlier = first.setdefault(key, index)
        if earlier != index:
            pairs.append((earlier, index))
    return pairs


def _groups(links: list[tuple[int, int]]) -> list[list[int]]:
    """The linked rows as groups (each sorted, in order of their first row)."""
    parent: dict[int, int] = {}

    def root(index: int) -> int:
        parent.setdefault(index, index)
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for first, second in links:
        one, other = root(first), root(second)
        if one != other:
            parent[max(one, other)] = min(one, other)
    members: dict[int, list[int]] = {}
    for index in sorted(parent):
        members.setdefault(root(index), []).append(index)
    return list(members.values())


def _times_for(
    log: SubmissionLog, groups: list[list[int]]
) -> tuple[dict[int, float | None], list[str]]:
    """The submission time of every grouped row (None: not read), and notes on how."""
    grouped = [index for members in groups for index in members]
    superseded = sum(len(members) - 1 for members in groups)
    heading = log.submitted_heading
    notes: list[str] = []
    if heading is None:
        notes.append(
            f"{superseded} earlier submission(s) superseded by the last row of the same "
            "applicant: no submission-time column is mapped (applicant: submitted)."
        )
        return dict.fromkeys(grouped), notes
    column = log.column("submitted")
    readings = submission_times(column, heading)
    notes.append(
        f"{superseded} earlier submission(s) superseded by the same applicant's latest, by "
        f"“{heading}”{readings.how}."
    )
    return {index: readings.times[index] for index in grouped}, notes


def _unread_note(members: list[int], known: list[float | None], column: list[str]) -> str:
    rows = ", ".join(str(index + 1) for index in members)
    unread = next(
        index for index, time in zip(members, known, strict=True) if time is None
    )  # at least one
    value = column[unread]
    shown = shown_answer(value) if value.strip() else "blank"  # on one line, inert, shortened
    return (
        f"Rows {rows} (one applicant): the submission time of row {unread + 1} ({shown}) "
        f"could not be read, so row {members[-1] + 1}, the last, is screened."
    )


# --- submission times --------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_ZONES = {"gmt": 0, "utc": 0, "z": 0, "bst": 60, "cet": 60, "cest": 120}
_TIME = (
    r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<half>[ap]\.?m\.?)?)?"
    r"\s*(?P<zone>z|gmt|utc|bst|cet|cest|(?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?)?"
)
_YEAR_FIRST = re.compile(
    r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})" + _TIME, re.IGNORECASE
)
_PARTS_FIRST = re.compile(
    r"(?P<first>\d{1,2})[/.-](?P<second_part>\d{1,2})[/.-](?P<year>\d{4}|\d{2})" + _TIME,
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})"
    r"|(?P<month2>[a-z]{3,9})\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4}))" + _TIME,
    re.IGNORECASE,
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class SubmissionTimes:
    """A column's submission times read as one: seconds (UTC when a zone is given) or None."""

    times: list[float | None]
    how: str  # how day and month were told apart, for the summary ("" if no value needed it)


@dataclass(frozen=True)
class _Ambiguous:
    """A ``d/m/y`` or ``m/d/y`` value, read once the column's order is known."""

    first: int
    second: int
    year: int
    seconds: float  # into the day, the zone's offset taken off
    padded: bool  # both parts written with two digits (UK Google Sheets)


def submission_times(values: Sequence[str], heading: str = "") -> SubmissionTimes:
    """Every value of a submission-time column as seconds (None when it cannot be read),
    day and month told apart the same way for the whole column (see the module's doc)."""
    parsed = [_parse(value) for value in values]
    ambiguous = [item for item in parsed if isinstance(item, _Ambiguous)]
    day_first: bool | None = None
    how = ""
    if ambiguous:
        firsts = any(item.first > 12 for item in ambiguous)
        seconds = any(item.second > 12 for item in ambiguous)
        if firsts and seconds:
            how = (
                "; its day/month values are written both ways (one has a first part over 12, "
                "another a second part), so none of them is read"
            )
        elif firsts:
            day_first, how = True, " (day first: a value's first part is over 12)"
        elif seconds:
            day_first, how = False, " (month first: a value's second part is over 12)"
        elif all(item.padded and item.year >= 1000 for item in ambiguous):
            day_first, how = True, " (day first, as UK Google Sheets write dd/mm/yyyy)"
        else:
            day_first, how = False, " (month first, as Microsoft Forms write m/d/yy)"
    times = [
        _resolved(item, day_first) if isinstance(item, _Ambiguous) else item for item in parsed
    ]
    return SubmissionTimes(times, how)


def _resolved(item: _Ambiguous, day_first: bool | None) -> float | None:
    if day_first is None:
        return None
    day, month = (item.first, item.second) if day_first else (item.second, item.first)
    year = item.year if item.year >= 100 else 2000 + item.year
    return _seconds(year, month, day, item.seconds)


def _parse(value: str) -> float | _Ambiguous | None:
    """One value: seconds, a day/month value to resolve with its column, or None."""
    text = " ".join(value.strip().split())
    if not text:
        return None
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        seconds = _time_of_day(match)
        if seconds is None:
            return None
        return _seconds(int(match["year"]), int(match["month"]), int(match["day"]), seconds)
    match = _PARTS_FIRST.fullmatch(text)
    if match:
        seconds = _time_of_day(match)
        if seconds is None:
            return None
        first, second = match["first"], match["second_part"]
        return _Ambiguous(
            int(first),
            int(second),
            int(match["year"]),
            seconds,
            len(first) == 2 and len(second) == 2,
        )
    match = _NAMED.fullmatch(text)
    if match:
        seconds = _time_of_day(match)
        month = _MONTHS.get((match["month"] or match["month2"]).casefold())
        if seconds is None or month is None:
            return None
        day = int(match["day"] or match["day2"])
        return _seconds(int(match["year"] or match["year2"]), month, day, seconds)
    if _SERIAL.fullmatch(text):
        days = float(text)
        if 20_000 <= days <= 80_000:  # 1954 to 2119: an Excel date, not a count
            return (_EXCEL_EPOCH + dt.timedelta(days=days) - _EPOCH).total_seconds()
    return None


def _time_of_day(match: re.Match[str]) -> float | None:
    """Seconds into the day of a matched time (0 without one), less the zone's offset."""
    hour = int(match["hour"] or 0)
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    half = (match["half"] or "").replace(".", "").casefold()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = _offset(match["zone"])
    if offset is None:
        return None
    return hour * 3600 + minute * 60 + second - offset * 60


def _offset(zone: str | None) -> int | None:
    """A zone's offset from UTC in minutes (0 without one)."""
    if not zone:
        return 0
    text = zone.replace(" ", "").casefold()
    if text in _ZONES:
        return _ZONES[text]
    found = re.fullmatch(r"(?:gmt|utc)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if not found:
        return None
    minutes = int(found[2]) * 60 + int(found[3] or 0)
    if minutes > 14 * 60:
        return None
    return minutes if found[1] == "+" else -minutes


def _seconds(year: int, month: int, day: int, seconds: float) -> float | None:
    """Seconds since 1970 of a date and seconds into it; None for a date that does not exist."""
    try:
        date = dt.datetime(year, month, day)
    except ValueError:
        return None
    return (date - _EPOCH).total_seconds() + seconds
