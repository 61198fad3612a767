"""Selection standards, marks and teachers (issue 22): standards.yml read and its mistakes
reported where they are; marks checked against their standards; names on entries that refer
to teacher entries, two teachers of one name kept apart; each rule with its exact message."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from conftest import ACTIVITY, CENTRE, COURSE, REPO, TEACHER, Project, edit
from lifelong.build.loading import load_catalogue
from lifelong.catalogue.schema import load_rules

STANDARDS = "catalogue/standards.yml"
C = "content/courses/a.md"
A = "content/activities/baduanjin-xihu.md"
RULES = load_rules(REPO / "catalogue")

#: A course that meets every checkable criterion of the elder-friendly standard.
ELDER = edit(edit(COURSE, "duration_minutes: 18", "duration_minutes: 12"), "format: video\n",
             "format: video\nlevel: beginner\naudiences: [older-adults]\n"
             "captions: [{link: media/a.vtt, lang: zh}]\n"
             "marks:\n  - {standard: elder-friendly, year: 2024, awarded_by: 国家老年大学, "
             "score: 95.5}\n")


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def check_marked(project: Project, text: str) -> str:
    """``lifelong check`` of one course (with its captions file): its report."""
    project.write("courses/a.md", text)
    project.write("courses/media/a.vtt", "WEBVTT\n")
    return project.check().stdout


# --- standards.yml -------------------------------------------------------------------------


def test_the_standards_are_read_in_their_order() -> None:
    standards = RULES.standards
    assert list(standards) == ["outstanding-micro-course", "elder-friendly", "brand-project"]
    elder = standards["elder-friendly"]
    assert (elder.title.zh, elder.kinds, elder.years) == ("适老化优秀课程", ("course",), (2022, None))
    assert elder.listing_title(2024, "zh") == "2024 年度适老化优秀课程"
    assert elder.listing_title(2024, "en") == "Elder-friendly courses of 2024"
    assert [(c.id, c.check is not None) for c in elder.criteria] == [
        ("captions", True), ("audience", True), ("level", True), ("duration", True),
        ("pace", False)]


def test_a_criterion_holds_by_its_check() -> None:
    elder = {c.id: c for c in RULES.standards["elder-friendly"].criteria}
    summary = RULES.standards["outstanding-micro-course"].criteria[1]
    assert elder["captions"].holds({"captions": ({"lang": "zh"},)})
    assert not elder["captions"].holds({"captions": ()})
    assert elder["audience"].holds({"audiences": ("workers", "older-adults")})
    assert not elder["audience"].holds({"audiences": ("workers",)})
    assert elder["level"].holds({"level": "beginner"})
    assert not elder["level"].holds({})
    assert elder["duration"].holds({"duration_minutes": 15})
    assert not elder["duration"].holds({"duration_minutes": 16})
    assert elder["pace"].holds({})  # judged by people
    assert [summary.holds({"summary": "字" * n}) for n in (19, 20, 200, 201)] == [
        False, True, True, False]


def test_a_term_meets_a_check_by_its_broader_term(project: Project) -> None:
    path = project.root / STANDARDS
    path.write_text(edit(path.read_text(encoding="utf-8"),
                         "check: {field: audiences, includes: [older-adults]}",
                         "check: {field: subjects, includes: [digital-skills]}"),
                    encoding="utf-8")
    audience = load_rules(project.root / "catalogue").standards["elder-friendly"].criteria[1]
    assert audience.holds({"subjects": ("exercise", "smartphone")})
    assert not audience.holds({"subjects": ("exercise",)})


def test_without_standards_yml_there_are_no_standards(project: Project) -> None:
    (project.root / STANDARDS).unlink()
    assert load_rules(project.root / "catalogue").standards == {}
    assert check_marked(project, COURSE) == "OK: 1 entry, no problems.\n"


STANDARD_MISTAKES = [
    ("check: {field: duration_minutes, max: 15}", "check: {field: duration_minutes, max: 15, "
     "mni: 1}", "1.criteria.3.check.mni", "unknown check operator 'mni'; did you mean 'min'?"),
    ("check: {field: captions, present: true}", "check: {field: caption, present: true}",
     "1.criteria.0.check.field", "no kind the standard selects (course) has the field "
     "'caption'; did you mean 'captions'?"),
    ("- id: elder-friendly", "- id: outstanding-micro-course", "1.id",
     "standard 'outstanding-micro-course' is declared twice"),
    ("    - id: audience", "    - id: captions", "1.criteria.1.id",
     "criterion 'captions' is declared twice in 'elder-friendly'"),
    ("years: [2016]", "years: [2016, 2010]", "2.years", "years must be [first, last] or, "
     "while it is still held, [first], e.g. years: [2016, 2020] or years: [2021]"),
    ("kinds: [project]", "kinds: [projects]", "2.kinds.0",
     "unknown kind 'projects'; did you mean 'project'?"),
    ("check: {field: level, in: [beginner]}", "check: {field: level, in: [beginer]}",
     "1.criteria.2.check.in", "unknown term 'beginer' in levels; did you mean 'beginner'?"),
    ("check: {field: audiences, includes: [older-adults]}",
     "check: {field: audiences, in: [older-adults]}", "1.criteria.1.check.in",
     "'audiences' is a list: use includes"),
    ("check: {field: summary, min_length: 20, max_length: 200}",
     "check: {field: summary, min: 20, max_length: 200}", "0.criteria.1.check.min",
     "min is for numbers; 'summary' is of type text (use min_length and max_length for a "
     "text)"),
    ('listing: {zh: "{year} 年度优秀微课"', 'listing: {zh: "年度优秀微课"', "0.listing",
     'the listing\'s title holds {year}, e.g. {zh: "{year} 年度优秀微课", '
     'en: "Outstanding micro-courses of {year}"}'),
]


@pytest.mark.parametrize(("old", "new", "key", "message"), STANDARD_MISTAKES,
                         ids=[key for _, _, key, _ in STANDARD_MISTAKES])
def test_a_mistake_in_standards_yml_is_reported_at_its_line(
        project: Project, old: str, new: str, key: str, message: str) -> None:
    path = project.root / STANDARDS
    text = path.read_text(encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(edit(text, old, new), encoding="utf-8")
    assert project.check().stdout == f"{STANDARDS}:{line}: {key}: {message}\n"


# --- marks ---------------------------------------------------------------------------------


def test_a_course_that_meets_a_standard_passes(project: Project) -> None:
    assert check_marked(project, ELDER) == "OK: 1 entry, no problems.\n"


MARK = "  - {standard: elder-friendly, year: 2024, awarded_by: 国家老年大学, score: 95.5}"
LINE = line_of(ELDER, MARK)


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("captions: [{link: media/a.vtt, lang: zh}]\n", "", LINE - 1,
     "requires 配有字幕 (captions): this course has no captions"),
    ("level: beginner", "level: intermediate", LINE,
     "requires 入门难度 (level): its level is 进阶 (intermediate), not 入门 (beginner)"),
    ("audiences: [older-adults]", "audiences: [workers]", LINE,
     "requires 面向老年人 (audience): its audiences do not include 老年人 (older-adults)"),
    ("duration_minutes: 12", "duration_minutes: 16", LINE,
     "requires 单节不超过 15 分钟 (duration): its duration_minutes is 16, more than 15"),
])
def test_a_failed_criterion_is_an_error_naming_it(project: Project, old: str, new: str,
                                                  line: int, message: str) -> None:
    assert check_marked(project, edit(ELDER, old, new)) == \
        f"{C}:{line}: marks.0: 适老化优秀课程 (elder-friendly) {message}\n"


@pytest.mark.parametrize(("mark", "reported"), [
    ("{standard: elder-frendly, year: 2024}", "marks.0.standard: unknown standard "
     "'elder-frendly'; did you mean 'elder-friendly' (适老化优秀课程)?"),
    ("{standard: 适老化优秀课, year: 2024}", "marks.0.standard: '适老化优秀课' is not a safe id: "
     "use lowercase letters, digits and single hyphens, at most 64 characters (e.g. "
     "taiji-basics)"),
    ("{standard: brand-project, year: 2024}", "marks.0.standard: 终身学习品牌项目 "
     "(brand-project) selects only 终身学习品牌项目 (project), not 微课 (course)"),
    ("{standard: elder-friendly, year: 2021}", "marks.0.year: 适老化优秀课程 (elder-friendly) "
     "has been held since 2022, not in 2021"),
])
def test_a_mark_names_a_standard_of_its_kind_and_year(project: Project, mark: str,
                                                      reported: str) -> None:
    text = edit(ELDER, MARK, f"  - {mark}")
    assert check_marked(project, text) == f"{C}:{LINE}: {reported}\n"


def test_a_standard_marks_an_entry_once_a_year(project: Project) -> None:
    text = edit(ELDER, MARK, f"{MARK}\n  - {{standard: elder-friendly, year: 2023}}\n{MARK}")
    assert check_marked(project, text) == (
        f"{C}:{LINE + 2}: marks.2: 适老化优秀课程 (elder-friendly) 2024 is listed twice "
        "(marks.0 and marks.2)\n")


def test_a_year_past_the_last_of_a_standard_is_refused(project: Project) -> None:
    path = project.root / STANDARDS
    path.write_text(edit(path.read_text(encoding="utf-8"), "years: [2022]", "years: [2022, 2023]"),
                    encoding="utf-8")
    assert check_marked(project, ELDER) == (
        f"{C}:{LINE}: marks.0.year: 适老化优秀课程 (elder-friendly) was held from 2022 to 2023, "
        "not in 2024\n")


# --- teachers ------------------------------------------------------------------------------

#: A second teacher with the name of conftest's 钱卫东 (qian-weidong), published later.
NAMESAKE = edit(edit(TEACHER, "id: qian-weidong", "id: qian-weidong-sh"),
                "published: 2024-05-01", "published: 2025-01-01")


def test_a_name_two_teachers_have_is_written_as_an_id(project: Project) -> None:
    project.write_valid()
    project.write("teachers/qian-weidong-sh.md", NAMESAKE)
    course = (project.content / "courses/tcm-baduanjin.md").read_text(encoding="utf-8")
    assert project.check().stdout == (
        f"{A}:8: teachers.0: 2 teachers are named '钱卫东' (qian-weidong, qian-weidong-sh); "
        "write the id of the one meant\n"
        f"content/courses/tcm-baduanjin.md:{line_of(course, 'teachers:')}: teachers.0: 2 "
        "teachers are named '钱卫东' (qian-weidong, qian-weidong-sh); write the id of the one "
        "meant\n")


def namesakes_apart(project: Project) -> None:
    """The valid project with two teachers named 钱卫东, each entry naming one by id."""
    project.write_valid()
    project.write("teachers/qian-weidong-sh.md", NAMESAKE)
    course = project.content / "courses/tcm-baduanjin.md"
    text = edit(course.read_text(encoding="utf-8"), "teachers: [钱卫东]",
                "teachers: [qian-weidong-sh]")
    course.write_text(edit(text, "accessibility:", "marks: [{standard: outstanding-micro-course, "
                           "year: 2023}, {standard: outstanding-micro-course, year: 2024}]\n"
                           "accessibility:"), encoding="utf-8")
    project.write("courses/a.md", ELDER)
    project.write("courses/media/a.vtt", "WEBVTT\n")
    activity = project.content / "activities/baduanjin-xihu.md"
    activity.write_text(edit(activity.read_text(encoding="utf-8"), "teachers: [钱卫东]",
                             "teachers: [qian-weidong]"), encoding="utf-8")
    lecture = project.content / "lectures/ai-everyday.md"
    lecture.write_text(edit(edit(lecture.read_text(encoding="utf-8"), "name: 王教授",
                                 "name: qian-weidong"), "mode: livestream",
                            "mode: livestream\ncentre: xihu-senior-university"),
                       encoding="utf-8")


def test_two_teachers_of_one_name_are_two_people(project: Project) -> None:
    namesakes_apart(project)
    path = "content/courses/tcm-baduanjin.md"
    line = line_of((project.root / path).read_text(encoding="utf-8"), "marks:")
    # Both same-named teachers are found by their ids; the marked course fails two checks.
    assert project.check().stdout.splitlines() == [
        f"{path}:{line}: marks.{n}: 优秀微课 (outstanding-micro-course) requires {why}"
        for n in (0, 1) for why in (
            "时长 5 至 20 分钟 (duration): its duration_minutes is 30, more than 20",
            "简介 20 至 200 字 (summary): its summary is 18 characters long, fewer than 20")]


def test_names_and_ids_lead_to_their_teachers(project: Project) -> None:
    namesakes_apart(project)
    course = project.content / "courses/tcm-baduanjin.md"
    text = course.read_text(encoding="utf-8")
    course.write_text(edit(edit(text, "duration_minutes: 30", "duration_minutes: 20"),
                           "summary: 八个动作、十几分钟，站着坐着都能练。",
                           "summary: 八个动作、十几分钟，站着坐着都能练，适合在家跟着视频一起做。"),
                      encoding="utf-8")
    catalogue = load_catalogue(project.content, project.root / "catalogue")
    people = {p.slug: p for p in catalogue.people if p.teacher is not None}
    assert sorted(people) == ["qian-wei-dong", "qian-weidong-sh"]  # the first keeps the name
    first, second = people["qian-wei-dong"], people["qian-weidong-sh"]
    assert (first.name, first.teacher and first.teacher.id) == ("钱卫东", "qian-weidong")
    assert (second.name, second.teacher and second.teacher.id) == ("钱卫东", "qian-weidong-sh")
    assert [e.id for e in first.entries] == ["ai-everyday", "baduanjin-xihu"]
    assert [e.id for e in second.entries] == ["tcm-baduanjin"]
    assert catalogue.person_of("qian-weidong-sh") is second
    assert catalogue.person_of("qian-weidong") is first
    assert catalogue.person_of("王教授") is None  # no entry names them now
    assert catalogue.teacher_of("钱卫东") is None  # two teachers have the name
    assert catalogue.display_name("qian-weidong-sh") == "钱卫东"
    assert catalogue.display_name("张三") == "张三"
    lecture = catalogue.by_id["ai-everyday"]
    assert catalogue.people_of(lecture) == [("speakers", "钱卫东")]
    assert {k: [e.id for e in v] for k, v in catalogue.activities_of.items()} == {
        "qian-weidong": ["baduanjin-xihu"]}
    # by when they start: the activity (2024) before the lecture (2026)
    assert [e.id for e in catalogue.held_at["xihu-senior-university"]] == [
        "baduanjin-xihu", "ai-everyday"]
    assert {k: [e.id for e in v] for k, v in catalogue.marked.items()} == {
        ("outstanding-micro-course", 2024): ["tcm-baduanjin"],
        ("outstanding-micro-course", 2023): ["tcm-baduanjin"],
        ("elder-friendly", 2024): ["taiji-basics"]}
    assert catalogue.by_id["taiji-basics"].marks == ({"standard": "elder-friendly", "year": 2024,
                                          "awarded_by": "国家老年大学", "score": 95.5,
                                          "notes": None},)


def test_one_teacher_of_a_name_is_found_by_it(project: Project) -> None:
    project.write_valid()
    catalogue = load_catalogue(project.content, project.root / "catalogue")
    teacher = catalogue.by_id["qian-weidong"]
    assert catalogue.teacher_of("钱卫东") is teacher
    assert catalogue.teacher_of("qian-weidong") is teacher
    person = catalogue.person_by_name["钱卫东"]
    assert catalogue.person_of("钱卫东") is catalogue.person_of("qian-weidong") is person
    assert (person.slug, person.teacher) == ("qian-wei-dong", teacher)
    assert [e.id for e in person.entries] == ["baduanjin-xihu", "tcm-baduanjin"]
    assert catalogue.person_by_name["王教授"].teacher is None


@pytest.mark.parametrize(("teachers", "message"), [
    ("[钱卫冬]", "teachers.0: no teacher has the name or id '钱卫冬'; did you mean '钱卫东'?"),
    ("[qian-weidng]",
     "teachers.0: no teacher has the name or id 'qian-weidng'; did you mean '钱卫东'?"),
    ("[钱卫东, xihu-senior-university]",
     "teachers.1: 'xihu-senior-university' is a centre, not a teacher"),
    ("[张三]", "teachers.0: no teacher has the name or id '张三'; a teacher is an entry in "
     "content/teachers/"),
])
def test_an_activity_is_shared_by_teachers_with_entries(project: Project, teachers: str,
                                                        message: str) -> None:
    project.write_valid()
    project.write("activities/baduanjin-xihu.md",
                  edit(ACTIVITY, "teachers: [钱卫东]", f"teachers: {teachers}"))
    assert project.check().stdout == f"{A}:8: {message}\n"


@pytest.mark.parametrize(("sections", "message"), [
    ("[community-educaton]", "sections.0: unknown section 'community-educaton'; did you mean "
     "'community-education' (社区教育与老年教育)?"),
    ("[reading, zz]", "sections.1: unknown section 'zz'; the sections are declared in "
     "catalogue/sections.yml"),
])
def test_a_centre_follows_sections_of_sections_yml(project: Project, sections: str,
                                                   message: str) -> None:
    project.write_valid()
    text = edit(CENTRE, "sections: [community-education]", f"sections: {sections}")
    project.write("centres/xihu-senior-university.md", text)
    assert project.check().stdout == \
        f"content/centres/xihu-senior-university.md:{line_of(text, 'sections:')}: {message}\n"


def test_every_problem_of_every_file_at_once(project: Project) -> None:
    project.write_valid()
    project.write("activities/baduanjin-xihu.md",
                  edit(ACTIVITY, "teachers: [钱卫东]", "teachers: [张三]"))
    output = check_marked(project, edit(edit(ELDER, "level: beginner", "level: advanced"),
                                        MARK, MARK.replace("2024", "2021")))
    assert output.splitlines() == [
        f"{A}:8: teachers.0: no teacher has the name or id '张三'; a teacher is an entry in "
        "content/teachers/",
        f"{C}:{LINE}: marks.0: 适老化优秀课程 (elder-friendly) requires 入门难度 (level): its "
        "level is 提高 (advanced), not 入门 (beginner)",
        f"{C}:{LINE}: marks.0.year: 适老化优秀课程 (elder-friendly) has been held since 2022, "
        "not in 2021"]


def test_teachers_centres_activities_and_marks_load(project: Project) -> None:
    project.write_valid()
    catalogue = load_catalogue(project.content, project.root / "catalogue")
    centre = catalogue.by_id["xihu-senior-university"]
    assert centre.values["coordinates"] == {"lat": 30.27, "lon": 120.13}
    assert centre.values["sections"] == ("community-education",)
    activity = catalogue.by_id["baduanjin-xihu"]
    assert activity.values["starts"] == dt.datetime.fromisoformat("2024-06-01T09:00:00+08:00")
    assert catalogue.held_at == {"xihu-senior-university": (activity,)}


def test_names_of_one_spelling_keep_their_addresses(project: Project) -> None:
    project.write("courses/a.md", edit(COURSE, "format: video", "format: video\n"
                                       "teachers: [王丽, 王莉]"))
    catalogue = load_catalogue(project.content, project.root / "catalogue")
    # The addresses people had before teachers had entries: pinyin and a hash of the name.
    assert {p.name: p.slug for p in catalogue.people} == {
        name: f"wang-li-{hashlib.sha1(name.encode()).hexdigest()[:6]}" for name in ("王丽", "王莉")}
