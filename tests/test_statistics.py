"""The statistics page (数据统计): its figures, its charts and map as SVG (read with a real XML
parser), the tables of their numbers, a site's own outline of the provinces, and the page in
a tiny site. The page in Chromium at a phone's width: test_statistics_browser.py."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import RESERVED_NAMES, Catalogue
from lifelong.catalogue.problems import CatalogueError
from lifelong.site.charts import (
    Chart,
    Row,
    catalogue_statistics,
    text_ems,
    wrap,
    year_marks,
)
from lifelong.site.pages import SitePlan
from lifelong.site.provmap import (
    GRID_COLUMNS,
    GRID_ROWS,
    OUTLINE_BUDGET,
    TILES,
    Outline,
    province_map,
    read_outline,
    shade_scale,
)
from lifelong.site.render import Renderer
from lifelong.site.urls import UrlScheme
from sitekit import THEME, build_site, course, one_of_each, read, write_project

#: Centres by province: the counts the map shades (四川 most, 北京 least).
CENTRES = {"sichuan": 8, "guangdong": 5, "zhejiang": 3, "jiangsu": 2, "beijing": 1}
#: Teachers by province ("national": 全国, a region with no square).
TEACHERS = ["zhejiang", "zhejiang", "hebei", "national"]


def centre(entry_id: str, region: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "centre", "id": entry_id, "title": f"学习中心 {entry_id}",
            "summary": "社区学习中心。", "subjects": ["tcm"], "published": "2024-05-01",
            "centre_type": "senior-university", "region": region, "city": "某市", **extra}


def teacher(entry_id: str, region: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "teacher", "id": entry_id, "title": f"老师 {entry_id}", "summary": "老师。",
            "subjects": ["tcm"], "published": "2024-05-01", "roles": ["teacher"],
            "region": region, **extra}


def marked(entry_id: str, *marks: tuple[str, int], **extra: Any) -> dict[str, Any]:
    """A course that meets both standards' checkable criteria, with ``marks``."""
    return course(entry_id, summary="跟着老师一招一式学习，动作舒缓，适合零基础的中老年朋友。",
                  video="https://example.org/v.mp4", level="beginner", duration_minutes=12,
                  captions=[{"lang": "zh", "link": "https://example.org/v.vtt"}],
                  marks=[{"standard": s, "year": y} for s, y in marks], **extra)


def statistics_entries() -> list[dict[str, Any]]:
    """The tiny site's entries, with centres and teachers in several provinces, marked
    courses and a run of new entries over many months."""
    entries = one_of_each()
    for region, count in CENTRES.items():
        entries += [centre(f"{region}-{n}", region) for n in range(count)]
    entries += [teacher(f"teacher-{n}", region) for n, region in enumerate(TEACHERS)]
    entries += [marked("marked-a", ("outstanding-micro-course", 2024),
                       ("elder-friendly", 2024), published="2024-06-01"),
                marked("marked-b", ("outstanding-micro-course", 2023), published="2023-06-01",
                       region="sichuan")]
    entries += [course(f"monthly-{n}", published=f"20{24 + (n + 6) // 12}-{(n + 6) % 12 + 1:02d}-01")
                for n in range(20)]
    return entries


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = tmp_path_factory.mktemp("statistics")
    write_project(root, statistics_entries())
    return load_catalogue(root / "content", root / "catalogue")


def svg_of(markup: str) -> ET.Element:
    """An inline SVG as XML (it has no namespace declaration: HTML gives it one)."""
    return ET.fromstring(markup)


def lengths(element: ET.Element, *names: str) -> list[str]:
    return [element.get(name, "") for name in names]


def no_link(vocabulary: str, term: str) -> str | None:
    return None


def region_links(vocabulary: str, term: str) -> str | None:
    assert vocabulary == "regions"
    return f"../regions/{term}/"


# -- the figures ------------------------------------------------------------------------------

