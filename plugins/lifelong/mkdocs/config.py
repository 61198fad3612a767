"""Options of the ``lifelong/catalogue`` plugin (each docstring is its user reference)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import mkdocs
from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from lifelong.build.catalogue_site import SiteOptions
from lifelong.build.processes import Sharing

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class MapConfig(Config):
    outline = c.Optional(c.Type(str))
    """A GeoJSON file of the provinces (a FeatureCollection of Polygons and MultiPolygons in
    longitude and latitude), relative to mkdocs.yml: the statistics page's map draws it
    instead of its tile grid. Only an outline the site may publish (in China, an approved
    map with its 审图号): the build draws its lines as they are."""

    licence = c.Type(str, default="")
    """The outline's source and licence (and approval number), shown under the map;
    required with `outline`."""

    property = c.Type(str, default="region")
    """The feature property that names each province: a term of regions.yml, its label in
    either language, or the name with its ending (北京市, 广西壮族自治区)."""


class CatalogueConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the catalogue off (the site then holds only hand-written pages)."""

    catalogue_dir = c.Type(str, default="catalogue")
    """Folder with fields.yml, vocabularies/ and sections.yml, relative to mkdocs.yml."""

    page_size = c.Type(int, default=24)
    """Entries per listing page (sections, subjects, people...)."""

    language = c.Optional(c.Choice(("zh", "en")))
    """Language of the catalogue pages; defaults to the theme's `language` (zh or en)."""

    auto_nav = c.Type(bool, default=True)
    """Without a `nav` in mkdocs.yml, build it: home, sections, browse pages, other pages."""

    offline = c.Type(bool, default=False)
    """The offline variant: every page says the copy may be out of date since its date."""

    subset_sections = c.ListOfItems(c.Type(str), default=[])
    """Only entries of these sections (slugs from sections.yml); empty: all."""

    subset_subjects = c.ListOfItems(c.Type(str), default=[])
    """Only entries with one of these subjects (or their sub-subjects); empty: all."""

    subset_audiences = c.ListOfItems(c.Type(str), default=[])
    """Only entries for one of these audiences; empty: all."""

    subset_regions = c.ListOfItems(c.Type(str), default=[])
    """A copy for these provinces (terms of regions.yml, e.g. [sichuan]): their entries and
    nationwide ones (region `national` or none; an activity or lecture is where its centre
    is), with their centres, the teachers of or sharing in them and the activities at
    their centres, whatever the other subset options say; empty: all regions."""

    media = c.Choice(("all", "covers", "none"), default="all")
    """Which local media files the site includes: all, only covers and photos, or none
    (pages then link to the online address instead)."""

    remote_media = c.Choice(("placeholder", "fetch"), default="placeholder")
    """Offline variant only: covers and photos at http(s) addresses, which an offline copy
    never asks for. `placeholder`: left out, their cards show the placeholder; `fetch`:
    downloaded at build time into the copy (media/remote/; PNG, JPEG, GIF or WebP of at most
    5 MB, kept in the cache folder so that rebuilds fetch nothing again), the placeholder
    and a warning for any that fails. Online sites show them from their address."""

    workers = c.Type(int, default=0)
    """Processes that read entry files and draw catalogue pages at once; 0: one per CPU
    core."""

    share_above = c.Type(int, default=Sharing.above)
    """Fewer catalogue pages to draw than this (or five times as many entry files to read)
    are done by one process: starting others would cost more than it saves. 0: always share
    the work out (as the tests of sharing do)."""

    map = c.SubConfig(MapConfig)
    """The statistics page's map of the provinces (by default a tile grid, which draws no
    border): `outline`, `licence` and `property` of a site's own outline."""

    cache_dir = c.Optional(c.Type(str))
    """Where rebuilds keep what they reuse, relative to mkdocs.yml; defaults to
    `.lifelong-cache` beside the catalogue folder. Safe to delete."""


def site_options(options: CatalogueConfig, config: MkDocsConfig, cache_dir: Path) -> SiteOptions:
    """The catalogue site's options from the plugin's and MkDocs' configuration."""
    root = Path(config.config_file_path or ".").parent
    return SiteOptions(
        content_dir=Path(config.docs_dir), catalogue_dir=root / options.catalogue_dir,
        template_dirs=[Path(d) for d in config.theme.dirs], site_url=config.site_url,
        directory_urls=config.use_directory_urls, site_name=config.site_name,
        site_description=config.site_description or "",
        lang=options.language or ("en" if config.theme["language"] == "en" else "zh"),
        page_size=options.page_size, offline=options.offline,
        subset_sections=tuple(options.subset_sections),
        subset_subjects=tuple(options.subset_subjects),
        subset_audiences=tuple(options.subset_audiences),
        subset_regions=tuple(options.subset_regions), media=options.media,
        remote_media=options.remote_media,
        map_outline=root / options.map.outline if options.map.outline else None,
        map_licence=options.map.licence, map_property=options.map.property,
        markdown_extensions=tuple(config.markdown_extensions),
        markdown_configs=dict(config.mdx_configs or {}), cache_dir=cache_dir,
        sharing=Sharing(workers=options.workers or os.cpu_count() or 1,
                        above=options.share_above),
        # The browser's copy of lunr.js comes from the installed MkDocs: never vendored.
        lunr_js=Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js")
