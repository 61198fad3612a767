"""``lifelong serve``'s first look at a save: the pages of the entries just saved, drawn at
once with what the last build knew, before the rebuild that makes the rest of the site agree.

At 90,000 entries a rebuild takes seconds (it loads the catalogue again and works out what
every page shows); an editor who saves an entry wants to see that entry's page now. After a
build in ``lifelong serve`` (``cache.keep_in_memory``), ``keep`` holds what it drew with
(the catalogue site, the drawer and the theme's chrome); on the next save the server calls
``first_look`` with the files saved, before the rebuild. Each saved file that was an entry of
that build and still reads without a problem, with the same id, kind and publication state,
gets its page drawn with what the file holds now and written into the site folder; the server
shows it, then rebuilds. What the page shows of other entries (a series' list, cards of
related entries) is the last build's until the rebuild redraws it, which it always does: the
page record stops vouching for the page (``PageRecord.begin``), so even a save undone before
the rebuild gets the page drawn again. Anything else (a new or deleted file, a problem, a
rule, a template or a setting saved, more than ``MOST`` entries saved at once) is left to
the rebuild, which is then the first look. Entries saved again as they were (an editor's
second Ctrl-S) need no rebuild at all: the server then skips it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lifelong.build.cache import PageRecord, atomic_file
from lifelong.build.catalogue_site import CatalogueSite
from lifelong.catalogue.reading import EntryReader
from lifelong.site.draw import PageDrawer, PageToDraw

log = logging.getLogger("mkdocs.plugins.lifelong")

#: At most this many saved entries get a first look: a checkout or an import that changes
#: hundreds would hold the rebuild up while their pages are drawn one by one.
MOST = 20


class Preview:
    """What a build drew with, to draw saved entries' pages before the next one."""

    def __init__(self, site: CatalogueSite, drawer: PageDrawer, site_dir: Path,
                 record: PageRecord) -> None:
        self.site, self.drawer, self.site_dir, self.record = site, drawer, site_dir, record

    def draw(self, saved: Iterable[str]) -> FirstLook:
        """Draw the pages of the entries among ``saved`` (paths of files saved), as
        ``first_look`` says."""
        site = self.site
        options = site.options
        content = options.content_dir.resolve()
        paths = sorted({Path(path).resolve() for path in saved})
        if not paths or any(not path.is_relative_to(content) for path in paths):
            return FirstLook()  # a rule, a template or a setting: every page may change
        rels = [(path, path.relative_to(content)) for path in paths]
        # Not new files, drafts, hand-written pages or an editor's temporary files.
        known = [(rel.as_posix(), old) for _path, rel in rels
                 if (old := site.entries_by_path.get(rel.as_posix())) is not None]
        if len(known) > MOST:
            return FirstLook()
        # Other files saved, but an editor's temporary file gone already (hidden files are
        # never published).
        others = [path for path, rel in rels if rel.as_posix() not in site.entries_by_path
                  and (path.exists() or not any(part.startswith(".") for part in rel.parts))]
        reader = EntryReader(site.catalogue.rules, options.content_dir,
                             (options.markdown_extensions, options.markdown_configs))
        scheme = site.scheme
        pages: list[PageToDraw] = []
        same = 0
        for rel_path, old in known:
            read = reader.read(options.content_dir, rel_path)
            entry = read.entry
            if entry is None or read.problems:
                continue
            if entry.digest == old.digest:
                same += 1
            elif (entry.id, entry.kind, entry.draft) == (old.id, old.kind, old.draft):
                pages.append(PageToDraw(scheme.entry_dest(entry.id),
                                        scheme.entry_url(entry.id), entry=entry))
        if not pages:
            return FirstLook(unchanged=bool(same) and same == len(known) and not others)
        # Until the rebuild saves the record again, it does not vouch for these pages.
        PageRecord(self.record.path, self.record.key).begin(page.dest for page in pages)
        converter = self.drawer.converter()
        for page in pages:
            html = self.drawer.draw(page, converter).encode("utf-8")
            with atomic_file(self.site_dir / page.dest) as handle:
                handle.write(html)
        return FirstLook([page.url for page in pages])


@dataclass(frozen=True)
class FirstLook:
    """What ``first_look`` did: the addresses of the pages it drew (``shown``), or that the
    files saved hold what the last build read (``unchanged``: entries saved again as they
    were, and temporary files gone): no rebuild is needed."""

    shown: list[str] = field(default_factory=list)
    unchanged: bool = False


_kept: Preview | None = None


def keep(preview: Preview | None) -> None:
    """Hold ``preview`` (what the build that just ended drew with) for the next save, or
    let the last one go."""
    global _kept
    _kept = preview


def first_look(saved: Iterable[str]) -> FirstLook:
    """Draw the pages of the entries among the files ``saved`` since the last build, with
    what that build knew (none drawn: the rebuild shows the save). What was kept is let go
    (the rebuild holds its own catalogue), unless the files hold what that build read: no
    rebuild then, and the next save may use it."""
    global _kept
    preview, _kept = _kept, None
    if preview is None:
        return FirstLook()
    try:
        look = preview.draw(saved)
    except Exception as exc:  # the rebuild that follows reports any problem
        log.debug("No first look at the saved pages", exc_info=exc)
        return FirstLook()
    if look.unchanged:
        _kept = preview
    return look
