"""Build the search index of a catalogue: postings shards, term dictionaries, result records
and facet columns, each a classic script (``LifelongSearch.add(name, data)``) so that the
browser loads them with <script> tags, on http:// and on file:// alike.

Layout under ``search/`` in the site (all names derived, so a query loads only its files):
  meta.js         counts, shard count, weights, facet labels, pinyin syllables, featured docs,
                  the digits numbers are written with
  p/<n>.js        postings: term -> its usual level and one number per document (see
                  postings.py); shard = fnv1a(term) % P. A term whose string is longer
                  than HEAD_LIMIT has its head here (its HEAD_SIZE best postings, how many
                  it has and the number k of its whole file, ``head_text``) and its whole
                  string in q/<n>-<k>.js (k: its place among the long terms of p/<n>, in
                  term order), which only the search page and uncertain header-box
                  queries load: a frequent word costs the header box as much at 450,000
                  entries as at 90,000. The key "=" holds the exact keys of
                  the shard (whole titles, ids and, ``NAME_KEY`` flipped, people's names,
                  as 32-bit hashes h with h % P = n): per
                  key, in hash order, the distance from the previous h // P, then the document
                  in fixed width
  d/<ab>.js       English words (no digits) starting with "ab", with document frequencies
                  (prefix and one-typo matching while typing); ``dictionary_key`` names the
                  file ("i/o" is in d/i_.js: no term makes a path)
  e/<cd>.js       the same words of three characters or more, by their third and fourth
                  ("illus" is in e/lu.js, "fli" in e/i.js): a word typed with a typo in its
                  first two letters finds its term there (``typo_key``)
  r/<n>.js        result records of documents n*R .. n*R+R-1: [address, title, kind, facts,
                  snippet, English title, cover], empty trailing fields left out
  f.js            facet columns, one character (or two) per document; the "easy" column
                  holds the filters that suit older learners (``EASY``), the "mark" column
                  the standards an entry was selected by (``MARK_COLUMN``)
  o.js            title rank of every document, in fixed width (for "sort by title")
No text of an entry makes a file name: only numbers, fixed names and ``dictionary_key``.
Documents are numbered oldest first (the reverse of the newest-first order the site gives):
"sort by newest" needs no data, and a new entry, the newest, is appended, so that adding it
changes the last record file and the shards of its terms, not every file.

``write`` can keep what it learnt in a cache folder: per document (by a digest of all it
gives the index) its terms, record, facets and title key, and per term its postings with
checkpoints. A rewrite then extracts only the documents that changed and re-encodes only the
postings next to a change; the files are byte for byte those of a write without a cache.
The cache is a head (CACHE_FILE: what every file needs of all documents, e.g. keys, facets,
title order, word counts) and parts, a file each, read and saved again only when a change
needs them (``IndexState``): the documents' terms and records, CACHE_PART documents a part,
and each postings file's terms and exact keys. A caller that knows what makes each document
(``IndexBuilder``'s hints) spares the rewrite reading the documents it knows. Deleting an
entry (or adding one older than the newest) numbers every newer document anew: all their
record files and nearly every postings file change then.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import itertools
import json
import math
import operator
import os
import pickle
import re
import tempfile
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from itertools import accumulate
from pathlib import Path
from typing import Any, cast, overload

from lifelong.catalogue.model import Catalogue, Entry
from lifelong.catalogue.periods import Period
from lifelong.search.postings import (
    DIGITS,
    FINAL,
    Postings,
    carry_best,
    encode,
    fixed_all,
    fixed_width,
    head_text,
    numbers,
    update,
)
from lifelong.search.text import (
    HAN,
    INITIALS_MARK,
    PINYIN_MARK,
    _pinyin,
    exact_hash,
    fnv1a,
    fold,
    index_terms,
    syllables_of,
)

#: Field weights: titles, then the id (its words), names, subjects, tags, summary. An exact
#: title (or the whole id) beats them all: the browser adds 10,000 to the documents of the
#: query's exact key.
WEIGHTS = {"title": 10, "id": 8, "names": 6, "subjects": 4, "tags": 3, "summary": 2}
#: A whole name of a person of the entry (an author, a teacher, a star...) is an exact key
#: too, with this bit flipped: the query "Stephen King" puts the entries of Stephen King
#: first, after an exact title (the browser adds 5,000 to them), though the words of the
#: name weigh less than those of a title. Flipping the top bit keeps the key in the shard
#: of the same text's title key (shard counts are powers of two), which every query loads.
NAME_KEY = 0x80000000
#: An id of one word with a digit in it (c078326) is a short code, not words: its exact key
#: finds it, and it makes no term.
CODE = re.compile("[^-]*[0-9][^-]*")
WEIGHT_LEVELS = sorted(set(WEIGHTS.values()))
LEVEL_OF = {field: WEIGHT_LEVELS.index(weight) for field, weight in WEIGHTS.items()}
#: Fields whose single Han characters are terms (a query of one character finds titles and
#: names; in summaries and subject labels single characters are noise, and bulk).
SINGLES = ("title", "names")
RECORDS_PER_FILE = 16  # a result list touches one file per result: keep them small
SNIPPET = 100  # characters of the summary a result shows
SHARD_TARGET_BYTES = 12_000
#: A term whose postings string is longer than this is written as a head of HEAD_SIZE
#: postings (HEAD_BYTES, about) in its postings file, whole in a file of its own. 400: at
#: 450,000 entries, 100 left "老年大学" and "smartphone photos" to their whole postings
#: (667 and 128 KB in all), 400 answers them from heads (87 and 72 KB); 1000 answers no more.
HEAD_LIMIT = 2048
HEAD_SIZE = 400
HEAD_BYTES = 2 * HEAD_SIZE + 8
#: Digits of the facet columns (six bits each).
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
DURATIONS = ((15, "<15"), (30, "15-30"), (60, "30-60"), (10**9, "60+"))
#: A column of two characters holds a set of bits (section, subject, audience) or, for the
#: language (ISO 639 has more than 63 terms), one number: 1 + the term's place, low digit first.
FACET_COLUMNS = (("kind", 1), ("section", 2), ("subject", 2), ("audience", 2), ("language", 2),
                 ("format", 1), ("level", 1), ("duration", 1), ("year", 1), ("easy", 1))
#: The column of marks (``marks``: selections an entry passed, catalogue/standards.yml): a
#: set of bits, one per standard in the order standards.yml declares them, in as many
#: characters of six bits as the standards need (one for up to six; ``mark_width``). An
#: entry marked by a standard in several years has its bit once.
MARK_COLUMN = "mark"
#: The offline copy's column (``IndexBuilder(offline=True)``): "1" for a document whose
#: media are all inside the copy, "0" for one that needs the internet. Online indexes have
#: no such column, so their files are as they were.
OFFLINE_COLUMN = ("offline", 1)
#: Filters that suit older learners (the search page's "easy" facet, ``?easy=short.captions``;
#: a result has every one checked), in this order: ``short`` (``duration_minutes`` at most
#: SHORT_MINUTES), the terms of the accessibility vocabulary, the beginner level, a dialect
#: (DIALECTS). The "easy" column holds a bit for each of ``EASY_BITS``; the browser reads
#: the last two from the level and language columns, which hold them already.
EASY = ("short", "captions", "sign-language", "audio-description", "large-print", "beginner",
        "dialect")
EASY_BITS = EASY[:5]
SHORT_MINUTES = 10
BEGINNER = "beginner"
#: The vocabulary of languages has no notion of dialect: a term is a dialect when its id is
#: the ISO 639-3 code of a Chinese variety other than Mandarin (Cantonese yue, Minnan nan,
#: Wu wuu, Hakka hak, Xiang hsn, Gan gan, Min Dong cdo, Jin cjy, Pu-Xian cpx, Huizhou czh,
#: Min Zhong czo, Min Bei mnp, Ping cnp and csp). Tibetan, Uyghur, Mongolian and sign
#: language are languages of their own, not dialects.
DIALECTS = frozenset({"yue", "nan", "wuu", "hak", "hsn", "gan", "cdo", "cjy", "cpx", "czh",
                      "czo", "mnp", "cnp", "csp"})
#: Bump when what the cache holds changes shape.
CACHE_FORMAT = 6
CACHE_FILE = "search-index.pickle"
#: More changed documents than this and a rewrite encodes every term again (cheaper then).
MOST_CHANGES = 40


_NOT_KEY = re.compile("[^a-z0-9]")


def mark_width(standards: int) -> int:
    """Characters of the marks column of a catalogue with so many standards (``markWidth``
    in search.js)."""
    return max(1, math.ceil(standards / 6))


def bit_digits(values: Iterable[int], width: int) -> str:
    """A set of small numbers as ``width`` characters of ALPHABET, six bits each, low
    first."""
    mask = sum(1 << v for v in set(values))
    return "".join(ALPHABET[(mask >> 6 * at) & 63] for at in range(width))


def easy_filters(entry: Entry) -> frozenset[str]:
    """Which of the filters that suit older learners (``EASY``) an entry meets."""
    has = set(entry.get("accessibility", ())).intersection(EASY)
    minutes = entry.get("duration_minutes")
    if minutes is not None and minutes <= SHORT_MINUTES:
        has.add("short")
    if entry.get("level") == BEGINNER:
        has.add(BEGINNER)
    if entry.get("language") in DIALECTS:
        has.add("dialect")
    return frozenset(has)


def easy_labels(catalogue: Catalogue, lang: str) -> list[str | None]:
    """The label of each of ``EASY`` from the vocabularies (accessibility, levels); None
    where they have none (the page's own words, ``easy_<name>``, then)."""
    vocabularies = catalogue.rules.vocabularies
    labels: list[str | None] = [None] * len(EASY)
    access = vocabularies.get("accessibility")
    for at, name in enumerate(EASY):
        if access is not None and name in access.terms:
            labels[at] = access.terms[name].label.get(lang)
    levels = vocabularies.get("levels")
    if levels is not None and BEGINNER in levels.terms:
        labels[EASY.index(BEGINNER)] = levels.terms[BEGINNER].label.get(lang)
    return labels


def dictionary_key(term: str) -> str:
    """The name of the dictionary file of ``term`` (d/<key>.js): its first two characters,
    each but a-z and 0-9 written '_' (a term may hold '/', '.', quotes...), as
    ``dictionaryKey`` in search.js does."""
    return _NOT_KEY.sub("_", term[:2])


#: Terms in the typo files are at least this long (they are filed by their third and fourth
#: characters, or their third alone).
TYPO_LENGTH = 3


def typo_key(term: str) -> str:
    """The name of the typo file of ``term`` (e/<key>.js): its third and fourth characters
    (or its third), written as ``dictionary_key`` writes them. A word typed with a typo in
    its first two letters is not in its term's d/ file; the browser reads the e/ files of
    the stems of the words such a typo may stand for (``typoKeys`` in search.js)."""
    return dictionary_key(term[2:4])


#: Where entries' files are (their ``path`` is relative to it), as reports name them.
CONTENT = "content"


class DocumentError(RuntimeError):
    """Indexing one document failed; the message names its entry's file (and field)."""


def field_of(entry: Entry, group: str, text: str) -> str:
    """The field of ``entry`` that holds ``text`` (a text of ``entry_fields``' ``group``),
    as ``lifelong check`` names it (teachers.1, speakers.0.name), else ``group``."""
    for name, value in entry.values.items():
        if value == text:
            return name
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if item == text:
                    return f"{name}.{index}"
                if isinstance(item, Mapping):
                    for key, sub in item.items():
                        if sub == text:
                            return f"{name}.{index}.{key}"
    return group


def js_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # Safe inside a classic script whatever the text holds.
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def script(name: str, data: Any) -> bytes:
    return _script(name, js_json(data))


def _script(name: str, text: str) -> bytes:
    return f'LifelongSearch.add("{name}",{text});\n'.encode()


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """What the index needs of one entry, in the site's language and address scheme."""

    entry: Entry
    url: str
    cover: str | None
    facts: str
    sections: tuple[int, ...]
    #: In an offline copy: whether all it offers to watch, hear or download is inside the
    #: copy (the "offline" facet); None online, where the index has no such column.
    works_offline: bool | None = None
    #: The names of the people the entry names as the site shows them, where one is the id
    #: of a teacher entry (that teacher's name, then); None: the names the entry gives.
    people: tuple[str, ...] | None = None
    #: The names of the centres it is held at (an activity's, a lecture's): the index is
    #: written without the catalogue, so the site looks them up.
    places: tuple[str, ...] = ()


def looked_up(catalogue: Catalogue, entry: Entry) -> dict[str, Any]:
    """What the index reads of other entries for ``entry``, as ``SearchDocument`` fields:
    the names of its people (a teacher's id is the teacher's name) and the name of the
    centre it is held at (outside an offline copy's subset: none)."""
    named = [name for _field, name in entry.people()]
    shown = [name for _field, name in catalogue.people_of(entry)]
    centre = catalogue.by_id.get(entry.get("centre") or "")
    return {"people": tuple(shown) if shown != named else None,
            "places": (centre.title,) if centre is not None and centre.kind == "centre"
            else ()}


#: The fields of an entry that the index reads (``entry_fields``, ``IndexBuilder.document``,
#: ``title_sort_key``, ``year_of``), and nothing else: ``index_view``.
INDEXED_FIELDS = ("title", "title_en", "summary", "subjects", "audiences", "language",
                  "format", "level", "duration_minutes", "year", "starts", "published",
                  "featured", "tags", "authors", "teachers", "speakers", "name", "organiser",
                  "provider", "publisher", "accessibility", "code", "contributors",
                  "organisation", "roles", "region", "centre_type", "city", "county", "address",
                  "offers", "dialects", "marks")


def index_view(document: SearchDocument) -> SearchDocument:
    """The document with its entry cut to the fields the index reads (no description, no
    media): what a process of its own is given to write the index, pickled, a fraction of
    the whole entry. The index it writes is the same (a test compares them)."""
    entry = document.entry
    values = entry.values
    kept = {name: values[name] for name in INDEXED_FIELDS if name in values}
    return dataclasses.replace(document, entry=Entry(entry.id, entry.kind, entry.path, kept,
                                                     "", entry.digest))


#: Fields that a reader finds teachers and centres by (who they are, where they are), with
#: the weight of tags: of a term, its labels (zh and en); of a text, the text. A course's
#: region is where it was made, which readers do not look courses up by; a teacher's and a
#: centre's is where to find them. A teacher's contact is never read: whatever it holds,
#: it is not in the index (nor in ``INDEXED_FIELDS``).
FINDING_FIELDS = {"teacher": ("roles", "region", "dialects"),
                  "centre": ("centre_type", "region", "city", "county", "address", "offers")}


def entry_fields(catalogue: Catalogue, entry: Entry, *, people: Sequence[str] | None = None,
                 places: Sequence[str] = ()) -> dict[str, list[str]]:
    """Field name -> texts, for the weights above. ``people`` and ``places``: those of the
    entry's ``SearchDocument``."""
    rules = catalogue.rules
    vocab = rules.vocabularies["subjects"]
    subjects = []
    for term in catalogue.terms_of(entry, "subjects", "subjects"):
        label = vocab.terms[term].label
        subjects += [label.zh, label.en]
    names = person_names(entry, people)
    for name in ("organiser", "provider", "publisher", "organisation"):
        if entry.get(name):
            names.append(entry.get(name))
    names.extend(places)
    tags = list(entry.get("tags", ()))
    spec = rules.kinds[entry.kind].fields
    for name in FINDING_FIELDS.get(entry.kind, ()):
        value = entry.get(name)
        values = value if isinstance(value, (list, tuple)) else () if value is None else (value,)
        vocabulary = rules.vocabularies.get(spec[name].vocabulary or "") \
            if name in spec else None
        for item in values:
            if vocabulary is not None and item in vocabulary.terms:
                label = vocabulary.terms[item].label
                tags += [label.zh, label.en]
            elif vocabulary is None:
                tags.append(str(item))
    # The standards that selected it (its badges say 优秀微课: a reader types what they saw).
    for standard_id in dict.fromkeys(mark.get("standard") for mark in entry.get("marks", ())):
        standard = rules.standards.get(standard_id or "")
        if standard is not None:
            tags += [standard.title.zh, standard.title.en]
    return {"title": [entry.title, entry.title_en or ""],
            "id": [] if CODE.fullmatch(entry.id) else [entry.id], "names": names,
            "subjects": subjects, "tags": tags, "summary": [entry.summary]}


def person_names(entry: Entry, people: Sequence[str] | None = None) -> list[str]:
    """The names of the people an entry names (``people``, or as the entry gives them) and
    a star's own name: their exact keys are ``NAME_KEY`` keys."""
    names = list(people) if people is not None else [name for _field, name in entry.people()]
    if entry.get("name"):
        names.append(entry.get("name"))
    return names


def document_fields(catalogue: Catalogue, document: SearchDocument) -> dict[str, list[str]]:
    """``entry_fields`` of a document's entry, with what the site looked up for it."""
    return entry_fields(catalogue, document.entry, people=document.people,
                        places=document.places)


def pinyin_texts(catalogue: Catalogue, documents: Iterable[SearchDocument]) -> Iterator[str]:
    """The texts whose pinyin the index of ``documents`` reads (titles and names)."""
    for document in documents:
        fields = document_fields(catalogue, document)
        for field in SINGLES:
            yield from fields[field]


def document_key(doc: SearchDocument) -> bytes:
    """A digest of everything a document gives the index: its entry (the loader's digest of
    the entry's file, or its values) and what the site adds."""
    entry = doc.entry
    source = entry.digest or repr(tuple(entry.values.items()))
    parts: tuple[Any, ...] = (source, entry.id, entry.kind, doc.url, doc.cover, doc.facts,
                              doc.sections)
    if doc.works_offline is not None:
        parts += (doc.works_offline,)
    if doc.people is not None or doc.places:
        parts += (doc.people, doc.places)
    text = repr(parts)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass
class DocumentData:
    """What one document gives the index."""

    terms: dict[str, int]  # term -> weight level
    exact: bytes  # exact keys: hashes of the whole title, English title, id, code, and
    # of each person's whole name with NAME_KEY flipped (array "I")
    syllables: str  # pinyin syllables of its titles and names, space-separated
    order: bytes  # title_sort_key, as order_key
    row: str  # its result record, as JSON
    facets: str  # its characters of the facet columns, in FACET_COLUMNS order
    featured: bool  # meta.js lists the featured documents


@dataclass
class Changes:
    """What a rewrite changed in the state it started from: files that none of it touches
    are not made again (their stamps stand for them)."""

    words: set[str]  # terms whose documents the word files count may count anew
    shards: set[int] | None  # postings files whose terms or exact keys changed (None: any)
    documents: set[int]  # new numbers of documents added
    renumbered_from: int | None  # the first document numbered anew (None: none was)
    facets: bool = True  # whether any document's facets changed (f.js)
    titles: bool = True  # whether the title order changed (o.js)


class CacheBroken(Exception):
    """A part of the cached state is missing, unreadable or does not fit the rest: the
    write starts afresh."""


#: Documents per part of the cache (their terms, exact keys, syllables and records): a
#: rewrite reads, and saves again, only the parts that hold documents it changes.
CACHE_PART = 1024
#: An exact key of a document, as the state keeps it: (hash << _DOC_BITS) | document, so
#: that a file's keys sort by hash, then document.
_DOC_BITS = 32
_DOC_MASK = (1 << _DOC_BITS) - 1


def shard_count(size: int, exact_count: int, width: int) -> int:
    """How many postings files an index has whose postings take ``size`` bytes
    (``term_size``) and which holds ``exact_count`` exact keys in documents ``width``
    digits wide: a power of two, each file about SHARD_TARGET_BYTES."""
    total = size + exact_count * (3 + width)
    return 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))


