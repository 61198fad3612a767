#!/usr/bin/env python3
"""Search benchmark: our sharded index against Pagefind, on one synthetic catalogue.

Run from the repository root (see bench/README.md):

    .venv/bin/python bench/search_bench.py --entries 90000 [--work DIR]

In one run it
1. writes the sample catalogue (skipped if WORK/catalogue-N exists), builds it twice (http
   site with directory URLs, file:// site without) timing each build, and times the search
   index alone (as a first build writes it: in a fresh process given the compact copy of the
   documents, ``OutputsJob``) for its time and that process's peak RSS;
2. runs Pagefind (PyPI `pagefind[extended]`, the bench extra) on the same http site, twice:
   defaults (every page) and entry pages only; wall time, peak RSS, size on disk;
3. drives headless Chromium (Debian's /usr/bin/chromium) over a local HTTP server and file://
   for the query set in bench/queries.json: bytes of a cold query, keystroke-to-results time
   cold (file://) and warm, JavaScript loaded before search is touched, and Pagefind's JS API
   for the same queries;
4. prints a table of figures, budgets and ratios against Pagefind; writes WORK/search-bench.json.

A benchmark, not a test: it prints figures and exits 0 unless something could not be measured.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchkit import peak_rss, render_table

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin/: lifelong, python
QUERIES = Path(__file__).resolve().parent / "queries.json"
GNU_TIME = "/usr/bin/time"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KB = 1000
MB = 1000 * 1000

BUDGET = {
    "cold_query_bytes": 300 * KB,      # and below Pagefind's
    "warm_ms": 100.0,
    "cold_file_ms": 300.0,
    "index_ratio": 0.25,               # index size <= 1/4 of Pagefind's
    "index_peak_rss": 1024 * 1024 * 1024,  # < 1 GiB (and build time below Pagefind's)
    "js_before_search": 30 * KB,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Running commands with wall time and peak memory
# --------------------------------------------------------------------------------------

def measured(cmd: list[str], *, log_file: Path, cwd: Path | None = None,
             env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run cmd; return wall seconds and peak RSS (bytes) of its largest process.

    GNU time -v when /usr/bin/time exists (its 'Maximum resident set size' is the largest
    ru_maxrss of the process and its waited-for descendants); otherwise a small Python
    wrapper reports resource.getrusage(RUSAGE_CHILDREN).ru_maxrss the same way."""
    with tempfile.NamedTemporaryFile("r", suffix=".rusage", delete=False) as handle:
        usage_path = Path(handle.name)
    if Path(GNU_TIME).exists():
        full = [GNU_TIME, "-v", "-o", str(usage_path), *cmd]
    else:
        wrapper = ("import resource,subprocess,sys\n"
                   "code=subprocess.call(sys.argv[2:])\n"
                   "open(sys.argv[1],'w').write('Maximum resident set size (kbytes): %d\\n'"
                   " % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                   "sys.exit(code)")
        full = [sys.executable, "-c", wrapper, str(usage_path), *cmd]
    began = time.perf_counter()
    with log_file.open("w") as out:
        proc = subprocess.run(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - began
    text = usage_path.read_text()
    usage_path.unlink(missing_ok=True)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if proc.returncode != 0:
        tail = log_file.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode}); log "
                           f"{log_file}:\n{tail}")
    return {"seconds": wall, "peak_rss": int(match.group(1)) * 1024 if match else None,
            "measured_with": "GNU time -v" if Path(GNU_TIME).exists() else "getrusage"}


# --------------------------------------------------------------------------------------
# Step 1: sample, builds, the index alone
# --------------------------------------------------------------------------------------

def git_state() -> str:
    """The commit the product code is at, and whether the work tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "plugins",
                                "site_config"], cwd=REPO, text=True, capture_output=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty else "")


def make_sample(work: Path, entries: int) -> dict[str, Any]:
    project = work / f"catalogue-{entries}"
    if (project / "mkdocs.yml").exists():
        # The project holds a copy of site_config/ and mkdocs.yml (templates, search.js) made
        # when it was written: bring it up to date, or the site mixes old JS with new Python.
        shutil.rmtree(project / "site_config")
        shutil.copytree(REPO / "site_config", project / "site_config")
        shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
        log(f"sample: {project} exists, reused (site_config/ and mkdocs.yml refreshed)")
        return {"project": str(project), "seconds": None, "reused": True}
    log(f"sample: writing {entries} entries to {project}")
    began = time.perf_counter()
    subprocess.run([str(BIN / "lifelong"), "sample", "--entries", str(entries), "--out",
                    str(project)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return {"project": str(project), "seconds": time.perf_counter() - began, "reused": False}


def file_config(project: Path) -> Path:
    """mkdocs.yml with use_directory_urls: false, for the file:// site."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^use_directory_urls:.*\n?", "", text)
    path = project / "mkdocs-file.yml"
    path.write_text(text.rstrip("\n") + "\nuse_directory_urls: false\n", encoding="utf-8")
    return path


