"""Repairs of the damage real records carry, each one said in words for the import's report.

Every repair takes a raw value as a reader gives it (see ``sources``) and returns a
``Repaired``: the value the catalogue wants and, when it had to change something of
substance, a note saying what (``None`` when the value only needed tidying or nothing at
all). A value that cannot be repaired without guessing raises ``RepairError`` with a message
saying why and what to write instead; nothing is guessed.

- ``repair_isbn``: ISBNs stored as numbers (an ISBN-10's lost leading zeros put back; an
  ISBN-13 in scientific notation accepted only when its digits pass the checksum), checked
  and hyphenated with python-stdnum.
- ``repair_language``: ISO 639-1/2/3 codes, BCP 47 tags and English or native names to the
  catalogue's term: the ISO 639-1 code where one exists, else the ISO 639-3 code (langcodes).
  Script and region are dropped (``zh-Hant``, ``zh-CN`` -> ``zh``: the catalogue has one term
  per language, traditional and simplified are one language); Mandarin (``cmn``) is ``zh``,
  its macrolanguage, as libraries and feeds write it; Literary Chinese (``lzh``), Cantonese
  (``yue``), Wu, Min Nan and Hakka keep their own codes.
- ``html_to_text``: a summary's HTML as plain text, paragraphs as blank lines, entities
  decoded (the standard library's HTML parser).
- ``repair_date``: ``2018-10-01T00:00:00Z``, ``2018/10/1``, ``2018年10月1日``, a spreadsheet's
  datetime -> ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Generic, TypeVar

import langcodes
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Repaired(Generic[T]):
    """A repaired value and what was done to it (``None``: nothing worth reporting)."""

    value: T
    note: str | None = None


class RepairError(ValueError):
    """The value cannot be repaired without guessing; the message says why."""


# -- ISBN ------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")
_DECIMAL_NUMBER = re.compile(r"^[0-9]+\.0*$")
_ISBN_PREFIX = re.compile(r"^ISBN(-1[03])?:?\s*", re.IGNORECASE)
#: The fewest digits an ISBN-10 stored as a number keeps (``0001234567``: three zeros lost).
_LOST_ZEROS = 7


def repair_isbn(value: object) -> Repaired[str]:
    """An ISBN-10 or ISBN-13, checked and hyphenated (``978-0-439-02348-1``).

    A spreadsheet that stored the ISBN as a number loses an ISBN-10's leading zeros
    (``439023483`` -> ``0-439-02348-3``) and writes a long one in scientific notation
    (``9.78043955493e+12``); such a number is read back only when the digits it still holds
    pass the checksum, since a float keeps 12 significant digits and the 13th may be lost.
    An ISBN-10 stays an ISBN-10."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise RepairError(f"{value!r} is not an ISBN")
    if isinstance(value, float) and value != value:  # NaN: an empty cell of a numeric column
        raise RepairError("an empty number (NaN) is not an ISBN")
    note: str | None = None
    scientific = False
    if isinstance(value, (int, float, Decimal)):
        shown = repr(value) if isinstance(value, float) else str(value)
        text, note = _isbn_from_number(value, shown)
        scientific = "e" in shown.lower()
    else:
        shown = value.strip()
        text = _ISBN_PREFIX.sub("", shown)
        if _SCIENTIFIC.match(text) or _DECIMAL_NUMBER.match(text):
            text, note = _isbn_from_number(Decimal(text), text)
            scientific = "e" in shown.lower()
        elif text.isdigit() and _LOST_ZEROS <= len(text) < 10:
            # A column of numbers written out as text (CSV) loses the zeros just as well.
            note = f"leading zeros restored: {text} -> {text.zfill(10)}"
            text = text.zfill(10)
    try:
        number = stdnum_isbn.validate(text)
    except InvalidChecksum:
        if scientific:
            raise RepairError(f"{shown} fails the ISBN checksum as {text}: the number lost "
                              "digits when it was stored as a float; write the ISBN as "
                              "text") from None
        if not isinstance(value, str):
            raise RepairError(f"{shown} fails the ISBN checksum: stored as a number, it may "
                              "have lost its last digits (or it has a typing error); write "
                              "the ISBN as text") from None
        raise RepairError(f"{shown} is not a valid ISBN: its check digit is wrong (a typing "
                          "error?)") from None
    except InvalidComponent:
        raise RepairError(f"{shown} is not an ISBN: a 13-digit ISBN starts with 978 or 979 "
                          "(this looks like another barcode, an EAN)") from None
    except (InvalidLength, InvalidFormat):
        raise RepairError(f"{shown} is not an ISBN: an ISBN has 10 or 13 digits (the last "
                          "of an ISBN-10 may be X)") from None
    return Repaired(stdnum_isbn.format(number), note)


