"""`lifelong build`: the site, redrawing only what changed since the last build."""

from __future__ import annotations

from pathlib import Path

import click

from lifelong.cli.options import (
    CONTEXT,
    config_option,
    mkdocs_config,
    project_option,
    setup_logging,
)


@click.command(context_settings=CONTEXT)
@click.option("--strict", is_flag=True, help="Fail on any warning (as CI does).")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site_dir in mkdocs.yml).")
@click.option("--verbose", "-v", is_flag=True, help="Show MkDocs' debug messages.")
@click.option("--clean", is_flag=True,
              help="Empty the site folder and draw every page again, reusing nothing.")
@config_option
@project_option
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
    from lifelong.mkdocs.commands import CommandError, build_site

    setup_logging(verbose)
    path = mkdocs_config(project, config_file)
    try:
        build_site(path, strict=strict, site_dir=site_dir, clean=clean)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # a full disk, a site folder that may not be written
        raise click.ClickException(f"{exc.filename or 'the site'}: {exc.strerror or exc}"
                                   ) from None
