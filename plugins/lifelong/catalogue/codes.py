"""Codes readers type: 6 digits in an entry's front matter (``code: 382915``), given once and
never changed (they are printed under QR codes, on posters and cards).

A new code comes from the entry's id: a hash of it, moved on to the next free code while the
code is taken (entries in path order). The same catalogue gives the same codes; an existing
code is never touched, so adding an entry changes no other entry's code. ``plan_codes``
says what ``lifelong codes`` would give; ``write_codes`` adds each as one line in the front
matter (after ``id:``), every other byte of the file kept, the file replaced atomically.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lifelong.catalogue.entryfile import replace_file
from lifelong.catalogue.loader import SourceDocument, parse_source, read_source
from lifelong.catalogue.problems import Problem
from lifelong.catalogue.reading import scan_content
from lifelong.catalogue.validate import SLUG_RE, CodeError, code_of

FIRST = 100_000
COUNT = 900_000  # 100000 .. 999999: 6 digits, the first not 0


def first_choice(entry_id: str) -> int:
    """Where the search for an entry's code starts: a hash of its id."""
    digest = hashlib.sha256(entry_id.encode("utf-8")).digest()
    return FIRST + int.from_bytes(digest[:8], "big") % COUNT


def new_code(entry_id: str, taken: set[str]) -> str:
    """The code for ``entry_id``: its ``first_choice``, or the next one not in ``taken``
    (after 999999 comes 100000). Adds it to ``taken``."""
    if len(taken) >= COUNT:
        raise ValueError("every code is taken")
    number = first_choice(entry_id)
    while str(number) in taken:
        number = FIRST + (number - FIRST + 1) % COUNT
    code = str(number)
    taken.add(code)
    return code


_CODE_LINE = re.compile(r"^code:\s*['\"]?([0-9]+)", re.MULTILINE)


def codes_in_use(content_dir: Path) -> set[str]:
    """Codes in use, read cheaply from the start of every entry file (for ``lifelong new``;
    ``lifelong check`` checks them properly)."""
    found = set()
    for rel in scan_content(content_dir)[0]:
        head = (content_dir / rel).read_bytes()[:4096].decode("utf-8", "replace")
        match = _CODE_LINE.search(head.replace("\r\n", "\n"))
        if match:
            found.add(match.group(1))
    return found


@dataclass(frozen=True)
class NewCode:
    """A code to give: the file (relative to content/), its id, the code."""

    path: str
    entry_id: str
    code: str


@dataclass(frozen=True)
class CodePlan:
    """What ``lifelong codes`` finds: codes to give, how many entries keep theirs, and what
    stops it (a file it cannot read, a code it cannot read, a code used twice)."""

    new: tuple[NewCode, ...]
    kept: int
    problems: tuple[Problem, ...]


def plan_codes(content_dir: Path, base: str = "content") -> CodePlan:
    """The codes every entry in ``content_dir`` without one would get. Problems are named
    ``base``/path, as ``lifelong check`` names them."""
    rels, problems = scan_content(content_dir)
    problems = [_named(p, base) for p in problems]
    owners: dict[str, list[tuple[str, int]]] = {}
    lacking: list[tuple[str, str]] = []
    for rel in rels:
        shown = f"{base}/{rel}"
        raw, found = read_source(content_dir / rel, shown)
        doc, more = parse_source(raw, shown) if raw is not None else (None, [])
        problems.extend(found + more)
        if doc is None or more:
            continue
        meta = doc.meta
        entry_id = meta.get("id")
        if not isinstance(entry_id, str) or not SLUG_RE.fullmatch(entry_id):
            problems.append(Problem(shown, doc.line_of("id"), "id",
                                    "needs a valid id before it can be given a code"))
            continue
        if meta.get("code") is None:
            lacking.append((rel, entry_id))
            continue
        try:
            code = code_of(meta["code"])
        except CodeError as exc:
            problems.append(Problem(shown, doc.line_of("code"), "code", str(exc)))
            continue
        owners.setdefault(code, []).append((shown, doc.line_of("code")))
    for code, where in owners.items():
        for path, line in where if len(where) > 1 else ():
            others = ", ".join(f"{p}:{n}" for p, n in where if p != path)
            problems.append(Problem(path, line, "code",
                                    f"'{code}' is also used by {others}; codes must be unique"))
    taken = set(owners)
    new = tuple(NewCode(rel, entry_id, new_code(entry_id, taken)) for rel, entry_id in lacking)
    kept = sum(len(where) for where in owners.values())
    return CodePlan(new if not problems else (), kept, tuple(problems))


def _named(problem: Problem, base: str) -> Problem:
    return Problem(f"{base}/{problem.path}", problem.line, problem.field, problem.message)


class CodeWriteError(Exception):
    """A code could not be added to a file; the message names it and says what to do."""


def with_code(raw: bytes, code: str, path: str) -> bytes:
    """``raw`` (an entry file) with the line ``code: <code>`` added to its front matter:
    after the ``id:`` line, or else after the opening ``---``, with the file's own line
    ending. Every other byte is kept. Raises CodeWriteError when the result would not read
    as the same front matter plus the code (a front matter written as one flow mapping)."""
    doc, problems = parse_source(raw, path)
    if doc is None or problems:
        raise CodeWriteError(f"{path}: cannot read its front matter; run `lifelong check`")
    lines = raw.splitlines(keepends=True)
    places = []
    id_line = doc.lines.get(("id",))
    if id_line is not None:
        places.append(id_line)
    places.append(1)
    for after in places:
        ending = lines[after - 1][len(lines[after - 1].rstrip(b"\r\n")):] or b"\n"
        added = b"code: " + code.encode() + ending
        result = b"".join([*lines[:after], added, *lines[after:]])
        if _reads_as(result, doc, code, path):
            return result
    raise CodeWriteError(f"{path}: cannot add the code {code} without rewriting the front "
                         f"matter; add the line 'code: {code}' to it by hand")


def _reads_as(raw: bytes, before: SourceDocument, code: str, path: str) -> bool:
    """Whether ``raw`` reads as ``before`` with the code added, and nothing else changed."""
    doc, problems = parse_source(raw, path)
    if doc is None or problems:
        return False
    return dict(doc.meta) == {**before.meta, "code": int(code)} and doc.body == before.body


def write_codes(content_dir: Path, new: Iterable[NewCode], base: str = "content") -> int:
    """Add each code to its file (``with_code``), one file at a time, each replaced
    atomically; return how many were written. Raises CodeWriteError."""
    written = 0
    for item in new:
        path = content_dir / item.path
        shown = f"{base}/{item.path}"
        replace_file(path, with_code(path.read_bytes(), item.code, shown))
        written += 1
    return written
