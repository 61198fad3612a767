"""Draw catalogue pages (entries, listings, term pages, home) as HTML fragments.

Our own Jinja environment with autoescaping: every value from the catalogue is escaped unless
a template says otherwise. MkDocs' environment does not autoescape, so catalogue HTML is made
here and handed to the theme as the page content.
"""

from __future__ import annotations

import collections
import datetime as dt
import heapq
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from lifelong.catalogue.model import Catalogue, Entry, Person, media_of, newest_first_key
from lifelong.catalogue.periods import Period
from lifelong.catalogue.privacy import public_object
from lifelong.catalogue.validate import Media
from lifelong.search.index import EASY, easy_filters, easy_labels
from lifelong.site.codes import grouped
from lifelong.site.feeds import CHINA
from lifelong.site.head import follow_entry, follow_home, follow_page
from lifelong.site.i18n import translate
from lifelong.site.jsonld import entry_jsonld
from lifelong.site.pages import Crumb, SitePage, SitePlan
from lifelong.site.urls import UrlScheme, relative_url

if TYPE_CHECKING:
    from lifelong.build.cache import CardCache


def human_size(size: int | None, lang: str) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


def period_text(value: int | Period | None, lang: str,
                dynasty_label: Callable[[str], str]) -> str:
    """A period as readers expect it: 1923, 1920–1925, 公元前500年 (500 BCE), 公元前500–前400年
    (500–400 BCE), 唐（618–907）; ``dynasty_label`` names a dynasty's term."""
    if value is None:
        return ""
    if not isinstance(value, Period):
        return str(value)
    start, end = value.start, value.end
    if start == end:
        years = str(start) if start > 0 else translate("year_bce", lang, n=-start)
    elif start > 0:
        years = f"{start}–{end}"
    elif end < 0:
        years = translate("years_bce", lang, start=-start, end=-end)
    else:
        years = translate("years_across", lang, start=-start, end=end)
    if value.dynasty is None:
        return years
    return translate("dynasty_years", lang, dynasty=dynasty_label(value.dynasty), years=years)


