"""The search page for older learners, in real headless Chromium on a tiny site, online
(http://) and in the offline copy (file://):

- the easy filters (10 minutes or less, captions, sign language, audio description, large
  print, beginner, dialect) are links before any query, each a listing with its count;
  checked, they narrow the results to what meets them all, and their counts are the results
  each leaves, with a query or without, beside the other facets;
- on a phone the results come first, and the filters open from a button that says how many
  are on; on a wide screen they stay beside the results;
- targets measured from the rendered page: at least 44 x 44 px, 60 x 60 px in care mode;
  nothing of the search page runs off a 320 px phone with text at 200 %."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import Catalogue, Entry
from lifelong.site.i18n import translate
from sitekit import build_site, course, one_of_each, write_project
from test_search_browser import Session, Site, found, ids, page_state, params, settled, until

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}
#: The easy filters, as the address names them.
EASY = ("short", "captions", "sign-language", "audio-description", "large-print", "beginner",
        "dialect")
#: Dialects among the catalogue's languages (lifelong.search.index.DIALECTS).
DIALECTS = {"yue"}


#: Of a course selected as an outstanding micro-course (catalogue/standards.yml): 20 to 200
#: characters.
SELECTED = "一节讲得清楚、配有字幕、适合长辈在家跟着学的短微课。"


def easy_entries() -> list[dict[str, Any]]:
    """Courses and a lecture that meet the easy filters in different ways; ten minutes is
    short, eleven is not. Two of the courses were selected (``marks``): one by two
    standards (by one of them twice), one by one."""
    return [
        course("easy-sign", title="手语版：认识高血压", duration_minutes=8, level="beginner",
               accessibility=["captions", "sign-language"], published="2024-05-01",
               summary=SELECTED, video="https://example.org/easy-sign.mp4",
               captions=[{"lang": "zh", "link": "https://example.org/easy-sign.zh.vtt"}],
               marks=[{"standard": "outstanding-micro-course", "year": 2023},
                      {"standard": "outstanding-micro-course", "year": 2024},
                      {"standard": "elder-friendly", "year": 2024}]),
        course("easy-ten", title="十分钟学会视频通话", duration_minutes=10,
               accessibility=["captions"], published="2024-05-02", summary=SELECTED,
               video="https://example.org/easy-ten.mp4",
               marks=[{"standard": "outstanding-micro-course", "year": 2024}]),
        course("easy-eleven", title="粤语讲养生", duration_minutes=11, language="yue",
               level="beginner", accessibility=["captions", "audio-description"],
               published="2024-05-03"),
        course("easy-print", title="大字版家常菜", duration_minutes=25, level="intermediate",
               accessibility=["large-print"], published="2024-05-04"),
        {"kind": "lecture", "id": "easy-talk", "title": "粤语健康讲座",
         "summary": "用粤语讲秋冬养生。", "subjects": ["health"], "published": "2026-09-01",
         "speakers": [{"name": "陈医生", "role": "doctor"}], "language": "yue",
         "starts": "2026-09-20T19:30:00+08:00", "duration_minutes": 45, "mode": "livestream",
         "livestream_url": "https://example.org/live/2"},
    ]


def meets(entry: Entry, name: str) -> bool:
    """Whether ``entry`` meets the easy filter ``name``, from its fields."""
    if name == "short":
        minutes = entry.get("duration_minutes")
        return minutes is not None and minutes <= 10
    if name == "beginner":
        return bool(entry.get("level") == "beginner")
    if name == "dialect":
        return entry.get("language") in DIALECTS
    return name in entry.get("accessibility", ())


# -- sites, sessions ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    write_project(root, one_of_each() + easy_entries())
    return root


@pytest.fixture(scope="module")
def catalogue(project: Path) -> Catalogue:
    return load_catalogue(project / "content", project / "catalogue")


@pytest.fixture(scope="module")
def http_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from browser import serve_folder

    folder = build_site(project / "mkdocs.yml", site_dir=str(tmp_path_factory.mktemp("http")))
    with serve_folder(folder) as url:
        yield Site("http", folder, url)


@pytest.fixture(scope="module")
def file_site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The offline copy: its own mkdocs.yml beside the project's (as offline.yml is)."""
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["use_directory_urls"] = False
    config["plugins"] = [{"lifelong/catalogue": {"page_size": 2, "offline": True}}]
    offline = project / "offline.yml"
    offline.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    folder = build_site(offline, site_dir=str(tmp_path_factory.mktemp("file")))
    return Site("file", folder, folder.resolve().as_uri() + "/")


