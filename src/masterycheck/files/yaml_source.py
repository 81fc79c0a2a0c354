"""A strict, safe YAML reader for the files people write: criteria, profiles, mappings.

The document is built directly from PyYAML's event stream, so nothing is ever constructed
from a tag, anchors and aliases are refused before anything is expanded, and every value's
position is kept for error messages. No YAML 1.1 implicit typing is applied: every scalar is
a ``str`` (``NO`` stays ``"NO"``, ``3.10`` stays ``"3.10"``) except the plain null forms,
which become ``None``. Converting to the declared type is the job of the models downstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import yaml

from masterycheck.errors import InputError, place
from masterycheck.protected_files import note_read

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "DataPath",
    "YamlDocument",
    "decode_yaml",
    "load_model",
    "load_yaml",
    "parse_yaml",
    "read_file",
    "validate_document",
    "validation_error_to_input_error",
]

DataPath = tuple[str | int, ...]
"""The path of a value inside a document: mapping keys and list indexes from the root."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The largest YAML file read, in bytes.
MAX_BYTES = 2_000_000
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SHOWN_KEY_LIMIT = 60
_ABSENT = object()


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed YAML file: its plain data and where each value came from.

    ``positions`` maps a value's path to its 1-based (line, column), taking the key's position
    for mapping entries; ``value_positions`` holds where each value itself starts.
    """

    name: str
    data: object
    positions: Mapping[DataPath, tuple[int, int]] = field(
        default_factory=dict, repr=False, compare=False
    )
    value_positions: Mapping[DataPath, tuple[int, int]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def locate(self, loc: DataPath, *, value: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the node at ``loc``.

        For a mapping entry this is where its key is written, unless ``value`` is true. A path
        that does not exist (a missing key, say) gives the position of its nearest existing
        ancestor; a document with no positions at all gives (1, 1).
        """
        if value and loc in self.value_positions:
            return self.value_positions[loc]
        for end in range(len(loc), -1, -1):
            found = self.positions.get(loc[:end])
            if found is not None:
                return found
        return (1, 1)

    def where(self, loc: DataPath, *, value: bool = False) -> str:
        """The ``file:line:column`` of the node at ``loc`` (see ``locate``)."""
        return place(self.name, *self.locate(loc, value=value))

    def error_at(
        self, loc: DataPath, message: str, *, value: bool = False, hint: str | None = None
    ) -> InputError:
        """The user's error ``message`` placed at the node at ``loc`` (see ``locate``).

        The one way a problem found in the data (a core ``Problem`` and its ``loc``, or a
        check of the loader's own) becomes the line the command line prints.
        """
        return InputError(message, where=self.where(loc, value=value), hint=hint)


def load_yaml(path: Path, *, max_depth: int = 32, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read and parse one YAML file, refusing anything unsafe or ambiguous with ``InputError``.

    The file must be UTF-8 (a leading byte order mark is ignored), at most ``max_bytes`` long
    and hold at most one document; see ``parse_yaml`` for what the content may contain.
    """
    raw = read_file(path, max_bytes=max_bytes)
    return decode_yaml(raw, str(path), max_depth=max_depth, max_bytes=max_bytes)


def read_file(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file a person wrote (at most ``max_bytes`` and one more), recorded as
    read (``protected_files``); one that cannot be read is an ``InputError``."""
    note_read(path)
    try:
        with path.open("rb") as stream:
            return stream.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot read file: {reason}", where=str(path)) from None


def decode_yaml(
    raw: bytes, name: str, *, max_depth: int = 32, max_bytes: int = MAX_BYTES
) -> YamlDocument:
    """Parse the bytes ``read_file`` read from the file ``name`` (see ``load_yaml``)."""
    if len(raw) > max_bytes:
        raise InputError(f"file is larger than {max_bytes} bytes", where=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"file is not valid UTF-8 text (bad byte at offset {exc.start})",
            where=place(name, line),
        ) from None
    return parse_yaml(text, name, max_depth=max_depth)


def parse_yaml(text: str, name: str, *, max_depth: int = 32) -> YamlDocument:
    """Parse YAML text into plain data (dicts with ``str`` keys, lists, ``str`` and ``None``).

    ``name`` is used only in messages. Refused with ``InputError``: syntax errors, tags,
    anchors and aliases, duplicate keys, keys that are not strings, nesting deeper than
    ``max_depth`` collections and more than one document. An empty document gives ``None``.
    """
    text = text.removeprefix("\ufeff")
    builder = _Builder(name, max_depth)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, name) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name) from None
    except yaml.YAMLError:
        raise InputError("YAML syntax error", where=name) from None
    return YamlDocument(name, builder.result, builder.positions, builder.value_positions)


