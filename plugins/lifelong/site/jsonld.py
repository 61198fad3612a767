"""schema.org descriptions of entries, embedded as JSON-LD for search engines."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from lifelong.catalogue.model import Catalogue, Entry
from lifelong.catalogue.periods import Period
from lifelong.catalogue.privacy import public_object

_TYPES = {"course": "Course", "ebook": "Book", "lecture": "EducationEvent",
          "series": "CreativeWorkSeries", "star": "Person", "project": "Project",
          "teacher": "Person", "centre": "EducationalOrganization",
          "activity": "EducationEvent"}
#: Contributor roles -> schema.org's properties of a CreativeWork (others: contributor).
_ROLES = {"author": "author", "writer": "author", "editor": "editor", "compiler": "editor",
          "translator": "translator", "illustrator": "illustrator", "narrator": "readBy"}
_MODES = {"livestream": "https://schema.org/OnlineEventAttendanceMode",
          "in-person": "https://schema.org/OfflineEventAttendanceMode",
          "recorded": "https://schema.org/OnlineEventAttendanceMode"}


def _iso_year(year: int) -> str:
    return f"{year:04d}" if year > 0 else f"-{-year - 1:04d}"


def entry_jsonld(catalogue: Catalogue, entry: Entry, public_url: Callable[[Entry], str | None],
                 media_url: Callable[[Any], str | None]) -> str:
    """JSON text safe to place inside ``<script type="application/ld+json">``."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": _TYPES[entry.kind],
                            "name": entry.title, "description": entry.summary,
                            "identifier": entry.id,
                            "inLanguage": entry.get("language", "zh")}
    url = public_url(entry)
    if url:
        data["url"] = url
    if entry.title_en:
        data["alternateName"] = entry.title_en
    if entry.cover is not None and (image := media_url(entry.cover)):
        data["image"] = image
    vocab = catalogue.rules.vocabularies
    data["about"] = [vocab["subjects"].terms[s].label.zh for s in entry.get("subjects", ())]
    audiences = entry.get("audiences", ())
    if audiences:
        data["audience"] = [{"@type": "Audience",
                             "audienceType": vocab["audiences"].terms[a].label.zh}
                            for a in audiences]
    data["datePublished"] = entry.published.isoformat()
    if entry.get("updated"):
        data["dateModified"] = entry.get("updated").isoformat()
    if entry.get("provider"):
        data["provider"] = {"@type": "Organization", "name": entry.get("provider")}
    if entry.get("original_title"):
        data["alternateName"] = [*filter(None, [entry.title_en]), entry.get("original_title")]
    licence = entry.get("licence")
    if licence:
        term = vocab["licences"].terms[licence]
        data["license"] = term.url or term.label.en
    if entry.get("identifiers"):
        data["identifier"] = [entry.id, *({"@type": "PropertyValue", "propertyID": item["scheme"],
                                           "value": item["value"]}
                                          for item in entry.get("identifiers"))]
    for item in entry.get("contributors", ()):
        data.setdefault(_ROLES.get(item["role"], "contributor"), []).append(
            {"@type": "Person", "name": item["name"]})
    kind = entry.kind
    if kind == "course":
        data["timeRequired"] = f"PT{entry.get('duration_minutes')}M"
        if entry.get("teachers"):
            data["instructor"] = [{"@type": "Person", "name": catalogue.display_name(n)}
                                  for n in entry.get("teachers")]
        prerequisites = [catalogue.by_id[i] for i in entry.get("prerequisites", ())
                         if i in catalogue.by_id]
        if prerequisites:
            data["coursePrerequisites"] = [
                {"@type": "Course", "name": other.title,
                 **({"url": url} if (url := public_url(other)) else {})}
                for other in prerequisites]
        data["isAccessibleForFree"] = True
    elif kind == "ebook":
        data["author"] = [*({"@type": "Person", "name": catalogue.display_name(n)}
                            for n in entry.get("authors", ())),
                          *data.get("author", ())]
        year = entry.get("year")
        if year is not None:
            # ISO 8601 years (BCE as astronomical years: 500 BCE is -0499), an interval for
            # a range or a dynasty.
            first, last = (year.start, year.end) if isinstance(year, Period) else (year, year)
            data["dateCreated"] = _iso_year(first) if first == last else \
                f"{_iso_year(first)}/{_iso_year(last)}"
        if entry.get("isbn"):
            data["isbn"] = entry.get("isbn")
        if entry.get("publisher"):
            data["publisher"] = {"@type": "Organization", "name": entry.get("publisher")}
        if entry.get("pages"):
            data["numberOfPages"] = entry.get("pages")
        data["bookFormat"] = "https://schema.org/EBook"
    elif kind == "lecture":
        starts: dt.datetime = entry.get("starts")
        data["startDate"] = starts.isoformat()
        data["endDate"] = (starts + dt.timedelta(minutes=entry.get("duration_minutes"))
                           ).isoformat()
        data["eventAttendanceMode"] = _MODES[entry.get("mode")]
        data["performer"] = [{"@type": "Person", "name": catalogue.display_name(s["name"])}
                             for s in entry.get("speakers", ())]
        if entry.get("venue"):
            data["location"] = {"@type": "Place", "name": entry.get("venue")}
        elif entry.get("livestream_url"):
            data["location"] = {"@type": "VirtualLocation", "url": entry.get("livestream_url")}
    elif kind in ("series", "project"):
        data["creator"] = {"@type": "Organization", "name": entry.get("organiser")}
        if entry.get("website"):
            data["sameAs"] = entry.get("website")
    elif kind == "star":
        data["name"] = entry.get("name")
        data["award"] = f"百姓学习之星 {entry.get('year')}"
    else:
        _people_and_places(catalogue, entry, data, public_url)
    if entry.series and entry.series in catalogue.by_id:
        series = catalogue.by_id[entry.series]
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": series.title}
        if public_url(series):
            data["isPartOf"]["url"] = public_url(series)
    if entry.marks:
        data["award"] = [*filter(None, [data.get("award")]),
                         *(_mark(catalogue, mark) for mark in entry.marks)]
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    # "</" would end the script element early; "<!--" would change how it is parsed.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _mark(catalogue: Catalogue, mark: Mapping[str, Any]) -> str:
    standard = catalogue.rules.standards.get(mark["standard"])
    return f"{mark['year']} {standard.title.zh if standard else mark['standard']}"


