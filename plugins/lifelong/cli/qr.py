"""`lifelong qr`: an SVG file of every entry's QR code, for designers of printed posters
(the site draws its codes in its pages and holds no such file)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from lifelong.cli.options import CONTEXT, config_option, mkdocs_config, project_option


@click.command(context_settings=CONTEXT)
@click.option("--out", "-o", "out", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write into (made if missing); never inside content/ or the "
                   "site folder.")
@click.option("--section", "sections", multiple=True,
              help="Only this themed section (an id from catalogue/sections.yml); repeatable.")
@project_option
@config_option
def qr(out: Path, sections: tuple[str, ...], project: Path, config_file: Path | None) -> None:
    """Write the QR code of every entry as OUT/<id>.svg, for printed posters and leaflets.

    Each code leads to the entry's page on the public site (site_url in mkdocs.yml), as the
    one its page shows; the file is an SVG with a viewBox and no size of its own (scale it
    as you like: it stays sharp), titled with the entry's title and address. Files are
    written whole (a new file, then renamed over the old one): running it again replaces
    them with the same bytes. The catalogue must pass `lifelong check`.

    \b
    Example:
      lifelong qr --out posters/qr                       # every entry
      lifelong qr --out posters/qr --section reading     # one themed section
    """
    from lifelong.build.loading import load_catalogue
    from lifelong.catalogue.problems import CatalogueError, format_problems
    from lifelong.cli.check import markdown_settings
    from lifelong.mkdocs.commands import CommandError, public_address
    from lifelong.site.qr import qr_svg
    from lifelong.site.urls import UrlScheme

    content, catalogue_dir = project / "content", project / "catalogue"
    for folder in (content, catalogue_dir):
        if not folder.is_dir():
            raise click.ClickException(f"{folder}: no such folder; run in the project folder "
                                       "or pass --project")
    config = mkdocs_config(project, config_file)
    try:
        site_url, site_dir = public_address(Path(config))
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
    if not site_url:
        raise click.ClickException(f"no public address to encode: set site_url in {config} "
                                   "(the address every QR code leads to)")
    target = out.resolve()
    for folder, what in ((content, "content/, what editors write"),
                         (site_dir, "the site folder, which a build empties")):
        if target.is_relative_to(folder.resolve()):
            raise click.ClickException(f"{out} is inside {what}: write the QR codes "
                                       "elsewhere")
    try:
        catalogue = load_catalogue(content, catalogue_dir, markdown=markdown_settings(project))
    except CatalogueError as exc:
        count = len(exc.problems)
        raise click.ClickException(
            f"no QR code written: fix {'this problem' if count == 1 else f'these {count} problems'}"
            " first (lifelong check)\n" + format_problems(exc.problems)) from None
    known = {section.slug: section for section in catalogue.rules.sections}
    unknown = [slug for slug in sections if slug not in known]
    if unknown:
        raise click.ClickException(f"unknown section {', '.join(map(repr, unknown))}; the "
                                   f"sections are {', '.join(known)}")
    chosen = {entry.id for slug in sections for entry in catalogue.in_section(known[slug])}
    entries = [e for e in catalogue.entries if not sections or e.id in chosen]
    base = site_url.rstrip("/") + "/"
    entry_url = UrlScheme(True).entry_url
    temporary = target / ".lifelong-qr.svg.tmp"
    try:
        target.mkdir(parents=True, exist_ok=True)
        for entry in entries:
            url = base + entry_url(entry.id)
            temporary.write_bytes(qr_svg(url, f"{entry.title} {url}"))
            os.replace(temporary, target / f"{entry.id}.svg")
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise click.ClickException(f"{exc.filename or out}: cannot write: "
                                   f"{exc.strerror or exc}") from None
    count = len(entries)
    click.echo(f"Wrote {count} QR code{'' if count == 1 else 's'} to {out}, each "
               f"leading to {base}<id>/.")
