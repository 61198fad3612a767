"""A deterministic synthetic catalogue for benchmarks and scale tests.

``write_sample(out, 90_000, catalogue_dir=...)`` writes ``out/content/`` with entries of every
kind in the proportions of the real catalogue (mostly micro-courses, then e-books, teachers
and volunteers, lectures, community sharing activities, centres, series, Learning Stars and
Brand Projects; marks on a few percent of courses: ``lifelong.sample.community``), Chinese
titles, summaries and descriptions built from word lists per subject (``words.yml`` beside
this module), and copies the catalogue rules to ``out/catalogue/``. Every entry is valid
against those rules, nothing points at a local file, and the same arguments always give
byte-identical files: the only sources of chance are ``random.Random`` generators seeded from
``seed``, and nothing depends on the clock, the machine or hash order.

Vocabulary terms are taken from ``catalogue_dir`` (so a renamed region or level still gives a
valid catalogue), and only the fields that ``fields.yml`` declares for a kind are written. The
``featured`` ids in the copied ``sections.yml`` name entries of the real catalogue, which the
sample does not have: the copy features sample entries of each section instead.

Run it with ``lifelong sample --entries N --out DIR``.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import shutil
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import yaml

from lifelong.catalogue.codes import new_code
from lifelong.catalogue.schema import Rules, load_rules
from lifelong.sample.community import Community, Marker
from lifelong.sample.frontmatter import render as _render
from lifelong.sample.words import WORDS as _WORDS
from lifelong.sample.words import pick as _pick

__all__ = ["KIND_DIRS", "LECTURE_HALL", "kind_counts", "write_sample"]

#: The kinds the generator writes (each into its folder from fields.yml).
KIND_DIRS = {"course": "courses", "ebook": "reading", "lecture": "lectures",
             "series": "series", "star": "stars", "project": "projects",
             "teacher": "teachers", "centre": "centres", "activity": "activities"}
#: Share of each kind in the real catalogue (about 80,000 courses and 10,000 e-books; three
#: teachers or volunteers for every hundred courses, a centre for every 150, about as many
#: community sharing activities as lectures).
SHARES = {"course": 0.838, "ebook": 0.10, "lecture": 0.012, "series": 0.004, "star": 0.002,
          "project": 0.002, "teacher": 0.025, "centre": 0.006, "activity": 0.011}
#: Which kinds come first when there are fewer entries than kinds (a lecture needs a series,
#: an activity a teacher and a centre).
PRIORITY = ("course", "ebook", "series", "lecture", "star", "project", "teacher", "centre",
            "activity")
#: Short id prefixes: ids appear in every URL (c000123, b000045, ...). Teachers, centres and
#: activities take theirs in lifelong.sample.community (t, ce, a).
ID_PREFIX = {"course": "c", "ebook": "b", "lecture": "l", "series": "s", "star": "st",
             "project": "pj"}
#: The series of the "lecture-hall" section (catalogue/sections.yml); always generated.
LECTURE_HALL = "community-lecture-hall"

FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)
_FIRST, _LAST = FIRST_DAY.toordinal(), LAST_DAY.toordinal()


def kind_counts(entries: int) -> dict[str, int]:
    """How many entries of each kind ``entries`` gives: every kind at least once from 9 on."""
    if entries < 0:
        raise ValueError(f"entries must be 0 or more, not {entries}")
    if entries < len(PRIORITY):
        chosen = PRIORITY[:entries]
        return {kind: int(kind in chosen) for kind in KIND_DIRS}
    counts = {kind: max(1, round(entries * share)) for kind, share in SHARES.items()
              if kind != "course"}
    return {"course": entries - sum(counts.values()), **counts}


# --- word lists (words.yml) ------------------------------------------------------------------

def _tuples(key: str) -> list[tuple[Any, ...]]:
    return [tuple(item) for item in _WORDS[key]]


#: Topics per subject (leaf term): (中文, English).
_TOPICS: dict[str, list[tuple[str, str]]] = {
    leaf: [cast("tuple[str, str]", tuple(part.strip() for part in line.split("|")))
           for line in lines] for leaf, lines in _WORDS["topics"].items()}
_TOPS: dict[str, dict[str, Any]] = _WORDS["tops"]
_DEFAULT_TOP: dict[str, Any] = _WORDS["default_top"]
_LEAF_AUDIENCES: dict[str, list[str]] = _WORDS["leaf_audiences"]
_LEAF_ROLES: dict[str, list[str]] = _WORDS["leaf_roles"]
_COURSE_PATTERNS = _tuples("course_patterns")
_COURSE_PARTS = _tuples("course_parts")
_KIND_SENTENCES: dict[str, list[str]] = _WORDS["kind_sentences"]
_BOOK_PATTERNS = _tuples("book_patterns")
_LECTURE_PATTERNS = _tuples("lecture_patterns")
_SERIES_PATTERNS = _tuples("series_patterns")
_BOOK_SERIES_PATTERNS = _tuples("book_series_patterns")
_COUNT_ZH: str = _WORDS["count_zh"]
_SURNAMES: str = _WORDS["surnames"]
_COMPOUND_SURNAMES: tuple[str, ...] = tuple(_WORDS["compound_surnames"])
_GIVEN_SINGLE: str = _WORDS["given_single"]
_GIVEN_COMMON: list[str] = _WORDS["given_common"]
_GIVEN_FIRST: str = _WORDS["given_first"]
_GIVEN_SECOND: str = _WORDS["given_second"]
_NATIONAL_PROVIDERS: tuple[str, ...] = tuple(_WORDS["national_providers"])
_PROVIDER_SUFFIXES: tuple[str, ...] = tuple(_WORDS["provider_suffixes"])
_ADMIN_NAMES: dict[str, str] = _WORDS["admin_names"]
_AFFILIATIONS: dict[str, tuple[str, ...]] = {
    role: tuple(names) for role, names in _WORDS["affiliations"].items()}
_NATIONAL_AFFILIATIONS: dict[str, tuple[str, ...]] = {
    role: tuple(names) for role, names in _WORDS["national_affiliations"].items()}
_PUBLISHERS: tuple[str, ...] = tuple(_WORDS["publishers"])
_NATIONAL_VENUES: tuple[str, ...] = tuple(_WORDS["national_venues"])
_VENUES: tuple[str, ...] = tuple(_WORDS["venues"])
_STAR_STORIES = _tuples("star_stories")
_PROJECT_BRANDS: tuple[str, ...] = tuple(_WORDS["project_brands"])
_PROJECT_TYPES: tuple[str, ...] = tuple(_WORDS["project_types"])
_ORGANISER_TYPES: tuple[str, ...] = tuple(_WORDS["organiser_types"])




def _isbn13(publisher_code: str, item: int) -> str:
    digits = f"9787{publisher_code}{item:04d}"
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
    check = (10 - total % 10) % 10
    return f"978-7-{publisher_code}-{item:04d}-{check}"


# --- the generator ---------------------------------------------------------------------------

class _Sample:
    """All choices for one catalogue; ``rng`` is the only source of chance."""

    def __init__(self, rules: Rules, counts: dict[str, int], rng: random.Random) -> None:
        self.rules = rules
        self.counts = counts
        self.rng = rng
        vocab = rules.vocabularies
        self.terms = {name: list(v.terms) for name, v in vocab.items()}
        self.fields = {kind: frozenset(spec.fields) for kind, spec in rules.kinds.items()}
        subjects = vocab["subjects"]
        self.leaves = [t.id for t in subjects.terms.values()
                       if not subjects.children(t.id)] or list(subjects.terms)
        #: Codes given so far: each entry's as ``lifelong codes`` gives it, in the order the
        #: entries are made (no chance involved: the rest of the sample is unchanged by it).
        self.codes: set[str] = set()
        self.top_of = {leaf: (subjects.ancestors(leaf) or (leaf,))[0] for leaf in self.leaves}
        self.leaf_label = {leaf: subjects.terms[leaf].label for leaf in self.leaves}
        tops = list(dict.fromkeys(self.top_of[leaf] for leaf in self.leaves))
        self.tops = tops
        self.leaves_of = {top: [leaf for leaf in self.leaves if self.top_of[leaf] == top]
                          for top in tops}
        self.top_weights = [self._top(top)["weight"] for top in tops]
        regions = vocab.get("regions")
        self.regions = list(regions.terms) if regions else []
        self.provinces = [r for r in self.regions if r != "national"]
        self.region_label = {r: regions.terms[r].label.zh for r in self.regions} if regions \
            else {}
        self.used_titles: dict[str, int] = {}
        self.names_seen: set[str] = set()
        self.course_ids_by_leaf: dict[str, list[str]] = {leaf: [] for leaf in self.leaves}
        self.role_label = {t: v.label.zh for t, v in vocab["speaker_roles"].terms.items()} \
            if "speaker_roles" in vocab else {}

    # - small helpers -
    def _top(self, top: str) -> dict[str, Any]:
        return _TOPS.get(top, _DEFAULT_TOP)

    def term(self, vocabulary: str, preferred: Sequence[str] = (), p: float = 0.9) -> str:
        """A term of a vocabulary: one of ``preferred`` (those that exist) with chance p."""
        terms = self.terms.get(vocabulary) or []
        usable = [t for t in preferred if t in terms]
        if usable and (self.rng.random() < p or not terms):
            return _pick(self.rng, usable)
        return _pick(self.rng, terms)

    def has(self, vocabulary: str, term: str) -> bool:
        return term in (self.terms.get(vocabulary) or ())

    def code(self, entry_id: str) -> int:
        return int(new_code(entry_id, self.codes))

    def leaf(self) -> str:
        top = self.rng.choices(self.tops, self.top_weights)[0]
        return _pick(self.rng, self.leaves_of[top])

    def topic(self, leaf: str) -> tuple[str, str]:
        topics = _TOPICS.get(leaf)
        if topics:
            return _pick(self.rng, topics)
        label = self.leaf_label[leaf]
        return label.zh, label.en or label.zh

    def subjects(self, leaf: str) -> list[str]:
        chosen = [leaf]
        extra = self.rng.choices((0, 1, 2), (55, 35, 10))[0]
        for _ in range(extra):
            near = self.leaves_of[self.top_of[leaf]]
            other = _pick(self.rng, near if self.rng.random() < 0.5 else self.leaves)
            if other not in chosen:
                chosen.append(other)
        return chosen

    def audiences(self, leaf: str) -> list[str]:
        preferred = _LEAF_AUDIENCES.get(leaf) or self._top(self.top_of[leaf])["audiences"]
        chosen = [self.term("audiences", preferred)]
        if self.rng.random() < 0.4:
            other = self.term("audiences", preferred)
            if other not in chosen and "everyone" not in (other, chosen[0]):
                chosen.append(other)
        return chosen

    def audience_label(self, audiences: Sequence[str]) -> str:
        vocab = self.rules.vocabularies["audiences"]
        labels = [vocab.terms[a].label.zh for a in audiences if a != "everyone"]
        return "、".join(labels) + "朋友" if labels else "各年龄段的学习者"

    def region(self, p_national: float = 0.35) -> str | None:
        if not self.regions:
            return None
        if "national" in self.regions and self.rng.random() < p_national:
            return "national"
        return _pick(self.rng, self.provinces or self.regions)

    def place(self, region: str | None) -> tuple[str, str]:
        """(short, administrative) names of a region: 江苏 / 江苏省."""
        if region is None or region == "national":
            return "", ""
        label = self.region_label[region]
        return label, _ADMIN_NAMES.get(label, label + "省")

    def provider(self, region: str | None) -> str:
        short, admin = self.place(region)
        if not short:
            return _pick(self.rng, _NATIONAL_PROVIDERS)
        suffix = _pick(self.rng, _PROVIDER_SUFFIXES)
        return suffix.format(P=admin) if "{P}" in suffix else short + suffix

    def day(self, first: int = _FIRST, last: int = _LAST) -> dt.date:
        """A day, more often recent: the catalogue grows every year."""
        return dt.date.fromordinal(first + int((last - first) * self.rng.random() ** 0.75))

    def updated(self, published: dt.date, p: float = 0.15) -> dt.date | None:
        if self.rng.random() >= p:
            return None
        start = published.toordinal() + 30
        if start > _LAST:
            return None
        return dt.date.fromordinal(self.rng.randint(start, min(_LAST, start + 900)))

    def unique_title(self, zh: str, en: str, kind: str) -> tuple[str, str]:
        """Titles stay distinct: a repeat gets a lesson/edition/session number."""
        key = f"{kind}\0{zh}"
        count = self.used_titles.get(key, 0) + 1
        self.used_titles[key] = count
        if count == 1:
            return zh, en
        if kind == "ebook":
            suffix = "th" if 10 <= count % 100 <= 20 else {2: "nd", 3: "rd"}.get(count % 10, "th")
            return f"{zh}（第{count}版）", f"{en} ({count}{suffix} edition)"
        if kind in ("lecture", "activity"):
            return f"{zh}（第{count}场）", f"{en}, session {count}"
        if zh.endswith("篇）"):  # 合唱发声（实践篇·第2讲）
            return f"{zh[:-1]}·第{count}讲）", f"{en[:-1]}, lesson {count})"
        return f"{zh}（第{count}讲）", f"{en}, lesson {count}"

    def title_en(self, en: str, p: float = 0.4) -> str | None:
        return en if self.rng.random() < p else None

    def fork(self, rng: random.Random) -> _Sample:
        """The same sample (names, titles and codes given so far) drawing from ``rng``."""
        other = copy.copy(self)
        other.rng = rng
        return other

    def person(self, rng: random.Random | None = None) -> str:
        """A new distinct Chinese name (surname + one or two characters)."""
        rng = rng or self.rng
        for _ in range(1000):
            if rng.random() < 0.01:
                surname = _pick(rng, _COMPOUND_SURNAMES)
            else:  # common surnames are much more common
                surname = _SURNAMES[int(len(_SURNAMES) * rng.random() ** 2.2)]
            pick = rng.random()
            if pick < 0.2:
                given = _pick(rng, _GIVEN_SINGLE)
            elif pick < 0.45:
                given = _pick(rng, _GIVEN_COMMON)
            else:
                given = _pick(rng, _GIVEN_FIRST) + _pick(rng, _GIVEN_SECOND)
            name = surname + given
            if name not in self.names_seen:
                self.names_seen.add(name)
                return name
        return name  # the lists are exhausted: a repeat is better than a failure

    def pools(self, total: int) -> dict[str, list[str]]:
        """``total`` people split over the top-level subjects by weight, at least 1 each."""
        weight_sum = sum(self.top_weights)
        return {top: [self.person() for _ in range(max(1, round(total * w / weight_sum)))]
                for top, w in zip(self.tops, self.top_weights, strict=True)}

    def pick_people(self, pool: Sequence[str], p_two: float) -> list[str]:
        """One or two people from a pool; a few are much busier than the rest."""
        first = pool[int(len(pool) * self.rng.random() ** 1.3)]
        chosen = [first]
        if len(pool) > 1 and self.rng.random() < p_two:
            second = _pick(self.rng, pool)
            if second != first:
                chosen.append(second)
        return chosen

    def featured(self, p: float) -> bool | None:
        return True if self.rng.random() < p else None

    def tags(self, leaf: str, p: float = 0.3) -> list[str]:
        if self.rng.random() >= p:
            return []
        tags = self._top(self.top_of[leaf])["tags"]
        return self.rng.sample(tags, min(len(tags), self.rng.randint(1, 2)))

    def related(self, leaf: str, own_id: str, p: float) -> list[str]:
        earlier = self.course_ids_by_leaf.get(leaf) or []
        if not earlier or self.rng.random() >= p:
            return []
        chosen: list[str] = []
        for _ in range(self.rng.randint(1, 2)):
            target = _pick(self.rng, earlier)
            if target != own_id and target not in chosen:
                chosen.append(target)
        return chosen

    def body(self, kind: str, leaf: str, topic: str, audiences: Sequence[str], first: str,
             extra: Sequence[str] = (), points: bool = False) -> str:
        """A description: 2-4 sentences (two paragraphs when long), sometimes a short list."""
        top = self._top(self.top_of[leaf])
        label = self.leaf_label[leaf].zh
        pool = [
            f"{topic}是{label}方面大家普遍关心的话题。",
            f"内容从生活中的实际问题出发，{_pick(self.rng, top['points'])}。",
            f"适合{self.audience_label(audiences)}利用空闲时间学习。",
            *_KIND_SENTENCES.get(kind, ()), *top["sentences"], *extra,
        ]
        count = self.rng.randint(1, 3)
        sentences = [first, *self.rng.sample(pool, min(count, len(pool)))]
        if len(sentences) == 4:
            text = "".join(sentences[:2]) + "\n\n" + "".join(sentences[2:])
        else:
            text = "".join(sentences)
        if points:
            items = self.rng.sample(top["points"], min(3, len(top["points"])))
            text += "\n\n**学习要点：**\n\n" + "\n".join(f"- {item}" for item in items)
        return text + "\n"

    def publisher(self, leaf: str) -> str:
        own = [p for p in self._top(self.top_of[leaf]).get("publishers", ()) if p in _PUBLISHERS]
        return _pick(self.rng, own if own and self.rng.random() < 0.7 else _PUBLISHERS)

    def affiliation(self, role: str, region: str | None) -> str | None:
        short, admin = self.place(region)
        if not short:
            options = _NATIONAL_AFFILIATIONS.get(role)
            return _pick(self.rng, options) if options else None
        options = _AFFILIATIONS.get(role)
        return _pick(self.rng, options).format(p=short, P=admin) if options else None


def _plan_series(sample: _Sample, counts: dict[str, int]) -> list[dict[str, Any]]:
    """Series first: the lecture hall, then series of courses, e-books and lectures."""
    rng = sample.rng
    total = counts["series"]
    if total == 0:
        return []
    hall = {"id": LECTURE_HALL, "for": "lecture", "leaf": None, "start": dt.date(2017, 3, 1),
            "members": 0}
    planned = [hall]
    rest = total - 1
    books = rest // 10
    lectures = rest // 12
    courses = rest - books - lectures
    kinds = ["course"] * courses + ["ebook"] * books + ["lecture"] * lectures
    for number, kind in enumerate(kinds, 1):
        leaf = sample.leaf()
        start = sample.day(_FIRST, _LAST - 240)
        planned.append({"id": f"{ID_PREFIX['series']}{number:05d}", "for": kind, "leaf": leaf,
                        "start": start, "members": 0, "region": sample.region(0.4)})
    for spec in planned[1:]:
        label = sample.leaf_label[cast(str, spec["leaf"])]
        patterns = _BOOK_SERIES_PATTERNS if spec["for"] == "ebook" else _SERIES_PATTERNS
        zh, en = _pick(rng, patterns)
        short, _admin = sample.place(cast("str | None", spec["region"]))
        title = zh.format(l=label.zh)
        title_en = en.format(L=label.en)
        if short and rng.random() < 0.5:
            title = f"{short}·{title}"
            region_id = cast(str, spec["region"])
            region_en = sample.rules.vocabularies["regions"].terms[region_id].label.en
            title_en = f"{title_en} ({region_en})"
        key = f"series\0{title}"
        season = sample.used_titles.get(key, 0) + 1
        sample.used_titles[key] = season
        if season > 1:
            title += f"（第{_COUNT_ZH[season - 1] if season <= 10 else season}季）"
            title_en += f", season {season}"
        spec["title"], spec["title_en"] = title, title_en
    return planned


def _assign(sample: _Sample, series: list[dict[str, Any]], kind: str, count: int,
            share: float) -> list[dict[str, Any] | None]:
    """For each entry of a kind, the series it belongs to (or None)."""
    rng = sample.rng
    mine = [s for s in series if s["for"] == kind and s["id"] != LECTURE_HALL]
    hall = next((s for s in series if s["id"] == LECTURE_HALL), None)
    result: list[dict[str, Any] | None] = []
    for index in range(count):
        chosen = None
        if kind == "lecture" and hall is not None and (index == 0 or rng.random() < 0.4):
            chosen = hall
        elif mine and rng.random() < share:
            chosen = _pick(rng, mine)
        if chosen is not None:
            chosen["members"] += 1
        result.append(chosen)
    for spec in series:  # members are spread evenly from the series' start to LAST_DAY
        if spec["for"] != kind:
            continue
        span = _LAST - spec["start"].toordinal()
        spec["step"] = max(1, min(14, span // max(1, spec["members"])))
    return result


def _member_day(spec: dict[str, Any], order: int) -> dt.date:
    return dt.date.fromordinal(min(_LAST, spec["start"].toordinal() + (order - 1) *
                                   spec["step"]))


def _courses(sample: _Sample, counts: dict[str, int], series: list[dict[str, Any]],
             teachers: dict[str, list[str]], extras: random.Random, marker: Marker
             ) -> Iterable[tuple[dict[str, Any], str]]:
    """Courses; ``extras`` decides which captioned ones link their captions file, and
    ``marker`` gives marks (both apart from ``sample.rng``: the rest stays as it was)."""
    rng = sample.rng
    allowed = sample.fields["course"]
    membership = _assign(sample, series, "course", counts["course"], 0.3)
    orders: dict[str, int] = {}
    for number, spec in enumerate(membership, 1):
        entry_id = f"{ID_PREFIX['course']}{number:06d}"
        if spec is not None:
            leaf = spec["leaf"]
            order = orders[spec["id"]] = orders.get(spec["id"], 0) + 1
            if "teachers" not in spec:
                spec["teachers"] = sample.pick_people(teachers[sample.top_of[leaf]], 0.3)
                spec["provider"] = sample.provider(spec["region"])
            published = _member_day(spec, order)
            region = spec["region"]
        else:
            leaf = sample.leaf()
            order = None
            published = sample.day()
            region = sample.region()
        topic, topic_en = sample.topic(leaf)
        pattern, pattern_en, level = _pick(rng, _COURSE_PATTERNS)
        zh = pattern.format(t=topic)
        en = pattern_en.format(T=topic_en)
        if spec is not None:
            zh = f"{spec['title']}第{order}讲：{zh}"
            en = f"{spec['title_en']}, lesson {order}: {en}"
        elif rng.random() < 0.7:
            part, part_en = _pick(rng, _COURSE_PARTS)
            zh, en = f"{zh}（{part}篇）", f"{en} ({part_en})"
        title, title_en = sample.unique_title(zh, en, "course")
        fmt = sample.term("formats", ["video"] * 14 + ["audio"] * 2 + ["text"] * 3
                          + ["interactive"], 0.98)
        low, high, mode = {"video": (5, 30, 12), "audio": (8, 30, 15), "text": (3, 15, 6),
                           "interactive": (10, 45, 20)}.get(fmt, (5, 30, 12))
        minutes = int(rng.triangular(low, high, mode))
        if level is None or not sample.has("levels", level):
            level = sample.term("levels", ["beginner"] * 6 + ["intermediate"] * 3
                                + ["advanced"], 0.95)
        audiences = sample.audiences(leaf)
        teacher_names = spec["teachers"] if spec is not None else \
            sample.pick_people(teachers[sample.top_of[leaf]], 0.12)
        access = []
        if fmt in ("video", "interactive") and rng.random() < 0.7:
            access.append("captions")
        if fmt == "video" and rng.random() < 0.03:
            access.append("sign-language")
        if fmt == "video" and rng.random() < 0.02:
            access.append("audio-description")
        if "older-adults" in audiences and rng.random() < 0.3:
            access.append("large-print")
        access = [t for t in sample.terms.get("accessibility", []) if t in access]
        chosen = "zh"
        if "sign-language" in access and rng.random() < 0.3:
            chosen = "csl"
        elif region in ("tibet", "xinjiang", "inner-mongolia", "guangdong") and \
                rng.random() < 0.15:
            chosen = {"tibet": "bo", "xinjiang": "ug", "inner-mongolia": "mn",
                      "guangdong": "yue"}[region]
        language = chosen if sample.has("languages", chosen) else None
        materials = []
        if rng.random() < 0.25:
            names = rng.sample(("学习手册", "图解卡片", "练习题", "课件", "要点速查表"),
                               rng.randint(1, 2))
            for n, name in enumerate(names, 1):
                if "large-print" in access and n == 1:
                    name += "（大字版）"
                materials.append({"title": f"{topic}{name}",
                                  "link": f"https://example.org/materials/{entry_id}-{n}.pdf"})
        captions = [{"link": f"https://example.org/captions/{entry_id}.zh.vtt", "lang": "zh"}] \
            if "captions" in access and extras.random() < 0.25 else None
        summary = _pick(rng, (
            f"本课围绕{topic}，{_pick(rng, sample._top(sample.top_of[leaf])['points'])}，"
            f"适合{sample.audience_label(audiences)}学习。",
            f"用{minutes}分钟讲清{topic}的要点，"
            f"{_pick(rng, sample._top(sample.top_of[leaf])['points'])}。",
            f"{teacher_names[0]}老师结合生活实例讲解{topic}，"
            f"{_pick(rng, sample._top(sample.top_of[leaf])['points'])}。",
        ))
        first = f"{teacher_names[0]}老师带大家学习{topic}。" if rng.random() < 0.5 else \
            f"这节课讲的是{topic}。"
        meta = {
            "kind": "course", "id": entry_id, "code": sample.code(entry_id),
            "title": title,
            "title_en": sample.title_en(title_en), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences, "language": language,
            "published": published, "updated": sample.updated(published),
            "provider": spec["provider"] if spec is not None else sample.provider(region),
            "region": region, "tags": sample.tags(leaf),
            "featured": sample.featured(0.002),
            "related": sample.related(leaf, entry_id, 0.04),
            "duration_minutes": minutes, "level": level, "format": fmt,
            "teachers": teacher_names,
            "series": spec["id"] if spec is not None else None, "series_order": order,
            "video": f"https://example.org/video/{entry_id}.mp4" if fmt == "video" else None,
            "audio": f"https://example.org/audio/{entry_id}.m4a" if fmt == "audio" else None,
            "captions": captions, "materials": materials, "accessibility": access,
        }
        meta["marks"] = marker.marks(meta, published)
        body = sample.body("course", leaf, topic, audiences, first, points=rng.random() < 0.2)
        sample.course_ids_by_leaf[leaf].append(entry_id)
        yield meta, _render(meta, body, allowed)


def _ebooks(sample: _Sample, counts: dict[str, int], series: list[dict[str, Any]],
            authors: dict[str, list[str]]) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["ebook"]
    membership = _assign(sample, series, "ebook", counts["ebook"], 0.15)
    orders: dict[str, int] = {}
    isbn_items: dict[str, int] = {}
    codes = {name: f"{5012 + 37 * i:04d}" for i, name in enumerate(_PUBLISHERS)}
    file_types = sample.terms.get("file_types", [])
    for number, spec in enumerate(membership, 1):
        entry_id = f"{ID_PREFIX['ebook']}{number:06d}"
        if spec is not None:
            leaf = spec["leaf"]
            order = orders[spec["id"]] = orders.get(spec["id"], 0) + 1
            if "publisher" not in spec:
                spec["publisher"] = sample.publisher(leaf)
            published = _member_day(spec, order)
            publisher = spec["publisher"]
        else:
            leaf = sample.leaf()
            order = None
            published = sample.day()
            publisher = sample.publisher(leaf)
        topic, topic_en = sample.topic(leaf)
        pattern, pattern_en = _pick(rng, _BOOK_PATTERNS)
        title, title_en = sample.unique_title(
            pattern.format(t=topic), pattern_en.format(T=topic_en, t_en=topic_en[:1].lower()
                                                       + topic_en[1:]), "ebook")
        names = sample.pick_people(authors[sample.top_of[leaf]], 0.25)
        year = max(1990, published.year - int(rng.random() ** 2 * 12))
        pages = int(rng.triangular(60, 480, 180))
        isbn = None
        if rng.random() < 0.85:
            item = isbn_items[publisher] = isbn_items.get(publisher, 0) + 1
            isbn = _isbn13(codes[publisher], item % 10000)
        files = []
        for file_type, chance, ext, per_page in (("epub", 0.7, ".epub", 6000),
                                                 ("pdf", 0.6, ".pdf", 45000),
                                                 ("html", 0.3, "/", 0),
                                                 ("audio", 0.1, ".m4a", 350000)):
            if file_type in file_types and rng.random() < chance:
                files.append({"type": file_type,
                              "link": f"https://example.org/books/{entry_id}{ext}",
                              "size": per_page * pages + rng.randint(0, 99999)
                              if per_page else None})
        if not files and file_types:
            files.append({"type": file_types[0],
                          "link": f"https://example.org/books/{entry_id}/", "size": None})
        audiences = sample.audiences(leaf)
        point = _pick(rng, sample._top(sample.top_of[leaf])["points"])
        summary = _pick(rng, (
            f"本书围绕{topic}，{point}，图文并茂，适合{sample.audience_label(audiences)}阅读。",
            f"一本写给普通读者的{topic}读物：{point}。",
        ))
        first = (f"本书由{'、'.join(names)}编著，共{rng.randint(6, 16)}章，"
                 f"{publisher}{year}年出版。")
        meta = {
            "kind": "ebook", "id": entry_id, "code": sample.code(entry_id),
            "title": title,
            "title_en": sample.title_en(title_en), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences, "language": "zh",
            "published": published, "updated": sample.updated(published, 0.05),
            "provider": _pick(rng, ("国家数字图书馆", "国家开放大学图书馆", "全民阅读资源中心")),
            "region": "national" if sample.has("regions", "national") else None,
            "tags": sample.tags(leaf, 0.2), "featured": sample.featured(0.01),
            "related": sample.related(leaf, entry_id, 0.03),
            "authors": names, "publisher": publisher, "year": year, "isbn": isbn,
            "pages": pages, "series": spec["id"] if spec is not None else None,
            "series_order": order, "files": files,
            # From the number, not the random stream (the rest of the sample stays as it was):
            # a licence for one in four, a library's record number for one in three.
            "licence": "cc-by-nc-4.0" if number % 4 == 0 and sample.has(
                "licences", "cc-by-nc-4.0") else None,
            "identifiers": [{"scheme": "source", "value": f"NLC-{number:06d}"}]
            if number % 3 == 0 and sample.has("identifier_schemes", "source") else None,
        }
        body = sample.body("ebook", leaf, topic, audiences, first)
        yield meta, _render(meta, body, allowed)


def _lectures(sample: _Sample, counts: dict[str, int], series: list[dict[str, Any]],
              speakers: dict[str, list[tuple[str, str, str | None]]], community: Community
              ) -> Iterable[tuple[dict[str, Any], str]]:
    """Lectures; about half of those held in person are at a centre of their province
    (chosen apart from ``sample.rng``: the rest stays as it was)."""
    rng = sample.rng
    places = community.rng("lecture centres")
    allowed = sample.fields["lecture"]
    membership = _assign(sample, series, "lecture", counts["lecture"], 0.3)
    orders: dict[str, int] = {}
    for number, spec in enumerate(membership, 1):
        entry_id = f"{ID_PREFIX['lecture']}{number:06d}"
        hall = spec is not None and spec["id"] == LECTURE_HALL
        order = None
        if spec is not None:
            order = orders[spec["id"]] = orders.get(spec["id"], 0) + 1
            day = _member_day(spec, order)
        else:
            day = sample.day(_FIRST + 14)
        leaf = spec["leaf"] if spec is not None and spec["leaf"] else sample.leaf()
        region = "national" if hall and sample.has("regions", "national") else \
            sample.region(0.2)
        if hall:
            mode = sample.term("lecture_modes", ["livestream"], 0.9)
            clock = "19:30"
        else:
            mode = sample.term("lecture_modes", ["in-person"] * 9 + ["livestream"] * 7
                               + ["recorded"] * 4, 0.98)
            clock = _pick(rng, ("09:30", "14:30", "15:00", "19:00", "19:30"))
        starts = dt.datetime.fromisoformat(f"{day.isoformat()}T{clock}:00+08:00")
        published = dt.date.fromordinal(max(_FIRST, day.toordinal() - rng.randint(3, 14)))
        topic, topic_en = sample.topic(leaf)
        pattern, pattern_en = _pick(rng, _LECTURE_PATTERNS)
        zh, en = pattern.format(t=topic), pattern_en.format(T=topic_en)
        if hall:
            zh, en = f"大讲堂第{order}期：{topic}", f"Lecture Hall no. {order}: {topic_en}"
        elif spec is not None:
            zh = f"{spec['title']}第{order}讲：{zh}"
            en = f"{spec['title_en']}, lecture {order}: {en}"
        title, title_en = sample.unique_title(zh, en, "lecture")
        pool = speakers[sample.top_of[leaf]]
        chosen = [pool[int(len(pool) * rng.random() ** 1.4)]]
        if len(pool) > 1 and rng.random() < 0.2:
            other = _pick(rng, pool)
            if other[0] != chosen[0][0]:
                chosen.append(other)
        audiences = sample.audiences(leaf)
        if hall and "community-residents" not in audiences and rng.random() < 0.5:
            audiences = ["community-residents", *audiences][:2]
        first_speaker = chosen[0]
        role = sample.role_label.get(first_speaker[1], "")
        how = {"livestream": "讲座在线直播，直播结束后可以观看回放。",
               "in-person": "讲座在现场举行，免费入场，座位有限，先到先得。",
               "recorded": "讲座以录播形式发布，可以随时观看。"}.get(mode, "")
        summary = f"{role}{first_speaker[0]}主讲{topic}，" \
                  f"{_pick(rng, sample._top(sample.top_of[leaf])['points'])}。"
        first = (f"本期讲座邀请{first_speaker[2] or ''}{role}{first_speaker[0]}，"
                 f"和大家聊一聊{topic}。")
        _short, admin = sample.place(region)
        meta = {
            "kind": "lecture", "id": entry_id, "code": sample.code(entry_id),
            "title": title,
            "title_en": sample.title_en(title_en), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences, "language": "zh",
            "published": published, "updated": None,
            "provider": "国家开放大学" if hall else sample.provider(region), "region": region,
            "tags": sample.tags(leaf, 0.3), "featured": sample.featured(0.03),
            "related": sample.related(leaf, entry_id, 0.15),
            "speakers": [{"name": name, "role": role_id, "affiliation": affiliation}
                         for name, role_id, affiliation in chosen],
            "starts": starts, "duration_minutes": _pick(rng, (45, 60, 60, 90, 90, 120)),
            "mode": mode,
            "venue": (admin + _pick(rng, _VENUES) if admin else _pick(rng, _NATIONAL_VENUES))
            if mode == "in-person" else None,
            "centre": community.centre_for_lecture(places, region) if mode == "in-person"
            else None,
            "livestream_url": f"https://example.org/live/{entry_id}" if mode == "livestream"
            else None,
            "replay": f"https://example.org/replay/{entry_id}.mp4"
            if mode == "recorded" or (mode == "livestream" and rng.random() < 0.5) else None,
            "series": spec["id"] if spec is not None else None, "series_order": order,
        }
        body = sample.body("lecture", leaf, topic, audiences, first, extra=[how] if how else ())
        yield meta, _render(meta, body, allowed)


def _series_entries(sample: _Sample, series: list[dict[str, Any]]
                    ) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["series"]
    what = {"course": "系列微课", "ebook": "系列丛书", "lecture": "系列讲座"}
    units = {"course": "节微课", "ebook": "本图书", "lecture": "期讲座"}
    for spec in series:
        if spec["id"] == LECTURE_HALL:
            subjects = [t for t in ("culture", "health", "science-tech")
                        if sample.has("subjects", t)] or [sample.leaf()]
            meta = {
                "kind": "series", "id": LECTURE_HALL, "code": sample.code(LECTURE_HALL),
                "title": "网上社区教育大讲堂",
                "title_en": "Online Community Education Lecture Hall",
                "summary": "每周一期，邀请专家学者和各行各业的能手，"
                           "为社区居民讲健康、讲文化、讲科学。",
                "subjects": subjects,
                "audiences": [a for a in ("community-residents", "older-adults")
                              if sample.has("audiences", a)],
                "published": spec["start"], "region": "national" if sample.has(
                    "regions", "national") else None,
                "featured": True, "organiser": "国家开放大学",
            }
            body = ("“网上社区教育大讲堂”是面向全国社区居民的线上公益讲座品牌。"
                    "晚上七点半准时开讲，每期一个主题，讲给百姓听。\n\n"
                    "错过直播也没关系，大部分讲座都可以观看回放。\n")
            yield meta, _render(meta, body, allowed)
            continue
        leaf = spec["leaf"]
        audiences = sample.audiences(leaf)
        organiser = spec.get("provider") or sample.provider(spec["region"])
        label = sample.leaf_label[leaf].zh
        point = _pick(rng, sample._top(sample.top_of[leaf])["points"])
        summary = f"共{spec['members']}{units[spec['for']]}，围绕{label}，{point}。" \
            if spec["members"] else f"围绕{label}的{what[spec['for']]}，{point}。"
        first = f"“{spec['title']}”是{organiser}推出的{what[spec['for']]}。"
        meta = {
            "kind": "series", "id": spec["id"], "code": sample.code(spec["id"]),
            "title": spec["title"],
            "title_en": sample.title_en(spec["title_en"], 0.6), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences,
            "published": spec["start"], "updated": sample.updated(spec["start"], 0.3),
            "provider": organiser, "region": spec["region"], "tags": sample.tags(leaf, 0.4),
            "featured": sample.featured(0.05), "organiser": organiser,
        }
        extra = ["建议按序号循序渐进地学习，每一期都可以单独观看。"]
        yield meta, _render(meta, sample.body("series", leaf, label, audiences, first,
                                                              extra), allowed)


def _stars(sample: _Sample, count: int) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["star"]
    for number in range(1, count + 1):
        entry_id = f"{ID_PREFIX['star']}{number:06d}"
        leaf = sample.leaf()
        skill, skill_en = sample.topic(leaf)
        name = sample.person()
        year = rng.randint(2015, 2025)
        published = dt.date(year, 12, 1) + dt.timedelta(days=rng.randint(0, 150))
        published = min(published, LAST_DAY)
        region = sample.region(0.0)
        short, admin = sample.place(region)
        age = rng.randint(55, 82) if rng.random() < 0.7 else rng.randint(24, 54)
        pron = "她" if rng.random() < 0.6 else "他"
        k, y = rng.randint(5, 60), rng.randint(3, 20)
        headline, headline_en = _pick(rng, _STAR_STORIES)
        fill = {"age": age, "skill": skill, "pron": pron, "k": k, "y": y,
                "skill_en": skill_en[:1].lower() + skill_en[1:]}
        title, _ = sample.unique_title(f"{name}：{headline.format(**fill)}", "", "star")
        title_en = None
        if rng.random() < 0.4:
            from pypinyin import lazy_pinyin  # heavy import, only for stars

            syllables = lazy_pinyin(name)
            cut = 2 if name[:2] in _COMPOUND_SURNAMES else 1
            romanised = "".join(syllables[:cut]).title() + " " + "".join(syllables[cut:]).title()
            title_en = f"{romanised}: {headline_en.format(**fill)}"
        school = f"{short}老年大学" if short else "社区学校"
        story = [
            f"{name}，{short}人，今年{age}岁。" if short else f"{name}，今年{age}岁。",
            f"{year - y}年，{pron}走进{school}，开始学习{skill}。",
            f"从一开始什么都不懂，到后来熟练掌握、还能给别人当老师，{pron}用了整整{y}年。",
            f"如今，{pron}还组建了学习小组，带动{k}位邻居一起学习。",
            f"{pron}常说：“活到老，学到老，学习让生活更充实。”",
        ]
        body = "".join(story[:2]) + "\n\n" + "".join(story[2:2 + rng.randint(1, 3)]) + "\n"
        meta = {
            "kind": "star", "id": entry_id, "code": sample.code(entry_id),
            "title": title, "title_en": title_en,
            "summary": f"{short or ''}{name}坚持学习{skill}，{year}年入选百姓学习之星。",
            "subjects": sample.subjects(leaf), "audiences": sample.audiences(leaf),
            "published": published, "provider": f"{admin}终身学习活动周组委会" if admin
            else "全民终身学习活动周组委会", "region": region,
            "featured": sample.featured(0.1), "name": name, "year": year,
        }
        yield meta, _render(meta, body, allowed)


def _projects(sample: _Sample, count: int, marker: Marker
              ) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["project"]
    for number in range(1, count + 1):
        entry_id = f"{ID_PREFIX['project']}{number:06d}"
        leaf = sample.leaf()
        region = sample.region(0.05)
        short, admin = sample.place(region)
        brand = _pick(rng, _PROJECT_BRANDS)
        kind_zh = _pick(rng, _PROJECT_TYPES)
        title, _ = sample.unique_title(f"{short}“{brand}”{kind_zh}", "", "project")
        organiser_type = _pick(rng, _ORGANISER_TYPES)
        if not admin:
            organiser = _pick(rng, _NATIONAL_PROVIDERS)
        elif organiser_type.endswith("大学"):  # 江苏开放大学, but 江苏省图书馆
            organiser = short + organiser_type
        else:
            organiser = admin + organiser_type
        year = rng.randint(2015, 2025)
        published = min(LAST_DAY, dt.date(year, 10, 1) + dt.timedelta(days=rng.randint(0, 200)))
        label = sample.leaf_label[leaf].zh
        sessions, people = rng.randint(50, 3000), rng.randint(1, 80)
        body = (f"“{brand}”由{organiser}于{year - rng.randint(0, 6)}年创立，以{label}为特色，"
                f"面向{sample.audience_label(sample.audiences(leaf))}开展常态化学习活动。"
                f"项目累计开展活动{sessions}场，服务学习者{people}万人次。\n\n"
                f"{year}年，项目被认定为终身学习品牌项目。\n")
        meta = {
            "kind": "project", "id": entry_id, "code": sample.code(entry_id),
            "title": title,
            "summary": f"{organiser}打造的{kind_zh}，以{label}为特色，把学习送到百姓家门口。",
            "subjects": sample.subjects(leaf), "audiences": sample.audiences(leaf),
            "published": published, "region": region, "featured": sample.featured(0.1),
            "organiser": organiser, "year": year,
            "website": f"https://example.org/projects/{entry_id}/" if rng.random() < 0.7
            else None,
        }
        meta["marks"] = marker.marks(meta, published, year)
        yield meta, _render(meta, body, allowed)


def _pages(counts: dict[str, int], seed: int) -> dict[str, str]:
    index = (
        "---\ntitle: 终身学习资源目录\n---\n"
        "汇聚全国优质的终身学习资源：微课、电子书、公益讲座、系列课程，"
        "以及各地的百姓学习之星和终身学习品牌项目，人人皆学、处处能学、时时可学。\n\n"
        f"本目录为测试用的示例数据（随机种子 {seed}），共收录微课 {counts['course']} 门、"
        f"电子书 {counts['ebook']} 种、讲座 {counts['lecture']} 场、系列 {counts['series']} 个、"
        f"百姓学习之星 {counts['star']} 位、终身学习品牌项目 {counts['project']} 个，"
        f"师资与志愿者 {counts['teacher']} 位、学习中心 {counts['centre']} 个、"
        f"社区分享活动 {counts['activity']} 场。\n")
    about = (
        "---\ntitle: 关于\n---\n"
        "终身学习资源目录收录全国各地开放大学、老年大学、社区学院和图书馆提供的学习资源。\n\n"
        "本站内容由程序按固定规则生成，仅用于性能测试和功能演示；其中的人名、机构、"
        "地址、电话、书号和链接均为虚构。\n")
    return {"index.md": index, "about.md": about}


class _SectionMatcher:
    """Collects, per section of sections.yml, the generated entries it holds (as
    ``Catalogue.matches`` decides, from the front matter written)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.sections = [s for s in rules.sections if s.featured]
        self.found: dict[str, list[str]] = {s.slug: [] for s in self.sections}

    def add(self, meta: dict[str, Any]) -> None:
        for section in self.sections:
            if self.matches(meta, section.where):
                self.found[section.slug].append(meta["id"])

    def matches(self, meta: dict[str, Any], where: Any) -> bool:
        kind = self.rules.kinds[meta["kind"]]
        for name, allowed in where.items():
            if name == "kind":
                values: list[Any] = [meta["kind"]]
            else:
                spec = kind.fields.get(name)
                if spec is None:
                    return False
                value = meta.get(name)
                if value is None:
                    value = spec.default
                values = list(value) if isinstance(value, (list, tuple)) else [value]
                if spec.type == "term" and spec.vocabulary:
                    vocab = self.rules.vocabularies[spec.vocabulary]
                    values = [a for v in values if v in vocab.terms
                              for a in (*vocab.ancestors(v), v)]
            if not any(str(v) in allowed for v in values if v is not None):
                return False
        return True


