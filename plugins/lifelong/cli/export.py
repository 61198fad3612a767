"""`lifelong export`: the catalogue as CSV, JSON or JSON Lines for other systems and
spreadsheets (``lifelong.interchange.export`` says what the files hold)."""

from __future__ import annotations

from pathlib import Path

import click

from lifelong.cli.options import CONTEXT, project_option


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json"]), required=True,
              help="csv: one row per entry (UTF-8 with BOM, opens in Excel); jsonl: one JSON "
                   "object per line; json: one array.")
@click.option("--kind", "-k", default=None, help="Export only entries of this kind.")
@click.option("--output", "-o", required=True, metavar="FILE",
              help="The file to write ('-' for standard output).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--public", is_flag=True,
              help="Leave out what the site keeps private (a contact whose 'public' is not "
                   "true): for a file shared beyond the editors.")
@project_option
def export(fmt: str, kind: str | None, output: str, force: bool, public: bool,
           project: Path) -> None:
    """Write the catalogue's entries (drafts too) as data: kind, id, every field as the
    editor wrote it, and the description as `body`; sorted by kind, then id.
    `lifelong import` reads the file back. The catalogue must pass `lifelong check`.
    Contacts the site keeps private are written too (the file is the editors'), and the
    command says how many; --public leaves them out.

    \b
    Example:
      lifelong export --format csv -o catalogue.csv        # to edit in a spreadsheet
      lifelong export --format jsonl --kind ebook -o -     # e-books to standard output
      lifelong export --format json --public -o partners.json
    """
    from lifelong.build.loading import load_catalogue
    from lifelong.catalogue.entryfile import write_new_file
    from lifelong.catalogue.problems import CatalogueError, format_problems
    from lifelong.cli.check import markdown_settings
    from lifelong.interchange.export import (
        csv_columns,
        export_records,
        private_values,
        render,
    )

    content, catalogue_dir = project / "content", project / "catalogue"
    for folder in (content, catalogue_dir):
        if not folder.is_dir():
            raise click.ClickException(f"{folder}: no such folder; run in the project folder "
                                       "or pass --project")
    target = None if output == "-" else Path(output)
    if target is not None and target.exists() and not force:
        raise click.ClickException(f"{target} exists; pass --force to replace it")
    try:
        loaded = load_catalogue(content, catalogue_dir, markdown=markdown_settings(project))
        rules = loaded.rules
        if kind is not None and kind not in rules.kinds:
            hint = rules.suggest_kind(kind)
            raise click.ClickException(
                f"unknown kind {kind!r}" + (f"; did you mean {hint!r}?" if hint else
                                            f"; the kinds are {', '.join(rules.kinds)}"))
        records = export_records(content, rules, [*loaded.entries, *loaded.drafts], kind,
                                 public=public)
    except CatalogueError as exc:
        count = len(exc.problems)
        raise click.ClickException(
            f"nothing exported: fix {'this problem' if count == 1 else f'these {count} problems'}"
            " first (lifelong check)\n" + format_problems(exc.problems)) from None
    kinds = [kind] if kind else list(rules.kinds)
    data = render(records, fmt, csv_columns(rules, kinds) if fmt == "csv" else ())
    private = private_values(records, rules)
    note = (f"Note: {private} private value{'s' if private != 1 else ''} (a contact whose "
            "'public' is not true) written; keep the file among editors, or pass --public "
            "to leave them out.") if private else ""
    if target is None:
        click.echo(data, nl=False)
        if note:
            click.echo(note, err=True)
        return
    try:
        write_new_file(target, data.decode("utf-8"), force=force)
    except FileExistsError:
        raise click.ClickException(f"{target} exists; pass --force to replace it") from None
    except OSError as exc:
        raise click.ClickException(f"{target}: cannot write: {exc.strerror}") from None
    count = len(records)
    click.echo(f"Exported {count} entr{'y' if count == 1 else 'ies'} to {target}.", err=True)
    if note:
        click.echo(note, err=True)
