"""Marks checked against the selection standards of catalogue/standards.yml: a mark names a
standard, of a kind it selects from, in a year it was held, once; and the entry meets every
criterion of it that can be checked from the entry itself. Standards and criteria are named
as editors read them, Chinese first: 适老化优秀课程 (elder-friendly).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lifelong.catalogue.model import Entry
from lifelong.catalogue.problems import Problem
from lifelong.catalogue.schema import Check, Rules, Standard
from lifelong.catalogue.suggest import Suggester

Lines = Mapping[tuple[str | int, ...], int]


def mark_problems(entry: Entry, lines: Lines, rules: Rules,
                  suggester: Suggester | None = None) -> list[Problem]:
    """Every problem of the entry's marks. ``suggester``: standards by id and titles, made
    once for the catalogue (``standard_suggester``)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int], int] = {}
    for index, mark in enumerate(entry.marks):
        key = ("marks", index)

        # Lines are looked up only for a problem: an entry read from the cache would be
        # parsed again for them (``_LazyLines``), and most marks have none.
        def problem(sub: str | None, message: str, key: Any = key) -> None:
            where = (*key, sub) if sub else key
            line = lines.get(where) or lines.get(key) or lines.get(("marks",), 2)
            problems.append(Problem(entry.path, line, ".".join(str(k) for k in where),
                                    message))

        if mark["standard"] is None or mark["year"] is None:
            continue  # not a standard's id or not a year: the validator says why
        standard = rules.standards.get(mark["standard"])
        if standard is None:
            close = (suggester or standard_suggester(rules))(mark["standard"])
            problem("standard", f"unknown standard '{mark['standard']}'"
                    + (f"; did you mean '{close}' ({rules.standards[close].title.zh})?"
                       if close else "; the standards are declared in catalogue/standards.yml"))
            continue
        named = _named(standard)
        year = mark["year"]
        first = seen.setdefault((standard.id, year), index)
        if first != index:
            problem(None, f"{named} {year} is listed twice (marks.{first} and marks.{index})")
            continue
        if entry.kind not in standard.kinds:
            kinds = ", ".join(_kind(rules, kind) for kind in standard.kinds)
            problem("standard", f"{named} selects only {kinds}, not {_kind(rules, entry.kind)}")
            continue
        if not standard.held_in(year):
            since, until = standard.years
            held = f"has been held since {since}" if until is None else \
                f"was held from {since} to {until}"
            problem("year", f"{named} {held}, not in {year}")
        for criterion in standard.criteria:
            if criterion.check is not None and not criterion.holds(entry.values):
                problem(None, f"{named} requires {criterion.text.zh} ({criterion.id}): "
                        + _why(criterion.check, entry, rules))
    return problems


def standard_suggester(rules: Rules) -> Suggester:
    standards = rules.standards.values()
    return Suggester([*((s.id, s.id) for s in standards), *((s.title.zh, s.id) for s in standards),
                      *((s.title.en, s.id) for s in standards)])


def _named(standard: Standard) -> str:
    return f"{standard.title.zh} ({standard.id})"


def _kind(rules: Rules, kind: str) -> str:
    return f"{rules.kinds[kind].label.zh} ({kind})"


def _why(check: Check, entry: Entry, rules: Rules) -> str:
    """Why ``entry`` fails ``check``: the first of its operators that does not hold."""
    name = check.field
    value = entry.values.get(name)
    empty = value is None or value == () or value == ""
    if check.present is False and not empty:
        return f"this {entry.kind} has {name}, which it must not"
    if empty and check.min_length is None:
        return f"this {entry.kind} has no {name}"
    if check.min is not None and value is not None and value < check.min:
        return f"its {name} is {value}, less than {check.min}"
    if check.max is not None and value is not None and value > check.max:
        return f"its {name} is {value}, more than {check.max}"
    length = 0 if value is None else len(str(value).strip())
    if check.min_length is not None and length < check.min_length:
        return f"its {name} is {length} characters long, fewer than {check.min_length}"
    if check.max_length is not None and length > check.max_length:
        return f"its {name} is {length} characters long, more than {check.max_length}"
    if check.one_of is not None:
        return f"its {name} is {_term(rules, entry, name, str(value))}, not " \
               + " or ".join(_term(rules, entry, name, t) for t in check.one_of)
    terms = check.includes or ()
    shown = ", ".join(_term(rules, entry, name, t) for t in terms)
    return f"its {name} do not include {shown}" if len(terms) == 1 else \
        f"its {name} include none of {shown}"


def _term(rules: Rules, entry: Entry, name: str, term: str) -> str:
    """A term as editors read it, 入门 (beginner); a value of no vocabulary as written."""
    spec = rules.kinds[entry.kind].fields.get(name)
    vocabulary = rules.vocabularies.get(spec.vocabulary or "") if spec else None
    if vocabulary is None or term not in vocabulary.terms:
        return f"'{term}'"
    return f"{vocabulary.terms[term].label.zh} ({term})"
