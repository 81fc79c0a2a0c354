"""`masterycheck screen`: screen every row of a form export against a programme.

Every input row appears exactly once in the results, in input order, screened or marked
invalid with the reason. The results are ranked; a summary goes to stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from masterycheck.cli.common import AsOfOption, console, parse_as_of, reports_errors
from masterycheck.cli.mapping import (
    DelimiterOption,
    EncodingOption,
    ProgrammeOption,
    SheetOption,
)
from masterycheck.errors import InputError

if TYPE_CHECKING:
    from masterycheck.batch.screening import Evaluation, ScreenResult
    from masterycheck.batch.tables import TableSource
    from masterycheck.core.engine import CompiledProgramme
    from masterycheck.core.fields import Catalogue
    from masterycheck.files.mapping_file import LoadedMapping
    from masterycheck.reporters.html_screen import RunFacts
    from masterycheck.reporters.screen_output import ScreenColumns

T = TypeVar("T")


class ScreenFormat(StrEnum):
    """The results file's format."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


SUFFIXES = {ScreenFormat.CSV: ".csv", ScreenFormat.XLSX: ".xlsx", ScreenFormat.JSON: ".jsonl"}
_FORMAT_OF_SUFFIX = {".csv": ScreenFormat.CSV, ".xlsx": ScreenFormat.XLSX}
_FORMAT_OF_SUFFIX.update({".jsonl": ScreenFormat.JSON, ".json": ScreenFormat.JSON})
SHORTLIST_SIZE = 10


def default_output(export: Path, output_format: ScreenFormat) -> Path:
    """EXPORT stem + "-screened" beside the export, never the export itself.

    An export read from a stream (``/dev/stdin``, a pipe) has no folder to write beside, so
    the results file must then be named with ``-o``.
    """
    from masterycheck.outputs.safe_files import is_system_path

    if is_system_path(os.path.normpath(export.absolute())) or not export.is_file():
        raise InputError(
            "the export is not an ordinary file, so the results cannot go beside it",
            where=str(export),
            hint="name the results file with -o FILE, or -o - for standard output",
        )
    return export.with_name(f"{export.stem}-screened{SUFFIXES[output_format]}")


@reports_errors
def screen(
    export: Annotated[Path, typer.Argument(help="The form export (.csv or .xlsx).")],
    programme: ProgrammeOption,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", "-m", help="Mapping file (from 'masterycheck mapping')."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Results file (default: EXPORT-screened.csv beside it)."
        ),
    ] = None,
    output_format: Annotated[
        ScreenFormat | None,
        typer.Option("--format", "-f", help="csv, xlsx or json (JSON Lines); default from -o."),
    ] = None,
    overlay: Annotated[
        Path | None,
        typer.Option("--overlay", help="A hub overlay file: extra desirable criteria, weights."),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Replace names, emails and free text with the row number."),
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write a self-contained HTML report for the selection panel (.html): "
            "the run's facts, charts, the shortlist and one card per applicant.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing",
            help="Screen even if needed fields have no column (those criteria stay unknown).",
        ),
    ] = False,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
) -> None:
    """Screen every row of a form export against a programme's criteria.

    Every row appears once in the results, in input order: screened and ranked, or invalid
    with the reason. Exit code 0 when the run completed, 2 for bad input.
    """
    from masterycheck.files.criteria import CATALOGUE_FILE, criteria_dir, resolve_programme
    from masterycheck.outputs.scratch import private_folder

    day = parse_as_of(as_of)
    to_stdout = output is not None and str(output) == "-"
    if output_format is None:
        output_format = (
            _FORMAT_OF_SUFFIX.get(output.suffix.lower(), ScreenFormat.CSV)
            if output is not None and not to_stdout
            else ScreenFormat.CSV
        )
    if to_stdout and output_format is ScreenFormat.XLSX and sys.stdout.isatty():
        raise InputError(
            "an XLSX workbook cannot be shown on a terminal",
            where="--output",
            hint="redirect standard output to a file, or give -o FILE.xlsx",
        )
    programme_path = resolve_programme(programme)
    catalogue_path = criteria_dir() / CATALOGUE_FILE
    protect = [
        p for p in (export, mapping, overlay, programme_path, catalogue_path) if p is not None
    ]
    with contextlib.ExitStack() as stack:
        if to_stdout:
            folder = stack.enter_context(private_folder())
            target = folder / f"results{SUFFIXES[output_format]}"
        else:
            target = output if output is not None else default_output(export, output_format)
        request = ScreenRequest(
            export=export,
            readable=_readable_twice(export, stack),
            programme=programme,
            programme_path=programme_path,
            mapping=mapping,
            overlay=overlay,
            target=target,
            shown_target=_shown_target(
                target, to_stdout=to_stdout, named=output is not None, redact=redact
            ),
            output_format=output_format,
            protect=protect,
            html=html,
            redact=redact,
            day=day,
            allow_missing=allow_missing,
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
        )
        _screen(request)
        if to_stdout:
            _copy_to_stdout(target)


