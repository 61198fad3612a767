"""The catalogue as an immutable model: typed entries with indexes, built from content/.

``load_catalogue`` reads and validates every entry, then checks what spans files (unique ids,
references, series order) and raises one CatalogueError with every problem it found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import difflib
import functools
import hashlib
import json
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lifelong.cache import EntryCache, KeptNames, ShardWriter, code_version, file_stamp, record
from lifelong.loader import parse_source, read_document, read_source
from lifelong.markup import DEFAULT_EXTENSIONS, BodyChecker
from lifelong.problems import CatalogueError, Problem
from lifelong.progress import Progress
from lifelong.schema import Label, Rules, SectionSpec, load_rules
from lifelong.validate import EntryValidator, Media

#: Top-level URL names the site itself uses; an entry id may not take them.
RESERVED_NAMES = frozenset({"assets", "search", "qr", "subjects", "audiences", "regions",
                            "series", "people", "page", "stylesheets", "javascripts", "404",
                            "index", "sitemap", "feeds"})

#: Fields whose values name people; each gets term pages under people/.
PEOPLE_FIELDS = ("authors", "teachers", "speakers")

#: The site's Markdown extensions and their settings (MkDocs' ``markdown_extensions`` and
#: ``mdx_configs``): descriptions are checked as the site converts them.
MarkdownSettings = tuple[Sequence[Any], Mapping[str, Any]]


def markdown_key(markdown: MarkdownSettings) -> str:
    """What of the Markdown settings goes into the entry cache's key: extension names and
    settings (objects named by their type: their repr holds an address)."""
    names = [e if isinstance(e, str) else type(e).__name__ for e in markdown[0]]
    return json.dumps([names, markdown[1]], sort_keys=True, ensure_ascii=False,
                      default=lambda o: type(o).__name__)


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

    def sort_value(self, name: str) -> Any:
        value = self.values.get(name)
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


@dataclass(frozen=True, slots=True)
class Person:
    """Someone named by entries (an author, teacher or speaker), with a stable URL slug."""

    name: str
    slug: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Catalogue:
    """Published entries (drafts set aside) with the rules they follow."""

    rules: Rules
    entries: tuple[Entry, ...]
    drafts: tuple[Entry, ...]
    version: str
    #: Person name -> slug, as far as the loader knew them (the rest are made when needed).
    slugs: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

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
        return Catalogue(self.rules, tuple(e for e in self.entries if e.id in kept), (),
                         self.version, self.slugs)

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
                      "_sections_by_entry"):
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
    def people(self) -> tuple[Person, ...]:
        # dicts as ordered sets: an entry once per person, in catalogue order
        named: dict[str, dict[str, Entry]] = defaultdict(dict)
        for entry in self.entries:
            for _field, name in entry.people():
                named[name].setdefault(entry.id, entry)
        known = self.slugs
        slugs = {name: known.get(name) or person_slug(name) for name in named}
        clashes = defaultdict(list)
        for name, slug in slugs.items():
            clashes[slug].append(name)
        people = []
        for name in sorted(named):
            slug = slugs[name]
            if len(clashes[slug]) > 1:
                slug = f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"
            people.append(Person(name, slug, tuple(named[name].values())))
        return tuple(people)

    @cached_property
    def person_by_name(self) -> Mapping[str, Person]:
        return {p.name: p for p in self.people}

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


def _as_they_are(chars: str) -> Any:
    """pypinyin's ``errors``: characters without pinyin are kept, one word each."""
    return list(chars)


def person_slug(name: str) -> str:
    """A readable ASCII slug for a person's name: pinyin for Chinese, letters otherwise."""
    from pypinyin import lazy_pinyin  # heavy import, only when people pages are made

    words = lazy_pinyin(name, errors=_as_they_are)
    text = "-".join(w.lower() for w in words)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:48].strip("-") or hashlib.sha1(name.encode()).hexdigest()[:8]


def find_entry_files(content_dir: Path) -> list[Path]:
    """Markdown files in sub-folders of content/ are entries; top-level ones are pages.
    Hidden files and folders are skipped."""
    return [content_dir / rel for rel in entry_file_names(content_dir)]


def entry_file_names(content_dir: Path) -> list[str]:
    """``find_entry_files`` as paths relative to content/ ('courses/a.md'), sorted."""
    return scan_content(content_dir)[0]


