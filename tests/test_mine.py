"""我的学习: favourites (收藏) and recently viewed (最近看过), kept on the reader's device.

In Python: the page is planned at a reserved address, linked from the home page and every
page's footer at any depth, and entry pages carry what the lists keep. In real Chromium,
online and from file:// (the offline copy): saving and history survive reload and
navigation; the page lists both, newest first, as links that open the entries; one
favourite is removed, each list is cleared after a second press; a title with HTML in it
is shown as text; two copies of a site on one device, and two sites on one origin, keep
apart; storage another program filled with junk breaks nothing; without JavaScript the
page says it needs it. The page's accessibility, sizes and contrast are checked with every
page type (tests/sitekit.py PAGE_TYPES, tests/test_a11y.py, tests/test_care_mode.py).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.site.i18n import translate
from sitekit import build_site, course, one_of_each, read, write_project

#: A title an editor might write that looks like markup: it must be shown as it is.
HTML_TITLE = '<img src=x onerror="__canary(1)"><b>粗体</b> & 太极'
ENTRIES = [*one_of_each(), course("html-title", title=HTML_TITLE)]
#: Records what would show a script of an editor's ran.
CANARY = "window.__ran = []; window.__canary = n => window.__ran.push(n);"


@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(write_project(tmp_path_factory.mktemp("mine-online"), ENTRIES))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(write_project(tmp_path_factory.mktemp("mine-offline"), ENTRIES,
                                    plugin={"offline": True},
                                    mkdocs={"use_directory_urls": False}))


# -- Python: the page, its links, what entry pages carry -----------------------------------

def test_mine_is_a_reserved_address(project: Any) -> None:
    project.write("courses/mine.md", dumps_entry(course("mine"), "正文。"))
    result = project.check()
    assert result.exit_code == 1
    assert "content/courses/mine.md:3: id: 'mine' is a reserved address on the site" \
        in result.output


@pytest.mark.parametrize(("where", "home", "entry", "about", "mine", "to_mine", "up"), [
    ("online", "index.html", "taiji-basics/index.html", "about/index.html",
     "mine/index.html", "mine/", "../"),
    ("offline", "index.html", "taiji-basics.html", "about.html", "mine/index.html",
     "mine/index.html", ""),
])
def test_the_page_is_linked_from_home_and_every_footer(
        online_site: Path, offline_site: Path, where: str, home: str, entry: str, about: str,
        mine: str, to_mine: str, up: str) -> None:
    site = online_site if where == "online" else offline_site
    footer = '<p class="ll-mine-footer"><a href="{}">我的学习</a></p>'
    assert footer.format(to_mine) in read(site, home)
    assert f'<a href="{to_mine}">我的学习 ›</a>' in read(site, home)
    assert footer.format(up + to_mine) in read(site, entry)
    assert footer.format(up + to_mine) in read(site, about)  # a page MkDocs draws
    page = read(site, mine)
    assert "<h1>我的学习</h1>" in page
    assert footer.format("../" + to_mine) in page
    assert f"<noscript><p class=\"ll-empty\">{translate('mine_noscript', 'zh')}</p></noscript>" \
        in page


def test_an_entry_page_carries_what_the_lists_keep(online_site: Path,
                                                   offline_site: Path) -> None:
    keep = re.compile(r'<div class="ll-keep" data-ll-keep data-root="([^"]*)" '
                      r'data-path="([^"]*)" data-kind="([^"]*)" data-title="([^"]*)"')
    assert keep.findall(read(online_site, "taiji-basics/index.html")) == [
        ("../", "taiji-basics/", "course", "二十四式太极拳入门")]
    assert keep.findall(read(offline_site, "html-title.html")) == [
        ("./", "html-title.html", "course",
         "&lt;img src=x onerror=&#34;__canary(1)&#34;&gt;&lt;b&gt;粗体&lt;/b&gt; &amp; 太极")]
    assert keep.findall(read(online_site, "mine/index.html")) == []


# -- Chromium -------------------------------------------------------------------------------

class Copy:
    """One copy of the site as a reader opens it: its root address and how it names pages."""

    def __init__(self, root: str, offline: bool) -> None:
        self.root = root
        self.offline = offline

    def entry(self, entry_id: str) -> str:
        return self.root + (f"{entry_id}.html" if self.offline else f"{entry_id}/")

    @property
    def mine(self) -> str:
        return self.root + ("mine/index.html" if self.offline else "mine/")

    @property
    def keys(self) -> tuple[str, str]:
        """The storage keys of this copy's favourites and history."""
        return f"ll-fav {self.root}", f"ll-seen {self.root}"


