"""Excel workbooks (.xlsx) as rows, read with openpyxl in read-only mode (a streaming reader:
a sheet of 10,000 rows is never held whole).

The first sheet is read unless one is named. Its first non-empty row is the header: each
column is named by its header cell (a column without one by its letter, ``F``, so that its
values are still reported rather than lost). Every later non-empty row is a ``Row`` numbered
as Excel shows it; empty cells are left out; values are as openpyxl gives them (``str``,
``int``, ``float``, ``bool``, ``datetime``), formulas as their last computed values.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from lifelong.interchange.sources import Row, SourceError, Value


def read_xlsx(path: Path, sheet: str | None = None) -> Iterator[Row]:
    """The rows of a workbook's first sheet (or of ``sheet``). Raises ``SourceError`` for a
    file that is not a workbook, a sheet that is not there, or a header naming a column
    twice."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise SourceError(f"{path}: cannot read file: No such file or directory") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SourceError(f"{path}: not an Excel workbook (.xlsx): {_reason(exc)}; an old "
                          ".xls file must be saved as .xlsx first") from None
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            names = ", ".join(repr(name) for name in book.sheetnames)
            raise SourceError(f"{path}: no sheet named {sheet!r}; the workbook has {names}")
        header: dict[int, str] | None = None
        for number, cells in enumerate(worksheet.iter_rows(min_row=1, values_only=True),
                                       start=1):
            present = {column: value for column, value in enumerate(cells)
                       if value is not None and not (isinstance(value, str)
                                                     and not value.strip())}
            if not present:
                continue
            if header is None:
                header = _header(path, number, present)
                continue
            values: dict[str, Value] = {}
            for column, value in present.items():
                values[header.get(column) or get_column_letter(column + 1)] = value
            yield Row(str(path), number, values)
    finally:
        book.close()


def _header(path: Path, number: int, cells: Mapping[int, object]) -> dict[int, str]:
    names: dict[int, str] = {}
    seen: dict[str, int] = {}
    for column, value in cells.items():
        name = str(value).strip()
        if name in seen:
            raise SourceError(f"{path}:{number}: the header names column {name!r} twice "
                              f"({get_column_letter(seen[name] + 1)} and "
                              f"{get_column_letter(column + 1)})")
        seen[name] = column
        names[column] = name
    return names


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return "a part of the file is missing"
    return str(exc).rstrip(".") or type(exc).__name__
