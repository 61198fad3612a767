"""The content model for real records (issue 18): periods, identifiers, contributors,
licences, long courses with prerequisites, e-books by their contributors, ISO 639 languages;
each rule with its exact message, and the pages, data and feeds that show them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import COURSE, EBOOK, REPO, Project, edit
from lifelong.catalogue.model import Entry
from lifelong.catalogue.periods import Period, PeriodError, parse
from lifelong.catalogue.schema import load_rules
from lifelong.search.index import year_of
from lifelong.site.render import duration_text, period_text
from sitekit import build_site, course, one_of_each, read, write_project

RULES = load_rules(REPO / "catalogue")
DYNASTIES = RULES.vocabularies["dynasties"]
B = "content/reading/b.md"  # where the tests put their one e-book
C = "content/courses/a.md"


def check_ebook(project: Project, old: str, new: str) -> str:
    """``lifelong check`` of the valid e-book with one edit: its report."""
    project.write("reading/b.md", edit(EBOOK, old, new))
    project.write("reading/files/analects.pdf", b"%PDF")
    return project.check().stdout


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "value", "again"), [
    (1923, 1923, "1923"),
    ("1923", 1923, "1923"),
    ("公元618年", 618, "618"),
    ("AD 618", 618, "618"),
    (-500, Period(-500, -500), "-500"),
    ("前500", Period(-500, -500), "-500"),
    ("公元前500年", Period(-500, -500), "-500"),
    ("500 BCE", Period(-500, -500), "-500"),
    ("500 BC", Period(-500, -500), "-500"),
    ("1920-1925", Period(1920, 1925), "1920-1925"),
    ("1920–1925", Period(1920, 1925), "1920-1925"),
    ("1920至1925", Period(1920, 1925), "1920-1925"),
    ("前500-前400", Period(-500, -400), "-500--400"),
    ("500-400 BCE", Period(-500, -400), "-500--400"),
    ("前206年—公元8年", Period(-206, 8), "-206-8"),
    ("唐", Period(618, 907, "tang", own_years=True), "tang"),
    ("tang", Period(618, 907, "tang", own_years=True), "tang"),
    ("唐朝", Period(618, 907, "tang", own_years=True), "tang"),
    ("Tang dynasty", Period(618, 907, "tang", own_years=True), "tang"),
    ("唐 756", Period(756, 756, "tang"), "tang 756"),
    ("唐（755–763）", Period(755, 763, "tang"), "tang 755-763"),
    ("西周（前1046–前771）", Period(-1046, -771, "western-zhou"), "western-zhou -1046--771"),
    ("前汉", Period(-202, 8, "western-han", own_years=True), "western-han"),
])
def test_periods_are_read_as_editors_write_them(written: object, value: object,
                                                again: str) -> None:
    """Each is read as the period meant, and written back (the data export) as text that
    reads as the same period."""
    assert parse(written, DYNASTIES) == value
    assert str(value) == again
    assert parse(again, DYNASTIES) == value


@pytest.mark.parametrize(("written", "message"), [
    (0, "there is no year 0: 1 BCE (前1) is followed by 1 CE (1)"),
    ("1925-1920", "the range '1925-1920' ends before it starts; write the earlier year first, "
                  "e.g. 1920-1925 or 前500-前400"),
    ("Tnag", "unknown dynasty 'Tnag'; did you mean 'tang' (唐)?"),
    ("Tnag 700", "unknown dynasty 'Tnag'; did you mean 'tang' (唐)?"),
    ("塘", "unknown dynasty '塘'; the dynasties are listed in "
          "catalogue/vocabularies/dynasties.yml"),
    ("唐 1000", "1000 is not within 唐 (618 to 907); check the dynasty and the years"),
    ("秦 前300-前210", "300 BCE to 210 BCE is not within 秦 (221 BCE to 207 BCE); check the "
                     "dynasty and the years"),
    ("abc 12x", "'abc 12x' is not a year, a range of years or a dynasty; write it e.g. 1923, "
                "1920-1925, 前500 (500 BCE), 唐 or 唐 756; dynasties are listed in "
                "catalogue/vocabularies/dynasties.yml"),
    (True, "expected a year, a range of years or a dynasty, e.g. 1923, 1920-1925, "
           "前500 (500 BCE), 唐 or 唐 756"),
    (2200, "2200 is more than the maximum 2100"),
    ("公元前5000年", "5000 BCE is earlier than the earliest year allowed, 3000 BCE"),
])
def test_a_value_that_is_not_a_period_says_why(written: object, message: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse(written, DYNASTIES, -3000, 2100)
    assert str(error.value) == message


def test_a_bad_period_is_reported_at_its_line(project: Project) -> None:
    report = check_ebook(project, "year: 2006", "year: 唐 1000")
    assert report == f"{B}:{line_of(EBOOK, 'year:')}: year: 1000 is not within 唐 (618 to 907); " \
                     "check the dynasty and the years\n"


@pytest.mark.parametrize(("value", "zh", "en"), [
    (1923, "1923", "1923"),
    (Period(1920, 1925), "1920–1925", "1920–1925"),
    (Period(-500, -500), "公元前500年", "500 BCE"),
    (Period(-500, -400), "公元前500–前400年", "500–400 BCE"),
    (Period(-206, 8), "公元前206年–公元8年", "206 BCE – 8 CE"),
    (Period(618, 907, "tang", own_years=True), "唐（618–907）", "Tang (618–907)"),
    (Period(-475, -221, "warring-states", own_years=True), "战国（公元前475–前221年）",
     "Warring States period (475–221 BCE)"),
])
def test_periods_read_as_readers_expect(value: int | Period, zh: str, en: str) -> None:
    def label(lang: str) -> object:
        return lambda term: DYNASTIES.terms[term].label.get(lang)
    assert period_text(value, "zh", label("zh")) == zh  # type: ignore[arg-type]
    assert period_text(value, "en", label("en")) == en  # type: ignore[arg-type]


def test_long_courses_are_given_in_hours() -> None:
    assert [duration_text(n, "zh") for n in (18, 90, 120, 9000, 125)] == [
        "18 分钟", "90 分钟", "2 小时", "150 小时", "125 分钟"]
    assert duration_text(9000, "en") == "150 hours"


# --- identifiers, contributors, licences, languages ------------------------------------


@pytest.mark.parametrize(("scheme", "value", "message"), [
    ("isbn", "978-7-02-000220-8", "ISBN 978-7-02-000220-8 has a wrong check digit; check for a "
                                  "typo"),
    ("isbn", "7-02", "'7-02' is not an ISBN: 10 or 13 digits (hyphens allowed)"),
    ("doi", "11.1000/182", "'11.1000/182' is not a DOI: it starts with 10. and a number of 4 to "
                           "9 digits, then / and the item's own part, e.g. 10.1000/182"),
    ("issn", "0317-8472", "ISSN 0317-8472 has a wrong check digit; check for a typo"),
    ("issn", "317-8471", "'317-8471' is not an ISSN: 8 digits (the last may be X), e.g. "
                         "0317-8471"),
    ("uri", "ftp://example.org/x", "only http:// and https:// addresses are allowed, not 'ftp:'"),
])
def test_identifiers_are_checked_by_their_scheme(project: Project, scheme: str, value: str,
                                                 message: str) -> None:
    report = check_ebook(project, "pages: 120", f"pages: 120\nidentifiers:\n"
                                                f"  - scheme: {scheme}\n    value: '{value}'")
    line = line_of(EBOOK, "pages:") + 3
    assert report == f"{B}:{line}: identifiers.0.value: {message}\n"


def test_identifiers_are_kept_normalised(project: Project) -> None:
    from lifelong.build.loading import load_catalogue

    project.write("reading/b.md", edit(EBOOK, "pages: 120", """pages: 120
