"""What the site may publish of an entry: a field that is an object with a ``public`` switch
(a teacher's ``contact: {phone, email, public}``) is shown on pages, described to search
engines and exported for partner apps only when its switch is on. Every published file that
reads entries' values asks here, so a private phone number is nowhere in a built site;
``lifelong export`` asks too, to leave such values out or to say the file holds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lifelong.catalogue.model import Entry
from lifelong.catalogue.schema import KindSpec

#: The switch an object field carries to say it may be published.
SWITCH = "public"


def private_fields(kind: KindSpec) -> tuple[str, ...]:
    """The fields of ``kind`` that are published only when their ``public`` switch is on:
    objects with a true-or-false field of that name."""
    return tuple(name for name, spec in kind.fields.items()
                 if spec.type == "object" and not spec.list and
                 getattr(spec.fields.get(SWITCH), "type", None) == "bool")


def is_public(value: Any) -> bool:
    """Whether an object with a ``public`` switch may be published: the switch is on."""
    return isinstance(value, Mapping) and value.get(SWITCH) is True


def public_object(entry: Entry, name: str) -> Mapping[str, Any] | None:
    """The entry's field ``name`` (an object with a switch) when it may be published."""
    value = entry.values.get(name)
    return value if is_public(value) else None

