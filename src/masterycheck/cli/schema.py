"""`masterycheck schema`: JSON Schema of the files people write."""

from __future__ import annotations

from enum import StrEnum
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


@reports_errors
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")] = SchemaKind.ALL,
) -> None:
    """Print the JSON Schema of programme, catalogue, profile, mapping and overlay files."""
    from masterycheck.files.schemas import schema_of

    print_json(schema_of(kind.value))