def _isbn_from_number(number: int | float | Decimal, shown: str) -> tuple[str, str | None]:
    try:
        exact = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
    except InvalidOperation:
        raise RepairError(f"{shown} is not an ISBN") from None
    if not exact.is_finite():
        raise RepairError(f"{shown} is not an ISBN")
    if exact != exact.to_integral_value() or exact < 0:
        raise RepairError(f"{shown} is not an ISBN: an ISBN has 10 or 13 digits")
    digits = str(int(exact))
    if "e" in shown.lower():
        return digits, f"read from scientific notation: {shown} -> {digits}"
    if _LOST_ZEROS <= len(digits) < 10:
        return digits.zfill(10), f"leading zeros restored: {shown} -> {digits.zfill(10)}"
    return digits, None


# -- languages -------------------------------------------------------------------------------

#: Codes that are valid tags but name no language (undetermined, multiple, none).
_NOT_A_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})


def repair_language(value: object) -> Repaired[str]:
    """The catalogue's language term for a code, tag or name: ``chi``, ``zho``, ``zh-CN``,
    ``zh-Hans``, ``cmn`` -> ``zh``; ``eng``, ``en-US``, ``English`` -> ``en``; ``spa`` ->
    ``es``; ``yue`` and ``lzh`` stay."""
    if not isinstance(value, str) or not value.strip():
        raise RepairError(f"{value!r} is not a language")
    given = value.strip()
    try:
        language = langcodes.Language.get(given.replace("_", "-"), normalize=True)
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        language = None
    if language is not None and language.language in _NOT_A_LANGUAGE | {None}:
        raise RepairError(f"{given!r} names no single language; write its code, such as zh")
    if language is None or not language.is_valid():
        try:
            language = langcodes.find(given)
        except LookupError:
            raise RepairError(f"{given!r} is not a language code (ISO 639) or a language's "
                              "name; write a code such as zh, en or yue") from None
    code = language.language
    if code is None or code in _NOT_A_LANGUAGE:
        raise RepairError(f"{given!r} names no single language; write its code, such as zh")
    # Mandarin's own code, as the macrolanguage's: the catalogue's term is "zh".
    code = langcodes.standardize_tag(code, macro=True)
    if code == given:
        return Repaired(code)
    if code == given.lower():
        return Repaired(code)
    return Repaired(code, f"language {given!r} -> {code}")


# -- HTML ------------------------------------------------------------------------------------

_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
                     "h5", "h6", "blockquote", "pre", "table", "tr", "section", "article",
                     "header", "footer", "aside", "figure", "figcaption", "hr", "address"})
