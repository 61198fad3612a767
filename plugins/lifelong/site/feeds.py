"""RSS 2.0 and Atom 1.0 feeds of the newest entries: of the whole catalogue, of each section,
each series and each subject, for feed readers and the apps that push new resources to
people's phones.

Pure: a ``Catalogue`` in, (address, bytes) out, the same bytes for the same catalogue. Every
date comes from the entries (never the build's clock), so a rebuild of an unchanged catalogue
writes the same files. The XML is built as plain strings (a few hundred feeds at 90,000
entries), every value escaped on the way in; only http(s) and relative addresses are written.

Addresses (``feed_files``), each feed in both formats, ``atom.xml`` and ``rss.xml``::

    feeds/                   the whole catalogue            (the home page)
    feeds/section/<slug>/    a section                      (<slug>/)
    feeds/series/<id>/       a series' members              (series/<id>/ and <id>/)
    feeds/subject/<term>/    a subject, with its subtopics  (subjects/<term>/)

A feed exists when its topic has entries, as its page does. With a ``site_url`` every link is
absolute; without one (an offline copy) links are relative to the feed file itself.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import heapq
import html
import operator
import posixpath
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from lifelong.catalogue.model import Catalogue, Entry, newest_first_key
from lifelong.catalogue.schema import SectionSpec
from lifelong.catalogue.validate import Media
from lifelong.site.i18n import translate
from lifelong.site.memo import Published, PublishMemo, key_of, memoised_group
from lifelong.site.urls import UrlScheme, relative_url

#: Entries in each feed: the newest, by ``published`` then id.
FEED_SIZE = 50
#: A summary longer than this is cut (with "…"): 50 items stay far below 1 MB.
SUMMARY_LIMIT = 500
#: An entry's dates are days; a day is taken to start at midnight China Standard Time, the
#: catalogue's own zone (Asia/Shanghai has kept +08:00 all year since 1991).
CHINA = dt.timezone(dt.timedelta(hours=8))
#: The date in every ``tag:`` URI (RFC 4151): fixed, so that no id ever changes.
TAG_DATE = "2024"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
#: (file name, type, name in link titles) of the two formats.
_FORMATS = (("atom.xml", ATOM_TYPE, "Atom"), ("rss.xml", RSS_TYPE, "RSS"))
#: Characters XML 1.0 does not allow in a document (``check`` refuses them in entries; an
#: entry loaded without it must still make a feed that parses).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID = operator.attrgetter("id")
_PUBLISHED = operator.attrgetter("published")
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
                ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
                ".avif": "image/avif"}


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page links to with ``<link rel="alternate">`` (``path``: site-relative)."""

    path: str
    type: str
    title: str


@dataclass(frozen=True, slots=True)
class Topic:
    """What one feed follows: its folder, the page listing the same entries, its name."""

    folder: str
    page: str
    name: str
    entries: Sequence[Entry]


def feed_files(catalogue: Catalogue, *, site_url: str | None, lang: str, site_name: str,
               scheme: UrlScheme | None = None, memo: PublishMemo | None = None
               ) -> Iterator[Published]:
    """(address in the site, bytes) of every feed, in address order. ``scheme`` is the site's
    (``use_directory_urls``), so that links lead to the pages as they are written. With a
    ``memo``, a feed whose topic and newest entries are as the last build drew it from is
    not drawn again (None)."""
    return memoised_group(memo, "feeds", catalogue.version, _feed_files(
        catalogue, site_url=site_url, lang=lang, site_name=site_name, scheme=scheme,
        memo=memo))


