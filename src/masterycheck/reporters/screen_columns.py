"""The columns of a screening run's results file: headings, and each row's cells as CSV,
JSON Lines text or sheet cells.

One output row per input row, in input order. Published criteria come first; a hub overlay's
criteria follow under headings that name the overlay, so they are never mistaken for the
published ones. With ``redact``, applicant identifiers and kept free text are replaced with
the row number.

Kept free-text columns appear under the mapping's heading, unless that heading is already one
of the results file's own (``verdict``, a criterion's id, another kept column's), compared
ignoring case: then under ``export: <heading>`` (and, if that is taken too, with the export's
column letter), so no two headings of a results file are ever the same.

An applicant's earlier submission (``batch.duplicates``) is written, when the ranks are known,
with no rank, ``duplicate_of`` the row screened instead, the verdict ``superseded`` and review
``no``; its own criteria's outcomes, score and reasons stay, for reference. Every other row has
an empty ``duplicate_of`` (``null`` in JSON Lines).

The writers that use these columns are ``reporters.screen_output`` (CSV, JSON Lines) and
``reporters.screen_workbook`` (XLSX).
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable
from typing import TYPE_CHECKING

from masterycheck.batch.screening import Evaluation, Screener
from masterycheck.core.answers import to_plain
from masterycheck.core.vocabulary import SUPERSEDED, is_published
from masterycheck.outputs.csv_blocks import BlockCells
from masterycheck.outputs.inert_text import escape_json_controls
from masterycheck.outputs.safe_files import csv_cell, escape_formula, json_line

if TYPE_CHECKING:
    from masterycheck.batch.screening_pass import ScreenedBlock

#: A text as a JSON string, non-ASCII kept (as ``json.dumps(text, ensure_ascii=False)``).
_encode_json_text: Callable[[str], str] = json.encoder.encode_basestring

Cell = str | int | None

BASE_HEADINGS = (
    *("row", "line", "rank", "duplicate_of"),
    *("verdict", "review", "score", "score_out_of"),
)
TAIL_HEADINGS = ("reasons", "path_to_eligibility", "notes")
APPLICANT_ROLES = ("id", "name", "email")


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
    """Headings and cells of the results file for one screener's programme and mapping.

    Each row is given as the screening pass gives it: ``(row, line, cells, evaluation,
    notes)``; the cells that come from the evaluation are built once per distinct evaluation.
    """

    def __init__(self, screener: Screener, *, redact: bool = False) -> None:
        """Lay out the columns."""
        self.screener = screener
        self.redact = redact
        mapper = screener.mapper
        self.roles = [
            (role, mapper.applicant[role]) for role in APPLICANT_ROLES if role in mapper.applicant
        ]
        self.keep = list(mapper.keep)
        self.overlay = not all(map(is_published, screener.origins))
        criteria_headings = [
            c.id if is_published(origin) else f"{origin}:{c.id}"
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
        self._role_positions = tuple(position for _, position in self.roles)
        self._keep_positions = tuple(position for _, position in self.keep)
        self._role_cells = BlockCells(self._role_positions) if self.roles else None
        self._keep_cells = BlockCells(self._keep_positions) if self.keep else None
        notes = screener.constant_notes
        self._usual_note = csv_cell("; ".join(notes)) if notes else ""
        self._csv_outcomes: dict[tuple[str, ...], str] = {}
        self._csv_reasons: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        #: The hub's answers for every row (the mapping's constants), for JSON Lines; CSV and
        #: XLSX carry them as each row's note.
        self.constants = {field_id: to_plain(value) for field_id, value in mapper.constants.items()}
        self._json_memo: dict[Evaluation, tuple[str, str, str]] = {}
        self._json_roles = [
            (_encode_json_text(role) + ":", position) for role, position in self.roles
        ]
        self._json_kept = [
            (_encode_json_text(heading) + ":", position)
            for heading, (_, position) in zip(self.kept_headings, self.keep, strict=True)
        ]
        self._usual_notes = notes
        self._usual_notes_json = "[" + ",".join(map(_encode_json_text, notes)) + "]"

    def _head_cells(self, evaluation: Evaluation) -> list[Cell]:
        """An evaluation's verdict, review and scores, as the results' cells."""
        head: list[Cell] = [
            evaluation.verdict,
            "yes" if evaluation.review else "no",
            evaluation.score,
            self.screener.max_score,
        ]
        if self.overlay:
            head.append(evaluation.overlay_score)
        return head

    def _evaluation_cells(self, evaluation: Evaluation) -> tuple[list[Cell], list[Cell]]:
        found = self._memo.get(evaluation)
        if found is not None:
            return found
        head = self._head_cells(evaluation)
        outcomes: list[Cell] = list(evaluation.outcomes) or [""] * len(self.screener.criteria)
        # Reasons and paths come from the criteria files, quoting at most an answer that could
        # not be read (inert, shortened); escaped like every text cell (once per evaluation).
        tail = [
            escape_formula("; ".join(evaluation.reasons)),
            escape_formula(" | ".join(evaluation.path)),
        ]
        cells = (head, [*outcomes, *tail])
        if evaluation.cached:
            self._memo[evaluation] = cells
        return cells

    def _personal(self, row: int, cells: tuple[str, ...], position: int) -> str:
        if self.redact:
            return redacted(row)
        return cells[position] if position < len(cells) else ""

    def cells(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
        rank: int,
    ) -> list[Cell]:
        """The row's cells, in the order of ``headings``."""
        head, middle = self._evaluation_cells(evaluation)
        return [
            row,
            line,
            rank,
            None,  # duplicate_of: known when the ranks are
            *head,
            *(self._personal(row, cells, position) for _, position in self.roles),
            *middle,
            "; ".join(notes),
            *(self._personal(row, cells, position) for _, position in self.keep),
        ]

    def record(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
        rank: int,
    ) -> dict[str, object]:
        """The row as one JSON object (not superseded: see ``superseded_json_text``)."""
        record: dict[str, object] = {"row": row, "line": line, "rank": rank, "duplicate_of": None}
        record.update(self._record_after_rank(row, cells, evaluation, notes))
        return record

    def _record_after_rank(
        self, row: int, cells: tuple[str, ...], evaluation: Evaluation, notes: tuple[str, ...]
    ) -> dict[str, object]:
        record = self._json_head(evaluation)
        record["applicant"] = {
            role: self._personal(row, cells, position) for role, position in self.roles
        }
        record.update(self._json_middle(evaluation))
        record["notes"] = list(notes)
        if self.constants and evaluation.outcomes:
            record["constants"] = self.constants  # stated by the hub, not the applicant
        if self.keep:
            record["kept"] = {
                heading: self._personal(row, cells, position)
                for heading, (_, position) in zip(self.kept_headings, self.keep, strict=True)
            }
        return record

    def csv_pieces(self, evaluation: Evaluation) -> tuple[tuple[bytes, ...], bool]:
        """The fixed pieces of the CSV record of a row of ``evaluation`` after its row, line,
        rank and duplicate_of (``outputs.ranked_records``), with the usual notes, its cells
        rendered once; the row's own texts (``csv_slots``) go between them. And whether they
        may be remembered (the evaluation is memoised)."""
        pieces = [",".join(map(csv_cell, self._head_cells(evaluation)))]
        if self.roles:
            pieces[-1] += ","
            pieces.append("")
        pieces[-1] += "," + self._csv_middle(evaluation) + "," + self._usual_note
        if self.keep:
            pieces[-1] += ","
            pieces.append("")
        pieces[-1] += "\r\n"
        return tuple(piece.encode() for piece in pieces), evaluation.cached

    def _csv_middle(self, evaluation: Evaluation) -> str:
        """The CSV text of an evaluation's outcomes, reasons and path: the outcomes' and the
        reasons' and path's each rendered once (many evaluations share them)."""
        outcomes = self._csv_outcomes.get(evaluation.outcomes)
        if outcomes is None:
            words = list(evaluation.outcomes) or [""] * len(self.screener.criteria)
            outcomes = ",".join(map(csv_cell, words))
            if evaluation.cached:
                self._csv_outcomes[evaluation.outcomes] = outcomes
        why = (evaluation.reasons, evaluation.path)
        reasons = self._csv_reasons.get(why)
        if reasons is None:
            # Reasons and paths come from the criteria files, quoting at most an answer that
            # could not be read (inert, shortened); escaped like every text cell.
            reasons = ",".join(
                [
                    csv_cell(escape_formula("; ".join(evaluation.reasons))),
                    csv_cell(escape_formula(" | ".join(evaluation.path))),
                ]
            )
            if evaluation.cached:
                self._csv_reasons[why] = reasons
        return outcomes + "," + reasons

    def csv_slots(self, block: ScreenedBlock) -> list[list[str]]:
        """The rows' own texts in their CSV records, a block at a time: the applicant's cells
        (if the results have such columns), then the kept cells (if any); each row's cells
        joined by commas, formulas escaped, quoted where needed (``outputs.csv_blocks``)."""
        slots: list[list[str]] = []
        if self.redact:
            marks = [redacted(row) for row in range(block.start, block.start + len(block))]
            if self.roles:
                slots.append([",".join([mark] * len(self.roles)) for mark in marks])
            if self.keep:
                slots.append([",".join([mark] * len(self.keep)) for mark in marks])
            return slots
        if self._role_cells is not None:
            slots.append(self._role_cells.texts(block.cells))
        if self._keep_cells is not None:
            slots.append(self._keep_cells.texts(block.cells))
        return slots

    def csv_whole(self, block: ScreenedBlock, slots: list[list[str]]) -> dict[int, bytes]:
        """The CSV records (after row, line, rank and duplicate_of) of the block's rows whose
        notes are not the usual ones, by offset."""
        if block.usual_notes != self.screener.constant_notes:  # pragma: no cover - one run's
            raise ValueError("the block's usual notes are not the screener's")
        whole: dict[int, bytes] = {}
        for offset, notes in block.notes.items():
            head, middle = self._evaluation_cells(block.evaluations[offset])
            texts = [slot[offset] for slot in slots]
            parts = [",".join(map(csv_cell, head))]
            if self.roles:
                parts.append(texts.pop(0))
            parts += [*map(csv_cell, middle), csv_cell("; ".join(notes)) if notes else ""]
            parts += texts
            whole[offset] = (",".join(parts) + "\r\n").encode()
        return whole

    def json_texts(self, block: ScreenedBlock) -> list[str]:
        """Each row's JSON line from its verdict on (``{"row":R,"line":L,"rank":K,
        "duplicate_of":null,`` goes before it once the ranks are known), a block at a time.

        The same text as ``json_line(record(...))`` without its first character: the parts
        that come from the evaluation are encoded once per evaluation (``_json_pieces``), and
        only the row's own texts (applicant, notes, kept columns) for each row.
        """
        pieces, escape, encode = self._json_pieces, escape_json_controls, _encode_json_text
        personal, roles, kept = self._personal, self._json_roles, self._json_kept
        usual, usual_json = self._usual_notes, self._usual_notes_json
        texts: list[str] = []
        add = texts.append
        for row, _, cells, evaluation, notes in block.rows():
            head, middle, tail = pieces(evaluation)
            applicant = ",".join([key + encode(personal(row, cells, at)) for key, at in roles])
            notes_json = usual_json if notes == usual else f"[{','.join(map(encode, notes))}]"
            text = head + applicant + middle + notes_json + tail
            if kept:
                own = ",".join([key + encode(personal(row, cells, at)) for key, at in kept])
                text += ',"kept":{' + own + "}"
            add(escape(text + "}") + "\n")
        return texts

    def _json_head(self, evaluation: Evaluation) -> dict[str, object]:
        """A JSON record's keys before the applicant: verdict, review and scores."""
        return {
            "verdict": evaluation.verdict,
            "review": evaluation.review,
            "score": evaluation.score,
            "score_out_of": self.screener.max_score,
        }

    def _json_middle(self, evaluation: Evaluation) -> dict[str, object]:
        """A JSON record's keys between the applicant and the notes: the criteria's outcomes
        (a hub overlay's apart, with its score), the reasons and the path to eligibility."""
        published: dict[str, str] = {}
        overlay: dict[str, str] = {}
        for criterion, origin, outcome in zip(
            self.screener.criteria, self.screener.origins, evaluation.outcomes, strict=False
        ):
            (published if is_published(origin) else overlay)[criterion.id] = outcome
        middle: dict[str, object] = {"criteria": published}
        if self.overlay:
            middle["overlay_criteria"] = overlay
            middle["overlay_score"] = evaluation.overlay_score
        middle["reasons"] = list(evaluation.reasons)
        middle["path_to_eligibility"] = list(evaluation.path)
        return middle

    def _json_pieces(self, evaluation: Evaluation) -> tuple[str, str, str]:
        """The JSON of a row of ``evaluation`` around the row's own texts: before the
        applicant's values, between them and the notes, after the notes (before kept text)."""
        found = self._json_memo.get(evaluation)
        if found is not None:
            return found
        head, middle = self._json_head(evaluation), self._json_middle(evaluation)
        tail = ""
        if self.constants and evaluation.outcomes:
            tail = ',"constants":' + json_line(self.constants)  # stated by the hub
        made = (
            escape_json_controls(json_line(head)[1:-1] + ',"applicant":{'),
            escape_json_controls("}," + json_line(middle)[1:-1] + ',"notes":'),
            escape_json_controls(tail),
        )
        if evaluation.cached:
            self._json_memo[evaluation] = made
        return made

    @staticmethod
    def superseded_csv_rest(by: int) -> Callable[[int, int, bytes], bytes]:
        """The CSV record of a row superseded by row ``by``, from its record after row, line,
        rank and duplicate_of (verdict and review first, words without commas)."""
        word = SUPERSEDED.encode()

        def record(row: int, line: int, rest: bytes) -> bytes:
            return b"%d,%d,,%d,%s,no,%s" % (row, line, by, word, rest.split(b",", 2)[2])

        return record

    @staticmethod
    def superseded_json_text(by: int) -> Callable[[int, int, str], str]:
        """The JSON line of a row superseded by row ``by``, from its text (``json_texts``:
        verdict and review first, values without commas)."""
        head = f'"duplicate_of":{by},"verdict":"{SUPERSEDED}","review":false,'

        def record(row: int, line: int, text: str) -> str:
            return f'{{"row":{row},"line":{line},"rank":null,{head}{text.split(",", 2)[2]}'

        return record
