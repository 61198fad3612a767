"""Likely duplicates: `lifelong check` warns with both files and lines, and never fails for
them unless --strict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import COURSE, EBOOK, Project, edit
from lifelong.build.loading import load_catalogue
from lifelong.catalogue.duplicates import find_duplicates, isbn13
from lifelong.catalogue.model import Entry

A, B = "content/reading/analects-reader.md", "content/reading/analects-reader-2.md"
SAME_ISBN = (f"{B}:11: warning: likely duplicate of {A}:11 (same ISBN 9787020002207, "
             "written 702000220X here)")


def second(text: str = EBOOK) -> str:
    """Another e-book file: its own id and code-free, otherwise ``text``."""
    return edit(text, "id: analects-reader\n", "id: analects-reader-2\n")


def write_pair(project: Project, other: str) -> None:
    project.write("reading/files/analects.pdf", b"%PDF-1.4\n")
    project.write("reading/analects-reader.md", EBOOK)
    project.write("reading/analects-reader-2.md", other)


def test_the_same_isbn_written_as_isbn10_and_isbn13_is_a_warning(project: Project) -> None:
    write_pair(project, edit(edit(second(), "isbn: 978-7-02-000220-7", "isbn: 7-02-000220-X"),
                             "title: 论语选读", "title: 论语选读（新版）"))
    result = project.check()
    assert result.stdout == f"{SAME_ISBN}\nOK: 2 entries, no problems; 1 warning.\n"
    assert result.stderr == ""
    assert result.exit_code == 0


def test_an_entry_that_says_it_is_not_a_duplicate_is_not_warned_about(
        project: Project) -> None:
    other = edit(second(), "isbn: 978-7-02-000220-7", "isbn: 7-02-000220-X")
    write_pair(project, edit(other, "title: 论语选读\n",
                             "title: 论语选读\nnot_duplicate_of: [analects-reader]\n"))
    result = project.check()
    assert result.stdout == "OK: 2 entries, no problems.\n"
    assert result.exit_code == 0


def test_isbn10_becomes_the_isbn13_of_the_same_book() -> None:
    assert isbn13("7-02-000220-X") == isbn13("978-7-02-000220-7") == "9787020002207"
    assert isbn13("7-02-000220-1") is None  # a wrong check digit is no ISBN


def test_the_same_title_and_author_in_traditional_and_simplified_is_a_warning(
        project: Project) -> None:
    project.write("reading/files/analects.pdf", b"%PDF-1.4\n")
    project.write("reading/analects-reader.md",
                  edit(edit(EBOOK, "title: 论语选读", "title: 論語"), "isbn: 978-7-02-000220-7\n",
                       ""))
    project.write("reading/analects-reader-2.md",
                  edit(edit(edit(second(), "title: 论语选读", "title: 论语"),
                            "isbn: 978-7-02-000220-7\n", ""), "[杨伯峻]", "[楊伯峻, 钱穆]"))
    result = project.check()
    assert result.stdout.splitlines() == [
        f"{B}:4: warning: likely duplicate of {A}:4 (same title '论语' here, '論語' there and "
        "author '楊伯峻')",
        "OK: 2 entries, no problems; 1 warning."]
    assert result.exit_code == 0


def test_the_same_title_by_different_authors_is_not_a_duplicate(project: Project) -> None:
    write_pair(project, edit(edit(second(), "[杨伯峻]", "[钱穆]"),
                             "isbn: 978-7-02-000220-7\n", ""))
    result = project.check()
    assert result.stdout == "OK: 2 entries, no problems.\n"
    assert result.exit_code == 0


def test_json_lists_warnings_with_their_severity_and_both_files(project: Project) -> None:
    write_pair(project, edit(second(), "title: 论语选读", "title: 论语选读（新版）"))
    result = project.check("--format", "json")
    assert json.loads(result.stdout) == {"count": 1, "errors": 0, "warnings": 1, "problems": [
        {"path": B, "line": 11, "field": None, "severity": "warning",
         "message": f"likely duplicate of {A}:11 (same ISBN 9787020002207)",
         "related": [{"path": A, "line": 11}]}]}
    assert result.exit_code == 0


def test_github_annotates_a_warning(project: Project) -> None:
    write_pair(project, edit(second(), "title: 论语选读", "title: 论语选读（新版）"))
    result = project.check("--format", "github")
    assert result.stdout == (f"::warning file={B},line=11::likely duplicate of {A}:11 "
                             "(same ISBN 9787020002207)\n")
    assert result.exit_code == 0


def test_errors_and_warnings_are_reported_together_and_only_errors_fail(
        project: Project) -> None:
    write_pair(project, edit(edit(second(), "isbn: 978-7-02-000220-7", "isbn: 7-02-000220-X"),
                             "title: 论语选读", "title: 论语选读（新版）"))
    project.write("courses/a.md", edit(COURSE, "format: video", "format: vidoe"))
    result = project.check()
    assert result.stdout.splitlines() == [
        "content/courses/a.md:9: format: unknown term 'vidoe' in formats; did you mean "
        "'video' (视频)?", SAME_ISBN]
    assert result.stderr == "1 problem and 1 warning found.\n"
    assert result.exit_code == 1


def test_strict_fails_on_warnings_and_no_duplicates_skips_them(project: Project) -> None:
    write_pair(project, second())
    strict = project.check("--strict")
    assert strict.stdout.splitlines()[0].startswith(f"{B}:11: warning: likely duplicate of")
    assert strict.stderr == "1 warning found.\n"
    assert strict.exit_code == 1
    skipped = project.check("--no-duplicates", "--strict")
    assert skipped.stdout == "OK: 2 entries, no problems.\n"
    assert skipped.exit_code == 0
    # The build loads without looking: duplicates never stop it.
    assert len(load_catalogue(project.content, project.root / "catalogue").entries) == 2


def test_a_duplicate_is_shown_when_either_file_is_checked(project: Project) -> None:
    write_pair(project, second())
    project.write("courses/a.md", COURSE)
    for named in (A, B):
        result = project.check(str(project.root / named))
        assert result.stdout.splitlines()[0].startswith(f"{B}:11: warning: ")
    result = project.check(str(project.content / "courses"))
    assert result.stdout == "OK: 3 entries, no problems.\n"


# --- the rules, on entries as the loader makes them ------------------------------------------


def entry(path: str, kind: str = "ebook", **values: Any) -> tuple[Entry, dict[Any, int]]:
    values = {"title": "Anthem", "authors": ("Ayn Rand",), **values}
    lines = {(name,): number for number, name in enumerate(values, 2)}  # title: line 2
    lines[("identifiers", 0, "value")] = 40
    return Entry(Path(path).stem, kind, path, values), lines


def messages(*entries: tuple[Entry, dict[Any, int]]) -> list[str]:
    return [str(p) for p in find_duplicates(list(entries))]


def test_an_isbn_among_identifiers_matches_the_isbn_field() -> None:
    assert messages(entry("reading/anthem.md", isbn="9780452284241"),
                    entry("reading/anthem-2.md", title="Anthem: a novella",
                          identifiers=({"scheme": "isbn", "value": "0-452-28424-4"},))) == [
        "reading/anthem-2.md:40: warning: likely duplicate of content/reading/anthem.md:4 "
        "(same ISBN 9780452284241, written 0-452-28424-4 here)"]


@pytest.mark.parametrize(("first", "other", "found"), [
    # a series marker and case, spaces and punctuation do not count
    ({"title": "The Hunger Games (The Hunger Games, #1)"}, {"title": "the hunger-games"},
     "same title 'the hunger-games' here, 'The Hunger Games (The Hunger Games, #1)' there "
     "and author 'Ayn Rand'"),
    # one typo in a long title
    ({"title": "Harry Potter and the Sorcerer's Stone"},
     {"title": "Harry Potter and the Sorcerer's Stonee"},
     "nearly the same title 'Harry Potter and the Sorcerer's Stonee' here, 'Harry Potter and "
     "the Sorcerer's Stone' there and author 'Ayn Rand'"),
    # a contributor with a role is a person too
    ({}, {"authors": (), "contributors": ({"name": "AYN RAND", "role": "editor"},)},
     "same title 'Anthem' and editor 'AYN RAND'"),
    # volumes, editions and languages that differ
    ({"title": "Fables (Fables, #1)"}, {"title": "Fables (Fables, #2)"}, None),
    ({"title": "Harry Potter and the Sorcerer's Stone 1"},
     {"title": "Harry Potter and the Sorcerer's Stone 2"}, None),
    ({"isbn": "9780452284241"}, {"isbn": "9780451191137"}, None),
    ({"language": "zh"}, {"language": "lzh"}, None),
    ({"series": "s", "series_order": 1}, {"series": "s", "series_order": 2}, None),
    # an editor's word
    ({}, {"not_duplicate_of": ("anthem",)}, None),
    ({"not_duplicate_of": ("anthem-2",)}, {}, None),
    # a short title with one more character is another title
    ({"title": "论语"}, {"title": "论语注"}, None),
])
def test_what_makes_a_likely_duplicate(first: dict[str, Any], other: dict[str, Any],
                                       found: str | None) -> None:
    result = messages(entry("reading/anthem.md", **first), entry("reading/anthem-2.md", **other))
    assert result == ([f"reading/anthem-2.md:2: warning: likely duplicate of "
                       f"content/reading/anthem.md:2 ({found})"] if found else [])


def test_entries_of_other_kinds_share_titles_but_not_isbns() -> None:
    assert messages(entry("reading/anthem.md"), entry("lectures/anthem-2.md", "lecture")) == []
    assert len(messages(entry("reading/anthem.md", isbn="9780452284241"),
                        entry("lectures/anthem-2.md", "lecture", title="x",
                              isbn="9780452284241"))) == 1


def test_copies_each_name_the_first_once() -> None:
    assert messages(*(entry(f"reading/anthem-{n}.md", isbn="9780452284241", title=f"T{n}")
                      for n in (3, 1, 2))) == [
        f"reading/anthem-{n}.md:4: warning: likely duplicate of content/reading/anthem-1.md:4 "
        "(same ISBN 9780452284241)" for n in (2, 3)]