def _feed_files(catalogue: Catalogue, *, site_url: str | None, lang: str, site_name: str,
                scheme: UrlScheme | None = None, memo: PublishMemo | None = None
                ) -> Iterator[Published]:
    writer = _Writer(catalogue, site_url, lang, site_name, scheme or UrlScheme())
    found = topics(catalogue, lang)
    if memo is not None:
        writer.recall(memo, found)
    files = sorted((f"{topic.folder}/{name}", topic, name)
                   for topic in found for name, _type, _label in _FORMATS)
    for path, topic, name in files:
        if memo is not None:
            key = writer.feed_key(topic)
            if key is not None:
                if memo.unchanged(path, key) is not None:
                    yield path, None
                    continue
                memo.made(path, key)
        yield path, writer.atom(topic) if name == "atom.xml" else writer.rss(topic)
    if memo is not None:
        writer.keep(memo, found)


def feeds_of_page(catalogue: Catalogue, *, lang: str, site_name: str,
                  section: str | None = None, series: str | None = None,
                  subject: str | None = None) -> tuple[FeedLink, ...]:
    """The feeds (Atom, then RSS) of a page showing a section, a series, a subject, or
    with none of them, the home page's whole catalogue; none when there is no such feed."""
    topic: Topic | None = None
    if section is not None:
        spec = next((s for s in catalogue.rules.sections if s.slug == section), None)
        topic = section_topic(catalogue, spec, lang) if spec else None
    elif series is not None:
        entry = catalogue.by_id.get(series)
        topic = series_topic(catalogue, entry, lang) if entry and entry.kind == "series" \
            else None
    elif subject is not None:
        topic = subject_topic(catalogue, subject, lang) \
            if subject in catalogue.rules.vocabularies["subjects"].terms else None
    else:
        topic = whole_topic(catalogue, lang)
    if topic is None or not topic.entries:
        return ()
    title = feed_title(topic, lang, site_name)
    return tuple(FeedLink(f"{topic.folder}/{name}", mime, f"{title} · {label}")
                 for name, mime, label in _FORMATS)


# -- topics ---------------------------------------------------------------------------


def topics(catalogue: Catalogue, lang: str) -> list[Topic]:
    """Every topic with entries: the catalogue, sections, series, subjects."""
    found = [whole_topic(catalogue, lang)]
    found += [section_topic(catalogue, s, lang) for s in catalogue.rules.sections]
    found += [series_topic(catalogue, s, lang) for s in catalogue.by_kind.get("series", ())]
    found += [subject_topic(catalogue, term, lang)
              for term in catalogue.rules.vocabularies["subjects"].terms]
    return [topic for topic in found if topic.entries]


def topic_folders(catalogue: Catalogue, entry: Entry) -> list[str]:
    """The folders of the topics (``topics``) that have ``entry`` among their entries."""
    folders = ["feeds", *(f"feeds/section/{s.slug}" for s in catalogue.sections_of(entry))]
    series = catalogue.by_id.get(entry.series) if entry.series else None
    if series is not None and series.kind == "series":
        folders.append(f"feeds/series/{series.id}")
    folders += [f"feeds/subject/{term}" for term in
                catalogue.field_terms("subjects", "subjects").get(entry.id, ())]
    return folders


def whole_topic(catalogue: Catalogue, lang: str) -> Topic:
    return Topic("feeds", "", translate("newest", lang), catalogue.entries)


def section_topic(catalogue: Catalogue, section: SectionSpec, lang: str) -> Topic:
    return Topic(f"feeds/section/{section.slug}", section.slug, section.title.get(lang),
                 catalogue.in_section(section))


def series_topic(catalogue: Catalogue, series: Entry, lang: str) -> Topic:
    return Topic(f"feeds/series/{series.id}", f"series/{series.id}", series.title,
                 catalogue.series_members.get(series.id, ()))


def subject_topic(catalogue: Catalogue, term: str, lang: str) -> Topic:
    """A subject's entries as its page lists them: with those of its subtopics."""
    return Topic(f"feeds/subject/{term}", f"subjects/{term}",
                 catalogue.label("subjects", term).get(lang),
                 catalogue.term_index.get(("subjects", term), ()))


