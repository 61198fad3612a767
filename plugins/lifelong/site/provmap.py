"""The map of China's provinces on the statistics page, drawn at build time as inline SVG:
the number of centres, teachers and other entries in each province, each province a link to
its region page (regions/<term>/).

By default a tile grid: one equal square per province-level division, placed at its rough
geographic position (``TILES``, a layout of our own: 黑龙江 top right, 新疆 left, 海南 at
the bottom, 台湾 right of 福建). It draws no boundary, so it needs no outline data, works
offline, and is not a map in the sense of China's 地图管理条例: publishing an outline of the
country (national borders, the South China Sea, disputed areas) needs the map's approval
(审图号), and a wrong border is a legal problem for whoever publishes it. Squares keep every
division the same size, so a small province with many centres is as visible as a large one.

A site with an approved or suitably licensed outline gives it as GeoJSON (the plugin's
``map`` option: ``outline``, ``licence``, ``property``): ``read_outline`` projects its
provinces (Albers equal-area, as maps of China are usually drawn) into SVG paths at build
time, unchanged but for rounding to a thousandth of the map's width, and the licence is
shown under the map. The outline is never simplified here: the build must not redraw
borders someone approved; a file too detailed for a page is refused with a message.

Three views (centres, teachers, entries) share one drawing: each province carries a shade
class per view (``c2 t0 e4``) and the page's stylesheet colours the view whose radio button
is checked, so the reader switches views without JavaScript; the numbers are in a table
beside the map (colour is never the only way to read it).
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from lifelong.catalogue.model import Catalogue
from lifelong.catalogue.problems import CatalogueError, Problem
from lifelong.catalogue.schema import Vocabulary
from lifelong.site.i18n import translate


@dataclass(frozen=True, slots=True)
class Tile:
    """A province-level division's square: its usual term id, names, the one character of
    its licence plates (京, 沪...) or its two-letter code (BJ, SH...) shown on the square,
    and its column and row (0, 0 at the top left)."""

    key: str
    zh: str
    en: str
    short_zh: str
    short_en: str
    col: int
    row: int


#: The tile grid, 8 columns by 8 rows, by latitude and longitude roughly: each square's
#: neighbours are its neighbours on a map. Every province-level division is here, the
#: regions vocabulary or not: a division the catalogue has no term for is drawn as a
#: square without data, never left out.
TILES = (
    Tile("heilongjiang", "黑龙江", "Heilongjiang", "黑", "HL", 7, 0),
    Tile("inner-mongolia", "内蒙古", "Inner Mongolia", "蒙", "NM", 4, 1),
    Tile("beijing", "北京", "Beijing", "京", "BJ", 5, 1),
    Tile("liaoning", "辽宁", "Liaoning", "辽", "LN", 6, 1),
    Tile("jilin", "吉林", "Jilin", "吉", "JL", 7, 1),
    Tile("xinjiang", "新疆", "Xinjiang", "新", "XJ", 0, 2),
    Tile("qinghai", "青海", "Qinghai", "青", "QH", 1, 2),
    Tile("gansu", "甘肃", "Gansu", "甘", "GS", 2, 2),
    Tile("ningxia", "宁夏", "Ningxia", "宁", "NX", 3, 2),
    Tile("shanxi", "山西", "Shanxi", "晋", "SX", 4, 2),
    Tile("hebei", "河北", "Hebei", "冀", "HE", 5, 2),
    Tile("tianjin", "天津", "Tianjin", "津", "TJ", 6, 2),
    Tile("tibet", "西藏", "Tibet", "藏", "XZ", 1, 3),
    Tile("sichuan", "四川", "Sichuan", "川", "SC", 2, 3),
    Tile("shaanxi", "陕西", "Shaanxi", "陕", "SN", 3, 3),
    Tile("henan", "河南", "Henan", "豫", "HA", 4, 3),
    Tile("shandong", "山东", "Shandong", "鲁", "SD", 5, 3),
    Tile("chongqing", "重庆", "Chongqing", "渝", "CQ", 2, 4),
    Tile("hubei", "湖北", "Hubei", "鄂", "HB", 3, 4),
    Tile("anhui", "安徽", "Anhui", "皖", "AH", 4, 4),
    Tile("jiangsu", "江苏", "Jiangsu", "苏", "JS", 5, 4),
    Tile("shanghai", "上海", "Shanghai", "沪", "SH", 6, 4),
    Tile("yunnan", "云南", "Yunnan", "云", "YN", 2, 5),
    Tile("guizhou", "贵州", "Guizhou", "贵", "GZ", 3, 5),
    Tile("hunan", "湖南", "Hunan", "湘", "HN", 4, 5),
    Tile("jiangxi", "江西", "Jiangxi", "赣", "JX", 5, 5),
    Tile("zhejiang", "浙江", "Zhejiang", "浙", "ZJ", 6, 5),
    Tile("guangxi", "广西", "Guangxi", "桂", "GX", 3, 6),
    Tile("guangdong", "广东", "Guangdong", "粤", "GD", 4, 6),
    Tile("fujian", "福建", "Fujian", "闽", "FJ", 5, 6),
    Tile("taiwan", "台湾", "Taiwan", "台", "TW", 6, 6),
    Tile("hainan", "海南", "Hainan", "琼", "HI", 3, 7),
    Tile("macao", "澳门", "Macao", "澳", "MO", 4, 7),
    Tile("hong-kong", "香港", "Hong Kong", "港", "HK", 5, 7),
)
GRID_COLUMNS = 8
GRID_ROWS = 8

#: The views: what is counted, the class letter each province's shade takes.
VIEWS = (("centres", "c"), ("teachers", "t"), ("entries", "e"))
#: Shades 1-4 for counts above zero (0: none); the stylesheet colours them.
SHADES = 4
#: Default fills and text colours of the shades (as lifelong.css has them, for a page read
#: without the stylesheet): a light-to-dark blue, dark text on the light ones (8:1 and
#: more), white on the dark ones (5:1 and more).
FILLS = ("#fff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
INKS = ("#000", "#000", "#000", "#fff", "#fff")
#: The most an outline may draw: the statistics page, with its charts and the site's
#: header, stays under 50 KB.
OUTLINE_BUDGET = 32_000
#: An outline is drawn in a frame this many units wide, its points rounded to whole units.
OUTLINE_WIDTH = 1000
#: Endings of province names that an outline's names may carry and the vocabulary's not
#: (北京市, 广西壮族自治区): longest first.
NAME_ENDINGS = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True, slots=True)
class Place:
    """A province-level division as the map and its table show it: its term in the regions
    vocabulary (None: the vocabulary has none, so no data), its name in the page's language,
    the short label of its square, its counts and shade for each view shown."""

    term: str | None
    name: str
    short: str
    counts: tuple[int, ...]
    shades: tuple[int, ...]
    tile: Tile | None = None


@dataclass(frozen=True, slots=True)
class View:
    """One of the map's views: its key (``centres``), class letter, label and the ranges
    of its shades for the key: ((shade, "1–3"), ...)."""

    key: str
    letter: str
    label: str
    ranges: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Outline:
    """Provinces from a GeoJSON outline, projected: the frame's size, and each shape as
    (the term it was matched to, or None; its name in the file; SVG path data)."""

    width: int
    height: int
    shapes: tuple[tuple[str | None, str, str], ...]
    licence: str
    source: str


@dataclass(frozen=True, slots=True)
class ProvinceMap:
    """What the statistics page draws of the provinces: the views that have data, every
    place (``places``: the vocabulary's top-level regions in its order, then squares the
    vocabulary has no term for) and, when the site gives one, an outline."""

    lang: str
    views: tuple[View, ...]
    places: tuple[Place, ...]
    outline: Outline | None = None

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    @property
    def rows(self) -> tuple[Place, ...]:
        """The places the table lists: those with a term (with data)."""
        return tuple(place for place in self.places if place.term is not None)

    def describe(self, place: Place) -> str:
        """What a province's link says: 北京：学习中心 3，师资 5，学习资源 120."""
        if place.term is None:
            return f"{place.name}{self.t('colon')}{self.t('map_no_data')}"
        counts = self.t("list_comma").join(f"{view.label} {count}" for view, count
                                           in zip(self.views, place.counts, strict=True))
        return f"{place.name}{self.t('colon')}{counts}"

    def svg(self, link: Callable[[str, str], str | None]) -> Markup:
        """The map; ``link("regions", term)`` is the address of a region's page from this
        page, or None when it has none (the renderer's ``term_link``)."""
        if self.outline is not None:
            return self._outline_svg(self.outline, link)
        return self._tile_svg(link)

    def _classes(self, place: Place) -> str:
        if place.term is None:
            return "ll-map__none"
        return " ".join(f"{view.letter}{shade}"
                        for view, shade in zip(self.views, place.shades, strict=True))

    def _open(self, place: Place, link: Callable[[str, str], str | None]) -> tuple[str, str]:
        """A place's group: a link to its page, or a group that only names it."""
        label = escape(self.describe(place))
        href = link("regions", place.term) if place.term is not None else None
        classes = self._classes(place)
        if href is None:
            return (f'<g class="{classes}" role="img" aria-label="{label}">', "</g>")
        return (f'<a class="{classes}" href="{escape(href)}" aria-label="{label}">', "</a>")

    def _paint(self, place: Place) -> str:
        """The fill as an attribute: the first view, drawn without the stylesheet too (the
        stylesheet's colours override it; the outline's colour is the drawing's)."""
        if place.term is None:
            return 'fill="none" stroke-dasharray="4 3"'
        return f'fill="{FILLS[place.shades[0]]}"'

    def _heading(self) -> str:
        about = self.t("map_desc" if self.outline is None else "map_desc_outline")
        return (f'<title id="ll-map-title">{escape(self.t("map_title"))}</title>'
                f'<desc id="ll-map-desc">{escape(about)}</desc>')

    def _tile_svg(self, link: Callable[[str, str], str | None]) -> Markup:
        """Squares placed in percent of the width across and in ems down, their labels in
        the page's own text size: as large as the text around the map, in care mode too,
        at any width (an SVG scaled to its width would shrink them on a phone)."""
        width = 100 / GRID_COLUMNS
        parts = [f'<svg class="ll-map__svg" width="100%" height="{_number(GRID_ROWS * ROW_EM)}em" '
                 'role="group" aria-labelledby="ll-map-title" aria-describedby="ll-map-desc">',
                 self._heading(), '<g stroke="#595959" text-anchor="middle">']
        for place in self.places:
            tile = place.tile
            if tile is None:
                continue
            start, end = self._open(place, link)
            x = _number(tile.col * width + TILE_GAP)
            y = _number(tile.row * ROW_EM + TILE_GAP_EM)
            # Black text, the default, unless on the dark shades.
            ink = "" if place.term is None or INKS[place.shades[0]] == "#000" else \
                f' fill="{INKS[place.shades[0]]}"'
            parts.append(
                f'{start}<rect x="{x}%" y="{y}em" width="{_number(width - 2 * TILE_GAP)}%" '
                f'height="{_number(ROW_EM - 2 * TILE_GAP_EM)}em" rx="3" {self._paint(place)}/>'
                f'<text x="{_number((tile.col + 0.5) * width)}%" '
                f'y="{_number(tile.row * ROW_EM + TEXT_DROP_EM)}em" stroke="none"{ink}>'
                f'{escape(place.short)}</text>{end}')
        parts.append("</g></svg>")
        return Markup("".join(parts))

    def _outline_svg(self, outline: Outline, link: Callable[[str, str], str | None]) -> Markup:
        places = {place.term: place for place in self.places if place.term is not None}
        parts = [f'<svg class="ll-map__svg ll-map__svg--outline" viewBox="0 0 {outline.width} '
                 f'{outline.height}" width="100%" role="group" aria-labelledby="ll-map-title" '
                 'aria-describedby="ll-map-desc">', self._heading(), '<g stroke="#595959">']
        for term, name, data in outline.shapes:
            place = places.get(term) if term is not None else None
            if place is None:
                place = Place(None, name, "", (), ())
            start, end = self._open(place, link)
            parts.append(f'{start}<path d="{data}" {self._paint(place)} '
                         f'vector-effect="non-scaling-stroke"/>{end}')
        parts.append("</g></svg>")
        return Markup("".join(parts))


