"""The catalogue as an immutable model: typed entries with indexes by kind, section, term,
series, person, centre and mark, in a deterministic order. ``lifelong.build.loading`` makes
it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lifelong.catalogue.periods import Period
from lifelong.catalogue.schema import Label, Rules, SectionSpec
from lifelong.catalogue.validate import Media

#: Top-level URL names the site itself uses; an entry id may not take them.
RESERVED_NAMES = frozenset({"assets", "search", "qr", "subjects", "audiences", "regions",
                            "series", "people", "page", "stylesheets", "javascripts", "404",
                            "index", "sitemap", "feeds", "opds", "calendar", "data",
                            "robots", "schedule", "codes"})
#: 我的学习, the reader's favourites and history on the device (``lifelong.site.pages``).
RESERVED_NAMES |= {"mine"}
RESERVED_NAMES |= {"statistics"}  # issue 22: charts and the map of the provinces
RESERVED_NAMES |= {"marks", "teachers", "centres"}  # issue 22: listings of marks, directories

#: Fields whose values name people; each gets term pages under people/.
PEOPLE_FIELDS = ("authors", "teachers", "speakers", "contributors")



@dataclass(frozen=True, slots=True)
class Entry:
    """One catalogue entry; ``values`` holds every field of its kind, normalised."""

    id: str
    kind: str
    path: str
    values: Mapping[str, Any] = field(repr=False)
    body: str = field(repr=False, default="")
    #: A digest of the entry's file and the sizes of the local files it links to: what
    #: its pages are drawn from (rebuilds compare it).
    digest: str = field(repr=False, default="", compare=False)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields in order, and so unpickled through __init__: dataclasses'
        # own way sets each field in a loop that asks for the fields every time, and the
        # entry cache unpickled 90,000 entries in 0.56 s instead of 0.35 s.
        return (Entry, (self.id, self.kind, self.path, self.values, self.body, self.digest))

    @property
    def title(self) -> str:
        return str(self.values["title"])

    @property
    def title_en(self) -> str | None:
        return self.values.get("title_en")

    @property
    def summary(self) -> str:
        return str(self.values.get("summary") or "")

    @property
    def published(self) -> dt.date:
        return self.values["published"]  # type: ignore[no-any-return]

    @property
    def cover(self) -> Media | None:
        return self.values.get("cover") or self.values.get("photo")

    @property
    def featured(self) -> bool:
        return bool(self.values.get("featured"))

    @property
    def draft(self) -> bool:
        return bool(self.values.get("draft"))

    @property
    def series(self) -> str | None:
        return self.values.get("series")

    def people(self) -> list[tuple[str, str]]:
        """(field, name) for every person named by the entry, in order."""
        found: list[tuple[str, str]] = []
        values = self.values
        for name in PEOPLE_FIELDS:
            items = values.get(name)
            if items:
                found.extend((name, item if isinstance(item, str) else item["name"])
                             for item in items)
        return found

    @property
    def marks(self) -> tuple[Mapping[str, Any], ...]:
        """The selections the entry passed: {standard, year, awarded_by, score, notes}."""
        return self.values.get("marks") or ()

    def contributors_by_role(self) -> list[tuple[str, tuple[str, ...]]]:
        """(role, names) of the entry's contributors, a role once, in the order first
        given: 注：郑玄 as title pages credit them."""
        roles: dict[str, list[str]] = {}
        for item in self.values.get("contributors") or ():
            roles.setdefault(item["role"], []).append(item["name"])
        return [(role, tuple(names)) for role, names in roles.items()]

    def sort_value(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, Period):  # beside plain years: by its first year
            return value.start
        if isinstance(value, dt.datetime):
            return value.timestamp()
        if isinstance(value, dt.date):
            return value.toordinal()
        return value


def sort_entries(entries: Iterable[Entry], keys: Iterable[tuple[str, bool]]) -> list[Entry]:
    """Stable multi-key sort; entries without a key's value go last; ties by id."""
    result = sorted(entries, key=_entry_id)
    for name, descending in reversed(list(keys)):
        valued = [(e.sort_value(name), e) for e in result]
        present = [pair for pair in valued if pair[0] is not None]
        present.sort(key=_first, reverse=descending)
        result = [e for _, e in present] + [e for value, e in valued if value is None]
    return result


def _entry_id(entry: Entry) -> str:
    return entry.id


def _first(pair: tuple[Any, Entry]) -> Any:
    return pair[0]


def _by_title(entry: Entry) -> tuple[str, str]:
    return entry.title, entry.id


