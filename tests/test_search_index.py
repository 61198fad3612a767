"""The search index writer: postings changed in place equal postings encoded from scratch,
and a write with a cache (after documents are edited, added, removed or moved) is byte for
byte a write without one; a cache that is corrupt, foreign or stale is ignored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import pickle
import random
import re
import shutil
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from lifelong.build.loading import load_catalogue
from lifelong.catalogue.model import Catalogue, Entry
from lifelong.search import index
from lifelong.search.index import CACHE_FILE, IndexBuilder, SearchDocument, newest_first
from lifelong.search.postings import (
    CHECKPOINT,
    DIGITS,
    Postings,
    _decode,
    encode,
    head_text,
    read_number,
    update,
)
from sitekit import REPO

LEVELS = 5

# -- postings ----------------------------------------------------------------------------


def blocks_of(postings: Postings) -> tuple[list[int], list[int]]:
    """Every (document, level), read block by block from the checkpoints."""
    docs: list[int] = []
    levels: list[int] = []
    starts, offsets = postings.starts, postings.offsets
    for k, start in enumerate(starts):
        end = offsets[k + 1] if k + 1 < len(offsets) else len(postings.text)
        block_docs, block_levels = _decode(postings.text, offsets[k], end, start, LEVELS)
        assert block_docs, "an empty block"
        docs += block_docs
        levels += block_levels
    return docs, levels


def renumbering(old_ids: list[int], new_ids: list[int]
                ) -> tuple[array[int], array[int], dict[int, int]]:
    """``update``'s moved, breaks and after, for documents known by id."""
    old_at = {doc: n for n, doc in enumerate(old_ids)}
    new_at = {doc: n for n, doc in enumerate(new_ids)}
    moved = array("i", [new_at.get(doc, -1) for doc in old_ids])
    breaks, shift = array("I"), 0
    for was, number in enumerate(moved):
        if number >= 0 and number - was != shift:
            breaks.append(was)
            shift = number - was
    after, last = {}, -1
    for number, doc in enumerate(new_ids):
        if doc in old_at:
            last = old_at[doc]
        else:
            after[number] = last
    return moved, breaks, after


@pytest.mark.parametrize("seed", range(40))
def test_postings_changed_in_place_equal_postings_encoded_anew(seed: int) -> None:
    """Rounds of removals, insertions anywhere and the renumbering they cause, on one term
    of sparse or dense postings: each round's string is the one ``encode`` makes from
    scratch, and the checkpoints still lead to every posting."""
    rnd = random.Random(seed)
    ids = list(range(rnd.randint(1, 700)))
    fresh = len(ids)
    density = rnd.choice([0.02, 0.3, 0.95])
    spread = rnd.choice([[0], [0, 1], [0, 1, 2, 3, 4]])
    level = {doc: rnd.choice(spread) for doc in ids if rnd.random() < density} or {0: 0}
    at = {doc: n for n, doc in enumerate(ids)}
    term = encode([at[d] for d in ids if d in level], [level[d] for d in ids if d in level],
                  LEVELS)
    for _round in range(6):
        new_ids = [d for d in ids if rnd.random() > 0.01 * rnd.choice([0, 1, 5])]
        for _ in range(rnd.choice([0, 1, 3, 20])):
            new_ids.insert(rnd.randint(0, len(new_ids)), fresh)
            fresh += 1
        if not new_ids:
            return
        moved, breaks, after = renumbering(ids, new_ids)
        old_at = {doc: n for n, doc in enumerate(ids)}
        removed = [(old_at[d], level.pop(d)) for d in ids if d in level and moved[old_at[d]] < 0]
        added = []
        for number, doc in enumerate(new_ids):
            if doc not in old_at and rnd.random() < density:
                level[doc] = rnd.choice(spread)
                added.append((number, level[doc]))
        changed = update(term, LEVELS, moved, breaks, removed, added, after)
        ids = new_ids
        docs = [n for n, d in enumerate(ids) if d in level]
        if not docs:
            assert changed is None
            return
        expected = encode(docs, [level[ids[n]] for n in docs], LEVELS)
        assert changed is not None
        assert changed.text == expected.text
        assert changed.counts == expected.counts
        assert blocks_of(changed) == (docs, [level[ids[n]] for n in docs])
        assert changed.last == docs[-1]
        term = changed


