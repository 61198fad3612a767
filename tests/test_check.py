"""`lifelong check`: every kind of mistake an editor can make gets one exact, located line."""

from __future__ import annotations

import json
import re
import time

import pytest
from click.testing import Result

import lifelong.catalogue.loader
from conftest import COURSE, LECTURE, REPO, SERIES, VALID, Project, edit
from lifelong.catalogue.schema import load_rules

C = "content/courses/a.md"  # where most tests put their one bad entry


def assert_problems(result: Result, *lines: str) -> None:
    """Exit 1, exactly these lines on stdout (in this order) and the count on stderr."""
    assert result.stdout.splitlines() == list(lines)
    assert result.stdout == "".join(f"{line}\n" for line in lines)
    count = len(lines)
    assert result.stderr == f"{count} problem{'s' if count != 1 else ''} found.\n"
    assert result.exit_code == 1


def check_course(project: Project, text: str | bytes) -> Result:
    project.write("courses/a.md", text)
    return project.check()


# --- clean projects ------------------------------------------------------------------------


def test_valid_entry_of_every_kind_passes(project: Project) -> None:
    project.write_valid()
    result = project.check()
    assert result.stdout == "OK: 9 entries, no problems.\n"
    assert result.stderr == ""
    assert result.exit_code == 0


def test_valid_entries_cover_every_kind_in_the_rules() -> None:
    assert set(load_rules(REPO / "catalogue").kinds) == set(VALID)
    assert {text.split("\n")[1] for _, text in VALID.values()} == {
        f"kind: {kind}" for kind in VALID}


def test_one_entry_and_drafts_are_counted(project: Project) -> None:
    project.write("courses/a.md", COURSE)
    project.write("courses/b.md", edit(edit(COURSE, "id: taiji-basics", "id: draft-one"),
                                       "format: video\n", "format: video\ndraft: true\n"))
    result = project.check()
    assert result.stdout == "OK: 1 entry, 1 draft, no problems.\n"
    assert result.exit_code == 0


def test_utf8_bom_and_crlf_line_endings_are_accepted(project: Project) -> None:
    project.write("courses/a.md", b"\xef\xbb\xbf" + COURSE.replace("\n", "\r\n").encode())
    project.write("courses/b.md", edit(COURSE, "id: taiji-basics", "id: old-mac")
                  .replace("\n", "\r").encode())
    result = project.check()
    assert result.stdout == "OK: 2 entries, no problems.\n"
    assert result.exit_code == 0


def test_bom_and_crlf_keep_line_numbers(project: Project) -> None:
    text = edit(COURSE, "format: video", "format: vidoe").replace("\n", "\r\n")
    result = check_course(project, b"\xef\xbb\xbf" + text.encode())
    assert_problems(result, f"{C}:9: format: unknown term 'vidoe' in formats; "
                            "did you mean 'video' (视频)?")


def test_pages_at_the_top_of_content_and_hidden_folders_are_not_entries(
        project: Project) -> None:
    project.write("courses/a.md", COURSE)
    project.write("index.md", "# 首页\n")
    project.write(".drafts/x.md", "not an entry\n")
    result = project.check()
    assert result.stdout == "OK: 1 entry, no problems.\n"
    assert result.exit_code == 0


# --- the file itself -----------------------------------------------------------------------


def test_yaml_syntax_error(project: Project) -> None:
    result = check_course(project, edit(COURSE, "title: 二十四式太极拳入门", "title: a: b"))
    assert_problems(result, f"{C}:4: front matter: YAML syntax error: mapping values are not "
                            "allowed in this context")


def test_yaml_syntax_error_names_the_line_where_the_construct_began(project: Project) -> None:
    result = check_course(project, edit(COURSE, "title: 二十四式太极拳入门", "title: [unclosed"))
    assert_problems(result, f"{C}:5: front matter: YAML syntax error: while parsing a flow "
                            "sequence (from line 4): did not find expected ',' or ']'")


def test_duplicate_key(project: Project) -> None:
    result = check_course(project, edit(COURSE, "format: video", "format: video\nformat: audio"))
    assert_problems(result, f"{C}:10: format: appears twice; keep one")


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("---\nkind: course\nid: x\n", "front matter is not closed: add a line '---' "
                 "after the last field", id="no-closing-line"),
    pytest.param("---\nkind: course\nid: x\n---", "front matter is not closed: end the "
                 "closing '---' line with a newline", id="closing-line-without-newline"),
    pytest.param("kind: course\nid: x\n", "no front matter: the file must start with a line "
                 "'---', then the fields, then '---'", id="no-opening-line"),
    pytest.param("---\n---\nbody\n", "front matter is empty: write the fields between the "
                 "two '---' lines", id="nothing-between-the-lines"),
])
def test_front_matter_not_closed(project: Project, text: str, message: str) -> None:
    assert_problems(check_course(project, text), f"{C}:1: {message}")


