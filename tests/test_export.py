"""The data for partner apps (``lifelong.site.export``): JSON Lines that validate against their
own schema and carry every field back, an index that matches the files, splitting, drafts
left out, hostile values, the same bytes twice, robots.txt and sitemap ``lastmod``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft202012Validator

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import Catalogue, Entry
from lifelong.catalogue.schema import FieldSpec
from lifelong.catalogue.validate import Media
from lifelong.site.export import data_files, lastmods, robots_txt
from lifelong.site.pages import SitePage, SitePlan
from lifelong.site.urls import UrlScheme
from sitekit import course, one_of_each, write_project

ROOT = "https://lifelong.example.org/"
HOSTILE_TITLE = '</script><script>alert("x")</script> \u2028 javascript:alert(1) \\'


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """One entry of each kind (a course with local media, an e-book with files, a lecture
    with a time and speakers), a draft, and a course whose text looks like code."""
    root = tmp_path_factory.mktemp("export")
    entries = [*one_of_each(), course("draft-one", draft=True),
               course("hostile-text", title=HOSTILE_TITLE, tags=["javascript:alert(1)"],
                      updated="2025-06-01")]
    write_project(root, entries)
    return load_catalogue(root / "content", root / "catalogue")


def files_of(catalogue: Catalogue, **options: Any) -> dict[str, bytes]:
    options.setdefault("site_url", ROOT)
    return dict(data_files(catalogue, **options))


def lines_of(files: Mapping[str, bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for path, data in files.items() if path.endswith(".jsonl")
            for line in data.decode().splitlines()]


def validator(files: Mapping[str, bytes]) -> Draft202012Validator:
    schema = json.loads(files["data/entry.schema.json"])
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def as_held(value: Any) -> Any:
    """An entry's value with media as (path, url): what an export can give back."""
    if isinstance(value, Media):
        return (value.path, value.url)
    if isinstance(value, tuple):
        return tuple(map(as_held, value))
    if isinstance(value, Mapping):
        return {name: as_held(item) for name, item in value.items()}
    return value


def imported(value: Any, spec: FieldSpec) -> Any:
    """A line's value read back as the loader holds it (an import's work)."""
    if spec.list:
        return tuple(imported_one(item, spec) for item in value)
    return imported_one(value, spec)


def imported_one(value: Any, spec: FieldSpec) -> Any:
    if spec.type == "date":
        return dt.date.fromisoformat(value)
    if spec.type == "datetime":
        return dt.datetime.fromisoformat(value)
    if spec.type == "media":
        return (unquote(value.removeprefix(ROOT)), None) if value.startswith(ROOT) else \
            (None, value)
    if spec.type == "object":
        return {name: imported(value[name], sub) if name in value else
                (() if sub.list else sub.default) for name, sub in spec.fields.items()}
    return value


def test_every_line_validates_and_carries_the_entry_back(catalogue: Catalogue) -> None:
    files = files_of(catalogue)
    check = validator(files)
    lines = lines_of(files)
    for line in lines:
        assert list(check.iter_errors(line)) == [], line["id"]
    assert [(line["kind"], line["id"]) for line in lines] == \
        sorted((e.kind, e.id) for e in catalogue.entries)
    for line in lines:
        entry = catalogue.by_id[line["id"]]
        fields = catalogue.rules.kinds[entry.kind].fields
        values = {name: imported(value, fields[name]) for name, value in line.items()
                  if name in fields}
        assert values == as_held(entry.values), entry.id
        rebuilt = Entry(line["id"], line["kind"], line["source"], entry.values, line["body"])
        assert rebuilt == entry
        assert line["url"] == f"{ROOT}{entry.id}/"
    lecture = next(line for line in lines if line["kind"] == "lecture")
    assert lecture["starts"] == "2027-03-05T19:30:00+08:00"
    taiji = next(line for line in lines if line["id"] == "taiji-basics")
    assert taiji["cover"] == f"{ROOT}courses/covers/taiji.svg"
    labels = json.loads(files["data/vocabularies.json"])
    assert labels["subjects"]["terms"]["smartphone"] == \
        {"zh": "智能手机使用", "en": "Using a smartphone", "parent": "digital-skills"}


def test_the_schema_refuses_a_wrong_line(catalogue: Catalogue) -> None:
    files = files_of(catalogue)
    check = validator(files)
    good = next(line for line in lines_of(files) if line["id"] == "taiji-basics")
    wrong = {"title left out": {k: v for k, v in good.items() if k != "title"},
             "a number as text": {**good, "duration_minutes": "18"},
             "an unknown term": {**good, "subjects": ["not-a-subject"]},
             "a field of another kind": {**good, "isbn": "9787020002207"},
             "a javascript: link": {**good, "cover": "javascript:alert(1)"},
             "not a date": {**good, "published": "2024-02-30"},
             "an unknown kind": {**good, "kind": "podcast"}}
    for what, line in wrong.items():
        assert not check.is_valid(line), what