identifiers:
  - {scheme: doi, value: 'https://doi.org/10.1000/182'}
  - {scheme: isbn, value: 978-7-02-000220-7}
  - {scheme: issn, value: 03178471}
  - {scheme: source, value: ' A-17 '}"""))
    project.write("reading/files/analects.pdf", b"%PDF")
    entry = load_catalogue(project.content, project.root / "catalogue").by_id["analects-reader"]
    assert [i["value"] for i in entry.get("identifiers")] == [
        "10.1000/182", "9787020002207", "0317-8471", "A-17"]


def test_an_unknown_contributor_role_suggests_the_term(project: Project) -> None:
    report = check_ebook(project, "pages: 120", "pages: 120\ncontributors:\n"
                                                "  - {name: 郑玄, role: 注者}")
    line = line_of(EBOOK, "pages:") + 2
    assert report == f"{B}:{line}: contributors.0.role: unknown term '注者' in " \
                     "contributor_roles; did you mean 'commentator' (注)?\n"


def test_an_ebook_names_its_authors_or_its_contributors(project: Project) -> None:
    assert check_ebook(project, "authors: [杨伯峻]\n", "") == \
        f"{B}:2: authors: missing required field (or give contributors instead)\n"
    assert check_ebook(project, "authors: [杨伯峻]",
                       "contributors: [{name: 杨伯峻, role: translator}]") == \
        "OK: 1 entry, no problems.\n"


@pytest.mark.parametrize(("written", "hint"), [
    ("spa", "did you mean 'es' (西班牙语)?"),
    ("chi", "did you mean 'zh' (普通话)?"),
    ("Classical Chinese", "did you mean 'lzh' (文言)?"),
])
def test_iso_639_codes_and_names_lead_to_the_language_term(project: Project, written: str,
                                                           hint: str) -> None:
    project.write("courses/a.md", edit(COURSE, "format: video", f"format: video\n"
                                                               f"language: {written}"))
    assert project.check().stdout == f"{C}:10: language: unknown term {written!r} in " \
                                     f"languages; {hint}\n"


def test_the_languages_are_iso_639() -> None:
    from babel import Locale

    terms = RULES.vocabularies["languages"].terms
    assert {code for code in Locale("en").languages if len(code) == 2} <= set(terms)
    assert {"lzh", "yue", "wuu", "nan", "hak", "bo", "ug", "mn", "ii", "za", "kk", "ko"} \
        <= set(terms)
    assert terms["lzh"].label.zh == "文言"
    assert all(term.label.zh and term.label.en for term in terms.values())


def test_vocabulary_years_must_be_a_first_and_a_last(project: Project) -> None:
    path = project.root / "catalogue/vocabularies/dynasties.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(edit(text, "years: [618, 907]", "years: [907, 618]"), encoding="utf-8")
    line = line_of(text, "  tang:")
    assert project.check().stdout == (
        f"catalogue/vocabularies/dynasties.yml:{line}: terms.tang.years: years must be "
        "[first, last], BCE years negative, e.g. years: [618, 907]\n")


# --- long courses and prerequisites --------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("duration_minutes: 18", "duration_minutes: 100001", 8,
     "duration_minutes: 100001 is more than the maximum 100000"),
    ("format: video", "format: video\nweeks: 521", 10, "weeks: 521 is more than the maximum 520"),
    ("format: video", "format: video\nprerequisites: [taiji-basic]", 10,
     "prerequisites: no entry has the id 'taiji-basic'; did you mean 'taiji-basics'?"),
    ("format: video", "format: video\nprerequisites: [taiji-basics]", 10,
     "prerequisites: an entry cannot refer to itself"),
])
def test_course_length_and_prerequisites(project: Project, old: str, new: str, line: int,
                                         message: str) -> None:
    project.write("courses/a.md", edit(COURSE, old, new))
    assert project.check().stdout == f"{C}:{line}: {message}\n"


def test_a_prerequisite_is_a_course(project: Project) -> None:
    project.write_valid()
    project.write("courses/a.md", edit(COURSE, "format: video",
                                       "format: video\nduration_minutes: 9000\nweeks: 16\n"
                                       "prerequisites: [tcm-baduanjin, analects-reader]"
                                       ).replace("duration_minutes: 18\n", ""))
    assert project.check().stdout == f"{C}:11: prerequisites: 'analects-reader' is a ebook, " \
                                     "not a course\n"


# --- pages, people, data, feeds ------------------------------------------------------------

CLASSIC = {"kind": "ebook", "id": "zhouli", "title": "周礼注疏", "summary": "经注疏合刊。",
           "subjects": ["classics"], "published": "2025-03-20", "language": "lzh",
           "original_title": "周禮注疏", "year": "唐", "volumes": 2, "licence": "cc-by-4.0",
           "contributors": [{"name": "周公旦", "role": "writer"},
                            {"name": "郑玄", "role": "commentator"},
                            {"name": "贾公彦", "role": "sub-commentator"}],
           "identifiers": [{"scheme": "doi", "value": "10.1000/182"},
                           {"scheme": "source", "value": "SSJZS-0301"}],
           "files": [{"type": "txt", "link": "https://example.org/zhouli.txt"}]}
LONG = course("tcm-year", title="中医养生系统课", duration_minutes=9000, weeks=16,
              prerequisites=["taiji-basics", "phone-1"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("model")
    return build_site(write_project(root, [*one_of_each(), CLASSIC, LONG]))


def details(html: str) -> str:
    """The entry's details panel, whitespace squeezed."""
    return re.sub(r"\s+", " ", html.split('<dl data-ll-read="rows">')[1].split("</dl>")[0])