def _shown_target(target: Path, *, to_stdout: bool, named: bool, redact: bool) -> str:
    """How the summary names the results file: a default name is taken from the export's,
    which can be a person's name, so ``--redact`` withholds it."""
    if to_stdout:
        return "standard output"
    if redact and not named:
        return f"{target.parent / '…-screened'}{target.suffix} (name withheld: --redact)"
    return str(target)


@dataclass(frozen=True)
class ScreenRequest:
    """What one screening run was asked to do, its options checked."""

    export: Path  # as the user named it
    readable: Path  # the export, or a private copy of a stream so that it can be read twice
    programme: str
    programme_path: Path
    mapping: Path | None
    overlay: Path | None
    target: Path
    shown_target: str
    output_format: ScreenFormat
    protect: list[Path]
    html: Path | None
    redact: bool
    day: dt.date
    allow_missing: bool
    encoding: str | None
    delimiter: str | None
    sheet: str | None


def _copy_to_stdout(results: Path) -> None:
    """Copy the results to standard output: exactly, into a file or pipe; on a terminal with
    control characters made visible (the applicants' text is shown, never obeyed)."""
    if sys.stdout.isatty():
        from masterycheck.outputs.terminal import inert

        with results.open(encoding="utf-8-sig", newline="") as text:
            for line in text:
                sys.stdout.write(inert(line))
    else:
        sys.stdout.flush()
        with results.open("rb") as data:
            shutil.copyfileobj(data, sys.stdout.buffer)
    sys.stdout.flush()


def _readable_twice(export: Path, stack: contextlib.ExitStack) -> Path:
    """The export itself if it is a regular file; else (a pipe such as /dev/stdin) a private
    copy in a temporary folder that is removed when the run ends, however it ends."""
    try:
        if stat.S_ISREG(export.stat().st_mode):
            return export
    except OSError:
        return export  # the reader reports a missing or unreadable file in its own words
    from masterycheck.outputs.scratch import private_folder

    folder = stack.enter_context(private_folder())
    copy = folder / (export.name or "export")
    with export.open("rb") as source, copy.open("wb") as private:
        shutil.copyfileobj(source, private)
    return copy


