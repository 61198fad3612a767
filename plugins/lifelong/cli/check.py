"""`lifelong check`: every problem of the catalogue, as path:line: field: message."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lifelong.catalogue.problems import CatalogueError, format_problems
from lifelong.catalogue.reading import MarkdownSettings
from lifelong.cli.options import CONTEXT, project_option


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text: path:line: field: message; github: Actions "
                                      "annotations; json: machine-readable.")
@project_option
def check(paths: tuple[Path, ...], fmt: str, project: Path) -> None:
    """Validate the catalogue and print every problem; exit 1 if there is any.

    PATHS limits the report to those files or folders (the whole catalogue is still read,
    since ids and references span files).

    \b
    Example:
      lifelong check
      lifelong check content/courses --format github
    """
    from lifelong.build.loading import load_catalogue

    content, catalogue = project / "content", project / "catalogue"
    for folder in (content, catalogue):
        if not folder.is_dir():
            raise click.ClickException(f"{folder}: no such folder; run in the project folder "
                                       "or pass --project")
    try:
        result = load_catalogue(content, catalogue, only=paths or None,
                                markdown=markdown_settings(project))
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


def markdown_settings(project: Path) -> MarkdownSettings:
    """The Markdown extensions of the project's mkdocs.yml (descriptions are checked as the
    site converts them), or MkDocs' defaults without one."""
    from lifelong.mkdocs.commands import CommandError
    from lifelong.mkdocs.commands import markdown_settings as read

    try:
        return read(project / "mkdocs.yml")
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
