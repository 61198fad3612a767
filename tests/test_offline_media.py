"""Offline copies say what needs the internet, and local media play with captions.

A tiny project: a course with a local video (a WebM made here with PyAV: there is no
encoder on the machine otherwise), local audio (a WAV from ``wave``) and WebVTT captions; a
course whose video is at an http(s) address the copy does not fetch; an e-book whose
download is a local file. Built offline, the remote one is marked on its card and beside
its video, the search page's "可离线使用" filter finds the other two, and from file:// the
local video and audio load in the browser's own player, the captions' cues with them.
Built online, nothing is marked and the index has no such filter."""

from __future__ import annotations

import io
import json
import re
import wave
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from browser import PageLog, serve_folder
from conftest import COURSE, Project, edit
from sitekit import build_site, course, read, write_project
from test_a11y import AXE, axe_violations, open_page, phone, report

OFFLINE = {"use_directory_urls": False}
VTT = "WEBVTT\n\n00:00.000 --> 00:00.900\n起势，两脚开立。\n"


def webm_video(frames: int = 10, size: int = 32) -> bytes:
    """A second of grey frames, VP8 in WebM: what Chromium plays."""
    import av  # a test dependency only

    out_file = io.BytesIO()
    with av.open(out_file, "w", format="webm") as out:
        stream = out.add_stream("libvpx", rate=10)
        stream.width, stream.height, stream.pix_fmt = size, size, "yuv420p"
        for number in range(frames):
            frame = av.VideoFrame(size, size, "yuv420p")
            for at, plane in enumerate(frame.planes):
                plane.update(bytes([16 + 20 * number if at == 0 else 128]) * plane.buffer_size)
            frame.pts, frame.time_base = number, Fraction(1, 10)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return out_file.getvalue()


