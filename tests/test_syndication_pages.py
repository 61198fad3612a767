"""What readers see of the feeds, calendars and the OPDS catalogue on the pages: the
``<link rel="alternate">`` elements in each page's head, the share-card tags (online only),
and the visible "subscribe" and "add to calendar" links; and that a rebuild redraws a page
when what it offers to follow changes."""

from __future__ import annotations

import hashlib
import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.catalogue.model import Catalogue
from lifelong.site.feeds import ATOM_TYPE, RSS_TYPE, feeds_of_page
from lifelong.site.head import CALENDAR_TYPE
from lifelong.site.opds import ROOT_FEEDS
from sitekit import build_site, course, one_of_each, read, write_project

SITE_NAME = "终身学习资源目录"
ROOT = "https://lifelong.example.org/"
#: Editors' text that tries to break out of an attribute (tests/hostile.py).
HOSTILE_TITLE = '"><img src=x onerror=alert(102)>'
HOSTILE_SUMMARY = "</script><script>alert(104)</script>"
FEED_TYPES = (ATOM_TYPE, RSS_TYPE)


class Head(HTMLParser):
    """The ``<link rel="alternate">`` and ``<meta>`` elements of a page's head, their
    attributes unescaped as a browser reads them; and the page's follow links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.alternates: list[tuple[str, str, str]] = []   # (type, href, title)
        self.meta: dict[str, str] = {}
        self.follow: list[tuple[str, str]] = []            # (href, type) of ll-follow__link
        self._in_head = True
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "body":
            self._in_head = False
        elif tag == "link" and self._in_head and values.get("rel") == "alternate":
            self.alternates.append((values["type"], values["href"], values.get("title", "")))
        elif tag == "meta" and self._in_head and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "a" and values.get("class") == "ll-follow__link":
            self.follow.append((values["href"], values["type"]))


def head_of(site: Path, page: str) -> Head:
    return Head(read(site, page))


def resolve(page: str, href: str) -> str:
    """The site-relative file a relative link on ``page`` leads to."""
    assert "//" not in href and not href.startswith("/"), href
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("online")
    entries = one_of_each()
    for entry in entries:
        if entry["id"] == "phone-class":  # a series' title in its feeds' link titles
            entry["title"] = HOSTILE_TITLE
    entries.append(course("hostile", title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY,
                          cover="https://images.example.org/c.png?w=1&h=2"))
    return build_site(write_project(root, entries,
                                    mkdocs={"site_description": "全国终身学习资源 & 服务"}))


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The USB-stick copy, in English."""
    root = tmp_path_factory.mktemp("offline")
    return build_site(write_project(root, one_of_each(), mkdocs={"use_directory_urls": False},
                                    plugin={"offline": True, "language": "en"}))


@pytest.fixture(scope="module")
def catalogue(online: Path) -> Catalogue:
    return load_catalogue(online.parent / "content", online.parent / "catalogue")


#: Pages that follow something, with what (``feeds_of_page``'s arguments).
FOLLOWING = [("index.html", {}),
             ("community-education/index.html", {"section": "community-education"}),
             ("community-education/page/2/index.html", {"section": "community-education"}),
             ("phone-class/index.html", {"series": "phone-class"}),
             ("series/phone-class/index.html", {"series": "phone-class"}),
             ("subjects/digital-skills/index.html", {"subject": "digital-skills"})]


def test_pages_link_the_feeds_of_what_they_show(online: Path, catalogue: Catalogue) -> None:
    for page, topic in FOLLOWING:
        feeds = [(kind, resolve(page, href), title)
                 for kind, href, title in head_of(online, page).alternates
                 if kind in FEED_TYPES]
        expected = [(f.type, f.path, f.title) for f in
                    feeds_of_page(catalogue, lang="zh", site_name=SITE_NAME, **topic)]
        assert len(expected) == 2 and feeds == expected, page
        for _kind, path, _title in feeds:
            assert (online / path).is_file(), path
    for page in ("taiji-basics/index.html", "about/index.html", "subjects/index.html",
                 "community-education/health/index.html"):
        assert not [a for a in head_of(online, page).alternates if a[0] in FEED_TYPES], page


def test_lectures_and_series_of_lectures_link_their_calendars(online: Path) -> None:
    expected = {"hall-2027/index.html": "calendar/lecture/hall-2027.ics",
                "community-lecture-hall/index.html": "calendar/series/community-lecture-hall.ics",
                "series/community-lecture-hall/index.html":
                    "calendar/series/community-lecture-hall.ics",
                "phone-class/index.html": None, "taiji-basics/index.html": None}
    for page, calendar in expected.items():
        found = [resolve(page, href) for kind, href, _ in head_of(online, page).alternates
                 if kind == CALENDAR_TYPE]
        assert found == ([calendar] if calendar else []), page
        if calendar:
            assert (online / calendar).is_file()


def test_every_page_links_the_opds_catalogue(online: Path, offline: Path) -> None:
    for site in (online, offline):
        pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                       if p.name != "404.html" and "reading/files/" not in p.as_posix())
        assert len(pages) > 40
        for page in pages:
            roots = [(resolve(page, href), kind) for kind, href, _ in
                     head_of(site, page).alternates if "opds" in kind]
            assert roots == list(ROOT_FEEDS), page
        for path, _kind in ROOT_FEEDS:
            assert (site / path).is_file()


