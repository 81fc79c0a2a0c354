"""The self-check page a Maths Hub can publish: one HTML file, the same rules in any browser.

``build_page`` writes the page; ``page_data`` is the data it embeds, generated from the
compiled criteria; ``evaluator.js`` (package data) gives that data the engine's semantics.
"""

from masterycheck.reporters.self_check_page.data import page_data
from masterycheck.reporters.self_check_page.page import asset, build_page, content_security_policy

__all__ = ["asset", "build_page", "content_security_policy", "page_data"]
