"""The offline copy as files: manifest, reproducible zip, verify, update packs, ZIM, CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import struct
import sys
import types
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lifelong.offline import bundle
from lifelong.offline.bundle import BundleError, FileProblems
from sitekit import build_site, course, one_of_each, write_project

OLD_VERSION, OLD_DATE = "a1b2c3d4e5f6", dt.date(2025, 3, 1)
NEW_VERSION, NEW_DATE = "0f1e2d3c4b5a", dt.date(2025, 4, 1)
NEW_TITLE = "第三讲 识破电信诈骗"


def new_catalogue() -> list[dict[str, Any]]:
    """The old catalogue with one title changed, one course added and the star deleted."""
    entries = [e for e in one_of_each() if e["id"] != "star-zhang"]
    changed = next(e for e in entries if e["id"] == "phone-3")
    changed["title"] = NEW_TITLE
    return [*entries, course("knitting", title="毛线编织入门", subjects=["family"])]


@dataclasses.dataclass
class Sites:
    old: Path
    new: Path
    old_zip: Path
    new_zip: Path


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    """Two builds of a tiny catalogue with their manifests, and their zips (read only)."""
    root = tmp_path_factory.mktemp("bundle")
    built = {}
    for name, entries, version, date in (("old", one_of_each(), OLD_VERSION, OLD_DATE),
                                         ("new", new_catalogue(), NEW_VERSION, NEW_DATE)):
        config = write_project(root / name, entries, mkdocs={"use_directory_urls": False})
        site = build_site(config)
        bundle.write_manifest(site, version=version, date=date)
        bundle.pack_zip(site, root / f"{name}.zip")
        built[name] = site
    return Sites(built["old"], built["new"], root / "old.zip", root / "new.zip")


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under root, by POSIX path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))}


def unpack(archive: Path, dest: Path) -> Path:
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(dest)
    return dest


def copy_site(site: Path, dest: Path) -> Path:
    shutil.copytree(site, dest)
    return dest


# --- manifest -------------------------------------------------------------------------------

def test_manifest_lists_every_file_with_its_hash_and_size(sites: Sites) -> None:
    data = (sites.old / "manifest.json").read_bytes()
    document = json.loads(data)
    assert document["format"] == 1
    assert document["catalogue"] == {"version": OLD_VERSION, "date": "2025-03-01"}
    on_disk = sorted(p.relative_to(sites.old).as_posix() for p in sites.old.rglob("*")
                     if p.is_file() and p != sites.old / "manifest.json")
    assert list(document["files"]) == on_disk
    assert "manifest.json" not in document["files"]
    assert {"index.html", "taiji-basics.html", "courses/covers/taiji.svg",
            "search/meta.js"} <= set(document["files"])
    for path, record in document["files"].items():
        content = (sites.old / path).read_bytes()
        assert record == {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    assert data.endswith(b"}\n")
    assert list(document) == sorted(document)


def test_manifest_is_the_same_bytes_when_written_again(sites: Sites, tmp_path: Path) -> None:
    site = copy_site(sites.old, tmp_path / "site")
    before = (site / "manifest.json").read_bytes()
    manifest = bundle.write_manifest(site, version=OLD_VERSION, date=OLD_DATE)
    assert (site / "manifest.json").read_bytes() == before == manifest.to_bytes()
    assert bundle.read_manifest(site) == manifest
    assert bundle.read_manifest(site / "manifest.json") == manifest
    assert bundle.read_manifest(sites.old_zip) == manifest
    assert [p.name for p in site.iterdir() if p.name.startswith(".")] == []


def test_manifest_refuses_a_version_that_is_not_one(sites: Sites, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="is not a version"):
        bundle.write_manifest(tmp_path, version="not one", date=OLD_DATE)


def test_manifest_refuses_paths_a_usb_stick_cannot_hold(tmp_path: Path) -> None:
    for name in ("Guide.html", "guide.html", "what?.html", "ok.html"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        bundle.write_manifest(tmp_path, version=OLD_VERSION, date=OLD_DATE)
    assert caught.value.problems == (
        "guide.html (the same name as Guide.html on a stick, which ignores case)",
        "what?.html (a character Windows and FAT do not allow)")
    assert not (tmp_path / "manifest.json").exists()


def test_sizes_by_category_add_up(sites: Sites) -> None:
    sizes = bundle.sizes(sites.old)
    files = [p for p in sites.old.rglob("*")
             if p.is_file() and p != sites.old / "manifest.json"]
    assert sizes.total.files == len(files)
    assert sizes.total.bytes == sum(p.stat().st_size for p in files)
    parts = dict(sizes.categories())
    assert sum(p.files for p in parts.values()) == sizes.total.files
    assert parts["search"].files == len(list((sites.old / "search").rglob("*.js"))) + 1 + \
        len(list((sites.old / "codes").glob("*.js")))  # with the code index
    assert parts["assets"].files == len([p for p in (sites.old / "assets").rglob("*")
                                         if p.is_file()])
    assert parts["pages"].files == len([f for f in files if f.suffix == ".html"
                                        and f.relative_to(sites.old).parts[0]
                                        not in ("search", "assets")])
    assert parts["media"].files >= 3  # a cover, an e-book file, the sitemaps


# --- zip ------------------------------------------------------------------------------------

def test_two_packs_of_the_same_folder_are_byte_identical(sites: Sites, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    bundle.pack_zip(sites.old, again)
    assert again.read_bytes() == sites.old_zip.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["again.zip"]  # no temporary file left
    assert again.stat().st_mode & 0o777 == 0o644


def test_zip_has_index_first_at_the_top_with_fixed_metadata(sites: Sites) -> None:
    with zipfile.ZipFile(sites.old_zip) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names[0] == "index.html"
        assert names[1:] == sorted(names[1:])
        manifest = json.loads(archive.read("manifest.json"))
        assert set(names) == {*manifest["files"], "manifest.json"}
        for info in infos:
            assert info.date_time == (2025, 3, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.external_attr >> 16 == 0o100644
            assert not info.is_dir()
        assert archive.read("taiji-basics.html") == (sites.old / "taiji-basics.html").read_bytes()
        assert archive.testzip() is None


def test_zip_timestamp_is_never_before_1980(sites: Sites, tmp_path: Path) -> None:
    site = copy_site(sites.old, tmp_path / "site")
    bundle.write_manifest(site, version=OLD_VERSION, date=dt.date(1970, 1, 1))
    bundle.pack_zip(site, tmp_path / "old.zip")
    with zipfile.ZipFile(tmp_path / "old.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_pack_never_overwrites_without_force(sites: Sites, tmp_path: Path) -> None:
    out = tmp_path / "copy.zip"
    out.write_bytes(b"precious")
    with pytest.raises(BundleError, match="already exists"):
        bundle.pack_zip(sites.old, out)
    assert out.read_bytes() == b"precious"
    bundle.pack_zip(sites.old, out, force=True)
    assert out.read_bytes() == sites.old_zip.read_bytes()


def test_pack_refuses_a_folder_that_changed_since_its_manifest(sites: Sites,
                                                                tmp_path: Path) -> None:
    site = copy_site(sites.old, tmp_path / "site")
    (site / "about.html").write_text("edited", encoding="utf-8")
    with pytest.raises(BundleError, match=r"about\.html: changed since its manifest"):
        bundle.pack_zip(site, tmp_path / "a.zip")
    (site / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        bundle.pack_zip(site, tmp_path / "a.zip")
    assert caught.value.problems == ("stray.txt (not in the manifest)",)
    (site / "manifest.json").unlink()
    with pytest.raises(BundleError, match=r"no manifest\.json"):
        bundle.pack_zip(site, tmp_path / "a.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    with pytest.raises(BundleError, match="inside the folder"):
        bundle.pack_zip(sites.old, sites.old / "self.zip")


# --- verify ---------------------------------------------------------------------------------

def test_verify_accepts_a_good_copy(sites: Sites, tmp_path: Path) -> None:
    for path in (sites.old_zip, sites.old, unpack(sites.old_zip, tmp_path / "copy")):
        report = bundle.verify(path)
        assert report.ok, report
        assert (report.version, report.date) == (OLD_VERSION, OLD_DATE)
        assert report.checked == len(json.loads((sites.old / "manifest.json").read_bytes())
                                     ["files"])


def test_verify_finds_changed_missing_and_extra_files_in_a_folder(sites: Sites,
                                                                  tmp_path: Path) -> None:
    copy = unpack(sites.old_zip, tmp_path / "copy")
    (copy / "about.html").write_bytes(b"changed")
    (copy / "search" / "meta.js").unlink()
    (copy / "courses" / "notes.txt").write_text("extra", encoding="utf-8")
    report = bundle.verify(copy)
    assert not report.ok
    assert report.changed == ("about.html",)
    assert report.missing == ("search/meta.js",)
    assert report.extra == ("courses/notes.txt",)


def test_verify_finds_changed_missing_and_extra_files_in_a_zip(sites: Sites,
                                                               tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(sites.old_zip) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            if info.filename == "search/meta.js":
                continue
            data = b"changed" if info.filename == "about.html" else src.read(info)
            dst.writestr(info, data)
        dst.writestr("extra/readme.txt", "extra")
    report = bundle.verify(damaged)
    assert (report.changed, report.missing, report.extra) == (
        ("about.html",), ("search/meta.js",), ("extra/readme.txt",))
    assert not report.ok


def test_verify_says_clearly_when_there_is_no_manifest(sites: Sites, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"no manifest.json; is this an offline copy\?"):
        bundle.verify(tmp_path)
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        archive.writestr("site/manifest.json", "{}")
        archive.writestr("site/index.html", "")
    with pytest.raises(BundleError, match=r"found site/manifest\.json: pack the folder's"):
        bundle.verify(nested)
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(BundleError, match="neither a folder nor a zip"):
        bundle.verify(tmp_path / "notes.txt")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(BundleError, match="not a valid manifest"):
        bundle.verify(tmp_path / "bad")


def test_a_manifest_cannot_point_outside_the_copy(tmp_path: Path) -> None:
    document = {"format": 1, "catalogue": {"version": OLD_VERSION, "date": "2025-03-01"},
                "files": {"../escape.txt": {"sha256": "0" * 64, "size": 1}}}
    (tmp_path / "manifest.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(BundleError, match=r"unsafe or invalid path '\.\./escape\.txt'"):
        bundle.verify(tmp_path)


# --- update packs ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def update_zip(sites: Sites, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("update") / "update.zip"
    bundle.make_update(sites.new, sites.old / "manifest.json", out)
    return out


def test_update_pack_holds_only_added_and_changed_files(sites: Sites, update_zip: Path,
                                                        tmp_path: Path) -> None:
    old = bundle.read_manifest(sites.old).files
    new = bundle.read_manifest(sites.new).files
    with zipfile.ZipFile(update_zip) as archive:
        names = archive.namelist()
        update = json.loads(archive.read("update.json"))
        assert archive.read("manifest.json") == (sites.new / "manifest.json").read_bytes()
    assert names[:2] == ["update.json", "manifest.json"]
    assert update["from"] == OLD_VERSION
    assert update["to"] == NEW_VERSION
    assert update["files"] == {p: r.sha256 for p, r in new.items() if old.get(p) != r}
    assert names[2:] == ["files/" + p for p in sorted(update["files"])]
    assert update["removed"] == sorted(set(old) - set(new))
    assert "star-zhang.html" in update["removed"]
    assert {"knitting.html", "phone-3.html"} <= set(update["files"])
    # Unchanged files stay out (every page changes: it shows the catalogue's version).
    assert not {"courses/covers/taiji.svg", "qr/lunyu.svg"} & set(update["files"])
    assert len(update["files"]) < len(new)
    again = tmp_path / "again.zip"
    bundle.make_update(sites.new, sites.old_zip, again)  # the old copy's zip works as well
    assert again.read_bytes() == update_zip.read_bytes()


def test_applied_update_equals_a_fresh_copy(sites: Sites, update_zip: Path,
                                            tmp_path: Path) -> None:
    copy = unpack(sites.old_zip, tmp_path / "copy")
    fresh = unpack(sites.new_zip, tmp_path / "fresh")
    report = bundle.apply_update(update_zip, copy)
    assert (report.from_version, report.to_version) == (OLD_VERSION, NEW_VERSION)
    assert "star-zhang.html" in report.removed
    assert "knitting.html" in report.written
    assert tree(copy) == tree(fresh)
    assert NEW_TITLE in (copy / "phone-3.html").read_text(encoding="utf-8")
    assert bundle.verify(copy).ok
    again = bundle.apply_update(update_zip, copy)  # running it again changes nothing
    assert again.up_to_date
    assert (again.written, again.removed) == ((), ())
    assert tree(copy) == tree(fresh)


@pytest.mark.parametrize("replaced", [0, 1, 7])
def test_an_interrupted_update_can_be_applied_again(sites: Sites, update_zip: Path,
                                                    tmp_path: Path, replaced: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    copy = unpack(sites.old_zip, tmp_path / "copy")
    fresh = unpack(sites.new_zip, tmp_path / "fresh")
    real_replace, calls = os.replace, []

    def failing_replace(src: Any, dst: Any) -> None:
        if len(calls) == replaced:
            raise OSError(5, "Input/output error (the stick was pulled out)")
        calls.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="stick was pulled out"):
        bundle.apply_update(update_zip, copy)
    monkeypatch.undo()
    assert len(calls) == replaced
    assert bundle.read_manifest(copy).version == OLD_VERSION  # the manifest comes last
    assert not bundle.verify(copy).ok
    report = bundle.apply_update(update_zip, copy)
    assert report.already >= replaced
    assert tree(copy) == tree(fresh)


def test_apply_refuses_a_copy_that_matches_neither_catalogue(sites: Sites, update_zip: Path,
                                                             tmp_path: Path) -> None:
    copy = unpack(sites.old_zip, tmp_path / "copy")
    (copy / "about.html").write_bytes(b"edited by hand")
    (copy / "phone-3.html").write_bytes(b"half written")
    (copy / "mine.txt").write_bytes(b"a file of the centre's own")
    before = tree(copy)
    with pytest.raises(FileProblems) as caught:
        bundle.apply_update(update_zip, copy)
    assert caught.value.problems == ("about.html (changed)", "phone-3.html (changed)",
                                     "mine.txt (not in either catalogue)")
    assert "3 files match neither catalogue" in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert tree(copy) == before


def test_apply_refuses_a_copy_of_another_version(sites: Sites, update_zip: Path,
                                                 tmp_path: Path) -> None:
    copy = unpack(sites.old_zip, tmp_path / "copy")
    bundle.write_manifest(copy, version="999999999999", date=OLD_DATE)
    with pytest.raises(BundleError, match="this copy is catalogue 999999999999 of 2025-03-01; "
                                          f"the update goes from {OLD_VERSION} to "
                                          f"{NEW_VERSION}"):
        bundle.apply_update(update_zip, copy)
    with pytest.raises(BundleError, match="not an update pack"):
        bundle.apply_update(sites.old_zip, copy)


def test_apply_refuses_a_damaged_pack_before_touching_the_copy(sites: Sites, update_zip: Path,
                                                               tmp_path: Path) -> None:
    copy = unpack(sites.old_zip, tmp_path / "copy")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(update_zip) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            data = b"bad" if info.filename == "files/knitting.html" else src.read(info)
            dst.writestr(info, data)
    before = tree(copy)
    with pytest.raises(FileProblems, match="the update pack is damaged") as caught:
        bundle.apply_update(damaged, copy)
    assert caught.value.problems == ("knitting.html (damaged or not the file the manifest "
                                     "lists)",)
    assert tree(copy) == before
    with pytest.raises(BundleError, match="an update pack, not a full copy"):
        bundle.verify(update_zip)


# --- ZIM ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zim_file(sites: Sites, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lifelong.offline.zim import write_zim

    out = tmp_path_factory.mktemp("zim") / "lifelong.offline.zim"
    write_zim(sites.old, out, title="终身学习资源目录", description="全国终身学习资源目录离线版",
              language="zho", creator="国家开放大学", publisher="Lifelong", date=OLD_DATE)
    return out


def test_zim_has_the_site_with_its_main_page_and_metadata(sites: Sites, zim_file: Path) -> None:
    from libzim.reader import Archive

    archive = Archive(zim_file)
    assert archive.main_entry.get_item().path == "index.html"
    entry = archive.get_entry_by_path("taiji-basics.html")
    assert entry.title == "二十四式太极拳入门"  # without " - 终身学习资源目录"
    item = entry.get_item()
    assert item.mimetype == "text/html"
    assert bytes(item.content) == (sites.old / "taiji-basics.html").read_bytes()
    css = next(p for p in bundle.read_manifest(sites.old).files if p.endswith(".css"))
    assert archive.get_entry_by_path(css).get_item().mimetype == "text/css"
    assert archive.get_entry_by_path("courses/covers/taiji.svg").get_item().mimetype == \
        "image/svg+xml"
    files = bundle.read_manifest(sites.old).files
    assert archive.entry_count == len(files) + 1  # and manifest.json
    for key, value in (("Title", "终身学习资源目录"), ("Description", "全国终身学习资源目录离线版"),
                       ("Language", "zho"), ("Creator", "国家开放大学"),
                       ("Publisher", "Lifelong"), ("Date", "2025-03-01"),
                       ("Name", "lifelong_zh_all")):
        assert archive.get_metadata(key).decode("utf-8") == value
    assert archive.has_illustration(48)
    assert archive.has_fulltext_index
    assert archive.has_title_index


def test_zim_full_text_search_finds_a_chinese_title_word(zim_file: Path) -> None:
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    searcher = Searcher(Archive(zim_file))
    for word, path in (("太极拳", "taiji-basics.html"), ("防跌倒", "hall-2027.html"),
                       ("论语", "lunyu.html")):
        results = list(searcher.search(Query().set_query(word)).getResults(0, 20))
        assert path in results, (word, results)
    assert results[0] == "lunyu.html"


def test_zim_title_suggestions_find_a_page(zim_file: Path) -> None:
    from libzim.reader import Archive
    from libzim.suggestion import SuggestionSearcher

    suggest = SuggestionSearcher(Archive(zim_file))
    first, *_ = suggest.suggest("太极").getResults(0, 10)
    assert first == "taiji-basics.html"
    assert "phone-class.html" in list(suggest.suggest("智能手机").getResults(0, 10))


def test_generated_illustration_is_a_deterministic_48_pixel_png() -> None:
    from lifelong.offline.zim import default_illustration, png_size

    data = default_illustration()
    assert data == default_illustration()
    assert png_size(data) == (48, 48)
    chunks, offset = {}, 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = body
        offset += 12 + length
    assert len(zlib.decompress(chunks[b"IDAT"])) == 48 * (1 + 48 * 3)


def test_zim_refuses_bad_metadata_and_keeps_an_existing_file(sites: Sites,
                                                             tmp_path: Path) -> None:
    from lifelong.offline.zim import ZimError, write_zim

    out = tmp_path / "a.zim"
    with pytest.raises(ZimError, match=r"title .* must have 1 to 30 characters"):
        write_zim(sites.old, out, title="题" * 31, description="d", creator="c",
                  publisher="p", date=OLD_DATE)
    with pytest.raises(ZimError, match="must be a 48x48 PNG"):
        write_zim(sites.old, out, title="t", description="d", creator="c", publisher="p",
                  date=OLD_DATE, illustration_png=b"GIF89a")
    out.write_bytes(b"precious")
    with pytest.raises(BundleError, match="already exists"):
        write_zim(sites.old, out, title="t", description="d", creator="c", publisher="p",
                  date=OLD_DATE)
    assert out.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zim"]


# --- the command ----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class FakeBuild:
    site_dir: Path
    version: str
    date: dt.date
    entries: int


@pytest.fixture
def cli(sites: Sites, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """`lifelong bundle` with lifelong.mkdocs.offline.build_offline replaced by a copy of a
    prebuilt site (state["site"] chooses which); the calls are recorded."""
    from lifelong.cli import bundle as cli_bundle  # noqa: F401  (registers `lifelong bundle`)

    state: dict[str, Any] = {"site": sites.old, "calls": []}

    def build_offline(project: Path, site_dir: Path, **options: Any) -> FakeBuild:
        state["calls"].append((project, options))
        shutil.copytree(state["site"], site_dir, ignore=shutil.ignore_patterns(
            "manifest.json"))
        version, date = ((OLD_VERSION, OLD_DATE) if state["site"] == sites.old
                         else (NEW_VERSION, NEW_DATE))
        return FakeBuild(site_dir, version, date, 10)

    module = types.ModuleType("lifelong.mkdocs.offline")
    module.build_offline = build_offline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lifelong.mkdocs.offline", module)
    # The command sets up MkDocs' logger for a terminal (its own handler, no propagation),
    # which would hide later tests' warnings from the autouse check.
    logger = logging.getLogger("mkdocs")
    handlers, propagate, level = list(logger.handlers), logger.propagate, logger.level
    yield state
    logger.handlers[:] = handlers
    logger.propagate = propagate
    logger.setLevel(level)


def run(*args: str) -> tuple[int, str, str]:
    from lifelong.cli import main

    result = CliRunner().invoke(main, ["bundle", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def project_dir(tmp_path: Path) -> str:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return str(tmp_path)


def test_bundle_writes_the_same_zip_and_shows_sizes_first(cli: dict[str, Any], sites: Sites,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "out" / "lifelong.zip"
    code, stdout, stderr = run("-o", str(out), "--section", "community-education",
                               "--audience", "older-adults", "--media", "covers",
                               "--project", project_dir(tmp_path))
    assert code == 0, stdout + stderr
    assert out.read_bytes() == sites.old_zip.read_bytes()
    lines = stdout.splitlines()
    assert lines[0].startswith(f"Catalogue {OLD_VERSION} of 2025-03-01: 10 entries, ")
    assert [line.split()[0] for line in lines[1:6]] == ["pages", "search", "assets", "media",
                                                       "total"]
    assert lines[6].startswith(f"Wrote {out} (")
    assert cli["calls"] == [(tmp_path, {"sections": ("community-education",), "subjects": (),
                                        "audiences": ("older-adults",), "regions": (),
                                        "media": "covers"})]
    code, _, _ = run("-o", str(tmp_path / "sc.zip"), "--region", "sichuan", "--region",
                     "chongqing", "--project", project_dir(tmp_path))
    assert code == 0
    assert cli["calls"][1][1]["regions"] == ("sichuan", "chongqing")
    code, _, stderr = run("-o", str(out), "--project", project_dir(tmp_path))
    assert code == 1
    assert "already exists (use --force to replace it)" in stderr


def test_bundle_verify_reports_problems_with_exit_1(sites: Sites, tmp_path: Path,
                                                   cli: dict[str, Any]) -> None:
    code, stdout, _ = run("verify", str(sites.old_zip))
    assert code == 0
    assert stdout.startswith(f"OK: {sites.old_zip}: ")
    copy = unpack(sites.old_zip, tmp_path / "copy")
    (copy / "about.html").write_bytes(b"x")
    (copy / "lunyu.html").unlink()
    code, stdout, stderr = run("verify", str(copy))
    assert code == 1
    assert stdout == "missing: lunyu.html\nchanged: about.html\n"
    assert "1 missing, 1 changed, 0 extra" in stderr
    code, _, stderr = run("verify", str(tmp_path))
    assert code == 1
    assert stderr.startswith("Error: ")
    assert "no manifest.json" in stderr


def test_bundle_since_and_apply_update_a_copy(cli: dict[str, Any], sites: Sites,
                                              tmp_path: Path) -> None:
    cli["site"] = sites.new
    out = tmp_path / "update.zip"
    code, stdout, stderr = run("-o", str(out), "--since", str(sites.old_zip),
                               "--project", project_dir(tmp_path))
    assert code == 0, stdout + stderr
    assert f"update {OLD_VERSION} -> {NEW_VERSION}: " in stdout
    copy = unpack(sites.old_zip, tmp_path / "copy")
    code, stdout, _ = run("apply", str(out), str(copy))
    assert code == 0
    assert stdout.startswith(f"Updated {copy} from {OLD_VERSION} to {NEW_VERSION}: ")
    assert tree(copy) == tree(unpack(sites.new_zip, tmp_path / "fresh"))
    code, stdout, _ = run("apply", str(out), str(copy))
    assert stdout == f"{copy} is already catalogue {NEW_VERSION}; nothing to do.\n"
    code, _, stderr = run("apply", str(sites.old_zip), str(copy))
    assert code == 1
    assert "not an update pack" in stderr
    assert "Traceback" not in stderr


def test_bundle_writes_a_zim_for_a_zim_path(cli: dict[str, Any], tmp_path: Path) -> None:
    from libzim.reader import Archive

    out = tmp_path / "lifelong.offline.zim"
    code, stdout, stderr = run("-o", str(out), "--project", project_dir(tmp_path))
    assert code == 0, stdout + stderr
    assert "ZIM with " in stdout
    archive = Archive(out)
    assert archive.get_metadata("Title").decode("utf-8") == "终身学习资源目录"
    assert archive.main_entry.get_item().path == "index.html"
    code, _, stderr = run("-o", str(tmp_path / "u.zim"), "--since", str(out),
                          "--project", project_dir(tmp_path))
    assert code == 2
    assert "--since makes a zip update pack" in stderr


@pytest.mark.parametrize("command", [[], ["verify"], ["apply"]])
def test_bundle_commands_have_help_with_an_example(cli: dict[str, Any],
                                                   command: list[str]) -> None:
    code, stdout, _ = run(*command, "--help")
    assert code == 0
    assert "Example:" in stdout
    assert f"lifelong bundle {command[0] if command else '-o'}" in stdout


def test_bundle_without_out_is_a_usage_error(cli: dict[str, Any], tmp_path: Path) -> None:
    code, _, stderr = run("--project", project_dir(tmp_path))
    assert code == 2
    assert "Missing option '--out'" in stderr
    code, _, stderr = run("-o", "x.zip", "verify", str(tmp_path))
    assert code == 2
    assert "--out belongs to `lifelong bundle` itself" in stderr
