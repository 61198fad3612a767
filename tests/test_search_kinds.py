"""Teachers, centres, community activities and marks in search, on a tiny catalogue whose
index is written alone (no pages): what the index reads of each (never a contact that is not
public), what the site's real engine (search.js in node) finds with it, and the facet
columns of the nine kinds and of marks, read back by the engine as the search page reads
them."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import mkdocs
import pytest

from lifelong.build.catalogue_site import CatalogueSite, SiteOptions
from lifelong.build.jobs import entry_fingerprints
from lifelong.search import index
from lifelong.search.index import IndexBuilder, document_fields, index_view, mark_width
from searchkit import SearchKit
from sitekit import REPO, copy_rules, course, one_of_each, write_project

LUNR_JS = Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js"
PHONE, EMAIL = "13912345678", "wang.jianguo@example.org"
#: Standards beyond the shipped three: seven in all need two characters a document.
MORE_STANDARDS = """
- id: reading-{n}
  title: {{zh: 阅读推广案例{n}, en: Reading case {n}}}
  listing: {{zh: "{{year}} 年度阅读推广案例{n}", en: "Reading cases {n} of {{year}}"}}
  awarded_by: {{zh: 图书馆学会, en: Library Society}}
  kinds: [course, ebook]
  years: [2020]
  criteria:
    - id: review
      text: {{zh: 专家评审, en: Reviewed by experts}}
"""


def people_and_places() -> list[dict[str, Any]]:
    """Two teachers (one with a contact that is not public), a centre, an activity naming a
    teacher by id and the other by name, and courses with marks (one with two standards, one
    with the seventh)."""
    summary = "一门讲清楚、配字幕、适合长辈的十分钟养生微课。"
    return [
        {"kind": "teacher", "id": "t-wang", "title": "王建国", "summary": "退休中医，讲四季养生。",
         "subjects": ["health"], "roles": ["doctor", "volunteer"], "organisation": "朝阳区中医院",
         "region": "beijing", "dialects": ["北京话"], "published": "2024-02-01",
         "contact": {"phone": PHONE, "email": EMAIL, "public": False}},
        {"kind": "teacher", "id": "t-liu", "title": "刘秀英", "summary": "剪纸非遗传承人。",
         "subjects": ["local-culture"], "roles": ["ich-inheritor"], "region": "shandong",
         "published": "2024-02-02"},
        {"kind": "centre", "id": "c-chaoyang", "title": "阳光社区学习中心",
         "summary": "社区里的老年学校。", "subjects": ["health"], "centre_type": "senior-university",
         "region": "beijing", "city": "北京市", "county": "朝阳区", "address": "朝外大街 88 号",
         "offers": ["书法班", "智能手机课"], "published": "2024-02-03"},
        {"kind": "activity", "id": "a-autumn", "title": "秋季讲座进社区",
         "summary": "专家走进社区。", "subjects": ["health"], "teachers": ["t-wang", "刘秀英"],
         "centre": "c-chaoyang", "starts": "2025-10-10T09:30:00+08:00",
         "duration_minutes": 90, "published": "2024-02-04"},
        course("marked-two", title="十分钟八段锦", summary=summary, duration_minutes=10,
               level="beginner", video="https://example.org/baduanjin.mp4",
               captions=[{"lang": "zh", "link": "https://example.org/baduanjin.zh.vtt"}],
               marks=[{"standard": "outstanding-micro-course", "year": 2023},
                      {"standard": "outstanding-micro-course", "year": 2024},
                      {"standard": "elder-friendly", "year": 2024, "score": 91}],
               published="2024-04-01"),
        course("marked-seventh", title="读书会微课", marks=[{"standard": "reading-4",
                                                           "year": 2024}],
               published="2024-04-02"),
    ]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kinds")
    copy_rules(root / "catalogue")
    with (root / "catalogue" / "standards.yml").open("a", encoding="utf-8") as rules:
        for n in range(1, 5):
            rules.write(MORE_STANDARDS.format(n=n))
    write_project(root, one_of_each() + people_and_places())
    return root


def site_of(project: Path, lang: str = "zh") -> CatalogueSite:
    return CatalogueSite(SiteOptions(
        content_dir=project / "content", catalogue_dir=project / "catalogue",
        template_dirs=[REPO / "plugins" / "lifelong" / "theme"],
        site_url="https://example.org/", lang=lang, lunr_js=LUNR_JS))


@pytest.fixture(scope="module")
def site(project: Path) -> CatalogueSite:
    return site_of(project)


@pytest.fixture(scope="module")
def written(site: CatalogueSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the index as a site's search/ (what SearchKit reads)."""
    folder = tmp_path_factory.mktemp("written")
    site.write_search_index(folder / "search")
    return folder


