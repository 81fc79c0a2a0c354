"""Which text encoding a CSV export is read with, and where a byte that does not decode is.

UTF-16 (BOM, or NUL bytes in the first 4 KB; ``_is_utf16``) is refused by the CSV reader, not
decoded: it is Excel's "Unicode Text" and is tab-separated text the user should re-save as
"CSV UTF-8"; refusing keeps one code path for line numbers.

CSV decoding (``_choose_encoding``)
    UTF-8 with or without BOM (the BOM is dropped). Otherwise, unless ``encoding=`` is given, the
    first 1 MiB decides: Windows-1252 is chosen only if that part decodes strictly as cp1252 and
    shows no sign of another encoding (UTF-8 sequences mixed in, or runs of four or more
    non-ASCII bytes, typical of Cyrillic, Greek or East Asian encodings); the source then has
    ``encoding == "cp1252"`` and ``encoding_guessed`` set, so the caller can say so. The file is
    then decoded as a stream (``open(..., newline="", errors="strict")``); a bad byte later on
    raises ``InputError`` naming its line (found by re-reading the file only in that case, with
    ``_find_bad_line``).
"""

from __future__ import annotations

import codecs
import re
from functools import partial
from pathlib import Path
from typing import Final

from masterycheck.batch.tables.limits import _MAGIC_BYTES, _MB
from masterycheck.errors import InputError, place

_UTF8_BOM: Final = codecs.BOM_UTF8
# UTF-8 sequences that are common in real text (Latin-1 range, typographic punctuation) and
# almost never occur in Windows-1252 text ("Ã©", "â€™"): their presence next to bytes that are
# not UTF-8 means the file mixes encodings.
_UTF8_TELLTALE: Final = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_HIGH_RUN: Final = re.compile(rb"[\x80-\xff]{4,}")
_ENCODING_HINT: Final = "pass --encoding with the file's encoding, or save it as 'CSV UTF-8'"


def _is_utf16(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = head[:_MAGIC_BYTES]
    if b"\x00" not in sample:
        return False
    # Mostly-ASCII UTF-16 text has a NUL in every other byte.
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= len(sample) // 4


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _choose_encoding(head: bytes, name: str, given: str | None, at_eof: bool) -> tuple[str, bool]:
    """The codec to read the CSV with, and whether it was guessed (see the module docstring)."""
    if given is not None:
        try:
            codec = codecs.lookup(given).name
            probe = 'a,;\t"\r\n'.encode(codec)
        except (LookupError, TypeError, ValueError):
            raise InputError(
                f'unknown text encoding "{given}"', where=name, hint="try utf-8 or cp1252"
            ) from None
        if probe != b'a,;\t"\r\n':
            raise InputError(
                f'encoding "{given}" is not supported',
                where=name,
                hint="save the file as 'CSV UTF-8'",
            )
        if head.startswith(_UTF8_BOM):
            if codec != "utf-8":
                raise InputError(
                    f'the file starts with a UTF-8 byte-order mark, but encoding "{given}" '
                    "was given",
                    where=name,
                    hint="leave out --encoding",
                )
            return "utf-8-sig", False
        return codec, False
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_eof)
    except UnicodeDecodeError as not_utf8:
        bad = not_utf8.start
    else:
        return "utf-8", False
    telltale = _UTF8_TELLTALE.search(head)
    if telltale is not None:
        raise InputError(
            f"the file mixes encodings: line {_line_of(head, telltale.start())} looks like "
            f"UTF-8, line {_line_of(head, bad)} does not",
            where=name,
            hint="save it again as 'CSV UTF-8'",
        )
    try:
        head.decode("cp1252")
    except UnicodeDecodeError as not_cp1252:
        byte = head[not_cp1252.start]
        raise InputError(
            f"byte 0x{byte:02X} is neither UTF-8 nor Windows-1252",
            where=place(name, _line_of(head, not_cp1252.start)),
            hint=_ENCODING_HINT,
        ) from None
    run = _HIGH_RUN.search(head)
    if run is not None:
        raise InputError(
            "the file is not UTF-8 and does not look like Windows-1252",
            where=place(name, _line_of(head, run.start())),
            hint=_ENCODING_HINT,
        )
    return "cp1252", True


def _find_bad_line(path: Path, encoding: str) -> tuple[int | None, int | None]:
    """Re-read the file in pieces to find the line (counting ``\\n``) and the byte that do
    not decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        with path.open("rb") as stream:
            for piece in iter(partial(stream.read, _MB), b""):
                try:
                    decoder.decode(piece)
                except UnicodeDecodeError as error:
                    data = bytes(error.object)  # the decoder's pending bytes and ``piece``
                    byte = data[error.start] if 0 <= error.start < len(data) else None
                    return line + data.count(b"\n", 0, max(error.start, 0)), byte
                line += piece.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return line, None  # the file ends inside a character
    except OSError:
        return None, None
    return None, None
