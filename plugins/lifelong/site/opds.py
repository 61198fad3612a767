"""The OPDS catalogue of the e-books, for reader apps: OPDS 1.2 (Atom) and OPDS 2.0 (JSON).

Pure: a ``Catalogue`` in, ``(file, bytes)`` out (``opds_files``); the build writes them. Both
formats have the same structure and pages, each file beside its twin (``1.xml``, ``1.json``):

- ``opds/index``: the root navigation feed (sections holding e-books, subjects, new,
  featured, the complete feed); ``opds/subjects``: a navigation feed of the subjects;
- ``opds/new``, ``opds/featured``: the newest and the featured e-books, one page each;
- ``opds/all/<n>``: the complete feed, crawlable, with facets by subject and by language;
- ``opds/section/<slug>/<n>``, ``opds/subject/<term>/<n>``, ``opds/language/<code>/<n>``,
  ``opds/author/<person-slug>/<n>``, ``opds/series/<id>/<n>``: acquisition feeds.

An e-book is in the catalogue when it has a file to get (``files``): an acquisition feed's
entries must each offer one. Links are absolute with a ``site_url``, otherwise relative to
the feed file (an offline copy: readers resolve them against the file's own location). Only
http(s) addresses and relative paths are ever written. Pages hold at most ``PAGE_SIZE``
entries and stay below ``MAX_FILE_BYTES``. Each e-book's entry is drawn once for the files
most feeds are in and joined into every one that lists it: the 9,000 e-books of the
90,000-entry sample take under 2 s of CPU (9,036 files) and about 3 KB each while it runs.
"""

from __future__ import annotations

import json
import operator
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from lifelong.catalogue.model import Catalogue, Entry, local_media_of, newest_first_key
from lifelong.catalogue.periods import Period
from lifelong.catalogue.validate import Media
from lifelong.site.i18n import translate
from lifelong.site.memo import Published, PublishMemo, key_of, memoised_group
from lifelong.site.urls import UrlScheme, relative_url

#: Entries per page of an acquisition feed, and in ``new`` and ``featured``.
PAGE_SIZE = 50
#: No file is larger: a page is cut early when its entries would pass ``PAGE_BUDGET``.
MAX_FILE_BYTES = 1_000_000
#: Bytes of entries per page; the rest of the limit is the feed's own links and facets.
PAGE_BUDGET = 850_000
#: Characters of a summary shown in a feed; longer ones end with an ellipsis.
SUMMARY_LIMIT = 1_000

NAVIGATION_TYPE = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS2_TYPE = "application/opds+json"
#: The roots, site-relative, with their types: every page links to them
#: (``<link rel="alternate">``, see ``discovery_links``).
ROOT_FEEDS = (("opds/index.xml", NAVIGATION_TYPE), ("opds/index.json", OPDS2_TYPE))
#: The site's addresses unless told otherwise: ``taiji/``, not ``taiji.html``.
DIRECTORY_URLS = UrlScheme(directory_urls=True)

_OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
_IMAGE = "http://opds-spec.org/image"
_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
_CRAWLABLE = "http://opds-spec.org/crawlable"
_FACET = "http://opds-spec.org/facet"
_NEW = "http://opds-spec.org/sort/new"
_FEATURED = "http://opds-spec.org/featured"
_NAMESPACES = ('xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" '
               'xmlns:opds="http://opds-spec.org/2010/catalog" '
               'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
               'xmlns:thr="http://purl.org/syndication/thread/1.0"')
#: Catalogue dates are days in China: a feed's times are their midnight there.
_DAY_START = "T00:00:00+08:00"

#: The media type of a file, by its ``file_types`` term, then by its name's extension.
_TYPE_OF_TERM = {"epub": "application/epub+zip", "pdf": "application/pdf", "html": "text/html"}
_TYPE_OF_EXTENSION = {
    ".epub": "application/epub+zip", ".pdf": "application/pdf", ".html": "text/html",
    ".htm": "text/html", ".xhtml": "application/xhtml+xml", ".txt": "text/plain",
    ".mobi": "application/x-mobipocket-ebook", ".azw3": "application/vnd.amazon.ebook",
    ".fb2": "application/x-fictionbook+xml", ".cbz": "application/vnd.comicbook+zip",
    ".djvu": "image/vnd.djvu", ".zip": "application/zip", ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4", ".m4b": "audio/mp4", ".aac": "audio/aac", ".ogg": "audio/ogg",
    ".oga": "audio/ogg", ".opus": "audio/ogg", ".flac": "audio/flac", ".wav": "audio/wav",
    ".mp4": "video/mp4"}
_IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
                ".svg": "image/svg+xml"}
#: What OPDS 2.0 requires of a publication's ``images``: one of these at least.
_OPDS2_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/avif"})

