"""长辈模式 (care mode), high contrast and pages that reflow, measured in real Chromium.

The modes are a class on <html> (``ll-care``, ``ll-contrast``) that a small inline script in
the head sets before the first paint, from localStorage or from the address (``?care=1``);
the header's toggle buttons change them (lifelong.js). What is checked, on the rendered
pages (computed styles and boxes, never the stylesheet's text):

- the toggles keep the mode across reloads and navigation, from file:// too, and another
  open tab follows; the address parameter turns it on and off; the class is on <html>
  before <body> exists;
- care mode: every piece of text at least 30 px, every line at least 1.5 times its text,
  targets at least 60 x 60 px; the normal mode: targets at least 44 x 44 px, text at least
  16 px; a visible focus (3:1 against what surrounds it) on everything Tab reaches;
- high contrast: every piece of text at least 7:1 against what is behind it;
- every page type at 320 and 360 px wide, with text at 200 %, in both modes: no sideways
  scroll, nothing cut off, the site's name whole in the header and a link home;
- without JavaScript, pages are as readable and show no toggle that could not work.

Targets are links, buttons, inputs and selects in the header and the page's content. A link
inside a sentence (a paragraph with text of its own, or editors' text) is exempt, as WCAG
2.5.5 exempts inline targets: its size is the line's; links the templates list on their own
(breadcrumbs, terms, details, downloads) are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from sitekit import PAGE_TYPES, build_tiny_site, fill_mine

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SITE_NAME = "终身学习资源目录"

#: Every page type of the tiny site: its name, its online address and the offline file.
PAGES = [*PAGE_TYPES, ("404", "404.html", "404.html")]
#: The pages whose numbers are measured in full: an entry, a listing, home, search,
#: 我的学习 with what it lists, a teacher's profile and a centre with its activities.
MEASURED = ["course", "section", "home", "search", "mine", "teacher", "centre"]
#: Measured for high contrast too: the other kinds of page that issue 22 added.
CONTRASTED = ["activity", "centres of a province", "marks of a year"]


# -- sites and pages --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_site(tmp_path_factory.mktemp("care-online"))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_site(tmp_path_factory.mktemp("care-offline"), offline=True)


@pytest.fixture(scope="module")
def online_url(online_site: Path) -> Iterator[str]:
    with serve_folder(online_site) as url:
        yield url


def address(where: str, name: str, online_url: str, offline_site: Path) -> str:
    online, offline = next((o, f) for n, o, f in PAGES if n == name)
    return online_url + online if where == "online" else offline_site.as_uri() + "/" + offline


@contextmanager
def phone(browser: Any, *scripts: str, large_text: bool = False, **options: Any
          ) -> Iterator[Any]:
    """A phone-sized page in a context of its own (its own storage), with ``scripts`` run
    before each page's own. ``large_text``: the browser's default text size doubled, as a
    phone's large system text does: the theme sizes everything in rem from 125 % of it, so
    all text doubles (an inline style on <html> would pin the root instead, and hide care
    mode's own root size)."""
    context = browser.new_context(viewport=PHONE, **options)
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    if large_text:
        cdp = context.new_cdp_session(page)
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    log = PageLog()
    log.watch(page)
    try:
        yield page
        assert log.errors == [], log.errors
    finally:
        context.close()


def open_page(page: Any, url: str) -> None:
    if "/mine/" in url:  # 我的学习 is measured with entries kept on the device
        fill_mine(page, url)
    page.goto(url, wait_until="load")
    if "search/" in url and "q=" in url:  # results come from scripts loaded on demand
        page.wait_for_function("document.querySelector('#ll-search-results > li')")
        toggle = page.locator(".ll-search-filters__toggle")
        if toggle.is_visible():  # on a phone the filters are folded: measure them open
            toggle.click()


def set_mode(page: Any, care: bool = False, contrast: bool = False) -> None:
    """The mode's classes, as the toggles set them (the toggles are tested on their own)."""
    page.evaluate("""([care, contrast]) => {
        document.documentElement.classList.toggle("ll-care", care);
        document.documentElement.classList.toggle("ll-contrast", contrast); }""",
                  [care, contrast])


#: A mode the reader chose on this device before (a script run before the page's own).
CHOSEN = "localStorage.setItem('{}', '1')"


def html_classes(page: Any) -> list[str]:
    classes: list[str] = page.evaluate("[...document.documentElement.classList]")
    return classes


# -- what is measured (in the page) ---------------------------------------------------------

#: Shared helpers: what is shown, links inside a sentence, colours and their contrast.
HELPERS = """
const shown = el => {
  if (el.closest("[hidden], [aria-hidden=true], .ll-visually-hidden, noscript, svg")) return false;
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height || getComputedStyle(el).visibility !== "visible") return false;
  for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).opacity === "0") return false;
  return true;
};
const inSentence = el => {
  if (el.tagName !== "A") return false;
  const block = el.closest("p, li, dd, td, th");
  if (!block || (block.tagName !== "P" && !el.closest(".ll-body, .ll-home__intro"))) return false;
  const rest = block.cloneNode(true);
  rest.querySelectorAll("a").forEach(a => a.remove());
  return /[^\\s·•,，、:：;；.。()（）|›‹]/.test(rest.textContent);
};
const rgba = text => {
  const m = text.match(/[\\d.]+/g).map(Number);
  return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
};
const over = (top, below) => ({r: top.r * top.a + below.r * (1 - top.a),
  g: top.g * top.a + below.g * (1 - top.a), b: top.b * top.a + below.b * (1 - top.a), a: 1});
const behind = el => {   /* the colour behind an element: its backgrounds, composited */
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c.a > 0) layers.push(c);
    if (c.a >= 1) break;
  }
  return layers.reduceRight((below, top) => over(top, below), {r: 255, g: 255, b: 255, a: 1});
};
const luminance = c => {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
};
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
  + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
  + " \\"" + (el.textContent || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 20) + "\\"";
const texts = () => {    /* every element that shows text of its own */
  const found = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest("script, style, sub, sup")) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    if (range.getBoundingClientRect().width > 0 && shown(el)) found.add(el);
  }
  return [...found];
};
"""

TARGETS = HELPERS + """
(least => {
  const wanted = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    + ".md-header__button";
  const small = [];
  for (const el of document.querySelectorAll(
      ".md-header :is(" + wanted + "), .md-content :is(" + wanted + ")")) {
    if (!shown(el) && !(el.matches("input") && shown(el.closest("label") || el))) continue;
    if (inSentence(el)) continue;
    const box = (el.matches("input[type=checkbox], input[type=radio]") && el.closest("label")
                 || el).getBoundingClientRect();
    if (box.width < least - 0.5 || box.height < least - 0.5)
      small.push(describe(el) + " " + Math.round(box.width) + "x" + Math.round(box.height));
  }
  return small;
})"""

TEXT_SIZES = HELPERS + """
(([least, lineHeight]) => texts().flatMap(el => {
  const s = getComputedStyle(el), size = parseFloat(s.fontSize);
  const line = s.lineHeight === "normal" ? 0 : parseFloat(s.lineHeight) / size;
  const wrong = [];
  if (size < least - 0.05) wrong.push(describe(el) + " " + size + "px");
  if (lineHeight && line < lineHeight - 0.01) wrong.push(describe(el) + " line " + s.lineHeight);
  return wrong;
}))"""

CONTRASTS = HELPERS + """
(least => texts().flatMap(el => {
  if (el.closest(":disabled")) return [];
  const colour = rgba(getComputedStyle(el).color);
  for (let e = el; e; e = e.parentElement) colour.a *= parseFloat(getComputedStyle(e).opacity);
  const ratio = contrast(over(colour, behind(el)), behind(el));
  return ratio < least - 0.01 ? [describe(el) + " " + ratio.toFixed(2) + ":1"] : [];
}).concat([...document.querySelectorAll("input, select, textarea")].flatMap(el => {
  /* what a field shows: its value, or its placeholder */
  if (!shown(el) || el.matches("[type=checkbox], [type=radio], [type=hidden]")) return [];
  return [null, "::placeholder"].flatMap(part => {
    const ratio = contrast(over(rgba(getComputedStyle(el, part).color), behind(el)), behind(el));
    return ratio < least - 0.01 ? [describe(el) + (part || "") + " " + ratio.toFixed(2) + ":1"] : [];
  });
})))"""

#: Records, as Tab moves the focus, each stop's focus ring: drawn on the element, or (for a
#: control its label draws: the menu's checkbox, the search filters' boxes) on that label.
FOCUS_RECORDER = HELPERS + """
(() => {
  window.__rings = [];
  const invisible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width <= 1 || r.height <= 1 || s.opacity === "0"; };
  document.addEventListener("focusin", event => {
    let el = event.target;
    if (invisible(el))
      el = [...document.querySelectorAll("label[for='" + el.id + "']")].find(shown)
           || el.closest("label") || el;
    const s = getComputedStyle(el), around = behind(el.parentElement || el);
    window.__rings.push({el: describe(el), ratio: contrast(over(rgba(s.outlineColor), around), around),
                         ring: s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth)});
  });
})"""

OVERFLOW = HELPERS + """
(() => {
  const width = window.innerWidth, wrong = [];
  if (document.documentElement.scrollWidth > width)
    wrong.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + width);
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || el.closest(".md-sidebar, .ll-card__cover, .ll-suggest")) continue;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    if (s.position !== "fixed" && r.right > width + 1)
      wrong.push(describe(el) + " reaches " + Math.round(r.right));
    if (/hidden|clip/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
      wrong.push(describe(el) + " is cut off: " + el.scrollWidth + " > " + el.clientWidth);
  }
  return wrong;
})"""

HOME_LINK = """(() => {
  const home = document.querySelector(".md-header a.ll-home");
  if (!home) return null;
  const r = home.getBoundingClientRect();
  return {text: home.textContent.trim(), href: home.getAttribute("href"),
          inside: r.left >= 0 && r.right <= window.innerWidth && r.width > 0,
          whole: home.scrollWidth <= home.clientWidth + 1};
})()"""


def targets_smaller_than(page: Any, least: int) -> list[str]:
    found: list[str] = page.evaluate(TARGETS, least)
    return found


def text_faults(page: Any, least: float, line_height: float = 0) -> list[str]:
    found: list[str] = page.evaluate(TEXT_SIZES, [least, line_height])
    return found


def low_contrast(page: Any, least: float) -> list[str]:
    found: list[str] = page.evaluate(CONTRASTS, least)
    return found


def focus_faults(page: Any, stops: int = 40) -> list[str]:
    """Tab through the page (``stops`` times, from the top): each stop shows a ring at
    least 2 px wide with 3:1 against what surrounds it."""
    page.evaluate(FOCUS_RECORDER)
    for _ in range(stops):
        page.keyboard.press("Tab")
    rings: list[dict[str, Any]] = page.evaluate("window.__rings")
    assert len({ring["el"] for ring in rings}) >= 5, "Tab reached too few elements"
    faults = [f"{ring['el']}: ring {ring['ring']} px, {ring['ratio']:.2f}:1" for ring in rings
              if ring["ring"] < 2 or ring["ratio"] < 3]
    return list(dict.fromkeys(faults))  # Tab comes round to the first stops again


# -- the toggles, the address, the first paint ------------------------------------------------

def test_the_toggles_keep_the_mode_across_reload_and_navigation_from_file(
        browser: Any, offline_site: Path) -> None:
    with phone(browser) as page:
        open_page(page, address("offline", "home", "", offline_site))
        assert "ll-care" not in html_classes(page)
        care = page.locator("button[data-ll-mode=care]")
        assert care.get_attribute("aria-pressed") == "false"
        assert care.inner_text() == "长辈模式"
        care.click()
        assert "ll-care" in html_classes(page)
        assert care.get_attribute("aria-pressed") == "true"
        assert page.evaluate("localStorage.getItem('ll-care')") == "1"

        # Chromium hands a localStorage write to its browser process asynchronously, and a
        # reload from file:// may read the storage afresh before it lands (a reader's reload
        # comes seconds later, Playwright's within milliseconds; on a busy machine 300 ms
        # was not always enough): reload until the write has landed, 3 s at most.
        for _ in range(10):
            page.wait_for_timeout(300)
            page.reload(wait_until="load")
            if "ll-care" in html_classes(page):
                break
        assert "ll-care" in html_classes(page)
        assert care.get_attribute("aria-pressed") == "true"
        page.locator(".ll-card__link").first.click()  # another page of the copy
        page.wait_for_load_state("load")
        assert page.url.endswith("/taiji-basics.html")
        assert "ll-care" in html_classes(page)
        page.locator("button[data-ll-mode=contrast]").click()
        page.go_back(wait_until="load")
        assert {"ll-care", "ll-contrast"} <= set(html_classes(page))
        assert page.locator("button[data-ll-mode=contrast]").get_attribute("aria-pressed") \
            == "true"

        other = page.context.new_page()  # another tab of the copy follows a change
        other.goto(address("offline", "about", "", offline_site), wait_until="load")
        care.click()  # off again, and it stays off
        other.wait_for_function("!document.documentElement.classList.contains('ll-care')")
        assert other.locator("button[data-ll-mode=care]").get_attribute("aria-pressed") \
            == "false"
        page.reload(wait_until="load")
        assert "ll-care" not in html_classes(page)
        assert "ll-contrast" in html_classes(page)
        assert page.evaluate("localStorage.getItem('ll-care')") is None


def test_the_address_turns_a_mode_on_and_off(browser: Any, online_url: str) -> None:
    with phone(browser) as page:
        open_page(page, online_url + "taiji-basics/?care=1")  # a poster's QR code
        assert "ll-care" in html_classes(page)
        open_page(page, online_url + "lunyu/")  # kept on the device from then on
        assert "ll-care" in html_classes(page)
        assert page.locator("button[data-ll-mode=care]").get_attribute("aria-pressed") == "true"
        open_page(page, online_url + "lunyu/?care=0&contrast=1")
        assert "ll-care" not in html_classes(page)
        assert "ll-contrast" in html_classes(page)
        open_page(page, online_url)
        assert "ll-care" not in html_classes(page)
        assert "ll-contrast" in html_classes(page)
        # The reader turns off what the address turned on: it leaves the address (only it),
        # so a reload keeps the reader's choice.
        open_page(page, online_url + "lunyu/?care=1&x=2#top")
        page.locator("button[data-ll-mode=care]").click()
        assert page.url == online_url + "lunyu/?x=2#top"
        page.reload(wait_until="load")
        assert "ll-care" not in html_classes(page)


#: What the page looked like as <body> began (nothing painted before it) and at
#: DOMContentLoaded: the classes on <html> and the root's text size.
FIRST_PAINT = """
window.__seen = {};
const note = when => { window.__seen[when] = {classes: document.documentElement.className,
    root: getComputedStyle(document.documentElement).fontSize}; };
new MutationObserver((changes, observer) => {
  if (document.body) { note("body"); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
document.addEventListener("DOMContentLoaded", () => note("ready"));
"""


@pytest.mark.parametrize("where", ["online", "offline"])
def test_care_mode_is_on_before_the_first_paint(browser: Any, where: str, online_url: str,
                                                offline_site: Path) -> None:
    with phone(browser, FIRST_PAINT, CHOSEN.format("ll-care")) as page:
        for name in ("home", "course", "about"):  # drawn by MkDocs and by the catalogue
            open_page(page, address(where, name, online_url, offline_site))
            seen = page.evaluate("window.__seen")
            for moment in ("body", "ready"):
                assert "ll-care" in seen[moment]["classes"].split(), (name, moment, seen)
                assert "ll-js" in seen[moment]["classes"].split(), (name, moment, seen)
            assert seen["ready"]["root"] == "30px", (name, seen)


def test_without_javascript_pages_stay_readable(browser: Any, online_url: str,
                                                offline_site: Path) -> None:
    with phone(browser, java_script_enabled=False) as page:
        for name in ("home", "section", "course", "lecture"):
            open_page(page, address("online", name, online_url, offline_site))
            assert "ll-js" not in html_classes(page)
            assert not page.locator(".ll-modes").is_visible()  # no toggle that cannot work
            assert page.locator("h1").first.is_visible()
            assert page.evaluate(OVERFLOW) == [], name
            assert page.evaluate(HOME_LINK)["text"] == SITE_NAME
        open_page(page, address("online", "course", online_url, offline_site))
        assert page.locator(".ll-body").is_visible()
        assert page.locator(".ll-panel").first.is_visible()


# -- the numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", MEASURED)
def test_text_lines_targets_and_focus_in_care_mode_and_the_normal_mode(
        browser: Any, name: str, online_url: str, offline_site: Path) -> None:
    with phone(browser, CHOSEN.format("ll-care")) as page:
        open_page(page, address("online", name, online_url, offline_site))
        assert "ll-care" in html_classes(page)
        assert text_faults(page, 30, line_height=1.5) == []
        assert targets_smaller_than(page, 60) == []
        assert focus_faults(page) == []
        set_mode(page)  # the normal mode
        assert text_faults(page, 16) == []
        assert targets_smaller_than(page, 44) == []
        assert focus_faults(page) == []


@pytest.mark.parametrize("where", ["online", "offline"])
def test_high_contrast_is_seven_to_one(browser: Any, where: str, online_url: str,
                                       offline_site: Path) -> None:
    faults: list[str] = []
    with phone(browser, CHOSEN.format("ll-contrast")) as page:
        for name in [*MEASURED, "lecture", "schedule", "404", *CONTRASTED]:
            open_page(page, address(where, name, online_url, offline_site))
            assert "ll-contrast" in html_classes(page)
            for care in (False, True):
                set_mode(page, care=care, contrast=True)
                faults += [f"{name}: {fault}" for fault in low_contrast(page, 7)]
        assert focus_faults(page) == []
    assert faults == []


# -- reflow -----------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["online", "offline"])
def test_every_page_type_reflows_at_320_and_360_px_with_large_text(
        browser: Any, where: str, online_url: str, offline_site: Path) -> None:
    faults: list[str] = []
    with phone(browser, large_text=True) as page:
        for name, _online, _offline in PAGES:
            open_page(page, address(where, name, online_url, offline_site))
            assert page.evaluate("getComputedStyle(document.documentElement).fontSize") \
                == "40px", "the text is not doubled"
            for care in (False, True):
                set_mode(page, care=care)
                for width in (360, 320):
                    page.set_viewport_size({"width": width, "height": 740})
                    where_ = f"{name}, {width} px{', care mode' if care else ''}"
                    faults += [f"{where_}: {fault}" for fault in page.evaluate(OVERFLOW)]
                    home = page.evaluate(HOME_LINK)
                    if home is None or home["text"] != SITE_NAME or not home["inside"] \
                            or not home["whole"]:
                        faults.append(f"{where_}: the header's way home is {home}")
            page.set_viewport_size(PHONE)
    assert faults == [], "\n".join(faults)
