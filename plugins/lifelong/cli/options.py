"""What the commands share: click settings, the --project and --config-file options, and
MkDocs' log shown as the commands show it. Imports no MkDocs."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

#: A command function, as the shared options' decorators take and give it.
Command = TypeVar("Command", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def project_option(func: Command) -> Command:
    """``--project``: the project folder (content/, catalogue/, mkdocs.yml)."""
    return click.option(
        "--project", "-p", type=click.Path(file_okay=False, path_type=Path), default=".",
        show_default=True, help="Project folder holding content/ and catalogue/.")(func)


def config_option(func: Command) -> Command:
    """``--config-file``: the site's mkdocs.yml, when not the project's."""
    return click.option(
        "--config-file", "-f", type=click.Path(dir_okay=False, path_type=Path),
        default=None, help="The site's mkdocs.yml (default: mkdocs.yml in --project).")(func)


def mkdocs_config(project: Path, config_file: Path | None) -> str:
    """The site's configuration file, which must exist."""
    path = config_file or project / "mkdocs.yml"
    if not path.is_file():
        raise click.ClickException(f"{path}: no such file; run in the project folder or pass "
                                   "--config-file")
    return str(path)


def setup_logging(verbose: bool) -> None:
    """MkDocs' messages (the build's too) on stderr, one line each."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner, not our concern
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
