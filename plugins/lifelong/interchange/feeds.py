"""OPDS feeds as rows: OPDS 1.2 (Atom XML) and OPDS 2.0 (JSON), one file or a paginated feed
given as its pages' files in order.

Each publication becomes a ``Row`` whose values are named after the catalogue's fields
(``sources.OPDS_KEYS``), so that a feed needs no mapping:

======================  ======================================  =============================
key                     OPDS 1.2 (Atom)                         OPDS 2.0 (metadata / links)
======================  ======================================  =============================
title                   atom:title                              title
summary                 atom:summary (HTML kept as given)       description
body                    atom:content                            --
language                dc(terms):language (the first)          language (the first)
publisher               dc(terms):publisher                     publisher (the first name)
published               atom:published, else dc(terms):issued   published
year                    the year of dc(terms):issued            the year of published
updated                 atom:updated                            modified
isbn                    dc(terms):identifier urn:isbn:...       identifier urn:isbn:...
identifiers             [{scheme, value}]: atom:id as ``source``, other identifiers by scheme
authors                 atom:author names                       author names
contributors            [{name, role}]: atom:contributor with   translator, editor, ...:
                        opf:role (MARC relator codes)           the key is the role
subjects                atom:category labels (or terms)         subject names (or codes)
cover                   link rel .../image (else thumbnail)     images (the first)
files                   [{type, link, size}]: acquisition links (size from ``length``)
series, series_order    schema:Series name and position         belongsTo.series
licence                 dc(terms):rights, else an acquisition   --
                        link's dcterms:rights
======================  ======================================  =============================

Names are the display names (the contributor link's title in Palace feeds, else atom:name).
MARC relator codes and OPDS 2.0 role keys become the catalogue's contributor roles (``trl``
-> translator, ``ill`` -> illustrator...); an unknown code is given as it is, for the
mapping or the validator to judge. Links are made absolute against the entry's or feed's
``xml:base`` or the feed's ``self`` link; a relative link that cannot be made absolute is
left out (a cover such as ``/covers/1.jpg`` would otherwise read as a file in content/).

XML is parsed by defusedxml: a document type declaration, entities or external references
are refused (no billion laughs, no files read from this machine).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import cast
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from lifelong.interchange.sources import Row, SourceError, Value

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
OPF = "{http://www.idpf.org/2007/opf}"
SCHEMA = "{http://schema.org/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XHTML = "{http://www.w3.org/1999/xhtml}"

ACQUISITION = "http://opds-spec.org/acquisition"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"

#: MARC relator codes (and OPDS 2.0's role keys) -> the catalogue's contributor roles.
ROLES: Mapping[str, str] = {
    "aut": "author", "author": "author",
    "edt": "editor", "editor": "editor",
    "trl": "translator", "translator": "translator",
    "ill": "illustrator", "illustrator": "illustrator", "art": "illustrator",
    "artist": "illustrator", "penciler": "illustrator", "inker": "illustrator",
    "colorist": "illustrator",
    "nrt": "narrator", "narrator": "narrator",
    "com": "compiler", "compiler": "compiler",
    "cmm": "commentator", "commentator": "commentator",
    "ann": "annotator", "annotator": "annotator",
    "pht": "photographer", "photographer": "photographer",
    "adp": "adapter", "adapter": "adapter",
    "aui": "foreword", "win": "foreword", "wpr": "foreword", "aft": "foreword",
}

_YEAR = re.compile(r"^(-?[0-9]{4})(?:-|$)")


def read_opds(paths: Sequence[Path]) -> Iterator[Row]:
    """Every publication of an OPDS feed, in order: one file, or a paginated feed's pages
    given in order (entries are numbered on across them). Each file may be OPDS 1.2 (Atom)
    or 2.0 (JSON), told apart by its first character. Raises ``SourceError`` naming the
    file (and the line, when known) of a file that is not a feed."""
    number = 0
    for path in paths:
        for values in _publications(path):
            number += 1
            yield Row(str(path), number, values)


def _publications(path: Path) -> Iterator[dict[str, Value]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file: {exc.strerror}") from None
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        yield from _atom_entries(path, raw)
    elif start in (b"{", b"["):
        yield from _opds2_publications(path, raw)
    else:
        raise SourceError(f"{path}:1: not an OPDS feed: neither Atom XML (OPDS 1.2) nor JSON "
                          "(OPDS 2.0)")


# -- OPDS 1.2 ------------------------------------------------------------------------------


def _atom_entries(path: Path, raw: bytes) -> Iterator[dict[str, Value]]:
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise SourceError(f"{path}:1: the feed declares a document type or entities, which "
                          "are refused (they can read files or expand without end)") from None
    except ET.ParseError as exc:
        line = exc.position[0]
        raise SourceError(f"{path}:{line}: not well-formed XML: {_xml_reason(exc)}") from None
    if root.tag == f"{ATOM}entry":
        entries = [root]
        base = _feed_base(root, root)
    elif root.tag == f"{ATOM}feed":
        entries = root.findall(f"{ATOM}entry")
        base = _feed_base(root, None)
    else:
        raise SourceError(f"{path}:1: not an OPDS 1.2 feed: the document is <{_local(root.tag)}>, "
                          "not an Atom <feed>")
    for entry in entries:
        yield _atom_entry(entry, _joined(base, entry.get(XML_BASE)))


def _xml_reason(exc: ET.ParseError) -> str:
    return re.sub(r": line [0-9]+, column [0-9]+$", "", str(exc))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _feed_base(feed: ET.Element, entry: ET.Element | None) -> str | None:
    """The address links are relative to: xml:base, else the self link (itself made
    absolute against another of the feed's links when it is relative, as Palace's is)."""
    base = feed.get(XML_BASE)
    links = [link for link in feed.findall(f"{ATOM}link") if link.get("href")]
    selfs = [link.get("href", "") for link in links if link.get("rel") == "self"]
    if base is None and selfs:
        base = selfs[0]
    if base is not None and _absolute(base):
        return base
    for link in links:
        href = link.get("href", "")
        if _absolute(href):
            return urljoin(href, base or "")
    return base if entry is None else None


def _joined(base: str | None, href: str | None) -> str | None:
    if href is None:
        return base
    return urljoin(base, href) if base else href


def _absolute(href: str) -> bool:
    return bool(urlsplit(href).scheme)


def _link(base: str | None, href: str | None) -> str | None:
    """An absolute address, or None when it cannot be made one."""
    if not href or not href.strip():
        return None
    href = href.strip()
    if _absolute(href):
        return href
    if base and _absolute(base):
        return urljoin(base, href)
    return None


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = element.text.strip()
    return text or None


def _first_text(entry: ET.Element, *tags: str) -> str | None:
    for tag in tags:
        for element in entry.findall(tag):
            text = _text(element)
            if text:
                return text
    return None


def _atom_text(element: ET.Element | None) -> str | None:
    """An Atom text construct as given: text and HTML as their text, XHTML serialised."""
    if element is None:
        return None
    if element.get("type") == "xhtml":
        div = element.find(f"{XHTML}div")
        holder = div if div is not None else element
        parts = [holder.text or ""]
        for child in holder:
            for node in child.iter():
                node.tag = _local(node.tag)
            parts.append(ET.tostring(child, encoding="unicode", method="html"))
        text = "".join(parts).strip()
        return text or None
    return _text(element)


def _person_name(person: ET.Element) -> str | None:
    for link in person.findall(f"{ATOM}link"):
        if link.get("rel") == "contributor" and link.get("title", "").strip():
            return link.get("title", "").strip()
    return _text(person.find(f"{ATOM}name"))


def _atom_entry(entry: ET.Element, base: str | None) -> dict[str, Value]:
    values: dict[str, Value] = {}
    identifiers: list[dict[str, str]] = []
    own_id = _text(entry.find(f"{ATOM}id"))
    if own_id:
        identifiers.append({"scheme": "source", "value": own_id})
    isbn: str | None = None
    for element in [*entry.findall(f"{DCTERMS}identifier"), *entry.findall(f"{DC}identifier")]:
        found = _text(element)
        if found:
            scheme, value = _identifier(found)
            identifiers.append({"scheme": scheme, "value": value})
            if scheme == "isbn" and isbn is None:
                isbn = value
    authors: list[str] = []
    contributors: list[dict[str, str]] = []
    for person in entry.findall(f"{ATOM}author"):
        name = _person_name(person)
        role = person.get(f"{OPF}role")
        if not name:
            continue
        if role in (None, "aut"):
            authors.append(name)
        else:
            contributors.append({"name": name, "role": ROLES.get(role, role)})
    for person in entry.findall(f"{ATOM}contributor"):
        name = _person_name(person)
        role = person.get(f"{OPF}role")
        if name:
            contributors.append({"name": name, **({"role": ROLES.get(role, role)}
                                                  if role else {})})
    subjects = [label for category in entry.findall(f"{ATOM}category")
                if (label := (category.get("label") or category.get("term") or "").strip())]
    links = entry.findall(f"{ATOM}link")
    cover = _first_link(base, links, IMAGE) or _first_link(base, links, THUMBNAIL)
    files: list[dict[str, Value]] = []
    licence = _first_text(entry, f"{DCTERMS}rights", f"{DC}rights")
    for link in links:
        if not link.get("rel", "").startswith(ACQUISITION):
            continue
        href = _link(base, link.get("href"))
        if href is None:
            continue
        item: dict[str, Value] = {"type": link.get("type", "").strip(), "link": href}
        length = link.get("length", "").strip()
        if length.isdigit():
            item["size"] = int(length)
        files.append({key: value for key, value in item.items() if value != ""})
        licence = licence or (link.get(f"{DCTERMS}rights") or "").strip() or None
    series = entry.find(f"{SCHEMA}Series")
    issued = _first_text(entry, f"{DCTERMS}issued", f"{DC}issued", f"{DCTERMS}date",
                         f"{DC}date")
    put = {
        "title": _text(entry.find(f"{ATOM}title")),
        "summary": _atom_text(entry.find(f"{ATOM}summary")),
        "language": _first_text(entry, f"{DCTERMS}language", f"{DC}language"),
        "publisher": _first_text(entry, f"{DCTERMS}publisher", f"{DC}publisher"),
        "published": _text(entry.find(f"{ATOM}published")) or issued,
        "updated": _text(entry.find(f"{ATOM}updated")),
        "year": _year(issued),
        "isbn": isbn,
        "authors": authors,
        "contributors": contributors,
        "identifiers": identifiers,
        "subjects": subjects,
        "cover": cover,
        "files": files,
        "series": (series.get(f"{SCHEMA}name") or series.get("name") or "").strip() or None
        if series is not None else None,
        "series_order": _position(series.get(f"{SCHEMA}position") or series.get("position"))
        if series is not None else None,
        "licence": licence,
        "body": _atom_text(entry.find(f"{ATOM}content")),
    }
    values.update((key, value) for key, value in put.items() if value not in (None, [], ""))
    return values


def _first_link(base: str | None, links: Iterable[ET.Element], rel: str) -> str | None:
    for link in links:
        if link.get("rel") == rel:
            href = _link(base, link.get("href"))
            if href:
                return href
    return None


def _identifier(value: str) -> tuple[str, str]:
    """(scheme, value) of an identifier URI: urn:isbn:, urn:issn:, doi: and doi.org
    addresses, urn:oclc: and urn:lccn:; anything else is a ``uri``."""
    lowered = value.lower()
    for scheme in ("isbn", "issn", "doi", "oclc", "lccn"):
        for prefix in (f"urn:{scheme}:", f"{scheme}:"):
            if lowered.startswith(prefix):
                return scheme, value[len(prefix):].strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "http://dx.doi.org/"):
        if lowered.startswith(prefix):
            return "doi", value[len(prefix):]
    return "uri", value


def _year(date: str | None) -> int | None:
    match = _YEAR.match(date or "")
    return int(match.group(1)) if match else None


def _position(value: object) -> Value:
    if isinstance(value, str):
        value = value.strip()
        return int(value) if value.isdigit() else (value or None)
    return value


# -- OPDS 2.0 ------------------------------------------------------------------------------


def _opds2_publications(path: Path, raw: bytes) -> Iterator[dict[str, Value]]:
    try:
        feed = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not UTF-8, as OPDS 2.0 must be") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(feed, dict) or not ("publications" in feed or "groups" in feed
                                          or "navigation" in feed or "metadata" in feed):
        raise SourceError(f"{path}:1: not an OPDS 2.0 feed: no metadata, publications, "
                          "navigation or groups")
    base = _opds2_base(feed)
    publications: list[object] = []
    if "publications" not in feed and "groups" not in feed and "navigation" not in feed:
        publications.append(feed)  # a single publication
    publications.extend(_list(feed.get("publications")))
    for group in _list(feed.get("groups")):
        if isinstance(group, dict):
            publications.extend(_list(group.get("publications")))
    for publication in publications:
        if not isinstance(publication, dict) or not isinstance(publication.get("metadata"),
                                                                dict):
            raise SourceError(f"{path}:1: an OPDS 2.0 publication without metadata")
        yield _opds2_publication(publication, base)


def _opds2_base(feed: Mapping[str, object]) -> str | None:
    for link in _list(feed.get("links")):
        if isinstance(link, dict) and _rels(link) & {"self"}:
            href = link.get("href")
            if isinstance(href, str) and _absolute(href):
                return href
    return None


def _list(value: object) -> list[object]:
    if value is None:
        return []
    return cast("list[object]", value) if isinstance(value, list) else [value]


def _rels(link: Mapping[str, object]) -> set[str]:
    return {rel for rel in _list(link.get("rel")) if isinstance(rel, str)}


def _localised(value: object, language: str | None) -> str | None:
    """A string, or a language map's text in the publication's language (else the first)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict) and value:
        chosen = value.get(language) if language else None
        text = chosen if isinstance(chosen, str) else next(iter(value.values()))
        return text.strip() or None if isinstance(text, str) else None
    return None


