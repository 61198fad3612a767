"""The shipped sample catalogue in real headless Chromium: pages open without errors and
without asking anything outside the site; lecture times are computed at view time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from lifelong.build.loading import load_catalogue
from sitekit import REPO, build_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO / "mkdocs.yml", site_dir=str(tmp_path_factory.mktemp("sample")))


@pytest.fixture(scope="module")
def base_url(sample_site: Path) -> Iterator[str]:
    with serve_folder(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def catalogue() -> Any:
    return load_catalogue(REPO / "content", REPO / "catalogue")


def open_page(browser: Any, url: str, *, width: int = 1280, when: dt.datetime | None = None
              ) -> tuple[Any, PageLog]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    if when is not None:
        page.clock.set_fixed_time(when)
    log = PageLog()
    log.watch(page)
    page.goto(url, wait_until="load")
    return page, log


def assert_clean(log: PageLog, base_url: str) -> None:
    assert log.errors == []
    assert log.failed == []
    outside = [u for u in log.requests if not u.startswith(base_url)]
    assert outside == []


def smoke_paths(catalogue: Any) -> list[str]:
    entries = [catalogue.by_kind[kind][0].id + "/" for kind in catalogue.rules.kinds]
    return ["", "community-education/", "community-education/page/2/", "subjects/health/",
            "subjects/", "people/", "series/", *entries]


def test_every_kind_of_page_opens_cleanly(browser: Any, base_url: str, catalogue: Any) -> None:
    for path in smoke_paths(catalogue):
        page, log = open_page(browser, base_url + path)
        assert page.locator("h1").count() >= 1, path
        assert_clean(log, base_url)
        page.close()


def test_listing_page_two_links_back_and_cards_open_entries(browser: Any, base_url: str) -> None:
    page, log = open_page(browser, base_url + "community-education/page/2/")
    assert page.locator(".ll-pagination [aria-current=page]").inner_text() == "2"
    page.locator(".ll-card__link").first.click()
    page.wait_for_load_state("load")
    assert page.locator("article.ll-entry").count() == 1
    page.go_back()
    page.locator(".ll-pagination a[rel=prev]").click()
    page.wait_for_load_state("load")
    assert page.url == base_url + "community-education/"
    assert_clean(log, base_url)
    page.close()


def test_lecture_status_is_computed_when_the_page_is_viewed(browser: Any, base_url: str,
                                                            catalogue: Any) -> None:
    lecture = catalogue.by_kind["lecture"][0]
    starts: dt.datetime = lecture.get("starts")
    minutes = lecture.get("duration_minutes")
    live = "正在直播" if lecture.get("mode") == "livestream" else "正在进行"
    for when, text in [(starts - dt.timedelta(days=2), "还有2天"),
                       (starts + dt.timedelta(minutes=minutes / 2), live),
                       (starts + dt.timedelta(days=30), "已结束")]:
        page, log = open_page(browser, f"{base_url}{lecture.id}/", when=when)
        status = page.locator(".ll-when__line .ll-status")
        assert status.is_visible()
        assert status.inner_text() == text
        assert page.locator("time[data-ll-when]").inner_text().startswith("北京时间 ")
        assert_clean(log, base_url)
        page.close()


def test_pages_fit_a_360_pixel_phone(browser: Any, base_url: str, catalogue: Any) -> None:
    for path in smoke_paths(catalogue):
        page, _log = open_page(browser, base_url + path, width=360)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 360, path
        page.close()