#: The tile grid's rows, in ems: a row's height, the gap around a square, where its label's
#: baseline sits.
ROW_EM = 2.4
TILE_GAP_EM = 0.12
TEXT_DROP_EM = 1.55
#: The gap around a square across, in percent of the map's width.
TILE_GAP = 0.4


def _number(value: float) -> str:
    """A coordinate as the same text on every machine: two decimals at most."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def province_map(catalogue: Catalogue, lang: str, outline: Outline | None = None
                 ) -> ProvinceMap:
    """Count centres, teachers and the other entries by the top-level region their
    ``region`` names (a city under a province counts for the province), and shade them."""
    vocabulary = catalogue.rules.vocabularies["regions"]
    tops = [term.id for term in vocabulary.children(None)]
    counts = {term: [0, 0, 0] for term in tops}
    regions = catalogue.field_terms("regions", "region")
    view_of = {"centre": 0, "teacher": 1}
    for entry in catalogue.entries:
        terms = regions.get(entry.id)
        if terms:  # the top-level region first, then the term itself
            counts[terms[0]][view_of.get(entry.kind, 2)] += 1
    shown = [index for index in range(len(VIEWS))
             if any(found[index] for found in counts.values())]
    tiles = tiles_of(vocabulary)
    mapped = set(tiles.values()) if outline is None else \
        {term for term, _name, _data in outline.shapes if term is not None}
    views, shade_of = [], []
    for index in shown:
        key, letter = VIEWS[index]
        values = [found[index] for term, found in counts.items() if term in mapped]
        shades, ranges = shade_scale(values)
        shade_of.append(shades)
        views.append(View(key, letter, translate(f"map_{key}", lang), ranges))
    term_tile = {term: tile for tile, term in ((t, tiles.get(t.key)) for t in TILES) if term}
    places = []
    for term in tops:
        found = counts[term]
        places.append(Place(term, vocabulary.terms[term].label.get(lang),
                            _short(term_tile.get(term), lang),
                            tuple(found[index] for index in shown),
                            tuple(shades(found[index]) for index, shades
                                  in zip(shown, shade_of, strict=True)),
                            term_tile.get(term)))
    for tile in TILES:
        if tile.key not in tiles:
            places.append(Place(None, tile.en if lang == "en" else tile.zh,
                                _short(tile, lang), (), (), tile))
    return ProvinceMap(lang, tuple(views), tuple(places), outline)


def _short(tile: Tile | None, lang: str) -> str:
    if tile is None:
        return ""
    return tile.short_en if lang == "en" else tile.short_zh


def tiles_of(vocabulary: Vocabulary) -> dict[str, str]:
    """Tile key -> the vocabulary's top-level term for it: the term of the same id, or the
    one named as the tile is (a site may name its terms otherwise: bj, 北京市)."""
    found: dict[str, str] = {}
    tops = {term.id for term in vocabulary.children(None)}
    for tile in TILES:
        term = tile.key if tile.key in tops else region_named(vocabulary, tile.zh)
        if term is not None and term in tops:
            found[tile.key] = term
    return found


def region_named(vocabulary: Vocabulary, name: str) -> str | None:
    """The term a name stands for: its id, a label or synonym, or its label with a
    province's ending (北京市, 广西壮族自治区)."""
    if name in vocabulary.terms:
        return name
    found = vocabulary.named(name)
    if found is not None:
        return found
    for ending in NAME_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return vocabulary.named(name[:-len(ending)])
    return None


