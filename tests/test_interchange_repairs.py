"""Repairs of real records' damage (``lifelong.interchange.repairs``): ISBNs stored as floats,
language codes and names, HTML summaries and dates, each with the exact value and note or
the exact refusal.

goodbooks-10k rows: ../shared/data/goodbooks-10k/books-1-400.csv, from
github.com/zygmuntz/goodbooks-10k (books.csv at commit 6dd165b555a7), CC BY-SA 4.0."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from lifelong.interchange.repairs import (
    Repaired,
    RepairError,
    html_to_text,
    repair_date,
    repair_isbn,
    repair_language,
    repair_mojibake,
)

GOODBOOKS = Path(__file__).resolve().parents[2] / "shared/data/goodbooks-10k/books-1-400.csv"


@pytest.mark.parametrize(("raw", "value", "note"), [
    ("978-0-439-02348-1", "978-0-439-02348-1", None),
    ("9780439023481", "978-0-439-02348-1", None),
    ("ISBN 978-0-439-02348-1", "978-0-439-02348-1", None),
    ("043965548X", "0-439-65548-X", None),
    (9780439023481, "978-0-439-02348-1", None),
    ("439023483", "0-439-02348-3", "leading zeros restored: 439023483 -> 0439023483"),
    (439023483, "0-439-02348-3", "leading zeros restored: 439023483 -> 0439023483"),
    (61120081.0, "0-06-112008-1", "leading zeros restored: 61120081.0 -> 0061120081"),
    ("9.78043955493e+12", "978-0-439-55493-0",
     "read from scientific notation: 9.78043955493e+12 -> 9780439554930"),
    (9.78043955493e+12, "978-0-439-55493-0", None),
])
def test_isbns_are_checked_restored_and_hyphenated(raw: object, value: str,
                                                   note: str | None) -> None:
    assert repair_isbn(raw) == Repaired(value, note)


@pytest.mark.parametrize(("raw", "message"), [
    ("9.78043902348e+12", "9.78043902348e+12 fails the ISBN checksum as 9780439023480: the "
                          "number lost digits when it was stored as a float; write the ISBN "
                          "as text"),
    ("4006381333931", "4006381333931 is not an ISBN: a 13-digit ISBN starts with 978 or 979 "
                      "(this looks like another barcode, an EAN)"),
    ("0439023484", "0439023484 is not a valid ISBN: its check digit is wrong (a typing "
                   "error?)"),
    ("12345", "12345 is not an ISBN: an ISBN has 10 or 13 digits (the last of an ISBN-10 may "
              "be X)"),
    (float("nan"), "an empty number (NaN) is not an ISBN"),
    (9780439023480, "9780439023480 fails the ISBN checksum: stored as a number, it may have "
                    "lost its last digits (or it has a typing error); write the ISBN as text"),
    (True, "True is not an ISBN"),
])
def test_isbns_that_cannot_be_trusted_are_refused(raw: object, message: str) -> None:
    with pytest.raises(RepairError) as caught:
        repair_isbn(raw)
    assert str(caught.value) == message


def test_goodbooks_float_isbns_are_restored_or_refused_never_guessed() -> None:
    """Every ISBN-10 of the real CSV gets its zeros back; an ISBN-13 written as a float with
    12 significant digits is accepted only when the digits it kept validate, and then it is
    the same book as the row's ISBN-10."""
    with GOODBOOKS.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 400
    tens = {row["book_id"]: repair_isbn(row["isbn"]) for row in rows if row["isbn"]}
    assert len(tens) == 392
    assert tens["1"] == Repaired("0-439-02348-3",
                                 "leading zeros restored: 439023483 -> 0439023483")
    assert tens["4"].value == "0-06-112008-1"
    accepted, refusals = {}, []
    for row in rows:
        if not row["isbn13"]:
            continue
        try:
            accepted[row["book_id"]] = repair_isbn(row["isbn13"]).value
        except RepairError as exc:
            refusals.append(str(exc))
    assert (len(accepted), len(refusals)) == (42, 351)
    assert all("lost digits when it was stored as a float" in r for r in refusals)
    from stdnum import isbn
    for book_id, thirteen in accepted.items():
        assert isbn.to_isbn13(tens[book_id].value).replace("-", "") == thirteen.replace("-", "")