def _fingerprint(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _screen(request: ScreenRequest) -> None:
    """Load the criteria and the mapping, then screen every row and write the results."""
    from masterycheck.batch.screening import AccountingError
    from masterycheck.batch.tables import open_table
    from masterycheck.core.window import window_status
    from masterycheck.files.criteria import load_catalogue, load_programme
    from masterycheck.outputs.safe_files import check_output_target
    from masterycheck.protected_files import note_read

    export, target, protect, html = request.export, request.target, request.protect, request.html
    check_output_target(target, protect)
    if html is not None:
        _check_html_target(html, target, protect)
    note_read(export)
    encoding, sheet, day, overlay = request.encoding, request.sheet, request.day, request.overlay
    mapping, redact, output_format = request.mapping, request.redact, request.output_format

    catalogue = load_catalogue()
    programme_path = request.programme_path
    compiled = load_programme(programme_path, catalogue)
    notes: list[str] = []
    hub_name: str | None = None
    if overlay is not None:
        from masterycheck.files.overlays import load_overlay

        hub, compiled = load_overlay(overlay, compiled, catalogue)
        hub_name = f"{hub.name} ({hub.origin})"
        notes.append(f"Overlay {hub.name!r} ({hub.origin}) applied: desirable criteria only.")
    notes.append(
        f"{compiled.programme.name}: application window "
        f"{window_status(compiled.programme.window, day).message}"
    )

    readable = request.readable
    delimiter = request.delimiter
    source = open_table(readable, encoding=encoding, delimiter=delimiter, sheet=sheet)
    notes.extend(source.notes)  # e.g. formula cells with no saved value, read as blank
    loaded = _mapping_for(
        source, mapping, catalogue, compiled, export, request.programme, request.allow_missing
    )
    notes[:0] = loaded[1]
    report = None
    if html is not None:
        from masterycheck.files.criteria import CATALOGUE_FILE, criteria_dir
        from masterycheck.reporters.html_screen import run_facts

        criteria_paths = [programme_path, criteria_dir() / CATALOGUE_FILE]
        report = HtmlReport(
            html,
            functools.partial(
                run_facts,
                compiled,
                as_of=day,
                input_path=export,
                criteria_paths=[*criteria_paths, *([overlay] if overlay else [])],
                redacted=redact,
                mapping_path=mapping,
                overlay=hub_name,
                notes=notes,
            ),
        )
    before = _fingerprint(readable)
    try:
        _run(
            lambda: open_table(readable, encoding=encoding, delimiter=delimiter, sheet=sheet),
            source,
            loaded[0],
            catalogue,
            compiled,
            target=target,
            shown_target=request.shown_target,
            output_format=output_format,
            protect=protect,
            redact=redact,
            notes=notes,
            report=report,
        )
    except AccountingError:
        if _fingerprint(readable) != before:
            raise InputError(
                "the export changed while it was being read",
                where=str(export),
                hint="screen a copy that nothing else is writing to",
            ) from None
        raise


@dataclass(frozen=True)
class HtmlReport:
    """Where ``--html`` writes, and the run's facts once the rows are counted."""

    target: Path
    facts: Callable[..., RunFacts]  # (rows_in=, rows_out=) -> RunFacts


def _check_html_target(html: Path, target: Path, protect: list[Path]) -> None:
    """Refuse a bad --html before any work is done."""
    from masterycheck.outputs.safe_files import check_output_target

    if html.suffix.lower() not in (".html", ".htm"):
        raise InputError("the HTML report file must end in .html", where="--html")
    if html.resolve() == target.resolve():
        raise InputError("the HTML report and the results must be different files", where="--html")
    check_output_target(html, protect)


def _mapping_for(
    source: TableSource,
    path: Path | None,
    catalogue: Catalogue,
    compiled: CompiledProgramme,
    export: Path,
    programme: str,
    allow_missing: bool,
) -> tuple[LoadedMapping, list[str]]:
    """The mapping to use (loaded or proposed), refusing missing needed fields."""
    from masterycheck.batch.proposal import propose_mapping, sample_answers
    from masterycheck.files.mapping_file import LoadedMapping, missing_fields

    if path is not None:
        from masterycheck.files.mapping_file import load_mapping

        loaded = load_mapping(path, catalogue, programme=compiled)
        where = "--mapping"
    else:
        samples = sample_answers((row.cells for row in source.rows()), len(source.headings))
        proposal = propose_mapping(source.headings, catalogue, compiled, samples=samples)
        loaded = LoadedMapping(proposal.mapping)
        where = str(export)
    missing, other = missing_fields(loaded.mapping, compiled)
    notes: list[str] = []
    if missing and not allow_missing:
        how = (
            f"make a mapping with 'masterycheck mapping {export} --programme {programme} "
            "-o mapping.yaml', map a column to each, then pass --mapping mapping.yaml; or "
            "give --allow-missing to screen with those criteria unknown"
        )
        raise InputError(
            "no column provides these fields the programme's essential criteria need: "
            + ", ".join(missing),
            where=where,
            hint=how,
        )
    if missing:
        notes.append("No column for (criteria left unknown): " + ", ".join(missing))
    if other:
        notes.append("Not provided (desirable or evidence, left unknown): " + ", ".join(other))
    if path is None:
        notes.append("Used the proposed mapping ('masterycheck mapping' shows it).")
    return loaded, notes


def _counted(rows: Iterable[T], tick: Callable[[int], None] | None) -> Iterable[T]:
    if tick is None:
        return rows
    return _ticking(rows, tick)


def _ticking(rows: Iterable[T], tick: Callable[[int], None]) -> Iterator[T]:
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % 1000 == 0:
            tick(1000)
    tick(count % 1000)


def _progress() -> AbstractContextManager[Any]:
    if not sys.stderr.isatty():
        return nullcontext(None)
    from rich.progress import Progress

    return Progress(console=console(stderr=True), transient=True)


def _run(
    reopen: Callable[[], TableSource],
    source: TableSource,
    loaded: LoadedMapping,
    catalogue: Catalogue,
    compiled: CompiledProgramme,
    *,
    target: Path,
    shown_target: str,
    output_format: ScreenFormat,
    protect: list[Path],
    redact: bool,
    notes: list[str],
    report: HtmlReport | None = None,
) -> None:
    from masterycheck.batch.row_mapping import RowMapper
    from masterycheck.batch.screening import (
        AccountingError,
        Screener,
        Shortlist,
        first_pass,
        rank_rows,
        ranks_in_order,
        screen_rows,
        second_pass,
    )
    from masterycheck.outputs.ranked_csv import CsvSpool, write_ranked_csv
    from masterycheck.reporters.screen_output import ScreenColumns, csv_cell
    from masterycheck.reporters.screen_summary import ShortlistEntry, render_summary

    mapper = RowMapper(loaded, source.headings, catalogue)
    screener = Screener(compiled, mapper)
    columns = ScreenColumns(screener, redact=redact)
    best = Shortlist(
        SHORTLIST_SIZE, screener.max_score, lambda cells: _identifier(cells, columns, redact)
    )

    def consider(result: ScreenResult) -> None:
        evaluation = result.evaluation
        best.offer(result.row, evaluation.code, evaluation.score, result.cells)

    with _progress() as progress:
        tick1 = tick2 = None
        if progress is not None:
            task1 = progress.add_task("Screening", total=None)
            tick1 = lambda n: progress.advance(task1, n)  # noqa: E731
        if output_format is ScreenFormat.CSV:
            # One pass over the input: results are spooled, then copied with their ranks.
            with CsvSpool(target.parent) as spool:
                record, write, offer = columns.spool_bytes, spool.write_bytes, best.offer

                def spool_row(
                    row: int,
                    line: int,
                    cells: tuple[str, ...],
                    evaluation: Evaluation,
                    notes: tuple[str, ...],
                ) -> None:
                    offer(row, evaluation.code, evaluation.score, cells)
                    write(record(row, line, cells, evaluation, notes))

                first = screen_rows(_counted(source.rows(), tick1), screener, spool_row)
                ranks = ranks_in_order(first.codes, first.scores, screener.max_score)
                written = write_ranked_csv(
                    target, columns.headings, csv_cell, spool, ranks, protect=protect
                )
        else:
            first = first_pass(_counted(source.rows(), tick1), screener, consider)
            ranks_array = rank_rows(first.codes, first.scores, screener.max_score)
            if progress is not None:
                task2 = progress.add_task("Writing", total=first.rows)
                tick2 = lambda n: progress.advance(task2, n)  # noqa: E731
            rows = _counted(reopen().rows(), tick2)
            results = second_pass(rows, screener, first, ranks_array)
            written = _write(results, columns, target, output_format, protect, notes)
    if written != first.rows:
        raise AccountingError(f"rows in ({first.rows}) != rows written ({written})")
    entries = [
        ShortlistEntry(rank, row, VERDICT_NAMES[code], score, identifier)
        for rank, (row, code, score, identifier) in enumerate(best.best(), 1)
    ]
    if report is not None:
        from masterycheck.reporters.html_screen import write_screening_report

        ranks_all = rank_rows(first.codes, first.scores, screener.max_score)
        write_screening_report(
            report.target,
            report.facts(rows_in=first.rows, rows_out=written),
            first.summary,
            entries,
            second_pass(reopen().rows(), screener, first, ranks_all),
            screener,
            protect=[*protect, target],
        )
    render_summary(
        console(stderr=True), first.summary, shortlist=entries, output=shown_target, notes=notes
    )
    if report is not None:
        console(stderr=True).print(f"HTML report: {report.target}", soft_wrap=True)


VERDICT_NAMES = ("eligible", "incomplete", "not_eligible", "invalid")


def _identifier(cells: tuple[str, ...], columns: ScreenColumns, redact: bool) -> str | None:
    """The applicant's name, id or email (the first given), unless the run is redacted."""
    if redact:
        return None
    roles = dict(columns.roles)
    for role in ("name", "id", "email"):
        position = roles.get(role)
        if position is not None and position < len(cells) and cells[position].strip():
            return cells[position].strip()
    return None


def _write(
    results: Iterator[tuple[ScreenResult, int]],
    columns: ScreenColumns,
    target: Path,
    output_format: ScreenFormat,
    protect: list[Path],
    notes: list[str],
) -> int:
    """Write every result; returns how many rows were written."""
    written = 0
    if output_format is ScreenFormat.CSV:
        from masterycheck.outputs.safe_files import csv_output

        with csv_output(target, protect=protect) as writer:
            writer.writerow(columns.headings)
            for result, rank in results:
                writer.writerow(columns.cells(result, rank))
                written += 1
    elif output_format is ScreenFormat.JSON:
        from masterycheck.outputs.safe_files import json_lines_output

        with json_lines_output(target, protect=protect) as lines:
            for result, rank in results:
                lines.write(columns.record(result, rank))
                written += 1
    else:
        from masterycheck.outputs.xlsx_writer import write_xlsx

        report = write_xlsx(
            target,
            columns.headings,
            (columns.cells(result, rank) for result, rank in results),
            protect=protect,
            verdict_column="verdict",
        )
        written = report.rows
        for row, heading in report.truncated[:10]:
            notes.append(f"Sheet row {row}, column “{heading}”: text cut to Excel's cell limit.")
        if len(report.truncated) > 10:
            notes.append(f"... and {len(report.truncated) - 10} more cell(s) cut.")
        if report.replaced_characters:
            notes.append(
                f"{report.replaced_characters} character(s) Excel cannot hold were replaced."
            )
    return written
