"""The OPDS catalogue of the e-books (``lifelong.site.opds``), read as reader apps read it.

OPDS 1.2: feedparser parses every Atom file without complaint, and the rules of the
specification that can be checked mechanically are checked here (links and their rels,
acquisition links with media types and lengths, pagination, facets). OPDS 2.0: every
publication validates against the Readium Web Publication Manifest schemas
(../shared/schemas/readium-webpub-manifest/, BSD-3), registered locally with ``referencing``
(never fetched), and the feeds' structure is checked in code.

Most e-books come from real records: the first 60 books of an OPDS feed published by a
library platform (../shared/data/opds/palace_feed.opds, from github.com/ThePalaceProject/
circulation, Apache-2.0): their titles, authors, HTML summaries, covers and open-access
files, as an editor would copy them into entries.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import Catalogue, Entry
from lifelong.catalogue.validate import CONTROL_CHARACTERS, Media
from lifelong.site.opds import (
    ACQUISITION_TYPE,
    MAX_FILE_BYTES,
    NAVIGATION_TYPE,
    OPDS2_TYPE,
    PAGE_SIZE,
    discovery_links,
    opds_files,
)
from lifelong.site.urls import UrlScheme
from sitekit import write_project

SHARED = Path(__file__).resolve().parents[2] / "shared"
PALACE = SHARED / "data" / "opds" / "palace_feed.opds"
READIUM = SHARED / "schemas" / "readium-webpub-manifest" / "schema"
SITE = "终身学习资源目录"
SITE_URL = "https://lifelong.example.org/"

ATOM = "{http://www.w3.org/2005/Atom}"
OPDS_NS = "{http://opds-spec.org/2010/catalog}"
THR = "{http://purl.org/syndication/thread/1.0}"
DC = "{http://purl.org/dc/terms/}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
FACET = "http://opds-spec.org/facet"
PALACE_BOOKS = 60
#: A 1x1 PNG: the local cover of one book (OPDS 2.0 shows only JPEG, PNG, GIF, AVIF).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


def palace_books() -> list[dict[str, Any]]:
    """E-book entries made from the real records of the Palace feed: each keeps its title,
    authors, summary (HTML, as published), cover and its EPUB and web-page files. Two
    summaries hold C1 control characters (mojibake), which ``lifelong check`` refuses: they
    are removed, as the editor it told would."""
    books = []
    for n, item in enumerate(feedparser.parse(PALACE).entries[:PALACE_BOOKS]):
        files: dict[str, str] = {}
        cover = None
        for link in item.links:
            kind = {"application/epub+zip": "epub", "text/html; charset=utf-8": "html"}.get(
                link.get("type", ""))
            if link.rel == OPEN_ACCESS and kind and link.href.startswith("http"):
                files.setdefault(kind, link.href)
            elif link.rel == "http://opds-spec.org/image" and cover is None:
                cover = link.href
        book: dict[str, Any] = {
            "kind": "ebook", "id": f"palace-{n:03d}", "title": item.title,
            "summary": CONTROL_CHARACTERS.sub("", item.summary), "subjects": [("literature", "history", "classics")[n % 3]],
            "language": "en", "published": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "authors": [a["name"] for a in item.get("authors", []) if a.get("name")]
            or ["Anonymous"],
            "files": [{"type": kind, "link": href} for kind, href in files.items()]}
        if cover:
            book["cover"] = cover
        books.append(book)
    return books


def own_books() -> list[dict[str, Any]]:
    """Books that exercise what the Palace records do not: local files and cover, ISBN,
    publisher, year, audio, a series, another language; and what must stay out."""
    return [
        {"kind": "series", "id": "classics-series", "title": "经典诵读", "summary": "经典诵读丛书。",
         "subjects": ["classics"], "organiser": "国家开放大学", "published": "2023-01-01"},
        {"kind": "ebook", "id": "lunyu", "title": "论语", "summary": "儒家经典，学而时习之。",
         "subjects": ["classics"], "published": "2025-05-01", "authors": ["孔子弟子"],
         "publisher": "人民文学出版社", "year": 2018, "isbn": "978-7-02-000220-7",
         "pages": 240, "cover": "covers/lunyu.png", "featured": True,
         "series": "classics-series", "series_order": 1,
         "files": [{"type": "html", "link": "files/lunyu.html"},
                   {"type": "pdf", "link": "https://example.org/lunyu.pdf", "size": 1048576}]},
        {"kind": "ebook", "id": "tang-audio", "title": "唐诗朗读", "summary": "粤语朗读唐诗。",
         "subjects": ["literature"], "published": "2025-04-01", "authors": ["孙洙"],
         "language": "yue", "series": "classics-series", "series_order": 2,
         "files": [{"type": "audio", "link": "https://example.org/tang.mp3",
                    "size": 8421376},
                   {"type": "audio", "link": "https://example.org/tang.m4b"}]},
        {"kind": "ebook", "id": "no-files", "title": "只有介绍", "summary": "没有可下载的文件。",
         "subjects": ["classics"], "published": "2025-06-01", "authors": ["佚名"]},
        {"kind": "ebook", "id": "draft-book", "title": "草稿", "summary": "未发布。",
         "subjects": ["classics"], "published": "2025-06-01", "authors": ["佚名"],
         "draft": True, "files": [{"type": "epub", "link": "https://example.org/d.epub"}]},
        {"kind": "course", "id": "a-course", "title": "课程", "summary": "不是电子书。",
         "subjects": ["classics"], "published": "2025-06-01", "duration_minutes": 10,
         "format": "video"},
    ]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = tmp_path_factory.mktemp("opds")
    write_project(root, palace_books() + own_books())
    (root / "content" / "reading" / "covers").mkdir()
    (root / "content" / "reading" / "covers" / "lunyu.png").write_bytes(PNG)
    return load_catalogue(root / "content", root / "catalogue")


@pytest.fixture(scope="module")
def offline(catalogue: Catalogue) -> dict[str, bytes]:
    return dict(opds_files(catalogue, site_url=None, lang="zh", site_name=SITE))


@pytest.fixture(scope="module")
def online(catalogue: Catalogue) -> dict[str, bytes]:
    return dict(opds_files(catalogue, site_url=SITE_URL, lang="zh", site_name=SITE))


def atoms(files: dict[str, bytes]) -> dict[str, ET.Element]:
    return {path: ET.fromstring(data) for path, data in files.items() if path.endswith(".xml")}


def links(element: ET.Element) -> list[dict[str, str]]:
    return [link.attrib for link in element.findall(f"{ATOM}link")]


def rel(element: ET.Element, name: str) -> list[dict[str, str]]:
    return [link for link in links(element) if link.get("rel") == name]


def resolve(path: str, href: str) -> str:
    """Where a link in the file at ``path`` leads: from the site's root if it is relative."""
    if href.startswith(("http://", "https://")):
        return href
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), href))


