"""Likely duplicates across the catalogue, as warnings for ``lifelong check``.

Two entries are likely the same record (the same book imported from two feeds, one course
written twice) when they share:

- an identifier: the same ISBN (an ISBN-10 and the ISBN-13 of the same book are the same;
  the ``isbn`` field and ``identifiers`` items of scheme ``isbn`` both count), DOI, OCLC
  number or LCCN, whatever their kinds (ISSNs name a whole serial, so they do not count);
- or, in entries of the same kind, a person (an author, teacher, speaker or contributor)
  and the title, compared folded: NFKC, case-folded, traditional characters as simplified
  (論語 is 论语), without spaces and punctuation, and without a trailing series marker such
  as "(The Hunger Games, #1)". Long titles also match when nearly the same (a rapidfuzz
  ratio of at least ``NEAR``: a typo in a title of 20 characters or more), compared only
  among the titles of one person, so the work stays close to linear in the catalogue.

A title match is not a duplicate when the two say they differ: both have ISBNs and none is
shared (two editions), languages differ, the numbers in the titles differ (volume 1 and
volume 2), or they are different members of one series. An editor says "these differ"
with ``not_duplicate_of`` (ids) in either entry, when the catalogue's fields declare it.

Each pair is one warning, on the entry whose id sorts later, naming the other entry's file
and line; a group of copies gives a warning on each copy, naming the first.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from lifelong.catalogue.model import PEOPLE_FIELDS, Entry
from lifelong.catalogue.problems import Problem
from lifelong.catalogue.validate import isbn_is_valid

#: The least rapidfuzz ratio (0-100) of two folded titles that are "nearly the same". At
#: 95, a title needs 20 characters or more for one character's difference to reach it.
NEAR = 95
#: Identifier schemes whose value names one record (an ISSN names a serial: every issue).
SCHEMES = {"isbn": "ISBN", "doi": "DOI", "oclc": "OCLC number", "lccn": "LCCN"}
#: A trailing series marker: "Catching Fire (The Hunger Games, #2)", "（三体, #1）".
_SERIES_MARK = re.compile(r"\s*[(（][^()（）]*#\s*(\d+(?:\.\d+)?)\s*[)）]\s*$")
_NUMBERS = re.compile(r"\d+")

Key = tuple[str | int, ...]
Lines = Mapping[Key, int]
#: Notes a pair: (later, first, key of the later's line, key of the first's, why).
_Add = Callable[[int, int, Key, Key, str], None]


class _Folding(dict[int, str | None]):
    """``str.translate``'s table: a traditional character to its simplified one (zhconv's
    tables, MediaWiki's conversion data: one character for one, as titles and names are
    compared, not converted), anything but a letter or a digit to nothing; worked out for
    each character when first met, in one pass over the text (a regular expression's
    substitution took longer than the rest of the search)."""

    def __init__(self) -> None:
        data = json.loads(resources.files("zhconv").joinpath("zhcdict.json").read_bytes())
        self.simplified = {ord(k): v for k, v in data["zh2Hans"].items()
                           if len(k) == 1 and len(v) == 1}
        super().__init__()

    def __missing__(self, code: int) -> str | None:
        char = self.simplified.get(code, chr(code))
        found = self[code] = char if char.isalnum() else None
        return found


@functools.cache
def _folding() -> _Folding:
    return _Folding()


def fold(text: str) -> str:
    """Text as compared: NFKC, case-folded, simplified, only letters and digits."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_folding())


def isbn13(value: str) -> str | None:
    """The ISBN-13 digits of an ISBN written either way (hyphens and spaces allowed), or
    None if it is not a valid ISBN."""
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    if not isbn_is_valid(digits):
        return None
    if len(digits) == 13:
        return digits
    body = "978" + digits[:9]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


@dataclass(frozen=True, slots=True)
class _Identifier:
    scheme: str
    key: str  # compared: an ISBN's 13 digits, else the folded value
    written: str
    where: Key  # its key in the front matter, for its line


