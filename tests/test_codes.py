"""Codes readers type: `lifelong check`'s messages about them, `lifelong codes` (stable,
byte for byte, atomic), `lifelong new`, the sample, and the code index the site publishes.
The "输入编号" box in Chromium is tested in test_codes_browser.py."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import COURSE, VALID, Project, edit
from lifelong.catalogue.codes import CodeWriteError, first_choice, new_code, with_code
from lifelong.cli import main
from lifelong.sample import write_sample
from lifelong.site.codes import code_index_files, grouped, id_part
from sitekit import REPO, build_site, one_of_each, write_project

RULE = "a code is 6 digits, the first not 0 (e.g. 382915)"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def with_code_line(text: str, line: str) -> str:
    return edit(text, "id: taiji-basics\n", f"id: taiji-basics\n{line}\n")


# -- check ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "message"), [
    ("code: 12345", f"YAML read the number 12345, which is not a code; {RULE}"),
    ("code: 1234567", f"YAML read the number 1234567, which is not a code; {RULE}"),
    # Unquoted, a leading 0 makes YAML 1.1 read an octal number: named, never "fixed".
    ("code: 012345", f"YAML read the number 5349, which is not a code; {RULE}"),
    ("code: '012345'", f"'012345' starts with 0; {RULE}"),
    ("code: '12a456'", f"'12a456' is not a code; {RULE}"),
    ("code: 12a456", f"'12a456' is not a code; {RULE}"),
    ("code: '１２３４５６'", f"'１２３４５６' is not a code; {RULE}"),
    ("code: 382.915", f"expected a code, got a number; {RULE}"),
    ("code: [382915]", f"expected a code, got a list; {RULE}"),
])
def test_a_malformed_code_is_an_error(project: Project, line: str, message: str) -> None:
    project.write("courses/a.md", with_code_line(COURSE, line))
    result = project.check()
    assert result.exit_code == 1
    assert result.stdout == f"content/courses/a.md:4: code: {message}\n"


@pytest.mark.parametrize("line", ["code: 382915", "code: '382915'", 'code: "382915"'])
def test_a_code_is_six_digits_quoted_or_not(project: Project, line: str) -> None:
    project.write("courses/a.md", with_code_line(COURSE, line))
    result = project.check()
    assert result.exit_code == 0, result.stdout


def test_a_duplicate_code_names_both_files_and_lines(project: Project) -> None:
    project.write_valid()
    project.write("courses/a.md", with_code_line(COURSE, "code: 382915"))
    project.write("lectures/ai-everyday.md", edit(VALID["lecture"][1], "id: ai-everyday\n",
                                                  "id: ai-everyday\n# printed\ncode: '382915'\n"))
    result = project.check()
    assert result.exit_code == 1
    assert result.stdout == (
        "content/courses/a.md:4: code: '382915' is also used by "
        "content/lectures/ai-everyday.md:5; codes must be unique\n"
        "content/lectures/ai-everyday.md:5: code: '382915' is also used by "
        "content/courses/a.md:4; codes must be unique\n")


# -- lifelong codes ---------------------------------------------------------------------------

def entry_files(project: Project) -> dict[str, bytes]:
    return {p.relative_to(project.content).as_posix(): p.read_bytes()
            for p in sorted(project.content.rglob("*.md"))}


def test_codes_gives_each_entry_its_code_once_and_keeps_every_other_byte(
        project: Project) -> None:
    project.write_valid()
    # A code already given, CRLF line endings and a byte-order mark: all kept as they are.
    project.write("courses/a.md", with_code_line(COURSE, "code: '382915'").replace(
        "taiji-basics", "taiji-a"))
    project.write("courses/crlf.md", "\ufeff" + COURSE.replace("taiji-basics", "taiji-crlf")
                  .replace("\n", "\r\n"))
    before = entry_files(project)
    dry = run("codes", "--dry-run", "--project", str(project.root))
    assert dry.exit_code == 0, dry.output
    assert entry_files(project) == before
    result = run("codes", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert result.output == dry.output.replace("Would give", "Gave")
    after = entry_files(project)
    given = dict(re.findall(r"^content/(\S+): (\d{6})$", result.output, re.MULTILINE))
    assert sorted(given) == sorted(name for name in before if name != "courses/a.md")
    assert result.output.endswith("Gave 10 codes; 1 entry kept its code.\n")
    assert after["courses/a.md"] == before["courses/a.md"]
    for name, code in given.items():
        newline = b"\r\n" if name == "courses/crlf.md" else b"\n"
        old, new = before[name], after[name]
        at = old.index(b"\nid: ") + 1
        at = old.index(b"\n", at) + 1
        assert new == old[:at] + b"code: " + code.encode() + newline + old[at:], name
    assert len(set(given.values()) | {"382915"}) == 11
    assert project.check().exit_code == 0
    again = run("codes", "--project", str(project.root))
    assert again.output == "Gave 0 codes; 11 entries kept their code.\n"
    assert entry_files(project) == after
    # A new entry is given a code; no other entry's changes.
    project.write("courses/new.md", COURSE.replace("taiji-basics", "taiji-new"))
    more = run("codes", "--project", str(project.root))
    code = new_code("taiji-new", {*given.values(), "382915"})
    assert more.output == f"content/courses/new.md: {code}\nGave 1 code; 11 entries kept their code.\n"
    assert {k: v for k, v in entry_files(project).items() if k != "courses/new.md"} == after


def test_a_taken_code_moves_on_to_the_next_free_one() -> None:
    first = first_choice("taiji-basics")
    assert 100000 <= first <= 999999
    assert new_code("taiji-basics", set()) == str(first)
    taken = {str(first), str(first + 1 if first < 999999 else 100000)}
    expected = first + 2 if first < 999998 else 100000 + (first + 2 - 1_000_000)
    assert new_code("taiji-basics", taken) == str(expected)
    assert str(expected) in taken


def test_codes_refuses_a_catalogue_whose_codes_it_cannot_read(project: Project) -> None:
    project.write("courses/a.md", with_code_line(COURSE, "code: 012345"))
    project.write("courses/b.md", COURSE.replace("taiji-basics", "taiji-b"))
    before = entry_files(project)
    result = run("codes", "--project", str(project.root))
    assert result.exit_code == 1
    assert result.output == (
        "Error: no code given: fix this problem first\n"
        f"content/courses/a.md:4: code: YAML read the number 5349, which is not a code; {RULE}\n")
    assert entry_files(project) == before


def test_a_front_matter_it_cannot_add_a_line_to_is_named() -> None:
    raw = b"---\n{kind: course, id: taiji-basics, title: x}\n---\nbody\n"
    with pytest.raises(CodeWriteError) as raised:
        with_code(raw, "382915", "content/a.md")
    assert str(raised.value) == ("content/a.md: cannot add the code 382915 without rewriting "
                                 "the front matter; add the line 'code: 382915' to it by hand")


def test_new_gives_the_entry_a_free_code(project: Project) -> None:
    taken = first_choice("tai-ji-quan-ru-men")
    project.write("courses/a.md", with_code_line(COURSE, f"code: {taken}"))
    result = run("new", "course", "--title", "太极拳入门", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    text = (project.content / "courses" / "tai-ji-quan-ru-men.md").read_text(encoding="utf-8")
    assert f"\nid: tai-ji-quan-ru-men\ncode: {new_code('tai-ji-quan-ru-men', {str(taken)})}\n" \
        in text
    assert project.check().exit_code == 0


def test_every_sample_entry_has_a_code(tmp_path: Path) -> None:
    write_sample(tmp_path, 120, catalogue_dir=REPO / "catalogue")
    result = run("codes", "--dry-run", "--project", str(tmp_path))
    assert result.output == "Would give 0 codes; 120 entries kept their code.\n"


def test_the_shipped_sample_has_its_codes() -> None:
    result = run("codes", "--dry-run", "--project", str(REPO))
    assert result.output.startswith("Would give 0 codes;")


# -- the code index ---------------------------------------------------------------------------

def parts(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    found = {}
    for name, data in files.items():
        match = re.fullmatch(rb'LifelongSearch\.add\("([a-z0-9/]+)",(.*)\);\n', data)
        assert match, name
        assert match.group(1).decode() + ".js" == name
        found[name] = json.loads(match.group(2))
    return found


def test_the_code_index_loads_one_small_part_per_lookup() -> None:
    rng = random.Random(7)
    taken: set[str] = set()
    entries = []
    for number in range(6000):
        entry_id = f"entry-{number}"
        code = new_code(entry_id, taken) if number % 10 else None  # some have none
        entries.append((entry_id, code, f"{entry_id}/"))
    files = dict(code_index_files(entries))
    shuffled = entries[:]
    rng.shuffle(shuffled)
    assert list(code_index_files(shuffled)) == list(files.items())  # same bytes, any order
    data = parts(files)
    index = data.pop("codes/index.js")
    assert (index["d"], index["n"]) == (2, 32)
    for name in data:
        assert len(files[name]) < 10_000, name  # a part, never the whole list
    for entry_id, code, url in entries:
        assert data[f"codes/i{id_part(entry_id, 32)}.js"][entry_id] == url
        if code is not None:
            assert data[f"codes/c{code[:2]}.js"][code] == url
    assert sum(len(p) for n, p in data.items() if "/c" in n) == 5400
    # The index says which parts exist: a lookup never asks for a file that is not there.
    code_bits = int(index["c"], 16) >> (len(index["c"]) * 4 - 90)
    assert {f"codes/c{10 + n}.js" for n in range(90) if code_bits >> (89 - n) & 1} == \
        {n for n in data if "/c" in n}


def test_a_small_catalogue_has_a_few_parts() -> None:
    files = dict(code_index_files([("a", "382915", "a.html"), ("b", None, "b.html")]))
    assert files == {
        "codes/index.js": b'LifelongSearch.add("codes/index",{"c":"200","d":1,"i":"8",'
                          b'"n":1});\n',
        "codes/c3.js": b'LifelongSearch.add("codes/c3",{"382915":"a.html"});\n',
        "codes/i0.js": b'LifelongSearch.add("codes/i0",{"a":"a.html","b":"b.html"});\n'}
    assert grouped("382915") == "382 915"


def test_the_site_shows_and_exports_codes(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, one_of_each()))
    page = (site / "taiji-basics" / "index.html").read_text(encoding="utf-8")
    assert '<div><dt>编号</dt><dd class="ll-code" data-ll-say="3 8 2 9 1 5">382 915</dd></div>' \
        in page
    # Without a code, the id stays under the QR code.
    assert "编号：<strong class=\"ll-code\">phone-1</strong>" in \
        (site / "phone-1" / "index.html").read_text(encoding="utf-8")
    courses = [json.loads(line) for line in
               (site / "data" / "course.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {c["id"]: c.get("code") for c in courses}["taiji-basics"] == "382915"
    schema = json.loads((site / "data" / "entry.schema.json").read_text(encoding="utf-8"))
    assert '"pattern": "^[1-9][0-9]{5}$"' in json.dumps(schema)
    for page_name in ("index.html", "404.html", "lunyu/index.html"):
        html = (site / page_name).read_text(encoding="utf-8")
        assert 'inputmode="numeric"' in html, page_name
    assert (site / "codes" / "c3.js").read_bytes() == \
        b'LifelongSearch.add("codes/c3",{"382915":"taiji-basics/"});\n'
