"""The reading tools: read-aloud with the browser's own speech synthesis, lecture times as
people read them ("北京时间 3月5日（周五）晚上7:30", "还有3天"), and the schedule page
(本周讲座与直播).

In Python: the Beijing time text drawn at build time, the schedule page in the plan and in a
rebuild. In real Chromium, online and from file://, with the clock fixed and the zone chosen:
how far off a lecture is, the reader's own time, the schedule's groups (an ended lecture is
never shown as one to come), and read-aloud with speechSynthesis stubbed in the page (what is
spoken, in order; pause, resume and stop; no control where there is no speech synthesis)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from lifelong.build.loading import load_catalogue
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.site.pages import SitePlan
from lifelong.site.render import beijing_time
from sitekit import build_site, one_of_each, read, write_project

BEIJING = dt.timezone(dt.timedelta(hours=8))
#: The clock of the browser tests: a Tuesday morning in Beijing.
NOW = dt.datetime(2027, 3, 2, 10, 0, tzinfo=BEIJING)
SHANGHAI = "Asia/Shanghai"


def lecture(entry_id: str, title: str, starts: str, minutes: int = 60,
            mode: str = "livestream", speaker: str = "王医生") -> dict[str, Any]:
    return {"kind": "lecture", "id": entry_id, "title": title, "summary": "一场测试讲座。",
            "subjects": ["health"], "published": "2026-10-01",
            "speakers": [{"name": speaker, "role": "doctor"}],
            "starts": f"{starts}:00+08:00", "duration_minutes": minutes, "mode": mode}


#: Lectures around NOW, beside the tiny site's hall-2027 (Friday 2027-03-05 19:30, 60 min).
LECTURES = [
    lecture("past-feb", "二月的讲座", "2027-02-20T19:30"),
    lecture("ended-today", "早上已结束的讲座", "2027-03-02T08:00"),
    lecture("on-in-person", "正在进行的线下讲座", "2027-03-02T09:00", 180, "in-person",
            "李老师"),
    lecture("live-now", "正在直播的讲座", "2027-03-02T09:30", 90),
    lecture("today-later", "今天下午的讲座", "2027-03-02T15:00"),
    lecture("tomorrow", "明天的讲座", "2027-03-03T19:30"),
    lecture("sunday", "周日的讲座", "2027-03-07T10:00"),
    lecture("next-week", "下周一的讲座", "2027-03-08T19:30"),
    lecture("in-april", "四月的讲座", "2027-04-01T14:30"),
]
#: Ids by start, as the schedule page is drawn.
BY_START = ["past-feb", "ended-today", "on-in-person", "live-now", "today-later", "tomorrow",
            "hall-2027", "sunday", "next-week", "in-april"]
#: The schedule's groups as of NOW: today (on now first), this week, next week, later,
#: and ended (the latest first).
GROUPS = {"today": ["on-in-person", "live-now", "today-later"],
          "week": ["tomorrow", "hall-2027", "sunday"], "next": ["next-week"],
          "later": ["in-april"], "past": ["ended-today", "past-feb"]}
TITLES = {entry["id"]: entry["title"] for entry in [*one_of_each(), *LECTURES]}


# -- Python: the time text, the plan --------------------------------------------------------

def visible(markup: str) -> str:
    """Text as the page shows it with the year hidden (the reader's current year)."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<span data-ll-year>.*?</span>", "",
                                                      markup)))


