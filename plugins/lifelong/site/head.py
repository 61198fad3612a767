"""What a page's ``<head>`` says beyond the theme's: the feeds and the calendar that follow the
entries the page shows (``<link rel="alternate">``), the OPDS catalogue's two roots (on every
page, so that reader apps find it), and, online, the Open Graph and Twitter-card tags that
make a link shared into WeChat or another app show as a card.

Pure: a page's address and what it shows in, escaped HTML out. Both ways a page is drawn use
it: ``PageDrawer`` (catalogue pages, in the chrome's ``head`` slot) and the MkDocs adapter
(``page.meta["head"]`` of the pages MkDocs draws). A card's description is the page's, as
``<meta name="description">`` has it: an entry's summary, a page's own, or the site's.

Links to the site's own files are relative to the page, so that they lead to the same files
in the offline copy. The share tags are left out of the offline copy (no app reads a USB
stick); their addresses are absolute (an app resolves nothing), made from ``site_url``, and
left out without one. Every value is escaped; only http(s) addresses are written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import escape

from lifelong.catalogue.model import Catalogue, Entry
from lifelong.catalogue.validate import Media
from lifelong.site.calendar import lecture_calendar, series_calendar
from lifelong.site.feeds import ATOM_TYPE, FeedLink, feeds_of_page, site_root, web_address
from lifelong.site.i18n import translate
from lifelong.site.opds import discovery_links
from lifelong.site.pages import SitePage, is_moved
from lifelong.site.urls import UrlScheme, relative_url

if TYPE_CHECKING:
    from lifelong.build.catalogue_site import CatalogueSite

CALENDAR_TYPE = "text/calendar"
DIRECTORY_URLS = UrlScheme()
#: ``og:locale`` of each interface language.
LOCALES = {"zh": "zh_CN", "en": "en_US"}


@dataclass(frozen=True, slots=True)
class Follow:
    """What a page offers to follow: the feeds of the entries it shows (Atom, then RSS) and
    a calendar of its lectures, each a file in the site (``FeedLink.path``)."""

    links: tuple[FeedLink, ...] = ()

    @property
    def atom(self) -> str | None:
        """The Atom feed: what the page's "subscribe" link leads to."""
        return next((link.path for link in self.links if link.type == ATOM_TYPE), None)

    @property
    def calendar(self) -> str | None:
        """The .ics file: what the page's "add to calendar" link leads to."""
        return next((link.path for link in self.links if link.type == CALENDAR_TYPE), None)


NOTHING = Follow()

# ``site_name`` only titles the feeds, as ``<link>`` elements show them; a page's visible
# links show no title, and the renderer, which draws them, does not know the site's name.


def follow_home(catalogue: Catalogue, *, lang: str, site_name: str = "") -> Follow:
    """The home page: the whole catalogue's feeds."""
    return Follow(feeds_of_page(catalogue, lang=lang, site_name=site_name))


def follow_entry(catalogue: Catalogue, entry: Entry, *, lang: str,
                 site_name: str = "") -> Follow:
    """An entry's page: a series' feeds and calendar, a lecture's calendar."""
    if entry.kind == "series":
        return _series(catalogue, entry, lang, site_name)
    path = lecture_calendar(entry)
    if path is None:
        return NOTHING
    return Follow((FeedLink(path, CALENDAR_TYPE,
                            translate("calendar_link", lang, name=entry.title)),))


def follow_page(catalogue: Catalogue, page: SitePage, *, lang: str,
                site_name: str = "") -> Follow:
    """A generated page: a section's pages follow the section, a series' listing the
    series, a subject's the subject; other pages follow nothing."""
    context = page.context
    if page.template == "section.html":
        return Follow(feeds_of_page(catalogue, lang=lang, site_name=site_name,
                                    section=context["section"].slug))
    if page.template == "listing.html":
        series = context.get("series")
        if isinstance(series, Entry):
            return _series(catalogue, series, lang, site_name)
        vocabulary = context.get("vocabulary")
        if vocabulary is not None and vocabulary.name == "subjects":
            return Follow(feeds_of_page(catalogue, lang=lang, site_name=site_name,
                                        subject=context["term"].id))
    return NOTHING


def _series(catalogue: Catalogue, series: Entry, lang: str, site_name: str) -> Follow:
    links = feeds_of_page(catalogue, lang=lang, site_name=site_name, series=series.id)
    path = series_calendar(catalogue, series.id)
    if path is not None:
        links += (FeedLink(path, CALENDAR_TYPE,
                           translate("calendar_link", lang, name=series.title)),)
    return Follow(links)


