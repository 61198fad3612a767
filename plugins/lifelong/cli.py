"""The `lifelong` command: editors' checks and scaffolds, site builds, sample catalogues."""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from lifelong.problems import CatalogueError, format_problems

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

#: A command function, as the shared options' decorators take and give it.
Command = TypeVar("Command", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _project_option(func: Command) -> Command:
    return click.option(
        "--project", "-p", type=click.Path(file_okay=False, path_type=Path), default=".",
        show_default=True, help="Project folder holding content/ and catalogue/.")(func)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="lifelong")
def main() -> None:
    """Lifelong: build the lifelong-learning catalogue into a static site.

    \b
    Example:
      lifelong check            # validate every entry
      lifelong new course --title 太极拳入门
      lifelong build --strict   # build the site into site/
    """


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text: path:line: field: message; github: Actions "
                                      "annotations; json: machine-readable.")
@_project_option
def check(paths: tuple[Path, ...], fmt: str, project: Path) -> None:
    """Validate the catalogue and print every problem; exit 1 if there is any.

    PATHS limits the report to those files or folders (the whole catalogue is still read,
    since ids and references span files).

    \b
    Example:
      lifelong check
      lifelong check content/courses --format github
    """
    from lifelong.model import load_catalogue

    content, catalogue = project / "content", project / "catalogue"
    for folder in (content, catalogue):
        if not folder.is_dir():
            raise click.ClickException(f"{folder}: no such folder; run in the project folder "
                                       "or pass --project")
    try:
        result = load_catalogue(content, catalogue, only=paths or None,
                                markdown=_markdown_settings(project))
    except CatalogueError as exc:
        if fmt == "text":
            click.echo(format_problems(exc.problems, fmt))
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        else:
            click.echo(format_problems(exc.problems, fmt))
        sys.exit(1)
    if fmt == "json":
        click.echo(format_problems([], fmt))
    elif fmt == "text":
        count, drafts = len(result.entries), len(result.drafts)
        shown = f"{count} entr{'y' if count == 1 else 'ies'}"
        if drafts:
            shown += f", {drafts} draft{'s' if drafts != 1 else ''}"
        click.echo(f"OK: {shown}, no problems.")


def _markdown_settings(project: Path) -> tuple[Any, Any]:
    """The Markdown extensions of the project's mkdocs.yml (descriptions are checked as the
    site converts them), or MkDocs' defaults without one."""
    from lifelong.markup import DEFAULT_EXTENSIONS

    config_file = project / "mkdocs.yml"
    if not config_file.is_file():
        return DEFAULT_EXTENSIONS, {}
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # its notes on the configuration are the build's to give
    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise click.ClickException(f"{config_file}: {exc}") from None
    finally:
        logger.setLevel(level)
    return tuple(config.markdown_extensions), dict(config.mdx_configs or {})


def _config_option(func: Command) -> Command:
    return click.option(
        "--config-file", "-f", type=click.Path(dir_okay=False, path_type=Path),
        default=None, help="The site's mkdocs.yml (default: mkdocs.yml in --project).")(func)


def _mkdocs_config(project: Path, config_file: Path | None) -> str:
    path = config_file or project / "mkdocs.yml"
    if not path.is_file():
        raise click.ClickException(f"{path}: no such file; run in the project folder or pass "
                                   "--config-file")
    return str(path)


def _setup_logging(verbose: bool) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner, not our concern
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


@main.command(context_settings=CONTEXT)
@click.option("--strict", is_flag=True, help="Fail on any warning (as CI does).")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site_dir in mkdocs.yml).")
@click.option("--verbose", "-v", is_flag=True, help="Show MkDocs' debug messages.")
@click.option("--clean", is_flag=True,
              help="Empty the site folder and draw every page again, reusing nothing.")
