"""The statistics page's figures and charts, drawn at build time as inline SVG: entries by
kind, by section and by subject, new entries per month, marks by year (and the map of the
provinces, ``lifelong.site.provmap``).

Each chart is a picture for those who would rather look (``role="img"``, a title and a
text alternative naming every number) and the same numbers in a table (the template draws
it from ``Chart.rows``). Charts are laid out in ems down and percent across, never scaled
to fit: their text is the page's own size (care mode's too) at any width, and a phone of
360 px shows them whole. Labels too long for a phone's line at care mode's size are
wrapped at build time. Numbers in the drawing are rounded to two decimals, so every
machine writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from lifelong.catalogue.model import Catalogue
from lifelong.catalogue.schema import SectionSpec
from lifelong.site.i18n import translate
from lifelong.site.provmap import Outline, ProvinceMap, province_map

#: New entries are charted month by month for at most this many months, ending with the
#: latest month anything was published in.
MONTHS = 24
#: A bar at its longest takes this share of the width: its number is written after it.
BAR_SHARE = 70.0
#: How wide a label's line may be, in ems: a phone of 360 px in care mode (30 px text)
#: has about 10.9 ems across.
LABEL_EMS = 10.0
#: Vertical layout, in ems: a label's lines, the bar, the gap below it; the first line's
#: baseline, below the tallest glyphs of Chinese fonts (1.16 em over the baseline).
ASCENT_EM = 1.2
LINE_EM = 1.3
BAR_EM = 1.1
GAP_EM = 0.8
#: Column charts: the plot's height and the room for the years under it, in ems.
PLOT_EM = 7.0
AXIS_EM = 1.6
#: A year is written under a column chart's month only with this many columns to its
#: right and since the last year written: four digits in care mode fit in them.
YEAR_COLUMNS = 6


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a chart's table, one bar of its picture: a label, its numbers (the bar
    is the last), the site page that lists them (``subjects/health``), if any."""

    label: str
    values: tuple[int, ...]
    path: str | None = None

    @property
    def value(self) -> int:
        return self.values[-1]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart and its table: ``key`` makes its ids (``ll-chart-kinds``), ``head`` the
    table's column headings (what the rows are, then each number's)."""

    key: str
    title: str
    head: tuple[str, ...]
    rows: tuple[Row, ...]
    lang: str
    #: A time series, drawn as columns left to right (else bars, one under another).
    columns: bool = False

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def description(self) -> str:
        """The text alternative: every label with its number."""
        comma = self.t("list_comma")
        return comma.join(f"{row.label} {row.value}" for row in self.rows) + self.t("stop")

    def svg(self) -> Markup:
        if self.columns:
            return self._columns()
        return self._bars()

    def _open(self, height: float) -> str:
        ident = f"ll-chart-{self.key}"
        return (f'<svg class="ll-chart__svg" width="100%" height="{_number(height)}em" '
                f'role="img" aria-labelledby="{ident}-title {ident}-desc">'
                f'<title id="{ident}-title">{escape(self.title)}</title>'
                f'<desc id="{ident}-desc">{escape(self.description())}</desc>')

    def _bars(self) -> Markup:
        """One bar under each label, its number after it."""
        top = max((row.value for row in self.rows), default=0) or 1
        parts, y = [], 0.0
        for row in self.rows:
            lines = wrap(row.label)
            for number, line in enumerate(lines):
                parts.append(f'<text x="0" y="{_number(y + ASCENT_EM + number * LINE_EM)}em">'
                             f'{escape(line)}</text>')
            bar_top = y + len(lines) * LINE_EM + 0.2
            width = BAR_SHARE * row.value / top
            if row.value:
                width = max(width, 0.5)  # one is seen
                parts.append(f'<rect class="ll-chart__bar" x="0" y="{_number(bar_top)}em" '
                             f'width="{_number(width)}%" height="{_number(BAR_EM)}em"/>')
            parts.append(f'<text class="ll-chart__value" x="{_number(width + 1.5)}%" '
                         f'y="{_number(bar_top + 0.87)}em">{row.value}</text>')
            y = bar_top + BAR_EM + GAP_EM
        return Markup(self._open(y) + "".join(parts) + "</svg>")

    def _columns(self) -> Markup:
        """Columns left to right; the largest's number over the plot, a year under its
        first month (where there is room for it)."""
        count = len(self.rows)
        top = max((row.value for row in self.rows), default=0) or 1
        step = 100 / max(count, 1)
        head = ASCENT_EM + 0.5  # room for the largest number over the plot
        parts = [f'<text x="0" y="{_number(ASCENT_EM)}em">'
                 f'{escape(self.t("stats_most", n=top))}</text>',
                 f'<line class="ll-chart__rule" x1="0" x2="100%" y1="{_number(head)}em" '
                 f'y2="{_number(head)}em" stroke="#595959" stroke-dasharray="4 3"/>']
        for index, row in enumerate(self.rows):
            height = PLOT_EM * row.value / top
            if row.value:
                height = max(height, 0.1)
                parts.append(f'<rect class="ll-chart__bar" '
                             f'x="{_number(index * step + step * 0.15)}%" '
                             f'y="{_number(head + PLOT_EM - height)}em" '
                             f'width="{_number(step * 0.7)}%" height="{_number(height)}em"/>')
        base = head + PLOT_EM
        parts.append(f'<line class="ll-chart__axis" x1="0" x2="100%" y1="{_number(base)}em" '
                     f'y2="{_number(base)}em" stroke="#000"/>')
        for index, year in year_marks([row.label for row in self.rows]):
            parts.append(f'<text x="{_number(index * step + step * 0.15)}%" '
                         f'y="{_number(base + 1.2)}em">{year}</text>')
        return Markup(self._open(base + AXIS_EM) + "".join(parts) + "</svg>")


@dataclass(frozen=True, slots=True)
class Statistics:
    """What the statistics page shows: how many entries, the charts, the map."""

    total: int
    charts: tuple[Chart, ...]
    map: ProvinceMap


def _number(value: float) -> str:
    """A length as the same text on every machine: two decimals at most."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