def test_the_figures_count_entries_by_kind_section_subject_month_and_mark(
        catalogue: Catalogue) -> None:
    plan = SitePlan(catalogue)
    statistics = catalogue_statistics(catalogue, plan.sections, "zh")
    assert statistics.total == len(catalogue.entries)
    charts = {chart.key: chart for chart in statistics.charts}
    assert list(charts) == ["kinds", "sections", "subjects", "months", "marks"]
    kinds = [(row.label, row.value) for row in charts["kinds"].rows]
    assert kinds == [("微课", 26), ("学习中心", 19), ("师资与志愿者", 4), ("系列", 2),
                     ("电子书", 1), ("讲座", 1), ("百姓学习之星", 1), ("终身学习品牌项目", 1)]
    assert charts["kinds"].head == ("类型", "数量")
    sections = charts["sections"].rows
    assert [(row.label, row.path) for row in sections] == [
        (s.title.zh, s.slug) for s in plan.sections]  # the site's order, each linked
    assert [row.value for row in sections] == [len(catalogue.in_section(s))
                                               for s in plan.sections]
    subjects = charts["subjects"].rows
    assert [row.value for row in subjects] == sorted((row.value for row in subjects),
                                                     reverse=True)
    assert all(row.path == f"subjects/{term}" for row, term in zip(
        subjects, [r.path.split("/")[1] for r in subjects if r.path], strict=True))
    marks = charts["marks"]
    assert marks.head == ("年度", "优秀微课", "适老化优秀课程", "合计")  # standards.yml's order
    assert [(row.label, row.values) for row in marks.rows] == [("2023年", (1, 0, 1)),
                                                                ("2024年", (1, 1, 2))]


def test_new_entries_per_month_end_with_the_latest_and_count_every_month(
        catalogue: Catalogue) -> None:
    months = catalogue_statistics(catalogue, (), "zh", months=24).charts[3]
    assert months.columns
    assert months.title == "每月新增内容（最近 24 个月）"
    labels = [row.label for row in months.rows]
    assert labels[0] == "2024年11月"
    assert labels[-1] == "2026年10月"  # the latest published month (the lecture's)
    assert len(labels) == 24
    assert {row.label: row.value for row in months.rows}["2025年1月"] == 1
    assert sum(row.value for row in months.rows) == sum(
        1 for e in catalogue.entries if (e.published.year, e.published.month) >= (2024, 11))
    whole = catalogue_statistics(catalogue, (), "en", months=1000).charts[3]
    assert whole.title == "New entries per month"
    assert whole.rows[0].label == "May 2022"  # the oldest entry: nothing left out


def test_the_map_counts_centres_teachers_and_the_rest_by_province(
        catalogue: Catalogue) -> None:
    provinces = province_map(catalogue, "zh")
    assert [view.key for view in provinces.views] == ["centres", "teachers", "entries"]
    rows = {place.term: place.counts for place in provinces.rows}
    assert rows["sichuan"] == (8, 0, 1)  # marked-b names 四川
    assert rows["zhejiang"] == (3, 2, 1)  # and the star
    assert rows["national"] == (0, 1, 0)  # 全国: in the table, not on the map
    assert rows["tianjin"] == (0, 0, 0)
    terms = [place.term for place in provinces.rows]
    assert terms == [t.id for t in catalogue.rules.vocabularies["regions"].children(None)]
    squares = [place for place in provinces.places if place.tile is not None]
    assert len(squares) == len(TILES) == 34
    assert {place.name for place in squares if place.term is None} == {"香港", "澳门", "台湾"}
    assert provinces.describe(next(p for p in squares if p.term == "zhejiang")) == \
        "浙江：学习中心 3，师资 2，学习资源 1"


# -- charts as SVG ----------------------------------------------------------------------------

