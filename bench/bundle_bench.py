#!/usr/bin/env python3
"""Offline-copy benchmark: zip size per entry and bundle time, against bare Material.

Run from the repository root:

    .venv/bin/python bench/bundle_bench.py --entries 90000 [--work DIR]

In one run it
1. writes the sample catalogue (`lifelong sample`, skipped if WORK/catalogue-N exists);
2. bundles it with `lifelong bundle --media none` (the offline variant: every page, listings,
   term pages, QR codes and the search index), timing the whole command and its peak memory;
   the zip's bytes per entry are split by part (entry pages, listings, search, ...);
3. builds the baseline: the same entries as plain Markdown pages (title, summary, body) with
   bare MkDocs + Material, a small nav and no search (`use_directory_urls: false`, as an
   offline copy must be), and zips it the same way (deflate level 6);
4. prints bytes per entry for both, the goal (at most 4 KB per entry, search included) and
   the ratio, and writes WORK/bundle-bench.json.

A benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOAL_BYTES_PER_ENTRY = 4 * 1024


def run(command: list[str], **kwargs: Any) -> dict[str, float]:
    """Run a command; its wall time, CPU time and peak memory (this child only)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    gnu_time = Path("/usr/bin/time")
    report = None
    if gnu_time.exists():
        report = Path(kwargs.get("cwd", ".")) / ".bench-time.txt"
        command = [str(gnu_time), "-f", "%M", "-o", str(report), *command]
    subprocess.run(command, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                   **kwargs)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb = int(report.read_text().split()[-1]) if report else after.ru_maxrss
    if report:
        report.unlink()
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak_kb / 1024}


def sample(work: Path, entries: int) -> Path:
    project = work / f"catalogue-{entries}"
    if not (project / "mkdocs.yml").exists():
        run([str(BIN / "lifelong"), "sample", "--entries", str(entries), "--out", str(project),
             "--project", str(REPO)])
    return project


_FRONT = re.compile(r"^---\n(.*?\n)---\n", re.S)


def baseline_project(project: Path, out: Path) -> Path:
    """The same entries as plain pages for bare Material: a title, the summary, the body."""
    import yaml

    docs = out / "docs"
    if (out / "mkdocs.yml").exists():
        return out
    (docs / "entries").mkdir(parents=True)
    for path in sorted((project / "content").rglob("*.md")):
        if path.parent == project / "content":
            continue
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        meta = yaml.safe_load(match.group(1)) if match else {}
        body = text[match.end():] if match else text
        page = f"# {meta.get('title', path.stem)}\n\n{meta.get('summary', '')}\n\n{body}"
        (docs / "entries" / path.name).write_text(page, encoding="utf-8")
    (docs / "index.md").write_text("# 终身学习资源目录\n\n欢迎。\n", encoding="utf-8")
    (docs / "about.md").write_text("# 关于\n\n关于本目录。\n", encoding="utf-8")
    config = {"site_name": "终身学习资源目录", "docs_dir": "docs", "site_dir": "site",
              "use_directory_urls": False,
              "theme": {"name": "material", "language": "zh", "font": False},
              "plugins": [], "nav": [{"首页": "index.md"}, {"关于": "about.md"}],
              "validation": {"nav": {"omitted_files": "ignore"}}}
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                    encoding="utf-8")
    return out


def zip_folder(folder: Path, out: Path) -> int:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return out.stat().st_size


#: What the zip's bytes are spent on, in the order printed.
PARTS = ("entry pages", "listing and term pages", "search index", "theme and scripts",
         "other")


def zip_part(name: str) -> str:
    top = name.split("/", 1)[0] if "/" in name else ""
    if top == "search":
        return "search index"
    if top == "assets":
        return "theme and scripts"
    if name.endswith(".html"):
        return "listing and term pages" if top else "entry pages"
    return "other"  # the manifest, version.js, media


def zip_parts(path: Path) -> dict[str, int]:
    """Bytes of the zip by part: each file's compressed data and its two headers (local and
    central directory), so the parts add up to the zip's size but for its end record."""
    parts = dict.fromkeys(PARTS, 0)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = len(info.filename.encode("utf-8"))
            headers = 30 + name + len(info.extra) + 46 + name + len(info.comment)
            parts[zip_part(info.filename)] += info.compress_size + headers
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=90_000)
    parser.add_argument("--work", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "lifelong-bench")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    project = sample(work, args.entries)
    entries = args.entries

    ours_zip = work / f"bundle-{entries}.zip"
    ours = run([str(BIN / "lifelong"), "bundle", "-o", str(ours_zip), "--media", "none",
                "--force", "--project", str(project)], stdout=subprocess.DEVNULL)
    ours["zip_bytes"] = ours_zip.stat().st_size
    ours["parts"] = zip_parts(ours_zip)

    base_project = baseline_project(project, work / f"baseline-{entries}")
    base = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(base_project / "mkdocs.yml")],
               cwd=base_project)
    base_zip = work / f"baseline-{entries}.zip"
    began = time.perf_counter()
    base["zip_bytes"] = zip_folder(base_project / "site", base_zip)
    base["zip_s"] = time.perf_counter() - began

    per_entry = ours["zip_bytes"] / entries
    base_per_entry = base["zip_bytes"] / entries
    rows = [
        ("entries", f"{entries:,}", ""),
        ("bundle time (build + pack), s", f"{ours['wall_s']:.0f}",
         f"baseline build {base['wall_s']:.0f} s + zip {base['zip_s']:.0f} s"),
        ("bundle CPU time, s", f"{ours['cpu_s']:.0f}", f"baseline {base['cpu_s']:.0f} s"),
        ("bundle peak memory, MB", f"{ours['peak_mb']:.0f}",
         f"baseline {base['peak_mb']:.0f} MB"),
        ("zip size, MB", f"{ours['zip_bytes'] / 1e6:.1f}",
         f"baseline {base['zip_bytes'] / 1e6:.1f} MB (no search)"),
        ("zip bytes per entry", f"{per_entry:,.0f}",
         f"goal <= {GOAL_BYTES_PER_ENTRY:,}; baseline {base_per_entry:,.0f}; "
         f"ratio {per_entry / base_per_entry:.2f}"),
        *((f"  of which {part}", f"{size / entries:,.0f}", "")
          for part, size in ours["parts"].items()),
        ("goal met", "yes" if per_entry <= GOAL_BYTES_PER_ENTRY else "NO", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"Offline copy benchmark, {entries:,} entries (lifelong bundle --media none vs bare "
          f"Material pages, same machine, same run)")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>10}  {note}")
    (work / "bundle-bench.json").write_text(json.dumps(
        {"entries": entries, "lifelong": ours, "baseline": base}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
