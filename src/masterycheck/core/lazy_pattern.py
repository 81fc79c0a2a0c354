"""``LazyPattern``: a regular expression compiled when first used, for the answers' forms."""

from __future__ import annotations

import re


class LazyPattern:
    """A regular expression compiled when first used: compiling the many ways of writing an
    answer costs ~2 ms, paid by every command at start-up otherwise, though most commands
    read few answers and use few of the ways."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled expression."""
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compiled.match(text)

    def search(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled.search(text)

    def split(self, text: str) -> list[str]:
        """``re.Pattern.split``."""
        return self.compiled.split(text)