#: Characters a line may break after (Chinese, Japanese, Korean, full-width forms), each
#: about one em wide.
_WIDE = ("\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
         "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd")
#: What a line is made of: a wide character, or a word of others, with the spaces after it.
_UNITS = re.compile(f"(?:[{_WIDE}]|[^\\s{_WIDE}]+)\\s*|\\s+")
_IS_WIDE = re.compile(f"[{_WIDE}]")


def text_ems(text: str) -> float:
    """About how wide a text is, in ems: a wide character one, any other a little over
    half (Latin letters and digits of common fonts, on average)."""
    return sum(1.0 if _IS_WIDE.match(char) else 0.55 for char in text)


def wrap(text: str, ems: float = LABEL_EMS) -> list[str]:
    """A label cut into lines of at most ``ems``: after any wide character, at spaces
    between words; a word too long for a line alone is cut where it must."""
    lines: list[str] = []
    line = ""
    for unit in _UNITS.findall(text):
        if line.strip() and text_ems((line + unit).rstrip()) > ems:
            lines.append(line.rstrip())
            line = ""
        line += unit
        while text_ems(line.rstrip()) > ems:  # a word longer than a line
            cut = len(line.rstrip())
            while cut > 1 and text_ems(line[:cut]) > ems:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.strip())
    return lines


def year_marks(labels: Sequence[str]) -> list[tuple[int, str]]:
    """(column, year) to write under a month chart: the first column and each January,
    each with ``YEAR_COLUMNS`` columns to its right and since the last one written (the
    first column gives way to a January too close after it)."""
    count = len(labels)
    starts = [index for index, label in enumerate(labels)
              if index == 0 or _year(label) != _year(labels[index - 1])]
    chosen: list[int] = []
    for at, index in enumerate(starts):
        if count - index < YEAR_COLUMNS:
            continue
        if chosen and index - chosen[-1] < YEAR_COLUMNS:
            continue
        following = starts[at + 1] if at + 1 < len(starts) else None
        if index == 0 and following is not None and following < YEAR_COLUMNS and \
                count - following >= YEAR_COLUMNS:
            continue
        chosen.append(index)
    return [(index, _year(labels[index])) for index in chosen]


