"""The keys that link one applicant's submissions (``batch.duplicates``), and how the rows
that share one are found in bounded memory.

A row's keys are its normalised email (trimmed, case-folded, runs of whitespace as one
space; a value without ``@`` is no email) and its normalised full name and school (both
given, the name not a form's "anonymous"). ``Repeats`` finds the keys seen more than once: with
a set of the keys up to ``SET_ROWS`` rows, beyond that with a Bloom filter of their hashes
(``BITS_PER_ROW`` bits a row, two bits of one byte a key, some 3 MB for a million rows), which
also takes a percent or two of the keys that do not repeat for ones that do (the rows are then
grouped by their keys exactly). ``pairs`` and ``groups`` make the groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final

__all__ = [
    "ANONYMOUS",
    "BITS_PER_ROW",
    "SET_ROWS",
    "Chunk",
    "Repeats",
    "cells",
    "email_keys",
    "email_links",
    "groups",
    "name_keys",
    "name_links",
    "normalised",
    "pairs",
]

#: The names an identity column holds when a form did not record one.
ANONYMOUS: Final = frozenset({"anonymous", "anonymous user"})
#: Up to this many rows, repeated keys are found with a set of the keys; beyond it with a
#: bitmap of their hashes, ``BITS_PER_ROW`` bits a row (a few percent of rows read again).
SET_ROWS: Final = 1 << 17
BITS_PER_ROW: Final = 24

#: A block's cells of one identity column: one text, the cells joined by NULs (a list of the
#: cells if one holds a NUL).
Chunk = str | list[str]


class Repeats:
    """The keys seen more than once among all those added, in bounded memory (see the
    module's docstring): with a set of the keys, or (``bitmap``) of their hashes in a bitmap,
    which also takes a few keys that do not repeat for ones that do."""

    def __init__(self, rows: int) -> None:
        self.bitmap = rows > SET_ROWS
        self.repeated: set[object] = set()
        self._seen: set[object] = set()
        self._bits = bytearray(max(BITS_PER_ROW * rows, 1 << 16) >> 3 if self.bitmap else 1)

    def add(self, keys: Sequence[object]) -> None:
        """Look at more keys."""
        if self.bitmap:
            self._add_hashes(keys)
            return
        seen, repeated = self._seen, self.repeated
        new = set(keys)
        if len(new) != len(keys):
            repeated.update(key for key, times in Counter(keys).items() if times > 1)
        repeated.update(seen.intersection(new))
        seen |= new

    def _add_hashes(self, keys: Sequence[object]) -> None:
        # A Bloom filter of two bits a key, both in one byte (the hash's low half picks the
        # byte, its high half the bits): a key is taken for one seen before only when both
        # its bits are set. One byte a key keeps the loop short; it takes a few more keys.
        bits, count, repeated = self._bits, len(self._bits), self.repeated
        for value in map(hash, keys):
            at, mask = value % count, _MASKS[(value >> 32) & 31]
            if bits[at] & mask == mask:
                repeated.add(value)
            else:
                bits[at] |= mask

    def keep(self, linking: Callable[[object], bool]) -> None:
        """Forget the repeated keys that cannot link two rows (the seen keys are no longer
        needed)."""
        self._seen = set()
        if not self.bitmap:
            self.repeated = {key for key in self.repeated if linking(key)}

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` may repeat."""
        return (hash(key) if self.bitmap else key) in self.repeated

    def which(self, keys: Iterable[object]) -> Iterator[bool]:
        """Whether each of ``keys`` may repeat (``key in self`` for each one, in turn)."""
        return map(self.repeated.__contains__, map(hash, keys) if self.bitmap else keys)


#: Two of a byte's eight bits, 32 ways (the 28 pairs, the first four twice).
_PAIRS = tuple((1 << one) | (1 << two) for one in range(8) for two in range(one + 1, 8))
_MASKS: Final = (*_PAIRS, *_PAIRS[:4])


def email_links(key: object) -> bool:
    """Whether a normalised email can link rows (a value without ``@`` is no email)."""
    return isinstance(key, str) and "@" in key


def name_links(key: object) -> bool:
    """Whether a normalised (name, school) can link rows: both given, the name not a form's
    "anonymous"."""
    return isinstance(key, tuple) and bool(key[0]) and bool(key[1]) and key[0] not in ANONYMOUS


def email_keys(chunks: Sequence[Chunk]) -> list[object]:
    """Each row's normalised email (which may not be one: see ``email_links``)."""
    return list(normalised(chunks[0]))


def name_keys(chunks: Sequence[Chunk]) -> list[object]:
    """Each row's normalised (name, school)."""
    return list(zip(normalised(chunks[0]), normalised(chunks[1]), strict=True))


_Keys = Callable[[Sequence[Chunk]], list[object]]  # a block's chunks -> each row's key


def cells(chunk: Chunk) -> list[str]:
    """A chunk's cells."""
    return chunk.split("\x00") if isinstance(chunk, str) else chunk


#: ASCII whitespace other than the space (``str.split`` splits on each).
_OTHER_SPACES = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")


def normalised(chunk: Chunk) -> list[str]:
    """Every cell case-folded, with runs of whitespace as one space and none at either end.

    A chunk of cells joined as one text is done at once when it can be (one case-fold, one
    split: most cells need nothing else), else cell by cell.
    """
    if isinstance(chunk, str):
        folded = chunk.casefold()
        if _evenly_spaced(folded):
            return folded.split("\x00")
        chunk = chunk.split("\x00")
    return list(map(" ".join, map(str.split, map(str.casefold, chunk))))


def _evenly_spaced(joined: str) -> bool:
    """Whether values joined by NULs are all ASCII with single spaces between words only
    (so normalising their spaces would change nothing). Substring tests, which are quick."""
    return (
        joined.isascii()
        and "  " not in joined
        and "\x00 " not in joined
        and " \x00" not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and not any(space in joined for space in _OTHER_SPACES)
    )


def pairs(keyed: Iterable[tuple[int, object]]) -> list[tuple[int, int]]:
    """(first index with a key, a later index with the same key), for every later index."""
    first: dict[object, int] = {}
    pairs: list[tuple[int, int]] = []
    for index, key in keyed:
        earlier = first.setdefault(key, index)
        if earlier != index:
            pairs.append((earlier, index))
    return pairs


def groups(links: list[tuple[int, int]]) -> list[list[int]]:
    """The linked rows as groups (each sorted, in order of their first row)."""
    parent: dict[int, int] = {}

    def root(index: int) -> int:
        parent.setdefault(index, index)
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for first, second in links:
        one, other = root(first), root(second)
        if one != other:
            parent[max(one, other)] = min(one, other)
    members: dict[int, list[int]] = {}
    for index in sorted(parent):
        members.setdefault(root(index), []).append(index)
    return list(members.values())
