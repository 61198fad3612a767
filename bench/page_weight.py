#!/usr/bin/env python3
"""Page weight: every page type's bytes against issue 19's budgets and bare Material.

Run from the repository root (see bench/README.md):

    .venv/bin/python bench/page_weight.py [--entries 3000] [--work DIR] [--reuse]

It builds the sample catalogue and the same entries with bare MkDocs + Material, sorts every
HTML page of ours into page types by address (median and largest HTML of each), then opens one
page of each type (median size) and its baseline counterpart in headless Chromium over http:
every byte until the network is idle, by class, raw and gzip -6; and in care mode, whether
<html> had the class ll-care when <body> appeared. Writes WORK/page-weight.json.

A benchmark, not a test: it prints figures and PASS/FAIL against the issue's budgets.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scale_bench
from benchkit import render_table

REPO = scale_bench.REPO
sys.path.insert(0, str(REPO / "tests"))
from browser import ARGS, CHROMIUM, serve_folder  # noqa: E402  (the suite's Chromium)

KB = 1000
BUDGET = {"html": 50 * KB, "before_images": 50 * KB, "js": 30 * KB}
RESULTS = "page-weight.json"
CLASSES = ["html", "css", "js", "fonts", "images", "other"]
ENTRY_KINDS = ["course", "ebook", "lecture", "series", "star", "project"]
ORDER = ["home", "section", "section by subject", *ENTRY_KINDS, "series members",
         "series index", "subjects listing", "audiences listing", "regions listing",
         "vocabulary index", "people index", "person", "schedule", "schedule year", "search",
         "about", "404"]

# Care mode on before the page's own scripts run, and a record of <html>'s class at the
# moment <body> is inserted. Records arrive in order after the fact, so the class then is
# the old value of the first change to <html>'s class that came after the body, if any.
CARE_SCRIPT = """
try { localStorage.setItem("ll-care", "1"); } catch (e) {}
window.__careAtBody = null;
const seen = [];
new MutationObserver((records, observer) => {
  seen.push(...records);
  if (!document.body || window.__careAtBody !== null) return;
  const at = seen.findIndex(r => r.type === "childList"
    && Array.from(r.addedNodes).some(n => n.nodeName === "BODY"));
  const later = seen.slice(at + 1).find(r => r.type === "attributes"
    && r.target === document.documentElement);
  window.__careAtBody = later ? (later.oldValue || "") : document.documentElement.className;
  observer.disconnect();
}).observe(document, {childList: true, subtree: true, attributes: true,
                      attributeFilter: ["class"], attributeOldValue: true});
"""
INLINE_SCRIPTS = """() => Array.from(document.scripts)
  .filter(s => !s.src && (!s.type || /javascript|module/.test(s.type)))
  .reduce((n, s) => n + new TextEncoder().encode(s.textContent).length, 0)"""


def log(message: str) -> None:
    print(f"[weight {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Builds
# --------------------------------------------------------------------------------------

def build_sites(work: Path, entries: int, *, reuse: bool) -> tuple[Path, Path, dict[str, Any]]:
    """The sample, its Lifelong site and the bare-Material baseline; returns both projects."""
    logs = work / "logs-page-weight"
    logs.mkdir(parents=True, exist_ok=True)
    project = scale_bench.make_sample(work, entries)
    base = work / f"baseline-{entries}"
    made = scale_bench.baseline_project(project, base)
    builds: dict[str, Any] = {"baseline_project": made}
    clean_flag = scale_bench.has_clean_flag()
    for side, folder in (("lifelong", project), ("baseline", base)):
        if reuse and (folder / "site" / "index.html").exists():
            log(f"{side} {entries}: site exists, reused (--reuse)")
            builds[side] = "reused"
            continue
        log(f"{side} {entries}: full build ...")
        log_file = logs / f"{side}-{entries}.log"
        if side == "lifelong":
            figures = scale_bench.lifelong_build(project, log_file, clean=True, sample=False,
                                                 clean_flag=clean_flag, drop_cache=True)
        else:
            shutil.rmtree(base / "site", ignore_errors=True)
            figures = scale_bench.measure([str(scale_bench.BIN / "mkdocs"), "build", "-q", "-f",
                                           str(base / "mkdocs.yml")],
                                          log_file=log_file, cwd=base, sample=False)
        if figures["exit"]:
            sys.exit(f"{side} build failed; log {figures['log']}")
        builds[side] = f"{figures['wall_s']:.0f} s"
    return project, base, builds


# --------------------------------------------------------------------------------------
# Page types, from the files on disk
# --------------------------------------------------------------------------------------

_FIELD = re.compile(r"^(kind|id):\s*['\"]?([^'\"\s]+)", re.M)


def entry_folders(project: Path) -> dict[str, tuple[str, str]]:
    """Each entry's id -> (kind, its folder in content/), from the front matter."""
    found: dict[str, tuple[str, str]] = {}
    for path in (project / "content").rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        fields = dict(_FIELD.findall(head))
        if "kind" in fields and "id" in fields:
            found[fields["id"]] = (fields["kind"], path.parent.relative_to(
                project / "content").as_posix())
    return found