@pytest.mark.parametrize(("starts", "zh", "en"), [
    ("2027-04-24T15:00:00+08:00", "北京时间 4月24日（周六）下午3:00",
     "Beijing time, Sat 24 April, 3:00 pm"),
    ("2027-04-24T07:00:00+00:00", "北京时间 4月24日（周六）下午3:00",   # written in UTC
     "Beijing time, Sat 24 April, 3:00 pm"),
    ("2027-03-05T19:30:00+08:00", "北京时间 3月5日（周五）晚上7:30",
     "Beijing time, Fri 5 March, 7:30 pm"),
    ("2027-01-01T00:30:00+08:00", "北京时间 1月1日（周五）凌晨0:30",
     "Beijing time, Fri 1 January, 12:30 am"),
    ("2027-06-07T09:05:00+08:00", "北京时间 6月7日（周一）上午9:05",
     "Beijing time, Mon 7 June, 9:05 am"),
    ("2027-06-06T12:00:00+08:00", "北京时间 6月6日（周日）中午12:00",
     "Beijing time, Sun 6 June, 12:00 pm"),
])
def test_lecture_times_read_as_people_say_them(starts: str, zh: str, en: str) -> None:
    moment = dt.datetime.fromisoformat(starts)
    assert visible(beijing_time(moment, "zh")) == zh
    assert visible(beijing_time(moment, "en")) == en


def test_the_year_is_marked_for_when_js_to_hide_and_lines_break_between_parts() -> None:
    moment = dt.datetime(2027, 4, 24, 15, 0, tzinfo=BEIJING)
    assert str(beijing_time(moment, "zh")) == \
        "北京时间 <span data-ll-year>2027年</span><span>4月24日（周六）</span><span>下午3:00</span>"
    assert str(beijing_time(moment, "en")) == \
        "Beijing time, Sat 24 April<span data-ll-year> 2027</span>, <span>3:00 pm</span>"


@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reading-online")
    return build_site(write_project(root, [*one_of_each(), *LECTURES]))


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reading-offline")
    return build_site(write_project(root, [*one_of_each(), *LECTURES],
                                    mkdocs={"use_directory_urls": False},
                                    plugin={"offline": True}))


def test_without_javascript_a_lecture_page_says_its_beijing_time(online_site: Path) -> None:
    page = read(online_site, "hall-2027/index.html")
    assert '<time datetime="2027-03-05T19:30:00+08:00" data-ll-when="60" data-live>' \
           "北京时间 <span data-ll-year>2027年</span><span>3月5日（周五）</span>" \
           "<span>晚上7:30</span></time>" in page
    assert "UTC+08:00" not in page and "GMT" not in page
    assert '<script src="../assets/lifelong/when.js" data-words=\'{' in page
    assert '<p class="ll-schedule-link"><a href="../schedule/">本周讲座与直播 ›</a></p>' in page


def test_the_schedule_page_lists_every_lecture_by_start(online_site: Path) -> None:
    page = read(online_site, "schedule/index.html")
    assert re.findall(r'<li data-ll-read><a href="\.\./([a-z0-9-]+)/">', page) == BY_START
    assert '<li><a href="2027/">2027年（10场）</a></li>' in page
    assert "2027年的讲座与直播" in read(online_site, "schedule/2027/index.html")
    assert "<span>3月2日（周二）</span><span>上午9:00</span>" in page
    assert "<p class=\"ll-muted\">线下 · 李老师</p>" in page
    # Linked from the home page and the sections of lectures, not from others.
    assert 'href="schedule/">本周讲座与直播 ›' in read(online_site, "index.html")
    assert 'href="../schedule/">本周讲座与直播 ›' in read(online_site, "live/index.html")
    assert "schedule/" not in read(online_site, "reading/index.html")


def test_no_lectures_no_schedule_page(tmp_path: Path) -> None:
    write_project(tmp_path, [e for e in one_of_each() if e["kind"] != "lecture"])
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    assert "schedule" not in [page.path for page in SitePlan(catalogue).pages()]
    with_lectures = write_project(tmp_path / "more", [*one_of_each(), *LECTURES])
    catalogue = load_catalogue(with_lectures.parent / "content", with_lectures.parent / "catalogue")
    schedule = next(p for p in SitePlan(catalogue).pages() if p.path == "schedule")
    assert [e.id for e in schedule.context["lectures"]] == BY_START
    assert schedule.context["years"] == ((2027, len(BY_START)),)


