"""One screening run: options in, one pass over the export, every output written.

``run_screen`` loads the criteria (and a hub overlay), opens the export with the strict
reader, takes the mapping (loaded, or proposed from the headings and a sample of answers),
then reads the export once, a block of rows at a time: each row's mapped cells are screened,
memoised per distinct combination (``batch.screening_pass``), and each block is handed to every
writer (``ResultsWriter``), which spools its own encoding of the rows. When the last row is
read, one applicant's earlier submissions are known (``batch.duplicates``: their identifying
cells were kept in the pass) and so are the ranks; each writer then writes its file with them,
atomically. Rows in = rows out is checked for every writer.

The writers are made by the caller (``WriterFactory``), so that this layer names no format:
the results file (CSV, XLSX or JSON Lines) and the HTML report are all written the same way.

The module is a little over 400 lines because a run's steps (criteria, export, mapping, the
pass, duplicates, ranks, writing and the rows-in = rows-out check) read best in one place;
the work of each step lives in its own module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from masterycheck.batch.duplicates import NO_DUPLICATES, SubmissionLog
from masterycheck.batch.screening import (
    VERDICT_CODES,
    VERDICTS,
    AccountingError,
    Evaluation,
    ScreenedRows,
    Screener,
    Shortlist,
    ShortlistEntry,
    Summary,
)
from masterycheck.core.vocabulary import RowVerdict
from masterycheck.errors import InputError

if TYPE_CHECKING:
    from masterycheck.batch.screening_pass import BlockSink, ScreenedBlock
    from masterycheck.batch.tables import RowBlock, TableSource
    from masterycheck.core.engine import CompiledProgramme
    from masterycheck.core.fields import Catalogue
    from masterycheck.files.mapping_file import LoadedMapping

SHORTLIST_SIZE = 10
IDENTIFIER_ROLES = ("name", "id", "email")  # the first given names an applicant


class ScreenFormat(StrEnum):
    """The results file's format."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


@dataclass(frozen=True)
class ScreenRequest:
    """What one screening run was asked to do, its options checked."""

    export: Path  # as the user named it
    readable: Path  # the export, or a private copy of a stream
    programme: str
    programme_path: Path
    catalogue_path: Path
    mapping: Path | None
    overlay: Path | None
    target: Path
    output_format: ScreenFormat
    protect: list[Path]
    html: Path | None
    redact: bool
    day: dt.date
    allow_missing: bool
    encoding: str | None
    delimiter: str | None
    sheet: str | None


@dataclass(frozen=True)
class Prepared:
    """What the run set up before reading the rows: what the writers are made from."""

    request: ScreenRequest
    screener: Screener
    notes: list[str]  # for the summary and the report; writers may add theirs
    overlay_name: str | None  # "<hub> (<origin>)" when an overlay is applied


@dataclass
class ScreenRun:
    """What a run found: the counts, the shortlist and the notes, for the reporters."""

    rows: int  # rows read, each written once by every writer
    summary: Summary
    shortlist: list[ShortlistEntry]
    notes: list[str] = field(default_factory=list)
    #: Earlier submissions of an applicant: row -> the row screened instead (``duplicate_of``).
    superseded: Mapping[int, int] = field(default_factory=dict)


class ResultsWriter(Protocol):
    """One output of a run (a results file, the HTML report), written from the one pass.

    ``add`` is called once per row, in input order, before any rank is known; ``finish``
    once, with every row's rank in input order (0 for a row ``run.superseded`` names), writes
    the file and returns how many rows it holds; ``discard`` always comes last, to remove what
    the writer kept meanwhile.
    """

    def add(
        self,
        row: int,
        line: int,
        cells: tuple[str, ...],
        evaluation: Evaluation,
        notes: tuple[str, ...],
    ) -> None: ...

    def finish(self, ranks: Iterator[int], run: ScreenRun) -> int: ...

    def discard(self) -> None: ...


@runtime_checkable
class BlockWriter(ResultsWriter, Protocol):
    """A writer that takes the pass's rows a block at a time (``add_block``, called once per
    block, in input order, instead of ``add`` once per row)."""

    def add_block(self, block: ScreenedBlock) -> None: ...


WriterFactory = Callable[[Prepared], Sequence[ResultsWriter]]


