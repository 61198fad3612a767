"""Build tiny sites with the real MkDocs build and look at the pages they produce."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from sitekit import build_site, course, one_of_each, read, write_project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    return build_site(write_project(root, one_of_each()))


def content_of(html: str) -> str:
    """The article Material wraps around the page content."""
    start = html.index('<article class="md-content__inner')
    return html[start:html.index("</article>\n<script type=\"application/ld+json\">", start)
                if "application/ld+json" in html else html.index("</article>", start)]


def test_entries_get_their_id_as_address_and_a_template_per_kind(site: Path) -> None:
    for entry_id, kind in [("taiji-basics", "course"), ("lunyu", "ebook"),
                           ("hall-2027", "lecture"), ("phone-class", "series"),
                           ("star-zhang", "star"), ("project-river", "project")]:
        html = read(site, f"{entry_id}/index.html")
        assert f'class="ll-entry ll-entry--{kind}"' in html
    assert not (site / "courses" / "taiji-basics").exists()


def test_course_page_has_panel_cover_player_link_and_breadcrumbs(site: Path) -> None:
    html = read(site, "taiji-basics/index.html")
    assert '<img class="ll-entry__cover" src="../courses/covers/taiji.svg"' in html
    assert '<li><a href="../">首页</a></li>' in html
    assert '<li><a href="../community-education/">社区教育与老年教育</a></li>' in html
    assert "<dt>时长</dt><dd>18 分钟</dd>" in html
    assert '<a href="../subjects/exercise/">运动健身</a>' in html
    assert '<a href="../people/li-xiu-lan/">李秀兰</a>' in html
    assert '<a href="../regions/beijing/">北京</a>' in html
    assert 'href="https://example.org/taiji.pdf" rel="noopener noreferrer"' in html
    assert "正文第一段。" in html


def test_ebook_downloads_show_format_and_size(site: Path) -> None:
    html = read(site, "lunyu/index.html")
    assert '<a href="../reading/files/lunyu.html" download>网页版</a>' in html
    size = (site / "reading/files/lunyu.html").stat().st_size
    assert f'<span class="ll-muted">{size} B</span>' in html
    assert '<span class="ll-muted">1.0 MB</span>' in html
    assert "<dt>ISBN</dt><dd>9787020002207</dd>" in html


def test_lecture_time_is_machine_readable_for_the_view_time_script(site: Path) -> None:
    html = read(site, "hall-2027/index.html")
    assert '<time datetime="2027-03-05T19:30:00+08:00" data-ll-when="60" data-live>' \
           "北京时间 <span data-ll-year>2027年</span><span>3月5日（周五）</span>" \
           "<span>晚上7:30</span></time>" in html
    assert '<script src="../assets/lifelong/when.js"' in html
    assert '<a href="../people/wang-yi-sheng/">王医生</a>（医生）' in html


def test_series_navigation_in_order(site: Path) -> None:
    html = read(site, "phone-2/index.html")
    assert '<a href="../phone-class/">智能手机课堂</a> · 第 2 / 3 讲' in html
    assert '<a rel="prev" href="../phone-1/">‹ 上一讲：第一讲 开机与设置</a>' in html
    assert '<a rel="next" href="../phone-3/">下一讲：第三讲 防范电信诈骗 ›</a>' in html
    series = read(site, "phone-class/index.html")
    members = re.findall(r'<li><a href="\.\./(phone-\d)/">', series)
    assert members == ["phone-1", "phone-2"]  # the first page_size members, then a link
    assert '<a href="../series/phone-class/">查看全部 3 讲 ›</a>' in series
    listing = read(site, "series/phone-class/index.html")
    assert re.findall(r'class="ll-card__link" href="\.\./\.\./(phone-\d)/"', listing) == \
        ["phone-1", "phone-2"]
    assert "phone-3" in read(site, "series/phone-class/page/2/index.html")


def test_related_entries_and_json_ld(site: Path) -> None:
    html = read(site, "phone-2/index.html")
    assert '<a class="ll-card__link" href="../lunyu/">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html).group(1))
    assert data["@type"] == "Course"
    assert data["url"] == "https://lifelong.example.org/phone-2/"
    assert data["isPartOf"]["name"] == "智能手机课堂"


def test_qr_code_points_at_the_public_address(site: Path) -> None:
    """The page carries the address; qr.js draws it (test_care_mode decodes it as shown,
    test_qr_js compares the encoder with segno's): no file per entry."""
    html = read(site, "taiji-basics/index.html")
    url = "https://lifelong.example.org/taiji-basics/"
    assert f'<div class="ll-qr__code" role="img" aria-label="本页二维码：{url}" ' \
           f'data-qr="{url}"></div>' in html
    assert '<strong class="ll-code ll-code--big">382 915</strong>' in html  # its code
    assert not (site / "qr").exists()


def test_sections_list_their_entries_paginated(site: Path) -> None:
    first = read(site, "community-education/index.html")
    assert "共 4 条，第 1–2 条" in first
    assert '<a rel="next" href="page/2/">下一页 ›</a>' in first
    second = read(site, "community-education/page/2/index.html")
    assert "共 4 条，第 3–4 条" in second
    assert '<a rel="prev" href="../../">‹ 上一页</a>' in second
    assert '<span aria-current="page">2</span>' in second
    assert '<a rel="next"' not in second
    assert not (site / "community-education/page/3").exists()


def test_section_has_featured_and_subject_tiles_with_counts(site: Path) -> None:
    html = read(site, "community-education/index.html")
    assert '<section aria-labelledby="ll-featured">' in html
    assert '<a href="health/"><span>健康养生</span> <span class="ll-tiles__count">1</span>' in html
    assert '<a href="digital-skills/"><span>数字技能</span> <span class="ll-tiles__count">3' \
           '</span>' in html
    assert "共 3 条" in read(site, "community-education/digital-skills/index.html")


def test_term_pages_and_vocabulary_indexes_with_counts(site: Path) -> None:
    index = read(site, "subjects/index.html")
    assert '<a href="digital-skills/">数字技能</a> <span class="ll-tiles__count">5</span>' in index
    assert '<a href="smartphone/">智能手机使用</a> <span class="ll-tiles__count">3</span>' in index
    parent = read(site, "subjects/digital-skills/index.html")
    assert "共 5 条" in parent
    assert "细分主题" in parent
    assert (site / "subjects/digital-skills/page/2/index.html").exists()
    assert "共 1 条" in read(site, "regions/beijing/index.html")
    assert "共 2 条" in read(site, "audiences/older-adults/index.html") or \
        "共 4 条" in read(site, "audiences/older-adults/index.html")
    people = read(site, "people/index.html")
    assert '<a href="li-xiu-lan/">李秀兰</a> <span class="ll-tiles__count">4</span>' in people
    assert "共 4 条" in read(site, "people/li-xiu-lan/index.html")
    assert '<a href="../phone-class/">智能手机课堂</a> <span class="ll-tiles__count">3</span>' \
           in read(site, "series/index.html")


def test_home_shows_sections_featured_newest_and_totals(site: Path) -> None:
    html = read(site, "index.html")
    assert '<a href="community-education/"><span class="ll-tiles__title">社区教育与老年教育' \
           '</span> <span class="ll-tiles__count">4 条</span></a>' in html
    assert '<a class="ll-card__link" href="taiji-basics/">' in html
    assert "<dt>全部内容</dt><dd>10</dd>" in html
    assert "<dt>微课</dt><dd>4</dd>" in html
    cards = r'<a class="ll-card__link" href="([^"]+)/">'
    newest = html[html.index('<section aria-labelledby="ll-newest">'):]
    newest = newest[:newest.index("</section>")]
    assert re.findall(cards, newest) == [  # the 8 newest of 10, newest first
        "hall-2027", "taiji-basics", "phone-3", "phone-2", "phone-1", "star-zhang",
        "community-lecture-hall", "phone-class"]


def test_nav_holds_sections_and_pages_only(site: Path) -> None:
    html = read(site, "lunyu/index.html")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
    assert nav is not None
    assert "全民阅读" in nav.group(0)
    assert "关于" in nav.group(0)
    assert "二十四式太极拳入门" not in nav.group(0)


def test_no_request_outside_the_site(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag, url in re.findall(r"<(script|link|img|video|audio|iframe|source)\b[^>]*?"
                                   r"\b(?:src|href)=\"([^\"]+)\"", html):
            if tag == "link" and 'rel="canonical"' in html:
                pass
            assert not re.match(r"(https?:)?//", url) or tag == "link", (page, tag, url)
        assert "fonts.googleapis" not in html
        assert "fonts.gstatic" not in html


def test_nav_size_does_not_grow_with_the_number_of_entries(tmp_path: Path) -> None:
    sizes = []
    for count in (3, 30):
        entries = [course(f"c{i:03d}", subjects=["exercise", "tcm"][i % 2:][:1])
                   for i in range(count)]
        site = build_site(write_project(tmp_path / str(count), entries))
        html = read(site, "c000/index.html")
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
        assert nav is not None
        sizes.append(len(nav.group(0)))
    assert sizes[0] == sizes[1]


def test_metadata_is_escaped_everywhere(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>&<b>"
    entries = [course("xss", title=evil, summary=f"摘要{evil}", title_en=evil,
                      teachers=[evil], tags=[evil])]
    site = build_site(write_project(tmp_path, entries))
    for path in ["xss/index.html", "index.html", "community-education/index.html"]:
        html = read(site, path)
        assert "<script>alert(1)" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&lt;b&gt;" in html, path
    page = read(site, "xss/index.html")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;&amp;&lt;b&gt; - 终身学习资源目录</title>" \
           in page
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert jsonld is not None
    assert "<" not in jsonld.group(1)
    assert json.loads(jsonld.group(1))["name"] == evil


def test_drafts_are_not_published(tmp_path: Path) -> None:
    entries = [course("live-one"), course("secret", draft=True)]
    site = build_site(write_project(tmp_path, entries))
    assert (site / "live-one/index.html").exists()
    assert not (site / "secret").exists()
    assert not (site / "courses/secret").exists()
    assert "secret" not in read(site, "community-education/index.html")


def test_same_input_same_bytes(tmp_path: Path) -> None:
    def digest(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    config = write_project(tmp_path, one_of_each())
    first = digest(build_site(config))
    second = digest(build_site(config))
    assert first == second


def test_without_directory_urls_links_end_in_html(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, one_of_each(),
                                    mkdocs={"use_directory_urls": False}))
    html = read(site, "phone-2.html")
    assert '<a rel="next" href="phone-3.html">' in html
    assert '<a href="subjects/smartphone/index.html">智能手机使用</a>' in html
    listing = read(site, "community-education/page/2/index.html")
    assert '<a class="ll-card__link" href="../../../phone-2.html">' in listing or \
        'href="../../../' in listing


def test_english_interface(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, one_of_each(), plugin={"language": "en"}))
    html = read(site, "phone-3/index.html")
    assert "<dt>Duration</dt><dd>18 min</dd>" in html
    assert '<a href="../subjects/online-safety/">Online safety and fraud prevention</a>' in html
    assert "Scan to learn" in html


def test_generated_address_taken_by_a_page_is_an_error(tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    config = write_project(tmp_path, one_of_each())
    (tmp_path / "content" / "people.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(config)
    assert "content/people.md: this page's address is generated by the catalogue " \
           "('主讲人与作者'); rename or remove the file" in caplog.text


def test_catalogue_problems_fail_the_build_with_every_problem(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = write_project(tmp_path, [course("a", subjects=["helth"]),
                                      course("b", published="2024-02-30")])
    with pytest.raises(Abort):
        build_site(config)
    message = caplog.text
    assert "content/courses/a.md" in message
    assert "unknown term 'helth' in subjects; did you mean 'health' (健康养生)?" in message
    assert "content/courses/b.md:" in message
    assert "2024-02-30 is not a real date" in message


def test_the_shipped_sample_builds_strict_without_warnings(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from sitekit import REPO

    site = build_site(REPO / "mkdocs.yml", site_dir=str(tmp_path / "site"))
    assert [r.getMessage() for r in caplog.records if r.levelname != "INFO"] == []
    for kind_page in ["index.html", "reading/index.html", "lecture-hall/index.html",
                      "public-lectures/index.html", "live/index.html", "stars/index.html",
                      "projects/index.html", "community-education/page/2/index.html"]:
        assert (site / kind_page).is_file(), kind_page


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_failing_outputs_step_fails_the_build(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture,
                                                rebuild: bool) -> None:
    """In a first build (the outputs in processes of their own) and in a rebuild (in the
    second process)."""
    from lifelong.build.catalogue_site import CatalogueSite

    monkeypatch.setattr(CatalogueSite, "has_earlier_build", lambda self, site_dir: rebuild)
    # A folder the cache does not know is emptied before a first build: not this obstacle.
    monkeypatch.setattr("lifelong.build.site_build.empty_folder", lambda folder: 0)
    config = write_project(tmp_path, one_of_each())
    (tmp_path / "site" / "version.js").mkdir(parents=True)  # where the file goes
    with pytest.raises(Abort):
        build_site(config, dirty=True)  # MkDocs leaves the site folder as it is
    assert re.search(r"could not write the catalogue outputs: \S+/site/version\.js: Is a "
                     r"directory", caplog.text)


def test_pages_lose_the_themes_indentation_but_not_preformatted_text(tmp_path: Path) -> None:
    entries = [course("code", summary="示例")]
    config = write_project(tmp_path, entries)
    path = tmp_path / "content" / "courses" / "code.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "正文第一段。", "正文。\n\n    line one\n        indented\n"), encoding="utf-8")
    site = build_site(config)
    html = read(site, "code/index.html")
    assert "\n  " not in re.sub(r"<(pre|script)\b.*?</\1>", "", html, flags=re.S)
    assert "<pre><code>line one\n    indented\n</code></pre>" in html


def test_a_broken_template_is_a_clear_error_not_a_traceback(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:

    from sitekit import THEME

    # A site's override (custom_dir) of a packaged template that names one that is missing.
    overrides = tmp_path / "overrides"
    (overrides / "lifelong").mkdir(parents=True)
    (overrides / "lifelong" / "search.html").write_text(
        '{% include "lifelong/missing.html" %}'
        + (THEME / "lifelong" / "search.html").read_text(encoding="utf-8"), encoding="utf-8")
    config = write_project(tmp_path / "p", one_of_each(), mkdocs={"theme": {
        "name": "material", "custom_dir": str(overrides), "language": "zh", "font": False}})
    with pytest.raises(Abort):
        build_site(config)
    assert "search/index.html: the catalogue template failed: " in caplog.text
    assert "TemplateNotFound: 'lifelong/missing.html' not found" in caplog.text


def test_the_copy_of_lunr_js_keeps_its_code_and_licence(site: Path) -> None:
    import subprocess

    import mkdocs

    source = Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js"
    copy = read(site, "search/lunr.js")
    assert copy.startswith("/**\n * lunr - http://lunrjs.com")
    assert "@license MIT" in copy
    assert len(copy) < len(source.read_text(encoding="utf-8")) * 0.6
    script = ("const l = require(process.argv[1]); const p = new l.Pipeline();"
              "p.add(l.trimmer, l.stopWordFilter, l.stemmer);"
              "console.log(p.run(l.tokenizer('The runners were running')).map(String).join(' '))")
    out = subprocess.run(["node", "-e", script, str(site / "search/lunr.js")], check=True,
                         capture_output=True, text=True).stdout
    assert out == "runner run\n"


def test_relative_links_in_a_description_follow_the_entry_to_its_page(tmp_path: Path) -> None:
    """A description links files beside its source (content/reading/...); its page lives
    at /<id>/, so the links are rewritten, as MkDocs does for its own pages."""
    entries = one_of_each()
    lunyu = next(e for e in entries if e["id"] == "lunyu")
    config = write_project(tmp_path, entries)
    path = tmp_path / "content" / "reading" / "lunyu.md"
    text = path.read_text(encoding="utf-8").replace(
        "正文第一段。", "[全文](files/lunyu.html#p1) · [太极](../courses/taiji-basics.md) · "
        "![封面](../courses/covers/taiji.svg)")
    path.write_text(text, encoding="utf-8")
    assert lunyu["kind"] == "ebook"
    html = read(build_site(config), "lunyu/index.html")
    assert '<a href="../reading/files/lunyu.html#p1">全文</a>' in html
    assert '<a href="../taiji-basics/">太极</a>' in html
    assert '<img alt="封面" src="../courses/covers/taiji.svg">' in html


def test_a_page_whose_own_text_looks_like_a_held_card_block(tmp_path: Path) -> None:
    # A listing's cards are kept out of its whitespace squeeze behind a mark and put back
    # after it; a series whose title looks like that mark is drawn the plain way.
    marks = "\ue0020\ue003\ue002"
    entries = [{"kind": "series", "id": "odd-series", "title": f"系列{marks}",
                "summary": "一个系列。", "organiser": "社区学院", "subjects": ["smartphone"],
                "published": "2024-01-01"},
               course("member", series="odd-series", series_order=1,
                      published="2024-01-02")]
    site = build_site(write_project(tmp_path, entries))
    html = read(site, "series/odd-series/index.html")
    assert f"<h1 data-ll-read>系列{marks}</h1>" in html
    assert '<a class="ll-card__link" href="../../member/">' in html
    assert html.count('class="ll-card ') == 1


def test_a_card_drawn_once_links_right_from_every_page(tmp_path: Path) -> None:
    # Cards are drawn once per build and their links filled in per page: the same card on
    # pages at three depths, and an entry whose own title looks like the marks used for that.
    marks = "\ue0000\ue001\ue000"
    entries = [course("taiji-basics", cover="covers/taiji.svg", featured=True),
               course("odd-title", title=f"标题{marks}", published="2024-03-13")]
    site = build_site(write_project(tmp_path, entries))
    for path, up in [("index.html", ""), ("community-education/index.html", "../"),
                     ("subjects/exercise/index.html", "../../")]:
        html = read(site, path)
        assert f'<a class="ll-card__link" href="{up}taiji-basics/">' in html, path
        assert f'<img src="{up}courses/covers/taiji.svg"' in html, path
        assert f'<a class="ll-card__link" href="{up}odd-title/">' in html, path
        assert f'<span class="ll-card__title">标题{marks}</span>' in html, path


@pytest.mark.parametrize("limit", [3, 50_000])
def test_the_sitemap_lists_every_page_once(tmp_path: Path, limit: int) -> None:
    """The theme's pages then the catalogue's, each dated by what it shows (never the day
    of the build); past the limit of a sitemap file, numbered parts and an index."""
    from lifelong.site import sitemap

    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n<url>\n  <loc>https://x.org/</loc>'
        '\n</url>\n<url>\n  <loc>https://x.org/about/</loc>\n</url>\n</urlset>\n',
        encoding="utf-8")
    (tmp_path / "sitemap-9.xml").write_text("old part", encoding="utf-8")
    urls = ["a/", "b/", "c/", "d%20e/", "f/"]
    sitemap.extend_sitemap(tmp_path, "https://x.org", urls,
                           ["2026-01-02", "2026-01-02", "", "2025-05-05", "2026-01-02"],
                           {"about/": "2025-12-31"}, "2026-01-03", limit=limit)
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    parts = sorted(tmp_path.glob("sitemap-*.xml"))
    if limit == 3:
        assert [p.name for p in parts] == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
        assert re.findall(r"<loc>(.*?)</loc>", index) == [
            f"https://x.org/sitemap-{n}.xml" for n in (1, 2, 3)]
        text = "".join(p.read_text(encoding="utf-8") for p in parts)
    else:
        assert parts == []
        text = index
    assert re.findall(r"<loc>(.*?)</loc>", text) == [
        "https://x.org/", "https://x.org/about/", *(f"https://x.org/{u}" for u in urls)]
    assert re.findall(r"<loc>https://x.org/(.*?)</loc>(?:\s*<lastmod>(.*?)</lastmod>)?", text) == [
        ("", "2026-01-03"), ("about/", "2025-12-31"), ("a/", "2026-01-02"), ("b/", "2026-01-02"),
        ("c/", ""), ("d%20e/", "2025-05-05"), ("f/", "2026-01-02")]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_hand_written_page_links_to_an_entry_file(tmp_path: Path,
                                                    directory_urls: bool) -> None:
    """MkDocs resolves the link to the entry's source to the entry's page (strict: no
    warning that the target is not found)."""
    config = write_project(tmp_path, one_of_each(),
                           mkdocs={"use_directory_urls": directory_urls})
    (tmp_path / "content" / "about.md").write_text(
        "---\ntitle: 关于\n---\n请看[太极](courses/taiji-basics.md#start)。\n", encoding="utf-8")
    site = build_site(config)
    if directory_urls:
        assert '<a href="../taiji-basics/#start">太极</a>' in read(site, "about/index.html")
    else:
        assert '<a href="taiji-basics.html#start">太极</a>' in read(site, "about.html")


# -- people's addresses -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "slug"), [
    ("王医生", "wang-yi-sheng"), ("孔子", "kong-zi"), ("阿依古丽·买买提", "a-yi-gu-li-mai-mai-ti"),
    ("Confucius", "confucius"), ("James Legge", "james-legge"), ("José Martí", "jose-marti"),
    ("Sun Yat-sen", "sun-yat-sen"), ("Лев Толстой", "lev-tolstoy"), ("李 Lily", "li-lily"),
])
def test_people_get_readable_addresses_in_any_script(name: str, slug: str) -> None:
    from lifelong.catalogue.model import person_slug

    assert person_slug(name) == slug


def test_the_sample_people_keep_their_addresses_but_the_letter_by_letter_ones() -> None:
    """Before 2026-12 every letter of a name was a word of its own (Confucius ->
    c-o-n-f-u-c-i-u-s): those names alone get new addresses; everyone else keeps theirs."""
    from pypinyin import lazy_pinyin

    from lifelong.build.loading import load_catalogue
    from lifelong.catalogue.model import former_person_slug
    from sitekit import REPO

    def before(name: str) -> str:  # the old algorithm, as it was
        text = "-".join(w.lower() for w in lazy_pinyin(name, errors=list))
        return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48].strip("-")

    people = load_catalogue(REPO / "content", REPO / "catalogue").people
    changed = {p.name: (before(p.name), p.slug) for p in people if before(p.name) != p.slug}
    assert changed == {"James Legge": ("j-a-m-e-s-l-e-g-g-e", "james-legge"),
                       "Confucius": ("c-o-n-f-u-c-i-u-s", "confucius"),
                       "Emily Zhang": ("e-m-i-l-y-z-h-a-n-g", "emily-zhang"),
                       "Margaret Ellison": ("m-a-r-g-a-r-e-t-e-l-l-i-s-o-n", "margaret-ellison"),
                       # two teachers are named 王芳: the later (by date, then id) is at her id
                       "王芳": ("wang-fang", "wang-fang-shanghai")}
    assert len(people) > 30
    assert all(former_person_slug(p.name) in (None, before(p.name)) for p in people)


def test_an_old_letter_by_letter_address_leads_to_the_new_one(
        tmp_path: Path) -> None:
    legge = {"kind": "ebook", "id": "analects-en", "title": "论语（英译本）",
             "summary": "理雅各的英译本。", "subjects": ["classics"], "published": "2022-06-01",
             "authors": ["James Legge", "José Martí"]}
    site = build_site(write_project(tmp_path, [*one_of_each(), legge],
                                    mkdocs={"site_url": "https://example.org/ll/"}))
    page = read(site, "people/james-legge/index.html")
    assert "<h1 data-ll-read>James Legge</h1>" in page
    assert '<a href="../people/james-legge/">James Legge</a>' in read(site,
                                                                     "analects-en/index.html")
    moved = read(site, "people/j-a-m-e-s-l-e-g-g-e/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../james-legge/">' in moved
    assert '<link rel="canonical" href="https://example.org/ll/people/james-legge/">' in moved
    assert '<meta name="robots" content="noindex">' in moved
    assert '<a href="../james-legge/">James Legge</a>' in moved
    assert (site / "people/jose-marti/index.html").is_file()
    assert (site / "people/j-o-s-m-a-r-t/index.html").is_file()
    moved_pages = sorted(page.parent.name for page in site.glob("people/*/index.html")
                         if 'http-equiv="refresh"' in page.read_text(encoding="utf-8"))
    assert moved_pages == ["j-a-m-e-s-l-e-g-g-e", "j-o-s-m-a-r-t"]  # Chinese names: none
    sitemap = read(site, "sitemap.xml")
    assert "people/james-legge/" in sitemap
    assert "j-a-m-e-s" not in sitemap


def test_the_people_and_series_indexes_are_paged_by_address_with_initials(
        tmp_path: Path, site: Path) -> None:
    """At 90,000 entries the catalogue names about 8,000 people and 360 series: the indexes
    come in pages (each under 50 KB), people in the order of their addresses (pinyin), with a
    link to the page and the name where each initial starts."""
    from lifelong.build.loading import load_catalogue
    from lifelong.site.pages import SitePlan

    write_project(tmp_path, one_of_each())
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    pages = {p.path: p for p in SitePlan(catalogue, people_page=2, series_page=1).pages()}
    slugs = sorted(p.slug for p in catalogue.people)
    count = -(-len(slugs) // 2)
    people = [pages["people" + (f"/page/{n}" if n > 1 else "")] for n in range(1, count + 1)]
    assert [p.slug for page in people for p in page.context["entries"]] == slugs
    assert f"people/page/{count + 1}" not in pages
    initials = dict(people[0].context["initials"])
    assert list(initials) == sorted({s[0] for s in slugs})
    for initial, number in initials.items():  # the page where the initial starts
        on = [[p.slug[0] for p in page.context["entries"]] for page in people]
        assert initial in on[number - 1]
        assert all(initial not in earlier for earlier in on[:number - 1])
    series = [pages["series"], pages["series/page/2"]]
    assert [row[0].id for page in series for row in page.context["entries"]] == [
        "phone-class", "community-lecture-hall"]  # by title: 智能手机课堂, 网上社区教育大讲堂
    assert "series/page/3" not in pages
    html = read(site, "people/index.html")
    assert '<nav class="ll-initials" aria-label="按拼音首字母"><ul>' in html
    assert '<li><a href="./#ll-initial-l">L</a></li>' in html
    assert '<li id="ll-initial-l"><a href="li-xiu-lan/">李秀兰</a>' in html