def page_type(parts: tuple[str, ...], entries: dict[str, tuple[str, str]],
              vocabularies: set[str]) -> str:
    """The page type of a built HTML file, by its address (parts of its path in the site)."""
    top, depth = parts[0], len(parts)
    if parts == ("index.html",):
        return "home"
    if parts == ("404.html",):
        return "404"
    if top in entries and depth == 2:
        return entries[top][0]
    if top in ("search", "about"):
        return top
    if top == "schedule":
        return "schedule" if depth == 2 else "schedule year"
    if top == "people":
        return "people index" if depth == 2 else "person"
    if top == "series":
        return "series index" if depth == 2 else "series members"
    if top in vocabularies:
        return "vocabulary index" if depth == 2 else f"{top} listing"
    # Any other folder with pages is a section: its own pages, then one per subject.
    return "section" if depth == 2 or parts[1] == "page" else "section by subject"


def walk_pages(site: Path, project: Path,
               entries: dict[str, tuple[str, str]]) -> dict[str, list[tuple[int, str]]]:
    """Every HTML file of the site by page type: (bytes, address), smallest first."""
    vocabularies = {p.stem for p in (project / "catalogue" / "vocabularies").glob("*.yml")}
    types: dict[str, list[tuple[int, str]]] = {}
    for root, _dirs, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            path = Path(root) / name
            rel = path.relative_to(site)
            kind = page_type(rel.parts, entries, vocabularies)
            address = rel.as_posix().removesuffix("index.html")
            types.setdefault(kind, []).append((path.stat().st_size, address))
    return {kind: sorted(pages) for kind, pages in types.items()}


def counterpart(kind: str, address: str, entries: dict[str, tuple[str, str]],
                base_site: Path) -> str | None:
    """The baseline's page for one of ours, where it has one: the same entry (in its content
    folder), home, about, 404, the series folder's page for the series index, a section's
    folder page when a content folder has its name. Material has no search page (its search
    box is on every page and loads its index with the page): its home stands in."""
    top = address.split("/")[0]
    candidate = {"home": "", "search": "", "about": "about/", "series index": "series/",
                 "404": "no-such-page/"}.get(kind)
    if kind in ENTRY_KINDS and top in entries:
        candidate = f"{entries[top][1]}/{top}/"
    elif kind.startswith("section"):
        candidate = f"{top}/"
    if kind == "404" or candidate is None:
        return candidate
    return candidate if (base_site / candidate / "index.html").is_file() else None


# --------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------

def serve(folder: Path) -> Any:
    """The site on a web host: a missing file gets its 404.html (tests/browser.py)."""
    return serve_folder(folder, not_found_page=True)