_UNSEEN = frozenset({"script", "style", "template", "head", "title"})
_TAG_OR_ENTITY = re.compile(r"<[A-Za-z/!]|&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


class _TextOfHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNSEEN:
            self.hidden += 1
        elif tag == "br":
            self.paragraphs[-1].append("\n")
        elif tag in _BLOCKS:
            self.paragraphs.append([])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.paragraphs[-1].append("\n")
        elif tag in _BLOCKS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNSEEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.paragraphs[-1].append(data)

    def text(self) -> str:
        found: list[str] = []
        for parts in self.paragraphs:
            lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
            paragraph = "\n".join(line for line in lines if line)
            if paragraph:
                found.append(paragraph)
        return "\n\n".join(found)


def html_to_text(value: str) -> Repaired[str]:
    """Plain text of an HTML fragment: each paragraph (``<p>``, ``<div>``, a list item...)
    separated by a blank line, ``<br>`` a line break, entities decoded, runs of spaces as
    one, scripts and styles dropped. Text without markup or entities is given back as is."""
    if not _TAG_OR_ENTITY.search(value):
        return Repaired(value)
    parser = _TextOfHTML()
    parser.feed(value)
    parser.close()
    text = parser.text()
    count = text.count("\n\n") + 1 if text else 0
    return Repaired(text, f"HTML turned into plain text ({count} paragraph"
                          f"{'s' if count != 1 else ''})")


# -- dates -----------------------------------------------------------------------------------

_YMD = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$")
_ISO_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}"
                       r"(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$")


def repair_date(value: object) -> Repaired[dt.date]:
    """A calendar date from what records hold: a date; a spreadsheet's datetime or an ISO
    date-time (``2018-10-01T00:00:00Z``: the day as written, the time dropped); year, month
    and day written with ``-``, ``/`` or ``.`` (``2018/10/1``) or in Chinese
    (``2018年10月1日``). Day-month orders (``01/10/2018``) are refused: which is the month?"""
    if isinstance(value, dt.datetime):
        return Repaired(value.date(), f"time of day dropped: {value.isoformat()} -> "
                                      f"{value.date().isoformat()}")
    if isinstance(value, dt.date):
        return Repaired(value)
    if not isinstance(value, str):
        raise RepairError(f"{value!r} is not a date; write it as 2018-10-01")
    text = value.strip()
    timed = _ISO_TIME.match(text)
    if timed:
        text = timed.group(1)
    match = _YMD.match(text)
    if not match:
        if re.fullmatch(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}", text):
            raise RepairError(f"{value!r}: day and month cannot be told apart; write the "
                              "date as year-month-day, 2018-10-01")
        raise RepairError(f"{value!r} is not a date; write it as 2018-10-01")
    year, month, day = (int(part) for part in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise RepairError(f"{value!r} is not a date: {exc}") from None
    if timed:
        return Repaired(date, f"time of day dropped: {value.strip()} -> {date.isoformat()}")
    if text == date.isoformat():
        return Repaired(date)
    return Repaired(date, f"date {value.strip()!r} -> {date.isoformat()}")


def repair_datetime(value: object) -> Repaired[str]:
    """A date and time from a spreadsheet's datetime as ISO 8601 text; text is left for the
    rules to read (they ask for a time zone, which a spreadsheet's datetime does not have)."""
    if isinstance(value, dt.datetime):
        return Repaired(value.isoformat())
    return Repaired(str(value).strip())


# -- text ------------------------------------------------------------------------------------

def repair_mojibake(text: str) -> Repaired[str]:
    """Text decoded in the wrong encoding somewhere upstream, decoded again as it was meant
    (``sÃ£o`` -> ``são``, ``â€œ`` -> ``“``), with ftfy: only encoding mix-ups are undone
    (``fix_encoding``), nothing else in the text is changed."""
    from ftfy import fix_encoding

    fixed = fix_encoding(text)
    if fixed == text:
        return Repaired(text)
    return Repaired(fixed, "text decoded in the wrong encoding upstream, read again "
                           f"({_first_change(text, fixed)})")


def _first_change(before: str, after: str) -> str:
    """The first word that changed, as it was and as it is: ``'sÃ£o' -> 'são'``."""
    for old, new in zip(before.split(), after.split(), strict=False):
        if old != new:
            return f"{old!r} -> {new!r}"
    return f"{before[:20]!r} -> {after[:20]!r}"