def _by_published(entry: Entry) -> tuple[int, str]:
    return entry.published.toordinal(), entry.id


def newest_first_key(entry: Entry) -> tuple[int, str]:
    """Sort key: newest published first, then by id (lists, feeds, the home page)."""
    return -entry.published.toordinal(), entry.id


@dataclass(frozen=True, slots=True)
class Person:
    """Someone named by entries (an author, teacher or speaker), with a stable URL slug."""

    name: str
    slug: str
    entries: tuple[Entry, ...]
    #: What they did as a contributor (``contributors``): (role, how many entries), most
    #: first; empty for someone named only as an author, teacher or speaker.
    roles: tuple[tuple[str, int], ...] = ()
    #: Their profile: the teacher entry the names on entries refer to (by its id, or by its
    #: title when no other teacher has it); None for a name alone.
    teacher: Entry | None = None


@dataclass(frozen=True)
class Catalogue:
    """Published entries (drafts set aside) with the rules they follow."""

    rules: Rules
    entries: tuple[Entry, ...]
    drafts: tuple[Entry, ...]
    version: str
    #: Person name -> slug, as far as the loader knew them (the rest are made when needed).
    slugs: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: Teacher id -> name of the teachers a subset left out, so that an entry naming one by
    #: id still shows the name (``display_name``).
    names_left_out: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def by_id(self) -> Mapping[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def date(self) -> dt.date | None:
        """The catalogue's date: its latest published or updated day."""
        days = [e.get("updated") or e.published for e in self.entries]
        return max(days) if days else None

    def subset(self, keep: Iterable[Entry]) -> Catalogue:
        """The same rules and version with only some entries (an offline copy's subset)."""
        kept = {e.id for e in keep}
        left_out = {**self.names_left_out, **{
            e.id: e.title for e in self.by_kind.get("teacher", ()) if e.id not in kept}}
        return Catalogue(self.rules, tuple(e for e in self.entries if e.id in kept), (),
                         self.version, self.slugs, left_out)

    @cached_property
    def by_kind(self) -> Mapping[str, tuple[Entry, ...]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            groups[entry.kind].append(entry)
        return {kind: tuple(groups.get(kind, ())) for kind in self.rules.kinds}

    def terms_of(self, entry: Entry, vocabulary: str, field_name: str) -> tuple[str, ...]:
        """An entry's terms in a field, with the ancestors of hierarchical terms."""
        found = self.field_terms(vocabulary, field_name).get(entry.id)
        if found is None:  # an entry of another catalogue (outside a subset)
            return self._expand(self._lineage[vocabulary], entry.values.get(field_name))
        return found

    def field_terms(self, vocabulary: str, field_name: str) -> Mapping[str, tuple[str, ...]]:
        """Entry id -> ``terms_of`` the entry, for every entry (worked out once per field).
        Entries of kinds whose field of that name holds no term of ``vocabulary`` have
        none."""
        key = (vocabulary, field_name)
        found = self._terms_cache.get(key)
        if found is None:
            lineage, expand = self._lineage[vocabulary], self._expand
            kinds = {name for name, kind in self.rules.kinds.items()
                     if (spec := kind.fields.get(field_name)) is not None
                     and spec.type == "term" and spec.vocabulary == vocabulary}
            # Entries share few distinct values: each is expanded once, to one shared tuple.
            expanded: dict[Any, tuple[str, ...]] = {None: ()}
            found = self._terms_cache[key] = {}
            for e in self.entries:
                if e.kind not in kinds:
                    found[e.id] = ()
                    continue
                value = e.values.get(field_name)
                terms = expanded.get(value)
                if terms is None:
                    terms = expanded[value] = expand(lineage, value)
                found[e.id] = terms
        return found

    @staticmethod
    def _expand(lineage: Mapping[str, tuple[str, ...]], value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, tuple):
            return lineage[value]
        if len(value) == 1:
            return lineage[value[0]]
        return tuple(dict.fromkeys(found for term in value for found in lineage[term]))

    @cached_property
    def _terms_cache(self) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
        return {}

    @cached_property
    def _lineage(self) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        """vocabulary -> term -> (its ancestors, the term): one shared tuple per term."""
        return {name: {term: (*vocab.ancestors(term), term) for term in vocab.terms}
                for name, vocab in self.rules.vocabularies.items()}

    @cached_property
    def term_index(self) -> Mapping[tuple[str, str], tuple[Entry, ...]]:
        """(vocabulary, term) -> entries, for the vocabularies that have term pages."""
        index: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        fields = [(vocabulary, self.field_terms(vocabulary, field_name))
                  for vocabulary, field_name in TERM_PAGES.items()]
        for entry in self.entries:
            for vocabulary, terms in fields:
                for term in terms[entry.id]:
                    index[(vocabulary, term)].append(entry)
        return {key: tuple(value) for key, value in index.items()}

    def work_out_indexes(self) -> None:
        """Make now the indexes otherwise made when first read (terms, series, people,
        sections): a process forked after this shares them instead of making its own."""
        for index in ("term_index", "series_position", "person_by_name",
                      "_sections_by_entry", "marked", "held_at", "activities_of"):
            getattr(self, index)

    @cached_property
    def series_members(self) -> Mapping[str, tuple[Entry, ...]]:
        members: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.series and entry.series in self.by_id:
                members[entry.series].append(entry)
        return {sid: tuple(sort_entries(items, [("series_order", False), ("published", False)]))
                for sid, items in members.items()}

    @cached_property
    def series_position(self) -> Mapping[str, int]:
        """Each series member's index in its series' ``series_members``."""
        return {member.id: index for members in self.series_members.values()
                for index, member in enumerate(members)}

    @cached_property
    def _teachers_by_title(self) -> Mapping[str, tuple[Entry, ...]]:
        found: dict[str, list[Entry]] = defaultdict(list)
        for teacher in self.by_kind.get("teacher", ()):
            found[teacher.title].append(teacher)
        return {title: tuple(teachers) for title, teachers in found.items()}

    def teacher_of(self, name_or_id: str) -> Entry | None:
        """The teacher entry a name on an entry refers to: the teacher with that id, or
        the one teacher with that title (None when two or more have it, or none)."""
        entry = self.by_id.get(name_or_id)
        if entry is not None and entry.kind == "teacher":
            return entry
        teachers = self._teachers_by_title.get(name_or_id, ())
        return teachers[0] if len(teachers) == 1 else None

    def display_name(self, name_or_id: str) -> str:
        """How a name on an entry is shown: a teacher's id as the teacher's name (title),
        any other name as written."""
        entry = self.by_id.get(name_or_id)
        if entry is not None and entry.kind == "teacher":
            return entry.title
        return self.names_left_out.get(name_or_id, name_or_id)

    def person_of(self, name_or_id: str) -> Person | None:
        """The person a name or teacher id on an entry stands for."""
        teacher = self.teacher_of(name_or_id)
        if teacher is not None:
            return self._person_by_key.get(teacher.id)
        return self._person_by_key.get(f"name:{name_or_id}")

    def people_of(self, entry: Entry) -> list[tuple[str, str]]:
        """(field, name shown) for every person the entry names, in order: ``Entry.people``
        with teachers' ids as their names."""
        return [(field_name, self.display_name(name)) for field_name, name in entry.people()]

    @cached_property
    def people(self) -> tuple[Person, ...]:
        """Everyone entries name, by name. A name or id that refers to a teacher entry
        (``teacher_of``) is that teacher; two teachers of one name are two people, the
        first (by published date, then id) at the name's address, the others at their
        ids'."""
        return tuple(self._person_by_key.values())

    @cached_property
    def _person_by_key(self) -> Mapping[str, Person]:
        """Person by key: a teacher's id, or ``name:`` and a name that is no teacher's; in
        the order of ``people``."""
        # dicts as ordered sets: an entry once per person, in catalogue order
        named: dict[str, dict[str, Entry]] = defaultdict(dict)
        roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        teachers: dict[str, Entry] = {}
        keys: dict[str, str] = {}  # name or id as written -> key

        def key_of(written: str) -> str:
            key = keys.get(written)
            if key is None:
                teacher = self.teacher_of(written)
                if teacher is not None:
                    teachers[teacher.id] = teacher
                key = keys[written] = teacher.id if teacher is not None else f"name:{written}"
            return key

        for entry in self.entries:
            for _field, name in entry.people():
                named[key_of(name)].setdefault(entry.id, entry)
            for item in entry.values.get("contributors") or ():
                roles[key_of(item["name"])][item["role"]].add(entry.id)
        names = {key: teachers[key].title if key in teachers else self.display_name(key[5:])
                 for key in named}
        order = sorted(named, key=lambda key: (
            names[key], key not in teachers,
            teachers[key].published.toordinal() if key in teachers else 0, key))
        known = self.slugs
        slugs: dict[str, str] = {}
        for key in order:
            name = names[key]
            # Two teachers of one name: the first keeps the name's address, the others
            # take their ids (which no other entry has).
            namesakes = self._teachers_by_title.get(name, ()) if key in teachers else ()
            if len(namesakes) > 1 and min(namesakes, key=_by_published).id != key:
                slugs[key] = key
            else:
                slugs[key] = known.get(name) or person_slug(name)
        clashes = defaultdict(list)
        for key, slug in slugs.items():
            clashes[slug].append(key)
        people = {}
        for key in order:
            name, slug = names[key], slugs[key]
            if len(clashes[slug]) > 1:  # by the name, as before teachers had entries
                basis = key if slug == key else name
                slug = f"{slug}-{hashlib.sha1(basis.encode()).hexdigest()[:6]}"
            counted = sorted(((role, len(ids)) for role, ids in roles.get(key, {}).items()),
                             key=lambda pair: (-pair[1], pair[0]))
            people[key] = Person(name, slug, tuple(named[key].values()), tuple(counted),
                                 teachers.get(key))
        return people

    @cached_property
    def person_by_name(self) -> Mapping[str, Person]:
        """Person by the name shown; for a name two teachers share, the first of them
        (``person_of`` finds the one a name or id on an entry stands for)."""
        found: dict[str, Person] = {}
        for person in self.people:
            found.setdefault(person.name, person)
        return found

    @cached_property
    def marked(self) -> Mapping[tuple[str, int], tuple[Entry, ...]]:
        """(standard, year) -> the entries marked by it that year, by title; in the order
        of the standards in standards.yml, the latest year first."""
        found: dict[tuple[str, int], dict[str, Entry]] = defaultdict(dict)
        for entry in self.entries:
            for mark in entry.marks:
                found[(mark["standard"], mark["year"])][entry.id] = entry
        order = {standard: index for index, standard in enumerate(self.rules.standards)}
        return {key: tuple(sorted(found[key].values(), key=_by_title))
                for key in sorted(found, key=lambda key: (order.get(key[0], len(order)),
                                                          key[0], -key[1]))}

    @cached_property
    def held_at(self) -> Mapping[str, tuple[Entry, ...]]:
        """Centre id -> the activities and lectures held there, by when they start."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for kind in ("activity", "lecture"):
            for entry in self.by_kind.get(kind, ()):
                centre = entry.values.get("centre")
                if centre:
                    found[centre].append(entry)
        return {centre: tuple(sort_entries(items, [("starts", False)]))
                for centre, items in sorted(found.items())}

    @cached_property
    def activities_of(self) -> Mapping[str, tuple[Entry, ...]]:
        """Teacher id -> the activities they share at, by when they start."""
        found: dict[str, dict[str, Entry]] = defaultdict(dict)
        for entry in self.by_kind.get("activity", ()):
            for name in entry.values.get("teachers") or ():
                teacher = self.teacher_of(name)
                if teacher is not None:
                    found[teacher.id].setdefault(entry.id, entry)
        return {teacher: tuple(sort_entries(items.values(), [("starts", False)]))
                for teacher, items in sorted(found.items())}

    def in_section(self, section: SectionSpec) -> tuple[Entry, ...]:
        return self._sections[section.slug]

    @cached_property
    def _sections(self) -> Mapping[str, tuple[Entry, ...]]:
        result = {}
        for section in self.rules.sections:
            kinds = section.where.get("kind")
            # Only entries of the section's kinds can match: most sections name one.
            pool = self.entries if kinds is None else \
                [e for kind in dict.fromkeys(kinds) for e in self.by_kind.get(kind, ())]
            chosen = self.matching(pool, section.where)
            keys = [(k.field, k.descending) for k in section.sort]
            result[section.slug] = tuple(sort_entries(chosen, keys))
        return result

    def sections_of(self, entry: Entry) -> list[SectionSpec]:
        return list(self._sections_by_entry.get(entry.id, ()))

    @cached_property
    def _sections_by_entry(self) -> Mapping[str, tuple[SectionSpec, ...]]:
        found: dict[str, list[SectionSpec]] = defaultdict(list)
        for section in self.rules.sections:
            for entry in self._sections[section.slug]:
                found[entry.id].append(section)
        return {entry_id: tuple(sections) for entry_id, sections in found.items()}

    def matches(self, entry: Entry, where: Mapping[str, tuple[str, ...]]) -> bool:
        return bool(self.matching((entry,), where))

    def matching(self, entries: Iterable[Entry], where: Mapping[str, tuple[str, ...]]
                 ) -> list[Entry]:
        """The entries (in order) whose value of every field in ``where`` is one of those
        allowed (a term also matches by its ancestors); a kind without the field does not
        match. One field at a time over all the entries: sections hold tens of thousands."""
        chosen = list(entries)
        for name, allowed in where.items():
            if name == "kind":
                kinds = frozenset(allowed)
                chosen = [e for e in chosen if e.kind in kinds]
            else:
                chosen = list(filter(self._allows(name, frozenset(allowed)), chosen))
        return chosen

    def _allows(self, name: str, allowed: frozenset[str]) -> Callable[[Entry], bool]:
        """Whether an entry's value of field ``name`` (or one of its terms) is allowed."""
        specs = {kind: spec.fields.get(name) for kind, spec in self.rules.kinds.items()}
        terms = {kind: self.field_terms(spec.vocabulary, name) for kind, spec in specs.items()
                 if spec is not None and spec.type == "term" and spec.vocabulary}

        def allows(entry: Entry) -> bool:
            spec = specs.get(entry.kind)
            if spec is None:
                return False
            of_kind = terms.get(entry.kind)
            if of_kind is not None:
                found = of_kind.get(entry.id)
                if found is None:  # an entry of another catalogue (outside a subset)
                    found = self.terms_of(entry, spec.vocabulary or "", name)
                return not allowed.isdisjoint(found)
            raw = entry.values.get(name)
            return any(str(v) in allowed for v in (raw if isinstance(raw, tuple) else (raw,))
                       if v is not None)
        return allows

    def label(self, vocabulary: str, term: str) -> Label:
        return self.rules.vocabularies[vocabulary].terms[term].label


#: Vocabulary -> the field whose terms get pages (subjects/<term>/...).
TERM_PAGES = {"subjects": "subjects", "audiences": "audiences", "regions": "region"}


def _one_word(chars: str) -> Any:
    """pypinyin's ``errors``: a run of characters without pinyin stays one word."""
    return [chars]


def _letter_by_letter(chars: str) -> Any:
    return list(chars)


def person_slug(name: str) -> str:
    """A readable ASCII slug for a person's name, in any script: pinyin syllables for
    Chinese characters (王医生 -> wang-yi-sheng), any other run of text transliterated as a
    whole ("José Martí" -> jose-marti, "Лев Толстой" -> lev-tolstoy); a hash of the name if
    nothing readable is left."""
    from anyascii import anyascii
    from pypinyin import lazy_pinyin  # heavy import, only when people pages are made

    words = lazy_pinyin(name, errors=_one_word)
    return _slug_of_words(anyascii(w) for w in words) or _hashed(name)


def former_person_slug(name: str) -> str | None:
    """The address Lifelong gave a name with letters before 2026-12 (pypinyin then split
    every letter into a word of its own: "Confucius" -> c-o-n-f-u-c-i-u-s); None for a name
    of Chinese characters alone, whose address has not changed."""
    if _HAN_ONLY.fullmatch(name):
        return None
    from pypinyin import lazy_pinyin

    return _slug_of_words(lazy_pinyin(name, errors=_letter_by_letter)) or _hashed(name)


#: Chinese characters (the basic block, extension A, compatibility, extensions B and on) and
#: the middle dots of transcribed names (阿依古丽·买买提).
_HAN_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·・]*")


def _slug_of_words(words: Iterable[str]) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", "-".join(w.lower() for w in words)).strip("-")
    return text[:48].strip("-")


def _hashed(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:8]


def media_of(values: Mapping[str, Any]) -> list[tuple[str, Media]]:
    """(field, media) of every file or address an entry's values link to, in field order
    (a field's value, a list of them, or mappings holding them: files, captions)."""
    found = []
    for name, value in values.items():
        for item in value if isinstance(value, tuple) else (value,):
            for media in item.values() if isinstance(item, Mapping) else (item,):
                if isinstance(media, Media):
                    found.append((name, media))
    return found


def local_media_of(values: Mapping[str, Any]) -> list[tuple[str, Media]]:
    """(field, media) of every local file an entry's values link to, in field order."""
    return [(name, media) for name, media in media_of(values) if media.path]




def top_level_names(content_dir: Path) -> set[str]:
    """Names at the top of content/ (pages, folders): their addresses are taken."""
    return {path.stem if path.suffix == ".md" else path.name
            for path in content_dir.iterdir() if not path.name.startswith(".")}
