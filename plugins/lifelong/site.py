"""One catalogue turned into a site: which files move where, what is generated, how each
catalogue page is drawn, and what is written after the build. No MkDocs here: the plugin in
lifelong.plugins.catalogue adapts this to MkDocs' events.
"""

from __future__ import annotations

import json
import multiprocessing
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lifelong.i18n import SEARCH_STRINGS, translate
from lifelong.model import Catalogue, Entry, load_catalogue
from lifelong.pages import BROWSE, SitePage, SitePlan
from lifelong.problems import Problem
from lifelong.qr import qr_svg
from lifelong.render import Renderer
from lifelong.search.index import IndexBuilder, SearchDocument, newest_first, script
from lifelong.search.text import t2s_table
from lifelong.urls import UrlScheme
from lifelong.validate import Media


@dataclass(frozen=True)
class SiteOptions:
    content_dir: Path
    catalogue_dir: Path
    template_dirs: Sequence[Path]
    site_url: str | None
    directory_urls: bool = True
    lang: str = "zh"
    page_size: int = 24
    lunr_js: Path | None = None
    offline: bool = False
    subset_sections: tuple[str, ...] = ()
    subset_subjects: tuple[str, ...] = ()
    subset_audiences: tuple[str, ...] = ()
    media: str = "all"


class CatalogueSite:
    """Loads and validates the catalogue (raising CatalogueError), then answers the
    adapter's questions page by page."""

    def __init__(self, options: SiteOptions) -> None:
        self.options = options
        self.scheme = UrlScheme(options.directory_urls)
        full = load_catalogue(options.content_dir, options.catalogue_dir)
        self.catalogue: Catalogue = full.subset(self._subset(full)) if (
            options.subset_sections or options.subset_subjects or options.subset_audiences
        ) else full
        #: Entries outside a subset that entries inside it point at: they get a page that
        #: says so, with their online address and QR code, so that no link is broken.
        self.outside: dict[str, Entry] = {}
        for entry in self.catalogue.entries:
            for target in (*entry.get("related", ()), entry.series):
                if target and target not in self.catalogue.by_id and target in full.by_id:
                    self.outside[target] = full.by_id[target]
        self.plan = SitePlan(self.catalogue, lang=options.lang, page_size=options.page_size,
                             hide_empty_sections=self.catalogue is not full)
        self.pages: dict[str, SitePage] = {}
        for page in self.plan.pages():
            self.pages[self.scheme.generated_src(page.path)] = page
        for entry_id in sorted(self.outside):
            entry = self.outside[entry_id]
            self.pages[f"{entry_id}.md"] = SitePage(entry_id, "outside.html", entry.title,
                                                    (), {"entry": entry})
        self.entries_by_path: dict[str, Entry] = {e.path: e for e in self.catalogue.entries}
        kept = set(self.entries_by_path)
        #: Entry files that are not published here: drafts, and entries outside a subset.
        self.excluded_paths = frozenset(
            e.path for e in (*full.drafts, *full.entries) if e.path not in kept)
        self.excluded_media = self._excluded_media(full)
        self.renderer = Renderer(self.catalogue, self.plan, options.template_dirs,
                                 scheme=self.scheme, site_url=options.site_url,
                                 lang=options.lang, outside=self.outside,
                                 excluded_media=self.excluded_media)

    def _subset(self, full: Catalogue) -> list[Entry]:
        """Entries of the chosen sections AND subjects AND audiences (any of each), with the
        series they belong to."""
        options = self.options
        rules = full.rules
        unknown = [f"section '{s}'" for s in options.subset_sections
                   if s not in {x.slug for x in rules.sections}]
        unknown += [f"subject '{s}'" for s in options.subset_subjects
                    if s not in rules.vocabularies["subjects"].terms]
        unknown += [f"audience '{a}'" for a in options.subset_audiences
                    if a not in rules.vocabularies["audiences"].terms]
        if unknown:
            raise ValueError("unknown " + ", ".join(unknown))
        sections = [s for s in rules.sections if s.slug in options.subset_sections]
        kept = [e for e in full.entries
                if (not sections or any(full.matches(e, s.where) for s in sections))
                and (not options.subset_subjects or set(options.subset_subjects)
                     & set(full.terms_of(e, "subjects", "subjects")))
                and (not options.subset_audiences or set(options.subset_audiences)
                     & set(e.get("audiences", ())))]
        series = {e.series for e in kept if e.series}
        return kept + [e for e in full.entries if e.id in series and e not in kept]

    def _excluded_media(self, full: Catalogue) -> frozenset[str]:
        """Local media files left out: those of entries outside the copy, and by the media
        option (``covers``: all but covers and photos; ``none``: all)."""
        mode = self.options.media
        wanted: set[str] = set()
        every: set[str] = set()
        included = set(self.catalogue.by_id)
        for entry in full.entries:
            for name, media in local_media(entry):
                every.add(media)
                if entry.id in included and (
                        mode == "all" or (mode == "covers" and name in ("cover", "photo"))):
                    wanted.add(media)
        return frozenset(every - wanted)

    def entry_dest(self, entry: Entry) -> str:
        return self.scheme.entry_dest(entry.id)

    def collisions(self, existing: Iterable[tuple[str, str]]) -> list[Problem]:
        """Hand-written files (source, destination) that sit where a generated page goes.
        Entry files are not among them: their pages move to the entry's id."""
        generated = {posixpath.join(page.path, "index.html") if page.path else "index.html":
                     page for page in self.pages.values()}
        return [Problem(f"{self.options.content_dir.name}/{src}", 0, None,
                        f"this page's address is generated by the catalogue "
                        f"('{generated[dest].title}'); rename or remove the file")
                for src, dest in sorted(existing) if dest in generated
                and src not in self.entries_by_path and src not in self.excluded_paths]

    def title_of(self, src_uri: str) -> str | None:
        if src_uri in self.pages:
            return self.pages[src_uri].title
        entry = self.entries_by_path.get(src_uri)
        return entry.title if entry else None

    def render(self, src_uri: str, body_html: str, page_url: str, *, is_home: bool,
               title: str = "") -> str | None:
        """The page's HTML content, or None for pages the catalogue does not draw."""
        if src_uri in self.pages:
            return self.renderer.render_page(self.pages[src_uri], body_html, page_url)
        entry = self.entries_by_path.get(src_uri)
        if entry is not None:
            return self.renderer.render_entry(entry, body_html, page_url)
        if is_home:
            return self.renderer.render_home(body_html, page_url, title)
        return None

    def write_outputs(self, site_dir: Path) -> None:
        """The outputs step: files made from the catalogue alone, not pages."""
        self.write_search_index(site_dir / "search")
        self.write_qr_codes(site_dir)
        self.write_version_script(site_dir / "version.js")

    def version_text(self) -> str:
        date = self.catalogue.date.isoformat() if self.catalogue.date else ""
        return self.plan.t("catalogue_version", version=self.catalogue.version, date=date)

    def write_version_script(self, path: Path) -> None:
        """The catalogue version and date for every footer, in one small script: a new
        version then changes this file, not every page (update packs stay small)."""
        text = json.dumps(self.version_text(), ensure_ascii=False)
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

    def search_documents(self) -> list[SearchDocument]:
        sections = self.catalogue.rules.sections
        documents = []
        for entry in newest_first(self.catalogue.entries):
            cover = entry.cover
            documents.append(SearchDocument(
                entry=entry, url=self.scheme.entry_url(entry.id),
                cover=quote(cover.path) if cover is not None and cover.path
                and cover.path not in self.excluded_media else None,
                facts=" · ".join(self.renderer.facts(entry)),
                sections=tuple(i for i, s in enumerate(sections)
                               if self.catalogue.matches(entry, s.where))))
        return documents

    def write_search_index(self, folder: Path) -> dict[str, object]:
        """The catalogue's search index, the browser's copy of lunr.js and the traditional
        to simplified table, all under search/."""
        documents = self.search_documents()
        ui = {key: translate(key, self.options.lang) for key in SEARCH_STRINGS}
        extra = {"ui": ui, "featured": [n for n, d in enumerate(documents) if d.entry.featured],
                 "searchPage": self.scheme.page_url("search"),
                 "kindNames": list(self.catalogue.rules.kinds)}
        figures = IndexBuilder(self.catalogue, documents, lang=self.options.lang).write(
            folder, extra_meta=extra)
        table = t2s_table()
        (folder / "t2s.js").write_bytes(script("t2s", ["".join(table), "".join(table.values())]))
        if self.options.lunr_js is not None:
            source = self.options.lunr_js.read_text(encoding="utf-8")
            (folder / "lunr.js").write_text(compact_script(source), encoding="utf-8")
        return figures

    def start_outputs(self, site_dir: Path) -> OutputsJob:
        """Write the outputs in a second process while MkDocs renders pages in this one:
        they need only the catalogue, and the machine has two cores."""
        return OutputsJob(self, site_dir)

    def write_qr_codes(self, site_dir: Path) -> None:
        if not self.renderer.site_url:
            return
        folder = site_dir / "qr"
        folder.mkdir(parents=True, exist_ok=True)
        for entry in (*self.catalogue.entries, *self.outside.values()):
            url = self.renderer.public_url(entry) or ""
            (folder / f"{entry.id}.svg").write_bytes(qr_svg(url, f"{entry.title} {url}"))


