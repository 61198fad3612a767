"""`lifelong init`: a new catalogue project."""

from __future__ import annotations

from pathlib import Path

import click

from lifelong.cli.options import CONTEXT


@click.command(context_settings=CONTEXT)
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
    from lifelong.catalogue.project import InitError, write_project

    try:
        written = write_project(folder, force=force)
    except InitError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or folder}: {exc.strerror or exc}"
                                   ) from None
    click.echo(f"Created a catalogue project in {folder} ({len(written)} files). Next:\n"
               f"  cd {folder}\n  lifelong check\n  mkdocs build --strict")
