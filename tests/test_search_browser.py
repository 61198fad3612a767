"""Search in real headless Chromium, on the shipped sample catalogue, over http:// and from
file:// (the offline copy): the header box (an ARIA combobox), the search page (facets with
counts, sort, state in the URL, back and forward), the page without JavaScript, and the
JavaScript budget of pages where the reader has not touched search.

Every page a test opens is checked at the end: no console error or warning, no failed
request, and no request outside the site (file:// pages ask only for files of the site)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

import pytest

from browser import PageLog, serve_folder
from lifelong.build.loading import load_catalogue
from lifelong.search import index
from lifelong.search.index import title_sort_key, year_of
from lifelong.site.i18n import translate
from sitekit import REPO, build_site

pytestmark = pytest.mark.browser

#: JavaScript a page may load before the reader touches search (bytes of script responses).
BUDGET = 30_000
#: The search page shows this many results, then a "more" button.
PAGE_SIZE = 20
TAIJI = "taiji-basics"


# -- sites, browser, pages -------------------------------------------------------------------

@dataclass
class Site:
    scheme: str  # "http" or "file"
    folder: Path
    base: str    # every request of every page must start with this

    def page(self, path: str) -> str:
        """A page by its address on the http site: "", "search/", "subjects/"..."""
        if self.scheme == "http":
            return self.base + path
        return self.base + path + "index.html"

    def entry(self, entry_id: str) -> str:
        return self.base + (f"{entry_id}/" if self.scheme == "http" else f"{entry_id}.html")

    def search(self, query: str | None = None, **params: str) -> str:
        pairs = ({"q": query} if query is not None else {}) | params
        return self.page("search/") + ("?" + urlencode(pairs) if pairs else "")

    def file_of(self, url: str) -> Path:
        """The file of the site that an address of the site opens."""
        assert url.startswith(self.base), url
        path = unquote(urlparse(url).path)
        if self.scheme == "http":
            return self.folder / path.lstrip("/") / ("index.html" if path.endswith("/") else "")
        return Path(path)


def entry_id_of(url: str) -> str:
    path = unquote(urlparse(url).path)
    path = path.removesuffix("index.html").removesuffix("/").removesuffix(".html")
    return path.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def catalogue() -> Any:
    return load_catalogue(REPO / "content", REPO / "catalogue")


@pytest.fixture(scope="module")
def http_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = build_site(REPO / "mkdocs.yml", site_dir=str(tmp_path_factory.mktemp("http")))
    with serve_folder(folder) as url:
        yield Site("http", folder, url)


@pytest.fixture(scope="module")
def file_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = build_site(REPO / "mkdocs.yml", site_dir=str(tmp_path_factory.mktemp("file")),
                        use_directory_urls=False)
    return Site("file", folder, folder.resolve().as_uri() + "/")


@pytest.fixture(scope="module", params=["http", "file"])
def site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue(f"{request.param}_site")


@dataclass
class Session:
    """One browser context; remembers what every page opened in it did."""

    context: Any
    site: Site
    logs: list[PageLog] = field(default_factory=list)

    def open(self, url: str) -> Any:
        page = self.context.new_page()
        log = PageLog()
        log.watch(page)
        self.logs.append(log)
        page.goto(url, wait_until="load")
        return page

    def assert_clean(self) -> None:
        errors = [e for log in self.logs for e in log.errors]
        failed = [f for log in self.logs for f in log.failed]
        outside = [u for log in self.logs for u in log.requests if not u.startswith(self.site.base)]
        assert errors == [], errors
        assert failed == [], failed
        assert outside == [], f"requests outside {self.site.base}: {outside}"


@pytest.fixture
def session(browser: Any, site: Site) -> Iterator[Session]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Session(context, site)
    context.close()


def until(probe: Callable[[], Any], ok: Callable[[Any], bool], what: str,
          timeout: float = 10.0) -> Any:
    """Poll ``probe`` until ``ok`` holds; the last value is in the failure message."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last seen: {value!r}")
        time.sleep(0.05)


# -- the header box --------------------------------------------------------------------------

