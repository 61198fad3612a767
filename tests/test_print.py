"""The print kit in real Chromium: posters, table cards and the schedule sheet, printed to PDF.

Each page is opened (online over HTTP, and the offline copy of a subset from file://), its
print control pressed (print.js puts the view on the page, brings in its QR codes and calls
the browser's print, which the test catches), then printed with Chromium's own
``page.pdf()``. The PDF's pages are rendered to images by PDFium (pypdfium2) and every QR
code on them is decoded by a real decoder (zxing-cpp): each must give the entry's public
address (site_url + its address), print at least 4 cm wide, and stand beside its title
and code in the PDF's text. The SVG files `lifelong qr` writes for designers' posters are
printed and decoded the same way.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from click.testing import CliRunner

from browser import PageLog, serve_folder
from lifelong.cli import main
from sitekit import build_site, course, one_of_each, read, write_project

pytestmark = pytest.mark.browser

PUBLIC = "https://lifelong.example.org/"
SITE_NAME = "终身学习资源目录"
#: Before the tiny site's lecture (Friday 2027-03-05 19:30 +08:00): it is this week's.
THIS_WEEK = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
#: Weeks before it: on the schedule page it is a later one, not on the notice-board sheet.
WEEKS_BEFORE = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
#: Rendering resolution of the PDF pages (dots per inch): a module of a 4 cm code is ~7 px.
DPI = 150
A4_POINTS = (595, 842)  # 210 x 297 mm in PDF units (1/72 inch), rounded

#: The catalogue: every kind, and ten more courses, so that a section's listing fills more
#: than one sheet of cards (8 to a sheet).
EXTRA = [course(f"extra-{n:02d}", title=f"社区健身操第{n + 1}课", published=f"2024-04-{n + 1:02d}")
         for n in range(10)]


# -- sites --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("print-online")
    return build_site(write_project(root, one_of_each() + EXTRA, plugin={"page_size": 24}))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A centre's subset (one section) of the offline copy, as ``lifelong bundle --section``
    makes it: its QR codes still lead to the public site."""
    root = tmp_path_factory.mktemp("print-offline")
    return build_site(write_project(root, one_of_each() + EXTRA, plugin={
        "page_size": 60, "offline": True, "subset_sections": ["community-education"]},
        mkdocs={"use_directory_urls": False}))


@pytest.fixture(scope="module")
def online_url(online_site: Path) -> Iterator[str]:
    with serve_folder(online_site) as url:
        yield url


#: Where each page is, online and in the offline copy.
PAGES = {"home": ("", "index.html"),
         "course": ("taiji-basics/", "taiji-basics.html"),
         "series": ("phone-class/", "phone-class.html"),
         "section": ("community-education/", "community-education/index.html"),
         "subject": ("subjects/exercise/", "subjects/exercise/index.html"),
         "schedule": ("schedule/", "schedule/index.html")}


def address(where: str, name: str, online_url: str, offline_site: Path) -> str:
    online, offline = PAGES[name]
    return online_url + online if where == "online" else offline_site.as_uri() + "/" + offline


# -- printing and reading the PDF ---------------------------------------------------------------

#: The browser's print dialog, caught: print.js has put the view on the page by then.
CATCH_PRINT = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"


@dataclass
class Code:
    text: str
    cm: float     #: the symbol's width, quiet zone left out


@dataclass
class PrintedPage:
    size: tuple[int, int]   #: in PDF units, rounded
    text: str
    codes: list[Code]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.clock.set_fixed_time(THIS_WEEK)
    context.add_init_script(CATCH_PRINT)
    tab = context.new_page()
    log = PageLog()
    log.watch(tab)
    try:
        yield tab
        assert log.errors == []
        assert log.failed == []
        assert [u for u in log.requests if u.startswith("http") and "127.0.0.1" not in u] == []
    finally:
        context.close()


def press(tab: Any, url: str, view: str) -> None:
    """Open ``url`` and press the control that prints ``view``; wait for the print call."""
    tab.goto(url, wait_until="load")
    button = tab.locator(f"button[data-ll-print={view}]")
    assert button.is_visible()
    assert tab.locator(".ll-print").evaluate_all(
        "views => views.every(v => getComputedStyle(v).display === 'none')")  # screen: none
    button.click()
    tab.wait_for_function("window.__printed === 1")


def printed(tab: Any) -> list[PrintedPage]:
    pdf = pypdfium2.PdfDocument(tab.pdf(prefer_css_page_size=True))
    pages = []
    for number in range(len(pdf)):
        sheet = pdf[number]
        width, height = sheet.get_size()
        text = sheet.get_textpage().get_text_range()
        bitmap = sheet.render(scale=DPI / 72, grayscale=True)
        pixels = memoryview(bitmap.buffer).cast("B", (bitmap.height, bitmap.stride))
        codes = [Code(found.text, _width_cm(found.position))
                 for found in zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)]
        pages.append(PrintedPage((round(width), round(height)), text, codes))
    return pages


