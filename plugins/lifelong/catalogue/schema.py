"""The catalogue's rules, read from catalogue/: fields of each kind, vocabularies, sections
and selection standards."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lifelong.catalogue.loader import LineMap, decode_source, parse_front_matter
from lifelong.catalogue.problems import CatalogueError, Problem
from lifelong.catalogue.suggest import Suggester

FIELD_TYPES = frozenset(
    {"text", "slug", "int", "bool", "date", "datetime", "url", "media", "isbn", "term", "ref",
     "object", "code", "period", "number"})


@dataclass(frozen=True)
class Label:
    """A name in Chinese (shown first) and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Term:
    id: str
    label: Label
    parent: str | None = None
    #: Other names an editor may use for the term (``synonyms:``): did-you-mean offers it.
    synonyms: tuple[str, ...] = ()
    #: Where the term is explained (``url:``, an http(s) address: a licence's text).
    url: str | None = None
    #: The first and last year the term spans (``years: [618, 907]``; BCE negative): a
    #: dynasty's, for ``period`` fields.
    years: tuple[int, int] | None = None


@dataclass(frozen=True)
class Vocabulary:
    """A controlled list of terms; a term's ancestors come first in ``ancestors``."""

    name: str
    label: Label
    terms: Mapping[str, Term]

    def ancestors(self, term_id: str) -> tuple[str, ...]:
        chain: list[str] = []
        parent = self.terms[term_id].parent
        while parent is not None:
            chain.insert(0, parent)
            parent = self.terms[parent].parent
        return tuple(chain)

    def children(self, term_id: str | None) -> list[Term]:
        return [t for t in self.terms.values() if t.parent == term_id]

    def suggest(self, value: str) -> str | None:
        """The term meant by a misspelt id, a label in either language or a synonym."""
        return self._suggester(value)

    def named(self, value: str) -> str | None:
        """The term whose id, label in either language or synonym ``value`` is, written
        loosely (case, width, spaces and hyphens aside): 唐, tang, 唐朝, Tang dynasty."""
        return self._suggester.exact(value)

    @cached_property
    def _suggester(self) -> Suggester:
        terms = self.terms.values()
        return Suggester([*((t.id, t.id) for t in terms), *((t.label.zh, t.id) for t in terms),
                          *((t.label.en, t.id) for t in terms),
                          *((s, t.id) for t in terms for s in t.synonyms)])


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: Label
    required: bool = False
    list: bool = False
    min_items: int = 0
    max_items: int | None = None
    vocabulary: str | None = None
    kinds: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    default: Any = None
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    #: For ``media``: what a local file must be (``MEDIA_FORMATS``); any, without it.
    format: str | None = None


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: Label
    fields: Mapping[str, FieldSpec]
    folder: str = ""
    #: Groups of fields of which an entry needs at least one (``one_of: [[authors,
    #: contributors]]``): an e-book names its authors, or its contributors.
    one_of: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    title: Label
    intro: Label
    where: Mapping[str, tuple[str, ...]]
    featured: tuple[str, ...]
    sort: tuple[SortKey, ...]
    path: str = "catalogue/sections.yml"
    line: int = 0
    featured_line: int = 0


#: A check's operators (standards.yml), each with what it needs of the field it checks.
CHECK_OPERATORS = ("present", "min", "max", "min_length", "max_length", "in", "includes")


