"""`lifelong build` with nothing changed since the last build that succeeded says the site
is up to date and writes nothing; any change to what a build reads, a failed build, other
options or a plugin of unknown inputs makes it build."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from click.testing import CliRunner

from lifelong.cli import main
from sitekit import one_of_each, write_project

UP_TO_DATE = "is up to date"


def build(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["build", "--project", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def mark(page: Path) -> None:
    os.utime(page, (1_000_000_000, 1_000_000_000))


def marked(page: Path) -> bool:
    return page.stat().st_mtime == 1_000_000_000


def test_nothing_changed_is_up_to_date_and_any_change_builds(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    assert UP_TO_DATE not in build(tmp_path)
    page = tmp_path / "site" / "lunyu" / "index.html"
    mark(page)
    assert UP_TO_DATE in build(tmp_path)
    assert marked(page)  # nothing written

    # An entry edited: built (the entry's page shows it).
    entry = tmp_path / "content" / "reading" / "lunyu.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("title: 论语", "title: 论语译注"),
                     encoding="utf-8")
    assert UP_TO_DATE not in build(tmp_path)
    assert "论语译注" in page.read_text(encoding="utf-8")
    assert UP_TO_DATE in build(tmp_path)

    # A file added beside the entries (a cover, a hand-written page): built.
    (tmp_path / "content" / "help.md").write_text("---\ntitle: 帮助\n---\n帮助。\n",
                                                  encoding="utf-8")
    assert UP_TO_DATE not in build(tmp_path)
    assert (tmp_path / "site" / "help" / "index.html").is_file()

    # The rules, the configuration and the options are read too.
    rules = tmp_path / "catalogue" / "vocabularies" / "subjects.yml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert UP_TO_DATE not in build(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert UP_TO_DATE not in build(tmp_path)
    assert UP_TO_DATE not in build(tmp_path, "--strict")
    assert UP_TO_DATE in build(tmp_path, "--strict")
    assert UP_TO_DATE not in build(tmp_path, "--clean", "--strict")


def test_a_failed_build_is_never_taken_for_the_last_good_one(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    build(tmp_path)
    entry = tmp_path / "content" / "reading" / "lunyu.md"
    good = entry.read_bytes()
    stat = entry.stat()
    entry.write_text(entry.read_text(encoding="utf-8").replace("subjects:", "subjects: [nope]\n"
                                                               "x:"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path)])
    assert result.exit_code == 1
    # The file is put back as it was, time and all: the stamp matches the last good build's,
    # but that build's record went when the failed one started.
    entry.write_bytes(good)
    os.utime(entry, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert UP_TO_DATE not in build(tmp_path)
    assert UP_TO_DATE in build(tmp_path)


def test_an_inherited_configuration_and_unknown_plugins_are_followed(tmp_path: Path) -> None:
    write_project(tmp_path, one_of_each())
    base = tmp_path / "mkdocs.yml"
    (tmp_path / "site_config").mkdir()
    variant = tmp_path / "site_config" / "variant.yml"
    variant.write_text("INHERIT: ../mkdocs.yml\ndocs_dir: ../content\nsite_dir: ../variant\n"
                       "plugins:\n  - lifelong/catalogue:\n      catalogue_dir: ../catalogue\n"
                       "      page_size: 2\n", encoding="utf-8")
    args = ("--config-file", str(variant))
    build(tmp_path, *args)
    assert UP_TO_DATE in build(tmp_path, *args)
    base.write_text(base.read_text(encoding="utf-8").replace("终身学习资源目录", "终身学习目录"),
                    encoding="utf-8")
    assert UP_TO_DATE not in build(tmp_path, *args)
    assert "终身学习目录" in (tmp_path / "variant" / "index.html").read_text(encoding="utf-8")

    # A hook may read anything (git, the time): every build runs.
    (tmp_path / "hook.py").write_text("def on_config(config):\n    return config\n",
                                      encoding="utf-8")
    config = yaml.safe_load(base.read_text(encoding="utf-8"))
    base.write_text(yaml.safe_dump({**config, "hooks": ["hook.py"]}, allow_unicode=True),
                    encoding="utf-8")
    build(tmp_path)
    assert UP_TO_DATE not in build(tmp_path)