@pytest.mark.parametrize(("block", "found"), [
    ("- kind: course\n- id: x\n", "a list"),
    ("kind course, id x\n", "plain text"),
    ("42\n", "a number"),
    ("# only a comment\n", "nothing"),
])
def test_front_matter_not_a_mapping(project: Project, block: str, found: str) -> None:
    result = check_course(project, f"---\n{block}---\n正文\n")
    assert_problems(result, f"{C}:2: front matter must be a mapping of fields ('name: value' "
                            f"lines), found {found}")


@pytest.mark.parametrize("text", [b"", b"\n\n", b"\xef\xbb\xbf", b" \r\n\t\n"])
def test_empty_file(project: Project, text: bytes) -> None:
    assert_problems(check_course(project, text), f"{C}:1: file is empty; an entry needs front "
                                                 "matter between two '---' lines, then a "
                                                 "description")


def test_file_not_utf8(project: Project) -> None:
    # 二 (line 4) is GBK b'\xb6\xfe': 0xb6 cannot start a UTF-8 character.
    result = check_course(project, COURSE.encode("gbk"))
    assert_problems(result, f"{C}:4: file is not UTF-8 (byte 0xb6); save it as UTF-8")


# --- bounded YAML --------------------------------------------------------------------------

ANCHOR = ("front matter: YAML anchor '&{}' is not allowed (anchors and aliases can make a small "
          "file expand without end); write the value out in full, or quote text that starts "
          "with '&'")
ALIAS = ANCHOR.replace("anchor '&", "alias '*").replace("'&'", "'*'")


def billion_laughs() -> str:
    """A valid course, then nine levels of nine aliases each: 600 bytes that expand to 9**9
    values (walking them took 24 s and 2.2 GB for 410 bytes)."""
    levels = "".join(f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh",
                                                                                  "bcdefghi"))
    return edit(COURSE, "format: video\n",
                "format: video\ntags: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + levels)


def test_billion_laughs_is_refused_at_once(project: Project) -> None:
    text = billion_laughs()
    assert 580 <= len(text.encode()) <= 620
    started = time.monotonic()
    result = check_course(project, text)
    # Walking the aliases took 24 s; refused, a check takes a fraction of a second (the bound
    # leaves room for a machine busy with other work).
    assert time.monotonic() - started < 3
    assert_problems(result, f"{C}:10: {ANCHOR.format('a')}")


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    pytest.param("teachers: [李秀兰]", "teachers: [&t 李秀兰]\nprovider: *t", 10,
                 ANCHOR.format("t"), id="anchor-and-alias"),
    pytest.param("teachers: [李秀兰]", "teachers: [李秀兰]\nprovider: *t", 11,
                 ALIAS.format("t"), id="alias-alone"),
    pytest.param("teachers: [李秀兰]", "teachers: [李秀兰]\nmaterials:\n  - <<: *m\n", 12,
                 ALIAS.format("m"), id="merge-key"),
])
def test_anchors_and_aliases_are_refused(project: Project, old: str, new: str, line: int,
                                         message: str) -> None:
    text = edit(COURSE, "format: video\n", "format: video\nteachers: [李秀兰]\n")
    assert_problems(check_course(project, edit(text, old, new)), f"{C}:{line}: {message}")


def test_text_starting_with_an_ampersand_is_an_anchor_unless_quoted(project: Project) -> None:
    text = edit(COURSE, "title: 二十四式太极拳入门", "title: &amp 太极拳")
    assert_problems(check_course(project, text), f"{C}:4: {ANCHOR.format('amp')}")
    result = check_course(project, edit(text, "title: &amp 太极拳", "title: '&amp 太极拳'"))
    assert result.stdout == "OK: 1 entry, no problems.\n"


def test_ampersands_and_stars_in_text_are_not_anchors(project: Project) -> None:
    result = check_course(project, edit(COURSE, "title: 二十四式太极拳入门",
                                        "title: 'Tai Chi & Qigong *for* beginners'"))
    assert result.stdout == "OK: 1 entry, no problems.\n"
    assert result.exit_code == 0


def test_deep_nesting_is_refused(project: Project) -> None:
    nested = "[" * 10 + "x" + "]" * 10  # the 11th level of the front matter
    result = check_course(project, edit(COURSE, "format: video", f"format: video\nx: {nested}"))
    assert_problems(result, f"{C}:10: x.0.0.0.0.0.0.0.0.0: is nested more than 10 levels deep; "
                            "write it flatter")