def test_an_entry_page_shows_the_new_fields(site: Path) -> None:
    book = details(read(site, "zhouli/index.html"))
    for row in ["<div><dt>原名</dt><dd>周禮注疏</dd></div>",
                "<div><dt>年代</dt><dd>唐（618–907）</dd></div>",
                "<div><dt>册数</dt><dd>2 册</dd></div>",
                '<div><dt>撰</dt><dd><a href="../people/zhou-gong-dan/">周公旦</a></dd></div>',
                '<div><dt>注</dt><dd><a href="../people/zheng-xuan/">郑玄</a></dd></div>',
                '<div><dt>疏</dt><dd><a href="../people/jia-gong-yan/">贾公彦</a></dd></div>',
                "<div><dt>语言</dt><dd>文言</dd></div>",
                '<div><dt>许可协议</dt><dd><a href="https://creativecommons.org/licenses/by/4.0/"'
                ' rel="license noopener noreferrer" class="ll-external">署名 4.0 国际（CC BY 4.0）'
                "</a></dd></div>",
                '<div><dt>标识符</dt><dd>DOI（数字对象标识符） <a href="https://doi.org/10.1000/182"'
                ' rel="noopener noreferrer" class="ll-external">10.1000/182</a>；来源编号 '
                "SSJZS-0301</dd></div>"]:
        assert row in book
    long = details(read(site, "tcm-year/index.html"))
    for row in ["<div><dt>时长</dt><dd>150 小时</dd></div>",
                "<div><dt>周数</dt><dd>16 周</dd></div>",
                '<div><dt>先修课程</dt><dd><a href="../taiji-basics/">二十四式太极拳入门</a>、'
                '<a href="../phone-1/">第一讲 开机与设置</a></dd></div>']:
        assert row in long
    assert '<span class="ll-facts"><span>150 小时</span><span>16 周</span>' in \
        read(site, "subjects/exercise/index.html")


