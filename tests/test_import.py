"""`lifelong import`: sources read whatever their format, mapped, repaired, validated as
`check` validates, written safely and repeatably, and reported.

Real data: ../shared/data/goodbooks-10k/books-1-400.csv, the first 400 rows of books.csv of
github.com/zygmuntz/goodbooks-10k (commit 6dd165b555a7), CC BY-SA 4.0.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifelong.catalogue.entryfile import patch_front_matter
from lifelong.catalogue.loader import split_document
from lifelong.catalogue.schema import load_rules
from lifelong.cli import main
from lifelong.interchange.importer import Importer
from lifelong.interchange.mapping import ImportMapping, MappingError, parse_mapping
from lifelong.interchange.sources import Row, SourceError, read, read_csv, sniff_delimiter
from sitekit import REPO, build_site

GOODBOOKS = REPO.parent / "shared" / "data" / "goodbooks-10k" / "books-1-400.csv"
if not GOODBOOKS.is_file():  # a worktree beside the shared data, or the main checkout
    GOODBOOKS = Path("/work/shared/data/goodbooks-10k/books-1-400.csv")
EXAMPLE = REPO / "examples" / "goodbooks-10k.yml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def section(out: str, title: str) -> list[str]:
    """The lines of one part of a text report."""
    lines = out.splitlines()
    if f"{title}:" not in lines:
        return []
    found = []
    for line in lines[lines.index(f"{title}:") + 1:]:
        if not line.startswith("  "):
            break
        found.append(line[2:])
    return found


def snapshot(root: Path) -> dict[str, str]:
    """Every file of a project and its digest (what an import may have changed)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project made by `lifelong init`, the current folder (sources are named as given)."""
    assert run("init", str(tmp_path / "site"))[0] == 0
    monkeypatch.chdir(tmp_path)
    return tmp_path / "site"


# -- the real goodbooks list, with the example mapping ------------------------------------------

def test_goodbooks_imports_checks_builds_and_reimports_unchanged(empty: Path) -> None:
    shutil.copy(GOODBOOKS, "books.csv")
    code, out = run("import", "books.csv", "--into", "site/content", "--mapping", str(EXAMPLE))
    assert code == 1  # row 261 has a broken ISBN-13 and no ISBN-10
    report = out.splitlines()
    problems = [line.strip() for line in report if line.startswith("  books.csv:") and
                " -> " in line and line in out.split("Repairs:")[0]]
    assert any(p.startswith("books.csv:261: isbn13 -> isbn: ") for p in problems)
    # BCE years (The Odyssey, -720) and Spanish are in the widened model: only row 261 fails.
    assert {p.split(":")[1] for p in problems} == {"261"}
    counts = report[-1]
    created = int(counts.split("created ")[1].split(",")[0])
    assert created + len({p.split(":")[1] for p in problems}) == 400
    # The float ISBN-13 does not validate: the ISBN-10 is used (its zero restored).
    repairs = section(out, "Repairs")
    assert [r.split(": ", 2)[:2] for r in repairs if r.startswith("books.csv:2: isbn")] == [
        ["books.csv:2", "isbn -> isbn"], ["books.csv:2", "isbn -> isbn"]]
    assert any(r.startswith("books.csv:2: isbn -> isbn: isbn13: ") and "9.78043902348e+12" in r
               for r in repairs)
    assert "  books.csv:78: authors -> authors: 'Louis Sachar' listed twice, kept once" in out
    assert '  column "average_rating": 400 values, no field' in out
    text = (empty / "content/reading/the-hunger-games-the-hunger-games-1.md").read_text()
    assert text.startswith("---\nkind: ebook\nid: the-hunger-games-the-hunger-games-1\ncode: ")
    assert "cover: https://images.gr-assets.com/books/1447303603m/2767052.jpg\n" in text
    assert "authors: [Suzanne Collins]\nyear: 2008\n" in text
    assert "language: en\n" in text
    assert len(list((empty / "content/reading").glob("*.md"))) == created + 1  # + init's
    ledger = json.loads((empty / "import-ledger.json").read_text(encoding="utf-8"))
    assert ledger["entries"]["1984"]["key"] == "13"
    assert ledger["entries"]["1984"]["row"] == 14

    assert run("check", "--project", str(empty)) == (0, f"OK: {created + 6} entries, no "
                                                        "problems.\n")
    before = snapshot(empty)
    code, out = run("import", "books.csv", "--into", "site/content", "--mapping", str(EXAMPLE))
    assert out.splitlines()[-1].startswith(f"created 0, updated 0, unchanged {created}, "
                                           "skipped 0, invalid ")
    assert snapshot(empty) == before
    site = build_site(empty / "mkdocs.yml")
    assert (site / "the-hunger-games-the-hunger-games-1" / "index.html").is_file()


# -- a library's OPDS feed and a spreadsheet, into one project that checks and builds -----------

PALACE = REPO.parent / "shared" / "data" / "opds" / "palace_feed.opds"  # Apache-2.0, see README


def test_an_opds_feed_and_an_xlsx_sheet_import_check_and_build(empty: Path) -> None:
    """The Palace Project's OPDS 1.2 feed (github.com/ThePalaceProject/circulation,
    tests/files/opds/palace_feed.opds at 0cf6839f4e70, Apache-2.0) needs no mapping; a
    Chinese course list kept in Excel needs one. Both check and build; again, nothing moves."""
    from openpyxl import Workbook

    code, out = run("import", str(PALACE), "--into", "site/content", "--kind", "ebook")
    assert (code, out.splitlines()[-1]) == (0, "created 100, updated 0, unchanged 0, "
                                               "skipped 0, invalid 0")
    cabra = (empty / "content/reading/a-cabra-o-cachorro-e-a-vaca.md").read_text("utf-8")
    assert "o Cachorro e a Vaca são bons amigos" in cabra  # sÃ£o in the feed
    assert "- name: Marleen Visser\n  role: illustrator\n" in cabra
    assert "licence: cc-by-4.0\n" in cabra
    assert "subjects: \"Literary Fiction\" ×38 not in vocabulary subjects" in out

    book = Workbook()
    sheet = book.active
    sheet.append(["课程名称", "主讲教师", "时长（分钟）", "类别", "形式", "上线日期", "简介"])
    sheet.append(["太极拳入门", "李秀兰、王建国", 18, "太极", "视频", "2024-03-12", "零基础学太极"])
    sheet.append(["智能手机挂号", "赵敏", 12.0, "手机", "视频", "2024/5/1", "在手机上预约挂号"])
    book.save("课程.xlsx")
    mapping = write_mapping(Path("m.yml"), COURSE_MAPPING)
    code, out = run("import", "课程.xlsx", "--into", "site/content", "--mapping", str(mapping))
    assert (code, out.splitlines()[-1]) == (0, "created 2, updated 0, unchanged 0, "
                                               "skipped 0, invalid 0")
    taiji = (empty / "content/courses/tai-ji-quan-ru-men.md").read_text("utf-8")
    assert "teachers: [李秀兰, 王建国]\n" in taiji
    assert re.search(r"^code: '?[1-9][0-9]{5}'?$", taiji, re.MULTILINE)  # a code to type

    assert run("check", "--project", str(empty)) == (0, "OK: 108 entries, no problems.\n")
    before = snapshot(empty)
    assert run("import", str(PALACE), "--into", "site/content", "--kind", "ebook")[1] \
        .splitlines()[-1] == "created 0, updated 0, unchanged 100, skipped 0, invalid 0"
    assert snapshot(empty) == before
    site = build_site(empty / "mkdocs.yml")
    page = (site / "a-cabra-o-cachorro-e-a-vaca" / "index.html").read_text("utf-8")
    assert "Marleen Visser" in page
    assert (site / "tai-ji-quan-ru-men" / "index.html").is_file()


# -- a Chinese course list, as a provincial open university keeps it -----------------------------

COURSES = (
    "课程名称\t主讲教师\t时长（分钟）\t类别\t形式\t上线日期\t简介\t说明\n"
    "太极拳入门\t李秀兰、王建国\t18\t太极\t视频\t2024/3/12\t<p>零基础&nbsp;学太极</p>\t旧系统\n"
    "智能手机用药提醒\t赵敏\t12\t手机\t视频\t2024-05-01T00:00:00Z\t教您设置提醒\t\n"
    "八段锦\t陈华\t25\t广场舞\t音频\t2024-13-01\t八段锦跟练\t\n"
)
COURSE_MAPPING = {
    "kind": "course",
    "fields": {
        "title": "课程名称",
        "teachers": {"column": "主讲教师", "split": "、"},
        "duration_minutes": "时长（分钟）",
        "subjects": {"column": "类别", "values": {"太极": "exercise", "手机": "smartphone"}},
        "format": "形式",
        "published": "上线日期",
        "summary": "简介",
    },
    "defaults": {"language": "zh", "audiences": ["older-adults"]},
}


def write_mapping(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # YAML reads JSON
    return path


def test_a_gb18030_tab_separated_course_list(empty: Path) -> None:
    Path("课程.csv").write_bytes(COURSES.encode("gb18030"))
    mapping = write_mapping(Path("courses.yml"), COURSE_MAPPING)
    code, out = run("import", "课程.csv", "--into", "site/content", "--mapping", str(mapping))
    assert code == 1
    problems = sorted(section(out, "Problems"))
    assert problems[1] == ("课程.csv:4: 类别 -> subjects.0: unknown term '广场舞' in subjects; "
                           "see catalogue/vocabularies/subjects.yml")
    assert len(problems) == 2
    assert problems[0].startswith("课程.csv:4: 上线日期 -> published: ")
    assert "2024-13-01" in problems[0]
    # What was repaired, from which column into which field (the words are the repairs').
    assert [r.split(": ", 2)[:2] for r in section(out, "Repairs")] == [
        ["课程.csv:2", "简介 -> summary"], ["课程.csv:2", "上线日期 -> published"],
        ["课程.csv:2", "形式 -> format"], ["课程.csv:3", "上线日期 -> published"],
        ["课程.csv:3", "形式 -> format"]]
    assert "课程.csv:2: 形式 -> format: '视频' -> 'video' (formats)" in section(out, "Repairs")
    assert section(out, "No home") == [
        'column "说明": 1 value, no field',
        'subjects: "广场舞" ×1 not in vocabulary subjects: add it to the mapping\'s values']
    assert out.endswith("\ncreated 2, updated 0, unchanged 0, skipped 0, invalid 1\n")
    files = sorted(p.name for p in (empty / "content/courses").glob("*.md"))
    assert files == ["tai-ji-quan-ru-men.md", "wechat-video-calls.md",
                     "zhi-neng-shou-ji-yong-yao-ti-xing.md"]
    text = (empty / "content/courses/tai-ji-quan-ru-men.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[0].split("\n", 4)[4]  # after kind, id, code
    assert body == ("title: 太极拳入门\nsummary: 零基础 学太极\nsubjects: [exercise]\n"
                    "audiences: [older-adults]\nlanguage: zh\npublished: 2024-03-12\n"
                    "duration_minutes: 18\nformat: video\nteachers: [李秀兰, 王建国]")
    assert run("check", "--project", str(empty))[0] == 0


def test_a_row_without_a_language_is_a_problem_saying_how_to_fix_it(empty: Path) -> None:
    Path("c.csv").write_text("课程名称,时长（分钟）,类别,形式,上线日期,简介\n"
                             "太极拳入门,18,太极,视频,2024-03-12,学太极\n", encoding="utf-8")
    mapping = dict(COURSE_MAPPING, defaults={})
    code, out = run("import", "c.csv", "--into", "site/content", "--mapping",
                    str(write_mapping(Path("m.yml"), mapping)))
    assert code == 1
    assert out.startswith("Problems:\n  c.csv:2: language: no language given and no default: "
                          "map a column to language, or set defaults: {language: zh} in the "
                          "mapping\n")
    assert not (empty / "content/courses/tai-ji-quan-ru-men.md").exists()


def test_a_broken_row_names_its_row_and_writes_nothing_and_dry_run_writes_nothing(
        empty: Path) -> None:
    Path("c.csv").write_text(
        "title,summary,subjects,published,duration_minutes,format,language\n"
        "太极拳入门,学太极,exercise,2024-03-12,18,video,zh\n"
        "八段锦,跟练,exercise; helth,2024-03-12,0,video,zh\n", encoding="utf-8")
    before = snapshot(empty)
    code, out = run("import", "c.csv", "--into", "site/content", "--kind", "course",
                    "--dry-run")
    assert (code, out) == (1, "Problems:\n"
                              "  c.csv:3: duration_minutes -> duration_minutes: 0 is less "
                              "than the minimum 1\n"
                              "No home:\n"
                              '  subjects: "helth" ×1 not in vocabulary subjects (did you mean '
                              "'health'?): add it to the mapping's values\n"
                              "Dry run, nothing written: created 1, updated 0, unchanged 0, "
                              "skipped 0, invalid 1\n")
    assert snapshot(empty) == before
    code, out = run("import", "c.csv", "--into", "site/content", "--kind", "course",
                    "--dry-run", "--format", "json")
    report = json.loads(out)
    assert (code, report["dry_run"], report["counts"]["invalid"]) == (1, True, 1)
    assert report["problems"] == ["c.csv:3: duration_minutes -> duration_minutes: 0 is less "
                                  "than the minimum 1"]
    assert snapshot(empty) == before
    code, _ = run("import", "c.csv", "--into", "site/content", "--kind", "course")
    assert code == 1
    after = snapshot(empty)
    assert sorted(set(after) - set(before)) == ["content/courses/tai-ji-quan-ru-men.md",
                                                "import-ledger.json"]


def test_update_keeps_hand_edits_and_the_body_and_lists_each_change(empty: Path) -> None:
    source = Path("c.csv")
    header = "id,title,summary,subjects,published,duration_minutes,format,language,body\n"
    source.write_text(header + "taiji,太极拳入门,学太极,exercise,2024-03-12,18,video,zh,"
                      "导入的介绍\n", encoding="utf-8")
    assert run("import", "c.csv", "--into", "site/content", "--kind", "course")[0] == 0
    path = empty / "content/courses/taiji.md"
    text = path.read_text(encoding="utf-8")
    assert text.endswith(("---\n导入的介绍\n", "---\n\n导入的介绍\n"))
    # The editor's own lines: a comment, a note after a value, a quoted title, CRLF ends.
    text = (text.replace("title: 太极拳入门", "# 标题按教研组意见修改\ntitle: '太极拳（入门）'")
            .replace("duration_minutes: 18", "duration_minutes: 18  # 含片头")
            .replace("导入的介绍", "编辑写的介绍\n\n"))
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    source.write_text(header + "taiji,太极拳基础,学太极拳,exercise,2024-03-12,20,video,zh,"
                      "新的介绍\n", encoding="utf-8")
    before = snapshot(empty)
    code, out = run("import", "c.csv", "--into", "site/content", "--kind", "course")
    assert (code, out) == (0, "Skipped:\n  c.csv:2: taiji: exists (content/courses/taiji.md), "
                              "skipped; pass --update to update it\n"
                              "created 0, updated 0, unchanged 0, skipped 1, invalid 0\n")
    assert snapshot(empty) == before
    code, out = run("import", "c.csv", "--into", "site/content", "--kind", "course",
                    "--update")
    assert (code, out) == (0, "Changes:\n"
                              '  taiji: summary: "学太极" -> "学太极拳"\n'
                              "  taiji: duration_minutes: 18 -> 20\n"
                              "Kept (edited by hand):\n"
                              '  taiji: title: kept "太极拳（入门）" (edited by hand; the source '
                              'has "太极拳基础")\n'
                              "created 0, updated 1, unchanged 0, skipped 0, invalid 0\n")
    # Only the changed lines differ: every other byte is as the editor left it.
    assert path.read_bytes().decode("utf-8").replace("\r\n", "\n") == (
        text.replace("summary: 学太极\n", "summary: 学太极拳\n")
        .replace("duration_minutes: 18  # 含片头", "duration_minutes: 20  # 含片头"))
    assert path.read_bytes().count(b"\r\n") == path.read_bytes().count(b"\n")
    code, out = run("import", "c.csv", "--into", "site/content", "--kind", "course",
                    "--update")
    assert out.endswith("created 0, updated 0, unchanged 1, skipped 0, invalid 0\n")
    assert "Kept (edited by hand):\n  taiji: title: kept" in out


EDITED = """---
# 编辑：王老师
kind: course
id: taiji
title: "太极拳"  # 不要改
subjects:
  - exercise   # 主题
  - health

