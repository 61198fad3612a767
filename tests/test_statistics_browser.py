"""The statistics page (数据统计) in real Chromium at a phone's width, from the offline copy
(file://), with centres, teachers and entries in several provinces: no console error and no
request outside the copy; no sideways scroll; every text of the charts and the map at least
the size of the page's body text and inside its picture, in the normal, care (长辈模式) and
high-contrast modes; the colours of the map's squares and their text (4.5:1, 7:1 in high
contrast; squares and bars 3:1 against the page); the map's views switch without
JavaScript, by touch or keyboard; a province leads to its region's page.

The page in every page type's accessibility walk (axe) and care-mode measures:
tests/sitekit.py PAGE_TYPES."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from sitekit import THEME, build_site, shipped_theme, write_project
from test_a11y import AXE, AXE_RUN, WCAG_21_AA, contrast
from test_care_mode import CONTRASTS, OVERFLOW, TARGETS, focus_faults, text_faults
from test_statistics import statistics_entries

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
MODES = {"normal": "", "care": "ll-care", "contrast": "ll-contrast"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline copy of a tiny site with centres and teachers (file://; offline pages
    carry no JSON-LD)."""
    root = tmp_path_factory.mktemp("stats-browser")
    theme = shipped_theme()
    # Until the package draws the pages of teachers and centres, a bare page for each in
    # the site's own theme folder (the statistics page links only to region pages).
    stubs = root / "overrides" / "lifelong"
    for kind in ("teacher", "centre"):
        if not (THEME / "lifelong" / f"entry-{kind}.html").is_file():
            stubs.mkdir(parents=True, exist_ok=True)
            (stubs / f"entry-{kind}.html").write_text(
                '{% extends "lifelong/entry-base.html" %}\n', encoding="utf-8")
            theme["custom_dir"] = "overrides"
    return build_site(write_project(root, statistics_entries(), mkdocs={
        "theme": theme, "use_directory_urls": False}, plugin={"offline": True}))


@contextmanager
def phone(browser: Any, site: Path, mode: str = "normal", *, root: str | None = None,
          **options: Any) -> Iterator[Any]:
    """The statistics page on a phone, in ``mode`` as chosen before on the device, from
    the copy (or the copy served at ``root``); at the end, no console error and nothing
    asked outside the copy."""
    root = root or site.as_uri() + "/"
    context = browser.new_context(viewport=PHONE, **options)
    if MODES[mode]:
        context.add_init_script(f"localStorage.setItem('{MODES[mode]}', '1')")
    page = context.new_page()
    log = PageLog()
    log.watch(page)
    try:
        page.goto(root + "statistics/index.html", wait_until="load")
        yield page
        assert log.errors == []
        assert log.failed == []
        assert [url for url in log.requests if not url.startswith(root)] == []
    finally:
        context.close()


#: For each text of the charts and the map: its size against the body text's, and whether
#: it lies inside its picture (a map label: inside its square).
TEXTS = """() => {
  const body = parseFloat(getComputedStyle(document.querySelector(".ll-intro")).fontSize)
    / 1.05;  /* the introduction is 1.05 times the body text */
  return [...document.querySelectorAll(".ll-chart__svg text, .ll-map__svg text")].map(t => {
    const box = t.getBoundingClientRect();
    const frame = (t.closest("[aria-label]") && t.closest("[aria-label]").querySelector("rect")
                   || t.closest("svg")).getBoundingClientRect();
    return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), body,
            inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5
                    && box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5};
  });
}"""

#: The colours of each square of the map (its fill, outline and label) and of the page.
SQUARES = """() => {
  const page = getComputedStyle(document.body).backgroundColor;
  return [...document.querySelectorAll(".ll-map__svg [aria-label]")].map(group => {
    const rect = getComputedStyle(group.querySelector("rect"));
    return {name: group.getAttribute("aria-label"), fill: rect.fill, edge: rect.stroke,
            ink: getComputedStyle(group.querySelector("text")).fill, page,
            none: group.classList.contains("ll-map__none")};
  });
}"""


def rgb(colour: str) -> str:
    """A computed colour as "rgb(r, g, b)" (the page's background may be said as rgba)."""
    return "rgb(" + ", ".join(colour.split("(")[1].split(")")[0].split(",")[:3]) + ")"


