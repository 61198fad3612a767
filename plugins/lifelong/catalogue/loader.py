"""Read a Markdown file and split its YAML front matter exactly as MkDocs does.

MkDocs swallows YAML errors silently (the page just loses its metadata), so we parse the block
ourselves, report every error with its line, and remember the line of every key so that the
validator can point at it.

YAML is bounded before anything is built from it: anchors and aliases are refused (a few
hundred bytes of nested aliases expand to billions of values: "billion laughs"), and so are
front matter over ``MAX_BYTES``, nesting deeper than ``MAX_DEPTH``, numbers of more than
``MAX_DIGITS`` digits (Python refuses to convert them) and text over ``MAX_CHARS``
characters. No real entry comes near any of them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lifelong.catalogue.problems import Problem

#: The front-matter boundary of ``mkdocs.utils.meta.YAML_RE`` (MkDocs 1.6). Copied rather than
#: imported so that the domain does not depend on MkDocs; a test asserts they stay identical.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Line paths: ("files", 0, "link") -> line in the file (1-based).
LineMap = dict[tuple[str | int, ...], int]

#: Limits of a YAML block (see the module's docstring). Whole YAML files (the catalogue's own
#: rules, ``what=""``) may nest deeper: fields.yml nests eight levels today.
MAX_BYTES = 1_000_000
MAX_DEPTH = 10
FILE_MAX_DEPTH = 32
MAX_DIGITS = 30
MAX_CHARS = 100_000
_INT_TAG = "tag:yaml.org,2002:int"


class _FrontMatterLoader(_BaseLoader):
    """Safe YAML without implicit timestamps: dates stay text so the validator can say
    exactly what is wrong with ``2024-02-30`` instead of failing inside the YAML parser."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class SourceDocument:
    """A Markdown file split into front matter (with key lines) and body."""

    path: str
    meta: Mapping[str, Any]
    lines: LineMap = field(repr=False)
    body: str = field(repr=False)
    body_line: int = 1

    def line_of(self, *key: str | int) -> int:
        """The line of a key (or of its closest enclosing key), else the opening ``---``."""
        path = tuple(key)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def decode_source(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode like MkDocs (UTF-8, BOM dropped, universal newlines)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        return None, [Problem(path, line, None,
                              f"file is not UTF-8 (byte 0x{byte:02x}); save it as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


class _Unbounded(Exception):
    """YAML beyond a limit: the problem to report instead of building anything from it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _shown(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "..."


def _refuse_anchors(text: str, path: str, offset: int) -> None:
    """Raise _Unbounded at the first anchor or alias, before anything is composed. Only
    text with '&' or '*' can have one (a scan of its tokens costs half as much as parsing);
    a syntax error ends the scan, and parsing reports it."""
    if "&" not in text and "*" not in text:
        return
    scanner = _FrontMatterLoader(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign, name = ("&", "anchor") if isinstance(token, yaml.AnchorToken) else \
                    ("*", "alias")
                raise _Unbounded(Problem(
                    path, token.start_mark.line + offset, None,
                    f"YAML {name} '{sign}{_shown(str(token.value))}' is not allowed "
                    "(anchors and aliases can make a small file expand without end); write "
                    f"the value out in full, or quote text that starts with '{sign}'"))
    except yaml.YAMLError:
        return
    finally:
        scanner.dispose()


def _check_scalar(node: yaml.ScalarNode, where: tuple[str | int, ...], offset: int,
                  path: str, *, key: bool = False) -> None:
    """Raise _Unbounded for a number or a text too long to be real (before it is built:
    Python refuses to convert an integer of more than 4,300 digits)."""
    value = node.value
    line = node.start_mark.line + offset
    field = ".".join(map(str, where)) or None
    if node.tag == _INT_TAG:
        digits = sum(c.isalnum() for c in value)
        if digits > MAX_DIGITS:
            raise _Unbounded(Problem(path, line, field, f"a number of {digits:,} digits is too "
                                     f"long (at most {MAX_DIGITS}); check it, or write it in "
                                     "quotes if it is text"))
    if len(value) > MAX_CHARS:
        what = "a field name" if key else "text"
        raise _Unbounded(Problem(path, line, field, f"{what} of {len(value):,} characters is "
                                 f"too long (at most {MAX_CHARS:,}); shorten it"))


def _walk(node: yaml.Node, prefix: tuple[str | int, ...], offset: int, lines: LineMap,
          problems: list[Problem], path: str, max_depth: int) -> None:
    """Note the line of every key and report keys given twice; raise _Unbounded beyond the
    limits (``max_depth``: levels of mappings and lists)."""
    if isinstance(node, yaml.ScalarNode):
        if len(node.value) > MAX_DIGITS:
            _check_scalar(node, prefix, offset, path)
        return
    if len(prefix) >= max_depth:
        raise _Unbounded(Problem(path, lines.get(prefix, node.start_mark.line + offset),
                                 ".".join(map(str, prefix)) or None,
                                 f"is nested more than {max_depth} levels deep; write it "
                                 "flatter"))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if len(key) > MAX_DIGITS and isinstance(key_node, yaml.ScalarNode):
                _check_scalar(key_node, prefix, offset, path, key=True)
            where = (*prefix, key)
            line = key_node.start_mark.line + offset
            if key in seen:
                problems.append(Problem(path, line, ".".join(map(str, where)),
                                        "appears twice; keep one"))
            seen.add(key)
            lines[where] = line
            _walk(value_node, where, offset, lines, problems, path, max_depth)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*prefix, index)] = item.start_mark.line + offset
            _walk(item, (*prefix, index), offset, lines, problems, path, max_depth)


def parse_front_matter(text: str, path: str, first_line: int = 2, *,
                       what: str = "front matter: ", max_depth: int | None = None
                       ) -> tuple[Any, LineMap, list[Problem]]:
    """Parse a YAML block; ``first_line`` is the file line of the block's first line;
    ``what`` starts error messages (empty for a whole YAML file). ``max_depth``: levels of
    nesting allowed (by default ``MAX_DEPTH``, ``FILE_MAX_DEPTH`` for a whole file)."""
    lines: LineMap = {}
    if len(text) > MAX_BYTES // 4 and (size := len(text.encode("utf-8"))) > MAX_BYTES:
        return None, lines, [Problem(path, first_line - 1, None,
                                     f"{what}{size:,} bytes is too large (at most "
                                     f"{MAX_BYTES:,}); keep long text in the description")]
    if max_depth is None:
        max_depth = MAX_DEPTH if what else FILE_MAX_DEPTH
    problems: list[Problem] = []
    loader = _FrontMatterLoader(text)
    try:
        _refuse_anchors(text, path, first_line)
        node = loader.get_single_node()
        if node is None:
            return None, lines, problems
        _walk(node, (), first_line, lines, problems, path, max_depth)
        data = loader.construct_document(node)
    except _Unbounded as exc:
        problem = exc.problem
        if problem.field is None:  # about the block, not a field
            problem = dataclasses.replace(problem, message=what + problem.message)
        return None, lines, [problem]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line - 1
        context = exc.context or ""
        if context and exc.context_mark and exc.context_mark.line + first_line != line:
            context += f" (from line {exc.context_mark.line + first_line})"
        detail = ": ".join(str(x) for x in (context, exc.problem) if x)
        return None, lines, [Problem(path, line, None, f"{what}YAML syntax error: {detail}")]
    except yaml.YAMLError as exc:
        return None, lines, [Problem(path, first_line - 1, None,
                                     f"{what}YAML error: {exc}")]
    finally:
        loader.dispose()
    return data, lines, problems


def split_document(text: str, path: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Split decoded text into a document with front matter; report what stops that."""
    if not text.strip():
        return None, [Problem(path, 1, None, "file is empty; an entry needs front matter "
                                             "between two '---' lines, then a description")]
    match = YAML_RE.match(text)
    if match is None:
        if not re.match(r"-{3}[ \t]*\n", text):
            return None, [Problem(path, 1, None, "no front matter: the file must start with a "
                                                 "line '---', then the fields, then '---'")]
        last = text.rstrip("\n").rsplit("\n", 1)[-1]
        if re.match(r"-{3}[ \t]*\n(?:\.{3}|-{3})[ \t]*(?:\n|$)", text):
            message = "front matter is empty: write the fields between the two '---' lines"
        elif not text.endswith("\n") and re.fullmatch(r"(?:\.{3}|-{3})[ \t]*", last):
            message = "front matter is not closed: end the closing '---' line with a newline"
        else:
            message = "front matter is not closed: add a line '---' after the last field"
        return None, [Problem(path, 1, None, message)]
    data, lines, problems = parse_front_matter(match.group(1), path)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        found = {"list": "a list", "str": "plain text", "int": "a number"}.get(found, found)
        return None, [Problem(path, 2, None, "front matter must be a mapping of fields "
                                             f"('name: value' lines), found {found}")]
    body_start = match.end()
    body = text[body_start:]
    body_line = text.count("\n", 0, body_start) + 1
    return SourceDocument(path, data, lines, body, body_line), []


def read_source(abs_path: Path, path: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or the problem that stops reading it."""
    try:
        return abs_path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(path, 0, None, f"cannot read file: {exc.strerror}")]


def parse_source(raw: bytes, path: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Decode and split a file's bytes."""
    text, problems = decode_source(raw, path)
    if text is None:
        return None, problems
    return split_document(text, path)


def read_document(abs_path: Path, path: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Read, decode and split one file. ``path`` is how it is named in reports."""
    raw, problems = read_source(abs_path, path)
    if raw is None:
        return None, problems
    return parse_source(raw, path)