#: Characters XML 1.0 cannot hold (and lone surrogates, which UTF-8 cannot): removed from
#: every text written. The catalogue's checks already refuse most of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What ``_x`` and ``_a`` change: most texts hold none of it and are written as they are.
_TEXT_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
#: Path segments that need no quoting (every slug and term).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]+")
_ID = operator.attrgetter("id")
_SAFE_URL = re.compile(r"https?://[^\s\"'<>\\`\x00-\x1f\x7f]+\Z", re.IGNORECASE)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _x(text: str) -> str:
    """Text escaped for XML content."""
    if not _TEXT_SPECIAL.search(text):
        return text
    return _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _a(text: str) -> str:
    """Text escaped for an XML attribute in double quotes (line breaks kept as such)."""
    if not _ATTRIBUTE_SPECIAL.search(text):
        return text
    return _x(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _segment(name: str) -> str:
    """A slug or term as a segment of a path."""
    return name if _PLAIN.fullmatch(name) else quote(name, safe="")


def _json(value: Any) -> str:
    """Compact JSON; ``<``, ``>`` and ``&`` (only ever inside strings) as escapes, so that no
    markup appears in it even to a program that takes it for HTML."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _extension(address: str) -> str:
    name = urlsplit(address).path.rsplit("/", 1)[-1].lower()
    return name[name.rfind("."):] if "." in name else ""


def _stamp(entry: Entry) -> str:
    return (entry.get("updated") or entry.published).isoformat() + _DAY_START


def _urn(key: str) -> str:
    """A stable identifier for a feed or an entry, the same online and in every copy."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:lifelong:{key}").urn


def discovery_links(page_url: str, *, site_url: str | None, lang: str) -> str:
    """The ``<link rel="alternate">`` elements that let readers find the catalogue from a
    page at ``page_url`` (site-relative): absolute with a ``site_url``, else relative."""
    title = _a(translate("opds_link", lang))
    base = _site_base(site_url)
    links = []
    for path, media_type in ROOT_FEEDS:
        href = base + path if base else relative_url(path, page_url)
        links.append(f'<link rel="alternate" type="{media_type}" href="{_a(href)}" '
                     f'title="{title}">')
    return "\n".join(links)


def _site_base(site_url: str | None) -> str | None:
    if site_url is None:
        return None
    if not _SAFE_URL.match(site_url):
        raise ValueError(f"site_url {site_url!r} is not an http(s) address")
    return site_url.rstrip("/") + "/"


@dataclass(frozen=True, slots=True)
class _Link:
    """A file an e-book offers (or its cover): its site-relative path or address."""

    href: str
    local: bool
    media_type: str | None
    size: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class _Feed:
    """One logical feed: ``stem`` names its files (``opds/all`` -> ``opds/all/<n>.xml``
    when ``paged``, else ``opds/new.xml``); ``up`` is its parent's stem; ``html`` the
    site-relative address of the page that shows the same e-books."""

    stem: str
    title: str
    entries: Sequence[Entry]
    up: str
    html: str | None = None
    paged: bool = True
    facets: bool = False

    def file_stem(self, number: int) -> str:
        return f"{self.stem}/{number}" if self.paged else self.stem


@dataclass(frozen=True, slots=True)
class _NavItem:
    """An entry of a navigation feed: a link to another feed, with its number of e-books."""

    title: str
    stem: str           #: the target's first file without extension: ``opds/all/1``
    acquisition: bool
    rel: str
    count: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class _Facet:
    group: str
    title: str
    stem: str           #: the first file of the feed it leads to
    count: int
    active: bool