@pytest.fixture(scope="module", params=["http", "file"])
def site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue(f"{request.param}_site")


@contextmanager
def session_of(browser: Any, site: Site, viewport: dict[str, int]) -> Iterator[Session]:
    """A browser context of that size (a phone's, touch and all, under 600 px)."""
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        yield Session(context, site)
    finally:
        context.close()


@pytest.fixture
def session(browser: Any, site: Site) -> Iterator[Session]:
    with session_of(browser, site, WIDE) as wide:
        yield wide


@pytest.fixture
def phone(browser: Any, site: Site) -> Iterator[Session]:
    with session_of(browser, site, PHONE) as small:
        yield small


def listing(site: Site, **filters: str) -> str:
    """The search page with filters and no query."""
    return site.page("search/") + "?" + urlencode(filters)


def expected(catalogue: Catalogue, *names: str, among: set[str] | None = None) -> set[str]:
    return {e.id for e in catalogue.entries
            if all(meets(e, n) for n in names) and (among is None or e.id in among)}


def easy_counts(state: dict[str, Any]) -> dict[str, int]:
    return {key.split("=")[1]: row["count"] for key, row in state["facets"].items()
            if key.startswith("easy=")}


def checked(state: dict[str, Any]) -> set[str]:
    return {key for key, row in state["facets"].items() if row["checked"]}


# -- the filters --------------------------------------------------------------------------------

# The offline copy's "可离线使用" comes last (test_offline_media): not an easy filter.
PICKS = """() => [...document.querySelectorAll("#ll-search-easy a:not([href*='offline='])")].map(a => ({
  href: a.href, label: a.firstChild.textContent,
  count: Number(a.querySelector(".ll-search-easy__count").textContent)}))"""


def test_each_easy_filter_is_a_listing_with_its_count(session: Session,
                                                      catalogue: Catalogue) -> None:
    """Before any query the page links every easy filter that finds something, with how
    many it finds; each link lists exactly those entries, with no query."""
    site = session.site
    page = session.open(site.page("search/"))
    until(lambda: page_state(page), lambda s: s["status"] == translate("type_to_search", "zh"),
          "the page before a query")
    picks = until(lambda: page.evaluate(PICKS), lambda p: len(p) == len(EASY), "the links")
    assert page.locator("#ll-search-easy").is_visible()
    assert not page.locator("#ll-search-filters").is_visible()  # nothing to filter yet
    by_name = {p["href"].rsplit("easy=", 1)[1]: p for p in picks}
    assert list(by_name) == list(EASY)
    assert by_name["short"]["label"] == translate("easy_short", "zh")
    assert by_name["dialect"]["label"] == translate("easy_dialect", "zh")
    assert by_name["captions"]["label"] == catalogue.label("accessibility", "captions").zh
    assert by_name["beginner"]["label"] == catalogue.label("levels", "beginner").zh
    for name in EASY:
        wanted = expected(catalogue, name)
        assert by_name[name]["count"] == len(wanted), name
        assert by_name[name]["href"] == listing(site, easy=name)
    assert {n: len(expected(catalogue, n)) for n in ("short", "dialect", "beginner")} == \
        {"short": 2, "dialect": 2, "beginner": 2}  # ten minutes is short, eleven is not

    for number, name in enumerate(EASY):
        page.locator("#ll-search-easy a").nth(number).click()
        state = settled(page, lambda s, name=name: params(s) == {"easy": [name]})
        assert set(ids(state)) == expected(catalogue, name), name
        assert found(state) == by_name[name]["count"]
        assert checked(state) == {f"easy={name}"}
        assert not page.locator("#ll-search-easy").is_visible()
        page.go_back()
        until(lambda: page.evaluate(PICKS), lambda p: len(p) == len(EASY), "the links again")
    for name in EASY:  # and the address alone, as a poster's QR code or the home page links it
        state = settled(session.open(listing(site, easy=name)))
        assert set(ids(state)) == expected(catalogue, name), name
    # The home page draws the same links at build time (no script needed).
    home = session.open(site.page(""))
    assert home.evaluate(PICKS.replace("#ll-search-easy", ".ll-search-easy")) == picks
    session.assert_clean()


