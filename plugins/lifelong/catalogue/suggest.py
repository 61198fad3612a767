"""Did-you-mean: the one candidate close enough to a misspelt name to be the one meant.

Candidates are names (ids, kinds, fields) and, for vocabulary terms, their Chinese and
English labels and declared synonyms; each leads to the name it stands for. A value matches
a candidate exactly when both are the same after ``normalise`` (case, full/half width,
spaces, hyphens and underscores); otherwise only a near miss counts: an edit distance (a
swap of two neighbours counts one) of 1 for up to 5 characters, 2 for up to 12 and about
one in seven beyond. A looser measure suggested 'nutrition' for "Literary Fiction";
suggesting nothing is better than suggesting the wrong thing.

rapidfuzz compares one value with 90,000 ids in about 15 ms (difflib took 1.7 s):
``bench/suggest_bench.py`` measures it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

_SEPARATORS = re.compile(r"[\s\-_]+")


def normalise(text: str) -> str:
    """``text`` compared loosely: NFKC (full-width to half), case folded, no separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


def allowed_distance(length: int) -> int:
    """How many edits a value of ``length`` characters may be from the name it means."""
    if length < 3:
        return 0
    if length <= 5:
        return 1
    if length <= 12:
        return 2
    return max(2, length // 7)


class Suggester:
    """Suggestions from ``(text, name)`` pairs: a value near ``text`` suggests ``name``.

    The first pair wins where two normalise alike, so give names before labels.
    """

    def __init__(self, candidates: Iterable[tuple[str, str]]) -> None:
        self._exact: dict[str, str] = {}
        for text, name in candidates:
            key = normalise(text)
            if key:
                self._exact.setdefault(key, name)
        self._keys = list(self._exact)

    def exact(self, value: str) -> str | None:
        """The name ``value`` stands for when it matches a candidate exactly (after
        ``normalise``), with no near miss."""
        return self._exact.get(normalise(value))

    def __call__(self, value: str) -> str | None:
        key = normalise(value)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        limit = allowed_distance(len(key))
        if limit == 0:
            return None
        found = process.extractOne(key, self._keys, scorer=OSA.distance, score_cutoff=limit)
        return self._exact[found[0]] if found else None