@dataclass
class _Writer:
    """Draws every feed of one catalogue; entries are drawn once per folder depth."""

    catalogue: Catalogue
    base: str | None
    lang: str
    site_name: str
    scheme: UrlScheme
    excluded_media: frozenset[str]
    _links: dict[str, tuple[list[_Link], _Link | None]] = field(default_factory=dict)
    _person_pages: dict[str, str] = field(default_factory=dict)
    _ids: dict[str, str] = field(default_factory=dict)
    _entries: dict[str, dict[str, tuple[bytes, bytes]]] = field(default_factory=dict)
    #: What the last build kept (``lifelong.site.memo``); each e-book's key in it.
    memo: PublishMemo | None = None
    _keys: dict[str, str | None] = field(default_factory=dict)
    _stamps: dict[str, str] = field(default_factory=dict)
    _tokens: dict[str, str] = field(default_factory=dict)

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def prefix(self, stem: str) -> str:
        """What goes before a site-relative path in a file at ``stem``."""
        return self.base if self.base is not None else "../" * stem.count("/")

    # -- what an e-book offers ---------------------------------------------------------

    def _address(self, media: Media | None) -> tuple[str, bool] | None:
        """(site-relative path or address, whether local) of a file this copy has."""
        if media is None:
            return None
        if media.path is not None:
            if media.path in self.excluded_media:
                return None
            return quote(media.path), True
        if media.url is not None and _SAFE_URL.match(media.url):
            return media.url, False
        return None

    def offers(self, entry: Entry) -> bool:
        """Whether the e-book has a file this copy links to (``links_of`` has one)."""
        return any(self._address(item["link"]) is not None for item in entry.get("files", ()))

    def links_of(self, entry: Entry) -> tuple[list[_Link], _Link | None]:
        """The e-book's files (acquisition links) and cover."""
        found = self._links.get(entry.id)
        if found is not None:
            return found
        files = []
        labels = self.catalogue.rules.vocabularies["file_types"].terms
        for item in entry.get("files", ()):
            link: Media = item["link"]
            address = self._address(link)
            if address is None:
                continue
            term = item["type"]
            extension = _extension(address[0])
            media_type = _TYPE_OF_TERM.get(term) or _TYPE_OF_EXTENSION.get(extension) or (
                "audio/mpeg" if term == "audio" else "application/octet-stream")
            size = item.get("size")
            size = link.size if size is None else size
            label = labels[term].label.get(self.lang) if term in labels else term
            files.append(_Link(address[0], address[1], media_type, size or None, label))
        cover = None
        address = self._address(entry.cover)
        if address is not None:
            cover = _Link(address[0], address[1], _IMAGE_TYPES.get(_extension(address[0])))
        found = self._links[entry.id] = (files, cover)
        return found

    # -- one e-book, as an Atom entry and as an OPDS 2.0 publication --------------------

    def entry_bytes(self, entry: Entry, prefix: str) -> tuple[bytes, bytes]:
        """The e-book's Atom entry and OPDS 2.0 publication for a file whose links begin
        with ``prefix``; kept when drawn for the deepest files (``draw_deep_entries``), and
        taken from the memo when it has them."""
        cached = self._entries.get(prefix)
        if cached is not None and (found := cached.get(entry.id)) is not None:
            return found
        memo, key = self.memo, self.entry_key(entry)
        made = None
        if memo is not None and key is not None:
            atom = memo.fragment("opds-atom:" + prefix, entry.id, key)
            publication = memo.fragment("opds-json:" + prefix, entry.id, key)
            if atom is not None and publication is not None:
                made = atom, publication
        if made is None:
            made = (self._atom_entry(entry, prefix).encode(),
                    _json(self._publication(entry, prefix)).encode())
            if memo is not None and key is not None:
                memo.keep_fragment("opds-atom:" + prefix, entry.id, key, made[0])
                memo.keep_fragment("opds-json:" + prefix, entry.id, key, made[1])
        if cached is not None:
            cached[entry.id] = made
        return made

    def entry_key(self, entry: Entry) -> str | None:
        """With a memo, what an e-book's entries are drawn from besides the rules and
        options: its file, the names and addresses of its authors and contributors (a
        teacher's name is another entry's title), its series' title and its place in it,
        and which of its files this copy leaves out. None without a memo or a digest."""
        if self.memo is None or not entry.digest:
            return None
        found = self._keys.get(entry.id, "")
        if found == "":
            series = self._series(entry)
            shown = [entry.digest, repr(self._people(entry)), repr(self._contributors(entry)),
                     repr((series[0].id, series[0].title, series[1]) if series else None)]
            if self.excluded_media:
                shown.append("".join("1" if media.path in self.excluded_media else "0"
                                     for _name, media in local_media_of(entry.values)))
            found = self._keys[entry.id] = key_of(shown)
        return found

    def page_key(self, entries: Sequence[Entry], *head: object) -> str | None:
        """With a memo, what a file of entries is drawn from: ``head`` (all it shows but
        the entries) and each entry's key; None when one has none."""
        if self.memo is None:
            return None
        tokens = self._tokens
        try:
            keys = [repr(head), *map(tokens.__getitem__, map(_ID, entries))]
        except KeyError:  # worked out once an e-book
            for entry in entries:
                if entry.id not in tokens:
                    key = self.entry_key(entry)
                    if key is None:
                        return None
                    tokens[entry.id] = f"{entry.id}={key}"
            keys = [repr(head), *map(tokens.__getitem__, map(_ID, entries))]
        return key_of(keys)

    def person_page(self, slug: str) -> str:
        """The site-relative address of a person's page."""
        found = self._person_pages.get(slug)
        if found is None:
            found = self._person_pages[slug] = self.scheme.page_url("people/" + slug)
        return found

    def entry_urn(self, entry: Entry) -> str:
        found = self._ids.get(entry.id)
        if found is None:
            found = self._ids[entry.id] = _urn("ebook:" + entry.id)
        return found

    def _people(self, entry: Entry) -> list[tuple[str, str | None]]:
        """(name shown, person slug) of the authors: a teacher's id as their name."""
        catalogue = self.catalogue
        found = []
        for name in entry_authors(entry):
            person = catalogue.person_of(name)
            found.append((catalogue.display_name(name),
                          person.slug if person is not None else None))
        return found

    def _contributors(self, entry: Entry) -> list[tuple[str, str, str | None]]:
        """(name shown, role, person slug) of the contributors who are not authors."""
        catalogue = self.catalogue
        found = []
        for item in entry.get("contributors", ()):
            if item["role"] not in AUTHOR_ROLES:
                person = catalogue.person_of(item["name"])
                found.append((catalogue.display_name(item["name"]), item["role"],
                              person.slug if person is not None else None))
        return found

    def _subjects(self, entry: Entry) -> list[tuple[str, str]]:
        labels = self.catalogue.rules.vocabularies["subjects"].terms
        return [(term, labels[term].label.get(self.lang)) for term in entry.get("subjects", ())]

    def _series(self, entry: Entry) -> tuple[Entry, int | None] | None:
        series = self.catalogue.by_id.get(entry.series) if entry.series else None
        if series is None:
            return None
        position = self.catalogue.series_position.get(entry.id)
        return series, position + 1 if position is not None else None

    def _summary(self, entry: Entry) -> str:
        text = entry.summary
        return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 1] + "…"

    def _atom_entry(self, entry: Entry, prefix: str) -> str:
        scheme = self.scheme
        out = [f"<entry>\n<title>{_x(entry.title)}</title>\n<id>{self.entry_urn(entry)}"
               f"</id>\n<updated>{_stamp(entry)}</updated>\n<published>"
               f"{entry.published.isoformat()}{_DAY_START}</published>\n"]
        for name, slug in self._people(entry):
            uri = f"<uri>{_x(prefix + self.person_page(slug))}</uri>" if slug else ""
            out.append(f"<author><name>{_x(name)}</name>{uri}</author>\n")
        if entry.get("isbn"):
            out.append(f"<dc:identifier>urn:isbn:{_x(entry.get('isbn'))}</dc:identifier>\n")
        out.append(f"<dc:language>{_x(entry.get('language', 'zh'))}</dc:language>\n")
        if entry.get("publisher"):
            out.append(f"<dc:publisher>{_x(entry.get('publisher'))}</dc:publisher>\n")
        for name, _role, slug in self._contributors(entry):
            uri = f"<uri>{_x(prefix + self.person_page(slug))}</uri>" if slug else ""
            out.append(f"<contributor><name>{_x(name)}</name>{uri}</contributor>\n")
        year = issued_year(entry.get("year"))
        if year is not None:
            out.append(f"<dc:issued>{year:04d}</dc:issued>\n")
        for term, label in self._subjects(entry):
            out.append(f'<category term="{_a(term)}" label="{_a(label)}"/>\n')
        if entry.summary:
            out.append(f'<summary type="text">{_x(self._summary(entry))}</summary>\n')
        out.append(f'<link rel="alternate" type="text/html" '
                   f'href="{_a(prefix + scheme.entry_url(entry.id))}"/>\n')
        files, cover = self.links_of(entry)
        if cover is not None:
            href = _a(prefix + cover.href if cover.local else cover.href)
            kind = f' type="{cover.media_type}"' if cover.media_type else ""
            out.append(f'<link rel="{_IMAGE}" href="{href}"{kind}/>\n'
                       f'<link rel="{_THUMBNAIL}" href="{href}"{kind}/>\n')
        for link in files:
            href = _a(prefix + link.href if link.local else link.href)
            length = f' length="{link.size}"' if link.size else ""
            out.append(f'<link rel="{_OPEN_ACCESS}" href="{href}" type="{link.media_type}"'
                       f'{length} title="{_a(link.title or "")}"/>\n')
        for name, slug in self._people(entry):
            if slug:
                out.append(f'<link rel="related" type="{ACQUISITION_TYPE}" href="'
                           f'{_a(prefix + _author_stem(slug))}.xml" '
                           f'title="{_a(self.t("opds_author", name=name))}"/>\n')
        series = self._series(entry)
        if series is not None:
            out.append(f'<link rel="related" type="{ACQUISITION_TYPE}" href="'
                       f'{_a(prefix + _series_stem(series[0].id))}.xml" '
                       f'title="{_a(self.t("opds_series", name=series[0].title))}"/>\n')
        out.append("</entry>\n")
        return "".join(out)

    def _publication(self, entry: Entry, prefix: str) -> dict[str, Any]:
        scheme = self.scheme
        metadata: dict[str, Any] = {
            "@type": "http://schema.org/Book", "title": _clean(entry.title),
            "identifier": (f"urn:isbn:{entry.get('isbn')}" if entry.get("isbn")
                           else self.entry_urn(entry))}
        authors = []
        for name, slug in self._people(entry):
            author: dict[str, Any] = {"name": _clean(name)}
            if slug:
                author["links"] = [
                    {"href": prefix + _author_stem(slug) + ".json", "type": OPDS2_TYPE},
                    {"href": prefix + self.person_page(slug), "type": "text/html"}]
            authors.append(author)
        metadata["author"] = authors
        for name, role, slug in self._contributors(entry):
            person: dict[str, Any] = {"name": _clean(name)}
            if slug:
                person["links"] = [{"href": prefix + self.person_page(slug),
                                    "type": "text/html"}]
            metadata.setdefault(OPDS2_ROLES.get(role, "contributor"), []).append(person)
        if entry.get("publisher"):
            metadata["publisher"] = _clean(entry.get("publisher"))
        metadata["language"] = entry.get("language", "zh")
        metadata["modified"] = _stamp(entry)
        if entry.summary:
            metadata["description"] = _clean(self._summary(entry))
        metadata["subject"] = [
            {"name": _clean(label), "code": term,
             "links": [{"href": prefix + _subject_stem(term) + ".json", "type": OPDS2_TYPE}]}
            for term, label in self._subjects(entry)]
        series = self._series(entry)
        if series is not None:
            member: dict[str, Any] = {"name": _clean(series[0].title)}
            if series[1] is not None:
                member["position"] = series[1]
            member["links"] = [{"href": prefix + _series_stem(series[0].id) + ".json",
                                "type": OPDS2_TYPE}]
            metadata["belongsTo"] = {"series": [member]}
        if entry.get("pages"):
            metadata["numberOfPages"] = entry.get("pages")
        files, cover = self.links_of(entry)
        links: list[dict[str, Any]] = []
        for link in files:
            item: dict[str, Any] = {"rel": _OPEN_ACCESS,
                                    "href": prefix + link.href if link.local else link.href,
                                    "type": link.media_type}
            if link.size:
                item["size"] = link.size
            if link.title:
                item["title"] = _clean(link.title)
            links.append(item)
        links.append({"rel": "alternate", "href": prefix + scheme.entry_url(entry.id),
                      "type": "text/html"})
        publication: dict[str, Any] = {"metadata": metadata, "links": links}
        # OPDS 2.0 asks for a JPEG, PNG, GIF or AVIF among the images: a cover of another
        # kind (SVG) is left out there; OPDS 1.2 has no such rule and shows it.
        if cover is not None and cover.media_type in _OPDS2_IMAGE_TYPES:
            publication["images"] = [{"href": prefix + cover.href if cover.local
                                      else cover.href, "type": cover.media_type}]
        return publication

    # -- feeds -----------------------------------------------------------------------

    def acquisition_pages(self, feed: _Feed, sizes: Mapping[str, int]
                          ) -> list[tuple[int, int]]:
        """(start, stop) of each page's entries: ``PAGE_SIZE`` at most, and fewer when
        their bytes (``sizes``, the larger of the two formats) would pass the budget."""
        pages = []
        start = total = 0
        for at, entry in enumerate(feed.entries):
            size = sizes[entry.id]
            if at > start and (at - start == PAGE_SIZE or total + size > PAGE_BUDGET):
                pages.append((start, at))
                start, total = at, 0
            total += size
        pages.append((start, len(feed.entries)))
        return pages if feed.paged else pages[:1]

    def draw_deep_entries(self, ebooks: Sequence[Entry]) -> dict[str, int]:
        """Draw every e-book's entry for the files most feeds are in (``opds/<kind>/<key>/``)
        and keep them for those; returns each one's size (the larger format's), which
        bounds its size in any other file (whose links are no longer)."""
        deep = self.prefix("opds/section/x/1")
        self._entries[deep] = {}
        if self.memo is None:
            return {e.id: max(map(len, self.entry_bytes(e, deep))) for e in ebooks}
        names = [entry.id for entry in ebooks]
        keys = list(map(self.entry_key, ebooks))
        atoms = self.memo.fragment_sizes("opds-atom:" + deep, names, keys)
        publications = self.memo.fragment_sizes("opds-json:" + deep, names, keys)
        return {entry.id: max(map(len, self.entry_bytes(entry, deep)))
                if atom is None or publication is None or key is None
                else max(atom, publication)
                for entry, key, atom, publication in zip(ebooks, keys, atoms, publications,
                                                         strict=True)}

    def updated(self, entries: Iterable[Entry]) -> str:
        """The latest day any of ``entries`` changed, as an Atom time."""
        stamps = self._stamps
        try:
            return max(map(stamps.__getitem__, map(_ID, entries)),
                       default=self._catalogue_stamp)
        except KeyError:  # an e-book not on offer
            return max(map(self._stamp_of, entries), default=self._catalogue_stamp)

    def stamps_of(self, entries: Iterable[Entry]) -> None:
        """Work out ``_stamp`` of each of ``entries`` (most e-books are in several feeds)."""
        self._stamps.update((entry.id, _stamp(entry)) for entry in entries)

    def _stamp_of(self, entry: Entry) -> str:
        """``_stamp``, worked out once an e-book (most are in several feeds)."""
        found = self._stamps.get(entry.id)
        if found is None:
            found = self._stamps[entry.id] = _stamp(entry)
        return found

    @property
    def _catalogue_stamp(self) -> str:
        day = self.catalogue.date
        return (day.isoformat() if day else "1970-01-01") + _DAY_START

    def _head(self, stem: str, title: str, updated: str) -> list[str]:
        author_uri = f"<uri>{_x(self.base)}</uri>" if self.base else ""
        return ['<?xml version="1.0" encoding="utf-8"?>\n',
                f'<feed {_NAMESPACES} xml:lang="{_a(self.lang)}">\n',
                f"<id>{_urn('opds:' + stem)}</id>\n<title>{_x(title)}</title>\n",
                f"<updated>{updated}</updated>\n",
                f"<author><name>{_x(self.site_name)}</name>{author_uri}</author>\n"]

    def to(self, target: str, here: str) -> str:
        """The address of ``target`` (site-relative) in the file named by the stem
        ``here``: absolute with a ``site_url``, else relative (``1.xml``, ``../index.xml``)."""
        if self.base is not None:
            return self.base + target
        return relative_url(target, here + ".xml")

    def _feed_link(self, here: str, rel: str, stem: str, atom_type: str,
                   attributes: str = "") -> tuple[str, dict[str, Any]]:
        """A link to the feed file ``stem`` in both formats: Atom's to its ``.xml``, OPDS
        2.0's to its ``.json``."""
        return (f'<link rel="{rel}" href="{_a(self.to(stem + ".xml", here))}" '
                f'type="{atom_type}"{attributes}/>\n',
                {"rel": rel, "href": self.to(stem + ".json", here), "type": OPDS2_TYPE})

    def _common_links(self, here: str, own_type: str, up: str | None,
                      html: str | None) -> tuple[list[str], list[dict[str, Any]]]:
        """self, start, up, the twin in the other format and the matching web page."""
        made = [self._feed_link(here, "self", here, own_type),
                self._feed_link(here, "start", "opds/index", NAVIGATION_TYPE)]
        if up is not None:
            made.append(self._feed_link(here, "up", up, NAVIGATION_TYPE))
        xml = [atom for atom, _ in made]
        js = [link for _, link in made]
        xml.append(f'<link rel="alternate" href="{_a(self.to(here + ".json", here))}" '
                   f'type="{OPDS2_TYPE}"/>\n')
        js.append({"rel": "alternate", "href": self.to(here + ".xml", here), "type": own_type})
        if html is not None:
            href = self.to(html, here)
            xml.append(f'<link rel="alternate" href="{_a(href)}" type="text/html"/>\n')
            js.append({"rel": "alternate", "href": href, "type": "text/html"})
        return xml, js

    def acquisition_files(self, feed: _Feed, pages: list[tuple[int, int]], number: int,
                          facets: Sequence[_Facet], updated: str) -> tuple[bytes, bytes]:
        """Page ``number`` (from 1) of an acquisition feed, in both formats."""
        here = feed.file_stem(number)
        start, stop = pages[number - 1]
        xml, links = self._common_links(here, ACQUISITION_TYPE, feed.up, feed.html)
        if feed.paged:
            count = len(pages)
            around = [("first", 1), ("previous", number - 1), ("next", number + 1),
                      ("last", count)]
            for rel, target in around:
                if 1 <= target <= count:
                    atom, link = self._feed_link(here, rel, feed.file_stem(target),
                                                 ACQUISITION_TYPE)
                    xml.append(atom)
                    links.append(link)
        groups: dict[str, list[dict[str, Any]]] = {}
        for facet in facets:
            active = ' opds:activeFacet="true"' if facet.active else ""
            atom, link = self._feed_link(
                here, _FACET, facet.stem, ACQUISITION_TYPE,
                f' title="{_a(facet.title)}" opds:facetGroup="{_a(facet.group)}"{active} '
                f'thr:count="{facet.count}"')
            xml.append(atom)
            # OPDS 2.0 marks the active facet as the feed itself; the others have no rel.
            if facet.active:
                link["rel"] = "self"
            else:
                del link["rel"]
            link["title"] = _clean(facet.title)
            link["properties"] = {"numberOfItems": facet.count}
            groups.setdefault(facet.group, []).append(link)
        total = len(feed.entries) if feed.paged else stop
        xml.append(f"<opensearch:totalResults>{total}</opensearch:totalResults>\n"
                   f"<opensearch:itemsPerPage>{PAGE_SIZE}</opensearch:itemsPerPage>\n"
                   f"<opensearch:startIndex>{start + 1}</opensearch:startIndex>\n")
        prefix = self.prefix(here)
        made = [self.entry_bytes(entry, prefix) for entry in feed.entries[start:stop]]
        head = "".join(self._head(here, feed.title, updated) + xml).encode()
        atom_file = b"".join([head, *(atom for atom, _ in made), b"</feed>\n"])
        metadata: dict[str, Any] = {"title": _clean(feed.title), "modified": updated,
                                    "numberOfItems": total,
                                    "itemsPerPage": PAGE_SIZE, "currentPage": number}
        document: dict[str, Any] = {"metadata": metadata, "links": links}
        if groups:
            document["facets"] = [{"metadata": {"title": _clean(group)}, "links": members}
                                  for group, members in groups.items()]
        text = _json(document)
        json_file = b"".join([text[:-1].encode(), b',"publications":[',
                              b",".join(publication for _, publication in made), b"]}\n"])
        return atom_file, json_file

    def navigation_files(self, here: str, title: str, items: Sequence[_NavItem],
                         up: str | None, html: str | None, updated: str,
                         feed_links: Sequence[tuple[str, str]] = ()) -> tuple[bytes, bytes]:
        """A navigation feed in both formats; ``feed_links``: (rel, stem) of acquisition
        feeds it also names at its top (crawlable, new, featured)."""
        xml, links = self._common_links(here, NAVIGATION_TYPE, up, html)
        for rel, target in feed_links:
            atom, link = self._feed_link(here, rel, target, ACQUISITION_TYPE)
            xml.append(atom)
            links.append(link)
        out = self._head(here, title, updated) + xml
        navigation = []
        for item in items:
            kind = ACQUISITION_TYPE if item.acquisition else NAVIGATION_TYPE
            text = item.text or self.t("opds_books", n=item.count)
            atom, link = self._feed_link(here, item.rel, item.stem, kind,
                                         f' thr:count="{item.count}"')
            out.append(f"<entry>\n<title>{_x(item.title)}</title>\n"
                       f"<id>{_urn('opds:' + item.stem)}</id>\n<updated>{updated}</updated>\n"
                       f'<content type="text">{_x(text)}</content>\n{atom}</entry>\n')
            link["title"] = _clean(item.title)
            link["properties"] = {"numberOfItems": item.count}
            navigation.append(link)
        out.append("</feed>\n")
        document = {"metadata": {"title": _clean(title), "modified": updated},
                    "links": links, "navigation": navigation}
        return "".join(out).encode(), (_json(document) + "\n").encode()


