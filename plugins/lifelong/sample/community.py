"""Teachers, learning centres, community sharing activities and marks for the synthetic
catalogue, as the platform has them (issue 22).

- Teachers (a few per hundred courses): mostly the busiest people already named on the
  sample's courses and lectures (so their person pages become profiles), then volunteers,
  artisans and inheritors of intangible heritage who share in communities. A few pairs of
  them share a name in different provinces; activities name those by id.
- Centres over every province by population (2020 census), in their cities and counties,
  of every centre type in the shares of ``words.yml``; some follow series and sections.
- Activities at those centres, shared by teachers who share in the centre's province when
  there are any, before and after the catalogue's last day.
- Marks on the entries that meet every checkable criterion of a standard of
  ``catalogue/standards.yml``, with the chance ``words.yml`` gives it.

Each part draws from a ``random.Random`` of its own (seeded from the sample's seed and its
name), so that adding one changes nothing in the others.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lifelong.sample.frontmatter import render
from lifelong.sample.words import WORDS, pick

if TYPE_CHECKING:
    from lifelong.catalogue.schema import Rules, Standard
    from lifelong.sample import _Sample

_PROVINCES: dict[str, dict[str, Any]] = WORDS["provinces"]
_STREETS: tuple[str, ...] = tuple(WORDS["streets"].split())
_CENTRE_TYPES: dict[str, dict[str, Any]] = WORDS["centre_types"]
_CENTRE_HOURS: list[list[str]] = WORDS["centre_hours"]
_CENTRE_BODIES: list[str] = WORDS["centre_bodies"]
_ROOMS: list[str] = WORDS["activity_rooms"]
_ACTIVITY_PATTERNS: list[str] = WORDS["activity_patterns"]
_TEACHER_SUMMARIES: dict[str, list[str]] = WORDS["teacher_summaries"]
_MARK_CHANCES: dict[str, float] = WORDS["mark_chances"]
_MARK_NOTES: list[str] = WORDS["mark_notes"]
#: Who the new people (not named on courses or lectures) are: mostly volunteers.
_NEW_ROLES = ("volunteer",) * 11 + ("ich-inheritor",) * 3 + ("artisan",) * 3 + ("doctor",) * 2 \
    + ("teacher",)
#: The earliest day a teacher, centre or activity is published (the pools began in 2019).
_SINCE = dt.date(2019, 1, 1).toordinal()


@dataclass(frozen=True)
class City:
    name: str
    area_code: str
    lat: float
    lon: float
    counties: tuple[str, ...]


def _cities(province: Mapping[str, Any]) -> list[City]:
    cities = []
    for line in province["cities"]:
        name, code, where, counties = line.split("|")
        lat, lon = where.split(",")
        cities.append(City(name, code, float(lat), float(lon), tuple(counties.split(","))))
    return cities


@dataclass
class TeacherPlan:
    """A teacher entry to be written, and how activities name them."""

    id: str
    name: str
    top: str
    leaf: str
    roles: list[str]
    region: str
    organisation: str | None
    sharing: bool
    sharing_regions: list[str]
    #: What activities write in ``teachers``: the name, or the id when the name is shared.
    ref: str = ""
    #: Another teacher has the same name.
    namesake: bool = False


@dataclass
class CentrePlan:
    id: str
    title: str
    centre_type: str
    region: str
    city: City
    county: str | None
    street: str


class Community:
    """The plans of teachers and centres (made before any entry is written: lectures and
    activities point at them) and the writers of their entries."""

    def __init__(self, sample: _Sample, counts: Mapping[str, int], seed: int,
                 series: Sequence[Mapping[str, Any]], first: dt.date, last: dt.date) -> None:
        self.sample = sample
        self.counts = counts
        self.seed = seed
        self.series = series
        self.first, self.last = first, last
        self.provinces = [r for r in sample.provinces if sample.region_label.get(r)]
        self.weights = [float(self._province(r).get("population", 30.0))
                        for r in self.provinces]
        self.cities = {r: _cities(self._province(r)) for r in self.provinces
                       if self._province(r).get("cities")}
        self.teachers: list[TeacherPlan] = []
        self.centres: list[CentrePlan] = []
        self.centres_by_region: dict[str, list[CentrePlan]] = defaultdict(list)

    def _province(self, region: str) -> dict[str, Any]:
        return _PROVINCES.get(self.sample.region_label.get(region, ""), {})

    def rng(self, part: str) -> random.Random:
        """The random generator of one part of the sample (a string seed is hashed with
        SHA-512: the same on every machine and run)."""
        return random.Random(f"{part} {self.seed}")

    def province(self, rng: random.Random) -> str:
        """A province, by population."""
        return rng.choices(self.provinces, self.weights)[0]

    # --- plans ------------------------------------------------------------------------

    def plan_teachers(self, course_teachers: Mapping[str, Sequence[str]],
                      speakers: Mapping[str, Sequence[tuple[str, str, str | None]]]) -> None:
        """Half the teachers are the busiest people on courses (the first of each pool,
        whom ``pick_people`` names most), some are lecture speakers, the rest new."""
        total = self.counts.get("teacher", 0)
        if not total or not self.provinces:
            return
        rng = self.rng("teachers")
        sample = self.sample.fork(rng)
        role_of = sample.role_label
        chosen: list[tuple[str, str, list[str], str | None]] = []  # name, top, roles, org
        pool_size = sum(len(names) for names in course_teachers.values())
        want = min(pool_size, round(total * 0.5)) if total > 1 else min(pool_size, 1)
        for top, names in course_teachers.items():
            for name in names[:max(1, round(len(names) * want / max(1, pool_size)))]:
                roles = [sample.term("speaker_roles", _top_roles(sample, top), 0.9)]
                chosen.append((name, top, roles, None))
        chosen = chosen[:want]
        taken = {name for name, *_ in chosen}
        spoken = [(top, person) for top, people in speakers.items() for person in people
                  if person[0] not in taken]
        for top, (name, role, affiliation) in spoken[:min(len(spoken),
                                                          round(total * 0.15))]:
            if len(chosen) < total:
                chosen.append((name, top, [role], affiliation))
        new = total - len(chosen)
        pairs = min(new // 2, max(1 if total >= 20 else 0, total // 250))
        for _ in range(new - pairs):
            top = rng.choices(sample.tops, sample.top_weights)[0]
            role = pick(rng, _NEW_ROLES)
            if role not in role_of:
                role = pick(rng, list(role_of) or ["teacher"])
            chosen.append((sample.person(), top, [role], None))
        labels = [(sample.region_label[r], r) for r in self.provinces]
        for number, (name, top, roles, organisation) in enumerate(chosen, 1):
            # A speaker works where their affiliation is (四川大学: Sichuan), if it says.
            region = next((r for label, r in labels if organisation and label in organisation),
                          None) or self.province(rng)
            if rng.random() < 0.15 and "volunteer" in role_of and roles[0] != "volunteer":
                roles = [*roles, "volunteer"]
            organisation = organisation or sample.affiliation(roles[0], region)
            sharing = rng.random() < (0.9 if "volunteer" in roles else 0.5)
            regions = [region]
            if sharing and rng.random() < 0.3:
                other = self.province(rng)
                if other != region:
                    regions.append(other)
            plan = TeacherPlan(f"t{number:06d}", name, top, pick(rng, sample.leaves_of[top]),
                               roles, region, organisation, sharing,
                               regions if sharing else [])
            plan.ref = plan.id if rng.random() < 0.1 else name
            self.teachers.append(plan)
        # Namesakes: people of one name in two provinces, each named by id.
        newcomers = self.teachers[len(chosen) - (new - pairs):]
        for number, first in enumerate(newcomers[:pairs], len(self.teachers) + 1):
            region = next((r for r in (self.province(rng) for _ in range(5))
                           if r != first.region), first.region)
            twin = TeacherPlan(f"t{number:06d}", first.name, first.top, first.leaf,
                               list(first.roles), region,
                               sample.affiliation(first.roles[0], region), True, [region])
            first.ref, twin.ref = first.id, twin.id
            first.namesake = twin.namesake = True
            self.teachers.append(twin)

    def plan_centres(self) -> None:
        """Centres over the provinces by population (each province one at least, when there
        are as many centres as provinces), of each type in its share."""
        total = self.counts.get("centre", 0)
        if not total or not self.cities:
            return
        rng = self.rng("centres")
        regions = [r for r in self.provinces if r in self.cities]
        weights = [float(self._province(r).get("population", 30.0)) for r in regions]
        quota = _apportion(total, weights, at_least_one=total >= len(regions))
        types = [t for t in _CENTRE_TYPES if self.sample.has("centre_types", t)] or \
            list(self.sample.terms.get("centre_types", ()))
        shares = [float(_CENTRE_TYPES.get(t, {}).get("share", 10)) for t in types]
        used: set[str] = set()
        number = 0
        for region, count in zip(regions, quota, strict=True):
            cities = self.cities[region]
            city_weights = [3.0] + [1.0] * (len(cities) - 1)
            for _ in range(count):
                number += 1
                centre_type = rng.choices(types, shares)[0]
                city = rng.choices(cities, city_weights)[0]
                county = pick(rng, city.counties) if city.counties and (
                    rng.random() < (0.4 if centre_type == "senior-university" else 0.9)) \
                    else None
                title, street = self._centre_title(rng, region, centre_type, city, county, used)
                plan = CentrePlan(f"ce{number:06d}", title, centre_type, region, city, county,
                                  street)
                self.centres.append(plan)
                self.centres_by_region[region].append(plan)

    def _centre_title(self, rng: random.Random, region: str, centre_type: str, city: City,
                      county: str | None, used: set[str]) -> tuple[str, str]:
        patterns = _CENTRE_TYPES.get(centre_type, {}).get("names") or ["{where}学习中心"]
        _short, admin = self.sample.place(region)
        for attempt in range(12):
            street = pick(rng, _STREETS)
            pattern = pick(rng, patterns) if attempt < 8 else patterns[0]
            if "{street}" not in pattern and attempt >= 4:
                pattern = next((p for p in patterns if "{street}" in p), pattern)
            title = pattern.format(where=county or city.name, city=city.name,
                                   county=county or "", P=admin, street=street)
            if title not in used:
                used.add(title)
                return title, street
        count = 2
        while f"{title}（{count}）" in used:
            count += 1
        used.add(f"{title}（{count}）")
        return f"{title}（{count}）", street

    def centre_for_lecture(self, rng: random.Random, region: str | None) -> str | None:
        """A centre of the lecture's province to hold it, for about half of them."""
        centres = self.centres_by_region.get(region or "")
        if not centres or rng.random() >= 0.6:
            return None
        return str(pick(rng, centres).id)

    # --- entries ----------------------------------------------------------------------

    def teacher_entries(self) -> Iterable[tuple[dict[str, Any], str]]:
        sample = self.sample.fork(self.rng("teacher entries"))
        rng = sample.rng
        allowed = sample.fields["teacher"]
        vocab = sample.rules.vocabularies
        audiences_label = sample.audience_label
        for plan in self.teachers:
            province = self._province(plan.region)
            short, _admin = sample.place(plan.region)
            label = sample.leaf_label[plan.leaf].zh
            topic, _ = sample.topic(plan.leaf)
            audiences = sample.audiences(plan.leaf)
            role = plan.roles[0]
            years = rng.randint(3, 35)
            organisation = plan.organisation or f"{short}社区"
            summary = pick(rng, _TEACHER_SUMMARIES.get(role) or _TEACHER_SUMMARIES["teacher"])
            summary = summary.format(o=organisation, r=sample.role_label.get(role, ""),
                                     t=topic, l=label, y=years,
                                     a=audiences_label(audiences))
            languages = ["zh"] if sample.has("languages", "zh") else []
            local = [t for t in province.get("languages", ()) if sample.has("languages", t)]
            if local and rng.random() < 0.3:
                languages.append(pick(rng, local))
            dialects = [pick(rng, province["dialects"])] \
                if province.get("dialects") and rng.random() < 0.4 else []
            contact = None
            if rng.random() < 0.35:
                if plan.organisation and rng.random() < 0.5:  # the organisation's desk
                    city = pick(rng, self.cities[plan.region]) if plan.region in self.cities \
                        else None
                    code = city.area_code if city else "010"
                    contact = {"phone": f"{code}-5555-{rng.randint(0, 9999):04d}",
                               "public": True}
                else:
                    contact = {"email": f"{plan.id}@example.org", "public": False}
            pron = "她" if rng.random() < 0.55 else "他"
            body = [summary]
            if plan.sharing:
                where = "、".join(vocab["regions"].terms[r].label.zh
                                 for r in plan.sharing_regions)
                body.append(f"{pron}参加社区分享活动，常到{where}的社区学校、老年学校和学习点"
                            f"开展{label}分享。")
            else:
                body.append(f"{pron}目前不参加外出的社区分享活动。")
            if contact and contact.get("public"):
                body.append(f"上面的电话是{organisation}的公共电话，工作日可以咨询。")
            published = sample.day(_SINCE, self.last.toordinal())
            meta = {
                "kind": "teacher", "id": plan.id, "code": sample.code(plan.id),
                "title": plan.name, "summary": summary,
                "subjects": sample.subjects(plan.leaf), "audiences": audiences,
                "published": published, "region": plan.region,
                "roles": plan.roles, "organisation": plan.organisation,
                "languages": languages, "dialects": dialects,
                "community_sharing": True if plan.sharing else None,
                "sharing_regions": plan.sharing_regions, "contact": contact,
            }
            text = body[0] + "\n\n" + "".join(body[1:]) + "\n"
            yield meta, render(meta, text, allowed)

    def centre_entries(self) -> Iterable[tuple[dict[str, Any], str]]:
        sample = self.sample.fork(self.rng("centre entries"))
        rng = sample.rng
        allowed = sample.fields["centre"]
        series = [s["id"] for s in self.series if s["for"] in ("course", "lecture")]
        hall = [s["id"] for s in self.series if s["for"] == "lecture" and not s["leaf"]]
        sections = {s.slug for s in sample.rules.sections}
        for plan in self.centres:
            spec = _CENTRE_TYPES.get(plan.centre_type, {})
            leaf = sample.leaf()
            label = sample.leaf_label[leaf].zh
            _short, admin = sample.place(plan.region)
            city = plan.city
            head = "" if admin == city.name else admin
            address = f"{head}{city.name}{plan.county or ''}{plan.street}路{rng.randint(1, 399)}号"
            summary = str(spec.get("summary") or "面向社区居民的学习场所，开设{l}等课程。")
            audiences = [a for a in spec.get("audiences", ()) if sample.has("audiences", a)]
            if len(audiences) > 1:
                audiences = rng.sample(audiences, rng.randint(1, len(audiences)))
            follows: list[str] = []
            if series and rng.random() < 0.35:
                follows = rng.sample(series, min(len(series), rng.randint(1, 2)))
                if hall and rng.random() < 0.5 and hall[0] not in follows:
                    follows.append(hall[0])
            chosen_sections = []
            if rng.random() < 0.5:
                wanted = ["reading"] if plan.centre_type == "library" else \
                    ["community-education"]
                if hall and hall[0] in follows:
                    wanted.append("lecture-hall")
                chosen_sections = [s for s in wanted if s in sections]
            coordinates = None
            if rng.random() < 0.6:
                coordinates = {"lat": round(city.lat + (rng.random() - 0.5) * 0.2, 4),
                               "lon": round(city.lon + (rng.random() - 0.5) * 0.2, 4)}
            offers = list(spec.get("offers") or ["公益课程"])
            body = [f"{plan.title}位于{city.name}{plan.county or ''}，"
                    + summary.format(l=label)]
            body += rng.sample(_CENTRE_BODIES, rng.randint(1, 2))
            meta = {
                "kind": "centre", "id": plan.id, "code": sample.code(plan.id),
                "title": plan.title, "summary": summary.format(l=label),
                "subjects": sample.subjects(leaf), "audiences": audiences,
                "published": sample.day(_SINCE, self.last.toordinal()),
                "region": plan.region, "centre_type": plan.centre_type, "city": city.name,
                "county": plan.county, "address": address,
                "hours": list(pick(rng, _CENTRE_HOURS)),
                "phone": f"{city.area_code}-5555-{rng.randint(0, 9999):04d}",
                "coordinates": coordinates,
                "offers": rng.sample(offers, min(len(offers), rng.randint(2, 4))),
                "follows": follows, "sections": chosen_sections,
            }
            yield meta, render(meta, body[0] + "\n\n" + "".join(body[1:]) + "\n", allowed)

    def activity_entries(self) -> Iterable[tuple[dict[str, Any], str]]:
        total = self.counts.get("activity", 0)
        if not total or not self.centres or not self.teachers:
            return
        sample = self.sample.fork(self.rng("activities"))
        rng = sample.rng
        allowed = sample.fields["activity"]
        sharing = [t for t in self.teachers if t.sharing] or self.teachers
        by_region: dict[str, list[TeacherPlan]] = defaultdict(list)
        for teacher in sharing:
            for region in teacher.sharing_regions or [teacher.region]:
                by_region[region].append(teacher)
        first = dt.date(2023, 1, 1).toordinal()
        last = self.last.toordinal() + 180  # some are still to come on the catalogue's day
        # Each of two people of one name shares somewhere (each then has a person page).
        namesakes = [t for t in self.teachers if t.namesake]
        for number in range(1, total + 1):
            entry_id = f"a{number:06d}"
            if number <= len(namesakes):
                lead = namesakes[number - 1]
                centre = pick(rng, self.centres_by_region.get(lead.region) or self.centres)
            else:
                lead = None
                centre = pick(rng, self.centres)
            pool = by_region.get(centre.region) or sharing
            chosen = [lead or pick(rng, pool)]
            if len(pool) > 1 and rng.random() < 0.2:
                other = pick(rng, pool)
                if other is not chosen[0]:
                    chosen.append(other)
            lead = chosen[0]
            topic, _ = sample.topic(lead.leaf)
            title, _en = sample.unique_title(
                pick(rng, _ACTIVITY_PATTERNS).format(t=topic, n=lead.name), "", "activity")
            day = dt.date.fromordinal(first + int((last - first) * rng.random() ** 0.8))
            clock = pick(rng, ("09:00", "09:30", "14:00", "14:30", "15:00", "19:00"))
            starts = dt.datetime.fromisoformat(f"{day.isoformat()}T{clock}:00+08:00")
            published = dt.date.fromordinal(max(first - 30, min(
                self.last.toordinal(), day.toordinal() - rng.randint(5, 30))))
            role = sample.role_label.get(lead.roles[0], "")
            point = pick(rng, sample._top(lead.top)["points"])
            audiences = sample.audiences(lead.leaf)
            summary = f"{role}{lead.name}走进{centre.title}，分享{topic}，{point}。"
            body = (f"{'、'.join(t.name for t in chosen)}来到{centre.title}，和大家一起聊"
                    f"{topic}。\n\n活动免费，欢迎{sample.audience_label(audiences)}参加，"
                    f"请提前到{centre.title}报名。\n")
            meta = {
                "kind": "activity", "id": entry_id, "code": sample.code(entry_id),
                "title": title, "summary": summary, "subjects": sample.subjects(lead.leaf),
                "audiences": audiences, "published": published, "region": centre.region,
                "teachers": [t.ref for t in chosen], "centre": centre.id, "starts": starts,
                "duration_minutes": pick(rng, (60, 90, 90, 120, 150)),
                "venue": pick(rng, _ROOMS),
            }
            yield meta, render(meta, body, allowed)


