#!/usr/bin/env python3
"""Did-you-mean over many ids: catalogue/suggest.py (rapidfuzz) against difflib.

Run from the repository root (see bench/README.md):

    PYTHONPATH=plugins .venv/bin/python bench/suggest_bench.py [--ids 90000] [--refs 20]

It makes ``--ids`` ids shaped like the sample catalogue's (two to four words and sometimes a
number), then ``--refs`` broken references: half of them a slip in a real id (one letter
dropped, doubled or two swapped), half ids that are not there at all. It times the suggester
from building it to the last answer, and difflib's ``get_close_matches`` (what `check` used
before) on the first few references, and says how many slips got their id back.

A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import difflib
import random
import time

from benchkit import render_table  # the script's folder is on sys.path

from lifelong.catalogue.suggest import Suggester

WORDS = ("taiji", "baduanjin", "health", "smartphone", "safety", "finance", "garden", "cooking",
         "history", "poetry", "classics", "opera", "music", "painting", "law", "travel",
         "family", "memory", "sleep", "walking", "tea", "calligraphy", "chess", "photography",
         "english", "dialect", "festival", "village", "river", "mountain")


def make_ids(count: int, rng: random.Random) -> list[str]:
    ids: set[str] = set()
    while len(ids) < count:
        words = rng.sample(WORDS, rng.randint(2, 4))
        if rng.random() < 0.3:
            words.append(str(rng.randint(2, 99)))
        ids.add("-".join(words))
    return sorted(ids)


def slip(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=90_000)
    parser.add_argument("--refs", type=int, default=20)
    parser.add_argument("--difflib", type=int, default=3, help="references given to difflib")
    args = parser.parse_args()
    rng = random.Random(18)
    ids = make_ids(args.ids, rng)
    taken = set(ids)
    meant = [rng.choice(ids) for _ in range(args.refs // 2)]
    slips = [slip(i, rng) for i in meant]
    strangers = []
    while len(strangers) < args.refs - len(slips):
        stranger = "-".join(rng.sample(("lesson", "course", "talk", "book", "guide"), 2))
        if stranger not in taken:
            strangers.append(stranger)
    refs = [r for r in slips if r not in taken] + strangers

    start = time.perf_counter()
    suggester = Suggester((i, i) for i in ids)
    built = time.perf_counter() - start
    answers = [suggester(r) for r in refs]
    ours = time.perf_counter() - start
    right = sum(1 for r, m in zip(slips, meant, strict=True) if r in refs and suggester(r) == m)
    wrong = sum(1 for a in answers[len(refs) - len(strangers):] if a is not None)

    start = time.perf_counter()
    for ref in refs[:args.difflib]:
        difflib.get_close_matches(ref, ids, n=1)
    theirs = (time.perf_counter() - start) / max(1, min(args.difflib, len(refs)))

    print(f"{len(ids):,} ids, {len(refs)} broken references "
          f"({len(refs) - len(strangers)} slips, {len(strangers)} strangers)\n")
    print(render_table(
        ["", "seconds"],
        [["suggest.py: build", f"{built:.3f}"],
         ["suggest.py: build + all references", f"{ours:.3f}"],
         ["suggest.py: per reference", f"{(ours - built) / len(refs):.4f}"],
         ["difflib: per reference", f"{theirs:.3f}"]], "lr"))
    print(f"\nslips given their id back: {right} of {len(refs) - len(strangers)}; "
          f"strangers given a suggestion: {wrong} of {len(strangers)}")


if __name__ == "__main__":
    main()
