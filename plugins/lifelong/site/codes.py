"""The code index: what the "输入编号" box reads to open an entry from its code or its id,
online and from file://, without a list of every entry.

Files under ``codes/``, each a classic script that registers its part
(``LifelongSearch.add(name, data)``, loaded as the search index's files are):
  index.js      which parts exist (a bit per part, in hexadecimal: asking for a part that
                does not exist would be a failed request), how many digits name a code part
                and how many id parts there are
  c<digits>.js  codes starting with those digits (1 to 3 of them: more as the catalogue
                grows, about ``PART_TARGET`` codes a part) -> the entry's address
  i<n>.js       ids whose FNV-1a hash (``lifelong.search.text.fnv1a``) is n modulo the
                number of id parts (a power of two) -> the entry's address
Addresses are relative to the site's root, as the site makes them (``taiji-basics/`` or
``taiji-basics.html``). The same entries give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter, methodcaller

from lifelong.catalogue.model import Entry
from lifelong.search.text import fnv1a
from lifelong.site.memo import Published, PublishMemo, key_of, memoised_group

#: About how many codes (or ids) a part holds: a lookup loads one part of each.
PART_TARGET = 256
MAX_CODE_DIGITS = 3
MAX_ID_PARTS = 4096


def grouped(code: str) -> str:
    """A code as people read it: "382 915"."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


def code_digits(count: int) -> int:
    """How many first digits name a code's part, for ``count`` codes."""
    digits = 1
    while digits < MAX_CODE_DIGITS and count > 9 * 10 ** (digits - 1) * PART_TARGET:
        digits += 1
    return digits


def id_parts(count: int) -> int:
    """How many id parts ``count`` ids are shared among (a power of two)."""
    parts = 1
    while parts < MAX_ID_PARTS and count > parts * PART_TARGET:
        parts *= 2
    return parts


def id_part(entry_id: str, parts: int) -> int:
    return fnv1a(entry_id) % parts


def _script(name: str, data: object) -> bytes:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return f'LifelongSearch.add("{name}",{text});\n'.encode()