def _width_cm(position: Any) -> float:
    top_left, top_right = position.top_left, position.top_right
    pixels = math.hypot(top_right.x - top_left.x, top_right.y - top_left.y)
    return pixels / DPI * 2.54


def words(text: str) -> str:
    """The PDF's text without the line breaks and spaces the layout put in."""
    return re.sub(r"\s+", "", text)


# -- the code on the page ---------------------------------------------------------------------

def test_an_entry_page_draws_its_qr_code_from_its_address(page: Any, online_url: str) -> None:
    """No file per entry: the page carries its public address, lifelong.js loads qr.js (once,
    from the site) to draw it, and the page printed as it is gives a code a phone reads."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.removeprefix(online_url)))
    page.goto(online_url + "taiji-basics/", wait_until="load")
    page.locator(".ll-qr__code svg path").wait_for(state="attached")
    assert [u for u in asked if "qr" in u] == ["assets/lifelong/qr.js"]
    assert page.locator(".ll-qr__code svg").bounding_box()["width"] == 132
    assert [code.text for sheet in printed(page) for code in sheet.codes] == \
        [PUBLIC + "taiji-basics/"]


# -- posters --------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["online", "offline"])
def test_an_entry_poster_prints_its_public_qr_code_title_and_code(
        page: Any, where: str, online_url: str, offline_site: Path) -> None:
    press(page, address(where, "course", online_url, offline_site), "poster")
    [sheet] = printed(page)
    assert sheet.size == A4_POINTS
    [code] = sheet.codes
    assert code.text == PUBLIC + "taiji-basics/"
    assert code.cm >= 7.5  # a poster's: 9 cm with its quiet zone
    text = words(sheet.text)
    for shown in (SITE_NAME, "二十四式太极拳入门", "编号382915", "用手机扫一扫二维码",
                  "或在网站首页输入编号", PUBLIC + "taiji-basics/"):
        assert shown in text, shown
    assert "基本信息" not in text  # the poster alone, not the page


@pytest.mark.parametrize("where", ["online", "offline"])
def test_a_series_poster_lists_its_parts_with_their_codes(
        page: Any, where: str, online_url: str, offline_site: Path) -> None:
    press(page, address(where, "series", online_url, offline_site), "poster")
    [sheet] = printed(page)
    assert [c.text for c in sheet.codes] == [PUBLIC + "phone-class/"]
    text = words(sheet.text)
    assert "智能手机课堂" in text
    for title, code in [("第一讲开机与设置", "phone-1"), ("第二讲微信视频通话", "phone-2"),
                        ("第三讲防范电信诈骗", "phone-3")]:
        assert title + code in text


@pytest.mark.parametrize("where", ["online", "offline"])
def test_a_section_poster_leads_to_the_section(page: Any, where: str, online_url: str,
                                               offline_site: Path) -> None:
    press(page, address(where, "section", online_url, offline_site), "poster")
    [sheet] = printed(page)
    [code] = sheet.codes
    assert code.text == PUBLIC + "community-education/"
    assert code.cm >= 7.5
    text = words(sheet.text)
    assert "社区教育与老年教育" in text
    assert "二十四式太极拳入门382915" in text  # the section's featured entry, with its code


@pytest.mark.parametrize("where", ["online", "offline"])
def test_the_home_poster_is_the_copys_own(page: Any, where: str, online_url: str,
                                          offline_site: Path) -> None:
    """The home page's poster leads to the public site and lists the copy's entries with
    their codes: in a centre's subset copy, only what the copy holds."""
    press(page, address(where, "home", online_url, offline_site), "poster")
    [sheet] = printed(page)
    [code] = sheet.codes
    assert code.text == PUBLIC
    assert code.cm >= 7.5
    text = words(sheet.text)
    assert SITE_NAME in text
    assert "二十四式太极拳入门382915" in text  # featured, with its code
    items = text.split("更多内容", 1)[1]
    assert "社区健身操第10课extra-09" in items  # the newest course of the section
    # The newest entry of all, a lecture of another section, is not in the subset copy.
    assert ("老年人如何防跌倒" in items) is (where == "online")


# -- table cards ----------------------------------------------------------------------------------

def listed(tab: Any) -> list[str]:
    """The addresses of the entries the listing shows (its grid of cards, not featured)."""
    ids: list[str] = tab.evaluate("""[...document.querySelectorAll(
        "[data-ll-read=titles] .ll-card__link")].map(a => a.getAttribute("href")
        .replace(/^(\\.\\.\\/)+/, "").replace(/(\\/|\\.html)$/, ""))""")
    return [PUBLIC + entry_id + "/" for entry_id in ids]


