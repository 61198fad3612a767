"""Turn text into search terms, exactly as plugins/lifelong/theme/assets/lifelong/search.js does.

Both sides run the same steps:
1. fold: NFKD, drop combining marks (U+0300-036F), lower case, traditional characters to
   simplified (one table, shipped to the browser as t2s.js), every other non-ASCII character
   except Han ideographs (HAN, the supplementary planes included) becomes a space;
2. Han runs: each character and each pair of neighbours (any substring of two or more
   characters is then found by its pairs, a single character by itself), and the pair
   around a character outside the BMP, which readers leave out (``han_terms``); characters
   are code points (the browser iterates a run with Array.from, never by UTF-16 unit);
3. the rest: lunr's tokenizer, trimmer, stop-word filter and stemmer (the lunr.js of the
   installed mkdocs package in the browser; here lunr.py's tokenizer and stop words, and
   ports of lunr.js's trimmer and stemmer, since lunr.py's differ);
4. titles and names also get pinyin terms, marked so that they never meet the stemmer:
   pairs of neighbouring syllables (@taiji, @jiquan) and triples of initials (#tjq). A
   query "taijiquan" is split into known syllables (tai ji quan) and needs @taiji and
   @jiquan; "tjq" needs #tjq.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources

from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token

#: Han ideographs: Extension A, the unified block, compatibility ideographs, and the
#: supplementary planes (Extensions B to I and the compatibility supplement, U+20000 up to
#: U+323AF), which hold thousands of characters of classical titles and names (火𤙖供養儀軌).
#: The browser's regular expressions carry the same ranges with the "u" flag (code points).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
#: The Basic Multilingual Plane's part of HAN: the traditional -> simplified table keeps to
#: it (the browser reads t2s.js a UTF-16 unit at a time).
HAN_BMP = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
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
    han = re.compile(f"[{HAN_BMP}]")
    return {k: v for k, v in sorted(data["zh2Hans"].items())
            if len(k) == 1 and len(v) == 1 and k != v and han.match(k) and han.match(v)}


@functools.cache
def _translate() -> dict[int, str]:
    return {ord(k): v for k, v in t2s_table().items()}


def fold(text: str) -> str:
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()
    return _NOT_KEPT.sub(" ", text.translate(_translate()))


#: lunr.py's tokenizer: lower case, split on these characters (lunr.tokenizer.SEPARATOR_CHARS).
#: The same split as ``lunr.Tokenizer``, without a Token and its metadata per word.
_SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")


def lunr_terms(text: str) -> list[str]:
    """lunr's default pipeline (tokenizer, trimmer, stop words, stemmer) on ASCII text."""
    terms = []
    for word in _SEPARATORS.split(text.lower()):
        if word:
            term = _pipeline(word)
            if term:
                terms.append(term)
    return terms


@functools.lru_cache(maxsize=65536)
def _pipeline(word: str) -> str | None:
    """One token through lunr's trimmer, stop-word filter and stemmer (cached: catalogue
    text repeats its words, and the stemmer is the slow part)."""
    token: Token | None = stop_word_filter(Token(_trim(word)))
    if token is None:
        return None
    return _stem(str(token))


# lunr.js's trimmer: word characters in JavaScript's sense (ASCII).
_LEADING = re.compile(r"^\W+", re.ASCII)
_TRAILING = re.compile(r"\W+$", re.ASCII)


def _trim(word: str) -> str:
    """lunr.trimmer of lunr.js: strip non-word characters at both ends. (lunr.py's trimmer
    keeps a token with inner punctuation whole, "(e.g." stays, and never empties one: ","
    stays a term.)"""
    return _TRAILING.sub("", _LEADING.sub("", word))


# lunr.stemmer of lunr.js 2.3.9, line for line: a Porter stemmer that differs from lunr.py's
# (lunr.js keeps "everyday", "journey", "today"; lunr.py makes them "everydai"...).
_c = "[^aeiou]"
_v = "[aeiouy]"
_C = _c + "[^aeiouy]*"
_V = _v + "[aeiou]*"
_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)
_S_V = re.compile("^(" + _C + ")?" + _v)
_STEP1A = re.compile(r"^(.+?)(ss|i)es$")
_STEP1A_S = re.compile(r"^(.+?)([^s])s$")
_STEP1B_EED = re.compile(r"^(.+?)eed$")
_STEP1B_ED = re.compile(r"^(.+?)(ed|ing)$")
_STEP1B_AT = re.compile(r"(at|bl|iz)$")
_STEP1B_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
_CVC = re.compile("^" + _C + _v + "[^aeiouwxy]$")
_STEP1C = re.compile(r"^(.+?[^aeiou])y$")
_STEP2 = {"ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
          "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous",
          "ization": "ize", "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive",
          "fulness": "ful", "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble",
          "logi": "log"}
_STEP2_RE = re.compile("^(.+?)(" + "|".join(_STEP2) + ")$")
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
          "ness": ""}
_STEP3_RE = re.compile("^(.+?)(" + "|".join(_STEP3) + ")$")
_STEP4_RE = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|"
                       r"iti|ous|ive|ize)$")
_STEP4_ION = re.compile(r"^(.+?)(s|t)(ion)$")
_STEP5_RE = re.compile(r"^(.+?)e$")
_STEP5_LL = re.compile(r"ll$")