def _fingerprint(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def run_screen(
    request: ScreenRequest,
    writers: WriterFactory,
    *,
    tick: Callable[[int], None] | None = None,
) -> ScreenRun:
    """Screen every row of the export and write every output; returns what the run found.

    ``tick(n)`` is told as rows are read (for a progress bar). Raises ``InputError`` for bad
    input (and when the export changed while it was read: the outputs are then not
    written), ``AccountingError`` if an output does not hold every row once (a bug).
    """
    from masterycheck.batch.row_mapping import RowMapper
    from masterycheck.batch.tables import open_table
    from masterycheck.core.window import window_status
    from masterycheck.files.criteria import load_catalogue, load_programme
    from masterycheck.outputs.safe_files import check_output_target
    from masterycheck.protected_files import note_read

    export, protect = request.export, request.protect
    check_output_target(request.target, protect)
    if request.html is not None:
        _check_html_target(request.html, request.target, protect)
    note_read(export)
    catalogue = load_catalogue()
    compiled = load_programme(request.programme_path, catalogue)
    notes: list[str] = []
    overlay_name: str | None = None
    if request.overlay is not None:
        from masterycheck.files.overlays import load_overlay

        hub, compiled = load_overlay(request.overlay, compiled, catalogue)
        catalogue = compiled.catalogue  # with the overlay's own fields
        overlay_name = f"{hub.name} ({hub.origin})"
        notes.append(f"Overlay {hub.name!r} ({hub.origin}) applied: desirable criteria only.")
    notes.append(
        f"{compiled.programme.name}: application window "
        f"{window_status(compiled.programme.window, request.day).message}"
    )
    before = _fingerprint(request.readable)
    source = open_table(
        request.readable,
        encoding=request.encoding,
        delimiter=request.delimiter,
        sheet=request.sheet,
    )
    notes.extend(source.notes)  # e.g. formula cells with no saved value, read as blank
    loaded, mapping_notes = _mapping_for(source, request, catalogue, compiled)
    notes[:0] = mapping_notes
    screener = Screener(compiled, RowMapper(loaded, source.headings, catalogue))
    best = Shortlist(SHORTLIST_SIZE, screener.max_score, _identifier(screener, request.redact))
    # The pass's modules are imported before any temporary file exists: a Ctrl-C inside an
    # import may surface as another error (Python wraps one raised in ``__set_name__``).
    import masterycheck.batch.screening_pass  # noqa: F401

    log = _submission_log(screener, source.headings, request.target.parent)
    made: list[ResultsWriter] = []
    try:
        made.extend(writers(Prepared(request, screener, notes, overlay_name)))
        screened = screener.screen_blocks(
            _counted(source.row_blocks(), tick), _fan_out(best, made, log)
        )
        if _fingerprint(request.readable) != before:
            raise InputError(
                "the export changed while it was being read",
                where=str(export),
                hint="screen a copy that nothing else is writing to",
            )
        duplicates = NO_DUPLICATES if log is None else log.resolve()
        shortlist = best.entries()
        if duplicates and log is not None:
            superseded = duplicates.superseded
            screened.supersede(superseded, log.evaluations(superseded))
            notes.extend(duplicates.notes)
            if any(entry.row in superseded for entry in shortlist):
                shortlist = _shortlist_again(screened, screener.max_score, log, request.redact)
        if log is not None:
            log.discard()  # the kept cells are no longer needed
        run = ScreenRun(screened.rows, screened.summary, shortlist, notes, duplicates.superseded)
        for writer in made:
            written = writer.finish(screened.ranks(screener.max_score), run)
            if written != run.rows:
                raise AccountingError(f"rows in ({run.rows}) != rows written ({written})")
    finally:
        for writer in made:
            writer.discard()
        if log is not None:
            log.discard()
    return run


_INCOMPLETE_CODE = VERDICT_CODES[RowVerdict.INCOMPLETE.value]


def _fan_out(
    best: Shortlist, writers: Sequence[ResultsWriter], log: SubmissionLog | None
) -> BlockSink:
    """One callback for the pass: the shortlist's offer, the log's keep (the rows'
    identifying cells, when duplicates can be found), then every writer's ``add_block`` (or
    ``add``, row by row, for a writer that takes rows one at a time)."""
    adds = [_block_adder(writer) for writer in writers]
    offer = best.offer_block

    def each(block: ScreenedBlock) -> None:
        offer(block)
        if log is not None:
            log.keep_block(block.cells, block.evaluations, block.invalid)
        for add in adds:
            add(block)

    return each


def _block_adder(writer: ResultsWriter) -> BlockSink:
    """The writer's ``add_block``, or its ``add`` called for each row of a block."""
    if isinstance(writer, BlockWriter):
        return writer.add_block
    add = writer.add

    def row_by_row(block: ScreenedBlock) -> None:
        for row in block.rows():
            add(*row)

    return row_by_row


def _submission_log(
    screener: Screener, headings: Sequence[str], folder: Path
) -> SubmissionLog | None:
    """The log of who each row is (spooled in ``folder``), if the mapping names columns that
    can link two rows."""
    from masterycheck.outputs.ranked import BlockSpool

    log = SubmissionLog(screener.mapper.applicant, headings, lambda: BlockSpool(folder))
    return log if log.groups_anything else None


def _shortlist_again(
    screened: ScreenedRows, max_score: int, log: SubmissionLog, redact: bool
) -> list[ShortlistEntry]:
    """The shortlist once superseded rows are left out (needed only when one of them was on
    it): the rows ranked 1 to ``SHORTLIST_SIZE`` that are eligible or incomplete, named from
    the cells the pass kept."""
    listed: list[tuple[int, int, int, int]] = []
    ranks = screened.ranks(max_score)
    for row, (rank, code, score) in enumerate(
        zip(ranks, screened.codes, screened.scores, strict=True), 1
    ):
        if 0 < rank <= SHORTLIST_SIZE and code <= _INCOMPLETE_CODE:
            listed.append((rank, row, code, score))
    rows = [row for _, row, _, _ in listed]
    named = [log.cells(rows, role) for role in IDENTIFIER_ROLES if role in log.roles]
    entries: list[ShortlistEntry] = []
    for rank, row, code, score in listed:
        identifier = None
        if not redact:
            given = (column[row].strip() for column in named)
            identifier = next((value for value in given if value), None)
        entries.append(ShortlistEntry(rank, row, VERDICTS[code], score, identifier))
    return sorted(entries, key=lambda entry: entry.rank)


def _identifier(screener: Screener, redact: bool) -> Callable[[tuple[str, ...]], str | None]:
    """The applicant's name, id or email (the first given), unless the run is redacted."""
    applicant = screener.mapper.applicant
    positions = [applicant[role] for role in IDENTIFIER_ROLES if role in applicant]

    def identify(cells: tuple[str, ...]) -> str | None:
        if redact:
            return None
        for position in positions:
            if position < len(cells) and cells[position].strip():
                return cells[position].strip()
        return None

    return identify


def _counted(blocks: Iterable[RowBlock], tick: Callable[[int], None] | None) -> Iterable[RowBlock]:
    if tick is None:
        return blocks
    return _ticking(blocks, tick)


def _ticking(blocks: Iterable[RowBlock], tick: Callable[[int], None]) -> Iterator[RowBlock]:
    for block in blocks:
        yield block
        tick(len(block.cells))


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
    request: ScreenRequest,
    catalogue: Catalogue,
    compiled: CompiledProgramme,
) -> tuple[LoadedMapping, list[str]]:
    """The mapping to use (loaded or proposed), refusing missing needed fields."""
    from masterycheck.files.mapping_file import (
        LoadedMapping,
        missing_fields,
        read_when_silent,
        shown_heading,
        unapplied_overlay_columns,
    )

    path, export = request.mapping, request.export
    if path is not None:
        from masterycheck.files.mapping_file import load_mapping

        loaded = load_mapping(path, catalogue, programme=compiled)
        where = "--mapping"
    else:
        from masterycheck.batch.proposal import propose_mapping, sample_answers

        samples = sample_answers((row.cells for row in source.rows()), len(source.headings))
        proposal = propose_mapping(source.headings, catalogue, compiled, samples=samples)
        loaded = LoadedMapping(proposal.mapping)
        where = str(export)
    missing, other = missing_fields(loaded.mapping, compiled)
    notes: list[str] = [
        f"Column {shown_heading(column.heading)} answers {column.field!r} for the overlay "
        f"{column.overlay!r}, which is not applied: not read."
        for column in unapplied_overlay_columns(loaded.mapping, catalogue)
    ]
    if missing and not request.allow_missing:
        how = (
            f"make a mapping with 'masterycheck mapping {export} --programme "
            f"{request.programme} -o mapping.yaml', map a column to each, then pass --mapping "
            "mapping.yaml; or give --allow-missing to screen with those criteria unknown"
        )
        raise InputError(
            "no column provides these fields the programme's essential criteria need: "
            + ", ".join(missing),
            where=where,
            hint=how,
        )
    if missing:
        notes.append("No column for (criteria left unknown): " + ", ".join(missing))
    silent = read_when_silent(compiled)

    def named(ids: list[str]) -> str:
        fields = [catalogue.get(f) for f in ids]
        return "; ".join(f.label if f else i for f, i in zip(fields, ids, strict=True))

    if [f for f in other if f not in silent]:
        notes.append(
            "Not provided (desirable or evidence, left unknown): "
            + named([f for f in other if f not in silent])
        )
    if [f for f in other if f in silent]:
        notes.append(
            "Not asked (no answer is read as the usual case, never against anyone): "
            + named([f for f in other if f in silent])
        )
    if path is None:
        notes.append("Used the proposed mapping ('masterycheck mapping' shows it).")
    return loaded, notes
