"""Loading the catalogue: every entry file read and checked (in a process per core when
there are thousands), the entry cache reused for files unchanged since an earlier load, the
checks across files, then the immutable ``Catalogue``; ``load_catalogue`` raises one
``CatalogueError`` with every problem it found.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lifelong.build.cache import (
    EntryCache,
    KeptNames,
    ShardWriter,
    code_version,
    file_stamp,
    record,
)
from lifelong.build.processes import Sharing, share_out
from lifelong.build.progress import Progress
from lifelong.catalogue.duplicates import find_duplicates
from lifelong.catalogue.model import RESERVED_NAMES, Catalogue, Entry, person_slug, top_level_names
from lifelong.catalogue.problems import CatalogueError, Problem
from lifelong.catalogue.reading import (
    EntryReader,
    MarkdownSettings,
    _featured_problems,
    _LazyLines,
    _prefixed,
    _Read,
    cross_checks,
    markdown_key,
    scan_content,
)
from lifelong.catalogue.schema import Rules, load_rules
from lifelong.site.markup import DEFAULT_EXTENSIONS


def load_catalogue(content_dir: Path, catalogue_dir: Path, *, rules: Rules | None = None,
                   only: Iterable[Path] | None = None, reserved: Iterable[str] = (),
                   cache_dir: Path | None = None,
                   markdown: MarkdownSettings = (DEFAULT_EXTENSIONS, {}),
                   sharing: Sharing | None = None,
                   warnings: list[Problem] | None = None) -> Catalogue:
    """Load, validate and index every entry; raise CatalogueError with all problems.

    ``only`` limits which files' problems are reported (all files are still read, since ids
    and references span the catalogue). With ``cache_dir``, files validated by an earlier
    load and unchanged since (with the local files they link to) are not read again.
    ``sharing``: how many reader processes may read them (by default, one per core when
    there are thousands). With a ``warnings`` list, likely duplicates are looked for and
    added to it as warnings (before an error is raised, if any): what `lifelong check`
    asks for; a build does not look.
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
                          markdown, sharing or Sharing(), cache=cache, reused=reused)
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
    problems.extend(cross_checks(loaded, rules, reserved, base))
    entries = tuple(sorted((e for e, _ in loaded if not e.draft), key=lambda e: e.id))
    drafts = tuple(sorted((e for e, _ in loaded if e.draft), key=lambda e: e.id))
    # People's addresses the reader processes worked out (they, not this process, then
    # load pinyin's dictionaries: 56 MB that a build would hold to its end).
    slugs: dict[str, str] = {name: slug for read in fresh.values() for name, slug in read.people}
    if cache_dir is not None:
        # Pinyin for thousands of names takes seconds: each is worked out once.
        book = KeptNames(cache_dir / "people.pickle", code_version())
        kept: dict[str, str] = {}
        for name in (name for entry in entries for name in _named(entry)):
            if name not in kept:
                kept[name] = book.known.get(name) or slugs.get(name) or person_slug(name)
        if not problems:
            book.save(kept)
        slugs = kept
    catalogue = Catalogue(rules, entries, drafts, digest.hexdigest()[:12], slugs)
    problems.extend(_featured_problems(catalogue))
    found = find_duplicates(loaded, base) if warnings is not None else []
    if only is not None:
        wanted = {p.resolve() for p in only}

        def chosen(path: Path) -> bool:
            target = path.resolve()
            return any(target == w or w in target.parents for w in wanted)

        def selected(problem: Problem) -> bool:
            return chosen(content_dir / problem.path) or any(
                chosen(content_dir.parent / path) for path, _line in problem.related)
        problems = [p for p in problems if selected(p)]
        found = [p for p in found if selected(p)]
    if warnings is not None:
        warnings.extend(_prefixed(p, base) for p in found)
    if problems and empty:  # one clear problem, not one per id the rules name
        raise CatalogueError([Problem(base, 0, None, "holds no entries, which the rules in "
                                      f"{catalogue_dir.name}/ name: an entry is a Markdown "
                                      "file in a folder of content/ (e.g. content/courses/"
                                      "taiji.md); `lifelong new KIND --title ...` writes one")])
    if problems:
        raise CatalogueError([_prefixed(p, base) for p in problems])
    cache.save()
    return catalogue


