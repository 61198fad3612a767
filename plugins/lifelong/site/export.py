"""Data for partner apps and search engines: the catalogue as JSON Lines (a file per kind,
split so that no file passes 1 MB), the vocabularies' labels, an index of the files with the
catalogue's version, a JSON Schema of a line, robots.txt, and each page's sitemap
``lastmod`` from the dates of the entries it shows.

Pure: a ``Catalogue`` and options in, (path in the site, bytes) out; nothing is written here.
Same input, same bytes: entries by id, keys sorted, no build time anywhere.

Every address is absolute under ``site_url`` when the site has one (an http(s) address), and
otherwise relative to the site root (``taiji-basics/``, ``courses/covers/taiji.svg``). A link
that is neither (``javascript:``, ``data:``, a path out of the site) is never written: its
field is left out. Text stays text: JSON holds it as data, nothing in it is interpreted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, Protocol, cast
from urllib.parse import quote

from lifelong.catalogue.model import Catalogue, Entry
from lifelong.catalogue.periods import Period
from lifelong.catalogue.privacy import is_public, private_fields
from lifelong.catalogue.schema import FieldSpec, KindSpec, Label, Rules
from lifelong.catalogue.validate import SLUG_MAX, SLUG_RE, Media
from lifelong.site.i18n import translate
from lifelong.site.memo import Published, PublishMemo, key_of, memoised_group
from lifelong.site.pages import SitePage
from lifelong.site.urls import UrlScheme

#: No data file is larger (bytes): a kind's lines go on in ``<kind>-2.jsonl``, ``-3``...
LIMIT = 1_000_000
SCHEMA_PATH = "data/entry.schema.json"
VOCABULARIES_PATH = "data/vocabularies.json"
INDEX_PATH = "data/index.json"
#: What a line holds besides the entry's fields; a kind may have no field of these names.
EXTRA_KEYS = {
    "url": "the entry's page",
    "body": "the entry's description, its Markdown as written",
    "source": "the entry's file in content/, from which relative links in its body start",
}

# One pattern for the check made here and for the schema (ECMA-262 and Python alike): an
# absolute http(s) address, or a path inside the site, relative to its root.
_NOT_IN_ADDRESS = "\\x00-\\x20\\x7f<>\"'\\\\"
WEB_ADDRESS = f"^[Hh][Tt][Tt][Pp][Ss]?://[^{_NOT_IN_ADDRESS}/?#]+[^{_NOT_IN_ADDRESS}]*$"
SITE_PATH = (f"^(?!\\.\\.(?:/|$))(?!.*/\\.\\.(?:/|$))[^{_NOT_IN_ADDRESS}/:]"
             f"[^{_NOT_IN_ADDRESS}:]*$")
_WEB_RE = re.compile(WEB_ADDRESS)
_SITE_PATH_RE = re.compile(SITE_PATH)
_DATETIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})$"
_ID = operator.attrgetter("id")
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def site_root(site_url: str | None) -> str | None:
    """``site_url`` ending in one '/', or None when the site has no http(s) address (then
    every address is relative to the site root)."""
    if not site_url:
        return None
    root = site_url.rstrip("/") + "/"
    return root if _WEB_RE.match(root) and "?" not in root and "#" not in root else None


def robots_txt(site_url: str | None) -> bytes:
    """robots.txt: every crawler may read everything; with a ``site_url``, the sitemap's
    absolute address (crawlers take no relative one, so none is written without it)."""
    lines = ["User-agent: *", "Allow: /"]
    root = site_root(site_url)
    if root:
        lines += ["", f"Sitemap: {root}sitemap.xml"]
    return ("\n".join(lines) + "\n").encode()


# -- sitemap lastmod --------------------------------------------------------------------


class DrawnPage(Protocol):
    """A page of the catalogue (``lifelong.site.draw.PageToDraw``): an entry's or a
    generated one."""

    entry: Entry | None
    page: SitePage | None


def entry_lastmod(entry: Entry) -> dt.date:
    """The day an entry last changed: its ``updated``, else its ``published`` (as
    ``Catalogue.date`` reads them)."""
    updated: dt.date | None = entry.get("updated")
    return updated or entry.published


def lastmods(pages: Sequence[DrawnPage], catalogue: Catalogue) -> list[str]:
    """The sitemap ``lastmod`` (YYYY-MM-DD) of each page, in order: an entry's page, the
    entry's own day; every page of a listing, its newest entry (a new entry shifts all of a
    listing's pages, so page 7 changes with it); a page showing no entries (search, the
    vocabulary, series and people indexes, which count the whole catalogue), the catalogue's
    date; '' for an empty catalogue."""
    # Days as ordinals, each entry's worked out once: listings show 24 entries a page.
    known = {entry.id: entry_lastmod(entry).toordinal() for entry in catalogue.entries}

    def newest(entries: Sequence[Entry]) -> int:
        try:
            return max(map(known.__getitem__, map(_ID, entries)), default=0)
        except KeyError:  # an entry outside the catalogue (a subset's)
            return max((entry_lastmod(e).toordinal() for e in entries), default=0)

    days: list[int] = []
    listings: dict[str, list[int]] = {}  # a listing's first page's path -> its pages
    for index, drawn in enumerate(pages):
        if drawn.entry is not None:
            days.append(newest((drawn.entry,)))
            continue
        context = drawn.page.context if drawn.page is not None else {}
        # The entries it shows: alone (a series, an entry outside a subset) or in tuples.
        days.append(max((newest(value if type(value) is tuple else (value,))
                         for value in context.values() if isinstance(value, Entry) or
                         (type(value) is tuple and value and isinstance(value[0], Entry))),
                        default=0))
        pagination = context.get("pagination")
        if pagination is not None:
            listings.setdefault(pagination.base, []).append(index)
    for indexes in listings.values():
        listing = max(days[i] for i in indexes)
        for i in indexes:
            days[i] = listing
    fallback = catalogue.date.toordinal() if catalogue.date else 0
    text = {day: dt.date.fromordinal(day).isoformat() for day in {*days, fallback} if day}
    return [text.get(day or fallback, "") for day in days]


# -- JSON Lines ---------------------------------------------------------------------------


def data_files(catalogue: Catalogue, *, site_url: str | None, version_text: str | None = None,
               scheme: UrlScheme | None = None, limit: int = LIMIT,
               memo: PublishMemo | None = None) -> Iterator[Published]:
    """The files under data/, as (path from the site root, bytes), one at a time:

    - for every kind (in name order), ``data/<kind>.jsonl`` (empty when the kind has no
      entries), continued in ``data/<kind>-2.jsonl``, ``-3``... so that no file is over
      ``limit`` bytes (a line over it alone, which takes a megabyte of description, has a
      file of its own): one line per published entry, by id (``line_maker``);
    - ``data/entry.schema.json``, the JSON Schema (2020-12) of a line (``entry_schema``);
    - ``data/vocabularies.json``, the label of every term the lines name (``vocabularies``);
    - last, ``data/index.json``: entries per kind, the catalogue's version and date (and
      ``version_text``, the footer's words for them; by default in Chinese), each data
      file's address, kind, entries, bytes and SHA-256, and the other files' addresses.

    In this order, not sorted by path, so that only one file is held at a time (all of them
    are 84 MB at 90,000 entries), and so that a copy written in it never has an index that
    names a file not there yet. ``scheme`` makes the entries' page addresses as the site
    does (default: directory addresses, ``taiji-basics/``). With a ``memo``, a data file
    whose lines are those the last build wrote it with is not made again (None), and the
    line of an entry unchanged since is joined as kept, not encoded again
    (``_memo_chunks``).
    """
    return memoised_group(memo, "data", catalogue.version, _data_files(
        catalogue, site_url=site_url, version_text=version_text, scheme=scheme, limit=limit,
        memo=memo))


def _data_files(catalogue: Catalogue, *, site_url: str | None, version_text: str | None = None,
                scheme: UrlScheme | None = None, limit: int = LIMIT,
                memo: PublishMemo | None = None) -> Iterator[Published]:
    rules = catalogue.rules
    root = site_root(site_url)
    scheme = scheme or UrlScheme()
    listed: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for kind in sorted(rules.kinds):
        line = line_maker(rules.kinds[kind], root, scheme)
        entries = sorted((e for e in catalogue.by_kind.get(kind, ()) if not e.draft),
                         key=_ID)
        counts[kind] = len(entries)
        chunks = _split(map(line, entries), limit) if memo is None else \
            _memo_chunks(entries, line, limit, memo, kind)
        for number, (data, count, facts) in enumerate(chunks, 1):
            path = _data_path(kind, number)
            if facts is None:
                assert data is not None
                facts = (len(data), hashlib.sha256(data).hexdigest())
            size, sha256 = facts
            listed.append({"url": _address(root, path), "kind": kind, "entries": count,
                           "bytes": size, "sha256": sha256})
            yield path, data
    # Made from the rules and options alone, which every key of a memo names.
    makers: tuple[tuple[str, Callable[[], dict[str, Any]]], ...] = (
        (SCHEMA_PATH, lambda: entry_schema(rules, _address(root, SCHEMA_PATH) if root
                                           else None)),
        (VOCABULARIES_PATH, lambda: vocabularies(rules)))
    for path, make in makers:
        if memo is not None:
            if memo.unchanged(path, "rules") is not None:
                yield path, None
                continue
            memo.made(path, "rules")
        yield path, _pretty(make())
    date = catalogue.date.isoformat() if catalogue.date else None
    if version_text is None:
        version_text = translate("catalogue_version", "zh", version=catalogue.version,
                                 date=date or "")
    yield INDEX_PATH, _pretty({
        "version": catalogue.version, "date": date, "version_text": version_text,
        "counts": counts, "entries": sum(counts.values()), "files": listed,
        "schema": _address(root, SCHEMA_PATH),
        "vocabularies": _address(root, VOCABULARIES_PATH), "site_url": root})


def vocabularies(rules: Rules) -> dict[str, Any]:
    """Every vocabulary's label and terms (id -> zh and en labels, and the parent of a term
    that has one): lines name terms by id, and their labels are given here once (in every
    line they would be a third of the data)."""
    return {name: {"label": _label(vocabulary.label), "terms": {
        term.id: {**_label(term.label), **({"parent": term.parent} if term.parent else {})}
        for term in vocabulary.terms.values()}}
        for name, vocabulary in rules.vocabularies.items()}


def _label(label: Label) -> dict[str, str]:
    return {"zh": label.zh, "en": label.en}


def _address(root: str | None, path: str) -> str:
    return root + path if root else path


def _pretty(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _data_path(kind: str, number: int) -> str:
    return f"data/{kind}.jsonl" if number == 1 else f"data/{kind}-{number}.jsonl"


#: (bytes, SHA-256) of a data file.
_Facts = tuple[int, str]


def _split(lines: Iterable[bytes], limit: int
           ) -> Iterator[tuple[bytes | None, int, _Facts | None]]:
    """(file, lines in it, None): lines joined while they fit in ``limit`` bytes; at least
    one file, empty when there are no lines."""
    chunk: list[bytes] = []
    size = 0
    for line in lines:
        if chunk and size + len(line) > limit:
            yield b"".join(chunk), len(chunk), None
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    yield b"".join(chunk), len(chunk), None


def line_key(entry: Entry) -> str | None:
    """What an entry's line is made from besides the rules and options: its file (the
    digest) and where it is (``source``); None for an entry read without a digest (never
    kept)."""
    return f"{entry.digest}:{entry.path}" if entry.digest else None


def _memo_chunks(entries: Sequence[Entry], line: Callable[[Entry], bytes], limit: int,
                 memo: PublishMemo, kind: str
                 ) -> Iterator[tuple[bytes | None, int, _Facts | None]]:
    """``_split`` of the entries' lines, with a memo: a line's length is known from the
    fragment kept of it, so the files are cut where they would be without encoding a line;
    a file of the same lines as the last build's is not made (None, with the facts the memo
    kept of it), and any other is joined from the kept lines and those encoded now (the
    lines of entries that changed). One file's new lines are held at a time."""
    part = f"data/{kind}"
    names = [entry.id for entry in entries]
    keys = list(map(line_key, entries))
    sizes = memo.fragment_sizes(part, names, keys)
    start = size = number = 0
    fresh: dict[int, bytes] = {}

    def close(stop: int) -> tuple[bytes | None, int, _Facts | None]:
        nonlocal number
        number += 1
        path = _data_path(kind, number)
        chunk = keys[start:stop]
        key = None if None in chunk else key_of(chain.from_iterable(
            zip(names[start:stop], cast("list[str]", chunk), strict=True)))
        if key is not None:
            facts = memo.unchanged(path, key)
            if facts is not None:
                return None, stop - start, tuple(facts)
        pieces = []
        for at in range(start, stop):
            data = fresh.pop(at, None)
            entry_key = keys[at]
            if data is None and entry_key is not None:
                data = memo.fragment(part, names[at], entry_key)
            pieces.append(data if data is not None else line(entries[at]))
        data = b"".join(pieces)
        facts = (len(data), hashlib.sha256(data).hexdigest())
        if key is not None:
            memo.made(path, key, facts)
        return data, stop - start, facts

    for at, entry in enumerate(entries):
        known = sizes[at]
        if known is None:
            data = fresh[at] = line(entry)
            known = len(data)
            if keys[at] is not None:
                memo.keep_fragment(part, entry.id, cast("str", keys[at]), data)
        if at > start and size + known > limit:
            yield close(at)
            start, size = at, 0
            fresh = {n: data for n, data in fresh.items() if n >= start}
        size += known
    yield close(len(entries))


