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
    MAPPING = "mapping"
    OVERLAY = "overlay"


_ALL = (SchemaKind.PROGRAMME, SchemaKind.CATALOGUE, SchemaKind.PROFILE)


@reports_errors
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")] = SchemaKind.ALL,
) -> None:
    """Print the JSON Schema of programme, catalogue, profile, mapping and overlay files."""
    from masterycheck.files.schemas import (
        catalogue_schema,
        mapping_schema,
        overlay_schema,
        profile_schema,
        programme_schema,
    )

    makers = {
        SchemaKind.PROGRAMME: programme_schema,
        SchemaKind.CATALOGUE: catalogue_schema,
        SchemaKind.PROFILE: profile_schema,
        SchemaKind.MAPPING: mapping_schema,
        SchemaKind.OVERLAY: overlay_schema,
    }
    if kind is SchemaKind.ALL:  # the criteria and profile files, as before
        print_json({name.value: make() for name, make in makers.items() if name in _ALL})
    else:
        print_json(makers[kind]())
