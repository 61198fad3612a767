"""Teachers, centres, activities and marks (issue 22) on a tiny site built for real: the
profiles and the person pages that lead to them, centres and what is held there, the
directories with their counts, the badges and listings of marks, and a contact kept private
that no file of the site holds."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from sitekit import (
    PRIVATE_PHONE,
    build_site,
    course,
    one_of_each,
    people_and_places,
    read,
    write_project,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("people-and-places")
    return build_site(write_project(root, [*one_of_each(), *people_and_places()]))


def content_of(site: Path, path: str) -> str:
    """The page's content (what the catalogue draws), without the theme around it."""
    html = read(site, path)
    start = html.index('<article class="md-content__inner')
    return html[start:html.rindex("</article>")]


def rows(html: str) -> dict[str, str]:
    """The details panel: label -> value, tags taken out."""
    found = re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", html, re.S)
    return {label: re.sub(r"<[^>]+>", "", value) for label, value in found}


# -- profiles ---------------------------------------------------------------------------------

def test_a_teacher_is_a_profile_of_who_they_are_and_all_they_are_on(site: Path) -> None:
    page = content_of(site, "li-xiu-lan-t/index.html")
    assert '<h1 data-ll-read>李秀兰</h1>' in page
    assert rows(page) | {"发布日期": ""} == {
        "身份": "教师、志愿者", "所在单位": "杭州市西湖区社区学院", "授课语言": "普通话",
        "方言": "杭州话", "参加社区分享活动": "是", "分享活动地区": "浙江、上海",
        "联系方式": "0571-8888-1234 · lixiulan@example.org", "学科主题": "运动健身",
        "地区": "浙江", "语言": "普通话", "发布日期": ""}
    assert '<div class="ll-body" data-ll-read><p>正文第一段。</p></div>' in page  # the bio
    # The courses naming her, newest first; her activity, to be sorted on the device.
    courses = page[page.index('id="ll-on-course"'):page.index('id="ll-activities"')]
    assert re.findall(r'href="\.\./([a-z0-9-]+)/"', courses) == [
        "baduanjin-daily", "taiji-basics", "phone-3", "phone-2", "phone-1"]
    assert '<h2 id="ll-on-course">微课 <span class="ll-tiles__count">5</span></h2>' in page
    events = page[page.index('id="ll-activities"'):]
    assert '<div class="ll-schedule" data-ll-split>' in events
    assert re.findall(r'<li data-ll-read><a href="../([a-z-]+)/">', events) == ["taiji-sharing"]
    assert "社区分享活动 · 西湖区社区教育指导服务中心 · 李秀兰、王芳</p>" in events
    assert 'src="../assets/lifelong/when.js"' in events
    assert "people/li-xiu-lan/all" not in page  # all of it fits on the profile


