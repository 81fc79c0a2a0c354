"""`masterycheck mapping`: propose a mapping file from a form export's headings and answers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from masterycheck.cli.common import console, reports_errors

if TYPE_CHECKING:
    from masterycheck.batch.proposal import Proposal

ProgrammeOption = Annotated[
    str,
    typer.Option(
        "--programme",
        "-P",
        help="Programme id (primary, secondary, post16) or a programme file.",
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
    programme: ProgrammeOption,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the mapping here (default, or '-': standard output)."
        ),
    ] = None,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
) -> None:
    """Propose a mapping of an export's columns to profile fields, for you to review.

    Lists the fields the programme needs that no column provides. Exit code 0, or 2 for bad
    input.
    """
    from masterycheck.batch.proposal import propose_mapping, render_mapping, sample_answers
    from masterycheck.batch.tables import open_table
    from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
    from masterycheck.protected_files import note_read

    if output is not None and str(output) == "-":
        output = None
    catalogue = load_catalogue()
    compiled = load_programme(resolve_programme(programme), catalogue)
    note_read(export)
    if output is not None:
        from masterycheck.outputs.safe_files import check_output_target

        check_output_target(output, [export])
    source = open_table(export, encoding=encoding, delimiter=delimiter, sheet=sheet)
    samples = sample_answers((row.cells for row in source.rows()), len(source.headings))
    proposal = propose_mapping(source.headings, catalogue, compiled, samples=samples)
    text = render_mapping(proposal, catalogue, source=export.name)
    if output is None:
        typer.echo(text, nl=False)
    else:
        from masterycheck.outputs.safe_files import atomic_output

        with atomic_output(output, protect=[export]) as stream:
            stream.write(text)
    report_proposal(proposal, output, notes=source.notes)


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
    for heading, field_id in proposal.fuzzy.items():
        err.print(f"  check: column “{heading}” matched {field_id} approximately")
    for heading, answers in proposal.unrecognised.items():
        err.print(
            f"  check: column “{heading}” has {len(answers)} answer(s) no choice matched "
            "(set to null: unknown)"
        )
    if proposal.missing_essential:
        err.print(
            "Missing (needed by essential criteria): " + ", ".join(proposal.missing_essential)
        )
        err.print("  map a column to each, or screen with --allow-missing (left unknown)")
    if proposal.missing_other:
        err.print("Not provided (left unknown): " + ", ".join(proposal.missing_other))
    if output is not None:
        err.print(f"Wrote {output}: review it, then screen with --mapping {output}", soft_wrap=True)
