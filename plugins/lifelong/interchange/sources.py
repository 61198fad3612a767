"""Rows from other systems' files, whatever their format: the shape every reader gives.

A reader turns one source file into ``Row``s: where the row is (the file as given and a
number the editor can find it by) and its values by column or element name, raw. Nothing is
interpreted here beyond the format itself: mapping onto fields and repairs come later.

Row numbers are what the editor sees: a spreadsheet's row (the header is row 1, so the first
record is row 2), the line of a JSON Lines record, the 1-based position of an item in a JSON
array, the 1-based position of an entry in a feed (counted on across a paginated feed's files,
which are given in order).

Values: CSV cells are ``str`` (empty cells left out); XLSX cells as the reader gives them
(``str``, ``int``, ``float``, ``bool``, ``datetime``); JSON values as parsed. Feeds (OPDS 1.2
Atom and OPDS 2.0 JSON) are given under the catalogue's own field names where the feed has
a standard element for one, so that they need no mapping (see ``OPDS_KEYS``).

Columns named after the catalogue's fields need no mapping either; this is also the shape of
``lifelong export --format csv``: a list of plain values in one cell is separated by ``; ``
(written as a JSON array when an item holds ``;``), an object or a list of objects is JSON,
and the entry's description is the ``body`` column.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: A raw value as a reader gives it (see the module's doc).
Value = object

#: A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, or a tab or
#: carriage return before one) is written by ``lifelong export`` after an apostrophe, as
#: spreadsheets themselves keep such text (``'=1+2``); a CSV cell of that shape is read
#: without it, so that ``-500`` (500 BCE) and ``=cmd|x`` come back as they were.
FORMULA_START = re.compile(r"[=+\-@\t\r]")
FORMULA_GUARD = re.compile(r"'(?=[=+\-@\t\r])")

#: The separator of a list's items in one CSV cell (``lifelong export`` writes it; an import
#: of a column for a list field splits on it unless the mapping names another).
LIST_SEPARATOR = "; "

#: The keys a feed's entry is given under, named after the catalogue's fields:
#: ``contributors`` and ``files`` are lists of objects ({name, role} and {type, link, size});
#: ``type`` is the file's media type (``application/epub+zip``) as the feed gives it;
#: ``identifiers`` a list of {scheme, value} (``isbn``, ``doi``, ``uri``... and ``source``
#: for the feed's own id); ``subjects`` the categories' labels (or terms) as given;
#: ``summary`` may hold HTML. The importer maps them as it maps a column of the same name.
OPDS_KEYS = ("title", "original_title", "summary", "language", "publisher", "published",
             "updated", "year", "isbn", "authors", "contributors", "identifiers", "subjects",
             "cover", "files", "series", "series_order", "licence", "body")


@dataclass(frozen=True, slots=True)
class Row:
    """One record of a source file: where it is, and its values by column."""

    source: str                  #: the file as given on the command line
    number: int                  #: the row, line or entry number the editor finds it by
    values: Mapping[str, Value]  #: column (or element) name -> raw value, in source order

    @property
    def where(self) -> str:
        """``SOURCE:ROW``, the start of every line the import reports about this row."""
        return f"{self.source}:{self.number}"


class SourceError(Exception):
    """A source file cannot be read as its format (not found, not UTF-8 or GB18030, not
    JSON, not a feed...): the message names the file and, where known, the line."""


# -- Reading a source file, whatever its format -------------------------------------------------

#: Where the format is told by the file's name (anything else is told by its first bytes).
_BY_EXTENSION = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "csv", ".json": "json",
                 ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx",
                 ".opds": "opds", ".atom": "opds", ".xml": "opds"}
#: The delimiters a CSV file may use: tab, comma, semicolon, bar, the Chinese enumeration
#: comma (、) and the full-width comma (，).
DELIMITERS = ("\t", ",", ";", "|", "、", "，")
_SAMPLE_ROWS = 50


def source_format(path: Path) -> str:
    """``csv``, ``json``, ``jsonl``, ``xlsx`` or ``opds``: by the name's extension, else by the
    first bytes (``PK``: a spreadsheet; ``<``: a feed; ``{`` or ``[``: JSON, or JSON Lines
    when the second line starts an object too; else CSV). An OPDS 2.0 feed is JSON with
    ``publications`` (``read`` looks)."""
    found = _BY_EXTENSION.get(path.suffix.lower())
    if found is not None:
        return found
    head = _read_bytes(path)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"<"):
        return "opds"
    if head.startswith((b"{", b"[")):
        lines = [line for line in head.splitlines() if line.strip()]
        return "jsonl" if len(lines) > 1 and lines[1].lstrip().startswith(b"{") and \
            lines[0].rstrip().endswith(b"}") else "json"
    return "csv"


def read(path: Path | str, *, shown: str | None = None) -> Iterator[Row]:
    """The rows of one source file (see ``source_format``); raises SourceError naming the
    file (as ``shown``, by default as given) and the line of what cannot be read."""
    path = Path(path)
    name = shown if shown is not None else str(path)
    fmt = source_format(path)
    if fmt == "csv":
        return read_csv(path, shown=name)
    if fmt == "jsonl":
        return read_jsonl(path, shown=name)
    if fmt == "json":
        data = _load_json(path, name)
        if isinstance(data, dict) and ("publications" in data or "navigation" in data):
            return _plugin("feeds", "read_opds", name)([path])
        return _json_rows(data, name)
    if fmt == "xlsx":
        return _plugin("xlsx", "read_xlsx", name)(path)
    return _plugin("feeds", "read_opds", name)([path])


def read_all(paths: Sequence[Path | str]) -> Iterator[Row]:
    """The rows of every source in order. Feed files given one after the other are read
    together, as the pages of one paginated feed (their entries numbered on across them)."""
    pending: list[Path] = []
    for item in paths:
        path = Path(item)
        fmt = source_format(path)
        if fmt == "opds" or (fmt == "json" and _is_opds2(path)):
            pending.append(path)
            continue
        if pending:
            yield from _plugin("feeds", "read_opds", str(pending[0]))(pending)
            pending = []
        yield from read(path, shown=str(item))
    if pending:
        yield from _plugin("feeds", "read_opds", str(pending[0]))(pending)


def _is_opds2(path: Path) -> bool:
    head = _read_bytes(path)[:65536]
    return b'"publications"' in head or b'"navigation"' in head


def _plugin(module: str, name: str, shown: str) -> Callable[..., Iterator[Row]]:
    """A reader of another module of this room, by name (feeds and spreadsheets are read
    by ``feeds.read_opds(paths)`` and ``xlsx.read_xlsx(path)``)."""
    try:
        found = importlib.import_module(f"lifelong.interchange.{module}")
    except ImportError:
        found = None
    reader = getattr(found, name, None)
    if reader is None:
        what = {"feeds": "OPDS feeds", "xlsx": "XLSX spreadsheets"}[module]
        raise SourceError(f"{shown}: {what} cannot be read by this version (no "
                          f"{module}.{name})")
    return reader  # type: ignore[no-any-return]


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read it: {exc.strerror}") from None


def decode(raw: bytes, shown: str) -> tuple[str, str]:
    """The text of a file in UTF-8 (with or without a byte order mark), GB18030 (what
    Chinese Excel and WPS save as "CSV" on the mainland) or Big5 (in Taiwan and Hong Kong),
    and which it was. UTF-8 is tried first and strictly: text in the others is almost never
    valid UTF-8. Big5 text also decodes as GB18030, into other characters: when both decode,
    charset-normalizer tells which reads as language."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8:
        decoded = {}
        for encoding in ("gb18030", "big5"):
            try:
                decoded[encoding] = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        if len(decoded) > 1:
            from charset_normalizer import from_bytes

            best = from_bytes(raw, cp_isolation=list(decoded)).best()
            chosen = best.encoding if best is not None and best.encoding in decoded \
                else "gb18030"
            return decoded[chosen], chosen
        for encoding, text in decoded.items():
            return text, encoding
        line = raw[:utf8.start].count(b"\n") + 1
        raise SourceError(f"{shown}:{line}: neither UTF-8, GB18030 nor Big5 (byte "
                          f"0x{raw[utf8.start]:02x}); save it as UTF-8") from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of CSV ``text``: of ``DELIMITERS``, the one that splits the header into
    the most columns while most of the first rows have as many; a comma when none splits it.
    (csv.Sniffer guesses from character frequencies and picks letters or spaces on small
    files; counting columns is what an editor would do.)"""
    lines = text.splitlines()[:_SAMPLE_ROWS]
    sample = "\n".join(lines)
    best, best_columns = ",", 1
    for delimiter in DELIMITERS:
        if delimiter not in (lines[0] if lines else ""):
            continue
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        columns = len(rows[0])
        agreeing = sum(len(r) == columns for r in rows[1:-1] or rows)  # the last may be cut
        if columns > best_columns and agreeing * 2 >= max(1, len(rows[1:-1] or rows)):
            best, best_columns = delimiter, columns
    return best


def read_csv(path: Path, *, shown: str | None = None, delimiter: str | None = None
             ) -> Iterator[Row]:
    """The rows of a CSV file (row 1 names the columns; the first record is row 2). Empty
    cells are left out; cells beyond the header are named ``column N``; a column named twice
    keeps its first name and the others are named ``NAME (column N)``."""
    name = shown if shown is not None else str(path)
    text, _encoding = decode(_read_bytes(path), name)
    return _csv_rows(text, name, delimiter or sniff_delimiter(text))


def _csv_rows(text: str, shown: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(f"{shown}:{reader.line_num}: not readable as CSV ({exc}); check "
                              "the quotes on that line") from None
        number += 1
        if header is None:
            header = _header(cells)
            if not any(header):
                raise SourceError(f"{shown}:1: the first row must name the columns")
            continue
        values: dict[str, Value] = {}
        for index, cell in enumerate(cells):
            if not cell.strip():
                continue
            column = header[index] if index < len(header) else f"column {index + 1}"
            values[column] = cell[1:] if FORMULA_GUARD.match(cell) else cell
        if values:
            yield Row(shown, number, values)


def _header(cells: list[str]) -> list[str]:
    names: list[str] = []
    for index, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff") or f"column {index + 1}"
        if name in names:
            name = f"{name} (column {index + 1})"
        names.append(name)
    return names


def _load_json(path: Path, shown: str) -> object:
    text, _encoding = decode(_read_bytes(path), shown)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{shown}:{exc.lineno}: not JSON: {exc.msg} (column {exc.colno})"
                          ) from None
    except RecursionError:
        raise SourceError(f"{shown}: not JSON: nested too deeply") from None


def read_json(path: Path, *, shown: str | None = None) -> Iterator[Row]:
    """The records of a JSON file: an array of objects, or an object holding one array of
    objects (``{"books": [...]}``); each record's number is its position, from 1."""
    name = shown if shown is not None else str(path)
    return _json_rows(_load_json(path, name), name)


def _json_rows(data: object, shown: str) -> Iterator[Row]:
    if isinstance(data, dict):
        arrays = [key for key, value in data.items() if isinstance(value, list)]
        if len(arrays) != 1:
            raise SourceError(f"{shown}: expected an array of records, or an object holding "
                              f"one array of them; found an object with "
                              f"{len(arrays)} arrays")
        data = data[arrays[0]]
    if not isinstance(data, list):
        raise SourceError(f"{shown}: expected an array of records, found "
                          f"{type(data).__name__}")
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise SourceError(f"{shown}: record {number} is not an object "
                              "({\"field\": value, ...})")
        yield Row(shown, number, item)


def read_jsonl(path: Path, *, shown: str | None = None) -> Iterator[Row]:
    """The records of a JSON Lines file: one object a line, numbered by line (blank lines
    are skipped)."""
    name = shown if shown is not None else str(path)
    text, _encoding = decode(_read_bytes(path), name)
    return _jsonl_rows(text, name)


def _jsonl_rows(text: str, shown: str) -> Iterator[Row]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{shown}:{number}: not JSON: {exc.msg} (column {exc.colno})"
                              ) from None
        except RecursionError:
            raise SourceError(f"{shown}:{number}: not JSON: nested too deeply") from None
        if not isinstance(item, dict):
            raise SourceError(f"{shown}:{number}: expected an object ({{\"field\": value, "
                              f"...}}), found {type(item).__name__}")
        yield Row(shown, number, item)
