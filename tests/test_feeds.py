"""RSS and Atom feeds (``lifelong.site.feeds``) of a tiny catalogue, read by feedparser as
feed readers read them."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import feedparser
import pytest

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import Catalogue
from lifelong.catalogue.validate import Media
from lifelong.site.feeds import FEED_SIZE, SUMMARY_LIMIT, feed_files, feeds_of_page, media_address
from lifelong.site.urls import UrlScheme
from sitekit import course, one_of_each, write_project

SITE = "https://lifelong.example.org/"
NAME = "终身学习资源目录"
HOSTILE = '<script>alert(1)</script> ]]> & "引号" &amp;'


def load(root: Path, entries: Iterable[Mapping[str, Any]]) -> Catalogue:
    write_project(root, entries)
    return load_catalogue(root / "content", root / "catalogue")


def entries() -> list[dict[str, Any]]:
    """Every kind, a hostile course, an updated one, and enough newer courses (long
    summaries) to fill the whole catalogue's feed past its size."""
    many = [course(f"c{n:02d}", published=f"2025-01-{n % 28 + 1:02d}", summary="学" * 2000,
                   subjects=["tcm"], cover="covers/taiji.svg") for n in range(FEED_SIZE + 5)]
    return [*one_of_each(), *many,
            course("hostile", title=HOSTILE, summary=HOSTILE, published="2024-06-01"),
            course("edited", published="2024-05-01", updated="2026-12-01",
                   subjects=["smartphone", "exercise"])]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return load(tmp_path_factory.mktemp("feeds"), entries())


@pytest.fixture(scope="module")
def files(catalogue: Catalogue) -> dict[str, bytes]:
    return dict(feed_files(catalogue, site_url=SITE, lang="zh", site_name=NAME))


def parse(data: bytes) -> Any:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def item(feed: Any, link_end: str) -> Any:
    return next(e for e in feed.entries if e.link.endswith(link_end))


def test_every_feed_is_at_its_address_and_parses(catalogue: Catalogue,
                                                  files: dict[str, bytes]) -> None:
    folders = ["feeds", *(f"feeds/section/{s.slug}" for s in catalogue.rules.sections
                          if catalogue.in_section(s)),
               "feeds/series/community-lecture-hall", "feeds/series/phone-class",
               *(f"feeds/subject/{term}" for (vocabulary, term) in catalogue.term_index
                 if vocabulary == "subjects")]
    expected = sorted(f"{folder}/{name}" for folder in folders for name in ("atom.xml",
                                                                             "rss.xml"))
    assert list(files) == expected
    assert "feeds/subject/digital-skills/atom.xml" in files  # a parent, by its children
    for path, data in files.items():
        feed = parse(data)
        assert feed.version == ("atom10" if path.endswith("atom.xml") else "rss20")
        assert len(data) < 1_000_000
        assert feed.feed.title.startswith(f"{NAME}：")


def test_newest_fifty_by_published_then_id(catalogue: Catalogue,
                                           files: dict[str, bytes]) -> None:
    expected = sorted(catalogue.entries, key=lambda e: (-e.published.toordinal(), e.id))
    for name in ("atom.xml", "rss.xml"):
        feed = parse(files[f"feeds/{name}"])
        assert [e.link for e in feed.entries] == [f"{SITE}{e.id}/"
                                                  for e in expected[:FEED_SIZE]]
    summary = parse(files["feeds/atom.xml"]).entries[-1].summary
    assert len(summary) == SUMMARY_LIMIT
    assert summary.endswith("…")
    # A feed's date is its newest entry's own date (here the edited course's update).
    atom = parse(files["feeds/subject/exercise/atom.xml"])
    assert atom.feed.updated == "2026-12-01T00:00:00+08:00"
    rss = parse(files["feeds/subject/exercise/rss.xml"])
    assert rss.feed.updated == "Tue, 01 Dec 2026 00:00:00 +0800"


def test_items_carry_link_id_dates_people_subjects_and_cover(files: dict[str, bytes]) -> None:
    atom = parse(files["feeds/subject/exercise/atom.xml"])
    rss = parse(files["feeds/subject/exercise/rss.xml"])
    assert atom.feed.link == f"{SITE}subjects/exercise/"
    taiji, taiji_rss = item(atom, "/taiji-basics/"), item(rss, "/taiji-basics/")
    assert taiji.id == taiji_rss.id == "tag:lifelong.example.org,2024:entry/taiji-basics"
    assert taiji.published == "2024-03-12T00:00:00+08:00"
    assert taiji_rss.published == "Tue, 12 Mar 2024 00:00:00 +0800"
    assert [a.name for a in taiji.authors] == ["李秀兰"]
    assert taiji_rss.author == "李秀兰"
    assert [t.label for t in taiji.tags] == ["运动健身"]
    assert [t.term for t in taiji_rss.tags] == ["运动健身"]
    cover = f"{SITE}courses/covers/taiji.svg"
    assert [(e.href, e.type) for e in taiji.enclosures] == [(cover, "image/svg+xml")]
    assert [(e.href, e.type) for e in taiji_rss.enclosures] == [(cover, "image/svg+xml")]
    edited = item(atom, "/edited/")
    assert (edited.published, edited.updated) == ("2024-05-01T00:00:00+08:00",
                                                  "2026-12-01T00:00:00+08:00")
    assert [t.term for t in edited.tags] == ["smartphone", "exercise"]


