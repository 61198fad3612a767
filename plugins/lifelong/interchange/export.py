"""The catalogue as data for other systems and spreadsheets: CSV, JSON or JSON Lines, in the
shape ``lifelong import`` reads back without a mapping.

A record is an entry's front matter as the editor wrote it (fields left out stay out, but for
a term the catalogue gives by default, the language: another system needs to know it, and an
import never assumes one), with ``kind`` and ``id`` first, then the kind's fields in the order
catalogue/fields.yml declares them, then ``body``, the Markdown description (when there is
one). Values are normalised only as far as the format needs: dates and date-times as ISO
8601 text (``2024-05-01``, ``2026-12-05T19:30:00+08:00``).

- JSON: one array of records, indented; JSON Lines: a record per line. UTF-8 without a BOM
  (as RFC 8259 asks), ``\\n`` line ends.
- CSV: columns ``kind``, ``id``, every field of the exported kinds in fields.yml's order (common
  fields first, then each kind's own), then ``body``. A list of plain values is one cell
  joined by ``"; "`` (``sources.LIST_SEPARATOR``), written as a JSON array instead when an
  item holds ``;`` or would not survive the split; an object or a list of objects is JSON
  text; ``true``/``false`` for yes/no; a cell a spreadsheet would run as a formula (``=``,
  ``+``, ``-``, ``@``) after an apostrophe (``'=cmd|x``, ``'-500``). UTF-8 with a byte
  order mark and ``\\r\\n`` line ends (RFC 4180): Excel reads a CSV file without the mark
  in the computer's local code page (GBK on Chinese Windows) and shows every Chinese
  character garbled.

Records are sorted by kind, then id; the same catalogue gives the same bytes. With
``public``, a field the site keeps private (an object whose ``public`` switch is off: a
teacher's private contact, ``lifelong.catalogue.privacy``) is left out; without it, it is
written, since the file is the editors' (``private_values`` counts them, to say so).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from lifelong.catalogue.loader import read_document
from lifelong.catalogue.model import Entry
from lifelong.catalogue.privacy import is_public, private_fields
from lifelong.catalogue.problems import CatalogueError
from lifelong.catalogue.schema import Rules
from lifelong.interchange.sources import FORMULA_START, LIST_SEPARATOR

FORMATS = ("csv", "jsonl", "json")

#: A record: field name -> value, JSON-ready (str, int, float, bool, lists, objects).
Record = dict[str, object]


def export_records(content_dir: Path, rules: Rules, entries: Iterable[Entry],
                   kind: str | None = None, *, public: bool = False) -> list[Record]:
    """Each entry's record (of ``kind`` only, when given), sorted by kind then id. The
    front matter is read again from the entry's file, so that what is exported is what the
    editor wrote rather than the values the site derives (a term's default is written).
    ``public``: without the values the site keeps private."""
    records: list[Record] = []
    for entry in sorted(entries, key=lambda e: (e.kind, e.id)):
        if kind is not None and entry.kind != kind:
            continue
        document, problems = read_document(content_dir / entry.path,
                                           f"{content_dir.name}/{entry.path}")
        if document is None:
            raise CatalogueError(problems)
        meta = document.meta
        fields = rules.kinds[entry.kind].fields if entry.kind in rules.kinds else {}
        order = ["kind", "id", *(name for name in fields if name not in ("kind", "id"))]
        order += sorted(name for name in meta if name not in order)
        record: Record = {"kind": entry.kind, "id": entry.id}
        hidden = {name for name in _private(rules, entry.kind)
                  if not is_public(meta.get(name))} if public else set()
        for name in order[2:]:
            if name in hidden:
                continue
            if name in meta and meta[name] is not None:
                record[name] = _plain(meta[name])
            elif name in fields and fields[name].type == "term" and \
                    fields[name].default is not None:
                record[name] = fields[name].default
        body = document.body.strip()
        if body:
            record["body"] = body
        records.append(record)
    return records


def private_values(records: Iterable[Record], rules: Rules) -> int:
    """How many of ``records``' values the site keeps private (see ``export_records``)."""
    return sum(1 for record in records for name in _private(rules, str(record["kind"]))
               if name in record and not is_public(record[name]))


def _private(rules: Rules, kind: str) -> tuple[str, ...]:
    spec = rules.kinds.get(kind)
    return private_fields(spec) if spec is not None else ()


def _plain(value: object) -> object:
    """A front-matter value as JSON can hold it: dates as ISO text, the rest as it is."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def csv_columns(rules: Rules, kinds: Sequence[str]) -> list[str]:
    """``kind``, ``id``, the fields of ``kinds`` in fields.yml's order, ``body``."""
    columns = ["kind", "id"]
    for kind in kinds:
        columns.extend(name for name in rules.kinds[kind].fields if name not in columns)
    return [*columns, "body"]


def render(records: Sequence[Record], fmt: str, columns: Sequence[str] = ()) -> bytes:
    """The records as a file's bytes in ``fmt`` (``csv``, ``jsonl`` or ``json``); CSV takes
    its ``columns`` (``csv_columns``), and a record's value of another column is refused."""
    if fmt == "json":
        text = json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"
        return text.encode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
                       for record in records).encode("utf-8")
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        unknown = set(record) - set(columns)
        if unknown:
            raise ValueError(f"{record.get('id')}: no column for {', '.join(sorted(unknown))}")
        writer.writerow([csv_cell(record.get(column)) for column in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_cell(value: object) -> str:
    """One value as a CSV cell (see the module's doc): text a spreadsheet would run as a
    formula (``=HYPERLINK(...)``, ``-500``) after an apostrophe, which it shows as text and
    ``lifelong import`` reads without (``sources.FORMULA_GUARD``)."""
    cell = _cell(value)
    return "'" + cell if FORMULA_START.match(cell) else cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) and
                                       not isinstance(item, bool) for item in value):
        items = [str(item) for item in value]
        if all(_splits_back(item) for item in items) and not (items and items[0].startswith("[")):
            return LIST_SEPARATOR.join(items)
    return json.dumps(value, ensure_ascii=False)


def _splits_back(item: str) -> bool:
    """Whether an item comes back whole from a cell split on ``;`` and stripped."""
    return bool(item) and ";" not in item and item == item.strip()
