"""Rebuilds: after a change to the catalogue, a rebuild over the last build (what
``lifelong build`` does when site/ exists) equals a clean build of the same content, byte
for byte, and redraws only the pages the change shows on."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from lifelong.build import cache as lifelong_cache
from lifelong.build import loading, processes
from lifelong.build.loading import load_catalogue
from lifelong.build.processes import Sharing
from lifelong.catalogue import reading
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.catalogue.problems import CatalogueError
from sitekit import THEME, build_site, course, one_of_each, people_and_places, write_project


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def edit_entry(root: Path, path: str, change: Callable[[dict, str], tuple[dict, str]]) -> None:
    file = root / "content" / path
    text = file.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta, body = change(yaml.safe_load(front), body)
    file.write_text(dumps_entry(meta, body.strip()), encoding="utf-8")


def retitle_lunyu(root: Path) -> None:
    # lunyu is shown on phone-2's page (related) and on listings and term pages.
    edit_entry(root, "reading/lunyu.md", lambda m, b: ({**m, "title": "论语（新版）"}, b))


def move_taiji(root: Path) -> None:
    # From exercise to health: it leaves one subject's pages and joins another's.
    edit_entry(root, "courses/taiji-basics.md",
               lambda m, b: ({**m, "subjects": ["health"]}, b))


def rewrite_body(root: Path) -> None:
    edit_entry(root, "courses/phone-1.md", lambda m, b: (m, "新的正文，讲**开机**。"))


def add_member(root: Path) -> None:
    # A fourth lesson of a series: the series page and the third lesson's "next" change.
    meta = course("phone-4", title="第四讲 手机支付", subjects=["smartphone"],
                  series="phone-class", series_order=4, published="2024-01-04")
    (root / "content" / "courses" / "phone-4.md").write_text(dumps_entry(meta, "正文。"),
                                                             encoding="utf-8")


def delete_member(root: Path) -> None:
    (root / "content" / "courses" / "phone-3.md").unlink()


def drop_cover(root: Path) -> None:
    edit_entry(root, "courses/taiji-basics.md",
               lambda m, b: ({k: v for k, v in m.items() if k != "cover"}, b))
    (root / "content" / "courses" / "covers" / "taiji.svg").unlink()


def relabel_subject(root: Path) -> None:
    # A rule changes: every page may show the label, so every page is redrawn.
    path = root / "catalogue" / "vocabularies" / "subjects.yml"
    text = path.read_text(encoding="utf-8")
    assert "智能手机使用" in text
    path.write_text(text.replace("智能手机使用", "智能手机入门"), encoding="utf-8")


def rewrite_about(root: Path) -> None:
    (root / "content" / "about.md").write_text("---\ntitle: 关于\n---\n新的介绍。\n",
                                               encoding="utf-8")


def retitle_about(root: Path) -> None:
    # The navigation, on every page, shows the new title: every page is redrawn.
    (root / "content" / "about.md").write_text("---\ntitle: 关于我们\n---\n关于本目录。\n",
                                               encoding="utf-8")


def relabel_and_delete(root: Path) -> None:
    # Every page is redrawn and pages go: the last build's pages must still be known.
    relabel_subject(root)
    delete_member(root)


def reschedule_lecture(root: Path) -> None:
    # Its calendars (its own, its series', the upcoming one) and feeds change with it.
    edit_entry(root, "lectures/hall-2027.md", lambda m, b: (
        {**m, "starts": "2027-03-06T09:00:00+08:00", "updated": "2026-11-30"}, b))


def add_book_file(root: Path) -> None:
    # Its OPDS entries (complete feed, section, subject, author) gain an acquisition link.
    (root / "content" / "reading" / "files" / "lunyu.epub").write_bytes(b"PK\x03\x04")
    edit_entry(root, "reading/lunyu.md", lambda m, b: (
        {**m, "files": [*m["files"], {"type": "epub", "link": "files/lunyu.epub"}]}, b))


def describe_site(root: Path) -> None:
    # Pages without a summary of their own show the site's description: all are redrawn.
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_name:", "site_description: 全国终身学习资源\nsite_name:", 1),
                      encoding="utf-8")


CHANGES = {"title": retitle_lunyu, "subject": move_taiji, "body": rewrite_body,
           "add": add_member, "delete": delete_member, "media": drop_cover,
           "rules": relabel_subject, "page": rewrite_about,
           "page-title": retitle_about, "rules-and-delete": relabel_and_delete,
           "lecture": reschedule_lecture, "book-file": add_book_file,
           "site-description": describe_site}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_rebuild_equals_a_clean_build(tmp_path: Path, name: str) -> None:
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    untouched = site / "star-zhang" / "index.html"
    os.utime(untouched, (1_000_000_000, 1_000_000_000))
    CHANGES[name](tmp_path)
    build_site(config, dirty=True)
    clean = build_site(config, site_dir=str(tmp_path / "clean"))
    assert digest(site) == digest(clean)
    # Only what the change shows on is redrawn (rules and the navigation: everything).
    redrawn = untouched.stat().st_mtime != 1_000_000_000
    assert redrawn == (name in ("rules", "page-title", "rules-and-delete", "site-description"))


def rename_teacher(root: Path) -> None:
    # Courses name 李秀兰: once no teacher has that name, they show it without a profile.
    # An activity's teachers are teachers: it names her by id from now on.
    edit_entry(root, "teachers/li-xiu-lan-t.md", lambda m, b: ({**m, "title": "李秀兰老师"}, b))
    edit_entry(root, "activities/taiji-sharing.md",
               lambda m, b: ({**m, "teachers": ["li-xiu-lan-t", "wang-fang-doctor"]}, b))


def add_teacher(root: Path) -> None:
    # 王医生, a lecture's speaker by name, becomes a teacher with a profile.
    meta = {"kind": "teacher", "id": "wang-yisheng", "title": "王医生", "summary": "社区医生。",
            "subjects": ["health"], "published": "2024-04-01", "roles": ["doctor"],
            "region": "zhejiang"}
    (root / "content" / "teachers" / "wang-yisheng.md").write_text(
        dumps_entry(meta, "正文。"), encoding="utf-8")


def move_activity(root: Path) -> None:
    # From Hangzhou to Suzhou: both centres' pages, their regions' directories, the map.
    edit_entry(root, "activities/taiji-sharing.md",
               lambda m, b: ({**m, "centre": "suzhou-senior-uni"}, b))


def retitle_centre(root: Path) -> None:
    # Shown on its activity's and its lecture's pages and in the directory.
    edit_entry(root, "centres/xihu-centre.md",
               lambda m, b: ({**m, "title": "西湖区社区学院"}, b))


def drop_mark(root: Path) -> None:
    # The marks listing, the badge, the statistics and the search facet lose it.
    edit_entry(root, "courses/baduanjin-daily.md",
               lambda m, b: ({**m, "marks": m["marks"][:1]}, b))


def delete_teacher(root: Path) -> None:
    # The artisan's book and activity name her by id: the id is then an error, so both
    # go with her.
    for path in ("teachers/wang-fang-artisan.md", "reading/suzhou-embroidery.md",
                 "activities/embroidery-sharing.md"):
        (root / "content" / path).unlink()


COMMUNITY_CHANGES = {"teacher-name": rename_teacher, "teacher-add": add_teacher,
                     "activity-centre": move_activity, "centre-title": retitle_centre,
                     "mark": drop_mark, "teacher-delete": delete_teacher}


@pytest.mark.parametrize("name", sorted(COMMUNITY_CHANGES))
def test_rebuild_of_teachers_centres_and_marks_equals_a_clean_build(tmp_path: Path,
                                                                    name: str) -> None:
    config = write_project(tmp_path, [*one_of_each(), *people_and_places()])
    site = build_site(config)
    COMMUNITY_CHANGES[name](tmp_path)
    build_site(config, dirty=True)
    clean = build_site(config, site_dir=str(tmp_path / "clean"))
    assert digest(site) == digest(clean)


def test_rebuild_without_directory_urls(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each(), mkdocs={"use_directory_urls": False})
    site = build_site(config)
    for change in (retitle_lunyu, move_taiji, delete_member, add_member):
        change(tmp_path)
        build_site(config, dirty=True)
    assert not (site / "phone-3.html").exists()
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_a_lost_cache_or_page_is_redrawn(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    expected = digest(site)
    (site / "phone-2" / "index.html").unlink()
    build_site(config, dirty=True)
    assert digest(site) == expected
    shutil.rmtree(tmp_path / ".lifelong-cache")
    build_site(config, dirty=True)
    assert digest(site) == expected
    for file in (tmp_path / ".lifelong-cache").rglob("*.pickle"):
        file.write_bytes(b"not a pickle")
    build_site(config, dirty=True)
    assert digest(site) == expected


def test_a_build_over_a_site_its_cache_does_not_know_leaves_no_old_page(
        tmp_path: Path) -> None:
    # Without the record of what the last build wrote, its files cannot be told from this
    # build's: the folder is emptied (hidden entries kept, as a clean build keeps them).
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    (site / ".well-known").mkdir()
    (site / ".well-known" / "kept.txt").write_text("x", encoding="utf-8")
    delete_member(tmp_path)
    shutil.rmtree(tmp_path / ".lifelong-cache")
    build_site(config, dirty=True)
    assert not (site / "phone-3" / "index.html").exists()
    assert (site / ".well-known" / "kept.txt").is_file()
    (site / ".well-known" / "kept.txt").unlink()
    (site / ".well-known").rmdir()
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def mark_kept_cards(root: Path) -> int:
    """Change every card in the card cache (its inputs left alone): a page drawn with a
    kept card shows the mark. Returns how many cards there are."""
    count = 0
    for shard in sorted((root / ".lifelong-cache" / "cards").glob("cards-*.pickle")):
        with shard.open("rb") as handle:
            key, cards = pickle.load(handle)
        marked = {entry_id: (inputs, card.replace(b'class="ll-card__title"',
                                                  b'class="ll-card__title kept"'))
                  for entry_id, (inputs, card) in cards.items()}
        with shard.open("wb") as handle:
            pickle.dump((key, marked), handle)
        count += len(cards)
    return count


def kept_cards(folder: Path) -> dict[str, tuple[str, bytes]]:
    kept = {}
    for shard in folder.glob("cards-*.pickle"):
        with shard.open("rb") as handle:
            kept.update(pickle.load(handle)[1])
    return kept


def test_a_rebuild_draws_again_only_the_cards_of_entries_that_changed(
        tmp_path: Path) -> None:
    """Listings redrawn by a rebuild take the cards of unchanged entries from the cache (an
    add or a delete shifts every later listing page, thousands at full scale); the card of
    an entry that changed is drawn afresh and kept for the next build."""
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    assert mark_kept_cards(tmp_path) >= len(one_of_each()) - 1  # drafts have no card
    retitle_lunyu(tmp_path)
    build_site(config, dirty=True)
    pages = [p.read_text(encoding="utf-8") for p in sorted(site.rglob("index.html"))]
    redrawn = [html for html in pages if '"ll-card__title">论语（新版）</span>' in html]
    assert len(redrawn) >= 3  # the listings and the page that show its card
    assert not any('"ll-card__title kept">论语' in html for html in pages)
    # Other entries' cards on those pages come from the cache.
    assert any('class="ll-card__title kept"' in html for html in redrawn)
    kept = kept_cards(tmp_path / ".lifelong-cache" / "cards")
    assert "论语（新版）" in kept["lunyu"][1].decode()


def test_kept_cards_are_not_used_when_the_templates_change(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    shutil.copytree(THEME, overrides)
    config = write_project(tmp_path, one_of_each(), mkdocs={"theme": {
        "name": "material", "custom_dir": str(overrides), "language": "zh", "font": False}})
    site = build_site(config)
    mark_kept_cards(tmp_path)
    macros = overrides / "lifelong" / "macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_site(config, dirty=True)
    assert not any('class="ll-card__title kept"' in p.read_text(encoding="utf-8")
                   for p in site.rglob("*.html"))
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_a_page_left_half_written_by_a_build_cut_short_is_redrawn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Pages are written over their old bytes; a build that stops while writing one leaves
    it half written, and the next build draws it again even if its content is back to what
    the record says (the change was undone)."""
    from mkdocs.exceptions import Abort

    import lifelong.build.drawing

    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    expected = digest(site)
    original = (tmp_path / "content" / "reading" / "lunyu.md").read_text(encoding="utf-8")
    retitle_lunyu(tmp_path)
    write = lifelong.build.drawing.write_file

    def cut_short(path: Path, data: bytes) -> None:
        if path == site / "lunyu" / "index.html":
            write(path, data[:100])
            raise OSError(28, "No space left on device")
        write(path, data)
    monkeypatch.setattr(lifelong.build.drawing, "write_file", cut_short)
    with pytest.raises(Abort):
        build_site(config, dirty=True)
    assert "reading/lunyu.md: could not write" in caplog.text
    assert "No space left on device" in caplog.text
    assert len((site / "lunyu" / "index.html").read_bytes()) == 100
    monkeypatch.setattr(lifelong.build.drawing, "write_file", write)
    (tmp_path / "content" / "reading" / "lunyu.md").write_text(original, encoding="utf-8")
    build_site(config, dirty=True)
    assert digest(site) == expected


