"""The mapping file: which column of a source feeds which field of the catalogue.

A mapping is YAML (read with the catalogue's bounded loader, so its errors name lines)::

    kind: ebook                    # the kind of every record (or a `kind` column, or --kind)
    id: "{title_en}"               # the id pattern: fields or columns in braces, made into an
                                   # id as `lifelong new` makes one (pinyin for Chinese)
    key: book_id                   # the column that names a record in the source (the ledger)
    skip_values: ["N/A", "-"]      # cell values that mean "nothing" in every column
    fields:
      title: Title                 # a column
      title_en: {template: "{original_title}"}
      authors: {column: authors, split: ","}
      subjects: {column: genre, split: ";", values: {"Literary Fiction": literature}}
      isbn: [isbn13, isbn]         # several sources: the first that gives a valid value
      contributors:                # a list of objects from columns of names
        - {column: Translator, split: "、", item: {name: "{value}", role: translator}}
    defaults: {language: zh, subjects: [literature]}

A field's source is a column name, a mapping (``column`` or ``template`` or ``value``, and
``split``, ``values``, ``skip_values``, ``skip_pattern``, ``item``), or a list of these. A
column named after a field, and the ``body`` column, need no mapping. Everything is checked
against the catalogue's rules before a row is read: unknown fields, settings and vocabulary
terms are reported with their line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lifelong.catalogue.loader import LineMap, decode_source, parse_front_matter
from lifelong.catalogue.problems import Problem
from lifelong.catalogue.schema import FieldSpec, Rules
from lifelong.catalogue.suggest import Suggester

#: Placeholders of templates and id patterns: ``{column}``.
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
#: Fields that are not in fields.yml but a source may feed: the description.
BODY = "body"
_TOP_KEYS = ("kind", "id", "key", "fields", "defaults", "skip_values", "skip_pattern")
_SOURCE_KEYS = ("column", "template", "value", "split", "values", "skip_values",
                "skip_pattern", "item")


class MappingError(Exception):
    """The mapping file has problems; all of them are attached (``path:line: where: what``)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True)
class FieldSource:
    """Where one field's value comes from in a row."""

    column: str | None = None
    template: str | None = None
    value: object = None
    split: str | None = None
    values: Mapping[str, object] = field(default_factory=dict)
    skip_values: frozenset[str] = frozenset()
    skip_pattern: re.Pattern[str] | None = None
    #: For a list of objects: each item of the column made into an object, its sub-fields
    #: given as templates of ``{value}`` (the item) and the row's columns.
    item: Mapping[str, str] | None = None

    def columns(self) -> tuple[str, ...]:
        """The columns it reads (for the report of columns with no home)."""
        found = [self.column] if self.column else []
        for text in (self.template, *(self.item or {}).values()):
            if text:
                found += [name for name in PLACEHOLDER.findall(text) if name != "value"]
        return tuple(found)

    @property
    def label(self) -> str:
        """How the report names it: ``column`` or the template or ``mapping``."""
        if self.column:
            return self.column
        if self.template:
            return self.template
        return "mapping"


@dataclass(frozen=True)
class ImportMapping:
    """A whole mapping (see the module's doc); the empty mapping maps columns named after
    fields."""

    path: str | None = None
    kind: str | None = None
    id_pattern: str | None = None
    key: str | None = None
    fields: Mapping[str, tuple[FieldSource, ...]] = field(default_factory=dict)
    defaults: Mapping[str, object] = field(default_factory=dict)
    skip_values: frozenset[str] = frozenset()
    skip_pattern: re.Pattern[str] | None = None

    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        found = {c for sources in self.fields.values() for s in sources for c in s.columns()}
        if self.key:
            found.add(self.key)
        if self.id_pattern:
            found.update(PLACEHOLDER.findall(self.id_pattern))
        return found


def load_mapping(path: Path, rules: Rules, shown: str | None = None) -> ImportMapping:
    """Read and check a mapping file; raise MappingError with every problem in it."""
    name = shown if shown is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MappingError([Problem(name, 0, None, f"cannot read it: {exc.strerror}")]
                           ) from None
    text, problems = decode_source(raw, name)
    if text is None:
        raise MappingError(problems)
    data, lines, problems = parse_front_matter(text, name, first_line=1, what="")
    if problems:
        raise MappingError(problems)
    return parse_mapping(data, rules, name, lines)


