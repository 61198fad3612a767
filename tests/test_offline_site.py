"""The offline variant's pages: subsets, entries 'not in this copy', media choices, and the
catalogue version in every footer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from sitekit import build_site, one_of_each, read, write_project

OFFLINE = {"use_directory_urls": False}


@pytest.fixture(scope="module")
def subset_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("subset")
    config = write_project(root, one_of_each(), mkdocs=OFFLINE, plugin={
        "offline": True, "subset_sections": ["community-education"], "media": "covers"})
    return build_site(config)


def search_documents(site: Path) -> int:
    text = read(site, "search/meta.js")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])["documents"]


def test_a_subset_holds_only_its_entries_and_their_series(subset_site: Path) -> None:
    pages = sorted(p.name for p in subset_site.glob("*.html"))
    assert pages == ["404.html", "about.html", "index.html", "lunyu.html", "phone-1.html",
                     "phone-2.html", "phone-3.html", "phone-class.html", "taiji-basics.html"]
    assert search_documents(subset_site) == 5  # 4 courses and their series phone-class
    home = read(subset_site, "index.html")
    assert '<span class="ll-tiles__title">社区教育与老年教育</span> ' \
           '<span class="ll-tiles__count">4 条</span>' in home
    assert "全民阅读" not in home  # an empty section is not shown in a subset
    assert not (subset_site / "reading").exists()
    assert "<dt>全部内容</dt><dd>5</dd>" in home


def test_links_to_entries_outside_the_subset_lead_to_a_not_in_this_copy_page(
        subset_site: Path) -> None:
    card = read(subset_site, "phone-2.html")
    assert re.search(r'<a class="ll-card__link" href="lunyu.html">.*?不在此副本中', card, re.S)
    page = read(subset_site, "lunyu.html")
    assert "此条目不在这份离线副本中" in page
    assert '<a href="https://lifelong.example.org/lunyu/" rel="noopener noreferrer" ' \
           'class="ll-external">https://lifelong.example.org/lunyu/</a>' in page
    # Its QR code is drawn by the page from the address (qr.js): no file per entry.
    assert 'data-qr="https://lifelong.example.org/lunyu/"' in page
    assert not (subset_site / "qr").exists()
    assert not (subset_site / "reading" / "files" / "lunyu.html").exists()


def test_entry_pages_carry_their_qr_code_and_no_json_ld(subset_site: Path) -> None:
    page = read(subset_site, "phone-2.html")
    assert 'data-qr="https://lifelong.example.org/phone-2/"' in page
    assert "application/ld+json" not in page
    assert '<link rel="canonical"' not in page


def test_covers_only_keeps_covers(subset_site: Path) -> None:
    assert (subset_site / "courses" / "covers" / "taiji.svg").is_file()
    html = read(subset_site, "taiji-basics.html")
    assert '<img class="ll-entry__cover" src="courses/covers/taiji.svg"' in html


def test_every_page_says_which_catalogue_and_that_it_may_be_out_of_date(
        subset_site: Path) -> None:
    for page in subset_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<p class="ll-version" data-note="这是离线副本，此后的更新不包含在内。">' \
               "这是离线副本，此后的更新不包含在内。</p>" in html, page
        depth = len(page.relative_to(subset_site).parts) - 1
        assert f'<script src="{"../" * depth}version.js"></script>' in html, page
    assert re.search(r'var text = "目录版本 [0-9a-f]{12}，更新至 \d{4}-\d\d-\d\d";',
                     read(subset_site, "version.js"))


def test_no_media_links_to_the_online_file_instead(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each(), mkdocs=OFFLINE,
                           plugin={"offline": True, "media": "none"})
    site = build_site(config)
    assert not (site / "courses" / "covers" / "taiji.svg").exists()
    assert not (site / "reading" / "files" / "lunyu.html").exists()
    html = read(site, "lunyu.html")
    assert "网页版 <span class=\"ll-badge ll-badge--online\">需要联网</span> " \
           "<span class=\"ll-muted\">（未包含在离线副本中，联网访问）</span> " \
           '<a href="https://lifelong.example.org/reading/files/lunyu.html"' in html
    assert "ll-entry__cover" not in read(site, "taiji-basics.html")
    assert "taiji.svg" not in read(site, "index.html")


def test_the_online_site_shows_the_version_without_the_offline_note(tmp_path: Path) -> None:
    site = build_site(write_project(tmp_path, one_of_each()))
    assert '<p class="ll-version"></p>' in read(site, "index.html")
    assert 'var text = "目录版本 ' in read(site, "version.js")


def test_an_unknown_subset_is_a_clear_error(tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    config = write_project(tmp_path, one_of_each(), plugin={"subset_sections": ["readin"],
                                                            "subset_audiences": ["elderly"]})
    with pytest.raises(Abort):
        build_site(config)
    assert "unknown section 'readin', audience 'elderly'" in caplog.text
