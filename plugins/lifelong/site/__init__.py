"""Pages from the catalogue: the plan of every catalogue page, drawing a page's HTML with our
templates (pure: inputs to HTML), each page's head part (feeds, share cards), addresses,
labels in Chinese and English, JSON-LD, QR codes, the sitemap, the theme's chrome as a
value, descriptions converted and cleaned; and the files others consume: feeds, calendars,
OPDS, data exports.

Input: a ``Catalogue`` and options. Output: HTML, addresses, search documents, feeds. May
import ``lifelong.catalogue`` and ``lifelong.search``, and ``lifelong.build`` only for type
names; no MkDocs, no processes, no files written.
"""