class PageHead:
    """Draws the head part of any page of one site."""

    def __init__(self, catalogue: Catalogue, *, site_url: str | None, site_name: str,
                 lang: str, offline: bool, excluded_media: frozenset[str] = frozenset(),
                 scheme: UrlScheme = DIRECTORY_URLS) -> None:
        self.catalogue = catalogue
        self.scheme = scheme
        self.site_name = site_name
        self.lang = lang
        #: Whether pages carry share tags: online only.
        self.share = not offline
        #: The site's public root (``https://host/path/``), which share tags' addresses
        #: start with; None without an http(s) ``site_url``.
        self.root = site_root(site_url)
        #: Local files this copy leaves out (a cover among them is not shown in a card).
        self.excluded_media = excluded_media
        #: The OPDS links by the way up from a page to the root: the same for every page
        #: of a depth.
        self._discovery: dict[str, str] = {}
        site_tags = [f'<meta property="og:locale" content="{LOCALES.get(lang, "zh_CN")}">']
        if site_name:
            site_tags.insert(0, f'<meta property="og:site_name" content="{escape(site_name)}">')
        self._site_tags = "\n".join(site_tags)

    @classmethod
    def of_site(cls, site: CatalogueSite) -> PageHead:
        options = site.options
        return cls(site.catalogue, site_url=options.site_url, site_name=options.site_name,
                   lang=options.lang, offline=options.offline,
                   excluded_media=site.excluded_media, scheme=site.scheme)

    def entry(self, entry: Entry, page_url: str, description: str) -> str:
        """The head part of an entry's page (at ``page_url``, site-relative)."""
        follow = follow_entry(self.catalogue, entry, lang=self.lang, site_name=self.site_name)
        return self.draw(page_url, follow, title=entry.title, description=description,
                         kind="article", image=self.image(entry.cover))

    def page(self, page: SitePage, page_url: str, description: str) -> str:
        """The head part of a generated page; a page that only leads to another's new
        address goes there at once (``refresh``), is not indexed, and names the new one."""
        if is_moved(page):
            target = page.context.get("to_entry")  # a teacher's profile, or a page
            to = self.scheme.entry_url(target.id) if target is not None else \
                self.scheme.page_url(page.context["to"])
            there = escape(relative_url(to, page_url))
            canonical = f'\n<link rel="canonical" href="{escape(self.root + to)}">' \
                if self.root else ""
            return (f'<meta http-equiv="refresh" content="0; url={there}">\n'
                    f'<meta name="robots" content="noindex">{canonical}')
        follow = follow_page(self.catalogue, page, lang=self.lang, site_name=self.site_name)
        return self.draw(page_url, follow, title=page.title, description=description)

    def other(self, page_url: str, title: str, description: str, *, home: bool) -> str:
        """The head part of the home page or a hand-written page."""
        follow = follow_home(self.catalogue, lang=self.lang, site_name=self.site_name) \
            if home else NOTHING
        return self.draw(page_url, follow, title=title, description=description)

    def draw(self, page_url: str, follow: Follow, *, title: str, description: str = "",
             kind: str = "website", image: str | None = None) -> str:
        """The ``<link>`` and ``<meta>`` elements of a page at ``page_url``: its feeds and
        calendar, the OPDS roots, and online its share card (``description``: plain text,
        none when empty; ``kind``: ``og:type``; ``image``: an absolute http(s) address)."""
        parts = [f'<link rel="alternate" type="{link.type}" '
                 f'href="{escape(relative_url(link.path, page_url))}" '
                 f'title="{escape(link.title)}">' for link in follow.links]
        parts.append(self.discovery(page_url))
        if self.share:
            parts.extend(self._card(page_url, title, description, kind, image))
        return "\n".join(parts)

    def discovery(self, page_url: str) -> str:
        """The OPDS roots, relative to the page (``opds.discovery_links``)."""
        up = relative_url("", page_url)
        found = self._discovery.get(up)
        if found is None:
            found = self._discovery[up] = discovery_links(page_url, site_url=None,
                                                          lang=self.lang)
        return found

    def image(self, media: Media | None) -> str | None:
        """The absolute http(s) address of a cover for share cards, or None: a local file
        needs the site's address, and must be in this copy."""
        if media is None:
            return None
        if media.path is not None:
            if self.root is None or media.path in self.excluded_media:
                return None
            return self.root + quote(media.path)
        return web_address(media.url)

    def _card(self, page_url: str, title: str, description: str, kind: str,
              image: str | None) -> Iterator[str]:
        yield f'<meta property="og:title" content="{escape(title)}">'
        if description:
            yield f'<meta property="og:description" content="{escape(description)}">'
        yield f'<meta property="og:type" content="{kind}">'
        if self.root is not None:
            path = "" if page_url in ("", ".", "./") else page_url
            yield f'<meta property="og:url" content="{escape(self.root + path)}">'
        if image is not None:
            yield f'<meta property="og:image" content="{escape(image)}">'
        yield self._site_tags
        yield f'<meta name="twitter:card" content="' \
              f'{"summary_large_image" if image else "summary"}">'