@pytest.fixture(scope="module")
def kit(written: Path) -> SearchKit:
    return SearchKit(written)


def script_data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def fields_of(site: CatalogueSite, entry_id: str) -> dict[str, list[str]]:
    document = next(d for d in site.search_documents() if d.entry.id == entry_id)
    return document_fields(site.catalogue, index_view(document))


# -- what is indexed -----------------------------------------------------------------------


def test_what_the_index_reads_of_a_teacher_a_centre_and_an_activity(
        site: CatalogueSite) -> None:
    """By weight: a teacher's name is its title (pinyin and all); organisation with the
    names; roles, region and dialects with the tags, labels in both languages. A centre's
    type, province, city, county, address and offers. An activity's teachers by name (an id
    is the teacher's name) and its centre's name. Marked entries by their standards."""
    teacher = fields_of(site, "t-wang")
    assert teacher["title"] == ["王建国", ""]
    assert teacher["names"] == ["朝阳区中医院"]
    assert teacher["subjects"] == ["健康养生", "Health"]
    assert teacher["tags"] == ["医生", "Doctor", "志愿者", "Volunteer", "北京", "Beijing",
                               "北京话"]
    centre = fields_of(site, "c-chaoyang")
    assert centre["names"] == []
    assert centre["tags"] == ["老年大学", "University for older adults", "北京", "Beijing",
                              "北京市", "朝阳区", "朝外大街 88 号", "书法班", "智能手机课"]
    activity = fields_of(site, "a-autumn")
    assert activity["names"] == ["王建国", "刘秀英", "阳光社区学习中心"]
    assert activity["tags"] == []
    assert fields_of(site, "marked-two")["tags"] == [
        "优秀微课", "Outstanding micro-course", "适老化优秀课程", "Elder-friendly course"]
    # A course's region is where it was made: not a way to find it.
    assert site.catalogue.by_id["taiji-basics"].get("region") == "beijing"
    assert fields_of(site, "taiji-basics")["tags"] == []


def test_a_contact_that_is_not_public_is_in_no_index_file(
        site: CatalogueSite, written: Path, kit: SearchKit) -> None:
    """Neither the phone number nor the e-mail address of a contact with public: false is
    searchable, nor anywhere in the index's files; the documents given to the index's own
    process do not carry the contact at all."""
    assert site.catalogue.by_id["t-wang"].get("contact")["phone"] == PHONE
    assert "contact" not in index.INDEXED_FIELDS
    assert all("contact" not in index_view(d).entry.values for d in site.search_documents())
    every = b"".join(p.read_bytes() for p in sorted(written.rglob("*")) if p.is_file())
    for secret in (PHONE, EMAIL, "wang.jianguo"):
        assert secret.encode() not in every, secret
    assert [hit.count for hit in kit.search([PHONE, EMAIL, "wang.jianguo"])] == [0, 0, 0]


# -- what the engine finds -----------------------------------------------------------------

#: query -> the entries it finds, best first.
FINDS = {
    "王建国": ["t-wang", "a-autumn"],      # the profile (exact title), then where he shares
    "wangjianguo": ["t-wang", "a-autumn"],  # pinyin of a teacher's name...
    "wjg": ["t-wang", "a-autumn"],          # ...and its initials
    "liuxiuying": ["t-liu", "a-autumn"],
    "中医院": ["t-wang"],                   # organisation
    "非遗传承人": ["t-liu"],                # a role's label, zh...
    "Volunteer": ["t-wang"],                # ...and en
    "朝阳区": ["t-wang", "c-chaoyang"],     # his organisation's name; the centre's county
    "老年大学": ["c-chaoyang"],             # the centre's type
    "朝外大街": ["c-chaoyang"],             # its address
    "书法班": ["c-chaoyang"],               # what it offers
    "山东": ["t-liu"],                      # a teacher's region
    "刘秀英": ["t-liu", "a-autumn"],         # a teacher named by name on an activity
    "阳光社区": ["c-chaoyang", "a-autumn"],  # the centre, then what is held there
    "适老化": ["marked-two"],               # a standard that selected it
}


def test_the_engine_finds_teachers_centres_and_activities(kit: SearchKit) -> None:
    hits = kit.search(list(FINDS))
    assert {hit.q: hit.top for hit in hits} == FINDS


# -- the facets ----------------------------------------------------------------------------


