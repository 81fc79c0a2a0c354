"""The columns of a screening results file, and each row's cells, for CSV, XLSX and JSON Lines.

One output row per input row, in input order. Published criteria come first; a hub overlay's
criteria follow under headings that name the overlay, so they are never mistaken for the
published ones. With ``redact``, applicant identifiers and kept free text are replaced with
the row number.

Kept free-text columns appear under the mapping's heading, unless that heading is already one
of the results file's own (``verdict``, a criterion's id, another kept column's), compared
ignoring case: then under ``export: <heading>`` (and, if that is taken too, with the export's
column letter), so no two headings of a results file are ever the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter

from masterycheck.batch.screening import Evaluation, Screener, ScreenResult
from masterycheck.outputs.safe_files import DANGEROUS_FIRST_CHARACTERS, escape_formula

Cell = str | int

BASE_HEADINGS = ("row", "line", "rank", "verdict", "review", "score", "score_out_of")
TAIL_HEADINGS = ("reasons", "path_to_eligibility", "notes")
APPLICANT_ROLES = ("id", "name", "email")


def csv_cell(cell: Cell) -> str:
    """One cell as CSV text for Excel: formulas escaped, quoted where needed."""
    if not isinstance(cell, str):
        return str(cell)
    text = escape_formula(cell)
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


# In ``,cell,cell...`` with no comma inside any cell, each cell starts after a comma: a
# quote or line break anywhere, or a dangerous character after a comma, needs csv_cell. The
# pattern starts with a character set so that the search skips ahead quickly.
_RISKY = re.compile(
    '[",\r\n](?:(?<=,)[' + re.escape("".join(DANGEROUS_FIRST_CHARACTERS)) + "]|(?<!,))"
)


def _joined(cells: tuple[str, ...], positions: tuple[int, ...]) -> str:
    """The cells at ``positions``, each preceded by a comma, as CSV text (escaped, quoted).

    Most cells need neither quoting nor escaping, which one check of the joined text shows.
    """
    if not positions:
        return ""
    values = [cells[p] if p < len(cells) else "" for p in positions]
    joined = "," + ",".join(values)
    if joined.count(",") == len(values) and _RISKY.search(joined) is None:
        return joined
    return "," + ",".join(map(csv_cell, values))


def _joiner(positions: tuple[int, ...]) -> Callable[[tuple[str, ...]], str]:
    """``_joined`` for fixed ``positions``, quicker for rows that have every cell."""
    if not positions:
        return lambda cells: ""
    if len(positions) == 1:
        return lambda cells: _joined(cells, positions)
    take = itemgetter(*positions)
    commas = len(positions)

    def joined(cells: tuple[str, ...]) -> str:
        try:
            text = "," + ",".join(take(cells))
        except IndexError:
            return _joined(cells, positions)
        if text.count(",") == commas and _RISKY.search(text) is None:
            return text
        return _joined(cells, positions)

    return joined


def kept_headings(taken: list[str], keep: list[tuple[str, int]]) -> list[str]:
    """Headings for the kept columns ``keep`` ((heading, export position)) after ``taken``.

    A kept heading that is the same as an earlier heading ignoring case (as a spreadsheet
    writes it: formulas escaped) becomes ``export: <heading>``, then ``export D: <heading>``
    (D the export's column), then gets a number, until it is unique.
    """
    from masterycheck.batch.tables import column_letter

    def key(heading: str) -> str:
        return escape_formula(heading).casefold()

    seen = {key(heading) for heading in taken}
    headings: list[str] = []
    for heading, position in keep:
        letter = f"export {column_letter(position + 1)}: {heading}"
        candidates = [heading, f"export: {heading}", letter]
        chosen = next((c for c in candidates if key(c) not in seen), None)
        number = 2
        while chosen is None or key(chosen) in seen:
            chosen = f"{letter} ({number})"
            number += 1
        seen.add(key(chosen))
        headings.append(chosen)
    return headings


def redacted(row: int) -> str:
    """What a redacted cell says instead of the applicant's data."""
    return f"row {row}"


class ScreenColumns:
    """Headings and cells of the results file for one screener's programme and mapping."""

    def __init__(self, screener: Screener, *, redact: bool = False) -> None:
        """Lay out the columns; cells for an evaluation are built once and reused."""
        self.screener = screener
        self.redact = redact
        mapper = screener.mapper
        self.roles = [
            (role, mapper.applicant[role]) for role in APPLICANT_ROLES if role in mapper.applicant
        ]
        self.keep = list(mapper.keep)
        self.overlay = any(origin != "published" for origin in screener.origins)
        criteria_headings = [
            c.id if origin == "published" else f"{origin}:{c.id}"
            for c, origin in zip(screener.criteria, screener.origins, strict=True)
        ]
        own = [
            *BASE_HEADINGS,
            *(["overlay_score"] if self.overlay else []),
            *(f"applicant_{role}" for role, _ in self.roles),
            *criteria_headings,
            *TAIL_HEADINGS,
        ]
        #: The kept columns' headings in the results (see ``kept_headings``), in keep order.
        self.kept_headings = kept_headings(own, self.keep)
        self.headings: list[str] = [*own, *self.kept_headings]
        self._memo: dict[Evaluation, tuple[list[Cell], list[Cell]]] = {}
        self._fragments: dict[Evaluation, tuple[bytes, bytes]] = {}  # spool's, UTF-8
        self._role_positions = tuple(position for _, position in self.roles)
        self._keep_positions = tuple(position for _, position in self.keep)
        self._personal_cells = _joiner(self._role_positions)
        self._kept_cells = _joiner(self._keep_positions)

    def _evaluation_cells(self, evaluation: Evaluation) -> tuple[list[Cell], list[Cell]]:
        found = self._memo.get(evaluation)
        if found is not None:
            return found
        head: list[Cell] = [
            evaluation.verdict,
            "yes" if evaluation.review else "no",
            evaluation.score,
            self.screener.max_score,
        ]
        if self.overlay:
            head.append(evaluation.overlay_score)
        outcomes: list[Cell] = list(evaluation.outcomes) or [""] * len(self.screener.criteria)
        # Reasons and paths come from the criteria files, not from applicants, but are escaped
        # like every text cell (once per distinct evaluation).
        tail = [
            escape_formula("; ".join(evaluation.reasons)),
            escape_formula(" | ".join(evaluation.path)),
        ]
        cells = (head, [*outcomes, *tail])
        if evaluation.cached:
            self._memo[evaluation] = cells
        return cells

    def _personal(self, result: ScreenResult, position: int) -> str:
        if self.redact:
            return redacted(result.row)
        return result.cells[position] if position < len(result.cells) else ""

    def _evaluation_fragments(self, evaluation: Evaluation) -> tuple[bytes, bytes]:
        head, middle = self._evaluation_cells(evaluation)
        fragments = (
            ",".join(map(csv_cell, head)).encode(),
            ("," + ",".join(map(csv_cell, middle)) + ",").encode(),
        )
        if evaluation.cached:
            self._fragments[evaluation] = fragments
        return fragments

    def spool_bytes(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> bytes:
        """The row's CSV record after ``row`` and ``rank`` (``line`` first), in UTF-8.

        Formulas are escaped and cells quoted; the cells that come from the evaluation are
        rendered once per distinct evaluation. The parts are as ``screening.screen_rows`` gives.

        Bytes because the evaluation's cells, most of the record, are then copied as they are
        (a ``str`` record would be widened and encoded whenever a reason has a curly quote).
        """
        fragments = self._fragments.get(evaluation) or self._evaluation_fragments(evaluation)
        if self.redact:
            mark = csv_cell(redacted(row))
            personal = f",{mark}" * len(self.roles)
            kept = f",{mark}" * len(self.keep)
        else:
            personal = self._personal_cells(cells)
            kept = self._kept_cells(cells) if self._keep_positions else ""
        if notes or kept:
            tail = ((csv_cell("; ".join(notes)) if notes else "") + kept).encode()
        else:
            tail = b""
        return b"%d,%s%s%s%s\r\n" % (line, fragments[0], personal.encode(), fragments[1], tail)

    def cells(self, result: ScreenResult, rank: int) -> list[Cell]:
        """The row's cells, in the order of ``headings``."""
        head, middle = self._evaluation_cells(result.evaluation)
        return [
            result.row,
            result.line,
            rank,
            *head,
            *(self._personal(result, position) for _, position in self.roles),
            *middle,
            "; ".join(result.notes),
            *(self._personal(result, position) for _, position in self.keep),
        ]

    def record(self, result: ScreenResult, rank: int) -> dict[str, object]:
        """The row as one JSON object."""
        evaluation = result.evaluation
        published: dict[str, str] = {}
        overlay: dict[str, str] = {}
        for criterion, origin, outcome in zip(
            self.screener.criteria, self.screener.origins, evaluation.outcomes, strict=False
        ):
            (published if origin == "published" else overlay)[criterion.id] = outcome
        record: dict[str, object] = {
            "row": result.row,
            "line": result.line,
            "rank": rank,
            "verdict": evaluation.verdict,
            "review": evaluation.review,
            "score": evaluation.score,
            "score_out_of": self.screener.max_score,
            "applicant": {role: self._personal(result, position) for role, position in self.roles},
            "criteria": published,
        }
        if self.overlay:
            record["overlay_criteria"] = overlay
            record["overlay_score"] = evaluation.overlay_score
        record["reasons"] = list(evaluation.reasons)
        record["path_to_eligibility"] = list(evaluation.path)
        record["notes"] = list(result.notes)
        if self.keep:
            record["kept"] = {
                heading: self._personal(result, position)
                for heading, (_, position) in zip(self.kept_headings, self.keep, strict=True)
            }
        return record
