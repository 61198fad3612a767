"""On the reader's device, in Chromium: a centre's and a teacher's activities and lectures
sorted into those to come and those ended by the device's own date (when.js), online and
from file://; without JavaScript, every one of them listed by start."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from sitekit import build_tiny_site

pytestmark = pytest.mark.browser

BEIJING = dt.timezone(dt.timedelta(hours=8))
#: Between the tiny site's activity at the centre (2027-03-06) and its lecture (2027-03-20).
BETWEEN = dt.datetime(2027, 3, 10, 10, 0, tzinfo=BEIJING)

#: Each shown group of the page's [data-ll-split] box: the ids of its items and their status.
GROUPS = """() => {
  const found = {};
  for (const group of document.querySelectorAll("[data-ll-split] [data-group]")) {
    if (group.hidden) continue;
    found[group.getAttribute("data-group")] = [...group.querySelectorAll("li")].map(li =>
      [li.querySelector("a").getAttribute("href"),
       (li.querySelector(".ll-status") || {}).textContent || ""]);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_site(tmp_path_factory.mktemp("places-online"))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_site(tmp_path_factory.mktemp("places-offline"), offline=True)


@pytest.fixture(scope="module")
def online_url(online_site: Path) -> Iterator[str]:
    with serve_folder(online_site) as url:
        yield url


def groups_at(browser: Any, url: str, when: dt.datetime, *, js: bool = True
              ) -> dict[str, list[tuple[str, str]]]:
    """The groups of the page at ``url`` as of ``when``: ids, and each one's status."""
    context = browser.new_context(timezone_id="Asia/Shanghai", java_script_enabled=js)
    if js:
        context.clock.set_fixed_time(when)
    page = context.new_page()
    log = PageLog()
    log.watch(page)
    try:
        page.goto(url, wait_until="load")
        found: dict[str, list[list[str]]] = page.evaluate(GROUPS)
        if js:
            past = page.locator("[data-ll-split] details[data-group=past]")
            assert not past.evaluate("d => d.open")  # folded away
        assert log.errors == []
        return {name: [(re.sub(r"^(\.\./)?|(/|\.html)$", "", href), status)
                       for href, status in items] for name, items in found.items()}
    finally:
        context.close()


@pytest.mark.parametrize("where", ["online", "offline"])
def test_a_centre_sorts_what_is_held_there_by_the_devices_date(
        browser: Any, where: str, online_url: str, offline_site: Path) -> None:
    url = online_url + "xihu-centre/" if where == "online" else \
        offline_site.as_uri() + "/xihu-centre.html"
    assert groups_at(browser, url, BETWEEN) == {
        "upcoming": [("xihu-falls", "还有10天")], "past": [("taiji-sharing", "已结束")]}
    later = dt.datetime(2029, 1, 1, tzinfo=BEIJING)  # an old copy: nothing is to come
    assert groups_at(browser, url, later) == {
        "none": [], "past": [("xihu-falls", "已结束"), ("taiji-sharing", "已结束")]}


def test_a_teachers_activities_and_without_javascript_all_by_start(
        browser: Any, online_url: str) -> None:
    before = dt.datetime(2027, 3, 6, 8, 0, tzinfo=BEIJING)
    assert groups_at(browser, online_url + "li-xiu-lan-t/", before) == {
        "upcoming": [("taiji-sharing", "今天")]}
    assert groups_at(browser, online_url + "xihu-centre/", before, js=False) == {
        "all": [("taiji-sharing", ""), ("xihu-falls", "")]}