def test_hostile_text_is_escaped_and_read_back_as_text(files: dict[str, bytes]) -> None:
    for name in ("atom.xml", "rss.xml"):
        data = files[f"feeds/subject/exercise/{name}"]
        assert b"<script>" not in data
        assert b"]]>" not in data
        hostile = item(parse(data), "/hostile/")
        assert hostile.title == HOSTILE
    atom = item(parse(files["feeds/subject/exercise/atom.xml"]), "/hostile/")
    assert atom.summary == HOSTILE
    # RSS readers read a description as HTML: it holds the text, escaped for HTML.
    rss = item(parse(files["feeds/subject/exercise/rss.xml"]), "/hostile/")
    assert rss.summary_detail.type == "text/html"
    assert html.unescape(rss.summary) == HOSTILE


def test_ids_stay_when_a_title_changes_and_same_input_gives_same_bytes(tmp_path: Path) -> None:
    base = one_of_each()
    first = dict(feed_files(load(tmp_path, base), site_url=SITE, lang="zh", site_name=NAME))
    again = dict(feed_files(load(tmp_path, base), site_url=SITE, lang="zh", site_name=NAME))
    assert first == again
    renamed = [{**e, "title": "新标题"} if e["id"] == "phone-2" else e for e in base]
    changed = dict(feed_files(load(tmp_path, renamed), site_url=SITE, lang="zh",
                              site_name=NAME))
    before = item(parse(first["feeds/atom.xml"]), "/phone-2/")
    after = item(parse(changed["feeds/atom.xml"]), "/phone-2/")
    assert after.title == "新标题"
    assert after.id == before.id


def test_without_site_url_links_are_relative_to_the_feed(catalogue: Catalogue) -> None:
    files = dict(feed_files(catalogue, site_url=None, lang="en", site_name="Lifelong",
                            scheme=UrlScheme(directory_urls=False)))
    for path, entry_id in [("feeds/atom.xml", "c27"), ("feeds/rss.xml", "c27"),
                           ("feeds/subject/exercise/atom.xml", "taiji-basics"),
                           ("feeds/subject/exercise/rss.xml", "taiji-basics")]:
        folder = posixpath.dirname(path)
        found = item(parse(files[path]), f"{entry_id}.html")
        assert not found.link.startswith(("http", "/"))
        assert posixpath.normpath(posixpath.join(folder, found.link)) == f"{entry_id}.html"
        cover = found.enclosures[0].href
        assert posixpath.normpath(posixpath.join(folder, cover)) == "courses/covers/taiji.svg"
        assert found.id.startswith("urn:uuid:")
    assert parse(files["feeds/atom.xml"]).feed.title == "Lifelong: Newest"


def test_only_web_addresses_are_written() -> None:
    assert media_address(Media(url="javascript:alert(1)")) is None
    assert media_address(Media(url="data:image/png;base64,AAAA")) is None
    assert media_address(Media(url="https://example.org/a.png")) == \
        ("https://example.org/a.png", False)
    assert media_address(Media(path="courses/covers/太极.svg", size=3)) == \
        ("courses/covers/%E5%A4%AA%E6%9E%81.svg", True)


def test_pages_find_their_feeds(catalogue: Catalogue, files: dict[str, bytes]) -> None:
    def paths(**shown: str) -> list[str]:
        return [link.path for link in feeds_of_page(catalogue, lang="zh", site_name=NAME,
                                                    **shown)]

    assert paths() == ["feeds/atom.xml", "feeds/rss.xml"]
    assert paths(section="reading") == ["feeds/section/reading/atom.xml",
                                        "feeds/section/reading/rss.xml"]
    assert paths(series="community-lecture-hall")[0] == \
        "feeds/series/community-lecture-hall/atom.xml"
    assert paths(subject="digital-skills")[1] == "feeds/subject/digital-skills/rss.xml"
    links = feeds_of_page(catalogue, lang="zh", site_name=NAME, section="reading")
    assert [(link.type, link.title) for link in links] == [
        ("application/atom+xml", f"{NAME}：全民阅读 · Atom"),
        ("application/rss+xml", f"{NAME}：全民阅读 · RSS")]
    for shown in ({"section": "nowhere"}, {"series": "taiji-basics"}, {"subject": "ai"}):
        assert paths(**shown) == []
    every = [link.path for section in catalogue.rules.sections
             for link in feeds_of_page(catalogue, lang="zh", site_name=NAME,
                                       section=section.slug)]
    assert set(every) <= set(files)