@pytest.mark.parametrize("mode", list(MODES))
def test_the_page_reads_at_a_phones_width_in_every_mode(browser: Any, site: Path,
                                                        mode: str) -> None:
    with phone(browser, site, mode) as page:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        texts = page.evaluate(TEXTS)
        assert len(texts) > 34 + 10
        small = [t for t in texts if t["size"] < t["body"] - 0.05]
        assert small == [], small[:3]
        cut = [t["text"] for t in texts if not t["inside"]]
        assert cut == []
        if mode == "care":
            assert min(t["size"] for t in texts) >= 30
        least = 7 if mode == "contrast" else 4.5
        squares = page.evaluate(SQUARES)
        assert len(squares) == 34
        for square in squares:
            back = rgb(square["page"])
            fill = back if square["none"] else rgb(square["fill"])
            assert contrast(rgb(square["ink"]), fill) >= least, square
            assert contrast(rgb(square["edge"]), back) >= 3, square
        bars = page.evaluate("""() => [...document.querySelectorAll('.ll-chart__bar')]
            .map(bar => getComputedStyle(bar).fill)""")
        back = rgb(page.evaluate(
            "getComputedStyle(document.body).backgroundColor"))
        assert bars
        assert all(contrast(rgb(fill), back) >= 3 for fill in bars), set(bars)


#: The fill of a province's square and which keys are shown.
SHOWN = """name => ({
  fill: getComputedStyle(document.querySelector(`.ll-map__svg [aria-label^="${name}："] rect`)).fill,
  keys: [...document.querySelectorAll(".ll-map__key")].filter(k => k.offsetParent).map(
    k => k.querySelector(".ll-map__key-name").textContent)})"""


def test_the_views_switch_without_javascript_by_touch_and_keyboard(browser: Any,
                                                                   site: Path) -> None:
    with phone(browser, site, java_script_enabled=False) as page:
        # 四川: 8 centres (the most), no teacher; 浙江: 3 centres, 2 teachers (the most)
        assert page.evaluate(SHOWN, "四川") == {"fill": "rgb(8, 48, 107)", "keys": ["学习中心："]}
        assert page.evaluate(SHOWN, "浙江")["fill"] == "rgb(107, 174, 214)"
        page.locator("label[for=ll-map-t]").click()
        assert page.evaluate(SHOWN, "四川") == {"fill": "rgb(255, 255, 255)", "keys": ["师资："]}
        assert page.evaluate(SHOWN, "浙江")["fill"] == "rgb(8, 48, 107)"
        assert page.locator("#ll-map-t").is_checked()
        page.keyboard.press("ArrowRight")  # the radio buttons, as any others
        assert page.locator("#ll-map-e").is_checked()
        assert page.evaluate(SHOWN, "四川")["keys"] == ["学习资源："]
        checked = page.evaluate("""() => getComputedStyle(
            document.querySelector("label[for=ll-map-e]")).backgroundColor""")
        assert checked != page.evaluate("""() => getComputedStyle(
            document.querySelector("label[for=ll-map-c]")).backgroundColor""")


@pytest.mark.parametrize("mode", list(MODES))
def test_the_switch_passes_axe_and_the_care_mode_measures(browser: Any, site: Path,
                                                         mode: str) -> None:
    """The page with the map's switch (the tiny site of every page type's walk has one
    view, so no switch): axe, targets, text, focus rings, contrast and reflow. Served, as
    axe reads the stylesheets, which a page from file:// may not."""
    with serve_folder(site) as root, phone(browser, site, mode, root=root) as page:
        assert page.locator(".ll-map__view").count() == 3
        care = mode == "care"
        assert page.evaluate(OVERFLOW) == []
        assert page.evaluate(TARGETS, 60 if care else 44) == []
        assert text_faults(page, 30 if care else 16, line_height=1.5 if care else 0) == []
        if mode == "contrast":
            assert page.evaluate(CONTRASTS, 7) == []
        assert focus_faults(page, stops=12) == []
        page.add_script_tag(path=str(AXE))  # as text: no request outside the copy
        assert page.evaluate(AXE_RUN, WCAG_21_AA) == []


def test_a_province_leads_to_its_region_page(browser: Any, site: Path) -> None:
    with phone(browser, site) as page:
        page.locator('.ll-map__svg a[aria-label^="四川："]').click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/regions/sichuan/index.html")
        assert page.locator("h1").inner_text() == "四川"