def test_contributors_have_people_pages_with_their_roles(site: Path) -> None:
    page = read(site, "people/zheng-xuan/index.html")
    assert "<p class=\"ll-intro\">参与方式：注（1）</p>" in page
    assert 'href="../../zhouli/"' in page


def test_jsonld_and_data_carry_the_new_fields(site: Path) -> None:
    html = read(site, "zhouli/index.html")
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["author"] == [{"@type": "Person", "name": "周公旦"}]
    assert data["contributor"] == [{"@type": "Person", "name": "郑玄"},
                                   {"@type": "Person", "name": "贾公彦"}]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["dateCreated"] == "0618/0907"
    assert data["identifier"][1] == {"@type": "PropertyValue", "propertyID": "doi",
                                     "value": "10.1000/182"}
    line = next(json.loads(text) for text in read(site, "data/ebook.jsonl").splitlines()
                if '"id":"zhouli"' in text)
    assert (line["year"], line["volumes"], line["licence"], line["original_title"]) == (
        "tang", 2, "cc-by-4.0", "周禮注疏")
    assert line["contributors"][1] == {"name": "郑玄", "role": "commentator"}
    course_line = next(json.loads(text) for text in read(site, "data/course.jsonl").splitlines()
                       if '"id":"tcm-year"' in text)
    assert course_line["prerequisites"] == ["taiji-basics", "phone-1"]


def test_opds_gives_contributors_with_their_roles(site: Path) -> None:
    atom = read(site, "opds/all/1.xml")
    entry = atom[atom.index("<title>周礼注疏</title>"):].split("</entry>")[0]
    assert "<author><name>周公旦</name>" in entry
    assert "<contributor><name>郑玄</name>" in entry
    assert "<dc:issued>0618</dc:issued>" in entry
    feed = json.loads(read(site, "opds/all/1.json"))
    book = next(p["metadata"] for p in feed["publications"]
                if p["metadata"]["title"] == "周礼注疏")
    assert [a["name"] for a in book["author"]] == ["周公旦"]
    assert [c["name"] for c in book["contributor"]] == ["郑玄", "贾公彦"]



@pytest.mark.parametrize(("year", "filed"), [
    (1923, 1923), (Period(1920, 1925), 1925), (Period(618, 907, "tang", own_years=True), 907),
])
def test_the_year_facet_files_a_period_under_its_last_year(year: object, filed: int) -> None:
    """A book of 1920-1925 is of 1925 to the search's year filter, a Tang text of 907."""
    entry = Entry(id="b", kind="ebook", path="reading/b.md",
                  values={"year": year, "published": dt.date(2024, 5, 1)})
    assert year_of(entry) == filed
