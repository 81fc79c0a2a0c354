"""Shared base model and small types for the files people write."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class StrictModel(BaseModel):
    """Base of every model of a file a person writes: unknown keys are errors, not ignored.

    A model's validator is built when it first validates (``defer_build``), not at import: a
    command pays only for the models it uses.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)
]
"""An id such as ``qualified_status``: lower-case letters, digits and underscores."""

NonEmptyText = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

SchemaVersion = Annotated[int, Field(ge=1, le=1, description="The file format's version: 1.")]


def no_items() -> list[Any]:
    """A new empty list, as a ``default_factory``.

    Not ``list``: pydantic inspects a default factory's signature, and inspecting a builtin's
    parses its text signature with ``tokenize``, whose regexes then compile (~8 ms of every
    command's start-up, for nothing).
    """
    return []


def no_entries() -> dict[Any, Any]:
    """A new empty dict, as a ``default_factory`` (not ``dict``: see ``no_items``)."""
    return {}