def _people_and_places(catalogue: Catalogue, entry: Entry, data: dict[str, Any],
                       public_url: Callable[[Entry], str | None]) -> None:
    """A teacher (Person: never a contact the entry keeps private), a centre (its address,
    opening hours, coordinates), an activity (when, where, who shares)."""
    vocab = catalogue.rules.vocabularies
    get = entry.get
    if entry.kind == "teacher":
        data["jobTitle"] = [vocab["speaker_roles"].terms[r].label.zh for r in get("roles", ())]
        if get("organisation"):
            data["worksFor"] = {"@type": "Organization", "name": get("organisation")}
        if get("languages"):
            data["knowsLanguage"] = list(get("languages"))
        contact = public_object(entry, "contact")
        if contact is not None:
            for key, prop in (("phone", "telephone"), ("email", "email")):
                if contact.get(key):
                    data[prop] = contact[key]
    elif entry.kind == "centre":
        data["address"] = _address(catalogue, entry)
        if get("phone"):
            data["telephone"] = get("phone")
        if get("hours"):
            data["openingHours"] = list(get("hours"))
        if get("coordinates"):
            data["location"] = {"@type": "Place", "geo": {
                "@type": "GeoCoordinates", "latitude": get("coordinates")["lat"],
                "longitude": get("coordinates")["lon"]}}
    elif entry.kind == "activity":
        starts: dt.datetime = get("starts")
        data["startDate"] = starts.isoformat()
        data["endDate"] = (starts + dt.timedelta(minutes=get("duration_minutes"))).isoformat()
        data["eventAttendanceMode"] = _MODES["in-person"]
        data["performer"] = [{"@type": "Person", "name": catalogue.display_name(n)}
                             for n in get("teachers", ())]
        centre = catalogue.by_id.get(get("centre"))
        if centre is not None:
            data["location"] = {"@type": "Place", "name": centre.title,
                                "address": _address(catalogue, centre),
                                **({"url": url} if (url := public_url(centre)) else {})}


def _address(catalogue: Catalogue, centre: Entry) -> dict[str, Any]:
    region = catalogue.rules.vocabularies["regions"].terms[centre.get("region")].label.zh
    return {"@type": "PostalAddress", "addressCountry": "CN", "addressRegion": region,
            "addressLocality": " ".join(filter(None, (centre.get("city"), centre.get("county")))),
            **({"streetAddress": centre.get("address")} if centre.get("address") else {})}
