"""Tiny catalogue projects for tests: a valid entry of every kind, and a build helper."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from lifelong.catalogue.entryfile import dumps_entry

REPO = Path(__file__).resolve().parents[1]
#: The catalogue's templates, CSS and JS (package data; the plugin adds them to the theme).
THEME = REPO / "plugins" / "lifelong" / "theme"

FOLDERS = {"course": "courses", "ebook": "reading", "lecture": "lectures", "series": "series",
           "star": "stars", "project": "projects", "teacher": "teachers", "centre": "centres",
           "activity": "activities"}


def copy_rules(dest: Path) -> None:
    """The repository's catalogue/ rules, without the sample's featured picks (the ids of
    the shipped sample do not exist in a test's tiny catalogue)."""
    shutil.copytree(REPO / "catalogue", dest)
    sections = dest / "sections.yml"
    text = sections.read_text(encoding="utf-8")
    sections.write_text(re.sub(r"(?m)^(\s+featured:) \[.*\]$", r"\1 []", text),
                        encoding="utf-8")


def course(entry_id: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "course", "id": entry_id, "title": f"课程 {entry_id}",
            "summary": "一门测试微课。", "subjects": ["exercise"], "audiences": ["older-adults"],
            "published": "2024-03-12", "duration_minutes": 18, "format": "video",
            "teachers": ["李秀兰"], **extra}


def one_of_each() -> list[dict[str, Any]]:
    """A small catalogue with every kind, a series with three members, and a related link."""
    return [
        {"kind": "series", "id": "community-lecture-hall", "title": "网上社区教育大讲堂",
         "summary": "每周一期的线上公益讲座。", "subjects": ["culture"],
         "organiser": "国家开放大学", "published": "2023-03-01"},
        {"kind": "series", "id": "phone-class", "title": "智能手机课堂",
         "summary": "手把手教您用手机。", "subjects": ["smartphone"], "organiser": "社区学院",
         "published": "2023-01-01"},
        course("phone-1", title="第一讲 开机与设置", subjects=["smartphone"],
               series="phone-class", series_order=1, published="2024-01-01"),
        course("phone-2", title="第二讲 微信视频通话", subjects=["smartphone"],
               series="phone-class", series_order=2, published="2024-01-02",
               related=["lunyu"]),
        course("phone-3", title="第三讲 防范电信诈骗", subjects=["online-safety"],
               series="phone-class", series_order=3, published="2024-01-03",
               title_en="Avoiding phone scams"),
        course("taiji-basics", title="二十四式太极拳入门", published="2024-03-12", code="382915",
               cover="covers/taiji.svg", featured=True, region="beijing",
               materials=[{"title": "动作要领", "link": "https://example.org/taiji.pdf"}]),
        {"kind": "ebook", "id": "lunyu", "code": 104233, "title": "论语", "summary": "儒家经典。",
         "subjects": ["classics"], "published": "2022-05-01", "authors": ["孔子弟子"],
         "year": 2018, "isbn": "978-7-02-000220-7", "pages": 240,
         "files": [{"type": "html", "link": "files/lunyu.html"},
                   {"type": "pdf", "link": "https://example.org/lunyu.pdf", "size": 1048576}]},
        {"kind": "lecture", "id": "hall-2027", "title": "老年人如何防跌倒",
         "summary": "医生讲居家防跌倒。", "subjects": ["health"], "published": "2026-10-01",
         "speakers": [{"name": "王医生", "role": "doctor"}],
         "starts": "2027-03-05T19:30:00+08:00", "duration_minutes": 60, "mode": "livestream",
         "livestream_url": "https://example.org/live/1", "series": "community-lecture-hall",
         "series_order": 1},
        {"kind": "star", "id": "star-zhang", "title": "张阿姨的学习故事", "name": "张桂芳",
         "summary": "七十岁学会用电脑。", "subjects": ["digital-skills"], "year": 2023,
         "region": "zhejiang", "published": "2023-09-01"},
        {"kind": "project", "id": "project-river", "title": "运河讲堂", "organiser": "市社区大学",
         "summary": "沿运河的社区学习品牌。", "subjects": ["local-culture"], "year": 2022,
         "region": "jiangsu", "website": "https://example.org/river",
         "published": "2022-06-01"},
    ]


#: A phone number a teacher keeps private: no file of a built site may hold it.
PRIVATE_PHONE = "139-0000-7321"


def people_and_places() -> list[dict[str, Any]]:
    """Teachers (李秀兰, whom the tiny site's courses name; two named 王芳, told apart by id;
    one keeping her contact private), two centres, an activity to come and one ended, a
    lecture held at a centre, a book by a teacher named by id and a course with two marks: added to ``one_of_each`` for the site the browser walks."""
    return [
        {"kind": "teacher", "id": "li-xiu-lan-t", "title": "李秀兰",
         "summary": "退休体育教师，在社区教太极拳二十年。", "subjects": ["exercise"],
         "published": "2024-01-05", "roles": ["teacher", "volunteer"],
         "organisation": "杭州市西湖区社区学院", "region": "zhejiang", "languages": ["zh"],
         "dialects": ["杭州话"], "community_sharing": True,
         "sharing_regions": ["zhejiang", "shanghai"],
         "contact": {"phone": "0571-8888-1234", "email": "lixiulan@example.org",
                     "public": True}},
        {"kind": "teacher", "id": "wang-fang-doctor", "title": "王芳",
         "summary": "社区医院全科医生，讲老年常见病的预防。", "subjects": ["health"],
         "published": "2024-02-01", "roles": ["doctor"], "organisation": "西湖区社区卫生服务中心",
         "region": "zhejiang", "community_sharing": True,
         "contact": {"phone": PRIVATE_PHONE, "email": "wangfang@example.org", "public": False}},
        {"kind": "teacher", "id": "wang-fang-artisan", "title": "王芳",
         "summary": "苏绣非遗传承人，带着绣绷进社区。", "subjects": ["local-culture"],
         "published": "2024-03-01", "roles": ["artisan", "ich-inheritor"], "region": "jiangsu"},
        {"kind": "centre", "id": "xihu-centre", "title": "西湖区社区教育指导服务中心",
         "summary": "西湖区居民身边的学习中心。", "subjects": ["culture"],
         "published": "2023-05-01", "centre_type": "guidance-centre", "region": "zhejiang",
         "city": "杭州市", "county": "西湖区", "address": "文三路 100 号",
         "hours": ["周一至周五 8:30–17:00", "周六 9:00–12:00"], "phone": "0571-8700-0000",
         "coordinates": {"lat": 30.2741, "lon": 120.1551}, "offers": ["太极拳", "智能手机课"],
         "follows": ["community-lecture-hall"], "sections": ["community-education"]},
        {"kind": "centre", "id": "suzhou-senior-uni", "title": "苏州市老年大学",
         "summary": "苏州市的老年大学。", "subjects": ["culture"], "published": "2023-06-01",
         "centre_type": "senior-university", "region": "jiangsu", "city": "苏州市"},
        {"kind": "activity", "id": "taiji-sharing", "title": "太极拳进社区",
         "summary": "李秀兰老师和王芳医生到社区教太极、讲防跌倒。", "subjects": ["exercise"],
         "published": "2027-02-01", "teachers": ["李秀兰", "wang-fang-doctor"],
         "centre": "xihu-centre", "starts": "2027-03-06T09:30:00+08:00",
         "duration_minutes": 90, "venue": "一楼活动室"},
        {"kind": "activity", "id": "embroidery-sharing", "title": "苏绣体验课",
         "summary": "王芳老师带大家绣一片银杏叶。", "subjects": ["local-culture"],
         "published": "2026-10-01", "teachers": ["wang-fang-artisan"],
         "centre": "suzhou-senior-uni", "starts": "2026-11-20T14:00:00+08:00",
         "duration_minutes": 120},
        {"kind": "lecture", "id": "xihu-falls", "title": "居家防跌倒", "summary": "王芳医生讲居家防跌倒。",
         "subjects": ["health"], "published": "2027-01-10", "mode": "in-person",
         "speakers": [{"name": "wang-fang-doctor", "role": "doctor"}], "centre": "xihu-centre",
         "starts": "2027-03-20T14:30:00+08:00", "duration_minutes": 60},
        {"kind": "ebook", "id": "suzhou-embroidery", "title": "苏绣针法图谱", "summary": "四十种针法。",
         "subjects": ["local-culture"], "published": "2025-05-01", "year": 2025,
         "authors": ["wang-fang-artisan"]},
        course("baduanjin-daily", title="八段锦每日跟练", level="beginner", duration_minutes=15,
               summary="每天十五分钟，跟着李秀兰老师一招一式练八段锦，站着坐着都能练。",
               video="https://example.org/video/baduanjin.mp4",
               captions=[{"link": "https://example.org/video/baduanjin.zh.vtt", "lang": "zh"}],
               marks=[{"standard": "outstanding-micro-course", "year": 2024,
                       "awarded_by": "国家开放大学", "score": 92.5,
                       "notes": "动作讲解清楚，节奏适合老年人。"},
                      {"standard": "elder-friendly", "year": 2025}]),
    ]


def write_project(root: Path, entries: Iterable[Mapping[str, Any]], *,
                  mkdocs: Mapping[str, Any] | None = None,
                  plugin: Mapping[str, Any] | None = None) -> Path:
    """A project folder: content/ with the entries, the repository's catalogue/ rules,
    and a mkdocs.yml (Material and the catalogue plugin, which brings its templates).
    Returns mkdocs.yml."""
    content = root / "content"
    (content / "courses" / "covers").mkdir(parents=True, exist_ok=True)
    (content / "reading" / "files").mkdir(parents=True, exist_ok=True)
    (content / "courses" / "covers" / "taiji.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3 2"><rect width="3" '
        'height="2" fill="#2e7d32"/></svg>\n', encoding="utf-8")
    (content / "reading" / "files" / "lunyu.html").write_text(
        "<!doctype html><meta charset=utf-8><title>论语</title><p>学而时习之</p>\n",
        encoding="utf-8")
    (content / "index.md").write_text("---\ntitle: 终身学习资源目录\n---\n欢迎。\n",
                                      encoding="utf-8")
    (content / "about.md").write_text("---\ntitle: 关于\n---\n关于本目录。\n", encoding="utf-8")
    for entry in entries:
        meta = dict(entry)
        folder = content / FOLDERS.get(str(meta.get("kind")), "misc")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{meta['id']}.md").write_text(dumps_entry(meta, "正文第一段。"),
                                                 encoding="utf-8")
    if not (root / "catalogue").exists():
        copy_rules(root / "catalogue")
    config: dict[str, Any] = {
        "site_name": "终身学习资源目录", "site_url": "https://lifelong.example.org/",
        "docs_dir": "content", "site_dir": "site",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"lifelong/catalogue": {"page_size": 2, **(plugin or {})}}],
        "extra_css": ["assets/lifelong/lifelong.css"],
        "extra_javascript": ["assets/lifelong/lifelong.js"],
        **(mkdocs or {})}
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def shipped_theme() -> dict[str, Any]:
    """The theme settings the site ships with (its palette sets the colours that the
    accessibility and care-mode tests measure)."""
    theme: dict[str, Any] = yaml.safe_load(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]
    return theme


