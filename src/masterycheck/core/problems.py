"""The one kind of error the core raises: a problem in data a person wrote, and where it is.

The core never knows which file the data came from, so it says only *where inside the data*
the problem is (``loc``: mapping keys and list indexes from what was checked). The loaders
in ``files`` turn a ``Problem`` into the user's one-line ``InputError`` at that value's line
and column (``YamlDocument.error_at``). The subclasses name what was being checked, so that
a caller can catch only the problems it expects.
"""

from __future__ import annotations

Location = tuple[str | int, ...]
"""The path of a value inside the data checked: mapping keys and list indexes from its root."""


class Problem(ValueError):
    """A mistake in data a person wrote; ``loc`` is the path of the value at fault (empty
    when the caller alone knows where the data is, e.g. a single answer)."""

    def __init__(self, message: str, loc: Location = ()) -> None:
        super().__init__(message)
        self.loc = loc


__all__ = ["Location", "Problem"]
