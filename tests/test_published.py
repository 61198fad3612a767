"""The files a build publishes beside its pages (feeds, calendars, OPDS, data, robots.txt):
written by a real build, their links landing on files of the same site, online and in the
offline copy, and rewritten by a rebuild only when their bytes change. What each file holds
is tested against its generator (test_feeds, test_calendar, test_opds, test_export)."""

from __future__ import annotations

import json
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import icalendar
import pytest

from sitekit import build_site, one_of_each, read, write_project
from test_rebuild import rewrite_body

SITE_URL = "https://lifelong.example.org/"


def lands(site: Path, base: str, href: str) -> bool:
    """Whether ``href`` (absolute on SITE_URL, or relative to the file ``base``) names a
    file of ``site`` (a folder address: its index.html)."""
    if href.startswith(SITE_URL):
        path = href[len(SITE_URL):]
    else:
        assert not urlsplit(href).scheme, href
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    path = unquote(urlsplit(path).path)
    target = site / path
    return (target / "index.html").is_file() if path.endswith("/") or not path else \
        target.is_file()


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("online")
    return build_site(write_project(root, one_of_each()))


def test_a_build_publishes_feeds_calendars_opds_and_data(online: Path) -> None:
    for path in ("feeds/atom.xml", "feeds/rss.xml", "feeds/series/community-lecture-hall/atom.xml",
                 "calendar/lecture/hall-2027.ics", "calendar/upcoming.ics",
                 "calendar/series/community-lecture-hall.ics", "opds/index.xml",
                 "opds/index.json", "data/index.json", "data/entry.schema.json"):
        assert (online / path).is_file(), path
    assert read(online, "robots.txt").endswith(f"Sitemap: {SITE_URL}sitemap.xml\n")
    feed = feedparser.parse((online / "feeds/atom.xml").read_bytes())
    assert not feed.bozo and feed.entries
    for item in feed.entries:
        assert lands(online, "feeds/atom.xml", item.link), item.link
    event = icalendar.Calendar.from_ical((online / "calendar/lecture/hall-2027.ics").read_bytes())
    urls = [str(e["URL"]) for e in event.walk("VEVENT")]
    assert urls and all(lands(online, "calendar/lecture/hall-2027.ics", u) for u in urls)
    index = json.loads(read(online, "data/index.json"))
    for file in index["files"]:
        assert lands(online, "data/index.json", file["url"]), file


def test_opds_acquisition_links_land_on_the_files(online: Path) -> None:
    first = "opds/all/1.xml"
    feed = feedparser.parse((online / first).read_bytes())
    assert not feed.bozo
    links = [link.href for entry in feed.entries for link in entry.links
             if link.rel.startswith("http://opds-spec.org/acquisition")]
    assert links
    local = [href for href in links if href.startswith(SITE_URL)]
    assert local and all(lands(online, first, href) for href in local)


def test_the_sitemap_is_dated_by_the_entries(online: Path) -> None:
    dates = dict(re.findall(r"<loc>(.*?)</loc>\s*<lastmod>(.*?)</lastmod>",
                            read(online, "sitemap.xml")))
    assert dates[f"{SITE_URL}taiji-basics/"] == "2024-03-12"
    assert dates[f"{SITE_URL}hall-2027/"] == "2026-10-01"


def test_the_offline_copy_links_within_itself(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, one_of_each(), mkdocs={
        "use_directory_urls": False}, plugin={"offline": True}))
    assert not (site / "robots.txt").exists()  # no search engine reads a USB stick
    feed = feedparser.parse((site / "feeds/atom.xml").read_bytes())
    assert feed.entries
    for item in feed.entries:
        assert not item.link.startswith("http"), item.link
        assert lands(site, "feeds/atom.xml", item.link), item.link
    opds = feedparser.parse((site / "opds/all/1.xml").read_bytes())
    hrefs = [link.href for entry in opds.entries for link in entry.links]
    assert hrefs and not any(h.startswith(SITE_URL) for h in hrefs)
    assert all(lands(site, "opds/all/1.xml", h) for h in hrefs if not h.startswith("http"))


def test_an_editors_robots_txt_is_kept(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each())
    (tmp_path / "content" / "robots.txt").write_text("User-agent: *\nDisallow: /\n",
                                                     encoding="utf-8")
    site = build_site(config)
    assert read(site, "robots.txt") == "User-agent: *\nDisallow: /\n"


def test_a_rebuild_rewrites_only_the_published_files_that_change(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    old = 1_000_000_000
    for path in ("opds/index.xml", "data/course.jsonl", "calendar/upcoming.ics"):
        os.utime(site / path, (old, old))
    rewrite_body(tmp_path)  # a course's description: its line in the data changes
    build_site(config, dirty=True)
    assert (site / "data/course.jsonl").stat().st_mtime != old
    assert (site / "opds/index.xml").stat().st_mtime == old
    assert (site / "calendar/upcoming.ics").stat().st_mtime == old
