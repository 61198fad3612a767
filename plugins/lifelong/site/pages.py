"""The pages the site generates from the catalogue: sections, listings, term pages, the
schedule of lectures and its pages by year.

Plain data: each ``SitePage`` says where it lives, which template draws it and with what.
The MkDocs adapter turns them into virtual files; nothing here is written to content/.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from lifelong.catalogue.model import (
    TERM_PAGES,
    Catalogue,
    Entry,
    Person,
    former_person_slug,
    newest_first_key,
    person_slug,
)
from lifelong.catalogue.schema import SectionSpec
from lifelong.site.calendar import lecture_end
from lifelong.site.charts import catalogue_statistics
from lifelong.site.feeds import CHINA, day_start
from lifelong.site.i18n import translate
from lifelong.site.provmap import Outline

#: Vocabulary index pages, in the order of the "browse" menu.
BROWSE = ("subjects", "audiences", "regions", "series", "people")
#: Directories (issue 22), after those in the "browse" menu when the catalogue has them:
#: teachers and centres by region and by role or type, and the listings of marks.
DIRECTORY_PAGES = ("teachers", "centres", "marks")
#: A directory of a kind: its address and its groupings, each (the part of the address
#: after the directory's, vocabulary, field): the first grouping's pages are at
#: ``centres/<term>/``, the others' at ``centres/<part>/<term>/``.
DIRECTORIES: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "teacher": ("teachers", (("", "regions", "region"), ("role", "speaker_roles", "roles"))),
    "centre": ("centres", (("", "regions", "region"), ("type", "centre_types", "centre_type"))),
}
#: Rows on a page of a directory (about 300 bytes each: 30 KB, and the page under 50 KB).
DIRECTORY_PAGE = 100
#: A teacher's profile shows this many of the entries they are on, of each kind; with more,
#: it links to the whole list (people/<slug>/all/).
PROFILE_SHOWN = 6
#: Activities and lectures a centre's page (or activities a teacher's) shows: those to come
#: from RECENT_DAYS before the catalogue's date, soonest first, then the latest before.
HELD_SHOWN = 30
#: The schedule page draws at most this many lectures (about 32 KB of the page's 50 KB):
#: those not ended RECENT_DAYS before the catalogue's date, soonest first. Every lecture is
#: on a page of its year (schedule/2027/), linked from the schedule.
SCHEDULE_SIZE = 100
RECENT_DAYS = 14
#: Names on a page of the people index (about 90 bytes each) and series on a page of the
#: series index (about 220 bytes each): pages under 50 KB at any size of catalogue (90,000
#: entries name about 8,000 people and 360 series).
PEOPLE_PAGE = 300
SERIES_PAGE = 120


@dataclass(frozen=True, slots=True)
class Crumb:
    title: str
    path: str


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    total: int
    first: int
    last: int
    base: str

    def path_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}/page/{number}"

    def window(self, width: int = 2) -> list[int | None]:
        """Page numbers to show, None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.count, *range(self.number - width, self.number + width + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        result: list[int | None] = []
        for number in numbers:
            if result and number - (result[-1] or 0) > 1:
                result.append(None)
            result.append(number)
        return result


def is_moved(page: SitePage | None) -> bool:
    """Whether a page only leads to another's new address (``context["to"]``)."""
    return page is not None and page.template == "moved.html"


@dataclass(frozen=True, slots=True)
class Profile:
    """What a teacher's profile shows of what they are on: ``groups`` (kind, the entries
    shown, how many there are) of all but activities, newest first; their activities
    (``events``: those ``SitePlan.nearest`` chooses, of ``event_count``); ``all``: the page
    listing everything, when the profile cannot show it all."""

    person: Person | None
    groups: tuple[tuple[str, tuple[Entry, ...], int], ...]
    events: tuple[Entry, ...]
    event_count: int
    all: str | None


@dataclass(frozen=True, slots=True)
class SitePage:
    path: str
    template: str
    title: str
    crumbs: tuple[Crumb, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)


class SitePlan:
    """Every generated page of one catalogue, in a deterministic order."""

    def __init__(self, catalogue: Catalogue, *, lang: str = "zh", page_size: int = 24,
                 hide_empty_sections: bool = False, schedule_size: int = SCHEDULE_SIZE,
                 people_page: int = PEOPLE_PAGE, series_page: int = SERIES_PAGE,
                 directory_page: int = DIRECTORY_PAGE,
                 province_outline: Outline | None = None) -> None:
        self.catalogue = catalogue
        #: The site's own outline of the provinces for the statistics page's map (None: the
        #: tile grid, ``lifelong.site.provmap``).
        self.province_outline = province_outline
        self.lang = lang
        self.page_size = page_size
        self.schedule_size = schedule_size
        self.people_page = people_page
        self.series_page = series_page
        self.directory_page = directory_page
        #: A subset copy shows only the sections it has entries for.
        self.sections = tuple(s for s in catalogue.rules.sections
                              if not hide_empty_sections or catalogue.in_section(s))

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def section_title(self, section: SectionSpec) -> str:
        return section.title.get(self.lang)

    @functools.cached_property
    def lectures(self) -> tuple[Entry, ...]:
        """Every lecture, soonest start first."""
        return tuple(sorted(self.catalogue.by_kind.get("lecture", ()),
                            key=lambda e: (e.get("starts"), e.id)))

    @functools.cached_property
    def scheduled(self) -> tuple[Entry, ...]:
        """What the schedule page lists (its fingerprint covers each of them, so it is drawn
        again when one changes): the first ``schedule_size`` lectures not ended RECENT_DAYS
        before the catalogue's date. The page's script sorts them by the reader's own date,
        so a copy opened long after it was made shows them as ended, never as to come."""
        date = self.catalogue.date
        if date is None:
            return ()
        since = day_start(date - dt.timedelta(days=RECENT_DAYS))
        return tuple(e for e in self.lectures if lecture_end(e) >= since)[:self.schedule_size]

    def lecture_years(self) -> dict[int, list[Entry]]:
        """Every lecture by the year it starts in (Beijing time), the latest year first."""
        years: dict[int, list[Entry]] = {}
        for entry in self.lectures:
            years.setdefault(entry.get("starts").astimezone(CHINA).year, []).append(entry)
        return dict(sorted(years.items(), reverse=True))

    def pages(self) -> Iterator[SitePage]:
        home = (Crumb(self.t("home"), ""),)
        yield SitePage("search", "search.html", self.t("search"), home,
                       {"sections": self.sections})
        yield from self._schedule_pages()
        # 我的学习: favourites and history, kept and listed on the device (mine.js).
        yield SitePage("mine", "mine.html", self.t("mine"), home, {"kind_labels": {
            name: kind.label.get(self.lang) for name, kind in self.catalogue.rules.kinds.items()}})
        # 数据统计: charts and the map of the provinces, drawn at build time (issue 22).
        yield SitePage("statistics", "statistics.html", self.t("statistics"), home,
                       {"statistics": catalogue_statistics(
                           self.catalogue, self.sections, self.lang, self.province_outline)})
        yield from self._section_pages()
        yield from self._browse_pages()
        for kind in DIRECTORIES:
            yield from self._directory_pages(kind)
        yield from self._mark_pages()

    # -- issue 22: teachers' profiles, centres' events, directories, marks -----------------

    @property
    def directories(self) -> tuple[tuple[str, str], ...]:
        """(address, title) of the directories this catalogue has (``DIRECTORY_PAGES``)."""
        found = []
        for kind, (path, _groupings) in DIRECTORIES.items():
            if self.catalogue.by_kind.get(kind):
                found.append((path, self.t(f"{path}_index")))
        if self.catalogue.marked:
            found.append(("marks", self.t("marks_index")))
        return tuple(sorted(found, key=lambda pair: DIRECTORY_PAGES.index(pair[0])))

    @functools.cached_property
    def person_of_teacher(self) -> dict[str, Person]:
        """Teacher id -> the person whose profile the teacher's entry is."""
        return {p.teacher.id: p for p in self.catalogue.people if p.teacher is not None}

    def nearest(self, events: Sequence[Entry], size: int = HELD_SHOWN) -> tuple[Entry, ...]:
        """At most ``size`` of ``events`` (activities, lectures: sorted by start), what a
        page draws and its script sorts into upcoming and past on the reader's device:
        those not ended RECENT_DAYS before the catalogue's date, soonest first, then as
        many of the latest before them as there is room for; by start."""
        date = self.catalogue.date
        if len(events) <= size or date is None:
            return tuple(events[:size])
        since = day_start(date - dt.timedelta(days=RECENT_DAYS))
        coming = [e for e in events if lecture_end(e) >= since][:size]
        room = size - len(coming)
        before = [e for e in events if lecture_end(e) < since][-room:] if room else []
        return (*before, *coming)

    def profile(self, teacher: Entry) -> Profile:
        """What the profile of ``teacher`` lists."""
        person = self.person_of_teacher.get(teacher.id)
        entries = sorted((e for e in person.entries if e.kind != "activity") if person else (),
                         key=newest_first_key)
        by_kind: dict[str, list[Entry]] = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry)
        groups = tuple((kind, tuple(by_kind[kind][:PROFILE_SHOWN]), len(by_kind[kind]))
                       for kind in self.catalogue.rules.kinds if kind in by_kind)
        activities = self.catalogue.activities_of.get(teacher.id, ())
        events = self.nearest(activities)
        more = any(len(shown) < count for _kind, shown, count in groups) or \
            len(events) < len(activities)
        return Profile(person, groups, events, len(activities),
                       f"people/{person.slug}/all" if more and person else None)

    def _directory_pages(self, kind: str) -> Iterator[SitePage]:
        """A kind's directory (teachers, centres): its index with a tile and count for each
        term of each grouping (the provinces, the roles or types), and a page of the
        entries of each term, in groups (a province's centres by city)."""
        entries = self.catalogue.by_kind.get(kind, ())
        if not entries:
            return
        path, groupings = DIRECTORIES[kind]
        home = (Crumb(self.t("home"), ""),)
        title = self.t(f"{path}_index")
        crumbs = (*home, Crumb(title, path))
        tiles = []
        vocabularies = self.catalogue.rules.vocabularies
        for part, vocabulary_name, field_name in groupings:
            vocabulary = vocabularies[vocabulary_name]
            members: dict[str, list[Entry]] = {}
            for entry in entries:
                value = entry.get(field_name)
                for term in (value if isinstance(value, tuple) else (value,)):
                    if term:
                        members.setdefault(term, []).append(entry)
            base = f"{path}/{part}" if part else path
            counted = tuple((term, len(members[term.id])) for term in vocabulary.terms.values()
                            if term.id in members)
            tiles.append((vocabulary, base, counted))
            for term, _count in counted:
                rows = self._directory_rows(kind, part, members[term.id])
                yield from self._paginate(
                    f"{base}/{term.id}", rows, "directory-list.html",
                    f"{title} · {term.label.get(self.lang)}", crumbs, size=self.directory_page,
                    kind=kind)
        yield SitePage(path, "directory.html", title, home,
                       {"kind": kind, "tiles": tuple(tiles), "total": len(entries)})

    def _directory_rows(self, kind: str, part: str, entries: Sequence[Entry]
                        ) -> list[tuple[str, Entry]]:
        """(group, entry) rows of a directory's page, by group then name (pinyin): a
        province's centres by city, a type's by province; a province's teachers in one
        group, a role's by province."""
        regions = self.catalogue.rules.vocabularies["regions"]
        order = {term: index for index, term in enumerate(regions.terms)}

        def group(entry: Entry) -> tuple[Any, str]:
            if kind == "centre" and not part:
                city = entry.get("city") or ""
                return person_slug(city), city
            region = entry.get("region")
            if part and region:
                return order.get(region, len(order)), regions.terms[region].label.get(self.lang)
            return "", ""
        keyed = sorted(((group(e), person_slug(e.title), e.id, e) for e in entries),
                       key=lambda row: row[:3])
        return [(key[1], entry) for key, _name, _id, entry in keyed]

    def _mark_pages(self) -> Iterator[SitePage]:
        """marks/: every standard with its counts by year; marks/<standard>/: the entries
        it marked, latest year first; marks/<standard>/<year>/, titled by the standard's
        ``listing`` (2024 年度优秀微课). Each shows the standard's criteria."""
        marked = self.catalogue.marked
        if not marked:
            return
        standards = self.catalogue.rules.standards
        home = (Crumb(self.t("home"), ""),)
        title = self.t("marks_index")
        rows = []
        for standard in standards.values():
            years = tuple((year, len(found)) for (sid, year), found in marked.items()
                          if sid == standard.id)
            every: dict[str, Entry] = {}
            for year, _count in years:
                for entry in marked[(standard.id, year)]:
                    every.setdefault(entry.id, entry)
            rows.append((standard.id, len(every), years))
            if not every:
                continue
            crumbs = (*home, Crumb(title, "marks"))
            name = standard.title.get(self.lang)
            yield from self._paginate(f"marks/{standard.id}", tuple(every.values()),
                                      "listing.html", name, crumbs, standard=standard.id,
                                      years=years, year=None)
            for year, _count in years:
                yield from self._paginate(
                    f"marks/{standard.id}/{year}", marked[(standard.id, year)], "listing.html",
                    standard.listing_title(year, self.lang),
                    (*crumbs, Crumb(name, f"marks/{standard.id}")), standard=standard.id,
                    years=years, year=year)
        yield SitePage("marks", "marks.html", title, home, {"standards": tuple(rows)})

    def _paginate(self, base: str, entries: Sequence[Any], template: str, title: str,
                  crumbs: tuple[Crumb, ...], *, size: int | None = None,
                  **context: Any) -> Iterator[SitePage]:
        """Pages of ``size`` (the listing size by default) of ``entries`` at ``base``,
        ``base/page/2``...; ``entries`` are entries, or another index's rows."""
        size = size or self.page_size
        count = max(1, math.ceil(len(entries) / size))
        for number in range(1, count + 1):
            start = (number - 1) * size
            chunk = tuple(entries[start:start + size])
            pagination = Pagination(number, count, len(entries), start + 1,
                                    start + len(chunk), base)
            page_title = title if number == 1 else f"{title} · {self.t('page_n', n=number)}"
            page_crumbs = crumbs if number == 1 else (*crumbs, Crumb(title, base))
            yield SitePage(pagination.path_of(number), template, page_title, page_crumbs,
                           {"entries": chunk, "pagination": pagination, "first_page":
                            number == 1, **context})

    def _schedule_pages(self) -> Iterator[SitePage]:
        if not self.lectures:
            return
        home = (Crumb(self.t("home"), ""),)
        years = self.lecture_years()
        yield SitePage("schedule", "schedule.html", self.t("schedule"), home,
                       {"lectures": self.scheduled,
                        "years": tuple((year, len(members)) for year, members in years.items())})
        crumbs = (*home, Crumb(self.t("schedule"), "schedule"))
        for year, members in years.items():
            yield from self._paginate(f"schedule/{year}", members, "listing.html",
                                      self.t("schedule_year", year=year), crumbs)

    def _section_pages(self) -> Iterator[SitePage]:
        catalogue = self.catalogue
        subjects = catalogue.rules.vocabularies["subjects"]
        home = (Crumb(self.t("home"), ""),)
        for section in self.sections:
            entries = catalogue.in_section(section)
            title = self.section_title(section)
            #: A section of lectures links the schedule page.
            schedule = any(entry.kind == "lecture" for entry in entries)
            tiles = []
            by_subject: dict[str, list[Entry]] = {}
            subjects_of = catalogue.field_terms("subjects", "subjects")
            for entry in entries:
                for subject in subjects_of[entry.id]:
                    by_subject.setdefault(subject, []).append(entry)
            for term in subjects.children(None):
                members = by_subject.get(term.id)
                if members:
                    tiles.append((term, len(members)))
                    yield from self._paginate(
                        f"{section.slug}/{term.id}", members, "listing.html",
                        f"{title} · {term.label.get(self.lang)}",
                        (*home, Crumb(title, section.slug)), section=section, term=term)
            yield from self._paginate(section.slug, entries, "section.html", title, home,
                                      section=section, tiles=tiles,
                                      featured=self.featured(section), schedule=schedule)

    def _moved_people(self, people: Sequence[Person]) -> Iterator[SitePage]:
        """A page at each address people had before their names with letters were spelt as
        words (people/c-o-n-f-u-c-i-u-s/), leading to the one they have now: printed
        addresses keep working. None where the old address is someone's today."""
        taken = {person.slug for person in people}
        crumbs = (Crumb(self.t("home"), ""), Crumb(self.t("people"), "people"))
        for person in people:
            former = former_person_slug(person.name)
            if former and former != person.slug and former not in taken:
                taken.add(former)
                yield SitePage(f"people/{former}", "moved.html", person.name, crumbs,
                               {"to_entry": person.teacher} if person.teacher is not None
                               else {"to": f"people/{person.slug}"})

    def _person_pages(self, person: Person, crumbs: tuple[Crumb, ...]) -> Iterator[SitePage]:
        """A person's page: what they are on. A person with a profile (a teacher entry) has
        it instead: their address leads there (printed links keep working), and what the
        profile has no room for is listed at people/<slug>/all/."""
        entries = sorted(person.entries, key=newest_first_key)
        if person.teacher is None:
            yield from self._paginate(f"people/{person.slug}", entries, "listing.html",
                                      person.name, crumbs, person=person)
            return
        yield SitePage(f"people/{person.slug}", "moved.html", person.name, crumbs,
                       {"to_entry": person.teacher})
        if self.profile(person.teacher).all:
            yield from self._paginate(f"people/{person.slug}/all", entries, "listing.html",
                                      self.t("all_of", name=person.name), crumbs, person=person)

    def featured(self, section: SectionSpec, limit: int = 4) -> tuple[Entry, ...]:
        by_id = self.catalogue.by_id
        chosen = [by_id[i] for i in section.featured if i in by_id]
        chosen += [e for e in self.catalogue.in_section(section)
                   if e.featured and e not in chosen]
        return tuple(chosen[:limit])

    def _browse_pages(self) -> Iterator[SitePage]:
        catalogue = self.catalogue
        home = (Crumb(self.t("home"), ""),)
        for vocabulary, _field in TERM_PAGES.items():
            vocab = catalogue.rules.vocabularies[vocabulary]
            title = vocab.label.get(self.lang)
            counts = {term: len(catalogue.term_index.get((vocabulary, term), ()))
                      for term in vocab.terms}
            yield SitePage(vocabulary, "vocabulary.html", title, home,
                           {"vocabulary": vocab, "counts": counts})
            for term in vocab.terms.values():
                members = catalogue.term_index.get((vocabulary, term.id), ())
                if not members:
                    continue
                crumbs: tuple[Crumb, ...] = (*home, Crumb(title, vocabulary))
                crumbs += tuple(Crumb(vocab.terms[a].label.get(self.lang), f"{vocabulary}/{a}")
                                for a in vocab.ancestors(term.id)
                                if catalogue.term_index.get((vocabulary, a)))
                children = [(c, counts[c.id]) for c in vocab.children(term.id) if counts[c.id]]
                yield from self._paginate(f"{vocabulary}/{term.id}", members, "listing.html",
                                          term.label.get(self.lang), crumbs, vocabulary=vocab,
                                          term=term, children=children)
        series = sorted(catalogue.by_kind.get("series", ()), key=lambda s: (s.title, s.id))
        yield from self._paginate("series", [(s, len(catalogue.series_members.get(s.id, ())))
                                             for s in series], "series-index.html",
                                  self.t("series_index"), home, size=self.series_page)
        for entry in series:
            members = catalogue.series_members.get(entry.id, ())
            if members:
                yield from self._paginate(
                    f"series/{entry.id}", members, "listing.html", entry.title,
                    (*home, Crumb(self.t("series_index"), "series")), series=entry)
        people = catalogue.people
        # In the order of their addresses: pinyin for Chinese names, as readers look them up,
        # with a way to each initial's first page.
        by_address = sorted(people, key=lambda p: (p.slug, p.name))
        initials: dict[str, int] = {}
        for at, person in enumerate(by_address):
            initials.setdefault(person.slug[:1], at // self.people_page + 1)
        yield from self._paginate("people", by_address, "people-index.html", self.t("people"),
                                  home, size=self.people_page,
                                  initials=tuple(initials.items()))
        yield from self._moved_people(people)
        for person in people:
            yield from self._person_pages(person, (*home, Crumb(self.t("people"), "people")))
