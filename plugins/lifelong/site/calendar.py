"""iCalendar (RFC 5545) files of the lectures, for calendar apps: one per lecture (its page's
"add to calendar"), one per series with lectures (subscribable: all its lectures), and one of
every upcoming lecture.

Pure: a ``Catalogue`` in, (address, bytes) out, the same bytes for the same catalogue:

- *Upcoming* is relative to the catalogue's own date (``Catalogue.date``, its latest
  published or updated day), never the build's clock: a lecture is upcoming when it has not
  ended by the start of that day (midnight, China time). Calendar apps show past events as
  past, so a file built from an older catalogue is still right, only shorter than it could be.
- *UID*: ``<entry id>@<site host and path>`` (``@lifelong.invalid`` without a ``site_url``):
  a title, a time or a venue can change, the event stays the same one.
- *SEQUENCE*: the days from ``published`` to ``updated``. An editor who changes a lecture
  sets ``updated`` to that day, later than before, so the number grows with every such
  change and calendars replace the event they hold; an edit that leaves ``updated`` as it
  was is not seen (the catalogue keeps no history to count edits with).
- *DTSTAMP*, *CREATED*, *LAST-MODIFIED*: the starts of the entry's own days (``updated``,
  ``published``), in UTC.
- *Time zones*: a start is stored with its UTC offset. +08:00 is China Standard Time: the
  event is given in ``Asia/Shanghai`` with its VTIMEZONE (no daylight saving since 1991), so
  calendars show Beijing time as the page does. Any other offset names no zone we can know:
  the start is given in UTC, which every calendar shows in its reader's own time.

Addresses: ``calendar/lecture/<id>.ics``, ``calendar/series/<id>.ics``,
``calendar/upcoming.ics``. Page and file addresses in events are absolute (with a
``site_url``) or left out: a calendar app has no address to resolve a relative one against.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote, urlsplit

from lifelong.catalogue.model import Catalogue, Entry
from lifelong.site.feeds import day_start, entry_updated, site_root, web_address
from lifelong.site.i18n import translate
from lifelong.site.memo import Published, PublishMemo, key_of, memoised_group
from lifelong.site.urls import UrlScheme

UPCOMING = "calendar/upcoming.ics"
CHINA_ZONE = "Asia/Shanghai"
_CHINA_OFFSET = dt.timedelta(hours=8)
_VTIMEZONE = ("BEGIN:VTIMEZONE", f"TZID:{CHINA_ZONE}", "BEGIN:STANDARD",
              "DTSTART:19700101T000000", "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800",
              "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE")
#: How often subscribed calendars (a series', the upcoming lectures) look for changes.
_REFRESH = ("REFRESH-INTERVAL;VALUE=DURATION:P1D", "X-PUBLISHED-TTL:P1D")
#: Controls TEXT may not hold (RFC 5545 3.3.11; newlines are written as \n before this).
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_LINE_OCTETS = 75


def lecture_calendar(entry: Entry) -> str | None:
    """The .ics of a lecture's page ("add to calendar"); None for other kinds."""
    return f"calendar/lecture/{entry.id}.ics" if entry.kind == "lecture" else None


def series_calendar(catalogue: Catalogue, series_id: str) -> str | None:
    """The subscribable .ics of a series' lectures; None if it has none."""
    if any(e.kind == "lecture" for e in catalogue.series_members.get(series_id, ())):
        return f"calendar/series/{series_id}.ics"
    return None


def calendar_files(catalogue: Catalogue, *, site_url: str | None, lang: str, site_name: str,
                   scheme: UrlScheme | None = None, memo: PublishMemo | None = None
                   ) -> Iterator[Published]:
    """(address in the site, bytes) of every calendar, in address order (none without
    lectures). ``scheme`` is the site's (``use_directory_urls``). With a ``memo``, a
    calendar of the same name and lectures as the last build drew it from is not drawn
    again (None)."""
    return memoised_group(memo, "calendar", catalogue.version, _calendar_files(
        catalogue, site_url=site_url, lang=lang, site_name=site_name, scheme=scheme,
        memo=memo))


