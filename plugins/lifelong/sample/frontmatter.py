"""Front matter written as text, fast: the generator writes tens of thousands of entries, and
``yaml.dump`` would take most of its time. Only what the sample needs is written: plain or
JSON-quoted strings, numbers, yes/no, dates, flow lists of those, block lists of mappings
(files, speakers, marks) and one level of mapping (a contact, coordinates)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

#: Text safe as a plain YAML scalar, in block and flow context: starts with a Chinese character
#: and has no YAML indicator, quote, backslash or control character.
_PLAIN_TEXT = re.compile(r"[\u4e00-\u9fff《“（][^\x00-\x1f\x7f-\x9f:#,\[\]{}\"'\\&*!|>%@`]*")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9-]*|https://example\.org/[A-Za-z0-9._~/-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def quote(value: str) -> str:
    """A string as a YAML scalar: plain when that is safe, else a JSON (= YAML) quoted one."""
    if (_PLAIN_TEXT.fullmatch(value) and value.isprintable() and value[-1] != " ") or \
            (_PLAIN_WORD.fullmatch(value) and value not in _YAML_WORDS):
        return value
    return json.dumps(value, ensure_ascii=not value.isprintable())


#: Short strings (terms, names, publishers) recur all the time: quote each once.
_Q_CACHE: dict[str, str] = {}


def _quote_cached(value: str) -> str:
    found = _Q_CACHE.get(value)
    if found is None:
        found = quote(value)
        if len(value) <= 24 and len(_Q_CACHE) < 100_000:
            _Q_CACHE[value] = found
    return found


def yaml_value(value: Any) -> str:
    """A scalar or a flow list of scalars (str, bool, int, float, date, datetime)."""
    kind = type(value)
    if kind is str:
        return _quote_cached(value)
    if kind is list or kind is tuple:
        return "[" + ", ".join([yaml_value(v) for v in value]) + "]"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:  # the shortest text that reads back as the same number
        return repr(value)
    if isinstance(value, dt.date):  # dates and datetimes
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as YAML")


def render(meta: dict[str, Any], body: str, allowed: frozenset[str]) -> str:
    """Front matter (only the kind's fields, in the order given) and the body. Empty values
    (None, [], "") are left out; lists of mappings and mappings are written in block style."""
    lines = ["---"]
    append = lines.append
    for key, value in meta.items():
        if value is None or value == [] or value == "" or key not in allowed:
            continue
        if type(value) is list and type(value[0]) is dict:
            append(f"{key}:")
            for item in value:
                prefix = "  - "
                for sub, sub_value in item.items():
                    if sub_value is not None:
                        append(f"{prefix}{sub}: {yaml_value(sub_value)}")
                        prefix = "    "
        elif type(value) is dict:
            append(f"{key}:")
            for sub, sub_value in value.items():
                if sub_value is not None:
                    append(f"  {sub}: {yaml_value(sub_value)}")
        else:
            append(f"{key}: {yaml_value(value)}")
    append("---")
    append(body.rstrip("\n"))
    append("")
    return "\n".join(lines)
