"""`lifelong new`: a valid scaffold for a new entry, with a fresh unique id and code.

The scaffold is a draft (``draft: true``) so that the values it has to guess are never
published before an editor has finished the entry; optional fields are listed as comments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lifelong.catalogue.codes import codes_in_use, new_code
from lifelong.catalogue.entryfile import dumps_entry, write_new_file
from lifelong.catalogue.loader import split_document
from lifelong.catalogue.model import RESERVED_NAMES
from lifelong.catalogue.reading import find_entry_files
from lifelong.catalogue.schema import FieldSpec, KindSpec, Rules
from lifelong.catalogue.validate import SLUG_MAX, SLUG_RE, EntryValidator

TO_FILL = "（待填写）"
_ID_LINE = re.compile(r"^id:\s*['\"]?([a-z0-9-]+)", re.MULTILINE)
_KIND_LINE = re.compile(r"^kind:\s*['\"]?([a-z0-9_-]+)", re.MULTILINE)


class ScaffoldError(Exception):
    """Why the scaffold cannot be written; shown to the editor as is."""


def existing_ids(content_dir: Path) -> set[str]:
    """Ids in use, read cheaply from the front matter of every entry file."""
    return set(existing_entries(content_dir))


def existing_entries(content_dir: Path) -> dict[str, str]:
    """Id -> kind ("" when not found) of every entry file, read cheaply from its front
    matter."""
    found = {}
    for path in find_entry_files(content_dir):
        head = path.read_bytes()[:4096].decode("utf-8", "replace").replace("\r\n", "\n")
        match = _ID_LINE.search(head)
        if match:
            kind = _KIND_LINE.search(head)
            found[match.group(1)] = kind.group(1) if kind else ""
    return found


def slug_from_title(title: str, title_en: str | None) -> str:
    if title_en:
        words = re.findall(r"[a-z0-9]+", title_en.lower())
    else:
        from pypinyin import lazy_pinyin

        words = [w for p in lazy_pinyin(title) for w in re.findall(r"[a-z0-9]+", p.lower())]
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def fresh_id(base: str, taken: set[str]) -> str:
    base = base[:SLUG_MAX - 4].strip("-") or "entry"
    candidate, number = base, 2
    while candidate in taken or candidate in RESERVED_NAMES:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _required_default(spec: FieldSpec, rules: Rules, today: dt.date, title: str,
                      kind: str, entries: dict[str, str]) -> Any:
    if spec.type == "object":
        item = {name: _required_default(sub, rules, today, title, kind, entries)
                for name, sub in spec.fields.items() if sub.required}
        return [item] if spec.list else item
    value: Any
    # An entry another must name (an activity's centre and teachers): the first there is,
    # since a name no entry has would not pass `lifelong check`, draft or not.
    targets = spec.kinds if spec.type == "ref" else \
        ("teacher",) if (kind, spec.name) == ("activity", "teachers") else ()
    if targets:
        found = sorted(i for i, k in entries.items() if k in targets)
        if not found:
            need = targets[0]
            article = "an" if kind[:1] in "aeiou" else "a"
            raise ScaffoldError(f"{article} {kind} names its {spec.name} ({spec.label.zh}), "
                                f"and there is no {need} yet: write one first (lifelong new "
                                f"{need} --title ...)")
        return [found[0]] if spec.list else found[0]
    if spec.type == "int":
        value = spec.min or 1
        if spec.name == "year":
            value = today.year
        elif spec.name == "duration_minutes":
            value = 60 if kind == "lecture" else 15
    elif spec.type == "date":
        value = today
    elif spec.type == "datetime":
        value = dt.datetime.combine(today, dt.time(19, 30), dt.timezone(dt.timedelta(hours=8)))
    elif spec.type == "term":
        value = next(iter(rules.vocabularies[spec.vocabulary or ""].terms))
    elif spec.name == "name" and kind == "star":
        value = title
    else:
        value = TO_FILL
    return [value] if spec.list else value


def _hint(spec: FieldSpec, rules: Rules) -> str:
    label = spec.label.zh
    if spec.type == "term" and spec.vocabulary:
        terms = list(rules.vocabularies[spec.vocabulary].terms)
        shown = ", ".join(terms[:6]) + (", ..." if len(terms) > 6 else "")
        return f"{label}（{spec.vocabulary}: {shown}）"
    return {"media": f"{label}（https:// 地址，或相对本文件的路径）",
            "url": f"{label}（https:// 地址）", "date": f"{label}（YYYY-MM-DD）",
            "ref": f"{label}（条目编号）", "bool": f"{label}（true / false）"}.get(spec.type, label)


def scaffold_text(kind: KindSpec, rules: Rules, *, entry_id: str, title: str,
                  title_en: str | None, summary: str | None, subjects: Sequence[str],
                  today: dt.date, code: str | None = None,
                  entries: dict[str, str] | None = None) -> str:
    """The scaffold's text; ``entries``: id -> kind of the entries there are (the entries
    a required reference may name)."""
    meta: dict[str, Any] = {"kind": kind.name, "id": entry_id}
    if code is not None and "code" in kind.fields:
        meta["code"] = int(code)  # 6 digits, the first not 0: written plain, read back as is
    meta["title"] = title
    if title_en:
        meta["title_en"] = title_en
    meta["summary"] = summary or title
    meta["subjects"] = list(subjects)
    meta["published"] = today
    optional: list[str] = []
    # Of each group the kind needs one of (an e-book's authors or contributors), the first.
    needed = {group[0] for group in kind.one_of}
    for name, spec in kind.fields.items():
        if name in meta or name == "draft":
            continue
        if spec.required or name in needed:
            meta[name] = _required_default(spec, rules, today, title, kind.name,
                                           entries or {})
        else:
            optional.append(f"# {name}:  # {_hint(spec, rules)}")
    meta["draft"] = True
    body = ("<!-- 在这里用 Markdown 写详细介绍。完成后删去 draft: true 即可发布；"
            f"带“{TO_FILL}”的字段请改成真实内容。 -->")
    text = dumps_entry(meta, body)
    head, rest = text.split("\n---\n", 1)
    comments = "\n".join(["# 可选字段（去掉行首的 # 并填写）：", *optional])
    return f"{head}\n{comments}\n---\n{rest}"


def write_scaffold(project: Path, rules: Rules, kind_name: str, *, title: str,
                   title_en: str | None = None, summary: str | None = None,
                   subjects: Sequence[str] = (), entry_id: str | None = None,
                   force: bool = False, today: dt.date | None = None) -> Path:
    """Write content/<folder>/<id>.md; raise ScaffoldError for anything the editor must fix."""
    kind = rules.kinds.get(kind_name)
    if kind is None:
        close = rules.suggest_kind(kind_name)
        raise ScaffoldError(f"unknown kind '{kind_name}'" + (
            f"; did you mean '{close}'?" if close else
            "; use one of " + ", ".join(rules.kinds)))
    if not title.strip():
        raise ScaffoldError("--title is empty")
    vocabulary = rules.vocabularies["subjects"]
    for subject in subjects:
        if subject not in vocabulary.terms:
            hint = vocabulary.suggest(subject)
            raise ScaffoldError(f"unknown subject '{subject}'" + (
                f"; did you mean '{hint}'?" if hint else
                "; see catalogue/vocabularies/subjects.yml"))
    content = project / "content"
    entries = existing_entries(content)
    taken = set(entries)
    if entry_id is not None:
        if not SLUG_RE.fullmatch(entry_id) or len(entry_id) > SLUG_MAX:
            raise ScaffoldError(f"'{entry_id}' is not a safe id: use lowercase letters, digits "
                                "and single hyphens")
        if (entry_id in taken or entry_id in RESERVED_NAMES) and not force:
            raise ScaffoldError(f"the id '{entry_id}' is already used; choose another or "
                                "leave --id out to get a fresh one")
    else:
        entry_id = fresh_id(slug_from_title(title, title_en) or kind.name, taken)
    today = today or dt.date.today()
    code = new_code(entry_id, codes_in_use(content))
    text = scaffold_text(kind, rules, entry_id=entry_id, title=title.strip(),
                         title_en=title_en, summary=summary,
                         subjects=list(subjects) or [next(iter(vocabulary.terms))], today=today,
                         code=code, entries=entries)
    path = content / kind.folder / f"{entry_id}.md"
    shown = path.relative_to(project).as_posix()
    doc, problems = split_document(text, shown)
    if doc is not None:
        problems += EntryValidator(rules, content).validate(doc)[1]
    if problems:  # a bug in the scaffold itself, never the editor's input
        raise AssertionError("\n".join(map(str, problems)))
    try:
        write_new_file(path, text, force=force)
    except FileExistsError:
        raise ScaffoldError(f"{shown} already exists; pass --force to replace it") from None
    return path