def test_the_person_page_of_a_teacher_leads_to_the_profile(site: Path) -> None:
    moved = read(site, "people/li-xiu-lan/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../../li-xiu-lan-t/">' in moved
    assert '<link rel="canonical" href="https://lifelong.example.org/li-xiu-lan-t/">' in moved
    assert '<a href="../../li-xiu-lan-t/">李秀兰</a>' in moved
    assert "people/li-xiu-lan/" not in read(site, "sitemap.xml")
    # Names on entries lead to the profile; a name that is no teacher's, to the person page.
    assert '<a href="../li-xiu-lan-t/">李秀兰</a>' in read(site, "taiji-basics/index.html")
    assert '<a href="../people/wang-yi-sheng/">王医生</a>' in read(site, "hall-2027/index.html")
    index = content_of(site, "people/index.html")
    assert '<a href="../li-xiu-lan-t/">李秀兰</a> <span class="ll-muted">教师、志愿者 · ' \
        '杭州市西湖区社区学院</span>' in index
    assert '<a href="wang-yi-sheng/">王医生</a>' in index


def test_two_teachers_of_one_name_are_two_profiles(site: Path) -> None:
    activity = rows(content_of(site, "taiji-sharing/index.html"))
    assert activity["分享人"] == "李秀兰、王芳"
    assert '<a href="../wang-fang-doctor/">王芳</a>' in read(site, "taiji-sharing/index.html")
    assert '<a href="../wang-fang-artisan/">王芳</a>' in read(site,
                                                            "embroidery-sharing/index.html")
    index = content_of(site, "people/index.html")
    assert re.findall(r'<a href="../(wang-fang-[a-z]+)/">王芳</a>', index) == [
        "wang-fang-doctor", "wang-fang-artisan"]
    # Each keeps an address of their own, leading to their profile.
    for slug, teacher in (("wang-fang", "wang-fang-doctor"),
                          ("wang-fang-artisan", "wang-fang-artisan")):
        assert f'url=../../{teacher}/">' in read(site, f"people/{slug}/index.html")
    artisan = content_of(site, "wang-fang-artisan/index.html")
    assert "苏绣体验课" in artisan
    assert "太极拳进社区" not in artisan
    # A book naming her by id: on her profile, and everywhere with her name.
    assert '<h2 id="ll-on-ebook">电子书 <span class="ll-tiles__count">1</span></h2>' in artisan
    assert 'href="../suzhou-embroidery/"' in artisan
    book = content_of(site, "suzhou-embroidery/index.html")
    assert rows(book)["作者"] == "王芳"
    assert '<a href="../wang-fang-artisan/">王芳</a>' in book
    feed = read(site, "feeds/atom.xml")
    entry = feed[feed.index("entry/suzhou-embroidery"):]
    assert "<author><name>王芳</name></author>" in entry[:entry.index("</entry>")]


def test_a_profile_with_more_than_it_shows_links_the_whole_list(tmp_path: Path) -> None:
    from lifelong.build.loading import load_catalogue
    from lifelong.site.pages import PROFILE_SHOWN, SitePlan

    many = [course(f"lesson-{n}", published=f"2024-02-{n + 1:02d}") for n in range(PROFILE_SHOWN)]
    write_project(tmp_path, [*one_of_each(), *people_and_places(), *many])
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    plan = SitePlan(catalogue, page_size=4)
    profile = plan.profile(catalogue.by_id["li-xiu-lan-t"])
    assert [(kind, len(shown), count) for kind, shown, count in profile.groups] == [
        ("course", PROFILE_SHOWN, PROFILE_SHOWN + 5)]
    assert profile.all == "people/li-xiu-lan/all"
    pages = {page.path: page for page in plan.pages()}
    assert pages["people/li-xiu-lan"].template == "moved.html"
    assert pages["people/li-xiu-lan/all"].title == "李秀兰参与的全部内容"
    listed = [*pages["people/li-xiu-lan/all"].context["entries"],
              *pages["people/li-xiu-lan/all/page/2"].context["entries"]]
    assert len({e.id for e in listed}) == 8  # 4 a page, newest first
    assert "people/wang-fang/all" not in pages


def test_the_events_a_page_draws_are_the_nearest_to_the_catalogues_date(
        tmp_path: Path) -> None:
    from lifelong.build.loading import load_catalogue
    from lifelong.site.pages import SitePlan

    held = [{"kind": "activity", "id": f"visit-{n}", "title": f"第 {n} 次走进社区",
             "summary": "分享。", "subjects": ["health"], "published": "2026-06-20",
             "teachers": ["李秀兰"], "centre": "xihu-centre", "duration_minutes": 60,
             "starts": f"2026-{n:02d}-10T09:00:00+08:00"} for n in range(1, 13)]
    centre = {**people_and_places()[3], "follows": [], "sections": []}
    write_project(tmp_path, [*people_and_places()[:3], centre, *held])
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    assert str(catalogue.date) == "2026-06-20"
    plan = SitePlan(catalogue)
    events = catalogue.held_at["xihu-centre"]
    # From two weeks before the catalogue's date (June 10th on), soonest first; then, with
    # room left, the latest before.
    assert [e.id for e in plan.nearest(events, 3)] == ["visit-6", "visit-7", "visit-8"]
    assert [e.id for e in plan.nearest(events, 9)] == [f"visit-{n}" for n in range(4, 13)]
    assert plan.nearest(events) == events  # all of them, while they fit


# -- centres and activities -------------------------------------------------------------------

def test_a_centre_says_where_and_when_and_lists_what_is_held_there(site: Path) -> None:
    page = content_of(site, "xihu-centre/index.html")
    assert rows(page) | {"发布日期": ""} == {
        "类型": "社区教育指导服务中心", "城市": "浙江 杭州市 西湖区", "地址": "文三路 100 号",
        "开放时间": "周一至周五 8:30–17:00周六 9:00–12:00", "电话": "0571-8700-0000",
        "坐标": "北纬 30.2741°，东经 120.1551°", "服务内容": "太极拳、智能手机课",
        "参与系列": "网上社区教育大讲堂", "参与栏目": "社区教育与老年教育", "学科主题": "文化传承",
        "省份": "浙江", "语言": "普通话", "发布日期": ""}
    assert '<a href="../centres/type/guidance-centre/">社区教育指导服务中心</a>' in page
    assert '<a href="../centres/zhejiang/">浙江 杭州市 西湖区</a>' in page
    assert '<a href="../community-lecture-hall/">网上社区教育大讲堂</a>' in page
    assert "<iframe" not in page
    assert "tile" not in page.lower().replace("ll-tiles__count", "")  # no map tiles
    held = page[page.index('id="ll-held"'):]
    assert '<div class="ll-schedule" data-ll-split>' in held
    assert re.findall(r'<li data-ll-read><a href="../([a-z-]+)/">', held) == [
        "taiji-sharing", "xihu-falls"]  # by start: an activity, then a lecture
    assert '<a href="../taiji-sharing/">太极拳进社区</a><p><time ' \
        'datetime="2027-03-06T09:30:00+08:00" data-ll-when="90">' in held
    assert "<p class=\"ll-muted\">讲座 · 线下 · 王芳</p>" in held
    lecture = content_of(site, "xihu-falls/index.html")
    assert rows(lecture)["举办地"] == "西湖区社区教育指导服务中心 浙江 杭州市"
    assert '<a href="../wang-fang-doctor/">王芳</a>（医生）' in lecture


def test_an_activity_says_who_shares_where_and_when(site: Path) -> None:
    page = content_of(site, "taiji-sharing/index.html")
    assert '<time datetime="2027-03-06T09:30:00+08:00" data-ll-when="90">' in page
    assert rows(page)["举办地"] == "西湖区社区教育指导服务中心 浙江 杭州市"
    assert '<a href="../xihu-centre/">西湖区社区教育指导服务中心</a>' in page
    assert rows(page)["场地"] == "一楼活动室"
    assert rows(page)["地址"] == "文三路 100 号"
    section = content_of(site, "community-sharing/index.html")
    assert re.findall(r'class="ll-card__link" href="../([a-z-]+)/"', section) == [
        "taiji-sharing", "embroidery-sharing"]  # the latest first


# -- directories ------------------------------------------------------------------------------

def tiles(html: str, heading: str) -> list[tuple[str, str, str]]:
    part = html[html.index(f">{heading}</h2>"):]
    part = part[:part.index("</ul>")]
    return re.findall(r'<a href="([^"]+)"><span>([^<]+)</span> <span class="ll-tiles__count">'
                      r'(\d+)</span></a>', part)


def test_the_centres_directory_counts_by_province_and_type(site: Path) -> None:
    index = content_of(site, "centres/index.html")
    assert "共 2 个社区教育指导服务中心" in index
    assert tiles(index, "按地区") == [("jiangsu/", "江苏", "1"), ("zhejiang/", "浙江", "1")]
    assert tiles(index, "按学习中心类型") == [
        ("type/guidance-centre/", "社区教育指导服务中心", "1"),
        ("type/senior-university/", "老年大学", "1")]
    province = content_of(site, "centres/zhejiang/index.html")
    assert "<h1 data-ll-read>学习中心 · 浙江</h1>" in province
    assert '<h2 data-ll-read>杭州市</h2><ul class="ll-directory">\n<li><a href=' \
        '"../../xihu-centre/">西湖区社区教育指导服务中心</a>' in province
    assert '<span class="ll-muted">文三路 100 号</span>' in province
    kind = content_of(site, "centres/type/senior-university/index.html")
    assert '<h2 data-ll-read>江苏</h2>' in kind
    assert "苏州市老年大学" in kind
    assert "西湖区" not in kind


def test_a_directory_page_is_paged_by_group_then_name(tmp_path: Path) -> None:
    from lifelong.build.loading import load_catalogue
    from lifelong.site.pages import SitePlan

    centre = people_and_places()[4]  # 苏州市老年大学, in Jiangsu
    more = [{**centre, "id": f"centre-{n}", "title": title, "city": city}
            for n, (title, city) in enumerate([("无锡老年大学", "无锡市"), ("常州老年大学", "常州市"),
                                                ("昆山社区学院", "苏州市")])]
    write_project(tmp_path, [*one_of_each(), *people_and_places(), *more])
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    pages = {p.path: p for p in SitePlan(catalogue, directory_page=3).pages()}
    jiangsu = [[(group, e.title) for group, e in pages[path].context["entries"]]
               for path in ("centres/jiangsu", "centres/jiangsu/page/2")]
    assert jiangsu == [[("常州市", "常州老年大学"), ("苏州市", "昆山社区学院"),
                        ("苏州市", "苏州市老年大学")], [("无锡市", "无锡老年大学")]]
    assert "centres/jiangsu/page/3" not in pages
    assert pages["centres/jiangsu/page/2"].title == "学习中心 · 江苏 · 第 2 页"
    assert pages["centres"].context["tiles"][0][2][0][1] == 4  # Jiangsu: 4 centres


def test_the_teachers_directory_counts_by_province_and_role(site: Path) -> None:
    index = content_of(site, "teachers/index.html")
    assert tiles(index, "按地区") == [("jiangsu/", "江苏", "1"), ("zhejiang/", "浙江", "2")]
    assert tiles(index, "按主讲人身份") == [
        ("role/doctor/", "医生", "1"), ("role/artisan/", "工匠", "1"),
        ("role/ich-inheritor/", "非遗传承人", "1"), ("role/teacher/", "教师", "1"),
        ("role/volunteer/", "志愿者", "1")]
    zhejiang = content_of(site, "teachers/zhejiang/index.html")
    assert re.findall(r'<li><a href="../../([a-z-]+)/">', zhejiang) == [
        "li-xiu-lan-t", "wang-fang-doctor"]  # by pinyin: li, wang
    assert "<h2" not in zhejiang
    assert PRIVATE_PHONE not in zhejiang
    nav = read(site, "index.html")
    for path, title in (("teachers/", "师资与志愿者库"), ("centres/", "学习中心"),
                        ("marks/", "评选荣誉")):
        assert f'<a class="md-nav__link" href="{path}">{title}</a>' in nav
        assert f'<a href="{path}">{title}</a>' in content_of(site, "index.html")


# -- marks ------------------------------------------------------------------------------------

def test_marks_show_as_badges_on_cards_and_on_the_entry(site: Path) -> None:
    badges = ('<span class="ll-badge ll-badge--mark">2024 优秀微课</span> <span class="ll-badge '
              'll-badge--mark">2025 适老化优秀课程</span>')
    assert badges in content_of(site, "community-education/index.html")  # a card
    page = content_of(site, "baduanjin-daily/index.html")
    assert badges in page
    assert rows(page)["评选荣誉"] == (
        "2024 优秀微课评选单位：国家开放大学评分 92.5动作讲解清楚，节奏适合老年人。"
        "2025 适老化优秀课程评选单位：国家老年大学")
    assert '<a href="../marks/outstanding-micro-course/2024/">2024 优秀微课</a>' in page
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                  read(site, "baduanjin-daily/index.html")).group(1))
    assert jsonld["award"] == ["2024 优秀微课", "2025 适老化优秀课程"]