#: Contributor roles that make someone an author (the OPDS author feeds list them).
AUTHOR_ROLES = frozenset({"author", "writer"})
#: Contributor roles -> OPDS 2.0's metadata keys (Readium's contributors); others are
#: "contributor".
OPDS2_ROLES = {"translator": "translator", "editor": "editor", "compiler": "editor",
               "illustrator": "illustrator", "narrator": "narrator"}


def entry_authors(entry: Entry) -> list[str]:
    """An e-book's authors: ``authors``, then contributors as authors, each once."""
    names = dict.fromkeys(entry.get("authors", ()))
    for item in entry.get("contributors", ()):
        if item["role"] in AUTHOR_ROLES:
            names.setdefault(item["name"])
    return list(names)


def issued_year(year: int | Period | None) -> int | None:
    """The year ``dc:issued`` gives (a range's first; none before the common era)."""
    first = year.start if isinstance(year, Period) else year
    return first if first is not None and first > 0 else None


def _author_stem(slug: str) -> str:
    return f"opds/author/{_segment(slug)}/1"


def _series_stem(series_id: str) -> str:
    return f"opds/series/{_segment(series_id)}/1"


def _subject_stem(term: str) -> str:
    return f"opds/subject/{_segment(term)}/1"


def opds_files(catalogue: Catalogue, *, site_url: str | None, lang: str, site_name: str,
               scheme: UrlScheme = DIRECTORY_URLS,
               excluded_media: frozenset[str] = frozenset(),
               memo: PublishMemo | None = None) -> Iterator[Published]:
    """Every file of the OPDS catalogue of ``catalogue``'s e-books: (path under the site
    root, bytes), in sorted path order. ``scheme`` makes the links to the site's pages
    (``use_directory_urls``); an offline copy that leaves local files out
    (``excluded_media``, paths under content/) links no file it does not hold. With a
    ``memo``, a page of a feed drawn from what the last build drew it from is not drawn
    again (None), and each e-book's entries are joined as kept unless it changed."""
    return memoised_group(memo, "opds", catalogue.version, _opds_files(
        catalogue, site_url=site_url, lang=lang, site_name=site_name, scheme=scheme,
        excluded_media=excluded_media, memo=memo))