def test_ten_levels_of_nesting_are_read(project: Project) -> None:
    nested = "[" * 9 + "x" + "]" * 9
    result = check_course(project, edit(COURSE, "format: video", f"format: video\nx: {nested}"))
    assert_problems(result, f"{C}:10: x: unknown field; the fields of a course are listed in "
                            "catalogue/fields.yml")


def test_a_number_of_thousands_of_digits_is_refused(project: Project) -> None:
    result = check_course(project, edit(COURSE, "duration_minutes: 18",
                                        "duration_minutes: 1" + "0" * 4999))
    assert_problems(result, f"{C}:8: duration_minutes: a number of 5,000 digits is too long "
                            "(at most 30); check it, or write it in quotes if it is text")


def test_huge_text_is_refused(project: Project) -> None:
    result = check_course(project, edit(COURSE, "summary: 跟着老师一招一式学习二十四式简化太极拳。",
                                        "summary: '" + "学" * 100_001 + "'"))
    assert_problems(result, f"{C}:5: summary: text of 100,001 characters is too long (at most "
                            "100,000); shorten it")


def test_huge_front_matter_is_refused(project: Project) -> None:
    tags = "".join(f"  - 第{n}个很长很长很长很长很长的标签\n" for n in range(20_000))
    text = edit(COURSE, "format: video\n", f"format: video\ntags:\n{tags}")
    size = len(text.split("---\n")[1].encode())
    assert size > 1_000_000
    result = check_course(project, text)
    assert_problems(result, f"{C}:1: front matter: {size:,} bytes is too large (at most "
                            "1,000,000); keep long text in the description")


# --- fields --------------------------------------------------------------------------------


def test_missing_required_field(project: Project) -> None:
    result = check_course(project, edit(COURSE, "summary: 跟着老师一招一式学习二十四式简化太极拳。\n", ""))
    assert_problems(result, f"{C}:2: summary: missing required field")


def test_empty_required_field_points_at_its_line(project: Project) -> None:
    text = edit(COURSE, "summary: 跟着老师一招一式学习二十四式简化太极拳。", "summary: '  '")
    result = check_course(project, edit(text, "format: video", "format:"))
    assert_problems(result, f"{C}:5: summary: is empty; this field is required",
                    f"{C}:9: format: is empty; this field is required")


def test_missing_required_nested_field(project: Project) -> None:
    project.write("series/s.md", SERIES)
    result = check_course(project, edit(LECTURE, "    role: scholar\n", ""))
    assert_problems(result, f"{C}:9: speakers.0.role: missing required field")


def test_missing_kind(project: Project) -> None:
    result = check_course(project, edit(COURSE, "kind: course\n", ""))
    assert_problems(result, f"{C}:2: kind: missing required field; one of course, ebook, "
                            "lecture, series, star, project, teacher, centre, activity")


def test_unknown_kind(project: Project) -> None:
    result = check_course(project, edit(COURSE, "kind: course", "kind: cours"))
    assert_problems(result, f"{C}:2: kind: unknown kind 'cours'; did you mean 'course'?")


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("duration_minutes: 18", "duration_minutes: eighteen", 8,
     "duration_minutes: expected a whole number, got text 'eighteen'"),
    ("duration_minutes: 18", "duration_minutes: 0", 8,
     "duration_minutes: 0 is less than the minimum 1"),
    ("subjects: [exercise, tcm]", "subjects: exercise", 6,
     "subjects: expected a list, got text; write it as [exercise]"),
    ("title: 二十四式太极拳入门", "title: [a, b]", 4, "title: expected text, got a list"),
    ("format: video", "format: video\nfeatured: yes please", 10,
     "featured: expected true or false, got text"),
    ("format: video", "format: video\nmaterials: {title: x}", 10,
     "materials: expected a list, got a mapping"),
])
def test_wrong_type(project: Project, old: str, new: str, line: int, message: str) -> None:
    assert_problems(check_course(project, edit(COURSE, old, new)), f"{C}:{line}: {message}")


def test_unknown_field_did_you_mean(project: Project) -> None:
    result = check_course(project, edit(COURSE, "format: video", "format: video\nteacher: [李]"))
    assert_problems(result, f"{C}:10: teacher: unknown field; did you mean 'teachers'?")


def test_unknown_field_of_another_kind(project: Project) -> None:
    result = check_course(project, edit(COURSE, "format: video", "format: video\nisbn: '1'"))
    assert_problems(result, f"{C}:10: isbn: unknown field for a course; it belongs to: ebook")