@pytest.fixture(scope="module")
def online_url(online_site: Path) -> Iterator[str]:
    with serve_folder(online_site) as url:
        yield url


@pytest.fixture(params=["online", "offline"])
def copy(request: pytest.FixtureRequest, offline_site: Path) -> Copy:
    if request.param == "online":
        return Copy(request.getfixturevalue("online_url"), offline=False)
    return Copy(offline_site.as_uri() + "/", offline=True)


@contextmanager
def reader(browser: Any, **options: Any) -> Iterator[Any]:
    """A phone's browser of its own (its own storage); nothing in it may fail or run."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, **options)
    context.add_init_script(CANARY)
    page = context.new_page()
    log = PageLog()
    log.watch(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        yield page
        assert log.errors == [], log.errors
        assert log.failed == [], log.failed
        assert dialogs == []
    finally:
        context.close()


def keep_button(page: Any) -> Any:
    return page.locator(".ll-keep__button")


def keep(page: Any, before: int = 0) -> None:
    """Press 收藏 once the page sees the ``before`` favourites saved on earlier pages, then
    give it a second before it is left, as a reader does. Chromium hands a page's
    localStorage writes to the next page's process asynchronously: on a busy machine the
    next page can read the storage before the last write has landed (it comes as a storage
    event then, and the page takes it in), and a press at once would save over it. With
    0.3 s between the press and a reload, a CI run (two test processes, each with its
    Chromium) reloaded a page that did not show the favourite even 5 s later: not
    reproduced here (0 of 60 reloads at once after the press, beside three CPU hogs); a
    write still on its way when the page's process was replaced would do it. A reader's
    taps are never that quick."""
    page.wait_for_function(
        "n => { const m = window.LifelongMine;"
        " return m.read(m.keysOf(document.querySelector('[data-ll-keep]')).fav).length >= n; }",
        arg=before, timeout=5000)
    keep_button(page).click()
    page.wait_for_timeout(1000)


def listed(page: Any, part: str, count: int) -> None:
    """Wait (5 s at most) until 我的学习 lists ``count`` items in ``part``: a write that
    reached the storage late comes as a storage event, and the page draws it then."""
    from playwright.sync_api import TimeoutError as Late

    with contextlib.suppress(Late):  # the assertion that follows says what is listed
        page.wait_for_function(
            "([part, count]) => document.querySelectorAll("
            "`[data-list=${part}] .ll-mine__link`).length === count", arg=[part, count],
            timeout=5000)


def shows(button: Any, text: str, pressed: str) -> None:
    """Wait (5 s at most) until 收藏 shows ``text`` and ``aria-pressed``; a write the page
    before made that reaches the storage late comes as a storage event, and it is drawn then."""
    from playwright.sync_api import expect

    expect(button).to_have_attribute("aria-pressed", pressed, timeout=5000)
    assert button.inner_text() == text


def titles(page: Any, part: str) -> list[str]:
    shown: list[str] = page.locator(f"[data-list={part}] .ll-mine__link").all_inner_texts()
    return shown


def stored(page: Any, key: str) -> Any:
    return json.loads(page.evaluate("k => localStorage.getItem(k)", key) or "null")


def test_favourites_and_history_survive_reload_and_navigation(browser: Any,
                                                               copy: Copy) -> None:
    with reader(browser) as page:
        for entry_id in ("taiji-basics", "lunyu", "hall-2027"):
            page.goto(copy.entry(entry_id), wait_until="load")
        button = keep_button(page)
        assert (button.inner_text(), button.get_attribute("aria-pressed")) == ("收藏", "false")
        keep(page)  # the lecture saved
        assert (button.inner_text(), button.get_attribute("aria-pressed")) == ("已收藏", "true")
        page.reload(wait_until="load")
        shows(button, "已收藏", "true")  # file://: the storage may come after the page's draw
        page.goto(copy.entry("taiji-basics"), wait_until="load")  # viewed again
        assert button.get_attribute("aria-pressed") == "false"
        keep(page, before=1)
        page.locator(".ll-keep__mine").click()  # to 我的学习, from the entry
        page.wait_for_url(copy.mine)
        listed(page, "fav", 2)
        assert titles(page, "fav") == ["二十四式太极拳入门", "老年人如何防跌倒"]
        assert titles(page, "seen") == ["二十四式太极拳入门", "老年人如何防跌倒", "论语"]
        assert page.locator("[data-list=seen] .ll-badge").all_inner_texts() == [
            "微课", "讲座", "电子书"]
        assert page.locator("[data-list=seen] time").first.inner_text().startswith("今天 ")
        assert page.locator(".ll-empty:visible").count() == 0

        page.locator("[data-list=seen] .ll-mine__link", has_text="论语").click()
        page.wait_for_url(copy.entry("lunyu"))
        assert page.locator("h1").inner_text() == "论语"
        page.go_back(wait_until="load")
        assert titles(page, "seen")[0] == "论语"  # the visit just made, first
        page.reload(wait_until="load")
        listed(page, "fav", 2)  # file://: the storage may come after the page's first draw
        assert titles(page, "fav") == ["二十四式太极拳入门", "老年人如何防跌倒"]
        fav, seen = copy.keys
        assert [item["p"] for item in stored(page, fav)] == [
            "taiji-basics.html" if copy.offline else "taiji-basics/",
            "hall-2027.html" if copy.offline else "hall-2027/"]
        assert len(stored(page, seen)) == 3


def test_one_favourite_is_removed_and_each_list_cleared_after_a_second_press(
        browser: Any, copy: Copy) -> None:
    with reader(browser) as page:
        for before, entry_id in enumerate(("taiji-basics", "lunyu", "hall-2027")):
            page.goto(copy.entry(entry_id), wait_until="load")
            keep(page, before)
        page.goto(copy.mine, wait_until="load")
        listed(page, "fav", 3)
        assert titles(page, "fav") == ["老年人如何防跌倒", "论语", "二十四式太极拳入门"]
        page.locator("[data-list=fav] .ll-mine__remove").nth(1).click()  # 论语
        assert titles(page, "fav") == ["老年人如何防跌倒", "二十四式太极拳入门"]
        assert page.locator(".ll-mine__status").inner_text() == "已取消收藏：论语"
        focused = "document.activeElement.textContent"
        assert page.evaluate(focused) == "取消收藏：二十四式太极拳入门"

        part = page.locator("[data-list=seen]")
        part.locator("[data-clear]").click()  # asks first, on the page: no pop-up
        assert part.locator("[data-confirm]").is_visible()
        assert page.evaluate(focused) == "确定清空"
        assert len(titles(page, "seen")) == 3
        part.locator("[data-no]").click()
        assert not part.locator("[data-confirm]").is_visible()
        assert page.evaluate(focused) == "清空记录"
        part.locator("[data-clear]").click()
        part.locator("[data-yes]").click()
        assert titles(page, "seen") == []
        assert part.locator("[data-empty]").inner_text() == translate("mine_no_history", "zh")
        assert not part.locator("[data-clear]").is_visible()
        assert page.locator(".ll-mine__status").inner_text() == "已清空。"

        page.reload(wait_until="load")
        listed(page, "seen", 0)
        listed(page, "fav", 2)
        assert titles(page, "seen") == []
        assert titles(page, "fav") == ["老年人如何防跌倒", "二十四式太极拳入门"]
        fav = page.locator("[data-list=fav]")
        fav.locator("[data-clear]").click()
        fav.locator("[data-yes]").click()
        empty = fav.locator("[data-empty]")
        assert empty.is_visible()
        assert "在内容页点“收藏”" in empty.inner_text()
        page.goto(copy.entry("hall-2027"), wait_until="load")
        shows(keep_button(page), "收藏", "false")
        assert stored(page, copy.keys[0]) is None


def test_a_title_with_html_in_it_is_shown_as_text(browser: Any, copy: Copy) -> None:
    with reader(browser) as page:
        page.goto(copy.entry("html-title"), wait_until="load")
        keep(page)
        page.goto(copy.mine, wait_until="load")
        listed(page, "fav", 1)
        for part in ("fav", "seen"):
            link = page.locator(f"[data-list={part}] .ll-mine__link")
            assert link.inner_text() == HTML_TITLE
            assert link.evaluate("a => a.children.length") == 0
        assert page.locator(".ll-mine img, .ll-mine b").count() == 0
        assert page.evaluate("window.__ran") == []


def test_two_copies_on_one_device_keep_apart(browser: Any, offline_site: Path,
                                             tmp_path: Path) -> None:
    """Two offline copies (file:// is one origin to the browser), and two sites under
    different paths of one web host: each lists only its own."""
    second = shutil.copytree(offline_site, tmp_path / "usb" / "site")
    host = tmp_path / "host"
    host.mkdir()
    (host / "a").symlink_to(offline_site, target_is_directory=True)
    (host / "b").symlink_to(second, target_is_directory=True)
    with reader(browser) as page, serve_folder(host) as url:
        for first, other in [
                (Copy(offline_site.as_uri() + "/", True), Copy(second.as_uri() + "/", True)),
                (Copy(url + "a/", True), Copy(url + "b/", True))]:
            page.goto(first.entry("lunyu"), wait_until="load")
            keep(page)
            page.goto(other.entry("taiji-basics"), wait_until="load")
            page.goto(other.mine, wait_until="load")
            listed(page, "seen", 1)
            assert titles(page, "fav") == []
            assert titles(page, "seen") == ["二十四式太极拳入门"]
            page.goto(first.mine, wait_until="load")
            listed(page, "fav", 1)
            assert titles(page, "fav") == ["论语"]
            assert titles(page, "seen") == ["论语"]


#: What another program, an older version or a hand could have left under the keys.
JUNK = {
    "fav": ('[{"p": "lunyu/", "t": "论语", "k": "ebook", "v": 1},'
            ' {"p": "javascript:alert(1)", "t": "x"}, {"p": "//evil.example/", "t": "x"},'
            ' {"p": "../../etc/passwd", "t": "x"}, {"p": "/abs/", "t": "x"},'
            ' {"p": "taiji-basics/", "t": 7}, null, 5, "lunyu/",'
            ' {"p": "lunyu/", "t": "again"}, {"p": "phone-1/", "t": "第一讲", "k": {}}]'),
    "seen": '{"not": "a list"}',
}


def test_junk_in_storage_breaks_nothing(browser: Any, online_url: str) -> None:
    copy = Copy(online_url, offline=False)
    fav, seen = copy.keys
    with reader(browser) as page:
        page.goto(copy.mine, wait_until="load")
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [fav, JUNK["fav"]])
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [seen, JUNK["seen"]])
        page.reload(wait_until="load")
        assert titles(page, "fav") == ["论语", "第一讲"]
        assert page.locator("[data-list=fav] .ll-mine__link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))") == ["../lunyu/", "../phone-1/"]
        assert titles(page, "seen") == []
        assert page.locator("[data-list=seen] [data-empty]").is_visible()
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [seen, "{bad json"])
        page.goto(copy.entry("lunyu"), wait_until="load")  # recorded over the junk
        shows(keep_button(page), "已收藏", "true")
        assert [item["p"] for item in stored(page, seen)] == ["lunyu/"]


def test_history_keeps_the_newest_50_once_each(browser: Any, online_url: str) -> None:
    copy = Copy(online_url, offline=False)
    seen = copy.keys[1]
    old = [{"p": f"old-{n}/", "t": f"旧 {n}", "k": "course", "v": n} for n in range(60)]
    with reader(browser) as page:
        page.goto(copy.mine, wait_until="load")
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [seen, json.dumps(
            [{"p": "lunyu/", "t": "论语", "k": "ebook", "v": 0}, *old])])
        page.goto(copy.entry("lunyu"), wait_until="load")
        kept = [item["p"] for item in stored(page, seen)]
        assert kept == ["lunyu/", *[f"old-{n}/" for n in range(49)]]


def test_without_javascript_the_page_says_it_needs_it(browser: Any, online_url: str) -> None:
    with reader(browser, java_script_enabled=False) as page:
        page.goto(online_url + "mine/", wait_until="load")
        assert page.locator(".md-content p:visible").all_inner_texts()[1:] == [
            translate("mine_noscript", "zh")]  # after the introduction: nothing else
        assert not page.locator(".ll-mine").is_visible()
        page.goto(online_url + "taiji-basics/", wait_until="load")
        assert not page.locator(".ll-keep").is_visible()  # no button that cannot work