def test_a_bar_chart_is_an_image_named_by_its_title_and_every_number(
        catalogue: Catalogue) -> None:
    chart = catalogue_statistics(catalogue, (), "zh").charts[0]
    svg = svg_of(chart.svg())
    assert svg.tag == "svg"
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert re.fullmatch(r"\d+(\.\d+)?em", svg.get("height", ""))
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert svg.find(f"title[@id='{title_id}']").text == "各类内容的数量"
    desc = svg.find(f"desc[@id='{desc_id}']").text or ""
    assert desc.startswith("微课 26，学习中心 19，")
    assert desc.endswith("终身学习品牌项目 1。")
    bars = svg.findall("rect")
    assert len(bars) == len(chart.rows)
    widths = [float(bar.get("width", "").rstrip("%")) for bar in bars]
    assert widths[0] == 70  # the largest at its longest
    assert widths == sorted(widths, reverse=True)
    assert widths[1] == pytest.approx(70 * 19 / 26, abs=0.01)
    values = [t.text for t in svg.findall("text[@class='ll-chart__value']")]
    assert values == [str(row.value) for row in chart.rows]
    labels = [t.text for t in svg.findall("text") if t.get("class") is None]
    assert labels == [row.label for row in chart.rows]
    for element in svg.iter():  # laid out in ems and percent, text at the page's size
        assert element.get("font-size") is None
        for name in ("x", "y", "width", "height"):
            value = element.get(name)
            assert value is None or value == "0" or re.fullmatch(r"-?\d+(\.\d+)?(em|%)",
                                                                 value), (element.tag, value)


def test_long_labels_are_wrapped_to_a_phones_line_in_care_mode() -> None:
    chart = Chart("x", "标题", ("类型", "数量"), (
        Row("Lifelong Learning Brand Project", (3,)), Row("终身学习品牌项目终身学习品牌项目", (1,))),
        "en")
    svg = svg_of(chart.svg())
    labels = [t.text or "" for t in svg.findall("text") if t.get("class") is None]
    assert labels == ["Lifelong Learning", "Brand Project", "终身学习品牌项目终身", "学习品牌项目"]
    assert wrap("Supercalifragilisticexpialidocious", 10) == [
        "Supercalifragilist", "icexpialidocious"]
    assert wrap("") == [""]
    assert all(text_ems(line) <= 10 for line in wrap("社区教育与老年教育 Community and senior "
                                                     "education 社区教育"))


def test_a_column_chart_draws_every_month_and_years_where_they_fit(
        catalogue: Catalogue) -> None:
    chart = catalogue_statistics(catalogue, (), "zh", months=24).charts[3]
    svg = svg_of(chart.svg())
    bars = svg.findall("rect")
    assert len(bars) == sum(1 for row in chart.rows if row.value)
    top = max(row.value for row in chart.rows)
    heights = [float(bar.get("height", "").rstrip("em")) for bar in bars]
    assert max(heights) == 7
    assert texts(svg)[0] == f"最多 {top}"
    assert texts(svg)[1:] == ["2025", "2026"]  # 2024 begins too near 2025's January
    assert year_marks(["2023年12月", *(f"2024年{m}月" for m in range(1, 13))]) == [(1, "2024")]
    assert year_marks([f"2024年{m}月" for m in range(7, 13)] + ["2025年1月", "2025年2月"]) == \
        [(0, "2024")]  # 2025 has no room left at the end
    assert year_marks([f"{y}年{m}月" for y in (2024, 2025) for m in range(1, 13)]) == \
        [(0, "2024"), (12, "2025")]


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.findall("text")]


def test_the_same_catalogue_draws_the_same_bytes(catalogue: Catalogue) -> None:
    first = catalogue_statistics(catalogue, SitePlan(catalogue).sections, "zh")
    again = catalogue_statistics(catalogue, SitePlan(catalogue).sections, "zh")
    assert [c.svg() for c in first.charts] == [c.svg() for c in again.charts]
    assert first.map.svg(region_links) == again.map.svg(region_links)
    assert first == again


# -- the map ----------------------------------------------------------------------------------

def test_the_tile_grid_places_every_division_once_by_geography() -> None:
    at = {(tile.col, tile.row): tile.key for tile in TILES}
    assert len(at) == len(TILES)  # no two on one square
    assert all(0 <= col < GRID_COLUMNS and 0 <= row < GRID_ROWS for col, row in at)
    place = {tile.key: (tile.col, tile.row) for tile in TILES}
    assert place["heilongjiang"] == (GRID_COLUMNS - 1, 0)  # the north-east corner
    assert place["xinjiang"][0] == 0  # the far west
    assert place["hainan"][1] == GRID_ROWS - 1  # the south
    assert place["taiwan"] == (place["fujian"][0] + 1, place["fujian"][1])
    assert place["beijing"][1] < place["hebei"][1] < place["henan"][1] < place["hubei"][1]
    assert place["shanghai"][0] > place["jiangsu"][0] > place["anhui"][0]


