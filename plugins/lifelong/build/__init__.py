"""The only room for processes, pickles, gc tuning and caches: the one way to run work in
other processes (``processes``), loading the catalogue (a process per core), drawing pages
(workers forked per core), the outputs' workers, the entry, card and page caches, memory,
progress, the catalogue site one build holds (``catalogue_site``) and ``SiteBuild``, which
the engine's adapter drives.

Input: the options of a build. Output: the site folder's catalogue pages and outputs. May
import every room but ``lifelong.mkdocs`` and ``lifelong.cli``.
"""