def test_easy_filters_narrow_together_and_count_what_they_leave(
        session: Session, catalogue: Catalogue) -> None:
    page = session.open(listing(session.site, easy="captions"))
    state = settled(page)
    captioned = expected(catalogue, "captions")
    assert set(ids(state)) == captioned
    # the count beside each filter is the number of results checking it leaves
    counts = easy_counts(state)
    assert counts == {n: len(expected(catalogue, "captions", n)) for n in EASY
                      if expected(catalogue, "captions", n)}
    assert counts["captions"] == len(captioned)
    page.locator("#ll-facets input[name=easy][value=short]").click()
    both = settled(page, lambda s: params(s).get("easy") == ["short.captions"])
    assert set(ids(both)) == expected(catalogue, "captions", "short") == {"easy-sign", "easy-ten"}
    assert found(both) == counts["short"]
    page.locator("#ll-facets input[name=easy][value=beginner]").click()
    three = settled(page, lambda s: params(s).get("easy") == ["short.captions.beginner"])
    assert ids(three) == ["easy-sign"]
    # with the other facets: a kind and a dialect
    kinds = list(catalogue.rules.kinds)
    lecture = session.open(listing(session.site, easy="dialect",
                                   kind=str(kinds.index("lecture"))))
    assert ids(settled(lecture)) == ["easy-talk"]
    session.assert_clean()


def test_easy_filters_with_a_query(session: Session, catalogue: Catalogue) -> None:
    page = session.open(session.site.search("粤语"))
    state = settled(page)
    shown = set(ids(state))
    assert {"easy-eleven", "easy-talk"} <= shown
    assert easy_counts(state) == {n: len(expected(catalogue, n, among=shown)) for n in EASY
                                  if expected(catalogue, n, among=shown)}
    page.locator("#ll-facets input[name=easy][value=audio-description]").click()
    narrowed = settled(page, lambda s: params(s) == {"q": ["粤语"],
                                                     "easy": ["audio-description"]})
    assert ids(narrowed) == ["easy-eleven"]
    assert "easy=short" not in narrowed["facets"], "a filter that would leave nothing"
    none = session.open(session.site.search("粤语", easy="short.audio-description"))
    assert found(settled(none)) == 0
    assert none.locator("#ll-search-empty p").inner_text() == \
        translate("no_results", "zh", q="粤语")
    nothing = session.open(listing(session.site, easy="short.large-print"))
    assert found(settled(nothing)) == 0
    assert nothing.locator("#ll-search-empty p").inner_text() == \
        translate("no_filtered_results", "zh")
    session.assert_clean()


