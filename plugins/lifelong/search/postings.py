"""Postings of one term as the browser reads them, and how to change them in place.

A term's postings are one string: the term's usual weight level (one digit), then one number
per document, in document order. A posting of the usual level is ``2 * gap``; any other is
``2 * (gap * LEVELS + level) + 1``; ``gap`` is the distance from the previous document (from
0 for the first). Most postings of a frequent term are then a single character.

Numbers are written with DIGITS, 91 characters that need no escaping in a JSON string or a
classic script: zero or more continuation digits (``DIGITS[FINAL:]``) then one final digit
(``DIGITS[:FINAL]``). One character holds 0..71, two hold the next 72 * 19 values, and so on.

A rebuild after a few documents changed must not encode millions of postings again, so a
term also keeps checkpoints (the document and offset of every CHECKPOINT-th posting, cache
only, never written out): ``update`` re-encodes the few postings next to a change and copies
the rest of the string, and its result is the string ``encode`` would make from scratch.

A frequent term's string grows with the catalogue (one character or more per document), and
a query typed into the header box wants eight results. Such a term is written in its
postings file as a head (``head_text``): a space (no digit), how many documents it has, the
number of the file holding its whole string, then its HEAD_SIZE best postings as a string of
their own: highest level first, then featured documents, then the newest. The browser ranks
the header box's results from heads when it can prove that the whole strings would rank
the same (search.js, ``certified``) and loads the whole strings otherwise.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from heapq import nlargest
from itertools import accumulate
from typing import Any

DIGITS = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"<\\')
FINAL = 72
CONTINUATION = len(DIGITS) - FINAL
DIGIT = {c: i for i, c in enumerate(DIGITS)}
#: Postings between checkpoints.
CHECKPOINT = 16


def number(value: int) -> str:
    """One number (see the module's docstring)."""
    if value < FINAL:
        return DIGITS[value]
    value -= FINAL
    width, span = 1, CONTINUATION * FINAL
    while value >= span:
        value -= span
        span *= CONTINUATION
        width += 1
    last = DIGITS[value % FINAL]
    value //= FINAL
    head = []
    for _ in range(width):
        head.append(DIGITS[FINAL + value % CONTINUATION])
        value //= CONTINUATION
    return "".join(reversed(head)) + last


#: Every number of at most three digits, written (most numbers are).
NUMBERS = [number(v) for v in range(FINAL * (1 + CONTINUATION + CONTINUATION ** 2))]
#: Four digits: three continuation digits, then the final one.
_HEADS = [a + b + c for a in DIGITS[FINAL:] for b in DIGITS[FINAL:] for c in DIGITS[FINAL:]]
_FOUR = len(NUMBERS) + FINAL * len(_HEADS)


def numbers(values: Iterable[int]) -> list[str]:
    table, limit = NUMBERS, len(NUMBERS)
    return [table[v] if v < limit else long_number(v) for v in values]


def long_number(value: int) -> str:
    if value < len(NUMBERS):
        return NUMBERS[value]
    if value < _FOUR:
        head, last = divmod(value - len(NUMBERS), FINAL)
        return _HEADS[head] + DIGITS[last]
    return number(value)


def read_number(text: str, pos: int) -> tuple[int, int]:
    """The number at ``pos`` and the position after it."""
    digit = DIGIT[text[pos]]
    pos += 1
    if digit < FINAL:
        return digit, pos
    acc = base = 0
    span = FINAL
    while digit >= FINAL:
        acc = acc * CONTINUATION + digit - FINAL
        base += span
        span *= CONTINUATION
        digit = DIGIT[text[pos]]
        pos += 1
    return base + acc * FINAL + digit, pos


_PAIRS = [a + b for a in DIGITS for b in DIGITS]


def fixed(value: int, width: int) -> str:
    """A number in exactly ``width`` digits of base len(DIGITS) (ranks, document numbers)."""
    if width == 3:
        return DIGITS[value // len(_PAIRS)] + _PAIRS[value % len(_PAIRS)]
    out = []
    for _ in range(width):
        out.append(DIGITS[value % len(DIGITS)])
        value //= len(DIGITS)
    return "".join(reversed(out))


def fixed_all(values: Iterable[int], width: int) -> list[str]:
    """``fixed`` of each value."""
    if width == 3:
        digits, pairs, size = DIGITS, _PAIRS, len(_PAIRS)
        return [digits[v // size] + pairs[v % size] for v in values]
    return [fixed(v, width) for v in values]


def fixed_width(largest: int) -> int:
    width = 1
    while len(DIGITS) ** width <= largest:
        width += 1
    return width


class Postings:
    """One term: its string, postings per level, checkpoints and last document; and, once
    worked out, its head's postings (``best``, see ``head_text``)."""

    __slots__ = ("best", "counts", "last", "offsets", "starts", "text")

    def __init__(self, text: str, counts: tuple[int, ...], starts: array[int],
                 offsets: array[int], last: int, best: Postings | None = None) -> None:
        self.text = text
        self.counts = counts
        #: Checkpoints: the document of every CHECKPOINT-th posting (more or less), and
        #: where in ``text`` it starts.
        self.starts = starts
        self.offsets = offsets
        self.last = last
        self.best = best

    def __getstate__(self) -> tuple[Any, ...]:
        return self.text, self.counts, self.starts, self.offsets, self.last, self.best

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.text, self.counts, self.starts, self.offsets, self.last, self.best = state

    def decode(self, count: int) -> tuple[list[int], list[int]]:
        """Every (document, level), in two lists."""
        return _decode(self.text, self.offsets[0], len(self.text), self.starts[0], count)

    def level_of(self, doc: int, count: int) -> int | None:
        """The level of ``doc``'s posting, or None when the term has none."""
        k = bisect_right(self.starts, doc) - 1
        if k < 0 or doc > self.last:
            return None
        end = self.offsets[k + 1] if k + 1 < len(self.offsets) else len(self.text)
        docs, levels = _decode(self.text, self.offsets[k], end, self.starts[k], count)
        at = bisect_left(docs, doc)
        return levels[at] if at < len(docs) and docs[at] == doc else None


def usual_level(counts: Sequence[int]) -> int:
    """The level most postings have (the lowest of equals)."""
    return max(range(len(counts)), key=lambda level: (counts[level], -level))


def encode(docs: Sequence[int], levels: Sequence[int], count: int) -> Postings:
    """A term's postings (documents ascending, their levels; ``count`` levels in all)."""
    counts = [0] * count
    for level in levels:
        counts[level] += 1
    usual = usual_level(counts)
    starts, offsets = array("I"), array("I")
    head = _encode(docs, levels, count, usual, 0, 1, starts, offsets)
    return Postings(DIGITS[usual] + "".join(head), tuple(counts), starts, offsets, docs[-1])


#: Each digit's value by its character code (what ``read_number`` reads), for ``head_text``.
_VALUES = bytes(DIGIT.get(chr(code), 0) for code in range(256))


def head_text(postings: Postings, count: int, featured: Sequence[int], size: int,
              file: int) -> str:
    """The head of a term's postings (see the module's docstring): its ``size`` best
    postings by level, then ``featured[doc]``, then document (the browser's order of
    results of one term), in a string as ``encode`` writes it; ``file``: the number of the
    file of its whole string. The head's postings are kept (``postings.best``) and carried
    through changes (``carry_best``)."""
    if postings.best is None:
        postings.best = best_postings(postings, count, featured, size)
    return " " + number(sum(postings.counts)) + number(file) + postings.best.text


def best_postings(postings: Postings, count: int, featured: Sequence[int], size: int
                  ) -> Postings:
    """The ``size`` best postings of a term (see ``head_text``). One pass over the string,
    decoded inline (a frequent term has hundreds of thousands of postings): the levels above
    ``cut`` fit in the head whole, and of level ``cut`` it takes the featured documents,
    then the newest."""
    counts = postings.counts
    above, cut = 0, count - 1
    while cut > 0 and above + counts[cut] < size:
        above += counts[cut]
        cut -= 1
    room = size - above
    text = postings.text
    usual = DIGIT[text[0]]
    docs: list[int] = []
    levels: list[int] = []
    chosen: list[int] = []  # featured, of level ``cut``
    newest: deque[int] = deque(maxlen=room)  # the others of level ``cut``
    doc = acc = base = 0
    span = FINAL
    for digit in text[1:].encode("ascii").translate(_VALUES):
        if digit >= FINAL:  # a continuation digit (see read_number)
            acc = acc * CONTINUATION + digit - FINAL
            base += span
            span *= CONTINUATION
            continue
        value = base + acc * FINAL + digit
        acc = base = 0
        span = FINAL
        if value & 1:
            gap, level = divmod(value >> 1, count)
        else:
            gap, level = value >> 1, usual
        doc += gap
        if level > cut:
            docs.append(doc)
            levels.append(level)
        elif level == cut:
            (chosen if featured[doc] else newest).append(doc)
    wanted = max(0, room - len(chosen))
    chosen = chosen[-room:] + list(newest)[len(newest) - min(wanted, len(newest)):]
    best = sorted([*zip(docs, levels, strict=True), *((doc, cut) for doc in chosen)])
    return encode([doc for doc, _level in best], [level for _doc, level in best], count)


def carry_best(old: Postings, count: int, moved: Sequence[int], breaks: Sequence[int],
               removed: Sequence[tuple[int, int]], added: Sequence[tuple[int, int]],
               after: Mapping[int, int], featured: Sequence[int], size: int
               ) -> Postings | None:
    """The head's postings of ``update(old, ...)``'s result, from ``old``'s (arguments as
    ``update``'s; ``featured``: of the new documents); None when it must be worked out
    anew (``old`` had none, or a posting of its head is gone). The best of the postings
    left and added are the best of the head left and the postings added."""
    best = old.best
    if best is None or any(best.level_of(doc, count) is not None for doc, _level in removed):
        return None
    carried = update(best, count, moved, breaks, (), added, after)
    if carried is None or not added or sum(carried.counts) <= size:
        return carried
    docs, levels = carried.decode(count)
    kept = sorted(nlargest(size, zip(levels, map(featured.__getitem__, docs), docs,
                                     strict=True)), key=lambda item: item[2])
    return encode([doc for _level, _featured, doc in kept],
                  [level for level, _featured, _doc in kept], count)


def _encode(docs: Sequence[int], levels: Sequence[int], count: int, usual: int, prev: int,
            offset: int, starts: array[int], offsets: array[int]) -> list[str]:
    """Strings of the postings after document ``prev``; their checkpoints (the first
    posting at ``offset``) are appended to ``starts`` and ``offsets``."""
    values = []
    for doc, level in zip(docs, levels, strict=True):
        gap = doc - prev
        values.append(gap << 1 if level == usual else (gap * count + level) << 1 | 1)
        prev = doc
    parts = numbers(values)
    ends = list(accumulate(map(len, parts), initial=offset))
    starts.extend(docs[::CHECKPOINT])
    offsets.extend(ends[:len(parts):CHECKPOINT])
    return parts


def _decode(text: str, start: int, end: int, first: int, count: int
            ) -> tuple[list[int], list[int]]:
    """Postings in text[start:end], the first of which is document ``first``."""
    usual = DIGIT[text[0]]
    docs, levels = [], []
    pos, doc = start, None
    while pos < end:
        value, pos = read_number(text, pos)
        gap, level = _split(value, count, usual)
        doc = first if doc is None else doc + gap
        docs.append(doc)
        levels.append(level)
    return docs, levels


def update(old: Postings, count: int, moved: Sequence[int], breaks: Sequence[int],
           removed: Sequence[tuple[int, int]], added: Sequence[tuple[int, int]],
           after: Mapping[int, int]) -> Postings | None:
    """The term's postings once documents are removed, added and renumbered; None when none
    is left. ``moved[old]``: the new number of an old document (-1: removed); ``breaks``:
    the old documents (ascending) from which ``moved[d] - d`` differs from the document
    kept before them; ``removed``: this term's (old document, level) that are gone;
    ``added``: its (new document, level), ascending; ``after[new]``: the last kept old
    document numbered before the new one (-1: none)."""
    if not removed and not added and (not breaks or len(breaks) == 1
                                      or breaks[1] > old.last):
        # Documents of other terms come or go: this one's are only renumbered, if at all.
        if not breaks or breaks[0] > old.last:
            return old
        return _shifted(old, count, breaks[0], moved[breaks[0]] - breaks[0])
    counts = list(old.counts)
    starts, offsets = old.starts, old.offsets
    blocks = len(starts)
    #: Blocks that lose or gain postings -> the new documents they gain.
    dirty: dict[int, list[int]] = {}
    for doc, level in removed:
        counts[level] -= 1
        dirty.setdefault(max(0, bisect_right(starts, doc) - 1), [])
    for doc, level in added:
        counts[level] += 1
        dirty.setdefault(max(0, bisect_right(starts, after[doc]) - 1), []).append(doc)
    if not any(counts):
        return None
    usual = DIGIT[old.text[0]]
    if usual_level(counts) != usual:
        docs, levels = old.decode(count)
        kept = [(moved[d], lv) for d, lv in zip(docs, levels, strict=True) if moved[d] >= 0]
        merged = sorted(kept + list(added))
        return encode([d for d, _ in merged], [lv for _, lv in merged], count)
    touched = set(dirty)
    touched.update(k + 1 for k in dirty if k + 1 < blocks)
    for brk in breaks:
        if brk > old.last:
            break
        k = bisect_left(starts, brk)
        if k > 0:
            touched.add(k - 1)
        if k < blocks:
            touched.add(k)
    if not touched:
        return old  # nothing moved this term's documents
    inserts = dict(added)
    text = old.text
    parts: list[str] = [text[0]]
    new_starts, new_offsets = array("I"), array("I")
    length, prev, k = 1, 0, 0
    for stop in [*sorted(touched), blocks]:
        if k < stop:  # blocks k..stop-1 stay as they are, renumbered (by one shift: no
            # break falls among them) and moved along the text
            begin, end = offsets[k], offsets[stop] if stop < blocks else len(text)
            parts.append(text[begin:end])
            delta = moved[starts[k]] - starts[k]
            shift = length - begin
            new_starts.extend([s + delta for s in starts[k:stop]])
            new_offsets.extend([o + shift for o in offsets[k:stop]])
            length += end - begin
            if stop < blocks:
                prev = moved[starts[stop] - _gap(text, offsets[stop], count)]
            else:
                prev = moved[old.last]
        if stop == blocks:
            break
        begin, end = offsets[stop], offsets[stop + 1] if stop + 1 < blocks else len(text)
        if stop in dirty:
            docs, levels = _decode(text, begin, end, starts[stop], count)
            items = [(moved[d], lv) for d, lv in zip(docs, levels, strict=True) if moved[d] >= 0]
            items.extend((d, inserts[d]) for d in dirty[stop])
            items.sort()
            if items:
                new_docs = [d for d, _ in items]
                strings = _encode(new_docs, [lv for _, lv in items], count, usual, prev, length,
                                  new_starts, new_offsets)
                parts.extend(strings)
                length += sum(map(len, strings))
                prev = new_docs[-1]
        else:
            limit = starts[stop + 1] if stop + 1 < blocks else old.last + 1
            piece, last = _shift_block(text, begin, end, starts[stop], prev, limit, moved,
                                       breaks, count, usual)
            new_starts.append(moved[starts[stop]])
            new_offsets.append(length)
            parts.append(piece)
            length += len(piece)
            prev = last
        k = stop + 1
    return Postings("".join(parts), tuple(counts), new_starts, new_offsets, prev)


def _shifted(old: Postings, count: int, first: int, delta: int) -> Postings:
    """``old`` with its documents from ``first`` on (one at least) numbered ``delta`` away:
    one posting's gap changes (the first of them), and the checkpoints after it move."""
    text, starts, offsets = old.text, old.starts, old.offsets
    usual = DIGIT[text[0]]
    k = bisect_left(starts, first)  # the first block that starts at ``first`` or later
    pos = offsets[k] if k < len(starts) else len(text)
    if k > 0:  # the first posting moved may be inside the block before
        at, end, doc = offsets[k - 1], pos, starts[k - 1]
        at = read_number(text, at)[1]
        while at < end:
            value, following = read_number(text, at)
            doc += _split(value, count, usual)[0]
            if doc >= first:
                pos = at
                break
            at = following
    value, after = read_number(text, pos)
    gap, level = _split(value, count, usual)
    gap += delta
    piece = long_number(gap << 1 if level == usual else (gap * count + level) << 1 | 1)
    grown = len(piece) - (after - pos)
    moved_from = bisect_right(offsets, pos)
    return Postings(text[:pos] + piece + text[after:], old.counts,
                    starts[:k] + array("I", [s + delta for s in starts[k:]]),
                    offsets if not grown else
                    offsets[:moved_from] + array("I", [o + grown for o in offsets[moved_from:]]),
                    old.last + delta)


def _split(value: int, count: int, usual: int) -> tuple[int, int]:
    """(gap, level) of one encoded posting (``usual``: the term's usual level)."""
    if value & 1:
        gap, level = divmod(value >> 1, count)
        return gap, level
    return value >> 1, usual


def _gap(text: str, pos: int, count: int) -> int:
    value, _ = read_number(text, pos)
    return _split(value, count, 0)[0]


def _shift_block(text: str, begin: int, end: int, first: int, prev: int, limit: int,
                 moved: Sequence[int], breaks: Sequence[int], count: int, usual: int
                 ) -> tuple[str, int]:
    """A block none of whose documents is removed or added, renumbered: the postings
    whose gap changes are re-encoded (the first, after ``prev``, and those just after a
    break), the rest copied. Returns the new text and the new number of its last document."""
    pieces = []
    pos, doc, old_prev, new_prev = begin, first, None, prev
    copied = begin
    while pos < end:
        value, after = read_number(text, pos)
        gap, level = _split(value, count, usual)
        if old_prev is not None:
            doc = old_prev + gap
        new_doc = moved[doc]
        new_gap = new_doc - new_prev
        if new_gap != gap:
            pieces.append(text[copied:pos])
            pieces.append(long_number(new_gap << 1 if level == usual
                                      else (new_gap * count + level) << 1 | 1))
            copied = after
        old_prev, new_prev, pos = doc, new_doc, after
        i = bisect_right(breaks, doc)
        if i == len(breaks) or breaks[i] >= limit:
            break  # no later posting of this block changes
    pieces.append(text[copied:end])
    if pos < end:  # stopped early: the last document is the block's last
        last = limit - _gap(text, end, count) if end < len(text) else limit - 1
        new_prev = moved[last]
    return "".join(pieces), new_prev