BOX_STATE = """() => {
  const input = document.getElementById("ll-q"), list = document.getElementById("ll-suggest");
  const options = [...list.querySelectorAll("[role=option]")];
  const last = (window.LifelongSearch || {}).lastQuery;
  return {
    value: input.value, expanded: input.getAttribute("aria-expanded"),
    activedescendant: input.getAttribute("aria-activedescendant"), hidden: list.hidden,
    lastQuery: last ? last.query : null,
    options: options.map(o => ({
      id: o.id, selected: o.getAttribute("aria-selected"),
      href: (o.matches("a") ? o : o.querySelector("a")).href,
      title: (o.querySelector(".ll-result__title") || o).textContent,
      titleMarks: [...o.querySelectorAll(".ll-result__title mark")].map(m => m.textContent),
      titleEnMarks: [...o.querySelectorAll(".ll-result__title-en mark")].map(m => m.textContent),
    })),
  };
}"""


def box_state(page: Any) -> dict[str, Any]:
    return page.evaluate(BOX_STATE)


def type_in_box(page: Any, query: str) -> dict[str, Any]:
    """Types like a reader (key by key) and waits for the results of the whole query."""
    page.locator("#ll-q").press_sequentially(query, delay=20)
    return until(lambda: box_state(page), lambda s: s["lastQuery"] == query and not s["hidden"],
                 f"suggestions for {query!r}")


