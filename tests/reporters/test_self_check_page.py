"""The self-check page (``masterycheck page``): the file, its policy, its data, the command.

This module also holds what the differential tests share (``test_self_check_page_node.py``
runs the evaluator in node, ``test_self_check_page_browser.py`` the page in Chromium): the
profile strategies, the Python engine's answer for a fragment, and the comparison.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.cli.check import best_fit_first
from masterycheck.core.answers import DateRange
from masterycheck.core.engine import CompiledProgramme, assess
from masterycheck.core.fields import Catalogue, Field, FieldType
from masterycheck.core.fit import mark_fit, split_by_fit
from masterycheck.core.interview_plan import (
    Question,
    next_question,
    programme_sources,
    ruled_out,
    screening_question,
)
from masterycheck.core.profile import Profile, read_profile
from masterycheck.core.vocabulary import Verdict
from masterycheck.errors import ExitCode
from masterycheck.files.criteria import load_all_programmes, load_catalogue, programme_files
from masterycheck.reporters.self_check_page import asset, build_page, page_data
from masterycheck.reporters.self_check_page.page import csp_hash

ROOT = Path(__file__).resolve().parents[2]
OVERLAY = ROOT / "examples" / "overlay-yorkshire-humber.yaml"
SIZE_LIMIT = 150 * 1024
runner = CliRunner()


# --- shared: programmes, profiles, the engine's answer ---------------------------------------


@functools.cache
def _compiled() -> tuple[CompiledProgramme, ...]:
    return tuple(load_all_programmes(load_catalogue()))


def programmes() -> list[CompiledProgramme]:
    """Every bundled programme, compiled (as the page is built from them), loaded once."""
    return list(_compiled())


def the_page(compiled: Sequence[CompiledProgramme] | None = None) -> str:
    """The page for ``compiled`` (default: every programme)."""
    return build_page(compiled or programmes(), generated=dt.date(2026, 3, 1))


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _dates(compiled: CompiledProgramme) -> st.SearchStrategy[str]:
    """Dates as a profile gives them, most of them near the day a criterion turns on:
    N years before a date derived values are counted to, give or take a few days."""
    anchors = [day for _, day in compiled.counted_to] or [compiled.programme.reference_date]
    near = st.builds(
        lambda anchor, years, shift: _years_back(anchor, years) + dt.timedelta(days=shift),
        st.sampled_from(anchors),
        st.integers(0, 4),
        st.integers(-40, 40),
    )
    anywhere = st.dates(dt.date(1990, 1, 1), dt.date(2027, 12, 31))
    day = st.one_of(near, near, anywhere, st.just(dt.date(2024, 2, 29)))
    return st.one_of(
        day.map(lambda d: d.isoformat()),
        day.map(lambda d: f"{d.year}-{d.month:02d}"),
        day.map(lambda d: str(d.year)),
        day.map(lambda d: f"{d.year}/{(d.year + 1) % 100:02d}"),
    )


def _value(field: Field, compiled: CompiledProgramme) -> st.SearchStrategy[str]:
    """A valid answer to ``field`` as the fragment carries it, or "" (don't know)."""
    if field.type is FieldType.YES_NO:
        answer = st.sampled_from(["yes", "no"])
    elif field.type is FieldType.ONE_OF:
        answer = st.sampled_from(field.choice_ids)
    elif field.type is FieldType.MANY_OF:
        answer = st.lists(
            st.sampled_from(field.choice_ids), min_size=1, max_size=4, unique=True
        ).map(",".join)
    elif field.type is FieldType.WHOLE_NUMBER:
        low = field.minimum if field.minimum is not None else 0
        high = field.maximum if field.maximum is not None else 60
        answer = st.one_of(st.integers(low, min(high, 8)), st.integers(low, high)).map(str)
    elif field.type is FieldType.DATE:
        answer = _dates(compiled)
    else:
        answer = st.text("abc", min_size=1, max_size=3)
    return st.one_of(answer, answer, answer, st.just(""))


def _fields_of(compiled: CompiledProgramme) -> list[Field]:
    """The answerable fields the programme reads, those under ``unless`` and the opening
    questions included."""
    catalogue = compiled.catalogue
    names = dict.fromkeys(programme_sources(compiled))
    for criterion in compiled.criteria:
        for name in (*criterion.rule.fields, *(criterion.hub.fields if criterion.hub else ())):
            field = catalogue.by_id[name]
            names.setdefault(field.derived.years_since if field.derived else name)
    names.update(dict.fromkeys(q.field for q in catalogue.opening_questions))
    return [catalogue.by_id[name] for name in names]


def _plain(value: object) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


@st.composite
def fragments(draw: st.DrawFn, compiled: CompiledProgramme) -> str:
    """A URL fragment of answers to ``compiled``'s questions, in any order: either any of
    them (some unasked, some "don't know"), or one of the programme file's example
    candidates with a few answers changed or dropped, so that eligible teachers and the
    cases next to them are as common as the rest."""
    fields = _fields_of(compiled)
    answers: dict[str, str] = {}
    examples = compiled.programme.examples
    from_example: bool = draw(st.booleans())
    if examples and from_example:
        eligible = [e for e in examples if e.expect is Verdict.ELIGIBLE] or examples
        example = draw(st.one_of(st.sampled_from(eligible), st.sampled_from(examples)))
        answers = {name: _plain(value) for name, value in example.profile.items()}
        for name in draw(st.lists(st.sampled_from(sorted(answers)), max_size=1)):
            del answers[name]
        changed = draw(st.lists(st.sampled_from(fields), max_size=2, unique_by=lambda f: f.id))
    else:
        changed = draw(st.lists(st.sampled_from(fields), unique_by=lambda f: f.id))
    for field in changed:
        answers[field.id] = draw(_value(field, compiled))
    pairs = draw(st.permutations(list(answers.items())))
    return "&".join(f"{name}={quote(value, safe=',')}" for name, value in pairs)


def collect(strategy: st.SearchStrategy[str], count: int, seed_value: int) -> list[str]:
    """``count`` examples of ``strategy``, drawn by hypothesis (to evaluate in one batch)."""
    found: list[str] = []

    @seed(seed_value)
    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def draw(example: str) -> None:
        found.append(example)

    draw()
    return found[:count]


@functools.cache
def _sample(count: int) -> tuple[str, ...]:
    compiled = programmes()
    cases = list(EDGE_CASES)
    for index, programme in enumerate(compiled):
        cases += collect(fragments(programme), count, seed_value=index)
    return tuple(cases)


def sample(count: int) -> list[str]:
    """``count`` generated fragments per programme (the same each run), and the page's own
    edge cases."""
    return list(_sample(count))


EDGE_CASES = [
    "",
    "qualified_status=qtls&school_type=primary&teaches_same_class_maths=yes",  # hub to confirm
    "qualified_status=qts&qts_date=2023-06-12&school_type=secondary&state_funded=yes"
    "&in_england=yes&key_stages_taught=ks3",  # two years to the day at secondary's closing
    "qualified_status=qts&qts_date=2023-06-13&school_type=secondary",  # a day short: hub
    "qualified_status=qts&qts_date=2023-09-02&school_type=secondary",  # short by the start too
    "qualified_status=qts&qts_date=2023&school_type=middle",  # a year: imprecise
    "qts_date=2011-12",  # the academic year 2011/12
    "school_type=middle&key_stages_taught=ks3&teaches_same_class_maths=yes",
    "employment_basis=long_term_supply&school_type=primary&teaches_same_class_maths=yes",
    "school_type=fe_college&post16_maths_taught=gcse_resit&in_england=no",
    "qts_date=2019-02-30&years_teaching_maths=99&school_type=nowhere&nonsense=1",  # unreadable
]


def pairs_of(fragment: str) -> list[tuple[str, str]]:
    """The (field, answer) pairs of a fragment, as the page reads it."""
    from urllib.parse import unquote

    found = []
    for pair in fragment.lstrip("#").split("&"):
        if pair:
            name, _, value = pair.partition("=")
            found.append((unquote(name), unquote(value)))
    return found


def engine_profile(catalogue: Catalogue, fragment: str) -> tuple[Profile, list[str]]:
    """The profile the engine reads from a fragment's answers, and the fields asked; an
    answer that cannot be read is unknown, as ``check --lenient`` reads it."""
    raw: dict[str, str] = {}
    for name, value in pairs_of(fragment):
        field = catalogue.get(name)
        if field is not None and field.derived is None:
            raw.pop(name, None)
            raw[name] = value
    profile = read_profile(catalogue, raw, lenient=True)
    return profile, list(raw)


def page_question(
    compiled: Sequence[CompiledProgramme], profile: Profile, asked: list[str]
) -> Question | None:
    """The page's next question, composed from the interview's functions: where you teach
    first, then the next question for the programmes your setting does not rule out (phase
    first) and, of those, the ones no answer has ruled out (all of them when every one is)."""
    fitting, _ = split_by_fit(list(compiled), profile)
    active = [p for p in fitting if not ruled_out(p, profile)] or fitting
    question = screening_question(active, profile, asked) if len(compiled) > 1 else None
    return question or next_question(active, profile, asked)


Record = dict[str, Any]
_ENGINE_RECORDS: dict[tuple[tuple[str, ...], str, dt.date], Record] = {}  # shared by the tests


def engine_record(compiled: Sequence[CompiledProgramme], fragment: str, today: dt.date) -> Record:
    """What the Python engine concludes for a fragment, in the shape the page reports it."""
    catalogue = compiled[0].catalogue
    profile, asked = engine_profile(catalogue, fragment)
    assessments = mark_fit([(p, assess(p, profile, today)) for p in compiled], profile)
    question = page_question(compiled, profile, asked)
    return {
        "fit": [a.programme for a in best_fit_first(assessments)],
        "next": question.field.id if question else "",
        "programmes": {
            a.programme: {
                "verdict": a.verdict.value,
                "not_for_you": a.not_for_you or "",
                "criteria": {
                    r.id: [r.outcome.value, "yes" if r.hub_to_confirm else "no"] for r in a.criteria
                },
                "score": [
                    a.desirable.met,
                    a.desirable.not_met,
                    a.desirable.unknown,
                    a.desirable.total,
                    a.desirable.self_declared,
                    a.desirable.percent,
                ],
                "path": [[s.kind, s.criteria, s.fields] for s in a.path_to_eligibility],
                "window": a.window.state,
            }
            for a in assessments
        },
    }


def disagreements(
    compiled: Sequence[CompiledProgramme],
    cases: Sequence[str],
    page_records: Sequence[Record],
    today: dt.date,
) -> list[str]:
    """Every case where the page's record differs from the engine's, with the fragment."""
    assert len(page_records) == len(cases)
    found = []
    for fragment, record in zip(cases, page_records, strict=True):
        key = (tuple(p.programme.id for p in compiled), fragment, today)
        if key not in _ENGINE_RECORDS:
            _ENGINE_RECORDS[key] = engine_record(compiled, fragment, today)
        expected = _ENGINE_RECORDS[key]
        if record != expected:
            found.append(f"#{fragment}\n  page:   {record}\n  engine: {expected}")
    return found


def profile_round_trips(catalogue: Catalogue, fragment: str, saved: str, tmp: Path) -> None:
    """The profile the page saves reads back, with ``check``'s own reader, to the answers
    the engine reads from the fragment."""
    from masterycheck.files.criteria import load_profile

    path = tmp / "saved.yaml"
    path.write_text(saved, encoding="utf-8")
    expected, _ = engine_profile(catalogue, fragment)
    assert load_profile(path, catalogue).answers == expected.answers, saved


# --- the page as a file -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return the_page()


def _csp(page: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert found is not None
    return html.unescape(found.group(1))


def _inline(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)


def test_the_page_for_all_three_programmes_is_under_150_kb(page: str) -> None:
    assert len(page.encode("utf-8")) < SIZE_LIMIT
    assert {p.programme.id for p in programmes()} == {"primary", "secondary", "post16"}


def test_the_policy_allows_exactly_the_inline_script_and_style(page: str) -> None:
    policy = _csp(page)
    scripts, styles = _inline(page, "script"), _inline(page, "style")
    assert len(scripts) == 1 and len(styles) == 1
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == csp_hash(scripts[0])
    assert directives["style-src"] == csp_hash(styles[0])
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["form-action"] == "'none'"


def test_the_scripts_neither_eval_nor_store_nor_fetch_nor_write_html() -> None:
    code = asset("evaluator.js") + asset("ui.js")
    for forbidden in (
        "eval(",
        "Function(",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "sendBeacon",
        "localStorage",
        "sessionStorage",
        "indexedDB",
        "cookie",
        "http:",
        "https:",
    ):
        assert forbidden not in code, forbidden


def test_nothing_in_the_page_refers_to_another_address(page: str) -> None:
    attributes = re.findall(r'\s(src|href|action|srcset|data|poster)="([^"]*)"', page)
    assert [(name, value) for name, value in attributes if not value.startswith("#")] == []
    assert re.findall(r"url\((?!\s*['\"]?data:)", page) == []
    assert "@import" not in page


def test_without_javascript_every_criterion_is_listed_with_its_published_wording(
    page: str,
) -> None:
    text = html.unescape(re.sub(r"\s+", " ", page))
    for compiled in programmes():
        for criterion in compiled.criteria:
            wording = " ".join(criterion.criterion.text.split())
            assert f'data-criterion="{criterion.criterion.id}"' in page
            assert wording in text, wording
    assert "How to check by hand" in text
    assert '<html lang="en-GB" class="no-js">' in page


def test_the_embedded_data_is_generated_from_the_compiled_criteria(page: str) -> None:
    block = re.search(r'<script type="application/json" id="mc-data">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    compiled = programmes()
    assert data["programmes"] == page_data(compiled)["programmes"]
    primary = next(p for p in data["programmes"] if p["id"] == "primary")
    qts = next(c for c in primary["criteria"] if c["id"] == "qts")
    assert qts["rule"] == {"f": "qualified_status", "op": "equals", "v": "qts"}
    secondary = next(p for p in data["programmes"] if p["id"] == "secondary")
    assert ["years_of_qts_at_closing", "qts_date", "2025-06-12"] in secondary["derived"]
    employed = next(c for c in primary["criteria"] if c["id"] == "employed_primary_teaching_class")
    assert len(employed["hub"]) == 3  # each case with its own note
    assert {"unless": {"f": "in_england", "op": "equals", "v": False}} in employed["rule"]["all"]


def test_criteria_text_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script> & <b>bold</b> \u2028"
    overlay = tmp_path / "hostile.yaml"
    text = re.sub(
        r"text: >-\n\s+A school in one of.*?Lincolnshire\)",
        lambda _: f"text: {json.dumps(hostile)}",
        OVERLAY.read_text(encoding="utf-8"),
        flags=re.S,
    )
    assert hostile[:9] in text
    overlay.write_text(text, encoding="utf-8")
    target = tmp_path / "page.html"
    result = runner.invoke(app, ["page", "primary", "--overlay", str(overlay), "-o", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.count("<script") == 2 and text.count("</script>") == 2
    assert "<b>bold</b>" not in page and "\u2028" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # shown as text in the no-JS list
    assert "\\u003c/script\\u003e" in page  # and escaped in the data


# --- the command ------------------------------------------------------------------------------


def test_page_writes_one_file_for_every_programme(tmp_path: Path) -> None:
    target = tmp_path / "checker.html"
    result = runner.invoke(app, ["page", "-o", str(target)])
    assert result.exit_code == ExitCode.OK, result.output
    text = target.read_text(encoding="utf-8")
    for path in programme_files():
        assert f'data-programme="{path.stem}"' in text
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert "Wrote" in result.output and "KB" in result.output


def test_page_for_one_programme_holds_only_that_one(tmp_path: Path) -> None:
    target = tmp_path / "primary.html"
    result = runner.invoke(app, ["page", "primary", "-o", str(target)])
    assert result.exit_code == ExitCode.OK, result.output
    text = target.read_text(encoding="utf-8")
    assert 'data-programme="primary"' in text and 'data-programme="secondary"' not in text
    assert "<title>Primary Mastery Specialist Programme: am I eligible?</title>" in text


def test_page_with_an_overlay_shows_the_hubs_criteria_apart(tmp_path: Path) -> None:
    target = tmp_path / "hub.html"
    result = runner.invoke(app, ["page", "--overlay", str(OVERLAY), "-o", str(target)])
    assert result.exit_code == ExitCode.OK, result.output
    text = html.unescape(target.read_text(encoding="utf-8"))
    assert "(added by overlay:" in text


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["page"], "masterycheck: error: --output: give the page to write with -o FILE.html"),
        (["page", "-o", "x.txt"], "masterycheck: error: --output: the page must end in .html"),
        (["page", "nowhere", "-o", "x.html"], "masterycheck: error: unknown programme 'nowhere'"),
        (["page", "primary", "primary", "-o", "x.html"], "masterycheck: error: a programme is"),
        (
            ["page", "-o", "/dev/stdout.html"],
            "masterycheck: error: /dev/stdout.html: refusing to write into the system folders",
        ),
    ],
)
def test_page_refuses_bad_input_in_one_line(args: list[str], first_line: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.BAD_INPUT
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(first_line), result.output


def test_page_never_writes_over_a_criteria_file(tmp_path: Path) -> None:
    programme = tmp_path / "mine.html"
    original = (ROOT / "criteria" / "primary.yaml").read_text(encoding="utf-8")
    programme.write_text(original, encoding="utf-8")
    result = runner.invoke(app, ["page", str(programme), "-o", str(programme)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "refusing to overwrite the input file mine.html" in result.output
    assert programme.read_text(encoding="utf-8") == original


def test_page_refuses_an_overlay_for_another_named_programme(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["page", "secondary", "--overlay", str(OVERLAY), "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == ExitCode.BAD_INPUT
    assert re.match(
        r"masterycheck: error: .*overlay-yorkshire-humber\.yaml:\d+:\d+: the overlay "
        r"is for primary, not secondary",
        result.output,
    ), result.output
    assert not (tmp_path / "x.html").exists()


def test_the_generated_fragments_cover_every_programmes_questions() -> None:
    """The differential's generator reaches every field a programme reads."""
    for compiled in programmes():
        names = {field.id for field in _fields_of(compiled)}
        assert set(programme_sources(compiled)) <= names
    assert isinstance(DateRange, type)


Fetch = Callable[[Sequence[str]], list[Record]]
ENV_FULL = "MASTERYCHECK_FULL_DIFFERENTIAL"


def differential_size(normal: int) -> int:
    """Profiles per programme: ``normal``, or 1,000 with MASTERYCHECK_FULL_DIFFERENTIAL=1."""
    return 1000 if os.environ.get(ENV_FULL) else normal
