"""Options of the ``lifelong/catalogue`` plugin (each docstring is its user reference)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


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