def test_the_tile_map_links_each_province_and_shades_larger_counts_darker(
        catalogue: Catalogue) -> None:
    provinces = province_map(catalogue, "zh")
    svg = svg_of(provinces.svg(region_links))
    assert svg.get("role") == "group"
    assert svg.find("title").text == "各省份的学习中心、师资和学习资源"
    squares = svg.findall("g/a") + svg.findall("g/g")
    assert len(squares) == 34
    links = {a.get("href"): a for a in svg.findall("g/a")}
    assert len(links) == 31  # every province of regions.yml; 全国 has no square
    zhejiang = links["../regions/zhejiang/"]
    assert zhejiang.get("aria-label") == "浙江：学习中心 3，师资 2，学习资源 1"
    assert zhejiang.find("text").text == "浙"
    none = [g for g in svg.findall("g/g") if g.get("class") == "ll-map__none"]
    assert sorted(g.get("aria-label") for g in none) == [
        "台湾：暂无数据", "澳门：暂无数据", "香港：暂无数据"]
    counts = {place.term: place for place in provinces.rows}
    for index, view in enumerate(provinces.views):
        shaded = sorted((place.counts[index], place.shades[index])
                        for place in counts.values() if place.tile is not None)
        assert [shade for _count, shade in shaded] == sorted(s for _c, s in shaded), view.key
        assert all((shade == 0) == (count == 0) for count, shade in shaded), view.key
        assert view.ranges[0] == (0, "0")
    centres = provinces.views[0]
    assert centres.ranges == ((0, "0"), (1, "1–2"), (2, "3–4"), (3, "5–7"), (4, "8"))
    assert counts["sichuan"].shades[0] == 4
    assert links["../regions/sichuan/"].get("class") == "c4 t0 e3"
    fills = {a.get("href"): a.find("rect").get("fill") for a in svg.findall("g/a")}
    assert fills["../regions/sichuan/"] == "#08306b"  # the first view, without the stylesheet
    assert fills["../regions/tianjin/"] == "#fff"


def test_a_province_without_a_page_is_named_but_not_linked(catalogue: Catalogue) -> None:
    svg = svg_of(province_map(catalogue, "en").svg(no_link))
    assert svg.findall("g/a") == []
    labels = [g.get("aria-label") for g in svg.findall("g/g")]
    assert "Zhejiang: Learning centres 3, Teachers 2, Learning resources 1" in labels
    assert "Taiwan: No data" in labels
    assert sorted(t.text for t in svg.iter("text"))[:3] == ["AH", "BJ", "CQ"]


def test_a_catalogue_without_regions_has_no_views(tmp_path: Path) -> None:
    write_project(tmp_path, [course("a")])
    provinces = province_map(load_catalogue(tmp_path / "content", tmp_path / "catalogue"), "zh")
    assert provinces.views == ()
    assert all(place.counts == () for place in provinces.places)


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=40))
def test_shades_never_lighten_as_counts_grow_and_the_key_covers_every_count(
        values: list[int]) -> None:
    shade, ranges = shade_scale(values)
    ordered = sorted(values)
    shades = [shade(v) for v in ordered]
    assert shades == sorted(shades)
    assert all((s == 0) == (v == 0) for s, v in zip(shades, ordered, strict=True))
    assert all(0 <= s <= 4 for s in shades)
    bounds = dict(ranges)
    for value, found in zip(ordered, shades, strict=True):
        low, _, high = bounds[found].partition("–")
        assert int(low) <= value <= int(high or low), (value, found, ranges)


# -- a site's own outline ---------------------------------------------------------------------