@dataclass(frozen=True)
class Check:
    """What a checkable criterion requires of one field of an entry (standards.yml)."""

    field: str
    present: bool | None = None
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    #: ``in``: the terms the value may be, as written, and with their narrower terms.
    one_of: tuple[str, ...] | None = None
    #: ``includes``: the terms of which a list must have one, as written.
    includes: tuple[str, ...] | None = None
    #: The terms of ``one_of`` or ``includes`` with every narrower term (a term matches by
    #: its broader ones, as in sections).
    allowed: frozenset[str] = frozenset()

    def holds(self, value: Any) -> bool:
        """Whether ``value``, the entry's value of ``field`` (None when it has none), meets
        every operator of the check."""
        empty = value is None or value == () or value == ""
        if self.present is not None and self.present == empty:
            return False
        if self.min is not None or self.max is not None:
            if empty or isinstance(value, bool) or not isinstance(value, int | float):
                return False
            if (self.min is not None and value < self.min) or \
                    (self.max is not None and value > self.max):
                return False
        if self.min_length is not None or self.max_length is not None:
            length = 0 if value is None else len(str(value).strip())
            if (self.min_length is not None and length < self.min_length) or \
                    (self.max_length is not None and length > self.max_length):
                return False
        if self.one_of is not None and (empty or str(value) not in self.allowed):
            return False
        return self.includes is None or (
            not empty and not self.allowed.isdisjoint(
                value if isinstance(value, tuple) else (value,)))


@dataclass(frozen=True)
class Criterion:
    """One criterion of a standard: its text, and a check when the entry shows whether it
    holds (the others are judged by people)."""

    id: str
    text: Label
    check: Check | None = None

    def holds(self, entry_values: Mapping[str, Any]) -> bool:
        """Whether the entry (its values) meets the criterion; always, without a check."""
        return self.check is None or self.check.holds(entry_values.get(self.check.field))


@dataclass(frozen=True)
class Standard:
    """A selection standard (评选标准): who selects which kinds of entry, in which years, by
    which criteria. Entries selected by it carry a mark naming it."""

    id: str
    title: Label
    #: The title of a year's listing, ``{year}`` in it replaced by the year.
    listing: Label
    awarded_by: Label
    kinds: tuple[str, ...]
    #: The first and last year it was held; last None: it still is.
    years: tuple[int, int | None]
    criteria: tuple[Criterion, ...]
    line: int = 0

    def listing_title(self, year: int, lang: str) -> str:
        """The title of the listing of ``year``'s marks: 2024 年度优秀微课."""
        return self.listing.get(lang).replace("{year}", str(year))

    def held_in(self, year: int) -> bool:
        first, last = self.years
        return first <= year and (last is None or year <= last)


@dataclass(frozen=True)
class Rules:
    """Everything catalogue/ declares."""

    kinds: Mapping[str, KindSpec]
    vocabularies: Mapping[str, Vocabulary]
    sections: tuple[SectionSpec, ...]
    #: Standard id -> standard, in the order of standards.yml (none without the file).
    standards: Mapping[str, Standard] = field(default_factory=dict)

    def all_field_names(self) -> dict[str, list[str]]:
        """Field name -> the kinds that have it (for 'belongs to another kind' hints)."""
        owners: dict[str, list[str]] = {}
        for kind in self.kinds.values():
            for name in kind.fields:
                owners.setdefault(name, []).append(kind.name)
        return owners

    def suggest_kind(self, value: str) -> str | None:
        """The kind meant by a misspelt kind name or its label in either language."""
        kinds = self.kinds.values()
        return Suggester([*((k.name, k.name) for k in kinds),
                          *((k.label.zh, k.name) for k in kinds),
                          *((k.label.en, k.name) for k in kinds)])(value)


class _Reader:
    """Reads one catalogue YAML file, collecting problems with lines instead of raising."""

    def __init__(self, path: Path, shown: str, problems: list[Problem]) -> None:
        self.shown = shown
        self.problems = problems
        self.lines: LineMap = {}
        self.data: Any = None
        text, found = decode_source(path.read_bytes(), shown)
        problems.extend(found)
        if text is not None:
            self.data, self.lines, found = parse_front_matter(text, shown, first_line=1, what="")
            problems.extend(found)

    def line(self, *key: str | int) -> int:
        path = tuple(key)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, key: tuple[str | int, ...], message: str) -> None:
        name = ".".join(str(k) for k in key) or None
        self.problems.append(Problem(self.shown, self.line(*key), name, message))

    def label(self, value: Any, key: tuple[str | int, ...]) -> Label:
        if isinstance(value, Mapping) and isinstance(value.get("zh"), str):
            en = value.get("en")
            return Label(value["zh"], en if isinstance(en, str) else "")
        self.error(key, "needs a Chinese label: {zh: ..., en: ...}")
        return Label(str(key[-1]) if key else "", "")


