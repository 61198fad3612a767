"""One catalogue turned into a site, as one build holds it: loaded (``loading``), which
files move where, what is generated, how each catalogue page is drawn, the search
documents, and what it keeps for the next build (cards, the page record, the outputs'
cache). In the build room because it loads, keeps caches and writes; what it draws with is
pure (``lifelong.site``). No MkDocs here: ``lifelong.mkdocs`` adapts this to MkDocs' events.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import posixpath
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, overload
from urllib.parse import quote

import jinja2

from lifelong.build.cache import CardCache, PageRecord, code_version, site_cache
from lifelong.build.jobs import Outputs
from lifelong.build.loading import load_catalogue
from lifelong.build.memory import PickledSequence
from lifelong.build.processes import Sharing
from lifelong.catalogue.model import Catalogue, Entry, local_media_of
from lifelong.catalogue.problems import CatalogueError, Problem
from lifelong.search.index import (
    SearchDocument,
    index_view,
    looked_up,
    newest_first,
)
from lifelong.site.calendar import calendar_files
from lifelong.site.captions import caption_files
from lifelong.site.codes import code_index_files, index_key
from lifelong.site.draw import PageDrawer, PageToDraw
from lifelong.site.export import data_files, robots_txt
from lifelong.site.feeds import feed_files
from lifelong.site.memo import Published, PublishMemo
from lifelong.site.opds import opds_files
from lifelong.site.pages import BROWSE, DIRECTORY_PAGES, SitePage, SitePlan
from lifelong.site.provmap import Outline, read_outline
from lifelong.site.render import Renderer
from lifelong.site.shell import Shell
from lifelong.site.urls import UrlScheme


@dataclass(frozen=True)
class SiteOptions:
    content_dir: Path
    catalogue_dir: Path
    template_dirs: Sequence[Path]
    site_url: str | None
    directory_urls: bool = True
    #: The site's name (feeds and share cards name it) and description (pages and share
    #: cards without one of their own show it).
    site_name: str = ""
    site_description: str = ""
    lang: str = "zh"
    page_size: int = 24
    lunr_js: Path | None = None
    offline: bool = False
    subset_sections: tuple[str, ...] = ()
    subset_subjects: tuple[str, ...] = ()
    subset_audiences: tuple[str, ...] = ()
    #: A copy for provinces (terms of regions.yml): see ``region_subset``.
    subset_regions: tuple[str, ...] = ()
    media: str = "all"
    #: Offline: remote covers and photos left out ("placeholder") or fetched ("fetch").
    remote_media: str = "placeholder"
    #: Which remote images the site holds (set by ``lifelong.offline.remote.prepare``: a digest of
    #: what was fetched), so that every page's fingerprint changes with it (``cards_key``).
    remote_fetched: str = ""
    #: The site's Markdown extensions and their settings, for entry descriptions.
    markdown_extensions: tuple[Any, ...] = ()
    markdown_configs: Mapping[str, Any] = field(default_factory=dict)
    #: Where rebuilds keep what they reuse (None: no cache).
    cache_dir: Path | None = None
    #: The statistics page's map: a GeoJSON outline of the provinces to draw instead of the
    #: tile grid, its licence (shown under it) and the property naming each province.
    map_outline: Path | None = None
    map_licence: str = ""
    map_property: str = "region"
    #: How much of the reading and drawing goes to other processes.
    sharing: Sharing = field(default_factory=lambda: Sharing(workers=2))


class CatalogueSite:
    """Loads and validates the catalogue (raising CatalogueError), then answers the
    adapter's questions page by page."""

    def __init__(self, options: SiteOptions) -> None:
        self.options = options
        self.scheme = UrlScheme(options.directory_urls)
        full = load_catalogue(options.content_dir, options.catalogue_dir,
                              cache_dir=options.cache_dir,
                              markdown=(options.markdown_extensions, options.markdown_configs),
                              sharing=options.sharing)
        self.catalogue: Catalogue = full.subset(self._subset(full)) if (
            options.subset_sections or options.subset_subjects or options.subset_audiences
            or options.subset_regions) else full
        #: Entries outside a subset that entries inside it point at: they get a page that
        #: says so, with their online address and QR code, so that no link is broken.
        self.outside: dict[str, Entry] = {}
        for entry in self.catalogue.entries:
            for target in (*entry.get("related", ()), *entry.get("prerequisites", ()),
                           entry.series, entry.get("centre")):
                if target and target not in self.catalogue.by_id and target in full.by_id:
                    self.outside[target] = full.by_id[target]
        self.plan = SitePlan(self.catalogue, lang=options.lang, page_size=options.page_size,
                             hide_empty_sections=self.catalogue is not full,
                             province_outline=self._outline())
        self.entries_by_path: dict[str, Entry] = {e.path: e for e in self.catalogue.entries}
        kept = set(self.entries_by_path)
        #: Entry files that are not published here: drafts, and entries outside a subset.
        self.excluded_paths = frozenset(
            e.path for e in (*full.drafts, *full.entries) if e.path not in kept)
        self.excluded_media = self._excluded_media(full)
        self._media_of: dict[str, list[tuple[str, str]]] = {}
        self._documents: SearchDocuments | None = None
        self.renderer = Renderer(self.catalogue, self.plan, options.template_dirs,
                                 scheme=self.scheme, site_url=options.site_url,
                                 lang=options.lang, outside=self.outside,
                                 excluded_media=self.excluded_media,
                                 bytecode_cache=self.template_cache(),
                                 offline=options.offline, site_name=options.site_name)

    def _outline(self) -> Outline | None:
        """The site's own outline of the provinces (the ``map`` option), or None."""
        options = self.options
        if options.map_outline is None:
            return None
        path = options.map_outline
        root = options.catalogue_dir.parent
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if not options.map_licence.strip():
            raise CatalogueError([Problem("mkdocs.yml", 0, "map.licence", (
                f"the outline {shown} needs its source and licence (shown under the map)"))])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise CatalogueError([Problem("mkdocs.yml", 0, "map.outline",
                                          f"cannot read {path}: {reason}")]) from None
        return read_outline(text, shown, self.catalogue.rules.vocabularies["regions"],
                            licence=options.map_licence.strip(),
                            name_property=options.map_property)

    @cached_property
    def pages(self) -> dict[str, SitePage]:
        """The generated pages by their virtual source (``subjects/health.md``), worked out
        when first asked for (the second process never needs them)."""
        pages: dict[str, SitePage] = {}
        for page in self.plan.pages():
            pages[self.scheme.generated_src(page.path)] = page
        for entry_id in sorted(self.outside):
            entry = self.outside[entry_id]
            pages[f"{entry_id}.md"] = SitePage(entry_id, "outside.html", entry.title, (),
                                               {"entry": entry})
        return pages

    def template_cache(self) -> jinja2.BytecodeCache | None:
        """Compiled templates, kept between builds (keyed by their source: never stale)."""
        if self.options.cache_dir is None:
            return None
        folder = self.options.cache_dir / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    def _subset(self, full: Catalogue) -> list[Entry]:
        """Entries of the chosen sections AND subjects AND audiences AND regions (any of
        each), with the regions' own centres, teachers and activities (``region_subset``),
        the series entries belong to, the teachers they name by id (an id is shown as the
        teacher's name) and the teachers of the regions' activities."""
        options = self.options
        rules = full.rules
        unknown = [f"section '{s}'" for s in options.subset_sections
                   if s not in {x.slug for x in rules.sections}]
        unknown += [f"subject '{s}'" for s in options.subset_subjects
                    if s not in rules.vocabularies["subjects"].terms]
        unknown += [f"audience '{a}'" for a in options.subset_audiences
                    if a not in rules.vocabularies["audiences"].terms]
        regions = rules.vocabularies.get("regions")
        unknown += [f"region '{r}'" for r in options.subset_regions
                    if regions is None or r not in regions.terms]
        if unknown:
            raise ValueError("unknown " + ", ".join(unknown))
        sections = [s for s in rules.sections if s.slug in options.subset_sections]
        placed, community = region_subset(full, options.subset_regions) \
            if options.subset_regions else (None, frozenset())
        kept = [e for e in full.entries
                if (not sections or any(full.matches(e, s.where) for s in sections))
                and (not options.subset_subjects or set(options.subset_subjects)
                     & set(full.terms_of(e, "subjects", "subjects")))
                and (not options.subset_audiences or set(options.subset_audiences)
                     & set(e.get("audiences", ())))
                and (placed is None or e.id in placed)]
        chosen = {e.id for e in kept} | community
        for entry in [full.by_id[i] for i in sorted(chosen)]:
            if entry.series and entry.series in full.by_id:
                chosen.add(entry.series)
            # A teacher named by id would be shown as the id without the entry; the people
            # who share in a region's activities are its community.
            sharing = entry.kind == "activity" and entry.id in community
            for _field, name in entry.people():
                teacher = full.teacher_of(name)
                if teacher is not None and (sharing or name == teacher.id):
                    chosen.add(teacher.id)
        return [e for e in full.entries if e.id in chosen]

    def _excluded_media(self, full: Catalogue) -> frozenset[str]:
        """Local media files left out: those of entries outside the copy, and by the media
        option (``covers``: all but covers and photos; ``none``: all)."""
        mode = self.options.media
        if mode == "all" and self.catalogue is full:
            return frozenset()
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

    def local_media_of(self, entry: Entry) -> list[tuple[str, str]]:
        found = self._media_of.get(entry.id)
        if found is None:
            found = self._media_of[entry.id] = local_media(entry)
        return found

    def resolve_content_link(self, target: str) -> str | None:
        """The site address of a path in content/ that a description links to."""
        if target.endswith(".md"):
            entry = self.entries_by_path.get(target)
            if entry is not None:
                return self.scheme.entry_url(entry.id)
            if not (self.options.content_dir / target).is_file() or \
                    target in self.excluded_paths:
                return None
            stem = target[:-3]
            name = posixpath.basename(stem)
            dest = (posixpath.join(posixpath.dirname(stem), "index.html")
                    if name in ("index", "README") else
                    posixpath.join(stem, "index.html") if self.scheme.directory_urls
                    else stem + ".html")
            return self.scheme.url_of_dest(dest.lstrip("/"))
        if target in self.excluded_media or not (self.options.content_dir / target).is_file():
            return None
        return quote(target)

    def drawer(self, theme_pages: Iterable[str] = ()) -> PageDrawer:
        """The pages this site draws itself: all but ``theme_pages`` (sources the theme
        draws, e.g. those the navigation names)."""
        drawer = PageDrawer(self, theme_pages)
        if self.options.cache_dir is not None:  # cards an earlier build drew
            self.renderer.saved_cards = CardCache(self.options.cache_dir / "cards",
                                                  self.cards_key(), drawer.card)
        return drawer

    def hand_over_cards(self) -> None:
        """In a worker process: the cards it drew, for ``save_cards``."""
        if self.renderer.saved_cards is not None:
            with contextlib.suppress(OSError):  # a full disk: the next build draws them
                self.renderer.saved_cards.hand_over()

    def save_cards(self) -> None:
        """Keep the cards this build drew for the next (those of entries still here)."""
        if self.renderer.saved_cards is not None:
            self.renderer.saved_cards.save(self.catalogue.by_id.keys() | self.outside.keys())

    def build_key(self, shells: Mapping[int, Shell]) -> str:
        """Everything every catalogue page depends on: code, templates, rules, options and
        the theme's chrome. A change to any of it redraws every page."""
        digest = hashlib.sha256(self.cards_key().encode())
        for depth in sorted(shells):
            digest.update(repr((depth, shells[depth])).encode())
        return digest.hexdigest()

    def cards_key(self) -> str:
        """What every entry card depends on besides its entry (``PageDrawer.card``): code,
        templates, rules and options (not the theme's chrome, which no card shows)."""
        digest = hashlib.sha256(code_version().encode())
        for folder in self.options.template_dirs:
            for path in sorted((folder / "lifelong").glob("*.html")):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        for path in sorted(self.options.catalogue_dir.rglob("*.yml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        options = dataclasses.replace(self.options, cache_dir=None, sharing=Sharing(0, 0))
        digest.update(repr(options).encode())
        return digest.hexdigest()

    def record(self, site_dir: Path, name: str, key: str) -> PageRecord:
        """What the last build wrote into ``site_dir`` (``name``: which part of it)."""
        where = self.site_cache(site_dir)
        return PageRecord(where / f"{name}.pickle" if where else None, key)

    def site_cache(self, site_dir: Path) -> Path | None:
        """The cache folder of one site folder (records, search index state)."""
        cache = self.options.cache_dir
        return None if cache is None else site_cache(cache, site_dir)

    def forget_old_sites(self, site_dir: Path) -> None:
        """Records of site folders that are gone (e.g. ``lifelong serve``'s temporary ones)
        are deleted; this one's folder is noted beside its record."""
        mine = self.site_cache(site_dir)
        if mine is None or not mine.is_dir():
            return
        (mine / "site_dir.txt").write_text(str(site_dir.resolve()), encoding="utf-8")
        for folder in sorted(mine.parent.iterdir()):
            note = folder / "site_dir.txt"
            if folder != mine and note.is_file() and \
                    not Path(note.read_text(encoding="utf-8")).is_dir():
                shutil.rmtree(folder, ignore_errors=True)

    def outputs(self, site_dir: Path, documents: Sequence[SearchDocument] | None = None,
                hints: Sequence[bytes] | None = None) -> Outputs:
        """What the outputs of a build into ``site_dir`` are made from (``documents``: those
        of ``search_documents``, or ``index_documents``; ``hints``: ``search_hints``)."""
        # One index cache per site folder: variants (http, file://) differ in addresses.
        where = self.site_cache(site_dir)
        return Outputs(self.catalogue.rules,
                       self.search_documents() if documents is None else documents,
                       self.options.lang, self.scheme.page_url("search"), self.version_text(),
                       self.options.lunr_js, site_dir, where / "search" if where else None,
                       self.options.offline, hints)

    def write_outputs(self, site_dir: Path, hints: Sequence[bytes] | None = None) -> None:
        """The outputs step: files made from the catalogue alone, not pages."""
        self.outputs(site_dir, hints=hints).write()

    def published_files(self, memo: PublishMemo | None = None) -> Iterator[Published]:
        """The files the catalogue publishes beside its pages, (address, bytes) one at a time:
        Atom and RSS feeds, calendars, the OPDS catalogue, the data for partner apps, the
        code index (``lifelong.site.codes``) and robots.txt (README, "Feeds, calendars and
        data"). The offline copy links relatively and has no robots.txt (no search engine
        reads a USB stick); a robots.txt an editor wrote in content/ is theirs. With a
        ``memo`` (``lifelong.build.published``), None instead of the bytes of a file the
        last build wrote as it would be now."""
        options, catalogue = self.options, self.catalogue
        site_url = options.site_url if not options.offline and (options.site_url or "").startswith(
            ("https://", "http://")) else None
        lang, name, scheme = options.lang, options.site_name, self.scheme
        yield from feed_files(catalogue, site_url=site_url, lang=lang, site_name=name,
                              scheme=scheme, memo=memo)
        yield from calendar_files(catalogue, site_url=site_url, lang=lang, site_name=name,
                                  scheme=scheme, memo=memo)
        yield from opds_files(catalogue, site_url=site_url, lang=lang, site_name=name,
                              scheme=scheme, excluded_media=self.excluded_media, memo=memo)
        yield from data_files(catalogue, site_url=site_url, version_text=self.version_text(),
                              scheme=self.scheme, memo=memo)
        entries = (*catalogue.entries, *self.outside.values())
        yield from code_index_files(((entry.id, entry.get("code"), scheme.entry_url(entry.id))
                                     for entry in entries), memo, catalogue.version,
                                    lambda: index_key(entries))
        if options.offline:  # file:// loads no <track src> (lifelong.site.captions)
            yield from caption_files(catalogue.entries, options.content_dir,
                                     self.excluded_media)
        if not options.offline and not (options.content_dir / "robots.txt").exists():
            yield "robots.txt", robots_txt(site_url)

    def version_text(self) -> str:
        date = self.catalogue.date.isoformat() if self.catalogue.date else ""
        return self.plan.t("catalogue_version", version=self.catalogue.version, date=date)

    def search_documents(self) -> SearchDocuments:
        """What the search index holds of each entry, newest first (each made when first
        read: a rewrite of the index reads only the documents that changed)."""
        if self._documents is None:
            self._documents = SearchDocuments(newest_first(self.catalogue.entries),
                                              self.search_document)
        return self._documents

    def search_document(self, entry: Entry) -> SearchDocument:
        """What the search index holds of an entry."""
        number = self._section_numbers
        cover = entry.cover
        return SearchDocument(
            entry=entry, url=self.scheme.entry_url(entry.id),
            cover=quote(cover.path) if cover is not None and cover.path
            and cover.path not in self.excluded_media else None,
            facts=" · ".join(self.renderer.facts(entry)),
            sections=tuple(number[s.slug] for s in self.catalogue.sections_of(entry)),
            works_offline=not self.renderer.entry_needs_internet(entry)
            if self.options.offline else None,
            **looked_up(self.catalogue, entry))

    @cached_property
    def _section_numbers(self) -> dict[str, int]:
        return {s.slug: i for i, s in enumerate(self.catalogue.rules.sections)}

    def search_hints(self, pages: Sequence[PageToDraw], fingerprints: Sequence[str]
                     ) -> list[bytes]:
        """Per search document (newest first), a digest of all that makes it: the
        fingerprint of its entry's page (``fingerprints`` of the entry ``pages``), which
        holds all that the page shows of the entry and of the entries it names (teachers'
        names, a centre, a series' size: what ``search_document`` reads), with what every
        page depends on (``cards_key``: code, rules, options) and its centre's file. The
        index reads a document only when its hint is new (``IndexBuilder``)."""
        setting = hashlib.blake2b(self.cards_key().encode(), digest_size=16)
        by_id = self.catalogue.by_id
        hints: dict[str, bytes] = {}
        for page, fingerprint in zip(pages, fingerprints, strict=True):
            entry = page.entry
            if entry is None:
                continue
            hint = setting.copy()
            hint.update(fingerprint.encode())
            centre = by_id.get(entry.values.get("centre") or "")
            if centre is not None:
                hint.update(b"\0" + centre.digest.encode())
            hints[entry.id] = hint.digest()
        return [hints[entry.id] for entry in self.search_documents().entries]

    def index_documents(self) -> PickledSequence[SearchDocument]:
        """The search documents cut to what the index reads (``index_view``), pickled a
        thousand at a time (a tenth of the catalogue's memory): what a process of its own
        writes the index from, without reading the catalogue."""
        return PickledSequence.of(map(index_view, map(self.search_document,
                                                      self.search_documents().entries)))

    def write_search_index(self, folder: Path, cache_dir: Path | None = None,
                           documents: Sequence[SearchDocument] | None = None,
                           hints: Sequence[bytes] | None = None) -> dict[str, object]:
        """``Outputs.write_search_index`` of this catalogue into ``folder``."""
        outputs = dataclasses.replace(self.outputs(folder.parent, documents, hints),
                                      cache_dir=cache_dir)
        return outputs.write_search_index(folder)

    def has_earlier_build(self, site_dir: Path) -> bool:
        """Whether ``site_dir`` holds a build this site's cache knows (a rebuild)."""
        where = self.site_cache(site_dir)
        return where is not None and (where / "pages.pickle").is_file() and \
            site_dir.is_dir() and any(site_dir.iterdir())





    def nav(self, pages: Sequence[str]) -> list[object]:
        """A navigation of the sections and the hand-written ``pages`` only: it never grows
        with the entries."""
        plan, scheme = self.plan, self.scheme
        nav: list[object] = []
        if "index.md" in pages:
            nav.append({plan.t("home"): "index.md"})
        for section in plan.sections:
            nav.append({plan.section_title(section): scheme.generated_src(section.slug)})
        browse = []
        for name in (*BROWSE, *DIRECTORY_PAGES):
            src = scheme.generated_src(name)
            if src in self.pages:  # a directory: when the catalogue has what it lists
                browse.append({self.pages[src].title: src})
        nav.append({plan.t("browse"): browse})
        nav.extend(page for page in sorted(pages) if page != "index.md")
        return nav


class SearchDocuments(Sequence[SearchDocument]):
    """The search documents of ``entries`` (newest first), each made when first read."""

    def __init__(self, entries: list[Entry], make: Callable[[Entry], SearchDocument]) -> None:
        self.entries, self._make = entries, make
        self._made: dict[int, SearchDocument] = {}

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, index: int) -> SearchDocument: ...

    @overload
    def __getitem__(self, index: slice) -> list[SearchDocument]: ...

    def __getitem__(self, index: int | slice) -> SearchDocument | list[SearchDocument]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.entries)))]
        if index < 0:
            index += len(self.entries)
        found = self._made.get(index)
        if found is None:
            found = self._made[index] = self._make(self.entries[index])
        return found


