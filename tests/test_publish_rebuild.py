"""A rebuild's published files (feeds, calendars, OPDS, data, the code index): made from what
the last build remembered (``lifelong.build.published``), they are byte for byte what the
generators make without it, after every kind of change; only the fragments of the entries
a change touched are drawn again; a memo that is damaged or kept for other options is not
used."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from lifelong.build.catalogue_site import CatalogueSite
from lifelong.build.published import PublishedMemo
from lifelong.catalogue.codes import new_code
from lifelong.catalogue.entryfile import dumps_entry
from lifelong.search.text import fnv1a
from lifelong.site import codes, export, opds
from lifelong.site.codes import code_index_files
from lifelong.site.feeds import topic_folders, topics
from sitekit import course, one_of_each, people_and_places, write_project
from test_rebuild import edit_entry, retitle_lunyu, rewrite_body

#: Folders (and files) of the site that hold only published files.
PUBLISHED = ("feeds", "calendar", "opds", "data", "codes", "robots.txt")


def catalogue() -> list[dict[str, Any]]:
    """The tiny site, with teachers named by id (one the author of an e-book), and an e-book
    in a series of courses."""
    book = {"kind": "ebook", "id": "phone-book", "title": "手机使用手册", "summary": "图文版。",
            "subjects": ["smartphone"], "published": "2024-02-01", "authors": ["李秀兰"],
            "series": "phone-class", "series_order": 9,
            "files": [{"type": "pdf", "link": "https://example.org/phone-book.pdf"}]}
    entries = [*one_of_each(), *people_and_places(), book]
    for entry in entries:  # a file to get: it is in the OPDS catalogue
        if entry["id"] == "suzhou-embroidery":
            entry["files"] = [{"type": "pdf", "link": "https://example.org/embroidery.pdf"}]
    return entries


def build_once(config_file: Path, *, dirty: bool) -> tuple[CatalogueSite, Path]:
    """A real build (a rebuild over the last when ``dirty``): the catalogue site it built
    and its site folder."""
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    config = load_config(str(config_file), strict=True)
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    site = config.plugins["lifelong/catalogue"].site
    assert site is not None
    return site, Path(config.site_dir)


def on_disk(site_dir: Path) -> dict[str, bytes]:
    found = {}
    for name in PUBLISHED:
        path = site_dir / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        found.update({p.relative_to(site_dir).as_posix(): p.read_bytes() for p in files})
    return found


def assert_as_made_without_memo(site: CatalogueSite, site_dir: Path) -> None:
    """The published files in ``site_dir`` are those the generators make from the same
    catalogue and options without a memo (what a first build into an empty folder writes),
    and no others."""
    expected = dict(site.published_files())
    written = on_disk(site_dir)
    assert sorted(written) == sorted(expected)
    different = [path for path, data in expected.items() if written[path] != data]
    assert different == []


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[], dict[str, set[str]]]:
    """What the builds drew of each entry since last asked: {"line": ids, "opds": ids},
    from any process (the rebuild publishes in a forked worker)."""
    log = tmp_path / "drawn.txt"
    line_maker, atom_entry = export.line_maker, opds._Writer._atom_entry

    def note(what: str, entry_id: str) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{what} {entry_id}\n")

    def recording_line_maker(*args: Any) -> Callable[[Any], bytes]:
        line = line_maker(*args)

        def recorded(entry: Any) -> bytes:
            note("line", entry.id)
            return line(entry)
        return recorded

    def recording_atom_entry(self: Any, entry: Any, prefix: str) -> str:
        note("opds", entry.id)
        return atom_entry(self, entry, prefix)

    monkeypatch.setattr(export, "line_maker", recording_line_maker)
    monkeypatch.setattr(opds._Writer, "_atom_entry", recording_atom_entry)

    def since() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {"line": set(), "opds": set()}
        if log.exists():
            for row in log.read_text(encoding="utf-8").splitlines():
                what, entry_id = row.split()
                found[what].add(entry_id)
            log.unlink()
        return found
    return since


def add_course(root: Path) -> None:
    meta = course("phone-4", title="第四讲 手机支付", subjects=["smartphone"],
                  series="phone-class", series_order=4, published="2027-05-01")
    (root / "content" / "courses" / "phone-4.md").write_text(dumps_entry(meta, "正文。"),
                                                             encoding="utf-8")


def delete_course(root: Path) -> None:
    (root / "content" / "courses" / "phone-3.md").unlink()


def rename_teacher(root: Path) -> None:
    # The e-book and the activity name her by id: their feed items and the e-book's OPDS
    # entries show her new name.
    edit_entry(root, "teachers/wang-fang-artisan.md", lambda m, b: ({**m, "title": "王芳芳"}, b))


def retitle_series(root: Path) -> None:
    # Its feeds' titles, and the OPDS entry of its e-book (its series link and name).
    edit_entry(root, "series/phone-class.md", lambda m, b: ({**m, "title": "智能手机大课堂"}, b))


#: Each change, and what of which entries a rebuild then draws again (nothing else).
CHANGES: list[tuple[str, Callable[[Path], None], dict[str, set[str]]]] = [
    ("nothing", lambda root: None, {"line": set(), "opds": set()}),
    ("title", retitle_lunyu, {"line": {"lunyu"}, "opds": {"lunyu"}}),
    ("body", rewrite_body, {"line": {"phone-1"}, "opds": set()}),
    ("add", add_course, {"line": {"phone-4"}, "opds": {"phone-book"}}),  # its place
    ("delete", delete_course, {"line": set(), "opds": {"phone-book"}}),
    ("teacher", rename_teacher, {"line": {"wang-fang-artisan"},
                                 "opds": {"suzhou-embroidery"}}),
    ("series", retitle_series, {"line": {"phone-class"}, "opds": {"phone-book"}}),
]


def test_a_rebuild_publishes_what_a_clean_build_does_after_each_change(
        tmp_path: Path, drawn: Callable[[], dict[str, set[str]]]) -> None:
    config = write_project(tmp_path, catalogue())
    site, site_dir = build_once(config, dirty=False)
    for name, change, expected in CHANGES:
        change(tmp_path)
        drawn()
        site, site_dir = build_once(config, dirty=True)
        assert drawn() == expected, name
        assert_as_made_without_memo(site, site_dir)
    # Other options: what was remembered for the old ones is not used.
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://lifelong.example.org/", "https://learn.example.cn/catalogue/"),
        encoding="utf-8")
    site, site_dir = build_once(config, dirty=True)
    assert "https://learn.example.cn/catalogue/lunyu/" in (site_dir / "opds/all/1.xml").read_text(
        encoding="utf-8")
    assert_as_made_without_memo(site, site_dir)


def damaged(folder: Path) -> Iterator[Path]:
    """Every byte of the fragments kept in ``folder`` changed (their index left as it is),
    then the files' memo made unreadable."""
    for blob in folder.glob("fragments-*.bin"):
        blob.write_bytes(bytes(b ^ 0x55 for b in blob.read_bytes()))
        yield blob
    (folder / "files.pickle").write_bytes(b"not a pickle")
    yield folder / "files.pickle"


