"""The site's real search engine, run by node (tests/searchkit.js) against a built site,
and a helper that builds the repository's sample site once per test run."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sitekit import REPO, build_site

HARNESS = Path(__file__).with_name("searchkit.js")
NODE = shutil.which("node") or "/usr/bin/node"


@dataclass(frozen=True)
class Hit:
    """One query's answer: the first ten entry ids, best first, and how many matched."""

    q: str
    prefix: bool
    top: list[str]
    count: int


class SearchKit:
    """search.js in node over ``site``'s search/ folder; one node process per call, so
    batch the strings and queries."""

    def __init__(self, site: Path) -> None:
        self.site = Path(site)

    def run(self, command: Mapping[str, Any]) -> dict[str, Any]:
        result = subprocess.run(
            [NODE, str(HARNESS), str(self.site)], input=json.dumps(command),
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"searchkit.js failed ({result.returncode}):\n{result.stderr}")
        answer: dict[str, Any] = json.loads(result.stdout)
        return answer

    def terms(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        """For each text: {"index": indexTerms, "query": queryParts as [kind, text] pairs,
        "exact": exactKey}."""
        answer: list[dict[str, Any]] = self.run({"terms": list(texts)})["terms"]
        return answer

    def syllables(self, words: Sequence[str]) -> list[list[str] | None]:
        answer: list[list[str] | None] = self.run({"syllables": list(words)})["syllables"]
        return answer

    def facets(self) -> list[dict[str, Any]]:
        """Per document, oldest first: its entry id ("id") and the values the search page
        reads for it from each facet column (numbers: places in meta.js's labels)."""
        answer: list[dict[str, Any]] = self.run({"facets": True})["facets"]
        return answer

    def heads(self, queries: Sequence[str], *, prefix: bool, limit: int) -> list[dict[str, Any]]:
        """The header box's first ``limit`` results of each query from the heads of long
        postings: {"q", "top", "count" (None: not known), "whole": the files of whole
        postings it loaded (none when the heads were enough)}."""
        answer: list[dict[str, Any]] = self.run(
            {"heads": list(queries), "prefix": prefix, "limit": limit})["heads"]
        return answer

    def search(self, queries: Iterable[str | tuple[str, bool]], *, prefix: bool = False,
               featured: bool = True) -> list[Hit]:
        """Queries (or (query, prefix) pairs), answered in order. ``featured=False``: as if
        no entry were featured (ties then go to the newest entry)."""
        items = [{"q": q, "prefix": prefix} if isinstance(q, str) else {"q": q[0], "prefix": q[1]}
                 for q in queries]
        command: dict[str, Any] = {"search": items}
        if not featured:
            command["featured"] = False
        return [Hit(**hit) for hit in self.run(command)["search"]]


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder this test run shares between its xdist workers (their base temp folders are
    siblings); without xdist, the run's own base folder."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_site(tmp_path_factory: pytest.TempPathFactory, name: str,
                project: Callable[[Path], Path]) -> Path:
    """A site built once per test run and shared by every module and xdist worker that asks
    for ``name``: ``project(folder)`` returns the mkdocs.yml to build (writing a project in
    the empty ``folder`` if it needs one). Call it from a module-scoped fixture."""
    shared = _shared_folder(tmp_path_factory)
    site = shared / f"{name}-site"
    done = shared / f"{name}-site.done"
    with (shared / f"{name}-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                shutil.rmtree(site, ignore_errors=True)
                folder = shared / f"{name}-project"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                build_site(project(folder), site_dir=str(site))
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return site


def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site (content/, catalogue/, mkdocs.yml), built by MkDocs the
    first time a module asks in this test run, then reused by every module and worker."""
    return shared_site(tmp_path_factory, "lifelong-sample", lambda _folder: REPO / "mkdocs.yml")