def middle_of(entry: Any) -> str:
    """Two characters from the middle of the title (not a word of it)."""
    return entry.title[len(entry.title) // 2 - 1:len(entry.title) // 2 + 1]


#: kind of query -> (the query, or how to make it from the entry; the entry expected first;
#: text that a <mark> must show in its title; words marked in its English title)
QUERIES = {
    "chinese": ("太极拳", TAIJI, "太极拳", None),
    "title-substring": (middle_of, TAIJI, middle_of, None),
    "pinyin": ("taijiquan", TAIJI, None, None),
    "initials": ("tjq", TAIJI, None, None),
    "traditional": ("太極", TAIJI, "太极", None),
    "english": ("Tai Chi", TAIJI, None, "Tai Chi"),
    # a whole English title: its stop words ("The", "of") must not stop it matching
    "english-title": (lambda entry: entry.title_en, "sunzi-art-of-war", None, "Art War"),
}


def resolve(query: Any, catalogue: Any, entry_id: str) -> Any:
    return query(catalogue.by_id[entry_id]) if callable(query) else query


@pytest.mark.parametrize("kind", list(QUERIES))
def test_header_box_shows_results_while_typing(session: Session, catalogue: Any,
                                               kind: str) -> None:
    query, entry_id, marked, marked_en = QUERIES[kind]
    query = resolve(query, catalogue, entry_id)
    marked = resolve(marked, catalogue, entry_id)
    page = session.open(session.site.page(""))
    assert box_state(page)["expanded"] == "false"
    state = type_in_box(page, query)
    assert state["expanded"] == "true"
    results, show_all = state["options"][:-1], state["options"][-1]
    assert results, state
    assert entry_id_of(results[0]["href"]) == entry_id, results
    assert results[0]["title"] == catalogue.by_id[entry_id].title
    assert [o["id"] for o in results] == [f"ll-suggest-{i}" for i in range(len(results))]
    assert all(o["selected"] == "false" for o in results)
    if marked:
        assert marked in "".join(results[0]["titleMarks"]), results[0]
    if marked_en:
        shown = " ".join(results[0]["titleEnMarks"]).lower()
        assert all(word in shown for word in marked_en.lower().split()), results[0]
    assert show_all["id"] == "ll-suggest-all"
    assert show_all["href"].startswith(session.site.page("search/") + "?")
    assert parse_qs(urlparse(show_all["href"]).query) == {"q": [query]}
    session.assert_clean()


def test_header_box_keyboard(session: Session, catalogue: Any) -> None:
    """ARIA 1.2 combobox: arrows move aria-selected and aria-activedescendant, Escape
    closes, Enter without a selection opens the search page for the query."""
    page = session.open(session.site.page(""))
    state = type_in_box(page, "健康")
    assert len(state["options"]) >= 3
    assert state["activedescendant"] is None
    option_ids = [o["id"] for o in state["options"]]

    def selected(expected: str) -> None:
        now = box_state(page)
        assert now["activedescendant"] == expected, now
        assert [o["id"] for o in now["options"] if o["selected"] == "true"] == [expected]
        assert now["expanded"] == "true"
        assert not now["hidden"]

    page.keyboard.press("ArrowDown")
    selected(option_ids[0])
    page.keyboard.press("ArrowDown")
    selected(option_ids[1])
    page.keyboard.press("ArrowUp")
    selected(option_ids[0])
    page.keyboard.press("ArrowUp")          # wraps round to the last option, "show all"
    selected("ll-suggest-all")
    page.keyboard.press("Escape")
    closed = box_state(page)
    assert closed["hidden"], closed
    assert closed["expanded"] == "false"
    assert closed["activedescendant"] is None
    assert [o for o in closed["options"] if o["selected"] == "true"] == []
    assert closed["value"] == "健康"
    page.keyboard.press("ArrowDown")        # opens again, on the first option
    selected(option_ids[0])
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == session.site.search("健康")
    assert page.locator("#ll-search-q").input_value() == "健康"
    show_all = "".join(ch for ch in state["options"][-1]["title"] if ch.isdigit())
    assert found(settled(page)) == int(show_all)  # as many as "show all" promised
    session.assert_clean()


@pytest.mark.parametrize("start", ["", "community-education/page/2/"])
def test_header_box_enter_opens_the_selected_entry(session: Session, catalogue: Any,
                                                   start: str) -> None:
    page = session.open(session.site.page(start))
    type_in_box(page, "太极拳")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == session.site.entry(TAIJI)
    assert page.locator("h1").first.inner_text() == catalogue.by_id[TAIJI].title
    session.assert_clean()


def test_header_box_new_results_drop_the_old_active_descendant(session: Session) -> None:
    """After the list is redrawn for a longer query no option is selected, so the input
    must not keep pointing at an option of the old list (or at an id that is gone)."""
    page = session.open(session.site.page(""))
    type_in_box(page, "健康")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert box_state(page)["activedescendant"] == "ll-suggest-1"
    page.locator("#ll-q").press_sequentially("饮食", delay=20)
    state = until(lambda: box_state(page), lambda s: s["lastQuery"] == "健康饮食",
                  "the redrawn list")  # a phrase no entry has: only "show all" remains
    assert [o for o in state["options"] if o["selected"] == "true"] == []
    assert state["activedescendant"] is None, state
    session.assert_clean()


def test_header_box_escape_clears_and_leaves_no_stale_results(session: Session) -> None:
    """Escape on a closed list empties the box; ArrowDown must not then reopen the results
    of the text that was cleared."""
    page = session.open(session.site.page(""))
    type_in_box(page, "太极拳")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert box_state(page)["value"] == ""
    page.keyboard.press("ArrowDown")
    state = box_state(page)
    shown = [o["title"] for o in state["options"]] if not state["hidden"] else []
    assert shown == [], f"results of the cleared query shown for an empty box: {state}"
    session.assert_clean()


# -- the search page -------------------------------------------------------------------------

PAGE_STATE = """() => {
  const $ = id => document.getElementById(id);
  const facets = {};
  document.querySelectorAll("#ll-facets label.ll-facet__option").forEach(label => {
    const box = label.querySelector("input");
    facets[box.name + "=" + box.value] = {
      label: label.querySelector(".ll-facet__label").textContent.trim(), checked: box.checked,
      count: Number(label.querySelector(".ll-facet__count").textContent)};
  });
  const years = [...document.querySelectorAll("#ll-facets input[type=number]")];
  return {
    url: location.href, q: $("ll-search-q").value, sort: $("ll-search-sort").value,
    status: $("ll-search-status").textContent, empty: !$("ll-search-empty").hidden,
    more: !$("ll-search-more").hidden, history: history.length,
    items: [...document.querySelectorAll("#ll-search-results > li")].map(li => ({
      href: li.querySelector("a").href, kind: li.querySelector(".ll-result__body > .ll-badge").textContent,
      title: li.querySelector(".ll-result__title").textContent,
      marks: [...li.querySelectorAll(".ll-result__title mark")].map(m => m.textContent)})),
    facets: facets, years: years.map(y => [y.name, y.value]),
  };
}"""


def page_state(page: Any) -> dict[str, Any]:
    return page.evaluate(PAGE_STATE)


def found(state: dict[str, Any]) -> int | None:
    """The number in the status line, or None while searching / before a query."""
    digits = "".join(ch for ch in state["status"] if ch.isdigit())
    return int(digits) if digits else None


def settled(page: Any, ok: Callable[[dict[str, Any]], bool] = lambda s: True,
            what: str = "search results") -> dict[str, Any]:
    def done(s: dict[str, Any]) -> bool:
        n = found(s)
        if n is None:
            return False
        drawn = len(s["items"]) == n or (len(s["items"]) % PAGE_SIZE == 0 and s["more"])
        return drawn and s["empty"] == (n == 0) and ok(s)
    return until(lambda: page_state(page), done, what)


def ids(state: dict[str, Any]) -> list[str]:
    return [entry_id_of(item["href"]) for item in state["items"]]


def params(state: dict[str, Any]) -> dict[str, list[str]]:
    return parse_qs(urlparse(state["url"]).query)


def option(state: dict[str, Any], name: str, label: str) -> tuple[str, dict[str, Any]]:
    """The facet checkbox ``name`` with ``label``: (its key "name=value", its row)."""
    rows = [(k, v) for k, v in state["facets"].items()
            if k.startswith(name + "=") and v["label"] == label]
    assert len(rows) == 1, (name, label, state["facets"])
    return rows[0]


def click(page: Any, key: str) -> None:
    name, value = key.split("=")
    page.locator(f"#ll-facets input[name={name}][value='{value}']").click()


@pytest.mark.parametrize("kind", list(QUERIES))
def test_search_page_finds_every_kind_of_query(session: Session, catalogue: Any,
                                               kind: str) -> None:
    query, entry_id, marked, _marked_en = QUERIES[kind]
    query = resolve(query, catalogue, entry_id)
    marked = resolve(marked, catalogue, entry_id)
    page = session.open(session.site.search())
    start = until(lambda: page_state(page),
                  lambda s: s["status"] == translate("type_to_search", "zh"), "the empty page")
    assert start["items"] == []
    assert start["facets"] == {}
    page.locator("#ll-search-q").fill(query)  # one input event: see the next test for pauses
    state = settled(page, lambda s: params(s).get("q") == [query] and s["q"] == query)
    assert ids(state)[:1] == [entry_id], state["status"]
    if marked:
        assert marked in "".join(state["items"][0]["marks"]), state["items"][0]
    assert state["history"] == start["history"], "typing must replace, not push, history"
    session.assert_clean()


def test_search_page_keeps_what_the_reader_types_across_a_pause(session: Session) -> None:
    """A reader who pauses after a space (longer than the page waits before searching) must
    not lose the space: the page may search for "tai" but must leave "tai " in the box."""
    page = session.open(session.site.search())
    box = page.locator("#ll-search-q")
    box.press_sequentially("tai ", delay=20)
    settled(page, lambda s: params(s).get("q") == ["tai"], "results for the first word")
    page.wait_for_timeout(300)
    box.press_sequentially("chi", delay=20)
    # Under load the page may search "tai c" on the way; it must end at "tai chi" (had the
    # space been eaten, it would end at "taichi" and this would time out).
    state = settled(page, lambda s: params(s).get("q") == ["tai chi"],
                    "results for the whole query")
    assert state["q"] == "tai chi"
    session.assert_clean()


def test_facets_narrow_update_counts_and_restore(session: Session, catalogue: Any) -> None:
    page = session.open(session.site.search("健康"))
    before = settled(page)
    total = found(before)
    course_label = catalogue.rules.kinds["course"].label.zh
    kind_key, kind_row = option(before, "kind", course_label)
    assert 0 < kind_row["count"] < total <= 2 * PAGE_SIZE

    click(page, kind_key)
    narrowed = settled(page, lambda s: s["facets"].get(kind_key, {}).get("checked") is True
                       # the box is ticked before the results follow
                       and all(item["kind"] == course_label for item in s["items"]))
    assert found(narrowed) == kind_row["count"] <= PAGE_SIZE
    assert {item["kind"] for item in narrowed["items"]} == {course_label}
    assert params(narrowed) == {"q": ["健康"], "kind": [kind_key.split("=")[1]]}
    assert narrowed["history"] == before["history"] + 1, "a facet change pushes history"
    # a facet does not filter its own counts; every other facet counts only micro-courses
    kinds = {k: v["count"] for k, v in before["facets"].items() if k.startswith("kind=")}
    assert {k: v["count"] for k, v in narrowed["facets"].items() if k.startswith("kind=")} \
        == kinds
    others = {k: v["count"] for k, v in before["facets"].items() if not k.startswith("kind=")}
    after = {k: v["count"] for k, v in narrowed["facets"].items() if not k.startswith("kind=")}
    assert all(after[k] <= others[k] for k in after)
    assert set(after) <= set(others)
    assert after != others
    # ... and the numbers are right: the audience counts of the micro-courses shown
    audiences = catalogue.rules.vocabularies["audiences"].terms
    expected: dict[str, int] = {}
    for entry_id in ids(narrowed):
        for audience in catalogue.by_id[entry_id].get("audiences", ()):
            label = audiences[audience].label.zh
            expected[label] = expected.get(label, 0) + 1
    assert {v["label"]: v["count"] for k, v in narrowed["facets"].items()
            if k.startswith("audience=")} == expected

    # the number next to a checkbox is the number of results it leaves
    older = audiences["older-adults"].label.zh
    older_key, older_row = option(narrowed, "audience", older)
    click(page, older_key)
    both = settled(page, lambda s: s["facets"].get(older_key, {}).get("checked") is True)
    assert found(both) == older_row["count"]
    assert all("older-adults" in catalogue.by_id[i].get("audiences", ()) for i in ids(both))

    click(page, older_key)
    click(page, kind_key)
    restored = settled(page, lambda s: not any(v["checked"] for v in s["facets"].values()))
    for key in ("url", "status", "items", "facets", "years"):
        assert restored[key] == before[key], key
    session.assert_clean()


def test_url_keeps_query_and_filters_round_trip(session: Session, catalogue: Any) -> None:
    page = session.open(session.site.search("健康"))
    before = settled(page)
    kind_key, _ = option(before, "kind", catalogue.rules.kinds["course"].label.zh)
    click(page, kind_key)
    course = catalogue.rules.kinds["course"].label.zh
    state = settled(page, lambda s: s["facets"][kind_key]["checked"]
                    and all(item["kind"] == course for item in s["items"]))
    older = catalogue.rules.vocabularies["audiences"].terms["older-adults"].label.zh
    older_key, _ = option(state, "audience", older)
    click(page, older_key)
    state = settled(page, lambda s: s["facets"][older_key]["checked"])
    page.locator("#ll-facets input[name=year-from]").fill("2024")
    page.locator("#ll-facets input[name=year-from]").press("Tab")
    page.locator("#ll-search-sort").select_option("newest")
    state = settled(page, lambda s: "sort" in params(s) and "year" in params(s))
    assert params(state) == {"q": ["健康"], "sort": ["newest"],
                             "kind": [kind_key.split("=")[1]],
                             "audience": [older_key.split("=")[1]], "year": ["2024-"]}
    assert state["items"], state
    assert all(year_of(catalogue.by_id[i]) >= 2024 for i in ids(state))
    assert ("year-from", "2024") in [tuple(y) for y in state["years"]]

    again = session.open(state["url"])       # a new page (tab) with the same address
    reloaded = settled(again)
    for key in ("url", "q", "sort", "status", "items", "facets", "years"):
        assert reloaded[key] == state[key], key

    # the address format itself: several values of a facet, a range of years
    kinds = list(catalogue.rules.kinds)
    typed = session.open(session.site.search(
        "健康", kind=f"{kinds.index('course')}.{kinds.index('lecture')}", year="2019-2024"))
    shown = settled(typed)
    labels = {catalogue.rules.kinds[k].label.zh for k in ("course", "lecture")}
    assert {k for k, v in shown["facets"].items() if v["checked"]} == \
        {f"kind={kinds.index('course')}", f"kind={kinds.index('lecture')}"}
    assert [tuple(y) for y in shown["years"]] == [("year-from", "2019"), ("year-to", "2024")]
    assert shown["items"]
    assert {item["kind"] for item in shown["items"]} <= labels
    assert all(2019 <= year_of(catalogue.by_id[i]) <= 2024 for i in ids(shown))
    session.assert_clean()


def test_back_and_forward_restore_earlier_states(session: Session, catalogue: Any) -> None:
    page = session.open(session.site.search())
    page.locator("#ll-search-q").press_sequentially("健康", delay=20)
    typed = settled(page, lambda s: params(s).get("q") == ["健康"])
    course = catalogue.rules.kinds["course"].label.zh
    kind_key, _ = option(typed, "kind", course)
    click(page, kind_key)
    # The box is ticked at once; the results follow when the search has run again.
    filtered = settled(page, lambda s: s["facets"][kind_key]["checked"]
                       and all(item["kind"] == course for item in s["items"]))
    page.locator("#ll-search-sort").select_option("title")
    sorted_ = settled(page, lambda s: s["sort"] == "title" and params(s).get("sort") == ["title"])
    assert ids(sorted_) != ids(filtered)
    assert set(ids(sorted_)) == set(ids(filtered))

    keys = ("url", "q", "sort", "status", "items", "facets", "years")

    def same(expected: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
        return lambda s: all(s[k] == expected[k] for k in keys)

    for move, expected, name in [(page.go_back, filtered, "back to the facet"),
                                 (page.go_back, typed, "back to the query"),
                                 (page.go_forward, filtered, "forward to the facet"),
                                 (page.go_forward, sorted_, "forward to the sort")]:
        move()
        settled(page, same(expected), name)
    session.assert_clean()


def test_sort_by_newest_and_by_title(session: Session, catalogue: Any) -> None:
    page = session.open(session.site.search("健康"))

    def everything(ok: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        state = settled(page, ok)
        if state["more"]:
            page.locator("#ll-search-more").click()
            state = settled(page, lambda s: not s["more"] and ok(s), "all results")
        assert len(state["items"]) == found(state)
        return state

    relevance = everything(lambda s: True)
    assert len(relevance["items"]) > PAGE_SIZE, "pick a query that shows the more button"
    page.locator("#ll-search-sort").select_option("newest")
    newest = everything(lambda s: params(s).get("sort") == ["newest"])
    page.locator("#ll-search-sort").select_option("title")
    by_title = everything(lambda s: params(s).get("sort") == ["title"])

    entries = [catalogue.by_id[i] for i in ids(relevance)]
    assert ids(newest) == [e.id for e in sorted(entries, key=lambda e: (-e.published.toordinal(),
                                                                        e.id))]
    # pinyin order of titles, as Chinese readers expect
    assert ids(by_title) == [e.id for e in sorted(entries, key=title_sort_key)]
    assert len({tuple(ids(relevance)), tuple(ids(newest)), tuple(ids(by_title))}) == 3
    session.assert_clean()


def test_no_results_offers_the_sections(session: Session, catalogue: Any) -> None:
    query = "量子纠缠"
    page = session.open(session.site.search(query))
    state = settled(page)
    assert found(state) == 0
    assert state["items"] == []
    assert not state["more"]
    empty = page.locator("#ll-search-empty")
    assert empty.is_visible()
    assert empty.locator("p").inner_text() == translate("no_results", "zh", q=query)
    links = empty.locator("a")
    assert links.all_inner_texts() == [s.title.zh for s in catalogue.rules.sections]
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert [h for h in hrefs if not session.site.file_of(h).is_file()] == []
    with page.expect_navigation():
        links.first.click()
    assert page.locator("h1").first.inner_text() == catalogue.rules.sections[0].title.zh
    session.assert_clean()


@pytest.fixture
def no_js_session(browser: Any, site: Site) -> Iterator[Session]:
    context = browser.new_context(java_script_enabled=False)
    yield Session(context, site)
    context.close()


def test_without_javascript_the_box_submits_and_the_page_explains(no_js_session: Session,
                                                                  catalogue: Any) -> None:
    site = no_js_session.site
    page = no_js_session.open(site.page(""))
    page.locator("#ll-q").fill("太极")
    with page.expect_navigation():
        page.locator("#ll-q").press("Enter")
    assert page.url == site.search("太极")
    shown_text = [p.inner_text() for p in page.locator("p").all() if p.is_visible()]
    assert translate("search_noscript", "zh") in shown_text
    shown = [a for a in page.locator(".ll-terms a").all() if a.is_visible()]
    titles = [a.inner_text() for a in shown]
    assert titles[:len(catalogue.rules.sections)] == [s.title.zh for s in catalogue.rules.sections]
    assert len(titles) == len(catalogue.rules.sections) + 1  # and the subjects
    hrefs = [a.evaluate("a => a.href") for a in shown]
    assert [h for h in hrefs if not site.file_of(h).is_file()] == []
    assert page.locator("#ll-search-results > li").count() == 0
    no_js_session.assert_clean()


# -- the JavaScript budget -------------------------------------------------------------------

#: A lecture: its page loads the most scripts (when.js for its time, qr.js for its code).
LECTURE = "cantonese-opera-talk"


@pytest.mark.parametrize("path", ["", "community-education/", "subjects/health/", TAIJI,
                                  LECTURE])
def test_pages_not_searched_load_little_javascript(session: Session, path: str) -> None:
    site = session.site
    url = site.entry(path) if path in (TAIJI, LECTURE) else site.page(path)
    page = session.context.new_page()
    log = PageLog()
    log.watch(page)
    session.logs.append(log)
    scripts: list[Any] = []
    page.on("response", lambda r: r.request.resource_type == "script" and scripts.append(r))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    sizes = {r.url.removeprefix(site.base): len(r.body()) for r in scripts}
    total = sum(sizes.values())
    print(f"{site.scheme} {path or 'home'}: {total} bytes of JavaScript {sizes}")
    assert total <= BUDGET, f"{total} bytes of JavaScript (budget {BUDGET}): {sizes}"
    engine = [u for u in log.requests
              if u.removeprefix(site.base).startswith(("search/", "assets/lifelong/search.js"))]
    assert engine == [], "the search engine loaded before the reader touched search"
    session.assert_clean()


# -- heads of long postings (issue 23) ---------------------------------------------------------

@pytest.fixture(scope="module")
def heads_site(http_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample site with its index written again with tiny heads: a term of more than a
    few documents has only its twelve best postings in its postings file, all of them in
    search/q/. (The build writes its index in a process of its own, which a patch of this
    one does not reach: the index is written here, as the build's plugin would.)"""
    from mkdocs.config import load_config

    from lifelong.build.catalogue_site import CatalogueSite, SiteOptions

    folder = tmp_path_factory.mktemp("heads") / "site"
    shutil.copytree(http_site.folder, folder)
    config = load_config(str(REPO / "mkdocs.yml"))
    plugin = config["plugins"]["lifelong/catalogue"].config
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "HEAD_LIMIT", 16)
        patch.setattr(index, "HEAD_SIZE", 12)
        CatalogueSite(SiteOptions(
            content_dir=Path(config.docs_dir), catalogue_dir=REPO / plugin.catalogue_dir,
            template_dirs=[Path(d) for d in config.theme.dirs], site_url=config.site_url,
            directory_urls=config.use_directory_urls, lang="zh", page_size=plugin.page_size,
            lunr_js=http_site.folder / "search" / "lunr.js")).write_search_index(folder / "search")
    assert list((folder / "search" / "q").glob("*.js"))
    for name in ("r/0.js", "f.js", "o.js"):  # the same documents, in the same order
        assert (folder / "search" / name).read_bytes() == \
            (http_site.folder / "search" / name).read_bytes()
    with serve_folder(folder) as url:
        yield Site("http", folder, url)


def test_heads_show_the_suggestions_and_results_of_whole_postings(
        browser: Any, http_site: Site, heads_site: Site) -> None:
    """The header box of a site with heads suggests what the same site without them does,
    counts a one-word query, says "查看全部结果" when it did not count, and its search page
    (which loads whole postings) finds as many."""
    seen: dict[str, list[tuple[list[str], str, int | None, list[str]]]] = {}
    for site in (http_site, heads_site):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        session = Session(context, site)
        for query in ("老年", "智能手机", "老年大学", "health"):
            page = session.open(site.entry(TAIJI))
            state = type_in_box(page, query)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            results = settled(page)
            wholes = [url for url in session.logs[-1].requests if "/search/q/" in url]
            seen.setdefault(query, []).append((
                [entry_id_of(o["href"]) for o in state["options"][:-1]],
                state["options"][-1]["title"], found(results), wholes))
            page.close()
        session.assert_clean()
        context.close()
    assert all(whole == [] for (_, _, _, whole), _heads in seen.values())  # no heads there
    for query, ((ids, show_all, count, _), (heads_ids, heads_show_all, heads_count, _)) \
            in seen.items():
        assert heads_ids == ids, query
        assert heads_count == count, query
        assert heads_show_all in (show_all, translate("show_all_many", "zh")), query
    assert seen["老年"][1][1] == seen["老年"][0][1]  # one word: counted from its head
    assert seen["智能手机"][1][1] == translate("show_all_many", "zh")  # found, not counted
    assert seen["老年"][1][3]  # the search page loaded whole postings