def validation_error_to_input_error(
    exc: pydantic.ValidationError, doc: YamlDocument, *, root: DataPath = ()
) -> InputError:
    """Turn a Pydantic validation error on ``doc``'s data into one ``InputError`` line.

    ``root`` is the path of the data the model was validated against. The first error is
    reported at its ``file:line:column`` in plain words, never echoing the offending value;
    further errors are only counted.
    """
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return InputError("invalid content", where=doc.name)
    first = errors[0]
    if first["type"] == "missing":
        # A misspelt key shows up as a missing key plus an unknown one beside it: name the
        # misspelling, which is what the person wrote.
        parent = first["loc"][:-1]
        first = next(
            (e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:-1] == parent),
            first,
        )
    loc = tuple(part for part in first["loc"] if isinstance(part, str | int))
    base, node = _walk(doc.data, root)
    inner, _ = _walk(node, loc)
    path = base + inner
    kind = first["type"]
    last = loc[-1] if loc else None
    at_value = False
    if kind == "extra_forbidden" and isinstance(last, str):
        message = f"unknown key {_show_key(last)}"
    elif kind == "missing" and isinstance(last, str):
        message = f"missing required key {_show_key(last)}"
    else:
        text = " ".join(str(first["msg"]).split())
        dotted = ".".join(str(part) for part in inner)
        message = f"{dotted}: {text}" if dotted else text
        at_value = True
    more = len(errors) - 1
    if more:
        message += f" (and {more} more error{'s' if more > 1 else ''})"
    return doc.error_at(path, message, value=at_value)


def _walk(node: object, loc: DataPath) -> tuple[DataPath, object]:
    """Follow the parts of a Pydantic location that exist in ``node``; return path and value.

    Parts that name no key or index at their point (union member names, validator names,
    the key that is missing) are skipped.
    """
    path: list[str | int] = []
    for part in loc:
        child = _child(node, part)
        if child is not _ABSENT:
            node = child
            path.append(part)
    return tuple(path), node


def _child(node: object, part: str | int) -> object:
    """The value under ``part`` in ``node``, or ``_ABSENT``."""
    if isinstance(node, dict) and isinstance(part, str):
        return node.get(part, _ABSENT)
    if isinstance(node, list) and type(part) is int and 0 <= part < len(node):
        return node[part]
    return _ABSENT


def _show_key(key: str) -> str:
    """Quote a key for a one-line message, shortening a very long one."""
    if len(key) > _SHOWN_KEY_LIMIT:
        key = key[: _SHOWN_KEY_LIMIT - 1] + "…"
    return repr(key)