def line_maker(kind: KindSpec, root: str | None, scheme: UrlScheme
               ) -> Callable[[Entry], bytes]:
    """What writes an entry of ``kind`` as one line of JSON (UTF-8, ending in a newline): its
    fields as it holds them (dates and times in ISO 8601, media as addresses, terms by id,
    lists as arrays, objects without the fields they leave out; an object with a ``public``
    switch only when it is on: ``lifelong.catalogue.privacy``), and ``EXTRA_KEYS``: ``url``,
    ``body`` and ``source`` (with ``values``, all an import needs to make the same entry).
    Raises ValueError when the kind has a field named as one of those."""
    clash = sorted(EXTRA_KEYS.keys() & kind.fields.keys())
    if clash:
        raise ValueError(f"the {kind.name} field {clash[0]!r} has a name the data export "
                         f"uses; rename it in catalogue/fields.yml")
    media = _media_address(root)
    converters = [(name, converter) for name, spec in kind.fields.items()
                  if (converter := _converter(spec, media)) is not None]
    page, encode = scheme.entry_url, _ENCODER.encode
    private = private_fields(kind)

    def line(entry: Entry) -> bytes:
        data = dict(entry.values)
        for name in private:  # a contact the entry keeps private is never exported
            if not is_public(data.get(name)):
                data.pop(name, None)
        for name, convert in converters:
            value = data.get(name)
            if value is not None:
                value = convert(value)
                if value is None:
                    del data[name]
                else:
                    data[name] = value
        data["url"] = _address(root, page(entry.id))
        data["body"] = entry.body
        data["source"] = entry.path
        # U+2028 and U+2029 escaped: readers that split lines on them (str.splitlines) too
        # read one entry a line.
        text = encode(data)
        if "\u2028" in text or "\u2029" in text:
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return (text + "\n").encode()

    return line


