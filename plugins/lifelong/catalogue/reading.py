"""Reading entries: what is in content/ and what may be published (``scan_content``), one
entry file read and checked (``EntryReader``: front matter by the validator, the
description by the body checker), and the checks that span files (unique ids, references,
series order, featured picks). No processes and no caches: ``lifelong.build.loading``
runs these over the whole catalogue.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lifelong.catalogue.loader import parse_source, read_document, read_source
from lifelong.catalogue.marks import mark_problems, standard_suggester
from lifelong.catalogue.model import PEOPLE_FIELDS, Catalogue, Entry, local_media_of
from lifelong.catalogue.problems import Problem
from lifelong.catalogue.schema import Rules
from lifelong.catalogue.suggest import Suggester
from lifelong.catalogue.validate import EntryValidator
from lifelong.site.markup import BodyChecker

#: The site's Markdown extensions and their settings (MkDocs' ``markdown_extensions`` and
#: ``mdx_configs``): descriptions are checked as the site converts them.
MarkdownSettings = tuple[Sequence[Any], Mapping[str, Any]]


def markdown_key(markdown: MarkdownSettings) -> str:
    """What of the Markdown settings goes into the entry cache's key: extension names and
    settings (objects named by their type: their repr holds an address)."""
    names = [e if isinstance(e, str) else type(e).__name__ for e in markdown[0]]
    return json.dumps([names, markdown[1]], sort_keys=True, ensure_ascii=False,
                      default=lambda o: type(o).__name__)


def find_entry_files(content_dir: Path) -> list[Path]:
    """Markdown files in sub-folders of content/ are entries; top-level ones are pages.
    Hidden files and folders are skipped."""
    return [content_dir / rel for rel in scan_content(content_dir)[0]]


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


class EntryReader:
    """Reads entry files: front matter through the validator, the description through the
    body checker (with the site's Markdown extensions)."""

    def __init__(self, rules: Rules, content_dir: Path, markdown: MarkdownSettings) -> None:
        self.validator = EntryValidator(rules, content_dir)
        self.bodies = BodyChecker(markdown[0], markdown[1], content_dir)

    def read(self, content_dir: Path, rel: str) -> _Read:
        return _read_entry(self, content_dir / rel, rel)


def _read_entry(reader: EntryReader, abs_path: Path, rel: str) -> _Read:
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


def _local_media_sizes(values: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """(path, size) of every local file an entry's values link to, in field order."""
    return [(media.path or "", media.size) for _name, media in local_media_of(values)]


def _prefixed(problem: Problem, base: str) -> Problem:
    if problem.path.startswith("catalogue/") or problem.path.startswith(base + "/"):
        return problem
    return replace(problem, path=f"{base}/{problem.path}")


def cross_checks(loaded: list[tuple[Entry, Mapping[tuple[str | int, ...], int]]], rules: Rules,
                 reserved: set[str], base: str = "content") -> list[Problem]:
    """Checks across files; other files are named in messages as reports name them
    (``base``/path, e.g. content/courses/a.md)."""
    problems: list[Problem] = []
    by_id: dict[str, list[tuple[Entry, Mapping[tuple[str | int, ...], int]]]] = defaultdict(list)
    for entry, lines in loaded:
        by_id[entry.id].append((entry, lines))
    suggester: Suggester | None = None  # built at the first broken reference
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
    problems.extend(_code_problems(loaded, base))
    problems.extend(_name_problems(loaded, rules))
    standards = standard_suggester(rules)
    for entry, lines in loaded:
        if entry.marks:
            problems.extend(mark_problems(entry, lines, rules, standards))
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
                    if suggester is None:
                        suggester = Suggester((i, i) for i in sorted(by_id))
                    close = suggester(target)
                    problems.append(Problem(entry.path, line, name,
                                            f"no entry has the id '{target}'"
                                            + (f"; did you mean '{close}'?" if close else "")))
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


def _name_problems(loaded: list[tuple[Entry, Mapping[tuple[str | int, ...], int]]],
                   rules: Rules) -> list[Problem]:
    """People's names and teachers' ids on entries: a name two or more teachers have is
    written as the id of the one meant; an activity's teachers are teacher entries (by
    name or id). And a centre's sections are sections of sections.yml."""
    teachers = {e.id: e for e, _ in loaded if e.kind == "teacher"}
    by_title: dict[str, list[str]] = defaultdict(list)
    for teacher in teachers.values():
        by_title[teacher.title].append(teacher.id)
    kinds = {e.id: e.kind for e, _ in loaded}
    sections = {s.slug: s for s in rules.sections}
    suggest: dict[str, Suggester] = {}  # made at the first name not found
    problems: list[Problem] = []
    for entry, lines in loaded:
        for field_name in PEOPLE_FIELDS:
            for index, item in enumerate(entry.values.get(field_name) or ()):
                name = item if isinstance(item, str) else item["name"]
                if name in teachers:
                    continue
                key: tuple[str | int, ...] = (field_name, index) if isinstance(item, str) \
                    else (field_name, index, "name")
                namesakes = sorted(by_title.get(name, ()))
                if len(namesakes) > 1:
                    message = f"{len(namesakes)} teachers are named '{name}' (" \
                        + ", ".join(namesakes) + "); write the id of the one meant"
                elif namesakes or entry.kind != "activity" or field_name != "teachers":
                    continue
                elif name in kinds:
                    message = f"'{name}' is a {kinds[name]}, not a teacher"
                else:
                    if "teachers" not in suggest:
                        suggest["teachers"] = Suggester(
                            [*((i, i) for i in sorted(teachers)),
                             *((t.title, t.id) for t in teachers.values())])
                    close = suggest["teachers"](name)
                    folder = rules.kinds["teacher"].folder if "teacher" in rules.kinds \
                        else "teachers"
                    message = f"no teacher has the name or id '{name}'" + (
                        f"; did you mean '{_teacher_name(teachers[close], by_title)}'?"
                        if close else f"; a teacher is an entry in content/{folder}/")
                problems.append(Problem(entry.path, lines.get(key, lines.get(key[:1], 2)),
                                        ".".join(map(str, key)), message))
        if entry.kind == "centre":
            for index, slug in enumerate(entry.values.get("sections") or ()):
                if slug in sections:
                    continue
                if "sections" not in suggest:
                    suggest["sections"] = Suggester(
                        [*((s.slug, s.slug) for s in rules.sections),
                         *((s.title.zh, s.slug) for s in rules.sections),
                         *((s.title.en, s.slug) for s in rules.sections)])
                close = suggest["sections"](slug)
                problems.append(Problem(
                    entry.path, lines.get(("sections", index), lines.get(("sections",), 2)),
                    f"sections.{index}", f"unknown section '{slug}'"
                    + (f"; did you mean '{close}' ({sections[close].title.zh})?" if close else
                       "; the sections are declared in catalogue/sections.yml")))
    return problems


def _teacher_name(teacher: Entry, by_title: Mapping[str, list[str]]) -> str:
    """What to write for a teacher: the name, or the id when another teacher has the name."""
    return teacher.title if len(by_title[teacher.title]) == 1 else teacher.id


def _code_problems(loaded: list[tuple[Entry, Mapping[tuple[str | int, ...], int]]],
                   base: str) -> list[Problem]:
    """Codes are unique across every entry, drafts too (a draft's code may be printed
    already). Each file of a clash names the others, with their lines."""
    by_code: dict[str, list[tuple[Entry, Mapping[tuple[str | int, ...], int]]]] = \
        defaultdict(list)
    for entry, lines in loaded:
        code = entry.values.get("code")
        if code is not None:
            by_code[code].append((entry, lines))
    problems = []
    for code, owners in by_code.items():
        if len(owners) < 2:
            continue
        for entry, lines in owners:
            others = ", ".join(f"{base}/{o.path}:{ln.get(('code',), 2)}" for o, ln in owners
                               if o is not entry)
            problems.append(Problem(entry.path, lines.get(("code",), 2), "code",
                                    f"'{code}' is also used by {others}; codes must be unique"))
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