def _read_vocabulary(name: str, reader: _Reader) -> Vocabulary:
    data = reader.data if isinstance(reader.data, Mapping) else {}
    if not isinstance(reader.data, Mapping) or not isinstance(data.get("terms"), Mapping):
        reader.error(("terms",), "a vocabulary needs 'terms:' mapping term ids to labels")
    terms: dict[str, Term] = {}

    def add(items: Mapping[str, Any], parent: str | None, key: tuple[str | int, ...]) -> None:
        for term_id, spec in items.items():
            where = (*key, term_id)
            term_id = str(term_id)
            if term_id in terms:
                reader.error(where, f"term '{term_id}' is declared twice")
                continue
            synonyms = spec.get("synonyms", []) if isinstance(spec, Mapping) else []
            if not isinstance(synonyms, list) or not all(
                    isinstance(s, str) and s.strip() for s in synonyms):
                reader.error((*where, "synonyms"), "synonyms must be a list of words, "
                             "e.g. synonyms: [fiction, 小说]")
                synonyms = []
            terms[term_id] = Term(term_id, reader.label(spec, where), parent, tuple(synonyms),
                                  _term_url(spec, where, reader), _term_years(spec, where, reader))
            kids = spec.get("children") if isinstance(spec, Mapping) else None
            if isinstance(kids, Mapping):
                add(kids, term_id, (*where, "children"))

    add(data.get("terms") or {}, None, ("terms",))
    return Vocabulary(name, reader.label(data.get("label"), ("label",)), terms)


def _term_url(spec: Any, where: tuple[str | int, ...], reader: _Reader) -> str | None:
    url = spec.get("url") if isinstance(spec, Mapping) else None
    if url is None:
        return None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        reader.error((*where, "url"), "url must be an http(s) address")
        return None
    return url


def _term_years(spec: Any, where: tuple[str | int, ...], reader: _Reader
                ) -> tuple[int, int] | None:
    years = spec.get("years") if isinstance(spec, Mapping) else None
    if years is None:
        return None
    if not (isinstance(years, list) and len(years) == 2 and all(
            isinstance(y, int) and not isinstance(y, bool) and y != 0 for y in years)
            and years[0] <= years[1]):
        reader.error((*where, "years"), "years must be [first, last], BCE years negative, "
                     "e.g. years: [618, 907]")
        return None
    return years[0], years[1]


_SPEC_KEYS = {"type", "label", "required", "list", "min_items", "max_items", "vocabulary", "kinds",
              "min", "max", "default", "fields", "format"}
#: What a local file of a ``media`` field can be required to be (its ``format``): the
#: format's name, the extension it must have and the bytes it must start with (after a
#: UTF-8 byte order mark).
MEDIA_FORMATS = {"webvtt": ("WebVTT", ".vtt", b"WEBVTT")}


def _read_field(name: str, spec: Any, key: tuple[str | int, ...], reader: _Reader,
                vocabularies: Mapping[str, Vocabulary]) -> FieldSpec:
    if not isinstance(spec, Mapping):
        reader.error(key, "a field needs a mapping such as {type: text}")
        return FieldSpec(name, "text", Label(name, name))
    for extra in sorted(set(spec) - _SPEC_KEYS):
        reader.error((*key, extra), "unknown setting")
    kind = spec.get("type")
    if kind not in FIELD_TYPES:
        reader.error((*key, "type"), f"unknown type {kind!r}; use one of "
                                      f"{', '.join(sorted(FIELD_TYPES))}")
        kind = "text"
    vocabulary = spec.get("vocabulary")
    if (kind == "term" or (kind == "period" and vocabulary is not None)) \
            and vocabulary not in vocabularies:
        reader.error((*key, "vocabulary"), f"no vocabulary named {vocabulary!r} in "
                                            "catalogue/vocabularies/")
    media_format = spec.get("format")
    if media_format is not None and (kind != "media" or media_format not in MEDIA_FORMATS):
        reader.error((*key, "format"), f"format {media_format!r} is for media fields, one of "
                                        f"{', '.join(sorted(MEDIA_FORMATS))}")
        media_format = None
    subfields: dict[str, FieldSpec] = {}
    if kind == "object":
        for sub, sub_spec in (spec.get("fields") or {}).items():
            subfields[sub] = _read_field(sub, sub_spec, (*key, "fields", sub), reader,
                                         vocabularies)
    return FieldSpec(
        name=name, type=kind, label=reader.label(spec.get("label"), (*key, "label")),
        required=bool(spec.get("required", False)), list=bool(spec.get("list", False)),
        min_items=int(spec.get("min_items", 0)), max_items=spec.get("max_items"),
        vocabulary=vocabulary, kinds=tuple(spec.get("kinds") or ()), min=spec.get("min"),
        max=spec.get("max"), default=spec.get("default"), fields=subfields,
        format=media_format)


