"""Accessibility in real Chromium, as older readers on phones meet the site.

axe-core (from npm: package.json, installed by ``./run test``) with the WCAG 2.1 AA rules
finds no critical and no serious violation on any page type of a tiny site, online and in
the offline copy opened from file://, in normal, care (长辈模式) and high-contrast modes, at a
phone's width. Pages say they are mainland Chinese (``lang="zh-CN"``; ``en`` on an English
site); the menu opens from the keyboard without JavaScript; the 404 page is styled, says
what happened in the site's language, searches and leads home, online at any depth and from
file://.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from sitekit import (
    PAGE_TYPES,
    REPO,
    build_site,
    build_tiny_site,
    fill_mine,
    one_of_each,
    read,
    shipped_theme,
    write_project,
)

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
#: The class each reading mode puts on <html>; the mode is kept as localStorage[class] = "1".
MODES = {"normal": "", "care": "ll-care", "contrast": "ll-contrast"}
#: Before the tiny site's lecture (2027-03-05 19:30 +08:00): its orange "即将开始" badge shows.
CLOCK = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

#: Every page type of the tiny site: its name, its online address and the offline copy's file.
PAGES = [*PAGE_TYPES, ("404", "no/such/page/", "404.html")]

#: What axe found, cut to what a failure shows: rule, impact, and each node with the
#: colours and contrast when axe measured them, else what axe says of it.
AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]})
  .then(result => result.violations
    .filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 6).map(n => {
      const check = n.any[0] || n.all[0] || n.none[0] || {}, data = check.data || {};
      return n.target.join(" ") + (data.fgColor ? ` (${data.fgColor} on ${data.bgColor}: `
        + `${data.contrastRatio}, needs ${data.expectedContrastRatio})` : `: ${check.message}`);
    }), more: Math.max(0, v.nodes.length - 6)})))"""


# -- sites ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_site(tmp_path_factory.mktemp("a11y-online"))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_site(tmp_path_factory.mktemp("a11y-offline"), offline=True)


def host(folder: Path) -> Any:
    """The site on a web host that answers a missing address with its 404.html."""
    return serve_folder(folder, not_found_page=True)


@pytest.fixture(scope="module")
def online_url(online_site: Path) -> Iterator[str]:
    with host(online_site) as url:
        yield url


def addresses(where: str, online_url: str, offline_site: Path) -> list[tuple[str, str]]:
    """(page type, address) of every page type, online or in the offline copy."""
    if where == "online":
        return [(name, online_url + path) for name, path, _ in PAGES]
    root = offline_site.as_uri() + "/"
    return [(name, root + path) for name, _, path in PAGES]


# -- the browser ------------------------------------------------------------------------------

@contextmanager
def phone(browser: Any, mode: str = "normal", **options: Any) -> Iterator[Any]:
    """A new phone-sized context (its own storage) in ``mode``, as the reader chose it on
    this device before, and its page, with the clock before the lecture."""
    context = browser.new_context(viewport=PHONE, **options)
    context.clock.set_fixed_time(CLOCK)
    if MODES[mode]:
        context.add_init_script(
            f"try {{ localStorage.setItem('{MODES[mode]}', '1'); }} catch (e) {{}}")
    try:
        yield context.new_page()
    finally:
        context.close()


def open_page(page: Any, url: str) -> None:
    if "/mine/" in url:  # 我的学习 is checked with entries kept on the device
        fill_mine(page, url)
    page.goto(url, wait_until="load")
    if "/search/" in url:  # results come from scripts the search loads on demand
        page.wait_for_function("document.querySelector('#ll-search-results > li')")


