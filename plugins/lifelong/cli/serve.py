"""`lifelong serve`: a preview that rebuilds what a save changed."""

from __future__ import annotations

import errno
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
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True,
              help="IP address and port to serve on.")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--poll", is_flag=True,
              help="Look for changes by listing the files twice a second instead of the "
                   "system's change events: for folders whose changes send none (some "
                   "network drives, folders shared into a container). Slow for a large "
                   "catalogue.")
@config_option
@project_option
def serve(dev_addr: str, strict: bool, open_browser: bool, poll: bool,
          config_file: Path | None, project: Path) -> None:
    """Preview the site, rebuilding when content/, catalogue/ or site_config/ change.

    While the catalogue (or the build) has errors, every page lists them instead of the
    site, and reloads by itself once they are fixed.

    \b
    Example:
      lifelong serve
      lifelong serve -a 0.0.0.0:8000
    """
    from lifelong.mkdocs.commands import CommandError, serve_site

    setup_logging(False)
    path = mkdocs_config(project, config_file)
    try:
        serve_site(path, dev_addr=dev_addr, strict=strict, open_browser=open_browser,
                   poll=poll)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the address is taken; no more change events to be had
        hint = " (or run lifelong serve --poll)" if exc.errno in (errno.ENOSPC, errno.EMFILE) \
            else ""
        raise click.ClickException(f"{exc.filename or dev_addr}: {exc.strerror or exc}{hint}"
                                   ) from None