def _read_kinds(reader: _Reader, vocabularies: Mapping[str, Vocabulary]) -> dict[str, KindSpec]:
    data = reader.data if isinstance(reader.data, Mapping) else {}
    common = {name: _read_field(name, spec, ("common", name), reader, vocabularies)
              for name, spec in (data.get("common") or {}).items()}
    for required in ("kind", "id", "title"):
        if required not in common:
            reader.error(("common",), f"every entry needs the field '{required}'")
    kinds: dict[str, KindSpec] = {}
    for kind, spec in (data.get("kinds") or {}).items():
        spec = spec if isinstance(spec, Mapping) else {}
        own = {name: _read_field(name, sub, ("kinds", kind, "fields", name), reader, vocabularies)
               for name, sub in (spec.get("fields") or {}).items()}
        folder = spec.get("folder") or f"{kind}s"
        if not isinstance(folder, str) or "/" in folder or folder.startswith("."):
            reader.error(("kinds", kind, "folder"), "a folder name directly inside content/")
            folder = f"{kind}s"
        fields = {**common, **own}
        one_of: list[tuple[str, ...]] = []
        for group in spec.get("one_of") or ():
            if not (isinstance(group, list) and len(group) > 1
                    and all(name in fields and not fields[name].required for name in group)):
                reader.error(("kinds", kind, "one_of"), "one_of lists groups of two or more "
                             "fields of the kind that are not required, e.g. one_of: "
                             "[[authors, contributors]]")
                continue
            one_of.append(tuple(group))
        kinds[kind] = KindSpec(kind, reader.label(spec.get("label"), ("kinds", kind, "label")),
                               fields, folder, tuple(one_of))
    if not kinds:
        reader.error(("kinds",), "declare at least one kind of entry")
    for kind in kinds.values():
        for spec in kind.fields.values():
            for target in spec.kinds:
                if target not in kinds:
                    reader.error(("kinds", kind.name, "fields", spec.name, "kinds"),
                                 f"unknown kind {target!r}")
    return kinds