def build_site(project: Path, site: Path, logs: Path, *, config: Path | None = None,
               reuse: bool = False) -> dict[str, Any]:
    timing = logs / f"build-{site.name}.json"
    if reuse and (site / "search" / "meta.js").exists():
        if timing.exists():
            log(f"build: {site} exists, reused (--reuse) with the timing of its build")
            return {**json.loads(timing.read_text()), "reused": True}
        log(f"build: {site} exists, reused (--reuse): not timed")
        return {"seconds": None, "peak_rss": None, "reused": True}
    # --clean: a whole build, timed as one (not a rebuild from the project's cache).
    cmd = [str(BIN / "lifelong"), "build", "--project", str(project), "--site-dir", str(site),
           "--clean"]
    if config is not None:
        cmd += ["--config-file", str(config)]
    log(f"build: {site.name} ...")
    result = measured(cmd, log_file=logs / f"build-{site.name}.log", cwd=REPO)
    log(f"build: {site.name} {result['seconds']:.1f} s, peak RSS "
        f"{result['peak_rss'] / MB:.0f} MB")
    timing.write_text(json.dumps(result))
    return {**result, "reused": False}


def load_site(project: Path) -> Any:
    """The project's CatalogueSite, loaded as the plugin loads it (without a cache)."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import mkdocs
    from mkdocs.config import load_config

    from lifelong.build.catalogue_site import CatalogueSite, SiteOptions

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config["plugins"]["lifelong/catalogue"].config
    lang = plugin.language or ("en" if config.theme["language"] == "en" else "zh")
    options = SiteOptions(
        content_dir=Path(config.docs_dir), catalogue_dir=project / plugin.catalogue_dir,
        template_dirs=[Path(d) for d in config.theme.dirs], site_url=config.site_url,
        directory_urls=config.use_directory_urls, lang=lang, page_size=plugin.page_size,
        lunr_js=Path(mkdocs.__file__).parent / "contrib/search/templates/search/lunr.js")
    return CatalogueSite(options)


def index_child(project: Path, out: Path) -> None:
    """In its own process: load the catalogue as the plugin does, then write the index as a
    first build does (``OutputsJob``): in a fresh interpreter given the compact copy of the
    documents (``CatalogueSite.index_documents``) and an empty cache folder, never the
    catalogue. That interpreter's peak RSS is the index's memory; this process's (the
    catalogue loaded) is reported beside it."""
    import pickle

    began = time.perf_counter()
    site = load_site(project)
    loaded = time.perf_counter()
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory(prefix="index-alone-") as tmp:
        outputs = dataclasses.replace(site.outputs(out.parent, site.index_documents()),
                                      cache_dir=Path(tmp) / "cache")
        given = Path(tmp) / "outputs.pickle"
        given.write_bytes(pickle.dumps(outputs, protocol=pickle.HIGHEST_PROTOCOL))
        del outputs
        handed = time.perf_counter()
        writer = subprocess.run([sys.executable, str(Path(__file__).resolve()),
                                 "--index-writer", str(given), str(out)],
                                check=True, capture_output=True, text=True)
    done = time.perf_counter()
    print(json.dumps({"code": git_state(),
                      "load_seconds": loaded - began, "index_seconds": done - handed,
                      "handing_seconds": handed - loaded,
                      "peak_rss_after_load": rss_loaded,
                      "peak_rss_loader": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      * 1024,
                      **json.loads(writer.stdout.strip().splitlines()[-1])}))


def index_writer(given: Path, out: Path) -> None:
    """The fresh interpreter of ``index_child``: what ``lifelong.build.jobs._write_outputs``
    does with the Outputs it is given (pinyin read in a forked worker, then the index)."""
    import pickle

    outputs = pickle.loads(given.read_bytes())
    outputs.read_pinyin_apart()
    figures = outputs.write_search_index(out)
    print(json.dumps({"peak_rss_writer": peak_rss() or resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss * 1024, "figures": figures}))


def index_alone(project: Path, work: Path, logs: Path, entries: int) -> dict[str, Any]:
    out = work / f"index-only-{entries}" / "search"
    log_file = logs / "index-alone.log"
    log("index alone: the catalogue loaded, the index written from its compact copy in a "
        "fresh process (as a build does) ...")
    outer = measured([sys.executable, str(Path(__file__).resolve()), "--index-child",
                      str(project), str(out)], log_file=log_file, cwd=REPO)
    inner = json.loads(log_file.read_text().strip().splitlines()[-1])
    log(f"index alone: {outer['seconds']:.1f} s (load {inner['load_seconds']:.1f} s + index "
        f"{inner['index_seconds']:.1f} s), peak RSS of the index's process "
        f"{inner['peak_rss_writer'] / MB:.0f} MB (with the catalogue loaded "
        f"{inner['peak_rss_loader'] / MB:.0f} MB)")
    return {"seconds": outer["seconds"], "peak_rss": inner["peak_rss_writer"],
            "peak_rss_tree": outer["peak_rss"], **inner, "folder": str(out)}


def same_files(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two folders (missing on either side or other bytes)."""
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differ = sorted(names_a ^ names_b)
    differ += sorted(n for n in names_a & names_b
                     if (a / n).read_bytes() != (b / n).read_bytes())
    return differ


# --------------------------------------------------------------------------------------
# Step 2: Pagefind
# --------------------------------------------------------------------------------------

