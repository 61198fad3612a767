"""`lifelong check`: every problem of the catalogue, as path:line: field: message, and
likely duplicates as warnings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lifelong.catalogue.problems import CatalogueError, Problem, format_problems
from lifelong.catalogue.reading import MarkdownSettings
from lifelong.cli.options import CONTEXT, project_option


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text: path:line: field: message; github: Actions "
                                      "annotations; json: machine-readable.")
@click.option("--duplicates/--no-duplicates", default=True, show_default=True,
              help="Warn about likely duplicates (same ISBN, or same title and author).")
@click.option("--strict", is_flag=True,
              help="Exit 1 on warnings too (a build never stops for them).")
@project_option
def check(paths: tuple[Path, ...], fmt: str, duplicates: bool, strict: bool,
          project: Path) -> None:
    """Validate the catalogue and print every problem; exit 1 if there is any error.

    Warnings (likely duplicates: the same ISBN, or the same title and author, traditional
    and simplified characters alike) are printed as `path:line: warning: ...` and do not
    change the exit status unless --strict. PATHS limits the report to those files or
    folders (the whole catalogue is still read, since ids and references span files; a
    duplicate is shown when either of its files is named).

    \b
    Example:
      lifelong check
      lifelong check content/courses --format github
      lifelong check --no-duplicates
    """
    from lifelong.build.loading import load_catalogue

    content, catalogue = project / "content", project / "catalogue"
    for folder in (content, catalogue):
        if not folder.is_dir():
            raise click.ClickException(f"{folder}: no such folder; run in the project folder "
                                       "or pass --project")
    warnings: list[Problem] | None = [] if duplicates else None
    errors: list[Problem] = []
    try:
        result = load_catalogue(content, catalogue, only=paths or None,
                                markdown=markdown_settings(project), warnings=warnings)
    except CatalogueError as exc:
        errors, result = exc.problems, None
    found = [*errors, *(warnings or ())]
    if fmt != "text":
        if found or fmt == "json":
            click.echo(format_problems(found, fmt))
    elif found:
        click.echo(format_problems(found, fmt))
    warned = len(warnings or ())
    if fmt == "text":
        if result is None or (strict and warned):
            click.echo(f"{_counted(errors, warnings or [])} found.", err=True)
        else:
            count, drafts = len(result.entries), len(result.drafts)
            shown = f"{count} entr{'y' if count == 1 else 'ies'}"
            if drafts:
                shown += f", {drafts} draft{'s' if drafts != 1 else ''}"
            tail = f"; {_plural(warned, 'warning')}" if warned else ""
            click.echo(f"OK: {shown}, no problems{tail}.")
    if errors or (strict and warned):
        sys.exit(1)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _counted(errors: list[Problem], warnings: list[Problem]) -> str:
    """"3 problems", "3 problems and 1 warning", "1 warning" (``--strict``)."""
    parts = [_plural(len(errors), "problem")] if errors else []
    if warnings:
        parts.append(_plural(len(warnings), "warning"))
    return " and ".join(parts)


def markdown_settings(project: Path) -> MarkdownSettings:
    """The Markdown extensions of the project's mkdocs.yml (descriptions are checked as the
    site converts them), or MkDocs' defaults without one."""
    from lifelong.mkdocs.commands import CommandError
    from lifelong.mkdocs.commands import markdown_settings as read

    try:
        return read(project / "mkdocs.yml")
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
