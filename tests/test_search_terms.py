"""Tokenizer parity: the browser's search.js must turn text into exactly the terms that
lifelong.search.text put in the index, or queries silently miss. The same strings go through
index_terms / query_parts / exact_key in Python and indexTerms / queryParts / exactKey of the
real engine in node (tests/searchkit.js), over the sample site's own t2s.js and lunr.js; and
the names of the term dictionary files (dictionary_key / dictionaryKey)."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from lifelong.build.loading import load_catalogue
from lifelong.search.index import dictionary_key, entry_fields
from lifelong.search.text import exact_key, index_terms, query_parts
from searchkit import NODE, SearchKit, sample_site
from sitekit import REPO

#: (id, text): every kind of text the index and the search box meet.
STRINGS: list[tuple[str, str]] = [
    # Chinese, simplified and traditional
    ("zh-simplified", "终身学习资源目录"),
    ("zh-traditional-lifelong", "終身學習"),
    ("zh-traditional-study", "學習"),
    ("zh-traditional-calligraphy", "書法"),
    ("zh-traditional-taiji", "二十四式太極拳入門"),
    ("zh-traditional-university", "國家開放大學與臺灣的書畫藝術"),
    ("zh-single", "茶"),
    ("zh-punctuated", "“道可道，非常道”《道德经》前八章（原文）、白话导读……"),
    ("zh-ext-a", "㐀㐁学习"),
    # mixed Chinese and English
    ("mixed-python", "学习Python编程"),
    ("mixed-aed", "心肺复苏与 AED 使用"),
    ("mixed-5g", "5G手机和Wi-Fi设置"),
    ("mixed-taiji", "二十四式Tai Chi入门 for Beginners"),
    ("mixed-kunqu", "Kunqu昆曲Opera"),
    # English: stemming and stop words
    ("en-running", "The Running of the Classes"),
    ("en-learning", "learning learners learned"),
    ("en-stop-words", "To be or not to be: that is the question"),
    ("en-stems", "generalizations relational conditional happiness skies dying agreed"),
    ("en-communities", "communities community communal organise organization organisers"),
    ("en-title", "Artificial Intelligence and Our Daily Lives"),
    ("en-possessive", "James Legge's classic 1861 English translation"),
    ("en-upper-case", "GAMES STATS The HUNGER Games STEPHEN KING"),
    # long words with one typo (issue 18's reporter found nothing for them)
    ("en-long-typos", "Illuxions Constrxction Operxting Meditxtions"),
    # hyphens
    ("hyphen-id", "taiji-basics"),
    ("hyphen-id-long", "lh-protect-your-wallet"),
    ("hyphen-edges", "-leading trailing- well--being e-book co‐operate non‑breaking"),
    ("hyphen-han", "AED-使用 太极-拳"),
    # digits
    ("digits-date", "2024年3月12日 19:30"),
    ("digits-isbn", "978-7-02-000220-7"),
    ("digits-number", "3.14 1,000 100% 24-Form 1861"),
    # punctuation
    ("punct-ascii", "Hello, world! (e.g. it's 3.14...) don't"),
    ("punct-marks", "C++ & C# / a/b ... -- 's U.S.A. \"quoted\" 'single'"),
    ("punct-only", "!?.,;:()[]{}<>@#$%^&*_+=~`|\\"),
    ("punct-unicode", "«quotes» — em dash – en dash • bullet … ellipsis"),
    # full-width characters
    ("fullwidth-letters", "ＡＢＣ１２３"),
    ("fullwidth-punct", "，。！"),
    ("fullwidth-mixed", "ＡＢＣ１２３，。！Ｈｅｌｌｏ　Ｗｏｒｌｄ"),
    ("halfwidth-katakana", "ｶﾀｶﾅ ﾃｽﾄ"),
    # accented Latin and other compatibility forms
    ("latin-accents", "café naïve résumé Ångström Über São Paulo"),
    ("latin-dotted-i", "İstanbul ǅemal ﬁnance ﬂow"),
    ("latin-eszett", "Straße Œuvre æsthetic"),
    ("compat-numbers", "Ⅻ ①② x² ½ ™ ℃"),
    # CJK compatibility ideographs, radicals, enclosed and squared forms
    ("cjk-compat", "\uf900\uf901\uf902\ufa0e\ufa11\ufa2e"),
    ("cjk-compat-supplement", "\U0002f800\U0002f801学\U0002f8b8"),
    ("cjk-radicals", "⼈⼤⽂化 ⺁"),
    ("cjk-enclosed", "㊗㍿㈱"),
    ("cjk-ext-b", "𠀀𠀁学习𪚥"),
    # beyond the BMP: surrogate pairs in JavaScript, one character each (tests/realdata.py)
    ("cjk-ext-b-title", "火𤙖供養儀軌"),
    ("cjk-ext-b-edges", "𤙖 𤙖供 火𤙖 a𤙖b 𠀀𠀁𠀂 火𤙖𠀀供"),
    ("cjk-ext-c-to-h", "\U0002a700\U0002b740\U0002b820\U0002ceb0\U0002ebf0\U00030000\U00031350"),
    # emoji
    ("emoji", "学习👍😀 ok 👨‍👩‍👧 🇨🇳 1️⃣ ❤️"),
    ("emoji-between", "tai👍chi 太👍极"),
    # other scripts
    ("cyrillic", "Учиться никогда не поздно"),
    ("arabic", "التعلم مدى الحياة"),
    ("tibetan", "བོད་ཡིག་སློབ་སྦྱོང་།"),
    ("greek", "ΣΟΦΙΑ σοφία Ωμέγα"),
    ("hangul-kana", "평생학습 まなび ひらがな カタカナ"),
    # whitespace and control characters
    ("ws-newlines-tabs", "line one\nline two\r\n\tindented\x0bvertical\x0cform"),
    ("ws-nbsp", "non\u00a0breaking\u00a0space 学\u00a0习"),
    ("ws-ideographic", "终身\u3000学习\u3000Lifelong\u3000Learning"),
    ("ws-unicode", "em\u2003space thin\u2009space zero\u200bwidth line\u2028sep\ufeffbom"),
    ("ws-only", " \t\n\u3000\u00a0"),
    ("control", "a\x00b c\x1fd e\x1cf g\x7fh"),
    ("empty", ""),
]


def catalogue_texts() -> list[str]:
    """Every text the sample's index is made of: titles (zh and en), ids, names, subject
    labels, tags and summaries."""
    catalogue = load_catalogue(REPO / "content", REPO / "catalogue")
    texts: list[str] = []
    for entry in catalogue.entries:
        for field_texts in entry_fields(catalogue, entry).values():
            texts.extend(t for t in field_texts if t and t not in texts)
    return texts


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> SearchKit:
    return SearchKit(sample_site(tmp_path_factory))


@pytest.fixture(scope="module")
def js_terms(kit: SearchKit) -> dict[str, dict[str, Any]]:
    """The engine's answers for every string of this module, from one node run."""
    texts = [text for _id, text in STRINGS] + catalogue_texts()
    return {answer["text"]: answer for answer in kit.terms(texts)}


