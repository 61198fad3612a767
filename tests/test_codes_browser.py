"""The "输入编号" box in real Chromium, online and in the offline copy from file://: a code
(as people type it) opens its entry, an id opens its entry, an unknown code says so in the
box, from the home page, the header's menu and the 404 page; only the code index's part the
code or id is in is read, and nothing outside the site."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser import PageLog, serve_folder
from sitekit import build_site, one_of_each, write_project
from test_a11y import AXE, AXE_RUN, WCAG_21_AA
from test_care_mode import CONTRASTS, OVERFLOW, TARGETS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The site served over http; the entry addresses end in '/'."""
    site = build_site(write_project(tmp_path_factory.mktemp("codes-online"), one_of_each()))
    with serve_folder(site) as base:
        yield base, "/"


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The offline copy opened from file://; entry addresses end in '.html'."""
    site = build_site(write_project(tmp_path_factory.mktemp("codes-offline"), one_of_each(),
                                    plugin={"offline": True},
                                    mkdocs={"use_directory_urls": False}))
    return site.as_uri() + "/", ".html"


class Reader:
    """One page in a phone-sized window, its log, and the box it types into."""

    def __init__(self, browser: Any, base: str, path: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport=PHONE)
        self.log = PageLog()
        self.log.watch(self.page)
        self.page.goto(base + path, wait_until="load")

    def type_code(self, box: str, text: str) -> None:
        self.page.fill(f"#{box}", text)
        self.page.press(f"#{box}", "Enter")

    def codes_read(self) -> list[str]:
        return sorted(u.removeprefix(self.base) for u in self.log.requests if "/codes/" in u)

    def close(self) -> None:
        assert self.log.errors == []
        assert self.log.failed == []
        assert [u for u in self.log.requests if not u.startswith(self.base)] == []
        self.page.close()


@pytest.fixture(params=["online", "offline"])
def site(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def entry(base: str, suffix: str, entry_id: str) -> str:
    return f"{base}{entry_id}{suffix}" if suffix == ".html" else f"{base}{entry_id}/"


def test_a_code_opens_its_entry(browser: Any, site: tuple[str, str]) -> None:
    base, suffix = site
    reader = Reader(browser, base, "index.html" if suffix == ".html" else "")
    reader.type_code("ll-code-home", "３８２ ９１５")  # full-width digits and a space, as typed
    reader.page.wait_for_url(entry(base, suffix, "taiji-basics"))
    assert reader.codes_read() == ["codes/c3.js", "codes/index.js"]
    reader.close()


def test_an_id_opens_its_entry_from_the_header_menu(browser: Any, site: tuple[str, str]
                                                    ) -> None:
    base, suffix = site
    reader = Reader(browser, base, "lunyu.html" if suffix == ".html" else "lunyu/")
    assert reader.page.locator("#ll-code-menu").is_hidden()
    reader.page.click(".ll-codemenu__button")
    reader.type_code("ll-code-menu", " Phone-2 ")
    reader.page.wait_for_url(entry(base, suffix, "phone-2"))
    assert reader.codes_read() == ["codes/i0.js", "codes/index.js"]
    reader.close()


def test_an_unknown_code_says_so_in_the_box(browser: Any, site: tuple[str, str]) -> None:
    base, suffix = site
    reader = Reader(browser, base, "404.html")
    box = "ll-code-404"
    message = reader.page.locator(f"#{box}-message")
    reader.type_code(box, "523456")  # no code starts with 5 here: only the index is read
    message.filter(has_text="没有找到编号 523456 的内容").wait_for()
    assert reader.codes_read() == ["codes/index.js"]
    reader.type_code(box, "382916")  # its part is read, and it is not in it
    message.filter(has_text="没有找到编号 382916 的内容").wait_for()
    reader.type_code(box, "no-such-entry")
    message.filter(has_text="没有找到编号 no-such-entry 的内容").wait_for()
    reader.type_code(box, "12345")
    message.filter(has_text="编号是 6 位数字，请检查：12345").wait_for()
    assert reader.page.evaluate("document.activeElement.id") == box
    assert reader.codes_read() == ["codes/c3.js", "codes/i0.js", "codes/index.js"]
    reader.type_code(box, "104 233")
    reader.page.wait_for_url(entry(base, suffix, "lunyu"))
    reader.close()


def test_the_lookup_loads_only_when_a_box_is_touched(browser: Any, online: tuple[str, str]
                                                     ) -> None:
    base, _ = online
    reader = Reader(browser, base, "")
    assert [u for u in reader.log.requests if "codes" in u] == []
    reader.page.focus("#ll-code-home")
    reader.page.wait_for_function("typeof LifelongSearch.openCode === 'function'")
    assert [u.removeprefix(base) for u in reader.log.requests if "codes" in u] == \
        ["assets/lifelong/codes.js"]
    reader.close()


@pytest.mark.parametrize("mode", ["normal", "ll-care", "ll-contrast"])
def test_the_open_menu_and_its_message_pass_axe_fit_a_phone_and_are_large(
        browser: Any, online: tuple[str, str], mode: str) -> None:
    """The menu open (its box is hidden in the page walks of test_a11y and test_care_mode)
    with a message showing, at 320 px: no critical or serious axe violation, no sideways
    scroll, targets of 44 px (60 px in care mode), 7:1 in high contrast."""
    base, _ = online
    reader = Reader(browser, base, "")
    if mode != "normal":
        reader.page.evaluate(f"localStorage.setItem('{mode}', '1')")
        reader.page.reload(wait_until="load")
    reader.page.set_viewport_size({"width": 320, "height": 740})
    reader.page.click(".ll-codemenu__button")
    reader.type_code("ll-code-menu", "523456")
    reader.page.locator("#ll-code-menu-message").filter(has_text="523456").wait_for()
    reader.page.add_script_tag(path=str(AXE))  # as text: no request outside the site
    assert reader.page.evaluate(AXE_RUN, WCAG_21_AA) == []
    assert reader.page.evaluate(OVERFLOW) == []
    assert reader.page.evaluate(TARGETS, 60 if mode == "ll-care" else 44) == []
    if mode == "ll-contrast":
        assert reader.page.evaluate(CONTRASTS, 7) == []
    reader.close()