def _top_roles(sample: _Sample, top: str) -> list[str]:
    return list(sample._top(top)["roles"])


def _apportion(total: int, weights: Sequence[float], *, at_least_one: bool) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), each part at least
    one when ``at_least_one``."""
    base = len(weights) if at_least_one else 0
    rest = total - base
    whole = sum(weights)
    exact = [rest * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[:rest - sum(parts)]:
        parts[i] += 1
    return [p + (1 if at_least_one else 0) for p in parts]


class Marker:
    """Marks for the entries of a kind that meet every checkable criterion of a standard
    that selects from the kind, each with its chance (``mark_chances`` in words.yml)."""

    def __init__(self, rules: Rules, rng: random.Random, last_year: int) -> None:
        self.rng = rng
        self.last_year = last_year
        self.by_kind: dict[str, list[Standard]] = defaultdict(list)
        for standard in rules.standards.values():
            for kind in standard.kinds:
                self.by_kind[kind].append(standard)
        self.fields = {standard.id: tuple({c.check.field for c in standard.criteria
                                           if c.check is not None})
                       for standard in rules.standards.values()}

    def marks(self, meta: Mapping[str, Any], published: dt.date,
              year: int | None = None) -> list[dict[str, Any]]:
        """The marks of an entry (its front matter as written); ``year``: the year it was
        selected in, when the entry says (a project's), else one from its publication on."""
        found = []
        rng = self.rng
        for standard in self.by_kind.get(meta["kind"], ()):
            chance = _MARK_CHANCES.get(standard.id, _MARK_CHANCES.get("default", 0.05))
            if rng.random() >= chance:
                continue
            values = {name: tuple(v) if isinstance(v := meta.get(name), list) else v
                      for name in self.fields[standard.id]}
            if not all(c.holds(values) for c in standard.criteria):
                continue
            first, last = standard.years
            low = max(first, published.year)
            high = min(last or self.last_year, self.last_year)
            if year is not None:
                low = high = year
            if low > high or not standard.held_in(low):
                continue
            found.append({
                "standard": standard.id, "year": rng.randint(low, high),
                "awarded_by": standard.awarded_by.zh,
                "score": rng.randint(80, 99) if rng.random() < 0.6 else None,
                "notes": pick(rng, _MARK_NOTES) if rng.random() < 0.2 else None,
            })
        return found