def duration_text(minutes: int, lang: str) -> str:
    """A course's length: in minutes, or in hours from two hours on when they are whole
    (a course of 150 hours: 150 小时, not 9000 分钟)."""
    if minutes >= 120 and minutes % 60 == 0:
        return translate("hours", lang, n=minutes // 60)
    return translate("minutes", lang, n=minutes)


def day_period(hour: int) -> int:
    """Which part of the day an hour is in (an index of the ``day_periods`` words): before
    dawn (0-5), morning (6-11), noon (12), afternoon (13-17), evening (18-23)."""
    return 0 if hour < 6 else 1 if hour < 12 else 2 if hour < 13 else 3 if hour < 18 else 4


def clock_time(hour: int, minute: int, lang: str) -> str:
    """A time of day as people say it: "下午3:00" (zh, the hour within its part of the day),
    "3:00 pm" (en)."""
    period = translate("day_periods", lang).split()[day_period(hour)]
    if lang == "en":
        return f"{hour % 12 or 12}:{minute:02d} {period}"
    return f"{period}{hour - 12 if hour > 12 else hour}:{minute:02d}"


def beijing_time(value: dt.datetime, lang: str) -> Markup:
    """When a lecture starts, in Beijing time as people read it: "北京时间 2027年4月24日（周六）
    下午3:00", "Beijing time, Sat 24 April 2027, 3:00 pm". The year is marked
    (``data-ll-year``): when.js hides it when it is the reader's current year. The day and
    the time of day are spans of their own, which a line never breaks ("上/午")."""
    at = value.astimezone(CHINA)
    weekday = translate("weekdays", lang).split()[at.weekday()]
    month = translate("months", lang).split()[at.month - 1]
    clock = clock_time(at.hour, at.minute, lang)
    if lang == "en":
        day = Markup("{} {} {}<span data-ll-year> {}</span>, <span>{}</span>").format(
            weekday, at.day, month, at.year, clock)
    else:
        day = Markup("<span data-ll-year>{}年</span><span>{}{}日（{}）</span><span>{}</span>"
                     ).format(at.year, month, at.day, weekday, clock)
    return escape(translate("beijing_time", lang)).format(time=day)


def when_words(lang: str) -> dict[str, Any]:
    """What when.js needs to say how far off a lecture is and to write the reader's own
    time (``data-words`` of its script tag), in ``lang``."""
    words: dict[str, Any] = {key: translate(key, lang).split() for key in (
        "weekdays", "months", "day_periods")}
    words.update({key: translate(key, lang) for key in (
        "when_today", "when_tomorrow", "when_days", "when_on", "live_now", "past",
        "local_time")})
    words["en"] = lang == "en"
    return words


#: Where ``Renderer.entry_cards`` fills in a link: characters of Unicode's private use area.
_LINK_MARK = re.compile("\ue000(\\d+)\ue001")
#: Between the pieces of a card as it is kept (``Renderer.entry_cards``): no piece holds it
#: (``_card_pieces`` draws no card whose own text has a mark).
_PIECES = "\ue000"
#: Where a page drawn by ``squeezed`` shows a block of cards, kept out of the squeeze.
_HELD_MARK = re.compile("\ue002(\\d+)\ue003")


#: What a build without site_url says (once): QR codes, hence posters and table cards, need the
#: public address, and an offline copy's printed poster leads to the site, not to a USB stick.
PRINT_KIT_NEEDS_URL = ("No site_url in mkdocs.yml: pages show no QR code and no print kit "
                       "(posters, table cards, the schedule sheet), whose QR codes lead to the "
                       "public address.")


#: Media fields a page shows as pictures: a missing one shows the placeholder. Every other
#: media field is something to watch, hear or download, which an offline copy marks when
#: it is not inside the copy (``Renderer.needs_internet``).
PICTURES = frozenset({"cover", "photo"})
#: Media that go with another (a video's captions): a missing one does not stop it playing.
COMPANIONS = frozenset({"captions"})
#: Address fields that always lead out of the copy (a lecture's livestream).
ONLINE_ONLY = ("livestream_url",)


def used_media(entry: Entry) -> list[Media]:
    """The media an entry offers to watch, hear or download, in field order."""
    return [media for name, media in media_of(entry.values)
            if name not in PICTURES and name not in COMPANIONS]


def decimal_text(value: float) -> str:
    """A whole or decimal number as written, without a float's noise: 30.2741, 92.5, 90."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def contact_of(entry: Entry) -> Mapping[str, Any] | None:
    """A teacher's contact, when the entry says it may be shown (``contact.public``)."""
    return public_object(entry, "contact")


class Renderer:
    """Renders one catalogue's pages; ``site_url`` makes the public addresses in QR codes."""

    def __init__(self, catalogue: Catalogue, plan: SitePlan, template_dirs: Sequence[Path],
                 *, scheme: UrlScheme, site_url: str | None, lang: str = "zh",
                 outside: Mapping[str, Entry] | None = None,
                 excluded_media: frozenset[str] = frozenset(),
                 bytecode_cache: jinja2.BytecodeCache | None = None,
                 offline: bool = False, site_name: str = "") -> None:
        self.catalogue = catalogue
        #: The offline copy: QR codes drawn by the page from inline data, no JSON-LD (no
        #: search engine reads a USB stick; every byte counts in the zip).
        self.offline = offline
        self.outside = dict(outside or {})
        self.excluded_media = excluded_media
        #: Copies of remote images (covers, photos) in the site, by address: None shows
        #: remote images as they are (online); offline, an image not in it is left out and
        #: the placeholder shown (``image_link``). ``lifelong.offline.remote.prepare`` fills it.
        self.remote_images: Mapping[str, str] | None = {} if offline else None
        self.plan = plan
        self.scheme = scheme
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.lang = lang
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            autoescape=True, trim_blocks=True, lstrip_blocks=True,
            undefined=jinja2.StrictUndefined, auto_reload=False,
            bytecode_cache=bytecode_cache)
        self.env.globals.update(t=self.t, catalogue=catalogue, lang=lang, facts=self.facts,
                                fact_spans=self.fact_spans,
                                outside=self.outside, online_media=self.online_media,
                                kinds=catalogue.rules.kinds, human_size=self.human_size,
                                when_words=when_words(lang))
        self.env.filters.update(date=self.format_date, beijing=self.beijing_time, grouped=grouped,
                                period=self.period_text, duration=self.duration_text,
                                decimal=decimal_text)
        # tojson (when.js's words) as UTF-8: a third of the bytes of \u escapes.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        self._term_pages = {(v, t) for (v, t) in catalogue.term_index}
        self._page = ""
        #: While a card is drawn: the addresses it links to (``link`` leaves a mark for each).
        self._deferred: list[str] | None = None
        #: Each entry's card as drawn once (``_card``).
        self._cards: dict[str, bytes] = {}
        #: Cards drawn by earlier builds: without them, each build draws every card it shows.
        self.saved_cards: CardCache | None = None
        #: While ``squeezed`` draws a page: its blocks of cards, each left as a mark.
        self._held: list[str] | None = None
        #: The print kit (posters, table cards, the schedule sheet): its QR codes lead to the
        #: public address (site_url), in the offline copy too, since a printed poster outlives
        #: any USB stick. Without site_url there is no public address: no QR code (as on
        #: entry pages), hence no print kit, and the build says so (``PRINT_KIT_NEEDS_URL``).
        self.print_kit = self.site_url is not None
        self.env.globals.update(site_name=site_name, print_kit=self.print_kit,
                                site_url=self.site_url, public_page_url=self.public_page_url,
                                public_path=UrlScheme(True).entry_url)
        self.env.globals.update(
            link=self.link, entry_link=self.entry_link, page_link=self.page_link,
            media_link=self.media_link, image_link=self.image_link, term_link=self.term_link,
            track_link=self.track_link, needs_internet=self.needs_internet, offline=offline,
            entry_needs_internet=self.entry_needs_internet,
            term_label=self.term_label, person_link=self.person_link,
            person_href=self.person_href, display_name=catalogue.display_name,
            known=self.known, mark_text=self.mark_text, mark_link=self.mark_link,
            standard_title=self.standard_title, coordinates_text=self.coordinates_text,
            contact_of=contact_of,
            field_label=self.field_label, kind_label=self.kind_label,
            entry_cards=self.entry_cards)

    # -- helpers available to templates ------------------------------------------------

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def human_size(self, size: int | None) -> str:
        return human_size(size, self.lang)

    def format_date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        if self.lang == "en":
            return value.strftime("%-d %b %Y")
        return f"{value.year}年{value.month}月{value.day}日"

    def beijing_time(self, value: dt.datetime) -> Markup:
        return beijing_time(value, self.lang)

    def period_text(self, value: int | Period | None) -> str:
        return period_text(value, self.lang, lambda term: self.term_label("dynasties", term))

    def duration_text(self, minutes: int) -> str:
        return duration_text(minutes, self.lang)

    def facts(self, entry: Entry) -> list[str]:
        """Key facts of an entry by kind, for cards and search results."""
        label = self.catalogue.label
        get = entry.get
        kind = entry.kind
        found: list[Any] = []
        if kind == "course":
            found = [self.duration_text(get("duration_minutes")),
                     get("weeks") and self.t("weeks_count", n=get("weeks")),
                     get("level") and label("levels", get("level")).get(self.lang),
                     label("formats", get("format")).get(self.lang)]
        elif kind == "ebook":
            found = ["、".join(map(self.catalogue.display_name, get("authors", ()) or [
                name for _role, names in entry.contributors_by_role()[:1] for name in names])),
                self.period_text(get("year"))]
        elif kind == "lecture":
            found = [self.format_date(get("starts").date()),
                     label("lecture_modes", get("mode")).get(self.lang),
                     "、".join(self.catalogue.display_name(s["name"])
                              for s in get("speakers", ()))]
        elif kind == "series":
            members = len(self.catalogue.series_members.get(entry.id, ()))
            found = [self.t("members", n=members), get("organiser")]
        elif kind in ("star", "project"):
            found = [get("name") if kind == "star" else get("organiser"),
                     get("region") and label("regions", get("region")).get(self.lang),
                     get("year")]
        else:
            found = self._more_facts(entry)
        return [str(f) for f in found if f]

    def _more_facts(self, entry: Entry) -> list[Any]:
        """Key facts of teachers, centres and activities (never a contact: cards and search
        results show them to everyone)."""
        label, get, lang = self.catalogue.label, entry.get, self.lang
        if entry.kind == "teacher":
            return ["、".join(label("speaker_roles", role).get(lang) for role in get("roles", ())),
                    get("organisation"),
                    get("region") and label("regions", get("region")).get(lang)]
        if entry.kind == "centre":
            return [label("centre_types", get("centre_type")).get(lang),
                    " ".join(filter(None, (label("regions", get("region")).get(lang),
                                           get("city"), get("county"))))]
        if entry.kind == "activity":
            centre = self.known(get("centre"))
            return [self.format_date(get("starts").date()), centre and centre.title,
                    "、".join(map(self.catalogue.display_name, get("teachers", ())))]
        return []

    def fact_spans(self, entry: Entry) -> Markup:
        """The key facts as ``<span>`` elements (escaped), as cards show them."""
        return Markup("".join(f"<span>{escape(fact)}</span>" for fact in self.facts(entry)))

    def public_url(self, entry: Entry) -> str | None:
        if not self.site_url:
            return None
        return self.site_url + UrlScheme(True).entry_url(entry.id)

    # Links are relative to the page being drawn. The helpers read it from ``self._page``
    # instead of closing over it, so that they are plain environment globals and templates
    # import the macros without passing their context along.
    def link(self, url: str) -> str:
        if self._deferred is not None:
            self._deferred.append(url)
            return f"\ue000{len(self._deferred) - 1}\ue001"
        return relative_url(url, self._page)

    def entry_cards(self, entries: Sequence[Entry]) -> Markup:
        """The cards of ``entries`` (the ``card`` macro) for the page being drawn, one per
        line. Listings show each entry on many pages: its card is drawn once, with a mark
        for each link, and the marks become links relative to each page (escaped, as the
        template escapes them)."""
        cards, page = self._cards, self._page
        out = []
        for entry in entries:
            card = cards.get(entry.id)
            if card is None:
                card = cards[entry.id] = self._card(entry)
            if not card:  # the entry itself has such marks: drawn afresh on every page
                out.append(squeeze_whitespace(str(self._card_macro(entry))).strip())
            else:
                pieces = card.decode().split(_PIECES)
                out.append(pieces[0])
                for at in range(1, len(pieces), 2):
                    out.append(str(escape(relative_url(pieces[at], page))))
                    out.append(pieces[at + 1])
            out.append("\n")
        text = "".join(out)
        if self._held is not None:
            self._held.append(text)
            return Markup(f"\ue002{len(self._held) - 1}\ue003")
        return Markup(text)

    def _card(self, entry: Entry) -> bytes:
        """``_card_pieces`` as kept: joined by _PIECES, in UTF-8 (mostly ASCII markup: a third
        of the memory of the pieces as strings, and every card is kept until the build ends);
        or the same as an earlier build drew it."""
        saved = self.saved_cards
        if saved is None:
            return self._card_pieces(entry)
        inputs = saved.inputs(entry)
        found = saved.get(entry.id, inputs)
        if found is None:
            found = saved.put(entry.id, inputs, self._card_pieces(entry))
        return found

    def _card_pieces(self, entry: Entry) -> bytes:
        """The card of ``entry`` as text, address, text, address..., text, joined by _PIECES
        in UTF-8 (empty: see ``entry_cards``)."""
        self._deferred = []
        try:
            text = squeeze_whitespace(str(self._card_macro(entry))).strip()
        finally:
            links, self._deferred = self._deferred, None
        pieces = _LINK_MARK.split(text)
        if not text.count("\ue000") == text.count("\ue001") == len(links) == len(pieces) // 2:
            return b""  # a link not shown, or marks in the entry's own text
        for at in range(1, len(pieces), 2):
            pieces[at] = links[int(pieces[at])]
        return _PIECES.join(pieces).encode()

    @property
    def _card_macro(self) -> Any:
        module: Any = self.env.get_template("lifelong/macros.html").module
        return module.card

    def entry_link(self, entry: Entry) -> str:
        return self.link(self.scheme.entry_url(entry.id))

    def page_link(self, path: str) -> str:
        return self.link(self.scheme.page_url(path))

    def media_link(self, media: Media | None) -> str | None:
        """A link to the file, or None when this copy leaves it out."""
        if media is None:
            return None
        if media.path is not None:
            if media.path in self.excluded_media:
                return None
            return self.link(quote(media.path))
        return media.url

    def track_link(self, media: Media) -> str | None:
        """A link to a captions file, or None: an offline copy asks no outside host."""
        return None if self.offline and media.url else self.media_link(media)

    def needs_internet(self, media: Media | None) -> bool:
        """Whether this offline copy lacks the file (at an http(s) address, or left out);
        online, nothing is marked."""
        if not self.offline or media is None:
            return False
        return media.url is not None or media.path in self.excluded_media

    def entry_needs_internet(self, entry: Entry) -> bool:
        """Whether something the entry offers to watch, hear or download is not inside
        this offline copy (its card says so; the search page's filter leaves it out)."""
        if not self.offline:
            return False
        return any(entry.get(name) for name in ONLINE_ONLY) or any(
            map(self.needs_internet, used_media(entry)))

    def image_link(self, media: Media | None) -> str | None:
        """A link to an image a page shows (a cover, a photo), or None: the page shows the
        placeholder instead. An offline copy never asks an outside host for anything, so
        there a remote image is shown only from its copy fetched into the site
        (``remote_images``); online it is shown from its address, as any other link."""
        if media is None:
            return None
        if media.url is not None and self.remote_images is not None:
            copy = self.remote_images.get(media.url)
            return self.link(copy) if copy is not None else None
        return self.media_link(media)

    def term_link(self, vocabulary: str, term: str) -> str | None:
        if (vocabulary, term) not in self._term_pages:
            return None
        return self.page_link(f"{vocabulary}/{term}")

    def term_label(self, vocabulary: str, term: str) -> str:
        return self.catalogue.label(vocabulary, term).get(self.lang)

    def person_link(self, name: str) -> str | None:
        """Where a name on an entry leads: the profile of the teacher it refers to (a teacher
        entry's page), else the page of what that person is on."""
        teacher = self.catalogue.teacher_of(name)
        if teacher is not None and teacher.id in self.catalogue.by_id:
            return self.entry_link(teacher)
        person = self.catalogue.person_of(name)
        return self.page_link(f"people/{person.slug}") if person else None

    def person_href(self, person: Person) -> str:
        """A person of the people index: their profile, or their page."""
        if person.teacher is not None:
            return self.entry_link(person.teacher)
        return self.page_link(f"people/{person.slug}")

    def known(self, entry_id: str | None) -> Entry | None:
        """The entry of an id, in this site or (a subset's) outside it."""
        if not entry_id:
            return None
        return self.catalogue.by_id.get(entry_id) or self.outside.get(entry_id)

    def standard_title(self, standard_id: str) -> str:
        standard = self.catalogue.rules.standards.get(standard_id)
        return standard.title.get(self.lang) if standard is not None else standard_id

    def mark_text(self, mark: Mapping[str, Any]) -> str:
        """A mark as its badge says it: 2024 优秀微课."""
        return self.t("mark_badge", year=mark["year"],
                      standard=self.standard_title(mark["standard"]))

    def mark_link(self, mark: Mapping[str, Any]) -> str | None:
        """The listing of a mark's standard and year (none for a standard not declared)."""
        if (mark["standard"], mark["year"]) not in self.catalogue.marked or \
                mark["standard"] not in self.catalogue.rules.standards:
            return None
        return self.page_link(f"marks/{mark['standard']}/{mark['year']}")

    def coordinates_text(self, coordinates: Mapping[str, float]) -> str:
        """Coordinates as words, no map: 北纬 30.2741°，东经 120.1551° / 30.2741° N,
        120.1551° E."""
        lat, lon = coordinates["lat"], coordinates["lon"]
        return self.t("coordinates", lat=decimal_text(abs(lat)), lon=decimal_text(abs(lon)),
                      ns=self.t("north" if lat >= 0 else "south"),
                      ew=self.t("east" if lon >= 0 else "west"))

    def field_label(self, kind: str, name: str) -> str:
        return self.catalogue.rules.kinds[kind].fields[name].label.get(self.lang)

    def kind_label(self, kind: str) -> str:
        return self.catalogue.rules.kinds[kind].label.get(self.lang)

    def _context(self, page_url: str) -> dict[str, Any]:
        self._page = page_url
        return {"page_url": page_url}

    # -- pages ---------------------------------------------------------------------------

    def render_entry(self, entry: Entry, body_html: str, page_url: str) -> str:
        catalogue = self.catalogue
        context = self._context(page_url)
        sections = [s for s in catalogue.sections_of(entry) if s in self.plan.sections]
        crumbs = [Crumb(self.t("home"), "")]
        if sections:
            crumbs.append(Crumb(sections[0].title.get(self.lang), sections[0].slug))
        def known(entry_id: str) -> Entry | None:
            # Never merge the two maps here: that is a copy of the catalogue per page.
            return catalogue.by_id.get(entry_id) or self.outside.get(entry_id)

        series = known(entry.series) if entry.series else None
        members = catalogue.series_members.get(series.id, ()) if series else ()
        position = catalogue.series_position.get(entry.id) if members else None
        related = [e for e in map(known, entry.get("related", ())) if e is not None]
        public = self.public_url(entry)
        context.update(
            entry=entry, body=Markup(body_html), crumbs=crumbs, series=series,
            members=members, position=position,
            previous=members[position - 1] if position else None,
            next=members[position + 1] if position is not None and position + 1 < len(members)
            else None,
            own_members=catalogue.series_members.get(entry.id, ()),
            related=related, public_url=public, plan=self.plan,
            prerequisites=[e for e in map(known, entry.get("prerequisites", ())) if e],
            follow=follow_entry(catalogue, entry, lang=self.lang),
            jsonld=None if self.offline else Markup(entry_jsonld(
                catalogue, entry, self.public_url, lambda m: self._absolute_media(m))))
        context.update(self._kind_context(entry))
        return self.env.get_template(f"lifelong/entry-{entry.kind}.html").render(context)

    def _kind_context(self, entry: Entry) -> dict[str, Any]:
        """What the pages of teachers, centres and activities show of other entries."""
        catalogue, plan = self.catalogue, self.plan
        if entry.kind == "teacher":
            return {"profile": plan.profile(entry)}
        if entry.kind == "centre":
            held = catalogue.held_at.get(entry.id, ())
            slugs = set(entry.get("sections", ()))
            return {"held": plan.nearest(held), "held_count": len(held),
                    "follows": [e for e in map(self.known, entry.get("follows", ())) if e],
                    "followed_sections": [s for s in plan.sections if s.slug in slugs]}
        if entry.kind in ("activity", "lecture"):
            return {"centre": self.known(entry.get("centre"))}
        return {}

    def public_page_url(self, path: str) -> str | None:
        """The public address of a generated page (``schedule``, a section's slug; ``''``,
        the home page: the site's own address)."""
        if not self.site_url:
            return None
        return self.site_url + (UrlScheme(True).page_url(path) if path else "")

    def online_media(self, media: Media) -> str | None:
        """The public address of a media file (for copies that leave the file out)."""
        return self._absolute_media(media)

    def _absolute_media(self, media: Media) -> str | None:
        if media.url:
            return media.url
        if self.site_url and media.path:
            return self.site_url + quote(media.path)
        return None

    def squeezed(self, draw: Callable[[], str]) -> str:
        """``squeeze_whitespace(draw())``, where ``draw`` draws a page with this renderer.
        Cards are squeezed once, when first drawn: the blocks of cards, most of a listing's
        bytes, are kept out of the page's squeeze and put back after it."""
        held: list[str] = []
        self._held = held
        try:
            html = draw()
        finally:
            self._held = None
        squeezed = squeeze_whitespace(html)
        if not held:
            return squeezed
        if squeezed.count("\ue002") != len(held):  # the page's own text has such marks
            return squeeze_whitespace(draw())
        return _HELD_MARK.sub(lambda match: held[int(match.group(1))], squeezed)

    def render_page(self, page: SitePage, body_html: str, page_url: str) -> str:
        context = self._context(page_url)
        context.update(page.context, page=page, crumbs=page.crumbs, body=Markup(body_html),
                       plan=self.plan, follow=follow_page(self.catalogue, page, lang=self.lang))
        if page.template == "outside.html":
            entry = page.context["entry"]
            context.update(public_url=self.public_url(entry))
        return self.env.get_template(f"lifelong/{page.template}").render(context)

    def render_home(self, body_html: str, page_url: str, title: str) -> str:
        catalogue = self.catalogue
        context = self._context(page_url)
        sections = [(s, len(catalogue.in_section(s))) for s in self.plan.sections]
        # The first 8 of each, as sorting them all would give (a rebuild draws this page).
        newest = heapq.nsmallest(8, catalogue.entries, key=newest_first_key)
        featured = heapq.nsmallest(8, (e for e in catalogue.entries if e.featured),
                                   key=newest_first_key)
        totals = [(kind, len(entries)) for kind, entries in catalogue.by_kind.items()]
        context.update(body=Markup(body_html), title=title, sections=sections, newest=newest,
                       featured=featured, totals=totals, total=len(catalogue.entries),
                       plan=self.plan, follow=follow_home(catalogue, lang=self.lang),
                       easy=self.easy_links())
        return self.env.get_template("lifelong/home.html").render(context)

    def easy_links(self) -> list[tuple[str, str, int]]:
        """The filters that suit older learners that find something: (name, label, count),
        in the order of ``EASY``, for links to the search page with the filter on."""
        counts = collections.Counter(itertools.chain.from_iterable(
            map(easy_filters, self.catalogue.entries)))
        labels = easy_labels(self.catalogue, self.lang)
        return [(name, label or self.t(f"easy_{name}"), counts[name])
                for name, label in zip(EASY, labels, strict=True) if counts[name]]


_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_INDENTED_LINES = re.compile(r"[ \t]*\n\s*")


def squeeze_whitespace(html: str) -> str:
    """Collapse the theme's indentation and blank lines to one newline (the browser shows
    both as one space), except inside pre, textarea, script and style. A third of every
    page's bytes, on disk, over the wire and in the offline zip."""
    parts = _KEEP_WHITESPACE.split(html)
    out = []
    for index in range(0, len(parts), 3):
        out.append(_INDENTED_LINES.sub("\n", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)

