"""One build of the catalogue into a site folder, in the order the engine's events come:
``start`` (load the catalogue), ``plan`` (the pages, once the navigation is known; a
rebuild's second process is forked then), ``files_ready`` (the site folder holds what it will:
the outputs may be written), ``draw`` (the theme's chrome is known: the pages that changed
are drawn, by this process and workers), ``finish`` (wait, record what was made, remove
what is gone) or ``cancel``.

The engine's adapter (``lifelong.mkdocs.plugin``) calls these, a line or two per event; no
MkDocs here. First builds and rebuilds are shared out as the README says ("How a build is
shared out"): this is where the choice is made.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import cast

import jinja2

from lifelong.build import preview
from lifelong.build.cache import PageRecord, keeping_in_memory
from lifelong.build.catalogue_site import CatalogueSite, SiteOptions
from lifelong.build.drawing import DrawError, DrawJob, empty_folder, remove_stale
from lifelong.build.jobs import HelperJob, OutputsJob, missing_files, publish
from lifelong.build.memory import long_lived, new_build
from lifelong.build.processes import Worker, WorkFailed, can_fork, forked
from lifelong.build.progress import QUIET_BELOW, Progress
from lifelong.build.published import publish_files
from lifelong.offline.remote import RemoteMedia, prepare
from lifelong.site.draw import PageDrawer, PageToDraw
from lifelong.site.export import lastmods
from lifelong.site.pages import is_moved
from lifelong.site.shell import Shell
from lifelong.site.sitemap import extend_sitemap

log = logging.getLogger("mkdocs.plugins.lifelong")


class BuildError(Exception):
    """The build stopped; the message says why (a page, a template, a file that could not
    be written)."""


class SiteBuild:
    """The catalogue's part of one build into ``site_dir``. ``dirty``: the engine leaves the
    site folder as it is (a rebuild's outputs may then be written at once)."""

    def __init__(self, options: SiteOptions, site_dir: Path, *, dirty: bool) -> None:
        self.options, self.site_dir, self.dirty = options, site_dir, dirty
        self.site: CatalogueSite | None = None
        self.remote: RemoteMedia | None = None
        self.drawer: PageDrawer | None = None
        #: The site folder holds a build this site's cache knows.
        self.rebuild = False
        self.helper: HelperJob | OutputsJob | None = None
        self.drawing: DrawJob | None = None
        #: What the last build drew (pages) and published beside them (feeds, OPDS, data):
        #: two records, since a page depends on the theme's chrome and a published file
        #: does not, and since each is written by its own process.
        self.record: PageRecord | None = None
        self.published_record: PageRecord | None = None
        self.fingerprints: dict[str, str] = {}
        #: Digests of the files published beside the pages, by address; the worker that
        #: writes them in a rebuild.
        self.published: dict[str, str] = {}
        self.publishing: Worker | None = None
        #: The pages the publishing worker dates for the sitemap.
        self.dated: list[PageToDraw] | None = None

    def start(self) -> CatalogueSite:
        """Load the catalogue (raises CatalogueError or ValueError with every problem) and
        plan its pages."""
        preview.keep(None)  # this build holds a catalogue of its own
        new_build()
        with long_lived():
            self.site = site = CatalogueSite(self.options)
        if self.options.offline:
            self.remote = prepare(site)
        self.rebuild = site.has_earlier_build(self.site_dir)
        if self.dirty and not self.rebuild and empty_folder(self.site_dir):
            # Written over a build this cache does not know (the cache was deleted, or
            # the folder holds another build): its files could not be told from this
            # build's, and a deleted entry's page would stay published.
            log.info(f"{self.site_dir} holds a build the catalogue's cache does not know: "
                     "emptied, every page is drawn")
        if self.rebuild:
            with long_lived():
                site.catalogue.work_out_indexes()  # the second process needs them too
                self.drawer = site.drawer()
        with long_lived():
            site.pages  # noqa: B018 (planned now, while the collector pauses)
        return site

    def plan(self, theme_pages: Iterable[str]) -> None:
        """The pages this build draws: all but ``theme_pages`` (those the theme draws, which
        the navigation names). A first build's outputs get processes of their own, one after
        the other, while this one draws every page. A rebuild's second process starts now: it
        works out which pages changed while the engine reads its files, then writes the
        outputs."""
        site = self._site()
        with long_lived():
            if self.drawer is None:
                self.drawer = site.drawer()
            self.drawer.theme_pages = frozenset(theme_pages)
            self.drawer.pages  # noqa: B018 (made now, while the collector pauses)
        self.helper = HelperJob(site, self.drawer, self.site_dir, ready=self.dirty) \
            if self.rebuild else OutputsJob(site, self.drawer, self.site_dir)
        if self.rebuild and self.dirty and can_fork():
            # Written over the last build (nothing empties the folder first): the worker
            # starts now, while the engine reads its files and the pages are drawn.
            self._start_publishing(site, self.drawer)

    def files_ready(self) -> None:
        """The engine has emptied the site folder if it was going to: outputs may be
        written."""
        if self.helper is not None:
            self.helper.start_writing()

    def template_cache(self) -> jinja2.BytecodeCache | None:
        return self._site().template_cache()

    def depths(self) -> list[int]:
        """The folder depths of the pages drawn: the chrome is drawn once for each."""
        return self._drawer().depths()

    def draw(self, shells: Mapping[int, Shell]) -> None:
        """Start drawing the pages whose inputs changed since the last build (all of them on
        a first build), inside the theme's chrome ``shells`` (by depth)."""
        site, drawer = self._site(), self._drawer()
        assert self.helper is not None
        drawer.shells = dict(shells)
        self.record = record = site.record(self.site_dir, "pages", site.build_key(shells))
        previous = record.previous
        pages = drawer.pages
        if previous:  # which pages changed?
            fingerprints = self.fingerprints = self._fingerprints()
            seen = self.helper.pages_seen() if isinstance(self.helper, HelperJob) else None
            missing = seen.missing if seen is not None and seen.missing is not None \
                else missing_files(self.site_dir, pages)
            todo = [number for number, page in enumerate(pages)
                    if previous.get(page.dest) != fingerprints[page.dest]
                    or page.dest in missing]
        else:
            # Every page is drawn: the fingerprints are only recorded (the entry pages' are
            # worked out before, for the search index's hints; the others after the drawing,
            # when the build holds less).
            todo = list(range(len(pages)))
        record.begin(pages[number].dest for number in todo)
        self.drawing = DrawJob(drawer, todo, self.site_dir, self.options.sharing,
                               busy=self.helper.BUSY)
        if previous and can_fork() and self.publishing is None:
            self._start_publishing(site, drawer)

    def _start_publishing(self, site: CatalogueSite, drawer: PageDrawer) -> None:
        """A rebuild draws few pages: the files published beside them are written meanwhile
        by a worker (it inherits the catalogue, and their record), which also dates the
        pages for the sitemap. Its work is wanted last, after the pages that changed are
        known and drawn: it yields the cores to them."""
        dated = self.dated = self._sitemap_pages(site, drawer) if self.options.site_url \
            else None
        self.publishing = forked("publishing", publish, site, self.site_dir,
                                 self._published_record(site), dated, yielding=True)

    def _published_record(self, site: CatalogueSite) -> PageRecord:
        if self.published_record is None:
            self.published_record = site.record(self.site_dir, "published", site.cards_key())
        return self.published_record

    def _fingerprints(self) -> dict[str, str]:
        """The fingerprint of every page drawn here."""
        helper = self.helper
        assert helper is not None
        with long_lived():
            return helper.page_fingerprints()

    def finish(self, theme_files: Iterable[str], site_url: str | None) -> None:
        """Wait for the drawing; write the files published beside the pages (feeds,
        calendars, OPDS, data) while the outputs are written, then add the catalogue pages
        to the sitemap, each dated by its entries; wait for the outputs; record what was made
        (with ``theme_files``, the engine's own) and remove the files of the last build
        that are gone. Raises BuildError."""
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
                self.published, dates = self._publish(site)
                if site_url and drawer is not None:  # the theme's is written by now
                    self._extend_sitemap(site, drawer, site_url, dates)
            if self.helper is not None:
                if not self.fingerprints and drawer is not None:
                    self.fingerprints = self._fingerprints()
                helper, self.helper = self.helper, None
                if helper.running() and drawer is not None and \
                        len(drawer.pages) >= QUIET_BELOW:
                    log.info("Writing the search index")
                helper.wait()
        except (DrawError, RuntimeError) as exc:
            raise BuildError(str(exc)) from None
        if site is None or drawer is None:
            return
        made, self.fingerprints = self.fingerprints, {}
        made.update((dest, "") for dest in theme_files)
        record, published = self.record, self.published_record
        if record is None:
            return
        written = record.written | (published.written if published else frozenset())
        remove_stale(self.site_dir, written - set(made) - set(self.published))
        record.save(made)
        if published is not None:
            published.save(self.published)
        site.forget_old_sites(self.site_dir)
        if keeping_in_memory():  # `lifelong serve`: the next save's first look
            preview.keep(preview.Preview(site, drawer, self.site_dir, record))

    def _publish(self, site: CatalogueSite) -> tuple[dict[str, str], list[str] | None]:
        """The files published beside the pages, written by this process after the drawing
        (a first build: a worker would copy the catalogue it reads) or by the rebuild's
        worker (``draw``): their digests by address; and the sitemap's dates of the pages,
        when the worker worked them out."""
        worker, self.publishing = self.publishing, None
        if worker is not None:
            try:
                return cast("tuple[dict[str, str], list[str] | None]", worker.wait())
            except WorkFailed as exc:
                raise DrawError(str(exc)) from None
        if self.record is None:
            return {}, None
        return publish_files(site, self.site_dir, self._published_record(site)), None

    @staticmethod
    def _sitemap_pages(site: CatalogueSite, drawer: PageDrawer) -> list[PageToDraw]:
        """The catalogue's pages in the sitemap: those drawn here, then the theme's."""
        scheme = site.scheme
        theme = [PageToDraw(dest, scheme.url_of_dest(dest), page=site.pages[src])
                 for src in sorted(drawer.theme_pages)
                 for dest in (posixpath.join(site.pages[src].path, "index.html"),)]
        # A page that only leads to another's new address is not one to index.
        return [*(page for page in drawer.pages if not is_moved(page.page)), *theme]

    def _extend_sitemap(self, site: CatalogueSite, drawer: PageDrawer, site_url: str,
                        dates: list[str] | None) -> None:
        """The catalogue's pages join the engine's sitemap; every catalogue page is dated by
        its entries (``lastmods``; ``dates``: worked out already), and any other page by the
        catalogue's date: the same catalogue gives the same sitemap, whatever the day of the
        build."""
        pages = self.dated if self.dated is not None else self._sitemap_pages(site, drawer)
        if dates is None:
            dates = lastmods(pages, site.catalogue)
        count = len(pages) - len(drawer.theme_pages)
        listed, theme = pages[:count], pages[count:]
        catalogue_date = site.catalogue.date
        extend_sitemap(self.site_dir, site_url, [page.url for page in listed],
                       dates[:count], {page.url: date for page, date in
                                       zip(theme, dates[count:], strict=True)},
                       catalogue_date.isoformat() if catalogue_date else "")

    def cancel(self) -> None:
        """Stop the workers and the outputs' processes (the build failed)."""
        if self.drawing is not None:
            self.drawing.cancel()
            self.drawing = None
        if self.helper is not None:
            self.helper.cancel()
            self.helper = None
        if self.publishing is not None:
            self.publishing.cancel()
            self.publishing = None

    def _site(self) -> CatalogueSite:
        assert self.site is not None, "start() first"
        return self.site

    def _drawer(self) -> PageDrawer:
        assert self.drawer is not None, "plan() first"
        return self.drawer