# --- control characters --------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    pytest.param("title: 二十四式太极拳入门", 'title: "二十四式\\0太极拳入门"', 4,
                 "title: contains the control character U+0000 at position 5; remove it",
                 id="nul-in-title"),
    pytest.param("title: 二十四式太极拳入门", 'title: "Tai Chi\\x7f"', 4,
                 "title: contains the control character U+007F at position 8; remove it",
                 id="del-in-title"),
    pytest.param("title: 二十四式太极拳入门", 'title: "\\x9bTai Chi"', 4,
                 "title: contains the control character U+009B at position 1; remove it",
                 id="c1-in-title"),
    pytest.param("summary: 跟着", "summary: 跟\u202e着", 5,
                 "summary: contains the bidirectional control character U+202E at position 2; "
                 "remove it", id="bidi-override-in-summary"),
    pytest.param("title: 二十四式太极拳入门", "title: 二十四式太极拳\u2067入门", 4,
                 "title: contains the bidirectional control character U+2067 at position 8; "
                 "remove it", id="bidi-isolate-in-title"),
    pytest.param("id: taiji-basics", 'id: "taiji\\u202dbasics"', 3,
                 "id: contains the bidirectional control character U+202D at position 6; "
                 "remove it", id="bidi-in-id"),
    pytest.param("format: video", 'format: video\nteachers: [李秀兰, "王\\a老师"]', 10,
                 "teachers.1: contains the control character U+0007 at position 2; remove it",
                 id="in-a-list-item"),
    pytest.param("format: video", 'format: video\nvideo: "https://example.org/\\x1bv.mp4"', 10,
                 "video: contains the control character U+001B at position 21; remove it",
                 id="in-a-url"),
    pytest.param("subjects: [exercise, tcm]", 'subjects: [exercise, "tcm\\x0b"]', 6,
                 "subjects.1: contains the control character U+000B at position 4; remove it",
                 id="in-a-term"),
    pytest.param("kind: course", 'kind: "cour\\0se"', 2,
                 "kind: contains the control character U+0000 at position 5; remove it",
                 id="in-the-kind"),
    pytest.param("format: video", 'format: video\n"ti\\0tle": x', 10,
                 "ti\\u0000tle: the field name contains the control character U+0000 at "
                 "position 3; remove it", id="in-a-field-name"),
])
def test_control_characters_in_fields(project: Project, old: str, new: str, line: int,
                                      message: str) -> None:
    assert_problems(check_course(project, edit(COURSE, old, new)), f"{C}:{line}: {message}")


def test_a_control_character_in_a_field_of_an_object(project: Project) -> None:
    project.write("series/s.md", SERIES)
    project.write("lectures/t.md", edit(LECTURE, "affiliation: 某大学",
                                        'affiliation: "某\\x1f大学"'))
    assert_problems(project.check(), "content/lectures/t.md:11: speakers.0.affiliation: contains "
                                     "the control character U+001F at position 2; remove it")


def test_tabs_and_newlines_in_fields_are_allowed(project: Project) -> None:
    result = check_course(project, edit(COURSE, "summary: 跟着老师一招一式学习二十四式简化太极拳。",
                                        'summary: "跟着老师\\t一招一式\\n学习太极拳。"'))
    assert result.stdout == "OK: 1 entry, no problems.\n"
    assert result.exit_code == 0


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("subjects: [exercise, tcm]", "subjects: [exercise, tmc]", 6,
     "subjects.1: unknown term 'tmc' in subjects; did you mean 'tcm' (中医养生)?"),
    ("format: video", "format: 视频", 9,
     "format: unknown term '视频' in formats; did you mean 'video' (视频)?"),
    ("format: video", "format: Video", 9,
     "format: unknown term 'Video' in formats; did you mean 'video' (视频)?"),
    ("format: video", "format: zzz", 9,
     "format: unknown term 'zzz' in formats; see catalogue/vocabularies/formats.yml"),
])
def test_unknown_vocabulary_term(project: Project, old: str, new: str, line: int,
                                 message: str) -> None:
    assert_problems(check_course(project, edit(COURSE, old, new)), f"{C}:{line}: {message}")


SEE_SUBJECTS = "; see catalogue/vocabularies/subjects.yml"