def _calendar_files(catalogue: Catalogue, *, site_url: str | None, lang: str, site_name: str,
                    scheme: UrlScheme | None = None, memo: PublishMemo | None = None
                    ) -> Iterator[Published]:
    lectures = catalogue.by_kind.get("lecture", ())
    if not lectures:
        return
    writer = _Writer(site_url, lang, scheme or UrlScheme(), catalogue)
    files: list[tuple[str, str, Sequence[Entry], bool]] = [
        (f"calendar/lecture/{e.id}.ics", e.title, (e,), False) for e in lectures]
    for series in catalogue.by_kind.get("series", ()):
        path = series_calendar(catalogue, series.id)
        if path is not None:
            members = [e for e in catalogue.series_members[series.id] if e.kind == "lecture"]
            files.append((path, series.title, members, True))
    files.append((UPCOMING, translate("calendar_upcoming", lang, site=site_name),
                  upcoming(catalogue), True))
    for path, name, events, subscribed in sorted(files, key=_first):
        if memo is not None and all(e.digest for e in events):
            key = key_of([name, str(subscribed), *(f"{e.id}={e.digest}" for e in events)])
            if memo.unchanged(path, key) is not None:
                yield path, None
                continue
            memo.made(path, key)
        yield path, writer.calendar(path, name, events, subscribed=subscribed)


def upcoming(catalogue: Catalogue) -> list[Entry]:
    """The lectures not over by the start of the catalogue's date, soonest first."""
    if catalogue.date is None:
        return []
    since = day_start(catalogue.date)
    return sorted((e for e in catalogue.by_kind.get("lecture", ()) if lecture_end(e) >= since),
                  key=_start_key)


def sequence(entry: Entry) -> int:
    """The event's revision: days from ``published`` to ``updated`` (0 without it)."""
    return (entry_updated(entry) - entry.published).days


def text(value: str) -> str:
    """A TEXT value, escaped (RFC 5545 3.3.11): backslash, ``;``, ``,``, newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    value = value.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROLS.sub("", value)


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character:
    each further piece starts with a space, which counts in its 75."""
    if len(line) * 4 <= _LINE_OCTETS or len(line.encode()) <= _LINE_OCTETS:
        return line
    pieces: list[str] = []
    start, size, limit = 0, 0, _LINE_OCTETS
    for index, char in enumerate(line):
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append(line[start:index])
            start, size, limit = index, 0, _LINE_OCTETS - 1
        size += octets
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


