"""Offline copies for a province (``lifelong bundle --region``, the ``subset_regions`` option):
which entries a region's copy holds, and the copy itself (no page of another province's
centres, no link to a page it does not hold)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import pytest

from lifelong.build.catalogue_site import CatalogueSite, SiteOptions, region_subset
from lifelong.build.loading import load_catalogue
from sitekit import THEME, build_site, course, read, write_project


def teacher(entry_id: str, name: str, region: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "teacher", "id": entry_id, "title": name, "summary": f"{name}的简介。",
            "subjects": ["exercise"], "published": "2024-01-01", "roles": ["teacher"],
            "region": region, **extra}


def centre(entry_id: str, region: str, city: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "centre", "id": entry_id, "title": f"{city}学习中心",
            "summary": "社区身边的学习中心。", "subjects": ["exercise"],
            "published": "2024-01-01", "centre_type": "learning-point", "region": region,
            "city": city, **extra}


def activity(entry_id: str, at: str, teachers: list[str], **extra: Any) -> dict[str, Any]:
    return {"kind": "activity", "id": entry_id, "title": f"分享活动 {entry_id}",
            "summary": "走进社区的分享活动。", "subjects": ["exercise"],
            "published": "2024-05-01", "teachers": teachers, "centre": at,
            "starts": "2024-06-01T09:30:00+08:00", "duration_minutes": 90, **extra}


def lecture(entry_id: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "lecture", "id": entry_id, "title": f"讲座 {entry_id}",
            "summary": "一场讲座。", "subjects": ["health"], "published": "2024-05-01",
            "speakers": [{"name": "王医生", "role": "doctor"}],
            "starts": "2024-06-08T14:30:00+08:00", "duration_minutes": 60, **extra}


def provinces() -> list[dict[str, Any]]:
    """Sichuan, Guangdong and nationwide entries, and people who cross the line."""
    return [
        course("sc-taiji", region="sichuan", teachers=["张老师"], related=["gd-dimsum"]),
        course("gd-dimsum", region="guangdong", subjects=["cooking"], teachers=["冯师傅"]),
        course("nat-phone", region="national", subjects=["smartphone"], teachers=["zhou"],
               series="nat-series", series_order=1),  # a teacher named by id
        course("no-region", subjects=["smartphone"], teachers=["冯师傅"]),  # and by name
        {"kind": "series", "id": "nat-series", "title": "智能手机课堂", "summary": "手机课。",
         "subjects": ["smartphone"], "organiser": "国家开放大学", "published": "2023-01-01",
         "region": "national"},
        {"kind": "series", "id": "gd-series", "title": "粤菜课堂", "summary": "粤菜课。",
         "subjects": ["cooking"], "organiser": "广州市老年大学", "published": "2023-01-01",
         "region": "guangdong"},
        centre("chengdu-point", "sichuan", "成都市", county="锦江区", follows=["gd-series"]),
        centre("guangzhou-uni", "guangdong", "广州市", centre_type="senior-university"),
        teacher("zhang", "张老师", "sichuan"),  # of the province, named on its course
        teacher("zhou", "周老师", "beijing"),  # named by id on a nationwide course
        teacher("liang", "梁老师", "guangdong", community_sharing=True,
                sharing_regions=["guangdong", "sichuan"]),  # shares in Sichuan
        teacher("chen", "陈老师", "guangdong"),  # shares once in Chengdu, says nothing of it
        teacher("feng", "冯师傅", "guangdong"),  # of Guangdong, named by name only
        activity("act-chengdu", "chengdu-point", ["liang"]),
        activity("act-chengdu-2", "chengdu-point", ["陈老师"]),
        activity("act-guangzhou", "guangzhou-uni", ["feng"], region="national"),
        lecture("lec-guangzhou", region="national", mode="in-person",
                centre="guangzhou-uni"),  # held in Guangzhou: not Sichuan's, though national
        lecture("lec-sichuan", region="sichuan", mode="livestream",
                livestream_url="https://example.org/live/sc"),
    ]


SICHUAN = {"sc-taiji", "nat-phone", "no-region", "nat-series", "chengdu-point", "zhang",
           "zhou", "liang", "chen", "act-chengdu", "act-chengdu-2", "lec-sichuan"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("regions")
    write_project(root, provinces())
    return root


def subset(root: Path, **options: Any) -> CatalogueSite:
    return CatalogueSite(SiteOptions(content_dir=root / "content",
                                     catalogue_dir=root / "catalogue", template_dirs=[THEME],
                                     site_url=None, offline=True, **options))


def test_a_region_holds_its_entries_nationwide_ones_and_its_community(project: Path) -> None:
    site = subset(project, subset_regions=("sichuan",))
    assert {e.id for e in site.catalogue.entries} == SICHUAN
    # Guangdong's own and what is held there (a nationwide lecture too) stay out; a link to
    # one of them from what the copy holds leads to a page that says so
    assert set(site.outside) == {"gd-dimsum"}
    full = load_catalogue(project / "content", project / "catalogue")
    placed, community = region_subset(full, ["sichuan"])
    assert community == {"chengdu-point", "zhang", "liang", "act-chengdu", "act-chengdu-2"}
    assert "lec-guangzhou" not in placed
    assert "act-guangzhou" not in placed
    assert "chen" not in placed  # in the copy only because an activity there names him
    assert "zhou" not in placed  # ... because a course names her by id (shown by name)
    # two provinces: the union
    both = subset(project, subset_regions=("sichuan", "guangdong"))
    assert {e.id for e in both.catalogue.entries} == {e.id for e in full.entries}


def test_other_options_narrow_the_entries_but_not_the_community(project: Path) -> None:
    site = subset(project, subset_regions=("sichuan",), subset_subjects=("exercise",))
    # the province's exercise course and its teacher; the centre, the teachers sharing there
    # and its activities whatever their subjects
    assert {e.id for e in site.catalogue.entries} == {
        "sc-taiji", "zhang", "chengdu-point", "liang", "chen", "act-chengdu", "act-chengdu-2"}


def test_an_unknown_region_is_a_clear_error(project: Path) -> None:
    with pytest.raises(ValueError, match=r"^unknown region 'sichaun'$"):
        subset(project, subset_regions=("sichaun",))


def hrefs(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"#?]*)', page)


def test_a_region_copy_has_no_page_of_another_province_and_no_broken_link(
        tmp_path: Path) -> None:
    config = write_project(tmp_path, provinces(), mkdocs={"use_directory_urls": False},
                           plugin={"offline": True, "subset_regions": ["sichuan"]})
    site = build_site(config)
    entry_pages = {p.stem for p in site.glob("*.html")} - {"index", "404", "about"}
    assert entry_pages == SICHUAN | {"gd-dimsum"}
    assert "ll-entry--outside" in read(site, "gd-dimsum.html")  # 不在此副本中
    assert not (site / "centres" / "guangdong").exists()
    assert "广州市学习中心" not in read(site, "centres/index.html")
    broken = []
    for path in site.rglob("*.html"):
        page = path.relative_to(site).as_posix()
        for href in hrefs(read(site, page)):
            if not href or "://" in href or href.startswith(("mailto:", "data:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            if not (site / target).exists():
                broken.append(f"{page} -> {href}")
    assert broken == []
