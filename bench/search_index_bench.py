#!/usr/bin/env python3
"""Search index writes with a cache: how long CatalogueSite.write_search_index takes on a
big catalogue with no cache, then with the cache a first write leaves, after each of: no
change, one entry edited (title), one entry added (the newest), one entry deleted.

    .venv/bin/python bench/search_index_bench.py --project WORK/catalogue-90000 [--check]

The catalogue is loaded once (as the plugin loads it) and changed in memory, so the times are
those of the index alone: the site's search documents it reads, the index files and the
cache. Each write is given the hints a rebuild gives it (``CatalogueSite.search_hints``, from
the fingerprints of the entry pages, which a rebuild works out anyway: timed apart). With
--check, the index after each change is also written without a cache and compared byte for
byte (a full write each: minutes at 90,000 entries). Prints a table; exits 1 if a check
fails. A benchmark, not a test (see bench/README.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import filecmp
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The script's folder is on sys.path: the search benchmark's helpers.
from search_bench import git_state, load_site, log, render_table


def edited(entry: Any, suffix: str, **values: Any) -> Any:
    """The entry with other values and a new digest, as the loader would give it."""
    return dataclasses.replace(entry, values={**entry.values, **values},
                               digest=f"{entry.digest}+{suffix}")


def edit_one(entries: list[Any]) -> list[Any]:
    middle = len(entries) // 2
    entries[middle] = edited(entries[middle], "title", title=entries[middle].title + "（修订版）")
    return entries


def add_one(entries: list[Any]) -> list[Any]:
    template = entries[len(entries) // 3]
    newest = max(e.published for e in entries) + dt.timedelta(days=1)
    entries.append(edited(dataclasses.replace(template, id="bench-new-entry"), "new",
                          id="bench-new-entry", title="新课：手机拍照与分享入门",
                          published=newest))
    return entries


def delete_one(entries: list[Any]) -> list[Any]:
    del entries[len(entries) // 4]
    return entries


SCENARIOS: list[tuple[str, Callable[[list[Any]], list[Any]] | None]] = [
    ("unchanged", None), ("one entry edited (title)", edit_one),
    ("one entry added (newest)", add_one), ("one entry deleted", delete_one)]


def same_folders(a: Path, b: Path) -> list[str]:
    """Files that differ between two folders (or exist in one only)."""
    differ: list[str] = []
    compare = filecmp.dircmp(a, b)
    stack = [(compare, "")]
    while stack:
        node, prefix = stack.pop()
        differ += [prefix + n for n in node.left_only + node.right_only]
        _match, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files,
                                                    shallow=False)
        differ += [prefix + n for n in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(differ)


class Stopwatch:
    """Wall seconds spent in the wrapped function, added up."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function, self.seconds = function, 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - began


def hints_of(site: Any) -> tuple[list[bytes], float]:
    """The search hints a rebuild gives the index (from the fingerprints of the entry
    pages, which a rebuild works out anyway), and the seconds they took."""
    from lifelong.build.jobs import entry_fingerprints

    began = time.perf_counter()
    drawer = site.drawer()
    hints = site.search_hints(drawer.entry_pages, entry_fingerprints(drawer))
    return hints, time.perf_counter() - began


def timed(site: Any, write: Callable[[list[bytes]], dict[str, Any]]) -> dict[str, Any]:
    """Times of a write given the hints: in all, and making the search documents that it
    read (the rest is the index writer's, and t2s.js and lunr.js); and of the hints."""
    site._documents = None  # made anew, of the catalogue as it is now, each when read:
    made = site.search_document = Stopwatch(type(site).search_document.__get__(site))
    hints, hint_seconds = hints_of(site)
    wall, cpu = time.perf_counter(), time.process_time()
    figures = write(hints)
    del site.search_document
    return {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
            "documents_seconds": made.seconds, "hints_seconds": hint_seconds, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True,
                        help="a sample project (lifelong sample --entries N --out DIR)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the index and the cache (default: a temporary one)")
    parser.add_argument("--check", action="store_true",
                        help="compare each write with a write without a cache")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="lifelong-index-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out, cache, plain = work / "search", work / "cache", work / "search-plain"
    for folder in (out, cache, plain):
        shutil.rmtree(folder, ignore_errors=True)

    log(f"loading {args.project} ...")
    began = time.perf_counter()
    site = load_site(args.project)
    log(f"loaded {len(site.catalogue.entries)} entries in {time.perf_counter() - began:.1f} s")
    rows: list[list[str]] = []
    problems: list[str] = []

    def row(name: str, figures: dict[str, Any]) -> None:
        rows.append([name, f"{figures['hints_seconds']:.2f}", f"{figures['seconds']:.2f}",
                     f"{figures['cpu']:.2f}", f"{figures['documents_seconds']:.2f}",
                     f"{figures['seconds'] - figures['documents_seconds']:.2f}",
                     str(figures.get("written", "-")), str(figures.get("cache", "-"))])
        log(f"{name}: {figures['seconds']:.1f} s ({figures['cpu']:.1f} s CPU), "
            f"{figures.get('written')} files written, cache {figures.get('cache')}")

    row("no cache (a full write)",
        timed(site, lambda hints: site.write_search_index(plain, hints=hints)))
    row("cache empty (a full write, saving it)",
        timed(site, lambda hints: site.write_search_index(out, cache_dir=cache, hints=hints)))
    if args.check and (bad := same_folders(out, plain)):
        problems.append(f"the first write with a cache differs from one without: {bad[:5]}")
    entries = list(site.catalogue.entries)
    for name, change in SCENARIOS:
        if change is not None:
            entries = change(entries)
            site.catalogue = dataclasses.replace(site.catalogue, entries=tuple(entries))
        row(name, timed(site, lambda hints: site.write_search_index(out, cache_dir=cache,
                                                                    hints=hints)))
        if args.check:
            shutil.rmtree(plain, ignore_errors=True)
            site._documents = None
            site.write_search_index(plain)
            if bad := same_folders(out, plain):
                problems.append(f"{name}: differs from a write without a cache: {bad[:5]}")
            else:
                log(f"{name}: byte for byte a write without a cache")

    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    print(f"\nSearch index writes, {len(entries)} entries ({os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; code {git_state()}); cache {size / 1e6:.0f} MB; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
          + ("; every write checked against one without a cache" if args.check else "") + "\n")
    print(render_table(["write_search_index", "hints s", "wall s", "CPU s", "documents read s",
                        "the rest s", "files written", "cache"], rows, "lrrrrrrl"))
    if problems:
        print("\nProblems:\n" + "\n".join(f"  - {p}" for p in problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