def test_each_standard_and_year_has_a_listing_with_its_criteria(site: Path) -> None:
    index = content_of(site, "marks/index.html")
    assert re.findall(r'<h2 id="ll-standard-[a-z-]+">([^<]+) <span class="ll-tiles__count">'
                      r'(\d+) 条</span>', index) == [
        ("优秀微课", "1"), ("适老化优秀课程", "1"), ("终身学习品牌项目", "0")]
    assert '<a href="outstanding-micro-course/2024/"><span>2024 年度优秀微课</span> ' \
        '<span class="ll-tiles__count">1</span></a>' in index
    year = content_of(site, "marks/outstanding-micro-course/2024/index.html")
    assert "<h1 data-ll-read>2024 年度优秀微课</h1>" in year
    assert '<li><a href="../../">评选荣誉</a></li>\n<li><a href="../">优秀微课</a></li>' in year
    assert re.findall(r"<li>([^<]+?)(?: <span class=\"ll-muted\">（目录自动核对）</span>)?</li>",
                      year[year.index('<ol class="ll-criteria">'):]) [:5] == [
        "时长 5 至 20 分钟", "简介 20 至 200 字", "提供视频或音频", "内容科学准确、导向正确、贴近生活",
        "教学设计合理，讲解清楚"]
    assert year.count("（目录自动核对）") == 3
    assert 'href="../../../baduanjin-daily/"' in year
    standard = content_of(site, "marks/elder-friendly/index.html")
    assert "<h1 data-ll-read>适老化优秀课程</h1>" in standard
    assert "配有字幕" in standard
    assert '<a href="2025/"><span>2025 年度适老化优秀课程</span>' in standard
    assert not (site / "marks" / "brand-project").exists()  # nothing marked by it