@pytest.mark.parametrize(("written", "hint"), [
    # Issue 18: difflib offered 'nutrition', 'chinese-history' and 'foreign-languages' here.
    ("Literary Fiction", SEE_SUBJECTS),
    ("Science Fiction", SEE_SUBJECTS),
    ("深度学习", SEE_SUBJECTS),
    ("helth", "; did you mean 'health' (健康养生)?"),  # slips in an id, a label
    ("smartphon", "; did you mean 'smartphone' (智能手机使用)?"),
    ("健康养身", "; did you mean 'health' (健康养生)?"),
    ("中医养生", "; did you mean 'tcm' (中医养生)?"),  # labels, as written or near
    ("traditional chinese medicine", "; did you mean 'tcm' (中医养生)?"),
    ("Mental_Health", "; did you mean 'mental-health' (心理健康)?"),
    ("ＨＥＡＬＴＨ", "; did you mean 'health' (健康养生)?"),  # full width
    ("fiction", "; did you mean 'literature' (文学欣赏)?"),  # declared synonyms
    ("小说", "; did you mean 'literature' (文学欣赏)?"),
    ("novles", "; did you mean 'literature' (文学欣赏)?"),
    ("food", SEE_SUBJECTS),
])
def test_unknown_subject_suggests_only_what_is_meant(project: Project, written: str,
                                                     hint: str) -> None:
    result = check_course(project, edit(COURSE, "[exercise, tcm]", f"[exercise, {written}]"))
    assert_problems(result, f"{C}:6: subjects.1: unknown term {written!r} in subjects{hint}")


def test_synonyms_must_be_a_list_of_words(project: Project) -> None:
    path = project.root / "catalogue" / "vocabularies" / "levels.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "en: Beginner}", "en: Beginner, synonyms: 入门}"), encoding="utf-8")
    result = project.check()
    assert result.stdout.splitlines() == [
        "catalogue/vocabularies/levels.yml:3: terms.beginner.synonyms: synonyms must be a list "
        "of words, e.g. synonyms: [fiction, 小说]"]
    assert result.exit_code == 1


def test_unknown_term_in_a_list_of_objects(project: Project) -> None:
    project.write("series/s.md", SERIES)
    project.write("lectures/t.md", edit(LECTURE, "role: scholar", "role: docter"))
    assert_problems(project.check(), "content/lectures/t.md:10: speakers.0.role: unknown term "
                                     "'docter' in speaker_roles; did you mean 'doctor' (医生)?")


def test_impossible_date(project: Project) -> None:
    result = check_course(project, edit(COURSE, "published: 2024-03-12",
                                        "published: 2024-02-30"))
    assert_problems(result, f"{C}:7: published: 2024-02-30 is not a real date "
                            "(day is out of range for month)")


def test_date_in_another_format(project: Project) -> None:
    result = check_course(project, edit(COURSE, "published: 2024-03-12",
                                        "published: 2024/3/12"))
    assert_problems(result, f"{C}:7: published: '2024/3/12' is not a date; write YYYY-MM-DD, "
                            "e.g. 2024-05-01")


def test_datetime_without_time_zone(project: Project) -> None:
    project.write("series/s.md", SERIES)
    project.write("lectures/t.md", edit(LECTURE, "+08:00", ""))
    assert_problems(project.check(), "content/lectures/t.md:12: starts: 2026-12-05T19:30:00 has "
                                     "no time zone; add it, e.g. 2026-12-05T19:30:00+08:00")


@pytest.mark.parametrize(("isbn", "message"), [
    ("978-7-02-000220-8", "ISBN 978-7-02-000220-8 has a wrong check digit; check for a typo"),
    ("0-306-40615-3", "ISBN 0-306-40615-3 has a wrong check digit; check for a typo"),
    ("978-7-02", "'978-7-02' is not an ISBN: 10 or 13 digits (hyphens allowed)"),
])
def test_bad_isbn(project: Project, isbn: str, message: str) -> None:
    project.write("reading/b.md", edit(VALID["ebook"][1], "isbn: 978-7-02-000220-7",
                                       f"isbn: {isbn}"))
    project.write("reading/files/analects.pdf", b"%PDF")
    assert_problems(project.check(), f"content/reading/b.md:11: isbn: {message}")


# --- ids and references --------------------------------------------------------------------


def test_duplicate_id_reports_both_files(project: Project) -> None:
    project.write("courses/a.md", COURSE)
    project.write("courses/b.md", "---\n# a comment moves the id down a line\n"
                  + COURSE.removeprefix("---\n"))
    assert_problems(
        project.check(),
        f"{C}:3: id: 'taiji-basics' is also used by content/courses/b.md:4; ids must be unique",
        "content/courses/b.md:4: id: 'taiji-basics' is also used by content/courses/a.md:3; "
        "ids must be unique")


@pytest.mark.parametrize("bad_id", ["../x", "Taiji-Basics", "taiji_basics", "taiji--basics",
                                    "-taiji", "太极", "a" * 65])
def test_id_must_be_a_safe_slug(project: Project, bad_id: str) -> None:
    result = check_course(project, edit(COURSE, "id: taiji-basics", f"id: '{bad_id}'"))
    assert_problems(result, f"{C}:3: id: {bad_id!r} is not a safe id: use lowercase letters, "
                            "digits and single hyphens, at most 64 characters "
                            "(e.g. taiji-basics)")


