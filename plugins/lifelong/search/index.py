"""Build the search index of a catalogue: postings shards, term dictionaries, result records
and facet columns, each a classic script (``LifelongSearch.add(name, data)``) so that the
browser loads them with <script> tags, on http:// and on file:// alike.

Layout under ``search/`` in the site (all names derived, so a query loads only its files):
  meta.js         counts, shard count, weights, facet labels, pinyin syllables, featured docs
  p/<n>.js        postings: term -> varints of (document distance * 8 + weight level);
                  shard = fnv1a(term) % P
  d/<ab>.js       English terms starting with "ab", with document frequencies (prefix and
                  one-typo matching while typing)
  r/<n>.js        result records of documents n*R .. n*R+R-1 (title, address, cover, facts...)
  f.js            facet columns, one character (or two) per document
  o.js            title order of every document (for "sort by title")
Documents are numbered newest first, so "sort by newest" needs no data at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lifelong.model import Catalogue, Entry
from lifelong.search.text import (
    INITIALS_MARK,
    PINYIN_MARK,
    _pinyin,
    exact_key,
    fnv1a,
    fold,
    index_terms,
)

#: Field weights: an exact title beats any title, then names, subjects, tags, summary.
WEIGHTS = {"exact": 100, "title": 10, "id": 8, "names": 6, "subjects": 4, "tags": 3,
           "summary": 2}
WEIGHT_LEVELS = sorted(set(WEIGHTS.values()))
RECORDS_PER_FILE = 16  # a result list touches one file per result: keep them small
SNIPPET = 100  # characters of the summary a result shows
SHARD_TARGET_BYTES = 24_000
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
DURATIONS = ((15, "<15"), (30, "15-30"), (60, "30-60"), (10**9, "60+"))


def varint(number: int) -> str:
    """Base-64 digits, 5 bits each, low first; a digit >= 32 means "more follows"."""
    out = []
    while True:
        low = number & 31
        number >>= 5
        if number:
            out.append(ALPHABET[low | 32])
        else:
            out.append(ALPHABET[low])
            return "".join(out)


def encode_postings(postings: Iterable[int]) -> str:
    """``doc << 3 | level`` in document order -> one varint per posting: the distance from
    the previous document, times 8, plus the weight level (one digit for close documents)."""
    parts, last = [], 0
    for packed in postings:
        doc = packed >> 3
        parts.append(varint((doc - last) << 3 | (packed & 7)))
        last = doc
    return "".join(parts)


def script(name: str, data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # Safe inside a classic script whatever the text holds.
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'LifelongSearch.add("{name}",{text});\n'.encode()


@dataclass(frozen=True)
class SearchDocument:
    """What the index needs of one entry, in the site's language and address scheme."""

    entry: Entry
    url: str
    cover: str | None
    facts: str
    sections: tuple[int, ...]


def entry_fields(catalogue: Catalogue, entry: Entry) -> dict[str, list[str]]:
    """Field name -> texts, for the weights above."""
    vocab = catalogue.rules.vocabularies["subjects"]
    subjects = []
    for term in catalogue.terms_of(entry, "subjects", "subjects"):
        label = vocab.terms[term].label
        subjects += [label.zh, label.en]
    names = [name for _field, name in entry.people()]
    if entry.get("name"):
        names.append(entry.get("name"))
    for name in ("organiser", "provider", "publisher"):
        if entry.get(name):
            names.append(entry.get(name))
    return {"title": [entry.title, entry.title_en or ""], "id": [entry.id],
            "names": names, "subjects": subjects, "tags": list(entry.get("tags", ())),
            "summary": [entry.summary]}