def rectangle(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def feature(name: str, *rectangles: list[list[float]], key: str = "region") -> dict[str, Any]:
    geometry: dict[str, Any] = {"type": "Polygon", "coordinates": [rectangles[0]]} \
        if len(rectangles) == 1 else {"type": "MultiPolygon",
                                      "coordinates": [[r] for r in rectangles]}
    return {"type": "Feature", "properties": {key: name}, "geometry": geometry}


#: Rectangles, not borders: 北京 (named as in many outlines), 浙江 by its id, 新疆 in two
#: pieces, and a place that is no region of the catalogue.
OUTLINE = {"type": "FeatureCollection", "features": [
    feature("北京市", rectangle(115.5, 39.5, 117.5, 41)),
    feature("zhejiang", rectangle(118, 27, 122, 31)),
    feature("Xinjiang", rectangle(75, 35, 90, 49), rectangle(90, 40, 95, 45)),
    feature("Atlantis", rectangle(130, 20, 131, 21))]}


def outline_of(data: Any, catalogue: Catalogue, **options: Any) -> Outline:
    return read_outline(json.dumps(data, ensure_ascii=False), "site_config/provinces.geojson",
                        catalogue.rules.vocabularies["regions"], licence="测试轮廓",
                        **options)


def test_an_outline_is_projected_matched_to_regions_and_drawn_as_paths(
        catalogue: Catalogue) -> None:
    outline = outline_of(OUTLINE, catalogue)
    assert [(term, name) for term, name, _data in outline.shapes] == [
        ("beijing", "beijing"), ("zhejiang", "zhejiang"), ("xinjiang", "xinjiang"),
        (None, "Atlantis")]
    assert outline.width == 1000  # the wider side
    assert 0 < outline.height < 1000
    provinces = province_map(catalogue, "zh", outline)
    svg = svg_of(provinces.svg(region_links))
    assert svg.get("viewBox") == f"0 0 {outline.width} {outline.height}"
    links = {a.get("href"): a for a in svg.findall("g/a")}
    assert sorted(links) == ["../regions/beijing/", "../regions/xinjiang/",
                             "../regions/zhejiang/"]
    assert links["../regions/zhejiang/"].get("aria-label") == \
        "浙江：学习中心 3，师资 2，学习资源 1"
    assert svg.find("g/g").get("aria-label") == "Atlantis：暂无数据"
    boxes = {href: box(a.find("path").get("d", "")) for href, a in links.items()}
    xinjiang, beijing = boxes["../regions/xinjiang/"], boxes["../regions/beijing/"]
    zhejiang = boxes["../regions/zhejiang/"]
    assert xinjiang[0] == 0  # the west edge of the frame
    assert xinjiang[2] < beijing[0] < zhejiang[2]  # west to east
    assert beijing[3] < zhejiang[1]  # north above south (y grows downwards)
    assert links["../regions/xinjiang/"].find("path").get("d", "").count("M") == 2
    # shaded among the mapped provinces only: 浙江 has the most centres of these
    assert links["../regions/zhejiang/"].get("class", "").startswith("c4 ")


def box(data: str) -> tuple[int, int, int, int]:
    """The bounding box (left, top, right, bottom) of path data in relative steps."""
    xs, ys = [], []
    for ring in re.findall(r"M([^z]*)z", data):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = numbers[0], numbers[1]
        xs.append(x)
        ys.append(y)
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize(("text", "message"), [
    ('{"type": "FeatureCollection",\n "features": [}',
     "site_config/provinces.geojson:2: not JSON: Expecting value (column 15)"),
    ('{"type": "Feature"}', "site_config/provinces.geojson: a GeoJSON FeatureCollection with "
                            "the provinces as its features is expected"),
    (json.dumps({"type": "FeatureCollection", "features": [feature("北京", rectangle(
        115, 39, 117, 41), key="name")]}),
     "site_config/provinces.geojson: features[0]: has no 'region' property naming its "
     "province (the map option `property` says which property names it)"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"region": "北京"},
         "geometry": {"type": "Point", "coordinates": [116, 40]}}]}),
     "site_config/provinces.geojson: features[0].geometry: a Polygon or MultiPolygon of "
     "[longitude, latitude] points is expected"),
    (json.dumps({"type": "FeatureCollection", "features": [feature("北京", rectangle(
        12_000_000, 4_000_000, 13_000_000, 5_000_000))]}),
     "site_config/provinces.geojson: features[0].geometry: a Polygon or MultiPolygon of "
     "[longitude, latitude] points is expected"),  # metres of a projection, not degrees
])
def test_a_bad_outline_names_the_file_and_what_to_fix(catalogue: Catalogue, text: str,
                                                      message: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        read_outline(text, "site_config/provinces.geojson",
                     catalogue.rules.vocabularies["regions"], licence="x")
    assert [str(p) for p in raised.value.problems] == [message]


def test_an_outline_too_detailed_for_a_page_is_refused(catalogue: Catalogue) -> None:
    wiggly = [[75 + i * 0.0025, 35 + (i % 2) * 10] for i in range(8000)]
    data = {"type": "FeatureCollection", "features": [feature(
        "新疆", [*wiggly, [95, 49], [75, 49], wiggly[0]])]}
    with pytest.raises(CatalogueError) as raised:
        outline_of(data, catalogue)
    message = str(raised.value.problems[0])
    assert message.startswith("site_config/provinces.geojson: the outline draws ")
    assert f"(at most {OUTLINE_BUDGET // 1000} KB): give an outline simplified" in message


# -- the page ---------------------------------------------------------------------------------

def statistics_page(catalogue: Catalogue, lang: str = "zh") -> str:
    """The statistics page's content as the build draws it (lifelong/statistics.html)."""
    plan = SitePlan(catalogue, lang=lang)
    renderer = Renderer(catalogue, plan, [THEME], scheme=UrlScheme(True), site_url=None,
                        lang=lang)
    page = next(page for page in plan.pages() if page.path == "statistics")
    return renderer.render_page(page, "", "statistics/")


def test_the_page_shows_the_map_with_its_switch_the_charts_and_their_tables(
        catalogue: Catalogue) -> None:
    page = statistics_page(catalogue)
    assert "<h1>数据统计</h1>" in page
    assert '<li><a href="../">首页</a></li>' in page
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) == 6  # the map and five charts
    for markup in svgs:
        svg_of(markup)  # each is XML
    assert page.count('role="img" aria-labelledby="ll-chart-') == 5
    assert page.count('<table class="ll-stats__data"') == 6
    assert page.count("<caption>") == 6
    # the map's table: a column per view, a row per region, linked to its page
    assert '<thead><tr><th scope="col">省份</th><th scope="col">学习中心</th>' \
           '<th scope="col">师资</th><th scope="col">学习资源</th></tr></thead>' in page
    assert '<tr><th scope="row"><a href="../regions/sichuan/">四川</a></th><td>8</td>' \
           '<td>0</td><td>1</td></tr>' in page
    assert '<tr><th scope="row"><a href="../regions/national/">全国</a></th><td>0</td>' \
           '<td>1</td><td>0</td></tr>' in page
    assert '<tr><th scope="row">天津</th><td>0</td><td>0</td><td>0</td></tr>' in page
    # the switch: radio buttons before the drawing, the first view checked
    radios = re.findall(r'<input class="ll-map__radio" type="radio" name="ll-map-view" '
                        r'id="ll-map-(\w)" value="(\w+)"( checked)?>', page)
    assert radios == [("c", "centres", " checked"), ("t", "teachers", ""),
                      ("e", "entries", "")]
    assert page.index('id="ll-map-e"') < page.index('<div class="ll-map__views">') < \
        page.index('<svg class="ll-map__svg"') < page.index('<div class="ll-map__keys">')
    assert '<label class="ll-map__view" for="ll-map-t">师资</label>' in page
    assert 'class="ll-stats__part ll-map ll-map--c"' in page
    assert '<p class="ll-map__key ll-map__key--c"><span class="ll-map__key-name">学习中心：' \
           '</span> <span class="ll-map__swatch"><span class="ll-map__chip ll-map__chip--0">' \
           '</span>0</span> <span class="ll-map__swatch"><span class="ll-map__chip ' \
           'll-map__chip--1"></span>1–2</span>' in page
    assert '<th scope="row"><a href="../subjects/health/">健康养生</a></th>' in page
    assert '<tr><th scope="row">2024年</th><td>1</td><td>1</td><td>2</td></tr>' in page
    assert "<caption>各年度评选入选数量</caption>" in page
    assert "<script" not in page  # nothing to run