def test_marks_are_a_facet_by_standard(session: Session, catalogue: Catalogue) -> None:
    """评选荣誉 (Selections): a value per standard that selected something, labelled as
    standards.yml labels it, with its count; an entry selected by two standards counts
    under both (and once under a standard that selected it twice); the address alone lists
    what a standard selected."""
    standards = list(catalogue.rules.standards)

    def selected(*wanted: str) -> set[str]:
        return {e.id for e in catalogue.entries
                if any(mark["standard"] in wanted for mark in e.marks)}

    outstanding, elder = (str(standards.index(s)) for s in ("outstanding-micro-course",
                                                            "elder-friendly"))
    page = session.open(listing(session.site, mark=outstanding))
    state = settled(page)
    assert set(ids(state)) == selected("outstanding-micro-course") == {"easy-sign", "easy-ten"}
    assert page.locator("#ll-facets .ll-facet--mark legend").inner_text() == \
        translate("facet_mark", "zh") == "评选荣誉"
    assert {key: (row["label"], row["count"]) for key, row in state["facets"].items()
            if key.startswith("mark=")} == {
        f"mark={outstanding}": (catalogue.rules.standards["outstanding-micro-course"].title.zh,
                                2),
        f"mark={elder}": ("适老化优秀课程", len(selected("elder-friendly")))}
    page.locator(f"#ll-facets input[name=mark][value='{elder}']").click()
    either = settled(page, lambda s: params(s).get("mark") == [f"{outstanding}.{elder}"])
    assert set(ids(either)) == selected("outstanding-micro-course", "elder-friendly")
    page.locator(f"#ll-facets input[name=mark][value='{outstanding}']").click()
    one = settled(page, lambda s: params(s).get("mark") == [elder])
    assert ids(one) == ["easy-sign"]
    # with a query and another facet
    query = session.open(session.site.search("视频通话", mark=outstanding, easy="short"))
    assert ids(settled(query)) == ["easy-ten"]
    session.assert_clean()


# -- the phone layout -------------------------------------------------------------------------