def scan_content(content_dir: Path) -> tuple[list[str], list[Problem]]:
    """Entry files (paths relative to content/, sorted) and what in content/ may not be
    published: symbolic links to folders (MkDocs would follow them: out of content/, or
    round in a loop), to files outside content/, or to nothing; names that are not UTF-8.
    Files that are refused are not entries. Hidden folders are looked in too (MkDocs walks
    them), but their files are not entries."""
    root = os.path.realpath(content_dir)
    found: list[str] = []
    problems: list[Problem] = []

    def visit(folder: str, rel: str, hidden: bool) -> None:
        try:
            items = sorted(os.scandir(folder), key=lambda item: item.name)
        except OSError as exc:
            problems.append(Problem(rel or ".", 0, None,
                                    f"cannot read folder: {exc.strerror}"))
            return
        for item in items:
            name = item.name
            path = f"{rel}/{name}" if rel else name
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                shown = os.fsencode(path).decode("utf-8", "replace")
                problems.append(Problem(shown, 0, None, "the file name is not UTF-8; rename "
                                                        "it (the site cannot publish it)"))
                continue
            if item.is_symlink():
                problem = _link_problem(item.path, root)
                if problem:
                    problems.append(Problem(path, 0, None, problem))
                    continue
            if item.is_dir():
                visit(item.path, path, hidden or name.startswith("."))
            elif rel and not hidden and name.endswith(".md") and not name.startswith("."):
                found.append(path)

    visit(str(content_dir), "", False)
    return sorted(found), problems


def _link_problem(path: str, root: str) -> str | None:
    """Why the symbolic link at ``path`` may not be published, or None for a link to a file
    inside ``root`` (content/, resolved)."""
    target = os.readlink(path)
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"is a symbolic link that loops ({target!r}); remove it"
        return (f"is a symbolic link to {target!r}, which does not exist; remove it or put "
                "the file there")
    if os.path.isdir(real):
        return (f"is a symbolic link to a folder ({target!r}); links to folders are not "
                "followed: move or copy the folder into content/")
    if not real.startswith(root + os.sep):
        return (f"is a symbolic link to a file outside content/ ({target!r}); nothing outside "
                "content/ is published: copy the file into content/")
    return None


def load_catalogue(content_dir: Path, catalogue_dir: Path, *, rules: Rules | None = None,
                   only: Iterable[Path] | None = None, reserved: Iterable[str] = (),
                   cache_dir: Path | None = None,
                   markdown: MarkdownSettings = (DEFAULT_EXTENSIONS, {})) -> Catalogue:
    """Load, validate and index every entry; raise CatalogueError with all problems.

    ``only`` limits which files' problems are reported (all files are still read, since ids
    and references span the catalogue). With ``cache_dir``, files validated by an earlier
    load and unchanged since (with the local files they link to) are not read again.
    """
    rules = rules or load_rules(catalogue_dir)
    rules_digest = hashlib.sha256()
    for path in sorted(catalogue_dir.rglob("*.yml")):
        rules_digest.update(path.relative_to(catalogue_dir).as_posix().encode() + b"\0"
                            + path.read_bytes() + b"\0")
    cache = EntryCache(cache_dir / "entries" if cache_dir else None,
                       f"{code_version()}:{rules_digest.hexdigest()}:{content_dir.resolve()}:"
                       f"{markdown_key(markdown)}")
    digest = hashlib.sha256()
    loaded: list[tuple[Entry, Mapping[tuple[str | int, ...], int]]] = []
    base = content_dir.name
    root = str(content_dir)
    names, problems = scan_content(content_dir)
    empty = not names and not problems
    found_files = [(rel, file_stamp(f"{root}/{rel}")) for rel in names]
    reused: dict[str, Entry] = {}
    for rel, stamp in found_files:
        hit = cache.get(rel, stamp, content_dir) if stamp else None
        if hit is not None:
            reused[rel] = hit
    fresh = _read_entries(rules, content_dir,
                          [(rel, stamp) for rel, stamp in found_files if rel not in reused],
                          markdown, cache=cache, reused=reused)
    for rel, stamp in found_files:
        lines: Mapping[tuple[str | int, ...], int]
        if rel in reused:
            entry, lines = reused[rel], _LazyLines(content_dir, rel)
        else:
            read = fresh[rel]
            problems.extend(read.problems)
            if read.entry is None:
                continue
            entry = read.entry
            lines = read.lines if read.lines is not None else _LazyLines(content_dir, rel)
            if not read.problems and stamp and not read.cached:
                cache.put(rel, stamp, read.media, content_dir, entry)
        digest.update(rel.encode() + b"\0" + entry.digest.encode() + b"\0")
        loaded.append((entry, lines))
    digest.update(rules_digest.digest())
    reserved = (set(reserved) | RESERVED_NAMES | {s.slug for s in rules.sections}
                | top_level_names(content_dir))
    problems.extend(_cross_checks(loaded, rules, reserved, base))
    entries = tuple(sorted((e for e, _ in loaded if not e.draft), key=lambda e: e.id))
    drafts = tuple(sorted((e for e, _ in loaded if e.draft), key=lambda e: e.id))
    # People's addresses the reader processes worked out (they, not this process, then
    # load pinyin's dictionaries: 56 MB that a build would hold to its end).
    slugs: dict[str, str] = {name: slug for read in fresh.values() for name, slug in read.people}
    if cache_dir is not None:
        # Pinyin for thousands of names takes seconds: each is worked out once.
        book = KeptNames(cache_dir / "people.pickle", code_version())
        kept: dict[str, str] = {}
        for entry in entries:
            for _field, name in entry.people():
                if name not in kept:
                    kept[name] = book.known.get(name) or slugs.get(name) or person_slug(name)
        if not problems:
            book.save(kept)
        slugs = kept
    catalogue = Catalogue(rules, entries, drafts, digest.hexdigest()[:12], slugs)
    problems.extend(_featured_problems(catalogue))
    if only is not None:
        wanted = {p.resolve() for p in only}

        def selected(problem: Problem) -> bool:
            target = (content_dir / problem.path).resolve()
            return any(target == w or w in target.parents for w in wanted)
        problems = [p for p in problems if selected(p)]
    if problems and empty:  # one clear problem, not one per id the rules name
        raise CatalogueError([Problem(base, 0, None, "holds no entries, which the rules in "
                                      f"{catalogue_dir.name}/ name: an entry is a Markdown "
                                      "file in a folder of content/ (e.g. content/courses/"
                                      "taiji.md); `lifelong new KIND --title ...` writes one")])
    if problems:
        raise CatalogueError([_prefixed(p, base) for p in problems])
    cache.save()
    return catalogue