def _stem(w: str) -> str:
    """lunr.js's porterStemmer (checked against it on 280,000 words)."""
    if len(w) < 3:
        return w
    first = w[0]
    if first == "y":
        w = "Y" + w[1:]
    # step 1a
    if (m := _STEP1A.search(w)) or (m := _STEP1A_S.search(w)):
        w = m.group(1) + m.group(2)
    # step 1b
    if m := _STEP1B_EED.search(w):
        if _MGR0.search(m.group(1)):
            w = w[:-1]
    elif m := _STEP1B_ED.search(w):
        stem = m.group(1)
        if _S_V.search(stem):
            w = stem
            if _STEP1B_AT.search(w):
                w += "e"
            elif _STEP1B_DOUBLE.search(w):
                w = w[:-1]
            elif _CVC.search(w):
                w += "e"
    # step 1c
    if m := _STEP1C.search(w):
        w = m.group(1) + "i"
    # step 2
    if (m := _STEP2_RE.search(w)) and _MGR0.search(m.group(1)):
        w = m.group(1) + _STEP2[m.group(2)]
    # step 3
    if (m := _STEP3_RE.search(w)) and _MGR0.search(m.group(1)):
        w = m.group(1) + _STEP3[m.group(2)]
    # step 4
    if m := _STEP4_RE.search(w):
        if _MGR1.search(m.group(1)):
            w = m.group(1)
    elif (m := _STEP4_ION.search(w)) and _MGR1.search(m.group(1) + m.group(2)):
        w = m.group(1) + m.group(2)
    # step 5
    if m := _STEP5_RE.search(w):
        stem = m.group(1)
        if _MGR1.search(stem) or (_MEQ1.search(stem) and not _CVC.search(stem)):
            w = stem
    if _STEP5_LL.search(w) and _MGR1.search(w):
        w = w[:-1]
    if first == "y":
        w = "y" + w[1:]
    return w


def han_terms(run: str) -> Iterator[str]:
    """Each character, each pair of neighbours, and the pair around each character outside
    the Basic Multilingual Plane (火𤙖供養 also gives 火供): most readers cannot type
    such a character, and leave it out (火供養 finds 火𤙖供養儀軌)."""
    yield from run
    for i in range(len(run) - 1):
        yield run[i:i + 2]
    for i in range(1, len(run) - 1):
        if run[i] > "\uffff":
            yield run[i - 1] + run[i + 1]


#: The pinyin of each run of Han characters read so far (``_pinyin``), or given
#: (``add_readings``).
_READINGS: dict[str, tuple[str, ...]] = {}


def _pinyin(run: str) -> tuple[str, ...]:
    found = _READINGS.get(run)
    if found is None:
        # Imported when first needed: its dictionaries take 56 MB.
        from pypinyin import Style, lazy_pinyin

        found = _READINGS[run] = tuple(lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))
    return found


def readings_of(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The pinyin of every run of Han characters in ``texts``, as the index asks for it
    (``index_terms``, ``syllables_of``, sorting by title): worked out in one process, it can
    be given to another (``add_readings``), which then never loads pinyin's dictionaries."""
    runs = {run for text in texts for run in _HAN_RUN.findall(fold(text))}
    return {run: _pinyin(run) for run in sorted(runs)}


def add_readings(readings: Mapping[str, tuple[str, ...]]) -> None:
    _READINGS.update(readings)


@functools.lru_cache(maxsize=65536)
def pinyin_terms(run: str) -> tuple[str, ...]:
    return tuple(_pinyin_terms(run))


def _pinyin_terms(run: str) -> Iterator[str]:
    """Pairs of neighbouring syllables (@taiji, @jiquan...) and triples of initials (#tjq...).
    Single syllables and pairs of initials would match too much to be worth their bytes."""
    syllables = [s for s in _pinyin(run) if s.isascii() and s.isalpha()]
    initials = [s[0] for s in syllables]
    for i in range(len(syllables) - 1):
        yield PINYIN_MARK + syllables[i] + syllables[i + 1]
        if i + 2 < len(syllables):
            yield INITIALS_MARK + "".join(initials[i:i + 3])


def syllables_of(text: str) -> list[str]:
    """The pinyin syllables of a text's Han characters, in order (the browser splits a
    pinyin query into the syllables of the catalogue's titles and names)."""
    return [s for run in _HAN_RUN.findall(fold(text)) for s in _pinyin(run) if s.isascii()]


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
    other word. The browser makes terms from them (see search.js)."""
    folded = fold(query)
    parts: list[tuple[str, str]] = []
    last = 0
    for match in _HAN_RUN.finditer(folded):
        parts.extend(("word", w) for w in _words(folded[last:match.start()]))
        parts.append(("han", match.group()))
        last = match.end()
    parts.extend(("word", w) for w in _words(folded[last:]))
    return parts


#: JavaScript's \s among the characters fold() keeps (str.split() would also split on
#: U+001C..U+001F, which the browser keeps inside a word).
_SPACES = re.compile("[ \t\n\v\f\r]+")


def _words(text: str) -> list[str]:
    return [w for w in _SPACES.split(text) if w]


_NOT_IN_KEY = re.compile(f"[^a-z0-9{HAN}]")


def exact_hash(text: str) -> int | None:
    """A whole title (or id) reduced to letters, digits and Han characters, as a 32-bit
    FNV-1a hash; None when nothing is left."""
    key = _NOT_IN_KEY.sub("", fold(text))
    return fnv1a(key) if key else None


def exact_key(text: str) -> str:
    """``exact_hash`` as the browser shows it: "=" and the hash in hexadecimal ("=" alone
    when the text has no letter, digit or Han character)."""
    value = exact_hash(text)
    return "=" if value is None else "=" + format(value, "x")


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (as JavaScript's charCodeAt sees them)."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value = ((value ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return value


def all_terms(texts: Iterable[str]) -> list[str]:
    return [t for text in texts for t in index_terms(text)]
