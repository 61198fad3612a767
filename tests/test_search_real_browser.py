"""The search of real records (tests/realdata.py) in real headless Chromium: the header box
shows, for the queries issue 18's reporter tried, the results the engine gives in node
(tests/test_search_real.py holds the relevance cases; this checks that the browser agrees,
surrogate pairs, typo files and name keys included), with no console error and no failed
request."""

from __future__ import annotations

import time
from typing import Any

import pytest

from browser import PageLog, serve_folder
from searchkit import SearchKit
from test_search_real import SUGGESTIONS, real_site

pytestmark = pytest.mark.browser

QUERIES = ["𤙖", "火供養", "Stephen King", "不空", "Mockxngjay", "Xockingjay", "GAMES",
           "Illustxated"]

SUGGESTED = """() => {
  const list = document.getElementById("ll-suggest"), last = (window.LifelongSearch || {}).lastQuery;
  return {query: last ? last.query : null, hidden: list.hidden,
          ids: [...list.querySelectorAll("[role=option] a.ll-result__link")].map(
            a => new URL(a.href).pathname.replace(/\\/$/, "").split("/").pop())};
}"""


def suggested(page: Any, query: str) -> list[str]:
    box = page.locator("#ll-q")
    box.fill("")
    box.press_sequentially(query, delay=20)
    deadline = time.monotonic() + 10
    while True:
        state = page.evaluate(SUGGESTED)
        if state["query"] == query and not state["hidden"]:
            return list(state["ids"])
        assert time.monotonic() < deadline, f"no suggestions for {query!r}: {state}"
        time.sleep(0.05)


def test_the_header_box_agrees_with_the_engine(browser: Any,
                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    site = real_site(tmp_path_factory)
    expected = {hit.q: hit.top[:SUGGESTIONS] for hit in SearchKit(site).search(QUERIES,
                                                                              prefix=True)}
    assert all(expected.values()), expected  # every query finds something
    with serve_folder(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log = PageLog()
        log.watch(page)
        page.goto(base + "search/", wait_until="load")
        shown = {query: suggested(page, query) for query in QUERIES}
        context.close()
    assert shown == expected
    assert (log.errors, log.failed) == ([], [])
    assert [u for u in log.requests if not u.startswith(base)] == []
    assert any("/search/e/" in u for u in log.requests)  # Xockingjay read a typo file