def pagefind_command() -> list[str]:
    try:
        import pagefind_bin_extended  # noqa: F401
    except ImportError:
        sys.exit("Pagefind's extended binary is missing: .venv/bin/pip install -e '.[bench]'")
    # `python -m pagefind` execs the bundled binary (the extended one when installed).
    return [sys.executable, "-m", "pagefind"]


def entry_folders(site: Path) -> list[str]:
    """Top-level folders of entry pages: an id is letters then digits (c000001, pj000003)."""
    return sorted(p.name for p in site.iterdir()
                  if p.is_dir() and re.fullmatch(r"[a-z]+\d+", p.name)
                  and (p / "index.html").exists())


def run_pagefind(site: Path, subdir: str, logs: Path, extra: list[str]) -> dict[str, Any]:
    out = site / subdir
    if out.exists():
        shutil.rmtree(out)
    (site / "pagefind-bench.html").unlink(missing_ok=True)  # a page of an earlier run
    log_file = logs / f"{subdir}.log"
    log(f"pagefind: {subdir} {' '.join(extra)} ...")
    result = measured([*pagefind_command(), "--site", str(site), "--output-subdir", subdir,
                       *extra], log_file=log_file, cwd=REPO)
    text = log_file.read_text(errors="replace")
    if "Extended" not in text:
        log("pagefind: WARNING: not the extended binary (no Chinese segmentation)")
    pages = re.search(r"Indexed (\d+) pages", text)
    words = re.search(r"Indexed (\d+) words", text)
    log(f"pagefind: {subdir} {result['seconds']:.1f} s, peak RSS "
        f"{result['peak_rss'] / MB:.0f} MB, {pages.group(1) if pages else '?'} pages")
    return {**result, "subdir": subdir, "args": extra, "extended": "Extended" in text,
            "pages": int(pages.group(1)) if pages else None,
            "words": int(words.group(1)) if words else None,
            "size": pagefind_size(out)}


def folder_size(paths: list[Path]) -> tuple[int, int, int]:
    """(files, bytes on disk as written, bytes if each file were gzipped)."""
    files = raw = gz = 0
    for path in paths:
        data = path.read_bytes()
        files += 1
        raw += len(data)
        gz += len(gzip.compress(data, 6))
    return files, raw, gz


def pagefind_size(out: Path) -> dict[str, Any]:
    everything = [p for p in out.rglob("*") if p.is_file()]
    data = [p for p in everything if p.suffix in (".pf_index", ".pf_fragment", ".pf_meta",
                                                   ".pf_filter")]
    runtime = [p for p in everything if p.name in ("pagefind.js", "pagefind-worker.js")
               or p.suffix == ".pagefind"]
    names = ("files", "bytes", "gzip")
    return {"all": dict(zip(names, folder_size(everything), strict=True)),
            "data": dict(zip(names, folder_size(data), strict=True)),
            "data_and_js_api": dict(zip(names, folder_size(data + runtime), strict=True))}


def our_size(search: Path) -> dict[str, Any]:
    """Our search/ folder: data (postings, dictionaries, records, facets, order, meta), then
    with t2s.js and lunr.js. search/index.html is the search page, not the index."""
    everything = [p for p in search.rglob("*") if p.is_file() and p.name != "index.html"]
    data = [p for p in everything if p.name not in ("lunr.js", "t2s.js")]
    with_t2s = [p for p in everything if p.name != "lunr.js"]
    names = ("files", "bytes", "gzip")
    return {"data": dict(zip(names, folder_size(data), strict=True)),
            "data_t2s": dict(zip(names, folder_size(with_t2s), strict=True)),
            "all": dict(zip(names, folder_size(everything), strict=True))}


# --------------------------------------------------------------------------------------
# Step 3: the browser
# --------------------------------------------------------------------------------------

class _Counting:
    """Wraps a handler's wfile to count the bytes it sends (headers and body)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.count = inner, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.inner.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Traffic:
    """Requests the local server answered: (path, bytes sent incl. headers, status)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done: list[tuple[str, int, int]] = []
        self.active = 0
        self.last = time.monotonic()

    def mark(self) -> int:
        with self.lock:
            return len(self.done)

    def since(self, mark: int) -> list[tuple[str, int, int]]:
        with self.lock:
            return list(self.done[mark:])

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if self.active == 0 and time.monotonic() - self.last >= quiet:
                    return
            time.sleep(0.05)


class _Handler(http.server.SimpleHTTPRequestHandler):
    traffic: Traffic

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        traffic = self.traffic
        with traffic.lock:
            traffic.active += 1
        self.wfile.count = 0  # type: ignore[attr-defined]
        self._status = 0
        try:
            super().handle_one_request()
        finally:
            with traffic.lock:
                traffic.active -= 1
                traffic.last = time.monotonic()
                if getattr(self, "requestline", ""):
                    traffic.done.append((self.path, self.wfile.count,  # type: ignore[attr-defined]
                                         self._status))

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[tuple[str, Traffic]]:
    traffic = Traffic()
    handler = type("Handler", (_Handler,), {"traffic": traffic})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", traffic
    finally:
        server.shutdown()
        server.server_close()


