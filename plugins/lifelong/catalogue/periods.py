"""Periods: when a work was made, as catalogues of old and new books give it (``period``
fields, such as an e-book's ``year``).

What an editor may write, and what it becomes:

- a year: ``1923`` or ``"1923"`` -> the number 1923 (as a plain ``int`` field held it);
- a year before the common era: ``-500``, ``"前500"``, ``"公元前500年"``, ``"500 BCE"``
  (or ``BC``) -> ``Period(-500, -500)``; ``"公元618年"``, ``"618 CE"``, ``"AD 618"`` are 618;
- a range of years: ``"1920-1925"`` (also with –, —, ~, 至 or 到), ``"前500-前400"``,
  ``"500-400 BCE"`` (an era written once, after the range, holds for both ends) ->
  ``Period(1920, 1925)``;
- a dynasty of the vocabulary (``dynasties``), by id, name or synonym (``唐``, ``tang``,
  ``唐朝``), alone -> its years, ``Period(618, 907, "tang")``; or with years within it
  (``"唐 756"``, ``"唐（755–763）"``) -> ``Period(755, 763, "tang")``.

There is no year 0 (1 BCE is followed by 1 CE); BCE years are negative (-500 is 500 BCE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lifelong.catalogue.schema import Vocabulary


@dataclass(frozen=True, slots=True)
class Period:
    """Years from ``start`` to ``end`` (equal for one year; BCE negative), of ``dynasty``
    (a term of the dynasties vocabulary) when one was given."""

    start: int
    end: int
    dynasty: str | None = None

    def __str__(self) -> str:
        """The period as an editor writes it, read back as the same period: ``-500``,
        ``1920-1925``, ``-500--400``, ``tang``, ``tang 755-763``."""
        years = str(self.start) if self.start == self.end else f"{self.start}-{self.end}"
        if self.dynasty is None:
            return years
        return self.dynasty if self.own_years else f"{self.dynasty} {years}"

    #: Whether the years are the dynasty's own (it was written alone); set by ``parse``.
    own_years: bool = False


class PeriodError(ValueError):
    """A value that is not a period; its message is what ``lifelong check`` reports."""


#: A year: a sign or a Chinese era word before it, 年 after it, an English era after it or
#: before it (AD 618).
_YEAR = (r"(?:(?P<{n}pre>公元前|前|公元|-|−|AD\s*|A\.D\.\s*))?(?P<{n}num>\d{{1,4}})\s*年?"
         r"(?:\s*(?P<{n}era>BCE|B\.C\.E\.|BC|B\.C\.|CE|C\.E\.|AD|A\.D\.))?")
_RANGE_RE = re.compile(r"\s*" + _YEAR.format(n="a") + r"\s*(?:(?:-|–|—|~|～|－|至|到)\s*"
                       + _YEAR.format(n="b") + r")?\s*", re.IGNORECASE)
#: A dynasty's name, then (or not) its years: 唐 756, 唐（755–763）, tang 755-763.
_DYNASTY_RE = re.compile(r"\s*(?P<name>.+?)\s*(?:[（(]\s*(?P<inner>[^（()）]+?)\s*[)）]|"
                         r"(?P<after>(?:公元前|前|公元|-|−|\d).*?))?\s*")
_BCE = ("公元前", "前", "-", "−")
_SEPARATORS = frozenset(" \t-−_（(")
_BCE_AFTER = ("bce", "b.c.e.", "bc", "b.c.")
EXAMPLES = "e.g. 1923, 1920-1925, 前500 (500 BCE), 唐 or 唐 756"


def _year(match: re.Match[str], n: str, era_of_range: str | None) -> int:
    number = int(match.group(f"{n}num"))
    if number == 0:
        raise PeriodError("there is no year 0: 1 BCE (前1) is followed by 1 CE (1)")
    pre = (match.group(f"{n}pre") or "").strip()
    era = (match.group(f"{n}era") or era_of_range or "").lower()
    bce = pre in _BCE or era in _BCE_AFTER
    return -number if bce else number


def parse_years(text: str) -> tuple[int, int] | None:
    """(first, last) year of a year or a range of years written as text; None when the text
    is not one. Raises PeriodError for a year 0 or a range that ends before it starts."""
    match = _RANGE_RE.fullmatch(text)
    if match is None:
        return None
    # "500-400 BCE": an era after the range only, with none before its start, holds for both.
    shared = match.group("bera") if match.group("bnum") and not (
        match.group("apre") or match.group("aera")) else None
    start = _year(match, "a", shared)
    end = _year(match, "b", None) if match.group("bnum") else start
    if end < start:
        raise PeriodError(f"the range {text.strip()!r} ends before it starts; write the earlier "
                          "year first, e.g. 1920-1925 or 前500-前400")
    return start, end


def year_words(year: int) -> str:
    """A year in a message: 1923, 500 BCE."""
    return f"{-year} BCE" if year < 0 else str(year)


def parse(value: object, dynasties: Vocabulary | None, minimum: int | None = None,
          maximum: int | None = None) -> int | Period:
    """The period ``value`` (a YAML number or text) stands for: a single year of the common
    era as a plain number, anything else as a ``Period``. Raises PeriodError saying what is
    wrong, with the dynasty meant for a misspelt one."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PeriodError("expected a year, a range of years or a dynasty, "
                          f"{EXAMPLES}")
    period: int | Period
    if isinstance(value, int):
        if value == 0:
            raise PeriodError("there is no year 0: 1 BCE (前1) is followed by 1 CE (1)")
        period = value if value > 0 else Period(value, value)
    else:
        period = _parse_text(value, dynasties)
    start, end = (period, period) if isinstance(period, int) else (period.start, period.end)
    if minimum is not None and start < minimum:
        raise PeriodError(f"{year_words(start)} is earlier than the earliest year allowed, "
                          f"{year_words(minimum)}" if isinstance(value, str) or value < 0
                          else f"{value} is less than the minimum {minimum}")
    if maximum is not None and end > maximum:
        raise PeriodError(f"{year_words(end)} is later than the latest year allowed, "
                          f"{year_words(maximum)}" if isinstance(value, str)
                          else f"{value} is more than the maximum {maximum}")
    return period


