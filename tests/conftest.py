"""Shared fixtures: a tiny project in tmp_path that follows the repository's catalogue/ rules."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from lifelong.cli import main
from sitekit import copy_rules

REPO = Path(__file__).parents[1]

#: A valid entry of every kind: kind -> (path under content/, text). The course, e-book and
#: star use local files (written by ``Project.write_valid``); the lecture and course are in
#: the series.
SERIES = """\
---
kind: series
id: community-lecture-hall
title: 网上社区教育大讲堂
summary: 每周一期，邀请专家学者为社区居民讲健康、讲文化、讲科学。
subjects: [culture, health]
organiser: 国家开放大学
published: 2023-03-01
---
“网上社区教育大讲堂”是面向全国社区居民的线上公益讲座品牌。
"""

COURSE = """\
---
kind: course
id: taiji-basics
title: 二十四式太极拳入门
summary: 跟着老师一招一式学习二十四式简化太极拳。
subjects: [exercise, tcm]
published: 2024-03-12
duration_minutes: 18
format: video
---
太极拳动作舒缓，讲究呼吸与动作配合。
"""

FULL_COURSE = """\
---
kind: course
id: tcm-baduanjin
title: 八段锦跟练
title_en: Baduanjin Qigong Follow-along
summary: 八个动作、十几分钟，站着坐着都能练。
subjects: [tcm, exercise]
audiences: [older-adults, community-residents]
language: zh
cover: covers/tcm-baduanjin.svg
published: 2025-02-25
updated: 2025-03-01
provider: 浙江开放大学
region: zhejiang
tags: [健身气功]
related: [ai-everyday]
featured: true
duration_minutes: 30
level: beginner
format: video
teachers: [钱卫东]
series: community-lecture-hall
series_order: 2
video: https://example.org/video/tcm-baduanjin.mp4
materials:
  - title: 动作要领图解
    link: https://example.org/baduanjin.pdf
accessibility: [captions, audio-description]
---
八段锦是流传了八百多年的传统导引功法，[视频](https://example.org/v) 配有口述影像。
"""

EBOOK = """\
---
kind: ebook
id: analects-reader
title: 论语选读
summary: 精选《论语》名篇，附白话译文。
subjects: [classics]
published: 2024-01-20
authors: [杨伯峻]
publisher: 中华书局
year: 2006
isbn: 978-7-02-000220-7
pages: 120
files:
  - type: pdf
    link: files/analects.pdf
  - type: epub
    link: https://example.org/analects.epub
    size: 1024
---
《论语》是儒家经典。
"""

LECTURE = """\
---
kind: lecture
id: ai-everyday
title: 人工智能与日常生活
summary: 人工智能如何走进我们的生活。
subjects: [ai]
published: 2026-11-20
speakers:
  - name: 王教授
    role: scholar
    affiliation: 某大学
starts: 2026-12-05T19:30:00+08:00
duration_minutes: 90
mode: livestream
livestream_url: https://example.org/live/ai
series: community-lecture-hall
series_order: 1
---
一起聊聊人工智能。
"""

STAR = """\
---
kind: star
id: zhang-guilan
title: 六十岁学会用电脑的张桂兰
summary: 退休后从零学起，如今教邻居用手机。
subjects: [smartphone]
published: 2024-06-01
name: 张桂兰
year: 2023
photo: photos/zhang-guilan.svg
---
张桂兰的学习故事。
"""

PROJECT = """\
---
kind: project
id: village-night-school
title: 乡村夜校
summary: 农闲时节的乡村夜校，村民家门口学技术。
subjects: [agriculture]
published: 2024-09-01
organiser: 某县社区教育学院
year: 2022
website: https://example.org/night-school
---
乡村夜校的故事。
"""

TEACHER = """\
---
kind: teacher
id: qian-weidong
title: 钱卫东
summary: 社区健身气功指导员，教八段锦二十年。
subjects: [tcm, exercise]
published: 2024-05-01
region: zhejiang
roles: [teacher, volunteer]
organisation: 杭州市社区大学
languages: [zh]
dialects: [杭州话]
community_sharing: true
sharing_regions: [zhejiang, shanghai]
contact:
  phone: 0571-00000000
  public: false
---
钱卫东老师退休后在社区义务教拳。
"""

CENTRE = """\
---
kind: centre
id: xihu-senior-university
title: 西湖区老年大学
summary: 开设健康养生、书画、智能手机等课程。
subjects: [tcm, smartphone]
published: 2024-05-01
centre_type: senior-university
region: zhejiang
city: 杭州市
county: 西湖区
address: 文三路 1 号
hours: [周一至周五 8:30-17:00]
coordinates: {lat: 30.27, lon: 120.13}
offers: [课程, 讲座]
follows: [community-lecture-hall]
sections: [community-education]
---
西湖区老年大学欢迎您。
"""

ACTIVITY = """\
---
kind: activity
id: baduanjin-xihu
title: 八段锦走进西湖社区
summary: 钱卫东老师带大家一起练八段锦。
subjects: [tcm]
published: 2024-05-10
teachers: [钱卫东]
centre: xihu-senior-university
starts: 2024-06-01T09:00:00+08:00
duration_minutes: 60
venue: 二楼活动室
---
欢迎社区居民参加。
"""

VALID = {
    "series": ("series/community-lecture-hall.md", SERIES),
    "course": ("courses/tcm-baduanjin.md", FULL_COURSE),
    "ebook": ("reading/analects-reader.md", EBOOK),
    "lecture": ("lectures/ai-everyday.md", LECTURE),
    "star": ("stars/zhang-guilan.md", STAR),
    "project": ("projects/village-night-school.md", PROJECT),
    "teacher": ("teachers/qian-weidong.md", TEACHER),
    "centre": ("centres/xihu-senior-university.md", CENTRE),
    "activity": ("activities/baduanjin-xihu.md", ACTIVITY),
}

#: Local files the valid entries point at (relative to content/).
VALID_FILES = {
    "courses/covers/tcm-baduanjin.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "reading/files/analects.pdf": b"%PDF-1.4\n",
    "stars/photos/zhang-guilan.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>\n',
}


def edit(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur exactly once) so a test never checks an unchanged
    entry by mistake."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


class Project:
    """A project folder with the real catalogue/ rules and an empty content/."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"

    def write(self, rel: str, data: str | bytes) -> Path:
        """Write a file under content/, byte for byte (text as UTF-8, no newline change)."""
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def write_valid(self) -> None:
        for rel, text in VALID.values():
            self.write(rel, text)
        for rel, data in VALID_FILES.items():
            self.write(rel, data)

    def check(self, *args: str) -> Result:
        """Run ``lifelong check ARGS --project ROOT``; a crash fails the test with its
        traceback instead of passing for 'exit 1'."""
        result = CliRunner().invoke(main, ["check", *args, "--project", str(self.root)])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result


@pytest.fixture
def project(tmp_path: Path) -> Project:
    copy_rules(tmp_path / "catalogue")
    (tmp_path / "content").mkdir()
    return Project(tmp_path)


@pytest.fixture(autouse=True)
def _no_unexpected_warnings(request: pytest.FixtureRequest,
                            caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail any test whose build logs a warning (MkDocs' strict mode would fail on it too);
    tests about failures assert on their ERROR records themselves."""
    logger = logging.getLogger("mkdocs")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    yield
    # `lifelong build` run in-process sets up its own handler; later tests need the default.
    logger.handlers[:], logger.propagate, logger.level = saved
    warnings = [r for r in caplog.get_records("call") if r.levelno == logging.WARNING]
    assert warnings == [], [r.getMessage() for r in warnings]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (one per test module)."""
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
