"""Validate one entry's front matter against its kind; values come out normalised.

Every problem is collected (none stops the others) and points at the line of the field.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lifelong.catalogue import periods
from lifelong.catalogue.loader import SourceDocument
from lifelong.catalogue.problems import Problem
from lifelong.catalogue.schema import MEDIA_FORMATS, FieldSpec, Rules
from lifelong.catalogue.suggest import Suggester

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 64
#: A code readers type (``code`` fields): 6 ASCII digits, the first not 0, so that YAML reads
#: one written without quotes as the same number (a leading 0 makes YAML 1.1 read another).
CODE_RE = re.compile(r"[1-9][0-9]{5}")
CODE_RULE = "a code is 6 digits, the first not 0 (e.g. 382915)"
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Characters no field may hold: C0 controls but tab and newline, DEL, C1 controls (they
#: break pages, feeds and the index, or hide in them), and the bidirectional embeddings,
#: overrides and isolates (they make text read differently from what it holds). Descriptions
#: are held to the same (``BodyChecker``).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ACTIVE_CONTENT_RE = re.compile(r"<\s*(?:script|iframe|object|embed|foreignObject)\b|"
                                r"[\s/\"']on[a-z]+\s*=|javascript\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Media:
    """A link to a file in content/ (``path``, relative to content/) or an http(s) URL."""

    url: str | None = None
    path: str | None = None
    size: int | None = None

    @property
    def is_local(self) -> bool:
        return self.path is not None

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields in order (see ``Entry.__reduce__``).
        return (Media, (self.url, self.path, self.size))


def _within(value: float, spec: FieldSpec) -> Any:
    """A number of an int or number field, refused outside the field's min and max."""
    if spec.min is not None and value < spec.min:
        raise _Invalid(f"{value} is less than the minimum {spec.min}")
    if spec.max is not None and value > spec.max:
        raise _Invalid(f"{value} is more than the maximum {spec.max}")
    return value


class _Invalid(Exception):
    """A value's problem; the message is reported with the field's line."""


def check_url(value: str) -> str:
    """Only absolute http(s) addresses: no javascript:, data:, file: or protocol-relative."""
    match = _SCHEME_RE.match(value)
    if not match:
        raise _Invalid(f"{value!r} is not a web address; write it in full, "
                       "starting with https://")
    scheme = match.group(1).lower()
    if scheme not in ("http", "https"):
        raise _Invalid(f"only http:// and https:// addresses are allowed, not '{scheme}:'")
    parts = urlsplit(value)
    if not parts.netloc or any(c in value for c in " <>\"'\\"):
        raise _Invalid(f"{value!r} is not a valid web address")
    return value


def control_problem(text: str) -> str | None:
    """What is wrong with a text holding a control character (the first one), or None."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    char = found.group()
    what = "bidirectional control character" if char >= "\u202a" else "control character"
    return f"contains the {what} U+{ord(char):04X} at position {found.start() + 1}; remove it"


def check_code(value: Any) -> str:
    """A code as text ("382915"): written as text or as a number of 6 digits. Anything else
    is refused, never changed: a code is printed on posters."""
    if isinstance(value, int) and not isinstance(value, bool):
        if CODE_RE.fullmatch(str(value)):
            return str(value)
        raise _Invalid(f"YAML read the number {value}, which is not a code; {CODE_RULE}")
    if not isinstance(value, str):
        raise _Invalid(f"expected a code, got {_type_name(value)}; {CODE_RULE}")
    text = value.strip()
    if CODE_RE.fullmatch(text):
        return text
    if re.fullmatch("0[0-9]{5}", text):
        raise _Invalid(f"{value!r} starts with 0; {CODE_RULE}")
    raise _Invalid(f"{value!r} is not a code; {CODE_RULE}")


class CodeError(ValueError):
    """``check_code``'s refusal, for callers outside this module."""


def code_of(value: Any) -> str:
    """``check_code``, raising CodeError."""
    try:
        return check_code(value)
    except _Invalid as exc:
        raise CodeError(str(exc)) from None


def shown_name(name: str) -> str:
    """A field name as a report shows it: control characters written as \\uXXXX."""
    return CONTROL_CHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def isbn_is_valid(isbn: str) -> bool:
    if len(isbn) == 10 and isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X"):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        return total % 11 == 0
    if len(isbn) == 13 and isbn.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn))
        return total % 10 == 0
    return False


def check_isbn(value: str) -> str:
    """An ISBN's digits (and X), its hyphens and spaces taken out, checked."""
    digits = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{9}[\dX]|\d{13}", digits):
        raise _Invalid(f"{value!r} is not an ISBN: 10 or 13 digits (hyphens allowed)")
    if not isbn_is_valid(digits):
        raise _Invalid(f"ISBN {value} has a wrong check digit; check for a typo")
    return digits