def _media_address(root: str | None) -> Callable[[Any], str | None]:
    """A media value's address: its http(s) URL, or its file's path in the site (under
    ``root`` when given); None for anything else."""
    def address(media: Any) -> str | None:
        if not isinstance(media, Media):
            return None
        if media.url is not None:
            return media.url if _WEB_RE.match(media.url) else None
        path = quote(media.path or "")
        return _address(root, path) if _SITE_PATH_RE.match(path) else None
    return address


def _web_address(value: Any) -> str | None:
    return value if isinstance(value, str) and _WEB_RE.match(value) else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _period(value: Any) -> Any:
    """A period as its field takes it back: a year of the common era as a number, any other
    period as text (-500, 1920-1925, tang, tang 755-763)."""
    return str(value) if isinstance(value, Period) else value


def _converter(spec: FieldSpec, media: Callable[[Any], str | None]
               ) -> Callable[[Any], Any] | None:
    """How a field's value becomes JSON, or None when it is JSON as it is (text, numbers,
    true/false, ids and terms, and lists of them). A list keeps the items that convert; a
    value (or list) that keeps nothing is None, and its field is left out."""
    one: Callable[[Any], Any]
    if spec.type == "object":
        one = _object_converter(spec, media)
    elif spec.type in ("date", "datetime"):
        one = _iso
    elif spec.type == "media":
        one = media
    elif spec.type == "url":
        one = _web_address
    elif spec.type == "period":
        one = _period
    else:
        return None
    if not spec.list:
        return one

    def many(values: Any) -> list[Any] | None:
        items = [item for item in map(one, values) if item is not None]
        return items or None
    return many