def test_an_empty_chart_says_so(tmp_path: Path) -> None:
    write_project(tmp_path, [course("a")])
    page = statistics_page(load_catalogue(tmp_path / "content", tmp_path / "catalogue"), "en")
    assert '<h2 id="ll-chart-marks-heading">Selections by year</h2>\n' \
           '<p class="ll-empty">Nothing to show yet.</p>' in page
    assert '<p class="ll-empty">No entry names its region yet.</p>' in page
    assert "ll-map__svg" not in page


# -- the page in a tiny site ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site with marked courses and a run of new entries."""
    entries = [e for e in statistics_entries() if e["kind"] not in ("centre", "teacher")]
    return build_site(write_project(tmp_path_factory.mktemp("stats-site"), entries))


def content(html: str) -> str:
    start = html.index('<article class="md-content__inner')
    return html[start:html.index("</article>", start)]


def test_the_site_has_the_page_linked_from_home(site: Path) -> None:
    html = read(site, "statistics/index.html")
    assert len(html.encode()) < 50_000
    page = content(html)
    assert "<h1>数据统计</h1>" in page
    assert '<a class="e3" href="../regions/sichuan/" aria-label="四川：学习资源 1">' in page
    assert "<caption>每月新增内容（最近 24 个月）</caption>" in page
    home = read(site, "index.html")
    assert '<p class="ll-stats-link"><a href="statistics/">看图了解本目录：数据统计与地图</a></p>' \
        in home