def python_side(text: str) -> dict[str, Any]:
    return {"index": index_terms(text), "query": [list(part) for part in query_parts(text)],
            "exact": exact_key(text)}


def js_side(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: answer[key] for key in ("index", "query", "exact")}


@pytest.mark.parametrize("text", [pytest.param(text, id=name) for name, text in STRINGS])
def test_python_and_browser_make_the_same_terms(text: str,
                                                js_terms: dict[str, dict[str, Any]]) -> None:
    assert js_side(js_terms[text]) == python_side(text)


def test_every_text_of_the_sample_catalogue_makes_the_same_terms(
        js_terms: dict[str, dict[str, Any]]) -> None:
    texts = catalogue_texts()
    assert len(texts) > 300  # titles, summaries, names... of 88 entries
    differ = {text: {"python": python_side(text), "js": js_side(js_terms[text])}
              for text in texts if python_side(text) != js_side(js_terms[text])}
    assert differ == {}


def test_the_strings_really_reach_the_engine(js_terms: dict[str, dict[str, Any]]) -> None:
    """Guards the parity tests against comparing two empty lists: the engine folds,
    converts and stems."""
    assert js_terms["終身學習"]["index"] == ["终", "身", "学", "习", "终身", "身学", "学习"]
    assert js_terms["learning learners learned"]["index"] == ["learn", "learner", "learn"]
    assert js_terms["The Running of the Classes"]["index"] == ["run", "class"]
    assert js_terms["ＡＢＣ１２３"]["index"] == ["abc123"]
    assert js_terms["火𤙖供養儀軌"]["index"] == [
        "火", "𤙖", "供", "养", "仪", "轨", "火𤙖", "𤙖供", "供养", "养仪", "仪轨", "火供"]
    assert js_terms["GAMES STATS The HUNGER Games STEPHEN KING"]["index"] == [
        "game", "stat", "hunger", "game", "stephen", "king"]
    assert js_terms["Illuxions Constrxction Operxting Meditxtions"]["index"] == [
        "illuxion", "constrxction", "operxt", "meditxt"]
    assert js_terms["学习Python编程"]["query"] == [["han", "学习"], ["word", "python"],
                                                 ["han", "编程"]]
    assert js_terms["café naïve résumé Ångström Über São Paulo"]["index"][:2] == ["cafe",
                                                                                  "naiv"]


