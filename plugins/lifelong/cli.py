"""The `lifelong` command: editors' checks and scaffolds, site builds, sample catalogues."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lifelong.problems import CatalogueError, format_problems

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _project_option(func):  # type: ignore[no-untyped-def]
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
        result = load_catalogue(content, catalogue, only=paths or None)
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
        drafts = f", {len(result.drafts)} drafts" if result.drafts else ""
        click.echo(f"OK: {len(result.entries)} entries{drafts}, no problems.")
