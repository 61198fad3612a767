"""Build the offline variant of the site (site_config/offline.yml) into a folder.

This drives MkDocs (it is the adapter side, like the plugin): the bundle command packs what
it builds.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from lifelong.mkdocs.plugin import CataloguePlugin
    from lifelong.offline.remote import RemoteMedia

OFFLINE_CONFIG = Path("site_config") / "offline.yml"


@dataclass(frozen=True)
class OfflineBuild:
    site_dir: Path
    version: str
    date: dt.date | None
    entries: int
    #: What the pages show of remote covers and photos: which were left out (placeholders
    #: shown), which fetched into the copy, which failed to be.
    remote: RemoteMedia | None = None


class _RemoteWarnings(logging.Filter):
    """Keeps the plugin's warnings about remote images that could not be fetched out of
    MkDocs' log (they would fail a strict build): the build returns them, in ``remote``."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "lifelong_remote", False)


def build_offline(project: Path, site_dir: Path, *, sections: Sequence[str] = (),
                  subjects: Sequence[str] = (), audiences: Sequence[str] = (),
                  regions: Sequence[str] = (), media: str = "all", remote_media: str | None = None,
                  strict: bool = True) -> OfflineBuild:
    """Build the offline copy (optionally a subset, with all, covers or no media; remote
    covers left out or, with ``remote_media="fetch"``, fetched into it: by default as the
    configuration says)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from lifelong.mkdocs.files import quick_walk

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config_file = project / OFFLINE_CONFIG
    if not config_file.is_file():
        raise FileNotFoundError(f"{config_file}: the offline site configuration is missing")
    config = load_config(str(config_file), site_dir=str(site_dir.resolve()), strict=strict)
    plugin = cast("CataloguePlugin", config.plugins["lifelong/catalogue"])
    plugin.config.subset_sections = list(sections)
    plugin.config.subset_subjects = list(subjects)
    plugin.config.subset_audiences = list(audiences)
    plugin.config.subset_regions = list(regions)
    plugin.config.media = media
    if remote_media is not None:
        plugin.config.remote_media = remote_media
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    quiet = _RemoteWarnings()
    logging.getLogger("mkdocs.plugins.lifelong").addFilter(quiet)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with quick_walk():
            build(config)
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs.plugins.lifelong").removeFilter(quiet)
    assert plugin.site is not None  # the build made it
    catalogue = plugin.site.catalogue
    return OfflineBuild(Path(config.site_dir), catalogue.version, catalogue.date,
                        len(catalogue.entries), plugin.remote)