def local_media(entry: Entry) -> list[tuple[str, str]]:
    """(field, path in content/) of every local file an entry links to."""
    return [(name, media.path or "") for name, media in local_media_of(entry.values)]


def region_subset(full: Catalogue, regions: Iterable[str]
                  ) -> tuple[frozenset[str], frozenset[str]]:
    """What a copy for ``regions`` (provinces, terms of regions.yml) holds, as two sets of
    entry ids: the entries of those regions, which the other subset options narrow further,
    and the regions' own community, which a regional copy always carries.

    - An entry belongs to the regions when its ``region`` is one of them, ``national`` or
      not given (nationwide), except an entry held at a centre (an activity, a lecture with
      a ``centre``): it belongs where its centre is.
    - A centre belongs to its own region only; a teacher to theirs, to nationwide, and to
      every region they share in (``sharing_regions``).
    - The community: the regions' centres, their teachers (of or sharing in the regions) and
      the activities at their centres (``_subset`` adds the teachers those name).
    """
    wanted = frozenset(regions)
    centres = {c.id for c in full.by_kind.get("centre", ()) if c.get("region") in wanted}
    placed: set[str] = set()
    community: set[str] = set(centres)
    for entry in full.entries:
        centre = entry.get("centre")
        region = entry.get("region")
        if entry.kind == "centre":
            inside = entry.id in centres
        elif centre:
            inside = centre in centres
            if inside and entry.kind == "activity":
                community.add(entry.id)
        elif entry.kind == "teacher" and not wanted.isdisjoint(
                (region, *entry.get("sharing_regions", ()))):
            inside = True
            community.add(entry.id)
        else:
            inside = region is None or region == "national" or region in wanted
        if inside:
            placed.add(entry.id)
    return frozenset(placed), frozenset(community)
