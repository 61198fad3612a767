"""What each catalogue page shows (entries, listings, term pages): ``PageDrawer`` knows the
pages a build draws, the fingerprint of everything a page shows, and draws a page's HTML
inside the theme's chrome (a ``Shell``, drawn once per depth by the theme). A rebuild draws
again only pages whose fingerprint changed; ``lifelong.build.drawing`` writes them.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import os
import posixpath
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import escape

from lifelong.catalogue.model import Entry
from lifelong.catalogue.schema import SectionSpec, Term, Vocabulary
from lifelong.site.head import Follow, PageHead, follow_entry, follow_page
from lifelong.site.markup import BodyConverter
from lifelong.site.pages import Pagination, SitePage
from lifelong.site.shell import Shell

if TYPE_CHECKING:
    from lifelong.build.catalogue_site import CatalogueSite


_ID = operator.attrgetter("id")


@dataclass(slots=True)
class PageToDraw:
    dest: str                       #: file in the site folder, e.g. ``taiji/index.html``
    url: str                        #: its site-relative address, e.g. ``taiji/``
    entry: Entry | None = None      #: an entry's page ...
    page: SitePage | None = None    #: ... or a generated page

    @property
    def depth(self) -> int:
        return self.url.count("/")

    @property
    def source(self) -> str:
        """How messages name the page."""
        return self.entry.path if self.entry is not None else self.dest


class PageDrawer:
    """Knows every page the catalogue draws itself, its fingerprint and how to draw it."""

    def __init__(self, site: CatalogueSite, theme_pages: Iterable[str] = ()) -> None:
        self.site = site
        #: Generated pages the theme draws (may be set later, until ``pages`` is asked for).
        self.theme_pages = frozenset(theme_pages)
        self.shells: dict[int, Shell] = {}
        self._cards: dict[str, str] = {}
        for entry in site.catalogue.entries:  # all at once: listings then join them quickly
            self.card(entry)
        self._digests: dict[int, tuple[Any, str]] = {}

    @functools.cached_property
    def entry_pages(self) -> list[PageToDraw]:
        """The entries' pages, in catalogue order (the first of ``pages``)."""
        scheme = self.site.scheme
        entry_dest, entry_url = scheme.entry_dest, scheme.entry_url
        return [PageToDraw(entry_dest(entry.id), entry_url(entry.id), entry=entry)
                for entry in self.site.catalogue.entries]

    @functools.cached_property
    def pages(self) -> list[PageToDraw]:
        """Every page this drawer draws: the entries', then the generated pages that the
        theme does not (``theme_pages``: sources the navigation names)."""
        pages = list(self.entry_pages)
        scheme = self.site.scheme
        for src, page in self.site.pages.items():
            if src in self.theme_pages:
                continue
            if page.template == "outside.html":  # an entry outside a subset
                dest = scheme.entry_dest(src[:-3])
            else:
                dest = posixpath.join(page.path, "index.html")
            pages.append(PageToDraw(dest, scheme.url_of_dest(dest), page=page))
        return pages

    def depths(self) -> list[int]:
        return sorted({page.depth for page in self.pages})

    # -- fingerprints --------------------------------------------------------------------

    @functools.cached_property
    def _shown_sections(self) -> frozenset[str]:
        return frozenset(s.slug for s in self.site.plan.sections)

    def card(self, entry: Entry) -> str:
        """What a page shows of another entry (a card, a link, a series line) comes from its
        file, its media (and whether this copy has them) and, for a series, its size."""
        found = self._cards.get(entry.id)
        if found is None:
            site = self.site
            members = site.catalogue.series_members.get(entry.id, ())
            left_out = "".join("1" if path in site.excluded_media else "0"
                               for _, path in site.local_media_of(entry)
                               ) if site.excluded_media else ""
            found = f"{entry.id}:{entry.digest}:{len(members)}:{left_out}"
            shown = self._shown_on_card(entry)
            if shown:
                found += ":" + ",".join(f"{e.id}:{e.digest}" for e in shown)
            self._cards[entry.id] = found
        return found

    def _shown_on_card(self, entry: Entry) -> list[Entry]:
        """Other entries whose words a card shows: the teachers an entry names by id (their
        names), an activity's centre (its title)."""
        catalogue = self.site.catalogue
        shown = [teacher for _field, name in entry.people()
                 if (teacher := catalogue.by_id.get(name)) is not None
                 and teacher.kind == "teacher"]
        centre = self._known(entry.values.get("centre")) if entry.kind == "activity" else None
        return [*shown, centre] if centre is not None else shown

    def _cards_of(self, entries: Sequence[Entry]) -> str:
        cards = self._cards
        try:
            return ",".join(map(cards.__getitem__, map(_ID, entries)))  # a C loop
        except KeyError:
            return ",".join(map(self.card, entries))

    def _known(self, entry_id: str | None) -> Entry | None:
        if not entry_id:
            return None
        return self.site.catalogue.by_id.get(entry_id) or self.site.outside.get(entry_id)

    @functools.cached_property
    def head(self) -> PageHead:
        """Draws each page's head part (feeds, calendar, OPDS, share tags)."""
        return PageHead.of_site(self.site)

    @staticmethod
    def _follow(follow: Follow) -> str:
        """What a page shows of its feeds and calendar, beyond its own entry or listing:
        whether they exist (a series' calendar: whether any member is a lecture)."""
        return "follow " + " ".join(link.path for link in follow.links)

    def _entry_inputs(self, entry: Entry) -> list[str]:
        catalogue = self.site.catalogue
        card = self.card
        parts = [card(entry), self._follow(follow_entry(catalogue, entry,
                                                        lang=self.site.options.lang))]
        series = self._known(entry.series)
        if series is not None:
            # The series, this entry's place in it and its neighbours.
            members = catalogue.series_members.get(series.id, ())
            position = catalogue.series_position.get(entry.id) if members and \
                entry.series == series.id else None
            parts.append(f"series {card(series)} {position}/{len(members)}")
            if position is not None:
                parts.extend(map(card, members[max(0, position - 1):position + 2]))
        # A series' own page lists its first members.
        own = catalogue.series_members.get(entry.id, ())
        parts.append(f"members {len(own)}")
        if own:
            parts.extend(map(card, own[:self.site.plan.page_size]))
        parts.append("related")
        related = entry.values.get("related")
        if related:
            parts.extend(card(e) for e in map(self._known, related) if e)
        parts.append("prerequisites")
        prerequisites = entry.values.get("prerequisites")
        if prerequisites:
            parts.extend(card(e) for e in map(self._known, prerequisites) if e)
        parts.append("sections")
        shown = self._shown_sections
        parts.extend(s.slug for s in catalogue.sections_of(entry) if s.slug in shown)
        parts.append("people")
        for _field, name in entry.people():
            teacher = catalogue.teacher_of(name)  # a link to the profile, with its name
            if teacher is not None:
                parts.append(card(teacher))
            else:
                person = catalogue.person_of(name)
                parts.append(person.slug if person else "")
        parts.extend(self._kind_inputs(entry))
        return parts

    def _kind_inputs(self, entry: Entry) -> list[str]:
        """What the pages of teachers, centres and activities show of other entries
        (``Renderer._kind_context``)."""
        plan, card = self.site.plan, self.card
        parts: list[str] = []
        if entry.kind == "teacher":
            profile = plan.profile(entry)
            parts.append(f"profile {profile.all} {profile.event_count}")
            for kind, shown, count in profile.groups:
                parts.append(f"{kind} {count}")
                parts.extend(map(card, shown))
            parts.append("events")
            parts.extend(map(card, profile.events))
        elif entry.kind == "centre":
            held = self.site.catalogue.held_at.get(entry.id, ())
            parts.append(f"held {len(held)}")
            parts.extend(map(card, plan.nearest(held)))
            parts.append("follows")
            parts.extend(card(e) for e in map(self._known, entry.get("follows", ())) if e)
            sections = self._shown_sections
            parts.extend(s for s in entry.get("sections", ()) if s in sections)
        elif entry.kind in ("activity", "lecture"):
            centre = self._known(entry.get("centre"))
            parts.append("centre " + (card(centre) if centre is not None else ""))
        return parts

    def _value(self, value: Any) -> str:
        """A stable text for a value in a generated page's context."""
        if value is None or isinstance(value, (str, int, float, bool)):
            return repr(value)
        if isinstance(value, Entry):
            return self.card(value)
        if isinstance(value, SectionSpec):
            return f"section:{value.slug}"
        if isinstance(value, Term):
            return f"term:{value.id}"
        if isinstance(value, Vocabulary):
            return f"vocabulary:{value.name}"
        key = id(value)
        found = self._digests.get(key)
        if found is not None:
            return found[1]
        if isinstance(value, Mapping):
            text = "{" + ",".join(f"{self._value(k)}:{self._value(v)}"
                                  for k, v in value.items()) + "}"
        elif isinstance(value, (tuple, list)):
            text = "[" + ",".join(self._value(v) for v in value) + "]"
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            text = type(value).__name__ + "(" + ",".join(
                f"{f.name}={self._value(getattr(value, f.name))}"
                for f in dataclasses.fields(value)) + ")"
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page's context")
        if len(text) > 64:
            text = hashlib.sha1(text.encode()).hexdigest()
        if not isinstance(value, list):
            # Remembered by identity, so the object is kept: its id is never reused.
            self._digests[key] = (value, text)
        return text

    def fingerprint(self, page: PageToDraw) -> str:
        if page.entry is not None:
            parts = ["entry", *self._entry_inputs(page.entry)]
        else:
            assert page.page is not None
            parts = ["page", *self._page_inputs(page.page)]
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20]

    def _page_inputs(self, page: SitePage) -> list[str]:
        parts = [page.path, page.template, page.title,
                 repr([(c.title, c.path) for c in page.crumbs]),
                 self._follow(follow_page(self.site.catalogue, page,
                                          lang=self.site.options.lang))]
        for key, value in page.context.items():
            parts.append(key)
            if type(value) is tuple and value and type(value[0]) is Entry:
                parts.append(self._cards_of(value))   # a listing's entries
            elif type(value) is Pagination:
                parts.append(f"{value.number}/{value.count}/{value.total}/{value.first}/"
                             f"{value.last}/{value.base}")
            else:
                parts.append(self._value(value))
        return parts

    # -- drawing -------------------------------------------------------------------------

    def converter(self) -> BodyConverter:
        options = self.site.options
        return BodyConverter(options.markdown_extensions, options.markdown_configs,
                             self.site.resolve_content_link, remote_images=not options.offline)

    def draw(self, page: PageToDraw, converter: BodyConverter) -> str:
        renderer = self.site.renderer
        description = self.site.options.site_description
        if page.entry is not None:
            entry = page.entry
            body = converter.convert(entry.body, entry.path, page.url)
            content = renderer.squeezed(lambda: renderer.render_entry(entry, body, page.url))
            title, description = entry.title, entry.summary or description
            head = self.head.entry(entry, page.url, description)
        else:
            site_page = page.page
            assert site_page is not None
            content = renderer.squeezed(lambda: renderer.render_page(site_page, "", page.url))
            title, head = site_page.title, self.head.page(site_page, page.url, description)
        shell = self.shells[page.depth]
        return shell.fill({"title": str(escape(title)), "description": str(escape(description)),
                           "url": page.url, "head": head, "content": content})




def template_place(exc: jinja2.TemplateError) -> str:
    """'lifelong/listing.html:12: ' for where a template failed, or ''."""
    line = getattr(exc, "lineno", None)
    if line:
        return f"{getattr(exc, 'filename', None) or getattr(exc, 'name', '')}:{line}: "
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if not frames:
        return ""
    name = frames[-1].filename.replace(os.sep, "/")
    if "/lifelong/" in name:
        name = "lifelong/" + name.rsplit("/lifelong/", 1)[1]
    return f"{name}:{frames[-1].lineno}: "




