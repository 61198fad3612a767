"""`lifelong bundle`: the offline copy for community centres, as a zip, an update pack or a
ZIM; and `bundle verify` / `bundle apply` for the copies out there."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lifelong.catalogue.problems import CatalogueError
from lifelong.cli.options import CONTEXT, project_option, setup_logging
from lifelong.offline.bundle import BundleError, SiteSizes

if TYPE_CHECKING:
    from lifelong.offline.remote import RemoteMedia

#: Remote images listed by name; the rest are counted.
LISTED = 10


def human_size(size: int) -> str:
    """Bytes as a person reads them: 980 B, 12.3 KB, 4.5 MB, 2.1 GB (powers of 1024)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _sizes_table(sizes: SiteSizes) -> list[str]:
    rows = [*sizes.categories(), ("total", sizes.total)]
    return [f"  {name:<7} {part.files:>8} files {human_size(part.bytes):>10}"
            for name, part in rows]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _listed(lines: list[str]) -> list[str]:
    """The first ``LISTED`` lines, then how many more there are."""
    if len(lines) <= LISTED:
        return lines
    return [*lines[:LISTED], f"  ... and {len(lines) - LISTED} more"]


def _report_remote(remote: RemoteMedia | None) -> None:
    """What the copy does with covers and photos at http(s) addresses: fetched into it, or
    left out with their placeholders shown (stdout); each fetch that failed is also a
    warning (stderr)."""
    if remote is None:
        return
    if remote.mode == "fetch" and remote.fetched:
        click.echo(f"{_plural(remote.shown, 'remote image')} fetched into the copy "
                   f"({_plural(len(remote.files), 'file')} in media/remote/)")
    if remote.left_out:
        hint = "" if remote.mode == "fetch" else "; --fetch-remote fetches them into the copy"
        click.echo(f"{_plural(len(remote.left_out), 'remote image')} left out "
                   f"(placeholders shown{hint}):")
        for line in _listed([f"  {image.source}: {image.url}"
                             + (f" ({image.reason})" if image.reason else "")
                             for image in remote.left_out]):
            click.echo(line)
    for line in _listed([f"Warning: {image.source}: {image.field} {image.url} could not be "
                         f"fetched: {image.reason}; the placeholder is shown"
                         for image in remote.failed]):
        click.echo(line, err=True)


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: a .zip (or a .zim with --format zim).")
@click.option("--section", "sections", multiple=True,
              help="Only this themed section (an id from catalogue/sections.yml); repeatable.")
@click.option("--subject", "subjects", multiple=True,
              help="Only entries with this subject term; repeatable.")
@click.option("--audience", "audiences", multiple=True,
              help="Only entries for this audience term; repeatable.")
@click.option("--region", "regions", multiple=True,
              help="A copy for this province (a term of regions.yml, e.g. sichuan); "
                   "repeatable. It holds the province's entries and nationwide ones (region "
                   "national or none; an activity or a lecture is where its centre is), and "
                   "always the province's centres, its teachers (of it or sharing in it) and "
                   "the activities at its centres with the teachers they name; --section, "
                   "--subject and --audience narrow the rest.")
@click.option("--media", type=click.Choice(["none", "covers", "all"]), default="all",
              show_default=True, help="Local media to include: none, covers only, or all "
                                      "(covers, photos, e-book files).")
@click.option("--fetch-remote", is_flag=True,
              help="Fetch covers and photos at http(s) addresses into the copy (PNG, JPEG, "
                   "GIF, WebP up to 5 MB; kept in .lifelong-cache/remote/ for the next "
                   "bundle). Without it they are left out and placeholders shown: a copy "
                   "never asks the internet for anything.")
@click.option("--since", type=click.Path(exists=True, path_type=Path),
              help="Write an update pack from this old copy instead: its manifest.json, or "
                   "the old copy's folder or zip.")
