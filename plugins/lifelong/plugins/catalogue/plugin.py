"""MkDocs adapter for the catalogue: a thin layer over lifelong.site.CatalogueSite.

MkDocs and the theme draw the hand-written pages, the home page and the catalogue pages the
navigation names. Every other catalogue page (entries, listings, term pages) is drawn by
``lifelong.draw`` in worker processes, inside the theme's chrome drawn once per depth
(``lifelong.shell``); rebuilds redraw only the pages whose inputs changed. Other plugins'
``on_page_*`` events therefore see only the pages MkDocs draws.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import mkdocs
from markupsafe import escape
from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from lifelong.cache import PageRecord
from lifelong.draw import DrawError, DrawJob, PageDrawer, remove_stale, template_place
from lifelong.memory import long_lived, new_build
from lifelong.plugins.catalogue import compat
from lifelong.plugins.catalogue.config import CatalogueConfig
from lifelong.plugins.catalogue.theme import THEME_DIR, add_catalogue_theme
from lifelong.problems import CatalogueError
from lifelong.progress import QUIET_BELOW, Progress
from lifelong.remote import RemoteMedia, prepare
from lifelong.render import squeeze_whitespace
from lifelong.sanitise import clean
from lifelong.shell import MARKER, Shell, stand_in_url
from lifelong.site import CatalogueSite, HelperJob, OutputsJob, SiteOptions, build_nav
from lifelong.sitemap import extend_sitemap
from lifelong.urls import UrlScheme

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation


log = logging.getLogger("mkdocs.plugins.lifelong")


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not message.startswith(("A 'dirty' build", "The directory contains stale files"))


class EntrySource(File):
    """An entry's Markdown file: a link target for hand-written pages (MkDocs resolves
    links to it), but neither drawn nor copied by MkDocs: the catalogue draws its page.

    Its addresses follow from the entry's id when asked for, not kept: there are tens of
    thousands of these, and few are ever asked."""

    def __init__(self, file: File, entry_id: str) -> None:
        # Not File.__init__: the fields are copied from the file MkDocs found.
        self.src_uri = file.src_uri
        self.src_dir = file.src_dir
        self.dest_dir = file.dest_dir
        self.use_directory_urls = file.use_directory_urls
        self.inclusion = InclusionLevel.NOT_IN_NAV
        self.entry_id = entry_id

    @property
    def dest_uri(self) -> str:  # type: ignore[override]
        return UrlScheme(self.use_directory_urls).entry_dest(self.entry_id)

    @property
    def url(self) -> str:  # type: ignore[override]
        return UrlScheme(self.use_directory_urls).entry_url(self.entry_id)

    @property
    def abs_dest_path(self) -> str:
        return os.path.normpath(os.path.join(self.dest_dir, self.dest_uri))

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return False

    def is_media_file(self) -> bool:
        return False

    def is_javascript(self) -> bool:
        return False

    def is_css(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        return None


def nav_sources(nav: Any) -> set[str]:
    """Every file a ``nav`` setting names."""
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= nav_sources(value)
    elif isinstance(nav, list):
        for item in nav:
            found |= nav_sources(item)
    return found


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: CatalogueSite | None = None
        self.helper: HelperJob | OutputsJob | None = None
        self.drawer: PageDrawer | None = None
        #: Catalogue pages the theme draws (those the navigation names).
        self.theme_pages: set[str] = set()
        self.drawing: DrawJob | None = None
        self.files: Files | None = None
        #: Offline: what the pages show of remote covers (placeholders, or copies fetched).
        self.remote: RemoteMedia | None = None
        self.nav: Navigation | None = None
        self.fingerprints: dict[str, str] = {}
        #: What the last build drew into the site folder (read in on_env).
        self.record: PageRecord | None = None
        #: Whether builds are dirty (MkDocs leaves the site folder as it is): a rebuild's
        #: outputs may then be written before MkDocs reads the files.
        self.dirty = False

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
        # Refuses a theme but Material; adds our templates, CSS and JS (package data).
        add_catalogue_theme(config)
        root = Path(config.config_file_path or ".").parent
        lang = self.config.language or ("en" if config.theme["language"] == "en" else "zh")
        options = SiteOptions(
            content_dir=Path(config.docs_dir), catalogue_dir=root / self.config.catalogue_dir,
            template_dirs=[Path(d) for d in config.theme.dirs], site_url=config.site_url,
            directory_urls=config.use_directory_urls, lang=lang,
            page_size=self.config.page_size, offline=self.config.offline,
            subset_sections=tuple(self.config.subset_sections),
            subset_subjects=tuple(self.config.subset_subjects),
            subset_audiences=tuple(self.config.subset_audiences), media=self.config.media,
            remote_media=self.config.remote_media,
            markdown_extensions=tuple(config.markdown_extensions),
            markdown_configs=dict(config.mdx_configs or {}),
            cache_dir=self.cache_dir(config),
            workers=self.config.workers or os.cpu_count() or 1,
            # The browser's copy of lunr.js comes from the installed MkDocs: never vendored.
            lunr_js=Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js")
        new_build()
        try:
            with long_lived():
                self.site = site = CatalogueSite(options)
        except (CatalogueError, ValueError) as exc:
            raise PluginError(str(exc)) from None
        self.remote = prepare(site) if self.config.offline else None
        config.extra["lifelong"] = {"offline": self.config.offline,
                                    "outdated_text": site.plan.t("may_be_outdated")}
        site_dir = Path(config.site_dir)
        self.drawer = drawer = self.helper = None
        if site.has_earlier_build(site_dir):
            # A rebuild: the second process starts now. It works out which entry pages
            # changed while this one plans the pages and MkDocs reads files (this process
            # does the other pages later), then writes the outputs.
            with long_lived():
                site.catalogue.work_out_indexes()  # this process needs them too, later
                self.drawer = drawer = site.drawer()
            self.helper = HelperJob(site, drawer, site_dir, ready=self.dirty)
        with long_lived():
            site.pages  # noqa: B018 (planned now, while the collector pauses)
        if self.config.auto_nav and config.nav is None:
            top = sorted(p.name for p in Path(config.docs_dir).glob("*.md"))
            config.nav = build_nav(site, top)
        self.theme_pages = nav_sources(config.nav) & set(site.pages)
        with long_lived():
            if drawer is None:
                self.drawer = drawer = site.drawer()
            drawer.theme_pages = frozenset(self.theme_pages)
            drawer.pages  # noqa: B018 (made now, while the collector pauses)
        if self.helper is None:
            # A first build draws every page here: two processes of their own write the
            # outputs meanwhile, one after the other.
            self.helper = OutputsJob(site, drawer, site_dir)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Callable[..., Any]) -> LiveReloadServer | None:
        # The rules and our templates shape every page: a save there rebuilds, as one in
        # docs_dir does (`lifelong serve` names catalogue/ in config.watch already).
        if self.config.enabled:
            rules = Path(config.config_file_path or ".").parent / self.config.catalogue_dir
            watched = {os.path.abspath(path) for path in config.watch}
            for folder in map(os.path.abspath, (rules, THEME_DIR)):
                if os.path.isdir(folder) and folder not in watched:
                    server.watch(folder)
        return server

    # Late: other plugins may add files first; ours then claim their addresses.
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        site = self.site
        if site is None:
            return None
        problems = site.collisions((f.src_uri, f.dest_uri) for f in files)
        if problems:
            raise PluginError("\n".join(map(str, problems)))
        site_dir = Path(config.site_dir)
        # MkDocs has cleaned site_dir by now unless this is a dirty build (a rebuild).
        rebuild = site_dir.is_dir() and any(site_dir.iterdir())
        if compat.others_saw_files(self, config):  # they may keep entries' addresses
            compat.readdress_entries(files, site.entries_by_path, config.use_directory_urls)
        with long_lived():
            files = self._claim_files(files, site, rebuild)
        for src_uri in sorted(self.theme_pages):
            files.append(File.generated(config, src_uri, content="",
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        for dest, path in sorted(self.remote.files.items() if self.remote else ()):
            files.append(File.generated(config, dest, abs_src_path=str(path)))
        self.files = files
        # MkDocs has emptied the site folder if it was going to: the outputs may be written.
        if self.helper is not None:
            self.helper.start_writing()
        return files

    @staticmethod
    def _claim_files(files: Files, site: CatalogueSite, rebuild: bool) -> Files:
        """Entry files become link targets only; unpublished files leave the build."""
        kept: list[File] = []
        for file in files:
            if file.src_uri in site.excluded_paths or file.src_uri in site.excluded_media:
                continue
            if (entry := site.entries_by_path.get(file.src_uri)) is not None:
                # A new, small object: MkDocs' File keeps more than a link target needs
                # (tens of thousands of them).
                file = EntrySource(file, entry.id)
            elif rebuild and file.is_documentation_page() and file.abs_src_path:
                # A dirty build redraws only modified pages; these show the catalogue.
                file.content_string = file.content_string
            kept.append(file)
        return Files(kept)

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
        site, drawer, helper = self.site, self.drawer, self.helper
        if site is None or drawer is None or helper is None or self.nav is None:
            return None
        if env.bytecode_cache is None:
            env.bytecode_cache = site.template_cache()
        shells = {depth: self._shell(depth, env, config, files) for depth in drawer.depths()}
        drawer.shells = shells
        drawer.site_description = config.site_description or ""
        site_dir = Path(config.site_dir)
        self.record = site.record(site_dir, "pages", site.build_key(shells))
        previous = self.record.previous
        if previous:  # which pages changed?
            fingerprints = self.fingerprints = self._fingerprints()
            root = str(site_dir)
            present = {f"qr/{name}" for name in os.listdir(site_dir / "qr")} \
                if (site_dir / "qr").is_dir() else set()
            todo = [number for number, page in enumerate(drawer.pages)
                    if previous.get(page.dest) != fingerprints[page.dest]
                    or not os.path.isfile(f"{root}/{page.dest}")
                    or (page.qr is not None and page.qr not in present)]
        else:
            # Every page is drawn: the fingerprints are only recorded, worked out then (they
            # would take memory while the build holds the most).
            todo = list(range(len(drawer.pages)))
        pages = drawer.pages
        self.record.begin(dest for number in todo for dest in (pages[number].dest,
                                                               pages[number].qr) if dest)
        self.drawing = DrawJob(drawer, todo, site_dir, site.options.workers, busy=helper.BUSY)
        return None

    def _fingerprints(self) -> dict[str, str]:
        """The fingerprint of every page the catalogue draws, and of its QR code file (written
        with it, recorded with its fingerprint)."""
        drawer, helper = self.drawer, self.helper
        assert drawer is not None
        assert helper is not None
        with long_lived():
            theirs = iter(helper.fingerprints())
            fingerprints = {page.dest: next(theirs) if page.entry is not None
                            else drawer.fingerprint(page) for page in drawer.pages}
            fingerprints.update({page.qr: fingerprints[page.dest] for page in drawer.pages
                                 if page.qr})
        return fingerprints

    def _shell(self, depth: int, env: jinja2.Environment, config: MkDocsConfig,
               files: Files) -> Shell:
        """The theme's page around catalogue content, for pages ``depth`` folders deep."""
        url = stand_in_url(depth, config.use_directory_urls)
        file = File.generated(config, "ll-stand-in.md", content="",
                              inclusion=InclusionLevel.NOT_IN_NAV)
        file.dest_uri = url + "index.html" if config.use_directory_urls else url
        file.url = file._get_url()
        page = Page(MARKER.format("title"), file, config)
        page.meta = {"title": MARKER.format("title"), "description": MARKER.format(
            "description"), "template": "lifelong.html", "hide": ["toc", "navigation"]}
        page.content = MARKER.format("content")
        page.markdown = ""
        context = get_context(self.nav, files, config, page)  # type: ignore[arg-type]
        context = config.plugins.on_page_context(context, page=page, config=config,
                                                 nav=self.nav)  # type: ignore[arg-type]
        html = env.get_template("lifelong.html").render(context)
        try:
            return Shell.split(squeeze_whitespace(html), file.url)
        except ValueError as exc:
            raise PluginError(f"site_config: {exc}") from None

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        # Material prints page titles and descriptions unescaped: give it escaped ones.
        meta = page.meta
        site = self.site
        title = (site.title_of(page.file.src_uri) if site else None) or meta.get("title")
        if title is not None:
            meta["title"] = page.title = escape(str(title))
        if isinstance(meta.get("summary"), str):
            meta["description"] = escape(meta["summary"])
        elif "description" in meta:
            meta["description"] = escape(str(meta["description"]))
        if site and (page.file.src_uri in site.pages or page.file.src_uri in
                     site.entries_by_path or page.is_homepage):
            meta["template"] = "lifelong.html"
            meta["hide"] = ["toc"] if page.is_homepage else ["toc", "navigation"]
        return None

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        if self.site is None:
            return None
        # Hand-written pages are editors' text too: the same allowlist as descriptions.
        html = clean(html, remote_images=not self.config.offline)
        try:
            return self.site.render(page.file.src_uri, html, page.url,
                                    is_home=page.is_homepage,
                                    title=str(page.title or config.site_name))
        except jinja2.TemplateError as exc:
            where = template_place(exc)
            raise PluginError(f"{page.file.src_uri}: the catalogue template failed: {where}"
                              f"{type(exc).__name__}: {exc}") from None

    # Late: the page as the theme and every other plugin left it.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return squeeze_whitespace(output) if self.site is not None else None

    # Late: after the theme and other plugins have written their files.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site, drawer, drawing = self.site, self.drawer, self.drawing
        self.drawing = None
        try:
            if drawing is not None:
                progress = Progress("Drawing catalogue pages", len(drawing.pages))
                drawing.wait(progress.update)
                progress.finish()
                if drawer is not None:
                    log.info(f"Catalogue pages: {len(drawing.pages):,} drawn, "
                             f"{len(drawer.pages) - len(drawing.pages):,} unchanged")
            if site is not None:
                site.save_cards()  # while the second process may still write the outputs
            if self.helper is not None:
                if not self.fingerprints and drawer is not None:
                    self.fingerprints = self._fingerprints()
                helper, self.helper = self.helper, None
                if helper.running() and drawer is not None and \
                        len(drawer.pages) >= QUIET_BELOW:
                    log.info("Writing the search index")
                helper.wait()
        except (DrawError, RuntimeError) as exc:
            raise PluginError(str(exc)) from None
        if site is None or drawer is None:
            return
        site_dir = Path(config.site_dir)
        if config.site_url:
            extend_sitemap(site_dir, config.site_url, [p.url for p in drawer.pages],
                           get_build_date())
        made, self.fingerprints = self.fingerprints, {}
        made.update((f.dest_uri, "") for f in self._theme_files())
        record = self.record
        if record is None:
            return
        remove_stale(site_dir, record.written - set(made))
        record.save(made)
        site.forget_old_sites(site_dir)

    def _theme_files(self) -> Iterable[File]:
        """Files MkDocs writes (pages and static files): a rebuild removes those that are
        gone since the last build."""
        for file in self.files or ():
            if not isinstance(file, EntrySource) and file.inclusion.is_included():
                yield file

    def on_build_error(self, *, error: Exception) -> None:
        if self.drawing is not None:
            self.drawing.cancel()
            self.drawing = None
        if self.helper is not None:
            self.helper.cancel()
            self.helper = None
