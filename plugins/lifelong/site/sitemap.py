"""The sitemap: the theme lists the pages it drew; the catalogue's pages are added to it.

Search engines read at most 50,000 addresses from one sitemap file, so a bigger site gets a
sitemap index (``sitemap.xml``) pointing at numbered parts (``sitemap-1.xml``...).
"""

from __future__ import annotations

import gzip
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, unescape

LIMIT = 50_000
_URL_RE = re.compile(r"<url>.*?</url>", re.S)
_LOC_RE = re.compile(r"<loc>(.*?)</loc>", re.S)
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _urlset(blocks: Iterable[str]) -> bytes:
    body = "".join(f"\n    {block}" for block in blocks)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">{body}\n'
            f"</urlset>").encode()


def extend_sitemap(site_dir: Path, site_url: str, urls: Sequence[str], lastmods: Sequence[str],
                   theme_lastmods: Mapping[str, str], lastmod: str, *, limit: int = LIMIT
                   ) -> None:
    """Add ``urls`` (site-relative, already quoted), dated by ``lastmods`` (YYYY-MM-DD
    each, or '' for none), to the theme's ``sitemap.xml``. The theme's own pages are dated
    by ``theme_lastmods`` (by site-relative address), the rest by ``lastmod``: not by the
    day of the build. Past ``limit`` addresses, numbered parts and an index."""
    base = site_dir / "sitemap.xml"
    theme = _URL_RE.findall(base.read_text(encoding="utf-8")) if base.is_file() else []
    root = site_url.rstrip("/") + "/"

    def block(url: str, date: str) -> str:
        stamp = f"\n         <lastmod>{escape(date)}</lastmod>" if date else ""
        return f"<url>\n         <loc>{escape(root + url)}</loc>{stamp}\n    </url>"

    def redated(theirs: str) -> str:
        found = _LOC_RE.search(theirs)
        url = unescape(found.group(1)) if found else ""
        if not url.startswith(root):
            return re.sub(r"\s*\n\s*", "\n         ", theirs).replace(
                "\n         </url>", "\n    </url>")
        url = url[len(root):]
        return block(url, theme_lastmods.get(url, lastmod))
    blocks = itertools.chain(map(redated, theme), map(block, urls, lastmods))
    count = len(theme) + len(urls)
    for old in site_dir.glob("sitemap-*.xml*"):
        old.unlink()
    if count <= limit:
        data = _urlset(blocks)
    else:
        # Part by part: the blocks of 120,000 pages are never all in memory at once.
        parts = []
        for number in range(1, (count + limit - 1) // limit + 1):
            name = f"sitemap-{number}.xml"
            (site_dir / name).write_bytes(_urlset(itertools.islice(blocks, limit)))
            parts.append(f"<sitemap><loc>{escape(root + name)}</loc></sitemap>")
        data = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n'
                + "\n".join(parts) + "\n</sitemapindex>").encode()
    base.write_bytes(data)
    (site_dir / "sitemap.xml.gz").write_bytes(_gzip(data))
