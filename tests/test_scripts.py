"""Our scripts reach the site minified (lifelong.build.scripts): every one is what rjsmin
makes of its source, smaller, and parses; a rebuild that changed nothing copies none of them
again; a site's own script in ``custom_dir`` is published as it wrote it. What they do once
minified is what the browser tests check (search, codes, 我的学习, QR codes, printing...),
and the bytes a page loads before search is touched are test_search_browser's budget.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from lifelong.build.scripts import minified
from sitekit import THEME, build_site, one_of_each, write_project

NODE = shutil.which("node") or "/usr/bin/node"
OURS = THEME / "assets" / "lifelong"


def test_scripts_are_published_minified_and_parse(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    (overrides / "assets" / "lifelong").mkdir(parents=True)
    own = "/* the site's own, kept as written */\nwindow.siteOwn = 1;\n"
    (overrides / "assets" / "lifelong" / "mine.js").write_text(own, encoding="utf-8")
    config = write_project(tmp_path, one_of_each(), mkdocs={"theme": {
        "name": "material", "custom_dir": str(overrides), "language": "zh", "font": False}})
    site = build_site(config)
    published = site / "assets" / "lifelong"
    scripts = sorted(p.name for p in OURS.glob("*.js"))
    assert {"lifelong.js", "search.js", "qr.js", "when.js"} <= set(scripts)
    for name in scripts:
        text = (published / name).read_text(encoding="utf-8")
        if name == "mine.js":
            assert text == own
            continue
        source = (OURS / name).read_text(encoding="utf-8")
        assert text == minified(source), name
        assert len(text) < 0.75 * len(source), name
        assert "/*" not in text, name  # no comment left
        checked = subprocess.run([NODE, "--check", str(published / name)],
                                 capture_output=True, text=True, timeout=60, check=False)
        assert checked.returncode == 0, f"{name}: {checked.stderr}"

    times = {p.name: p.stat().st_mtime_ns for p in published.glob("*.js")}
    build_site(config, dirty=True)
    assert {p.name: p.stat().st_mtime_ns for p in published.glob("*.js")} == times