class OutputsJob:
    """``CatalogueSite.write_outputs`` in a forked process (the catalogue is inherited, not
    copied); ``wait`` raises if it failed. Without fork, it runs in ``wait`` instead."""

    def __init__(self, site: CatalogueSite, site_dir: Path) -> None:
        self.site, self.site_dir = site, site_dir
        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self.process = context.Process(target=site.write_outputs, args=(site_dir,),
                                           name="lifelong-outputs", daemon=True)
            self.process.start()

    def wait(self) -> None:
        if self.process is None:
            self.site.write_outputs(self.site_dir)
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"writing the catalogue outputs failed (exit code "
                               f"{self.process.exitcode}); see the messages above")

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


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


def local_media(entry: Entry) -> list[tuple[str, str]]:
    """(field, path in content/) of every local file an entry links to."""
    found = []
    for name, value in entry.values.items():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            candidates = item.values() if isinstance(item, Mapping) else (item,)
            for media in candidates:
                if isinstance(media, Media) and media.path:
                    found.append((name, media.path))
    return found


def build_nav(site: CatalogueSite, pages: Sequence[str]) -> list[object]:
    """A nav of sections and hand-written pages only: it never grows with the entries."""
    plan = site.plan
    nav: list[object] = []
    if "index.md" in pages:
        nav.append({plan.t("home"): "index.md"})
    for section in plan.sections:
        nav.append({plan.section_title(section): site.scheme.generated_src(section.slug)})
    browse = []
    for name in BROWSE:
        src = site.scheme.generated_src(name)
        browse.append({site.pages[src].title: src})
    nav.append({plan.t("browse"): browse})
    nav.extend(page for page in sorted(pages) if page != "index.md")
    return nav