def feed_title(topic: Topic, lang: str, site_name: str) -> str:
    return translate("feed_title", lang, site=site_name, topic=topic.name)


#: More changed entries than this and the feeds' newest entries are sorted out again.
_RECALL_CHANGES = 1000


def _names_left_out(catalogue: Catalogue) -> str:
    """Names of teachers a subset left out, shown for their ids: a key of them."""
    return key_of(f"{k}={v}" for k, v in sorted(catalogue.names_left_out.items()))


def _join(texts: Iterable[str]) -> str:
    return "\0".join(texts)


def _unjoin(text: str) -> list[str]:
    return text.split("\0") if text else []


# -- addresses and dates, shared with lifelong.site.calendar ---------------------------


def site_root(site_url: str | None) -> str | None:
    """``https://host/path/`` of an http(s) ``site_url``; None for none (or another scheme:
    then every address is written relative)."""
    if not site_url or urlsplit(site_url).scheme.lower() not in ("http", "https"):
        return None
    return site_url.rstrip("/") + "/"


def web_address(value: str | None) -> str | None:
    """``value`` if it is an http(s) address, else None (nothing else is ever written)."""
    if value and urlsplit(value).scheme.lower() in ("http", "https"):
        return value
    return None


def stable_id(root: str | None, name: str) -> str:
    """A permanent id for ``name`` ('entry/taiji-basics', 'feeds/section/reading'): a
    ``tag:`` URI of the site's host and path, or, with no site, a name-based UUID. Titles
    and dates play no part, so editing an entry never changes it."""
    if root is None:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'lifelong:' + name)}"
    return _tag_start(root) + name


@functools.lru_cache(maxsize=8)
def _tag_start(root: str) -> str:
    parts = urlsplit(root)
    return f"tag:{parts.hostname},{TAG_DATE}:{parts.path.lstrip('/')}"