#: A person as compared: (folded name, name, role).
_Person = tuple[str, str, str]
_NONE: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Record:
    entry: Entry
    lines: Lines
    identifiers: list[_Identifier]
    isbns: frozenset[str]
    title: str  # folded, without a series marker
    mark: str | None  # the series marker's number
    people: list[_Person]
    distinct: frozenset[str]  # ids named by not_duplicate_of

    def line(self, *key: str | int) -> int:
        while key:
            line = self.lines.get(key)
            if line is not None:
                return line
            key = key[:-1]
        return 2


def isbns_of(values: Mapping[str, Any]) -> frozenset[str]:
    """The ISBN-13 digits of an entry's ``isbn`` and of its ``identifiers`` of scheme isbn,
    however each was written (front matter as read, or values as checked)."""
    return frozenset(i.key for i in _identifiers(values) if i.scheme == "isbn")


def _identifiers(values: Mapping[str, Any]) -> list[_Identifier]:
    identifiers: list[_Identifier] = []
    isbn = values.get("isbn")
    if isbn is not None and (key := isbn13(str(isbn))):
        identifiers.append(_Identifier("isbn", key, str(isbn), ("isbn",)))
    for index, item in enumerate(values.get("identifiers") or ()):
        if not isinstance(item, Mapping):
            continue
        scheme, value = str(item.get("scheme") or ""), str(item.get("value") or "")
        if scheme not in SCHEMES or not value:
            continue
        key = isbn13(value) if scheme == "isbn" else value.strip().casefold()
        if key:
            identifiers.append(_Identifier(scheme, key, value, ("identifiers", index, "value")))
    return identifiers


def _record(entry: Entry, lines: Lines, fold_name: Callable[[str], str]) -> _Record:
    """What an entry is compared by; ``fold_name`` folds names (remembering them: a busy
    teacher's name is met hundreds of times). Lean: it runs for every entry."""
    values = entry.values
    identifiers = _identifiers(values)
    people: list[_Person] = []
    for field in PEOPLE_FIELDS:
        for item in values.get(field) or ():
            name = item if isinstance(item, str) else item.get("name")
            if name and (folded := fold_name(name)):
                people.append((folded, name, field[:-1]))  # authors -> author
    for item in values.get("contributors") or ():
        if isinstance(item, Mapping) and (name := item.get("name")) and \
                (folded := fold_name(str(name))):
            people.append((folded, str(name), str(item.get("role") or "contributor")))
    title = str(values.get("title") or "")
    mark = _SERIES_MARK.search(title) if "#" in title else None
    bare = title[:mark.start()] if mark and mark.start() else title
    distinct = values.get("not_duplicate_of")
    return _Record(entry, lines, identifiers,
                   frozenset(i.key for i in identifiers if i.scheme == "isbn")
                   if identifiers else _NONE,
                   fold(bare) if people else "", mark.group(1) if mark else None,
                   people, _NONE if not distinct else
                   frozenset((distinct,) if isinstance(distinct, str) else distinct))


def _differ(a: _Record, b: _Record) -> bool:
    """Whether two entries with the same title and person say they are different works."""
    if a.isbns and b.isbns and a.isbns.isdisjoint(b.isbns):
        return True
    language, other = a.entry.values.get("language"), b.entry.values.get("language")
    if language and other and language != other:
        return True
    if a.mark and b.mark and a.mark != b.mark:
        return True
    if _NUMBERS.findall(a.title) != _NUMBERS.findall(b.title):
        return True
    series = a.entry.values.get("series")
    return bool(series and series == b.entry.values.get("series")
                and a.entry.values.get("series_order") != b.entry.values.get("series_order"))


def _order(record: _Record) -> tuple[str, str]:
    return record.entry.id, record.entry.path