_DOI_RE = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)",
                     re.IGNORECASE)
_ISSN_RE = re.compile(r"(\d{4})-?(\d{3}[\dX])")


def identifier(scheme: str, value: str) -> str:
    """An identifier's value checked by its scheme, normalised: an ISBN's digits, a DOI
    without its doi: or https://doi.org/ prefix, an ISSN as NNNN-NNNC; other schemes'
    values as written."""
    if scheme == "isbn":
        return check_isbn(value)
    if scheme == "doi":
        match = _DOI_RE.fullmatch(value)
        if match is None:
            raise _Invalid(f"{value!r} is not a DOI: it starts with 10. and a number of 4 to "
                           "9 digits, then / and the item's own part, e.g. 10.1000/182")
        return match.group(1)
    if scheme == "issn":
        match = _ISSN_RE.fullmatch(value.upper())
        if match is None:
            raise _Invalid(f"{value!r} is not an ISSN: 8 digits (the last may be X), "
                           "e.g. 0317-8471")
        digits = match.group(1) + match.group(2)
        total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
        check = (11 - total % 11) % 11
        if digits[7] != ("X" if check == 10 else str(check)):
            raise _Invalid(f"ISSN {value} has a wrong check digit; check for a typo")
        return f"{digits[:4]}-{digits[4:]}"
    if scheme == "uri":
        return check_url(value)
    return value


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