def test_reserved_id(project: Project) -> None:
    result = check_course(project, edit(COURSE, "id: taiji-basics", "id: search"))
    assert_problems(result, f"{C}:3: id: 'search' is a reserved address on the site; "
                            "choose another id")


def test_reference_to_a_missing_series(project: Project) -> None:
    result = check_course(project, edit(COURSE, "format: video",
                                        "format: video\nseries: lecture-hall"))
    assert_problems(result, f"{C}:10: series: no entry has the id 'lecture-hall'")


def test_reference_to_a_misspelt_series_suggests_it(project: Project) -> None:
    project.write("series/s.md", SERIES)
    result = check_course(project, edit(COURSE, "format: video",
                                        "format: video\nseries: community-lecture-hal"))
    assert_problems(result, f"{C}:10: series: no entry has the id 'community-lecture-hal'; "
                            "did you mean 'community-lecture-hall'?")


def test_reference_to_an_entry_of_the_wrong_kind(project: Project) -> None:
    project.write("courses/b.md", edit(COURSE, "id: taiji-basics", "id: other-course"))
    result = check_course(project, edit(COURSE, "format: video",
                                        "format: video\nseries: other-course"))
    assert_problems(result, f"{C}:10: series: 'other-course' is a course, not a series")


def test_missing_related_entry_points_at_the_list_item(project: Project) -> None:
    result = check_course(project, edit(COURSE, "format: video",
                                        "format: video\nrelated:\n  - taiji-basics-2\n  - nope"))
    assert_problems(result,
                    f"{C}:11: related: no entry has the id 'taiji-basics-2'; did you mean "
                    "'taiji-basics'?",
                    f"{C}:12: related: no entry has the id 'nope'")


@pytest.mark.parametrize(("written", "hint"), [
    ("taiji-basic", "; did you mean 'taiji-basics'?"),
    ("taiji-bascis", "; did you mean 'taiji-basics'?"),
    ("taiji-advanced", ""),
])
def test_a_misspelt_reference_suggests_only_a_near_id(project: Project, written: str,
                                                      hint: str) -> None:
    project.write("courses/b.md", edit(COURSE, "id: taiji-basics", "id: other-course"))
    result = check_course(project, edit(COURSE, "format: video",
                                        f"format: video\nrelated: [other-course, {written}]"))
    assert_problems(result, f"{C}:10: related: no entry has the id '{written}'{hint}")


@pytest.mark.parametrize(("written", "hint"), [
    ("Title", "; did you mean 'title'?"),
    ("简介", "; did you mean 'summary'?"),
])
def test_unknown_field_suggests_by_name_or_label(project: Project, written: str,
                                                 hint: str) -> None:
    result = check_course(project, edit(COURSE, "format: video", f"format: video\n{written}: x"))
    assert_problems(result, f"{C}:10: {written}: unknown field{hint}")


# --- addresses and files -------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "message"), [
    ("video", "javascript:alert(1)",
     "only http:// and https:// addresses are allowed, not 'javascript:'"),
    ("video", "JavaScript:alert(1)",
     "only http:// and https:// addresses are allowed, not 'javascript:'"),
    ("cover", "data:image/svg+xml;base64,PHN2Zz4=",
     "only http:// and https:// addresses are allowed, not 'data:'"),
    ("video", "file:///etc/passwd",
     "only http:// and https:// addresses are allowed, not 'file:'"),
    ("video", "//evil.example/x.mp4",
     "'//evil.example/x.mp4' is not a web address; write it in full, starting with https://"),
])
def test_only_http_addresses_in_media_fields(project: Project, field: str, value: str,
                                             message: str) -> None:
    result = check_course(project, edit(COURSE, "format: video",
                                        f"format: video\n{field}: '{value}'"))
    assert_problems(result, f"{C}:10: {field}: {message}")


def test_only_http_addresses_in_url_fields(project: Project) -> None:
    project.write("projects/p.md", edit(VALID["project"][1], "website: https://example.org/"
                                        "night-school", "website: javascript:alert(1)"))
    assert_problems(project.check(), "content/projects/p.md:10: website: only http:// and "
                                     "https:// addresses are allowed, not 'javascript:'")


def test_local_cover_that_does_not_exist(project: Project) -> None:
    result = check_course(project, edit(COURSE, "format: video",
                                        "format: video\ncover: covers/nope.svg"))
    assert_problems(result, f"{C}:10: cover: file not found: 'covers/nope.svg' "
                            "(looked for content/courses/covers/nope.svg)")