#: What a reader process reads with, and from where (``_start_reading``).
_reader: tuple[EntryReader, Path] | None = None


def _start_reading(rules: Rules, content_dir: Path, markdown: MarkdownSettings) -> None:
    """In a reader process, before its first task."""
    global _reader
    _reader = (EntryReader(rules, content_dir, markdown), content_dir)


def _read_share(task: tuple[list[tuple[str, tuple[int, int] | None]], ShardWriter | None]
                ) -> dict[str, _Read]:
    """In a reader process: read files; with a writer, keep them in their shard of the
    entry cache."""
    assert _reader is not None
    files, writer = task
    reader, content_dir = _reader
    reads = {rel: reader.read(content_dir, rel) for rel, _stamp in files}
    records = {}
    for rel, stamp in files:
        read = reads[rel]
        if read.entry is not None and not read.problems:
            if writer is not None and stamp:
                records[rel] = record(stamp, read.media, content_dir, read.entry)
            reads[rel] = dataclasses.replace(read, cached=writer is not None and bool(stamp),
                                             people=_people_slugs(read.entry))
    if writer is not None:
        writer.write(records)
    return reads


def _records_of(files: list[tuple[str, tuple[int, int] | None]], reads: Mapping[str, _Read],
                content_dir: Path) -> dict[str, tuple[Any, ...]]:
    """The entry cache's records of ``files`` as a reader process kept them."""
    return {rel: record(stamp, reads[rel].media, content_dir, reads[rel].entry)
            for rel, stamp in files if stamp}


def _people_slugs(entry: Entry) -> tuple[tuple[str, str], ...]:
    """(name, address) of each of ``_named(entry)``."""
    return tuple((name, _slug_of(name)) for name in _named(entry))


def _named(entry: Entry) -> list[str]:
    """The names of the people ``entry`` names, and a teacher's own title (a teacher named
    by id is shown, and addressed, by title): each has an address on the site."""
    names = [name for _field, name in entry.people()]
    if entry.kind == "teacher":
        names.append(entry.title)
    return names


@functools.cache
def _slug_of(name: str) -> str:
    return person_slug(name)


def _read_entries(rules: Rules, content_dir: Path,
                  files: list[tuple[str, tuple[int, int] | None]], markdown: MarkdownSettings,
                  sharing: Sharing, *, cache: EntryCache | None = None,
                  reused: Mapping[str, Entry] | None = None) -> dict[str, _Read]:
    """Read and validate files (path in content/, stamp), in reader processes when there
    are many (a catalogue's first build reads them all), with a progress bar then. There, a
    shard of the entry ``cache`` whose files are all read (none ``reused``) is written by
    the process that reads them."""
    readers = sharing.readers(len(files))
    if not readers:
        reader = EntryReader(rules, content_dir, markdown)
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
    chunk = sharing.read_chunk(len(files))
    tasks += [(rest[start:start + chunk], None) for start in range(0, len(rest), chunk)]
    progress = Progress("Reading entries", len(files))
    result: dict[str, _Read] = {}
    setup = functools.partial(_start_reading, rules, content_dir, markdown)
    for task, share in zip(tasks, share_out(_read_share, tasks, readers, setup=setup),
                           strict=True):
        result.update(share)
        progress.update(len(result))
        files_of, writer = task
        if writer is not None and cache is not None:
            kept = [(rel, stamp) for rel, stamp in files_of if share[rel].cached]
            cache.use(rel for rel, _ in kept)
            cache.written(cache.shard_of(files_of[0][0]), functools.partial(
                _records_of, kept, share, content_dir))
    progress.finish()
    return result
