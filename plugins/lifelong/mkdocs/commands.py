"""MkDocs' own commands as `lifelong build`, `serve` and `check` run them: the only place the
command line reaches MkDocs. Failures MkDocs reports become ``CommandError`` (its message is
for the editor); the command line shows it as ``Error: ...``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError, MkDocsException

from lifelong.build.cache import site_cache
from lifelong.build.uptodate import UpToDate, inputs_stamp
from lifelong.mkdocs.files import quick_walk
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
    config = _quiet_config(config_file)
    return tuple(config.markdown_extensions), dict(config.mdx_configs or {})


def public_address(config_file: Path) -> tuple[str | None, Path]:
    """The public address of a site's mkdocs.yml (``site_url``, None without one) and its
    site folder."""
    config = _quiet_config(config_file)
    return config.site_url or None, Path(config.site_dir)


def _quiet_config(config_file: Path) -> MkDocsConfig:
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # its notes on the configuration are the build's to give
    try:
        return load_config(str(config_file))
    except ConfigurationError as exc:
        raise CommandError(f"{config_file}: {exc}") from None
    finally:
        logger.setLevel(level)


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
        last = last_build(config, strict=strict)
        if last is not None:
            stamp, record = last
            if dirty and record.holds(stamp):
                logging.getLogger("mkdocs.commands.build").info(
                    f"The site in {config.site_dir} is up to date: nothing it is built from "
                    "has changed since the last build (--clean draws every page again)")
                return
            record.forget()
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            with quick_walk():
                mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
        if last is not None:
            last[1].keep(last[0])
    except MkDocsException as exc:
        raise CommandError(str(exc)) from None


#: Plugins whose output depends only on the files MkDocs reads and their settings: with any
#: other (hooks too), a build always runs, since it may read anything (git history, the
#: network, the time).
KNOWN_PLUGINS = frozenset({"lifelong/catalogue", "search", "material/search", "offline",
                           "material/offline", "tags", "material/tags", "meta",
                           "material/meta"})

_INHERIT_RE = re.compile(r"^INHERIT:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.M)


def last_build(config: MkDocsConfig, *, strict: bool) -> tuple[str, UpToDate] | None:
    """The stamp of everything this build would read (``lifelong.build.uptodate``) and the
    record of the last build into its site folder that succeeded; None when a build must
    run whatever the stamp says (a plugin of unknown inputs, the catalogue turned off)."""
    plugin = config.plugins.get("lifelong/catalogue")
    if plugin is None or not getattr(plugin.config, "enabled", False) or \
            set(config.plugins) - KNOWN_PLUGINS:
        return None
    site_dir = Path(config.site_dir)
    root = Path(config.config_file_path or ".").parent
    folders = [Path(config.docs_dir), root / plugin.config.catalogue_dir, root / "site_config",
               *(Path(p) for p in config.watch)]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    files = config_files(Path(config.config_file_path or "mkdocs.yml"))
    outline = plugin.config.map.outline
    if outline:
        files.append(root / outline)
    settings = [f"strict={strict}", f"site_dir={site_dir.resolve()}",
                f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}"]
    stamp = inputs_stamp(folders, files, settings,
                         skip=(site_dir, plugin.cache_dir(config)))
    return stamp, UpToDate(site_cache(plugin.cache_dir(config), site_dir) / "up-to-date.txt")


def config_files(config_file: Path) -> list[Path]:
    """The configuration file and those it INHERITs, each relative to the one naming it."""
    found: list[Path] = []
    path: Path | None = config_file
    while path is not None and path not in found:
        found.append(path)
        try:
            match = _INHERIT_RE.search(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            break
        path = (path.parent / match.group(1).strip()) if match else None
    return found


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
        with serving(poll=poll), quick_walk():
            mkdocs_serve(config_file=config_file, dev_addr=dev_addr, strict=strict,
                         watch=watch, open_in_browser=open_browser, build_type="dirty")
    except MkDocsException as exc:
        raise CommandError(str(exc)) from None
