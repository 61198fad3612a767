#!/usr/bin/env python3
"""`lifelong import` against its budgets: 10,000 CSV rows (dry run and real) in 30 s, a
1,000-entry OPDS feed in 5 s.

Run from the repository root (see bench/README.md):

    PYTHONPATH=plugins .venv/bin/python bench/import_bench.py [--rows 10000] [--entries 1000]

The CSV is the shared goodbooks-10k slice (400 real rows, CC BY-SA 4.0) repeated with each
copy's title and ISBNs varied (``#2``, ``#3``... and no ISBN on copies, so that no copy is
taken for the same book), imported with examples/goodbooks-10k.yml into a new project made
as `lifelong init` makes one: once dry, once for real, then once again (nothing changes).
The feed is the shared Palace Project feed (100 entries, Apache-2.0) with its entries
repeated under new ids and titles; it is skipped, saying so, while this version has no
OPDS reader (``lifelong.interchange.feeds.read_opds``). Each run is the `lifelong` command
in a process of its own, timed from start to exit.

A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import render_table  # the script's folder is on sys.path

from lifelong.catalogue.project import write_project

REPO = Path(__file__).resolve().parents[1]
DATA = next((p for p in (REPO.parent / "shared" / "data", Path("/work/shared/data"))
             if p.is_dir()), REPO.parent / "shared" / "data")
GOODBOOKS = DATA / "goodbooks-10k" / "books-1-400.csv"
FEED = DATA / "opds" / "palace_feed.opds"
MAPPING = REPO / "examples" / "goodbooks-10k.yml"
CSV_BUDGET, OPDS_BUDGET = 30.0, 5.0


def make_csv(path: Path, rows: int) -> None:
    with GOODBOOKS.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        originals = list(reader)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        for number in range(rows):
            row = dict(originals[number % len(originals)])
            copy = number // len(originals)
            if copy:
                row["title"] = f"{copy + 1}. {row['title']}"
                row["isbn"] = row["isbn13"] = ""
                row["book_id"] = str(number + 1)
            writer.writerow(row)


def make_feed(path: Path, entries: int) -> None:
    text = FEED.read_text(encoding="utf-8")
    head, rest = text.split("<entry", 1)
    body, tail = ("<entry" + rest).rsplit("</entry>", 1)
    originals = [e + "</entry>" for e in body.split("</entry>") if "<entry" in e]
    made = []
    for number in range(entries):
        entry = originals[number % len(originals)]
        copy = number // len(originals)
        if copy:
            entry = re.sub(r"<id>(.*?)</id>", rf"<id>\1/copy-{copy}</id>", entry, count=1)
            entry = re.sub(r"<title>(.*?)</title>", rf"<title>\1 #{copy + 1}</title>", entry,
                           count=1)
            entry = re.sub(r"<dcterms:identifier>.*?</dcterms:identifier>", "", entry)
        made.append(entry)
    path.write_text(head + "\n".join(made) + tail, encoding="utf-8")


def timed(*args: str | Path) -> tuple[float, str]:
    command = [str(Path(sys.executable).with_name("lifelong")), *map(str, args)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1) or result.stderr.strip():
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    counts = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=1_000)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="lifelong-import-bench-"))
    shutil.rmtree(work / "project", ignore_errors=True)
    write_project(work / "project", force=True)
    content = work / "project" / "content"
    source = work / "books.csv"
    make_csv(source, args.rows)
    rows: list[list[str]] = []

    def add(what: str, seconds: float, budget: float | None, counts: str) -> None:
        verdict = "" if budget is None else ("within" if seconds <= budget else "OVER")
        rows.append([what, f"{seconds:.1f} s", f"{budget:.0f} s" if budget else "",
                     verdict, counts.removeprefix("Dry run, nothing written: ")])

    for what, extra in ((f"CSV {args.rows:,} rows, dry run", ("--dry-run",)),
                        (f"CSV {args.rows:,} rows", ()),
                        (f"CSV {args.rows:,} rows again", ())):
        seconds, counts = timed("import", source, "--into", content, "--mapping", MAPPING,
                                *extra)
        add(what, seconds, CSV_BUDGET if "again" not in what else None, counts)
    if importlib.util.find_spec("lifelong.interchange.feeds") is None:
        print(f"OPDS skipped: this version has no lifelong.interchange.feeds.read_opds "
              f"({args.entries:,}-entry feed, budget {OPDS_BUDGET:.0f} s)")
    else:
        feed = work / "feed.opds"
        make_feed(feed, args.entries)
        shutil.rmtree(work / "fresh", ignore_errors=True)
        write_project(work / "fresh", force=True)
        # The budget is the feed's own import, into a new project; into the project the CSV
        # runs filled, the same feed also reads and checks the 10,000 entries there.
        for what, into, extra, budget in (
                (f"OPDS {args.entries:,} entries, dry run", work / "fresh" / "content",
                 ("--dry-run",), OPDS_BUDGET),
                (f"OPDS {args.entries:,} entries", work / "fresh" / "content", (), OPDS_BUDGET),
                (f"OPDS {args.entries:,} entries beside {args.rows:,}", content, (), None)):
            seconds, counts = timed("import", feed, "--into", into, "--kind", "ebook", *extra)
            add(what, seconds, budget, counts)
    print(render_table(["import", "time", "budget", "", "report"], rows, "lrrll"))


if __name__ == "__main__":
    main()