def term_size(term: str, postings: Postings) -> int:
    """About what a term takes in its postings file (its quotes, colon and comma too)."""
    length = len(postings.text)
    return len(term) + (HEAD_BYTES if length > HEAD_LIMIT else length) + 6


def long_terms(bucket: Mapping[str, Postings]) -> list[str]:
    """The terms of a postings file written as heads, in term order (their whole files are
    numbered so)."""
    return sorted(term for term, p in bucket.items() if len(p.text) > HEAD_LIMIT)


def word_term(term: str) -> bool:
    """Whether the word files (d/, e/) list ``term``: English words, no digit."""
    return term.isascii() and term[:1].isalpha() and not any(c.isdigit() for c in term)


class IndexState:
    """The index before it is written out; what the cache keeps. Whole, per document (in
    document order): keys, title order keys, facets, whether featured; then the title
    order and what the word files and meta.js count (documents per word and syllable). In
    parts, read from the cache only when needed (``parts``): per CACHE_PART documents,
    their terms, exact keys, syllables and result records (None where not read); per
    postings file, its terms' postings and its exact keys (None where not read)."""

    def __init__(self) -> None:
        self.keys: list[bytes] = []
        #: Per document, the caller's digest of what made it (``IndexBuilder``'s hints;
        #: b"" when none was given).
        self.hints: list[bytes] = []
        #: Every term seen, by number (a term keeps its number); a document's terms are the
        #: bytes of an array of (term number << 3 | level).
        self.vocabulary: list[str] = []
        self.order: list[bytes] = []
        self.facets: list[str] = []
        self.featured = bytearray()
        #: Documents in title order (None: to be sorted).
        self.titles: array[int] | None = None
        #: What meta.js says of the facets (``IndexBuilder._easy_meta``, the documents that
        #: work offline), as the last f.js was made (None: not made).
        self.facet_counts: tuple[dict[str, Any], int | None] | None = None
        #: Syllable -> documents that have it; file key -> word -> documents (d/ and e/).
        self.syllable_counts: collections.Counter[str] = collections.Counter()
        self.words: dict[str, dict[str, int]] = {}
        self.typos: dict[str, dict[str, int]] = {}
        #: What the postings take (``term_size``), how many terms and exact keys there are.
        self.size = 0
        self.term_count = 0
        self.exact_count = 0
        # Per document, in parts (None: not read).
        self.terms: list[bytes | None] = []
        self.exact: list[bytes | None] = []
        self.syllables: list[str | None] = []
        self.rows: list[str | None] = []
        #: The postings files: how many, the width of a document number in them, and per
        #: file its terms' postings and its exact keys (``_DOC_BITS``), sorted.
        self.shards = 0
        self.width = 0
        self.postings: list[dict[str, Postings] | None] = []
        self.exact_keys: list[array[int] | None] = []
        #: Per file, its exact keys as written ("="; None: not made yet).
        self.exact_texts: list[str | None] = []
        #: Per file, how many of its terms were written as heads, each with a file of its
        #: whole postings (``long_terms``), when it was last written.
        self.long_counts: list[int] = []
        #: Where the parts not read yet are, and the name each part is saved under (None:
        #: not saved as it is now).
        self.parts: Parts | None = None
        self.document_parts: list[PartRef | None] = []
        self.shard_parts: list[PartRef | None] = []
        self.generation = 0
        #: What changed since the cached state (None: everything, as far as files go), and
        #: whether what the cache keeps of all documents changed; neither is saved.
        self.changes: Changes | None = None
        self.head_changed = False
        #: The pack of the cache this write puts its parts into, when one is open (not saved).
        self.pack: Pack | None = None
        #: The folder the files were last written to, and per file (size, modification
        #: time, digest) as written: a file that still has them need not be read again.
        self.folder = ""
        self.stamps: dict[str, tuple[int, int, bytes]] = {}

    # -- documents ------------------------------------------------------------------------

    COLUMNS = ("keys", "hints", "order", "facets", "terms", "exact", "syllables", "rows")

    def copy(self, old: IndexState, begin: int, end: int) -> None:
        """Add documents begin..end-1 of ``old`` (whose vocabulary this state continues),
        read or not."""
        for name in self.COLUMNS:
            getattr(self, name).extend(getattr(old, name)[begin:end])
        self.featured += old.featured[begin:end]

    def add(self, key: bytes, hint: bytes, data: DocumentData, ids: dict[str, int], *,
            cacheable: bool = True) -> array[int]:
        """Add a new document (``ids``: the number of each term of the vocabulary); returns
        its terms. Without ``cacheable``, its terms and syllables are not kept: the state is
        not fit for a cache, and a write without one saves the memory."""
        self.keys.append(key)
        self.hints.append(hint)
        packed = array("I")
        for term, level in data.terms.items():
            known = ids.get(term)
            if known is None:
                known = ids[term] = len(self.vocabulary)
                self.vocabulary.append(term)
            packed.append(known << 3 | level)
        self.terms.append(packed.tobytes() if cacheable else b"")
        self.exact.append(data.exact)
        self.exact_count += len(data.exact) // 4
        self.syllables.append(data.syllables if cacheable else "")
        self.syllable_counts.update(data.syllables.split())
        self.order.append(data.order)
        self.rows.append(data.row)
        self.facets.append(data.facets)
        self.featured.append(data.featured)
        return packed

    def forget(self, number: int) -> None:
        """What document ``number`` (read) counted in the whole state, taken off: its
        syllables and exact keys (its postings are not touched)."""
        counts = self.syllable_counts
        for syllable in self.syllables[number].split():  # type: ignore[union-attr]
            counts[syllable] -= 1
            if not counts[syllable]:
                del counts[syllable]
        self.exact_count -= len(self.exact[number]) // 4  # type: ignore[arg-type]

    def terms_of(self, number: int) -> Iterable[tuple[str, int]]:
        vocabulary = self.vocabulary
        for packed in array("I", self.terms[number]):  # type: ignore[arg-type]
            yield vocabulary[packed >> 3], packed & 7

    def count_word(self, term: str, postings: Postings | None) -> None:
        """The documents of ``term`` in the word files (``postings`` None: it is gone)."""
        if not word_term(term):
            return
        keys = [(self.words, dictionary_key(term))]
        if len(term) >= TYPO_LENGTH:
            keys.append((self.typos, typo_key(term)))
        for files, key in keys:
            if postings is not None:
                files.setdefault(key, {})[term] = sum(postings.counts)
            elif key in files:
                files[key].pop(term, None)
                if not files[key]:
                    del files[key]

    # -- the postings files ---------------------------------------------------------------

    def lay_out(self, postings: dict[str, Postings]) -> None:
        """Every term's postings (and every document's exact keys, all read) into the
        postings files, as many as their size calls for; the word counts."""
        self.size = sum(term_size(term, p) for term, p in postings.items())
        self.term_count = len(postings)
        self.words, self.typos = {}, {}
        for term, p in postings.items():
            self.count_word(term, p)
        self.width = fixed_width(max(1, len(self.keys) - 1))
        self.shards = shards = shard_count(self.size, self.exact_count, self.width)
        buckets: list[dict[str, Postings] | None] = [{} for _ in range(shards)]
        for term, p in postings.items():
            buckets[fnv1a(term) % shards][term] = p  # type: ignore[index]
        # arrays, not lists: a list of 450,000 documents' keys takes 100 MB of int objects
        exact = [array("Q") for _ in range(shards)]
        for doc, hashes in enumerate(self.exact):
            for value in array("I", hashes):  # type: ignore[arg-type]
                exact[value % shards].append(value << _DOC_BITS | doc)
        self.postings = buckets
        self.exact_keys = [array("Q", sorted(values)) for values in exact]
        self.exact_texts = [None] * shards
        self.long_counts = [0] * shards
        self.document_parts = [None] * -(-len(self.keys) // CACHE_PART)
        self.shard_parts = [None] * shards

    def lay_out_again(self, shards: int) -> None:
        """The postings files of another count (all read): terms and exact keys move."""
        self.read_shards(range(self.shards))
        postings = {term: p for bucket in self.postings for term, p in bucket.items()}  # type: ignore[union-attr]
        values = array("Q", itertools.chain.from_iterable(self.exact_keys))  # type: ignore[arg-type]
        buckets: list[dict[str, Postings] | None] = [{} for _ in range(shards)]
        for term, p in postings.items():
            buckets[fnv1a(term) % shards][term] = p  # type: ignore[index]
        exact = [array("Q") for _ in range(shards)]
        for value in values:
            exact[(value >> _DOC_BITS) % shards].append(value)
        self.shards, self.postings = shards, buckets
        self.exact_keys = [array("Q", sorted(keys)) for keys in exact]
        self.exact_texts = [None] * shards
        self.long_counts = [0] * shards
        self.shard_parts = [None] * shards

    def exact_text(self, shard: int) -> str:
        """The exact keys of a postings file (read) as the browser reads them ("=")."""
        found = self.exact_texts[shard]
        if found is not None:
            return found
        values, shards = self.exact_keys[shard], self.shards
        assert values is not None
        highs = [(value >> _DOC_BITS) // shards for value in values]
        gaps = numbers(map(operator.sub, highs, [0, *highs]))
        documents = fixed_all([value & _DOC_MASK for value in values], self.width)
        found = self.exact_texts[shard] = "".join(map(str.__add__, gaps, documents))
        return found

    # -- parts of the cache ---------------------------------------------------------------

    def read_documents(self, numbers: Iterable[int]) -> None:
        """Read the parts that hold these documents (those not read yet)."""
        for part in sorted({number // CACHE_PART for number in numbers}):
            begin = part * CACHE_PART
            if self.rows[begin] is not None:
                continue
            end = min(len(self.keys), begin + CACHE_PART)
            ref = self.document_parts[part]
            if ref is None or self.parts is None:
                raise CacheBroken(f"documents {begin}-{end - 1}: not saved")
            terms, term_ends, exact, exact_ends, syllables, rows = self.parts.read(
                ref, self.document_identity(part))
            count = end - begin
            self.terms[begin:end] = _cut(terms, term_ends, count)
            self.exact[begin:end] = _cut(exact, exact_ends, count)
            self.syllables[begin:end] = _split(syllables, count)
            self.rows[begin:end] = _split(rows, count)

    def document_part(self, part: int) -> tuple[Any, ...]:
        """What the cache keeps of a part of the documents (all read)."""
        begin, end = part * CACHE_PART, min(len(self.keys), part * CACHE_PART + CACHE_PART)
        if any(row is None for row in self.rows[begin:end]):
            raise ValueError(f"documents {begin}-{end - 1} are not read")
        terms, exact = self.terms[begin:end], self.exact[begin:end]
        return (b"".join(terms), array("I", accumulate(map(len, terms))),  # type: ignore[arg-type]
                b"".join(exact), array("I", accumulate(map(len, exact))),  # type: ignore[arg-type]
                "\n".join(self.syllables[begin:end]),  # type: ignore[arg-type]  # letters
                "\n".join(self.rows[begin:end]))  # type: ignore[arg-type]  # no line breaks

    def spill_part(self, part: int, pack: Pack) -> PartRef:
        """Put a part of the documents (read) into ``pack`` (which the next save of the state
        goes on with) and let go of its columns that only some files need (terms, syllables,
        records; ``read_documents`` reads them again): a first write of 450,000 documents
        then never holds them all."""
        ref = pack.put(self.document_identity(part), self.document_part(part))
        self.forget_part(part)
        return ref

    def forget_part(self, part: int) -> None:
        """Let go of a saved part's terms, syllables and records (its exact keys stay: the
        postings files are laid out from them all)."""
        begin, end = part * CACHE_PART, min(len(self.keys), part * CACHE_PART + CACHE_PART)
        none = [None] * (end - begin)
        self.terms[begin:end] = self.syllables[begin:end] = self.rows[begin:end] = none

    def read_shards(self, shards: Iterable[int]) -> None:
        """Read the postings files' parts (those not read yet)."""
        for shard in shards:
            if self.postings[shard] is not None:
                continue
            ref = self.shard_parts[shard]
            if ref is None or self.parts is None:
                raise CacheBroken(f"postings file {shard}: not saved")
            words, texts, counts, marks, starts, offsets, lasts, exact, exact_text, best = \
                self.parts.read(ref, self.shard_identity(shard))
            texts = _split(texts, len(words))
            levels = len(WEIGHT_LEVELS)
            if len(counts) != levels * len(words):
                raise CacheBroken(f"postings file {shard}: counts do not fit")
            bucket, at = {}, 0
            for i, word in enumerate(words):
                bucket[word] = Postings(texts[i], tuple(counts[i * levels:i * levels + levels]),
                                        starts[at:at + marks[i]], offsets[at:at + marks[i]],
                                        lasts[i])
                at += marks[i]
            # The heads' postings worked out so far (``head_text``), as the postings are.
            best_words, best_texts, best_counts, best_marks, best_starts, best_offsets, \
                best_lasts = best
            best_texts = _split(best_texts, len(best_words))
            at = 0
            for i, word in enumerate(best_words):
                bucket[word].best = Postings(
                    best_texts[i], tuple(best_counts[i * levels:i * levels + levels]),
                    best_starts[at:at + best_marks[i]], best_offsets[at:at + best_marks[i]],
                    best_lasts[i])
                at += best_marks[i]
            self.postings[shard] = bucket
            self.exact_keys[shard] = exact
            self.exact_texts[shard] = exact_text

    def shard_part(self, shard: int) -> tuple[Any, ...]:
        """What the cache keeps of a postings file (read)."""
        bucket = self.postings[shard]
        if bucket is None:
            raise ValueError(f"postings file {shard} is not read")
        bests = {term: p.best for term, p in bucket.items() if p.best is not None}
        return (*_columns(bucket), self.exact_keys[shard], self.exact_text(shard),
                _columns(bests))

    def document_identity(self, part: int) -> tuple[Any, ...]:
        begin = part * CACHE_PART
        return "documents", begin, min(len(self.keys), begin + CACHE_PART)

    def shard_identity(self, shard: int) -> tuple[Any, ...]:
        return "postings", shard, self.shards, self.width

    def read_all(self) -> None:
        self.read_documents(range(0, len(self.keys), CACHE_PART))
        self.read_shards(range(self.shards))

    # -- the head of the cache ------------------------------------------------------------

    def pieces(self) -> Iterator[tuple[str, Any]]:
        """The state but its parts as a few large objects rather than a million small ones,
        made one at a time (so that they are not all in memory at once)."""
        yield "keys", b"".join(self.keys)
        yield "hints", b"".join(self.hints)
        yield "vocabulary", self.vocabulary
        for part in _parts(self.order):
            yield "order", b"".join(part)
        yield "order_ends", array("I", accumulate(map(len, self.order)))
        yield "facets", "".join(self.facets)
        yield "featured", bytes(self.featured)
        yield "titles", self.titles
        yield "facet_counts", self.facet_counts
        yield "syllable_counts", dict(self.syllable_counts)
        yield "words", self.words
        yield "typos", self.typos
        yield "sizes", (self.size, self.term_count, self.exact_count, self.shards, self.width)
        yield "long_counts", self.long_counts
        yield "document_parts", self.document_parts
        yield "shard_parts", self.shard_parts
        yield "generation", self.generation
        yield "folder", self.folder
        yield "stamps", self.stamps

    def restore(self, pieces: dict[str, list[Any]]) -> None:
        """The state ``pieces`` made, by name, in order, its parts unread (raises if they
        do not fit together)."""
        saved = {name: values[0] for name, values in pieces.items() if len(values) == 1}
        keys = saved["keys"]
        n = len(keys) // 16
        self.keys = [keys[i * 16:i * 16 + 16] for i in range(n)]
        hints = saved["hints"]
        self.hints = [hints[i * 16:i * 16 + 16] for i in range(n)] if hints else [b""] * n
        self.vocabulary = saved["vocabulary"]
        self.order = _cut(b"".join(pieces.get("order", ())), saved["order_ends"], n)
        facets = saved["facets"]
        width = len(facets) // n if n else 0
        if width * n != len(facets):
            raise CacheBroken("the facets do not have a value per document")
        self.facets = [facets[i * width:i * width + width] for i in range(n)]
        self.featured = bytearray(saved["featured"])
        self.titles = saved["titles"]
        self.facet_counts = saved["facet_counts"]
        self.syllable_counts = collections.Counter(saved["syllable_counts"])
        self.words, self.typos = saved["words"], saved["typos"]
        self.size, self.term_count, self.exact_count, self.shards, self.width = saved["sizes"]
        self.terms, self.exact = [None] * n, [None] * n
        self.syllables, self.rows = [None] * n, [None] * n
        self.postings, self.exact_keys = [None] * self.shards, [None] * self.shards
        self.exact_texts = [None] * self.shards
        self.long_counts = saved["long_counts"]
        self.document_parts, self.shard_parts = saved["document_parts"], saved["shard_parts"]
        self.generation = saved["generation"]
        self.folder, self.stamps = saved["folder"], saved["stamps"]

    def consistent(self) -> bool:
        n = len(self.keys)
        return all(len(column) == n for column in (
            self.hints, self.order, self.facets, self.featured)) and \
            len(self.document_parts) == -(-n // CACHE_PART) and \
            len(self.shard_parts) == self.shards == len(self.long_counts) and \
            all(isinstance(ref, tuple) and len(ref) == 3 and isinstance(ref[0], str)
                for ref in (*self.document_parts, *self.shard_parts))


def _columns(postings: Mapping[str, Postings]) -> tuple[Any, ...]:
    """Terms' postings as a few columns (``IndexState.shard_part``): the terms, strings,
    counts, checkpoints and last documents."""
    every = list(postings.values())
    starts, offsets = array("I"), array("I")
    for p in every:
        starts.extend(p.starts)
        offsets.extend(p.offsets)
    return (list(postings), "\n".join(p.text for p in every),  # DIGITS only
            array("I", [c for p in every for c in p.counts]),
            array("I", [len(p.starts) for p in every]), starts, offsets,
            array("I", [p.last for p in every]))


def order_key(parts: Sequence[str]) -> bytes:
    """Strings as one bytes object that sorts as their tuple does (UTF-8 keeps the order of
    code points; a zero byte is escaped, and zero bytes end each string), in a third of the
    memory of the tuple."""
    return b"".join(part.encode().replace(b"\0", b"\0\1") + b"\0\0" for part in parts)


#: Values of a column per piece of the cache's head (``IndexState.pieces``).
HEAD_PIECE = 10_000


def _parts(column: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """A column in parts of ``HEAD_PIECE`` values (at least one part, maybe empty)."""
    size = HEAD_PIECE
    for start in range(0, max(1, len(column)), size):
        yield column[start:start + size]


def _split(text: str, count: int, separator: str = "\n") -> list[str]:
    parts = text.split(separator) if count else []
    if len(parts) != count:
        raise CacheBroken("a cached column does not have a value per document")
    return parts


def _cut(data: bytes, ends: Sequence[int], count: int) -> list[bytes]:
    if len(ends) != count or (count and ends[-1] != len(data)):
        raise CacheBroken("a cached column does not have a value per document")
    return [data[a:b] for a, b in zip([0, *ends], ends, strict=False)]


#: A part of the cache: the pack that holds it, where it starts in it and its length.
PartRef = tuple[str, int, int]
#: The packs of a cache (the parts one save wrote), by the save and a token of their own.
_PACK_NAME = re.compile(r"pack\.[0-9]+\.[0-9a-f]+\.pickle")
#: A save writes every part into a new pack when the packs the head names are more than
#: this, or hold twice the bytes of the parts they still hold (and a megabyte more).
MOST_PACKS = 32


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 1 << 62  # a pack gone: the parts it held are read again (or not used)


class Parts:
    """The cache folder whose head (CACHE_FILE) names a state's parts: each part in a pack
    (one file for all the parts one save wrote), saved with what it is (``identity``) and
    the setting it was made with."""

    def __init__(self, folder: Path, setting: str) -> None:
        self.folder, self.setting = folder, setting

    def read(self, ref: PartRef, identity: tuple[Any, ...]) -> Any:
        name, offset, length = ref
        try:
            with (self.folder / name).open("rb") as handle:
                handle.seek(offset)
                data = handle.read(length)
            made, what, value = pickle.loads(data)
        except Exception as exc:  # whatever is wrong with a part, it is not used
            raise CacheBroken(f"{name}: {exc}") from None
        if (made, what) != (self.setting, identity):
            raise CacheBroken(f"{name}: another part at {offset}")
        return value


class Pack:
    """A new pack of ``state``'s cache in ``folder``, which takes parts (``put``) until the
    state's next save: one pack per write, whether its parts are put while the documents
    are read (``IndexBuilder._build``) or when the state is saved. Each part is appended
    and the file closed again, so that a write that fails leaves no file open."""

    def __init__(self, folder: Path, setting: str, state: IndexState) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        state.generation += 1
        self.name = f"pack.{state.generation}.{os.urandom(4).hex()}.pickle"
        self.folder, self.setting = folder, setting
        (folder / self.name).write_bytes(b"")
        state.parts, state.pack = Parts(folder, setting), self

    def put(self, identity: tuple[Any, ...], value: Any) -> PartRef:
        """Write a part; where it is."""
        data = pickle.dumps((self.setting, identity, value), protocol=pickle.HIGHEST_PROTOCOL)
        with (self.folder / self.name).open("ab") as handle:
            offset = handle.tell()
            handle.write(data)
        return self.name, offset, len(data)


def load_state(folder: Path, setting: str) -> IndexState | None:
    """The cached state (its parts read when needed), or None when it is missing,
    unreadable or made by other code or rules (a cache is only ever a shortcut)."""
    try:
        with (folder / CACHE_FILE).open("rb") as handle:
            if pickle.load(handle) != setting:
                return None
            saved: dict[str, list[Any]] = defaultdict(list)
            while True:
                name, value = pickle.load(handle)
                if not name:
                    break
                saved[name].append(value)
        state = IndexState()
        state.restore(saved)
        state.parts = Parts(folder, setting)
        return state if state.consistent() else None
    except Exception:  # whatever is wrong with a cache, it is not used
        return None


def save_state(folder: Path, setting: str, state: IndexState) -> None:
    """The parts that changed, in a new pack, then the head that names them, written
    atomically: an interrupted build leaves the old cache (or none). Packs the head does not
    name any more are removed; when those it names hold mostly parts replaced since, every
    part goes into the new pack."""
    folder.mkdir(parents=True, exist_ok=True)
    refs = [ref for ref in (*state.document_parts, *state.shard_parts) if ref is not None]
    packs = {ref[0] for ref in refs}
    if state.parts is None or (state.parts.folder, state.parts.setting) != (folder, setting) \
            or len(packs) > MOST_PACKS or \
            sum(map(_size, (folder / name for name in packs))) > \
            2 * sum(ref[2] for ref in refs) + 1_000_000:
        state.read_all()
        state.document_parts = [None] * len(state.document_parts)
        state.shard_parts = [None] * len(state.shard_parts)
    made: list[tuple[str, int, PartRef]] = []
    pack = state.pack  # the one the documents went into as they were read (IndexBuilder._build)
    if pack is None or (pack.folder, pack.setting) != (folder, setting):
        pack = Pack(folder, setting, state)
    state.pack = None
    for kind, parts, identity, value in (
            ("documents", state.document_parts, state.document_identity, state.document_part),
            ("postings", state.shard_parts, state.shard_identity, state.shard_part)):
        for number, ref in enumerate(parts):
            if ref is None:
                made.append((kind, number, pack.put(identity(number), value(number))))
    name = pack.name
    for kind, number, ref in made:
        (state.document_parts if kind == "documents" else state.shard_parts)[number] = ref
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{CACHE_FILE}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(setting, handle, protocol=pickle.HIGHEST_PROTOCOL)
            for piece in state.pieces():
                pickle.dump(piece, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(("", None), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / CACHE_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if not made:
            (folder / name).unlink(missing_ok=True)
        raise
    named = {ref[0] for ref in (*state.document_parts, *state.shard_parts) if ref is not None}
    for path in folder.iterdir():
        if _PACK_NAME.fullmatch(path.name) and path.name not in named:
            path.unlink(missing_ok=True)


class OldestFirst(Sequence[SearchDocument]):
    """A sequence of documents, newest first, read the other way round (nothing is copied:
    the documents may be made only when read)."""

    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        self._documents = documents

    def __len__(self) -> int:
        return len(self._documents)

    @overload
    def __getitem__(self, index: int) -> SearchDocument: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[SearchDocument]: ...

    def __getitem__(self, index: int | slice) -> SearchDocument | Sequence[SearchDocument]:
        size = len(self._documents)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(size))]
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._documents[size - 1 - index]


class IndexBuilder:
    """Writes the index of ``documents`` (newest first; a sequence whose documents may be
    made only when read). ``hints``, one per document (newest first, 16 bytes each), are the
    caller's digests of all that makes each document: a rewrite with a cache reads a
    document whose hint the cache knows no more than that (its terms and record are those
    the cache keeps), and makes and reads only the others. None: every document is read for
    its key (``document_key``)."""

    def __init__(self, catalogue: Catalogue, documents: Sequence[SearchDocument], *,
                 lang: str = "zh", offline: bool = False,
                 hints: Sequence[bytes] | None = None) -> None:
        self.catalogue = catalogue
        self.offline = offline
        rules = catalogue.rules
        self._standards = list(rules.standards)
        self.columns = (*FACET_COLUMNS, (MARK_COLUMN, mark_width(len(self._standards))),
                        *((OFFLINE_COLUMN,) if offline else ()))
        #: Oldest first (see the module's docstring).
        self.documents: Sequence[SearchDocument] = OldestFirst(documents)
        if hints is not None and (len(hints) != len(documents)
                                  or set(map(len, hints)) - {16}):
            raise ValueError("one hint of 16 bytes per document")
        self.hints = list(reversed(hints)) if hints is not None else None
        self.lang = lang
        vocabularies = rules.vocabularies
        self._kinds = list(rules.kinds)
        self._tops = [t.id for t in vocabularies["subjects"].children(None)]
        self._choices = {name: list(vocabularies[name].terms)
                         for name in ("audiences", "languages", "formats", "levels")}

    # -- the whole write ----------------------------------------------------------------

    def write(self, out: Path, *, extra_meta: dict[str, Any] | None = None,
              cache_dir: Path | None = None) -> dict[str, Any]:
        """Write every file of the index under ``out`` (the site's search/ folder); files
        whose bytes are already there are left alone, and index files of an earlier write
        that this one does not make are removed. With ``cache_dir``, what this write learnt
        is kept there for the next one (a folder of its own, safe to delete). Returns
        figures."""
        # Millions of small objects and no reference cycles: the cyclic garbage collector
        # would only walk the whole catalogue again and again (a second of a rewrite).
        collecting = gc.isenabled()
        gc.disable()
        try:
            setting = self.setting()
            old = load_state(cache_dir, setting) if cache_dir is not None else None
            try:
                return self._write(out, extra_meta or {}, cache_dir, setting, old)
            except CacheBroken:  # a part of the cache is damaged: start afresh
                return self._write(out, extra_meta or {}, cache_dir, setting, None)
        finally:
            if collecting:
                gc.enable()

    def _write(self, out: Path, extra_meta: dict[str, Any], cache_dir: Path | None,
               setting: str, old: IndexState | None) -> dict[str, Any]:
        state, how = self.state(old, cacheable=cache_dir is not None,
                                spill=(cache_dir, setting) if cache_dir is not None else None)
        folder = str(out.resolve())
        previous = old.folder if old is not None else ""
        stamps = old.stamps if old is not None and previous == folder else {}
        figures = write_files(out, self.files(state), stamps)
        # The version of the index: a digest of its files' digests.
        version = hashlib.sha256(b"".join(s[2] for s in figures["stamps"].values()))
        more = write_files(out, [("meta", self.meta(state, extra_meta,
                                                    version.hexdigest()[:12]), False)],
                           stamps, remove=False)
        for key in ("files", "bytes", "written"):
            figures[key] += more[key]
        state.stamps = {**figures.pop("stamps"), **more["stamps"]}
        state.folder = folder
        if cache_dir is not None and (state is not old or state.head_changed
                                      or figures["written"] or previous != folder):
            save_state(cache_dir, setting, state)
        return {"documents": len(self.documents), "terms": state.term_count, **figures,
                "cache": how}

    def setting(self) -> str:
        """What every cached value depends on besides its document: this code, the text
        libraries, the catalogue's kinds and vocabularies, the language."""
        digest = hashlib.sha256(f"{CACHE_FORMAT}:{self.lang}{':offline' * self.offline}"
                                .encode())
        for path in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        for dist in ("lunr", "pypinyin", "zhconv"):
            try:
                digest.update(f"{dist} {version(dist)}".encode())
            except PackageNotFoundError:
                digest.update(dist.encode())
        rules = self.catalogue.rules
        digest.update(repr((rules.kinds, rules.vocabularies, list(rules.standards))).encode())
        return digest.hexdigest()

    # -- the state: documents and postings ---------------------------------------------

    def keys(self, old: IndexState | None) -> tuple[list[bytes], list[bytes]]:
        """Each document's key and hint, oldest first. A document whose hint ``old`` knows
        (and no other document has) keeps the key it has there, unread; the others are read
        (``document_key``)."""
        documents = self.documents
        hints = self.hints if self.hints is not None else [b""] * len(documents)
        known: dict[bytes, bytes] = {}
        if old is not None and self.hints is not None:
            known = dict(zip(old.hints, old.keys, strict=True))
            known.pop(b"", None)
            if len(known) != len(old.hints) or len(set(hints)) != len(hints):
                # a hint twice (never, made well) stands for no document
                theirs, mine = collections.Counter(old.hints), collections.Counter(hints)
                known = {hint: key for hint, key in known.items()
                         if theirs[hint] == 1 and mine[hint] == 1}
        found: list[bytes | None] = list(map(known.get, hints))
        if None in found:
            for number, key in enumerate(found):
                if key is None:
                    found[number] = document_key(documents[number])
        return cast("list[bytes]", found), hints

    def state(self, old: IndexState | None, *, cacheable: bool = True,
              spill: tuple[Path, str] | None = None) -> tuple[IndexState, str]:
        """The index of ``self.documents``, from ``old`` where it can; and how it was made
        ("new", "unchanged", "updated" or "rebuilt"). ``cacheable``: see IndexState.add;
        ``spill``: see ``_build``."""
        keys, hints = self.keys(old)
        if old is None:
            return self._build(keys, hints, None, [-1] * len(keys), cacheable, spill), "new"
        at = dict(zip(old.keys, range(len(old.keys)), strict=True))
        source = list(map(at.get, keys, itertools.repeat(-1)))
        kept = list(filter((-1).__lt__, source))
        in_order = kept == sorted(set(kept))
        changes = len(keys) - len(kept) + len(old.keys) - len(kept)
        if not changes and in_order:
            old.changes = Changes(set(), set(), set(), None, facets=False, titles=False)
            if old.hints != hints:
                old.hints, old.head_changed = hints, True
            return old, "unchanged"
        if not in_order or changes > MOST_CHANGES:
            return self._build(keys, hints, old, source, spill=spill), "rebuilt"
        return self._update(keys, hints, old, source), "updated"

    def _build(self, keys: list[bytes], hints: list[bytes], old: IndexState | None,
               source: list[int], cacheable: bool = True,
               spill: tuple[Path, str] | None = None) -> IndexState:
        """Every term encoded again, from the documents' terms (extracted, or ``old``'s
        where ``source`` names a document of it). With ``spill`` (the cache's folder and
        setting), each part of the documents goes into a pack of the cache as soon as it is
        whole, and only the columns every file needs stay in memory (``spill_part``)."""
        state = IndexState()
        if old is not None:
            state.vocabulary = list(old.vocabulary)
            state.generation = old.generation
            old.read_documents(was for was in source if was >= 0)
        ids = {term: number for number, term in enumerate(state.vocabulary)}
        pack = Pack(*spill, state) if spill is not None and cacheable else None
        spilled: list[PartRef | None] = []
        # term number -> (doc << 3 | level)...: flat integer arrays, since a list (or a
        # dict) per posting would take gigabytes at 90,000 entries
        found: dict[int, array[int]] = {}
        for number, (key, was) in enumerate(zip(keys, source, strict=True)):
            if pack is not None and number and not number % CACHE_PART:
                spilled.append(state.spill_part(number // CACHE_PART - 1, pack))
            if was < 0:
                terms = state.add(key, hints[number], self.document(self.documents[number]),
                                  ids, cacheable=cacheable)
            else:
                assert old is not None
                state.copy(old, was, was + 1)
                terms = array("I", state.terms[-1])  # type: ignore[arg-type]
                state.syllable_counts.update(state.syllables[-1].split())  # type: ignore[union-attr]
                state.exact_count += len(state.exact[-1]) // 4  # type: ignore[arg-type]
            for packed in terms:
                items = found.get(packed >> 3)
                if items is None:
                    items = found[packed >> 3] = array("I")
                items.append(number << 3 | packed & 7)
        if pack is not None and keys:
            spilled.append(state.spill_part(len(spilled), pack))
        state.hints = list(hints)
        count = len(WEIGHT_LEVELS)
        vocabulary = state.vocabulary
        postings = {}
        for term_id in sorted(found, key=vocabulary.__getitem__):
            items = found.pop(term_id)
            postings[vocabulary[term_id]] = encode(
                [p >> 3 for p in items], [p & 7 for p in items], count)
        state.lay_out(postings)
        if spilled:
            state.document_parts = spilled
        return state

    def _update(self, keys: list[bytes], hints: list[bytes], old: IndexState,
                source: list[int]) -> IndexState:
        """``old`` with a few documents removed and added: only the postings next to a
        change are encoded again, only the parts of the cache that change are read (and
        saved again). ``old`` is taken apart for it."""
        count = len(WEIGHT_LEVELS)
        size, known = len(keys), len(old.keys)
        moved = array("i", [-1]) * known
        for number, was in enumerate(source):
            if was >= 0:
                moved[was] = number
        breaks, shift = array("I"), 0
        for was, number in enumerate(moved):
            if number >= 0 and number - was != shift:
                breaks.append(was)
                shift = number - was
        gone = [was for was, number in enumerate(moved) if number < 0]
        # A part of the documents whose documents all keep their number keeps its part of
        # the cache; the documents of the others are read, to be saved again.
        kept_parts = []
        for begin in range(0, size, CACHE_PART):
            end = min(size, begin + CACHE_PART)
            kept_parts.append(min(known, begin + CACHE_PART) == end and all(
                source[n] == n for n in range(begin, end)))
        old.read_documents([*gone, *(source[n] for part, kept in enumerate(kept_parts)
                                     if not kept for n in range(
                                         part * CACHE_PART, min(size, (part + 1) * CACHE_PART))
                                     if source[n] >= 0)])
        removed: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for was in gone:
            for term, level in old.terms_of(was):
                removed[term].append((was, level))
            old.forget(was)
        state = IndexState()
        state.vocabulary = old.vocabulary
        state.syllable_counts, state.exact_count = old.syllable_counts, old.exact_count
        state.words, state.typos, state.size = old.words, old.typos, old.size
        state.term_count = old.term_count
        ids = {term: number for number, term in enumerate(state.vocabulary)}
        added: dict[str, list[tuple[int, int]]] = defaultdict(list)
        after: dict[int, int] = {}
        last_kept, run = -1, -1  # run: the first old document of a run of kept ones
        for number, (key, was) in enumerate(zip(keys, source, strict=True)):
            if was >= 0:
                if run < 0 or was != last_kept + 1:
                    if run >= 0:
                        state.copy(old, run, last_kept + 1)
                    run = was
                last_kept = was
                continue
            if run >= 0:
                state.copy(old, run, last_kept + 1)
                run = -1
            data = self.document(self.documents[number])
            state.add(key, hints[number], data, ids)
            after[number] = last_kept
            for term, level in data.terms.items():
                added[term].append((number, level))
        if run >= 0:
            state.copy(old, run, last_kept + 1)
        state.hints = list(hints)
        state.parts = old.parts
        state.document_parts = [old.document_parts[part] if kept else None
                                for part, kept in enumerate(kept_parts)]
        state.generation = old.generation
        state.facet_counts = old.facet_counts
        if old.titles is not None:  # the old order, renumbered, with the new documents
            titles = [moved[doc] for doc in old.titles if moved[doc] >= 0]
            for number in after:
                insort(titles, number, key=state.order.__getitem__)
            state.titles = array("I", titles)
        # The postings files: of the terms of documents gone or added and, when documents
        # are numbered anew, of every term after the first of them.
        shards = state.shards = old.shards
        state.width = old.width
        state.postings, state.exact_keys = old.postings, old.exact_keys
        state.exact_texts = old.exact_texts
        state.long_counts = list(old.long_counts)
        state.shard_parts = list(old.shard_parts)
        gone_exact = [(value, was) for was in gone
                      for value in array("I", old.exact[was])]  # type: ignore[arg-type]
        new_exact = [(value, number) for number in after
                     for value in array("I", state.exact[number])]  # type: ignore[arg-type]
        if breaks:
            state.read_shards(range(shards))
        else:
            state.read_shards({fnv1a(term) % shards for term in (*removed, *added)}
                              | {value % shards for value, _ in (*gone_exact, *new_exact)})
        first_break = breaks[0] if breaks else None
        touched: dict[str, int] = {term: fnv1a(term) % shards for term in (*removed, *added)}
        if first_break is not None:
            for shard, bucket in enumerate(state.postings):
                for term, postings in bucket.items():  # type: ignore[union-attr]
                    if first_break <= postings.last:
                        touched[term] = shard
        words: set[str] = set()
        dirty: set[int] = set()
        for term, shard in touched.items():
            bucket = state.postings[shard]
            assert bucket is not None
            was_there = bucket.get(term)
            if was_there is None:
                state.term_count += 1
                items = added[term]
                changed: Postings | None = encode([d for d, _ in items],
                                                  [lv for _, lv in items], count)
            else:
                gone_here, new_here = removed.get(term, ()), added.get(term, ())
                changed = update(was_there, count, moved, breaks, gone_here, new_here, after)
                if changed is was_there:
                    continue
                if changed is not None and len(changed.text) > HEAD_LIMIT:
                    changed.best = carry_best(was_there, count, moved, breaks, gone_here,
                                              new_here, after, state.featured, HEAD_SIZE)
                state.size -= term_size(term, was_there)
            dirty.add(shard)
            if changed is None:
                state.term_count -= 1
                del bucket[term]
            else:
                bucket[term] = changed
                state.size += term_size(term, changed)
            if was_there is None or changed is None or changed.counts != was_there.counts:
                state.count_word(term, changed)
                if word_term(term):
                    words.add(term)
        # Exact keys: of documents gone and added, and all of them renumbered.
        if breaks:
            for shard, values in enumerate(state.exact_keys):
                renumbered = array("Q", [value & ~_DOC_MASK | moved[value & _DOC_MASK]
                                         for value in values  # type: ignore[union-attr]
                                         if moved[value & _DOC_MASK] >= 0])
                if renumbered != values:
                    state.exact_keys[shard] = renumbered
                    state.exact_texts[shard] = None
                    dirty.add(shard)
        else:
            for value, was in gone_exact:
                values = state.exact_keys[value % shards]
                assert values is not None
                del values[bisect_left(values, value << _DOC_BITS | was)]
                state.exact_texts[value % shards] = None
                dirty.add(value % shards)
        for value, number in new_exact:
            values = state.exact_keys[value % shards]
            assert values is not None
            packed = value << _DOC_BITS | number
            values.insert(bisect_left(values, packed), packed)
            state.exact_texts[value % shards] = None
            dirty.add(value % shards)
        width = fixed_width(max(1, size - 1))
        wanted = shard_count(state.size, state.exact_count, width)
        if wanted != shards:
            state.lay_out_again(wanted)
        elif width != old.width:  # every file's exact keys are written again, and kept
            state.read_shards(range(shards))
            state.exact_texts = [None] * shards
            state.shard_parts = [None] * shards
        else:
            for shard in dirty:
                state.shard_parts[shard] = None
        state.width = width
        documents = set(after)
        if size != known and keys:
            documents.add(size - 1)  # the last record file grows or shrinks
        # A new shard count or a wider document number (the 92nd document needs two digits)
        # rewrites every postings file; so do documents numbered anew (their exact keys).
        state.changes = Changes(words, None if wanted != shards or width != old.width
                                or breaks else dirty, documents,
                                moved[first_break] if first_break is not None else None,
                                facets=state.facets != old.facets,
                                titles=size != known or state.titles != old.titles)
        return state

    def document(self, doc: SearchDocument) -> DocumentData:
        """What ``doc`` gives the index. The one place where the index works on a document
        at a time: a failure raises DocumentError, naming the entry's file, and its field
        when the failure was on one of its texts."""
        place: list[tuple[str, str] | None] = [None]  # (field of entry_fields, text)
        try:
            return self._document(doc, place)
        except MemoryError:
            raise
        except Exception as exc:
            entry = doc.entry
            field = field_of(entry, *place[0]) if place[0] is not None else None
            where = f"{CONTENT}/{entry.path}" + (f": {field}" if field else "")
            raise DocumentError(f"{where}: the search index failed on this entry: "
                                f"{type(exc).__name__}: {exc}") from exc

    def _document(self, doc: SearchDocument, place: list[tuple[str, str] | None]
                  ) -> DocumentData:
        entry = doc.entry
        fields = document_fields(self.catalogue, doc)
        terms: dict[str, int] = {}
        for field, texts in fields.items():
            level = LEVEL_OF[field]
            singles = field in SINGLES
            for text in texts:
                if not text:
                    continue
                place[0] = field, text
                for term in index_terms(text, pinyin=singles):
                    if not singles and len(term) == 1 and term >= "\u3400":
                        continue
                    if terms.get(term, -1) < level:
                        terms[term] = level
        place[0] = "title", entry.title
        exact = {exact_hash(entry.title), exact_hash(entry.title_en or ""), exact_hash(entry.id),
                 exact_hash(entry.get("code") or "")}  # a whole code finds its entry
        for name in person_names(entry, doc.people):
            key = exact_hash(name)
            if key is not None:
                exact.add(key ^ NAME_KEY)
        order = order_key(title_sort_key(entry))
        syllables: set[str] = set()
        for field in SINGLES:
            for text in fields[field]:
                if text:
                    place[0] = field, text
                    syllables.update(syllables_of(text))
        place[0] = None
        row: list[Any] = [doc.url, entry.title, self._kinds.index(entry.kind), doc.facts,
                          entry.summary[:SNIPPET], entry.title_en or "", doc.cover or ""]
        while row[-1] == "":
            row.pop()
        return DocumentData(terms, array("I", sorted(h for h in exact if h is not None)).tobytes(),
                            " ".join(sorted(syllables)), order, js_json(row),
                            self._facet_digits(doc), bool(entry.featured))

    def _facet_digits(self, doc: SearchDocument) -> str:
        entry = doc.entry

        def bits(values: Iterable[int]) -> str:
            return bit_digits(values, 2)

        def one(value: str | None, name: str) -> str:
            choices = self._choices[name]
            return ALPHABET[choices.index(value) + 1] if value in choices else "0"

        def wide(value: str | None, name: str) -> str:
            choices = self._choices[name]
            number = choices.index(value) + 1 if value in choices else 0
            return ALPHABET[number & 63] + ALPHABET[number >> 6]

        tops = self._tops
        subjects = self.catalogue.terms_of(entry, "subjects", "subjects")
        audiences = self._choices["audiences"]
        minutes = entry.get("duration_minutes")
        has = easy_filters(entry)
        easy = sum(1 << bit for bit, name in enumerate(EASY_BITS) if name in has)
        standards = self._standards
        marks = [standards.index(mark["standard"]) for mark in entry.get("marks", ())
                 if mark.get("standard") in standards]
        return "".join((
            ALPHABET[self._kinds.index(entry.kind)],
            bits(doc.sections),
            bits(tops.index(s) for s in subjects if s in tops),
            bits(audiences.index(a) for a in entry.get("audiences", ()) if a in audiences),
            wide(entry.get("language"), "languages"),
            one(entry.get("format"), "formats"),
            one(entry.get("level"), "levels"),
            "0" if minutes is None else
            ALPHABET[1 + next(i for i, (limit, _) in enumerate(DURATIONS) if minutes < limit)],
            ALPHABET[min(63, max(1, year_of(entry) - 1990 + 1))],
            ALPHABET[easy],
            bit_digits(marks, mark_width(len(standards))),
            ("1" if doc.works_offline else "0") if self.offline else ""))

    # -- the files ----------------------------------------------------------------------

    def files(self, state: IndexState
              ) -> Iterator[tuple[str, bytes | Callable[[], bytes], bool]]:
        """Every file of the index but meta.js, one at a time: (name without .js, its bytes
        or a function that makes them, whether it is as the cached state wrote it)."""
        documents = len(state.keys)
        changes = state.changes
        dirty = None if changes is None else changes.shards
        for shard in range(state.shards):
            unchanged = dirty is not None and shard not in dirty
            yield f"p/{shard}", functools.partial(self._shard_file, state, shard), unchanged
            if not unchanged:  # the file is written again: its long terms may change
                state.read_shards((shard,))
                state.long_counts[shard] = len(long_terms(state.postings[shard]))  # type: ignore[arg-type]
            for number in range(state.long_counts[shard]):
                yield f"q/{shard}-{number}", functools.partial(
                    self._long_file, state, shard, number), unchanged
        self._dictionaries, self._typos = sorted(state.words), sorted(state.typos)
        for folder, files, key_of in (("d", state.words, dictionary_key),
                                      ("e", state.typos, typo_key)):
            dirty_keys = None if changes is None else {key_of(t) for t in changes.words}
            for key in sorted(files):
                name = f"{folder}/{key}"
                yield name, functools.partial(script, name, dict(sorted(files[key].items()))), \
                    dirty_keys is not None and key not in dirty_keys
        # Record files: those of added documents, and all from the first one numbered anew.
        first, added = 0, set()
        if changes is not None:
            first = documents if changes.renumbered_from is None else changes.renumbered_from
            added = {doc // RECORDS_PER_FILE for doc in changes.documents}
        for start in range(0, documents, RECORDS_PER_FILE):
            number = start // RECORDS_PER_FILE
            yield f"r/{number}", functools.partial(self._records, state, number), \
                start + RECORDS_PER_FILE <= first and number not in added
        if changes is not None and not changes.facets and state.facet_counts is not None:
            self._easy, self._offline = state.facet_counts
            yield "f", functools.partial(self._facets_file, state), True
        else:
            yield "f", self._facets_file(state), False
        if state.titles is None:
            state.titles = array("I", sorted(range(documents), key=state.order.__getitem__))
        yield "o", functools.partial(self._titles_file, state), \
            changes is not None and not changes.titles

    def _facets_file(self, state: IndexState) -> bytes:
        """f.js; and what meta.js counts of the facets."""
        every = "".join(state.facets)
        step = sum(size for _name, size in self.columns)
        columns, at = {}, 0
        for name, size in self.columns:
            columns[name] = every[at::step] if size == 1 else "".join(
                map(str.__add__, every[at::step], every[at + 1::step]))
            at += size
        self._easy = self._easy_meta(columns)
        self._offline = columns["offline"].count("1") if self.offline else None
        state.facet_counts = self._easy, self._offline
        return script("f", columns)

    @staticmethod
    def _titles_file(state: IndexState) -> bytes:
        """o.js: the place of each document in title order."""
        assert state.titles is not None
        rank = [0] * len(state.keys)
        for position, doc in enumerate(state.titles):
            rank[doc] = position
        return script("o", "".join(fixed_all(rank, state.width)))

    @staticmethod
    def _shard_file(state: IndexState, shard: int) -> bytes:
        state.read_shards((shard,))
        bucket = state.postings[shard]
        assert bucket is not None
        items = {term: postings.text for term, postings in bucket.items()}
        for number, term in enumerate(long_terms(bucket)):
            items[term] = head_text(bucket[term], len(WEIGHT_LEVELS), state.featured,
                                    HEAD_SIZE, number)
        if state.exact_keys[shard]:
            items["="] = state.exact_text(shard)
        return script(f"p/{shard}", {term: items[term] for term in sorted(items)})

    @staticmethod
    def _long_file(state: IndexState, shard: int, number: int) -> bytes:
        """q/<shard>-<number>.js: the whole postings of a term written as a head."""
        state.read_shards((shard,))
        bucket = state.postings[shard]
        assert bucket is not None
        return script(f"q/{shard}-{number}", bucket[long_terms(bucket)[number]].text)

    @staticmethod
    def _records(state: IndexState, number: int) -> bytes:
        begin = number * RECORDS_PER_FILE
        end = min(len(state.keys), begin + RECORDS_PER_FILE)
        state.read_documents(range(begin, end))
        data = _script(f"r/{number}", f"[{','.join(state.rows[begin:end])}]")  # type: ignore[arg-type]
        part = begin // CACHE_PART
        if state.document_parts[part] is not None and \
                end == min(len(state.keys), part * CACHE_PART + CACHE_PART):
            state.forget_part(part)  # its last record file: saved, and read again if need be
        return data

    def meta(self, state: IndexState, extra_meta: dict[str, Any], version: str) -> bytes:
        """meta.js, after the files (``version``: a digest of theirs)."""
        syllables = sorted(state.syllable_counts)
        chosen = [n for n, featured in enumerate(state.featured) if featured]
        meta = {**self._meta(len(state.keys), state.shards, state.width, self._dictionaries,
                             syllables),
                **extra_meta,
                # Numbers of this index's documents, whatever the caller counted: the
                # distance of each from the one before (from 0), in postings' digits.
                "featured": "".join(numbers(map(operator.sub, chosen, [0, *chosen]))),
                "version": version}
        return script("meta", meta)

    def _easy_meta(self, columns: Mapping[str, str]) -> dict[str, Any]:
        """What the browser needs of the filters that suit older learners (``EASY``): their
        names, labels (None: the page's own string, ``easy_<name>``), the number of the
        beginner level (-1: none), the numbers of the languages that are dialects, and how
        many documents each filter finds (the search page links them before any query)."""
        levels, languages = self._choices["levels"], self._choices["languages"]
        beginner = levels.index(BEGINNER) if BEGINNER in levels else -1
        dialects = [number for number, code in enumerate(languages) if code in DIALECTS]
        labels = easy_labels(self.catalogue, self.lang)
        masks = collections.Counter(columns["easy"])
        counts = [sum(n for digit, n in masks.items() if ALPHABET.index(digit) >> bit & 1)
                  for bit in range(len(EASY_BITS))]
        level, language = columns["level"], columns["language"]
        counts.append(level.count(ALPHABET[beginner + 1]) if beginner >= 0 else 0)
        wide = collections.Counter(language[i:i + 2] for i in range(0, len(language), 2))
        counts.append(sum(wide[ALPHABET[(number + 1) & 63] + ALPHABET[(number + 1) >> 6]]
                          for number in dialects))
        return {"names": list(EASY), "labels": labels, "level": beginner,
                "dialects": dialects, "counts": counts}

    def _meta(self, documents: int, shards: int, width: int, dictionaries: list[str],
              syllables: list[str]) -> dict[str, Any]:
        rules = self.catalogue.rules
        lang = self.lang

        def labels(vocabulary: str, ids: Iterable[str]) -> list[str]:
            terms = rules.vocabularies[vocabulary].terms
            return [terms[i].label.get(lang) for i in ids]

        return {
            "documents": documents, "shards": shards,
            "records": RECORDS_PER_FILE, "alphabet": ALPHABET,
            "digits": DIGITS, "final": FINAL, "width": width,
            "weights": WEIGHT_LEVELS, "pinyinMark": PINYIN_MARK,
            "initialsMark": INITIALS_MARK, "dictionaries": dictionaries,
            "typos": self._typos,
            "syllables": syllables,
            "facets": {
                "kind": [k.label.get(lang) for k in rules.kinds.values()],
                "section": [s.title.get(lang) for s in rules.sections],
                "subject": labels("subjects", self._tops),
                "audience": labels("audiences", self._choices["audiences"]),
                "language": labels("languages", self._choices["languages"]),
                "format": labels("formats", self._choices["formats"]),
                "level": labels("levels", self._choices["levels"]),
                "duration": [label for _limit, label in DURATIONS],
                MARK_COLUMN: [s.title.get(lang) for s in rules.standards.values()],
                "yearBase": 1990,
                "easy": self._easy,
                # The offline copy's filter: how many documents work offline (its words
                # are the page's, ui.works_offline).
                **({"offline": self._offline} if self.offline else {}),
            },
        }


#: The folders of index files under search/ (see the module's docstring).
INDEX_FOLDERS = ("p", "q", "d", "e", "r")


def write_files(out: Path, files: Iterable[tuple[str, bytes | Callable[[], bytes], bool]],
                stamps: dict[str, tuple[int, int, bytes]], *, remove: bool = True
                ) -> dict[str, Any]:
    """Write ``files`` (name, bytes or what makes them, whether it is unchanged since
    ``stamps`` were taken) as ``out/<name>.js``. ``stamps``: per file its size, modification
    time and digest as an earlier call wrote it: an unchanged file that still has its stamp
    is not made again nor read; other files are made, and written only if their bytes
    differ from the file's. With ``remove``, index files (under INDEX_FOLDERS) that are not
    among ``files`` are removed. Returns figures: files, bytes, written (how many were),
    shards, and the stamps of every file, in order."""
    out.mkdir(parents=True, exist_ok=True)
    for folder in INDEX_FOLDERS:
        (out / folder).mkdir(exist_ok=True)
    written = size = 0
    new_stamps = {}
    for name, make, unchanged in files:
        path = out / f"{name}.js"
        stamp = stamps.get(name)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if unchanged and stamp is not None and stat is not None and \
                (stat.st_size, stat.st_mtime_ns) == stamp[:2]:
            new_stamps[name] = stamp
            size += stat.st_size
            continue
        data = make if isinstance(make, bytes) else make()
        size += len(data)
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if stat is not None and stamp is not None and \
                (stat.st_size, stat.st_mtime_ns) == stamp[:2]:
            same = stamp[2] == digest  # the file is as written then: its digest says
        else:
            same = stat is not None and stat.st_size == len(data) and path.read_bytes() == data
        if not same:
            path.write_bytes(data)
            written += 1
            stat = path.stat()
        assert stat is not None  # same: the file is there
        new_stamps[name] = (stat.st_size, stat.st_mtime_ns, digest)
    if remove:
        for folder in INDEX_FOLDERS:
            for path in (out / folder).iterdir():
                if f"{folder}/{path.stem}" not in new_stamps and path.is_file():
                    path.unlink()
    return {"shards": sum(1 for name in new_stamps if name.startswith("p/")),
            "files": len(new_stamps), "bytes": size, "written": written,
            "stamps": new_stamps}


_HAN_OR_NOT = re.compile(f"[{HAN}]+|[^{HAN}]+")


def title_sort_key(entry: Entry) -> tuple[str, str, str]:
    """Titles in pinyin order, as Chinese readers expect (not character-code order)."""
    folded = fold(entry.title)
    words: list[str] = []
    for run in _HAN_OR_NOT.findall(folded):
        words.extend(_pinyin(run) if run[0] >= "\u3400" else [run.strip()])
    return " ".join(w for w in words if w), folded, entry.id


def year_of(entry: Entry) -> int:
    """The year the year facet files an entry under: its own year (the last of a period's:
    a book of 1920-1925 is of 1925), a lecture's, else the year it was published."""
    year = entry.get("year")
    if isinstance(year, int):
        return year
    if isinstance(year, Period):
        return year.end
    starts = entry.get("starts")
    if isinstance(starts, dt.datetime):
        return starts.year
    return entry.published.year


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """By published date, newest first, then by id (two stable sorts: a catalogue's
    entries come by id already)."""
    return sorted(sorted(entries, key=_ID), key=_published_day, reverse=True)


_ID = operator.attrgetter("id")


def _published_day(entry: Entry) -> int:
    return entry.values["published"].toordinal()  # type: ignore[no-any-return]
