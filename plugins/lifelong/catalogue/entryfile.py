"""Write entries as Markdown with front matter, atomically and without overwriting.

python-frontmatter does the reading and writing through a handler whose boundary rule is
MkDocs' own (``loader.YAML_RE``), so our tools and MkDocs always see the same block.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from lifelong.catalogue.loader import YAML_RE, parse_front_matter


class MkDocsYAMLHandler(YAMLHandler):
    """YAML front matter split exactly where MkDocs splits it."""

    FM_BOUNDARY = YAML_RE
    START_DELIMITER = END_DELIMITER = "---"

    def detect(self, text: str) -> bool:
        return YAML_RE.match(text) is not None

    def split(self, text: str) -> tuple[str, str]:
        match = YAML_RE.match(text)
        if match is None:
            raise ValueError("no front matter closed by '---'")
        return match.group(1), text[match.end():]

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return yaml.dump(metadata, Dumper=_EntryDumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=None, width=100).strip()


class _EntryDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style for mappings, flow style for short lists of plain values. libyaml's
    emitter where PyYAML has it: the same bytes, eight times as fast (an import of 10,000
    rows spent most of its time here)."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, (str, int, float)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_EntryDumper.add_representer(list, _represent_list)
_EntryDumper.add_representer(dict, _represent_dict)

HANDLER = MkDocsYAMLHandler()


def dumps_entry(meta: Mapping[str, Any], body: str) -> str:
    post = frontmatter.Post(body.strip() + "\n", handler=HANDLER, **dict(meta))
    return frontmatter.dumps(post, handler=HANDLER).rstrip("\n") + "\n"


def _dump_fields(meta: Mapping[str, Any]) -> str:
    return yaml.dump(dict(meta), Dumper=_EntryDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=100)


def _read_back(block: str) -> Any:
    """A front-matter block as the catalogue reads it (None when it does not read)."""
    data, _lines, problems = parse_front_matter(block, "")
    return None if problems else data


def patch_front_matter(text: str, meta: Mapping[str, Any], order: Sequence[str] = ()
                       ) -> str | None:
    """``text`` (an entry file) with front matter that reads as ``meta``, rewriting only the
    top-level fields whose values differ: a changed field's lines are replaced (keeping a
    comment at the end of a one-line field), a field no longer in ``meta`` is removed, a new
    one is placed after the field before it in ``order`` (the kind's fields). Everything else
    (comments, blank lines, order, quoting, the description, a byte-order mark, CRLF line
    ends) stays as the editor wrote it. None when that cannot be done safely (the front
    matter does not read, is not one block mapping of plain keys, or the result would not
    read as ``meta``): the caller then writes the whole file with ``dumps_entry``."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = "\r\n" in text
    plain = text[len(bom):].replace("\r\n", "\n")
    match = YAML_RE.match(plain)
    if match is None:
        return None
    block = match.group(1)
    current, wanted = _read_back(block), _read_back(_dump_fields(meta))
    if not isinstance(current, dict) or not isinstance(wanted, dict):
        return None
    if current == wanted:
        return text
    try:
        root = yaml.compose(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = block.splitlines(keepends=True)
    pairs = root.value
    if any(not isinstance(k, yaml.ScalarNode) or k.start_mark.column for k, _ in pairs):
        return None
    starts = [key.start_mark.line for key, _ in pairs]
    # A field's lines run to the next field's, less the blank lines and comments at the
    # margin before it (they belong to what follows).
    spans: dict[str, tuple[int, int]] = {}
    for number, (key, _value) in enumerate(pairs):
        first = starts[number]
        end = starts[number + 1] if number + 1 < len(pairs) else len(lines)
        while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1][0] == "#"):
            end -= 1
        spans[key.value] = (first, end)
    values = {key.value: value for key, value in pairs}
    replaced: dict[int, list[str]] = {}   # first line of a field -> its new lines
    dropped: set[int] = set()
    after: dict[int, list[str]] = {}      # new fields, after the line before them
    for name in spans:
        if name not in wanted:
            first, end = spans[name]
            replaced[first] = []
            dropped.update(range(first, end))
        elif wanted[name] != current.get(name):
            first, end = spans[name]
            new = _dump_fields({name: meta[name]}).splitlines(keepends=True)
            value = values[name]
            tail = lines[first][value.end_mark.column:].rstrip("\n") \
                if value.end_mark.line == first else ""
            if end == first + 1 and len(new) == 1 and re.fullmatch(r"\s+#.*", tail):
                new = [new[0].rstrip("\n") + tail + "\n"]
            replaced[first] = new
            dropped.update(range(first, end))
    rank = {name: number for number, name in enumerate(order)}
    for name in wanted:
        if name in spans:
            continue
        new = _dump_fields({name: meta[name]}).splitlines(keepends=True)
        before = [spans[other][1] for other in spans
                  if other in rank and name in rank and rank[other] < rank[name]]
        place = max(before) if before else (len(lines) if name not in rank or not spans
                                            else min(first for first, _ in spans.values()))
        after.setdefault(place, []).extend(new)
    out: list[str] = []
    for number in range(len(lines) + 1):
        out.extend(after.get(number, ()))
        if number in replaced:
            out.extend(replaced[number])
        if number < len(lines) and number not in dropped:
            out.append(lines[number])
    patched = "".join(out)
    if _read_back(patched) != wanted:
        return None
    result = plain[:match.start(1)] + patched + plain[match.end(1):]
    return bom + (result.replace("\n", "\r\n") if crlf else result)


def write_new_file(path: Path, text: str, *, force: bool = False) -> None:
    """Write atomically: a temporary file in the same folder, fsynced, then renamed.

    Without ``force`` an existing file is never replaced (the final link fails instead).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError if path exists: no race
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def replace_file(path: Path, data: bytes) -> None:
    """Replace an existing file's bytes atomically (a temporary file in the same folder,
    fsynced, then renamed over it), keeping its permissions."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
