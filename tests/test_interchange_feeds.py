"""OPDS feeds read as rows (``lifelong.interchange.feeds``): a real OPDS 1.2 feed, an OPDS
2.0 feed, a paginated feed given as its pages, and feeds that must be refused.

palace_feed.opds: ../shared/data/opds/, from github.com/ThePalaceProject/circulation
(tests/files/opds/palace_feed.opds at commit 0cf6839f4e70), Apache-2.0. The OPDS 2.0
publications built here are checked against Readium's metadata schema
(../shared/schemas/readium-webpub-manifest/, BSD-3), registered locally."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT7

from lifelong.build.loading import load_catalogue
from lifelong.interchange.feeds import read_opds
from lifelong.interchange.sources import OPDS_KEYS, Row, SourceError
from lifelong.site.opds import opds_files
from sitekit import one_of_each, write_project

SHARED = Path(__file__).resolve().parents[2] / "shared"
PALACE = SHARED / "data" / "opds" / "palace_feed.opds"
READIUM = SHARED / "schemas" / "readium-webpub-manifest" / "schema"


def test_the_palace_feed_gives_every_book_under_the_catalogues_names() -> None:
    rows = list(read_opds([PALACE]))
    assert [row.number for row in rows] == list(range(1, 101))
    assert all(set(row.values) <= set(OPDS_KEYS) for row in rows)
    star = rows[0]
    assert star.where == f"{PALACE}:1"
    assert dict(star.values) == {
        "title": "The Star",
        "summary": "<p>In January 1900, the people of Earth awaken to the news that a strange "
                   "luminous object has erupted, into the Solar System, after disturbing the "
                   "normal orbit of the planet Neptune. Although initially it is only of "
                   "interest to astronomers, eventually the world media announces that it is "
                   "a whole star, heading in a collision course toward the center of our star "
                   "system. From Wikipedia.</p>",
        "language": "en",
        "published": "2018-03-25T00:00:00Z",
        "updated": "2022-01-10T23:25:28Z",
        "year": 1926,
        "authors": ["H. G. Wells"],
        "identifiers": [{"scheme": "source", "value": "http://www.feedbooks.com/book/607"}],
        "subjects": ["Adult", "Fiction", "Science Fiction", "Literary Fiction",
                     "Short Stories"],
        "cover": "https://s3.amazonaws.com/open-bookshelf-covers/FeedBooks/URI/"
                 "http%3A//www.feedbooks.com/book/607/607.jpg",
        "files": [{"type": "application/epub+zip",
                   "link": "https://openbookshelf.dp.la/OB/works/8076/fulfill/1"}],
        "licence": "https://creativecommons.org/licenses/by-nc/4.0",
    }
    isidudu = next(row for row in rows if row.values["title"] == "Isidudu")
    assert isidudu.values["contributors"] == [
        {"name": "Nokuthula Bernelee Dyonase", "role": "translator"},
        {"name": "Catherine Groenewald", "role": "illustrator"}]
    assert isidudu.values["publisher"] == "African Storybook Initiative"
    assert isidudu.values["language"] == "xh"
    # Several acquisition links per book, with their media types as the feed gives them.
    types = {item["type"] for row in rows for item in row.values["files"]}
    assert types == {"application/epub+zip", "application/kepub+zip",
                     "application/x-mobipocket-ebook", "text/html; charset=utf-8"}
    assert sum("contributors" in row.values for row in rows) == 58
    assert sum("publisher" in row.values for row in rows) == 69


def page(entries: str, *, links: str = "", base: str = "") -> str:
    attribute = f' xml:base="{base}"' if base else ""
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:opf="http://www.idpf.org/2007/opf" '
            f'xmlns:schema="http://schema.org/"{attribute}>\n'
            f'<id>urn:uuid:feed</id><title>馆藏</title>{links}\n{entries}</feed>\n')


def entry(title: str, *, extra: str = "") -> str:
    return (f"<entry><title>{title}</title><id>urn:uuid:{title}</id>"
            f"<updated>2024-01-02T03:04:05Z</updated>{extra}</entry>\n")


def test_a_paginated_feed_numbers_entries_on_and_resolves_links(tmp_path: Path) -> None:
    first = tmp_path / "page-1.xml"
    second = tmp_path / "page-2.xml"
    first.write_text(page(
        entry("论语", extra=(
            '<author><name>孔子</name></author>'
            '<contributor opf:role="cmm"><name>何晏</name></contributor>'
            '<contributor opf:role="edt"><name>朱熹</name></contributor>'
            '<contributor opf:role="nrt"><name>王老师</name></contributor>'
            '<contributor opf:role="xyz"><name>某人</name></contributor>'
            '<dcterms:identifier>urn:isbn:9787101003048</dcterms:identifier>'
            '<dcterms:identifier>doi:10.1000/182</dcterms:identifier>'
            '<dcterms:language>zh</dcterms:language>'
            '<dcterms:issued>-0479</dcterms:issued>'
            '<category term="classics" label="经部"/><category term="ethics"/>'
            '<schema:Series schema:name="四书" schema:position="1"/>'
            '<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            '<p>学而<em>时习</em>之</p></div></summary>'
            '<link rel="http://opds-spec.org/image/thumbnail" href="thumbs/1.png"/>'
            '<link rel="http://opds-spec.org/acquisition" type="application/epub+zip" '
            'href="books/1.epub" length="123456"/>')),
        links='<link rel="self" href="/opds/page-1.xml"/>'
              '<link rel="start" href="https://library.example.org/opds/"/>'
              '<link rel="next" href="/opds/page-2.xml"/>'), encoding="utf-8")
    second.write_text(page(
        entry("孟子", extra='<link rel="http://opds-spec.org/image" href="covers/2.jpg"/>')
        + entry("大学", extra='<link rel="http://opds-spec.org/image" href="/no/base.jpg"/>'),
        base="https://mirror.example.org/feed/"), encoding="utf-8")
    rows = list(read_opds([first, second]))
    assert [(Path(row.source).name, row.number, row.values["title"]) for row in rows] == [
        ("page-1.xml", 1, "论语"), ("page-2.xml", 2, "孟子"), ("page-2.xml", 3, "大学")]
    lunyu = rows[0].values
    assert lunyu["authors"] == ["孔子"]
    assert lunyu["contributors"] == [{"name": "何晏", "role": "commentator"},
                                     {"name": "朱熹", "role": "editor"},
                                     {"name": "王老师", "role": "narrator"},
                                     {"name": "某人", "role": "xyz"}]
    assert lunyu["isbn"] == "9787101003048"
    assert lunyu["identifiers"] == [{"scheme": "source", "value": "urn:uuid:论语"},
                                    {"scheme": "isbn", "value": "9787101003048"},
                                    {"scheme": "doi", "value": "10.1000/182"}]
    assert (lunyu["year"], lunyu["published"]) == (-479, "-0479")
    assert lunyu["subjects"] == ["经部", "ethics"]
    assert (lunyu["series"], lunyu["series_order"]) == ("四书", 1)
    assert lunyu["summary"] == "<p>学而<em>时习</em>之</p>"
    # The self link is relative: made absolute against the feed's absolute start link.
    assert lunyu["cover"] == "https://library.example.org/opds/thumbs/1.png"
    assert lunyu["files"] == [{"type": "application/epub+zip", "size": 123456,
                               "link": "https://library.example.org/opds/books/1.epub"}]
    assert rows[1].values["cover"] == "https://mirror.example.org/feed/covers/2.jpg"
    assert rows[2].values["cover"] == "https://mirror.example.org/no/base.jpg"


def test_a_feed_without_an_absolute_base_leaves_relative_links_out(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(page(entry("x", extra='<link rel="http://opds-spec.org/image" '
                                         'href="covers/x.jpg"/>')), encoding="utf-8")
    [row] = read_opds([feed])
    assert "cover" not in row.values


OPDS2 = {
    "metadata": {"title": "开放大学课程电子书"},
    "links": [{"rel": "self", "href": "https://books.example.cn/opds2/catalog.json",
               "type": "application/opds+json"}],
    "publications": [{
        "metadata": {
            "@type": "http://schema.org/Book",
            "title": {"zh": "老年人智能手机入门", "en": "Smartphones for Seniors"},
            "identifier": "urn:isbn:978-7-04-050656-3",
            "altIdentifier": [{"value": "10.1000/xyz123", "scheme": "doi"}],
            "language": ["zh", "en"],
            "author": [{"name": "李明", "sortAs": "Li Ming"}, "王芳"],
            "translator": "Jane Doe",
            "narrator": {"name": {"zh": "张伟"}},
            "contributor": {"name": "赵丽", "role": "ill"},
            "publisher": {"name": "高等教育出版社"},
            "subject": [{"name": "数字素养", "code": "digital"}, "老年教育",
                        {"name": "", "code": "T-01"}],
            "published": "2021-05-01",
            "modified": "2024-03-04T05:06:07Z",
            "description": "<p>图文并茂。</p>",
            "belongsTo": {"series": [{"name": "银龄数字课堂", "position": 2}]},
        },
        "links": [{"rel": "http://opds-spec.org/acquisition/open-access",
                   "href": "/files/smartphones.epub", "type": "application/epub+zip",
                   "size": 2048},
                  {"rel": "alternate", "href": "/books/1", "type": "text/html"}],
        "images": [{"href": "covers/1.jpg", "type": "image/jpeg"}],
    }],
    "groups": [{"metadata": {"title": "新书"}, "publications": [{
        "metadata": {"title": "太极拳入门", "identifier": "https://books.example.cn/b/7",
                     "author": "陈老师"},
        "links": [{"rel": "http://opds-spec.org/acquisition", "href": "b/7.pdf",
                   "type": "application/pdf"}]}]}],
}


@pytest.fixture(scope="module")
def metadata_schema() -> jsonschema.Draft7Validator:
    resources = []
    for path in sorted(READIUM.rglob("*.schema.json")):
        text = re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", path.read_text(encoding="utf-8"))
        contents = json.loads(text)
        resources.append((contents["$id"], DRAFT7.create_resource(contents)))
    registry: Registry[Any] = Registry().with_resources(resources)
    return jsonschema.Draft7Validator(
        {"$ref": "https://readium.org/webpub-manifest/schema/metadata.schema.json"},
        registry=registry)


def test_an_opds2_feed_gives_its_publications_and_groups(
        tmp_path: Path, metadata_schema: jsonschema.Draft7Validator) -> None:
    for publication in [*OPDS2["publications"], *OPDS2["groups"][0]["publications"]]:
        metadata_schema.validate(publication["metadata"])
    feed = tmp_path / "catalog.json"
    feed.write_text(json.dumps(OPDS2, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = list(read_opds([feed]))
    assert rows[0] == Row(str(feed), 1, {
        "title": "老年人智能手机入门",
        "summary": "<p>图文并茂。</p>",
        "language": "zh",
        "publisher": "高等教育出版社",
        "published": "2021-05-01",
        "updated": "2024-03-04T05:06:07Z",
        "year": 2021,
        "isbn": "978-7-04-050656-3",
        "authors": ["李明", "王芳"],
        "contributors": [{"name": "Jane Doe", "role": "translator"},
                         {"name": "张伟", "role": "narrator"},
                         {"name": "赵丽", "role": "illustrator"}],
        "identifiers": [{"scheme": "isbn", "value": "978-7-04-050656-3"},
                        {"scheme": "doi", "value": "10.1000/xyz123"}],
        "subjects": ["数字素养", "老年教育", "T-01"],
        "cover": "https://books.example.cn/opds2/covers/1.jpg",
        "files": [{"type": "application/epub+zip",
                   "link": "https://books.example.cn/files/smartphones.epub", "size": 2048}],
        "series": "银龄数字课堂",
        "series_order": 2,
    })
    assert rows[1] == Row(str(feed), 2, {
        "title": "太极拳入门", "authors": ["陈老师"],
        "identifiers": [{"scheme": "source", "value": "https://books.example.cn/b/7"}],
        "files": [{"type": "application/pdf",
                   "link": "https://books.example.cn/opds2/b/7.pdf"}]})


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&secret;</title></entry></feed>
"""
REFUSED = ("the feed declares a document type or entities, which are refused (they can read "
           "files or expand without end)")