# Installed before any page script: the time of each input event on #ll-q, and the time the
# results for the expected query are in #ll-suggest (DOM) and then painted (next frame).
TIMING_SCRIPT = r"""
window.__bench = {expect: null, input: null, dom: null, drawn: null};
document.addEventListener("input", function (event) {
  if (event.target && event.target.id === "ll-q") {
    window.__bench.input = performance.now();
    window.__bench.dom = window.__bench.drawn = null;
  }
}, true);
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("ll-suggest");
  if (!list) return;
  new MutationObserver(function () {
    var b = window.__bench, S = window.LifelongSearch;
    if (b.dom !== null || !S || !S.lastQuery || S.lastQuery.query !== b.expect) return;
    if (list.hidden) return;
    b.dom = performance.now();
    requestAnimationFrame(function () { b.drawn = performance.now(); });
  }).observe(list, {childList: true, attributes: true, subtree: false});
});
"""

RESULTS_READY = """q => window.__bench && __bench.drawn !== null && window.LifelongSearch
  && LifelongSearch.lastQuery && LifelongSearch.lastQuery.query === q"""

PAGEFIND_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind JS API bench</title>
<link rel="icon" href="data:,"></head>
<body><p>Pagefind JS API bench page (written by bench/search_bench.py)</p></body></html>
"""

PAGEFIND_SEARCH = """async ([bundle, q]) => {
  const began = performance.now();
  if (!window.__pf) {
    window.__pf = await import(bundle + "pagefind.js");
    await window.__pf.options({});
  }
  const search = await window.__pf.search(q);
  const data = await Promise.all(search.results.slice(0, 8).map(r => r.data()));
  return {count: search.results.length, ms: performance.now() - began,
          titles: data.map(d => d.meta && d.meta.title)};
}"""


class Browser:
    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                headless=True)
        self.problems: list[str] = []

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    @contextlib.contextmanager
    def page(self, label: str) -> Iterator[Any]:
        context = self.browser.new_context()  # fresh profile: empty cache
        page = context.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(
            f"{label}: console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"{label}: page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(
            f"{label}: request failed: {r.url} {r.failure}"))
        try:
            yield page
        finally:
            context.close()


def type_query(page: Any, query: str, *, replace: bool) -> dict[str, Any]:
    """Type a query into #ll-q (one input event, as an IME commit or a paste does) and wait
    for its results; returns keystroke-to-results times and what was shown."""
    page.evaluate("q => { __bench.expect = q; }", query)
    if replace:
        page.keyboard.press("Control+A")
    else:
        page.focus("#ll-q")
    page.keyboard.insert_text(query)
    page.wait_for_function(RESULTS_READY, arg=query, timeout=120_000)
    shown = page.evaluate("""() => ({input: __bench.input, dom: __bench.dom, drawn: __bench.drawn,
        count: LifelongSearch.lastQuery.count,
        options: document.querySelectorAll('#ll-suggest div[role=option]').length,
        hidden: document.getElementById('ll-suggest').hidden,
        first: (document.querySelector('#ll-suggest .ll-result__title') || {}).textContent
               || ''})""")
    return {"ms": shown["drawn"] - shown["input"], "dom_ms": shown["dom"] - shown["input"],
            "count": shown["count"], "options": shown["options"], "hidden": shown["hidden"],
            "first": shown["first"]}


def summarise(requests: list[tuple[str, int, int]], site: Path) -> dict[str, Any]:
    total = sum(n for _p, n, _s in requests)
    body_gzip = 0
    for path, _n, _s in requests:
        file = site / path.split("?")[0].lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if file.is_file():
            body_gzip += len(gzip.compress(file.read_bytes(), 6))
    return {"bytes": total, "gzip_bodies": body_gzip, "requests": len(requests),
            "errors": [f"{p} HTTP {s}" for p, _n, s in requests if s >= 400],
            "paths": [[p, n] for p, n, _s in requests]}


def script_data(path: Path) -> Any:
    """What a search data file passes to LifelongSearch.add."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def entry_page(site: Path) -> str:
    """The entry page the browser opens: the newest entry (documents are numbered oldest
    first: the last record of the last search/r/ file)."""
    meta = script_data(site / "search" / "meta.js")
    last = (meta["documents"] - 1) // meta["records"]
    return script_data(site / "search" / "r" / f"{last}.js")[-1][0]