def _bitmap(present: Iterable[int], size: int) -> str:
    bits = [0] * (-(-size // 4) * 4)
    for number in present:
        bits[number] = 1
    return "".join(format(int("".join(map(str, bits[at:at + 4])), 2), "x")
                   for at in range(0, len(bits), 4))


def index_key(entries: Sequence[Entry]) -> str:
    """What the code index of ``entries`` is made from besides the site's addresses (which
    its options make from the ids): their ids and codes, in order."""
    codes = map(str, map(methodcaller("get", "code"), map(attrgetter("values"), entries)))
    return key_of(("\0".join(map(attrgetter("id"), entries)), "\0".join(codes)))


def code_index_files(entries: Iterable[tuple[str, str | None, str]],
                     memo: PublishMemo | None = None, version: str | None = None,
                     key: Callable[[], str] | None = None) -> Iterator[Published]:
    """The files of the code index of ``entries``: (id, code or None, address) each. With a
    ``memo``, the index is not made again (None for each file, and ``entries`` is not read)
    when the catalogue's ``version``, or else the ``key`` of the entries' ids and codes
    (``index_key``, worked out then), is the last build's; an id's hash is worked out
    once."""
    if memo is None:
        return _index_files(_index(entries))
    return memoised_group(memo, "codes", version, _code_index_with(entries, memo, key))


def _code_index_with(entries: Iterable[tuple[str, str | None, str]], memo: PublishMemo,
                     key: Callable[[], str] | None) -> Iterator[Published]:
    """``code_index_files`` with a memo, when the catalogue changed."""
    entries_key = key() if key is not None else None
    yield from memoised_group(memo, "codes/entries", entries_key,
                              _code_index_updated(entries, memo))


#: (digits, id parts, the parts by first digits: code -> address, the parts by number:
#: id -> address) of a code index.
_Index = tuple[int, int, dict[int, dict[str, str]], dict[int, dict[str, str]]]


def _code_index_updated(entries: Iterable[tuple[str, str | None, str]],
                             memo: PublishMemo) -> Iterator[tuple[str, bytes]]:
    """``code_index_files`` made from the last build's index (``_index`` of its entries)
    with the entries that came, went or changed put in or taken out: the same index as
    ``_index`` of these entries, without hashing every id again."""
    entries = list(entries)
    lines = [f"{entry_id}\t{code or ''}\t{url}" for entry_id, code, url in entries]
    with_code = [code for _, code, _ in entries if code is not None]
    # An id or a code named twice: the index holds the last (``_index``), which a change
    # to the other would not know.
    once = len(set(with_code)) == len(with_code) and \
        len({entry_id for entry_id, _, _ in entries}) == len(entries)
    index = _updated(memo.recall("codes/index", ""), lines, len(with_code)) if once \
        else None
    if index is None:
        index = _index(entries)
    yield from _index_files(index)
    if once:
        memo.keep("codes/index", "", ("\n".join(lines), index))


def _updated(saved: tuple[str, _Index] | None, lines: list[str], with_code: int
             ) -> _Index | None:
    """The last build's index (``saved``: its entries' lines, and the index) changed into
    that of the entries of ``lines`` (``with_code`` of them have a code), or None when
    that would have other parts."""
    if saved is None:
        return None
    before, (digits, parts, codes, ids) = saved
    if code_digits(with_code) != digits or id_parts(len(lines)) != parts:
        return None
    old, new = set(before.split("\n")) if before else set(), set(lines)
    codes, ids = dict(codes), dict(ids)  # parts are copied when changed: ``saved`` stays
    changed: set[tuple[int, int]] = set()

    def part(kind: int, number: int) -> dict[str, str]:
        found = (codes if kind else ids).setdefault(number, {})
        if (kind, number) not in changed:
            changed.add((kind, number))
            found = (codes if kind else ids)[number] = dict(found)
        return found

    try:
        for line in old - new:
            entry_id, code, _url = line.split("\t")
            del part(0, id_part(entry_id, parts))[entry_id]
            if code:
                del part(1, int(code[:digits]))[code]
    except (KeyError, ValueError):  # not the index of these lines
        return None
    for line in new - old:
        entry_id, code, url = line.split("\t")
        part(0, id_part(entry_id, parts))[entry_id] = url
        if code:
            part(1, int(code[:digits]))[code] = url
    for kind, number in changed:
        if not (codes if kind else ids)[number]:
            del (codes if kind else ids)[number]
    return digits, parts, codes, ids


def _index(entries: Iterable[tuple[str, str | None, str]]) -> _Index:
    """The code index of ``entries``."""
    by_code: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for entry_id, code, url in entries:
        by_id[entry_id] = url
        if code is not None:
            by_code[code] = url
    digits, parts = code_digits(len(by_code)), id_parts(len(by_id))
    code_parts: dict[int, dict[str, str]] = {}
    for code, url in by_code.items():
        code_parts.setdefault(int(code[:digits]), {})[code] = url
    ids: dict[int, dict[str, str]] = {}
    for entry_id, url in by_id.items():
        ids.setdefault(id_part(entry_id, parts), {})[entry_id] = url
    return digits, parts, code_parts, ids


def _index_files(index: _Index) -> Iterator[tuple[str, bytes]]:
    digits, parts, code_parts, ids = index
    first = 10 ** (digits - 1)
    yield "codes/index.js", _script("codes/index", {
        "c": _bitmap((prefix - first for prefix in code_parts), 9 * first), "d": digits,
        "i": _bitmap(ids, parts), "n": parts})
    for prefix in sorted(code_parts):
        yield f"codes/c{prefix}.js", _script(f"codes/c{prefix}", code_parts[prefix])
    for number in sorted(ids):
        yield f"codes/i{number}.js", _script(f"codes/i{number}", ids[number])