class IndexBuilder:
    def __init__(self, catalogue: Catalogue, documents: list[SearchDocument], *,
                 lang: str = "zh") -> None:
        self.catalogue = catalogue
        self.documents = documents
        self.lang = lang
        self._dictionary_keys: list[str] = []

    def postings(self) -> dict[str, array[int]]:
        """Term -> postings ``doc << 3 | weight level`` in document order: flat integer arrays,
        since a dict per posting would take gigabytes at 90,000 entries."""
        levels = {w: i for i, w in enumerate(WEIGHT_LEVELS)}
        found: dict[str, array[int]] = {}
        for number, doc in enumerate(self.documents):
            entry = doc.entry
            best: dict[str, int] = {}
            for field, texts in entry_fields(self.catalogue, entry).items():
                weight = WEIGHTS[field]
                pinyin = field in ("title", "names")
                for text in texts:
                    if not text:
                        continue
                    for term in index_terms(text, pinyin=pinyin):
                        if field == "summary" and len(term) == 1 and term >= "\u3400":
                            continue  # single characters of summaries: noise, and bulk
                        if best.get(term, 0) < weight:
                            best[term] = weight
            best[exact_key(entry.title)] = WEIGHTS["exact"]
            if entry.title_en:
                best[exact_key(entry.title_en)] = WEIGHTS["exact"]
            for term, weight in best.items():
                items = found.get(term)
                if items is None:
                    items = found[term] = array("I")
                items.append(number << 3 | levels[weight])
        return found

    def syllables(self) -> list[str]:
        found: set[str] = set()
        for doc in self.documents:
            for field, texts in entry_fields(self.catalogue, doc.entry).items():
                if field in ("title", "names"):
                    for text in texts:
                        for run in re.findall("[\u3400-\u9fff\uf900-\ufaff]+", fold(text)):
                            found.update(s for s in _pinyin(run) if s.isascii())
        return sorted(found)

    def write(self, out: Path, *, extra_meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write every file under ``out`` (the site's search/ folder); return figures."""
        out.mkdir(parents=True, exist_ok=True)
        postings = self.postings()
        encoded = {term: encode_postings(items) for term, items in postings.items()}
        total = sum(len(t) + len(p) + 6 for t, p in encoded.items())
        shards = 1 << max(0, math.ceil(math.log2(max(1, total / SHARD_TARGET_BYTES))))
        buckets: dict[int, dict[str, str]] = defaultdict(dict)
        for term in sorted(encoded):
            buckets[fnv1a(term) % shards][term] = encoded[term]
        written: list[tuple[str, bytes]] = []
        for number in range(shards):
            written.append((f"p/{number}", script(f"p/{number}", buckets.get(number, {}))))
        dictionary: dict[str, dict[str, int]] = defaultdict(dict)
        for term, items in postings.items():
            if term.isascii() and term[:1].isalpha():
                dictionary[term[:2]][term] = len(items)
        self._dictionary_keys = sorted(dictionary)
        for key in sorted(dictionary):
            written.append((f"d/{key}", script(f"d/{key}", dict(sorted(dictionary[key].items())))))
        written.extend(self._records())
        written.append(("f", script("f", self._facets())))
        order = sorted(range(len(self.documents)),
                       key=lambda n: title_sort_key(self.documents[n].entry))
        rank = [0] * len(order)
        for position, number in enumerate(order):
            rank[number] = position
        written.append(("o", script("o", "".join(varint(r) + "." for r in rank))))
        meta = {**self._meta(shards), **(extra_meta or {})}
        version = hashlib.sha256(b"".join(data for _name, data in written)).hexdigest()[:12]
        meta["version"] = version
        written.append(("meta", script("meta", meta)))
        for name, data in written:
            path = out / f"{name}.js"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return {"documents": len(self.documents), "terms": len(postings), "shards": shards,
                "files": len(written), "bytes": sum(len(d) for _n, d in written)}

    def _records(self) -> Iterable[tuple[str, bytes]]:
        kinds = list(self.catalogue.rules.kinds)
        for start in range(0, len(self.documents), RECORDS_PER_FILE):
            rows = []
            for doc in self.documents[start:start + RECORDS_PER_FILE]:
                entry = doc.entry
                rows.append([doc.url, entry.title, entry.title_en or "", kinds.index(entry.kind),
                             doc.cover or "", doc.facts, entry.summary[:SNIPPET],
                             1 if entry.featured else 0])
            name = f"r/{start // RECORDS_PER_FILE}"
            yield name, script(name, rows)

    def _facets(self) -> dict[str, str]:
        catalogue = self.catalogue
        rules = catalogue.rules
        kinds = list(rules.kinds)
        tops = [t.id for t in rules.vocabularies["subjects"].children(None)]
        audiences = list(rules.vocabularies["audiences"].terms)
        languages = list(rules.vocabularies["languages"].terms)
        formats = list(rules.vocabularies["formats"].terms)
        levels = list(rules.vocabularies["levels"].terms)
        columns: dict[str, list[str]] = {name: [] for name in (
            "kind", "section", "subject", "audience", "language", "format", "level",
            "duration", "year")}

        def bits(values: Iterable[int]) -> str:
            mask = sum(1 << v for v in set(values))
            return ALPHABET[mask & 63] + ALPHABET[(mask >> 6) & 63]

        def one(value: str | None, choices: list[str]) -> str:
            return ALPHABET[choices.index(value) + 1] if value in choices else "0"

        for doc in self.documents:
            entry = doc.entry
            columns["kind"].append(ALPHABET[kinds.index(entry.kind)])
            columns["section"].append(bits(doc.sections))
            subjects = catalogue.terms_of(entry, "subjects", "subjects")
            columns["subject"].append(bits(tops.index(s) for s in subjects if s in tops))
            columns["audience"].append(bits(audiences.index(a) for a in
                                            entry.get("audiences", ()) if a in audiences))
            columns["language"].append(one(entry.get("language"), languages))
            columns["format"].append(one(entry.get("format"), formats))
            columns["level"].append(one(entry.get("level"), levels))
            minutes = entry.get("duration_minutes")
            columns["duration"].append(
                "0" if minutes is None else
                ALPHABET[1 + next(i for i, (limit, _) in enumerate(DURATIONS) if minutes < limit)])
            columns["year"].append(ALPHABET[min(63, max(1, year_of(entry) - 1990 + 1))])
        return {name: "".join(values) for name, values in columns.items()}

    def _meta(self, shards: int) -> dict[str, Any]:
        rules = self.catalogue.rules
        lang = self.lang

        def labels(vocabulary: str, ids: Iterable[str]) -> list[str]:
            terms = rules.vocabularies[vocabulary].terms
            return [terms[i].label.get(lang) for i in ids]

        tops = [t.id for t in rules.vocabularies["subjects"].children(None)]
        return {
            "documents": len(self.documents), "shards": shards,
            "records": RECORDS_PER_FILE, "alphabet": ALPHABET,
            "weights": WEIGHT_LEVELS, "pinyinMark": PINYIN_MARK,
            "initialsMark": INITIALS_MARK, "dictionaries": self._dictionary_keys,
            "syllables": self.syllables(),
            "facets": {
                "kind": [k.label.get(lang) for k in rules.kinds.values()],
                "section": [s.title.get(lang) for s in rules.sections],
                "subject": labels("subjects", tops),
                "audience": labels("audiences", rules.vocabularies["audiences"].terms),
                "language": labels("languages", rules.vocabularies["languages"].terms),
                "format": labels("formats", rules.vocabularies["formats"].terms),
                "level": labels("levels", rules.vocabularies["levels"].terms),
                "duration": [label for _limit, label in DURATIONS],
                "yearBase": 1990,
            },
        }


_HAN_OR_NOT = re.compile("[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


def title_sort_key(entry: Entry) -> tuple[str, str, str]:
    """Titles in pinyin order, as Chinese readers expect (not character-code order)."""
    folded = fold(entry.title)
    words: list[str] = []
    for run in _HAN_OR_NOT.findall(folded):
        words.extend(_pinyin(run) if run[0] >= "\u3400" else [run.strip()])
    return " ".join(w for w in words if w), folded, entry.id


def year_of(entry: Entry) -> int:
    year = entry.get("year")
    if isinstance(year, int):
        return year
    starts = entry.get("starts")
    if isinstance(starts, dt.datetime):
        return starts.year
    return entry.published.year


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (-e.published.toordinal(), e.id))