def test_pinyin_syllables_split_with_the_sample_syllable_list(kit: SearchKit) -> None:
    assert kit.syllables(["taijiquan", "lixiulan", "tjq", "Taiji"]) == [
        ["tai", "ji", "quan"], ["li", "xiu", "lan"], None, None]


# -- dictionary file names ------------------------------------------------------------------

#: Runs dictionaryKey of the real engine over a built site's search/ folder, as searchkit.js
#: sets it up: node -e KEYS SITE_DIR, the strings as JSON on stdin, their keys on stdout.
KEYS_JS = r"""
var fs = require("fs"), path = require("path"), vm = require("vm");
var folder = path.join(process.argv[1], "search");
var S = { data: {}, root: "" };
global.window = { LifelongSearch: S };
global.LifelongSearch = S;
S.add = function (name, data) { S.data[name] = data; };
global.lunr = require(path.resolve(folder, "lunr.js"));
vm.runInThisContext(fs.readFileSync(path.join(folder, "meta.js"), "utf8"));
var engine = process.argv[2];
vm.runInThisContext(fs.readFileSync(engine, "utf8"), { filename: engine });
var texts = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map(S.engine.dictionaryKey)));
"""

#: Terms that once named a file or folder of their own ("I/O": search/d/i/.js) or worse.
AWKWARD_TERMS = ["i/o", "I/O", "a/b", "w/o", "n/e", "s/mime", "..", ".", "./", "../x", "/",
                 "a\\b", "\\\\", "a\0b", "\0", 'a"b', '"', "it'", "c:\\temp", "con", "nul",
                 "x" * 300, "é/x", "ü", "学习", "学", "\U00020000x", "x\U00020000", "a\u202eb",
                 " a", "a ", "\t", "AB", "ab", "a", "", "0x", "_a", "a-b"]


def test_dictionary_files_are_named_alike_and_safely(kit: SearchKit) -> None:
    texts = AWKWARD_TERMS + [text for _id, text in STRINGS]
    result = subprocess.run([NODE, "-e", KEYS_JS, str(kit.site),
                             str(REPO / "plugins" / "lifelong" / "theme" / "assets" / "lifelong"
                                 / "search.js")],
                            input=json.dumps(texts), capture_output=True, text=True,
                            encoding="utf-8", timeout=120, check=True)
    js_keys = json.loads(result.stdout)
    assert dict(zip(texts, js_keys, strict=True)) == {t: dictionary_key(t) for t in texts}
    assert all(re.fullmatch("[a-z0-9_]{0,2}", key) for key in js_keys)
    assert [dictionary_key(t) for t in ["i/o", "..", "a\0b", "x" * 300, "学习", "ab"]] == [
        "i_", "__", "a_", "xx", "__", "ab"]
