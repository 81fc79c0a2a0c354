"""`masterycheck schema`: JSON Schema of the files people write, printed or written as files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from masterycheck.cli.common import print_json, reports_errors


class SchemaKind(StrEnum):
    """Which file's schema to print: ``all`` (programme, catalogue and profile) or one of
    ``files.schemas.SCHEMAS`` (a test keeps the two in step)."""

    ALL = "all"
    PROGRAMME = "programme"
    CATALOGUE = "catalogue"
    PROFILE = "profile"
    MAPPING = "mapping"
    OVERLAY = "overlay"


def schema_file_text(kind: str) -> str:
    """The text of the schema file of ``kind``: the JSON ``schema`` prints, and a line break."""
    from masterycheck.files.schemas import schema_of
    from masterycheck.reporters.json_report import json_text

    return json_text(schema_of(kind)) + "\n"


@reports_errors
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")] = SchemaKind.ALL,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="DIR",
            help="Write the schemas as files into DIR (KIND.schema.json; with 'all', every "
            "schema), for an editor to validate files with.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of programme, catalogue, profile, mapping and overlay files."""
    from masterycheck.files.schemas import SCHEMAS, schema_of

    if write is None:
        print_json(schema_of(kind.value))
        return
    _write_schemas(write, list(SCHEMAS) if kind is SchemaKind.ALL else [kind.value])


def _write_schemas(folder: Path, kinds: list[str]) -> None:
    """Write each schema of ``kinds`` into ``folder`` (made if missing), atomically, readable
    by all (unlike outputs of people's data); one line on stdout per file written."""
    from masterycheck.errors import InputError
    from masterycheck.files.schemas import schema_file_name
    from masterycheck.outputs.inert_text import one_line
    from masterycheck.outputs.safe_files import atomic_output

    if folder.exists() and not folder.is_dir():
        raise InputError("not a folder", where=str(folder), hint="give --write a folder")
    folder.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        target = folder / schema_file_name(kind)
        with atomic_output(target) as out:
            out.write(schema_file_text(kind))
        target.chmod(0o644)  # no one's data, and shipped in the wheel: readable by all
        typer.echo(one_line(f"wrote {target}"))