def _replace_featured(path: Path, rules: Rules, matcher: _SectionMatcher,
                      rng: random.Random) -> None:
    """The copied sections.yml names featured entries of the real catalogue, which the sample
    does not have: feature as many of the sample's own entries instead (or none). Only the
    ``featured`` values change; comments and layout stay."""
    chosen: dict[str, list[str]] = {}
    for section in matcher.sections:
        candidates = matcher.found[section.slug]
        count = min(len(section.featured), len(candidates))
        chosen[section.slug] = rng.sample(candidates, count)
    if not chosen:
        return
    text = path.read_text(encoding="utf-8")
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spans = []
    for item in getattr(node, "value", []):
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = {key.value: value for key, value in item.value}
        slug = getattr(fields.get("slug"), "value", None)
        value = fields.get("featured")
        if slug in chosen and value is not None:
            flow = "[" + ", ".join(chosen[slug]) + "]"
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                # a block list: from after 'featured:' to the end of its last item's line
                key = next(k for k, _ in item.value if k.value == "featured")
                start = text.index(":", key.end_mark.index) + 1
                end = text.find("\n", value.value[-1].end_mark.index)
                spans.append((start, len(text) if end < 0 else end, " " + flow))
            else:
                spans.append((value.start_mark.index, value.end_mark.index, flow))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    data = yaml.safe_load(text)
    result = {d.get("slug"): list(d.get("featured") or []) for d in data
              if isinstance(d, dict) and d.get("slug") in chosen} \
        if isinstance(data, list) else None
    if result != chosen:  # an unexpected layout: write the data plainly instead
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data:
            if item.get("slug") in chosen:
                item["featured"] = chosen[item["slug"]]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_bytes(text.encode("utf-8"))