def browser_figures(site: Path, file_site: Path, queries: list[dict[str, str]],
                    pagefind_dirs: list[str]) -> dict[str, Any]:
    entry = entry_page(site)
    # The file:// site's entry page; with --file-site http, the http site's own page.
    entry_file = entry + "index.html" if file_site == site else entry_page(file_site)
    log(f"browser: entry page {entry} (http) and {entry_file} (file://)")
    (site / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    browser = Browser()
    out: dict[str, Any] = {"entry_page": entry, "entry_page_file": entry_file, "queries": [],
                           "pagefind": {d: [] for d in pagefind_dirs}}
    try:
        with serve(site) as (base, traffic):
            # Warm-up: the first page of a new browser pays for process start-up.
            with browser.page("warm-up") as page:
                page.add_init_script(TIMING_SCRIPT)
                page.goto(base + entry, wait_until="load")
                type_query(page, queries[0]["q"], replace=False)
            traffic.wait_quiet()

            # (c) JavaScript before the reader touches search.
            with browser.page("js-before-search") as page:
                mark = traffic.mark()
                page.goto(base + entry, wait_until="load")
                traffic.wait_quiet(quiet=1.0)
                loaded = traffic.since(mark)
                inline = page.evaluate("""() => Array.from(document.scripts)
                    .filter(s => !s.src && (!s.type || /javascript|module/.test(s.type)))
                    .reduce((n, s) => n + new TextEncoder().encode(s.textContent).length, 0)""")
            scripts = [(p, n, s) for p, n, s in loaded if p.split("?")[0].endswith(".js")]
            out["page_load"] = {"scripts": summarise(scripts, site),
                                "all": summarise(loaded, site), "inline_script_bytes": inline}

            # (a) cold query bytes over http, with the warm query on the same page (info).
            for item in queries:
                label = f"http {item['q']}"
                with browser.page(label) as page:
                    page.add_init_script(TIMING_SCRIPT)
                    page.goto(base + entry, wait_until="load")
                    traffic.wait_quiet()
                    mark = traffic.mark()
                    cold = type_query(page, item["q"], replace=False)
                    traffic.wait_quiet()
                    cold_traffic = summarise(traffic.since(mark), site)
                    mark = traffic.mark()
                    warm = type_query(page, item["then"], replace=True)
                    traffic.wait_quiet()
                    warm_traffic = summarise(traffic.since(mark), site)
                out["queries"].append({**item, "http_cold": {**cold, **cold_traffic},
                                       "http_warm": {**warm, **warm_traffic}})
                log(f"browser: http  {item['q']!r:14} {count_text(cold['count']):>6} results, "
                    f"{cold_traffic['bytes'] / KB:7.1f} KB cold in {cold['ms']:6.0f} ms; "
                    f"then {item['then']!r}: {warm['ms']:5.0f} ms, "
                    f"{warm_traffic['bytes'] / KB:.1f} KB")

            # Pagefind's JS API, same queries, cold (fresh page) then the related query.
            for subdir in pagefind_dirs:
                for item in queries:
                    label = f"pagefind {subdir} {item['q']}"
                    with browser.page(label) as page:
                        page.goto(base + "pagefind-bench.html", wait_until="load")
                        traffic.wait_quiet()
                        mark = traffic.mark()
                        cold = page.evaluate(PAGEFIND_SEARCH, [f"/{subdir}/", item["q"]])
                        traffic.wait_quiet()
                        cold_traffic = summarise(traffic.since(mark), site)
                        mark = traffic.mark()
                        warm = page.evaluate(PAGEFIND_SEARCH, [f"/{subdir}/", item["then"]])
                        traffic.wait_quiet()
                        warm_traffic = summarise(traffic.since(mark), site)
                    out["pagefind"][subdir].append({**item, "cold": {**cold, **cold_traffic},
                                                    "warm": {**warm, **warm_traffic}})
                    log(f"browser: {subdir} {item['q']!r:14} {cold['count']:6} results, "
                        f"{cold_traffic['bytes'] / KB:7.1f} KB cold in {cold['ms']:6.0f} ms; "
                        f"then {warm['ms']:5.0f} ms")

        # (b) keystroke-to-results from file://: cold (fresh page), then warm (related query).
        for item, record in zip(queries, out["queries"], strict=True):
            with browser.page(f"file {item['q']}") as page:
                page.add_init_script(TIMING_SCRIPT)
                page.goto((file_site / entry_file).as_uri(), wait_until="load")
                cold = type_query(page, item["q"], replace=False)
                warm = type_query(page, item["then"], replace=True)
            record["file_cold"], record["file_warm"] = cold, warm
            log(f"browser: file  {item['q']!r:14} cold {cold['ms']:6.0f} ms, then "
                f"{item['then']!r} warm {warm['ms']:5.0f} ms ({count_text(warm['count'])} results)")
    finally:
        browser.close()
    out["problems"] = browser.problems
    return out


# --------------------------------------------------------------------------------------
# Step 4: the table
# --------------------------------------------------------------------------------------

def count_text(count: int | None) -> str:
    """How many results the header box said; None: it found its first ones from the
    postings' heads without counting them all (it then says 查看全部结果)."""
    return "uncounted" if count is None else str(count)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "-"
    if n >= 10 * MB:
        return f"{n / MB:.0f} MB"
    if n >= MB:
        return f"{n / MB:.2f} MB"
    return f"{n / KB:.1f} KB"


def fmt_s(n: float | None) -> str:
    return "-" if n is None else f"{n:.1f} s"


def fmt_ms(n: float | None) -> str:
    return "-" if n is None else f"{n:.0f} ms"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or not b:
        return "-"
    return f"{a / b:.2f}x"


def print_comparison(results: dict[str, Any], other: dict[str, Any]) -> None:
    """The cold query's bytes against another run's (issue 23: at 450,000 entries within
    10 % of the figure at 90,000), median and query by query."""
    def cold(run: dict[str, Any]) -> dict[str, float]:
        return {q["q"]: q["http_cold"]["bytes"] for q in run["browser"]["queries"]}

    ours, theirs = cold(results), cold(other)
    rows = [[q, f"{theirs[q] / KB:.1f}", f"{ours[q] / KB:.1f}", ratio(ours[q], theirs[q])]
            for q in ours if q in theirs]
    mine, base = median(list(ours.values())), median(list(theirs.values()))
    within = mine <= 1.1 * base and mine <= BUDGET["cold_query_bytes"]
    rows.append(["median", f"{base / KB:.1f}", f"{mine / KB:.1f}",
                 f"{ratio(mine, base)} ({'PASS' if within else 'FAIL'}: <= 300 KB and "
                 "within 1.1x)"])
    print(f"\nCold query bytes, {results['entries']} entries against {other['entries']} "
          f"(code {other.get('code', '?')}):")
    print(render_table(["query", f"KB at {other['entries']}", f"KB at {results['entries']}",
                        "ratio"], rows, "lrrl"))


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "FAIL")


