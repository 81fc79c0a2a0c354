"""`masterycheck schema`: JSON Schema of the files people write."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from masterycheck.cli.common import print_json, reports_errors


class SchemaKind(StrEnum):
    """Which file's schema to print."""

    ALL = "all"
    PROGRAMME = "programme"
    CATALOGUE = "catalogue"
    PROFILE = "profile"


@reports_errors
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")] = SchemaKind.ALL,
) -> None:
    """Print the JSON Schema of programme, catalogue and profile files."""
    from masterycheck.schemas import catalogue_schema, profile_schema, programme_schema

    makers = {
        SchemaKind.PROGRAMME: programme_schema,
        SchemaKind.CATALOGUE: catalogue_schema,
        SchemaKind.PROFILE: profile_schema,
    }
    if kind is SchemaKind.ALL:
        print_json({name.value: make() for name, make in makers.items()})
    else:
        print_json(makers[kind]())