def feed_pages(files: Iterable[str], ext: str) -> dict[str, list[str]]:
    """Paged feeds: 'opds/all' -> its pages' files in order."""
    pages: dict[str, dict[int, str]] = defaultdict(dict)
    for path in files:
        match = re.fullmatch(rf"(opds/.+)/(\d+)\.{ext}", path)
        if match:
            pages[match.group(1)][int(match.group(2))] = path
    return {stem: [numbered[n] for n in sorted(numbered)] for stem, numbered in pages.items()}


# -- addresses ------------------------------------------------------------------------------

def test_addresses_cover_every_e_book_feed_in_both_formats(
        catalogue: Catalogue, offline: dict[str, bytes]) -> None:
    paths = list(offline)
    assert paths == sorted(paths)
    stems = {p.rsplit(".", 1)[0] for p in paths}
    assert set(paths) == {f"{s}.{ext}" for s in stems for ext in ("xml", "json")}
    assert {"opds/index", "opds/subjects", "opds/new", "opds/featured", "opds/all/1",
            "opds/all/2", "opds/section/reading/1", "opds/section/reading/2",
            "opds/subject/classics/1", "opds/subject/languages-literature/1",
            "opds/language/en/1", "opds/language/zh/1", "opds/language/yue/1",
            "opds/series/classics-series/1"} <= stems
    person = catalogue.person_by_name["孔子弟子"].slug
    assert f"opds/author/{person}/1" in stems
    everything = b"".join(offline.values()).decode()
    # Only e-books with a file to get: not the one without files, the draft, the course.
    for left_out in ("只有介绍", "草稿", "不是电子书"):
        assert left_out not in everything
    total = ET.fromstring(offline["opds/all/1.xml"]).findtext(f"{OPENSEARCH}totalResults")
    assert total == str(PALACE_BOOKS + 2)