def report(results: dict[str, Any]) -> tuple[str, list[dict]]:
    pf_main = "pagefind" if "pagefind" in results["pagefind"] else None  # None: --no-pagefind
    pf_alt = "pagefind-entries" if "pagefind-entries" in results["pagefind"] else None
    b = results["browser"]
    qs = b["queries"]
    pf = b["pagefind"]
    ours_cold = median([q["http_cold"]["bytes"] for q in qs])
    ours_cold_gz = median([q["http_cold"]["gzip_bodies"] for q in qs])
    ours_warm_bytes = median([q["http_warm"]["bytes"] for q in qs])

    def pf_med(subdir: str | None, key: str, part: str = "cold") -> float | None:
        if subdir is None:
            return None
        return median([q[part][key] for q in pf[subdir]])

    cold_file = median([q["file_cold"]["ms"] for q in qs])
    warm_file = median([q["file_warm"]["ms"] for q in qs])
    cold_http = median([q["http_cold"]["ms"] for q in qs])
    warm_http = median([q["http_warm"]["ms"] for q in qs])
    js = b["page_load"]["scripts"]["bytes"]
    size = results["ours"]["size"]
    pfs = results["pagefind"]
    idx = results["index_alone"]

    def pf_get(subdir: str | None, *path: str) -> Any:
        if subdir is None:
            return None
        value: Any = pfs[subdir]
        for key in path:
            value = value[key]
        return value

    rows: list[dict[str, Any]] = []

    def row(name: str, ours: Any, main: Any, alt: Any, show: Any, budget: str,
            ok: bool | None) -> None:
        rows.append({"figure": name, "ours": ours, "pagefind": main, "pagefind_entries": alt,
                     "ours_text": show(ours), "pagefind_text": show(main),
                     "pagefind_entries_text": show(alt), "ratio": ratio(ours, main),
                     "ratio_entries": ratio(ours, alt), "budget": budget, "verdict": verdict(ok)})

    pf_cold = pf_med(pf_main, "bytes")
    row("Cold query, bytes transferred (median)", ours_cold, pf_cold, pf_med(pf_alt, "bytes"),
        fmt_bytes, "<= 300 KB and < Pagefind",
        ours_cold <= BUDGET["cold_query_bytes"] and (pf_cold is None or ours_cold < pf_cold))
    row("  same, bodies gzipped (estimate)", ours_cold_gz, pf_med(pf_main, "gzip_bodies"),
        pf_med(pf_alt, "gzip_bodies"), fmt_bytes, "info", None)
    row("  requests of a cold query (median)", median([q["http_cold"]["requests"] for q in qs]),
        pf_med(pf_main, "requests"), pf_med(pf_alt, "requests"),
        lambda n: "-" if n is None else f"{n:.0f}", "info", None)
    row("Warm query, bytes transferred (median)", ours_warm_bytes,
        pf_med(pf_main, "bytes", "warm"), pf_med(pf_alt, "bytes", "warm"), fmt_bytes, "info",
        None)
    row("Cold keystroke->results, file:// (median)", cold_file, None, None, fmt_ms,
        "<= 300 ms", cold_file <= BUDGET["cold_file_ms"])
    row("Warm keystroke->results, file:// (median)", warm_file, None, None, fmt_ms,
        "<= 100 ms", warm_file <= BUDGET["warm_ms"])
    row("Cold keystroke->results, http (median)", cold_http, pf_med(pf_main, "ms"),
        pf_med(pf_alt, "ms"), fmt_ms, "info", None)
    row("Warm keystroke->results, http (median)", warm_http, pf_med(pf_main, "ms", "warm"),
        pf_med(pf_alt, "ms", "warm"), fmt_ms, "info (also <= 100 ms)", None)
    row("JavaScript before search is touched", js, None, None, fmt_bytes, "<= 30 KB",
        js <= BUDGET["js_before_search"])
    row("  inline script in the entry page", b["page_load"]["inline_script_bytes"], None, None,
        fmt_bytes, "info", None)
    pf_data = pf_get(pf_main, "size", "data", "bytes")
    row("Index on disk, data only", size["data"]["bytes"], pf_data,
        pf_get(pf_alt, "size", "data", "bytes"), fmt_bytes, "<= 1/4 of Pagefind",
        None if pf_data is None else size["data"]["bytes"] <= BUDGET["index_ratio"] * pf_data)
    row("  data + t2s.js", size["data_t2s"]["bytes"], None, None, fmt_bytes, "info", None)
    row("  data + t2s.js + lunr.js | Pagefind data + JS API",
        size["all"]["bytes"], pf_get(pf_main, "size", "data_and_js_api", "bytes"),
        pf_get(pf_alt, "size", "data_and_js_api", "bytes"), fmt_bytes, "info", None)
    row("  whole search/ (- search page) | pagefind/", size["all"]["bytes"],
        pf_get(pf_main, "size", "all", "bytes"), pf_get(pf_alt, "size", "all", "bytes"),
        fmt_bytes, "info", None)
    row("  data only, each file gzipped", size["data"]["gzip"],
        pf_get(pf_main, "size", "data", "gzip"), pf_get(pf_alt, "size", "data", "gzip"),
        fmt_bytes, "info", None)
    row("  files (data only)", size["data"]["files"], pf_get(pf_main, "size", "data", "files"),
        pf_get(pf_alt, "size", "data", "files"), lambda n: "-" if n is None else f"{n}",
        "info", None)
    pf_secs = pf_get(pf_main, "seconds")
    row("Index build time (index alone, incl. load)", idx["seconds"], pf_secs,
        pf_get(pf_alt, "seconds"), fmt_s, "< Pagefind",
        None if pf_secs is None else idx["seconds"] < pf_secs)
    row("  of which loading the catalogue", idx["load_seconds"], None, None, fmt_s, "info",
        None)
    row("  of which writing the index", idx["index_seconds"], None, None, fmt_s, "info", None)
    row("Index build peak RSS (its own process, as in a build)", idx["peak_rss"],
        pf_get(pf_main, "peak_rss"), pf_get(pf_alt, "peak_rss"), fmt_bytes, "< 1 GiB",
        idx["peak_rss"] < BUDGET["index_peak_rss"])
    row("  peak RSS of the process that loads the catalogue", idx.get("peak_rss_loader"),
        None, None, fmt_bytes, "info", None)
    build = results["build"]
    row("Site build, wall (http site, index in a forked process)", build["http"]["seconds"],
        None, None, fmt_s, "info", None)
    row("  peak RSS of the site build", build["http"]["peak_rss"], None, None, fmt_bytes,
        "info", None)
    file_label = ("Site build, wall (file:// site)" if results.get("file_site", "build") == "build"
                  else "Site build (file:// site): none, http site opened from file://")
    row(file_label, build["file"]["seconds"], None, None, fmt_s, "info", None)

    headers = ["figure", "ours", f"Pagefind ({pf_main or 'not run'})", "ratio"]
    if pf_alt:
        headers += [f"Pagefind ({pf_alt})", "ratio"]
    headers += ["budget", "verdict"]
    table = []
    for r in rows:
        line = [r["figure"], r["ours_text"], r["pagefind_text"], r["ratio"]]
        if pf_alt:
            line += [r["pagefind_entries_text"], r["ratio_entries"]]
        line += [r["budget"], r["verdict"]]
        table.append(line)
    text = render_table(headers, table, "l" + "r" * (len(headers) - 3) + "ll")

    per_query_headers = ["query", "kind", "ours hits", "cold KB", "cold file ms", "then",
                         "warm file ms", "warm http ms", f"PF hits ({pf_main or 'not run'})",
                         "PF cold KB"]
    if pf_alt:
        per_query_headers += [f"PF hits ({pf_alt})", "PF cold KB"]
    per_query = []
    for i, q in enumerate(qs):
        line = [q["q"], q["kind"], count_text(q["http_cold"]["count"]),
                f"{q['http_cold']['bytes'] / KB:.1f}", f"{q['file_cold']['ms']:.0f}", q["then"],
                f"{q['file_warm']['ms']:.0f}", f"{q['http_warm']['ms']:.0f}"]
        line += ([str(pf[pf_main][i]["cold"]["count"]),
                  f"{pf[pf_main][i]['cold']['bytes'] / KB:.1f}"] if pf_main else ["-", "-"])
        if pf_alt:
            line += [str(pf[pf_alt][i]["cold"]["count"]),
                     f"{pf[pf_alt][i]['cold']['bytes'] / KB:.1f}"]
        per_query.append(line)
    text += "\n\nPer query (hits: results found; KB: bytes of the cold query):\n" + render_table(
        per_query_headers, per_query, "llrrrlrr" + "r" * (len(per_query_headers) - 8))
    return text, rows