def test_the_schedule_page_starts_near_the_catalogue_date_and_years_hold_every_lecture(
        tmp_path: Path) -> None:
    """The page lists lectures not ended two weeks before the catalogue's date (its latest
    published day, here 2027-03-01), at most ``schedule_size``; every lecture is on its
    year's pages, soonest first."""
    older = [lecture("y2025", "前年的讲座", "2025-06-01T10:00"),
             lecture("ended-15-days", "半个月前的讲座", "2027-02-13T22:30", 60),
             lecture("ended-13-days", "两周内的讲座", "2027-02-16T19:30")]
    latest = {**lecture("dated", "定日期的讲座", "2027-05-01T09:00"), "published": "2027-03-01"}
    write_project(tmp_path, [*one_of_each(), *LECTURES, *older, latest])
    catalogue = load_catalogue(tmp_path / "content", tmp_path / "catalogue")
    assert catalogue.date == dt.date(2027, 3, 1)
    pages = {page.path: page for page in SitePlan(catalogue, page_size=4,
                                                   schedule_size=5).pages()}
    assert [e.id for e in pages["schedule"].context["lectures"]] == [
        "ended-13-days", "past-feb", "ended-today", "on-in-person", "live-now"]
    assert pages["schedule"].context["years"] == ((2027, 13), (2025, 1))
    in_2027 = [e.id for n in ("", "/page/2", "/page/3", "/page/4")
               for e in pages[f"schedule/2027{n}"].context["entries"]]
    assert in_2027 == ["ended-15-days", "ended-13-days", *BY_START, "dated"]
    assert pages["schedule/2027"].title == "2027年的讲座与直播"
    assert [c.path for c in pages["schedule/2027/page/2"].crumbs] == ["", "schedule",
                                                                       "schedule/2027"]
    assert [e.id for e in pages["schedule/2025"].context["entries"]] == ["y2025"]


def test_a_changed_lecture_is_redrawn_on_the_schedule(tmp_path: Path) -> None:
    config = write_project(tmp_path, [*one_of_each(), *LECTURES])
    site = build_site(config)
    assert "（周日）</span><span>上午10:00" in read(site, "schedule/index.html")
    path = tmp_path / "content" / "lectures" / "sunday.md"
    path.write_text(path.read_text(encoding="utf-8").replace("T10:00:00", "T16:30:00"),
                    encoding="utf-8")
    build_site(config, dirty=True)
    page = read(site, "schedule/index.html")
    assert "（周日）</span><span>下午4:30" in page and "上午10:00" not in page


def test_schedule_is_a_reserved_address(project: Any) -> None:
    project.write("lectures/schedule.md", dumps_entry(
        lecture("schedule", "讲座", "2027-03-02T15:00"), "正文。"))
    result = project.check()
    assert result.exit_code == 1
    assert "'schedule' is a reserved address on the site" in result.output


# -- Chromium ------------------------------------------------------------------------------

#: speechSynthesis as the tests see it: every call recorded, each utterance spoken until the
#: test calls __finish() (its end), as an engine would at the end of a sentence.
SPEECH_STUB = """
window.__speech = {spoken: [], calls: []};
(function () {
  function Utterance(text) { this.text = text; }
  var synth = {
    speaking: false, current: null,
    getVoices: function () { return [{lang: "zh-CN", name: "Test"}, {lang: "en-US", name: "E"}]; },
    speak: function (u) {
      __speech.spoken.push(u.text); __speech.calls.push("speak");
      __speech.langs = (__speech.langs || []).concat([u.lang]);
      this.speaking = true; this.current = u;
    },
    pause: function () { __speech.calls.push("pause"); },
    resume: function () { __speech.calls.push("resume"); },
    cancel: function () {
      __speech.calls.push("cancel");
      var u = this.current; this.current = null; this.speaking = false;
      if (u && u.onerror) u.onerror({error: "canceled"});
    }
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
  window.__finish = function () {
    var u = synth.current; synth.current = null; synth.speaking = false;
    if (u && u.onend) u.onend({});
  };
})();
"""
NO_SPEECH = """
delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;
delete Window.prototype.speechSynthesis; delete Window.prototype.SpeechSynthesisUtterance;
"""

