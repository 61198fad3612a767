"""Read a Markdown file and split its YAML front matter exactly as MkDocs does.

MkDocs swallows YAML errors silently (the page just loses its metadata), so we parse the block
ourselves, report every error with its line, and remember the line of every key so that the
validator can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lifelong.problems import Problem

#: The front-matter boundary of ``mkdocs.utils.meta.YAML_RE`` (MkDocs 1.6). Copied rather than
#: imported so that the domain does not depend on MkDocs; a test asserts they stay identical.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Line paths: ("files", 0, "link") -> line in the file (1-based).
LineMap = dict[tuple[str | int, ...], int]


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
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


def _walk(node: yaml.Node, prefix: tuple[str | int, ...], offset: int, lines: LineMap,
          problems: list[Problem], path: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            where = (*prefix, key)
            line = key_node.start_mark.line + offset
            if key in seen:
                problems.append(Problem(path, line, ".".join(map(str, where)),
                                        "appears twice; keep one"))
            seen.add(key)
            lines[where] = line
            _walk(value_node, where, offset, lines, problems, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*prefix, index)] = item.start_mark.line + offset
            _walk(item, (*prefix, index), offset, lines, problems, path)


def parse_front_matter(text: str, path: str, first_line: int = 2, *,
                       what: str = "front matter: ") -> tuple[Any, LineMap, list[Problem]]:
    """Parse a YAML block; ``first_line`` is the file line of the block's first line;
    ``what`` starts error messages (empty for a whole YAML file)."""
    loader = _FrontMatterLoader(text)
    lines: LineMap = {}
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, problems
        _walk(node, (), first_line, lines, problems, path)
        data = loader.construct_document(node)
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