def day_start(day: dt.date) -> dt.datetime:
    """The moment a day of the catalogue starts (midnight in China)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)


def entry_updated(entry: Entry) -> dt.date:
    """The day an entry last changed: ``updated``, or ``published`` without it."""
    updated: dt.date | None = entry.get("updated")
    return max(updated, entry.published) if updated else entry.published


def media_address(media: Media | None) -> tuple[str, bool] | None:
    """(address, whether it is site-relative) of a media file; None if it has neither a
    file here nor an http(s) address."""
    if media is None:
        return None
    if media.path:
        return quote(media.path), True
    url = web_address(media.url)
    return (url, False) if url else None


def xml_text(value: str) -> str:
    """Text for XML content and double-quoted attributes."""
    return _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;") \
        .replace(">", "&gt;").replace('"', "&quot;")


# -- writing ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    """What both formats say of one entry, escaped: worked out once per build."""

    target: str                         #: its page, site-relative
    id: str
    title: str
    summary: str                        #: plain text, escaped for XML
    published: dt.date
    updated: dt.date
    people: tuple[str, ...]
    categories: tuple[tuple[str, str], ...]  #: (term, label)
    cover: tuple[str, bool, str, int] | None  #: (address, site-relative, type, length)


class _Writer:
    """Draws feeds of one catalogue; each entry's item is drawn once per format and folder
    depth, and reused by every feed that shows it."""

    def __init__(self, catalogue: Catalogue, site_url: str | None, lang: str,
                 site_name: str, scheme: UrlScheme) -> None:
        self.catalogue = catalogue
        self.root = site_root(site_url)
        self.lang = lang
        self.site_name = site_name
        self.scheme = scheme
        self._newest: dict[str, list[Entry]] = {}
        self._items: dict[str, _Item] = {}
        self._drawn: dict[tuple[str, str, str], str] = {}
        self._keys: dict[str, str | None] = {}
        self._item_keys: dict[str, str] = {}
        #: Whether the newest entries of most topics came from the last build (``recall``).
        self._recalled = False

    @functools.cached_property
    def order(self) -> list[Entry]:
        """Every entry, newest first (ties by id: a stable sort of entries in id order)."""
        return sorted(sorted(self.catalogue.entries, key=_ID), key=_PUBLISHED, reverse=True)

    @functools.cached_property
    def rank(self) -> Mapping[str, int]:
        """Each entry's place in ``order``."""
        return {entry.id: n for n, entry in enumerate(self.order)}

    def recall(self, memo: PublishMemo, found: Sequence[Topic]) -> None:
        """What the last build drew its feeds from (``keep``): a topic whose newest entries
        did not change keeps them, and its key, and one that gained an entry that changed
        takes it among them, without sorting all of its entries again. An entry that names
        a teacher who changed, came or went by id counts as changed (it shows the name).
        Nothing is taken when many entries changed."""
        catalogue = self.catalogue
        saved = memo.recall("feeds/newest", _names_left_out(catalogue))
        if saved is None or any(not entry.digest for entry in catalogue.entries):
            return
        ids, digests, teachers, kept = saved
        before = dict(zip(_unjoin(ids), _unjoin(digests), strict=True))
        changed = {e.id: e for e in catalogue.entries if before.get(e.id) != e.digest}
        gone = before.keys() - catalogue.by_id.keys()
        if len(changed) + len(gone) > _RECALL_CHANGES:
            return
        for teacher in [*(i for i, e in changed.items() if e.kind == "teacher" or i in teachers),
                        *gone.intersection(teachers)]:
            person = catalogue.person_of(teacher)
            if person is not None:
                changed.update((e.id, e) for e in person.entries)
        if len(changed) > _RECALL_CHANGES:
            return
        touched = gone.union(changed)
        self._recalled = True
        joining: dict[str, list[Entry]] = {}
        for entry in changed.values():
            for folder in topic_folders(catalogue, entry):
                joining.setdefault(folder, []).append(entry)
        by_id = catalogue.by_id
        for topic in found:
            last = kept.get(topic.folder)
            if last is None or not touched.isdisjoint(last[0]):
                continue
            newest = [by_id[entry_id] for entry_id in last[0]]
            if topic.folder in joining:
                newest = sorted((*newest, *joining[topic.folder]), key=newest_first_key
                                )[:FEED_SIZE]
            self._newest[topic.folder] = newest
            if last[1] == topic.name and [e.id for e in newest] == list(last[0]):
                self._keys[topic.folder] = last[2]

    def keep(self, memo: PublishMemo, found: Sequence[Topic]) -> None:
        """Keep what the feeds were drawn from for the next build (``recall``)."""
        catalogue = self.catalogue
        kept = {}
        for topic in found:
            key = self.feed_key(topic)
            if key is None:
                return
            kept[topic.folder] = (tuple(e.id for e in self.newest(topic)), topic.name, key)
        entries = catalogue.entries
        memo.keep("feeds/newest", _names_left_out(catalogue), (
            _join(e.id for e in entries), _join(e.digest for e in entries),
            frozenset(e.id for e in catalogue.by_kind.get("teacher", ())), kept))

    def feed_key(self, topic: Topic) -> str | None:
        """What a topic's feeds are drawn from besides the rules and options: its folder,
        page and name, and its newest entries, each by its file and the names it shows
        (a teacher's name is another entry's title); None when an entry has no digest."""
        found = self._keys.get(topic.folder, "")
        if found == "":
            keys = [topic.folder, topic.page, topic.name]
            for entry in self.newest(topic):
                key = self._item_keys.get(entry.id)
                if key is None:
                    if not entry.digest:
                        found = None
                        break
                    names = "\x1e".join(name for _, name in self.catalogue.people_of(entry))
                    key = self._item_keys[entry.id] = f"{entry.id}={entry.digest}={names}"
                keys.append(key)
            else:
                found = key_of(keys)
            self._keys[topic.folder] = found
        return found

    def newest(self, topic: Topic) -> list[Entry]:
        """The topic's newest entries: their places in ``order``, the first of them found
        without a Python call per entry (a section holds tens of thousands)."""
        found = self._newest.get(topic.folder)
        if found is None and self._recalled and "order" not in self.__dict__:
            # The few topics a change touched: each sorted out alone, not every entry.
            found = self._newest[topic.folder] = heapq.nsmallest(
                FEED_SIZE, topic.entries, key=newest_first_key)
        if found is None:
            if len(topic.entries) == len(self.order):  # every entry (the whole catalogue)
                found = self.order[:FEED_SIZE]
            else:
                places = map(self.rank.__getitem__, map(_ID, topic.entries))
                found = [self.order[n] for n in heapq.nsmallest(FEED_SIZE, places)]
            self._newest[topic.folder] = found
        return found

    def back(self, path: str) -> str:
        """The start of a link from the feed at ``path`` to a site-relative address: the
        site's root, or the way up to it (a feed's folder holds no page nor file it links
        to, so the way up is always right)."""
        return self.root or relative_url("", path)

    def item(self, entry: Entry) -> _Item:
        found = self._items.get(entry.id)
        if found is None:
            found = self._items[entry.id] = self._make_item(entry)
        return found

    def _make_item(self, entry: Entry) -> _Item:
        catalogue, lang = self.catalogue, self.lang
        summary = entry.summary
        if len(summary) > SUMMARY_LIMIT:
            summary = summary[:SUMMARY_LIMIT - 1].rstrip() + "…"
        return _Item(
            target=self.scheme.entry_url(entry.id),
            id=xml_text(stable_id(self.root, f"entry/{entry.id}")),
            title=xml_text(entry.title), summary=xml_text(summary),
            published=entry.published, updated=entry_updated(entry),
            people=tuple(xml_text(name) for _field, name in catalogue.people_of(entry)),
            categories=tuple((xml_text(term),
                              xml_text(catalogue.label("subjects", term).get(lang)))
                             for term in entry.get("subjects", ())),
            cover=_cover(entry.cover))

    def _drawn_item(self, kind: str, entry: Entry, back: str) -> str:
        key = (kind, entry.id, back)
        found = self._drawn.get(key)
        if found is None:
            item = self.item(entry)
            draw = _atom_entry if kind == "atom" else _rss_item
            found = self._drawn[key] = draw(item, back)
        return found

    def _head(self, topic: Topic, name: str) -> tuple[str, str, str, list[Entry], dt.date]:
        """(back, escaped title, escaped description, entries, newest day) of a feed."""
        path = f"{topic.folder}/{name}"
        entries = self.newest(topic)
        title = feed_title(topic, self.lang, self.site_name)
        description = translate("feed_description", self.lang, topic=topic.name,
                                n=FEED_SIZE)
        newest = max(entry_updated(e) for e in entries)
        return self.back(path), xml_text(title), xml_text(description), entries, newest

    def atom(self, topic: Topic) -> bytes:
        back, title, description, entries, newest = self._head(topic, "atom.xml")
        self_link = xml_text(back + f"{topic.folder}/atom.xml") if self.root else "atom.xml"
        page = xml_text(back + self.scheme.page_url(topic.page))
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_language(self.lang)}">\n',
            f"<id>{xml_text(stable_id(self.root, topic.folder))}</id>\n",
            f'<title type="text">{title}</title>\n',
            f'<subtitle type="text">{description}</subtitle>\n',
            f"<updated>{_atom_time(newest)}</updated>\n",
            f'<link rel="self" type="{ATOM_TYPE}" href="{self_link}"/>\n',
            f'<link rel="alternate" type="text/html" href="{page}"/>\n',
            f"<author><name>{xml_text(self.site_name)}</name></author>\n"]
        parts.extend(self._drawn_item("atom", entry, back) for entry in entries)
        parts.append("</feed>\n")
        return "".join(parts).encode()

    def rss(self, topic: Topic) -> bytes:
        back, title, description, entries, newest = self._head(topic, "rss.xml")
        self_link = xml_text(back + f"{topic.folder}/rss.xml") if self.root else "rss.xml"
        stamp = _rss_time(newest)
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n',
            f"<title>{title}</title>\n",
            f"<link>{xml_text(back + self.scheme.page_url(topic.page))}</link>\n",
            f"<description>{xml_text(html.escape(description))}</description>\n",
            f"<language>{_language(self.lang).lower()}</language>\n",
            f"<pubDate>{stamp}</pubDate>\n<lastBuildDate>{stamp}</lastBuildDate>\n",
            f'<atom:link rel="self" type="{RSS_TYPE}" href="{self_link}"/>\n']
        parts.extend(self._drawn_item("rss", entry, back) for entry in entries)
        parts.append("</channel>\n</rss>\n")
        return "".join(parts).encode()