# --------------------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--index-child":
        index_child(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--index-writer":
        index_writer(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=90000,
                        help="catalogue size (default 90000; 2000 for a quick check)")
    parser.add_argument("--work", type=Path, default=None,
                        help="working folder for catalogues, sites and results "
                             "(default: $TMPDIR/lifelong-search-bench)")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="query set (JSON)")
    parser.add_argument("--no-pagefind-entries", action="store_true",
                        help="skip the second Pagefind run (entry pages only)")
    parser.add_argument("--no-pagefind", action="store_true",
                        help="skip Pagefind altogether (at 450,000 entries it would need about "
                             "60 GB): our figures and budgets only")
    parser.add_argument("--compare", type=Path, default=None,
                        help="another run's search-bench.json (say at 90,000 entries): print "
                             "the cold query's bytes against it")
    parser.add_argument("--file-site", choices=("build", "http"), default="build",
                        help="build: a second site with use_directory_urls: false for the "
                             "file:// figures (default); http: open the http site's pages "
                             "from file:// instead (same search files but for the addresses "
                             "in r/*.js; saves a whole build)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse already built sites (builds are then not timed)")
    parser.add_argument("--report-only", action="store_true",
                        help="print the table again from WORK/search-bench.json, measure nothing")
    args = parser.parse_args()
    if not (REPO / "pyproject.toml").exists() or not (BIN / "lifelong").exists():
        sys.exit("run from the repository's venv: .venv/bin/python bench/search_bench.py")
    work = (args.work or Path(tempfile.gettempdir()) / "lifelong-search-bench").resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        results = json.loads((work / "search-bench.json").read_text(encoding="utf-8"))
        print_report(results)
        if args.compare:
            print_comparison(results, json.loads(args.compare.read_text(encoding="utf-8")))
        return
    logs = work / f"logs-{args.entries}"
    logs.mkdir(exist_ok=True)
    queries = json.loads(args.queries.read_text(encoding="utf-8"))["queries"]
    began = time.perf_counter()
    results: dict[str, Any] = {"entries": args.entries, "work": str(work),
                               "machine": {"cpus": os.cpu_count(),
                                           "python": sys.version.split()[0]},
                               "budget": BUDGET, "load_average_start": os.getloadavg(),
                               "code": git_state()}

    # 1. sample, builds, index alone
    results["sample"] = make_sample(work, args.entries)
    project = Path(results["sample"]["project"])
    site = work / f"site-{args.entries}"
    file_site = work / f"site-{args.entries}-file" if args.file_site == "build" else site
    results["build"] = {
        "http": build_site(project, site, logs, reuse=args.reuse),
        "file": build_site(project, file_site, logs, config=file_config(project),
                           reuse=args.reuse) if file_site != site else
        {"seconds": None, "peak_rss": None, "reused": True, "note": "--file-site http"}}
    results["file_site"] = args.file_site
    results["index_alone"] = idx = index_alone(project, work, logs, args.entries)
    differ = same_files(Path(idx["folder"]), site / "search")
    differ = [d for d in differ if d != "index.html"]
    results["index_alone"]["differs_from_build"] = differ[:50]
    results["index_alone"]["differs_count"] = len(differ)
    if differ:
        log(f"WARNING: the index written alone differs from the build's in {len(differ)} "
            f"files, e.g. {differ[:5]}")
    results["ours"] = {"size": our_size(site / "search"), "figures": idx["figures"]}

    # 2. Pagefind
    results["pagefind"] = {}
    if not args.no_pagefind:
        results["pagefind"]["pagefind"] = run_pagefind(site, "pagefind", logs, [])
    pf_alt = None
    if not (args.no_pagefind or args.no_pagefind_entries):
        prefixes = sorted({re.match(r"[a-z]+", n).group() for n in entry_folders(site)})
        glob = "{" + ",".join(prefixes) + "}[0-9]*/index.html"
        pf_alt = "pagefind-entries"
        results["pagefind"][pf_alt] = run_pagefind(
            site, pf_alt, logs, ["--glob", glob, "--root-selector", "article.ll-entry"])

    # 3. the browser
    results["browser"] = browser_figures(site, file_site, queries,
                                         list(results["pagefind"]))

    # 4. the table
    results["seconds"] = time.perf_counter() - began
    results["load_average_end"] = os.getloadavg()
    results["table"] = report(results)[1]
    out = work / "search-bench.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print_report(results)
    if args.compare:
        print_comparison(results, json.loads(args.compare.read_text(encoding="utf-8")))
    print(f"\nWrote {out} ({results['seconds'] / 60:.1f} min in all)")


