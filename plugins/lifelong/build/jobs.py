"""The build's work beside the drawing, in workers (``lifelong.build.processes``): the
outputs (the search index and ``version.js``) of a first build, in a fresh interpreter
given a compact copy of what it needs (``OutputsJob``, ``Outputs``); and a rebuild's
helper, forked once the pages are planned, which works out which pages changed and then
writes the outputs (``HelperJob``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lifelong.build.cache import PageRecord
from lifelong.build.drawing import DrawError
from lifelong.build.memory import give_back
from lifelong.build.processes import Link, Worker, WorkFailed, WorkProblem, can_fork, forked, fresh
from lifelong.build.published import publish_files
from lifelong.catalogue.model import Catalogue
from lifelong.catalogue.schema import Rules
from lifelong.search.index import DocumentError, IndexBuilder, SearchDocument, pinyin_texts, script
from lifelong.search.text import add_readings, readings_of, t2s_table
from lifelong.site.draw import PageDrawer, PageToDraw
from lifelong.site.export import lastmods
from lifelong.site.i18n import OFFLINE_STRINGS, SEARCH_STRINGS, translate

if TYPE_CHECKING:
    from lifelong.build.catalogue_site import CatalogueSite


class HelperJob:
    """The second core's share of a rebuild, in a worker forked once the pages are planned
    (the catalogue and the plan are inherited, not copied), while this process has MkDocs
    read its files. First it works out the fingerprint of every page and, in a dirty build
    (``ready``: MkDocs leaves the site folder as it is), which of their files are missing
    (``pages_seen`` receives them); then, once ``start_writing`` says that the site folder
    is ready (at once with ``ready``), it writes the outputs (the search index and
    ``version.js``). This process draws the pages meanwhile, with a worker forked for the
    other core once the pages to draw are known (``DrawJob``). ``wait`` raises RuntimeError
    if it failed. Without fork, this process does it all when asked."""

    #: Cores it takes while the pages are drawn: none that it does not give back soon.
    BUSY = 0

    def __init__(self, site: CatalogueSite, drawer: PageDrawer, site_dir: Path, *,
                 ready: bool = False) -> None:
        self.site, self.drawer, self.site_dir = site, drawer, site_dir
        self._seen: PagesSeen | None = None
        self.worker: Worker | None = None
        if can_fork():
            # What the worker reads of every entry that this process works out later anyway
            # (the pages, the catalogue's date): made now, it is shared, not made again by
            # the worker.
            drawer.pages  # noqa: B018
            site.version_text()
            self.worker = forked("the rebuild's helper", _help, site, drawer, site_dir, ready)
            if ready:
                self.worker.go()

    def pages_seen(self) -> PagesSeen:
        """The fingerprint of every page, and which of their files are missing."""
        if self._seen is None:
            if self.worker is None:
                self._seen = PagesSeen(page_fingerprints(self.drawer,
                                                         entry_fingerprints(self.drawer)), None)
            else:
                try:
                    self._seen = self.worker.receive()
                except WorkFailed as exc:
                    raise RuntimeError(f"working out which pages changed failed: {exc}"
                                       ) from None
        return self._seen

    def fingerprints(self) -> list[str]:
        """The fingerprint of each of the entry pages, in order (the drawer's first pages)."""
        return self.pages_seen().pages[:len(self.drawer.entry_pages)]

    def page_fingerprints(self) -> dict[str, str]:
        """``page_fingerprints`` of the drawer."""
        seen, drawer = self.pages_seen(), self.drawer
        return fingerprints_by_file(drawer.pages, seen.pages)

    def start_writing(self) -> None:
        if self.worker is not None:
            self.worker.go()

    def running(self) -> bool:
        return self.worker is not None and self.worker.running()

    def wait(self) -> None:
        if self.worker is None:
            self.site.write_outputs(self.site_dir, self.site.search_hints(
                self.drawer.entry_pages, self.fingerprints()))
            return
        self.pages_seen()  # the worker sends them before anything else
        try:
            self.worker.wait()
        except WorkFailed as exc:
            raise RuntimeError(str(exc)) from None

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()


@dataclass(frozen=True)
class PagesSeen:
    """What the rebuild's helper tells of the pages before they are drawn."""

    #: The fingerprint of each of the drawer's pages, in order.
    pages: list[str]
    #: The files of pages not in the site folder; None: not looked for
    #: (MkDocs empties the folder after the helper is forked).
    missing: frozenset[str] | None


def entry_fingerprints(drawer: PageDrawer) -> list[str]:
    """The fingerprint of each of the entry pages, in order."""
    return [drawer.fingerprint(page) for page in drawer.entry_pages]


def page_fingerprints(drawer: PageDrawer, entries: Sequence[str]) -> list[str]:
    """The fingerprint of each of the drawer's pages, in order, those of the entry pages
    (its first pages) given."""
    pages = drawer.pages
    return [*entries, *map(drawer.fingerprint, pages[len(entries):])]


def fingerprints_by_file(pages: Sequence[PageToDraw], fingerprints: Sequence[str]
                         ) -> dict[str, str]:
    """The fingerprints of ``pages`` (in order) by file."""
    return dict(zip((page.dest for page in pages), fingerprints, strict=True))


def missing_files(site_dir: Path, pages: Sequence[PageToDraw]) -> frozenset[str]:
    """The files of ``pages`` that are not in ``site_dir``."""
    root = str(site_dir)
    return frozenset(page.dest for page in pages if not os.path.isfile(f"{root}/{page.dest}"))


def _help(link: Link, site: CatalogueSite, drawer: PageDrawer, site_dir: Path,
          ready: bool) -> None:
    """In the rebuild's helper (``HelperJob``)."""
    entries = entry_fingerprints(drawer)
    link.send(PagesSeen(page_fingerprints(drawer, entries),
                        missing_files(site_dir, drawer.pages) if ready else None))
    # The index reads only the search documents whose hint is new.
    hints = site.search_hints(drawer.entry_pages, entries)
    link.wait_for_go()
    try:
        site.write_outputs(site_dir, hints)
    except OSError as exc:  # a full disk, a folder that may not be written
        raise WorkProblem(outputs_problem(exc, site_dir)) from None
    except DocumentError as exc:  # names the entry it failed on
        raise WorkProblem(str(exc)) from None


@dataclass(frozen=True)
class Outputs:
    """The files a build makes from the catalogue alone, not pages (the search index under
    search/, version.js), with all that writing them takes: a process of its own is given
    this, pickled, and never reads the catalogue."""

    rules: Rules
    #: Newest first (``CatalogueSite.search_documents`` or ``index_documents``).
    documents: Sequence[SearchDocument]
    lang: str
    search_page: str
    version_text: str
    lunr_js: Path | None
    site_dir: Path
    #: Where the search index keeps what a rewrite reuses (None: no cache).
    cache_dir: Path | None
    #: An offline copy: the index has the "works offline" filter (``OFFLINE_COLUMN``).
    offline: bool = False
    #: Per document, a digest of all that makes it (``CatalogueSite.search_hints``): a
    #: rewrite reads only the documents whose hint the cache does not know. None: every
    #: document is read.
    hints: Sequence[bytes] | None = None

    def rules_only(self) -> Catalogue:
        """A catalogue of the rules alone, no entries: the index reads each document's terms
        from its own values, and needs the catalogue only for its kinds and vocabularies."""
        return Catalogue(self.rules, (), (), "")

    def read_pinyin_apart(self) -> None:
        """Work out the pinyin of the documents' titles and names in a forked worker and
        take its readings: this process then never loads pinyin's dictionaries (56 MB)
        while it holds the index. Without fork, or if that fails, the index works them out
        itself."""
        if not can_fork():
            return
        worker = forked("reading pinyin", _pinyin_readings, self.rules_only(), self.documents)
        with contextlib.suppress(WorkFailed):  # the index works them out itself
            if (readings := worker.wait()) is not None:
                add_readings(readings)

    def write(self) -> dict[str, object]:
        figures = self.write_search_index(self.site_dir / "search")
        self.write_version_script(self.site_dir / "version.js")
        return figures

    def write_search_index(self, folder: Path) -> dict[str, object]:
        """The catalogue's search index, the browser's copy of lunr.js and the traditional
        to simplified table, all under ``folder``. Files already as they should be are left
        alone; with ``cache_dir``, a rewrite after a few changes reuses what it learnt."""
        documents = self.documents
        ui = {key: translate(key, self.lang)
              for key in SEARCH_STRINGS + (OFFLINE_STRINGS if self.offline else ())}
        # "featured": the numbers of the featured documents, which the index fills in
        extra = {"ui": ui, "featured": None, "searchPage": self.search_page,
                 "kindNames": list(self.rules.kinds)}
        figures = IndexBuilder(self.rules_only(), documents, lang=self.lang,
                               offline=self.offline, hints=self.hints).write(
            folder, extra_meta=extra, cache_dir=self.cache_dir)
        table = t2s_table()
        write_changed(folder / "t2s.js", script("t2s", ["".join(table), "".join(table.values())]))
        if self.lunr_js is not None:
            source = self.lunr_js.read_text(encoding="utf-8")
            write_changed(folder / "lunr.js", compact_script(source).encode())
        return figures

    def write_version_script(self, path: Path) -> None:
        """The catalogue version and date for every footer, in one small script: a new
        version then changes this file, not every page (update packs stay small)."""
        text = json.dumps(self.version_text, ensure_ascii=False)
        path.write_text(
            "/* Lifelong: the catalogue version shown in every footer. */\n"
            "(function () {\n"
            f"  var text = {text};\n"
            '  var places = document.querySelectorAll(".ll-version");\n'
            "  for (var i = 0; i < places.length; i++) {\n"
            "    var note = places[i].getAttribute(\"data-note\");\n"
            '    places[i].textContent = note ? text + " · " + note : text;\n'
            "  }\n"
            "})();\n", encoding="utf-8")


class OutputsJob:
    """The outputs of a build that draws every page (the search index and ``version.js``),
    in a fresh interpreter given a compact copy of what it needs (``Outputs`` with
    ``CatalogueSite.index_documents``), never the catalogue (``lifelong.build.processes``
    says why). This process works out the fingerprints and draws every page (with forked
    workers for cores beyond two: ``DrawJob``)."""

    #: Cores it takes while the pages are drawn.
    BUSY = 1

    def __init__(self, site: CatalogueSite, drawer: PageDrawer, site_dir: Path) -> None:
        self.site, self.drawer, self.site_dir = site, drawer, site_dir
        # The fingerprints now (they are recorded after the drawing): the search index keeps
        # the hints they make, from which a rebuild knows the documents it need not read.
        self._fingerprints = entry_fingerprints(drawer)
        hints = site.search_hints(drawer.entry_pages, self._fingerprints)
        self.worker = fresh("writing the search index", _write_outputs,
                            site.outputs(site_dir, site.index_documents(), hints))
        self._cancelled = self._started = False

    def fingerprints(self) -> list[str]:
        """The fingerprint of each of the entry pages, in order (worked out here)."""
        return self._fingerprints

    def page_fingerprints(self) -> dict[str, str]:
        """The fingerprint of every page's file (worked out here)."""
        drawer = self.drawer
        return fingerprints_by_file(drawer.pages, page_fingerprints(drawer, self._fingerprints))

    def start_writing(self) -> None:
        """Let the worker go (once; ``wait`` does it if nothing did before)."""
        if self._started or self._cancelled:
            return
        self._started = True
        self.worker.go()
        give_back()  # what it was given (a pickled copy) is its own now

    def running(self) -> bool:
        return self.worker.running()

    def wait(self) -> None:
        self.start_writing()
        if self._cancelled:
            return
        try:
            self.worker.wait()
        except WorkFailed as exc:
            raise RuntimeError(str(exc)) from None

    def cancel(self) -> None:
        self._cancelled = True
        self.worker.cancel()


def publish(_link: Link, site: CatalogueSite, site_dir: Path, record: PageRecord,
            dated: Sequence[PageToDraw] | None) -> tuple[dict[str, str], list[str] | None]:
    """In a rebuild's worker: write the files the catalogue publishes beside its pages
    (``publish_files``: those the change touched) and return their digests by address,
    with the sitemap's dates of the ``dated`` pages (``lastmods``)."""
    try:
        published = publish_files(site, site_dir, record)
    except DrawError as exc:  # a file that could not be written: the message names it
        raise WorkProblem(str(exc)) from None
    return published, lastmods(dated, site.catalogue) if dated is not None else None


def outputs_problem(exc: OSError, site_dir: Path) -> str:
    return f"could not write the catalogue outputs: {exc.filename or site_dir}: " \
           f"{exc.strerror or exc}"


def _write_outputs(link: Link, outputs: Outputs) -> None:
    """In a fresh interpreter (OutputsJob), once the site folder is ready."""
    link.wait_for_go()
    outputs.read_pinyin_apart()
    try:
        outputs.write()
    except OSError as exc:  # a full disk, a folder that may not be written
        raise WorkProblem(outputs_problem(exc, outputs.site_dir)) from None
    except DocumentError as exc:  # names the entry it failed on
        raise WorkProblem(str(exc)) from None


def _pinyin_readings(_link: Link, catalogue: Catalogue,
                     documents: Sequence[SearchDocument]) -> object:
    """In a forked worker (``Outputs.read_pinyin_apart``): the readings, or None when a
    document cannot be read (the index then works them out itself, and names the entry
    it fails on)."""
    try:
        return readings_of(pinyin_texts(catalogue, documents))
    except Exception:
        return None


def write_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless the file holds it already (its date then stays)."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    path.write_bytes(data)


_FIRST_COMMENT = re.compile(r"\A\s*/\*.*?\*/\n", re.S)


_COMMENT_LINES = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*\n|^[ \t]*//[^\n]*\n", re.S | re.M)


_INDENT = re.compile(r"^[ \t]+|^\s*\n", re.M)


def compact_script(source: str) -> str:
    """lunr.js without its documentation comments, indentation and blank lines (100 KB to
    45 KB, loaded by every first query). Only whole-line comments go, so no code changes;
    the licence comment at the top stays."""
    head = _FIRST_COMMENT.match(source)
    keep = head.group(0) if head else ""
    return keep + _INDENT.sub("", _COMMENT_LINES.sub("", source[len(keep):]))
