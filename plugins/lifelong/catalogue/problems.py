"""Problems found in the catalogue, reported compiler-style: ``path:line: field: message``.

A problem is an error (the catalogue cannot be built) unless its severity is ``warning``:
something an editor should look at (a likely duplicate) that never stops a build. Warnings
read ``path:line: warning: message``, as compilers write them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. Sorted by path, then line, so reports are stable."""

    path: str
    line: int
    field: str | None
    message: str
    severity: Literal["error", "warning"] = "error"
    #: Other places the problem concerns, as (path, line): the entry a duplicate copies.
    related: tuple[tuple[str, int], ...] = ()

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.severity == "warning":
            where += ": warning"
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the file in a pull request."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        line = f",line={self.line}" if self.line else ""
        return f"::{self.severity} file={path}{line}::{text}"

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "field": self.field,
                "message": self.message, "severity": self.severity,
                "related": [{"path": path, "line": line} for path, line in self.related]}


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    """Path, line, field, message; a problem without a field sorts first (no None < str)."""
    return problem.path, problem.line, problem.field or "", problem.message


class CatalogueError(Exception):
    """The catalogue has problems; all of them are attached, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        count = len(self.problems)
        head = f"the catalogue has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as plain text lines, GitHub annotations or a JSON document (every
    problem with its severity; ``count`` of them all, then of ``errors`` and ``warnings``)."""
    items = sorted(set(problems), key=_sort_key)
    if fmt == "json":
        warnings = sum(p.severity == "warning" for p in items)
        return json.dumps({"problems": [p.as_json() for p in items], "count": len(items),
                           "errors": len(items) - warnings, "warnings": warnings},
                          ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in items)
    return "\n".join(map(str, items))
