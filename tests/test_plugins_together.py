"""The catalogue next to the MkDocs plugins people add (README: "Works with"): each in a tiny
site built for real, strict. mkdocs-redirects lands on entry pages; mkdocs-static-i18n is
refused with what to use instead; mkdocs-minify-plugin minifies what MkDocs draws and the
catalogue's own script and style sheet, and may not rename the scripts it loads by name."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path
from typing import Any

import jsmin
import pytest
from mkdocs.exceptions import Abort

from lifelong.mkdocs.compat import minified_script
from searchkit import NODE
from sitekit import build_site, course, one_of_each, read, write_project


def project(root: Path, *others: dict[str, Any], drafts: tuple[str, ...] = (),
            **mkdocs: Any) -> Path:
    """A tiny project whose mkdocs.yml lists the catalogue, then ``others``; one course
    draft for each of ``drafts``."""
    plugins = [{"lifelong/catalogue": {"page_size": 2}}, *others]
    entries = [*one_of_each(), *(course(name, draft=True) for name in drafts)]
    return write_project(root, entries, mkdocs={"plugins": plugins, **mkdocs})


# -- mkdocs-redirects ---------------------------------------------------------------------

REDIRECTS = {"redirects": {"redirect_maps": {"old-taiji.md": "courses/taiji-basics.md",
                                             "old/lunyu.md": "reading/lunyu.md",
                                             "old-about.md": "about.md"}}}


def landing(site: Path, redirect: str) -> Path:
    """The file that the redirect page ``redirect`` sends its reader to."""
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', read(site, redirect))
    assert found, redirect
    target = (site / redirect).parent / found[1]
    return (target / "index.html" if found[1].endswith("/") else target).resolve()


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_redirect_to_an_entry_file_lands_on_the_entry_page(tmp_path: Path,
                                                            directory_urls: bool) -> None:
    site = build_site(project(tmp_path, REDIRECTS, use_directory_urls=directory_urls))

    def page(name: str) -> str:
        return f"{name}/index.html" if directory_urls else f"{name}.html"

    for old, new in [("old-taiji", "taiji-basics"), ("old/lunyu", "lunyu"),
                     ("old-about", "about")]:
        assert landing(site, page(old)) == (site / page(new)).resolve()
    assert 'class="ll-entry ll-entry--course"' in read(site, page("taiji-basics"))
    assert not (site / "courses" / page("taiji-basics")).exists()


def test_a_redirect_to_a_draft_entry_is_a_warning(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    redirects = {"redirects": {"redirect_maps": {"old-draft.md": "courses/drafty.md"}}}
    with pytest.raises(Abort, match="1 warnings in strict mode"):
        build_site(project(tmp_path, redirects, drafts=("drafty",)))
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "lifelong/catalogue: the 'redirects' plugin's redirect from 'old-draft.md' leads "
        "nowhere: 'courses/drafty.md' is a draft, which is not published."]
    caplog.clear()  # expected: the autouse check fails a test on any other warning


# -- mkdocs-static-i18n -------------------------------------------------------------------

def test_static_i18n_is_refused_with_the_catalogue_option_to_use_instead(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    i18n = {"i18n": {"languages": [{"locale": "zh", "default": True, "name": "中文"},
                                   {"locale": "en", "name": "English"}]}}
    with pytest.raises(Abort, match="BuildError"):  # a PluginError: a message, no traceback
        build_site(project(tmp_path, i18n))
    assert "lifelong/catalogue: the 'i18n' plugin (mkdocs-static-i18n) cannot build the " \
           "catalogue" in caplog.text
    assert "set the catalogue's own `language` option (zh or en)" in caplog.text
    assert not (tmp_path / "site" / "taiji-basics").exists()


# -- mkdocs-minify-plugin -----------------------------------------------------------------

MINIFY = {"minify": {"minify_html": True, "minify_js": True, "minify_css": True,
                     "js_files": ["assets/lifelong/lifelong.js"],
                     "css_files": ["assets/lifelong/lifelong.css"]}}


@pytest.fixture(scope="module")
def minified(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(project(tmp_path_factory.mktemp("minify"), MINIFY))


def test_minify_html_reaches_pages_mkdocs_draws_and_catalogue_pages_are_squeezed(
        minified: Path) -> None:
    assert read(minified, "about/index.html").startswith("<!doctype html><html lang=zh-CN ")
    ours = read(minified, "taiji-basics/index.html")  # drawn after MkDocs' on_post_page
    assert '<html lang="zh-CN"' in ours
    assert not re.search(r"(?m)^[ \t]", ours)  # squeeze_whitespace: no indentation left


def test_minified_script_and_style_sheet_are_what_every_page_loads(minified: Path) -> None:
    for page, up in [("index.html", ""), ("about/index.html", "../"),
                     ("taiji-basics/index.html", "../"), ("subjects/exercise/index.html",
                                                          "../../")]:
        html = read(minified, page)
        assert re.search(rf'<script src="?{up}assets/lifelong/lifelong\.min\.js', html), page
        assert re.search(rf'href="?{up}assets/lifelong/lifelong\.min\.css', html), page
    assert not (minified / "assets/lifelong/lifelong.js").exists()
    assert "\n" not in read(minified, "assets/lifelong/lifelong.min.css").strip()


def test_the_search_engine_keeps_its_name_and_every_script_parses(minified: Path,
                                                                   tmp_path: Path) -> None:
    script = read(minified, "assets/lifelong/lifelong.min.js")
    assert '"assets/lifelong/search.js"' in script  # loaded by that name: not renamed
    # What minify's jsmin makes of search.js parses too: only minify's rename would break it.
    squeezed = tmp_path / "search.min.js"
    squeezed.write_text(jsmin.jsmin(read(minified, "assets/lifelong/search.js"),
                                    quote_chars="'\"`"), encoding="utf-8")
    for path in [minified / name for name in ("assets/lifelong/lifelong.min.js",
                                              "assets/lifelong/search.js", "version.js",
                                              "search/lunr.js")] + [squeezed]:
        checked = subprocess.run([NODE, "--check", str(path)], capture_output=True,
                                 text=True, timeout=60, check=False)
        assert checked.returncode == 0, f"{path}: {checked.stderr}"


@pytest.mark.parametrize(("pattern", "taken"), [
    ("assets/lifelong/*.js", "assets/lifelong/search.js"),
    ("assets/lifelong/search.js", "assets/lifelong/search.js"),
    ("**/*.js", "assets/lifelong/search.js"),
    ("*.js", "version.js"),
    ("search/*.js", "search/"),
    ("*/*.js", "search/lunr.js"),
    ("assets/lifelong/lifelong.js", None),
    ("assets/javascripts/*.js", None),
    ("extra/*.js", None),
])
def test_minify_js_files_that_take_in_a_catalogue_script(pattern: str, taken: str | None
                                                         ) -> None:
    assert minified_script(pattern) == taken


@pytest.mark.parametrize(("options", "message"), [
    ({"minify_js": True, "js_files": ["assets/lifelong/*.js"]},
     "js_files entry 'assets/lifelong/*.js' takes in assets/lifelong/search.js, which the "
     "catalogue loads by that name (minify renames what it minifies): leave it out."),
    ({"minify_css": True, "cache_safe": True, "css_files": ["assets/lifelong/lifelong.css"]},
     "with cache_safe reads assets/lifelong/lifelong.css from docs_dir or theme.custom_dir, "
     "but the catalogue brings it from its package: leave it out of css_files, or turn "
     "cache_safe off."),
])
def test_minify_options_that_would_break_the_catalogue_are_refused(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, options: dict[str, Any],
        message: str) -> None:
    with pytest.raises(Abort, match="BuildError"):
        build_site(project(tmp_path, {"minify": options}))
    assert f"lifelong/catalogue: the 'minify' plugin (mkdocs-minify-plugin) {message}" \
        in caplog.text


# -- MkDocs' walk of content/ ---------------------------------------------------------------------

def test_the_quick_walk_finds_what_mkdocs_finds(tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """``lifelong build`` has MkDocs make entry files ``EntrySource``s as it finds them (a
    second at 90,000 entries): the build then holds the same files as with MkDocs' own walk,
    in the same order, addresses and inclusion (README beside index, a draft, an excluded
    file and a hand-written page included)."""
    import mkdocs.commands.build
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from lifelong.mkdocs.files import EntrySource, catalogue_files, quick_walk

    config_file = project(tmp_path, drafts=("draft-course",), exclude_docs="secret.md\n")
    content = tmp_path / "content"
    (content / "README.md").write_text("# README\n", encoding="utf-8")  # beside index.md
    (content / "secret.md").write_text("# secret\n", encoding="utf-8")
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["lifelong/catalogue"]
    try:
        config = config.plugins.on_config(config)

        def found(files: Any) -> list[tuple[str, str, str, str, bool]]:
            files = catalogue_files(files, config, plugin.site, (), None, others_first=False)
            return [(f.src_uri, f.dest_uri, f.url, f.inclusion.name,
                     isinstance(f, EntrySource)) for f in files]

        with quick_walk():
            assert mkdocs.commands.build.get_files is not get_files
            quick = mkdocs.commands.build.get_files(config)
        assert mkdocs.commands.build.get_files is get_files  # put back
        assert sum(isinstance(f, EntrySource) for f in quick) == len(one_of_each())
        assert found(quick) == found(get_files(config))
        assert "README.md" not in [f.src_uri for f in quick]  # MkDocs keeps index.md
        assert [f.inclusion.name for f in quick if f.src_uri == "secret.md"] == ["EXCLUDED"]
    finally:
        plugin.on_build_error(error=RuntimeError("only the walk"))  # its workers stop
        config.plugins.on_shutdown()
    # MkDocs says so in both walks (and only that).
    assert {r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING} == \
        {"Excluding 'README.md' from the site because it conflicts with 'index.md'."}
    caplog.clear()