def parse_mapping(data: object, rules: Rules, shown: str = "mapping",
                  lines: LineMap | None = None) -> ImportMapping:
    """A mapping from its parsed YAML (``lines``: where each key is, for messages)."""
    return _MappingReader(rules, shown, lines or {}).read(data)


class _MappingReader:
    def __init__(self, rules: Rules, shown: str, lines: LineMap) -> None:
        self.rules, self.shown, self.lines = rules, shown, lines
        self.problems: list[Problem] = []

    def error(self, key: tuple[str | int, ...], message: str) -> None:
        where = key
        while where and where not in self.lines:
            where = where[:-1]
        line = self.lines.get(where, 1)
        self.problems.append(Problem(self.shown, line, ".".join(map(str, key)) or None,
                                     message))

    def read(self, data: object) -> ImportMapping:
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            self.error((), "a mapping file holds settings such as 'kind:', 'fields:' and "
                           "'defaults:'")
            raise MappingError(self.problems)
        for key in data:
            if key not in _TOP_KEYS:
                self.error((str(key),), f"unknown setting; use {', '.join(_TOP_KEYS)}")
        kind = data.get("kind")
        if kind is not None and (not isinstance(kind, str) or kind not in self.rules.kinds):
            hint = self.rules.suggest_kind(str(kind))
            self.error(("kind",), f"unknown kind {kind!r}" + (
                f"; did you mean '{hint}'?" if hint else
                "; use one of " + ", ".join(self.rules.kinds)))
            kind = None
        specs = self._specs(kind)
        id_pattern = self._text(data, "id")
        key = self._text(data, "key")
        skip_values = self._strings(data.get("skip_values"), ("skip_values",))
        skip_pattern = self._pattern(data.get("skip_pattern"), ("skip_pattern",))
        fields: dict[str, tuple[FieldSource, ...]] = {}
        raw_fields = data.get("fields") or {}
        if not isinstance(raw_fields, Mapping):
            self.error(("fields",), "'fields:' maps each field to a column, e.g. "
                                    "fields: {title: 书名}")
            raw_fields = {}
        for name, value in raw_fields.items():
            where: tuple[str | int, ...] = ("fields", str(name))
            spec = self._field(str(name), specs, kind, where)
            if spec is None and name != BODY:
                continue
            items = value if isinstance(value, list) else [value]
            fields[str(name)] = tuple(
                source for index, item in enumerate(items)
                if (source := self._source(item, spec, (*where, index) if isinstance(
                    value, list) else where)) is not None)
        defaults: dict[str, object] = {}
        raw_defaults = data.get("defaults") or {}
        if not isinstance(raw_defaults, Mapping):
            self.error(("defaults",), "'defaults:' maps fields to values, e.g. "
                                      "defaults: {language: zh}")
            raw_defaults = {}
        for name, value in raw_defaults.items():
            where = ("defaults", str(name))
            spec = self._field(str(name), specs, kind, where)
            if spec is None and name != BODY:
                continue
            if spec is not None and spec.type == "term":
                for item in value if isinstance(value, list) else [value]:
                    self._term(item, spec, where)
            defaults[str(name)] = value
        if self.problems:
            raise MappingError(self.problems)
        return ImportMapping(self.shown, kind, id_pattern, key, fields, defaults, skip_values,
                             skip_pattern)

    def _specs(self, kind: str | None) -> dict[str, FieldSpec]:
        if kind is not None:
            return dict(self.rules.kinds[kind].fields)
        found: dict[str, FieldSpec] = {}
        for each in self.rules.kinds.values():
            for name, spec in each.fields.items():
                found.setdefault(name, spec)
        return found

    def _field(self, name: str, specs: Mapping[str, FieldSpec], kind: str | None,
               where: tuple[str | int, ...]) -> FieldSpec | None:
        if name in specs:
            return specs[name]
        if name == BODY:
            return None
        close = Suggester([*((f, f) for f in specs), *((s.label.zh, f) for f, s in
                                                       specs.items()),
                           *((s.label.en, f) for f, s in specs.items())])(name)
        owners = self.rules.all_field_names().get(name)
        if close:
            message = f"unknown field; did you mean '{close}'?"
        elif owners and kind:
            message = f"unknown field for a {kind}; it belongs to: {', '.join(owners)}"
        else:
            message = "unknown field; the fields are listed in catalogue/fields.yml"
        self.error(where, message)
        return None

    def _text(self, data: Mapping[str, object], key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error((key,), "expected text" + (", e.g. id: \"{title}\"" if key == "id"
                                                  else ", the name of a column"))
            return None
        return value

    def _strings(self, value: object, where: tuple[str | int, ...]) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(
                isinstance(v, (str, int, float)) for v in value):
            self.error(where, "expected a list of values, e.g. [\"N/A\", \"-\"]")
            return frozenset()
        return frozenset(str(v).strip() for v in value)

    def _pattern(self, value: object, where: tuple[str | int, ...]) -> re.Pattern[str] | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(where, "expected a regular expression, e.g. \"nophoto\"")
            return None
        try:
            return re.compile(value)
        except re.error as exc:
            self.error(where, f"not a regular expression: {exc}")
            return None

    def _source(self, value: object, spec: FieldSpec | None,
                where: tuple[str | int, ...]) -> FieldSource | None:
        if isinstance(value, str):
            return FieldSource(column=value)
        if not isinstance(value, Mapping):
            self.error(where, "expected a column name, or a mapping such as "
                              "{column: 类别, split: \"、\"}")
            return None
        for key in value:
            if key not in _SOURCE_KEYS:
                self.error((*where, str(key)), f"unknown setting; use "
                                               f"{', '.join(_SOURCE_KEYS)}")
        given = [k for k in ("column", "template", "value") if value.get(k) is not None]
        if len(given) != 1:
            self.error(where, "give one of column, template or value")
            return None
        column = value.get("column")
        template = value.get("template")
        if column is not None and not isinstance(column, str):
            self.error((*where, "column"), "expected the name of a column")
            return None
        if template is not None and not isinstance(template, str):
            self.error((*where, "template"), "expected text with columns in braces, e.g. "
                                             "\"{姓} {名}\"")
            return None
        split = value.get("split")
        is_list = spec is not None and spec.list
        if split is not None and (not isinstance(split, str) or not split):
            self.error((*where, "split"), "expected the separator, e.g. split: \";\"")
            split = None
        elif split is not None and not is_list:
            self.error((*where, "split"), "only a list field can be split")
            split = None
        values = value.get("values") or {}
        if not isinstance(values, Mapping):
            self.error((*where, "values"), "expected source values mapped to field values, "
                                           "e.g. values: {\"Literary Fiction\": literature}")
            values = {}
        if spec is not None and spec.type == "term":
            for source_value, term in values.items():
                if term is not None:
                    self._term(term, spec, (*where, "values", str(source_value)))
        item = value.get("item")
        if item is not None:
            if spec is None or spec.type != "object" or not isinstance(item, Mapping):
                self.error((*where, "item"), "item is for a list of objects, e.g. item: "
                                             "{name: \"{value}\", role: translator}")
                item = None
            else:
                for sub, text in item.items():
                    if sub not in spec.fields:
                        self.error((*where, "item", str(sub)),
                                   f"unknown field of {spec.name}; use "
                                   + ", ".join(spec.fields))
                    elif spec.fields[sub].type == "term" and not PLACEHOLDER.search(
                            str(text)):
                        self._term(text, spec.fields[sub], (*where, "item", str(sub)))
                item = {str(k): str(v) for k, v in item.items()}
        return FieldSource(
            column=column, template=template, value=value.get("value"), split=split,
            values={str(k).strip(): v for k, v in values.items()},
            skip_values=self._strings(value.get("skip_values"), (*where, "skip_values")),
            skip_pattern=self._pattern(value.get("skip_pattern"), (*where, "skip_pattern")),
            item=item)

    def _term(self, term: object, spec: FieldSpec, where: tuple[str | int, ...]) -> None:
        vocabulary = self.rules.vocabularies.get(spec.vocabulary or "")
        if vocabulary is None or (isinstance(term, str) and term in vocabulary.terms):
            return
        hint = vocabulary.suggest(str(term))
        label = f" ({vocabulary.terms[hint].label.zh})" if hint else ""
        self.error(where, f"unknown term {term!r} in {vocabulary.name}"
                   + (f"; did you mean '{hint}'{label}?" if hint else
                      f"; see catalogue/vocabularies/{vocabulary.name}.yml"))
