"""JSON Schemas of the files people write: programme, catalogue, profile, mapping, overlay.

The schemas are also shipped as files (``schemas/<name>.schema.json`` in the source tree,
``masterycheck/schemas/`` in the wheel; ``masterycheck schema --write DIR`` writes them, and a
test keeps the shipped ones equal to what the command writes now), so that an editor validates
a file while it is written: each shipped YAML file starts with ``schema_comment``'s line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from masterycheck.core.fields import Catalogue, FieldType

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def programme_schema() -> dict[str, Any]:
    """JSON Schema of a programme file."""
    from masterycheck.core.programme import Programme

    return {"$schema": SCHEMA_DIALECT, **Programme.model_json_schema(by_alias=True)}


def mapping_schema() -> dict[str, Any]:
    """JSON Schema of a mapping file (form export columns -> profile fields)."""
    from masterycheck.files.mapping_file import MappingFile

    return {"$schema": SCHEMA_DIALECT, **MappingFile.model_json_schema(by_alias=True)}


def overlay_schema() -> dict[str, Any]:
    """JSON Schema of a hub overlay file."""
    from masterycheck.core.overlay import Overlay

    return {"$schema": SCHEMA_DIALECT, **Overlay.model_json_schema(by_alias=True)}


def catalogue_schema() -> dict[str, Any]:
    """JSON Schema of the field catalogue."""
    return {"$schema": SCHEMA_DIALECT, **Catalogue.model_json_schema(by_alias=True)}


def _field_schema(field_type: FieldType, choices: list[str]) -> dict[str, Any]:
    unknown: dict[str, Any] = {"type": "null"}
    if field_type is FieldType.YES_NO:
        typed: dict[str, Any] = {"type": ["string", "boolean"], "examples": ["yes", "no"]}
    elif field_type is FieldType.WHOLE_NUMBER:
        typed = {"type": ["integer", "string"], "pattern": r"^\s*\d+"}
    elif field_type is FieldType.DATE:
        typed = {"type": ["string", "integer"], "examples": ["2019", "2019-07", "2019-07-15"]}
    elif field_type is FieldType.ONE_OF:
        typed = {"type": "string", "examples": choices}
    elif field_type is FieldType.MANY_OF:
        typed = {
            "anyOf": [
                {"type": "array", "items": {"type": "string", "examples": choices}},
                {"type": "string"},
            ]
        }
    else:
        typed = {"type": "string"}
    return {"anyOf": [typed, unknown]}


def profile_schema(catalogue: Catalogue | None = None) -> dict[str, Any]:
    """JSON Schema of a profile file, built from the field catalogue."""
    if catalogue is None:
        from masterycheck.files.criteria import load_catalogue

        catalogue = load_catalogue()
    properties: dict[str, Any] = {}
    for field in catalogue.answerable:
        entry = _field_schema(field.type, list(field.choice_ids))
        entry["title"] = field.label
        entry["description"] = field.question
        properties[field.id] = entry
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Profile",
        "description": "A teacher's answers, by field id. Unknown answers may be left out, "
        'or given as null or "don\'t know".',
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


#: Every schema by the name ``masterycheck schema`` gives it, each made only when asked for.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "programme": programme_schema,
    "catalogue": catalogue_schema,
    "profile": profile_schema,
    "mapping": mapping_schema,
    "overlay": overlay_schema,
}
#: The schemas ``all`` gives, by name: those of the criteria and profile files.
ALL_SCHEMAS = ("programme", "catalogue", "profile")


class UnknownSchema(LookupError):
    """A schema name not in ``SCHEMAS``: a bug in the caller (options offer only known names)."""


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema named ``kind``, or for ``"all"`` those of ``ALL_SCHEMAS`` by name;
    raises ``UnknownSchema`` for another name."""
    if kind == "all":
        return {name: SCHEMAS[name]() for name in ALL_SCHEMAS}
    make = SCHEMAS.get(kind)
    if make is None:
        raise UnknownSchema(f"unknown schema {kind!r} (known: all, {', '.join(SCHEMAS)})")
    return make()


def schema_file_name(kind: str) -> str:
    """The file name of the schema named ``kind`` (``programme.schema.json``)."""
    if kind not in SCHEMAS:
        raise UnknownSchema(f"unknown schema {kind!r} (known: {', '.join(SCHEMAS)})")
    return f"{kind}.schema.json"


def schemas_dir() -> Path:
    """The folder of the shipped schema files: the installed copy, or the source tree's."""
    package = Path(__file__).resolve().parents[1]  # masterycheck/
    installed = package / "schemas"
    if installed.is_dir():
        return installed
    return package.parents[1] / "schemas"  # a source checkout: src/masterycheck/../../schemas


#: What an editor's YAML language server reads from a file's first line.
MODELINE = "# yaml-language-server: $schema="


def schema_comment(kind: str, *, beside: Path | None = None) -> str:
    """The first line of a YAML file of ``kind`` that points an editor at the shipped schema:
    relative to the folder of ``beside`` (the file it will start), else an absolute file URI
    (as for a file written to standard output)."""
    target = (schemas_dir() / schema_file_name(kind)).resolve()
    if beside is not None:
        try:
            return MODELINE + Path(os.path.relpath(target, beside.resolve().parent)).as_posix()
        except ValueError:  # another drive, on Windows
            pass
    return MODELINE + target.as_uri()