def _read_sections(reader: _Reader, kinds: Mapping[str, KindSpec],
                   vocabularies: Mapping[str, Vocabulary]) -> tuple[SectionSpec, ...]:
    data = reader.data
    if not isinstance(data, list):
        reader.error((), "sections.yml must be a list of sections")
        return ()
    fields = {name for kind in kinds.values() for name in kind.fields}
    sections: list[SectionSpec] = []
    seen: set[str] = set()
    for index, spec in enumerate(data):
        key: tuple[str | int, ...] = (index,)
        if not isinstance(spec, Mapping):
            reader.error(key, "a section needs slug, title, intro, where and sort")
            continue
        slug = spec.get("slug")
        if not isinstance(slug, str) or not slug:
            reader.error((*key, "slug"), "a section needs a slug")
            continue
        if slug in seen:
            reader.error((*key, "slug"), f"section '{slug}' is declared twice")
        seen.add(slug)
        where: dict[str, tuple[str, ...]] = {}
        for name, values in (spec.get("where") or {}).items():
            if name != "kind" and name not in fields:
                reader.error((*key, "where", name), f"unknown field {name!r}")
            if not isinstance(values, list):
                values = [values]
            where[name] = tuple(str(v) for v in values)
            if name == "kind":
                for value in where[name]:
                    if value not in kinds:
                        reader.error((*key, "where", name), f"unknown kind {value!r}")
        sort: list[SortKey] = []
        for part in str(spec.get("sort") or "-published").split(","):
            part = part.strip()
            name = part.lstrip("-")
            if name not in fields:
                reader.error((*key, "sort"), f"cannot sort by unknown field {name!r}")
            sort.append(SortKey(name, part.startswith("-")))
        featured = spec.get("featured") or []
        sections.append(SectionSpec(
            slug=slug, title=reader.label(spec.get("title"), (*key, "title")),
            intro=reader.label(spec.get("intro"), (*key, "intro")), where=where,
            featured=tuple(str(f) for f in featured), sort=tuple(sort), path=reader.shown,
            line=reader.line(*key), featured_line=reader.line(*key, "featured")))
    return tuple(sections)


_STANDARD_KEYS = ("id", "title", "listing", "awarded_by", "kinds", "years", "criteria")
_CRITERION_KEYS = ("id", "text", "check")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _unknown_keys(spec: Mapping[Any, Any], known: tuple[str, ...], key: tuple[str | int, ...],
                  reader: _Reader, what: str) -> None:
    suggest = Suggester((k, k) for k in known)
    for extra in spec:
        if extra not in known:
            close = suggest(str(extra))
            reader.error((*key, str(extra)), f"unknown {what} {str(extra)!r}; "
                         + (f"did you mean '{close}'?" if close else
                            "use one of " + ", ".join(known)))


def _read_standards(reader: _Reader, kinds: Mapping[str, KindSpec],
                    vocabularies: Mapping[str, Vocabulary]) -> dict[str, Standard]:
    data = reader.data
    if data is None:
        return {}
    if not isinstance(data, list):
        reader.error((), "standards.yml must be a list of standards")
        return {}
    standards: dict[str, Standard] = {}
    for index, spec in enumerate(data):
        key: tuple[str | int, ...] = (index,)
        if not isinstance(spec, Mapping):
            reader.error(key, "a standard needs " + ", ".join(_STANDARD_KEYS))
            continue
        _unknown_keys(spec, _STANDARD_KEYS, key, reader, "setting")
        standard_id = spec.get("id")
        if not isinstance(standard_id, str) or not _SLUG.fullmatch(standard_id):
            reader.error((*key, "id"), "a standard needs an id of lowercase letters, digits "
                         "and single hyphens (e.g. outstanding-micro-course)")
            continue
        if standard_id in standards:
            reader.error((*key, "id"), f"standard '{standard_id}' is declared twice")
            continue
        chosen = _standard_kinds(spec.get("kinds"), (*key, "kinds"), reader, kinds)
        listing = reader.label(spec.get("listing"), (*key, "listing"))
        if "{year}" not in listing.zh or (listing.en and "{year}" not in listing.en):
            reader.error((*key, "listing"), "the listing's title holds {year}, e.g. "
                         '{zh: "{year} 年度优秀微课", en: "Outstanding micro-courses of {year}"}')
        criteria: list[Criterion] = []
        raw_criteria = spec.get("criteria")
        if not isinstance(raw_criteria, list) or not raw_criteria:
            reader.error((*key, "criteria"), "a standard needs a list of criteria, each "
                         "{id, text: {zh: ..., en: ...}} and optionally a check")
            raw_criteria = []
        for number, item in enumerate(raw_criteria):
            where = (*key, "criteria", number)
            criterion = _read_criterion(item, where, reader, chosen, kinds, vocabularies)
            if criterion is None:
                continue
            if any(c.id == criterion.id for c in criteria):
                reader.error((*where, "id"), f"criterion '{criterion.id}' is declared twice "
                             f"in '{standard_id}'")
                continue
            criteria.append(criterion)
        standards[standard_id] = Standard(
            standard_id, reader.label(spec.get("title"), (*key, "title")), listing,
            reader.label(spec.get("awarded_by"), (*key, "awarded_by")), chosen,
            _standard_years(spec.get("years"), (*key, "years"), reader), tuple(criteria),
            reader.line(*key))
    return standards