@pytest.fixture(scope="module")
def online_url(online_site: Path) -> Iterator[str]:
    with serve_folder(online_site) as url:
        yield url


class Reader:
    """A page opened as of ``when`` in ``zone``: its log, and the check that nothing was
    asked for outside the site (``root``)."""

    def __init__(self, browser: Any, root: str, *, when: dt.datetime = NOW,
                 zone: str = SHANGHAI, script: str | None = None, js: bool = True) -> None:
        self.root = root
        self.context = browser.new_context(timezone_id=zone, java_script_enabled=js,
                                           viewport={"width": 390, "height": 800})
        if js:
            self.context.clock.set_fixed_time(when)
        if script:
            self.context.add_init_script(script)
        self.page = self.context.new_page()
        self.log = PageLog()
        self.log.watch(self.page)

    def open(self, path: str, when: dt.datetime | None = None) -> Any:
        """The page at ``path``, as of ``when`` if given."""
        if when is not None:
            self.context.clock.set_fixed_time(when)
        self.page.goto(self.root + path, wait_until="load")
        return self.page

    def close(self) -> None:
        assert self.log.errors == [] and self.log.failed == []
        assert [u for u in self.log.requests if not u.startswith(self.root)] == []
        self.context.close()


@pytest.fixture
def reader(browser: Any, online_url: str) -> Iterator[Any]:
    opened: list[Reader] = []

    def make(root: str = online_url, **options: Any) -> Reader:
        opened.append(Reader(browser, root, **options))
        return opened[-1]
    yield make
    for one in opened:
        one.close()


def status_of(page: Any) -> str:
    text: str = page.locator(".ll-when__line .ll-status").inner_text()
    return text


@pytest.mark.browser
def test_how_far_off_a_lecture_is_worked_out_when_viewed(reader: Any) -> None:
    starts = dt.datetime(2027, 3, 5, 19, 30, tzinfo=BEIJING)
    opened = reader()
    for when, text in [(NOW, "还有3天"), (starts - dt.timedelta(days=1), "明天"),
                       (starts - dt.timedelta(hours=9), "今天"),
                       (starts + dt.timedelta(minutes=30), "正在直播"),
                       (starts + dt.timedelta(minutes=61), "已结束")]:
        page = opened.open("hall-2027/", when)
        assert status_of(page) == text, when
        # This year's lecture: no year; in Beijing's zone: no second time.
        assert page.locator("time[data-ll-when]").inner_text() == "北京时间 3月5日（周五）晚上7:30"
        assert page.locator(".ll-when__local").count() == 0


@pytest.mark.browser
def test_a_reader_elsewhere_sees_their_own_time_and_another_years_lecture_its_year(
        reader: Any) -> None:
    page = reader(zone="Europe/Berlin", when=dt.datetime(2026, 12, 1, 12, tzinfo=BEIJING)
                  ).open("hall-2027/")
    assert page.locator(".ll-when__line").inner_text().splitlines() == [
        "北京时间 2027年3月5日（周五）晚上7:30 还有94天", "您当地时间：3月5日（周五）中午12:30"]
    page = reader().open("on-in-person/")
    assert status_of(page) == "正在进行"  # not a livestream


