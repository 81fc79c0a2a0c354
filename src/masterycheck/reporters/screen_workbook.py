"""The results of a screening run as an XLSX workbook, for a hub lead and a panel.

``XlsxResults`` is one of the results writers (``batch.run.ResultsWriter``), beside CSV
and JSON Lines in ``reporters.screen_output``, and shares their columns
(``reporters.screen_columns``): a ``Summary`` sheet (``summary_lines``: a short reader's
guide, counts by verdict, what each essential criterion excludes, the answers per mapped
column, the run's facts) and a ``Results`` sheet in rank order, in the vocabulary's
labels, with human headings over the results file's column ids.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, cast

from masterycheck.batch.screening import Evaluation
from masterycheck.core.vocabulary import (
    LABELS,
    SUPERSEDED,
    Outcome,
    Verdict,
    is_published,
    label,
    spoken,
)
from masterycheck.outputs.ranked import RecordSpool
from masterycheck.reporters.screen_columns import TAIL_HEADINGS, Cell, ScreenColumns

if TYPE_CHECKING:
    from masterycheck.batch.run import ScreenRun
    from masterycheck.outputs.xlsx_writer import Column, SummaryLine
    from masterycheck.reporters.html_screen.facts import RunFacts

#: A yes/no cell of the results as the sheet shows it.
YES_NO = {"yes": "Yes", "no": "No"}

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


class XlsxResults:
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
        self.columns = columns
        self.target = target
        self.protect = protect
        self.spool = RecordSpool(target.parent)
        self._write = self.spool.write
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

    def discard(self) -> None:
        """Remove the spool."""
        self.spool.remove()


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
