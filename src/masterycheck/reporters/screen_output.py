"""The results file of a screening run: its columns, and its writers (CSV, XLSX, JSON Lines).

One output row per input row, in input order. Published criteria come first; a hub overlay's
criteria follow under headings that name the overlay, so they are never mistaken for the
published ones. With ``redact``, applicant identifiers and kept free text are replaced with
the row number.

Kept free-text columns appear under the mapping's heading, unless that heading is already one
of the results file's own (``verdict``, a criterion's id, another kept column's), compared
ignoring case: then under ``export: <heading>`` (and, if that is taken too, with the export's
column letter), so no two headings of a results file are ever the same.

Every format is written the same way (``batch.run.ResultsWriter``): each block of rows, as
the one screening pass gives it, is encoded at once into a private spool without its rank
(CSV: the pieces of each record, an evaluation's cells rendered once; JSON Lines: each line's
text; XLSX: each row's cells); when the ranks are known the spool is copied into the results
file with them (``outputs.ranked``, ``outputs.ranked_records``).

An applicant's earlier submission (``batch.duplicates``) is written, when the ranks are known,
with no rank, ``duplicate_of`` the row screened instead, the verdict ``superseded`` and review
``no``; its own criteria's outcomes, score and reasons stay, for reference. Every other row has
an empty ``duplicate_of`` (``null`` in JSON Lines).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, cast

from masterycheck.batch.screening import Evaluation, Screener
from masterycheck.core.answers import to_plain
from masterycheck.core.vocabulary import (
    LABELS,
    SUPERSEDED,
    Outcome,
    Verdict,
    is_published,
    label,
    spoken,
)
from masterycheck.outputs.csv_blocks import BlockCells
from masterycheck.outputs.ranked import BlockSpool, RecordSpool, write_ranked_blocks
from masterycheck.outputs.ranked_records import PieceSpool
from masterycheck.outputs.safe_files import (
    csv_cell,
    csv_line,
    escape_formula,
    json_line,
)

if TYPE_CHECKING:
    from masterycheck.batch.run import ScreenRun
    from masterycheck.batch.screening_pass import ScreenedBlock
    from masterycheck.outputs.xlsx_writer import Column, SummaryLine
    from masterycheck.reporters.html_screen.facts import RunFacts

Cell = str | int | None

BASE_HEADINGS = (
    *("row", "line", "rank", "duplicate_of"),
    *("verdict", "review", "score", "score_out_of"),
)
TAIL_HEADINGS = ("reasons", "path_to_eligibility", "notes")
#: A yes/no cell of the results as the sheet shows it.
YES_NO = {"yes": "Yes", "no": "No"}
APPLICANT_ROLES = ("id", "name", "email")
_UTF8_BOM = "\ufeff".encode()


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
        published: dict[str, str] = {}
        overlay: dict[str, str] = {}
        for criterion, origin, outcome in zip(
            self.screener.criteria, self.screener.origins, evaluation.outcomes, strict=False
        ):
            (published if is_published(origin) else overlay)[criterion.id] = outcome
        record: dict[str, object] = {
            "verdict": evaluation.verdict,
            "review": evaluation.review,
            "score": evaluation.score,
            "score_out_of": self.screener.max_score,
            "applicant": {
                role: self._personal(row, cells, position) for role, position in self.roles
            },
            "criteria": published,
        }
        if self.overlay:
            record["overlay_criteria"] = overlay
            record["overlay_score"] = evaluation.overlay_score
        record["reasons"] = list(evaluation.reasons)
        record["path_to_eligibility"] = list(evaluation.path)
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
        "duplicate_of":null,`` goes before it once the ranks are known), a block at a time."""
        record, line = self._record_after_rank, json_line
        return [
            line(record(row, tuple(cells), evaluation, notes))[1:] + "\n"
            for row, _, cells, evaluation, notes in block.rows()
        ]

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