@_config_option
@_project_option
def build(strict: bool, site_dir: Path | None, verbose: bool, clean: bool,
          config_file: Path | None, project: Path) -> None:
    """Build the site (with the catalogue plugins) into site/.

    Every problem in the catalogue is reported at once and the build stops. When the site
    folder holds an earlier build, only what changed is redrawn and what is gone is removed:
    the result is the same as a clean build. What rebuilds reuse is kept in .lifelong-cache/
    beside the catalogue folder (safe to delete).

    \b
    Example:
      lifelong build --strict
      lifelong build --clean
      lifelong build -f site_config/offline.yml -d build/offline
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _setup_logging(verbose)
    path = _mkdocs_config(project, config_file)
    options: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        options["site_dir"] = str(site_dir.resolve())
    try:
        config = load_config(path, **options)
        if clean:
            _forget_cache(config)
        dirty = not clean and Path(config.site_dir).is_dir()
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # a full disk, a site folder that may not be written
        raise click.ClickException(f"{exc.filename or 'the site'}: {exc.strerror or exc}"
                                   ) from None


def _forget_cache(config: MkDocsConfig) -> None:
    """Delete what the catalogue plugin keeps for rebuilds."""
    import shutil

    plugin = config.plugins.get("lifelong/catalogue")
    cache = getattr(plugin, "cache_dir", lambda config: None)(config)
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)


@main.command(context_settings=CONTEXT)
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True,
              help="IP address and port to serve on.")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--poll", is_flag=True,
              help="Look for changes by listing the files twice a second instead of the "
                   "system's change events: for folders whose changes send none (some "
                   "network drives, folders shared into a container). Slow for a large "
                   "catalogue.")
@_config_option
@_project_option
def serve(dev_addr: str, strict: bool, open_browser: bool, poll: bool,
          config_file: Path | None, project: Path) -> None:
    """Preview the site, rebuilding when content/, catalogue/ or site_config/ change.

    While the catalogue (or the build) has errors, every page lists them instead of the
    site, and reloads by itself once they are fixed.

    \b
    Example:
      lifelong serve
      lifelong serve -a 0.0.0.0:8000
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from lifelong.cache import keep_in_memory
    from lifelong.serve import serving

    _setup_logging(False)
    path = _mkdocs_config(project, config_file)
    root = Path(path).parent
    watch = [str(p) for p in (root / "catalogue", root / "site_config") if p.is_dir()]
    keep_in_memory(True)  # each rebuild reuses what the last one read, without reading it
    try:
        # While the catalogue or the build has errors, every page shows them (and reloads
        # once they are fixed), even when the first build fails.
        with serving(poll=poll):
            # Dirty builds: after the first, a save redraws only what changed.
            mkdocs_serve(config_file=path, dev_addr=dev_addr, strict=strict, watch=watch,
                         open_in_browser=open_browser, build_type="dirty")
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the address is taken; no more change events to be had
        hint = " (or run lifelong serve --poll)" if exc.errno in (errno.ENOSPC, errno.EMFILE) \
            else ""
        raise click.ClickException(f"{exc.filename or dev_addr}: {exc.strerror or exc}{hint}"
                                   ) from None


@main.command(context_settings=CONTEXT)
@click.argument("kind")
@click.option("--title", "-t", required=True, help="Chinese title of the entry.")
@click.option("--title-en", help="English title (also used to make the id).")
@click.option("--summary", help="One-sentence summary (default: the title).")
@click.option("--subject", "subjects", multiple=True,
              help="Subject term from catalogue/vocabularies/subjects.yml; repeatable.")