#: The shades that a number of classes of counts take: few classes spread over the scale,
#: so that two classes read as light and dark, not as the two lightest.
SPREAD = {1: (3,), 2: (2, 4), 3: (2, 3, 4), 4: (1, 2, 3, 4)}


def shade_scale(values: Sequence[int]) -> tuple[Callable[[int], int], tuple[tuple[int, str],
                                                                         ...]]:
    """Shades for counts: 0 for none, then up to ``SHADES`` classes by quantiles of the
    counts above zero (each class about as many provinces), never more classes than
    distinct counts, spread over the shades (``SPREAD``); and each shade's range for the
    key ("1–3", "4–10", "11–40"). A larger count never gets a lighter shade."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return (lambda value: 0), ((0, "0"),)
    # The lowest count of each class: the first, then quantiles, as counts that occur.
    lows = [positive[0]]
    for step in range(1, SHADES):
        at = positive[min(len(positive) - 1, math.ceil(step * len(positive) / SHADES))]
        if at > lows[-1]:
            lows.append(at)
    shades = SPREAD[len(lows)]

    def shade(value: int) -> int:
        if value <= 0:
            return 0
        return shades[max(0, sum(1 for low in lows if value >= low) - 1)]

    ranges = [(0, "0")]
    for index, low in enumerate(lows):
        high = lows[index + 1] - 1 if index + 1 < len(lows) else positive[-1]
        ranges.append((shades[index], str(low) if low == high else f"{low}–{high}"))
    return shade, tuple(ranges)


# -- outlines ---------------------------------------------------------------------------------

def read_outline(text: str, source: str, vocabulary: Vocabulary, *, licence: str,
                 name_property: str = "region") -> Outline:
    """Provinces from GeoJSON text (a FeatureCollection of Polygons and MultiPolygons in
    longitude and latitude, WGS 84), each feature matched to a region term by its property
    ``name_property`` (a term id, a label in either language, or 北京市-style names),
    projected and drawn as path data. ``source`` names the file in messages. A feature that
    names no term is drawn without data. Raises CatalogueError naming the file and what to
    fix."""
    def fail(message: str, line: int = 0, field: str | None = None) -> CatalogueError:
        return CatalogueError([Problem(source, line, field, message)])

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or \
            not isinstance(data.get("features"), list) or not data["features"]:
        raise fail("a GeoJSON FeatureCollection with the provinces as its features is "
                   "expected")
    rings_of: dict[str, list[list[list[tuple[float, float]]]]] = {}
    term_of: dict[str, str | None] = {}
    for number, feature in enumerate(data["features"], 1):
        where = f"features[{number - 1}]"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        name = properties.get(name_property) if isinstance(properties, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise fail(f"has no '{name_property}' property naming its province (the map "
                       f"option `property` says which property names it)", field=where)
        name = name.strip()
        geometry = feature.get("geometry")
        polygons = _polygons(geometry)
        if polygons is None:
            raise fail("a Polygon or MultiPolygon of [longitude, latitude] points is "
                       "expected", field=f"{where}.geometry")
        term = region_named(vocabulary, name)
        if term is not None:
            term = (*vocabulary.ancestors(term), term)[0]
        key = term or name
        term_of[key] = term
        rings_of.setdefault(key, []).extend(polygons)
    shapes, width, height = _project(rings_of)
    drawn = tuple((term_of[key], key, data) for key, data in shapes)
    size = sum(len(data) for _term, _name, data in drawn)
    if size > OUTLINE_BUDGET:
        raise fail(f"the outline draws {size // 1000} KB of SVG paths, more than a page "
                   f"can hold (at most {OUTLINE_BUDGET // 1000} KB): give an outline "
                   f"simplified to the detail a phone shows (mapshaper's -simplify, say)")
    return Outline(width, height, drawn, licence, source)


def _polygons(geometry: Any) -> list[list[list[tuple[float, float]]]] | None:
    """A geometry's polygons, each a list of rings of (longitude, latitude), or None."""
    if not isinstance(geometry, dict):
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return None
    found = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None
        rings = []
        for ring in polygon:
            points = _points(ring)
            if points is None:
                return None
            rings.append(points)
        found.append(rings)
    return found