def _names(value: object, language: str | None) -> list[tuple[str, list[str]]]:
    """(name, roles) of each contributor in a contributor value."""
    found: list[tuple[str, list[str]]] = []
    for item in _list(value):
        if isinstance(item, str):
            if item.strip():
                found.append((item.strip(), []))
        elif isinstance(item, dict):
            name = _localised(item.get("name"), language)
            if name:
                found.append((name, [r for r in _list(item.get("role")) if isinstance(r, str)]))
    return found


_OPDS2_ROLES = ("translator", "editor", "artist", "illustrator", "letterer", "penciler",
                "colorist", "inker", "narrator", "contributor")


def _opds2_publication(publication: Mapping[str, object], base: str | None
                       ) -> dict[str, Value]:
    meta = cast("dict[str, object]", publication["metadata"])
    languages = [lang for lang in _list(meta.get("language")) if isinstance(lang, str)]
    language = languages[0] if languages else None
    identifiers: list[dict[str, str]] = []
    isbn: str | None = None
    own = meta.get("identifier")
    for number, found in enumerate([own, *_list(meta.get("altIdentifier"))]):
        value = found.get("value") if isinstance(found, dict) else found
        if not isinstance(value, str) or not value.strip():
            continue
        scheme, value = _identifier(value.strip())
        if isinstance(found, dict) and isinstance(found.get("scheme"), str):
            scheme = _identifier(str(found["scheme"]) + ":")[0]
        if scheme == "isbn":
            isbn = isbn or value
        elif number == 0 and scheme == "uri":
            scheme = "source"
        identifiers.append({"scheme": scheme, "value": value})
    authors = [name for name, _roles in _names(meta.get("author"), language)]
    contributors: list[dict[str, str]] = []
    for key in _OPDS2_ROLES:
        for name, roles in _names(meta.get(key), language):
            role = (roles[0] if roles else None) if key == "contributor" else key
            contributors.append({"name": name, **({"role": ROLES.get(role, role)}
                                                  if role else {})})
    subjects: list[str] = []
    for subject in _list(meta.get("subject")):
        if isinstance(subject, str):
            label: str | None = subject.strip()
        elif isinstance(subject, dict):
            label = _localised(subject.get("name"), language) or (
                str(subject["code"]) if subject.get("code") else None)
        else:
            label = None
        if label:
            subjects.append(label)
    cover = None
    for image in _list(publication.get("images")):
        if isinstance(image, dict) and isinstance(image.get("href"), str):
            cover = _link(base, str(image["href"]))
            if cover:
                break
    files: list[dict[str, Value]] = []
    for link in _list(publication.get("links")):
        if not isinstance(link, dict) or not any(rel.startswith(ACQUISITION)
                                                 for rel in _rels(link)):
            continue
        href = _link(base, link.get("href") if isinstance(link.get("href"), str) else None)
        if href is None:
            continue
        item: dict[str, Value] = {"link": href}
        if isinstance(link.get("type"), str):
            item = {"type": link["type"], **item}
        size = link.get("size")
        if isinstance(size, int) and not isinstance(size, bool):
            item["size"] = size
        files.append(item)
    publishers = _names(meta.get("publisher"), language)
    series = _list(_dict(meta.get("belongsTo")).get("series"))
    first_series = series[0] if series else None
    series_name = (_localised(first_series, language) if isinstance(first_series, str)
                   else _localised(_dict(first_series).get("name"), language))
    published = _str(meta.get("published"))
    put: dict[str, Value] = {
        "title": _localised(meta.get("title"), language),
        "summary": _str(meta.get("description")),
        "language": language,
        "publisher": publishers[0][0] if publishers else None,
        "published": published,
        "updated": _str(meta.get("modified")),
        "year": _year(published),
        "isbn": isbn,
        "authors": authors,
        "contributors": contributors,
        "identifiers": identifiers,
        "subjects": subjects,
        "cover": cover,
        "files": files,
        "series": series_name,
        "series_order": _position(_dict(first_series).get("position")),
    }
    return {key: value for key, value in put.items() if value not in (None, [], "")}


def _dict(value: object) -> dict[str, object]:
    return cast("dict[str, object]", value) if isinstance(value, dict) else {}


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