def _atom_entry(item: _Item, back: str) -> str:
    parts = ["<entry>\n", f"<id>{item.id}</id>\n", f'<title type="text">{item.title}</title>\n',
             f'<link rel="alternate" type="text/html" href="{xml_text(back + item.target)}"/>\n',
             f"<published>{_atom_time(item.published)}</published>\n",
             f"<updated>{_atom_time(item.updated)}</updated>\n"]
    parts.extend(f"<author><name>{name}</name></author>\n" for name in item.people)
    parts.extend(f'<category term="{term}" label="{label}"/>\n'
                 for term, label in item.categories)
    if item.cover is not None:
        address, relative, mime, length = item.cover
        href = back + address if relative else address
        parts.append(f'<link rel="enclosure" type="{mime}" href="{href}" length="{length}"/>\n')
    parts.append(f'<summary type="text">{item.summary}</summary>\n</entry>\n')
    return "".join(parts)


def _rss_item(item: _Item, back: str) -> str:
    parts = ["<item>\n", f"<title>{item.title}</title>\n",
             f"<link>{xml_text(back + item.target)}</link>\n",
             f'<guid isPermaLink="false">{item.id}</guid>\n',
             f"<pubDate>{_rss_time(item.published)}</pubDate>\n"]
    parts.extend(f"<dc:creator>{name}</dc:creator>\n" for name in item.people)
    parts.extend(f"<category>{label}</category>\n" for _term, label in item.categories)
    if item.cover is not None:
        address, relative, mime, length = item.cover
        url = back + address if relative else address
        parts.append(f'<enclosure url="{url}" length="{length}" type="{mime}"/>\n')
    # RSS readers take a description as HTML: the plain text is escaped for HTML as well.
    parts.append(f"<description>{html.escape(item.summary, quote=False)}</description>\n"
                 "</item>\n")
    return "".join(parts)


def _cover(media: Media | None) -> tuple[str, bool, str, int] | None:
    """(escaped address, whether it is site-relative, type, size or 0) of a cover."""
    found = media_address(media)
    if media is None or found is None:
        return None
    address, relative = found
    return xml_text(address), relative, _image_type(address), media.size or 0


@functools.lru_cache(maxsize=4096)
def _atom_time(day: dt.date) -> str:
    """A day's start as Atom writes it (RFC 3339): 2024-03-12T00:00:00+08:00."""
    return day_start(day).isoformat()


@functools.lru_cache(maxsize=4096)
def _rss_time(day: dt.date) -> str:
    """A day's start as RSS writes it (RFC 822): Tue, 12 Mar 2024 00:00:00 +0800."""
    return email.utils.format_datetime(day_start(day))


def _image_type(address: str) -> str:
    extension = posixpath.splitext(urlsplit(address).path)[1].lower()
    return _IMAGE_TYPES.get(extension, "application/octet-stream")


def _language(lang: str) -> str:
    return "zh-CN" if lang == "zh" else lang
