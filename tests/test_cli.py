"""The `lifelong` command line: scaffolds, builds, help texts; never a traceback."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Project
from lifelong.catalogue.codes import new_code
from lifelong.catalogue.scaffold import write_scaffold
from lifelong.catalogue.schema import load_rules
from lifelong.cli import main
from sitekit import REPO, course, one_of_each, write_project

COMMANDS = sorted(main.commands)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Example:" in out
    assert f"lifelong {command}" in out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`lifelong {command}" in readme


@pytest.mark.parametrize("kind", ["course", "ebook", "lecture", "series", "star", "project",
                                  "teacher", "centre"])
def test_new_writes_a_draft_that_passes_check(project: Project, kind: str) -> None:
    code, out, _ = run("new", kind, "--title", "太极拳入门", "--subject", "exercise",
                       "--project", str(project.root))
    assert code == 0, out
    folder = load_rules(project.root / "catalogue").kinds[kind].folder
    assert out == f"Created content/{folder}/tai-ji-quan-ru-men.md (a draft: fill it in, then " \
                  "remove 'draft: true').\n"
    text = (project.content / folder / "tai-ji-quan-ru-men.md").read_text(encoding="utf-8")
    code = new_code("tai-ji-quan-ru-men", set())
    assert text.startswith(f"---\nkind: {kind}\nid: tai-ji-quan-ru-men\ncode: {code}\n"
                           "title: 太极拳入门\n")
    assert "\ndraft: true\n" in text
    assert "# 可选字段" in text
    result = project.check()
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: 0 entries, 1 draft, no problems.\n"


def test_new_activity_names_a_centre_and_a_teacher_there_are(project: Project) -> None:
    args = ("--subject", "exercise", "--project", str(project.root))
    code, _, err = run("new", "activity", "--title", "太极进社区", *args)
    assert (code, err) == (1, "Error: an activity names its teachers (分享人), and there is no "
                              "teacher yet: write one first (lifelong new teacher --title ...)\n")
    for kind, title in (("centre", "西湖区老年大学"), ("teacher", "钱卫东"), ("teacher", "王丽")):
        assert run("new", kind, "--title", title, *args)[0] == 0
    assert run("new", "activity", "--title", "太极进社区", *args)[0] == 0
    text = (project.content / "activities/tai-ji-jin-she-qu.md").read_text(encoding="utf-8")
    assert "\nteachers: [qian-wei-dong]\ncentre: xi-hu-qu-lao-nian-da-xue\n" in text
    assert project.check().stdout == "OK: 0 entries, 4 drafts, no problems.\n"


def test_new_makes_a_fresh_id_and_never_overwrites(project: Project) -> None:
    rules = load_rules(project.root / "catalogue")
    day = dt.date(2026, 1, 2)
    first = write_scaffold(project.root, rules, "course", title="Tai chi", title_en="Tai Chi",
                           subjects=["exercise"], today=day)
    second = write_scaffold(project.root, rules, "course", title="Tai chi",
                            title_en="Tai Chi", subjects=["exercise"], today=day)
    assert (first.name, second.name) == ("tai-chi.md", "tai-chi-2.md")
    first.write_text("editor's work", encoding="utf-8")
    code, _out, err = run("new", "course", "--title", "x", "--id", "tai-chi", "--subject",
                         "exercise", "--project", str(project.root))
    assert code == 1
    assert err == "Error: content/courses/tai-chi.md already exists; pass --force to replace it\n"
    assert first.read_text(encoding="utf-8") == "editor's work"
    assert sorted(p.name for p in first.parent.iterdir()) == ["tai-chi-2.md", "tai-chi.md"]


def test_new_refuses_bad_input_with_did_you_mean(project: Project) -> None:
    code, _, err = run("new", "cours", "--title", "x", "--project", str(project.root))
    assert (code, err) == (1, "Error: unknown kind 'cours'; did you mean 'course'?\n")
    code, _, err = run("new", "course", "--title", "x", "--subject", "helth",
                       "--project", str(project.root))
    assert (code, err) == (1, "Error: unknown subject 'helth'; did you mean 'health'?\n")
    code, _, err = run("new", "course", "--title", "x", "--id", "../x",
                       "--project", str(project.root))
    assert code == 1
    assert "'../x' is not a safe id" in err
    assert not any(project.content.rglob("*.md"))


def test_build_reports_catalogue_problems_without_a_traceback(tmp_path: Path) -> None:
    write_project(tmp_path, [course("a", subjects=["helth"])])
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Error: Aborted with a BuildError!" in result.stderr


def test_build_strict_builds_a_tiny_site(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    result = CliRunner().invoke(main, ["build", "--strict", "--project", str(tmp_path),
                                       "--site-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "lunyu" / "index.html").is_file()


def test_a_site_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path),
                                       "--site-dir", str(tmp_path / "a-file" / "out")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert re.search(r"^Error: .*a-file/out: Not a directory$", result.stderr, re.M)


def test_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("build", "--project", str(tmp_path))
    assert code == 1
    assert re.fullmatch(r"Error: .*mkdocs\.yml: no such file; run in the project folder or "
                        r"pass --config-file\n", err)


def test_the_shipped_sample_passes_check() -> None:
    code, out, _ = run("check", "--project", str(REPO))
    assert code == 0
    assert re.fullmatch(r"OK: \d+ entries(, \d+ drafts?)?, no problems\.\n", out)
    assert int(out.split()[1]) >= 80


def test_sample_writes_a_project_that_checks_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "s"
    code, text, _ = run("sample", "--entries", "40", "--out", str(out), "--project", str(REPO))
    assert code == 0
    assert text.startswith(f"Wrote 40 entries to {out} in ")
    assert (out / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()
    assert (out / "site_config" / "offline.yml").is_file()
    code, text, _ = run("check", "--project", str(out))
    assert (code, text) == (0, "OK: 40 entries, no problems.\n")
    code, _, err = run("sample", "--entries", "40", "--out", str(out), "--project", str(REPO))
    assert code == 1
    assert err == f"Error: {out} already holds a project; choose a new folder\n"


def test_the_console_script_exits_with_the_commands_code_and_flushed_output(
        tmp_path: Path) -> None:
    """``lifelong`` (``lifelong.cli:run``) leaves without tearing down the build's objects;
    what the command printed still arrives, and its exit code is kept."""
    import subprocess
    import sys

    def console(*args: str) -> subprocess.CompletedProcess[str]:
        script = Path(sys.executable).parent / "lifelong"  # as pip installed it
        return subprocess.run([str(script), *args], capture_output=True, text=True,
                              timeout=120)

    found = console("check", "--project", str(tmp_path))
    assert found.returncode == 1
    assert found.stderr == f"Error: {tmp_path / 'content'}: no such folder; run in the " \
                           "project folder or pass --project\n"
    write_project(tmp_path, one_of_each())
    found = console("check", "--project", str(tmp_path))
    assert (found.returncode, found.stdout) == (0, "OK: 10 entries, no problems.\n")
    assert console("--version").stdout.startswith("lifelong, version ")


def test_qr_writes_outside_the_project_and_needs_a_public_address(tmp_path: Path) -> None:
    """(test_print decodes the files it writes.)"""
    config = write_project(tmp_path, one_of_each())
    args = ("--project", str(tmp_path))
    for folder, what in (("content/qr", "content/, what editors write"),
                         ("site/qr", "the site folder, which a build empties")):
        code, _, err = run("qr", "--out", str(tmp_path / folder), *args)
        assert (code, err) == (1, f"Error: {tmp_path / folder} is inside {what}: write the "
                                  "QR codes elsewhere\n")
    out = tmp_path / "posters"
    code, _, err = run("qr", "--out", str(out), "--section", "reading", "--section", "nope",
                       *args)
    assert (code, err[:40]) == (1, "Error: unknown section 'nope'; the secti")
    code, _, _ = run("qr", "--out", str(out), "--section", "reading", *args)
    assert (code, sorted(p.name for p in out.iterdir())) == (0, ["lunyu.svg"])
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: https://lifelong.example.org/\n", ""), encoding="utf-8")
    code, _, err = run("qr", "--out", str(out), *args)
    assert (code, err) == (1, f"Error: no public address to encode: set site_url in {config} "
                              "(the address every QR code leads to)\n")
