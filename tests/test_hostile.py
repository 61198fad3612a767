"""Hostile editors' text (tests/hostile.py): check reports each construct; drawn with the check
skipped, nothing runs in Chromium; fine text that looks like markup is shown as text; nothing
outside content/ is published, whether reached by a path or a symbolic link."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from browser import PageLog, serve_folder
from hostile import BODIES, ESCAPED_FIELDS, REJECTED_FIELDS
from lifelong.build.loading import load_catalogue
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.cli import main
from lifelong.site.markup import BodyChecker
from sitekit import REPO, build_site, course, write_project

#: The Markdown extensions of the shipped mkdocs.yml: attr_list and md_in_html give editors
#: the most ways to write attributes.
MARKDOWN = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))[
    "markdown_extensions"]
#: The same as load_catalogue takes them: names, and settings by name.
SETTINGS = ([next(iter(e)) if isinstance(e, dict) else e for e in MARKDOWN],
            {k: v for e in MARKDOWN if isinstance(e, dict) for k, v in e.items()})


def _write(root: Path, entries: list[tuple[dict[str, Any], str]]) -> Path:
    """A project of courses; each file is named after the id ``course()`` gave it."""
    config = write_project(root, [], mkdocs={"markdown_extensions": MARKDOWN})
    for meta, body in entries:
        path = root / "content" / "courses" / f"{meta.pop('file', meta['id'])}.md"
        path.write_text(dumps_entry(meta, body), encoding="utf-8")
    return config


def _problems(root: Path) -> dict[str, list[str]]:
    """What ``lifelong check`` reports (with the project's Markdown extensions), by file."""
    result = CliRunner().invoke(main, ["check", "--format", "json", "--project", str(root)])
    assert result.exit_code == 1, result.output
    found: dict[str, list[str]] = defaultdict(list)
    for problem in json.loads(result.output)["problems"]:
        found[problem["path"]].append(f"{problem['field']}: {problem['message']}")
    return found


def test_the_corpus_is_large_enough() -> None:
    assert len(BODIES) + len(REJECTED_FIELDS) + len(ESCAPED_FIELDS) >= 60
    assert len({name for name, *_ in (*BODIES, *REJECTED_FIELDS, *ESCAPED_FIELDS)}) == \
        len(BODIES) + len(REJECTED_FIELDS) + len(ESCAPED_FIELDS)


def test_check_reports_every_hostile_description(tmp_path: Path) -> None:
    _write(tmp_path, [(course(f"h-{name}"), body) for name, body in BODIES])
    found = _problems(tmp_path)
    for name, _body in BODIES:
        messages = found.get(f"content/courses/h-{name}.md", [])
        assert messages, f"{name}: nothing reported"
        assert all(m.startswith("body: ") for m in messages), (name, messages)
    # Script-capable constructs say why they are refused.
    for name in ("script", "img-onerror", "md-link-javascript", "svg-set-href"):
        assert any("script" in m for m in found[f"content/courses/h-{name}.md"]), name


def test_check_names_the_line_and_the_reason(tmp_path: Path) -> None:
    body = ("First paragraph.\n\nA paragraph.\n{:onfocus=\"x()\" tabindex=\"1\" autofocus}\n\n"
            "[a](java\nscript:alert(1)) and <svg><set attributeName=\"href\" to=\"javascript:"
            "x\"/></svg>\n\n[up](../../x) [abs](/etc/passwd) [gone](missing.png)\n\nok\x00\n")
    _write(tmp_path, [(course("lines"), body)])
    assert sorted(_problems(tmp_path)["content/courses/lines.md"]) == sorted([
        "body: attribute autofocus= is not allowed on <p>: it is removed",
        "body: attribute tabindex= is not allowed on <p>: it is removed",
        "body: event handler onfocus= on <p> runs scripts: it is removed",
        "body: <a href> with a 'javascript:' address: only http(s), mailto and relative links "
        "are allowed; it can run scripts; the address is removed",
        "body: <svg> is not allowed: it can run scripts or load other pages; it is removed",
        "body: link '../../x' points outside content/",
        "body: link '/etc/passwd': write links to files in content/ relative to this entry "
        "(e.g. ../covers/a.png), and other links in full (https://...)",
        "body: link 'missing.png': no such file (looked for content/courses/missing.png)",
        "body: contains the control character U+0000; remove it",
    ])
    result = CliRunner().invoke(main, ["check", "--format", "json", "--project",
                                       str(tmp_path)])
    problems = json.loads(result.output)["problems"]

    def line(start: str) -> int:
        return next(p["line"] for p in problems if p["message"].startswith(start))

    # front matter ends at the line of the closing '---'; the body starts after it.
    text = (tmp_path / "content/courses/lines.md").read_text(encoding="utf-8")
    first = text.split("\n").index("First paragraph.") + 1
    assert line("event handler") == first + 3
    assert line("<a href>") == first + 5  # where the address starts
    assert line("<svg>") == first + 6
    assert line("link '../../x'") == first + 8
    assert line("contains the") == first + 10


def test_allowed_markup_passes_check_and_is_kept(tmp_path: Path) -> None:
    body = ("## 要点 {: #points .note }\n\n| 动作 | 次数 |\n|---|---|\n| 起势 | 1 |\n\n"
            "<details><summary>更多</summary>\n\n展开的内容。\n\n</details>\n\n"
            '<figure><img src="covers/taiji.svg" alt="太极"><figcaption>图一</figcaption>'
            "</figure>\n\n[网站](https://example.org/) [邮件](mailto:a@example.org) "
            "[封面](covers/taiji.svg)\n")
    config = _write(tmp_path, [(course("allowed"), body)])
    site = build_site(config)
    html = (site / "allowed/index.html").read_text(encoding="utf-8")
    for piece in ('<h2 class="note" id="points">', "<table>", "<td>起势</td>",
                  "<details><summary>更多</summary>", "<figcaption>图一</figcaption>",
                  '<a href="https://example.org/">', '<a href="mailto:a@example.org">',
                  '<a href="../courses/covers/taiji.svg">'):
        assert piece in html


def test_check_rejects_hostile_field_values(tmp_path: Path) -> None:
    entries = []
    for name, field, value, _message in REJECTED_FIELDS:
        meta = course(f"f-{name}", file=f"f-{name}")
        meta[field] = value
        entries.append((meta, "正文。"))
    _write(tmp_path, entries)
    found = _problems(tmp_path)
    for name, field, _value, message in REJECTED_FIELDS:
        messages = found.get(f"content/courses/f-{name}.md", [])
        assert any(m.startswith(f"{field}: ") and message in m for m in messages), \
            (name, messages)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every hostile description and every markup-like field value, drawn as if check had
    been skipped (the build's own cleaning is what stands between them and readers)."""
    root = tmp_path_factory.mktemp("hostile")
    entries = [(course(f"h-{name}", title=f"敌意 {name}"), body) for name, body in BODIES]
    for name, field, value in ESCAPED_FIELDS:
        meta = course(f"e-{name}")
        meta[field] = value
        entries.append((meta, "正文。"))
    config = _write(root, entries)
    load_catalogue(root / "content", root / "catalogue",  # the field values pass check
                   markdown=SETTINGS, only=[root / "content" / "courses" / "e-title-script.md"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BodyChecker, "problems", lambda self, path, body, line: [])
        return build_site(config)


#: In every page: record what would show a script ran (a dialog, the canary, a navigation
#: to a javascript: address), then look at the document as Chromium parsed it.
_CANARY = "window.__ran = []; window.__canary = (n) => window.__ran.push(String(n));"
_AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push(el.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'srcset',
           'background', 'poster'].includes(name)) {
        const value = a.value.replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, '')
          .replace(/[\\t\\n\\r]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(value)) bad.push(el.tagName + ' ' + name);
      }
    }
  }
  const body = document.querySelector('.ll-body');
  for (const el of body ? body.querySelectorAll('*') : []) {
    if (['IFRAME', 'OBJECT', 'EMBED', 'SVG', 'FORM', 'INPUT', 'BUTTON', 'STYLE', 'LINK',
         'META', 'BASE', 'SCRIPT', 'svg'].includes(el.tagName)) bad.push('in body: ' + el.tagName);
    if (el.id && /^(__|md-|ll-)/.test(el.id)) bad.push('reserved id ' + el.id);
    el.dispatchEvent(new FocusEvent('focus'));
    for (const type of ['mouseover', 'mouseenter', 'pointerover', 'mousedown'])
      el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
    if (el.tagName !== 'A') el.click();
  }
  return bad;
}"""


@pytest.mark.browser
def test_no_hostile_text_runs_in_chromium(browser: Any, hostile_site: Path) -> None:
    dialogs: list[str] = []
    page = browser.new_page()
    page.add_init_script(_CANARY)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log = PageLog()
    log.watch(page)
    ids = [f"h-{name}" for name, _ in BODIES] + [f"e-{name}" for name, *_ in ESCAPED_FIELDS]
    with serve_folder(hostile_site) as base:
        for entry_id in ids:
            page.goto(f"{base}{entry_id}/", wait_until="load")
            page.wait_for_timeout(20)  # SVG animations and autofocus happen after load
            assert page.evaluate(_AUDIT) == [], entry_id
            assert page.evaluate("window.__ran") == [], entry_id
            assert page.url == f"{base}{entry_id}/", entry_id
        # Listings and search show the titles and summaries too.
        for path in ("", "courses/", "subjects/exercise/", "search/?q=script",
                     "search/?q=alert"):
            page.goto(f"{base}{path}", wait_until="load")
            page.wait_for_timeout(50)
            assert page.evaluate(_AUDIT) == [], path
            assert page.evaluate("window.__ran") == [], path
        # The field values show as the text the editor wrote.
        for name, field, value in ESCAPED_FIELDS:
            page.goto(f"{base}e-{name}/", wait_until="load")
            shown = value[0] if isinstance(value, list) else value
            if field in ("title", "summary", "teachers"):
                assert shown in page.inner_text("main"), name
    page.close()
    assert dialogs == []
    outside = [u for u in log.requests if not u.startswith(base)]
    assert outside == []


def test_json_ld_cannot_be_broken_out_of(hostile_site: Path) -> None:
    html = (hostile_site / "e-summary-json-breakout/index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">') + 35
    data = json.loads(html[start:html.index("</script>", start)])
    assert data["description"] == "</script><script>alert(104)</script>"


def _secret_project(root: Path, token: str) -> Path:
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.svg").write_text(f"<svg>{token}</svg>", encoding="utf-8")
    (outside / "folder" / "notes.txt").write_text(token, encoding="utf-8")
    (outside / "entry.md").write_text(dumps_entry(course("leaked", summary=token), token),
                                      encoding="utf-8")
    project = root / "project"
    write_project(project, [course("fine"), course("covered", cover="covers/secret.svg")])
    content = project / "content"
    (content / "courses" / "covers" / "secret.svg").symlink_to(outside / "secret.svg")
    (content / "courses" / "linked-folder").symlink_to(outside / "folder")
    (content / "courses" / "leaked.md").symlink_to(outside / "entry.md")
    shutil.copytree(REPO / "site_config", project / "site_config")
    return project


def test_nothing_outside_content_is_published(tmp_path: Path) -> None:
    token = "TOKEN-7f3a9c-outside-content"
    project = _secret_project(tmp_path, token)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "--project", str(project)])
    assert checked.exit_code == 1
    lines = checked.output.splitlines()
    cover_line = (project / "content/courses/covered.md").read_text(
        encoding="utf-8").split("\n").index("cover: covers/secret.svg") + 1
    for expected in (
            f"content/courses/covered.md:{cover_line}: cover: 'covers/secret.svg' is a symbolic link to a "
            "file outside content/; nothing outside content/ is published: copy the file into "
            "content/",
            "content/courses/linked-folder: is a symbolic link to a folder ("
            f"'{tmp_path}/outside/folder'); links to folders are not followed: move or copy "
            "the folder into content/",
            f"content/courses/leaked.md: is a symbolic link to a file outside content/ ('"
            f"{tmp_path}/outside/entry.md'); nothing outside content/ is published: copy the "
            "file into content/"):
        assert expected in lines
    built = runner.invoke(main, ["build", "--project", str(project)])
    assert built.exit_code != 0
    assert "Traceback" not in built.output
    bundled = runner.invoke(main, ["bundle", "--project", str(project),
                                   "-o", str(tmp_path / "copy.zip")])
    assert bundled.exit_code != 0
    assert "Traceback" not in bundled.output
    for folder in (project / "site", project / "build"):
        for path in folder.rglob("*") if folder.exists() else ():
            assert not path.is_file() or token.encode() not in path.read_bytes(), path
    if (tmp_path / "copy.zip").exists():
        with zipfile.ZipFile(tmp_path / "copy.zip") as copy:
            assert all(token.encode() not in copy.read(n) for n in copy.namelist())


@pytest.mark.parametrize(("make", "expected"), [
    (lambda c: (c / "loop-a").symlink_to("loop-b") or (c / "loop-b").symlink_to("loop-a"),
     "content/courses/loop-a: is a symbolic link that loops ('loop-b'); remove it"),
    (lambda c: (c / "gone.md").symlink_to("/nonexistent/gone.md"),
     "content/courses/gone.md: is a symbolic link to '/nonexistent/gone.md', which does "
     "not exist; remove it or put the file there"),
    (lambda c: (c / "up").symlink_to(".."),
     "content/courses/up: is a symbolic link to a folder ('..'); links to folders are not "
     "followed: move or copy the folder into content/"),
], ids=["loop", "dangling", "ancestor"])
def test_broken_links_are_one_clear_line_each(project: Any, make: Any, expected: str) -> None:
    project.write_valid()
    make(project.root / "content" / "courses")
    result = project.check()
    assert result.exit_code == 1
    assert expected in result.output.splitlines()
    assert "Traceback" not in result.output


def test_a_file_name_that_is_not_utf8_is_named(project: Any) -> None:
    project.write_valid()
    (project.root / "content" / "courses").joinpath(
        b"bad\xff.md".decode("utf-8", "surrogateescape")).write_text("x", encoding="utf-8")
    result = project.check()
    assert result.exit_code == 1
    assert ("content/courses/bad\ufffd.md: the file name is not UTF-8; rename it (the site "
            "cannot publish it)") in result.output.splitlines()


def test_an_empty_content_folder_is_one_problem(project: Any) -> None:
    (project.root / "content").mkdir(exist_ok=True)
    (project.root / "catalogue" / "sections.yml").write_text(
        (REPO / "catalogue" / "sections.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = project.check()
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "content: holds no entries, which the rules in catalogue/ name: an entry is a "
        "Markdown file in a folder of content/ (e.g. content/courses/taiji.md); "
        "`lifelong new KIND --title ...` writes one")
    assert result.output.splitlines()[1:] == ["1 problem found."]
