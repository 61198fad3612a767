"""The header box from the heads of long postings (issue 23): a frequent term's postings
file holds only its best postings, and the header box ranks its first results from them
when it can prove they are those of the whole postings. On the sample catalogue, written
with tiny heads so that nearly every term has one, the real engine (search.js in node)
must give every query the first results and count of the whole index, loading the whole
postings only when the heads cannot tell."""

from __future__ import annotations

from pathlib import Path

import mkdocs
import pytest

from lifelong.build.catalogue_site import CatalogueSite, SiteOptions
from lifelong.search import index
from searchkit import SearchKit
from sitekit import REPO

LUNR_JS = Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js"
SUGGESTIONS = 8
#: One or two words of what the sample holds many of, pinyin, initials, English words and
#: their starts, exact titles and names: single terms, unions (prefixes, pinyin) and
#: intersections (Han runs, several words).
QUERIES = [
    "健康", "老年", "书法", "太极", "太极拳", "智能手机", "手机", "社区", "学习", "老年大学",
    "养生", "读书", "课堂", "微信", "中医", "讲座", "戏曲", "安全", "防诈骗", "健康生活",
    "taiji", "taijiquan", "jiankang", "shouji", "tjq", "znsj", "sq",
    "health", "heal", "smart", "smartphone", "tai chi", "learning", "community", "reading",
    "the art", "safety tips", "智能手机课堂", "Smartphone Classroom", "论语", "周慧敏",
    "学", "书", "中", "a", "zz-nothing", "healthy eating", "phone photo",
]


def written(folder: Path, monkeypatch: pytest.MonkeyPatch, *, limit: int, size: int) -> Path:
    with monkeypatch.context() as patch:
        patch.setattr(index, "HEAD_LIMIT", limit)
        patch.setattr(index, "HEAD_SIZE", size)
        CatalogueSite(SiteOptions(
            content_dir=REPO / "content", catalogue_dir=REPO / "catalogue",
            template_dirs=[REPO / "plugins" / "lifelong" / "theme"],
            site_url="https://example.org/", lang="zh", lunr_js=LUNR_JS),
        ).write_search_index(folder / "search")
    return folder


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[str], int]]:
    """Each query's first results and count from the index without heads."""
    with pytest.MonkeyPatch.context() as patch:
        folder = written(tmp_path_factory.mktemp("whole"), patch, limit=10**9, size=1)
    assert not list((folder / "search").glob("q/*.js"))
    return {hit["q"]: (hit["top"], hit["count"])
            for hit in SearchKit(folder).heads(QUERIES, prefix=True, limit=SUGGESTIONS)}


@pytest.mark.parametrize(("limit", "size", "alone"), [(8, 2, 12), (16, 5, 24), (40, 12, 40)])
def test_the_header_box_from_heads_finds_what_the_whole_index_finds(
        tmp_path: Path, whole: dict[str, tuple[list[str], int]], limit: int, size: int,
        alone: int) -> None:
    """``limit``: a term whose postings string is longer is written as a head of ``size``
    postings; ``alone``: at least so many queries need no whole postings."""
    with pytest.MonkeyPatch.context() as patch:
        folder = written(tmp_path, patch, limit=limit, size=size)
    heads = SearchKit(folder).heads(QUERIES, prefix=True, limit=SUGGESTIONS)
    wrong = [(hit["q"], hit["top"], hit["count"], whole[hit["q"]]) for hit in heads
             if hit["top"] != whole[hit["q"]][0] or hit["count"] not in (None, whole[hit["q"]][1])]
    assert wrong == []
    # The heads answer many alone (the larger, the more); the others loaded whole postings
    # to be right.
    answered = [hit["q"] for hit in heads if not hit["whole"]]
    assert len(answered) >= alone
    if size == 2:
        assert len(answered) < len(QUERIES)
    # A one-word query is always counted: from its head's count when the head answers it
    # (老年 in the Chromium test), else from its whole postings.
    assert {hit["q"]: hit["count"] for hit in heads if hit["q"] in ("健康", "学")} == {
        "健康": whole["健康"][1], "学": whole["学"][1]}