@pytest.mark.parametrize("name", ["section", "subject"])
@pytest.mark.parametrize("where", ["online", "offline"])
def test_a_listing_prints_as_sheets_of_eight_table_cards(
        page: Any, where: str, name: str, online_url: str, offline_site: Path) -> None:
    press(page, address(where, name, online_url, offline_site), "cards")
    expected = listed(page)
    assert len(expected) > 8
    sheets = printed(page)
    assert [len(s.codes) for s in sheets] == [8, len(expected) - 8]  # a card per entry
    assert all(s.size == A4_POINTS for s in sheets)
    assert sorted(c.text for s in sheets for c in s.codes) == sorted(expected)
    assert min(c.cm for s in sheets for c in s.codes) >= 4
    text = words("".join(s.text for s in sheets))
    for number in range(10):
        assert f"社区健身操第{number + 1}课编号extra-{number:02d}" in text


# -- the schedule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["online", "offline"])
def test_the_schedule_prints_this_weeks_lectures_with_a_qr_code(
        page: Any, where: str, online_url: str, offline_site: Path) -> None:
    if where == "offline":  # the subset has no lecture, hence no schedule page
        assert not (offline_site / "schedule").exists()
        return
    press(page, address(where, "schedule", online_url, offline_site), "schedule")
    [sheet] = printed(page)
    assert [c.text for c in sheet.codes] == [PUBLIC + "schedule/"]
    assert sheet.codes[0].cm >= 4
    text = words(sheet.text)
    assert "本周" in text
    assert "老年人如何防跌倒" in text
    assert "扫码查看最新安排" in text
    assert "时间均为北京时间" not in text  # the page's introduction is left out


def test_the_schedule_sheet_leaves_out_lectures_after_next_week(
        browser: Any, online_url: str) -> None:
    context = browser.new_context()
    context.clock.set_fixed_time(WEEKS_BEFORE)
    try:
        tab = context.new_page()
        tab.goto(online_url + "schedule/", wait_until="load")  # printed as it is
        [sheet] = printed(tab)
        assert "老年人如何防跌倒" not in words(sheet.text)
        assert [c.text for c in sheet.codes] == [PUBLIC + "schedule/"]
    finally:
        context.close()


# -- what a page holds --------------------------------------------------------------------------

def test_print_views_are_in_the_pages_and_cost_no_file_per_entry(
        online_site: Path, offline_site: Path) -> None:
    """A card's QR code is its entry's path from the site's public address, drawn only when
    printed; the same online and offline. No poster, card or QR file of their own."""
    for site in (online_site, offline_site):
        section = read(site, "community-education/index.html")
        listed = section.count('<li class="ll-card ') - 1  # the featured card is not listed
        assert listed > 8
        assert f'data-ll-base="{PUBLIC}"' in section
        paths = re.search(r'data-ll-cards="([^"]*)"', section).group(1).split(" ")
        assert len(paths) == listed
        assert "taiji-basics/" in paths
        assert all(re.fullmatch(r"[a-z0-9-]+/", path) for path in paths)
        assert not (site / "qr").exists()
    assert [p for p in offline_site.rglob("*") if re.search("poster|card", p.name)] == []


def test_lifelong_qr_writes_every_entrys_code_for_printed_posters(
        page: Any, online_site: Path, tmp_path: Path) -> None:
    """The files lead where the pages' codes do; printed at 5 cm, each scans."""
    out = tmp_path / "qr"
    result = CliRunner().invoke(main, ["qr", "--out", str(out), "--project",
                                       str(online_site.parent)])
    assert result.exit_code == 0, result.output
    ids = sorted(p.stem for p in out.iterdir())
    assert ids == sorted(e["id"] for e in one_of_each() + EXTRA)
    assert result.output == f"Wrote {len(ids)} QR codes to {out}, each leading to {PUBLIC}<id>/.\n"
    svg = (out / "taiji-basics.svg").read_text(encoding="utf-8")
    assert f"<title>二十四式太极拳入门 {PUBLIC}taiji-basics/</title>" in svg
    page.set_content("".join(
        f'<img src="data:image/svg+xml;base64,{base64.b64encode(p.read_bytes()).decode()}" '
        'style="width: 5cm; height: 5cm; margin: 4mm" alt="">' for p in sorted(out.iterdir())))
    codes = [code for sheet in printed(page) for code in sheet.codes]
    assert sorted(code.text for code in codes) == sorted(PUBLIC + i + "/" for i in ids)
    assert min(code.cm for code in codes) >= 4


def test_without_a_site_url_there_is_no_print_kit_and_the_build_says_why(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lifelong")
    site = build_site(write_project(tmp_path, one_of_each(), mkdocs={"site_url": None}))
    for path in ("taiji-basics/index.html", "community-education/index.html",
                 "schedule/index.html"):
        html = read(site, path)
        assert "ll-print" not in html, path
        assert "data-ll-print" not in html, path
    assert ("No site_url in mkdocs.yml: pages show no QR code and no print kit (posters, "
            "table cards, the schedule sheet), whose QR codes lead to the public address."
            in caplog.messages)