def test_the_page_follows_the_site_language_and_offline_addresses(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each(), mkdocs={
        "use_directory_urls": False, "theme": {"name": "material", "language": "en",
                                               "font": False}}, plugin={"offline": True})
    site = build_site(config)
    page = content(read(site, "statistics/index.html"))
    assert "<h1>Statistics</h1>" in page
    assert '<a class="e3" href="../regions/beijing/index.html" aria-label="Beijing: ' \
           'Learning resources 1">' in page
    assert ">BJ</text>" in page
    assert 'class="ll-map__radio"' not in page  # one view: no switch
    assert "<caption>Entries by kind</caption>" in page
    assert '<a href="statistics/index.html">The catalogue in charts and on a map</a>' in \
        read(site, "index.html")


def test_a_site_outline_is_drawn_with_its_licence(tmp_path: Path) -> None:
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config" / "provinces.geojson").write_text(
        json.dumps(OUTLINE, ensure_ascii=False), encoding="utf-8")
    config = write_project(tmp_path, one_of_each(), plugin={"map": {
        "outline": "site_config/provinces.geojson", "licence": "测试用轮廓，CC0"}})
    page = content(read(build_site(config), "statistics/index.html"))
    assert '<svg class="ll-map__svg ll-map__svg--outline" viewBox="0 0 1000 ' in page
    assert '<a class="e3" href="../regions/beijing/" aria-label="北京：学习资源 1"><path d="M' \
        in page
    assert '<p class="ll-map__licence">地图：测试用轮廓，CC0</p>' in page
    assert "<rect" not in page.split("ll-map__svg--outline")[1].split("</svg>")[0]


@pytest.mark.parametrize(("options", "message"), [
    ({"outline": "site_config/provinces.geojson"},
     "mkdocs.yml: map.licence: the outline site_config/provinces.geojson needs its source "
     "and licence (shown under the map)"),
    ({"outline": "site_config/missing.geojson", "licence": "x"},
     "mkdocs.yml: map.outline: cannot read "),
])
def test_an_outline_without_a_licence_or_a_file_fails_the_build(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, options: dict[str, str],
        message: str) -> None:
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config" / "provinces.geojson").write_text(
        json.dumps(OUTLINE), encoding="utf-8")
    config = write_project(tmp_path, one_of_each(), plugin={"map": options})
    with pytest.raises(Abort):
        build_site(config)
    assert message in caplog.text


def test_statistics_is_a_reserved_name() -> None:
    assert "statistics" in RESERVED_NAMES