class _Writer:
    """Draws calendars; each lecture's event is drawn once and shared by its files."""

    def __init__(self, site_url: str | None, lang: str, scheme: UrlScheme,
                 catalogue: Catalogue) -> None:
        self.root = site_root(site_url)
        parts = urlsplit(self.root or "")
        self.host = f"{parts.hostname}{parts.path.rstrip('/')}" if self.root \
            else "lifelong.invalid"
        self.lang = lang
        self.scheme = scheme
        self.catalogue = catalogue
        #: Each lecture's VEVENT, folded, by id.
        self._events: dict[str, str] = {}

    def calendar(self, path: str, name: str, lectures: Iterable[Entry], *,
                 subscribed: bool) -> bytes:
        events = sorted(lectures, key=_start_key)
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0",
                 f"PRODID:-//Lifelong//Lifelong catalogue//{self.lang.upper()}",
                 "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"NAME:{text(name)}",
                 f"X-WR-CALNAME:{text(name)}"]
        if subscribed:
            lines.extend(_REFRESH)
            if self.root:
                lines.append(f"SOURCE;VALUE=URI:{self.root}{path}")
        # A calendar holds at least one component (RFC 5545 3.6): with no lecture upcoming,
        # the time zone of the catalogue.
        if not events or any(_in_china(e) for e in events):
            lines.extend(_VTIMEZONE)
        head = "".join(fold(line) + "\r\n" for line in lines)
        return (head + "".join(map(self.event, events)) + "END:VCALENDAR\r\n").encode()

    def event(self, entry: Entry) -> str:
        """The lecture's VEVENT: folded lines, each ending in CRLF."""
        found = self._events.get(entry.id)
        if found is None:
            found = self._events[entry.id] = "".join(
                fold(line) + "\r\n" for line in self._make_event(entry))
        return found

    def _make_event(self, entry: Entry) -> list[str]:
        starts: dt.datetime = entry.get("starts")
        lines = ["BEGIN:VEVENT", f"UID:{text(entry.id)}@{text(self.host)}",
                 f"DTSTAMP:{_utc(day_start(entry_updated(entry)))}",
                 f"CREATED:{_utc(day_start(entry.published))}",
                 f"LAST-MODIFIED:{_utc(day_start(entry_updated(entry)))}",
                 f"SEQUENCE:{sequence(entry)}", _moment("DTSTART", starts),
                 _moment("DTEND", starts + _duration(entry)),
                 f"SUMMARY:{text(entry.title)}",
                 f"DESCRIPTION:{text(self._description(entry))}"]
        venue = entry.get("venue")
        if venue:
            lines.append(f"LOCATION:{text(venue)}")
        page = self._page(entry)
        if page:
            lines.append(f"URL:{page}")
        live = web_address(entry.get("livestream_url"))
        if live:
            label = _parameter(translate("watch_live", self.lang))
            lines.append(f"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL={label}:{live}")
        replay = self._replay(entry)
        if replay:
            lines.append(f"ATTACH:{replay}")
        labels = [text(self.catalogue.label("subjects", s).get(self.lang))
                  for s in entry.get("subjects", ())]
        if labels:
            lines.append("CATEGORIES:" + ",".join(labels))
        lines += ["STATUS:CONFIRMED", "END:VEVENT"]
        return lines

    def _page(self, entry: Entry) -> str | None:
        return self.root + self.scheme.entry_url(entry.id) if self.root else None

    def _replay(self, entry: Entry) -> str | None:
        media = entry.get("replay")
        if media is None:
            return None
        if media.path:
            return self.root + quote(media.path) if self.root else None
        return web_address(media.url)

    def _description(self, entry: Entry) -> str:
        """The summary, then speakers, the livestream, the replay and the page (plain text:
        calendar apps make the addresses clickable)."""
        chinese = self.lang == "zh"

        def said(key: str, value: str) -> str:
            return f"{translate(key, self.lang)}{'：' if chinese else ': '}{value}"

        speakers = [_speaker(s, chinese) for s in entry.get("speakers", ())]
        lines = [entry.summary, ""]
        if speakers:
            lines.append(said("speakers", ("、" if chinese else ", ").join(speakers)))
        live = web_address(entry.get("livestream_url"))
        if live:
            lines.append(said("watch_live", live))
        replay = self._replay(entry)
        if replay:
            lines.append(said("watch_replay", replay))
        page = self._page(entry)
        if page:
            lines.append(page)
        return "\n".join(lines).rstrip("\n")


def _speaker(speaker: Mapping[str, str], chinese: bool) -> str:
    """A speaker's name, with their affiliation in brackets."""
    name, affiliation = speaker["name"], speaker.get("affiliation")
    if not affiliation:
        return name
    return f"{name}（{affiliation}）" if chinese else f"{name} ({affiliation})"


def _moment(name: str, moment: dt.datetime) -> str:
    if moment.utcoffset() == _CHINA_OFFSET:
        return f"{name};TZID={CHINA_ZONE}:{moment:%Y%m%dT%H%M%S}"
    return f"{name}:{_utc(moment)}"


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def _in_china(entry: Entry) -> bool:
    return bool(entry.get("starts").utcoffset() == _CHINA_OFFSET)


def _duration(entry: Entry) -> dt.timedelta:
    return dt.timedelta(minutes=int(entry.get("duration_minutes")))


def lecture_end(entry: Entry) -> dt.datetime:
    """When a lecture ends: its start and its length."""
    starts: dt.datetime = entry.get("starts")
    return starts + _duration(entry)


def _start_key(entry: Entry) -> tuple[dt.datetime, str]:
    return entry.get("starts"), entry.id


def _parameter(value: str) -> str:
    """A parameter value, quoted (it cannot hold a double quote or a control)."""
    return '"' + _CONTROLS.sub("", value.replace('"', "'")) + '"'


def _first(item: tuple[str, str, Sequence[Entry], bool]) -> str:
    return item[0]