# 出版信息
published: 2024-03-12
tags: [a, b]
---
介绍
"""


@pytest.mark.parametrize(("meta", "expected"), [
    # A block list replaced, the comment and blank line before the next field kept.
    ({"subjects": ["arts"]}, EDITED.replace("  - exercise   # 主题\n  - health\n", "")
     .replace("subjects:\n", "subjects: [arts]\n")),
    # A field removed; a new one after the field before it in the kind's order.
    ({"tags": None, "summary": "简介"}, EDITED.replace("tags: [a, b]\n", "")
     .replace("title: \"太极拳\"  # 不要改\n", "title: \"太极拳\"  # 不要改\nsummary: 简介\n")),
    # A one-line value changed keeps the note after it.
    ({"title": "太极拳入门"}, EDITED.replace("title: \"太极拳\"", "title: 太极拳入门")),
    # Nothing to change: the same text.
    ({}, EDITED),
])
def test_an_update_rewrites_only_the_fields_it_changes(meta: dict[str, Any],
                                                        expected: str) -> None:
    base = {"kind": "course", "id": "taiji", "title": "太极拳",
            "subjects": ["exercise", "health"], "published": dt.date(2024, 3, 12),
            "tags": ["a", "b"]}
    wanted = {k: v for k, v in {**base, **meta}.items() if v is not None}
    order = ["kind", "id", "title", "summary", "subjects", "published", "tags"]
    assert patch_front_matter(EDITED, wanted, order) == expected
    doc = split_document(expected, "a.md")[0]
    assert doc is not None
    assert doc.body == "介绍\n"


_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "title": _WORDS.filter(str.strip), "summary": st.none() | _WORDS,
    "subjects": st.none() | st.lists(_WORDS, max_size=3),
    "tags": st.none() | st.lists(_WORDS, max_size=3)}))
def test_a_patched_front_matter_reads_as_asked_and_keeps_the_comments(
        meta: dict[str, Any]) -> None:
    base = {"kind": "course", "id": "taiji", "title": "太极拳",
            "subjects": ["exercise", "health"], "published": dt.date(2024, 3, 12),
            "tags": ["a", "b"]}
    wanted = {k: v for k, v in {**base, **meta}.items() if v is not None}
    patched = patch_front_matter(EDITED, wanted, list(base))
    assert patched is not None
    doc = split_document(patched, "a.md")[0]
    assert doc is not None
    assert dict(doc.meta) == {**wanted, "published": "2024-03-12"}
    assert doc.body == "介绍\n"
    assert "# 编辑：王老师\n" in patched
    assert "\n# 出版信息\n" in patched


def test_a_front_matter_that_cannot_be_patched_is_left_to_a_whole_rewrite() -> None:
    flow = "---\n{kind: course, id: taiji, title: 太极拳}\n---\n介绍\n"
    assert patch_front_matter(flow, {"kind": "course", "id": "taiji", "title": "新"}) is None
    assert patch_front_matter("no front matter\n", {"title": "新"}) is None


def test_json_and_json_lines_import_with_the_field_names_of_front_matter(empty: Path) -> None:
    record = {"kind": "ebook", "id": "lunyu", "title": "论语", "summary": "孔子言行",
              "subjects": ["classics"], "published": "2024-01-02", "authors": ["孔子弟子"],
              "language": "zh", "isbn": "9787101003048", "body": "《论语》二十篇。"}
    Path("books.json").write_text(json.dumps({"books": [record]}, ensure_ascii=False),
                                  encoding="utf-8")
    other = dict(record, id="mengzi", title="孟子", isbn="978-7-101-00305-5",
                 body="《孟子》七篇。")
    twin = dict(record, id="lunyu-2", title="论语（又一版）")  # the same ISBN again
    Path("more.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                            for r in (other, {}, twin)) + "\n",
                                  encoding="utf-8")
    code, out = run("import", "books.json", "more.jsonl", "--into", "site/content")
    assert code == 1
    assert section(out, "Problems") == ["more.jsonl:2: kind: no kind: pass --kind, set 'kind:' "
                                        "in the mapping or give a kind column"]
    assert section(out, "Skipped") == ["more.jsonl:3: the same ISBN as books.json:1 (lunyu): a "
                                       "duplicate, skipped"]
    assert out.endswith("\ncreated 2, updated 0, unchanged 0, skipped 1, invalid 1\n")
    text = (empty / "content/reading/lunyu.md").read_text(encoding="utf-8")
    assert "isbn: 978-7-101-00304-8\n" in text  # hyphenated by the ISBN repair
    assert text.rstrip().endswith("《论语》二十篇。")
    assert run("check", "--project", str(empty))[0] == 0


def test_a_mapping_is_checked_with_lines(tmp_path: Path) -> None:
    rules = load_rules(REPO / "catalogue")
    path = tmp_path / "m.yml"
    path.write_text("kind: ebook\nfields:\n  titel: 书名\n  subjects:\n    column: 类别\n"
                    "    values: {Literary Fiction: literatur, 历史: null}\n"
                    "  isbn: {column: ISBN, split: ','}\ndefaults: {language: martian}\n",
                    encoding="utf-8")
    from lifelong.interchange.mapping import load_mapping

    with pytest.raises(MappingError) as caught:
        load_mapping(path, rules, "m.yml")
    assert str(caught.value).splitlines() == [
        "m.yml:3: fields.titel: unknown field; did you mean 'title'?",
        "m.yml:6: fields.subjects.values.Literary Fiction: unknown term 'literatur' in "
        "subjects; did you mean 'literature' (文学欣赏)?",
        "m.yml:7: fields.isbn.split: only a list field can be split",
        "m.yml:8: defaults.language: unknown term 'martian' in languages; see "
        "catalogue/vocabularies/languages.yml",
    ]


def test_import_refuses_a_bad_mapping_and_a_folder_outside_a_project(empty: Path) -> None:
    Path("m.yml").write_text("kind: ebok\n", encoding="utf-8")
    Path("c.csv").write_text("title\nx\n", encoding="utf-8")
    code, out = run("import", "c.csv", "--into", "site/content", "--mapping", "m.yml")
    assert (code, out) == (1, "Error: the mapping has problems:\nm.yml:1: kind: unknown kind "
                              "'ebok'; did you mean 'ebook'?\n")
    code, out = run("import", "c.csv", "--into", ".")
    assert code == 1
    assert "not a project's content/ folder" in out


# -- reading sources ---------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|", "、"])
def test_csv_delimiters_are_found_by_the_columns_they_make(delimiter: str) -> None:
    text = delimiter.join(["书名", "作者", "年份"]) + "\n" + \
        delimiter.join(["论语, 选读", "孔子", "2020"]) + "\n"
    if delimiter != ",":
        assert sniff_delimiter(text) == delimiter


def test_csv_rows_utf8_with_bom_and_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeff书名;作者;;作者\n论语;孔子;x;弟子\n\n孟子;;;\n".encode())
    rows = list(read(path, shown="a.csv"))
    assert rows == [Row("a.csv", 2, {"书名": "论语", "作者": "孔子", "column 3": "x",
                                      "作者 (column 4)": "弟子"}),
                    Row("a.csv", 4, {"书名": "孟子"})]


@pytest.mark.parametrize(("text", "encoding"), [
    ("课程名称,主讲教师,时长\n太极拳入门,李秀兰,18\n智能手机挂号,赵敏,12\n", "gb18030"),
    # Big5 bytes are GB18030 too (other characters): the text that reads as language wins.
    ("課程名稱,主講教師,時長\n太極拳入門,李秀蘭,18\n智慧型手機掛號,趙敏,12\n", "big5"),
    ("課程名稱,主講教師,時長\n太極拳入門,李秀蘭,18\n智慧型手機掛號,趙敏,12\n", "gb18030"),
])
def test_chinese_csv_in_the_mainlands_or_taiwans_encoding(tmp_path: Path, text: str,
                                                          encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode(encoding))
    rows = list(read(path, shown="a.csv"))
    assert rows[0] == Row("a.csv", 2, dict(zip(*(line.split(",") for line in
                                                  text.splitlines()[:2]), strict=True)))


def test_broken_sources_name_file_and_line(tmp_path: Path) -> None:
    cases = {
        "a.csv": (b'title,summary\n"ok",fine\n"broken,no end\n', "a.csv:3: not readable as CSV"),
        "b.json": (b'[{"title": "x"},\n {"title": }]', "b.json:2: not JSON: Expecting value "
                                                      "(column 12)"),
        "c.jsonl": (b'{"title": "x"}\n[1]\n', "c.jsonl:2: expected an object"),
        "d.csv": (b"title\n\xff\xfe\x80\n", "d.csv:2: neither UTF-8, GB18030 nor Big5 (byte "
                                            "0xff); save it as UTF-8"),
        "e.json": (b'{"a": [], "b": []}', "e.json: expected an array of records, or an object "
                                          "holding one array of them; found an object with 2 "
                                          "arrays"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(SourceError) as caught:
            list(read(tmp_path / name, shown=name))
        assert str(caught.value).startswith(message), name


# -- the fuzz: no cell makes the import crash ----------------------------------------------------

_CELLS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_CELLS, _CELLS, _CELLS, _CELLS, _CELLS), min_size=1, max_size=4))
def test_fuzzed_csv_cells_are_reported_never_a_crash(tmp_path_factory: pytest.TempPathFactory,
                                                    cells: list[tuple[str, ...]]) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(REPO / "catalogue", root / "catalogue")
    (root / "content").mkdir()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "summary", "subjects", "published", "isbn"])
    writer.writerows(cells)
    (root / "f.csv").write_text(buffer.getvalue(), encoding="utf-8")
    rules = load_rules(root / "catalogue")
    mapping = parse_mapping({"kind": "ebook", "defaults": {"language": "zh"}}, rules)
    for dry in (True, False):
        importer = Importer(root, root / "content", rules, mapping, dry_run=dry)
        try:
            rows = list(read_csv(root / "f.csv", shown="f.csv"))
        except SourceError:
            return
        report = importer.run(rows)
        assert len(report.created) + len(report.invalid) + len(report.skipped) + \
            len(report.unchanged) == len(rows)
        assert all(p.startswith("f.csv:") for p in report.problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["f.csv", "f.json", "f.jsonl", "f.txt"]))
def test_fuzzed_source_files_are_read_or_refused_with_a_message(data: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        message = None
        try:
            rows = list(read(path, shown=name))
        except SourceError as exc:
            message, rows = str(exc), []
        assert message is None or message.startswith(name)
        assert all(isinstance(row.values, dict) and row.source == name for row in rows)


def test_feed_entries_as_the_feed_readers_give_them(tmp_path: Path) -> None:
    """Rows shaped as ``feeds.read_opds`` gives them (``sources.OPDS_KEYS``): no mapping;
    media types become file types, labels terms, HTML plain text; the same book in a second
    feed is the same entry."""
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    (tmp_path / "content").mkdir()
    rules = load_rules(tmp_path / "catalogue")
    star = {"title": "The Star", "summary": "<p>In January 1900 &amp;\x9d after.</p>",
            "region": "Atlantis",
            "language": "en", "published": "1926-01-01", "authors": ["H. G. Wells"],
            "subjects": ["Fiction", "Science Fiction"], "isbn": "9780000000002",
            "cover": "https://covers.example/607.jpg",
            "files": [{"type": "application/epub+zip", "link": "https://b.example/607.epub",
                       "size": 1234},
                      {"type": "application/vnd.adobe.adept+xml",
                       "link": "https://b.example/607.acsm"}]}
    rows = [Row("a.opds", 1, star), Row("b.opds", 1, dict(star, title="The Star (again)"))]
    report = Importer(tmp_path, tmp_path / "content", rules, ImportMapping(),
                      kind="ebook").run(rows)
    assert report.counts() == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 1,
                               "invalid": 0}
    assert report.skipped == ["b.opds:1: the same ISBN as a.opds:1 (the-star): a duplicate, "
                              "skipped"]
    assert "a.opds:1: summary -> summary: control character U+009D removed" in report.repairs
    assert report.no_home() == [
        'files.type: "application/vnd.adobe.adept+xml" ×2 not in vocabulary file_types: add '
        "it to the mapping's values",
        'region: "Atlantis" ×2 not in vocabulary regions: add it to the mapping\'s values',
        'subjects: "Science Fiction" ×2 not in vocabulary subjects: add it to the mapping\'s '
        "values"]
    text = (tmp_path / "content/reading/the-star.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:3] == ["---", "kind: ebook", "id: the-star"]
    assert lines[4:12] == [
        "title: The Star", "summary: In January 1900 & after.", "subjects: [literature]",
        "language: en", "cover: https://covers.example/607.jpg", "published: 1926-01-01",
        "authors: [H. G. Wells]", "isbn: 978-0-00-000000-2"]
    assert lines[12:] == ["files:", "- type: epub", "  link: https://b.example/607.epub",
                          "  size: 1234", "---"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_export_then_import_into_an_empty_folder_gives_the_same_entries(
        empty: Path, fmt: str) -> None:
    """The sample catalogue (every kind, the widened model: periods, contributors, licences,
    identifiers, prerequisites, captions...) through `lifelong export` and `lifelong import`
    without a mapping: every entry comes back with the same values and description."""
    from lifelong.build.loading import load_catalogue

    code, _ = run("export", "--project", str(REPO), "--format", fmt, "-o", f"all.{fmt}")
    assert code == 0
    for path in (empty / "content").glob("*/*.md"):
        path.unlink()
    for path in (REPO / "content").rglob("*"):  # covers, files, captions beside the entries
        rel = path.relative_to(REPO / "content")
        if path.is_file() and path.suffix != ".md":
            (empty / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, empty / "content" / rel)
    code, out = run("import", f"all.{fmt}", "--into", "site/content")
    files = len(list((REPO / "content").glob("*/*.md")))  # drafts too
    assert (code, out.splitlines()[-1]) == (0, f"created {files}, updated 0, "
                                               "unchanged 0, skipped 0, invalid 0")
    original = load_catalogue(REPO / "content", REPO / "catalogue")
    again = load_catalogue(empty / "content", empty / "catalogue")

    def entries(catalogue: Any) -> dict[str, tuple[str, str, dict[str, Any], str]]:
        return {e.id: (e.kind, e.path, dict(e.values), e.body.strip())
                for e in catalogue.entries}

    assert entries(again) == entries(original)


def read_document_text(text: str, name: str):  # type: ignore[no-untyped-def]
    from lifelong.catalogue.loader import split_document

    doc, problems = split_document(text, name)
    assert doc is not None, problems
    return doc


def test_ids_from_titles_in_any_script(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    (tmp_path / "content").mkdir()
    rules = load_rules(tmp_path / "catalogue")
    base = {"summary": "s", "subjects": ["literature"], "published": "2024-01-01",
            "authors": ["a"], "language": "zh"}
    rows = [Row("t.json", n, dict(base, title=title)) for n, title in
            enumerate(["José Martí: Versos sencillos", "Лев Толстой", "太极拳入门", "Search"], 1)]
    report = Importer(tmp_path, tmp_path / "content", rules, ImportMapping(),
                      kind="ebook", dry_run=True).run(rows)
    assert report.created == ["jose-marti-versos-sencillos", "lev-tolstoy", "tai-ji-quan-ru-men",
                              "search-2"]  # search is the site's own address


def test_a_record_is_matched_to_an_entry_by_its_isbn(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    (tmp_path / "content/reading").mkdir(parents=True)
    (tmp_path / "content/reading/lunyu.md").write_text(
        "---\nkind: ebook\nid: lunyu\ncode: 382915\ntitle: 论语\nsummary: 孔子言行\n"
        "subjects: [classics]\npublished: 2024-01-02\nauthors: [孔子弟子]\n"
        "isbn: 978-7-101-00304-8\n---\n手写的介绍\n", encoding="utf-8")
    rules = load_rules(tmp_path / "catalogue")
    record = {"title": "The Analects", "summary": "孔子言行", "subjects": "classics",
              "published": "2024-01-02", "authors": "孔子弟子", "language": "zh",
              "isbn": "9787101003048"}
    report = Importer(tmp_path, tmp_path / "content", rules, ImportMapping(), kind="ebook",
                      dry_run=True).run([Row("a.csv", 2, record)])
    assert (report.created, report.skipped) == ([], [
        "a.csv:2: lunyu: exists (content/reading/lunyu.md), skipped; pass --update to update "
        "it"])


def test_an_opds2_feed_in_two_pages_imports_and_checks(empty: Path) -> None:
    """An OPDS 2.0 feed given as its two pages (files, in order) needs a mapping only for its
    subjects; rows are numbered on across the pages and the project checks."""
    def page(number: int, title: str, isbn: str, subject: str) -> dict[str, object]:
        links = [{"rel": "self", "type": "application/opds+json",
                  "href": f"https://books.example.cn/opds2/{number}.json"}]
        return {"metadata": {"title": "开放大学电子书"}, "links": links, "publications": [{
            "metadata": {"@type": "http://schema.org/Book", "title": title,
                         "identifier": f"urn:isbn:{isbn}", "language": "zh",
                         "author": "李明", "translator": "王芳", "subject": [subject],
                         "published": "2021-05-01T00:00:00Z", "description": "<p>图文并茂。</p>"},
            "links": [{"rel": "http://opds-spec.org/acquisition/open-access",
                       "href": f"/files/{number}.epub", "type": "application/epub+zip"}]}]}

    Path("1.json").write_text(json.dumps(page(1, "老年人智能手机入门", "978-7-04-050656-3",
                                              "数字素养"), ensure_ascii=False), "utf-8")
    Path("2.json").write_text(json.dumps(page(2, "家庭急救常识", "978-7-117-29034-0",
                                              "健康"), ensure_ascii=False), "utf-8")
    mapping = write_mapping(Path("m.yml"), {"fields": {"subjects": {
        "column": "subjects", "values": {"数字素养": "digital-skills", "健康": "health"}}}})
    code, out = run("import", "1.json", "2.json", "--into", "site/content", "--kind", "ebook",
                    "--mapping", str(mapping))
    assert (code, out.splitlines()[-1]) == (0, "created 2, updated 0, unchanged 0, "
                                               "skipped 0, invalid 0")
    assert "  2.json:2: published -> published: time of day dropped: 2021-05-01T00:00:00Z " \
           "-> 2021-05-01" in out
    text = (empty / "content/reading/jia-ting-ji-jiu-chang-shi.md").read_text("utf-8")
    assert "contributors:\n- name: 王芳\n  role: translator\n" in text
    assert "isbn: 978-7-117-29034-0\n" in text
    assert run("check", "--project", str(empty)) == (0, "OK: 8 entries, no problems.\n")
