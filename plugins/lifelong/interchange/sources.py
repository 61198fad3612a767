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

from collections.abc import Mapping
from dataclasses import dataclass

#: A raw value as a reader gives it (see the module's doc).
Value = object

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