@pytest.mark.parametrize(("raw", "term", "note"), [
    ("zh", "zh", None),
    ("zh-Hans", "zh", "language 'zh-Hans' -> zh"),
    ("zh-Hant", "zh", "language 'zh-Hant' -> zh"),
    ("zh-CN", "zh", "language 'zh-CN' -> zh"),
    ("chi", "zh", "language 'chi' -> zh"),
    ("zho", "zh", "language 'zho' -> zh"),
    ("cmn", "zh", "language 'cmn' -> zh"),
    ("中文", "zh", "language '中文' -> zh"),
    ("spa", "es", "language 'spa' -> es"),
    ("eng", "en", "language 'eng' -> en"),
    ("en-US", "en", "language 'en-US' -> en"),
    ("en_us", "en", "language 'en_us' -> en"),
    ("EN", "en", None),
    ("English", "en", "language 'English' -> en"),
    ("xh", "xh", None),
    ("tib", "bo", "language 'tib' -> bo"),
    ("yue", "yue", None),
    ("Cantonese", "yue", "language 'Cantonese' -> yue"),
    ("lzh", "lzh", None),
    ("nan", "nan", None),
])
def test_language_codes_tags_and_names_become_terms(raw: str, term: str,
                                                    note: str | None) -> None:
    assert repair_language(raw) == Repaired(term, note)


@pytest.mark.parametrize(("raw", "message"), [
    ("xx", "'xx' is not a language code (ISO 639) or a language's name; write a code such as "
           "zh, en or yue"),
    ("und", "'und' names no single language; write its code, such as zh"),
    ("", "'' is not a language"),
])
def test_what_is_no_language_is_refused(raw: str, message: str) -> None:
    with pytest.raises(RepairError) as caught:
        repair_language(raw)
    assert str(caught.value) == message


def test_html_summaries_become_paragraphs_of_text() -> None:
    """As the Palace feed writes them: a <p>, a carriage return as &#13;, a <br />."""
    html = ("<p>Anthem is a <em>dystopian</em> novella &amp; more.&#13;\n<br />Many of its "
            "themes   recur.</p><p>Second&nbsp;paragraph.</p><script>alert(1)</script>"
            "<ul><li>one</li><li>two</li></ul>")
    assert html_to_text(html) == Repaired(
        "Anthem is a dystopian novella & more.\nMany of its themes recur.\n\n"
        "Second paragraph.\n\none\n\ntwo",
        "HTML turned into plain text (4 paragraphs)")
    assert html_to_text("Plain text & no markup") == Repaired("Plain text & no markup")


@pytest.mark.parametrize(("raw", "note"), [
    ("2018-10-01", None),
    (dt.date(2018, 10, 1), None),
    ("2018-10-01T00:00:00Z", "time of day dropped: 2018-10-01T00:00:00Z -> 2018-10-01"),
    ("2018-10-01T23:30:00-05:00", "time of day dropped: 2018-10-01T23:30:00-05:00 -> "
                                  "2018-10-01"),
    (dt.datetime(2018, 10, 1, 9, 30), "time of day dropped: 2018-10-01T09:30:00 -> "
                                      "2018-10-01"),
    ("2018/10/1", "date '2018/10/1' -> 2018-10-01"),
    ("2018.10.01", "date '2018.10.01' -> 2018-10-01"),
    ("2018年10月1日", "date '2018年10月1日' -> 2018-10-01"),
])
def test_dates_are_read_from_what_records_hold(raw: object, note: str | None) -> None:
    assert repair_date(raw) == Repaired(dt.date(2018, 10, 1), note)


@pytest.mark.parametrize(("raw", "message"), [
    ("01/10/2018", "'01/10/2018': day and month cannot be told apart; write the date as "
                   "year-month-day, 2018-10-01"),
    ("2018-13-01", "'2018-13-01' is not a date: month must be in 1..12"),
    ("2018", "'2018' is not a date; write it as 2018-10-01"),
    (43374, "43374 is not a date; write it as 2018-10-01"),
])
def test_dates_that_would_be_guesses_are_refused(raw: object, message: str) -> None:
    with pytest.raises(RepairError) as caught:
        repair_date(raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(("raw", "value", "note"), [
    # The Palace feed's African Storybook summary, UTF-8 read as Latin-1 upstream.
    ("o Cachorro e a Vaca sÃ£o bons amigos", "o Cachorro e a Vaca são bons amigos",
     "text decoded in the wrong encoding upstream, read again ('sÃ£o' -> 'são')"),
    ("â€œTaiji for beginnersâ€\x9d", "“Taiji for beginners”",
     "text decoded in the wrong encoding upstream, read again "
     "('â€œTaiji' -> '“Taiji')"),
    ("八段锦：养生气功 café “quoted”", "八段锦：养生气功 café “quoted”", None),
])
def test_text_mis_decoded_upstream_is_read_again(raw: str, value: str, note: str | None) -> None:
    repaired = repair_mojibake(raw)
    assert (repaired.value, repaired.note) == (value, note)