def build_tiny_site(root: Path, *, offline: bool = False) -> Path:
    """The tiny site (``one_of_each`` and ``people_and_places``) with the shipped theme, online or as the offline copy
    (``use_directory_urls: false``), built in ``root``."""
    mkdocs: dict[str, Any] = {"theme": shipped_theme()}
    if offline:
        mkdocs["use_directory_urls"] = False
    return build_site(write_project(root, [*one_of_each(), *people_and_places()],
                                    mkdocs=mkdocs,
                                    plugin={"offline": True} if offline else None))


def build_site(config_file: Path, **options: Any) -> Path:
    """Run MkDocs' real build, strict by default; return the site folder. ``dirty=True``
    is a rebuild over the last build, as ``lifelong build`` does."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.INFO)
    dirty = options.pop("dirty", False)
    config = load_config(str(config_file), strict=options.pop("strict", True), **options)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


#: Every page type of a site from ``one_of_each`` but its 404 page: its name, its online
#: address and the offline copy's file (browser tests of every page type walk these).
PAGE_TYPES = [
    ("home", "", "index.html"),
    ("section", "community-education/", "community-education/index.html"),
    ("section page 2", "community-education/page/2/", "community-education/page/2/index.html"),
    ("course", "taiji-basics/", "taiji-basics.html"),
    ("ebook", "lunyu/", "lunyu.html"),
    ("lecture", "hall-2027/", "hall-2027.html"),
    ("series", "phone-class/", "phone-class.html"),
    ("star", "star-zhang/", "star-zhang.html"),
    ("project", "project-river/", "project-river.html"),
    ("mine", "mine/", "mine/index.html"),  # after the entries: it lists them (fill_mine)
    ("subject index", "subjects/", "subjects/index.html"),
    ("subject", "subjects/digital-skills/", "subjects/digital-skills/index.html"),
    ("audiences", "audiences/", "audiences/index.html"),
    ("regions", "regions/", "regions/index.html"),
    ("series index", "series/", "series/index.html"),
    ("people index", "people/", "people/index.html"),
    ("person", "people/wang-yi-sheng/", "people/wang-yi-sheng/index.html"),
    ("teacher", "li-xiu-lan-t/", "li-xiu-lan-t.html"),
    ("centre", "xihu-centre/", "xihu-centre.html"),
    ("activity", "taiji-sharing/", "taiji-sharing.html"),
    ("teachers", "teachers/", "teachers/index.html"),
    ("centres", "centres/", "centres/index.html"),
    ("centres of a province", "centres/zhejiang/", "centres/zhejiang/index.html"),
    ("marks", "marks/", "marks/index.html"),
    ("marks of a year", "marks/outstanding-micro-course/2024/",
     "marks/outstanding-micro-course/2024/index.html"),
    ("schedule", "schedule/", "schedule/index.html"),
    ("statistics", "statistics/", "statistics/index.html"),
    ("search", "search/?q=太极", "search/index.html?q=太极"),
    ("about", "about/", "about.html"),
]


def fill_mine(page: Any, mine_url: str) -> None:
    """Before a browser walk checks 我的学习 (``mine_url``, online or offline), something is
    kept there, as a reader keeps it: the course and the e-book viewed, the course saved."""
    offline = mine_url.split("?")[0].endswith(".html")
    root = mine_url.split("mine/")[0]
    for entry_id in ("lunyu", "taiji-basics"):
        page.goto(root + (f"{entry_id}.html" if offline else f"{entry_id}/"), wait_until="load")
    keep = page.locator(".ll-keep__button")
    if keep.get_attribute("aria-pressed") != "true":
        keep.click()