@pytest.mark.parametrize("seed", range(40))
def test_postings_only_renumbered_equal_postings_encoded_anew(seed: int) -> None:
    """A document of other terms goes or comes (an old one, among the others): this term's
    documents after it are numbered one apart, which changes one gap (``update`` does only
    that then), maybe to a number of another length."""
    rnd = random.Random(seed)
    ids = list(range(rnd.randint(2, 3000)))
    mine = sorted(rnd.sample(ids, rnd.randint(1, min(len(ids) - 1, rnd.choice([3, 40, 900])))))
    level = {doc: rnd.choice([0, 0, 0, 2, 4]) for doc in mine}
    term = encode(mine, [level[d] for d in mine], LEVELS)
    others = [d for d in ids if d not in level]
    if rnd.random() < 0.5:
        gone = rnd.choice(others)
        new_ids = [d for d in ids if d != gone]
    else:
        new_ids = list(ids)
        new_ids.insert(rnd.randint(0, len(ids)), len(ids))
    moved, breaks, after = renumbering(ids, new_ids)
    assert len(breaks) <= 1
    changed = update(term, LEVELS, moved, breaks, [], [], after)
    docs = [n for n, d in enumerate(new_ids) if d in level]
    expected = encode(docs, [level[new_ids[n]] for n in docs], LEVELS)
    assert changed is not None
    assert changed.text == expected.text
    assert (list(changed.starts), list(changed.offsets), changed.last) == \
        (list(expected.starts), list(expected.offsets), expected.last)


def test_a_posting_of_the_usual_level_is_one_character_when_documents_are_close() -> None:
    term = encode([0, 1, 2, 5, 40], [1, 1, 1, 1, 1], LEVELS)
    assert len(term.text) == 1 + 5  # the usual level, then one digit per posting
    assert len(encode([0, 1, 2, 5, 40], [1, 1, 1, 1, 3], LEVELS).text) == 1 + 4 + 2
    many = encode(list(range(3 * CHECKPOINT)), [0] * (3 * CHECKPOINT), LEVELS)
    assert len(many.starts) == 3
    assert many.level_of(CHECKPOINT + 1, LEVELS) == 0
    assert many.level_of(10_000, LEVELS) is None


@pytest.mark.parametrize("size", [1, 30, 200, 899, 900, 2000])
def test_a_head_holds_the_best_postings_the_count_and_the_file(size: int) -> None:
    """Best: highest level, then featured, then newest; written in document order, after
    the term's count and the number of the file of its whole string."""
    rnd = random.Random(7)
    docs = sorted(rnd.sample(range(5000), 900))
    levels = [rnd.choice([0, 0, 0, 1, 2, 4]) for _ in docs]
    featured = bytearray(5000)
    for doc in rnd.sample(docs, 40):
        featured[doc] = 1
    text = head_text(encode(docs, levels, LEVELS), LEVELS, featured, size, 3)
    assert text[0] == " "
    count, at = read_number(text, 1)
    file, at = read_number(text, at)
    best = sorted(zip(levels, [featured[d] for d in docs], docs, strict=True), reverse=True)[:size]
    head = encode(sorted(d for _, _, d in best),
                  [lv for lv, _, _ in sorted(best, key=lambda item: item[2])], LEVELS)
    assert (count, file, text[at:]) == (900, 3, head.text)
    if size == 200:  # all three keys at work: featured documents, levels below the highest
        assert {d for _, f, d in best if f}
        assert min(lv for lv, _, _ in best) < 4


# -- the index, written with and without a cache ------------------------------------------

@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "content", REPO / "catalogue")


def documents_of(catalogue: Catalogue, entries: list[Entry] | None = None) -> list[SearchDocument]:
    """As the site makes them (newest first), without the parts the site computes."""
    return [SearchDocument(entry, f"{entry.id}/", None, entry.kind, (0,))
            for entry in newest_first(entries if entries is not None else catalogue.entries)]


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(catalogue: Catalogue, documents: list[SearchDocument], out: Path,
          cache: Path | None = None) -> dict[str, Any]:
    return IndexBuilder(catalogue, documents).write(out, extra_meta={"ui": {}},
                                                    cache_dir=cache)


def edited(entry: Entry, **values: Any) -> Entry:
    """The entry with other values, as the loader would give it (a new digest)."""
    return dataclasses.replace(entry, values={**entry.values, **values},
                               digest=entry.digest + "+" + repr(sorted(values)))


def edit_title(entries: list[Entry]) -> list[Entry]:
    entries[40] = edited(entries[40], title="全新的标题：社区太极拳晨练")
    return entries