def find_duplicates(loaded: Sequence[tuple[Entry, Lines]], base: str = "content"
                    ) -> list[Problem]:
    """A warning for each pair of likely duplicates among ``loaded`` (entries with the
    lines of their keys), sorted; other files are named as ``base/path:line``."""
    fold_name = functools.cache(fold)
    records = sorted((_record(entry, lines, fold_name) for entry, lines in loaded), key=_order)
    # (later, first) -> why: the first reason found is kept (identifiers, then titles).
    pairs: dict[tuple[int, int], tuple[Key, Key, str]] = {}

    def add(later: int, first: int, mine: Key, theirs: Key, why: str) -> None:
        if later == first or (later, first) in pairs:
            return
        a, b = records[later], records[first]
        if a.entry.id in b.distinct or b.entry.id in a.distinct:
            return
        pairs[(later, first)] = (mine, theirs, why)

    by_identifier: dict[tuple[str, str], list[tuple[int, _Identifier]]] = defaultdict(list)
    for number, record in enumerate(records):
        for identifier in record.identifiers:
            by_identifier[(identifier.scheme, identifier.key)].append((number, identifier))
    for (scheme, key), owners in by_identifier.items():
        first, theirs = owners[0]
        for number, mine in owners[1:]:
            shown = key if scheme == "isbn" else theirs.written
            forms = [f"{written} {where}" for written, where in
                     ((mine.written, "here"), (theirs.written, "there")) if written != shown]
            add(number, first, mine.where, theirs.where,
                f"same {SCHEMES[scheme]} {shown}"
                + (f", written {' and '.join(forms)}" if forms else ""))

    blocks: dict[tuple[str, str], list[tuple[int, _Person]]] = defaultdict(list)
    for number, record in enumerate(records):
        if record.title:
            for person in {p[0]: p for p in record.people}.values():
                blocks[(record.entry.kind, person[0])].append((number, person))
    for members in blocks.values():
        if len(members) < 2:
            continue
        by_title: dict[str, list[tuple[int, _Person]]] = defaultdict(list)
        for number, person in members:
            by_title[records[number].title].append((number, person))
        for titled in by_title.values():
            _same_title(records, titled, add)
        _near_titles(records, by_title, add)
    problems = []
    for (later, first), (here, there, why) in pairs.items():
        a, b = records[later], records[first]
        other = f"{base}/{b.entry.path}"
        problems.append(Problem(a.entry.path, a.line(*here), None,
                                f"likely duplicate of {other}:{b.line(*there)} ({why})",
                                severity="warning", related=((other, b.line(*there)),)))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def _same_title(records: list[_Record], owners: list[tuple[int, _Person]], add: _Add) -> None:
    """Each of entries with one folded title and person, against the first that does not
    say it differs."""
    for index, (number, person) in enumerate(owners):
        for first, _ in owners[:index]:
            if not _differ(records[number], records[first]):
                add(number, first, ("title",), ("title",),
                    _title_why(records[number], records[first], person, "same title"))
                break


def _near_titles(records: list[_Record], by_title: Mapping[str, list[tuple[int, _Person]]],
                 add: _Add) -> None:
    """Pairs of one person's titles that are nearly the same. Titles are compared only
    with those of a length the ratio allows (sorted by length, a window)."""
    titles = sorted((t for t in by_title if len(t) >= 10), key=lambda t: (len(t), t))
    if len(titles) < 2:
        return
    lengths = [len(t) for t in titles]
    share = 1 - NEAR / 100
    for index, title in enumerate(titles):
        # The ratio is at least 1 - (l2 - l1) / (l1 + l2): l2 is at most this long.
        end = bisect.bisect_right(lengths, int(len(title) * (1 + share) / (1 - share) + 1e-9),
                                  index + 1)
        if end == index + 1:
            continue
        for other, _score, _ in process.extract(title, titles[index + 1:end], scorer=fuzz.ratio,
                                                score_cutoff=NEAR, limit=None):
            for number, person in by_title[title]:
                for match, theirs in by_title[other]:
                    later, first, role = (match, number, theirs) if number < match else \
                        (number, match, person)
                    if not _differ(records[later], records[first]):
                        add(later, first, ("title",), ("title",),
                            _title_why(records[later], records[first], role,
                                       "nearly the same title"))


def _title_why(mine: _Record, theirs: _Record, person: _Person, what: str) -> str:
    title, other = str(mine.entry.values["title"]), str(theirs.entry.values["title"])
    shown = f"'{title}'" if title == other else f"'{title}' here, '{other}' there"
    return f"{what} {shown} and {person[2]} '{person[1]}'"
