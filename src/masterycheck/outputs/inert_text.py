"""Text that shows what it holds and makes no device obey it: the one list of characters a
terminal would obey or that reorder what is shown (C0 but newline and tab, DEL, C1, the
bidirectional controls), and the ways of neutralising them.

* ``inert`` and ``one_line`` replace them with visible stand-ins of the same length (ESC as ␛),
  for the terminal and for error lines; ``outputs.terminal`` applies them inside rich.
* ``escape_json_controls`` writes the ones ``json.dumps(ensure_ascii=False)`` leaves raw as
  ``\\u`` escapes, which mean the same inside a JSON string or a YAML double-quoted scalar, so
  JSON, JSON Lines and YAML written by us stay one record per line and inert on a terminal.

No rich here: writers that only need these import nothing heavy.
"""

from __future__ import annotations

import re

__all__ = ["escape_json_controls", "inert", "one_line"]

#: Controls beyond C0 (which JSON escapes itself): DEL, C1, the line and paragraph separators,
#: the bidirectional controls and the byte order mark.
_BIDI_CODES = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
_RAW_CODES = (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *_BIDI_CODES, 0xFEFF)
_REPLACEMENT = "\ufffd"


def _table(*, keep_breaks: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):  # C0 controls shown as their control pictures: ESC is ␛
        table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"  # DEL: ␡
    for code in range(0x80, 0xA0):  # C1 controls (CSI is U+009B): no picture exists
        table[code] = _REPLACEMENT
    for code in _BIDI_CODES:
        table[code] = _REPLACEMENT  # bidirectional controls that reorder the shown text
    if keep_breaks:
        del table[ord("\n")]
        del table[ord("\t")]
    return table


_MULTI_LINE = _table(keep_breaks=True)
_ONE_LINE = _table(keep_breaks=False)
_ONE_LINE[ord("\t")] = " "


def inert(text: str) -> str:
    """``text`` with every control character but newline and tab made visible (ESC as ␛).

    The result has the same length as ``text``, so styles laid over it stay in place.
    """
    return text.translate(_MULTI_LINE)


def one_line(text: str) -> str:
    """``text`` as one inert line: line breaks are shown as ␊/␍, tabs become spaces."""
    return text.translate(_ONE_LINE)


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _RAW_CODES}
_JSON_RAW = re.compile("[" + "".join(map(chr, _RAW_CODES)) + "]")


def escape_json_controls(text: str) -> str:
    """JSON (or a YAML double-quoted scalar) with DEL, C1, line separators, bidirectional
    controls and BOM written as ``\\u`` escapes; ``text`` itself if it has none (the usual
    case, found with one regular-expression search)."""
    if _JSON_RAW.search(text):
        return text.translate(_JSON_ESCAPES)
    return text