def test_share_cards_online_with_absolute_addresses(online: Path) -> None:
    taiji = head_of(online, "taiji-basics/index.html").meta
    assert {key: taiji.get(key) for key in (
        "og:title", "og:description", "og:type", "og:url", "og:image", "og:site_name",
        "og:locale", "twitter:card")} == {
        "og:title": "二十四式太极拳入门", "og:description": "一门测试微课。",
        "og:type": "article", "og:url": ROOT + "taiji-basics/",
        "og:image": ROOT + "courses/covers/taiji.svg", "og:site_name": SITE_NAME,
        "og:locale": "zh_CN", "twitter:card": "summary_large_image"}
    remote = head_of(online, "hostile/index.html").meta
    assert remote["og:image"] == "https://images.example.org/c.png?w=1&h=2"
    lecture = head_of(online, "hall-2027/index.html").meta
    assert "og:image" not in lecture and lecture["twitter:card"] == "summary"
    # Pages without a description of their own are shared with the site's, drawn by the
    # catalogue (a listing) or by MkDocs (the home page, a hand-written page).
    for page, url in (("index.html", ROOT), ("series/phone-class/index.html",
                                             ROOT + "series/phone-class/"),
                      ("about/index.html", ROOT + "about/")):
        meta = head_of(online, page).meta
        assert meta["og:type"] == "website" and meta["og:url"] == url, page
        assert meta["og:description"] == "全国终身学习资源 & 服务", page
    assert head_of(online, "index.html").meta["og:title"] == SITE_NAME


def test_no_share_cards_offline_and_links_stay_in_the_copy(offline: Path) -> None:
    for path in offline.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert 'property="og:' not in html and "twitter:" not in html, path
    page = "series/community-lecture-hall/index.html"
    links = head_of(offline, page).alternates
    assert [resolve(page, href) for kind, href, _ in links if "opds" not in kind] == [
        "feeds/series/community-lecture-hall/atom.xml",
        "feeds/series/community-lecture-hall/rss.xml",
        "calendar/series/community-lecture-hall.ics"]
    for _kind, href, _title in links:
        assert (offline / resolve(page, href)).is_file(), href


def test_editors_text_is_escaped_in_the_head(online: Path) -> None:
    for page in ("hostile/index.html", "phone-class/index.html",
                 "series/phone-class/index.html", "phone-1/index.html"):
        html = read(online, page)
        head = html[:html.index("</head>")]
        assert "<img" not in head and "<script>alert" not in head, page
    entry = head_of(online, "hostile/index.html")
    assert entry.meta["og:title"] == HOSTILE_TITLE
    assert entry.meta["og:description"] == HOSTILE_SUMMARY
    series = head_of(online, "phone-class/index.html")
    assert series.alternates[0][2] == f"{SITE_NAME}：{HOSTILE_TITLE} · Atom"
    assert series.meta["og:title"] == HOSTILE_TITLE


def test_visible_subscribe_and_calendar_links(online: Path, offline: Path) -> None:
    expected = {"index.html": ["feeds/atom.xml"],
                "community-education/index.html": ["feeds/section/community-education/atom.xml"],
                "subjects/digital-skills/index.html": ["feeds/subject/digital-skills/atom.xml"],
                "community-lecture-hall/index.html": [
                    "feeds/series/community-lecture-hall/atom.xml",
                    "calendar/series/community-lecture-hall.ics"],
                "hall-2027/index.html": ["calendar/lecture/hall-2027.ics"],
                "taiji-basics/index.html": [], "about/index.html": []}
    for page, files in expected.items():
        found = head_of(online, page).follow
        assert [resolve(page, href) for href, _type in found] == files, page
        assert [kind for _href, kind in found] == [
            CALENDAR_TYPE if f.endswith(".ics") else ATOM_TYPE for f in files]
        for file in files:
            assert (online / file).is_file()
    assert '>订阅</a>' in read(online, "index.html")
    assert '>添加到日历</a>' in read(online, "hall-2027/index.html")
    series = read(offline, "community-lecture-hall.html")
    assert 'href="feeds/series/community-lecture-hall/atom.xml" ' \
           'type="application/atom+xml">Subscribe</a>' in series
    assert 'href="calendar/series/community-lecture-hall.ics" ' \
           'type="text/calendar">Add to calendar</a>' in series


def test_a_series_whose_later_member_becomes_a_lecture_gets_its_calendar_on_rebuild(
        tmp_path: Path) -> None:
    """The series' page shows only its first members (``page_size``, 2 here): a third
    member that is now a lecture changes none of them, yet the page now offers a calendar."""
    def digest(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    assert not head_of(site, "phone-class/index.html").follow[1:]
    (tmp_path / "content" / "courses" / "phone-3.md").unlink()
    lecture = next(e for e in one_of_each() if e["id"] == "hall-2027")
    (tmp_path / "content" / "lectures" / "phone-3.md").write_text(dumps_entry(
        {**lecture, "id": "phone-3", "series": "phone-class", "series_order": 3}, "正文。"),
        encoding="utf-8")
    build_site(config, dirty=True)
    assert [href for href, _ in head_of(site, "phone-class/index.html").follow] == [
        "../feeds/series/phone-class/atom.xml", "../calendar/series/phone-class.ics"]
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))
