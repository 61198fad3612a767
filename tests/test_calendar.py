"""iCalendar files of lectures (``lifelong.site.calendar``) of a tiny catalogue, read by the
icalendar library as calendar apps read them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import Catalogue
from lifelong.site.calendar import calendar_files, lecture_calendar, series_calendar
from sitekit import one_of_each, write_project

SITE = "https://lifelong.example.org/"
NAME = "终身学习资源目录"
SHANGHAI = ZoneInfo("Asia/Shanghai")
VENUE = 'Room 1, Floor 2; "North" \\ wing\n二楼报告厅'
LONG_TITLE = "社区教育大讲堂" * 8


def lecture(entry_id: str, **values: Any) -> dict[str, Any]:
    return {"kind": "lecture", "id": entry_id, "title": f"讲座 {entry_id}",
            "summary": "一场测试讲座。", "subjects": ["health"], "published": "2026-09-01",
            "speakers": [{"name": "王医生", "role": "doctor", "affiliation": "社区医院"}],
            "duration_minutes": 90, "mode": "in-person", **values}


def entries() -> list[dict[str, Any]]:
    """Every kind (with the Lecture Hall's lecture at 19:30 Beijing time), a lecture of the
    same series given from London with a hostile venue, and a lecture long past."""
    return [*one_of_each(),
            lecture("hall-london", title=LONG_TITLE, starts="2027-04-01T10:00:00+01:00",
                    venue=VENUE, replay="https://example.org/replay/london.mp4",
                    series="community-lecture-hall", series_order=2),
            lecture("old-talk", starts="2020-05-01T09:00:00+08:00", published="2020-04-01")]


def load(root: Path, items: Iterable[Mapping[str, Any]]) -> Catalogue:
    write_project(root, items)
    return load_catalogue(root / "content", root / "catalogue")


def calendars(catalogue: Catalogue, site_url: str | None = SITE) -> dict[str, bytes]:
    return dict(calendar_files(catalogue, site_url=site_url, lang="zh", site_name=NAME))


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return load(tmp_path_factory.mktemp("calendar"), entries())


@pytest.fixture(scope="module")
def files(catalogue: Catalogue) -> dict[str, bytes]:
    return calendars(catalogue)


def parse(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.errors == []
    for event in calendar.walk("VEVENT"):
        assert event.errors == []
    return calendar


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in parse(data).walk("VEVENT")}


def test_calendars_are_at_their_addresses_with_crlf_and_folded_lines(
        files: dict[str, bytes]) -> None:
    assert list(files) == ["calendar/lecture/hall-2027.ics", "calendar/lecture/hall-london.ics",
                           "calendar/lecture/old-talk.ics",
                           "calendar/series/community-lecture-hall.ics",
                           "calendar/upcoming.ics"]
    for data in files.values():
        parse(data)
        assert data.endswith(b"END:VCALENDAR\r\n")
        lines = data[:-2].split(b"\r\n")
        assert all(b"\n" not in line and b"\r" not in line for line in lines)
        assert max(len(line) for line in lines) <= 75
    long = files["calendar/lecture/hall-london.ics"]
    assert b"\r\n " in long  # the title and description are folded ...
    assert str(events(long)["hall-london"]["SUMMARY"]) == LONG_TITLE  # ... and read back whole
    long.decode("utf-8")  # no character was cut in two


def test_series_calendar_gives_each_start_in_shanghai_and_utc(files: dict[str, bytes]) -> None:
    data = files["calendar/series/community-lecture-hall.ics"]
    calendar = parse(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(calendar["X-WR-CALNAME"]) == "网上社区教育大讲堂"
    found = events(data)
    assert list(found) == ["hall-2027", "hall-london"]  # soonest first
    beijing = found["hall-2027"].decoded("DTSTART")
    assert beijing.tzinfo is not None
    assert str(beijing.tzinfo) == "Asia/Shanghai"
    assert beijing.replace(tzinfo=None) == dt.datetime(2027, 3, 5, 19, 30)
    assert beijing.astimezone(dt.UTC) == dt.datetime(2027, 3, 5, 11, 30, tzinfo=dt.UTC)
    assert found["hall-2027"].decoded("DTEND") - beijing == dt.timedelta(minutes=60)
    # A start given with another offset is written in UTC: the same moment everywhere.
    london = found["hall-london"].decoded("DTSTART")
    assert london.astimezone(dt.UTC) == dt.datetime(2027, 4, 1, 9, 0, tzinfo=dt.UTC)
    assert london.astimezone(SHANGHAI).replace(tzinfo=None) == dt.datetime(2027, 4, 1, 17, 0)
    assert b"DTSTART;TZID=Asia/Shanghai:20270305T193000\r\n" in data
    assert b"DTSTART:20270401T090000Z\r\n" in data


def test_event_holds_venue_addresses_and_subjects_escaped(files: dict[str, bytes]) -> None:
    data = files["calendar/lecture/hall-london.ics"]
    assert b'LOCATION:Room 1\\, Floor 2\\; "North" \\\\ wing\\n' in data
    event = events(data)["hall-london"]
    assert str(event["LOCATION"]) == VENUE
    assert str(event["URL"]) == f"{SITE}hall-london/"
    assert str(event["ATTACH"]) == "https://example.org/replay/london.mp4"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["健康养生"]
    description = str(event["DESCRIPTION"])
    assert "主讲嘉宾：王医生（社区医院）" in description
    assert "观看回放：https://example.org/replay/london.mp4" in description
    live = events(files["calendar/lecture/hall-2027.ics"])["hall-2027"]
    assert str(live["CONFERENCE"]) == "https://example.org/live/1"
    assert "进入直播间：https://example.org/live/1" in str(live["DESCRIPTION"])
    assert "LOCATION" not in live


def test_upcoming_is_relative_to_the_catalogue_date(catalogue: Catalogue,
                                                    files: dict[str, bytes]) -> None:
    assert catalogue.date == dt.date(2026, 10, 1)
    assert list(events(files["calendar/upcoming.ics"])) == ["hall-2027", "hall-london"]
    assert calendars(catalogue) == files  # no clock: the same catalogue, the same bytes


def test_upcoming_with_nothing_upcoming_is_still_a_calendar(tmp_path: Path) -> None:
    past = load(tmp_path, [e for e in entries() if e["kind"] != "lecture" or
                           e["id"] == "old-talk"])
    calendar = parse(calendars(past)["calendar/upcoming.ics"])
    assert calendar.walk("VEVENT") == []
    assert len(calendar.walk("VTIMEZONE")) == 1  # the one component a calendar needs


def test_updates_keep_the_uid_and_raise_the_sequence(tmp_path: Path) -> None:
    before = events(calendars(load(tmp_path, entries()))["calendar/lecture/hall-2027.ics"])
    edited = [{**e, "title": "改期：老年人如何防跌倒", "updated": "2026-10-05"}
              if e["id"] == "hall-2027" else e for e in entries()]
    after = events(calendars(load(tmp_path, edited))["calendar/lecture/hall-2027.ics"])
    old, new = before["hall-2027"], after["hall-2027"]
    assert str(new["UID"]) == str(old["UID"]) == "hall-2027@lifelong.example.org"
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 4)
    assert new.decoded("DTSTAMP") == dt.datetime(2026, 10, 4, 16, 0, tzinfo=dt.UTC)
    assert str(new["SUMMARY"]) == "改期：老年人如何防跌倒"


def test_without_site_url_no_address_is_guessed(catalogue: Catalogue) -> None:
    found = events(calendars(catalogue, None)["calendar/series/community-lecture-hall.ics"])
    event = found["hall-2027"]
    assert str(event["UID"]) == "hall-2027@lifelong.invalid"
    assert "URL" not in event
    assert "lifelong.example.org" not in str(event["DESCRIPTION"])


def test_pages_find_their_calendars(catalogue: Catalogue, files: dict[str, bytes]) -> None:
    by_id = catalogue.by_id
    assert lecture_calendar(by_id["hall-2027"]) == "calendar/lecture/hall-2027.ics"
    assert lecture_calendar(by_id["taiji-basics"]) is None
    assert series_calendar(catalogue, "community-lecture-hall") in files
    assert series_calendar(catalogue, "phone-class") is None  # courses only
