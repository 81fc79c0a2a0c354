"""The shipped JSON Schemas: written by ``schema --write``, equal to what it generates now,
named on the first line of every shipped YAML file, and accepting exactly those files as an
editor reads them (YAML 1.2 core types), with ``jsonschema``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.cli.schema import SchemaKind, schema_file_text
from masterycheck.files.schemas import (
    MODELINE,
    SCHEMAS,
    schema_comment,
    schema_file_name,
    schemas_dir,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "schemas"
REGENERATE = "regenerate them with: masterycheck schema --write schemas"


def kind_of(path: Path) -> str:
    """Which schema a shipped YAML file is written against."""
    if path.parent.name == "criteria":
        return "catalogue" if path.name == "fields.yaml" else "programme"
    if path.name.endswith(".mapping.yaml"):
        return "mapping"
    if path.name.startswith("overlay-"):
        return "overlay"
    return "profile"


SHIPPED_YAML = sorted([*(REPO / "criteria").glob("*.yaml"), *(REPO / "examples").glob("*.yaml")])


class Yaml12Core(yaml.SafeLoader):
    """What an editor's YAML language server reads (YAML 1.2 core schema): ``yes`` and
    ``2026-11-23`` are text; only true/false, numbers and the null forms are typed."""


Yaml12Core.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
]:
    Yaml12Core.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}",
        re.compile(_pattern),
        [*_first, *([""] if _tag == "null" else [])],
    )


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    base = 8 if text.startswith("0o") else 16 if text.startswith("0x") else 10
    return int(text[2:] if base != 10 else text, base)


Yaml12Core.add_constructor("tag:yaml.org,2002:int", _int)


def editor_view(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Core)  # a SafeLoader


def validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SHIPPED / schema_file_name(kind)).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_the_shipped_schema_is_what_schema_generates_now(kind: str) -> None:
    shipped = SHIPPED / schema_file_name(kind)
    assert shipped.is_file(), f"{shipped} is missing: {REGENERATE}"
    assert shipped.read_text(encoding="utf-8") == schema_file_text(kind), (
        f"{shipped} differs from what 'masterycheck schema {kind}' gives: {REGENERATE}"
    )


def test_every_schema_kind_has_a_shipped_file_and_no_other_file_is_shipped() -> None:
    assert sorted(p.name for p in SHIPPED.iterdir()) == sorted(map(schema_file_name, SCHEMAS))
    assert {k.value for k in SchemaKind} - {"all"} == set(SCHEMAS)


def test_schema_write_writes_every_schema_as_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "schemas"
    result = CliRunner().invoke(app, ["schema", "--write", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(map(schema_file_name, SCHEMAS))
    for kind in SCHEMAS:
        written = (folder / schema_file_name(kind)).read_text(encoding="utf-8")
        assert written == (SHIPPED / schema_file_name(kind)).read_text(encoding="utf-8")
        assert f"wrote {folder / schema_file_name(kind)}" in result.stdout
        assert (folder / schema_file_name(kind)).stat().st_mode & 0o777 == 0o644


def test_schema_write_of_one_kind_writes_that_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "mapping", "--write", str(tmp_path)])
    assert result.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["mapping.schema.json"]


def test_schema_write_to_a_file_is_one_line_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "--write", str(target)])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"masterycheck: error: {target}: not a folder (give --write a folder)"
    )


@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_shipped_yaml_file_starts_with_its_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    # The same relative line finds the schema in a checkout and in an installed package
    # (criteria/ and schemas/ sit side by side in both).
    assert first == f"{MODELINE}../schemas/{kind_of(path)}.schema.json"
    if schemas_dir().resolve() == (path.parent.parent / "schemas").resolve():
        assert first == schema_comment(kind_of(path), beside=path)
    assert (path.parent / first.removeprefix(MODELINE)).resolve().is_file()


@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_shipped_yaml_file_is_valid_against_its_schema(path: Path) -> None:
    data = editor_view(path.read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(kind_of(path)).iter_errors(data)
    ]
    assert not errors, errors


@pytest.mark.parametrize(
    ("kind", "text", "wrong"),
    [
        ("programme", "ide: primary\n", "'ide' was unexpected"),
        ("profile", "qualified_staus: qts\n", "'qualified_staus' was unexpected"),
        ("mapping", "schema_version: 1\ncolums: []\n", "'colums' was unexpected"),
        ("overlay", "hub: 3\nnonsense: 1\n", "'nonsense' was unexpected"),
        ("catalogue", "fields:\n  - id: x\n    type: colour\n", "'colour' is not one of"),
    ],
)
def test_what_the_strict_loader_refuses_the_schema_refuses(
    kind: str, text: str, wrong: str
) -> None:
    messages = [e.message for e in validator(kind).iter_errors(editor_view(text))]
    assert any(wrong in m for m in messages), messages


def test_a_schema_comment_without_a_file_is_an_absolute_uri() -> None:
    line = schema_comment("mapping")
    assert line == MODELINE + (schemas_dir() / "mapping.schema.json").resolve().as_uri()


def test_a_schema_comment_beside_a_file_elsewhere_is_relative_to_its_folder(
    tmp_path: Path,
) -> None:
    target = tmp_path / "hub" / "mapping.yaml"
    line = schema_comment("mapping", beside=target)
    relative = line.removeprefix(MODELINE)
    assert not relative.startswith("file:")
    assert (target.parent / relative).resolve() == (schemas_dir() / "mapping.schema.json").resolve()


def test_a_proposed_mapping_starts_with_a_modeline_that_finds_the_shipped_schema(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    target = tmp_path / "mapping.yaml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "masterycheck",
            "mapping",
            str(repo / "examples" / "forms-export-primary.csv"),
            "--programme",
            "primary",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (target.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema.name == "mapping.schema.json" and schema.is_file()
