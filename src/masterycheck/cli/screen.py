"""`masterycheck screen`: screen every row of a form export against a programme.

Every input row appears exactly once in the results, in input order, screened or marked
invalid with the reason. The results are ranked; a summary goes to stderr.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.batch.run import ScreenFormat, ScreenRequest
from masterycheck.cli.common import (
    AsOfOption,
    console,
    parse_as_of,
    plain_width,
    reports_errors,
)
from masterycheck.cli.mapping import DelimiterOption, EncodingOption, SheetOption
from masterycheck.errors import InputError

if TYPE_CHECKING:
    from masterycheck.batch.run import Prepared, ResultsWriter
    from masterycheck.reporters.html_screen import RunFacts

__all__ = ["ScreenFormat", "default_output", "screen"]

#: Required here (``mapping --check`` may take the programme from the mapping; screen may not).
ProgrammeOption = Annotated[
    str,
    typer.Option(
        "--programme",
        "-P",
        help="Programme id (primary, secondary, post16) or a programme file.",
    ),
]

SUFFIXES = {ScreenFormat.CSV: ".csv", ScreenFormat.XLSX: ".xlsx", ScreenFormat.JSON: ".jsonl"}
_FORMAT_OF_SUFFIX = {".csv": ScreenFormat.CSV, ".xlsx": ScreenFormat.XLSX}
_FORMAT_OF_SUFFIX.update({".jsonl": ScreenFormat.JSON, ".json": ScreenFormat.JSON})


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
            catalogue_path=catalogue_path,
            mapping=mapping,
            overlay=overlay,
            target=target,
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
        shown = _shown_target(target, to_stdout=to_stdout, named=output is not None, redact=redact)
        _screen(request, shown)
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


def _copy_to_stdout(results: Path) -> None:
    """Copy the results to standard output: exactly, into a file or pipe; on a terminal with
    control characters made visible (the applicants' text is shown, never obeyed)."""
    if sys.stdout.isatty():
        from masterycheck.outputs.inert_text import inert

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


def _screen(request: ScreenRequest, shown_target: str) -> None:
    """Run the screening (one call), then report: the summary on stderr, as plain text where
    rich would write it plain (stderr a file or a pipe: rich is then never imported)."""
    from masterycheck.batch.run import run_screen
    from masterycheck.reporters.screen_summary import (
        Whole,
        draw_summary,
        is_plain_summary,
        plain_summary,
        summary_parts,
    )

    with _progress() as tick:
        run = run_screen(request, _writers, tick=tick)
    parts = summary_parts(
        run.summary, shortlist=run.shortlist, output=shown_target, notes=run.notes
    )
    if request.html is not None:
        parts.append(Whole(f"HTML report: {request.html}"))
    width = plain_width(stream=sys.stderr) if sys.stderr is not None else None
    if width is not None and is_plain_summary(parts, width):
        sys.stderr.write(plain_summary(parts, width))
        sys.stderr.flush()
    else:
        draw_summary(console(stderr=True), parts)


def _writers(prepared: Prepared) -> list[ResultsWriter]:
    """The run's writers: the results file in the asked format, and the HTML report."""
    from masterycheck.reporters.screen_columns import ScreenColumns
    from masterycheck.reporters.screen_output import CsvResults, JsonResults
    from masterycheck.reporters.screen_workbook import XlsxResults

    request = prepared.request
    columns = ScreenColumns(prepared.screener, redact=request.redact)
    target, protect = request.target, request.protect
    writers: list[ResultsWriter] = []
    if request.output_format is ScreenFormat.CSV:
        writers.append(CsvResults(columns, target, protect))
    elif request.output_format is ScreenFormat.JSON:
        writers.append(JsonResults(columns, target, protect))
    else:
        facts = _run_facts(prepared)
        writers.append(XlsxResults(columns, target, protect, prepared.notes, facts))
    if request.html is not None:
        writers.append(_html_report(prepared, request.html))
    return writers


def _run_facts(prepared: Prepared) -> Callable[[int], RunFacts]:
    """The run's facts (programme, as-of, files and checksums) given the rows written."""
    from masterycheck.reporters.html_screen import run_facts

    request = prepared.request
    compiled = prepared.screener.compiled
    criteria_paths = [request.programme_path, request.catalogue_path]
    if request.overlay is not None:
        criteria_paths.append(request.overlay)

    def facts(rows: int) -> RunFacts:
        return run_facts(
            compiled,
            as_of=request.day,
            input_path=request.export,
            rows_in=rows,
            rows_out=rows,
            criteria_paths=criteria_paths,
            redacted=request.redact,
            mapping_path=request.mapping,
            overlay=prepared.overlay_name,
            notes=prepared.notes,
        )

    return facts


def _html_report(prepared: Prepared, html: Path) -> ResultsWriter:
    from masterycheck.reporters.html_screen import HtmlReport

    request = prepared.request
    facts = _run_facts(prepared)
    return HtmlReport(html, prepared.screener, facts, protect=[*request.protect, request.target])


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal (transient): yields its ``tick(rows)``, else None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("Screening", total=None)
        yield lambda rows: progress.advance(task, rows)
