"""The ``lifelong/catalogue`` MkDocs plugin: each event a line or two into ``SiteBuild``.

MkDocs and the theme draw the hand-written pages, the home page and the catalogue pages the
navigation names. Every other catalogue page (entries, listings, term pages) is drawn by the
build (``lifelong.build.site_build``) inside the theme's chrome drawn once per depth
(``lifelong.mkdocs.chrome``); rebuilds redraw only the pages whose inputs changed. Other
plugins' ``on_page_*`` events therefore see only the pages MkDocs draws.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from lifelong.build.site_build import BuildError, SiteBuild
from lifelong.catalogue.problems import CatalogueError
from lifelong.mkdocs import compat
from lifelong.mkdocs.chrome import draw_shell, page_meta
from lifelong.mkdocs.config import CatalogueConfig, site_options
from lifelong.mkdocs.files import catalogue_files, nav_sources, theme_files
from lifelong.mkdocs.theme import add_catalogue_theme, theme_strings, watch_rules_and_theme
from lifelong.site.draw import template_place
from lifelong.site.render import PRINT_KIT_NEEDS_URL, squeeze_whitespace
from lifelong.site.sanitise import clean

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from lifelong.build.catalogue_site import CatalogueSite
    from lifelong.offline.remote import RemoteMedia


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not message.startswith(("A 'dirty' build", "The directory contains stale files"))


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: SiteBuild | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        #: Catalogue pages the theme draws (those the navigation names).
        self.theme_pages: set[str] = set()
        #: Whether builds are dirty (MkDocs leaves the site folder as it is).
        self.dirty = False

    @property
    def site(self) -> CatalogueSite | None:
        return self.build.site if self.build else None

    @property
    def remote(self) -> RemoteMedia | None:
        return self.build.remote if self.build else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.dirty = dirty

    def cache_dir(self, config: MkDocsConfig) -> Path:
        """Where rebuilds keep what they reuse."""
        root = Path(config.config_file_path or ".").parent
        if self.config.cache_dir:
            return root / self.config.cache_dir
        return (root / self.config.catalogue_dir).parent / ".lifelong-cache"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        # Rebuilds are MkDocs' dirty builds made exact by this plugin (it redraws what changed
        # and removes what is gone): MkDocs' warning about them does not apply.
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)
        add_catalogue_theme(config)  # refuses a theme but Material; adds ours
        options = site_options(self.config, config, self.cache_dir(config))
        self.build = build = SiteBuild(options, Path(config.site_dir), dirty=self.dirty)
        try:
            site = build.start()
        except (CatalogueError, ValueError) as exc:
            raise PluginError(str(exc)) from None
        if not site.renderer.print_kit:
            logging.getLogger("mkdocs.plugins.lifelong").info(PRINT_KIT_NEEDS_URL)
        config.extra["lifelong"] = {"offline": self.config.offline,
                                    "outdated_text": site.plan.t("may_be_outdated"),
                                    "t": theme_strings(site.plan.lang)}
        if self.config.auto_nav and config.nav is None:
            config.nav = site.nav(sorted(p.name for p in Path(config.docs_dir).glob("*.md")))
        self.theme_pages = nav_sources(config.nav) & set(site.pages)
        build.plan(self.theme_pages)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Callable[..., Any]) -> LiveReloadServer | None:
        # The rules and our templates shape every page: a save there rebuilds, as one in
        # docs_dir does (`lifelong serve` names catalogue/ in config.watch already).
        if self.config.enabled:
            watch_rules_and_theme(server, config, self.config.catalogue_dir)
        return server

    # Late: other plugins may add files first; ours then claim their addresses.
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.build is None or (site := self.site) is None:
            return None
        files = catalogue_files(files, config, site, self.theme_pages, self.remote,
                                others_first=compat.others_saw_files(self, config))
        self.files = files
        self.build.files_ready()
        return files

    # First: plugins the catalogue cannot work with are refused before any of them acts.
    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.site is not None:
            compat.refuse_unsupported(config)
            compat.check_redirects(config, self.site.catalogue.drafts)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
               ) -> Navigation | None:
        self.nav = nav
        return None

    # Late: the environment as other plugins leave it draws the chrome of catalogue pages.
    @event_priority(-50)
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
               ) -> jinja2.Environment | None:
        build, nav = self.build, self.nav
        if build is None or build.site is None or nav is None:
            return None
        if env.bytecode_cache is None:
            env.bytecode_cache = build.template_cache()
        build.draw({depth: draw_shell(depth, env, config, files, nav)
                    for depth in build.depths()})
        return None

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        page_meta(page, self.site)
        return None

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if self.site is None:
            return None
        # Hand-written pages are editors' text too: the same allowlist as descriptions.
        html = clean(html, remote_images=not self.config.offline)
        try:
            return self.site.render(page.file.src_uri, html, page.url, is_home=page.is_homepage,
                                    title=str(page.title or config.site_name))
        except jinja2.TemplateError as exc:
            raise PluginError(f"{page.file.src_uri}: the catalogue template failed: "
                              f"{template_place(exc)}{type(exc).__name__}: {exc}") from None

    # Late: the page as the theme and every other plugin left it.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return squeeze_whitespace(output) if self.site is not None else None

    # Late: after the theme and other plugins have written their files.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.build is None:
            return
        try:
            self.build.finish(theme_files(self.files or ()), config.site_url)
        except BuildError as exc:
            raise PluginError(str(exc)) from None

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.cancel()
