"""The page both HTML reports are built on: escaping, the stylesheet, the page's head and foot.

The stylesheet (screen and print: A4 with 15 mm margins, every card starting on a new page) is
package data, ``html_assets/report.css``, read once through ``importlib.resources`` so that it
is found in a wheel as in a source checkout. It is inlined in the page: the page holds no URL,
and its Content-Security-Policy forbids any request anyway.
"""

from __future__ import annotations

import html
from functools import cache
from importlib.resources import files

from masterycheck.reporters.svg_charts import pattern_defs

ASSETS = "html_assets"


@cache
def asset(name: str) -> str:
    """The text of a static file of the HTML reports (``html_assets/<name>``), read once."""
    folder = files("masterycheck.reporters").joinpath(ASSETS)
    return folder.joinpath(name).read_text(encoding="utf-8")


#: The reports' stylesheet, as it goes between ``<style>`` and ``</style>``.
STYLE = asset("report.css").strip()


def e(text: object) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def page_head(title: str, *, style: str = STYLE) -> str:
    """The start of a page, up to and including the opening ``<body>`` and the chart patterns."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # Nothing may be fetched: no scripts, no fonts, no images from anywhere.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:\">",
            f"<title>{e(title)}</title>",
            f"<style>\n{style}\n</style>",
            "</head>",
            "<body>",
            pattern_defs(),
        ]
    )


PAGE_FOOT = "</body>\n</html>\n"

__all__ = ["PAGE_FOOT", "STYLE", "asset", "e", "page_head"]
