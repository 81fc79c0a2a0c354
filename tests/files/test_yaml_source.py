"""Pins the strict YAML reader: plain strings only, positions, and every refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from masterycheck.errors import InputError
from masterycheck.files.yaml_source import (
    YamlDocument,
    load_yaml,
    parse_yaml,
    validation_error_to_input_error,
)


def refusal(text: str, name: str = "f.yaml", *, max_depth: int = 32) -> str:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, name, max_depth=max_depth)
    return str(caught.value)


# --- scalars -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["NO", "yes", "3.10", "012345", "0o17", "1e3", "2020-01-01", "true", "on", "0x1F", ".inf"],
)
def test_plain_scalars_stay_strings_exactly_as_written(written: str) -> None:
    doc = parse_yaml(f"value: {written}\nlist: [{written}]\n", "f.yaml")
    assert doc.data == {"value": written, "list": [written]}


@pytest.mark.parametrize("written", ["null", "Null", "NULL", "~", ""])
def test_plain_null_forms_become_none(written: str) -> None:
    assert parse_yaml(f"value: {written}\n", "f.yaml").data == {"value": None}


@pytest.mark.parametrize(
    ("written", "expected"),
    [('"null"', "null"), ("'~'", "~"), ("''", ""), ('""', ""), ("|\n  null\n", "null\n")],
)
def test_quoted_and_block_scalars_are_never_null(written: str, expected: str) -> None:
    assert parse_yaml(f"value: {written}\n", "f.yaml").data == {"value": expected}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n"])
def test_empty_document_gives_none(text: str) -> None:
    assert parse_yaml(text, "f.yaml").data is None


# --- structure and positions ---------------------------------------------------------------

NESTED = """\
name: Ada
person:
  age: 36
  langs:
    - en
    - {code: fr, level: B2}
