"""The catalogue's rules, read from catalogue/: fields of each kind, vocabularies, sections."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Rules:
    """Everything catalogue/ declares."""

    kinds: Mapping[str, KindSpec]
    vocabularies: Mapping[str, Vocabulary]
    sections: tuple[SectionSpec, ...]

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
    if problems:
        raise CatalogueError(problems)
    return Rules(kinds, vocabularies, sections)