def edit_subjects_and_summary(entries: list[Entry]) -> list[Entry]:
    entries[3] = edited(entries[3], subjects=("classics",), summary="换了一段简介，讲书法与楷书。")
    return entries


def add_newest(entries: list[Entry]) -> list[Entry]:
    newest = max(e.published for e in entries) + dt.timedelta(days=1)
    entries.append(edited(dataclasses.replace(entries[10], id="brand-new-course"),
                          id="brand-new-course", title="新课：手机拍照入门", published=newest))
    return entries


def add_oldest(entries: list[Entry]) -> list[Entry]:
    oldest = min(e.published for e in entries) - dt.timedelta(days=1)
    entries.append(edited(dataclasses.replace(entries[20], id="old-course"),
                          id="old-course", title="旧课：老年大学", published=oldest))
    return entries


def remove_one(entries: list[Entry]) -> list[Entry]:
    del entries[30]
    return entries


def move_one(entries: list[Entry]) -> list[Entry]:
    """A new date moves the entry among the others (every document between renumbered)."""
    oldest = min(e.published for e in entries)
    entries[5] = edited(entries[5], published=oldest)
    return entries


def many_changes(entries: list[Entry]) -> list[Entry]:
    """More than a rewrite changes in place: the postings are encoded again."""
    for i in range(0, 70, 2):
        entries[i] = edited(entries[i], summary=f"第 {i} 号的新简介。")
    return entries


def everything_at_once(entries: list[Entry]) -> list[Entry]:
    return move_one(add_oldest(remove_one(add_newest(edit_title(entries)))))


CHANGES: dict[str, Callable[[list[Entry]], list[Entry]]] = {
    "edit-title": edit_title, "edit-subjects-and-summary": edit_subjects_and_summary,
    "add-newest": add_newest, "add-oldest": add_oldest, "remove-one": remove_one,
    "move-one": move_one, "many-changes": many_changes, "all-at-once": everything_at_once,
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("part", [index.CACHE_PART, 7])
def test_a_write_with_a_cache_equals_a_write_without(
        catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str,
        part: int) -> None:
    """``part``: the cache file holds its large columns in parts of so many values; with
    the small one, terms of more than a few documents are written as heads too."""
    small = part < index.CACHE_PART
    monkeypatch.setattr(index, "CACHE_PART", part)
    if small:
        monkeypatch.setattr(index, "HEAD_LIMIT", 12)
        monkeypatch.setattr(index, "HEAD_SIZE", 3)
    cache, out = tmp_path / "cache", tmp_path / "out"
    before = documents_of(catalogue)
    assert write(catalogue, before, out, cache)["cache"] == "new"
    write(catalogue, before, tmp_path / "plain")
    assert files(out) == files(tmp_path / "plain")
    assert any(name.startswith("q/") for name in files(out)) == small

    after = documents_of(catalogue, CHANGES[change](list(catalogue.entries)))
    figures = write(catalogue, after, out, cache)
    assert figures["cache"] == ("rebuilt" if change == "many-changes" else "updated")
    write(catalogue, after, tmp_path / "fresh")
    assert files(out) == files(tmp_path / "fresh")
    # and once more, from the cache this write left
    again = documents_of(catalogue, remove_one(list(catalogue.entries)))
    write(catalogue, again, out, cache)
    write(catalogue, again, tmp_path / "fresh-again")
    assert files(out) == files(tmp_path / "fresh-again")


def test_a_cached_write_widens_document_numbers_as_a_fresh_one(
        catalogue: Catalogue, tmp_path: Path) -> None:
    """91 documents are numbered in one digit, 92 in two: the cached shards' exact keys are
    written again at the new width (they were kept at the old one)."""
    one_digit = len(DIGITS)
    entries = list(catalogue.entries)[:one_digit]
    write(catalogue, documents_of(catalogue, entries), tmp_path / "out", tmp_path / "cache")
    after = documents_of(catalogue, add_newest(entries))
    write(catalogue, after, tmp_path / "out", tmp_path / "cache")
    write(catalogue, after, tmp_path / "fresh")
    assert files(tmp_path / "out") == files(tmp_path / "fresh")


class Watched(Sequence[SearchDocument]):
    """Documents, and which of them were read (by number, newest first)."""

    def __init__(self, documents: list[SearchDocument]) -> None:
        self.documents, self.read = documents, set()

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, number: int) -> SearchDocument:  # type: ignore[override]
        self.read.add(number % len(self.documents))
        return self.documents[number]