@click.option("--format", "fmt", type=click.Choice(["zip", "zim"]), default=None,
              help="zip (default) or zim (for Kiwix); a -o ending in .zim means zim.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@project_option
@click.pass_context
def bundle(ctx: click.Context, out: Path | None, sections: tuple[str, ...],
           subjects: tuple[str, ...], audiences: tuple[str, ...], regions: tuple[str, ...],
           media: str,
           fetch_remote: bool, since: Path | None, fmt: str | None, force: bool,
           project: Path) -> None:
    """Build the offline copy (opens from a USB stick via file://, search included) and pack it.

    The site is built with site_config/offline.yml into a temporary folder (under TMPDIR),
    its sizes are shown with the remote images it leaves out (covers and photos at http(s)
    addresses: a copy asks nothing of the internet; --fetch-remote fetches them into it),
    manifest.json (SHA-256 of every file, catalogue version and date) is written into it,
    and then one of: a zip that is byte for byte the same for the same catalogue; with
    --since, an update pack of only the files added or changed since an old copy (apply it
    with `lifelong bundle apply`); with --format zim, a ZIM file for Kiwix.

    \b
    Example:
      lifelong bundle -o lifelong.zip
      lifelong bundle -o older.zip --section community-education --audience older-adults \\
          --media covers
      lifelong bundle -o sichuan.zip --region sichuan
      lifelong bundle -o lifelong.zip --fetch-remote
      lifelong bundle -o update.zip --since old/manifest.json
      lifelong bundle -o lifelong.offline.zim
      lifelong bundle verify lifelong.zip
      lifelong bundle apply update.zip /media/usb/lifelong
    """
    if ctx.invoked_subcommand is not None:
        for name, value in (("--out", out), ("--section", sections), ("--subject", subjects),
                            ("--audience", audiences), ("--region", regions),
                            ("--since", since), ("--format", fmt),
                            ("--force", force), ("--fetch-remote", fetch_remote)):
            if value:
                raise click.UsageError(f"{name} belongs to `lifelong bundle` itself, not to "
                                       f"`lifelong bundle {ctx.invoked_subcommand}`")
        return
    if out is None:
        raise click.UsageError("Missing option '--out' / '-o' (the file to write).")
    fmt = fmt or ("zim" if out.suffix.lower() == ".zim" else "zip")
    if fmt == "zim" and since is not None:
        raise click.UsageError("--since makes a zip update pack; it cannot be a ZIM.")
    if out.exists() and not force:
        raise click.ClickException(f"{out}: already exists (use --force to replace it)")
    if out.is_dir():
        raise click.ClickException(f"{out}: is a folder; give the path of a file")
    if not (project / "mkdocs.yml").is_file():
        raise click.ClickException(f"{project / 'mkdocs.yml'}: no such file; run in the "
                                   "project folder or pass --project")

    from lifelong.offline import bundle as packing

    if since is not None:  # read before the long build, so a wrong path fails at once
        try:
            packing.read_manifest(since)
        except BundleError as exc:
            raise click.ClickException(str(exc)) from None
    setup_logging(False)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lifelong-bundle-") as work:
        site_dir = Path(work) / "site"
        try:
            from lifelong.mkdocs.offline import build_offline

            fetch: dict[str, Any] = {"remote_media": "fetch"} if fetch_remote else {}
            build = build_offline(project, site_dir, sections=sections, subjects=subjects,
                                  audiences=audiences, regions=regions, media=media, **fetch)
        except (CatalogueError, FileNotFoundError) as exc:
            raise click.ClickException(str(exc)) from None
        site_dir, version, date, entries = (build.site_dir, build.version, build.date,
                                            build.entries)
        if not entries:
            raise click.ClickException("no entry matches --section/--subject/--audience/"
                                       "--region: nothing to bundle")
        if date is None:
            raise click.ClickException("the catalogue has no date (no entry is dated), and "
                                       "a copy needs one")
        try:
            sizes = packing.sizes(site_dir)
            click.echo(f"Catalogue {version} of {date.isoformat()}: {entries} entr"
                       f"{'y' if entries == 1 else 'ies'}, {sizes.total.files} files, "
                       f"{human_size(sizes.total.bytes)} unpacked")
            for line in _sizes_table(sizes):
                click.echo(line)
            _report_remote(getattr(build, "remote", None))
            manifest = packing.write_manifest(site_dir, version=version, date=date)
            if since is not None:
                pack = packing.make_update(site_dir, since, out, force=force)
                summary = (f"update {pack.from_version} -> {pack.to_version}: "
                           f"{len(pack.files)} added or changed, {len(pack.removed)} removed, "
                           f"{pack.unchanged} unchanged")
            elif fmt == "zim":
                summary = _write_zim(site_dir, out, date, entries, force)
            else:
                packing.pack_zip(site_dir, out, force=force)
                summary = f"{len(manifest.files) + 1} files"
        except BundleError as exc:
            raise click.ClickException(str(exc)) from None
    took = time.perf_counter() - began
    click.echo(f"Wrote {out} ({human_size(out.stat().st_size)}; {summary}) in {took:.1f} s.")


def _write_zim(site_dir: Path, out: Path, date: dt.date, entries: int, force: bool) -> str:
    from lifelong.offline import zim

    meta = zim.page_metadata(site_dir / "index.html")
    title = _clip(meta.get("title") or "Lifelong", 30)
    description = meta.get("description") or f"{title}离线版，共 {entries} 个条目。"
    info = zim.write_zim(
        site_dir, out, title=title, description=_clip(description, 80),
        long_description=description if len(description) > 80 else None,
        creator=meta.get("author") or title, publisher=meta.get("author") or title,
        date=date, force=force)
    return (f"ZIM with {info.entries} entries, {info.articles} articles, "
            f"{info.illustration} illustration")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@bundle.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def verify(path: Path) -> None:
    """Check an offline copy (a .zip or an unpacked folder) against its manifest.json.

    Every file is hashed; missing, changed and extra files are listed and the exit code is 1
    if there is any.

    \b
    Example:
      lifelong bundle verify lifelong.zip
      lifelong bundle verify /media/usb/lifelong
    """
    from lifelong.offline.bundle import verify as verify_copy

    try:
        report = verify_copy(path)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from None
    what = f"catalogue {report.version} of {report.date.isoformat()}"
    if report.ok:
        click.echo(f"OK: {path}: {report.checked} files match manifest.json ({what}).")
        return
    for label, paths in (("missing", report.missing), ("changed", report.changed),
                         ("extra", report.extra)):
        for item in paths:
            click.echo(f"{label}: {item}")
    click.echo(f"{path} ({what}): {len(report.missing)} missing, {len(report.changed)} "
               f"changed, {len(report.extra)} extra; unpack a fresh copy.", err=True)
    sys.exit(1)


@bundle.command(context_settings=CONTEXT)
@click.argument("update_zip", metavar="UPDATE.zip",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("copy_dir", metavar="DIR",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def apply(update_zip: Path, copy_dir: Path) -> None:
    """Bring an unpacked offline copy up to date with an update pack, in place.

    The pack and the copy are checked first: nothing is changed unless every file of the
    copy is as its old or its new version should be. Files are then replaced one by one and
    manifest.json is written last, so an update that was interrupted (stick pulled out,
    power cut) can simply be applied again.

    \b
    Example:
      lifelong bundle apply update.zip /media/usb/lifelong
      lifelong bundle verify /media/usb/lifelong
    """
    from lifelong.offline.bundle import apply_update

    try:
        report = apply_update(update_zip, copy_dir)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from None
    if report.up_to_date:
        click.echo(f"{copy_dir} is already catalogue {report.to_version}; nothing to do.")
        return
    again = f" ({report.already} already done by an earlier run)" if report.already else ""
    click.echo(f"Updated {copy_dir} from {report.from_version} to {report.to_version}: "
               f"{len(report.written)} files written, {len(report.removed)} removed{again}.")
