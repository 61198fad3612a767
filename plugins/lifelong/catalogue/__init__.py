"""The catalogue's rules and entries: loading a file (front matter split as MkDocs does,
bounded YAML), the rules (fields, vocabularies, sections), validation, the checks across
files, the immutable model, what of an entry may be published (``privacy``), entry files
and scaffolds.

Input: content/ and catalogue/. Output: ``Problem``s, or a ``Catalogue``. May import
``lifelong.site.markup`` (descriptions are checked as the site converts them); no MkDocs,
no processes, no caches.
"""