@pytest.fixture(scope="module")
def axe_url() -> Iterator[str]:
    """axe-core's address on a server of its own: pages load it by address, so Chromium
    compiles it once and reuses the code on every page (injected as text, it is compiled
    again on each, three times slower); file:// pages load it from there too."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` in the repository (./run test does)")
    with serve_folder(AXE.parent) as url:
        yield url + AXE.name


def axe_violations(page: Any, axe_url: str) -> list[dict[str, Any]]:
    page.add_script_tag(url=axe_url)
    found: list[dict[str, Any]] = page.evaluate(AXE_RUN, WCAG_21_AA)
    return found


def report(problems: list[tuple[str, dict[str, Any]]]) -> str:
    lines = []
    for name, v in problems:
        more = f" (and {v['more']} more)" if v["more"] else ""
        lines.append(f"{name}: {v['id']} [{v['impact']}]{more}")
        lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("where", ["online", "offline"])
def test_no_page_type_has_a_critical_or_serious_violation(
        browser: Any, where: str, mode: str, online_url: str, offline_site: Path,
        axe_url: str) -> None:
    problems: list[tuple[str, dict[str, Any]]] = []
    with phone(browser, mode) as page:
        for name, url in addresses(where, online_url, offline_site):
            open_page(page, url)
            if MODES[mode]:
                assert page.evaluate("c => document.documentElement.classList.contains(c)",
                                     MODES[mode]), f"{name}: {mode} mode is not on"
            problems += [(name, v) for v in axe_violations(page, axe_url)]
    assert problems == [], f"axe, {where}, {mode} mode:\n" + report(problems)


# -- every palette ----------------------------------------------------------------------------

def material_palettes() -> tuple[list[str], list[str]]:
    """The primary and accent colour names of the installed Material for MkDocs, read from
    its palette stylesheet (a new release's new colour is tested without a change here)."""
    import material

    sheets = Path(material.__file__).parent.glob("templates/assets/stylesheets/palette.*.css")
    css = next(sheets).read_text(encoding="utf-8")
    return (sorted(set(re.findall(r"\[data-md-color-primary=([a-z-]+)\]", css))),
            sorted(set(re.findall(r"\[data-md-color-accent=([a-z-]+)\]", css))))


def contrast(one: str, two: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque computed colours, "rgb(r, g, b)"."""
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: The colours each palette gives, as the page computes them: the header's text on its
#: background, links on the page, the accent as text on white and under white text.
PALETTE_COLOURS = """([primary, accent]) => {
  document.body.setAttribute("data-md-color-primary", primary);
  document.body.setAttribute("data-md-color-accent", accent);
  const probe = document.body.appendChild(document.createElement("span"));
  const colour = (fg, bg) => {
    probe.style.color = fg; probe.style.backgroundColor = bg;
    const style = getComputedStyle(probe);
    return [style.color, style.backgroundColor];
  };
  const found = {
    header: colour("var(--md-primary-bg-color)", "var(--md-primary-fg-color)"),
    link: colour("var(--md-typeset-a-color)", "var(--md-default-bg-color)"),
    accent: colour("var(--md-accent-fg-color)", "var(--md-default-bg-color)"),
    on_accent: colour("var(--md-accent-bg-color)", "var(--md-accent-fg-color)")};
  probe.remove();
  return found;
}"""


def flatten(colour: str, under: str) -> str:
    """A colour with alpha ("rgba(255, 255, 255, 0.7)") over an opaque one, as seen."""
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    if len(values) < 4:
        return colour
    base = [float(v) for v in re.findall(r"[\d.]+", under)[:3]]
    alpha = values[3]
    return "rgb({})".format(", ".join(str(round(c * alpha + b * (1 - alpha)))
                                      for c, b in zip(values[:3], base, strict=True)))


def test_every_material_palette_keeps_text_at_four_and_a_half_to_one(
        browser: Any, online_url: str) -> None:
    """Whichever primary and accent colour mkdocs.yml names, the header's text, links, and
    the accent as text or under text stay at 4.5:1 or more."""
    primaries, accents = material_palettes()
    assert {"teal", "indigo", "yellow", "lime"} <= set(primaries)
    assert "amber" in accents
    weak: list[str] = []
    with phone(browser) as page:
        open_page(page, online_url + "taiji-basics/")
        for primary, accent in zip(primaries, [*accents * 2][:len(primaries)], strict=True):
            found = page.evaluate(PALETTE_COLOURS, [primary, accent])
            for name, (fg, bg) in found.items():
                ratio = contrast(flatten(fg, bg), bg)
                if ratio < 4.5:
                    weak.append(f"{primary}/{accent} {name}: {fg} on {bg} = {ratio:.2f}")
        for accent in accents:
            found = page.evaluate(PALETTE_COLOURS, ["teal", accent])
            for name in ("accent", "on_accent"):
                fg, bg = found[name]
                ratio = contrast(flatten(fg, bg), bg)
                if ratio < 4.5:
                    weak.append(f"accent {accent} {name}: {fg} on {bg} = {ratio:.2f}")
    assert weak == [], "\n".join(weak)


# -- the page language ------------------------------------------------------------------------

def test_every_page_says_it_is_mainland_chinese(online_site: Path, offline_site: Path) -> None:
    for site in (online_site, offline_site):
        pages = [p for p in site.rglob("*.html") if "reading/files" not in p.as_posix()]
        assert len(pages) > 40
        for page in pages:
            html = page.read_text(encoding="utf-8")
            assert re.findall(r"<html lang=\"([^\"]*)\"", html) == ["zh-CN"], page
            assert ' lang="zh"' not in html, page  # nor a part of one (an entry's article)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("a11y-english")
    return build_site(write_project(root, one_of_each(), mkdocs={
        "theme": {**shipped_theme(), "language": "en"}}))


def test_an_english_site_says_en_and_its_404_page_is_english(english_site: Path) -> None:
    for path in ("index.html", "taiji-basics/index.html", "404.html"):
        assert '<html lang="en" class="no-js">' in read(english_site, path), path
    page = read(english_site, "404.html")
    assert "<title>Page not found - 终身学习资源目录</title>" in page
    assert '<a class="ll-notfound__home" href="/.">Back to the home page</a>' in page
    assert "找不到" not in page


# -- the menu ---------------------------------------------------------------------------------

def test_the_menu_opens_from_the_keyboard_without_javascript(browser: Any,
                                                             online_url: str) -> None:
    with phone(browser, java_script_enabled=False) as page:
        open_page(page, online_url + "taiji-basics/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "__drawer"
        label = page.locator(".md-header__button[for=__drawer]")
        assert label.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
        page.keyboard.press("Space")
        assert page.locator("#__drawer").is_checked()
        # The drawer slides into view (the theme's transition, a quarter of a second; polled
        # from here: with JavaScript off, the page cannot run wait_for_function's polling).
        left = "document.querySelector('.md-sidebar--primary').getBoundingClientRect().left"
        for _ in range(100):
            if page.evaluate(left) >= 0:
                break
            page.wait_for_timeout(50)
        assert page.evaluate(left) >= 0
        page.set_viewport_size({"width": 1280, "height": 800})  # the sidebar shows: no menu
        assert page.locator("#__drawer").evaluate("e => getComputedStyle(e).display") == "none"


# -- the 404 page -----------------------------------------------------------------------------

def colours(page: Any) -> dict[str, str]:
    """What the theme and our stylesheet draw: without them both are transparent."""
    return page.evaluate("""() => ({
        header: getComputedStyle(document.querySelector(".md-header")).backgroundColor,
        home: getComputedStyle(document.querySelector(".ll-notfound__home")).backgroundColor})""")


def colours_of_header(page: Any) -> str:
    colour: str = page.evaluate(
        "getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"
    return colour


def assert_stays_inside(log: PageLog, inside: str, *, not_found: str = "") -> None:
    """Nothing failed and nothing was asked outside ``inside``, but the address
    ``not_found`` that the server answered with the 404 page (Chromium logs its status)."""
    answered = [f"{not_found} HTTP 404"] if not_found else []
    logged = ["console error: Failed to load resource: the server responded with a status "
              "of 404 (Not Found)"] if not_found else []
    assert log.errors == logged
    assert [u for u in log.requests if not u.startswith(inside)] == []
    assert log.failed == answered


def test_the_404_page_is_styled_searches_and_leads_home_at_any_depth(
        browser: Any, online_url: str) -> None:
    with phone(browser) as page:
        open_page(page, online_url)
        home_header = colours_of_header(page)
        log = PageLog()
        log.watch(page)
        missing = online_url + "courses/no-such-course/"
        response = page.goto(missing, wait_until="load")
        assert response is not None
        assert response.status == 404
        assert page.title() == "找不到这个页面 - 终身学习资源目录"
        assert page.locator("h1").inner_text() == "找不到这个页面"
        assert colours(page) == {"header": home_header, "home": home_header}
        assert page.locator(".ll-notfound__home").evaluate("a => a.href") == online_url
        page.locator("#ll-notfound-q").fill("太极")
        page.locator(".ll-notfound__search button").click()
        page.wait_for_url(online_url + "search/?q=%E5%A4%AA%E6%9E%81")
        page.wait_for_function("document.querySelector('#ll-search-results > li')")
        assert_stays_inside(log, online_url, not_found=missing)


def test_the_offline_404_page_is_styled_searches_and_leads_home_from_file(
        browser: Any, offline_site: Path) -> None:
    root = offline_site.as_uri() + "/"
    with phone(browser) as page:
        open_page(page, root + "index.html")
        home_header = colours_of_header(page)
        log = PageLog()
        log.watch(page)
        open_page(page, root + "404.html")
        assert page.locator("h1").inner_text() == "找不到这个页面"
        assert colours(page) == {"header": home_header, "home": home_header}
        assert page.locator(".ll-notfound__home").evaluate("a => a.href") == root + "index.html"
        page.locator("#ll-notfound-q").fill("太极")
        page.locator("#ll-notfound-q").press("Enter")
        page.wait_for_url(root + "search/index.html?q=%E5%A4%AA%E6%9E%81")
        page.wait_for_function("document.querySelector('#ll-search-results > li')")
        assert_stays_inside(log, root)
