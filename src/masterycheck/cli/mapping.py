"""`masterycheck mapping`: propose a mapping file from a form export's headings and answers,
or (`--check MAPPING`) re-read an edited mapping against the export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import console, reports_errors
from masterycheck.errors import ExitCode, InputError

if TYPE_CHECKING:
    from masterycheck.batch.proposal import MappingReview, Proposal
    from masterycheck.core.fields import Catalogue

ProgrammeOption = Annotated[
    str | None,
    typer.Option(
        "--programme",
        "-P",
        help="Programme id (primary, secondary, post16) or a programme file (with --check: "
        "default, the mapping's own `programme:`).",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", help="The export's text encoding (default: detected)."),
]
DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        help="The CSV export's delimiter: comma, semicolon, tab or pipe (default: detected).",
        show_default=False,
    ),
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", help="The sheet to read, for an .xlsx export.")
]


@reports_errors
def mapping(
    export: Annotated[Path, typer.Argument(help="The form export (.csv or .xlsx).")],
    programme: ProgrammeOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the mapping here (default, or '-': standard output)."
        ),
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            metavar="MAPPING",
            help="Re-read this (edited) mapping against the export and report what is still "
            "undecided, without screening.",
            show_default=False,
        ),
    ] = None,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
) -> None:
    """Propose a mapping of an export's columns to profile fields, for you to review.

    The proposal starts with what to review: columns it is unsure of, answers it could not
    place, essential fields no column gives. With --check MAPPING, re-reads an edited mapping
    against the export instead: exit code 0 when nothing is left to decide, 1 when answers are
    unplaced or essential fields have no column; 2 for bad input.
    """
    from masterycheck.batch.tables import open_table
    from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
    from masterycheck.protected_files import note_read

    if output is not None and str(output) == "-":
        output = None
    catalogue = load_catalogue()
    if check is not None:
        if output is not None:
            raise InputError("--check reports on the terminal; it writes no file", where="-o")
        _check(check, export, programme, catalogue, encoding, delimiter, sheet)
        return
    if programme is None:
        raise InputError(
            "which programme is the export for?",
            where="--programme",
            hint="give --programme primary, secondary or post16",
        )
    from masterycheck.batch.proposal import propose_mapping, render_mapping, sample_answers

    compiled = load_programme(resolve_programme(programme), catalogue)
    note_read(export)
    if output is not None:
        from masterycheck.outputs.safe_files import check_output_target

        check_output_target(output, [export])
    source = open_table(export, encoding=encoding, delimiter=delimiter, sheet=sheet)
    samples = sample_answers((row.cells for row in source.rows()), len(source.headings))
    proposal = propose_mapping(source.headings, catalogue, compiled, samples=samples)
    from masterycheck.files.schemas import schema_comment

    text = render_mapping(proposal, catalogue, source=export.name)
    if not text.startswith("# yaml-language-server:"):
        # The editor's validation: the shipped schema, relative to where the file is written.
        text = f"{schema_comment('mapping', beside=output)}\n{text}"
    if output is None:
        typer.echo(text, nl=False)
    else:
        from masterycheck.outputs.safe_files import atomic_output

        with atomic_output(output, protect=[export]) as stream:
            stream.write(text)
    report_proposal(proposal, output, notes=source.notes)


def _check(
    mapping_path: Path,
    export: Path,
    programme: str | None,
    catalogue: Catalogue,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
) -> None:
    """``mapping --check``: read the export through the mapping and report what is left."""
    from masterycheck.batch.proposal import review_mapping
    from masterycheck.batch.tables import open_table
    from masterycheck.files.criteria import load_programme, resolve_programme
    from masterycheck.files.mapping_file import load_mapping
    from masterycheck.protected_files import note_read

    note_read(mapping_path)
    note_read(export)
    loaded = load_mapping(mapping_path, catalogue)
    wanted = programme or loaded.mapping.programme
    if wanted is None:
        raise InputError(
            "the mapping names no programme",
            where="--programme",
            hint="give --programme primary, secondary or post16",
        )
    compiled = load_programme(resolve_programme(wanted), catalogue)
    if programme is not None:
        from masterycheck.files.mapping_file import check_mapping_programme

        check_mapping_programme(loaded, compiled)
    source = open_table(export, encoding=encoding, delimiter=delimiter, sheet=sheet)
    review = review_mapping(
        loaded, source.headings, (row.cells for row in source.rows()), catalogue, compiled
    )
    show_review(review, mapping_path, export)
    if not review.settled:
        raise typer.Exit(ExitCode.FAILURE)


def _quoted(text: str) -> str:
    from masterycheck.files.mapping_file import shown_heading

    return shown_heading(text)


def show_review(review: MappingReview, mapping_path: Path, export: Path) -> None:
    """Print what an edited mapping still leaves undecided (``mapping --check``)."""
    out = console()
    out.print(
        f"Checked {mapping_path.name} against {export.name}: {review.rows} row(s), "
        f"{review.columns} mapped column(s).",
        soft_wrap=True,
    )
    count = sum(len(answers) for answers in review.unplaced.values())
    if count:
        out.print(f"Answers still not placed ({count}): give each a value under `values`.")
        for heading, answers in review.unplaced.items():
            for answer, rows in answers.most_common():
                out.print(f"  - {_quoted(heading)}: {_quoted(answer)} ({rows} row(s))")
    if review.missing_essential:
        out.print(
            "Essential fields no column or constant gives: "
            + ", ".join(review.missing_essential)
            + " (map a column, add it under `constants:`, or screen with --allow-missing)",
            soft_wrap=True,
        )
    nulls = sum(len(a) for a in review.unknown_by_choice.values())
    if nulls:
        out.print(f"Answers you map to null, read as unknown ({nulls}):")
        for heading, nulled in review.unknown_by_choice.items():
            out.print(f"  - {_quoted(heading)}: " + ", ".join(_quoted(a) for a in nulled))
    if review.unmentioned:
        out.print(
            "Export columns the mapping does not mention (not read): "
            + ", ".join(_quoted(h) for h in review.unmentioned),
            soft_wrap=True,
        )
    if review.settled:
        out.print("Nothing left to decide: every answer is read and every essential field given.")


def report_proposal(
    proposal: Proposal, output: Path | None, *, notes: tuple[str, ...] = ()
) -> None:
    """Say on stderr what the proposal matched, what the reader noticed (``notes``) and what a
    person must still do."""
    err = console(stderr=True)
    for note in notes:
        err.print(note)
    mapped = proposal.mapping
    err.print(
        f"Matched {len(mapped.columns)} column(s) to fields; "
        f"{len(mapped.keep)} kept as free text; {len(mapped.ignore)} ignored."
    )
    for heading in proposal.unsure:
        choice = proposal.confidence[heading]
        field_id = next(c.field for c in mapped.columns if c.heading == heading)
        err.print(f"  check: column “{heading}” -> {field_id}: {choice.describe()}")
    for heading, answers in proposal.unrecognised.items():
        err.print(
            f"  check: column “{heading}” has {len(answers)} answer(s) no choice matched "
            "(set to null: unknown)"
        )
    if proposal.missing_essential:
        err.print(
            "Missing (needed by essential criteria): " + ", ".join(proposal.missing_essential)
        )
        err.print(
            "  map a column to each, set a constant (suggested in the file, commented out), "
            "or screen with --allow-missing (left unknown)"
        )
    if proposal.missing_other:
        err.print("Not provided (left unknown): " + ", ".join(proposal.missing_other))
    if output is not None:
        err.print(
            f"Wrote {output}: review it (the list at its top), check it with "
            f"--check {output}, then screen with --mapping {output}",
            soft_wrap=True,
        )