"""


def test_nested_mappings_and_lists_come_back_as_plain_data() -> None:
    doc = parse_yaml(NESTED, "f.yaml")
    assert doc.data == {
        "name": "Ada",
        "person": {"age": "36", "langs": ["en", {"code": "fr", "level": "B2"}]},
    }
    assert isinstance(doc.data, dict)
    assert list(doc.data["person"]) == ["age", "langs"]


def test_locate_points_at_keys_and_list_items() -> None:
    doc = parse_yaml(NESTED, "f.yaml")
    assert doc.locate(()) == (1, 1)
    assert doc.locate(("person",)) == (2, 1)
    assert doc.locate(("person", "age")) == (3, 3)
    assert doc.locate(("person", "langs", 0)) == (5, 7)
    assert doc.locate(("person", "langs", 1)) == (6, 7)
    assert doc.locate(("person", "langs", 1, "level")) == (6, 18)


def test_locate_with_value_points_at_the_value_not_the_key() -> None:
    doc = parse_yaml(NESTED, "f.yaml")
    assert doc.locate(("person", "age"), value=True) == (3, 8)
    assert doc.locate(("person",), value=True) == (3, 3)


def test_locate_missing_path_falls_back_to_nearest_ancestor() -> None:
    doc = parse_yaml(NESTED, "f.yaml")
    assert doc.locate(("person", "email")) == (2, 1)
    assert doc.locate(("person", "langs", 7, "code")) == (4, 3)
    assert doc.locate(("nobody", "at", "all")) == (1, 1)


def test_a_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: caf\xc3\xa9\n")
    doc = load_yaml(path)
    assert doc.data == {"name": "café"}
    assert doc.name == str(path)
    assert doc.locate(("name",)) == (1, 1)


# --- refusals ------------------------------------------------------------------------------


def test_duplicate_key_is_refused_at_the_second_occurrence() -> None:
    message = refusal("a: 1\nb: 2\na: 3\n")
    assert message == "f.yaml:3:1: duplicate key 'a' (first at line 1)"


def test_duplicate_key_in_a_nested_flow_mapping_is_refused() -> None:
    assert refusal("x:\n  - {k: 1, k: 2}\n") == "f.yaml:2:12: duplicate key 'k' (first at line 2)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("~: 1\n", "f.yaml:1:1: a mapping key must be a string, not null"),
        ("? [a, b]\n: c\n", "f.yaml:1:3: a mapping key must be a string, not a list"),
        ("{{a: 1}: 2}\n", "f.yaml:1:2: a mapping key must be a string, not a mapping"),
    ],
)
def test_non_string_keys_are_refused(text: str, expected: str) -> None:
    assert refusal(text) == expected


def test_anchor_is_refused() -> None:
    assert refusal("a: &x 1\nb: *x\n") == "f.yaml:1:4: anchors and aliases are not allowed"


def test_alias_bomb_is_refused_at_its_first_anchor_before_anything_is_expanded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, current in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"
    message = refusal(bomb)  # at line 1, column 4: the first anchor, before any alias
    assert message == "f.yaml:1:4: anchors and aliases are not allowed"


def test_deep_nesting_is_refused() -> None:
    assert refusal("[" * 100 + "]" * 100) == "f.yaml:1:33: nesting deeper than 32 levels"


def test_nesting_up_to_max_depth_is_accepted() -> None:
    data = parse_yaml("[" * 32 + "]" * 32, "f.yaml").data
    for _ in range(31):
        assert isinstance(data, list)
        data = data[0]
    assert data == []
    assert (
        refusal("a:\n  b:\n    c: 1\n", max_depth=2) == "f.yaml:3:5: nesting deeper than 2 levels"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cmd: !!python/object:os.system {}\n", "f.yaml:1:6: tags are not allowed"),
        ("cmd: !!python/object/apply:os.system [ls]\n", "f.yaml:1:6: tags are not allowed"),
        ("n: !!str 3\n", "f.yaml:1:4: tags are not allowed"),
        ("n: !local x\n", "f.yaml:1:4: tags are not allowed"),
        ("!!map {a: 1}\n", "f.yaml:1:1: tags are not allowed"),
    ],
)
def test_explicit_tags_are_refused(text: str, expected: str) -> None:
    assert refusal(text) == expected


def test_a_second_document_is_refused() -> None:
    assert refusal("a: 1\n---\nb: 2\n") == "f.yaml:2:1: more than one YAML document in the file"


def test_syntax_error_gives_position_and_no_file_content() -> None:
    message = refusal("name: Ada\nrole: SECRET-VALUE: x\n")
    assert message.startswith("f.yaml:2:")
    assert "YAML syntax error: mapping values are not allowed" in message
    assert "SECRET-VALUE" not in message
    assert "\n" not in message


def test_unclosed_flow_list_is_a_syntax_error_with_position() -> None:
    message = refusal("a: [SECRET-VALUE,\n")
    assert message.startswith("f.yaml:2:1: YAML syntax error: ")
    assert "SECRET-VALUE" not in message


def test_control_character_is_refused_at_its_position() -> None:
    message = refusal("caf\u00e9: ok\nb: x\x01y\n")
    assert message == "f.yaml:2:5: YAML syntax error: character U+0001 is not allowed in YAML"


def test_invalid_utf8_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}:2: file is not valid UTF-8 text (bad byte at offset 11)"


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}: cannot read file: No such file or directory"
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read file: Is a directory"


def test_file_larger_than_max_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path, max_bytes=50)
    assert str(caught.value) == f"{path}: file is larger than 50 bytes"
    assert load_yaml(path, max_bytes=104).data == {"a": "x" * 100}


# --- Pydantic errors -----------------------------------------------------------------------


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    age: int


class Household(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person: Person


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    level: Literal["essential", "desirable"]


class Criteria(BaseModel):
    criteria: list[Criterion]


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool


class Pets(BaseModel):
    pets: list[Annotated[Cat | Dog, Field(discriminator="kind")]]


def first_error(model: type[BaseModel], doc: YamlDocument, root: tuple[str | int, ...] = ()) -> str:
    data = doc.data
    for part in root:
        assert isinstance(data, dict | list)
        data = data[part]  # type: ignore[index]
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(validation_error_to_input_error(caught.value, doc, root=root))


def test_unknown_key_points_at_the_key() -> None:
    doc = parse_yaml("person:\n  name: Ada\n  age: 36\n  colour: SECRET-BLUE\n", "x.yaml")
    assert first_error(Household, doc) == "x.yaml:4:3: unknown key 'colour'"


def test_missing_key_points_at_the_enclosing_mapping() -> None:
    doc = parse_yaml("person:\n  name: Ada\n", "x.yaml")
    assert first_error(Household, doc) == "x.yaml:1:1: missing required key 'age'"


def test_wrong_value_names_path_and_position_without_the_value() -> None:
    text = "criteria:\n  - id: C1\n    level: essential\n  - id: C2\n    level: SECRET-LEVEL\n"
    message = first_error(Criteria, parse_yaml(text, "x.yaml"))
    assert message == "x.yaml:5:12: criteria.1.level: Input should be 'essential' or 'desirable'"
    assert "SECRET-LEVEL" not in message


def test_further_errors_are_counted() -> None:
    doc = parse_yaml("person:\n  name: [SECRET]\n  age: old\n  hat: x\n", "x.yaml")
    message = first_error(Household, doc)
    assert message == "x.yaml:2:9: person.name: Input should be a valid string (and 2 more errors)"
    assert "SECRET" not in message
    one_more = first_error(Household, parse_yaml("person:\n  age: x\n", "x.yaml"))
    assert one_more.endswith(" (and 1 more error)")


def test_union_member_names_in_the_location_are_skipped() -> None:
    doc = parse_yaml(
        "pets:\n  - kind: cat\n    lives: 9\n  - kind: dog\n    good: maybe\n", "x.yaml"
    )
    message = first_error(Pets, doc)
    assert message.startswith("x.yaml:5:11: pets.1.good: Input should be a valid boolean")
    assert "maybe" not in message


def test_root_prefixes_the_location_but_not_the_message() -> None:
    doc = parse_yaml("meta: {}\nbody:\n  person:\n    name: Ada\n    age: ten\n", "x.yaml")
    message = first_error(Household, doc, root=("body",))
    assert message.startswith("x.yaml:5:10: person.age: Input should be a valid integer")


def test_locate_without_positions_falls_back_to_first_line() -> None:
    assert YamlDocument("given.yaml", {"a": 1}).locate(("a",)) == (1, 1)


def test_error_at_places_a_message_at_the_key_or_the_value() -> None:
    doc = parse_yaml("person:\n  age:   36\n", "x.yaml")
    assert doc.where(("person", "age")) == "x.yaml:2:3"
    assert doc.where(("person", "age"), value=True) == "x.yaml:2:10"
    error = doc.error_at(("person", "age"), "too young", value=True, hint="wait a year")
    assert isinstance(error, InputError)
    assert (error.message, error.where, error.hint) == ("too young", "x.yaml:2:10", "wait a year")
    assert str(error) == "x.yaml:2:10: too young (wait a year)"


def test_error_at_a_path_that_is_not_there_names_its_nearest_ancestor() -> None:
    doc = parse_yaml("person:\n  age: 36\n", "x.yaml")
    assert str(doc.error_at(("person", "email"), "missing")) == "x.yaml:1:1: missing"


# --- round trip ----------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "S", "Zs")), max_size=12
)
_SCALARS = st.none() | st.booleans() | st.integers() | _TEXT
_DATA = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=20,
)


def as_written(data: object) -> object:
    """What the strict reader should give for data that yaml.safe_dump wrote."""
    if isinstance(data, dict):
        return {key: as_written(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_written(item) for item in data]
    if data is None:
        return None
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


@settings(max_examples=100, deadline=None)
@given(_DATA)
def test_safe_dump_round_trips_with_every_scalar_as_text(data: object) -> None:
    assert parse_yaml(yaml.safe_dump(data, sort_keys=False), "f.yaml").data == as_written(data)
