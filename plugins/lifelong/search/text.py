"""Turn text into search terms, exactly as site_config/.../search/lifelong-search.js does.

Both sides run the same steps:
1. fold: NFKD, drop combining marks (U+0300-036F), lower case, traditional characters to
   simplified (one table, shipped to the browser as t2s.js), every other non-ASCII character
   except Han ideographs becomes a space;
2. Han runs: each character and each pair of neighbours (any substring of two or more
   characters is then found by its pairs, a single character by itself);
3. the rest: lunr's tokenizer, trimmer, stop-word filter and stemmer (lunr.py here, the
   lunr.js of the installed mkdocs package in the browser);
4. titles and names also get pinyin terms, marked so that they never meet the stemmer:
   syllables and neighbouring pairs (@tai, @taiji, @jiquan), initials in pairs and triples
   (#tj, #tjq). A query "taijiquan" is split into known syllables (tai ji quan) and needs
   @taiji and @jiquan; "tjq" needs #tjq.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources

from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import Tokenizer
from lunr.trimmer import trimmer

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]+")
_NOT_KEPT = re.compile(f"[^\\x00-\\x7f{HAN}]")
_COMBINING = re.compile("[\u0300-\u036f]")
PINYIN_MARK = "@"
INITIALS_MARK = "#"


@functools.cache
def t2s_table() -> dict[str, str]:
    """Traditional -> simplified, one character to one character, from zhconv's tables
    (MediaWiki's conversion data). Read directly: zhconv's own loader leaks a file handle."""
    data = json.loads(resources.files("zhconv").joinpath("zhcdict.json").read_bytes())
    han = re.compile(f"[{HAN}]")
    return {k: v for k, v in sorted(data["zh2Hans"].items())
            if len(k) == 1 and len(v) == 1 and k != v and han.match(k) and han.match(v)}


@functools.cache
def _translate() -> dict[int, str]:
    return {ord(k): v for k, v in t2s_table().items()}


def fold(text: str) -> str:
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()
    return _NOT_KEPT.sub(" ", text.translate(_translate()))


def lunr_terms(text: str) -> list[str]:
    """lunr's default pipeline (tokenizer, trimmer, stop words, stemmer) on ASCII text."""
    terms = []
    for token in Tokenizer(text):
        term = _pipeline(str(token))
        if term:
            terms.append(term)
    return terms


@functools.lru_cache(maxsize=65536)
def _pipeline(word: str) -> str | None:
    """One token through lunr's trimmer, stop-word filter and stemmer (cached: catalogue
    text repeats its words, and the stemmer is the slow part)."""
    token: Token | None = Token(word)
    for step in (trimmer, stop_word_filter, stemmer):
        token = step(token)
        if token is None:
            return None
    return str(token)


def han_terms(run: str) -> Iterator[str]:
    yield from run
    for i in range(len(run) - 1):
        yield run[i:i + 2]


@functools.cache
def _pinyin(run: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))


@functools.lru_cache(maxsize=65536)
def pinyin_terms(run: str) -> tuple[str, ...]:
    return tuple(_pinyin_terms(run))


def _pinyin_terms(run: str) -> Iterator[str]:
    """Syllables and pairs of neighbouring syllables (@tai, @taiji, @ji, @jiquan...), and
    pairs and triples of initials (#tj, #tjq, #jq...)."""
    syllables = [s for s in _pinyin(run) if s.isascii() and s.isalpha()]
    initials = [s[0] for s in syllables]
    for i, syllable in enumerate(syllables):
        yield PINYIN_MARK + syllable
        if i + 1 < len(syllables):
            yield PINYIN_MARK + syllable + syllables[i + 1]
            yield INITIALS_MARK + initials[i] + initials[i + 1]
        if i + 2 < len(syllables):
            yield INITIALS_MARK + "".join(initials[i:i + 3])


def index_terms(text: str, *, pinyin: bool = False) -> list[str]:
    """All terms of a field's text, in order, duplicates kept."""
    folded = fold(text)
    terms: list[str] = []
    last = 0
    for match in _HAN_RUN.finditer(folded):
        terms.extend(lunr_terms(folded[last:match.start()]))
        terms.extend(han_terms(match.group()))
        if pinyin:
            terms.extend(pinyin_terms(match.group()))
        last = match.end()
    terms.extend(lunr_terms(folded[last:]))
    return terms


def query_parts(query: str) -> list[tuple[str, str]]:
    """A query as (kind, text) parts: ("han", 太极) for each Han run, ("word", raw) for each
    other word. The browser makes terms from them (see lifelong-search.js)."""
    folded = fold(query)
    parts: list[tuple[str, str]] = []
    last = 0
    for match in _HAN_RUN.finditer(folded):
        parts.extend(("word", w) for w in folded[last:match.start()].split())
        parts.append(("han", match.group()))
        last = match.end()
    parts.extend(("word", w) for w in folded[last:].split())
    return parts


def exact_key(text: str) -> str:
    """A whole title reduced to letters, digits and Han characters, for exact matches."""
    return "=" + re.sub(r"[^a-z0-9" + HAN + "]", "", fold(text))


def all_terms(texts: Iterable[str]) -> list[str]:
    return [t for text in texts for t in index_terms(text)]