def _object_converter(spec: FieldSpec, media: Callable[[Any], str | None]
                      ) -> Callable[[Any], dict[str, Any] | None]:
    """An object's fields that it holds (not those it leaves out: None or an empty list)."""
    fields = [(name, _converter(sub, media)) for name, sub in spec.fields.items()]

    def convert(item: Any) -> dict[str, Any] | None:
        if not isinstance(item, Mapping):
            return None
        result: dict[str, Any] = {}
        for name, sub in fields:
            value = item.get(name)
            if value is not None and sub is not None:
                value = sub(value)
            if value is not None and value != ():
                result[name] = value
        return result
    return convert


# -- the schema of a line --------------------------------------------------------------------


def entry_schema(rules: Rules, address: str | None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a line of the data files, made from the rules: a
    definition per kind (chosen by ``kind``) with every field's type, required fields (and
    those a default always fills), terms from their vocabularies, number bounds, list
    sizes, and no other keys; ``address`` is its ``$id``."""
    defs: dict[str, Any] = {
        "web-address": {"type": "string", "pattern": WEB_ADDRESS,
                        "description": "an absolute http(s) address"},
        "address": {"type": "string", "pattern": f"{WEB_ADDRESS}|{SITE_PATH}",
                    "description": "an absolute http(s) address, or (in the data of a site "
                                   "without site_url) a path relative to the site's root"},
    }
    for name, vocabulary in rules.vocabularies.items():
        defs[f"terms-{name}"] = {"enum": list(vocabulary.terms),
                                 "title": _title(vocabulary.label),
                                 "description": f"a term of the vocabulary '{name}', by id; "
                                                f"its labels are in {VOCABULARIES_PATH}"}
    kinds = sorted(rules.kinds)
    for kind in kinds:
        defs[f"kind-{kind}"] = _kind_schema(rules.kinds[kind])
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "A catalogue entry: one line of data/<kind>.jsonl",
        "description": "Every field of the entry as its kind declares it (dates and times in "
                       "ISO 8601, media as addresses, terms by id), with " + "; ".join(
                           f"{key}: {text}" for key, text in EXTRA_KEYS.items()) + ".",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds}},
        "allOf": [{"if": {"properties": {"kind": {"const": kind}}},
                   "then": {"$ref": f"#/$defs/kind-{kind}"}} for kind in kinds],
        "$defs": defs,
    }
    if address:
        schema["$id"] = address
    return schema


def _kind_schema(kind: KindSpec) -> dict[str, Any]:
    properties, required = _fields_schema(kind.fields)
    properties["kind"] = {"const": kind.name}
    properties["url"] = {"$ref": "#/$defs/address", "description": EXTRA_KEYS["url"]}
    properties["body"] = {"type": "string", "description": EXTRA_KEYS["body"]}
    properties["source"] = {"type": "string", "pattern": "^[^/].*\\.md$",
                            "description": EXTRA_KEYS["source"]}
    return {"title": _title(kind.label), "type": "object",
            "required": sorted({*required, "id", "kind", "url", "body", "source"}),
            "properties": properties, "additionalProperties": False}


def _title(label: Label) -> str:
    return f"{label.zh} / {label.en}" if label.en else label.zh


def _fields_schema(fields: Mapping[str, FieldSpec]) -> tuple[dict[str, Any], list[str]]:
    """(properties, required) of a kind's or an object's fields."""
    properties = {name: _field_schema(spec) for name, spec in fields.items()}
    required = [name for name, spec in fields.items()
                if spec.required or spec.default is not None]
    return properties, required


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    one = _value_schema(spec)
    title = {"title": _title(spec.label)}
    if not spec.list:
        return {**title, **one}
    schema: dict[str, Any] = {**title, "type": "array", "items": one,
                              "minItems": max(1, spec.min_items)}
    if spec.max_items is not None:
        schema["maxItems"] = spec.max_items
    if spec.type in ("term", "ref", "text"):
        schema["uniqueItems"] = True
    return schema


def _value_schema(spec: FieldSpec) -> dict[str, Any]:
    """The schema of one value of a field (an item, for a list)."""
    kind = spec.type
    if kind == "object":
        properties, required = _fields_schema(spec.fields)
        return {"type": "object", "properties": properties, "required": required,
                "additionalProperties": False}
    if kind in ("int", "number"):  # number: coordinates, scores (decimals allowed)
        schema: dict[str, Any] = {"type": "integer" if kind == "int" else "number"}
        if spec.min is not None:
            schema["minimum"] = spec.min
        if spec.max is not None:
            schema["maximum"] = spec.max
        return schema
    if kind == "term":
        return {"$ref": f"#/$defs/terms-{spec.vocabulary}"}
    if kind == "period":
        year: dict[str, Any] = {"type": "integer", "not": {"const": 0}}
        if spec.min is not None:
            year["minimum"] = max(spec.min, 1)
        if spec.max is not None:
            year["maximum"] = spec.max
        return {"anyOf": [year, {"type": "string", "minLength": 1}],
                "description": "a year of the common era as a number; any other period as "
                               "text, as catalogue/fields.yml describes it (-500 is 500 BCE, "
                               "1920-1925, a dynasty of the vocabulary 'dynasties' by id, "
                               "alone or with years: tang, tang 755-763)"}
    if kind in ("slug", "ref"):
        schema = {"type": "string", "pattern": f"^{SLUG_RE.pattern}$", "maxLength": SLUG_MAX}
        if spec.kinds:
            schema["description"] = "the id of an entry of kind " + " or ".join(spec.kinds)
        return schema
    return dict(_SCALARS[kind])


_SCALARS: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
    "datetime": {"type": "string", "format": "date-time", "pattern": _DATETIME},
    "url": {"$ref": "#/$defs/web-address"},
    "media": {"$ref": "#/$defs/address"},
    "isbn": {"type": "string", "pattern": "^(?:\\d{9}[\\dX]|\\d{13})$"},
    "code": {"type": "string", "pattern": "^[1-9][0-9]{5}$"},
}