def _points(ring: Any) -> list[tuple[float, float]] | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return None
    points = []
    for point in ring:
        if not (isinstance(point, list) and len(point) >= 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in point[:2])):
            return None
        lon, lat = float(point[0]), float(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return None
        points.append((lon, lat))
    return points


#: Albers equal-area conic for China: standard parallels 25° and 47° N, centred on 105° E.
_PARALLELS = (math.radians(25), math.radians(47))
_MERIDIAN = math.radians(105)


def albers(lon: float, lat: float) -> tuple[float, float]:
    """A point projected (spherical Albers, Snyder's formulas 14-1 to 14-4), y northwards."""
    sin1, sin2 = math.sin(_PARALLELS[0]), math.sin(_PARALLELS[1])
    n = (sin1 + sin2) / 2
    c = math.cos(_PARALLELS[0]) ** 2 + 2 * n * sin1
    rho = math.sqrt(max(0.0, c - 2 * n * math.sin(math.radians(lat)))) / n
    theta = n * (math.radians(lon) - _MERIDIAN)
    return rho * math.sin(theta), -rho * math.cos(theta)


def _project(rings_of: Mapping[str, Iterable[list[list[tuple[float, float]]]]]
             ) -> tuple[list[tuple[str, str]], int, int]:
    """(key, path data) of each shape in an ``OUTLINE_WIDTH``-wide frame, and its size."""
    projected = {key: [[[albers(lon, lat) for lon, lat in ring] for ring in polygon]
                       for polygon in polygons] for key, polygons in rings_of.items()}
    xs = [x for polygons in projected.values() for polygon in polygons for ring in polygon
          for x, _y in ring]
    ys = [y for polygons in projected.values() for polygon in polygons for ring in polygon
          for _x, y in ring]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = OUTLINE_WIDTH / span
    left, top = min(xs), max(ys)
    width = round((max(xs) - left) * scale)
    height = round((top - min(ys)) * scale)
    shapes = []
    for key in projected:  # in the order the file first gives them
        pieces = []
        for polygon in projected[key]:
            for ring in polygon:
                points = [(round((x - left) * scale), round((top - y) * scale))
                          for x, y in ring]
                pieces.append(_ring_path(points))
        shapes.append((key, "".join(piece for piece in pieces if piece)))
    return shapes, max(width, 1), max(height, 1)


def _ring_path(points: list[tuple[int, int]]) -> str:
    """A closed ring as path data, in relative steps; points that round to the one before
    dropped (the same point drawn twice), rings that round to less than a triangle too."""
    kept = [points[0]]
    for point in points[1:]:
        if point != kept[-1]:
            kept.append(point)
    if len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()
    if len(kept) < 3:
        return ""
    steps = [f"M{kept[0][0]} {kept[0][1]}l"]
    steps.append(" ".join(f"{x - px} {y - py}" for (px, py), (x, y)
                          in itertools.pairwise(kept)).replace(" -", "-"))
    return "".join(steps) + "z"