def test_a_damaged_memo_is_not_used(tmp_path: Path,
                                    drawn: Callable[[], dict[str, set[str]]]) -> None:
    config = write_project(tmp_path, catalogue(), mkdocs={"use_directory_urls": False},
                           plugin={"offline": True})
    build_once(config, dirty=False)
    (memo,) = (tmp_path / ".lifelong-cache" / "sites").glob("*/published")
    assert len(list(damaged(memo))) == 2
    rename_teacher(tmp_path)
    drawn()
    site, site_dir = build_once(config, dirty=True)
    # Every line and e-book is drawn again: none of the kept ones passes its check.
    assert drawn()["opds"] == {"lunyu", "suzhou-embroidery", "phone-book"}
    assert_as_made_without_memo(site, site_dir)


def test_an_entrys_feed_topics_are_those_that_list_it(tmp_path: Path) -> None:
    """``topic_folders`` (which feeds a changed entry may join, in a rebuild) agrees with
    ``topics`` (which entries each feed lists)."""
    site, _ = build_once(write_project(tmp_path, catalogue()), dirty=False)
    listed: dict[str, set[str]] = {}
    for topic in topics(site.catalogue, "zh"):
        for entry in topic.entries:
            listed.setdefault(entry.id, set()).add(topic.folder)
    for entry in site.catalogue.entries:
        assert set(topic_folders(site.catalogue, entry)) == listed[entry.id], entry.id
    assert len(set().union(*listed.values())) > 10


def test_the_code_index_is_updated_as_it_would_be_made(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild's code index is the last one with the entries that came, went or changed
    put in or taken out (only their ids are hashed): the same files as one made afresh,
    also when the catalogue grows past the size that splits the ids into more parts."""
    hashed: list[str] = []
    monkeypatch.setattr(codes, "fnv1a", lambda text: hashed.append(text) or fnv1a(text))
    taken: set[str] = set()
    entries = [(f"entry-{n}", new_code(f"entry-{n}", taken) if n % 3 else None,
                f"entry-{n}/") for n in range(300)]
    changes: list[Callable[[list[Any]], list[Any]]] = [
        lambda e: [*e, ("added", "382915", "added/")],                      # came
        lambda e: [x for x in e if x[0] != "entry-7"],                     # went
        lambda e: [(i, "104233" if i == "entry-9" else c, u) for i, c, u in e],  # new code
        lambda e: [*e, *((f"more-{n}", None, f"more-{n}/") for n in range(300))],  # parts
    ]
    for number, change in enumerate([lambda e: e, *changes]):
        entries = change(entries)
        memo = PublishedMemo(tmp_path, "key", {}, tmp_path)
        hashed.clear()
        made = list(code_index_files(iter(entries), memo))
        memo.save(set())
        assert len(hashed) == {1: 1, 2: 1, 3: 2}.get(number, len(entries)), number
        assert made == list(code_index_files(entries)), number
