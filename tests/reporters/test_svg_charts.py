"""Inline SVG charts: numbers printed, labels escaped, zero and empty data, accessible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from masterycheck.reporters.svg_charts import (
    TONES,
    Bar,
    bar_chart,
    pattern_defs,
    stacked_bar,
)

BARS = [
    Bar("eligible", 37, "good"),
    Bar("incomplete", 9, "warn", note="(2 unknown)"),
    Bar("not eligible", 1234, "bad"),
    Bar("invalid", 2, "void"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # also proves the SVG is well-formed


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter("text")]


def test_every_value_is_printed_beside_its_bar_and_in_the_description() -> None:
    root = parse(bar_chart("verdicts", BARS, title="Verdicts"))
    values = [
        "".join(node.itertext()) for node in root.iter("text") if node.get("class") == "value"
    ]
    assert values == ["37", "9 (2 unknown)", "1,234", "2"]
    assert [g.get("data-value") for g in root.iter("g")] == ["37", "9", "1234", "2"]
    desc = root.find("desc")
    assert desc is not None
    assert desc.text == "eligible: 37; incomplete: 9 (2 unknown); not eligible: 1,234; invalid: 2"


def test_the_chart_is_an_accessible_image() -> None:
    root = parse(
        bar_chart("verdicts", BARS, title="Verdicts of 60 rows", description="By verdict.")
    )
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "verdicts-title verdicts-desc"
    title = root.find("title")
    assert title is not None and title.get("id") == "verdicts-title"
    assert title.text == "Verdicts of 60 rows"
    assert root.get("xmlns") is None  # inline in HTML5: no namespace URL in the page


def test_bars_are_scaled_to_the_largest_value() -> None:
    root = parse(bar_chart("c", [Bar("a", 10), Bar("b", 5), Bar("c", 0)], title="t"))
    widths = [float(rect.get("width", "")) for rect in root.iter("rect")]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[2] == 0


def test_a_small_count_stays_visible() -> None:
    root = parse(bar_chart("c", [Bar("a", 100_000), Bar("b", 1)], title="t"))
    assert float(list(root.iter("rect"))[1].get("width", "")) >= 2


def test_labels_notes_and_titles_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & <b>'
    svg = bar_chart(
        "c", [Bar(hostile, 3, note=hostile, detail=hostile)], title=hostile, description=hostile
    )
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert hostile in texts(root)
    assert f"3 {hostile}" in texts(root)
    assert root.find("title") is not None and root.findtext("title") == hostile


def test_long_labels_are_shortened_but_kept_in_full_in_the_tooltip() -> None:
    label = "headteacher_understands_commitment_and_a_good_deal_more_besides"
    root = parse(bar_chart("c", [Bar(label, 1)], title="t"))
    assert texts(root)[0].endswith("…") and len(texts(root)[0]) == 40
    group = root.find("g")
    assert group is not None and (group.findtext("title") or "").startswith(label)


def test_all_zero_values_draw_no_bars_but_print_zeros() -> None:
    root = parse(bar_chart("c", [Bar("a", 0), Bar("b", 0)], title="t"))
    assert [rect.get("width") for rect in root.iter("rect")] == ["0.0", "0.0"]
    assert [t for t in texts(root) if t in {"0"}] == ["0", "0"]


@pytest.mark.parametrize("draw", [bar_chart, stacked_bar])
def test_empty_data_says_so(draw: object) -> None:
    assert callable(draw)
    root = parse(draw("c", [], title="Nothing"))
    assert root.get("role") == "img"
    assert texts(root) == ["No data to chart."]
    assert root.findtext("desc") == "No data to chart."


def test_a_stacked_bar_of_zeros_is_empty() -> None:
    root = parse(stacked_bar("c", [Bar("met", 0), Bar("unknown", 0)], title="t"))
    assert texts(root) == ["No data to chart."]


def test_stacked_bar_prints_every_segment_in_its_key() -> None:
    segments = [Bar("met", 5, "good"), Bar("unknown", 1, "warn"), Bar("not met", 0, "bad")]
    root = parse(stacked_bar("score", segments, title="Score"))
    drawn = [r.get("data-value") for r in root.iter("rect") if r.get("class") == "segment"]
    assert drawn == ["5", "1"]  # a zero draws nothing, but stays in the key
    keys = texts(root)
    assert "met: 5" in keys and "unknown: 1" in keys and "not met: 0" in keys
    assert "5" in keys  # printed inside its segment, which is wide enough


def test_tones_differ_in_pattern_or_lightness() -> None:
    root = parse(bar_chart("c", BARS, title="t"))
    fills = [rect.get("fill") for rect in root.iter("rect") if rect.get("height") == "18"]
    assert fills == ["#0072B2", "url(#c-warn)", "url(#c-bad)", "url(#c-void)"]
    patterns = {p.get("id") for p in root.iter("pattern")}
    assert patterns == {"c-warn", "c-bad", "c-void"}
    assert len({colour for colour, _, _ in TONES.values()}) == len(TONES)


def test_shared_patterns_are_defined_once_per_page() -> None:
    svg = bar_chart("c", BARS, title="t", shared_defs=True)
    assert "<defs>" not in svg and "url(#mc-bad)" in svg
    defs = parse(pattern_defs())
    assert {p.get("id") for p in defs.iter("pattern")} >= {"mc-warn", "mc-bad", "mc-void"}
    assert "display" not in (defs.get("style") or "")  # display:none would hide the patterns


def test_no_url_other_than_a_fragment() -> None:
    svg = bar_chart("c", BARS, title="t") + stacked_bar("s", BARS, title="t") + pattern_defs()
    assert "http" not in svg
    assert all(target.startswith("#") for target in re.findall(r"url\(([^)]*)\)", svg))


def test_a_chart_id_must_be_a_plain_identifier() -> None:
    with pytest.raises(ValueError, match="chart id"):
        bar_chart('x" onload="alert(1)', BARS, title="t")