def print_report(results: dict[str, Any]) -> None:
    pagefind = results["pagefind"]
    pf_alt = "pagefind-entries" if "pagefind-entries" in pagefind else None
    text, _rows = report(results)
    print(f"\nSearch benchmark, {results['entries']} entries ({results['machine']['cpus']} CPUs, "
          f"load average {results['load_average_start'][0]:.1f} at start, "
          f"{results['load_average_end'][0]:.1f} at end; code {results.get('code', '?')}); "
          + ("Pagefind not run (--no-pagefind)" if "pagefind" not in pagefind else
             "Pagefind "
             f"{'extended ' if pagefind['pagefind'].get('extended') else ''}indexed "
             f"{pagefind['pagefind'].get('pages')} pages (whole site, defaults)")
          + (f", {pagefind[pf_alt].get('pages')} (entry pages, root article.ll-entry)"
             if pf_alt else "") + "\n")
    print(text)
    browser = results["browser"]
    problems = list(browser["problems"])
    problems += [e for q in browser["queries"] for part in ("http_cold", "http_warm")
                 for e in q[part]["errors"]]
    index = results["index_alone"]
    differ = index.get("differs_from_build") or []
    if differ:
        problems.append(f"the index written alone (code {index.get('code', '?')}) differs from "
                        f"the build's search/ in {index.get('differs_count', len(differ))} "
                        f"files, e.g. {differ[:5]}")
    if problems:
        print("\nProblems seen:")
        for problem in problems[:40]:
            print(f"  - {problem}")


if __name__ == "__main__":
    main()