class _LazyLines(Mapping[tuple[str | int, ...], int]):
    """The line of each key of a file read from the cache, parsed again only when a
    problem across files has to name a line."""

    def __init__(self, content_dir: Path, rel: str) -> None:
        self.content_dir, self.rel = content_dir, rel
        self._lines: Mapping[tuple[str | int, ...], int] | None = None

    def _load(self) -> Mapping[tuple[str | int, ...], int]:
        if self._lines is None:
            doc, _ = read_document(self.content_dir / self.rel, self.rel)
            self._lines = doc.lines if doc is not None else {}
        return self._lines

    def __getitem__(self, key: tuple[str | int, ...]) -> int:
        return self._load()[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


@dataclass(frozen=True, slots=True)
class _Read:
    """One entry file read and validated."""

    entry: Entry | None
    lines: Mapping[tuple[str | int, ...], int] | None  #: None: read them again if needed
    problems: tuple[Problem, ...]
    media: tuple[str, ...]
    #: (name, address) of the people it names, when a reader process worked them out.
    people: tuple[tuple[str, str], ...] = ()
    #: Whether the reader process kept it in the entry cache itself.
    cached: bool = False


class _EntryReader:
    """Reads entry files: front matter through the validator, the description through the
    body checker (with the site's Markdown extensions)."""

    def __init__(self, rules: Rules, content_dir: Path, markdown: MarkdownSettings) -> None:
        self.validator = EntryValidator(rules, content_dir)
        self.bodies = BodyChecker(markdown[0], markdown[1], content_dir)

    def read(self, content_dir: Path, rel: str) -> _Read:
        return _read_entry(self, content_dir / rel, rel)


def _read_entry(reader: _EntryReader, abs_path: Path, rel: str) -> _Read:
    raw, found = read_source(abs_path, rel)
    if raw is None:
        return _Read(None, {}, tuple(found), ())
    doc, found = parse_source(raw, rel)
    problems = list(found)
    if doc is None:
        return _Read(None, {}, tuple(problems), ())
    values, found = reader.validator.validate(doc)
    problems.extend(found)
    problems.extend(reader.bodies.problems(rel, doc.body, doc.body_line))
    if not (values.get("id") and values.get("title")):
        return _Read(None, doc.lines, tuple(problems), ())
    media = _local_media_sizes(values)
    entry_digest = hashlib.sha256(raw + repr(media).encode()).hexdigest()[:20]
    entry = Entry(values["id"], values["kind"], rel, values, doc.body, entry_digest)
    # The line of every key is kept only for a file with problems: problems across files
    # (rare) read a valid file again (_LazyLines), and 90,000 maps of lines take 300 MB.
    return _Read(entry, doc.lines if problems else None, tuple(problems),
                 tuple(name for name, _ in media))


#: Below this many files to read, one process reads them all.
PARALLEL_ABOVE = 2000
#: Files per task when many are read in parallel.
READ_CHUNK = 500
_reader: tuple[Rules, Path, MarkdownSettings] | None = None


def _read_share(task: tuple[list[tuple[str, tuple[int, int] | None]], ShardWriter | None]
                ) -> dict[str, _Read]:
    """In a reader process: read files; with a writer, keep them in their shard of the
    entry cache."""
    assert _reader is not None
    files, writer = task
    rules, content_dir, markdown = _reader
    reader = _EntryReader(rules, content_dir, markdown)
    reads = {rel: reader.read(content_dir, rel) for rel, _stamp in files}
    records = {}
    for rel, stamp in files:
        read = reads[rel]
        if read.entry is not None and not read.problems:
            if writer is not None and stamp:
                records[rel] = record(stamp, read.media, content_dir, read.entry)
            reads[rel] = dataclasses.replace(read, cached=writer is not None and bool(stamp),
                                             people=tuple((name, _slug_of(name)) for _field, name
                                                          in read.entry.people()))
    if writer is not None:
        writer.write(records)
    return reads


def _records_of(files: list[tuple[str, tuple[int, int] | None]], reads: Mapping[str, _Read],
                content_dir: Path) -> dict[str, tuple[Any, ...]]:
    """The entry cache's records of ``files`` as a reader process kept them."""
    return {rel: record(stamp, reads[rel].media, content_dir, reads[rel].entry)
            for rel, stamp in files if stamp}


@functools.cache
def _slug_of(name: str) -> str:
    return person_slug(name)


def _read_entries(rules: Rules, content_dir: Path,
                  files: list[tuple[str, tuple[int, int] | None]], markdown: MarkdownSettings,
                  *, cache: EntryCache | None = None, reused: Mapping[str, Entry] | None = None
                  ) -> dict[str, _Read]:
    """Read and validate files (path in content/, stamp), in as many processes as there
    are cores when there are many (a catalogue's first build reads them all), with a
    progress bar then. There, a shard of the entry ``cache`` whose files are all read
    (none ``reused``) is written by the process that reads them."""
    global _reader
    workers = min(os.cpu_count() or 1, 8)
    if len(files) <= PARALLEL_ABOVE or workers < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        reader = _EntryReader(rules, content_dir, markdown)
        return {rel: reader.read(content_dir, rel) for rel, _stamp in files}
    tasks: list[tuple[list[tuple[str, tuple[int, int] | None]], ShardWriter | None]] = []
    shards: dict[int, list[tuple[str, tuple[int, int] | None]]] = defaultdict(list)
    if cache is not None:
        for item in files:
            shards[cache.shard_of(item[0])].append(item)
        for rel in reused or ():
            shards.pop(cache.shard_of(rel), None)  # partly reused: this process keeps it
        tasks = [(shards[number], cache.writer(number)) for number in sorted(shards)]
    rest = [item for item in files if cache is None or cache.shard_of(item[0]) not in shards]
    tasks += [(rest[start:start + READ_CHUNK], None) for start in range(0, len(rest), READ_CHUNK)]
    _reader = (rules, content_dir, markdown)
    progress = Progress("Reading entries", len(files))
    result: dict[str, _Read] = {}
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for task, share in zip(tasks, pool.imap(_read_share, tasks), strict=True):
                result.update(share)
                progress.update(len(result))
                files_of, writer = task
                if writer is not None and cache is not None:
                    kept = [(rel, stamp) for rel, stamp in files_of if share[rel].cached]
                    cache.use(rel for rel, _ in kept)
                    cache.written(cache.shard_of(files_of[0][0]), functools.partial(
                        _records_of, kept, share, content_dir))
    finally:
        _reader = None
    progress.finish()
    return result


def local_media_of(values: Mapping[str, Any]) -> list[tuple[str, Media]]:
    """(field, media) of every local file an entry's values link to, in field order."""
    found = []
    for name, value in values.items():
        for item in value if isinstance(value, tuple) else (value,):
            for media in item.values() if isinstance(item, Mapping) else (item,):
                if isinstance(media, Media) and media.path:
                    found.append((name, media))
    return found


def _local_media_sizes(values: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """(path, size) of every local file an entry's values link to, in field order."""
    return [(media.path or "", media.size) for _name, media in local_media_of(values)]


def _prefixed(problem: Problem, base: str) -> Problem:
    if problem.path.startswith("catalogue/") or problem.path.startswith(base + "/"):
        return problem
    return Problem(f"{base}/{problem.path}", problem.line, problem.field, problem.message)


def _cross_checks(loaded: list[tuple[Entry, Mapping[tuple[str | int, ...], int]]], rules: Rules,
                  reserved: set[str], base: str = "content") -> list[Problem]:
    """Checks across files; other files are named in messages as reports name them
    (``base``/path, e.g. content/courses/a.md)."""
    problems: list[Problem] = []
    by_id: dict[str, list[tuple[Entry, Mapping[tuple[str | int, ...], int]]]] = defaultdict(list)
    for entry, lines in loaded:
        by_id[entry.id].append((entry, lines))
    ids = sorted(by_id)
    for entry_id, owners in by_id.items():
        if len(owners) > 1:
            for entry, lines in owners:
                others = ", ".join(f"{base}/{o.path}:{ln.get(('id',), 2)}" for o, ln in owners
                                   if o is not entry)
                problems.append(Problem(entry.path, lines.get(("id",), 2), "id",
                                        f"'{entry_id}' is also used by {others}; ids must be "
                                        "unique"))
        if entry_id in reserved:
            entry, lines = owners[0]
            problems.append(Problem(entry.path, lines.get(("id",), 2), "id",
                                    f"'{entry_id}' is a reserved address on the site; "
                                    "choose another id"))
    orders: dict[tuple[str, int], list[tuple[Entry, Mapping[tuple[str | int, ...], int]]]] = \
        defaultdict(list)
    references = {kind: [(name, spec) for name, spec in rules.kinds[kind].fields.items()
                         if spec.type == "ref"] for kind in rules.kinds}
    for entry, lines in loaded:
        for name, spec in references[entry.kind]:
            value = entry.values.get(name)
            targets = value if isinstance(value, tuple) else (value,) if value else ()
            for index, target in enumerate(targets):
                key = (name, index) if spec.list else (name,)
                if target in by_id and target != entry.id and (
                        not spec.kinds or by_id[target][0][0].kind in spec.kinds):
                    continue
                line = lines.get(key, lines.get((name,), 2))
                if target not in by_id:
                    close = difflib.get_close_matches(target, ids, n=1)
                    problems.append(Problem(entry.path, line, name,
                                            f"no entry has the id '{target}'"
                                            + (f"; did you mean '{close[0]}'?" if close else "")))
                    continue
                other = by_id[target][0][0]
                if spec.kinds and other.kind not in spec.kinds:
                    problems.append(Problem(entry.path, line, name,
                                            f"'{target}' is a {other.kind}, not a "
                                            + " or ".join(spec.kinds)))
                if target == entry.id:
                    problems.append(Problem(entry.path, line, name, "an entry cannot refer to "
                                                                    "itself"))
        order = entry.values.get("series_order")
        if order is not None and not entry.series:
            problems.append(Problem(entry.path, lines.get(("series_order",), 2), "series_order",
                                    "is set but 'series' is not"))
        if order is not None and entry.series and not entry.draft:
            orders[(entry.series, order)].append((entry, lines))
    for (series, order), members in orders.items():
        if len(members) > 1:
            names = ", ".join(f"{base}/{m.path}" for m, _ in members)
            for member, lines in members:
                problems.append(Problem(member.path, lines.get(("series_order",), 2),
                                        "series_order",
                                        f"{order} is used more than once in series '{series}' "
                                        f"({names})"))
    return problems


def _featured_problems(catalogue: Catalogue) -> list[Problem]:
    """Featured ids in sections.yml must be published entries of that section."""
    problems = []
    drafts = {e.id for e in catalogue.drafts}
    for section in catalogue.rules.sections:
        for featured in section.featured:
            entry = catalogue.by_id.get(featured)
            if featured in drafts:
                message = f"'{featured}' is a draft and is not published"
            elif entry is None:
                message = f"no entry has the id '{featured}'"
            elif not catalogue.matches(entry, section.where):
                message = f"'{featured}' is not in the section '{section.slug}'"
            else:
                continue
            problems.append(Problem(section.path, section.featured_line, "featured", message))
    return problems


def top_level_names(content_dir: Path) -> set[str]:
    """Names at the top of content/ (pages, folders): their addresses are taken."""
    return {path.stem if path.suffix == ".md" else path.name
            for path in content_dir.iterdir() if not path.name.startswith(".")}