def _parse_text(value: str, dynasties: Vocabulary | None) -> int | Period:
    text = value.strip()
    years = parse_years(text)
    if years is not None:
        start, end = years
        return start if start == end and start > 0 else Period(start, end)
    if dynasties is not None:
        whole = dynasties.named(text)
        if whole is not None:
            return _in_dynasty(dynasties, whole, None)
        # The longest beginning that names a dynasty; the rest are its years.
        for cut in range(len(text) - 1, 0, -1):
            if text[cut - 1] in _SEPARATORS:  # "tang -500": the minus goes with the year
                continue
            dynasty = dynasties.named(text[:cut])
            if dynasty is not None:
                rest = text[cut:].strip()
                if rest[:1] in ("（", "(") and rest[-1:] in ("）", ")"):
                    rest = rest[1:-1].strip()
                return _in_dynasty(dynasties, dynasty, rest)
        match = _DYNASTY_RE.fullmatch(text)
        assert match is not None  # .+? with all else optional matches any text
        name = match.group("name")
        hint = dynasties.suggest(name)
        if hint is not None:
            label = dynasties.terms[hint].label.zh
            raise PeriodError(f"unknown dynasty {name!r}; did you mean '{hint}' ({label})?")
        if not any(c.isdigit() for c in text):
            raise PeriodError(f"unknown dynasty {name!r}; the dynasties are listed in "
                              "catalogue/vocabularies/dynasties.yml")
    raise PeriodError(f"{text!r} is not a year, a range of years or a dynasty; write it "
                      f"{EXAMPLES}" + ("; dynasties are listed in "
                                       "catalogue/vocabularies/dynasties.yml"
                                       if dynasties is not None else ""))


def _in_dynasty(dynasties: Vocabulary, dynasty: str, written: str | None) -> Period:
    term = dynasties.terms[dynasty]
    if not written:
        if term.years is None:
            raise PeriodError(f"the dynasty '{dynasty}' has no years in catalogue/vocabularies/"
                              f"dynasties.yml; give them, e.g. {term.label.zh} 756")
        return Period(term.years[0], term.years[1], dynasty, own_years=True)
    years = parse_years(written)
    if years is None:
        raise PeriodError(f"{written!r} after {term.label.zh} is not a year or a range of "
                          f"years; write it {EXAMPLES}")
    if term.years is not None and (years[0] < term.years[0] or years[1] > term.years[1]):
        shown = year_words(years[0]) if years[0] == years[1] else \
            f"{year_words(years[0])} to {year_words(years[1])}"
        raise PeriodError(f"{shown} is not within {term.label.zh} ({year_words(term.years[0])} "
                          f"to {year_words(term.years[1])}); check the dynasty and the years")
    return Period(years[0], years[1], dynasty)