class EntryValidator:
    """Validates documents against the rules; ``content_dir`` resolves local media."""

    def __init__(self, rules: Rules, content_dir: Path) -> None:
        self.rules = rules
        self.content_dir = content_dir
        self._field_owners = rules.all_field_names()
        self._root = os.path.realpath(content_dir)
        #: Size of each local file linked to; None: missing; -1: outside content/.
        self._exists: dict[str, int | None] = {}
        self._folders: dict[str, str] = {}
        self._unsafe: dict[str, str | None] = {}
        self._texts: dict[str, str] = {}

    def validate(self, doc: SourceDocument) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []
        meta = doc.meta
        kind_name = meta.get("kind")
        if isinstance(kind_name, str) and (bad := control_problem(kind_name)):
            problems.append(Problem(doc.path, doc.line_of("kind"), "kind", bad))
            return {}, problems
        kind = self.rules.kinds.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            if kind_name is None:
                problems.append(Problem(doc.path, 2, "kind", "missing required field; one of "
                                        + ", ".join(self.rules.kinds)))
            else:
                hint = self.rules.suggest_kind(str(kind_name))
                problems.append(Problem(doc.path, doc.line_of("kind"), "kind",
                                        f"unknown kind {kind_name!r}"
                                        + (f"; did you mean '{hint}'?" if hint else
                                           "; use one of " + ", ".join(self.rules.kinds))))
            return {}, problems
        values: dict[str, Any] = {}
        for name in meta:
            if name not in kind.fields:
                problems.append(Problem(doc.path, doc.line_of(name), shown_name(str(name)),
                                        self._unknown_field(str(name), kind.name, kind.fields)))
        for name, spec in kind.fields.items():
            value = self._field(doc, (name,), meta, spec, problems)
            # Fields left out are left out (``Entry.get`` gives None): a catalogue of 90,000
            # entries would otherwise hold a million slots of nothing.
            if value is not None and value != ():
                values[name] = value
        for group in kind.one_of:
            if not any(name in values for name in group):
                first = group[0]
                problems.append(Problem(doc.path, doc.lines.get((first,), 2), first,
                                        "missing required field (or give "
                                        + " or ".join(group[1:]) + " instead)"))
        values["kind"] = kind.name
        return values, problems

    def _unknown_field(self, name: str, kind: str, fields: Mapping[str, FieldSpec]) -> str:
        bad = control_problem(name)
        if bad:
            return f"the field name {bad}"
        close = Suggester([*((f, f) for f in fields),
                           *((s.label.zh, f) for f, s in fields.items()),
                           *((s.label.en, f) for f, s in fields.items())])(name)
        if close:
            return f"unknown field; did you mean '{close}'?"
        owners = self._field_owners.get(name)
        if owners:
            return f"unknown field for a {kind}; it belongs to: {', '.join(owners)}"
        return "unknown field; the fields of a " + kind + " are listed in catalogue/fields.yml"

    def _field(self, doc: SourceDocument, key: tuple[str | int, ...], data: Mapping[str, Any],
               spec: FieldSpec, problems: list[Problem]) -> Any:
        name = ".".join(str(k) for k in key)
        line = doc.line_of(*key)
        raw = data.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required and key in doc.lines:  # written, but empty: point at it
                problems.append(Problem(doc.path, doc.lines[key], name,
                                        "is empty; this field is required"))
            elif spec.required:
                problems.append(Problem(doc.path, doc.line_of(*key[:-1]) if len(key) > 1 else 2,
                                        name, "missing required field"))
            if spec.list:
                return ()
            return spec.default
        value = data[spec.name]
        if spec.list:
            if not isinstance(value, list):
                problems.append(Problem(doc.path, line, name, f"expected a list, got "
                                        f"{_type_name(value)}; write it as [{value}]"
                                        if isinstance(value, str) else
                                        f"expected a list, got {_type_name(value)}"))
                return ()
            if len(value) < spec.min_items:
                problems.append(Problem(doc.path, line, name,
                                        f"needs at least {spec.min_items} item"
                                        f"{'s' if spec.min_items > 1 else ''}"))
            if spec.max_items is not None and len(value) > spec.max_items:
                problems.append(Problem(doc.path, line, name,
                                        f"has more than {spec.max_items} items"))
            items = []
            for index, item in enumerate(value):
                item_key = (*key, index)
                result = self._one(doc, item_key, item, spec, problems)
                if result is not None:
                    items.append(result)
            if spec.type in ("term", "ref", "text"):
                for dup in sorted({i for i in items if items.count(i) > 1}, key=str):
                    problems.append(Problem(doc.path, line, name, f"{dup!r} is listed twice"))
            return tuple(items)
        return self._one(doc, key, value, spec, problems)

    def _one(self, doc: SourceDocument, key: tuple[str | int, ...], value: Any, spec: FieldSpec,
             problems: list[Problem]) -> Any:
        line = doc.line_of(*key)
        name = ".".join(str(k) for k in key)
        if spec.type == "object":
            if not isinstance(value, Mapping):
                problems.append(Problem(doc.path, line, name, "expected a mapping with "
                                        + ", ".join(spec.fields) + f", got {_type_name(value)}"))
                return None
            for extra in value:
                if extra not in spec.fields:
                    problems.append(Problem(doc.path, doc.line_of(*key, str(extra)),
                                            f"{name}.{shown_name(str(extra))}",
                                            self._unknown_field(str(extra), spec.name,
                                                                spec.fields)))
            found = {sub_name: self._field(doc, (*key, sub_name), value, sub, problems)
                     for sub_name, sub in spec.fields.items()}
            scheme = spec.fields.get("scheme")
            if scheme is not None and scheme.vocabulary == "identifier_schemes" \
                    and found.get("scheme") and found.get("value"):
                try:
                    found["value"] = identifier(found["scheme"], found["value"])
                except _Invalid as exc:
                    problems.append(Problem(doc.path, doc.line_of(*key, "value"),
                                            f"{name}.value", str(exc)))
            return found
        try:
            return self._scalar(doc, value, spec)
        except _Invalid as exc:
            problems.append(Problem(doc.path, line, name, str(exc)))
            return None

    def _scalar(self, doc: SourceDocument, value: Any, spec: FieldSpec) -> Any:
        kind = spec.type
        if kind == "bool":
            if not isinstance(value, bool):
                raise _Invalid(f"expected true or false, got {_type_name(value)}")
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise _Invalid(f"expected a whole number, got {_type_name(value)} {value!r}")
            return _within(value, spec)
        if kind == "number":  # coordinates, scores: a whole or decimal number
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or value != value or value in (float("inf"), float("-inf")):
                raise _Invalid(f"expected a number, got {_type_name(value)} {value!r}")
            return _within(value, spec)
        if kind == "code":
            return check_code(value)
        if kind == "period":
            if isinstance(value, str) and (bad := control_problem(value)):
                raise _Invalid(bad)
            vocabulary = self.rules.vocabularies[spec.vocabulary] if spec.vocabulary else None
            try:
                return periods.parse(value, vocabulary, spec.min, spec.max)
            except periods.PeriodError as exc:
                raise _Invalid(str(exc)) from None
        if kind == "isbn" and isinstance(value, int) and not isinstance(value, bool):
            if len(str(value)) not in (10, 13):  # YAML read a leading-0 ISBN as octal
                raise _Invalid("write the ISBN in quotes, e.g. isbn: '0306406152' (without "
                               "quotes a number starting with 0 is misread)")
            value = str(value)
        if not isinstance(value, str):
            raise _Invalid(f"expected text, got {_type_name(value)}")
        bad = control_problem(value)  # one search of a precompiled class: cheap
        if bad:
            raise _Invalid(bad)
        value = value.strip()
        if kind == "text":
            # Names, providers and tags repeat across entries: one string each.
            return self._texts.setdefault(value, value)
        if kind in ("slug", "ref"):
            if not SLUG_RE.fullmatch(value) or len(value) > SLUG_MAX:
                raise _Invalid(f"{value!r} is not a safe id: use lowercase letters, digits and "
                               f"single hyphens, at most {SLUG_MAX} characters "
                               "(e.g. taiji-basics)")
            return value
        if kind == "date":
            if not _DATE_RE.fullmatch(value):
                raise _Invalid(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2024-05-01")
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise _Invalid(f"{value} is not a real date ({exc})") from None
        if kind == "datetime":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?"
                                r"(Z|[+-]\d{2}:?\d{2})?", value):
                raise _Invalid(f"{value!r} is not a date and time; write it like "
                               "2026-12-05T19:30:00+08:00")
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError as exc:
                raise _Invalid(f"{value} is not a real date and time ({exc})") from None
            if moment.tzinfo is None:
                raise _Invalid(f"{value} has no time zone; add it, e.g. {value}+08:00")
            return moment
        if kind == "url":
            return check_url(value)
        if kind == "media":
            return self._media(doc, value, spec.format)
        if kind == "isbn":
            return check_isbn(value)
        if kind == "term":
            vocabulary = self.rules.vocabularies[spec.vocabulary or ""]
            if value not in vocabulary.terms:
                hint = vocabulary.suggest(value)
                label = f" ({vocabulary.terms[hint].label.zh})" if hint else ""
                raise _Invalid(f"unknown term {value!r} in {spec.vocabulary}"
                               + (f"; did you mean '{hint}'{label}?" if hint else
                                  f"; see catalogue/vocabularies/{spec.vocabulary}.yml"))
            return vocabulary.terms[value].id  # the vocabulary's string, shared by all
        raise AssertionError(f"unhandled field type {kind}")  # load_rules rejects others

    def _size_inside(self, target: str) -> int | None:
        """The size of content/``target``; None if it is not a file; -1 if it is reached
        through a symbolic link that leaves content/. Folders are resolved once each."""
        folder, name = posixpath.split(target)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(os.path.join(self._root, folder))
        path = os.path.join(real, name)
        if real != self._root and not real.startswith(self._root + os.sep):
            return -1
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                path = os.path.realpath(path)
                if not path.startswith(self._root + os.sep):
                    return -1
                info = os.stat(path)
        except OSError:
            return None
        return info.st_size if stat.S_ISREG(info.st_mode) else None

    def _check_markup_file(self, target: str, value: str) -> None:
        """SVG and HTML files run scripts when opened from the site: none are allowed."""
        if target not in self._unsafe:
            text = Path(self._root, target).read_bytes().decode("utf-8", "replace")
            found = _ACTIVE_CONTENT_RE.search(text)
            self._unsafe[target] = found.group(0).strip() if found else None
        if self._unsafe[target]:
            raise _Invalid(f"{value!r} contains active content ({self._unsafe[target]!r}); "
                           "scripts, event handlers and javascript: links are not allowed")

    def _media(self, doc: SourceDocument, value: str, media_format: str | None = None
               ) -> Media:
        if _SCHEME_RE.match(value) or value.startswith("//"):
            return Media(url=check_url(value))
        if "\\" in value or value.startswith("/"):
            raise _Invalid(f"{value!r}: write file paths relative to the entry, with '/', "
                           "e.g. covers/taiji.svg")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), value))
        if target.startswith("../") or target == "..":
            raise _Invalid(f"{value!r} points outside content/")
        if target.endswith(".md"):
            raise _Invalid(f"{value!r} is a page, not a file; link entries with 'related'")
        if target not in self._exists:
            self._exists[target] = self._size_inside(target)
        size = self._exists[target]
        if size is None:
            raise _Invalid(f"file not found: {value!r} (looked for content/{target})")
        if size < 0:
            raise _Invalid(f"{value!r} is a symbolic link to a file outside content/; nothing "
                           "outside content/ is published: copy the file into content/")
        if target.lower().endswith((".svg", ".html", ".htm", ".xhtml")):
            self._check_markup_file(target, value)
        if media_format is not None:
            self._check_format(target, value, media_format)
        return Media(path=target, size=size)

    def _check_format(self, target: str, value: str, media_format: str) -> None:
        """A local file of a field with a ``format`` (captions: WebVTT, which browsers load
        only when it is one)."""
        name, extension, start = MEDIA_FORMATS[media_format]
        if not target.lower().endswith(extension):
            raise _Invalid(f"{value!r} is not a {name} file: use a {extension} file")
        with open(os.path.join(self._root, target), "rb") as file:
            head = file.read(len(start) + 3)
        if not head.removeprefix(b"\xef\xbb\xbf").startswith(start):
            raise _Invalid(f"{value!r} is not a {name} file: it must start with "
                           f"{start.decode()!r}")
