"""Charts as inline SVG strings, for the HTML reports: no scripts, no fonts, no network.

Every chart is a ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that lists the
numbers, so a screen reader reads the data. The numbers are also printed beside every bar,
and every bar carries its own label, so no legend has to be matched by colour.

Colours come from the Okabe–Ito palette (safe for the common colour-vision deficiencies) and
differ in lightness; the tones that could still be confused in greyscale also differ in
pattern (solid, dotted, hatched, cross-hatched). The patterns live in ``<defs>``: a page with
many charts includes ``pattern_defs()`` once and draws its charts with ``shared_defs=True``;
a chart drawn without it carries its own, with ids prefixed by its ``chart_id``.

The SVG has no ``xmlns`` attribute: it is meant to be inlined in an HTML5 page, whose parser
puts it in the SVG namespace (and the page then holds no URL at all).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Tone = Literal["good", "warn", "bad", "void", "plain"]

#: Tone -> (fill colour, pattern ink or None for a solid fill, what the pattern looks like).
TONES: dict[Tone, tuple[str, str | None, str]] = {
    "good": ("#0072B2", None, "solid dark blue"),
    "warn": ("#E69F00", "#000000", "dotted orange"),
    "bad": ("#D55E00", "#000000", "hatched vermilion"),
    "void": ("#DDDDDD", "#555555", "cross-hatched grey"),
    "plain": ("#56B4E9", None, "solid sky blue"),
}
SHARED_PREFIX = "mc"
WIDTH = 640
ROW = 26
BAR = 18
FONT = 13
CHAR = 7.8  # average advance of a 13px sans-serif character, for layout estimates
MAX_LABEL = 40
INK = "#1a1a1a"
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar (or one segment of a stacked bar)."""

    label: str
    value: int
    tone: Tone = "plain"
    note: str = ""  # printed after the number, e.g. "(3 unknown)"
    detail: str = ""  # a longer text, shown as the bar's tooltip and read by screen readers


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _width(text: str) -> float:
    return len(text) * CHAR


def _pattern(prefix: str, tone: Tone) -> str:
    colour, ink, _ = TONES[tone]
    pid = f"{prefix}-{tone}"
    if ink is None:
        return ""
    if tone == "warn":
        marks = f'<circle cx="3" cy="3" r="1.3" fill="{ink}" fill-opacity="0.55"/>'
        size, turn = 6, ""
    elif tone == "bad":
        marks = f'<rect width="2" height="6" fill="{ink}" fill-opacity="0.45"/>'
        size, turn = 6, ' patternTransform="rotate(45)"'
    else:
        marks = f'<path d="M0 0L6 6M6 0L0 6" stroke="{ink}" stroke-width="1" stroke-opacity="0.8"/>'
        size, turn = 6, ""
    return (
        f'<pattern id="{pid}" width="{size}" height="{size}" '
        f'patternUnits="userSpaceOnUse"{turn}>'
        f'<rect width="{size}" height="{size}" fill="{colour}"/>{marks}</pattern>'
    )


def _defs(prefix: str, tones: Sequence[Tone]) -> str:
    patterns = "".join(_pattern(prefix, tone) for tone in dict.fromkeys(tones))
    return f"<defs>{patterns}</defs>" if patterns else ""


def pattern_defs() -> str:
    """The shared patterns, once per page, for charts drawn with ``shared_defs=True``.

    A zero-size SVG (not ``display: none``, which would stop the patterns painting).
    """
    return (
        '<svg class="chart-defs" width="0" height="0" aria-hidden="true" focusable="false" '
        'style="position:absolute">' + _defs(SHARED_PREFIX, list(TONES)) + "</svg>"
    )


def _fill(prefix: str, tone: Tone) -> str:
    colour, ink, _ = TONES[tone]
    return colour if ink is None else f"url(#{prefix}-{tone})"


def tone_words(tone: Tone) -> str:
    """How a tone looks, in words (for keys beside a chart)."""
    return TONES[tone][2]


def _open(chart_id: str, width: int, height: int, title: str, desc: str, kind: str) -> str:
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"a chart id is a letter then letters, digits, - or _: {chart_id!r}")
    cid = chart_id
    return (
        f'<svg class="chart {kind}" id="{cid}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-size="{FONT}" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{cid}-title">{_e(title)}</title><desc id="{cid}-desc">{_e(desc)}</desc>'
    )


def reusable(chart: str, symbol_id: str) -> tuple[str, str]:
    """A chart drawn here, split so that a page with many equal charts draws it once.

    Returns ``(symbol, short)``: ``symbol`` is a zero-size SVG holding the chart's drawing as
    a ``<symbol>`` with id ``symbol_id``, to be placed once anywhere in the page; ``short`` is
    the chart itself (its id, title and description, so it reads the same) drawing the
    symbol with ``<use>``. The chart must use the shared patterns (``shared_defs=True``).
    """
    if not _CHART_ID.match(symbol_id):
        raise ValueError(f"a symbol id is a letter then letters, digits, - or _: {symbol_id!r}")
    head, _, body = chart.partition("</desc>")
    view_box = re.search(r' viewBox="([^"]*)"', head)
    if not body.endswith("</svg>") or view_box is None:
        raise ValueError("not a chart drawn by svg_charts")
    symbol = (
        '<svg class="chart-defs" width="0" height="0" aria-hidden="true" focusable="false" '
        f'style="position:absolute"><symbol id="{symbol_id}" viewBox="{view_box.group(1)}">'
        f"{body.removesuffix('</svg>')}</symbol></svg>"
    )
    return symbol, f'{head}</desc><use href="#{symbol_id}"/></svg>'


def _value_text(bar: Bar) -> str:
    return f"{bar.value:,}" + (f" {bar.note}" if bar.note else "")