def hints_of(documents: list[SearchDocument]) -> list[bytes]:
    """A hint per document, as a site would make them: a digest of all that makes it."""
    return [hashlib.blake2b(index.document_key(d), digest_size=16).digest() for d in documents]


def test_a_document_whose_hint_the_cache_knows_is_not_read(catalogue: Catalogue,
                                                           tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    before = documents_of(catalogue)
    IndexBuilder(catalogue, before, hints=hints_of(before)).write(out, cache_dir=cache)
    after = documents_of(catalogue, edit_title(list(catalogue.entries)))
    edited = [n for n, d in enumerate(after) if d.entry.title == "全新的标题：社区太极拳晨练"]
    watched = Watched(after)
    figures = IndexBuilder(catalogue, watched, hints=hints_of(after)).write(out, cache_dir=cache)
    assert (figures["cache"], watched.read) == ("updated", set(edited))
    IndexBuilder(catalogue, after).write(tmp_path / "fresh")
    assert files(out) == files(tmp_path / "fresh")
    # A hint that two documents give stands for neither: both are read.
    twice = hints_of(after)
    twice[5] = twice[6]
    watched = Watched(after)
    IndexBuilder(catalogue, watched, hints=twice).write(out, cache_dir=cache)
    assert watched.read == {5, 6}
    assert files(out) == files(tmp_path / "fresh")


def test_packs_of_parts_since_replaced_go(catalogue: Catalogue, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each write saves the parts it changed in a pack of their own; once the cache's head
    names more packs than MOST_PACKS, every part goes into one, and the others are gone."""
    monkeypatch.setattr(index, "MOST_PACKS", 2)
    monkeypatch.setattr(index, "CACHE_PART", 16)  # parts enough that a write keeps some
    monkeypatch.setattr(index, "SHARD_TARGET_BYTES", 1000)
    cache, out = tmp_path / "cache", tmp_path / "out"
    entries = list(catalogue.entries)
    counts = []
    for n in range(6):
        if n:
            entries[n * 7] = edited(entries[n * 7], summary=f"第 {n} 次改动的简介。")
        assert write(catalogue, documents_of(catalogue, entries), out, cache)["cache"] in (
            "new", "updated")
        counts.append(sum(1 for p in cache.iterdir() if p.name.startswith("pack.")))
    assert counts == [1, 2, 3, 1, 2, 3]
    write(catalogue, documents_of(catalogue, entries), tmp_path / "fresh")
    assert files(out) == files(tmp_path / "fresh")


def test_a_first_write_with_a_cache_keeps_only_a_part_of_the_documents_read(
        catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a cache, each part of the documents goes into the write's pack once whole, and
    its terms, syllables and records are let go until a file needs them again; the files
    and the cache are those of a write that keeps everything, in one pack."""
    monkeypatch.setattr(index, "CACHE_PART", 16)
    documents = documents_of(catalogue)
    builder = IndexBuilder(catalogue, documents)
    setting = builder.setting()
    held = IndexBuilder(catalogue, documents).state(None)[0]
    state = builder.state(None, spill=(tmp_path / "cache", setting))[0]
    assert len(documents) > 3 * 16  # parts enough
    assert all(row is None for row in state.rows)
    assert state.exact == held.exact  # the postings files are laid out from them all
    state.read_documents(range(len(documents)))
    for column in ("terms", "exact", "syllables", "rows"):
        assert getattr(state, column) == getattr(held, column), column
    write(catalogue, documents, tmp_path / "out", tmp_path / "cache2")
    write(catalogue, documents, tmp_path / "fresh")
    assert files(tmp_path / "out") == files(tmp_path / "fresh")
    assert [p.name.split(".")[1] for p in (tmp_path / "cache2").glob("pack.*")] == ["1"]
    assert write(catalogue, documents, tmp_path / "out", tmp_path / "cache2")["cache"] == \
        "unchanged"


def test_an_unchanged_catalogue_rewrites_nothing(catalogue: Catalogue, tmp_path: Path) -> None:
    documents = documents_of(catalogue)
    write(catalogue, documents, tmp_path / "out", tmp_path / "cache")
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*.js")}
    figures = write(catalogue, documents, tmp_path / "out", tmp_path / "cache")
    assert (figures["cache"], figures["written"]) == ("unchanged", 0)
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*.js")} == stamps


def test_only_the_files_a_change_touches_are_written(catalogue: Catalogue,
                                                     tmp_path: Path) -> None:
    """A new entry (the newest) is appended: the last record file, the shards of its terms,
    facets, order and meta change; the other files keep their bytes and are not written."""
    write(catalogue, documents_of(catalogue), tmp_path / "out", tmp_path / "cache")
    everything = len(files(tmp_path / "out"))
    figures = write(catalogue, documents_of(catalogue, add_newest(list(catalogue.entries))),
                    tmp_path / "out", tmp_path / "cache")
    assert 0 < figures["written"] < everything / 2


def test_files_of_an_earlier_index_that_this_one_lacks_are_removed(
        catalogue: Catalogue, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(catalogue, documents_of(catalogue), out)
    (out / "r" / "999.js").write_text("old")
    (out / "p" / "999.js").write_text("old")
    (out / "t2s.js").write_text("not the index's")
    write(catalogue, documents_of(catalogue, list(catalogue.entries)[:20]), out)
    write(catalogue, documents_of(catalogue, list(catalogue.entries)[:20]), tmp_path / "fresh")
    assert files(out) == files(tmp_path / "fresh") | {"t2s.js": b"not the index's"}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign", "stale-setting",
                                    "wrong-shape", "folder-gone", "parts-gone",
                                    "parts-garbage", "parts-swapped"])
def test_a_broken_or_foreign_cache_is_ignored(catalogue: Catalogue, tmp_path: Path,
                                              damage: str) -> None:
    """Its head (CACHE_FILE) or the parts it names (read when a change needs them)."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    documents = documents_of(catalogue)
    write(catalogue, documents, out, cache)
    path = cache / CACHE_FILE
    data = path.read_bytes()
    parts = sorted(p for p in cache.iterdir() if p.name != CACHE_FILE)
    assert [p.name[:5] for p in parts] == ["pack."]
    if damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all" * 100)
    elif damage == "truncated":
        path.write_bytes(data[:len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "foreign":  # another program's pickle
        path.write_bytes(pickle.dumps({"some": "thing"}))
    elif damage == "stale-setting":  # made by other code or rules
        handle = io.BytesIO(data)
        pickle.load(handle)
        path.write_bytes(pickle.dumps("another setting") + data[handle.tell():])
    elif damage == "wrong-shape":  # a document's facets too few
        setting = IndexBuilder(catalogue, documents).setting()
        state = index.load_state(cache, setting)
        assert state is not None
        state.facets.pop()
        index.save_state(cache, setting, state)
    elif damage == "folder-gone":
        shutil.rmtree(cache)
    elif damage == "parts-gone":
        for part in parts:
            part.unlink()
    elif damage == "parts-garbage":
        for part in parts:
            part.write_bytes(b"\x80\x05not a pickle at all" * (part.stat().st_size // 21 + 1))
    else:  # the head names each of two parts where the other is: it says what it is
        setting = IndexBuilder(catalogue, documents).setting()
        state = index.load_state(cache, setting)
        assert state is not None
        state.document_parts[0], state.shard_parts[0] = \
            state.shard_parts[0], state.document_parts[0]
        with path.open("wb") as handle:
            pickle.dump(setting, handle)
            for piece in [*state.pieces(), ("", None)]:
                pickle.dump(piece, handle)
    changed = documents_of(catalogue, edit_title(list(catalogue.entries)))
    figures = write(catalogue, changed, out, cache)
    assert figures["cache"] == "new"
    write(catalogue, changed, tmp_path / "fresh")
    assert files(out) == files(tmp_path / "fresh")
    # the cache was written again, good this time
    assert write(catalogue, changed, out, cache)["cache"] == "unchanged"


@pytest.mark.parametrize(("harm", "name"), [
    ("folder-deleted", ""), ("file-changed", "p/0.js"), ("file-deleted", "p/0.js"),
    ("file-changed", "f.js"), ("file-deleted", "o.js"), ("file-deleted", "r/3.js")])
def test_files_changed_behind_the_cache_are_written_again(
        catalogue: Catalogue, tmp_path: Path, harm: str, name: str) -> None:
    """The cache remembers what it wrote; a folder cleaned or a file changed since (by a
    clean build, or by hand) is noticed and written again."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    documents = documents_of(catalogue)
    write(catalogue, documents, out, cache)
    expected = files(out)
    victim = out / name
    if harm == "folder-deleted":
        shutil.rmtree(out)
    elif harm == "file-changed":
        victim.write_bytes(b"x" * victim.stat().st_size)  # same size, a new mtime
    else:
        victim.unlink()
    figures = write(catalogue, documents, out, cache)
    assert figures["written"] >= 1
    assert files(out) == expected


# -- the index written by a process of its own --------------------------------------------


def test_the_index_of_cut_documents_is_the_same(catalogue: Catalogue, tmp_path: Path) -> None:
    """A first build's index is written from ``index_view`` documents, pickled a thousand at a
    time (a process of its own then never reads the catalogue): the files are those of the
    whole documents, and so is the cache a rebuild starts from."""
    from lifelong.build.catalogue_site import CatalogueSite, SiteOptions
    from lifelong.build.memory import PickledSequence
    from lifelong.search.index import index_view

    site = CatalogueSite(SiteOptions(content_dir=REPO / "content",
                                     catalogue_dir=REPO / "catalogue",
                                     template_dirs=[REPO / "plugins" / "lifelong" / "theme"],
                                     site_url="https://example.org/"))
    whole = site.search_documents()
    cut = site.index_documents()
    assert isinstance(cut, PickledSequence)
    assert len(cut) == len(whole)
    assert list(cut) == [index_view(d) for d in whole]
    assert all(not d.entry.body for d in cut)
    assert {name for d in cut for name in d.entry.values} <= set(index.INDEXED_FIELDS)
    site.write_search_index(tmp_path / "whole", cache_dir=tmp_path / "whole-cache")
    site.write_search_index(tmp_path / "cut", cache_dir=tmp_path / "cut-cache", documents=cut)
    assert files(tmp_path / "cut") == files(tmp_path / "whole")
    setting = IndexBuilder(site.catalogue, whole).setting()
    states = [index.load_state(tmp_path / f"{name}-cache", setting) for name in ("whole", "cut")]
    whole_state, cut_state = (kept(state) for state in states)
    assert cut_state == whole_state


def kept(state: index.IndexState | None) -> list[Any]:
    """All that a cached state keeps, its parts read, but where its files were written."""
    assert state is not None
    state.read_all()
    return [*((name, value) for name, value in state.pieces()
              if name not in ("folder", "stamps", "document_parts", "shard_parts")),
            *map(state.document_part, range(len(state.document_parts))),
            *map(state.shard_part, range(state.shards))]


def test_a_pickled_sequence_reads_like_a_list() -> None:
    from lifelong.build.memory import PickledSequence

    items = [(n, f"item {n}") for n in range(2345)]
    chunked = PickledSequence.of(iter(items), chunk_size=100)
    assert len(chunked) == len(items)
    assert list(chunked) == items
    assert list(chunked[::-1]) == items[::-1]
    assert chunked[::-1][0] == items[-1]
    assert chunked[-1] == items[-1]
    assert chunked[5:9] == items[5:9]
    with pytest.raises(IndexError):
        chunked[len(items)]
    assert list(PickledSequence.of([])) == []


def test_readings_worked_out_apart_are_all_the_index_needs(
        catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build's index process takes the pinyin of titles and names from a process that
    worked it out, and never loads pinyin's dictionaries: the readings must cover every run
    of Han characters the index reads, and give the same index."""
    import sys

    from lifelong.search import text

    documents = documents_of(catalogue)
    write(catalogue, documents, tmp_path / "plain")
    readings = text.readings_of(index.pinyin_texts(catalogue, documents))
    assert any(reading[at:at + 3] == ("tai", "ji", "quan") for run, reading in readings.items()
               for at in range(len(run)) if run[at:at + 3] == "太极拳")
    monkeypatch.setattr(text, "_READINGS", {})
    text.pinyin_terms.cache_clear()
    text.add_readings(readings)
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it now fails
    write(catalogue, documents, tmp_path / "apart")
    assert files(tmp_path / "apart") == files(tmp_path / "plain")


# -- the filters that suit older learners ---------------------------------------------------


def script_data(path: Path) -> Any:
    """What a file of the index passes to LifelongSearch.add."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def test_the_easy_filters_of_every_document(catalogue: Catalogue, tmp_path: Path) -> None:
    """The "easy" facet column holds one character a document: a bit for ten minutes or
    less, and one for each accessibility term; meta.js names the beginner level and the
    languages that are dialects (the browser reads those from their own columns), labels
    each filter and counts what each finds."""
    entries = list(catalogue.entries)
    courses = [n for n, e in enumerate(entries) if e.kind == "course"]
    entries[courses[0]] = edited(entries[courses[0]], duration_minutes=10,
                                 accessibility=("sign-language", "large-print"))
    entries[courses[1]] = edited(entries[courses[1]], duration_minutes=11, language="yue",
                                 level="beginner", accessibility=("audio-description",))
    builder = IndexBuilder(catalogue, documents_of(catalogue, entries))
    builder.write(tmp_path, extra_meta={"ui": {}})
    column = script_data(tmp_path / "f.js")["easy"]
    easy = script_data(tmp_path / "meta.js")["facets"]["easy"]
    assert easy["names"] == list(index.EASY)
    stored = index.EASY_BITS
    assert stored == ("short", "captions", "sign-language", "audio-description", "large-print")
    found: list[set[str]] = []
    for document in builder.documents:  # oldest first, as the index numbers them
        entry = document.entry
        minutes = entry.get("duration_minutes")
        found.append({*entry.get("accessibility", ())}
                     | ({"short"} if minutes is not None and minutes <= 10 else set()))
    assert len(column) == len(found)
    assert [index.ALPHABET.index(c) for c in column] == \
        [sum(1 << bit for bit, name in enumerate(stored) if name in has) for has in found]
    levels = list(catalogue.rules.vocabularies["levels"].terms)
    languages = list(catalogue.rules.vocabularies["languages"].terms)
    assert easy["level"] == levels.index("beginner")
    # Chinese dialects (Cantonese, Wu, Min...); not Tibetan, Uyghur, Literary Chinese...
    assert easy["dialects"] == [languages.index(code) for code in (
        "yue", "wuu", "nan", "hak", "hsn", "gan", "cdo", "cjy")]
    beginners = sum(1 for d in builder.documents if d.entry.get("level") == "beginner")
    dialects = sum(1 for d in builder.documents if d.entry.get("language") == "yue")
    assert easy["counts"] == [sum(1 for has in found if name in has) for name in stored] + \
        [beginners, dialects]
    assert easy["counts"][0] >= 1 and dialects >= 1
    access = catalogue.rules.vocabularies["accessibility"].terms
    assert easy["labels"] == [None, *(access[n].label.zh for n in stored[1:]),
                              catalogue.rules.vocabularies["levels"].terms["beginner"].label.zh,
                              None]


def test_the_language_column_holds_any_of_iso_639(catalogue: Catalogue, tmp_path: Path) -> None:
    """Two characters a document, 1 + the language's place, low digit first: the 213 terms
    of ISO 639 pass the 63 one character holds (Spanish, Zulu, a dialect and none)."""
    languages = list(catalogue.rules.vocabularies["languages"].terms)
    assert languages.index("zu") > 63
    entries = list(catalogue.entries)
    for n, code in enumerate(("es", "zu", "nan")):
        entries[n] = edited(entries[n], language=code)
    builder = IndexBuilder(catalogue, documents_of(catalogue, entries))
    builder.write(tmp_path, extra_meta={"ui": {}})
    column = script_data(tmp_path / "f.js")["language"]
    digit = index.ALPHABET.index
    found = [digit(column[i]) + 64 * digit(column[i + 1]) for i in range(0, len(column), 2)]
    assert found == [languages.index(d.entry.get("language")) + 1 if d.entry.get("language")
                     else 0 for d in builder.documents]
    assert {"es", "zu", "nan"} <= {languages[n - 1] for n in found if n}


# -- file names: no text of an entry makes one ---------------------------------------------

#: Titles and summaries whose words once named dictionary files after their first two
#: characters: "I/O" made search/d/i/.js, and the whole build failed.
AWKWARD = [
    ("io-basics", "I/O 入门", "Input and output, I/O for beginners."),
    ("ab-testing", "A/B testing", "A/B testing in a community centre."),
    ("without", "w/o", "w/o"),
    ("tortured", "Tortured for Christ N/E", "A book, new edition."),
    ("smime", "S/MIME 邮件加密", "Signed mail."),
    ("dots", "..", ".."),
    ("con-title", "con", "con"),
    ("quoted", 'C:\\temp "quoted" it\'s', 'a\\b "c" ../../x .\\y'),
    ("accents", "naïve/café ÅSTRÖM", "Ünïcödé/wörds"),
    ("long-word", "x" * 300, "y" * 300),
]
#: Every file the index writes (and the search page).
SAFE_NAME = re.compile(r"(?:p|r)/[0-9]+\.js|q/[0-9]+-[0-9]+\.js|[de]/[a-z0-9_]{1,2}\.js|(?:meta|f|o|t2s|lunr)\.js"
                       r"|index\.html")


@pytest.fixture(scope="module")
def awkward_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitekit import build_site, course, write_project

    root = tmp_path_factory.mktemp("awkward")
    entries = [course(entry_id, title=title, summary=summary, published=f"2024-03-{n + 1:02d}")
               for n, (entry_id, title, summary) in enumerate(AWKWARD)]
    return build_site(write_project(root, entries))


def test_awkward_words_build_and_name_no_file(awkward_site: Path) -> None:
    folder = awkward_site / "search"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    assert [n for n in names if not SAFE_NAME.fullmatch(n) and n not in ("p", "q", "d", "e", "r")] == []
    meta = (folder / "meta.js").read_text(encoding="utf-8")
    assert '"i_"' in meta and '"n_"' in meta and '"s_"' in meta and '"c_"' in meta
    assert '"i/o":' in (folder / "d" / "i_.js").read_text(encoding="utf-8")
    assert (folder / "d" / "i_.js").read_text(encoding="utf-8").startswith(
        'LifelongSearch.add("d/i_",{')
    assert '"s/mime":' in (folder / "e" / "mi.js").read_text(encoding="utf-8")


def test_awkward_words_are_found_whole_by_prefix_and_with_a_typo(awkward_site: Path) -> None:
    from searchkit import SearchKit

    hits = SearchKit(awkward_site).search([
        "I/O", "a/b", "w/o", "N/E", ("n/", True), ("s/mi", True), "s/mine", ("c:\\te", True),
        ("naive/ca", True), ("x" * 40, True), "x" * 300])
    assert [(hit.q, hit.top) for hit in hits] == [
        ("I/O", ["io-basics"]), ("a/b", ["ab-testing"]), ("w/o", ["without"]),
        ("N/E", ["tortured"]), ("n/", ["tortured"]), ("s/mi", ["smime"]),
        ("s/mine", ["smime"]), ("c:\\te", ["quoted"]), ("naive/ca", ["accents"]),
        ("x" * 40, ["long-word"]), ("x" * 300, ["long-word"])]


# -- a document the index fails on is named -------------------------------------------------


def broken(catalogue: Catalogue, **values: Any) -> tuple[list[SearchDocument], Entry]:
    """The catalogue's documents with one entry holding values no check lets through."""
    entries = list(catalogue.entries)
    entries[7] = edited(entries[7], **values)
    return documents_of(catalogue, entries), entries[7]


#: Values the index fails on, and the field a failure names (none: not on one of the texts).
BROKEN: list[tuple[dict[str, Any], str]] = [
    ({"title_en": 1861}, "title_en: "),
    ({"speakers": ({"name": "王医生"}, {"name": 42})}, "speakers.1.name: "),
    ({"duration_minutes": "90"}, ""),
]


@pytest.mark.parametrize(("values", "field"), BROKEN)
@pytest.mark.parametrize("cached", [False, True])
def test_a_document_the_index_fails_on_is_named(catalogue: Catalogue, tmp_path: Path,
                                                values: dict[str, Any], field: str,
                                                cached: bool) -> None:
    """In a first write and in a rewrite from the cache (which extracts only what changed)."""
    if cached:
        write(catalogue, documents_of(catalogue), tmp_path / "out", tmp_path / "cache")
    documents, entry = broken(catalogue, **values)
    with pytest.raises(index.DocumentError) as caught:
        write(catalogue, documents, tmp_path / "out", tmp_path / "cache" if cached else None)
    assert str(caught.value).startswith(f"content/{entry.path}: {field}the search index failed "
                                        "on this entry: TypeError: ")


def test_the_index_process_names_the_document_it_failed_on(
        catalogue: Catalogue, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A first build writes the index in a fresh interpreter (lifelong.build.processes): its
    report is the message, with no traceback."""
    from lifelong.build.jobs import Outputs, _write_outputs
    from lifelong.build.processes import WorkFailed, fresh
    from lifelong.search.index import index_view

    documents, entry = broken(catalogue, title_en=1861)
    outputs = Outputs(catalogue.rules, [index_view(d) for d in documents], "zh", "search/", "",
                      None, tmp_path / "site", None)
    with pytest.raises(WorkFailed) as failed:
        fresh("writing the search index", _write_outputs, outputs).wait()
    message = str(failed.value)
    assert message.startswith(f"content/{entry.path}: title_en: the search index failed on "
                              "this entry: TypeError: ")
    assert "Traceback" not in capfd.readouterr().err