def test_the_engine_reads_the_kind_and_mark_of_every_document(
        site: CatalogueSite, written: Path, kit: SearchKit) -> None:
    """Nine kinds in the one-character kind column; seven standards take two characters a
    document in the mark column (the seventh's bit is in the second). A standard counts
    once however many years it marked the entry."""
    rules = site.catalogue.rules
    kinds, standards = list(rules.kinds), list(rules.standards)
    assert (len(kinds), len(standards)) == (9, 7)
    columns = script_data(written / "search" / "f.js")
    documents = len(site.search_documents())
    assert (len(columns["kind"]), len(columns["mark"])) == (documents, 2 * documents)
    read = kit.facets()
    assert [row["id"] for row in read] == [d.entry.id for d in reversed(site.search_documents())]
    by_id = site.catalogue.by_id
    assert {row["id"]: row["kind"] for row in read} == \
        {row["id"]: [kinds.index(by_id[row["id"]].kind)] for row in read}
    assert {row["id"]: row["kind"] for row in read if by_id[row["id"]].kind in (
        "teacher", "centre", "activity")} == {"t-wang": [6], "t-liu": [6], "c-chaoyang": [7],
                                              "a-autumn": [8]}
    assert {row["id"]: row["mark"] for row in read if row["mark"]} == {
        "marked-two": [0, 1], "marked-seventh": [standards.index("reading-4")]}
    assert standards.index("reading-4") == 6


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_meta_labels_the_kinds_and_the_standards(project: Path, tmp_path: Path,
                                                 lang: str) -> None:
    site = site_of(project, lang)
    site.write_search_index(tmp_path / "search")
    meta = script_data(tmp_path / "search" / "meta.js")
    rules = site.catalogue.rules
    assert meta["facets"]["kind"][6:] == {
        "zh": ["师资与志愿者", "学习中心", "社区分享活动"],
        "en": ["Teacher or volunteer", "Learning centre", "Community sharing activity"]}[lang]
    assert meta["facets"]["mark"][:3] == {
        "zh": ["优秀微课", "适老化优秀课程", "终身学习品牌项目"],
        "en": ["Outstanding micro-course", "Elder-friendly course",
               "Lifelong Learning Brand Project"]}[lang]
    assert len(meta["facets"]["mark"]) == len(rules.standards)
    assert meta["ui"]["facet_mark"] == {"zh": "评选荣誉", "en": "Selections"}[lang]


def test_the_mark_column_is_as_wide_as_the_standards_need() -> None:
    assert [mark_width(n) for n in (0, 1, 6, 7, 12, 13)] == [1, 1, 1, 2, 2, 3]
    assert index.bit_digits([0, 5], 1) == index.ALPHABET[0b100001]
    assert index.bit_digits([6, 13], 3) == "0" + index.ALPHABET[0b000001] + \
        index.ALPHABET[0b000010]


# -- rewrites --------------------------------------------------------------------------------


def test_a_renamed_centre_or_teacher_changes_the_documents_that_name_them(
        project: Path, tmp_path: Path) -> None:
    """An activity's text holds its centre's and teachers' names: renaming the centre and
    the teacher rewrites the activity's document, and a write with the cache equals one
    without."""
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    cached, plain = tmp_path / "cached" / "search", tmp_path / "plain" / "search"
    site = site_of(copy)
    site.write_search_index(cached, cache_dir=tmp_path / "cache", hints=hints_of(site))
    for name, old, new in (("c-chaoyang", "阳光社区学习中心", "朝阳老年开放大学"),
                           ("t-wang", "王建国", "王建军")):
        path, = (copy / "content").glob(f"*/{name}.md")
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    site = site_of(copy)
    activity = next(d for d in site.search_documents() if d.entry.id == "a-autumn")
    assert (activity.people, activity.places) == (("王建军", "刘秀英"), ("朝阳老年开放大学",))
    # As a rebuild writes it: only the documents whose pages' fingerprints changed are read
    # (the activity's shows the centre's and the teacher's names).
    assert site.write_search_index(cached, cache_dir=tmp_path / "cache",
                                   hints=hints_of(site))["cache"] == "updated"
    site.write_search_index(plain)
    assert files(cached) == files(plain)
    hits = SearchKit(cached.parent).search(["朝阳老年开放大学", "王建军", "阳光社区"])
    assert [hit.top for hit in hits] == [["c-chaoyang", "a-autumn"], ["t-wang", "a-autumn"],
                                         []]


def hints_of(site: CatalogueSite) -> list[bytes]:
    """The search hints a build gives the index (from the fingerprints of entry pages)."""
    drawer = site.drawer()
    return site.search_hints(drawer.entry_pages, entry_fingerprints(drawer))


def test_the_cache_is_set_aside_when_the_standards_change(site: CatalogueSite) -> None:
    """The mark column numbers standards in standards.yml's order."""
    catalogue = site.catalogue
    documents = site.search_documents()
    swapped = dict(reversed(list(catalogue.rules.standards.items())))
    other = dataclasses.replace(catalogue, rules=dataclasses.replace(catalogue.rules,
                                                                     standards=swapped))
    assert IndexBuilder(other, documents).setting() != \
        IndexBuilder(catalogue, documents).setting()


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