def wav_audio(seconds: float = 0.5, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(rate)
        sound.writeframes(bytes([128]) * int(rate * seconds))
    return out.getvalue()


def media_entries() -> list[dict[str, Any]]:
    return [
        course("local-video", title="本地视频课", published="2024-03-01",
               video="media/clip.webm", audio="media/clip.wav",
               captions=[{"link": "media/clip.zh.vtt", "lang": "zh"},
                         {"link": "media/clip.en.vtt", "lang": "en", "label": "English"}]),
        course("remote-video", title="在线视频课", published="2024-03-02",
               video="https://example.org/v/remote.mp4"),
        {"kind": "ebook", "id": "local-book", "title": "本地电子书", "summary": "一本书。",
         "subjects": ["classics"], "published": "2024-03-03", "authors": ["某人"],
         "files": [{"type": "html", "link": "files/lunyu.html"}]},
    ]


def media_project(root: Path, **plugin: Any) -> Path:
    config = write_project(root, media_entries(), mkdocs=OFFLINE if plugin.get("offline")
                           else None, plugin=plugin)
    media = root / "content" / "courses" / "media"
    media.mkdir()
    (media / "clip.webm").write_bytes(webm_video())
    (media / "clip.wav").write_bytes(wav_audio())
    (media / "clip.zh.vtt").write_text(VTT, encoding="utf-8")
    (media / "clip.en.vtt").write_text(VTT.replace("起势，两脚开立。", "Begin."),
                                       encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(media_project(tmp_path_factory.mktemp("offmedia"), offline=True))


@pytest.fixture(scope="module")
def online_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(media_project(tmp_path_factory.mktemp("onmedia")))


def meta_of(site: Path) -> dict[str, Any]:
    text = read(site, "search/meta.js")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def column_of(site: Path, name: str) -> str | None:
    text = read(site, "search/f.js")
    return json.loads(text[text.index(",") + 1:text.rindex(")")]).get(name)


BADGE = '<span class="ll-badge ll-badge--online">需要联网</span>'


def test_cards_mark_only_entries_that_need_the_internet(offline_site: Path) -> None:
    cards = dict(re.findall(r'<a class="ll-card__link" href="([a-z-]+)\.html">(.*?)</a>',
                            read(offline_site, "index.html"), re.S))
    assert BADGE in cards["remote-video"]
    assert BADGE not in cards["local-video"]
    assert BADGE not in cards["local-book"]


def test_the_page_says_so_beside_the_remote_video(offline_site: Path) -> None:
    page = read(offline_site, "remote-video.html")
    assert ('<a href="https://example.org/v/remote.mp4" rel="noopener noreferrer" '
            f'class="ll-external">观看视频</a> {BADGE} ') in page
    for local in ("local-video.html", "local-book.html"):
        assert "需要联网</span>" not in read(offline_site, local)


def test_local_media_play_in_the_page_with_captions(offline_site: Path) -> None:
    page = read(offline_site, "local-video.html")
    # From file:// a track's file does not load: the copy's tracks name a script of it.
    assert ('<video controls preload="metadata" src="courses/media/clip.webm">'
            '<track kind="captions" data-ll-captions="courses/media/clip.zh.vtt.js" '
            'srclang="zh" label="普通话" default><track kind="captions" '
            'data-ll-captions="courses/media/clip.en.vtt.js" srclang="en" label="English">'
            '</video>') in page
    assert read(offline_site, "courses/media/clip.zh.vtt.js") == \
        'LifelongCaptions("WEBVTT\\n\\n00:00.000 --> 00:00.900\\n起势，两脚开立。\\n");\n'
    # The captions go with the video; the audio has its own player, without them.
    assert '<audio controls preload="metadata" src="courses/media/clip.wav"></audio>' in page
    assert "autoplay" not in page


def test_the_index_counts_what_works_offline(offline_site: Path) -> None:
    meta = meta_of(offline_site)
    assert meta["facets"]["offline"] == 2
    assert meta["ui"]["works_offline"] == "可离线使用"
    assert meta["ui"]["facet_offline"] == "离线"
    # Newest first in the site; the index holds them oldest first.
    assert column_of(offline_site, "offline") == "101"


def test_online_pages_link_their_captions_files(online_site: Path) -> None:
    page = read(online_site, "local-video/index.html")
    assert ('<video controls preload="metadata" src="../courses/media/clip.webm">'
            '<track kind="captions" src="../courses/media/clip.zh.vtt" srclang="zh" '
            'label="普通话" default><track kind="captions" src="../courses/media/clip.en.vtt" '
            'srclang="en" label="English"></video>') in page
    assert not (online_site / "courses" / "media" / "clip.zh.vtt.js").exists()


def test_online_sites_mark_nothing_and_have_no_offline_filter(online_site: Path) -> None:
    for page in ("remote-video/index.html", "index.html", "subjects/index.html"):
        assert "需要联网</span>" not in read(online_site, page)
    meta = meta_of(online_site)
    assert "offline" not in meta["facets"]
    assert "works_offline" not in meta["ui"]
    assert column_of(online_site, "offline") is None


def test_covers_only_copies_mark_local_files_left_out(tmp_path: Path) -> None:
    site = build_site(media_project(tmp_path, offline=True, media="covers"))
    page = read(site, "local-video.html")
    assert "<video" not in page
    assert f"观看视频 {BADGE} <span class=\"ll-muted\">（未包含在离线副本中，联网访问）" in page
    assert meta_of(site)["facets"]["offline"] == 0


# -- validation ----------------------------------------------------------------------------

CAPTIONED = edit(COURSE, "format: video\n", "format: video\ncaptions:\n  - link: {link}\n"
                 "    lang: zh\n")
C = "content/courses/a.md"


@pytest.mark.parametrize(("link", "files", "message"), [
    ("subs/a.srt", {"courses/subs/a.srt": "1\n00:00:00,000 --> 00:00:01,000\n字幕\n"},
     "'subs/a.srt' is not a WebVTT file: use a .vtt file"),
    ("subs/a.vtt", {"courses/subs/a.vtt": "1\n00:00:00,000 --> 00:00:01,000\n字幕\n"},
     "'subs/a.vtt' is not a WebVTT file: it must start with 'WEBVTT'"),
    ("subs/b.vtt", {}, "file not found: 'subs/b.vtt' (looked for content/courses/subs/b.vtt)"),
    ("ftp://example.org/a.vtt", {}, "only http:// and https:// addresses are allowed, not 'ftp:'"),
])
def test_bad_captions_are_check_errors(project: Project, link: str, files: dict[str, str],
                                       message: str) -> None:
    for rel, text in files.items():
        project.write(rel, text)
    project.write("courses/a.md", CAPTIONED.format(link=link))
    result = project.check()
    assert result.stdout == f"{C}:11: captions.0.link: {message}\n"
    assert result.exit_code == 1


def test_good_captions_pass(project: Project) -> None:
    project.write("courses/subs/a.vtt", "\ufeff" + VTT)
    project.write("courses/a.md", CAPTIONED.format(link="subs/a.vtt"))
    assert project.check().stdout == "OK: 1 entry, no problems.\n"
    project.write("courses/a.md", CAPTIONED.format(link="https://example.org/a.vtt"))
    assert project.check().stdout == "OK: 1 entry, no problems.\n"


# -- in Chromium, from file:// ---------------------------------------------------------------


@pytest.mark.browser
def test_the_local_video_plays_with_its_captions_from_file(browser: Any,
                                                           offline_site: Path) -> None:
    page = browser.new_page()
    log = PageLog()
    log.watch(page)
    page.goto((offline_site / "local-video.html").as_uri(), wait_until="load")
    page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=10_000)
    page.wait_for_function("document.querySelector('audio').readyState >= 1", timeout=10_000)
    video = page.evaluate("""() => {
        const video = document.querySelector('video');
        return {width: video.videoWidth, duration: video.duration, mode: video.textTracks[0].mode,
                tracks: video.textTracks.length};
    }""")
    assert video["width"] == 32
    assert 0.9 <= video["duration"] <= 1.1
    assert video["tracks"] == 2
    assert video["mode"] == "showing"  # the default one
    page.wait_for_function("document.querySelector('video track').readyState === 2",
                           timeout=10_000)
    cues = page.evaluate("() => Array.from(document.querySelector('video').textTracks[0].cues)"
                         ".map(c => c.text)")
    assert cues == ["起势，两脚开立。"]
    inside = offline_site.as_uri() + "/"
    # The captions reach the track as a blob of the page's own (``blob:null/...``).
    assert [u for u in log.requests if not u.startswith((inside, "blob:null/"))] == []
    # In care mode the audio player's bar is a 60 px target, as every control is.
    page.evaluate("document.documentElement.classList.add('ll-care')")
    assert page.evaluate("document.querySelector('audio').getBoundingClientRect().height") \
        >= 60
    assert log.errors == []
    assert log.failed == []
    page.close()


@pytest.mark.browser
def test_the_works_offline_filter_counts_from_file(browser: Any, offline_site: Path) -> None:
    page = browser.new_page()
    page.goto((offline_site / "search" / "index.html").as_uri(), wait_until="load")
    pick = page.locator(".ll-search-easy__link", has_text="可离线使用")
    pick.wait_for()
    assert pick.locator(".ll-search-easy__count").inner_text() == "2"
    pick.click()
    page.wait_for_function("document.querySelectorAll('#ll-search-results > li').length === 2")
    assert "offline=0" in page.url
    box = page.locator(".ll-facet--offline")
    assert box.locator("legend").inner_text() == "离线"
    assert box.locator(".ll-facet__count").inner_text() == "2"
    titles = page.locator("#ll-search-results > li").all_inner_texts()
    assert not any("在线视频课" in title for title in titles)
    page.close()


@pytest.fixture(scope="module")
def axe_url() -> Iterator[str]:
    with serve_folder(AXE.parent) as url:
        yield url + AXE.name


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["normal", "care", "contrast"])
def test_the_players_and_marks_pass_axe(browser: Any, offline_site: Path, axe_url: str,
                                        mode: str) -> None:
    """The tiny site of the accessibility walk has no local video: its pages are checked
    here, in each mode (the marks on its lecture are in the walk itself)."""
    problems = []
    with phone(browser, mode) as page:
        for name in ("local-video.html", "remote-video.html", "index.html"):
            open_page(page, (offline_site / name).as_uri())
            problems += [(name, v) for v in axe_violations(page, axe_url)]
    assert problems == [], report(problems)
