"""MkDocs' own commands as `lifelong build`, `serve` and `check` run them: the only place the
command line reaches MkDocs. Failures MkDocs reports become ``CommandError`` (its message is
for the editor); the command line shows it as ``Error: ...``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError, MkDocsException

from lifelong.site.markup import DEFAULT_EXTENSIONS

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class CommandError(Exception):
    """What stopped a command, said for the editor."""


def markdown_settings(config_file: Path) -> tuple[Sequence[Any], Mapping[str, Any]]:
    """The Markdown extensions of a site's mkdocs.yml and their settings (descriptions are
    checked as the site converts them), or MkDocs' defaults without one."""
    if not config_file.is_file():
        return DEFAULT_EXTENSIONS, {}
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # its notes on the configuration are the build's to give
    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise CommandError(f"{config_file}: {exc}") from None
    finally:
        logger.setLevel(level)
    return tuple(config.markdown_extensions), dict(config.mdx_configs or {})


def build_site(config_file: str, *, strict: bool, site_dir: Path | None, clean: bool) -> None:
    """Build the site of ``config_file``: over the last build (only what changed is drawn)
    unless ``clean``, which also forgets what the catalogue kept for rebuilds."""
    options: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        options["site_dir"] = str(site_dir.resolve())
    try:
        config = load_config(config_file, **options)
        if clean:
            forget_cache(config)
        dirty = not clean and Path(config.site_dir).is_dir()
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise CommandError(str(exc)) from None


def forget_cache(config: MkDocsConfig) -> None:
    """Delete what the catalogue plugin keeps for rebuilds."""
    plugin = config.plugins.get("lifelong/catalogue")
    cache = getattr(plugin, "cache_dir", lambda config: None)(config)
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)


def serve_site(config_file: str, *, dev_addr: str, strict: bool, open_browser: bool,
               poll: bool) -> None:
    """Preview the site of ``config_file`` at ``dev_addr``, rebuilding (dirty: only what
    changed) on every save in content/, the catalogue's rules or site_config/; while the
    build fails, every page shows why (``lifelong.mkdocs.serve``)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from lifelong.build.cache import keep_in_memory
    from lifelong.mkdocs.serve import serving

    root = Path(config_file).parent
    watch = [str(p) for p in (root / "catalogue", root / "site_config") if p.is_dir()]
    keep_in_memory(True)  # each rebuild reuses what the last one read, without reading it
    try:
        # While the catalogue or the build has errors, every page shows them (and reloads
        # once they are fixed), even when the first build fails.
        with serving(poll=poll):
            mkdocs_serve(config_file=config_file, dev_addr=dev_addr, strict=strict,
                         watch=watch, open_in_browser=open_browser, build_type="dirty")
    except MkDocsException as exc:
        raise CommandError(str(exc)) from None