class _Mark(Protocol):
    """A parser position (0-based) from either the C or the Python parser."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


def _position(mark: _Mark | None) -> tuple[int, int]:
    # The parsers always set marks on events; the stubs merely allow None.
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _syntax_error(exc: yaml.MarkedYAMLError, name: str) -> InputError:
    # str(exc) quotes the offending lines of the file, so only the fixed problem text is used.
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    where = place(name, *_position(mark)) if mark is not None else name
    return InputError(f"YAML syntax error: {problem}", where=where)


def _reader_error(exc: yaml.reader.ReaderError, text: str, name: str) -> InputError:
    # The reported position is a byte offset for the C parser and a character offset for the
    # Python one; the first occurrence of the refused character is the one that stopped it.
    character = exc.character if isinstance(exc.character, int) else None
    message = "YAML syntax error: character not allowed in YAML"
    if character is None:
        return InputError(message, where=name)
    message = f"YAML syntax error: character U+{character:04X} is not allowed in YAML"
    index = text.find(chr(character))
    if index < 0:
        return InputError(message, where=name)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return InputError(message, where=place(name, line, column))


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("container", "key", "path")

    def __init__(self, container: dict[str, object] | list[object], path: DataPath) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None  # a mapping's key waiting for its value


class _Builder:
    """Builds plain data and positions from parser events, refusing what is not allowed."""

    def __init__(self, name: str, max_depth: int) -> None:
        self.name = name
        self.max_depth = max_depth
        self.result: object = None
        self.positions: dict[DataPath, tuple[int, int]] = {}
        self.value_positions: dict[DataPath, tuple[int, int]] = {}
        self.stack: list[_Frame] = []
        self.documents = 0

    def fail(self, message: str, mark: _Mark | None) -> InputError:
        return InputError(message, where=place(self.name, *_position(mark)))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.check_node(event)
            value = None if not event.style and event.value in _NULLS else event.value
            self.add(value, event.start_mark)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self.check_node(event)
            if len(self.stack) >= self.max_depth:
                raise self.fail(f"nesting deeper than {self.max_depth} levels", event.start_mark)
            is_mapping = isinstance(event, yaml.MappingStartEvent)
            container: dict[str, object] | list[object] = {} if is_mapping else []
            path = self.add(container, event.start_mark)
            self.stack.append(_Frame(container, path))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            raise self.fail("anchors and aliases are not allowed", event.start_mark)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail("more than one YAML document in the file", event.start_mark)

    def check_node(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            raise self.fail("anchors and aliases are not allowed", event.start_mark)
        tag: str | None = getattr(event, "tag", None)
        if tag is not None:
            raise self.fail("tags are not allowed", event.start_mark)

    def add(self, value: object, mark: _Mark | None) -> DataPath:
        """Place a new node in the open collection (or as the root); return its path."""
        position = _position(mark)
        if not self.stack:
            self.result = value
            self.positions[()] = self.value_positions[()] = position
            return ()
        frame = self.stack[-1]
        container = frame.container
        if isinstance(container, list):
            path = (*frame.path, len(container))
            container.append(value)
            self.positions[path] = self.value_positions[path] = position
            return path
        if frame.key is None:
            frame.key = self.check_key(value, frame, mark)
            self.positions[(*frame.path, frame.key)] = position
            return frame.path
        path = (*frame.path, frame.key)
        container[frame.key] = value
        self.value_positions[path] = position
        frame.key = None
        return path

    def check_key(self, key: object, frame: _Frame, mark: _Mark | None) -> str:
        if key is None:
            raise self.fail("a mapping key must be a string, not null", mark)
        if not isinstance(key, str):
            kind = "a mapping" if isinstance(key, dict) else "a list"
            raise self.fail(f"a mapping key must be a string, not {kind}", mark)
        if key in frame.container:
            first_line = self.positions[(*frame.path, key)][0]
            raise self.fail(f"duplicate key {_show_key(key)} (first at line {first_line})", mark)
        return key


ModelT = TypeVar("ModelT", bound="pydantic.BaseModel")


def load_model(path: Path, model: type[ModelT], what: str) -> tuple[ModelT, YamlDocument]:
    """Load a YAML file whose top level is a mapping and validate it as ``model``.

    ``what`` names the kind of file for the message when the top level is not a mapping
    ("a programme file"). Every problem is one ``InputError`` at the file's line and column.
    Returns the model and the document (for locating later, e.g. rule errors).
    """
    document = load_yaml(path)
    return validate_document(document, model, what), document


def validate_document(document: YamlDocument, model: type[ModelT], what: str) -> ModelT:
    """Validate a parsed document as ``model`` (see ``load_model``)."""
    from pydantic import ValidationError

    if not isinstance(document.data, dict):
        raise InputError(
            f"expected a mapping of keys to values ({what})", where=place(document.name, 1, 1)
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise validation_error_to_input_error(exc, document) from None