@pytest.mark.browser
@pytest.mark.parametrize("where", ["online", "offline"])
def test_the_schedule_as_of_a_fixed_clock(reader: Any, where: str, offline_site: Path) -> None:
    if where == "online":
        page = reader().open("schedule/")
    else:
        page = reader(root=offline_site.as_uri() + "/").open("schedule/index.html")
    groups = page.evaluate("""() => {
        const found = {};
        for (const group of document.querySelectorAll("[data-group]")) {
          if (group.hidden) continue;
          found[group.getAttribute("data-group")] = [...group.querySelectorAll("li")].map(
            li => [li.querySelector("a").getAttribute("href"),
                   li.querySelector(".ll-status").textContent]);
        }
        return found;
    }""")
    ids = {name: [re.sub(r"^(\.\./)?|(/|\.html)$", "", href) for href, _ in items]
           for name, items in groups.items()}
    assert ids == GROUPS
    statuses = {name: [status for _, status in items] for name, items in groups.items()}
    assert statuses["today"] == ["正在进行", "正在直播", "今天"]
    assert statuses["week"] == ["明天", "还有3天", "还有5天"]
    assert statuses["next"] == ["还有6天"] and statuses["later"] == ["还有30天"]
    assert statuses["past"] == ["已结束", "已结束"]
    # Ended ones are folded away, with their count; the rest reads in order.
    assert not page.locator("details[data-group=past]").evaluate("d => d.open")
    assert page.locator("details[data-group=past] summary").text_content() == "已结束 2"
    assert page.locator(".ll-schedule li:visible a").all_inner_texts() == [
        TITLES[i] for name in ("today", "week", "next", "later") for i in GROUPS[name]]
    assert page.locator("[data-group=today] li").first.locator("time").inner_text() == \
        "北京时间 3月2日（周二）上午9:00"


@pytest.mark.browser
def test_an_old_copy_never_shows_an_ended_lecture_as_coming(reader: Any,
                                                           offline_site: Path) -> None:
    copy = reader(root=offline_site.as_uri() + "/", when=dt.datetime(2029, 1, 1, tzinfo=BEIJING))
    page = copy.open("schedule/index.html")
    assert page.locator("[data-group=none]").inner_text() == "近期没有安排讲座和直播。"
    assert page.locator(".ll-schedule li:visible").count() == 0
    assert page.locator("details[data-group=past] li").count() == len(BY_START)
    assert set(page.locator(".ll-schedule .ll-status").all_text_contents()) == {"已结束"}


@pytest.mark.browser
def test_without_javascript_the_schedule_lists_every_lecture(reader: Any) -> None:
    page = reader(js=False).open("schedule/")
    assert page.locator(".ll-schedule li:visible a").all_inner_texts() == \
        [TITLES[i] for i in BY_START]
    assert page.locator(".ll-read").is_hidden()


def rows(page_html: str) -> list[str]:
    """'label：value' of each row of an entry's details panel, as drawn."""
    panel = re.search(r'<dl data-ll-read="rows">(.*?)</dl>', page_html, re.S)
    assert panel is not None
    # A value with data-ll-say (a code) is read as that says: digit by digit.
    return [f"{visible(dt_)}：{say or visible(dd)}"
            for dt_, say, dd in re.findall(r'<dt>(.*?)</dt><dd(?: class="[^"]*")?'
                                           r'(?: data-ll-say="([^"]*)")?>(.*?)</dd>',
                                           panel.group(1), re.S)]


def read_all(page: Any) -> list[str]:
    """Play, and let every utterance end; what was spoken, in order."""
    page.locator(".ll-read__play").click()
    page.wait_for_function("__speech.spoken.length > 0")
    for _ in range(200):
        count = page.evaluate("__speech.spoken.length")
        page.evaluate("__finish()")
        if page.evaluate("__speech.spoken.length") == count:
            break
    spoken: list[str] = page.evaluate("__speech.spoken")
    return spoken


@pytest.mark.browser
@pytest.mark.parametrize("where", ["online", "offline"])
def test_read_aloud_reads_an_entry_in_order(reader: Any, where: str, online_site: Path,
                                            offline_site: Path) -> None:
    if where == "online":
        opened = reader(script=SPEECH_STUB)
        page = opened.open("taiji-basics/")
    else:
        opened = reader(root=offline_site.as_uri() + "/", script=SPEECH_STUB)
        page = opened.open("taiji-basics.html")
    assert page.locator(".ll-read__play").is_visible()
    assert page.locator(".ll-read__play").bounding_box()["height"] >= 44
    assert not [u for u in opened.log.requests if u.endswith("readaloud.js")]  # not yet
    spoken = read_all(page)
    assert [u for u in opened.log.requests if u.endswith("readaloud.js")]
    assert spoken == ["二十四式太极拳入门", "一门测试微课。",
                      *rows(read(online_site, "taiji-basics/index.html")), "正文第一段。"]
    assert "时长：18 分钟" in spoken
    assert set(page.evaluate("__speech.langs")) == {"zh-CN"}
    assert page.locator(".ll-read__play").inner_text() == "朗读本页"  # done: back to play


