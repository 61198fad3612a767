"""Property-based fuzzing (hypothesis) of what editors' text goes through: the loader, the
validator, the description checker and sanitiser, the search index's file names, and the build
itself. No input may raise (every problem is a report), and whatever passes check builds.

Kept small so the suite stays fast; ``bench/fuzz.py`` runs the same properties far longer
(``LIFELONG_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import string
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.catalogue.loader import parse_source
from lifelong.catalogue.problems import CatalogueError, Problem
from lifelong.catalogue.schema import load_rules
from lifelong.catalogue.validate import EntryValidator
from lifelong.site.markup import BodyChecker
from lifelong.site.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean, findings, url_scheme
from sitekit import REPO, build_site, course, write_project

EXAMPLES = int(os.environ.get("LIFELONG_FUZZ_EXAMPLES", "0")) or None
#: Few examples in the suite (it runs on every commit); bench/fuzz.py raises them.
FAST = settings(max_examples=EXAMPLES or 60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
RULES = load_rules(REPO / "catalogue")
MARKDOWN = (("attr_list", "md_in_html", "tables", "toc"), {})

#: Text with the characters that have broken things: controls, bidi, slashes, dots, quotes,
#: markup, YAML indicators, astral characters, Chinese.
TRICKY = st.text(st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("\x00\x01\x1b\x7f\u202e\u2066\ufeff/\\.:*&!|>%@`'\"<>{}[]#-\n\t "
                         "中文太极𠀀😀")),
), max_size=60)
FRAGMENTS = st.sampled_from([
    "<", ">", "/", "=", '"', "'", " ", "\n", "script", "img", "a", "svg", "set", "p", "div",
    "iframe", "style", "onerror", "onclick", "href", "src", "xlink:href", "javascript:",
    "java\nscript:", "&#106;", "&#10;", "alert(1)", "data:", "{:", "}", "*x*", "[x](", ")",
    "<!--", "-->", "<![CDATA[", "]]>", "&", "#", ".", "mailto:", "http://x", "__", "id",
])
HTMLISH = st.lists(FRAGMENTS, max_size=30).map("".join)


def _validate(raw: bytes, path: str = "courses/fuzz.md") -> list[Problem]:
    doc, problems = parse_source(raw, path)
    if doc is None:
        return problems
    _values, found = EntryValidator(RULES, REPO / "content").validate(doc)
    return [*problems, *found,
            *BodyChecker(*MARKDOWN, REPO / "content").problems(path, doc.body, doc.body_line)]


@FAST
@given(st.binary(max_size=400))
@example(b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n---\n")
@example(b"---\nduration_minutes: " + b"9" * 5000 + b"\n---\n")
@example(b"---\n" + b"a: [" * 200 + b"\n---\n")
def test_the_loader_reports_instead_of_raising(raw: bytes) -> None:
    for problem in _validate(raw):
        assert problem.path == "courses/fuzz.md"
        assert problem.message


@FAST
@given(st.dictionaries(
    st.sampled_from(["kind", "id", "title", "summary", "subjects", "published", "cover",
                     "duration_minutes", "teachers", "video", "materials", "series", "x"]),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TRICKY),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY, inner,
                                                                            max_size=3),
                 max_leaves=8),
    max_size=8), TRICKY)
def test_the_validator_reports_instead_of_raising(meta: dict[str, Any], body: str) -> None:
    meta.setdefault("kind", "course")
    try:
        text = dumps_entry(meta, body)
    except Exception:  # noqa: BLE001 (values YAML cannot write are not editors' files)
        return
    for problem in _validate(text.encode("utf-8", "surrogatepass")):
        assert problem.line >= 0


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.extend((tag, name, value) for name, value in attrs)
        self.seen.append((tag, "", None))


@FAST
@given(HTMLISH)
@example('<p autofocus onfocus="alert(1)">x</p>')
@example('<svg><a xlink:href="java\nscript:alert(1)">x</a></svg>')
def test_cleaned_html_keeps_only_the_allowlist(html: str) -> None:
    cleaned = clean(html)
    assert findings(cleaned) == []
    assert clean(cleaned) == cleaned
    parser = _Attributes()
    parser.feed(cleaned)
    for tag, name, value in parser.seen:
        assert tag in ALLOWED_TAGS
        if name:
            assert name in ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset())
            if name in ("href", "src", "cite") and value is not None:
                assert url_scheme(value) in (None, "http", "https", "mailto")


@FAST
@given(st.lists(FRAGMENTS, max_size=30).map("".join))
@example("A paragraph.\n{:onfocus=\"alert(1)\" autofocus}")
@example("[x](java\nscript:alert(1))")
def test_what_check_passes_loses_nothing_to_cleaning(body: str) -> None:
    """A description check passes keeps every tag and attribute Markdown made of it: check
    tells of everything the cleaning removes (and skips no description that makes markup)."""
    checker = BodyChecker(*MARKDOWN, REPO / "content")
    if checker.problems("courses/fuzz.md", body, 1):
        return
    html = checker.converter.unclean(body, "courses/fuzz.md", "")
    made, kept = _Attributes(), _Attributes()
    made.feed(html)
    kept.feed(clean(html))
    assert {(t, n) for t, n, _v in made.seen} <= {(t, n) for t, n, _v in kept.seen}


_TITLES = st.one_of(
    TRICKY.filter(str.strip),
    st.sampled_from(["I/O", "A/B testing", "w/o", "Tortured for Christ N/E", "..", "con",
                     "NUL", "aux.txt", "a" * 300, "<script>alert(1)</script>", "{{ x }}",
                     "\u202eevil", "title\x00nul", "𠀀𠀁 astral", ". .", "/", "\\"]))


@settings(max_examples=EXAMPLES // 20 if EXAMPLES else 3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow,
                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_TITLES, _TITLES), min_size=12, max_size=12))
@example([("I/O", "A/B testing"), ("w/o", "Tortured for Christ N/E"), ("..", "con"),
          ("a" * 300, "NUL"), ("aux.txt", "/"), ("\\", ". ."), ("𠀀𠀁 astral", "{{ x }}"),
          ("<script>alert(1)</script>", "x"), ("\u202eevil", "y"), ("title\x00nul", "z"),
          ("I/O 设备", "Ünïcödé/ü"), ("x" * 70 + "/y", "π/2")])
def test_whatever_passes_check_builds(tmp_path_factory: pytest.TempPathFactory,
                                      texts: list[tuple[str, str]]) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    entries = [course(f"fuzz-{n}", title=title, summary=summary, title_en=title)
               for n, (title, summary) in enumerate(texts)]
    config = write_project(root, entries)
    try:
        load_catalogue(root / "content", root / "catalogue")
    except CatalogueError as exc:
        bad = {p.path for p in exc.problems}
        assert all(p.path.startswith("content/courses/fuzz-") for p in exc.problems), exc
        for path in bad:
            (root / path).unlink()
    site = build_site(config)
    for path in site.rglob("*"):
        assert path.resolve().is_relative_to(site.resolve())
    names = {p.name for p in (site / "search").rglob("*.js")}
    assert all(set(n) <= set(string.ascii_lowercase + string.digits + "_.") for n in names)

