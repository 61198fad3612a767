"""Catalogue-wide rules: reserved addresses, featured picks, active content in files, and
URLs that agree with MkDocs'."""

from __future__ import annotations

import pytest
from mkdocs.utils import get_relative_url

from conftest import Project, edit
from lifelong.site.urls import UrlScheme, relative_url

SECTIONS = "catalogue/sections.yml"


def test_an_id_may_not_take_a_section_or_page_address(project: Project) -> None:
    project.write_valid()
    project.write("about.md", "# 关于\n")
    text = (project.content / "courses/tcm-baduanjin.md").read_text(encoding="utf-8")
    text = edit(text, "series_order: 2", "series_order: 7")
    project.write("courses/live.md", edit(text, "id: tcm-baduanjin", "id: live"))
    project.write("courses/about.md", edit(text.replace("series_order: 7", "series_order: 8"),
                                           "id: tcm-baduanjin", "id: about"))
    result = project.check()
    assert result.exit_code == 1
    assert "content/courses/live.md:3: id: 'live' is a reserved address on the site; " \
           "choose another id" in result.stdout
    assert "content/courses/about.md:3: id: 'about' is a reserved address on the site; " \
           "choose another id" in result.stdout


@pytest.mark.parametrize(("featured", "message"), [
    ("[no-such-entry]", "no entry has the id 'no-such-entry'"),
    ("[analects-reader]", "'analects-reader' is not in the section 'live'"),
])
def test_featured_picks_must_be_entries_of_the_section(project: Project, featured: str,
                                                       message: str) -> None:
    project.write_valid()
    sections = project.root / SECTIONS
    text = sections.read_text(encoding="utf-8")
    start = text.index("- slug: live")
    head, tail = text[:start], text[start:]
    sections.write_text(head + tail.replace("featured: []", f"featured: {featured}", 1),
                        encoding="utf-8")
    line = (head + tail.split("featured:")[0]).count("\n") + 1
    result = project.check()
    assert result.exit_code == 1
    assert f"{SECTIONS}:{line}: featured: {message}" in result.stdout


def test_svg_files_with_scripts_are_refused(project: Project) -> None:
    project.write_valid()
    covers = sorted((project.content / "courses" / "covers").glob("*.svg"))
    assert covers
    covers[0].write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                         encoding="utf-8")
    result = project.check()
    assert result.exit_code == 1
    assert "content/courses/tcm-baduanjin.md:10: cover: 'covers/tcm-baduanjin.svg' contains " \
           "active content ('onload='); scripts, event handlers and javascript: links are " \
           "not allowed" in result.stdout


@pytest.mark.parametrize(("target", "base"), [
    ("a/", "b/"), ("a/", "a/"), ("a/b/", ""), ("", "a/b/"), ("x.html", "a/b.html"),
    ("a/index.html", "a/page/2/index.html"), ("people/li/", "subjects/health/page/3/"),
    ("courses/covers/x.svg", "taiji/"), ("qr/t.svg", "t.html"), ("./", "a/"),
])
def test_relative_urls_match_mkdocs(target: str, base: str) -> None:
    expected = get_relative_url(target or ".", base or ".")
    ours = relative_url(target, base)
    assert ours.rstrip("/") == expected.rstrip("/") or (ours, expected) == ("./", ".")


def test_url_scheme_matches_mkdocs_file_urls() -> None:
    from mkdocs.structure.files import File

    for directory_urls in (True, False):
        scheme = UrlScheme(directory_urls)
        for src, page in [("subjects/health/index.md", "subjects/health"),
                          ("index.md", ""), ("a/page/2/index.md", "a/page/2")]:
            file = File(src, "/docs", "/site", directory_urls)
            assert scheme.page_url(page) == file.url
        entry = File("taiji.md", "/docs", "/site", directory_urls)
        assert scheme.entry_url("taiji") == entry.url
        assert scheme.entry_dest("taiji") == entry.dest_uri


def test_an_unquoted_isbn_starting_with_zero_asks_for_quotes(project: Project) -> None:
    project.write_valid()
    path = project.content / "reading/analects-reader.md"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.split("\n"), 1) if t.startswith("isbn:"))
    path.write_text("\n".join("isbn: 0306406152" if t.startswith("isbn:") else t
                              for t in text.split("\n")), encoding="utf-8")
    result = project.check()
    assert result.stdout == (f"content/reading/analects-reader.md:{line}: isbn: write the ISBN "
                             "in quotes, e.g. isbn: '0306406152' (without quotes a number "
                             "starting with 0 is misread)\n")
    path.write_text(text.replace(text.split("isbn:")[1].split("\n")[0], " '0306406152'"),
                    encoding="utf-8")
    assert project.check().exit_code == 0
