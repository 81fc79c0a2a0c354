"""`masterycheck programmes`, `fields` and `explain`: what the criteria say."""

from __future__ import annotations

from typing import Annotated

import typer

from masterycheck.cli.common import (
    AsOfOption,
    FormatOption,
    OutputFormat,
    console,
    parse_as_of,
    print_json,
    reports_errors,
)
from masterycheck.reporters.listings import Row

LABELS = {"type_words": "type", "window_message": "window", "academic_years": "academic years"}


def _markdown_table(rows: list[Row], columns: list[str]) -> str:
    labels = [LABELS.get(column, column.replace("_", " ")) for column in columns]
    lines = ["| " + " | ".join(labels) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [_plain(row.get(column)).replace("|", "\\|") for column in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _print_blocks(rows: list[Row], columns: list[str], title: str) -> None:
    """Each row as a block: the first column as its title, the others as labelled lines.

    Blocks wrap cleanly in narrow terminals, where a wide table would not.
    """
    from rich.padding import Padding
    from rich.text import Text

    out = console()
    out.print(Text(title, style="bold underline"))
    for row in rows:
        out.print(Text(f"\n{_plain(row.get(columns[0]))}", style="bold"))
        for column in columns[1:]:
            value = _plain(row.get(column))
            if value:
                label = LABELS.get(column, column.replace("_", " "))
                line = Text(f"{label}: ", style="dim") + Text(value)
                out.print(Padding(line, (0, 0, 0, 2), expand=False))


def _emit(rows: list[Row], columns: list[str], title: str, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.JSON:
        print_json(rows)
    elif output_format is OutputFormat.MARKDOWN:
        typer.echo(f"# {title}\n\n{_markdown_table(rows, columns)}")
    else:
        _print_blocks(rows, columns, title)


@reports_errors
def programmes(as_of: AsOfOption = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the programmes: cohort, application window as of today, criteria counts."""
    from masterycheck.files.criteria import load_all_programmes, load_catalogue
    from masterycheck.reporters.listings import programme_rows

    rows = programme_rows(load_all_programmes(load_catalogue()), parse_as_of(as_of))
    columns = ["id", "name", "cohort", "academic_years", "window_message", "essential", "desirable"]
    _emit(rows, columns, "Mastery Specialist programmes", output_format)


@reports_errors
def fields(output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the profile fields: type, question and accepted answers."""
    from masterycheck.files.criteria import load_catalogue
    from masterycheck.reporters.listings import field_rows

    rows = field_rows(load_catalogue())
    _emit(rows, ["id", "type_words", "question", "choices"], "Profile fields", output_format)


@reports_errors
def explain(
    programme: Annotated[str, typer.Argument(help="Programme id or programme file.")],
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show every criterion: level, kind, published wording, source and rule in words."""
    from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
    from masterycheck.reporters.listings import criterion_rows

    compiled = load_programme(resolve_programme(programme), load_catalogue())
    rows = criterion_rows(compiled)
    info = compiled.programme
    title = f"{info.name}" + (f", Cohort {info.cohort}" if info.cohort is not None else "")
    if output_format is OutputFormat.JSON:
        print_json(
            {
                "programme": info.id,
                "name": info.name,
                "cohort": info.cohort,
                "provisional": info.provisional,
                "source": info.source.document,
                "criteria": rows,
            }
        )
        return
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
    _emit(rows, columns, title, output_format)
