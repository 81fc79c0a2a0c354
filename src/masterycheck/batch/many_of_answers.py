"""Split a many-of answer (several options ticked in one cell) into the options it names:
``split_many``, for Microsoft Forms (``KS3;KS4;``) and Google Forms (``KS3, KS4``) exports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal


def split_many(
    text: str, options: Sequence[str], style: Literal["semicolon", "comma"]
) -> tuple[list[str], list[str]]:
    """Split a many-of answer into (matched option texts, unmatched leftover parts).

    ``"semicolon"`` is Microsoft Forms (``KS3;KS4;``: the one trailing ``;`` is dropped);
    ``"comma"`` is Google Forms (``KS3, KS4``). In both, options are matched greedily, longest
    first, at part boundaries, so an option may itself contain the separator
    (``"Yes, I hold QTS"``). Matching ignores case and surrounding spaces and returns the
    option as given in ``options``. Text that matches no option is cut at the separators and
    returned stripped, in order, as leftovers (e.g. an "Other" answer); empty parts are skipped.
    Duplicates are kept.
    """
    separator = ";" if style == "semicolon" else ","
    rest = text.strip()
    if style == "semicolon" and rest.endswith(";"):
        rest = rest[:-1]
    choices = sorted(
        {option.strip(): None for option in options if option.strip()}, key=len, reverse=True
    )
    folded = [(choice, choice.casefold()) for choice in choices]
    matched: list[str] = []
    leftovers: list[str] = []
    size = len(rest)
    at = 0
    while at < size:
        while at < size and rest[at].isspace():
            at += 1
        if at >= size:
            break
        for choice, key in folded:
            end = at + len(choice)
            if rest[at:end].casefold() != key:
                continue
            after = end
            while after < size and rest[after].isspace():
                after += 1
            if after == size or rest[after] == separator:
                matched.append(choice)
                at = after + 1
                break
        else:
            cut = rest.find(separator, at)
            if cut < 0:
                cut = size
            part = rest[at:cut].strip()
            if part:
                leftovers.append(part)
            at = cut + 1
    return matched, leftovers