def describe(bars: Sequence[Bar]) -> str:
    """The chart's data in words: 'eligible: 12; incomplete: 3 (2 unknown)'."""
    return "; ".join(f"{bar.label}: {_value_text(bar)}" for bar in bars) or "no data"


def _empty(chart_id: str, title: str, kind: str) -> str:
    message = "No data to chart."
    return (
        _open(chart_id, WIDTH, ROW + 8, title, message, kind)
        + f'<text x="4" y="{ROW - 4}" fill="{INK}">{message}</text></svg>'
    )


def bar_chart(
    chart_id: str,
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    shared_defs: bool = False,
    width: int = WIDTH,
) -> str:
    """A horizontal bar chart: each bar's label on its left, its number on its right.

    Bars are scaled to the largest value; a zero draws no bar but still prints "0". Labels
    longer than 40 characters are shortened with "…" (the full label stays in the bar's
    tooltip and in the chart's description).
    """
    if not bars:
        return _empty(chart_id, title, "bars")
    prefix = SHARED_PREFIX if shared_defs else chart_id
    labels = [_short(bar.label) for bar in bars]
    label_room = min(max(_width(label) for label in labels) + 12, width * 0.45)
    value_room = max(_width(_value_text(bar)) for bar in bars) + 12
    span = max(width - label_room - value_room, 40)
    top = max(bar.value for bar in bars)
    height = ROW * len(bars) + 6
    desc = description + (" " if description else "") + describe(bars)
    parts = [_open(chart_id, width, height, title, desc, "bars")]
    if not shared_defs:
        parts.append(_defs(prefix, [bar.tone for bar in bars]))
    for index, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        y = index * ROW + 4
        length = span * bar.value / top if top > 0 else 0.0
        if bar.value > 0:
            length = max(length, 2.0)  # a small count stays visible
        tip = bar.detail or bar.label
        parts.append(
            f'<g class="bar" data-value="{bar.value}"><title>{_e(tip)}: {_e(_value_text(bar))}'
            f"</title>"
            f'<text x="{label_room - 8:.1f}" y="{y + BAR - 4}" text-anchor="end" '
            f'fill="{INK}">{_e(label)}</text>'
            f'<rect x="{label_room:.1f}" y="{y}" width="{length:.1f}" height="{BAR}" '
            f'fill="{_fill(prefix, bar.tone)}" stroke="#333333" stroke-width="0.6"/>'
            f'<text class="value" x="{label_room + length + 6:.1f}" y="{y + BAR - 4}" '
            f'fill="{INK}" font-weight="bold">{_e(_value_text(bar))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(
    chart_id: str,
    segments: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    shared_defs: bool = False,
    width: int = WIDTH,
    beside: int = 0,
) -> str:
    """One bar split into segments (met, unknown, not met...), with a labelled key beneath.

    Each segment's number is printed inside it when it fits; every segment's label and
    number are printed in the key, beside a swatch of its fill, whatever its size. With
    ``beside`` (a length under ``width``), the bar is that long and its key follows it on
    the same line (wrapping beside it if need be), for a chart one line high.
    """
    total = sum(segment.value for segment in segments)
    if not segments or total <= 0:
        return _empty(chart_id, title, "stacked")
    prefix = SHARED_PREFIX if shared_defs else chart_id
    beside = beside if 0 < beside < width else 0
    key_left = beside + 12 if beside else 0
    key_top = 0 if beside else BAR + 8
    key_rows: list[list[tuple[Bar, float]]] = [[]]
    x = float(key_left)
    for segment in segments:
        room = 22 + _width(f"{segment.label}: {_value_text(segment)}") + 16
        if x + room > width and key_rows[-1]:
            key_rows.append([])
            x = float(key_left)
        key_rows[-1].append((segment, x))
        x += room
    height = max(key_top + ROW * len(key_rows), BAR + 8)
    desc = description + (" " if description else "") + describe(segments)
    parts = [_open(chart_id, width, height, title, desc, "stacked")]
    if not shared_defs:
        parts.append(_defs(prefix, [segment.tone for segment in segments]))
    x = 0.0
    span = (beside or width) - 2
    bars: list[str] = []
    numbers: list[str] = []
    for segment in segments:
        length = span * segment.value / total
        if segment.value > 0:
            bars.append(
                f'<rect class="segment" data-value="{segment.value}" x="{x + 1:.1f}" y="1" '
                f'width="{length:.1f}" height="{BAR}" fill="{_fill(prefix, segment.tone)}"/>'
            )
            if _width(f"{segment.value:,}") + 6 <= length:
                numbers.append(
                    f'<text x="{x + length / 2:.1f}" y="{BAR - 4}">{segment.value:,}</text>'
                )
        x += length
    swatches: list[str] = []
    keys: list[str] = []
    for row, entries in enumerate(key_rows):
        y = key_top + row * ROW
        for segment, at in entries:
            swatches.append(
                f'<rect x="{at + 1:.1f}" y="{y + 2}" width="16" height="14" '
                f'fill="{_fill(prefix, segment.tone)}"/>'
            )
            keys.append(
                f'<text x="{at + 22:.1f}" y="{y + 14}">{_e(segment.label)}: '
                f'<tspan font-weight="bold">{_e(_value_text(segment))}</tspan></text>'
            )
    parts += [
        f'<g stroke="#333333" stroke-width="0.6">{"".join(bars)}{"".join(swatches)}</g>',
        f'<g class="numbers" text-anchor="middle" fill="{INK}" font-weight="bold" '
        f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{"".join(numbers)}</g>',
        f'<g class="key" fill="{INK}">{"".join(keys)}</g>',
    ]
    parts.append("</svg>")
    return "".join(parts)