LAYOUT = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width,
            height: r.height, shown: r.width > 0 && r.height > 0}; };
  const $ = s => document.querySelector(s);
  const toggle = $("#ll-search-filters-toggle");
  return {toggle: box(toggle), toggleText: toggle.textContent,
          expanded: toggle.getAttribute("aria-expanded"), facets: box($("#ll-facets")),
          first: box($("#ll-search-results > li")), status: box($("#ll-search-status"))};
}"""


def test_on_a_phone_results_come_first_and_the_filters_open_from_a_button(
        phone: Session, catalogue: Catalogue) -> None:
    kinds = list(catalogue.rules.kinds)
    page = phone.open(listing(phone.site, easy="captions", kind=str(kinds.index("course"))))
    state = settled(page)
    assert set(ids(state)) == expected(catalogue, "captions")
    layout = page.evaluate(LAYOUT)
    assert not layout["facets"]["shown"], "the filters are folded"
    assert layout["first"]["shown"] and layout["first"]["bottom"] <= PHONE["height"], \
        f"the first result is on the first screen: {layout}"
    assert layout["toggle"]["bottom"] <= layout["first"]["top"]
    assert (layout["toggleText"], layout["expanded"]) == \
        (translate("filters_count", "zh", n=2), "false")

    page.locator("#ll-search-filters-toggle").click()
    opened = page.evaluate(LAYOUT)
    assert opened["expanded"] == "true" and opened["facets"]["shown"]
    assert opened["facets"]["top"] < opened["first"]["top"]
    page.locator("#ll-facets input[name=easy][value=beginner]").click()
    three = settled(page, lambda s: params(s).get("easy") == ["captions.beginner"])
    layout = page.evaluate(LAYOUT)
    assert layout["toggleText"] == translate("filters_count", "zh", n=3)
    assert layout["facets"]["shown"], "the filters stay open while the reader picks"
    assert page.evaluate("document.activeElement.value") == "beginner", "focus stays put"
    done = page.locator(".ll-search-filters__done")
    assert done.inner_text() == translate("show_results", "zh", n=found(three))
    done.click()
    closed = page.evaluate(LAYOUT)
    assert not closed["facets"]["shown"] and closed["expanded"] == "false"
    assert page.evaluate("document.activeElement.id") == "ll-search-filters-toggle"
    phone.assert_clean()


def test_on_a_wide_screen_the_filters_stay_beside_the_results(session: Session) -> None:
    page = session.open(listing(session.site, easy="captions"))
    settled(page)
    layout = page.evaluate(LAYOUT)
    assert not layout["toggle"]["shown"]
    assert layout["facets"]["shown"]
    assert layout["facets"]["right"] <= layout["first"]["left"]
    assert layout["facets"]["top"] < layout["first"]["bottom"]
    session.assert_clean()


# -- sizes measured ------------------------------------------------------------------------------

#: Everything the reader touches on the search page, with its size.
TARGETS = """() => [...document.querySelectorAll(
    "#ll-search-page input, #ll-search-page select, #ll-search-page button, "
    + "#ll-search-filters-toggle, #ll-facets input, #ll-facets button, #ll-search-easy a, "
    + "#ll-search-more")]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
  .map(el => { const r = el.getBoundingClientRect();
    return {what: el.id || el.className || el.tagName + ":" + (el.name || "") + "=" + el.value,
            width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10}; })"""

TICKS = """() => [...document.querySelectorAll(".ll-search-tick")].map(el => {
  const r = el.getBoundingClientRect(); return Math.min(r.width, r.height); })"""


@pytest.mark.parametrize("mode", ["normal", "care"])
def test_targets_are_large_on_a_phone(phone: Session, mode: str) -> None:
    least = 60 if mode == "care" else 44
    page = phone.open(phone.site.page("search/"))
    if mode == "care":
        page.evaluate("document.documentElement.classList.add('ll-care')")
    until(lambda: page.evaluate(PICKS), bool, "the links")
    before = page.evaluate(TARGETS)
    page.locator("#ll-search-easy a").first.click()
    settled(page)
    page.locator("#ll-search-filters-toggle").click()
    page.locator("#ll-facets input[type=checkbox]").first.wait_for()
    after = page.evaluate(TARGETS)
    kinds = {t["what"] for t in before + after}
    assert {"ll-search-q", "ll-search-sort", "ll-search-filters-toggle",
            "ll-search-easy__link", "ll-search-filters__done"} <= kinds, kinds
    assert sum(1 for t in after if t["what"].startswith("INPUT:")) >= len(EASY)
    small = [t for t in before + after if t["width"] < least or t["height"] < least]
    assert small == [], f"targets under {least} x {least} px in {mode} mode"
    ticks = page.evaluate(TICKS)
    assert ticks and min(ticks) >= 24, f"the drawn boxes of the checkboxes: {ticks}"
    phone.assert_clean()


@pytest.mark.parametrize("mode", ["normal", "care"])
def test_nothing_runs_off_a_small_phone_with_large_text(browser: Any, site: Site,
                                                        mode: str) -> None:
    """320 px wide, the browser's text at 200 % (as a reader's system setting makes it):
    the search form, the filters (open) and the results fit the width."""
    for viewport in ({"width": 320, "height": 640}, {"width": 360, "height": 740}):
        with session_of(browser, site, viewport) as session:
            page = session.context.new_page()
            cdp = session.context.new_cdp_session(page)
            cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
            page.goto(listing(site, easy="captions"), wait_until="load")
            if mode == "care":
                page.evaluate("document.documentElement.classList.add('ll-care')")
            settled(page)
            page.locator("#ll-search-filters-toggle").click()
            wide = page.evaluate("""width => [...document.querySelectorAll(
                  ".ll-search-page, .ll-search-page *, .ll-search-layout, .ll-search-layout *")]
                .filter(el => el.getClientRects().length)
                .map(el => [el.id || el.className || el.tagName, el.getBoundingClientRect().right])
                .filter(([, right]) => right > width + 0.5)""", viewport["width"])
            assert wide == [], f"past the right edge at {viewport['width']} px: {wide[:8]}"