def content_class(content_type: str, url: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "text/html":
        return "html"
    if kind == "text/css":
        return "css"
    if "javascript" in kind or url.split("?")[0].endswith((".js", ".mjs")):
        return "js"
    if kind.startswith("font/") or url.split("?")[0].endswith((".woff", ".woff2", ".ttf")):
        return "fonts"
    return "images" if kind.startswith("image/") else "other"


def load(browser: Any, url: str, *, care: bool) -> dict[str, Any]:
    """Open url in a fresh profile (empty cache) until the network is idle: every response
    (workers' included), by class, raw and gzip -6; inline script bytes; in care mode, the
    class of <html> when <body> appeared."""
    context = browser.new_context()
    responses: list[Any] = []
    context.on("response", lambda r: responses.append(r))
    page = context.new_page()
    if care:
        page.add_init_script(CARE_SCRIPT)
    try:
        page.goto(url, wait_until="networkidle", timeout=120_000)
        if care:
            page.wait_for_function("window.__careAtBody !== null", timeout=10_000)
            at_body = page.evaluate("window.__careAtBody")
            return {"class_at_body": at_body, "no_flash": "ll-care" in at_body.split()}
        files = []
        for response in responses:
            if 300 <= response.status < 400:
                continue
            try:
                body = response.body()
            except Exception:   # a body the browser dropped: counts nothing
                body = b""
            files.append({"path": urlsplit(response.url).path, "status": response.status,
                          "class": content_class(response.headers.get("content-type", ""),
                                                 response.url),
                          "bytes": len(body), "gzip": len(gzip.compress(body, 6))})
        return {"files": files, "inline_script_bytes": page.evaluate(INLINE_SCRIPTS)}
    finally:
        context.close()


def totals(files: list[dict[str, Any]]) -> dict[str, int]:
    out = {c: sum(f["bytes"] for f in files if f["class"] == c) for c in CLASSES}
    before = [f for f in files if f["class"] != "images"]
    out["before_images"] = sum(f["bytes"] for f in before)
    out["before_images_gzip"] = sum(f["gzip"] for f in before)
    out["not_shared"] = sum(f["bytes"] for f in before if not f.get("shared"))
    return out


def browse(site: Path, base_site: Path, entries: dict[str, tuple[str, str]],
           types: dict[str, list[tuple[int, str]]]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as pw, serve(site) as ours, serve(base_site) as bare:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for kind in types:
            # The page of median size; the 404 page where a host sends it: a missing address.
            address = "no-such-page/" if kind == "404" else types[kind][len(types[kind]) // 2][1]
            log(f"browser: {kind}: /{address}")
            figures = {"address": address, **load(browser, ours + address, care=False),
                       "care": load(browser, ours + address, care=True)}
            other = counterpart(kind, address, entries, base_site)
            if other is not None:
                figures["baseline"] = {"address": other, **load(browser, bare + other,
                                                                care=False)}
            out[kind] = figures
        browser.close()
    # Files every page of ours loads (Material's and our CSS and JS): cached after the first.
    shared = set.intersection(*({f["path"] for f in v["files"]} for v in out.values()))
    for figures in out.values():
        for f in figures["files"]:
            f["shared"] = f["path"] in shared
        figures["totals"] = totals(figures["files"])
        if "baseline" in figures:
            figures["baseline"]["totals"] = totals(figures["baseline"]["files"])
    return out


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------

def kb(n: float | None) -> str:
    return "-" if n is None else f"{n / KB:.1f} KB"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}x"


def report(results: dict[str, Any]) -> str:
    types, seen = results["types"], results["browser"]
    order = [k for k in ORDER if k in types] + sorted(k for k in types if k not in ORDER)
    rows, details, failures = [], [], []
    for kind in order:
        sizes = [s for s, _a in types[kind]]
        largest = types[kind][-1]
        b = seen[kind]
        t = b["totals"]
        base = b.get("baseline")
        bt = base["totals"] if base else {}
        js = t["js"]
        flash = b["care"]["no_flash"]
        problems = []
        if largest[0] > BUDGET["html"]:
            problems.append(f"HTML +{kb(largest[0] - BUDGET['html'])}")
        # The JS budget counts what loads before search or the reading tools are touched:
        # on the search page search is in use (its engine loads), so it is shown, not judged.
        if js > BUDGET["js"] and kind != "search":
            scripts = ", ".join(f"{f['path']} {kb(f['bytes'])}" for f in b["files"]
                                if f["class"] == "js")
            problems.append(f"JS +{kb(js - BUDGET['js'])} ({scripts})")
        if not flash:
            problems.append("flash")
        if problems:
            failures.append(f"{kind}: " + ", ".join(problems))
        rows.append([kind, f"{len(sizes):,}", kb(statistics.median(sizes)), kb(largest[0]),
                     kb(t["before_images"]), kb(t["before_images_gzip"]), kb(t["not_shared"]),
                     "/".join("yes" if t[k] <= BUDGET["before_images"] else "no"
                              for k in ("before_images", "before_images_gzip")),
                     kb(js), "yes" if flash else "NO",
                     kb(bt.get("html")), ratio(t["html"], bt.get("html")),
                     kb(bt.get("before_images")), ratio(t["before_images"],
                                                        bt.get("before_images")),
                     kb(bt.get("js")), "FAIL" if problems else
                     "PASS*" if kind == "search" else "PASS"])
        for side, figures in (("ours", b), ("bare", base)):
            if figures:
                ft = figures["totals"]
                details.append([kind, side, "/" + figures["address"],
                                *(kb(ft[c]) for c in CLASSES),
                                kb(figures["inline_script_bytes"]), str(len(figures["files"]))])
    everything = max((p for pages in types.values() for p in pages), default=(0, ""))
    out = [
        f"Page types of the {results['entries']:,}-entry sample: HTML on disk (every page), and "
        "one representative page each (median size) loaded in Chromium until the network is "
        "idle, fresh profile. Budgets: HTML document <= 50 KB (largest page of the type); JS "
        "before any interaction <= 30 KB; care mode on before <body> (no flash). 'fits 50': "
        "whether every byte but images fits 50 KB too, raw/gzip (information).",
        render_table(["page type", "pages", "HTML med", "HTML max", "before img",
                      "gzip", "not shared", "fits 50", "JS", "no flash", "bare HTML",
                      "HTML/bare", "bare before img", "ours/bare", "bare JS", "verdict"],
                     rows, "lrrrrrrlrlrrrrrl"),
        f"\nLargest page of all: /{everything[1]} ({kb(everything[0])}). 'not shared': bytes "
        "before images without the files every page type loads (cached after the first page).",
        "\nWhat each representative page loads before any interaction (bytes as sent without "
        "compression; bare = bare MkDocs + Material, same entry or folder)",
        render_table(["page type", "site", "page", *CLASSES, "inline JS", "files"], details,
                     "lll" + "r" * 8)]
    shared = sorted({(f["path"], f["bytes"]) for v in seen.values() for f in v["files"]
                     if f.get("shared")})
    out.append("\nShared by every page type: " + ", ".join(f"{u} {kb(n)}" for u, n in shared))
    if "search" in seen:
        out.append(f"\n* search: its JS ({kb(seen['search']['totals']['js'])}) is search in "
                   "use (the engine the page runs), outside the budget of JS loaded before "
                   "search or the reading tools are touched.")
    out.append("\nOver budget: " + ("; ".join(failures) if failures else "none"))
    return "\n".join(out)


def print_report(results: dict[str, Any]) -> None:
    code, end = results["code"], results.get("code_end") or {}
    load_end = results.get("load_average_end")
    print(f"\nPage weight, {results['date']}: {results['cpus']} CPUs, load average "
          f"{results['load_average_start'][0]:.2f} at start, "
          + (f"{load_end[0]:.2f} at end" if load_end else "run not finished")
          + f"; lifelong at {code['commit']}"
          + (f" + uncommitted changes ({code['fingerprint']})" if code.get("dirty") else "")
          + f"; builds: Lifelong {results['builds']['lifelong']}, bare Material "
          f"{results['builds']['baseline']}")
    if end and end.get("fingerprint") != code.get("fingerprint"):
        print(f"WARNING: the product code changed during the run (at the end: {end['commit']}"
              + (f" + {end['fingerprint']}" if end.get("dirty") else "") + ")")
    print()
    print(report(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=3000, help="sample size (default 3000)")
    parser.add_argument("--work", type=Path, default=None,
                        help="working folder (default: $TMPDIR/lifelong-page-weight)")
    parser.add_argument("--reuse", action="store_true",
                        help="skip a build whose site exists (the sample is always reused)")
    parser.add_argument("--report-only", action="store_true",
                        help="print the report again from WORK/page-weight.json")
    args = parser.parse_args()
    if not (scale_bench.BIN / "lifelong").exists():
        sys.exit("run with the repository's venv: .venv/bin/python bench/page_weight.py")
    work = (args.work or Path(tempfile.gettempdir()) / "lifelong-page-weight").resolve()
    work.mkdir(parents=True, exist_ok=True)
    out = work / RESULTS
    if args.report_only:
        if not out.exists():
            sys.exit(f"{out}: no results yet; run without --report-only first")
        print_report(json.loads(out.read_text(encoding="utf-8")))
        return
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "entries": args.entries,
        "cpus": os.cpu_count(), "load_average_start": os.getloadavg(),
        "code": scale_bench.code_state(), "versions": scale_bench.versions(), "budget": BUDGET}
    project, base, results["builds"] = build_sites(work, args.entries, reuse=args.reuse)
    site, base_site = project / "site", base / "site"
    entries = entry_folders(project)
    types = walk_pages(site, project, entries)
    results["types"] = types
    results["browser"] = browse(site, base_site, entries, types)
    results["load_average_end"] = os.getloadavg()
    results["code_end"] = scale_bench.code_state()
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print_report(results)
    print(f"\nWrote {out}")


if __name__ == "__main__":
    main()