def _write_files(batch: list[tuple[Path, str]]) -> None:
    for path, text in batch:
        with open(path, "xb") as handle:  # text has "\n" line ends only
            handle.write(text.encode("utf-8"))


def write_sample(out: Path, entries: int, *, catalogue_dir: Path, seed: int = 0
                 ) -> dict[str, int]:
    """Write a synthetic catalogue of ``entries`` entries to ``out/content/`` and copy
    ``catalogue_dir`` to ``out/catalogue/``; return the number of entries of each kind.

    The same arguments (and the same catalogue rules) always give byte-identical files.
    In the copy of ``sections.yml`` only the ``featured`` lists change (to sample entries).
    Refuses (FileExistsError) to write into a non-empty ``out/content/`` or an existing
    ``out/catalogue/``.
    """
    out = Path(out)
    catalogue_dir = Path(catalogue_dir)
    content = out / "content"
    if content.exists() and (not content.is_dir() or any(content.iterdir())):
        raise FileExistsError(f"{content} already exists and is not empty; choose a new "
                              "output folder or empty it first")
    if (out / "catalogue").exists():
        raise FileExistsError(f"{out / 'catalogue'} already exists; choose a new output folder "
                              "or remove it first")
    counts = kind_counts(entries)
    rules = load_rules(catalogue_dir)
    missing = [kind for kind in KIND_DIRS if kind not in rules.kinds and counts[kind]]
    if missing:
        raise ValueError(f"{catalogue_dir}/fields.yml has no kind {', '.join(missing)}")
    sample = _Sample(rules, counts, random.Random(seed))
    teachers = sample.pools(max(1, round(counts["course"] / 20)))
    authors = sample.pools(max(1, round(counts["ebook"] / 2.5)))
    speaker_names = sample.pools(max(1, round(counts["lecture"] / 1.5)))
    speakers: dict[str, list[tuple[str, str, str | None]]] = {}
    for top, names in speaker_names.items():
        roles = _TOPS.get(top, _DEFAULT_TOP)["roles"]
        speakers[top] = []
        for name in names:
            role = sample.term("speaker_roles", roles, 0.95)
            region = sample.region(0.3)
            affiliation = sample.affiliation(role, region) if sample.rng.random() < 0.85 \
                else None
            speakers[top].append((name, role, affiliation))
    series = _plan_series(sample, counts)
    # Teachers and centres are planned before any entry is written: lectures and activities
    # point at them. Each part has a random stream of its own (see lifelong.sample.community).
    community = Community(sample, counts, seed, series, FIRST_DAY, LAST_DAY)
    community.plan_centres()
    community.plan_teachers(teachers, speakers)
    marker = Marker(rules, community.rng("marks"), LAST_DAY.year)

    folders = {kind: rules.kinds[kind].folder for kind in KIND_DIRS if kind in rules.kinds}
    for folder in folders.values():
        (content / folder).mkdir(parents=True, exist_ok=True)
    generators = (
        _courses(sample, counts, series, teachers, community.rng("captions"), marker),
        _ebooks(sample, counts, series, authors),
        _lectures(sample, counts, series, speakers, community),
        _series_entries(sample, series), _stars(sample, counts["star"]),
        _projects(sample, counts["project"], marker),
        community.teacher_entries(), community.centre_entries(), community.activity_entries())
    written = dict.fromkeys(KIND_DIRS, 0)
    matcher = _SectionMatcher(rules)
    # One thread writes while this one generates: file system calls release the GIL.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sample-writer") as writer:
        pending: deque[Future[None]] = deque()
        batch: list[tuple[Path, str]] = []
        for generator in generators:  # series last: their summaries count their members
            for meta, text in generator:
                kind = meta["kind"]
                batch.append((content / folders[kind] / f"{meta['id']}.md", text))
                written[kind] += 1
                matcher.add(meta)
                if len(batch) >= 500:
                    pending.append(writer.submit(_write_files, batch))
                    batch = []
                    while len(pending) > 8:  # bounded memory when the disk is slow
                        pending.popleft().result()
        pending.append(writer.submit(_write_files, batch))
        for future in pending:
            future.result()
    for name, text in _pages(counts, seed).items():
        (content / name).write_bytes(text.encode("utf-8"))
    shutil.copytree(catalogue_dir, out / "catalogue")
    _replace_featured(out / "catalogue" / "sections.yml", rules, matcher, sample.rng)
    return written