class _Spooled:
    """A results writer's spool, beside its target; removed however the run ends."""

    def __init__(self, columns: ScreenColumns, target: Path, protect: list[Path]) -> None:
        self.columns = columns
        self.target = target
        self.protect = protect
        self.spool = RecordSpool(target.parent)
        self._write = self.spool.write

    def discard(self) -> None:
        """Remove the spool."""
        self.spool.remove()


class _OneRow:
    """``add`` (``batch.run.ResultsWriter``) as a block of one row, for a block writer."""

    columns: ScreenColumns

    def add_block(self, block: ScreenedBlock) -> None:
        """Spool a block of rows."""
        raise NotImplementedError

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None:
        """Spool one row (as a block of one)."""
        from masterycheck.batch.screening_pass import ScreenedBlock

        usual = self.columns.screener.constant_notes
        given = {} if notes == usual else {0: notes}
        self.add_block(ScreenedBlock(row, [line], [cells], [evaluation], usual, given))


class CsvResults(_OneRow):
    """The results as CSV for Excel: UTF-8 with a BOM, CRLF, formulas escaped. Each block of
    rows is spooled as the pieces of their records (``outputs.ranked_records``)."""

    def __init__(self, columns: ScreenColumns, target: Path, protect: list[Path]) -> None:
        """Write to ``target``."""
        self.columns = columns
        self.target = target
        self.protect = protect
        slots = len(columns.csv_slots(_no_rows(columns)))
        self.spool = PieceSpool(target.parent, columns.csv_pieces, slots)

    def add_block(self, block: ScreenedBlock) -> None:
        """Spool a block of rows: their lines, evaluations and own texts."""
        slots = self.columns.csv_slots(block)
        whole = self.columns.csv_whole(block, slots)
        self.spool.add(block.start, block.lines, block.evaluations, slots, whole)

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the results file; returns how many rows were written."""
        superseded = self.columns.superseded_csv_rest
        return self.spool.write(
            self.target,
            _UTF8_BOM + csv_line(self.columns.headings).encode(),
            ranks,
            b"%d,%d,%d,,",
            protect=self.protect,
            others={row: superseded(by) for row, by in run.superseded.items()},
        )

    def discard(self) -> None:
        """Remove the spool."""
        self.spool.remove()


def _no_rows(columns: ScreenColumns) -> ScreenedBlock:
    from masterycheck.batch.screening_pass import ScreenedBlock

    return ScreenedBlock(1, [], [], [], columns.screener.constant_notes)


class JsonResults(_OneRow):
    """The results as JSON Lines, for machines: exact values, nothing escaped for Excel. Each
    block of rows is spooled as their lines' texts after ``"duplicate_of"``."""

    def __init__(self, columns: ScreenColumns, target: Path, protect: list[Path]) -> None:
        """Write to ``target``."""
        self.columns = columns
        self.target = target
        self.protect = protect
        self.spool = BlockSpool(target.parent)

    def add_block(self, block: ScreenedBlock) -> None:
        """Spool a block of rows' texts (``ScreenColumns.json_texts``)."""
        self.spool.write((block.start, list(block.lines), self.columns.json_texts(block)))

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the results file; returns how many rows were written."""
        superseded = self.columns.superseded_json_text
        return write_ranked_blocks(
            self.target,
            b"",
            self.spool,
            ranks,
            '{"row":%d,"line":%d,"rank":%d,"duplicate_of":null,%s',
            protect=self.protect,
            others={row: superseded(by) for row, by in run.superseded.items()},
        )

    def discard(self) -> None:
        """Remove the spool."""
        self.spool.remove()


#: The results sheet's human headings for the results file's own columns.
_HUMAN_HEADINGS = {
    "row": "Row",
    "line": "Line in export",
    "rank": "Rank",
    "duplicate_of": "Superseded by row",
    "verdict": "Verdict",
    "review": "Review",
    "score": "Score",
    "score_out_of": "Out of",
    "overlay_score": "Hub score",
    "applicant_id": "Applicant ID",
    "applicant_name": "Name",
    "applicant_email": "Email",
    "reasons": "Reasons",
    "path_to_eligibility": "Path to eligibility",
    "notes": "Notes",
}
_WIDTHS = {
    "row": 6,
    "rank": 6,
    "line": 8,
    "duplicate_of": 11,
    "verdict": 13,
    "review": 8,
    "score": 7,
    "score_out_of": 7,
    "overlay_score": 8,
    "applicant_id": 14,
    "applicant_name": 24,
    "applicant_email": 28,
    "reasons": 60,
    "path_to_eligibility": 45,
    "notes": 45,
}
_WRAPPED = ("reasons", "path_to_eligibility", "notes")


def _records_in_rank_order(spool: RecordSpool, ranks: Iterator[int]) -> Iterator[bytes]:
    """The spool's records by rank (1 first), then the unranked (superseded) in row order:
    the second pass over the spool, reading each record where it lies."""
    import mmap
    from array import array
    from itertools import accumulate

    spool.close()
    lengths = spool.lengths
    order = array("q", [0]) * len(lengths)
    unranked: list[int] = []
    ranked = 0
    for index, rank in enumerate(ranks):
        if rank:
            order[rank - 1] = index
            ranked += 1
        else:
            unranked.append(index)
    order[ranked:] = array("q", unranked)
    if not lengths:
        return
    starts = array("q", [0])
    starts.extend(accumulate(lengths))
    with (
        spool.path.open("rb") as source,
        mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        for index in order:
            yield data[starts[index] : starts[index + 1]]


class XlsxResults(_Spooled):
    """The results as an XLSX workbook for a hub lead: a ``Summary`` sheet (counts, what each
    essential criterion excludes, data quality, the run's facts), then ``Results`` in rank
    order with human headings over the results file's column ids (a second heading row, for
    scripts), rank, row, name and verdict first and frozen, criteria filled by outcome. What
    Excel cannot hold is added to ``notes``."""

    def __init__(
        self,
        columns: ScreenColumns,
        target: Path,
        protect: list[Path],
        notes: list[str],
        facts: Callable[[int], RunFacts] | None = None,
    ) -> None:
        """Write to ``target``; notes about cut or replaced text go to ``notes``; ``facts(rows)``
        gives the run's facts for the summary sheet."""
        super().__init__(columns, target, protect)
        self.notes = notes
        self.facts = facts
        self._worded: set[str] = set()  # the columns whose words the sheet shows as labels

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None:
        """Spool one row's cells (``marshal``: str and int only)."""
        self._write(marshal.dumps(self.columns.cells(row, line, cells, evaluation, notes, 0)))

    def layout(self) -> tuple[list[int], list[Column], int]:
        """The sheet's columns: positions in ``ScreenColumns.headings`` in sheet order, each
        column, and how many lead columns are frozen (rank, row, the name, the verdict)."""
        from masterycheck.core.labels import criterion_label
        from masterycheck.outputs.xlsx_writer import OUTCOME_COLOURS, VERDICT_COLOURS, Column

        ids = self.columns.headings
        screener = self.columns.screener
        roles = [f"applicant_{role}" for role, _ in self.columns.roles]
        name = next(
            (r for r in ("applicant_name", "applicant_id", "applicant_email") if r in roles), None
        )
        lead = ["rank", "row", *([name] if name else []), "verdict"]
        criteria = ids[
            len(ids) - len(self.columns.keep) - len(TAIL_HEADINGS) - len(screener.criteria) :
        ][: len(screener.criteria)]
        order = [
            *lead,
            "score",
            "score_out_of",
            *(["overlay_score"] if self.columns.overlay else []),
            "review",
            "duplicate_of",
            *criteria,
            *TAIL_HEADINGS,
            *(r for r in roles if r != name),
            *self.columns.kept_headings,
            "line",
        ]
        human = dict(_HUMAN_HEADINGS)
        for key, criterion, origin in zip(
            criteria, screener.criteria, screener.origins, strict=True
        ):
            label = criterion_label(criterion)
            human[key] = label if is_published(origin) else f"{label} (hub)"
        outcome_keys = set(criteria)
        self._worded = {"verdict", *criteria}
        made: list[Column] = []
        for key in order:
            if key in outcome_keys:
                made.append(Column(human[key], key, 14, fills=OUTCOME_COLOURS))
            elif key in human:
                made.append(
                    Column(
                        human[key],
                        key,
                        _WIDTHS.get(key, 12),
                        wrap=key in _WRAPPED,
                        fills=VERDICT_COLOURS if key == "verdict" else None,
                    )
                )
            else:  # a kept column: the applicant's free text
                made.append(Column(key, key, 60, wrap=True))
        positions = [ids.index(key) for key in order]
        return positions, made, len(lead)

    def _rows(
        self, ranks: Iterator[int], superseded: Mapping[int, int], positions: list[int]
    ) -> Iterator[list[Cell]]:
        take = itemgetter(*positions)
        rank_column = self.columns.headings.index("rank")
        # The sheet is read by people: its words are the vocabulary's labels ("Not met"),
        # where CSV and JSON Lines keep the words themselves for scripts.
        ids = self.columns.headings
        worded = [i for i, p in enumerate(positions) if ids[p] in self._worded]
        review = positions.index(ids.index("review"))
        for rank, record in enumerate(_records_in_rank_order(self.spool, ranks), 1):
            values = cast(list[Cell], marshal.loads(record))
            values[rank_column] = rank
            row = cast(int, values[0])
            by = superseded.get(row)
            if by is not None:  # not ranked: superseded by a later submission
                values[2] = None
                values[3] = by
                values[4] = SUPERSEDED
                values[5] = "no"
            out = list(take(values))
            for i in worded:
                word = out[i]
                if isinstance(word, str):
                    out[i] = LABELS.get(word, word)
            out[review] = YES_NO.get(cast(str, out[review]), out[review])
            yield out

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int:
        """Write the workbook; returns how many rows were written."""
        from masterycheck.outputs.xlsx_writer import write_workbook

        positions, layout, frozen = self.layout()
        report = write_workbook(
            self.target,
            layout,
            self._rows(ranks, run.superseded, positions),
            protect=self.protect,
            summary=summary_lines(self.columns, run, self.facts),
            frozen_columns=frozen,
        )
        notes = self.notes
        for row, heading in report.truncated[:10]:
            notes.append(f"Sheet row {row}, column “{heading}”: text cut to Excel's cell limit.")
        if len(report.truncated) > 10:
            notes.append(f"... and {len(report.truncated) - 10} more cell(s) cut.")
        if report.replaced_characters:
            notes.append(
                f"{report.replaced_characters} character(s) Excel cannot hold were replaced."
            )
        return report.rows


