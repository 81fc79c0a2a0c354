"""`masterycheck programmes`, `fields` and `explain`: what the criteria say."""

from __future__ import annotations

from typing import Annotated

import typer

from masterycheck.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    parse_as_of,
    reports_errors,
    show_listing,
)


@reports_errors
def programmes(as_of: AsOfOption = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the programmes: cohort, application window as of today, criteria counts."""
    from masterycheck.files.criteria import load_all_programmes, load_catalogue
    from masterycheck.reporters.listings import programme_rows
    from masterycheck.reporters.registry import Listing

    rows = programme_rows(load_all_programmes(load_catalogue()), parse_as_of(as_of))
    columns = ["id", "name", "cohort", "academic_years", "window_message", "essential", "desirable"]
    show_listing(output_format, Listing("Mastery Specialist programmes", rows, columns))


@reports_errors
def fields(output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the profile fields: type, question and accepted answers."""
    from masterycheck.files.criteria import load_catalogue
    from masterycheck.reporters.listings import field_rows
    from masterycheck.reporters.registry import Listing

    rows = field_rows(load_catalogue())
    columns = ["id", "type_words", "question", "choices"]
    show_listing(output_format, Listing("Profile fields", rows, columns))


@reports_errors
def explain(
    programme: Annotated[str, typer.Argument(help="Programme id or programme file.")],
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show every criterion: level, kind, published wording, source and rule in words."""
    from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
    from masterycheck.reporters.listings import criterion_rows
    from masterycheck.reporters.registry import Listing

    compiled = load_programme(resolve_programme(programme), load_catalogue())
    rows = criterion_rows(compiled)
    info = compiled.programme
    title = f"{info.name}" + (f", Cohort {info.cohort}" if info.cohort is not None else "")
    columns = [
        "text",
        "id",
        "level",
        "kind",
        "rule",
        "hub_to_confirm",
        "evidence",
        "reading",
        "source",
    ]
    if info.provisional and info.provisional_note:
        title += f" — {info.provisional_note}"
    data = {
        "programme": info.id,
        "name": info.name,
        "cohort": info.cohort,
        "provisional": info.provisional,
        "source": info.source.document,
        "criteria": rows,
    }
    show_listing(output_format, Listing(title, rows, columns, data))
