"""`lifelong import`: rows of other systems' files made into entries, safely and repeatably.

Each row is mapped onto its kind's fields (``mapping``), repaired (ISBNs, language tags,
HTML in summaries, dates: ``Repairs``), then validated with the rules ``lifelong check``
uses (``EntryValidator``, the description's checks, and the checks across files: ids,
codes, references) together with every entry already in content/. A row that does not
validate writes nothing; its problems are reported as ``SOURCE:ROW: column -> field:
message``. A row is matched to an existing entry (or an earlier row of the same import) by
its id or its ISBN: the same book twice never becomes ``anthem`` and ``anthem-2``.

What was imported is recorded in the import ledger (``import-ledger.json`` beside content/):
per entry, the source, the row and the values that came from it. Re-importing the same
source changes nothing; without ``update`` an existing file is never touched; with it, a
field is updated only where the file still holds what the ledger says was imported (a field
changed by hand since is kept, and said so), and the description is always kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lifelong.catalogue.codes import new_code
from lifelong.catalogue.duplicates import isbns_of
from lifelong.catalogue.entryfile import dumps_entry, patch_front_matter
from lifelong.catalogue.loader import SourceDocument, parse_source, read_source
from lifelong.catalogue.model import RESERVED_NAMES, Entry, top_level_names
from lifelong.catalogue.reading import EntryReader, MarkdownSettings, cross_checks, scan_content
from lifelong.catalogue.scaffold import fresh_id, slug_from_title
from lifelong.catalogue.schema import FieldSpec, KindSpec, Rules, Vocabulary
from lifelong.catalogue.suggest import normalise
from lifelong.catalogue.validate import CODE_RE, SLUG_MAX, SLUG_RE
from lifelong.interchange import repairs as repairs_module
from lifelong.interchange.mapping import BODY, PLACEHOLDER, FieldSource, ImportMapping
from lifelong.interchange.repairs import Repaired
from lifelong.interchange.sources import Row

LEDGER = "import-ledger.json"

#: What is repaired, and the function of ``lifelong.interchange.repairs`` that does it: the
#: value repaired and what was done (``Repaired``), or ``RepairError`` saying why not.
REPAIRS: dict[str, Callable[[Any], Repaired[Any]]] = {
    "isbn": repairs_module.repair_isbn, "language": repairs_module.repair_language,
    "html": repairs_module.html_to_text, "date": repairs_module.repair_date,
    "datetime": repairs_module.repair_datetime, "mojibake": repairs_module.repair_mojibake}
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_INTEGRAL = re.compile(r"[+-]?\d+(?:\.0+)?")
_TRUE = {"true", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "no", "n", "0", "否", "无"}
#: Files' media types (as feeds give them) and the terms of file_types they are.
MEDIA_TYPES = {"application/epub+zip": "epub", "application/pdf": "pdf", "text/html": "html",
               "application/xhtml+xml": "html", "application/kepub+zip": "kepub",
               "application/x-mobipocket-ebook": "mobi", "application/vnd.amazon.ebook": "azw3",
               "application/x-mobi8-ebook": "azw3", "image/vnd.djvu": "djvu",
               "image/x-djvu": "djvu", "text/plain": "txt", "application/vnd.comicbook+zip": "cbz",
               "application/x-cbz": "cbz", "audio/mpeg": "audio", "audio/mp4": "audio",
               "application/audiobook+json": "audio", "application/audiobook+zip": "audio"}
#: Columns every source may have that are not fields (or not mapped as fields).
_ROW_COLUMNS = ("kind", "id", "code", BODY)


# -- The report --------------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did (or, dry, would do)."""

    created: list[str] = field(default_factory=list)    #: ids
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)    #: lines saying why
    invalid: list[str] = field(default_factory=list)    #: SOURCE:ROW of each invalid row
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)    #: id: field: old -> new
    kept: list[str] = field(default_factory=list)       #: hand edits kept
    #: Columns that fed no field: column -> how many values.
    unused_columns: Counter[str] = field(default_factory=Counter)
    #: Values no term took: (field, value, vocabulary, did-you-mean) -> how many.
    unused_values: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "skipped": len(self.skipped),
                "invalid": len(self.invalid)}

    def no_home(self) -> list[str]:
        """Every column and value that found no field, most frequent first."""
        lines = []
        for column, count in sorted(self.unused_columns.items(),
                                    key=lambda item: (-item[1], item[0])):
            lines.append(f"column {json.dumps(column, ensure_ascii=False)}: {count} "
                         f"value{'s' if count != 1 else ''}, no field")
        for (name, value, vocabulary, hint), count in sorted(
                self.unused_values.items(), key=lambda item: (-item[1], item[0])):
            close = f" (did you mean '{hint}'?)" if hint else ""
            lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)} ×{count} not in "
                         f"vocabulary {vocabulary}{close}: add it to the mapping's values")
        return lines

    def text(self) -> str:
        """The report as the command prints it."""
        parts: list[str] = []
        for title, lines in (("Problems", self.problems), ("Repairs", self.repairs),
                             ("Changes", self.changes), ("Kept (edited by hand)", self.kept),
                             ("Skipped", self.skipped), ("No home", self.no_home())):
            if lines:
                parts.append(f"{title}:")
                parts.extend(f"  {line}" for line in lines)
        counts = ", ".join(f"{what} {count}" for what, count in self.counts().items())
        parts.append(("Dry run, nothing written: " if self.dry_run else "") + counts)
        return "\n".join(parts)

    def as_json(self) -> str:
        return json.dumps({"dry_run": self.dry_run, "counts": self.counts(),
                           "created": self.created, "updated": self.updated,
                           "unchanged": self.unchanged, "skipped": self.skipped,
                           "invalid": self.invalid, "problems": self.problems,
                           "repairs": self.repairs, "changes": self.changes,
                           "kept": self.kept, "no_home": self.no_home()},
                          ensure_ascii=False, indent=2)