# -- OPDS 1.2 --------------------------------------------------------------------------------

def test_feedparser_reads_every_atom_file_without_complaint(offline: dict[str, bytes]) -> None:
    for path, data in offline.items():
        if path.endswith(".xml"):
            parsed = feedparser.parse(data)
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            assert parsed.feed.title, path
            assert parsed.entries, path
    parsed = feedparser.parse(offline["opds/series/classics-series/1.xml"])
    assert [e.title for e in parsed.entries] == ["论语", "唐诗朗读"]  # in series order


def test_every_feed_has_self_and_start_and_all_but_the_root_go_up(
        offline: dict[str, bytes]) -> None:
    for path, feed in atoms(offline).items():
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
        assert feed.findtext(f"{ATOM}updated"), path
        assert [resolve(path, link["href"]) for link in rel(feed, "self")] == [path]
        assert [resolve(path, link["href"]) for link in rel(feed, "start")] == \
            ["opds/index.xml"]
        assert len(rel(feed, "up")) == (0 if path == "opds/index.xml" else 1), path
        twin = [link for link in rel(feed, "alternate") if link["type"] == OPDS2_TYPE]
        assert resolve(path, twin[0]["href"]) == path[:-4] + ".json"


def test_navigation_feeds_lead_to_feeds_that_exist(offline: dict[str, bytes]) -> None:
    root = ET.fromstring(offline["opds/index.xml"])
    assert rel(root, "self")[0]["type"] == NAVIGATION_TYPE
    crawlable = rel(root, "http://opds-spec.org/crawlable")
    assert [resolve("opds/index.xml", c["href"]) for c in crawlable] == ["opds/all/1.xml"]
    targets = []
    for path in ("opds/index.xml", "opds/subjects.xml"):
        for entry in ET.fromstring(offline[path]).findall(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}title")
            assert entry.findtext(f"{ATOM}content")
            (link,) = links(entry)
            assert link["type"] in (NAVIGATION_TYPE, ACQUISITION_TYPE)
            target = resolve(path, link["href"])
            assert target in offline
            total = ET.fromstring(offline[target]).findtext(f"{OPENSEARCH}totalResults")
            assert total is None or link[f"{THR}count"] == total
            targets.append(target)
    assert {"opds/section/reading/1.xml", "opds/subjects.xml", "opds/new.xml",
            "opds/featured.xml", "opds/all/1.xml", "opds/subject/classics/1.xml"} <= \
        set(targets)
    def titles(path: str) -> list[str | None]:
        return [e.findtext(f"{ATOM}title") for e in ET.fromstring(offline[path]).iter(
            f"{ATOM}entry")]
    assert titles("opds/featured.xml") == ["论语"]
    assert titles("opds/new.xml") == titles("opds/all/1.xml")[:PAGE_SIZE]
    assert titles("opds/new.xml")[:2] == ["论语", "唐诗朗读"]  # newest first