def test_the_index_matches_the_files(catalogue: Catalogue) -> None:
    files = files_of(catalogue)
    assert list(files)[-1] == "data/index.json"  # written last: it never names a missing file
    index = json.loads(files["data/index.json"])
    data = {path: files[path] for path in files if path.endswith(".jsonl")}
    assert [item["url"] for item in index["files"]] == [ROOT + path for path in data]
    for item in index["files"]:
        body = data[item["url"].removeprefix(ROOT)]
        assert (item["bytes"], item["sha256"], item["entries"]) == \
            (len(body), hashlib.sha256(body).hexdigest(), body.count(b"\n"))
    assert index["counts"] == {kind: len(entries)
                               for kind, entries in catalogue.by_kind.items()}
    assert index["entries"] == len(catalogue.entries) == 11
    assert (index["version"], index["date"]) == (catalogue.version, "2026-10-01")
    assert index["version_text"] == f"目录版本 {catalogue.version}，更新至 2026-10-01"
    assert index["schema"] == ROOT + "data/entry.schema.json" == \
        json.loads(files["data/entry.schema.json"])["$id"]
    assert index["vocabularies"] == ROOT + "data/vocabularies.json"


def test_drafts_are_never_exported(catalogue: Catalogue) -> None:
    assert [e.id for e in catalogue.drafts] == ["draft-one"]
    everything = b"".join(files_of(catalogue).values())
    assert b"draft-one" not in everything


def test_a_kind_is_split_below_the_limit(catalogue: Catalogue) -> None:
    whole = files_of(catalogue)["data/course.jsonl"]
    limit = max(map(len, whole.splitlines(keepends=True))) + 10
    files = files_of(catalogue, limit=limit)
    parts = [path for path in files if path.startswith("data/course")]
    assert parts == ["data/course.jsonl", *(f"data/course-{n}.jsonl"
                                            for n in range(2, len(parts) + 1))]
    assert len(parts) >= 3
    assert all(0 < len(files[path]) <= limit for path in parts)
    assert b"".join(files[path] for path in parts) == whole
    index = json.loads(files["data/index.json"])
    assert sum(item["entries"] for item in index["files"] if item["kind"] == "course") == \
        len(catalogue.by_kind["course"])


def test_hostile_values(catalogue: Catalogue) -> None:
    """Text is kept as it is, as data; a link that is not http(s) nor inside the site (only a
    catalogue made in code can hold one: checking refuses them) is left out."""
    taiji = catalogue.by_id["taiji-basics"]
    bad = dataclasses.replace(taiji, values={
        **taiji.values, "cover": Media(path="../../etc/passwd"),
        "video": Media(url="javascript:alert(1)"), "audio": Media(url="//evil.example/a.mp3"),
        "materials": ({"title": "讲义", "link": Media(url="data:text/html,<script>")},
                      {"title": "图解", "link": Media(url="https://example.org/ok.pdf")})})
    project = catalogue.by_id["project-river"]
    worse = dataclasses.replace(project, values={**project.values,
                                                 "website": "javascript:alert(1)"})
    hostile = Catalogue(catalogue.rules, tuple(bad if e is taiji else worse if e is project
                                               else e for e in catalogue.entries),
                        (), catalogue.version)
    lines = {line["id"]: line for line in lines_of(files_of(hostile))}
    assert not {"cover", "video", "audio"} & lines["taiji-basics"].keys()
    assert lines["taiji-basics"]["materials"] == [
        {"title": "讲义"}, {"title": "图解", "link": "https://example.org/ok.pdf"}]
    assert "website" not in lines["project-river"]
    text = lines["hostile-text"]
    assert (text["title"], text["tags"]) == (HOSTILE_TITLE, ["javascript:alert(1)"])


def test_same_bytes_twice_and_relative_addresses_without_site_url(
        catalogue: Catalogue) -> None:
    assert files_of(catalogue) == files_of(catalogue)
    files = files_of(catalogue, site_url=None, scheme=UrlScheme(directory_urls=False))
    taiji = next(line for line in lines_of(files) if line["id"] == "taiji-basics")
    assert (taiji["url"], taiji["cover"]) == ("taiji-basics.html", "courses/covers/taiji.svg")
    assert list(validator(files).iter_errors(taiji)) == []
    index = json.loads(files["data/index.json"])
    assert index["site_url"] is None
    assert "data/course.jsonl" in [item["url"] for item in index["files"]]
    assert "$id" not in json.loads(files["data/entry.schema.json"])


def test_robots_txt() -> None:
    assert robots_txt("https://lifelong.example.org/sub") == (
        b"User-agent: *\nAllow: /\n\nSitemap: https://lifelong.example.org/sub/sitemap.xml\n")
    assert robots_txt(None) == robots_txt("javascript:alert(1)//x") == \
        b"User-agent: *\nAllow: /\n"


@dataclasses.dataclass
class Drawn:
    entry: Entry | None = None
    page: SitePage | None = None


def test_lastmod_from_the_entries_own_days(catalogue: Catalogue) -> None:
    pages = {page.path: page for page in SitePlan(catalogue, page_size=2).pages()}
    # The series' members by their order: page 1 holds the two older ones.
    series = [pages["series/phone-class"], pages["series/phone-class/page/2"]]
    assert [e.id for e in series[0].context["entries"]] == ["phone-1", "phone-2"]
    drawn = [Drawn(entry=catalogue.by_id["hostile-text"]), Drawn(entry=catalogue.by_id["lunyu"]),
             *(Drawn(page=page) for page in series), Drawn(page=pages["search"])]
    assert lastmods(drawn, catalogue) == ["2025-06-01", "2022-05-01", "2024-01-03",
                                          "2024-01-03", "2026-10-01"]
    empty = Catalogue(catalogue.rules, (), (), "")
    assert lastmods([Drawn(page=pages["search"])], empty) == [""]