@pytest.mark.parametrize(("text", "message"), [
    (BILLION_LAUGHS, "1: " + REFUSED),
    (EXTERNAL, "1: " + REFUSED),
    ('<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<title>x</entry>\n</feed>\n',
     "3: not well-formed XML: mismatched tag"),
    ("<rss><channel/></rss>", "1: not an OPDS 1.2 feed: the document is <rss>, not an Atom "
                              "<feed>"),
    ('{"publications": [\n{"metadata": {"title": "x"}},\n]}', "3: not JSON: Expecting value"),
    ('{"publications": [{"title": "x"}]}', "1: an OPDS 2.0 publication without metadata"),
    ('["a list"]', "1: not an OPDS 2.0 feed: no metadata, publications, navigation or "
                   "groups"),
    ("title,author\n", "1: not an OPDS feed: neither Atom XML (OPDS 1.2) nor JSON "
                       "(OPDS 2.0)"),
])
def test_what_is_not_a_feed_is_refused_naming_file_and_line(tmp_path: Path, text: str,
                                                             message: str) -> None:
    path = tmp_path / "feed.opds"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        list(read_opds([path]))
    assert str(caught.value) == f"{path}:{message}"


def test_a_missing_page_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        list(read_opds([tmp_path / "page-9.xml"]))
    assert str(caught.value) == f"{tmp_path / 'page-9.xml'}: cannot read file: No such file " \
                                "or directory"


def test_the_sites_own_feeds_read_back_alike_in_both_versions(tmp_path: Path) -> None:
    """What ``lifelong build`` publishes under opds/ (Atom and JSON) comes back with the
    same books, ISBNs, authors and files."""
    write_project(tmp_path, one_of_each())
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    files = dict(opds_files(catalogue, site_url="https://lifelong.example.org/", lang="zh",
                            site_name="终身学习资源目录"))
    read = {}
    for name in ("1.xml", "1.json"):
        path = tmp_path / name
        path.write_bytes(files[f"opds/all/{name}"])
        read[name] = [{key: row.values.get(key) for key in ("title", "isbn", "authors",
                                                             "language", "files")}
                      for row in read_opds([path])]
    assert read["1.xml"] == read["1.json"] == [{
        "title": "论语", "isbn": "9787020002207", "authors": ["孔子弟子"], "language": "zh",
        "files": [{"type": "text/html", "size": 79,
                   "link": "https://lifelong.example.org/reading/files/lunyu.html"},
                  {"type": "application/pdf", "size": 1048576,
                   "link": "https://example.org/lunyu.pdf"}]}]