@pytest.mark.browser
def test_read_aloud_pauses_resumes_and_stops(reader: Any) -> None:
    page = reader(script=SPEECH_STUB).open("hall-2027/")
    play, stop = page.locator(".ll-read__play"), page.locator(".ll-read__stop")
    play.click()
    page.wait_for_function("__speech.spoken.length === 1")
    assert page.locator("h1.ll-reading").count() == 1  # the piece being read is marked
    page.evaluate("__finish()")
    page.evaluate("__finish()")
    assert page.evaluate("__speech.spoken") == [
        "老年人如何防跌倒", "医生讲居家防跌倒。", "北京时间 3月5日（周五）晚上7:30 还有3天"]
    assert stop.is_visible() and play.inner_text() == "暂停朗读"
    play.click()
    assert page.evaluate("__speech.calls").count("pause") == 1
    assert play.inner_text() == "继续朗读"
    play.click()
    assert page.evaluate("__speech.calls").count("resume") == 1
    assert play.inner_text() == "暂停朗读"
    stop.click()
    assert page.evaluate("__speech.calls")[-1] == "cancel"
    assert stop.is_hidden() and play.inner_text() == "朗读本页"
    assert page.locator(".ll-reading").count() == 0
    page.evaluate("__finish()")
    assert len(page.evaluate("__speech.spoken")) == 3  # nothing more once stopped


@pytest.mark.browser
def test_read_aloud_reads_a_listing_and_the_schedule(reader: Any, online_site: Path) -> None:
    page = reader(script=SPEECH_STUB).open("subjects/exercise/")
    listing = read(online_site, "subjects/exercise/index.html")
    titles = re.findall(r'<span class="ll-card__title">(.*?)</span>', listing)
    count = re.search(r'<p class="ll-count" data-ll-read>(.*?)</p>', listing)
    assert titles and count
    assert read_all(page) == ["运动健身", count.group(1), *titles]
    page = reader(script=SPEECH_STUB).open("schedule/")
    spoken = read_all(page)
    assert spoken[:5] == ["本周讲座与直播", "今天", TITLES["on-in-person"],
                          "北京时间 3月2日（周二）上午9:00 正在进行", "线下 · 李老师"]
    assert spoken.index("本周") < spoken.index("下周") < spoken.index("以后")
    assert TITLES["past-feb"] not in spoken and TITLES["ended-today"] not in spoken


@pytest.mark.browser
def test_no_speech_synthesis_no_control(reader: Any) -> None:
    page = reader(script=NO_SPEECH).open("taiji-basics/")
    assert page.evaluate("typeof speechSynthesis") == "undefined"
    assert page.locator(".ll-read").count() == 1 and page.locator(".ll-read").is_hidden()
    page = reader(js=False).open("taiji-basics/")
    assert page.locator(".ll-read").is_hidden()


@pytest.mark.browser
def test_a_device_that_cannot_speak_chinese_says_so(reader: Any) -> None:
    no_engine = SPEECH_STUB + """
        speechSynthesis.speak = function (u) { setTimeout(function () {
          u.onerror({error: "synthesis-failed"}); }); };"""
    english_only = SPEECH_STUB + """
        speechSynthesis.getVoices = function () { return [{lang: "en-US", name: "E"}]; };"""
    for script in (no_engine, english_only):
        page = reader(script=script).open("taiji-basics/")
        page.locator(".ll-read__play").click()
        note = page.locator(".ll-read__note")
        note.wait_for(state="attached")
        page.wait_for_function("document.querySelector('.ll-read__note').textContent")
        assert note.inner_text() == "这台设备没有中文朗读语音。"
        assert page.locator(".ll-read__play").inner_text() == "朗读本页"
        assert page.evaluate("__speech.spoken") == []