def test_acquisition_entries_offer_files_with_types_sizes_covers_and_book_data(
        catalogue: Catalogue, offline: dict[str, bytes]) -> None:
    for path, feed in atoms(offline).items():
        if rel(feed, "self")[0]["type"] != ACQUISITION_TYPE:
            continue
        for entry in feed.findall(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
            assert entry.findtext(f"{ATOM}updated")
            assert entry.find(f"{ATOM}author") is not None
            files = rel(entry, OPEN_ACCESS)
            assert files, path
            assert all(f["type"] and f["href"] for f in files), path
    books = {e.findtext(f"{ATOM}title"): e for page in ("opds/all/1.xml", "opds/all/2.xml")
             for e in ET.fromstring(offline[page]).findall(f"{ATOM}entry")}
    lunyu = books["论语"]
    local = catalogue.by_id["lunyu"].get("files")[0]["link"].size
    assert [(resolve("opds/all/1.xml", f["href"]), f["type"], f.get("length"))
            for f in rel(lunyu, OPEN_ACCESS)] == [
        ("reading/files/lunyu.html", "text/html", str(local)),
        ("https://example.org/lunyu.pdf", "application/pdf", "1048576")]
    assert lunyu.findtext(f"{DC}identifier") == "urn:isbn:9787020002207"
    assert (lunyu.findtext(f"{DC}language"), lunyu.findtext(f"{DC}publisher"),
            lunyu.findtext(f"{DC}issued")) == ("zh", "人民文学出版社", "2018")
    for image in ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"):
        (cover,) = rel(lunyu, image)
        assert (resolve("opds/all/1.xml", cover["href"]), cover["type"]) == \
            ("reading/covers/lunyu.png", "image/png")
    assert resolve("opds/all/1.xml", rel(lunyu, "alternate")[0]["href"]) == "lunyu"
    assert [(f["type"], f.get("length")) for f in rel(books["唐诗朗读"], OPEN_ACCESS)] == \
        [("audio/mpeg", "8421376"), ("audio/mp4", None)]
    palace = books[feedparser.parse(PALACE).entries[0].title]
    assert palace.findtext(f"{ATOM}summary", "").startswith("<p>")  # escaped, read back
    assert {f["type"] for f in rel(palace, OPEN_ACCESS)} <= {"application/epub+zip",
                                                             "text/html"}


def test_pages_link_first_previous_next_last_and_hold_each_entry_once(
        offline: dict[str, bytes]) -> None:
    paged = feed_pages(offline, "xml")
    assert len(paged["opds/all"]) == len(paged["opds/section/reading"]) == 2
    for stem, pages in paged.items():
        seen: list[str] = []
        for number, path in enumerate(pages, 1):
            feed = ET.fromstring(offline[path])

            def target(name: str, feed: ET.Element = feed, path: str = path) -> str | None:
                found = rel(feed, name)
                return resolve(path, found[0]["href"]) if found else None
            assert target("first") == pages[0]
            assert target("last") == pages[-1]
            assert target("previous") == (pages[number - 2] if number > 1 else None)
            assert target("next") == (pages[number] if number < len(pages) else None)
            entries = [e.findtext(f"{ATOM}id", "") for e in feed.findall(f"{ATOM}entry")]
            assert 0 < len(entries) <= PAGE_SIZE
            assert feed.findtext(f"{OPENSEARCH}startIndex") == str(len(seen) + 1)
            seen += entries
        assert len(seen) == len(set(seen)) == int(feed.findtext(f"{OPENSEARCH}totalResults",
                                                                "")), stem
        # The OPDS 2.0 twin pages hold the same books in the same order.
        titles = [e.findtext(f"{ATOM}title") for p in pages
                  for e in ET.fromstring(offline[p]).findall(f"{ATOM}entry")]
        twins = [pub["metadata"]["title"] for p in pages
                 for pub in json.loads(offline[p[:-4] + ".json"])["publications"]]
        assert titles == twins, stem


def test_the_complete_feed_has_facets_by_subject_and_language_with_counts(
        offline: dict[str, bytes]) -> None:
    for path in feed_pages(offline, "xml")["opds/all"]:
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for facet in rel(ET.fromstring(offline[path]), FACET):
            groups[facet[f"{OPDS_NS}facetGroup"]].append(facet)
        assert set(groups) == {"主题", "语言"}
        for facets in groups.values():
            (active,) = [f for f in facets if f.get(f"{OPDS_NS}activeFacet") == "true"]
            assert resolve(path, active["href"]) == "opds/all/1.xml"
            for facet in facets:
                target = ET.fromstring(offline[resolve(path, facet["href"])])
                assert facet[f"{THR}count"] == target.findtext(f"{OPENSEARCH}totalResults")
        assert {f["title"] for f in groups["语言"]} == {"全部", "英语", "普通话", "粤语"}


# -- OPDS 2.0 --------------------------------------------------------------------------------

#: The OPDS link properties schema, which Readium's link schema refers to and the shared
#: folder does not hold: a local stand-in for the one property our feeds use.
OPDS_PROPERTIES = {"$schema": "http://json-schema.org/draft-07/schema#",
                   "$id": "https://drafts.opds.io/schema/properties.schema.json",
                   "type": "object",
                   "properties": {"numberOfItems": {"type": "integer", "minimum": 0}}}
READIUM_ID = "https://readium.org/webpub-manifest/schema/"
#: An OPDS 2.0 publication, as OPDS 2.0's own schema puts it together from Readium's
#: metadata and link schemas (Readium's publication.schema.json describes a whole manifest,
#: whose readingOrder a catalogue entry does not have): metadata, links, and images with one
#: of the four image types readers must support.
PUBLICATION = {
    "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
    "required": ["metadata", "links"],
    "properties": {
        "metadata": {"$ref": READIUM_ID + "metadata.schema.json"},
        "links": {"type": "array", "minItems": 1,
                  "items": {"$ref": READIUM_ID + "link.schema.json"}},
        "images": {"type": "array", "items": {"$ref": READIUM_ID + "link.schema.json"},
                   "contains": {"required": ["type"], "properties": {"type": {"enum": [
                       "image/jpeg", "image/avif", "image/png", "image/gif"]}}}}}}


@pytest.fixture(scope="module")
def registry() -> Registry:
    """Readium's schemas by their ids, from the shared folder. Their patterns name groups
    as ECMA-262 does, ``(?<name>``: written ``(?P<name>`` for Python's ``re``."""
    resources = []
    for path in sorted(READIUM.rglob("*.schema.json")):
        text = re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", path.read_text(encoding="utf-8"))
        contents = json.loads(text)
        resources.append((contents["$id"], DRAFT7.create_resource(contents)))
    resources.append((OPDS_PROPERTIES["$id"], Resource.from_contents(OPDS_PROPERTIES)))
    return Registry().with_resources(resources)


def validator(registry: Registry, schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema, registry=registry,
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_every_publication_validates_against_the_readium_schemas(
        registry: Registry, offline: dict[str, bytes], online: dict[str, bytes]) -> None:
    publications = validator(registry, PUBLICATION)
    count = 0
    for files in (offline, online):
        for path, data in files.items():
            for publication in json.loads(data).get("publications", ()) \
                    if path.endswith(".json") else ():
                publications.validate(publication)
                assert any(link.get("rel") == OPEN_ACCESS and link.get("type")
                           for link in publication["links"]), path
                metadata = publication["metadata"]
                assert re.fullmatch(r"urn:(isbn:\d{9}[\dX](\d{3})?|uuid:[0-9a-f-]{36})",
                                    metadata["identifier"])
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+08:00", metadata["modified"])
                count += 1
    assert count > 2 * (PALACE_BOOKS + 2)
    lunyu = next(pub for pub in json.loads(offline["opds/series/classics-series/1.json"])[
        "publications"] if pub["metadata"]["title"] == "论语")
    assert lunyu["metadata"]["belongsTo"]["series"] == [{
        "name": "经典诵读", "position": 1,
        "links": [{"href": "../../../opds/series/classics-series/1.json",
                   "type": OPDS2_TYPE}]}]
    assert lunyu["images"] == [{"href": "../../../reading/covers/lunyu.png",
                                "type": "image/png"}]


def test_every_opds2_feed_has_the_structure_the_specification_asks(
        registry: Registry, offline: dict[str, bytes]) -> None:
    link_schema = validator(registry, {"$ref": READIUM_ID + "link.schema.json"})
    for path, data in offline.items():
        if not path.endswith(".json"):
            continue
        feed = json.loads(data)
        assert isinstance(feed["metadata"]["title"], str)
        assert feed["metadata"]["title"]
        collections = [name for name in ("navigation", "publications", "groups")
                       if name in feed]
        assert collections, path
        every = feed["links"] + feed.get("navigation", []) + [
            link for facet in feed.get("facets", ()) for link in facet["links"]]
        for link in every:
            link_schema.validate(link)
            assert link["type"] == "text/html" or resolve(path, link["href"]) in offline
        (me,) = [link for link in feed["links"] if link["rel"] == "self"]
        assert resolve(path, me["href"]) == path
        assert me["type"] == OPDS2_TYPE
        for link in feed.get("navigation", ()):
            assert link["title"]
            assert link["type"] == OPDS2_TYPE
        if "publications" in feed:
            metadata = feed["metadata"]
            assert metadata["numberOfItems"] >= len(feed["publications"])
            assert metadata["itemsPerPage"] == PAGE_SIZE
        for facet in feed.get("facets", ()):
            assert facet["metadata"]["title"]
            assert sum(link.get("rel") == "self" for link in facet["links"]) == 1
            assert all(link["properties"]["numberOfItems"] >= 0 for link in facet["links"])


# -- addresses online and offline -----------------------------------------------------------

def test_offline_links_are_relative_and_lead_inside_the_copy(
        catalogue: Catalogue, offline: dict[str, bytes], online: dict[str, bytes]) -> None:
    pages = {e.id for e in catalogue.entries}
    for path, feed in atoms(offline).items():
        hrefs = [link["href"] for element in feed.iter() for link in [element.attrib]
                 if "href" in link]
        hrefs += [uri.text or "" for uri in feed.iter(f"{ATOM}uri")]
        for href in hrefs:
            if href.startswith("http"):  # the books' own remote files and covers
                assert not href.startswith(SITE_URL)
                continue
            target = resolve(path, href)
            assert not target.startswith(".."), (path, href)
            assert target in offline or target == "." or target.split("/")[0] in \
                pages | {"reading", "people", "subjects", "series"}, href
    assert SITE_URL not in b"".join(offline.values()).decode()
    for path, data in online.items():
        for href in re.findall(r'href="([^"]*)"', data.decode()):
            assert href.startswith("https://"), (path, href)
    discovered = discovery_links("reading/", site_url=None, lang="zh")
    assert 'href="../opds/index.xml"' in discovered
    assert 'href="../opds/index.json"' in discovered
    assert f'href="{SITE_URL}opds/index.xml"' in discovery_links("reading/", site_url=SITE_URL,
                                                                  lang="en")


def test_an_offline_copy_without_directory_urls_or_left_out_files(
        catalogue: Catalogue) -> None:
    files = dict(opds_files(catalogue, site_url=None, lang="en", site_name=SITE,
                            scheme=UrlScheme(directory_urls=False),
                            excluded_media=frozenset({"reading/files/lunyu.html",
                                                      "reading/covers/lunyu.png"})))
    feed = ET.fromstring(files["opds/series/classics-series/1.xml"])
    assert feed.findtext(f"{ATOM}title") == "Series: 经典诵读"
    lunyu = feed.findall(f"{ATOM}entry")[0]
    assert rel(lunyu, "alternate")[0]["href"] == "../../../lunyu.html"
    assert [f["type"] for f in rel(lunyu, OPEN_ACCESS)] == ["application/pdf"]
    assert not rel(lunyu, "http://opds-spec.org/image")


# -- safety, determinism, size --------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> & ]]>\ufffe \"引号\" 'x'"


def with_values(entry: Entry, **values: Any) -> Entry:
    return dataclasses.replace(entry, values={**entry.values, **values})


def test_hostile_text_is_escaped_and_unsafe_addresses_are_never_written(
        catalogue: Catalogue) -> None:
    """Entries as no check would let through (built in memory): the feeds stay well formed,
    the text reads back as written (less what XML cannot hold), and no address but http(s)
    or a relative one appears."""
    evil = Media(url="javascript:alert(2)")
    files_of = ({"type": "epub", "link": evil},
                {"type": "pdf", "link": Media(url="https://example.org/a.pdf?x=1&y=2")},
                {"type": "pdf", "link": Media(url="https://example.org/b.pdf?<y>")})
    entries = tuple(
        with_values(e, title=HOSTILE, summary=HOSTILE, authors=(HOSTILE,), publisher=HOSTILE,
                    cover=evil, files=files_of)
        if e.id == "tang-audio" else e for e in catalogue.entries)
    files = dict(opds_files(Catalogue(catalogue.rules, entries, (), "v"), site_url=None,
                            lang="zh", site_name=HOSTILE))
    clean = HOSTILE.replace("\ufffe", "")
    found = []
    for path, data in files.items():
        text = data.decode()
        assert "<script>" not in text, path
        assert "javascript:" not in text, path
        if path.endswith(".xml"):
            parsed = feedparser.parse(data)
            assert not parsed.bozo, path
            assert parsed.feed.author == clean
            for entry in parsed.entries:
                if entry.title == clean:
                    found.append(path)
                    assert entry.summary == entry.author == entry.dcterms_publisher == clean
                    assert [link.href for link in entry.links if link.rel == OPEN_ACCESS] == \
                        ["https://example.org/a.pdf?x=1&y=2"]
                    assert not [link for link in entry.links if "image" in link.rel]
        else:
            for publication in json.loads(data).get("publications", ()):
                if publication["metadata"]["title"] == clean:
                    found.append(path)
                    assert publication["metadata"]["description"] == clean
                    assert publication["metadata"]["author"][0]["name"] == clean
    assert {f"{stem}.{ext}" for stem in ("opds/all/1", "opds/language/yue/1")
            for ext in ("xml", "json")} <= set(found)
    with pytest.raises(ValueError, match="not an http"):
        list(opds_files(catalogue, site_url="javascript:alert(3)//", lang="zh", site_name=SITE))


def test_the_same_catalogue_gives_the_same_bytes(
        catalogue: Catalogue, offline: dict[str, bytes]) -> None:
    again = list(opds_files(catalogue, site_url=None, lang="zh", site_name=SITE))
    assert [path for path, _ in again] == list(offline)
    assert dict(again) == offline


def test_no_file_passes_1_mb_even_with_very_long_entries(catalogue: Catalogue) -> None:
    """Titles and names of 20,000 characters (the check allows 100,000): pages are cut by
    size before they reach ``PAGE_SIZE``, and still link up."""
    long = "长" * 20_000
    entries = tuple(with_values(e, title=long + e.id, authors=(long,)) if e.kind == "ebook"
                    else e for e in catalogue.entries)
    files = dict(opds_files(Catalogue(catalogue.rules, entries, (), "v"), site_url=SITE_URL,
                            lang="zh", site_name=SITE))
    assert max(len(data) for data in files.values()) < MAX_FILE_BYTES
    pages = feed_pages(files, "xml")["opds/all"]
    assert len(pages) > 2
    first = ET.fromstring(files[pages[0]])
    assert rel(first, "last")[0]["href"] == SITE_URL + pages[-1]
    assert sum(len(ET.fromstring(files[p]).findall(f"{ATOM}entry")) for p in pages) == \
        PALACE_BOOKS + 2
