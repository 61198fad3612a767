"""The only room for processes, pickles, gc tuning and caches: loading the catalogue (a
process per core), drawing pages (workers forked per core), the outputs' processes, the
entry, card and page caches, memory, progress.

Input: the options of a build. Output: the site folder's catalogue pages and outputs. May
import every room but ``lifelong.mkdocs`` and ``lifelong.cli``.
"""