def _reading_guide() -> list[str]:
    """How to read the workbook, in a few lines, for a panel member who has not read the
    README."""
    eligible, incomplete, not_eligible = (
        label(v) for v in (Verdict.ELIGIBLE, Verdict.INCOMPLETE, Verdict.NOT_ELIGIBLE)
    )
    return [
        "Results: one row per applicant, best first: "
        f"{spoken(Verdict.ELIGIBLE)}, then {spoken(Verdict.INCOMPLETE)}, then "
        f"{spoken(Verdict.NOT_ELIGIBLE)}; within each, the higher desirable score first. "
        "Rank, row, name and verdict stay in view as you scroll.",
        f"{eligible}: meets every essential criterion the answers can decide. {incomplete}: an "
        "essential answer is missing, or a case is for the hub to confirm (see 'Path to "
        f"eligibility'). {not_eligible}: an essential criterion is not met (see 'Reasons').",
        f"Evidence criteria are judged by the panel from the application: "
        f"'{label(Outcome.UNKNOWN)}' there is expected and never makes a row "
        f"{spoken(Verdict.INCOMPLETE)}.",
        "Row 2 of Results holds each column's id, for scripts; filter with the arrows in row 2.",
    ]


def summary_lines(
    columns: ScreenColumns, run: ScreenRun, facts: Callable[[int], RunFacts] | None
) -> list[SummaryLine]:
    """The summary sheet: counts by verdict, what each essential criterion excludes, the
    answers per mapped column, then the run's facts and notes."""
    from masterycheck.batch.row_mapping import CellStatus
    from masterycheck.batch.screening import VERDICTS
    from masterycheck.core.labels import criterion_label
    from masterycheck.outputs.xlsx_writer import SummaryLine as Line

    summary = run.summary
    compiled = columns.screener.compiled
    programme = compiled.programme
    cohort = f", Cohort {programme.cohort}" if programme.cohort is not None else ""
    lines = [Line([f"Screening results: {programme.name}{cohort}"], title=True), Line([])]
    lines += [Line([text]) for text in _reading_guide()]
    lines.append(Line([]))
    lines.append(Line(["Verdict", "Rows"], title=True))
    for verdict in VERDICTS:
        lines.append(Line([label(verdict), summary.verdicts.get(verdict, 0)]))
    lines.append(
        Line([f"{label(SUPERSEDED)} (earlier submission of an applicant)", summary.superseded])
    )
    lines.append(Line(["Total rows", summary.rows]))
    lines.append(Line(["For human review (incomplete or hub to confirm)", summary.review]))
    lines.append(Line([]))
    lines.append(
        Line(
            [
                "Essential criterion",
                "Kind",
                label(Outcome.NOT_MET),
                label(Outcome.UNKNOWN),
                "",
                "Published wording",
            ],
            title=True,
        )
    )
    for criterion in columns.screener.criteria:
        if criterion.level.value != "essential":
            continue
        lines.append(
            Line(
                [
                    criterion_label(criterion),
                    label(criterion.kind),
                    summary.excluded.get(criterion.id, 0),
                    summary.unknown.get(criterion.id, 0),
                    "",
                    criterion.text,
                ]
            )
        )
    if summary.columns:
        lines.append(Line([]))
        lines.append(Line(["Mapped column", "Answered", "Blank", "No", "Unreadable"], title=True))
        for column in summary.columns:
            counts = summary.cells.get(column)
            lines.append(
                Line(
                    [
                        column,
                        *(
                            counts[status] if counts else 0
                            for status in (
                                CellStatus.ANSWERED,
                                CellStatus.BLANK,
                                CellStatus.NO,
                                CellStatus.UNREADABLE,
                            )
                        ),
                    ]
                )
            )
    lines.append(Line([]))
    lines.append(Line(["Run facts"], title=True))
    if facts is not None:
        known = facts(run.rows)
        lines.append(Line(["Programme", f"{known.programme_name} ({known.programme})"]))
        lines.append(Line(["Cohort", "" if known.cohort is None else known.cohort]))
        lines.append(Line(["As of", known.as_of.isoformat()]))
        lines.append(Line(["Input file", known.input_name]))
        if known.mapping_name:
            lines.append(Line(["Mapping", known.mapping_name]))
        if known.overlay:
            lines.append(Line(["Overlay", known.overlay]))
        lines.append(Line(["Window", known.window]))
        lines.append(Line(["masterycheck", known.version]))
        for file in known.criteria_files:
            lines.append(Line([f"sha256 of {file.name}", file.sha256]))
    else:
        lines.append(Line(["Programme", f"{programme.name} ({programme.id})"]))
    lines.append(Line(["Redacted", "Yes" if columns.redact else "No"]))
    if run.notes:
        lines.append(Line([]))
        lines.append(Line(["Notes"], title=True))
        lines.extend(Line([note]) for note in run.notes)
    for statement in summary.hub_statements:
        lines.append(Line([f"Every row: {statement}."]))
    return lines
