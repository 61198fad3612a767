#!/usr/bin/env python3
"""`lifelong check` with and without duplicate detection (issue 18's budget: at most 1.2x).

Run from the repository root (see bench/README.md):

    PYTHONPATH=plugins .venv/bin/python bench/check_bench.py [--entries 90000]
        [--work /tmp/lifelong-check-bench] [--copies 0.01] [--runs 2]

It writes the sample catalogue (`lifelong sample --entries N`) into WORK/catalogue-N once
(reused by later runs), then plants copies of a share (``--copies``) of its e-books and
courses, as an import from a second source would: another id, no code, outside any series,
the title in
traditional characters for half of them, an ISBN-13 written as its ISBN-10. Then it times
`lifelong check` (a whole process, wall time) with duplicates (the default) and with
`--no-duplicates`, alternately, ``--runs`` times each, and prints the best of each, their
ratio and the warnings found. Last, the detection alone on the loaded entries.

A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import render_table  # the script's folder is on sys.path

REPO = Path(__file__).resolve().parents[1]
LIFELONG = Path(sys.executable).with_name("lifelong")
BUDGET = 1.2


def run(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    start = time.perf_counter()
    done = subprocess.run([str(LIFELONG), *args], capture_output=True, text=True, env=env,
                          check=False)
    return time.perf_counter() - start, done


def isbn10(isbn13: str) -> str | None:
    if not isbn13.startswith("978"):
        return None
    body = isbn13[3:12]
    check = (11 - sum((10 - i) * int(c) for i, c in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def plant_copies(project: Path, share: float) -> int:
    """Copies of every 1/share-th e-book and course, written once (their names end -copy)."""
    import zhconv

    planted = 0
    step = max(1, round(1 / share))
    for folder in ("reading", "courses"):
        files = sorted(p for p in (project / "content" / folder).glob("*.md")
                       if not p.stem.endswith("-copy"))
        for number, path in enumerate(files[::step]):
            copy = path.with_name(f"{path.stem}-copy.md")
            planted += 1
            if copy.exists():
                continue
            text = path.read_text(encoding="utf-8")
            head, body = text[4:].split("\n---\n", 1)
            head = re.sub(r"(?m)^id: (.+)$", r"id: \1-copy", head)
            head = re.sub(r"(?m)^code: .*(?:\n|\Z)", "", head)
            head = re.sub(r"(?m)^(featured|series|series_order): .*(?:\n|\Z)", "", head)
            if number % 2:
                head = re.sub(r"(?m)^title: (.+)$",
                              lambda m: "title: " + zhconv.convert(m.group(1), "zh-hant"), head)
            isbn = re.search(r"(?m)^isbn: '?(\d{13})'?$", head)
            if isbn and (short := isbn10(isbn.group(1))):
                head = head.replace(isbn.group(0), f"isbn: '{short}'")
            copy.write_text(f"---\n{head}\n---\n{body}", encoding="utf-8")
    return planted


def detection_alone(project: Path) -> tuple[float, int, int]:
    """Seconds of find_duplicates over the loaded entries (lines as the loader keeps them
    are not read: the few warnings' lines are looked up in `check`), entries, warnings."""
    sys.path.insert(0, str(REPO / "plugins"))
    from lifelong.build.loading import load_catalogue
    from lifelong.catalogue.duplicates import find_duplicates

    catalogue = load_catalogue(project / "content", project / "catalogue")
    loaded = [(e, {}) for e in (*catalogue.entries, *catalogue.drafts)]
    start = time.perf_counter()
    found = find_duplicates(loaded)
    return time.perf_counter() - start, len(loaded), len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=90_000)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "lifelong-check-bench")
    parser.add_argument("--copies", type=float, default=0.01,
                        help="share of e-books and courses copied (0 for none)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    project = args.work / f"catalogue-{args.entries}"
    if not project.exists():
        took, done = run("sample", "--entries", str(args.entries), "--out", str(project),
                         "--project", str(REPO))
        if done.returncode:
            sys.exit(done.stderr)
        print(f"sample of {args.entries:,} entries written in {took:.1f} s")
    planted = plant_copies(project, args.copies) if args.copies else 0
    times: dict[str, list[float]] = {"with": [], "without": []}
    warnings = 0
    for _ in range(args.runs):
        for name, extra in (("without", ["--no-duplicates"]), ("with", [])):
            took, done = run("check", "--project", str(project), *extra)
            if done.returncode:
                sys.exit(f"check {' '.join(extra)} failed:\n{done.stdout[-2000:]}"
                         f"{done.stderr[-2000:]}")
            times[name].append(took)
            if name == "with":
                warnings = done.stdout.count(": warning: ")
    best = {name: min(found) for name, found in times.items()}
    ratio = best["with"] / best["without"]
    alone, entries, found = detection_alone(project)
    load = os.getloadavg()[0]
    print(f"lifelong check, {entries:,} entries ({planted} planted copies), best of "
          f"{args.runs} runs each, load average {load:.1f}:")
    print(render_table(
        ["run", "wall time", "every run", "warnings"],
        [["--no-duplicates", f"{best['without']:.1f} s",
          ", ".join(f"{t:.1f}" for t in times["without"]), "-"],
         ["with duplicates", f"{best['with']:.1f} s",
          ", ".join(f"{t:.1f}" for t in times["with"]), f"{warnings:,}"],
         ["ratio", f"{ratio:.3f}", f"budget <= {BUDGET}", "PASS" if ratio <= BUDGET else "FAIL"],
         ["detection alone", f"{alone:.2f} s", "find_duplicates, in process", f"{found:,}"]],
        "lrrr"))


if __name__ == "__main__":
    main()
