"""A catalogue of real records for search tests: the first 400 books of goodbooks-10k and a
few classical Buddhist texts of the Taishō canon, as e-book entries written straight into a
tiny project (no importer needed).

Sources:
- ../shared/data/goodbooks-10k/books-1-400.csv (SHARED_DATA): github.com/zygmuntz/goodbooks-10k,
  books.csv at commit 6dd165b555a7, CC BY-SA 4.0 (titles, authors, years as published there).
- CLASSICS: titles and translators of texts of the Taishō Tripiṭaka (大正新脩大藏經) as
  CBETA catalogues them; titles and attributions are public facts. 火𤙖供養儀軌 holds
  U+24656, a character of CJK Extension B (outside the Basic Multilingual Plane).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from lifelong.catalogue.scaffold import fresh_id, slug_from_title

#: ../shared/data beside the repository: real public records with their licences.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GOODBOOKS = SHARED_DATA / "goodbooks-10k" / "books-1-400.csv"

#: (Taishō number, title, translator).
CLASSICS = [
    ("T0913", "火𤙖供養儀軌", "不空"),
    ("T0246", "仁王護國般若波羅蜜多經", "不空"),
    ("T0682", "大乘密嚴經", "不空"),
    ("T0865", "金剛頂一切如來真實攝大乘現證大教王經", "不空"),
    ("T0982", "佛母大孔雀明王經", "不空"),
    ("T0297", "普賢菩薩行願讚", "不空"),
    ("T0243", "大樂金剛不空真實三麼耶經", "不空"),
    ("T1092", "不空羂索神變真言經", "菩提流志"),
    ("T1093", "不空羂索咒經", "闍那崛多"),
    ("T1094", "不空羂索神咒心經", "玄奘"),
]


def goodbooks_rows() -> list[dict[str, str]]:
    with GOODBOOKS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def real_entries() -> list[dict[str, Any]]:
    """The e-book entries, ids made as `lifelong new` makes them (from the title)."""
    taken: set[str] = set()
    entries: list[dict[str, Any]] = []
    start = dt.date(2020, 1, 1)
    for row in goodbooks_rows():
        number = int(row["book_id"])
        entry_id = fresh_id(slug_from_title(row["title"], row["title"]), taken)
        taken.add(entry_id)
        entry: dict[str, Any] = {
            "kind": "ebook", "id": entry_id, "title": row["title"],
            "summary": f"Book {number} of the goodbooks-10k list.",
            "subjects": ["literature"], "language": "en",
            "published": (start + dt.timedelta(days=number)).isoformat(),
            # a name listed twice in the source (Louis Sachar) is listed once
            "authors": list(dict.fromkeys(
                name.strip() for name in row["authors"].split(",") if name.strip()))}
        year = row["original_publication_year"]
        if year and 1000 <= float(year) <= 2100:
            entry["year"] = int(float(year))
        entries.append(entry)
    for number, (code, title, translator) in enumerate(CLASSICS):
        entries.append({"kind": "ebook", "id": code.lower(), "title": title,
                        "summary": "《大正新脩大藏經》所收经典。", "subjects": ["classics"],
                        "language": "zh", "published": f"2019-0{1 + number % 9}-01",
                        "authors": [translator]})
    return entries