def test_local_cover_that_exists_passes(project: Project) -> None:
    project.write("courses/covers/a.svg", b"<svg/>")
    result = check_course(project, edit(COURSE, "format: video",
                                        "format: video\ncover: covers/a.svg"))
    assert result.stdout == "OK: 1 entry, no problems.\n"
    assert result.exit_code == 0


@pytest.mark.parametrize(("value", "message"), [
    ("../../catalogue/fields.yml", "'../../catalogue/fields.yml' points outside content/"),
    ("/etc/passwd", "'/etc/passwd': write file paths relative to the entry, with '/', "
                    "e.g. covers/taiji.svg"),
    ("../series/s.md", "'../series/s.md' is a page, not a file; link entries with 'related'"),
])
def test_local_cover_outside_content_or_not_a_file(project: Project, value: str,
                                                   message: str) -> None:
    result = check_course(project, edit(COURSE, "format: video",
                                        f"format: video\ncover: {value}"))
    assert_problems(result, f"{C}:10: cover: {message}")


def test_missing_download_in_a_list_of_objects(project: Project) -> None:
    project.write("reading/b.md", VALID["ebook"][1])  # files/analects.pdf is not written
    assert_problems(project.check(), "content/reading/b.md:15: files.0.link: file not found: "
                                     "'files/analects.pdf' (looked for "
                                     "content/reading/files/analects.pdf)")


BAD_BODY = """\
看[这里](data:text/html,hi)和[那里](javascript:alert(1))，[正常](https://example.org/a_(b))
[相对](covers/a.svg) [x](java&#9;script:alert(2)) [y](
  JavaScript:alert(3))
[ref]: javascript:alert(4)
[ref2]:
   <vbscript:x>
[^1]: Note: a footnote is not a link
<a href="&#106;avascript:x">a</a> [p](//evil.example) <mailto:someone@example.org>
<img src=x
onerror=alert(1)> <script>alert(1)</script>
"""