@click.option("--id", "entry_id", help="The id (default: made from the title, unique).")
@click.option("--force", is_flag=True, help="Replace an existing file with the same id.")
@_project_option
def new(kind: str, title: str, title_en: str | None, summary: str | None,
        subjects: tuple[str, ...], entry_id: str | None, force: bool, project: Path) -> None:
    """Write a new entry of KIND (course, ebook, lecture, series, star, project).

    The file goes to content/<folder of the kind>/<id>.md as a draft that passes
    `lifelong check`; it never replaces an existing file unless --force is given.

    \b
    Example:
      lifelong new course --title 太极拳入门 --subject exercise
      lifelong new ebook --title 论语 --title-en "The Analects" --subject classics
    """
    from lifelong.scaffold import ScaffoldError, write_scaffold
    from lifelong.schema import load_rules

    try:
        rules = load_rules(project / "catalogue")
        path = write_scaffold(project, rules, kind, title=title, title_en=title_en,
                              summary=summary, subjects=subjects, entry_id=entry_id,
                              force=force)
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {path.relative_to(project).as_posix()} (a draft: fill it in, then "
               "remove 'draft: true').")


@main.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Write into a folder that is not empty: the new project's files are "
                   "written over, other files are kept.")
def init(folder: Path, force: bool) -> None:
    """Write a new catalogue project into FOLDER (made if missing; it must be empty).

    It gets mkdocs.yml (Material and the lifelong/catalogue plugin), catalogue/ (the
    default rules: fields, vocabularies, sections), content/ (a home page, an about page
    and one entry of each kind) and a README.md. It passes `lifelong check` and builds
    with `mkdocs build --strict` as it is.

    \b
    Example:
      lifelong init my-catalogue
      cd my-catalogue && lifelong check && mkdocs build --strict
    """
    from lifelong.init import InitError, write_project

    try:
        written = write_project(folder, force=force)
    except InitError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or folder}: {exc.strerror or exc}"
                                   ) from None
    click.echo(f"Created a catalogue project in {folder} ({len(written)} files). Next:\n"
               f"  cd {folder}\n  lifelong check\n  mkdocs build --strict")


@main.command(context_settings=CONTEXT)
@click.option("--entries", "-n", type=click.IntRange(min=0), required=True,
              help="How many entries, e.g. 90000.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="New project folder: gets content/, catalogue/, site_config/, mkdocs.yml.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Another seed gives another (equally valid) catalogue.")
@_project_option
def sample(entries: int, out: Path, seed: int, project: Path) -> None:
    """Write a deterministic synthetic catalogue of N entries for benchmarks and scale tests.

    Entries come in the real proportions (mostly courses, then e-books, lectures, series,
    stars and projects), with realistic Chinese and English text, valid against the rules in
    --project's catalogue/. The same N and seed always give the same bytes. The folder is a
    project of its own, with the site config of --project.

    \b
    Example:
      lifelong sample --entries 90000 --out /tmp/lifelong-90k
      lifelong build --project /tmp/lifelong-90k
    """
    import shutil
    import time

    from lifelong.sample import write_sample

    for needed in ("catalogue", "site_config", "mkdocs.yml"):
        if not (project / needed).exists():
            raise click.ClickException(f"{project / needed}: missing; run in the project "
                                       "folder or pass --project")
    if (out / "mkdocs.yml").exists() or (out / "site_config").exists():
        raise click.ClickException(f"{out} already holds a project; choose a new folder")
    began = time.perf_counter()
    try:
        counts = write_sample(out, entries, catalogue_dir=project / "catalogue", seed=seed)
    except (FileExistsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    shutil.copytree(project / "site_config", out / "site_config")
    shutil.copyfile(project / "mkdocs.yml", out / "mkdocs.yml")
    took = time.perf_counter() - began
    click.echo(f"Wrote {sum(counts.values())} entries to {out} in {took:.1f} s: "
               + ", ".join(f"{kind} {n}" for kind, n in counts.items() if n))


from lifelong import cli_bundle  # noqa: E402, F401  (registers `lifelong bundle`)


def run() -> None:
    """The console script: ``main``, then exit at once. A full-scale build leaves millions of
    objects that the interpreter would free one by one on the way out (seconds, for memory
    the system takes back anyway); every file is written and closed by then."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