# -- contacts ---------------------------------------------------------------------------------

def test_a_contact_kept_private_is_in_no_file_of_the_site(site: Path) -> None:
    """Pages, JSON-LD, search, feeds, OPDS, calendars and data for partner apps: a phone
    number and an e-mail address the entry keeps private are nowhere, compressed or not."""
    secrets = [PRIVATE_PHONE, "wangfang@example.org"]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 100
    found = []
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        found += [(path.relative_to(site).as_posix(), s) for s in secrets
                  if s.encode() in data or json.dumps(s).encode() in data]
    assert found == []
    # Her page says she shares in the community, with no contact; the public one's is shown.
    assert "联系方式" not in rows(content_of(site, "wang-fang-doctor/index.html"))
    lines = {json.loads(line)["id"]: json.loads(line)
             for line in read(site, "data/teacher.jsonl").splitlines()}
    assert "contact" not in lines["wang-fang-doctor"]
    assert lines["li-xiu-lan-t"]["contact"] == {
        "phone": "0571-8888-1234", "email": "lixiulan@example.org", "public": True}
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>',
                       read(site, "li-xiu-lan-t/index.html")).group(1)
    assert json.loads(jsonld)["telephone"] == "0571-8888-1234"


def test_a_retitled_centre_or_teacher_is_redrawn_where_it_is_shown(tmp_path: Path) -> None:
    from test_rebuild import edit_entry

    config = write_project(tmp_path, [*one_of_each(), *people_and_places()])
    site = build_site(config)
    edit_entry(tmp_path, "centres/xihu-centre.md", lambda m, b: ({**m, "title": "西湖学习中心"}, b))
    edit_entry(tmp_path, "teachers/wang-fang-doctor.md",
               lambda m, b: ({**m, "title": "王芳芳"}, b))
    build_site(config, dirty=True)
    activity = read(site, "taiji-sharing/index.html")
    assert '<a href="../xihu-centre/">西湖学习中心</a>' in activity
    assert '<a href="../wang-fang-doctor/">王芳芳</a>' in activity
    assert "西湖学习中心 · 李秀兰、王芳芳</p>" in read(site, "li-xiu-lan-t/index.html")
    clean = build_site(config, site_dir=str(tmp_path / "clean"))

    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    assert digest(site) == digest(clean)


def test_an_english_site_says_it_in_english(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, [*one_of_each(), *people_and_places()],
                                    mkdocs={"theme": {"name": "material", "language": "en",
                                                      "font": False}}))
    centre = rows(content_of(site, "xihu-centre/index.html"))
    assert centre["Coordinates"] == "30.2741° N, 120.1551° E"
    assert "<h1 data-ll-read>Outstanding micro-courses of 2024</h1>" in content_of(
        site, "marks/outstanding-micro-course/2024/index.html")
    assert "Outstanding micro-course 2024</span>" in content_of(site, "baduanjin-daily/index.html")
    assert "<h1 data-ll-read>Learning centres</h1>" in content_of(site, "centres/index.html")