def test_links_in_the_body(project: Project) -> None:
    """What the site would make of the description is reported where it would be removed;
    unused reference definitions make no link, and '//host' and mailto: are allowed."""
    project.write("courses/covers/a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    result = check_course(project, COURSE + BAD_BODY)
    bad = "only http(s), mailto and relative links are allowed; it can run scripts; the " \
          "address is removed"
    assert_problems(
        result,
        f"{C}:12: body: <a href> with a 'data:' address: {bad}",
        f"{C}:12: body: <a href> with a 'javascript:' address: {bad}",
        f"{C}:13: body: link 'java&#9;script:alert(2)': no such file (looked for "
        "content/courses/java&)",
        f"{C}:14: body: <a href> with a 'javascript:' address: {bad}",
        f"{C}:19: body: <a href> with a 'javascript:' address: {bad}",
        f"{C}:21: body: <script> is not allowed: it can run scripts or load other pages; it "
        "is removed",
        f"{C}:21: body: event handler onerror= on <img> runs scripts: it is removed",
    )


# --- the report as a whole -----------------------------------------------------------------


def _several_problems(project: Project) -> None:
    # Written out of order: the report is sorted by path, then line.
    project.write("series/s.md", "---\nkind: series\ntitle: 系列\n---\n")
    project.write("courses/b.md", edit(edit(COURSE, "id: taiji-basics", "id: b"),
                                       "format: video", "format: vidoe"))
    project.write("courses/a.md", edit(COURSE, "published: 2024-03-12", "published: 2024-13-01"))
    project.write("courses/c.md", "---\ntitle: [\n---\n")


SEVERAL = [
    ("content/courses/a.md", 7, "published", "2024-13-01 is not a real date "
                                             "(month must be in 1..12)"),
    ("content/courses/b.md", 9, "format", "unknown term 'vidoe' in formats; did you mean "
                                          "'video' (视频)?"),
    ("content/courses/c.md", 3, None, "front matter: YAML syntax error: while parsing a flow "
                                      "node: did not find expected node content"),
    ("content/series/s.md", 2, "id", "missing required field"),
    ("content/series/s.md", 2, "organiser", "missing required field"),
    ("content/series/s.md", 2, "published", "missing required field"),
    ("content/series/s.md", 2, "subjects", "missing required field"),
    ("content/series/s.md", 2, "summary", "missing required field"),
]


def test_several_problems_in_several_files_are_all_reported_sorted(project: Project) -> None:
    _several_problems(project)
    result = project.check()
    assert_problems(result, *(f"{p}:{n}: {f}: {m}" if f else f"{p}:{n}: {m}"
                              for p, n, f, m in SEVERAL))
    assert result.stderr == "8 problems found.\n"


def test_format_github(project: Project) -> None:
    _several_problems(project)
    result = project.check("--format", "github")
    assert result.stdout.splitlines() == [
        f"::error file={p},line={n}::{f}: {m}" if f else f"::error file={p},line={n}::{m}"
        for p, n, f, m in SEVERAL]
    assert result.stdout.splitlines()[0] == (
        "::error file=content/courses/a.md,line=7::published: 2024-13-01 is not a real date "
        "(month must be in 1..12)")
    assert result.stderr == ""
    assert result.exit_code == 1


def test_format_json(project: Project) -> None:
    _several_problems(project)
    result = project.check("--format", "json")
    report = json.loads(result.stdout)
    assert report == {"count": 8, "errors": 8, "warnings": 0, "problems": [
        {"path": p, "line": n, "field": f, "message": m, "severity": "error", "related": []}
        for p, n, f, m in SEVERAL]}
    assert result.stderr == ""
    assert result.exit_code == 1


def test_format_json_when_clean(project: Project) -> None:
    project.write_valid()
    result = project.check("--format", "json")
    assert json.loads(result.stdout) == {"problems": [], "count": 0, "errors": 0,
                                         "warnings": 0}
    assert result.exit_code == 0


def test_format_github_when_clean_prints_nothing(project: Project) -> None:
    project.write_valid()
    result = project.check("--format", "github")
    assert result.stdout == ""
    assert result.exit_code == 0


def test_paths_limit_the_report_to_a_file(project: Project) -> None:
    _several_problems(project)
    project.write("courses/d.md", edit(COURSE, "id: taiji-basics", "id: b"))  # clashes with b
    result = project.check(str(project.content / "courses" / "b.md"))
    assert_problems(result,
                    "content/courses/b.md:3: id: 'b' is also used by content/courses/d.md:3; "
                    "ids must be unique",
                    f"content/courses/b.md:9: format: {SEVERAL[1][3]}")


def test_paths_limit_the_report_to_folders(project: Project,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _several_problems(project)
    monkeypatch.chdir(project.root)
    result = project.check("content/series")
    assert_problems(result, *(f"{p}:{n}: {f}: {m}" for p, n, f, m in SEVERAL[3:]))


def test_paths_of_a_clean_file_pass(project: Project) -> None:
    _several_problems(project)
    project.write("courses/ok.md", edit(COURSE, "id: taiji-basics", "id: ok"))
    result = project.check(str(project.content / "courses" / "ok.md"))
    assert result.stdout == "OK: 3 entries, no problems.\n"  # a.md, b.md and ok.md have ids
    assert result.exit_code == 0


def test_paths_that_do_not_exist_are_a_usage_error(project: Project) -> None:
    result = project.check(str(project.content / "nope.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert result.stdout == ""


def test_missing_content_folder(project: Project) -> None:
    (project.content).rmdir()
    result = project.check()
    assert result.stderr == (f"Error: {project.content}: no such folder; run in the project "
                             "folder or pass --project\n")
    assert result.exit_code == 1


def test_a_catalogue_yaml_error_on_line_one_is_reported(project: Project) -> None:
    (project.root / "catalogue" / "vocabularies" / "levels.yml").write_text("a: b: c\n")
    assert_problems(
        project.check(),
        "catalogue/vocabularies/levels.yml:1: YAML syntax error: mapping values are not "
        "allowed in this context",
        "catalogue/vocabularies/levels.yml:1: label: needs a Chinese label: {zh: ..., en: ...}",
        "catalogue/vocabularies/levels.yml:1: terms: a vocabulary needs 'terms:' mapping term "
        "ids to labels")


# --- MkDocs agreement ----------------------------------------------------------------------


def test_yaml_re_is_mkdocs_own() -> None:
    from mkdocs.utils import meta

    assert lifelong.catalogue.loader.YAML_RE.pattern == meta.YAML_RE.pattern
    assert lifelong.catalogue.loader.YAML_RE.flags == meta.YAML_RE.flags
    assert lifelong.catalogue.loader.YAML_RE.flags & re.DOTALL


@pytest.mark.parametrize("text", [COURSE, "---\nkind: course\n...\nbody\n---\nmore\n",
                                  "--- \t\nkind: course\n---\t\n\nbody\n"])
def test_front_matter_and_body_are_split_where_mkdocs_splits_them(text: str) -> None:
    from mkdocs.utils import meta

    body, data = meta.get_data(text)
    doc, problems = lifelong.catalogue.loader.split_document(text, "courses/a.md")
    assert problems == []
    assert doc is not None
    # MkDocs drops blank lines before the body; ours keeps them to count lines.
    assert (doc.body.lstrip("\n"), list(doc.meta)) == (body, list(data))
