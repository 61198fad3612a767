"""`lifelong new`: a new entry, as a draft that passes check."""

from __future__ import annotations

from pathlib import Path

import click

from lifelong.catalogue.problems import CatalogueError
from lifelong.cli.options import CONTEXT, project_option


@click.command(context_settings=CONTEXT)
@click.argument("kind")
@click.option("--title", "-t", required=True, help="Chinese title of the entry.")
@click.option("--title-en", help="English title (also used to make the id).")
@click.option("--summary", help="One-sentence summary (default: the title).")
@click.option("--subject", "subjects", multiple=True,
              help="Subject term from catalogue/vocabularies/subjects.yml; repeatable.")
@click.option("--id", "entry_id", help="The id (default: made from the title, unique).")
@click.option("--force", is_flag=True, help="Replace an existing file with the same id.")
@project_option
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
    from lifelong.catalogue.scaffold import ScaffoldError, write_scaffold
    from lifelong.catalogue.schema import load_rules

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