def _standard_kinds(value: Any, key: tuple[str | int, ...], reader: _Reader,
                    kinds: Mapping[str, KindSpec]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        reader.error(key, "a standard selects from a list of kinds, e.g. kinds: [course]")
        return ()
    chosen: list[str] = []
    suggest = Suggester((k, k) for k in kinds)
    for number, kind in enumerate(value):
        if kind in kinds:
            chosen.append(kind)
            continue
        close = suggest(str(kind))
        reader.error((*key, number), f"unknown kind {kind!r}; "
                     + (f"did you mean '{close}'?" if close else
                        "use one of " + ", ".join(kinds)))
    return tuple(chosen)


def _standard_years(value: Any, key: tuple[str | int, ...], reader: _Reader
                    ) -> tuple[int, int | None]:
    if isinstance(value, list) and len(value) in (1, 2) and all(
            isinstance(y, int) and not isinstance(y, bool) and 1990 <= y <= 2100 for y in value) \
            and value[0] <= value[-1]:
        return value[0], value[1] if len(value) == 2 else None
    reader.error(key, "years must be [first, last] or, while it is still held, [first], "
                 "e.g. years: [2016, 2020] or years: [2021]")
    return 0, None


def _read_criterion(spec: Any, key: tuple[str | int, ...], reader: _Reader,
                    chosen: tuple[str, ...], kinds: Mapping[str, KindSpec],
                    vocabularies: Mapping[str, Vocabulary]) -> Criterion | None:
    if not isinstance(spec, Mapping):
        reader.error(key, "a criterion needs an id and a text: {id: ..., text: {zh: ..., "
                     "en: ...}}")
        return None
    _unknown_keys(spec, _CRITERION_KEYS, key, reader, "setting")
    criterion_id = spec.get("id")
    if not isinstance(criterion_id, str) or not _SLUG.fullmatch(criterion_id):
        reader.error((*key, "id"), "a criterion needs an id of lowercase letters, digits and "
                     "single hyphens (e.g. captions)")
        return None
    text = reader.label(spec.get("text"), (*key, "text"))
    check = spec.get("check")
    if check is None:
        return Criterion(criterion_id, text)
    return Criterion(criterion_id, text,
                     _read_check(check, (*key, "check"), reader, chosen, kinds, vocabularies))


def _read_check(spec: Any, key: tuple[str | int, ...], reader: _Reader,
                chosen: tuple[str, ...], kinds: Mapping[str, KindSpec],
                vocabularies: Mapping[str, Vocabulary]) -> Check | None:
    """A criterion's check; None (after reporting why) when it cannot be made."""
    example = "e.g. {field: captions, present: true}"
    if not isinstance(spec, Mapping) or not isinstance(spec.get("field"), str):
        reader.error(key, f"a check names a field and what it requires of it, {example}")
        return None
    _unknown_keys(spec, ("field", *CHECK_OPERATORS), key, reader, "check operator")
    if not chosen:  # no kind to check the field against: the kinds are reported
        return None
    name = spec["field"]
    specs = [kinds[k].fields[name] for k in chosen if name in kinds[k].fields]
    if not specs:
        fields = {f for k in chosen for f in kinds[k].fields}
        close = Suggester((f, f) for f in sorted(fields))(name)
        reader.error((*key, "field"), f"no kind the standard selects ({', '.join(chosen)}) has "
                     f"the field {name!r}" + (f"; did you mean '{close}'?" if close else ""))
        return None
    operators = [op for op in CHECK_OPERATORS if op in spec]
    if not operators:
        reader.error(key, f"a check needs one of {', '.join(CHECK_OPERATORS)}, {example}")
        return None
    field_spec = specs[0]
    bad = False

    def refuse(operator: str, message: str) -> None:
        nonlocal bad
        bad = True
        reader.error((*key, operator), message)

    def number(operator: str, whole: bool) -> Any:
        value = spec.get(operator)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
            refuse(operator, f"{operator} must be a {'whole ' if whole else ''}number")
            return None
        return value

    present = spec.get("present")
    if present is not None and not isinstance(present, bool):
        refuse("present", "present must be true or false")
    for operator in ("min", "max"):
        if operator in spec and field_spec.type not in ("int", "number"):
            refuse(operator, f"{operator} is for numbers; '{name}' is of type "
                   f"{field_spec.type}" + (" (use min_length and max_length for a text)"
                                           if field_spec.type == "text" else ""))
    for operator in ("min_length", "max_length"):
        if operator in spec and (field_spec.type != "text" or field_spec.list):
            refuse(operator, f"{operator} is for a text; '{name}' is not one")
    terms: dict[str, tuple[str, ...]] = {}
    for operator, wants_list in (("in", False), ("includes", True)):
        if operator not in spec:
            continue
        if field_spec.list != wants_list:
            other = "includes" if field_spec.list else "in"
            refuse(operator, f"'{name}' is {'a list' if field_spec.list else 'not a list'}: "
                   f"use {other}")
            continue
        values = spec[operator]
        if not isinstance(values, list) or not values or not all(
                isinstance(v, str) for v in values):
            refuse(operator, f"{operator} lists terms, e.g. {operator}: [beginner]")
            continue
        vocabulary = _vocabulary_of(field_spec, vocabularies)
        for term in values:
            # A vocabulary without terms is broken, and reported itself.
            if vocabulary is not None and vocabulary.terms and term not in vocabulary.terms:
                close = vocabulary.suggest(term)
                refuse(operator, f"unknown term {term!r} in {vocabulary.name}"
                       + (f"; did you mean '{close}'?" if close else ""))
        terms[operator] = tuple(values)
    found = {op: number(op, op.endswith("length")) for op in
             ("min", "max", "min_length", "max_length")}
    if bad:
        return None
    vocabulary = _vocabulary_of(field_spec, vocabularies)
    allowed: set[str] = set()
    for written in terms.values():
        allowed.update(written)
        if vocabulary is not None:
            allowed.update(t for t in vocabulary.terms
                           if not set(written).isdisjoint(vocabulary.ancestors(t)))
    return Check(name, present if isinstance(present, bool) else None, found["min"],
                 found["max"], found["min_length"], found["max_length"], terms.get("in"),
                 terms.get("includes"), frozenset(allowed))


def _vocabulary_of(spec: FieldSpec, vocabularies: Mapping[str, Vocabulary]
                   ) -> Vocabulary | None:
    return vocabularies.get(spec.vocabulary or "") if spec.type == "term" else None


def load_rules(catalogue_dir: Path) -> Rules:
    """Read catalogue/; raise CatalogueError listing every problem in it."""
    problems: list[Problem] = []
    base = catalogue_dir.name

    def reader(path: Path) -> _Reader:
        return _Reader(path, f"{base}/{path.relative_to(catalogue_dir).as_posix()}", problems)

    for required in ("fields.yml", "sections.yml", "vocabularies"):
        if not (catalogue_dir / required).exists():
            raise CatalogueError([Problem(f"{base}/{required}", 0, None, "is missing")])
    vocabularies = {
        path.stem: _read_vocabulary(path.stem, reader(path))
        for path in sorted((catalogue_dir / "vocabularies").glob("*.yml"))}
    kinds = _read_kinds(reader(catalogue_dir / "fields.yml"), vocabularies)
    sections = _read_sections(reader(catalogue_dir / "sections.yml"), kinds, vocabularies)
    standards_file = catalogue_dir / "standards.yml"  # optional: no standards without it
    standards = _read_standards(reader(standards_file), kinds, vocabularies) \
        if standards_file.exists() else {}
    if problems:
        raise CatalogueError(problems)
    return Rules(kinds, vocabularies, sections, standards)