def test_an_entry_with_a_problem_is_read_again(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """The cache never hides a problem: a file is cached only once it is valid."""
    from mkdocs.exceptions import Abort

    config = write_project(tmp_path, one_of_each())
    build_site(config)
    edit_entry(tmp_path, "courses/phone-1.md", lambda m, b: ({**m, "subjects": ["nope"]}, b))
    for _ in range(2):
        caplog.clear()
        with pytest.raises(Abort):
            build_site(config, dirty=True)
        assert "content/courses/phone-1.md:6: subjects.0: unknown term 'nope'" in caplog.text


def test_pages_drawn_by_worker_processes_are_the_same(tmp_path: Path) -> None:
    """Big sites are drawn by forked workers and this process together; the pages are the
    same as when one process draws them all."""
    config = write_project(tmp_path / "alone", one_of_each(), plugin={"workers": 3})
    alone = digest(build_site(config))
    config = write_project(tmp_path / "shared", one_of_each(),
                           plugin={"workers": 3, "share_above": 0})
    shared = digest(build_site(config))
    assert shared == alone


def test_a_template_error_in_a_worker_is_reported(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    from sitekit import THEME

    overrides = tmp_path / "overrides"
    shutil.copytree(THEME, overrides)
    (overrides / "lifelong" / "listing.html").write_text("{{ nope() }}", encoding="utf-8")
    config = write_project(tmp_path / "p", one_of_each(), plugin={"workers": 2, "share_above": 0},
                           mkdocs={"theme": {"name": "material", "custom_dir": str(overrides),
                                             "language": "zh", "font": False}})
    with pytest.raises(Abort):
        build_site(config)
    assert "the catalogue template failed: lifelong/listing.html:1: UndefinedError" in caplog.text


def only_a_worker_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build as a rebuild makes it (the second process writes the outputs) in which this
    process takes no page from the queue: the worker forked for the other core draws them
    all."""
    from lifelong.build.catalogue_site import CatalogueSite
    from lifelong.build.drawing import PageQueue

    monkeypatch.setattr(CatalogueSite, "has_earlier_build", lambda self, site_dir: True)
    work, me = PageQueue.work, os.getpid()

    def others_only(self: PageQueue, *args: object, **kwargs: object) -> None:
        if os.getpid() != me:
            work(self, *args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(PageQueue, "work", others_only)


def test_pages_drawn_by_a_rebuilds_worker_are_the_same(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Older courses than the home page shows: only listings show their cards.
    older = [course(f"old-{n}", published=f"2019-01-{n:02d}") for n in range(1, 13)]
    config = write_project(tmp_path, one_of_each() + older,
                           plugin={"workers": 2, "share_above": 0})
    alone = digest(build_site(config, site_dir=str(tmp_path / "alone")))
    cards = tmp_path / ".lifelong-cache" / "cards"
    drawn = kept_cards(cards)
    shutil.rmtree(cards)
    only_a_worker_draws(monkeypatch)
    helped = digest(build_site(config, site_dir=str(tmp_path / "helped")))
    assert helped == alone
    # The worker handed over the cards it drew: the next build draws none.
    assert kept_cards(cards) == drawn
    assert not list(cards.glob("drawn-*"))


def test_a_template_error_in_a_rebuilds_worker_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    overrides = tmp_path / "overrides"
    shutil.copytree(THEME, overrides)
    (overrides / "lifelong" / "listing.html").write_text("{{ nope() }}", encoding="utf-8")
    config = write_project(tmp_path / "p", one_of_each(), plugin={"workers": 2, "share_above": 0},
                           mkdocs={"theme": {"name": "material", "custom_dir": str(overrides),
                                             "language": "zh", "font": False}})
    only_a_worker_draws(monkeypatch)
    with pytest.raises(Abort):
        build_site(config)
    assert "the catalogue template failed: lifelong/listing.html:1: UndefinedError" in caplog.text


def test_a_dirty_rebuild_writes_its_outputs_before_mkdocs_reads_the_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs leaves a dirty build's site folder as it is: the second process writes the
    search index at once, not after MkDocs has read the files; a build that is not dirty
    empties the folder first, and the index is written after that."""
    from lifelong.build.jobs import HelperJob

    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    made: list[bool] = []
    start = HelperJob.__init__

    def note(self: HelperJob, *args: object, ready: bool = False, **kwargs: object) -> None:
        made.append(ready)
        start(self, *args, ready=ready, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(HelperJob, "__init__", note)
    retitle_lunyu(tmp_path)
    build_site(config, dirty=True)
    assert made == [True]
    rewrite_body(tmp_path)
    build_site(config)  # not dirty: MkDocs empties site/ after loading the configuration
    assert made == [True, False]
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_a_new_site_address_redraws_the_qr_codes(tmp_path: Path) -> None:
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    page = site / "phone-2" / "index.html"
    assert 'data-qr="https://lifelong.example.org/phone-2/"' in page.read_text(encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    assert "site_url: https://lifelong.example.org/" in text
    config.write_text(text.replace("https://lifelong.example.org/",
                                   "https://learn.example.cn/"), encoding="utf-8")
    build_site(config, dirty=True)
    assert 'data-qr="https://learn.example.cn/phone-2/"' in page.read_text(encoding="utf-8")
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_a_rebuild_removes_the_qr_code_files_of_earlier_code(tmp_path: Path) -> None:
    """Earlier code wrote an SVG file per entry into qr/ and recorded it with the pages it
    wrote: a rebuild by this code, whose pages draw their codes, removes them."""
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    [path] = (tmp_path / ".lifelong-cache" / "sites").glob("*/pages.pickle")
    with path.open("rb") as handle:
        key = pickle.load(handle)[0]
    record = lifelong_cache.PageRecord(path, key)
    assert record.previous
    record.save({**record.previous, "qr/phone-2.svg": record.previous["phone-2/index.html"]})
    (site / "qr").mkdir()
    (site / "qr" / "phone-2.svg").write_text("<svg></svg>", encoding="utf-8")
    build_site(config, dirty=True)
    assert not (site / "qr").exists()
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_published_files_have_a_record_of_their_own(tmp_path: Path) -> None:
    """The files published beside the pages (feeds, OPDS, data) are recorded apart from the
    pages (their own worker writes them, and the theme's chrome is not theirs): a rebuild
    over the cache of earlier code, which recorded them with the pages, writes them afresh
    and keeps them; and the next rebuild vouches for them from their own record."""
    config = write_project(tmp_path, one_of_each())
    site = build_site(config)
    [pages] = (tmp_path / ".lifelong-cache" / "sites").glob("*/pages.pickle")
    published = pages.with_name("published.pickle")
    with published.open("rb") as handle:
        theirs = pickle.load(handle)[1]
    assert "feeds/atom.xml" in lifelong_cache._unlines(theirs[0])
    with pages.open("rb") as handle:
        key = pickle.load(handle)[0]
    record = lifelong_cache.PageRecord(pages, key)
    assert "feeds/atom.xml" not in record.previous
    old = lifelong_cache.PageRecord(published, "any").written
    record.save({**record.previous, **dict.fromkeys(old, "earlier")})
    published.unlink()
    expected = digest(site)
    build_site(config, dirty=True)
    assert digest(site) == expected
    assert published.is_file()
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_a_yielding_worker_runs_at_a_lower_priority() -> None:
    """The rebuild's publishing worker yields the cores to the work the build waits for."""
    def niceness(_link: object) -> int:
        return os.nice(0)

    mine = os.nice(0)
    assert processes.forked("plain", niceness).wait() == mine
    assert processes.forked("yielding", niceness, yielding=True).wait() == \
        min(mine + processes.YIELDING, 19)


def test_entries_come_back_from_the_cache_whole(tmp_path: Path) -> None:
    """Every field of a cached entry comes back, the digest (which equality leaves out)
    and the body included."""
    write_project(tmp_path, one_of_each())
    content, rules, cache = tmp_path / "content", tmp_path / "catalogue", tmp_path / "cache"
    first = load_catalogue(content, rules, cache_dir=cache)
    again = load_catalogue(content, rules, cache_dir=cache)
    assert [(e.id, e.kind, e.path, dict(e.values), e.body, e.digest) for e in again.entries] \
        == [(e.id, e.kind, e.path, dict(e.values), e.body, e.digest) for e in first.entries]
    assert all(e.digest and type(e).__name__ == "Entry" for e in again.entries)
    assert pickle.loads(pickle.dumps(first.entries[0])).digest == first.entries[0].digest


def test_person_addresses_are_worked_out_once(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Pinyin for thousands of names takes seconds (and its dictionaries 56 MB): a rebuild
    reuses the slugs it made, teachers' (named by id, addressed by title) too."""
    from lifelong.catalogue import model

    write_project(tmp_path, [*one_of_each(), *people_and_places()])
    content, rules, cache = tmp_path / "content", tmp_path / "catalogue", tmp_path / "cache"
    slugs = {p.slug for p in load_catalogue(content, rules, cache_dir=cache).people}
    assert {"li-xiu-lan", "wang-fang", "wang-fang-artisan"} <= slugs

    def no_pinyin(name: str) -> str:
        raise AssertionError(f"worked out again: {name}")
    monkeypatch.setattr(loading, "person_slug", no_pinyin)
    monkeypatch.setattr(model, "person_slug", no_pinyin)
    again = load_catalogue(content, rules, cache_dir=cache)
    assert {p.slug for p in again.people} == slugs


def test_entries_read_by_reader_processes_are_the_same(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A large catalogue is read by a process per core: the same entries, the same people's
    addresses (the readers work them out, so that the build never loads pinyin for them),
    the same problems."""
    write_project(tmp_path, one_of_each())
    content, rules = tmp_path / "content", tmp_path / "catalogue"
    alone = load_catalogue(content, rules, cache_dir=tmp_path / "alone")
    readers = Sharing(workers=2, above=0)
    shared = load_catalogue(content, rules, cache_dir=tmp_path / "shared", sharing=readers)
    assert shared.entries == alone.entries
    assert [(p.name, p.slug) for p in shared.people] == [(p.name, p.slug) for p in alone.people]
    assert shared.slugs["李秀兰"] == "li-xiu-lan"
    # The readers wrote the entry cache themselves: a second load reads no file again.
    read_entry = reading._read_entry

    def no_reading(*args: object) -> object:
        raise AssertionError(f"read again: {args[2]}")
    monkeypatch.setattr(reading, "_read_entry", no_reading)
    assert load_catalogue(content, rules, cache_dir=tmp_path / "shared",
                          sharing=readers).entries == alone.entries
    # One file changed: its shard is read in this process again, the others stay.
    monkeypatch.setattr(reading, "_read_entry", read_entry)
    lunyu = content / "reading" / "lunyu.md"
    lunyu.write_text(lunyu.read_text(encoding="utf-8").replace("论语", "论语新编"),
                     encoding="utf-8")
    again = load_catalogue(content, rules, cache_dir=tmp_path / "shared", sharing=readers)
    assert again.by_id["lunyu"].title == "论语新编"
    assert load_catalogue(content, rules, cache_dir=tmp_path / "alone").entries == again.entries
    (content / "courses" / "phone-1.md").write_text("---\nkind: course\n---\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as shared_error:
        load_catalogue(content, rules, sharing=readers)
    with pytest.raises(CatalogueError) as alone_error:
        load_catalogue(content, rules, sharing=Sharing(workers=1))
    assert str(shared_error.value) == str(alone_error.value)


def test_a_build_keeps_cache_files_in_memory_only_for_serve(tmp_path: Path) -> None:
    """``lifelong serve`` rebuilds in one process and reuses what the last build read; a
    single build keeps nothing (at full scale, tens of megabytes to its end)."""
    write_project(tmp_path, one_of_each())
    content, rules, cache = tmp_path / "content", tmp_path / "catalogue", tmp_path / "cache"
    load_catalogue(content, rules, cache_dir=cache)
    assert not lifelong_cache.kept_in_memory()
    lifelong_cache.keep_in_memory(True)
    try:
        load_catalogue(content, rules, cache_dir=cache)
        assert any(name.startswith(str(cache)) for name in lifelong_cache.kept_in_memory())
    finally:
        lifelong_cache.keep_in_memory(False)
    assert not lifelong_cache.kept_in_memory()


def test_entry_cache_shards_written_by_readers_are_kept_in_memory_for_serve(
        tmp_path: Path) -> None:
    """Reader processes write the shards of a first build; ``lifelong serve`` keeps them in
    memory as if this process had written them (its next build reads no shard)."""
    write_project(tmp_path, one_of_each())
    content, rules, cache = tmp_path / "content", tmp_path / "catalogue", tmp_path / "cache"
    lifelong_cache.keep_in_memory(True)
    try:
        load_catalogue(content, rules, cache_dir=cache, sharing=Sharing(workers=2, above=0))
        shards = sorted((cache / "entries").glob("entries-*.pickle"))
        assert shards
        for shard in shards:
            with shard.open("rb") as handle:
                key, records = pickle.load(handle)
            stamp, kept_key, kept = lifelong_cache.kept_in_memory()[str(shard)]
            assert (kept_key, kept) == (key, records)
            assert stamp == lifelong_cache.file_stamp(shard)
    finally:
        lifelong_cache.keep_in_memory(False)


def test_cards_handed_over_by_workers_are_kept_and_not_held_in_memory(tmp_path: Path) -> None:
    """A worker's cards reach the shards; the file it left them in is read once and deleted,
    so ``lifelong serve`` (which keeps what it reads) does not hold it."""
    folder = tmp_path / "cards"
    worker = lifelong_cache.CardCache(folder, "key", str.upper)
    worker.put("a", "A", "<li>\ue000a/\ue000</li>".encode())
    worker.hand_over()
    assert len(list(folder.glob("drawn-*.pickle"))) == 1
    lifelong_cache.keep_in_memory(True)
    try:
        build = lifelong_cache.CardCache(folder, "key", str.upper)
        build.save({"a"})
        assert not list(folder.glob("drawn-*.pickle"))
        assert not any("drawn-" in name for name in lifelong_cache.kept_in_memory())
    finally:
        lifelong_cache.keep_in_memory(False)
    again = lifelong_cache.CardCache(folder, "key", str.upper)
    assert again.get("a", again.inputs("a")) == "<li>\ue000a/\ue000</li>".encode()
    assert lifelong_cache.CardCache(folder, "other key", str.upper).get("a", "A") is None


def test_the_page_record_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "pages.pickle"
    record = lifelong_cache.PageRecord(path, "key-1")
    assert record.previous == {}
    assert record.written == frozenset()
    record.save({"a/index.html": "f1", "qr/a.svg": "f1", "about/index.html": ""})
    again = lifelong_cache.PageRecord(path, "key-1")
    assert again.previous == {"a/index.html": "f1", "qr/a.svg": "f1", "about/index.html": ""}
    other = lifelong_cache.PageRecord(path, "key-2")  # other code or rules: redraw all ...
    assert other.previous == {}
    assert other.written == {"a/index.html", "qr/a.svg", "about/index.html"}  # ... know all
    again.begin(["a/index.html", "new/index.html"])  # a build stops while drawing these
    assert lifelong_cache.PageRecord(path, "key-1").previous == {"qr/a.svg": "f1",
                                                                  "about/index.html": ""}
    # A record in the layout of earlier code still names the files it wrote.
    with path.open("wb") as handle:
        pickle.dump(("old-key", {"b/index.html": "f2"}), handle)
    assert lifelong_cache.PageRecord(path, "key-1").written == {"b/index.html"}


def test_the_code_version_counts_only_code_that_shapes_the_output(tmp_path: Path) -> None:
    """Editing a command's help or the sample generator keeps every cache; editing what
    draws pages does not."""
    package = tmp_path / "lifelong"
    shutil.copytree(Path(lifelong_cache.__file__).parents[1], package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = lifelong_cache.sources_digest(package)
    assert before == lifelong_cache.code_version()
    for name in sorted(lifelong_cache.NOT_SHAPING):
        edited = [package / name] if name.endswith(".py") else sorted((package / name).glob("*.py"))
        assert edited, name
        for path in edited:
            with path.open("a", encoding="utf-8") as file:
                file.write("# an edit\n")
    assert lifelong_cache.sources_digest(package) == before
    with (package / "site" / "render.py").open("a", encoding="utf-8") as file:
        file.write("# an edit\n")
    assert lifelong_cache.sources_digest(package) != before


def test_a_prerequisite_retitled_is_redrawn_on_the_course_that_needs_it(tmp_path: Path) -> None:
    config = write_project(tmp_path, [*one_of_each(), course(
        "phone-exam", title="手机课结业测评", prerequisites=["phone-1"], weeks=2)])
    site = build_site(config)
    edit_entry(tmp_path, "courses/phone-1.md", lambda m, b: ({**m, "title": "开机与设置（新）"}, b))
    build_site(config, dirty=True)
    assert "开机与设置（新）</a>" in (site / "phone-exam" / "index.html").read_text(encoding="utf-8")
    assert digest(site) == digest(build_site(config, site_dir=str(tmp_path / "clean")))


def test_a_cache_file_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    """What the caches write goes through a temporary file renamed over the old one: a
    write that fails half way leaves the old file and no temporary one."""
    path = tmp_path / "cache" / "state.pickle"
    lifelong_cache.write_atomically(path, b"old")

    def cut_short() -> None:
        with lifelong_cache.atomic_file(path) as handle:
            handle.write(b"half of the new")
            raise RuntimeError("cut short")
    with pytest.raises(RuntimeError):
        cut_short()
    assert path.read_bytes() == b"old"
    assert [p.name for p in path.parent.iterdir()] == ["state.pickle"]
    lifelong_cache.write_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert [p.name for p in path.parent.iterdir()] == ["state.pickle"]