# -- One row made into an entry -----------------------------------------------------------------

class _Bad(Exception):
    """A value that cannot be made right: the message is reported for its field."""


@dataclass
class _Mapped:
    """A row mapped onto a kind: its front matter (as YAML reads it back), description,
    where each field came from, and what was found on the way."""

    row: Row
    kind: KindSpec | None
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    origin: dict[str, str] = field(default_factory=dict)    #: field -> column (the label)
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    isbns: set[str] = field(default_factory=set)
    rel: str = ""
    values: dict[str, Any] = field(default_factory=dict)   #: as validated
    changes: list[str] = field(default_factory=list)       #: an update's, for the report
    #: What came from the source (the ledger's record), when ``meta`` keeps hand edits.
    imported: dict[str, Any] | None = None
    #: An update's: the file as it is, whose untouched lines the update keeps.
    original: str | None = None
    failed: set[str] = field(default_factory=set)   #: fields with a problem reported

    def problem(self, name: str | None, message: str) -> None:
        top = (name or "").split(".")[0]
        self.failed.add(top)
        column = self.origin.get(top)
        where = f"{column} -> {name}" if column and name else name
        self.problems.append(f"{self.row.where}: {where}: {message}" if where else
                             f"{self.row.where}: {message}")


@dataclass
class _Existing:
    """An entry file already in content/."""

    rel: str
    meta: Mapping[str, Any]
    body: str
    entry: Entry | None
    text: str  #: the file as it is (decoded, line ends as written), for an update


