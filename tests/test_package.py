"""The plugin as a new user gets it: a wheel holding the templates, assets and default rules,
installed (not editable) into a venv of its own, `lifelong init`, a plain `mkdocs build
--strict`, and search working in Chromium; a theme other than Material is a clear error.

The wheel and the venv are made once per test run (shared by the xdist workers)."""

from __future__ import annotations

import fcntl
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from browser import PageLog, serve_folder
from lifelong.cli import main
from sitekit import REPO, THEME

#: What a wheel is built from (pyproject.toml's packages and readme).
SOURCES = ("pyproject.toml", "README.md", "plugins", "catalogue")
#: An entry that `lifelong init` writes, found by its title in the header's search box.
LECTURE = ("老年人居家防跌倒", "fall-prevention-at-home")


def shared(tmp_path_factory: pytest.TempPathFactory, name: str,
           make: Callable[[Path], None]) -> Path:
    """``make(folder)`` once per test run, whichever xdist worker asks first; the folder."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                make(folder)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def run(*args: str | Path, cwd: Path | None = None, check: bool = True
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, encoding="utf-8", timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _build_wheel(folder: Path) -> None:
    # From a copy of the sources: setuptools leaves build/ and *.egg-info where it builds,
    # and a build/lib left from an earlier build would put files deleted since in the wheel.
    source = folder / "source"
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    try:
        setuptools = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        setuptools = 0
    # pyproject.toml needs setuptools 77 or later (its license field), which the test extra
    # installs; with an older one, pip builds in isolation (and fetches setuptools).
    flags = ["--no-build-isolation", "--no-index"] if setuptools >= 77 else []
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *flags,
        "-w", folder / "dist", source)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shared(tmp_path_factory, "lifelong-wheel", _build_wheel)
    (found,) = (folder / "dist").glob("lifelong-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding the wheel, not editable; its dependencies are those of the test venv,
    made importable by a path line (which runs none of that venv's own .pth files, so its
    editable lifelong is not seen)."""

    def make(folder: Path) -> None:
        run(sys.executable, "-m", "venv", folder)
        python = folder / "bin" / "python"
        run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel)
        purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
                      ).stdout.strip()
        (Path(purelib) / "lifelong-test-deps.pth").write_text(
            sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    return shared(tmp_path_factory, "lifelong-venv", make)


@pytest.fixture(scope="module")
def initialised(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`lifelong init` of the installed wheel, in a new folder."""
    project = tmp_path_factory.mktemp("init") / "catalogue-site"
    result = run(venv / "bin" / "lifelong", "init", project)
    assert f"Created a catalogue project in {project}" in result.stdout
    return project


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def files_under(folder: Path, pattern: str = "*") -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts}


# -- the wheel --------------------------------------------------------------------------------

def test_the_wheel_holds_theme_rules_starter_and_every_module(wheel: Path) -> None:
    names = wheel_names(wheel)
    theme = {f"lifelong/theme/{name}" for name in files_under(THEME)}
    assert "lifelong/theme/lifelong/home.html" in theme
    assert {"lifelong/theme/assets/lifelong/lifelong.css", "lifelong/theme/main.html",
            "lifelong/theme/assets/lifelong/lifelong.js", "lifelong/theme/lifelong.html",
            "lifelong/theme/assets/lifelong/search.js",
            "lifelong/theme/partials/header.html"} <= theme
    assert theme <= names
    starter = {f"lifelong/starter/{name}"
               for name in files_under(REPO / "plugins" / "lifelong" / "starter")}
    assert {"lifelong/starter/mkdocs.yml", "lifelong/starter/gitignore"} <= starter <= names
    rules = {f"lifelong/rules/{name}" for name in files_under(REPO / "catalogue", "*.yml")}
    assert {"lifelong/rules/fields.yml", "lifelong/rules/sections.yml",
            "lifelong/rules/vocabularies/subjects.yml"} <= rules <= names
    # pyproject.toml lists the packages (lifelong.rules is mapped from catalogue/): a
    # subpackage left out of the list would be left out of the wheel.
    modules = {f"lifelong/{name}" for name in files_under(REPO / "plugins" / "lifelong",
                                                          "*.py")}
    assert modules <= names, sorted(modules - names)
    with zipfile.ZipFile(wheel) as archive:
        points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        text = archive.read(points).decode("utf-8")
    assert "lifelong/catalogue = lifelong.mkdocs.plugin:CataloguePlugin" in text


def test_the_installed_wheel_is_the_one_imported(venv: Path) -> None:
    code = ("import lifelong, lifelong.catalogue.project as i, lifelong.mkdocs.theme as t; "
            "print(lifelong.__file__); print(i.default_rules() / 'fields.yml'); "
            "print(t.THEME_DIR / 'lifelong.html')")
    lines = run(venv / "bin" / "python", "-c", code, cwd=venv).stdout.splitlines()
    assert len(lines) == 3, lines
    for line in lines:
        assert Path(line).is_file(), line
        assert Path(line).resolve().is_relative_to(venv.resolve()), lines


# -- a new user's site ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(venv: Path, initialised: Path) -> Path:
    result = run(venv / "bin" / "lifelong", "check", cwd=initialised)
    assert result.stdout == "OK: 6 entries, no problems.\n"
    run(venv / "bin" / "python", "-m", "mkdocs", "build", "--strict", cwd=initialised)
    return initialised / "site"


@pytest.mark.browser
def test_init_builds_with_plain_mkdocs_and_search_works(browser: Any, built: Path) -> None:
    title, entry_id = LECTURE
    assert (built / entry_id / "index.html").is_file()
    for asset in ("assets/lifelong/lifelong.css", "assets/lifelong/lifelong.js",
                  "assets/lifelong/search.js", "search/lunr.js"):
        assert (built / asset).is_file(), asset
    with serve_folder(built) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log = PageLog()
        log.watch(page)
        page.goto(base)
        page.locator("#ll-q").press_sequentially(title, delay=20)
        page.wait_for_function(
            """title => [...document.querySelectorAll("#ll-suggest [role=option]")]
                 .some(o => o.textContent.includes(title))""", arg=title, timeout=15_000)
        hrefs = page.eval_on_selector_all(
            "#ll-suggest [role=option]",
            "options => options.map(o => (o.matches('a') ? o : o.querySelector('a')).href)")
        context.close()
    assert f"{base}{entry_id}/" in hrefs
    assert log.errors == [] and log.failed == []
    assert all(url.startswith(base) for url in log.requests), log.requests


def test_a_theme_other_than_material_is_a_clear_error(venv: Path, initialised: Path,
                                                      tmp_path: Path) -> None:
    project = tmp_path / "other-theme"
    shutil.copytree(initialised, project, ignore=shutil.ignore_patterns("site"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: mkdocs\n"), encoding="utf-8")
    result = run(venv / "bin" / "python", "-m", "mkdocs", "build", cwd=project, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "lifelong/catalogue needs `theme: material`" in output
    assert "the theme of this site is 'mkdocs'" in output
    assert "Traceback" not in output


# -- lifelong init (in this process) ----------------------------------------------------------

def invoke(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_init_refuses_a_folder_that_is_not_empty_and_writes_a_valid_project(
        tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = invoke("init", str(folder))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {folder} is not empty; choose a new or empty folder, or "
                             "pass --force (the new project's files are then written over, "
                             "others kept)\n")
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    result = invoke("init", str(folder), "--force")
    assert result.exit_code == 0, result.output
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert invoke("check", "--project", str(folder)).stdout == "OK: 6 entries, no problems.\n"
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "site/\n.lifelong-cache/\n"
    kinds = {path.parent.name for path in (folder / "content").glob("*/*.md")}
    assert kinds == {"courses", "reading", "lectures", "series", "stars", "projects"}
    rules = files_under(folder / "catalogue")
    assert rules == files_under(REPO / "catalogue", "*.yml")
    sections = (folder / "catalogue" / "sections.yml").read_text(encoding="utf-8")
    assert "  featured: []\n" in sections
    assert all(line.strip() == "featured: []" for line in sections.splitlines()
               if line.strip().startswith("featured:"))
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "\nlifelong check\nmkdocs build --strict\n" in readme
    index = (folder / "content" / "index.md").read_text(encoding="utf-8")
    assert index.startswith("---\ntitle: 终身学习资源目录\n---\n欢迎")


def test_init_makes_a_missing_folder_and_refuses_a_file(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path / "a" / "b")).exit_code == 0
    assert (tmp_path / "a" / "b" / "mkdocs.yml").is_file()
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = invoke("init", str(tmp_path / "file"))
    assert result.exit_code != 0


# -- the theme in MkDocs' config --------------------------------------------------------------

def load(tmp_path: Path, **settings: Any) -> Any:
    import yaml
    from mkdocs.config import load_config

    from lifelong.mkdocs.theme import add_catalogue_theme

    (tmp_path / "docs").mkdir(exist_ok=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump({"site_name": "x", "docs_dir": "docs", **settings}),
                    encoding="utf-8")
    config = load_config(str(path))
    add_catalogue_theme(config)
    add_catalogue_theme(config)  # twice: nothing is added twice
    return config


def test_our_templates_come_after_the_sites_and_before_materials(tmp_path: Path) -> None:
    import material

    material_dir = str(Path(material.__file__).parent / "templates")
    config = load(tmp_path, theme={"name": "material"})
    assert config.theme.dirs[:2] == [str(THEME), material_dir]
    assert config.extra_css == ["assets/lifelong/lifelong.css"]
    assert [str(s) for s in config.extra_javascript] == ["assets/lifelong/lifelong.js"]
    custom = tmp_path / "overrides"
    (custom / "partials").mkdir(parents=True)
    (custom / "partials" / "copyright.html").write_text("mine", encoding="utf-8")
    config = load(tmp_path, theme={"name": "material", "custom_dir": "overrides"},
                  extra_css=["site.css", "./assets/lifelong/lifelong.css"],
                  extra_javascript=[{"path": "assets/lifelong/lifelong.js", "defer": True}])
    assert config.theme.dirs[:3] == [str(custom), str(THEME), material_dir]
    assert config.extra_css == ["site.css", "./assets/lifelong/lifelong.css"]
    assert [str(s) for s in config.extra_javascript] == ["assets/lifelong/lifelong.js"]
    env = config.theme.get_env()
    assert env.get_template("partials/copyright.html").filename == str(
        custom / "partials" / "copyright.html")
    assert env.get_template("lifelong/home.html").filename == str(
        THEME / "lifelong" / "home.html")
    assert env.get_template("partials/header.html").filename == str(
        THEME / "partials" / "header.html")


def test_serve_watches_the_catalogue_and_our_templates_once(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from sitekit import one_of_each, write_project

    path = write_project(tmp_path, one_of_each())

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    for watch, expected in (([], [str(tmp_path / "catalogue"), str(THEME)]),
                            ([str(tmp_path / "catalogue")], [str(THEME)])):
        config = load_config(str(path))
        config.watch.extend(watch)
        plugin = config.plugins["lifelong/catalogue"]
        server: Any = Server()
        assert config.plugins.on_serve(server, config=config, builder=lambda: None) is server
        assert server.watched == expected
        assert plugin.config.catalogue_dir == "catalogue"


def test_the_catalogue_draws_and_keys_its_cards_with_the_packaged_templates(
        tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from lifelong.build.scripts import minified
    from sitekit import one_of_each, write_project

    config = load_config(str(write_project(tmp_path, one_of_each())))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    site = config.plugins["lifelong/catalogue"].site
    # cards_key (and so every page's fingerprint) reads the lifelong/ templates of these.
    assert site.options.template_dirs[0] == THEME
    assert (tmp_path / "site" / "assets" / "lifelong" / "search.js").read_text(
        encoding="utf-8") == minified((THEME / "assets" / "lifelong" / "search.js").read_text(
            encoding="utf-8"))
