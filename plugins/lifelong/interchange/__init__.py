"""Catalogue data in and out: other systems' records read as rows (CSV, XLSX, JSON, JSON
Lines, OPDS 1.2 and 2.0 feeds), mapped onto the catalogue's fields, repaired (ISBNs, language
tags, HTML, dates), validated with the rules ``lifelong check`` uses and written as entry
files (with an import ledger beside content/); and the catalogue written out again as CSV,
JSON or JSON Lines for spreadsheets and other systems.

Input: source files, a mapping, content/ and catalogue/. Output: entry files, a report of
what was created, updated, unchanged and skipped, and export files. May import
``lifelong.catalogue``; no MkDocs, no processes, no caches.
"""