class Importer:
    """Imports rows into ``into`` (content/ or a folder in it) of the project ``project``."""

    def __init__(self, project: Path, into: Path, rules: Rules, mapping: ImportMapping, *,
                 kind: str | None = None, update: bool = False, dry_run: bool = False,
                 markdown: MarkdownSettings = (("toc", "tables", "fenced_code"), {})) -> None:
        self.project, self.rules, self.mapping = project, rules, mapping
        self.content = project / "content"
        self.into = into
        self.prefix = into.relative_to(self.content).as_posix() if into != self.content else ""
        self.kind = kind
        self.update, self.dry_run = update, dry_run
        self.reader = EntryReader(rules, self.content, markdown)
        self.report = ImportReport(dry_run=dry_run)
        self._exact: dict[str, dict[str, str]] = {}

    # -- the whole run --------------------------------------------------------------------

    def run(self, rows: Iterable[Row]) -> ImportReport:
        existing = self._existing()
        by_isbn: dict[str, str] = {}
        for entry_id, item in existing.items():
            for isbn in isbns_of(item.meta):
                by_isbn.setdefault(isbn, entry_id)
        ledger = self._read_ledger()
        reserved = (set(RESERVED_NAMES) | {s.slug for s in self.rules.sections}
                    | (top_level_names(self.content) if self.content.is_dir() else set()))
        seen_id: dict[str, str] = {}
        seen_isbn: dict[str, str] = {}
        accepted: list[tuple[_Mapped, str]] = []  # (row, action: create / update / same)
        for row in rows:
            mapped = self._map(row, reserved)
            if mapped.problems:
                self._invalid(mapped)
                continue
            entry_id = mapped.meta["id"]
            twin = next((seen_isbn[i] for i in sorted(mapped.isbns) if i in seen_isbn), None)
            if twin is not None or entry_id in seen_id:
                what = (f"the same ISBN as {twin}: a duplicate" if twin is not None else
                        f"the same id '{entry_id}' as {seen_id[entry_id]}: a duplicate (if "
                        "it is another record, make the mapping's id pattern tell them apart)")
                self.report.skipped.append(f"{row.where}: {what}, skipped")
                continue
            matched = next((by_isbn[i] for i in sorted(mapped.isbns) if i in by_isbn), None)
            if matched is not None and matched != entry_id:
                entry_id = mapped.meta["id"] = mapped.values["id"] = matched
            seen_id[entry_id] = row.where
            seen_isbn.update((i, f"{row.where} ({entry_id})") for i in mapped.isbns)
            action = self._action(mapped, existing.get(entry_id), ledger.get(entry_id))
            if action:
                accepted.append((mapped, action))
        accepted = self._cross_checked(accepted, existing)
        self._finish(accepted, existing, ledger)
        return self.report

    def _invalid(self, mapped: _Mapped) -> None:
        self.report.invalid.append(mapped.row.where)
        self.report.problems.extend(mapped.problems)

    # -- what is there already --------------------------------------------------------------

    def _existing(self) -> dict[str, _Existing]:
        found: dict[str, _Existing] = {}
        if not self.content.is_dir():
            return found
        for rel in scan_content(self.content)[0]:
            raw, _problems = read_source(self.content / rel, rel)
            doc = parse_source(raw, rel)[0] if raw is not None else None
            if raw is None or doc is None or not isinstance(doc.meta.get("id"), str):
                continue
            values, _problems = self.reader.validator.validate(doc)
            entry = (Entry(values["id"], values["kind"], rel, values, doc.body)
                     if values.get("id") and values.get("title") else None)
            # The file as it is only for an update, which keeps its untouched lines.
            found.setdefault(doc.meta["id"], _Existing(
                rel, doc.meta, doc.body, entry, raw.decode("utf-8") if self.update else ""))
        return found

    def _read_ledger(self) -> dict[str, dict[str, Any]]:
        path = self.project / LEDGER
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = data.get("entries") if isinstance(data, dict) else None
        return {str(k): v for k, v in entries.items() if isinstance(v, dict)} \
            if isinstance(entries, dict) else {}

    # -- mapping a row ------------------------------------------------------------------------

    def _map(self, row: Row, reserved: set[str]) -> _Mapped:
        mapping = self.mapping
        kind_name = self.kind or mapping.kind or _text_of(row.values.get("kind"))
        kind = self.rules.kinds.get(kind_name or "")
        mapped = _Mapped(row, kind)
        if kind is None:
            if kind_name:
                hint = self.rules.suggest_kind(kind_name)
                mapped.origin["kind"] = "kind"
                mapped.problem("kind", f"unknown kind {kind_name!r}" + (
                    f"; did you mean '{hint}'?" if hint else
                    "; use one of " + ", ".join(self.rules.kinds)))
            else:
                mapped.problem("kind", "no kind: pass --kind, set 'kind:' in the mapping or "
                                       "give a kind column")
            return mapped
        used: set[str] = set(mapping.columns()) | set(_ROW_COLUMNS)
        meta: dict[str, Any] = {}
        for name, spec in kind.fields.items():
            if name in ("kind", "id"):
                continue
            sources = mapping.fields.get(name)
            if sources is None and name in row.values:
                sources = (FieldSource(column=name),)
            if not sources:
                continue
            used.update(c for s in sources for c in s.columns())
            value = self._value(mapped, name, spec, sources)
            if value is not None:
                meta[name] = value
        for name, value in mapping.defaults.items():
            if name in kind.fields and meta.get(name) is None:
                meta[name] = _plain(value, kind.fields[name])
                mapped.origin.setdefault(name, "defaults")
        if "language" in kind.fields and meta.get("language") is None and \
                "language" not in mapped.origin:
            mapped.problem("language", "no language given and no default: map a column to "
                                       "language, or set defaults: {language: zh} in the "
                                       "mapping")
        body_sources = mapping.fields.get(BODY) or (
            (FieldSource(column=BODY),) if BODY in row.values else ())
        for source in body_sources:
            text = self._raw(row, source)
            if text is not None:
                repairs: list[str] = []
                mapped.body = _without_controls(
                    str(self._repair("mojibake", str(text), repairs)), repairs)
                mapped.origin[BODY] = source.label
                mapped.repairs.extend(f"{row.where}: {source.label} -> {BODY}: {r}"
                                      for r in repairs)
                break
        for column, value in row.values.items():
            if column not in used and value not in (None, "", [], {}):
                self.report.unused_columns[column] += 1
        entry_id = self._id(mapped, meta, reserved)
        if entry_id is None:
            return mapped
        ordered: dict[str, Any] = {"kind": kind.name, "id": entry_id}
        ordered.update((name, meta[name]) for name in kind.fields if name in meta)
        mapped.meta = ordered
        mapped.rel = f"{self.prefix}/" if self.prefix else ""
        mapped.rel += f"{kind.folder}/{entry_id}.md"
        mapped.isbns = set(isbns_of(ordered))
        self._validate(mapped)
        return mapped

    def _id(self, mapped: _Mapped, meta: Mapping[str, Any], reserved: set[str]) -> str | None:
        row = mapped.row
        given = self.mapping.fields.get("id")
        text = None
        if given:
            text = next((v for s in given if (v := self._raw(row, s)) is not None), None)
            mapped.origin["id"] = given[0].label
        elif _text_of(row.values.get("id")):
            text = row.values.get("id")
            mapped.origin["id"] = "id"
        if text is not None:
            entry_id = str(text).strip()
            if not SLUG_RE.fullmatch(entry_id) or len(entry_id) > SLUG_MAX:
                mapped.problem("id", f"{entry_id!r} is not a safe id: use lowercase letters, "
                                     "digits and single hyphens")
                return None
            return entry_id
        pattern = self.mapping.id_pattern
        if pattern is None:
            pattern = "{title_en}" if meta.get("title_en") else "{title}"
        filled = _fill(pattern, lambda name: meta.get(name) if name in meta
                       else row.values.get(name))
        base = _slug(filled) if filled else ""
        if not base:
            mapped.problem("id", f"the id pattern {pattern!r} gives no id for this row; "
                                 "set 'id:' in the mapping to columns it has")
            return None
        return fresh_id(base, reserved)

    def _raw(self, row: Row, source: FieldSource) -> object:
        """The value a source gives for a row before it is made a field's: None when there
        is none (an empty cell, or one of the skipped values)."""
        if source.column is not None:
            value = row.values.get(source.column)
        elif source.template is not None:
            value = _fill(source.template, row.values.get) or None
        else:
            return source.value
        if self._skipped(value, source):
            return None
        return value

    def _skipped(self, value: object, source: FieldSource) -> bool:
        if value is None:
            return True
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return True
            for values, pattern in ((self.mapping.skip_values, self.mapping.skip_pattern),
                                    (source.skip_values, source.skip_pattern)):
                if text in values or (pattern is not None and pattern.search(text)):
                    return True
        return False

    def _value(self, mapped: _Mapped, name: str, spec: FieldSpec,
               sources: Sequence[FieldSource]) -> Any:
        items: list[Any] = []
        first_error: tuple[str, str] | None = None
        for source in sources:
            raw = self._raw(mapped.row, source)
            if raw is None:
                continue
            repairs: list[str] = []
            try:
                if spec.list:
                    items.extend(self._list(raw, spec, source, repairs, name, mapped.row.values))
                    mapped.origin.setdefault(name, source.label)
                    mapped.repairs.extend(f"{mapped.row.where}: {source.label} -> {name}: {r}"
                                          for r in repairs)
                    continue
                value = self._scalar(raw, spec, source, repairs, name)
            except _Bad as exc:
                if first_error is None:
                    first_error = (source.label, str(exc))
                continue
            if value is None:
                continue
            if self._unknown_optional_term(value, spec, name):
                continue
            mapped.origin[name] = source.label
            if first_error is not None:
                repairs.insert(0, f"{first_error[0]}: {first_error[1]}; {source.label} used")
            mapped.repairs.extend(f"{mapped.row.where}: {source.label} -> {name}: {r}"
                                  for r in repairs)
            return value
        if items:
            unique = [item for index, item in enumerate(items) if item not in items[:index]]
            if len(unique) < len(items) and spec.type != "object":
                twice = sorted({str(i) for i in items if items.count(i) > 1})
                mapped.repairs.append(f"{mapped.row.where}: {mapped.origin[name]} -> {name}: "
                                      f"{', '.join(map(repr, twice))} listed twice, kept once")
                items = unique
            return self._known_terms(items, spec, name)
        if first_error is not None:
            mapped.origin[name] = first_error[0]
            mapped.problem(name, first_error[1])
        return None

    def _known_terms(self, items: list[Any], spec: FieldSpec, name: str) -> list[Any]:
        """A list of terms less the items its vocabulary lacks (counted for the report),
        unless that would leave none: then check reports them, with did-you-mean. So too
        a list of objects, by their terms (a feed's links to files of other types)."""
        if spec.type == "object":
            return self._known_objects(items, spec, name)
        if spec.type != "term":
            return items
        vocabulary = self.rules.vocabularies[spec.vocabulary or ""]
        known = [i for i in items if isinstance(i, str) and i in vocabulary.terms]
        for item in items:
            if not (isinstance(item, str) and item in vocabulary.terms):
                self._unused(name, item, vocabulary)
        return known or items

    def _unknown_optional_term(self, value: object, spec: FieldSpec, name: str) -> bool:
        """Whether ``value`` is no term of an optional field's vocabulary (a feed's rights
        statement as a licence): then the field is left out and the value counted, as an
        unknown item of a list is. A language is never left out (see ``_map``)."""
        if spec.type != "term" or spec.required or spec.list or name == "language":
            return False
        vocabulary = self.rules.vocabularies.get(spec.vocabulary or "")
        if vocabulary is None or not isinstance(value, str) or value in vocabulary.terms:
            return False
        self._unused(name, value, vocabulary)
        return True

    def _known_objects(self, items: list[Any], spec: FieldSpec, name: str) -> list[Any]:
        terms = [(sub, self.rules.vocabularies[sub.vocabulary or ""])
                 for sub in spec.fields.values() if sub.type == "term" and not sub.list]
        if not terms:
            return items
        unknown: list[tuple[str, object, Vocabulary]] = []
        known = []
        for item in items:
            bad = [(f"{name}.{sub.name}", item.get(sub.name), vocabulary)
                   for sub, vocabulary in terms if isinstance(item, dict)
                   and isinstance(item.get(sub.name), str)
                   and item[sub.name] not in vocabulary.terms]
            unknown.extend(bad)
            if not bad:
                known.append(item)
        for where, value, vocabulary in unknown:
            self._unused(where, value, vocabulary)
        return known or items

    def _unused(self, name: str, value: object, vocabulary: Vocabulary) -> None:
        hint = vocabulary.suggest(str(value)) or ""
        self.report.unused_values[(name, str(value), vocabulary.name, hint)] += 1

    def _list(self, raw: object, spec: FieldSpec, source: FieldSource, repairs: list[str],
              name: str, row_values: Mapping[str, object]) -> list[Any]:
        if isinstance(raw, list):
            parts: list[object] = list(raw)
        elif isinstance(raw, dict):
            parts = [raw]
        else:
            text = str(raw).strip()
            parts = []
            if source.split is None and text.startswith(("[", "{")):
                try:
                    loaded = json.loads(text)
                except ValueError:
                    loaded = None
                if isinstance(loaded, list):
                    parts = loaded
                elif isinstance(loaded, dict):
                    parts = [loaded]
            if not parts:
                separator = source.split or ";"
                parts = [p.strip() for p in text.split(separator)] if (
                    source.item is not None or spec.type != "object") else [text]
        items = []
        for part in parts:
            if isinstance(part, str) and self._skipped(part, source):
                continue
            if source.item is not None:
                part = _item(source.item, part, row_values)
            value = self._scalar(part, spec, source, repairs, name)
            if value is not None:
                items.append(value)
        return items

    def _scalar(self, raw: object, spec: FieldSpec, source: FieldSource, repairs: list[str],
                name: str) -> Any:
        value: Any = raw
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
        if source.values and isinstance(value, (str, int, float)):
            key = str(value).strip()
            if key in source.values:
                value = source.values[key]
            else:
                folded = {k.casefold(): v for k, v in source.values.items()}
                if key.casefold() in folded:
                    value = folded[key.casefold()]
            if value is None:
                return None
        kind = spec.type
        if kind == "object":
            return self._object(value, spec, source, repairs, name)
        if kind == "text":
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)
            if isinstance(value, str):
                value = _without_controls(str(self._repair("mojibake", value, repairs)), repairs)
                return self._repair("html", value, repairs) if _LOOKS_LIKE_HTML.search(
                    value) else value
            return value
        if kind in ("int", "period"):
            return _whole(value, repairs)
        if kind == "bool":
            if isinstance(value, str):
                if value.casefold() in _TRUE:
                    return True
                if value.casefold() in _FALSE:
                    return False
            return value
        if kind in ("date", "datetime"):
            return self._repair(kind, value, repairs)
        if kind == "isbn":
            return self._repair("isbn", value, repairs)
        if kind == "term":
            return self._term(value, spec, repairs)
        if kind == "code" and isinstance(value, str) and CODE_RE.fullmatch(value):
            return int(value)  # as `lifelong new` and `lifelong codes` write it
        if isinstance(value, (int, float)) and kind in ("slug", "ref", "url", "media"):
            return str(value)
        return value

    def _object(self, value: object, spec: FieldSpec, source: FieldSource,
                repairs: list[str], name: str) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise _Bad(f"expected a mapping with {', '.join(spec.fields)} written as JSON, "
                           f"e.g. {{\"{next(iter(spec.fields))}\": ...}}") from None
        if not isinstance(value, dict):
            return value
        result: dict[str, Any] = {}
        plain = FieldSource()
        for key, item in value.items():
            sub = spec.fields.get(str(key))
            if sub is None or item is None:
                result[str(key)] = item
                continue
            if sub.name == "value" and str(value.get("scheme", "")).lower() == "isbn":
                result[str(key)] = self._repair("isbn", item, repairs)
                continue
            converted = self._list(item, sub, plain, repairs, name, {}) if sub.list else \
                self._scalar(item, sub, plain, repairs, name)
            if converted is not None:
                result[str(key)] = converted
        return result

    def _term(self, value: object, spec: FieldSpec, repairs: list[str]) -> object:
        vocabulary = self.rules.vocabularies.get(spec.vocabulary or "")
        if vocabulary is None or not isinstance(value, str) or value in vocabulary.terms:
            return value
        media = MEDIA_TYPES.get(value.split(";")[0].strip().lower())
        if media is not None and media in vocabulary.terms:
            repairs.append(f"{value!r} -> {media!r} ({vocabulary.name})")
            return media
        exact = self._exact_terms(vocabulary).get(_url_key(value) or normalise(value))
        if exact is not None:
            repairs.append(f"{value!r} -> {exact!r} ({vocabulary.name})")
            return exact
        if vocabulary.name == "languages":
            try:
                tag = self._repair("language", value, repairs)
            except _Bad:
                return value
            if isinstance(tag, str) and tag in vocabulary.terms:
                return tag
            return value
        return value

    def _exact_terms(self, vocabulary: Vocabulary) -> dict[str, str]:
        """A vocabulary's terms by their ids, labels, synonyms and addresses (``url``),
        compared loosely (case, width, spaces and hyphens): an exact match is the term,
        whatever spelling the source used."""
        found = self._exact.get(vocabulary.name)
        if found is None:
            found = {}
            for term in vocabulary.terms.values():
                for text in (term.id, term.label.zh, term.label.en, *term.synonyms):
                    if text:
                        found.setdefault(normalise(text), term.id)
                url = getattr(term, "url", None)  # a licence's text, where terms have one
                if isinstance(url, str) and (key := _url_key(url)):
                    found.setdefault(key, term.id)
            self._exact[vocabulary.name] = found
        return found

    def _repair(self, what: str, value: object, repairs: list[str]) -> Any:
        try:
            repaired = REPAIRS[what](value)
        except ValueError as exc:  # RepairError, or a library's own refusal
            raise _Bad(str(exc)) from None
        if repaired.note:
            repairs.append(repaired.note)
        result = repaired.value
        if isinstance(result, dt.date):
            return result.isoformat()  # as YAML reads a date back: text
        return result

    # -- validation ---------------------------------------------------------------------------

    def _validate(self, mapped: _Mapped) -> None:
        doc = SourceDocument(mapped.rel, mapped.meta, {}, mapped.body)
        values, problems = self.reader.validator.validate(doc)
        problems += self.reader.bodies.problems(mapped.rel, mapped.body, 1)
        # A field whose value could not be made right is reported once, as that.
        reported = set(mapped.failed)
        for problem in problems:
            if (problem.field or "").split(".")[0] in reported:
                continue
            if problem.field == BODY:
                mapped.origin.setdefault(BODY, BODY)
            mapped.problem(problem.field, problem.message)
        mapped.values = values

    def _cross_checked(self, accepted: list[tuple[_Mapped, str]],
                       existing: Mapping[str, _Existing]) -> list[tuple[_Mapped, str]]:
        """``accepted`` less the rows the checks across files refuse (ids, codes,
        references), with those of the entries they stand beside; again until none is."""
        while True:
            mine = {m.rel: m for m, _ in accepted}
            loaded: list[tuple[Entry, Mapping[tuple[str | int, ...], int]]] = []
            replaced = {m.meta["id"] for m, _ in accepted}
            for entry_id, item in existing.items():
                if item.entry is not None and entry_id not in replaced:
                    loaded.append((item.entry, {}))
            for mapped, _action in accepted:
                values = mapped.values
                if values.get("id"):
                    loaded.append((Entry(values["id"], values["kind"], mapped.rel, values,
                                         mapped.body), {}))
            reserved = (set(RESERVED_NAMES) | {s.slug for s in self.rules.sections}
                        | (top_level_names(self.content) if self.content.is_dir() else set()))
            refused: set[str] = set()
            for problem in cross_checks(loaded, self.rules, reserved, "content"):
                mine_row = mine.get(problem.path)
                if mine_row is not None:
                    mine_row.problem(problem.field, problem.message)
                    refused.add(problem.path)
            if not refused:
                return accepted
            for mapped, _action in accepted:
                if mapped.rel in refused:
                    self._invalid(mapped)
            accepted = [(m, a) for m, a in accepted if m.rel not in refused]

    # -- what to do with a valid row ----------------------------------------------------------

    def _action(self, mapped: _Mapped, current: _Existing | None,
                record: Mapping[str, Any] | None) -> str:
        entry_id = mapped.meta["id"]
        if current is None:
            return "create"
        if current.meta.get("kind") != mapped.meta["kind"]:
            mapped.problem("id", f"'{entry_id}' is already the id of content/{current.rel}, "
                                 f"a {current.meta.get('kind')}; set 'id:' in the mapping to "
                                 "give this row another")
            self._invalid(mapped)
            return ""
        mapped.rel = current.rel
        last = record.get("values", {}) if isinstance(record, Mapping) else {}
        imported = _source_values(mapped.meta)
        differing = [name for name, value in imported.items()
                     if current.meta.get(name) != value]
        gone = [name for name in last if name not in imported and
                current.meta.get(name) == last[name]]
        if not differing and not gone:
            return "same"
        if not self.update:
            self.report.skipped.append(f"{mapped.row.where}: {entry_id}: exists "
                                       f"(content/{current.rel}), skipped; pass --update to "
                                       "update it")
            return ""
        meta = dict(current.meta)
        mapped.imported = imported
        changes: list[str] = []
        for name in differing:
            old = current.meta.get(name)
            if (last[name] != old) if name in last else (old is not None):
                what = "removed by hand" if old is None else "edited by hand"
                self.report.kept.append(
                    f"{entry_id}: {name}: kept {_shown(old)} ({what}; the source "
                    f"has {_shown(imported[name])})")
                continue
            meta[name] = imported[name]
            changes.append(f"{entry_id}: {name}: {_shown(old)} -> {_shown(imported[name])}")
        for name in gone:
            changes.append(f"{entry_id}: {name}: {_shown(meta.pop(name))} -> (none)")
        if not changes:
            return "same"
        kind = self.rules.kinds[mapped.meta["kind"]]
        order = list(kind.fields)
        mapped.meta = {k: meta[k] for k in sorted(meta, key=lambda k: (
            order.index(k) if k in order else len(order)))}
        mapped.body, mapped.original = current.body, current.text
        mapped.problems.clear()
        self._validate(mapped)
        if mapped.problems:
            self._invalid(mapped)
            return ""
        mapped.changes = changes
        return "update"

    def _finish(self, accepted: list[tuple[_Mapped, str]], existing: Mapping[str, _Existing],
                ledger: dict[str, dict[str, Any]]) -> None:
        taken = {str(e.meta["code"]) for e in existing.values() if e.meta.get("code")
                 is not None}
        taken.update(str(m.meta["code"]) for m, _ in accepted if m.meta.get("code")
                     is not None)
        new_ledger = {k: dict(v) for k, v in ledger.items()}
        writes: list[tuple[Path, Callable[[], str], bool]] = []
        for mapped, action in accepted:
            entry_id = mapped.meta["id"]
            imported = mapped.imported if mapped.imported is not None else \
                _source_values(mapped.meta)
            record: dict[str, Any] = {"source": mapped.row.source, "row": mapped.row.number,
                                      "values": imported}
            if self.mapping.key and (key := mapped.row.values.get(self.mapping.key)):
                record["key"] = key if isinstance(key, (str, int, float)) else str(key)
            if action == "create":
                kind = self.rules.kinds[mapped.meta["kind"]]
                if "code" in kind.fields and mapped.meta.get("code") is None:
                    meta = {"kind": mapped.meta["kind"], "id": entry_id,
                            "code": int(new_code(entry_id, taken))}
                    meta.update((k, v) for k, v in mapped.meta.items() if k not in meta)
                    mapped.meta = meta
                self.report.created.append(entry_id)
                writes.append((self.content / mapped.rel, _later(mapped, kind), False))
            elif action == "update":
                kind = self.rules.kinds[mapped.meta["kind"]]
                self.report.updated.append(entry_id)
                self.report.changes.extend(mapped.changes)
                meta = _entry_meta(mapped, kind)
                # Only the fields that change are rewritten: the editor's comments, order
                # and layout stay.
                text = patch_front_matter(mapped.original or "", meta, list(kind.fields))
                if text is None:
                    text = dumps_entry(meta, mapped.body)
                    self.report.changes.append(
                        f"{entry_id}: front matter written anew (its comments and layout "
                        "could not be kept)")
                writes.append((self.content / mapped.rel, functools.partial(str, text), True))
            else:
                self.report.unchanged.append(entry_id)
            new_ledger[entry_id] = record
        self.report.repairs.extend(r for m, _ in accepted for r in m.repairs)
        if self.dry_run:
            return
        files = [(path, text(), replace) for path, text, replace in writes]
        if new_ledger != ledger:
            files.append((self.project / LEDGER, _ledger_text(new_ledger), True))
        if files:
            _write_files(files)


