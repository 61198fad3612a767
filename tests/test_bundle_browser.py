"""A bundle of the shipped sample, unpacked and opened from file:// in real Chromium, as a
community centre would: every page kind, search with a facet, covers and a local download
work, and the browser asks for nothing outside the copy. A subset bundle keeps counts and
search to its entries and says which entries are not in it."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from browser import PageLog
from lifelong.build.loading import load_catalogue
from lifelong.cli import main
from lifelong.site.qr import BORDER as QR_BORDER
from sitekit import REPO

pytestmark = pytest.mark.browser


def shipped_project(tmp: Path, page_size: int) -> Path:
    """A copy of the shipped project whose offline copy pages its listings by
    ``page_size``: the shipped sample (92 entries) fits on one page of the offline
    config's, and these tests follow pagination links too."""
    project = tmp / "project"
    for name in ("content", "catalogue", "site_config"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    config = project / "site_config" / "offline.yml"
    text, count = re.subn(r"(?m)^(\s+page_size:) \d+$", rf"\1 {page_size}",
                          config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    return project


def bundle(tmp: Path, name: str, *options: str) -> Path:
    out = tmp / f"{name}.zip"
    project = shipped_project(tmp, page_size=24)
    result = CliRunner().invoke(main, ["bundle", "-o", str(out), "--project", str(project),
                                       *options])
    assert result.exit_code == 0, result.output
    copy = tmp / name
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[0] == "index.html"
        archive.extractall(copy)
    return copy


@pytest.fixture(scope="module")
def full_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bundle(tmp_path_factory.mktemp("bundle"), "full")


@pytest.fixture(scope="module")
def subset_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bundle(tmp_path_factory.mktemp("subset"), "subset", "--section", "live",
                  "--media", "covers")


@pytest.fixture(scope="module")
def catalogue() -> Any:
    return load_catalogue(REPO / "content", REPO / "catalogue")


class Visit:
    """One page of the copy, its log, and the check that everything stayed inside it."""

    def __init__(self, browser: Any, copy: Path, path: str, width: int = 1280) -> None:
        self.copy = copy
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.log = PageLog()
        self.log.watch(self.page)
        self.page.goto((copy / path).as_uri(), wait_until="load")

    def close(self) -> None:
        inside = self.copy.as_uri() + "/"
        outside = [u for u in self.log.requests if not u.startswith(inside)]
        assert outside == [], outside
        assert self.log.errors == []
        assert self.log.failed == []
        self.page.close()


def assert_qr_drawn(page: Any, url: str) -> None:
    """The page's QR code, drawn by lifelong.js from its address, is qr.js's code of ``url``
    (test_qr_js compares that with segno's), module for module, 132 px wide."""
    code = page.locator(".ll-qr__code")
    assert code.get_attribute("data-qr") == url
    assert code.get_attribute("aria-label").endswith(url)
    code.locator("svg path").wait_for(state="attached")
    expected = page.evaluate("url => LifelongQr.matrix(url)", url)
    drawn = [[0] * len(expected) for _ in expected]
    path = code.locator("svg path").get_attribute("d")
    for x, y, run in re.findall(r"M(\d+) ([\d.]+)h(\d+)", path):
        row, first = int(float(y) - QR_BORDER - 0.5), int(x) - QR_BORDER
        for column in range(first, first + int(run)):
            drawn[row][column] = 1
    assert drawn == expected
    assert code.locator("svg").bounding_box()["width"] == 132


def test_every_kind_of_page_opens_from_file(browser: Any, full_copy: Path,
                                            catalogue: Any) -> None:
    entries = [catalogue.by_kind[kind][0].id + ".html" for kind in catalogue.rules.kinds]
    paths = ["index.html", "reading/index.html", "community-education/index.html",
             "community-education/page/2/index.html", "subjects/index.html",
             "subjects/health/index.html", "people/index.html", "series/index.html",
             "search/index.html", *entries]
    for path in paths:
        visit = Visit(browser, full_copy, path)
        assert visit.page.locator("h1").count() >= 1, path
        assert re.search(r"目录版本 [0-9a-f]{12}，更新至 \d{4}-\d\d-\d\d · 这是离线副本",
                         visit.page.locator(".ll-version").inner_text()), path
        if path in entries:
            assert_qr_drawn(visit.page, f"https://lifelong.example.org/{path[:-5]}/")
            assert visit.page.locator("script[type='application/ld+json']").count() == 0
        visit.close()


def test_links_covers_and_a_local_download_work(browser: Any, full_copy: Path) -> None:
    visit = Visit(browser, full_copy, "community-education/index.html")
    page = visit.page
    covers = page.locator(".ll-card__cover img")
    assert covers.count() > 0
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    first = covers.first
    first.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    page.locator(".ll-pagination a[rel=next]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("community-education/page/2/index.html")
    visit.close()
    book = Visit(browser, full_copy, "lunyu-xue-er.html")
    link = book.page.locator("a[download]").first
    href = link.get_attribute("href")
    assert href is not None
    assert not href.startswith(("http:", "https:"))
    assert (full_copy / href).is_file()
    # From file:// Chromium opens the HTML e-book instead of saving it: either is fine.
    link.click()
    book.page.wait_for_load_state("load")
    assert book.page.url == (full_copy / href).as_uri()
    assert "学而时习之" in book.page.inner_text("body")
    book.close()


def test_search_with_a_facet_from_file(browser: Any, full_copy: Path) -> None:
    visit = Visit(browser, full_copy, "index.html")
    page = visit.page
    page.fill("#ll-q", "太极")
    page.wait_for_selector("#ll-suggest:not([hidden]) [role=option]")
    assert "二十四式太极拳入门" in page.inner_text("#ll-suggest")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.wait_for_selector("#ll-search-results li")
    page.fill("#ll-search-q", "健康")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#ll-search-status').textContent.includes('21')"
                           " || document.querySelectorAll('#ll-search-results li').length > 0")
    before = page.inner_text("#ll-search-status")
    page.locator("#ll-facets input[name=kind]").first.check()
    page.wait_for_function(f"document.querySelector('#ll-search-status').textContent !== {before!r}")
    assert "kind=" in page.url
    count = int(re.search(r"\d+", page.inner_text("#ll-search-status")).group())
    assert page.locator("#ll-search-results li").count() == min(count, 20)
    visit.close()


def test_a_subset_copy_keeps_to_its_entries(browser: Any, subset_copy: Path,
                                            catalogue: Any) -> None:
    live = [e for e in catalogue.entries
            if catalogue.matches(e, {"kind": ("lecture",), "mode": ("livestream",)})]
    series = {e.series for e in live if e.series}
    visit = Visit(browser, subset_copy, "index.html")
    page = visit.page
    totals = page.inner_text(".ll-totals")
    assert f"全部内容\n{len(live) + len(series)}" in totals
    assert "全民阅读" not in page.inner_text(".ll-tiles--sections")
    page.fill("#ll-q", live[0].title[:4])
    page.wait_for_selector("#ll-suggest:not([hidden]) [role=option]")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.wait_for_selector("#ll-search-results li")
    kinds = page.inner_text("#ll-facets")
    assert "电子书" not in kinds
    assert "微课" not in kinds
    visit.close()
    outside = sorted(p.name for p in subset_copy.glob("*.html")
                     if "此条目不在这份离线副本中" in p.read_text(encoding="utf-8"))
    assert outside, "the live section's entries point at entries outside it"
    note = Visit(browser, subset_copy, outside[0])
    assert_qr_drawn(note.page, f"https://lifelong.example.org/{outside[0][:-5]}/")
    assert note.page.locator("a.ll-external").get_attribute("href").startswith(
        "https://lifelong.example.org/")
    note.close()