def _opds_files(catalogue: Catalogue, *, site_url: str | None, lang: str, site_name: str,
                scheme: UrlScheme = DIRECTORY_URLS,
                excluded_media: frozenset[str] = frozenset(),
                memo: PublishMemo | None = None) -> Iterator[Published]:
    writer = _Writer(catalogue, _site_base(site_url), lang, site_name, scheme, excluded_media,
                     memo=memo)
    ebooks = sorted(filter(writer.offers, catalogue.by_kind.get("ebook", ())),
                    key=newest_first_key)
    chosen = _featured(catalogue, ebooks)
    if memo is not None:
        # All the files are made from the e-books on offer (and, without one of them or
        # without a featured one, the catalogue's date): when none of them changed, none
        # of the files did.
        key = writer.page_key(ebooks, None if ebooks and chosen else catalogue.date)
        yield from memoised_group(memo, "opds/ebooks", key,
                                  _opds_made(writer, catalogue, ebooks, chosen))
        return
    yield from _opds_made(writer, catalogue, ebooks, chosen)


def _opds_made(writer: _Writer, catalogue: Catalogue, ebooks: list[Entry],
               chosen: list[Entry]) -> Iterator[Published]:
    """``opds_files`` of the e-books on offer (``chosen``: the featured ones)."""
    t, lang, scheme, memo = writer.t, writer.lang, writer.scheme, writer.memo
    site_name = writer.site_name
    offered = {e.id for e in ebooks}
    writer.stamps_of(ebooks)
    feeds: list[_Feed] = []
    root, subjects_root = "opds/index", "opds/subjects"

    # Sections, in the order of the site, each in its own order.
    section_items = []
    for section in catalogue.rules.sections:
        members = [e for e in catalogue.in_section(section) if e.id in offered]
        if members:
            title = section.title.get(lang)
            feeds.append(_Feed(f"opds/section/{_segment(section.slug)}", title, members, root,
                               scheme.page_url(section.slug)))
            section_items.append(_NavItem(
                title, f"opds/section/{_segment(section.slug)}/1", True, "subsection",
                len(members), section.intro.get(lang)))

    # Subjects (an e-book is also under its subjects' parents), languages, authors.
    vocabularies = catalogue.rules.vocabularies
    subjects_of = catalogue.field_terms("subjects", "subjects")
    by_subject: dict[str, list[Entry]] = defaultdict(list)
    by_language: dict[str, list[Entry]] = defaultdict(list)
    by_author: dict[str, list[Entry]] = defaultdict(list)
    author_names: dict[str, str] = {}
    for entry in ebooks:
        for term in subjects_of.get(entry.id, ()):
            by_subject[term].append(entry)
        by_language[entry.get("language", "zh")].append(entry)
        for name in entry_authors(entry):
            person = catalogue.person_of(name)  # a name, or a teacher's id
            if person is not None:
                by_author[person.slug].append(entry)
                author_names[person.slug] = person.name
    subject_terms = [term for term in vocabularies["subjects"].terms if term in by_subject]
    language_vocabulary = vocabularies["languages"].terms
    languages = [code for code in language_vocabulary if code in by_language]
    languages += sorted(code for code in by_language if code not in language_vocabulary)
    term_pages = catalogue.term_index

    def subject_label(term: str) -> str:
        return vocabularies["subjects"].terms[term].label.get(lang)

    def language_label(code: str) -> str:
        term = language_vocabulary.get(code)
        return term.label.get(lang) if term is not None else code

    for term in subject_terms:
        feeds.append(_Feed(f"opds/subject/{_segment(term)}",
                           t("opds_subject", name=subject_label(term)), by_subject[term],
                           subjects_root, scheme.page_url(f"subjects/{term}")
                           if ("subjects", term) in term_pages else None))
    for code in languages:
        feeds.append(_Feed(f"opds/language/{_segment(code)}",
                           t("opds_language", name=language_label(code)), by_language[code],
                           root))
    for slug, members in by_author.items():
        feeds.append(_Feed(f"opds/author/{_segment(slug)}",
                           t("opds_author", name=author_names[slug]), members, root,
                           scheme.page_url(f"people/{slug}")))
    for series_id, all_members in catalogue.series_members.items():
        members = [e for e in all_members if e.id in offered]
        if members:
            feeds.append(_Feed(f"opds/series/{_segment(series_id)}",
                               t("opds_series", name=catalogue.by_id[series_id].title),
                               members, root, scheme.page_url(f"series/{series_id}")))

    # The complete feed (with facets), the newest and the featured.
    facets: list[_Facet] = []
    for group, keys, stem_of, label_of, members_of in (
            (t("facet_subject"), subject_terms, _subject_stem, subject_label, by_subject),
            (t("facet_language"), languages, lambda code: f"opds/language/{_segment(code)}/1",
             language_label, by_language)):
        if not keys:
            continue
        facets.append(_Facet(group, t("opds_facet_all"), "opds/all/1", len(ebooks), True))
        facets.extend(_Facet(group, label_of(key), stem_of(key), len(members_of[key]), False)
                      for key in keys)
    complete = _Feed("opds/all", t("opds_all"), ebooks, root, None, facets=True)
    feeds.append(complete)
    newest = _Feed("opds/new", t("opds_new"), ebooks[:PAGE_SIZE], root, paged=False)
    featured = _Feed("opds/featured", t("opds_featured"), chosen, root,
                     paged=False)
    feeds += [newest, featured]

    sizes = writer.draw_deep_entries(ebooks)
    files: dict[str, Callable[[], tuple[bytes, bytes]]] = {}
    page_keys: dict[str, str | None] = {}
    for feed in feeds:
        pages = writer.acquisition_pages(feed, sizes)
        updated = writer.updated(feed.entries)
        shown = facets if feed.facets else ()
        for number in range(1, len(pages) + 1):
            stem = feed.file_stem(number)
            files[stem] = _later(writer.acquisition_files, feed, pages, number, shown,
                                 updated)
            if memo is not None:
                start, stop = pages[number - 1]
                page_keys[stem] = writer.page_key(
                    feed.entries[start:stop], feed.stem, feed.title, feed.up, feed.html,
                    feed.paged, len(feed.entries), len(pages), number, start, stop,
                    tuple(shown), updated)

    everything = writer.updated(ebooks)
    root_items = [*section_items,
                  _NavItem(t("opds_subjects"), "opds/subjects", False, "subsection",
                           len(ebooks), t("opds_subjects_text", n=len(subject_terms))),
                  _NavItem(t("opds_new"), "opds/new", True, _NEW, len(newest.entries)),
                  _NavItem(t("opds_featured"), "opds/featured", True, _FEATURED,
                           len(featured.entries)),
                  _NavItem(t("opds_all"), "opds/all/1", True, "subsection", len(ebooks))]
    files[root] = _later(writer.navigation_files, root, t("opds_title", site=site_name),
                         root_items, None, scheme.page_url(""), everything,
                         ((_CRAWLABLE, "opds/all/1"), (_NEW, "opds/new"),
                          (_FEATURED, "opds/featured")))
    subject_items = [_NavItem(subject_label(term), _subject_stem(term), True, "subsection",
                              len(by_subject[term])) for term in subject_terms]
    files[subjects_root] = _later(writer.navigation_files, subjects_root, t("opds_subjects"),
                                  subject_items, root, scheme.page_url("subjects"), everything)

    # A file's two formats are neighbours in sorted order: no other name falls between
    # "<stem>.json" and "<stem>.xml".
    for stem in sorted(files, key=lambda s: s + ".json"):
        key = page_keys.get(stem)
        if memo is not None and key is not None:
            if memo.unchanged(f"{stem}.json", key) is not None and \
                    memo.unchanged(f"{stem}.xml", key) is not None:
                yield f"{stem}.json", None
                yield f"{stem}.xml", None
                continue
            memo.made(f"{stem}.json", key)
            memo.made(f"{stem}.xml", key)
        atom, opds2 = files[stem]()
        yield f"{stem}.json", opds2
        yield f"{stem}.xml", atom


def _later(make: Callable[..., tuple[bytes, bytes]], *args: Any
           ) -> Callable[[], tuple[bytes, bytes]]:
    """``make(*args)`` when called: files are drawn one at a time, as they are written."""
    return lambda: make(*args)


def _featured(catalogue: Catalogue, ebooks: Sequence[Entry]) -> list[Entry]:
    """The sections' picks that are e-books on offer, then e-books marked ``featured``,
    newest first: ``PAGE_SIZE`` at most."""
    offered = {e.id: e for e in ebooks}
    chosen = {entry_id: offered[entry_id] for section in catalogue.rules.sections
              for entry_id in section.featured if entry_id in offered}
    for entry in ebooks:
        if entry.featured:
            chosen.setdefault(entry.id, entry)
    return list(chosen.values())[:PAGE_SIZE]
