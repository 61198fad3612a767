"""`lifelong import`: other systems' records (CSV, XLSX, JSON, JSON Lines, OPDS) as entries."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lifelong.cli.options import CONTEXT


@click.command("import", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="content/ of the project (or a folder in it); entries go to the kind's "
                   "folder there.")
@click.option("--mapping", "-m", "mapping_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML: which column feeds which field (README, \"Importing\").")
@click.option("--kind", help="The kind of every record (course, ebook, ...), when neither the "
                             "mapping nor a kind column says.")
@click.option("--dry-run", is_flag=True, help="Write nothing (no entry, no ledger); report "
                                              "what would be done.")
@click.option("--update", is_flag=True, help="Update entries matched by id or ISBN, keeping "
                                             "their description and fields edited by hand.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="The report as text or JSON.")
def import_(sources: tuple[Path, ...], into: Path, mapping_file: Path | None, kind: str | None,
            dry_run: bool, update: bool, fmt: str) -> None:
    """Import SOURCE files (CSV, XLSX, JSON, JSON Lines, OPDS feeds) as entries.

    Every row is checked as `lifelong check` checks entries; a row with a problem writes
    nothing and is reported as SOURCE:ROW: column -> field: message (exit 1). Existing
    entries (matched by id or ISBN) are never touched without --update. What came from
    each source is kept in import-ledger.json beside content/.

    \b
    Example:
      lifelong import books.csv --into content --mapping goodbooks.yml --dry-run
      lifelong import 课程.csv --into content --kind course
      lifelong import feed-1.xml feed-2.xml --into content --update
    """
    from lifelong.catalogue.problems import CatalogueError
    from lifelong.catalogue.schema import load_rules
    from lifelong.cli.check import markdown_settings
    from lifelong.interchange.importer import Importer
    from lifelong.interchange.mapping import ImportMapping, MappingError, load_mapping
    from lifelong.interchange.sources import SourceError, read_all

    project, folder = _project_of(into)
    try:
        rules = load_rules(project / "catalogue")
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    if kind is not None and kind not in rules.kinds:
        hint = rules.suggest_kind(kind)
        raise click.ClickException(f"unknown kind '{kind}'" + (
            f"; did you mean '{hint}'?" if hint else "; use one of " + ", ".join(rules.kinds)))
    try:
        mapping = (load_mapping(mapping_file, rules, str(mapping_file)) if mapping_file
                   else ImportMapping())
    except MappingError as exc:
        raise click.ClickException(f"the mapping has problems:\n{exc}") from None
    importer = Importer(project, folder, rules, mapping, kind=kind, update=update,
                        dry_run=dry_run, markdown=markdown_settings(project))
    try:
        report = importer.run(read_all(sources))
    except SourceError as exc:
        raise click.ClickException(f"{exc} (nothing was imported)") from None
    click.echo(report.as_json() if fmt == "json" else report.text())
    if report.invalid:
        sys.exit(1)


def _project_of(into: Path) -> tuple[Path, Path]:
    """The project (the folder holding content/ and catalogue/) and the folder in its
    content/ that ``--into`` names (the project itself names its content/)."""
    folder = into.resolve()
    if (folder / "content").is_dir() and (folder / "catalogue").is_dir():
        return folder, folder / "content"
    for parent in (folder, *folder.parents):
        if parent.name == "content" and (parent.parent / "catalogue").is_dir():
            return parent.parent, folder
    raise click.ClickException(f"{into}: not a project's content/ folder (or a folder in it); "
                               "a project holds content/ and catalogue/ (`lifelong init`)")