def _year(label: str) -> str:
    found = re.search(r"\d{4}", label)
    return found.group() if found else ""


def month_label(year: int, month: int, lang: str) -> str:
    if lang == "en":
        return f"{translate('months', lang).split()[month - 1][:3]} {year}"
    return f"{year}年{month}月"


def months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """(year, month) from ``first``'s month to ``last``'s, both included."""
    found = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def largest_first(rows: Iterable[Row]) -> tuple[Row, ...]:
    """Rows by their number, largest first (ties in the order given)."""
    return tuple(sorted(rows, key=lambda row: -row.value))


def catalogue_statistics(catalogue: Catalogue, sections: Sequence[SectionSpec], lang: str,
                         outline: Outline | None = None, months: int = MONTHS) -> Statistics:
    """Every chart of the statistics page for a catalogue (``sections``: those the site
    shows), in ``lang``."""
    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    count = t("stats_count")
    charts = []
    kinds = largest_first(Row(kind.label.get(lang), (len(catalogue.by_kind.get(name, ())),))
                          for name, kind in catalogue.rules.kinds.items()
                          if catalogue.by_kind.get(name))
    charts.append(Chart("kinds", t("stats_kinds"), (t("stats_kind"), count), kinds, lang))
    charts.append(Chart("sections", t("stats_sections"), (t("sections"), count), tuple(
        Row(section.title.get(lang), (len(catalogue.in_section(section)),), section.slug)
        for section in sections), lang))
    subjects = catalogue.rules.vocabularies["subjects"]
    charts.append(Chart("subjects", t("stats_subjects"), (t("stats_subject"), count),
                        largest_first(
        Row(term.label.get(lang), (found,), f"subjects/{term.id}")
        for term in subjects.children(None)
        if (found := len(catalogue.term_index.get(("subjects", term.id), ())))), lang))
    charts.append(_months(catalogue, lang, months))
    charts.append(_marks(catalogue, lang))
    return Statistics(len(catalogue.entries), tuple(charts),
                      province_map(catalogue, lang, outline))


def _months(catalogue: Catalogue, lang: str, months: int) -> Chart:
    published = Counter((e.published.year, e.published.month) for e in catalogue.entries)
    rows: tuple[Row, ...] = ()
    title = translate("stats_months", lang)
    if published:
        last = max(published)
        first = max(min(published), _months_before(last, months - 1))
        span = months_between(dt.date(*first, 1), dt.date(*last, 1))
        rows = tuple(Row(month_label(year, month, lang), (published[(year, month)],))
                     for year, month in span)
        if first != min(published):
            title = translate("stats_months_last", lang, n=len(rows))
    return Chart("months", title, (translate("stats_month", lang),
                                   translate("stats_new", lang)), rows, lang, columns=True)


def _months_before(month: tuple[int, int], count: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 - count
    return index // 12, index % 12 + 1


def _marks(catalogue: Catalogue, lang: str) -> Chart:
    """Marks by the year they were given, with a column of the table for each standard
    (in the order of standards.yml; a mark naming none there, after them by id)."""
    by_year: dict[int, Counter[str]] = {}
    for entry in catalogue.entries:
        for mark in entry.marks:
            by_year.setdefault(int(mark["year"]), Counter())[str(mark["standard"])] += 1
    declared = catalogue.rules.standards
    named = {name for counts in by_year.values() for name in counts}
    standards = [name for name in declared if name in named] + sorted(named - set(declared))
    rows = tuple(Row(translate("stats_year_n", lang, year=year),
                     (*(counts[name] for name in standards), sum(counts.values())))
                 for year, counts in sorted(by_year.items()))
    head = (translate("stats_year", lang),
            *(declared[name].title.get(lang) if name in declared else name
              for name in standards), translate("stats_total", lang))
    return Chart("marks", translate("stats_marks", lang), head, rows, lang)