# -- helpers ------------------------------------------------------------------------------------

def _text_of(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _fill(template: str, lookup: Callable[[str], object]) -> str:
    """``template`` with each ``{name}`` replaced by ``lookup(name)`` (a list by its items
    joined with spaces); empty when every name gives nothing."""
    found = False

    def one(match: re.Match[str]) -> str:
        nonlocal found
        value = lookup(match.group(1))
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        found = True
        return str(value).strip()

    text = PLACEHOLDER.sub(one, template)
    return text.strip() if found else ""


def _whole(value: object, repairs: list[str]) -> object:
    """A whole number from a spreadsheet's text or float (``2008.0``)."""
    if isinstance(value, float) and value.is_integer():
        repairs.append(f"{value!r} -> {int(value)}")
        return int(value)
    if isinstance(value, str) and _INTEGRAL.fullmatch(value):
        number = int(float(value)) if "." in value else int(value)
        if "." in value:
            repairs.append(f"{value!r} -> {number}")
        return number
    return value


#: Control characters a record may carry (C0 but tab and newline, DEL, C1: mojibake of
#: Windows-1252, carriage returns); check refuses them in any field.
_CONTROLS = re.compile("\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _without_controls(text: str, repairs: list[str]) -> str:
    """``text`` with carriage returns made newlines and other control characters removed
    (each kind said once)."""
    if not _CONTROLS.search(text):
        return text
    found = sorted({c for c in _CONTROLS.findall(text) if c[0] != "\r"})
    if found:
        repairs.append("control character" + ("s " if len(found) > 1 else " ")
                       + ", ".join(f"U+{ord(c):04X}" for c in found) + " removed")
    return _CONTROLS.sub(lambda m: "\n" if m.group()[0] == "\r" else "", text)


def _slug(text: str) -> str:
    """An id made from text as `lifelong new` makes one from a title (pinyin for Chinese),
    except that text in other scripts is spelt in Latin letters first (``José Martí`` ->
    ``jose-marti``, not ``jos-mart``), and pinyin's dictionaries are loaded only when there
    is Chinese to spell."""
    if _HAN.search(text):
        return slug_from_title(text, None)
    from anyascii import anyascii

    return slug_from_title("", anyascii(text))


_HAN = re.compile("[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _url_key(text: str) -> str | None:
    """A web address compared loosely (scheme, ``www.``, case and a last ``/`` aside), or
    None for text that is not one: a feed gives a licence by its address."""
    match = re.fullmatch(r"(?i)https?://(?:www\.)?([^\s]+?)/?", text.strip())
    return f"url:{match.group(1).lower()}" if match else None


def _item(templates: Mapping[str, str], value: object, row: Mapping[str, object]
          ) -> dict[str, str]:
    """An object made from one item of a list (``{value}``) and the row's columns."""
    def lookup(name: str) -> object:
        return value if name == "value" else row.get(name)

    return {sub: filled for sub, template in templates.items()
            if (filled := _fill(template, lookup))}


def _plain(value: object, spec: FieldSpec) -> object:
    """A mapping's default as the entry holds it (dates as text, as YAML reads them back)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.list and not isinstance(value, list):
        return [value]
    return value


def _source_values(meta: Mapping[str, Any]) -> dict[str, Any]:
    """What of an entry's front matter came from the source (not its kind, id or code)."""
    return {k: v for k, v in meta.items() if k not in ("kind", "id", "code")}


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False, default=str)


def _entry_meta(mapped: _Mapped, kind: KindSpec) -> dict[str, Any]:
    """The front matter to write: dates as dates (written without quotes)."""
    meta: dict[str, Any] = {}
    for name, value in mapped.meta.items():
        spec = kind.fields.get(name)
        if spec is not None and spec.type == "date" and isinstance(value, str) and \
                re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                meta[name] = dt.date.fromisoformat(value)
                continue
            except ValueError:
                pass
        meta[name] = value
    return meta


def _entry_text(mapped: _Mapped, kind: KindSpec) -> str:
    return dumps_entry(_entry_meta(mapped, kind), mapped.body)


def _later(mapped: _Mapped, kind: KindSpec) -> Callable[[], str]:
    """The entry's text, made only when it is written (a dry run makes none)."""
    return lambda: _entry_text(mapped, kind)


def _ledger_text(entries: Mapping[str, Any]) -> str:
    return json.dumps({"entries": entries}, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _write_files(files: Sequence[tuple[Path, str, bool]]) -> None:
    """Write files atomically, as ``entryfile.write_new_file`` and ``replace_file`` do (a
    temporary file in the same folder, then linked or renamed into place; a new file never
    replaces one that appeared meanwhile), with one flush to disk for them all instead of
    one each: 10,000 entries took 30 s more with one each."""
    temporary: list[tuple[str, Path, bool]] = []
    try:
        for path, text, replace in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporary.append((tmp, path, replace))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            if replace and path.exists():
                os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.sync()
        for tmp, path, replace in temporary:
            if replace:
                os.replace(tmp, path)
            else:
                os.link(tmp, path)  # FileExistsError if it exists: never overwritten
                os.unlink(tmp)
    finally:
        for tmp, _path, _replace in temporary:
            if os.path.exists(tmp):
                os.unlink(tmp)
