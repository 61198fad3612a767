"""Relevance of the site search on the shipped sample catalogue (content/): queries a reader
would type, and the entries that must come back in the top three. Every query runs through
the real engine (search.js in node, tests/searchkit.js) against a real build of the sample;
all queries of the module go to node in one batch.

A failure here is a search bug to fix in the engine or the index, not an expectation to
relax: the cases are what the catalogue promises its readers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from lifelong.build.loading import load_catalogue
from searchkit import Hit, SearchKit, sample_site, shared_site
from sitekit import REPO, course, one_of_each, write_project

TOP = 3


@dataclass(frozen=True)
class Case:
    """``query`` must return every id of ``expected`` among its first three results; with
    ``first``, ``expected[0]`` must be the very first. ``prefix``: typed in the header box,
    the last word possibly unfinished."""

    rule: str
    query: str
    expected: tuple[str, ...]
    first: bool = False
    prefix: bool = False

    @property
    def key(self) -> tuple[str, bool]:
        return (self.query, self.prefix)


def case(rule: str, query: str, *expected: str, first: bool = False,
         prefix: bool = False) -> Case:
    return Case(rule, query, expected, first=first, prefix=prefix)


CASES: list[Case] = [
    # An exact title (zh or en) is the first result, whatever else mentions its words.
    case("exact-title", "智能手机课堂", "smartphone-classroom", first=True),  # also in 2 summaries
    case("exact-title", "乡村夜校", "village-night-school", first=True),
    case("exact-title", "论语·学而篇", "lunyu-xue-er", first=True),
    case("exact-title", "道德经（第一至八章）", "daodejing", first=True),
    case("exact-title", "Smartphone Classroom", "smartphone-classroom", first=True),
    case("exact-title", "Journey to the West", "journey-to-the-west", first=True),
    case("exact-title", "The Art of War", "sunzi-art-of-war", first=True),
    # the exact key ignores punctuation, so the title typed without its middle dot
    case("exact-title", "论语学而篇", "lunyu-xue-er", first=True),
    # Any substring of two or more characters of a title, a name or a summary.
    case("substring", "四式太极", "taiji-basics", first=True),  # middle of 二十四式太极拳入门
    case("substring", "频通话与家", "smartphone-wechat-video-calls", first=True),  # 微信视频通话与家庭群
    case("substring", "水磨", "lh-kunqu-beauty", "kunqu-appreciation"),  # 六百年的水磨雅韵
    case("substring", "拍照识花", "ai-in-daily-life", first=True),  # summary
    case("substring", "一盅两件", "cantonese-dim-sum", first=True),  # summary
    case("substring", "繁晨", "chinese-painting-orchid", "calligraphy-regular-script"),  # 孔繁晨
    # A single character (titles and names: a summary's single characters are not indexed).
    case("single-character", "锦", "tcm-baduanjin", first=True),  # 八段锦跟练
    case("single-character", "茶", "gongfu-tea-art", "tea-garden-green-planting"),
    case("single-character", "太", "taiji-basics", "chinese-space-station"),
    # Pinyin of titles and names: whole syllables and initials.
    case("pinyin", "taijiquan", "taiji-basics", first=True),
    case("pinyin", "tjq", "taiji-basics", first=True),
    case("pinyin", "baduanjin", "tcm-baduanjin", first=True),
    case("pinyin", "bdj", "tcm-baduanjin", first=True),
    case("pinyin", "ayiguli", "ayguli", first=True),  # a star's name
    case("pinyin", "kongfanchen", "chinese-painting-orchid", "calligraphy-regular-script"),
    # 吴承恩: wu cheng en, which can also be cut as wu chen gen
    case("pinyin", "wuchengen", "journey-to-the-west", first=True),
    case("pinyin", "wce", "journey-to-the-west", first=True),
    # Traditional characters find entries written in simplified ones.
    case("traditional", "太極拳", "taiji-basics", first=True),
    case("traditional", "老齡化", "learning-never-retires", first=True),  # summary
    case("traditional", "論語", "lunyu-xue-er"),
    case("traditional", "書法", "chen-jianguo", "calligraphy-regular-script"),
    case("traditional", "國家通用手語", "sign-language-basics", first=True),
    case("traditional", "視頻通話", "smartphone-wechat-video-calls", first=True),
    # English: the stemmer joins word forms, stop words do not count.
    case("stemming", "poem", "tang-poems-300", first=True),  # Three Hundred Tang Poems
    case("stemming", "falling", "fall-prevention-home", first=True),  # Preventing Falls at Home
    case("stemming", "prevention", "fall-prevention-home", first=True),
    case("stemming", "stitch", "suzhou-embroidery-stitches", first=True),
    case("stemming", "retired", "learning-never-retires", "retirement-finance-safety"),
    case("stemming", "custom", "spring-festival-customs", first=True),
    case("stop-words", "the art of war", "sunzi-art-of-war", first=True),
    case("stop-words", "Call to Arms", "call-to-arms", first=True),
    case("stop-words", "learning in ageing societies", "learning-never-retires", first=True),
    # While typing: the last word may be unfinished.
    case("prefix", "callig", "calligraphy-regular-script", first=True, prefix=True),
    case("prefix", "embroi", "suzhou-embroidery-stitches", "xiang-embroidery-talk",
         prefix=True),
    case("prefix", "regular scri", "calligraphy-regular-script", first=True, prefix=True),
    case("prefix", "kun", "lh-kunqu-beauty", "kunqu-appreciation", prefix=True),
    # the next word's first letter typed: the results must not vanish
    case("prefix", "taiji b", "taiji-basics", first=True, prefix=True),
    case("prefix", "regular s", "calligraphy-regular-script", first=True, prefix=True),
    # One typo in a word of five letters or more: a wrong, a missing or an extra letter.
    case("typo", "caligraphy", "calligraphy-regular-script", first=True),
    case("typo", "calligrphy", "calligraphy-regular-script", first=True),
    case("typo", "embroidry", "suzhou-embroidery-stitches", "xiang-embroidery-talk"),
    case("typo", "kunqo", "lh-kunqu-beauty", "kunqu-appreciation"),
    case("typo", "smartphome", "smartphone-first-steps"),
    case("typo", "classrooom", "smartphone-classroom"),
    # People: teachers, authors, speakers, a star's own name, in any script.
    case("people", "李秀兰", "taiji-basics", first=True),  # teacher
    case("people", "吴承恩", "journey-to-the-west", first=True),  # author
    case("people", "孔繁晨", "chinese-painting-orchid", "calligraphy-regular-script"),
    case("people", "黎少棠", "cantonese-opera-talk", first=True),  # speaker
    # her profile first (a teacher's title is the name), then the featured of her courses
    case("people", "郑雅琴", "zheng-yaqin", "fall-prevention-home", first=True),
    case("people", "James Legge", "analects-legge", first=True),  # translator
    case("people", "Margaret Ellison", "learning-never-retires", first=True),  # speaker
    case("people", "阿依古丽", "ayguli", first=True),  # a star
    # The short code (the entry's id, its address): the entry first.
    case("short-code", "taiji-basics", "taiji-basics", first=True),
    case("short-code", "lh-kunqu-beauty", "lh-kunqu-beauty", first=True),
    case("short-code", "sunzi-art-of-war", "sunzi-art-of-war", first=True),
    case("short-code", "first-aid-cpr", "first-aid-cpr", first=True),
    case("short-code", "smartphone-classroom", "smartphone-classroom", first=True),
]

#: Queries whose words sit in different fields of different entries: every entry of a group
#: must rank above every entry of the later groups (title > names > subjects > summary).
ORDERS: list[tuple[str, list[list[str]]]] = [
    ("林晓燕", [["lin-xiaoyan"],                        # title 林晓燕：骑手的大学梦
               ["lh-mid-autumn-stories"]]),            # speaker
    ("社区学", [["learning-circles", "chengdu-wuhou-learning-point",  # titles 社区学习共同体,
                "changsha-kaifu-community-college"],   # ...社区学习点, ...社区学院
               ["xiang-embroidery-talk",               # provider 长沙市开福区社区学院
                "wang-fang-shanghai"]]),               # organisation 某街道社区学校
    ("出行", [["smartphone-travel-tickets"],             # title ...网约车出行
              ["travel-english-basics"],               # subject 旅游出行
              ["seniors-smartphone-handbook"]]),       # summary
    ("书法", [["chen-jianguo"],                          # title ...书法人生...
              ["calligraphy-regular-script"]]),        # subject 书法
    ("语学", [["analects-legge", "travel-english-basics"],  # provider ...外国语学院
              ["sign-language-basics", "ayguli"]]),    # subject 外语学习
    ("历史", [["romance-of-the-three-kingdoms", "sunzi-art-of-war"],  # subject 中国历史
              ["lh-kunqu-beauty", "shadow-puppet-making", "xiang-embroidery-talk"]]),  # summaries
]

#: Ties: the same field of every entry, so the same score; the featured entry (of several
#: with that teacher) goes first although it is not the newest. A teacher's profile, whose
#: title is the name, comes before them all (an exact title).
PROFILES = {"zhou-huimin", "zheng-yaqin"}
TIES: list[tuple[str, str]] = [
    ("孙立平", "lh-protect-your-wallet"),
    ("周慧敏", "smartphone-first-steps"),
    ("郑雅琴", "fall-prevention-home"),
]


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> SearchKit:
    return SearchKit(sample_site(tmp_path_factory))


@pytest.fixture(scope="module")
def hits(kit: SearchKit) -> dict[tuple[str, bool], Hit]:
    """Every query of the module, from one node run."""
    keys = list(dict.fromkeys([c.key for c in CASES] + [(q, False) for q, _ in ORDERS] +
                              [(q, False) for q, _ in TIES]))
    return {(hit.q, hit.prefix): hit for hit in kit.search(keys)}


def describe(hit: Hit) -> str:
    return f"{hit.q!r} (prefix={hit.prefix}) -> {hit.count} results: {hit.top}"


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.rule}:{c.query}") for c in CASES])
def test_query_finds_its_entries(case: Case, hits: dict[tuple[str, bool], Hit]) -> None:
    hit = hits[case.key]
    missing = [entry for entry in case.expected if entry not in hit.top[:TOP]]
    assert missing == [], describe(hit)
    if case.first:
        assert hit.top[0] == case.expected[0], describe(hit)


@pytest.mark.parametrize(("query", "groups"), [pytest.param(q, g, id=q) for q, g in ORDERS])
def test_title_beats_names_beats_subjects_beats_summary(
        query: str, groups: list[list[str]], hits: dict[tuple[str, bool], Hit]) -> None:
    hit = hits[(query, False)]
    ranks = {entry: hit.top.index(entry) if entry in hit.top else None
             for group in groups for entry in group}
    assert None not in ranks.values(), describe(hit)
    for better, worse in itertools.pairwise(groups):
        assert max(ranks[e] for e in better) < min(ranks[e] for e in worse), describe(hit)


@pytest.mark.parametrize(("query", "featured"), [pytest.param(q, f, id=q) for q, f in TIES])
def test_featured_entries_win_ties(query: str, featured: str,
                                   hits: dict[tuple[str, bool], Hit]) -> None:
    hit = hits[(query, False)]
    assert next(e for e in hit.top if e not in PROFILES) == featured, describe(hit)


def test_the_featured_ties_are_real_ties(kit: SearchKit) -> None:
    """Without the featured flag the same entries come back but another one leads: the
    order above comes from the tie-break, not from a better score."""
    plain = {hit.q: hit for hit in kit.search([q for q, _ in TIES], featured=False)}
    for query, featured in TIES:
        assert next(e for e in plain[query].top if e not in PROFILES) != featured, \
            describe(plain[query])


# -- the other direction: an entry written in traditional characters ---------------------
TRADITIONAL = course("trad-calligraphy", title="書法入門：楷書基本筆畫",
                     summary="從執筆、坐姿學起，一筆一畫寫好楷書。", teachers=["顏真卿"])

TRADITIONAL_CASES: list[Case] = [
    case("simplified-finds-traditional", "书法入门", "trad-calligraphy", first=True),
    case("simplified-finds-traditional", "楷书基本笔画", "trad-calligraphy", first=True),
    case("simplified-finds-traditional", "执笔", "trad-calligraphy", first=True),  # summary
    case("simplified-finds-traditional", "颜真卿", "trad-calligraphy", first=True),  # teacher
    case("simplified-finds-traditional", "书", "trad-calligraphy", first=True),
    case("traditional-finds-traditional", "書法入門：楷書基本筆畫", "trad-calligraphy",
         first=True),
    case("pinyin-of-traditional", "shufa", "trad-calligraphy", first=True),
    case("pinyin-of-traditional", "kaishu", "trad-calligraphy", first=True),
]


@pytest.fixture(scope="module")
def traditional_hits(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Hit]:
    """The sample has no entry written in traditional characters: a tiny site with one."""
    site = shared_site(tmp_path_factory, "lifelong-traditional",
                       lambda folder: write_project(folder, [*one_of_each(), TRADITIONAL]))
    found = SearchKit(site).search([c.key for c in TRADITIONAL_CASES])
    return {(hit.q, hit.prefix): hit for hit in found}


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.rule}:{c.query}")
                                  for c in TRADITIONAL_CASES])
def test_entries_written_in_traditional_characters_are_found(
        case: Case, traditional_hits: dict[tuple[str, bool], Hit]) -> None:
    test_query_finds_its_entries(case, traditional_hits)


def test_sample_site_is_the_repository_sample(kit: SearchKit) -> None:
    """The relevance cases are about content/: the built index holds all its entries."""
    entries = load_catalogue(REPO / "content", REPO / "catalogue").entries
    meta = (kit.site / "search" / "meta.js").read_text(encoding="utf-8")
    assert f'"documents":{len(entries)},' in meta
