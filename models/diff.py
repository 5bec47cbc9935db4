"""Every difference between two plans (``chainplan diff``, File ▸ Compare with file…).

Rows are matched by key, never by position, so the row order of a file does
not matter; values are compared as the model holds them (enum keys, numbers),
so the language a workbook was written in does not matter either, and the
same plan as .json and as .xlsx has no differences. Columns the model does
not know (a row's ``extra``) are compared like fields, by their header.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from models.chain import SETTINGS_FIELDS, TABLE_BY_ATTR, TABLES, ChainModel
from models.schema import display

# the tables in the order a diff lists them (the workbook's)
DIFF_TABLES: tuple[str, ...] = ("settings", *(t.attr for t in TABLES), "assessments")
SETTING_VALUE = "value"  # the field of a changed setting: a Settings row is key and value


@dataclass(frozen=True)
class FieldChange:
    """One field of one row that differs: ``old`` in the first plan, ``new`` in the second."""

    key: str  # the row's key as text (``key_text``)
    field: str  # field name, extra column's header, health-check item or scenario key
    old: Any  # None when the row had no value there (an extra column or answer absent)
    new: Any

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "field": self.field, "old": _plain(self.old),
                "new": _plain(self.new)}


@dataclass
class TableDiff:
    """The differences of one table: keys of rows only in the second plan (added), only in
    the first (removed), and the fields that differ in rows both have."""

    table: str  # a ChainModel attribute, or "settings"
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)

    def as_json(self) -> dict[str, Any]:
        return {"added": list(self.added), "removed": list(self.removed),
                "changed": [c.as_json() for c in self.changed]}


@dataclass
class Diff:
    """What changed from plan ``a`` to plan ``b``: one ``TableDiff`` per table of DIFF_TABLES."""

    tables: dict[str, TableDiff]

    def __len__(self) -> int:
        return sum(len(t) for t in self.tables.values())

    @property
    def empty(self) -> bool:
        return len(self) == 0

    def as_json(self) -> dict[str, Any]:
        return {"tables": {name: t.as_json() for name, t in self.tables.items()}}


def key_text(table: str, row: Any) -> str:
    """A row's key as a diff names it: the id (or a scenario's name), "supplier→buyer",
    "scenario/enterprise/project", "scenario/park/project", "enterprise/date"."""
    spec = TABLE_BY_ATTR[table]
    parts = [str(getattr(row, k)) for k in spec.key]
    return "→".join(parts) if table == "links" else "/".join(parts)


def _plain(value: Any) -> Any:
    """A value as JSON holds it (tuples as lists)."""
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new or (isinstance(old, float) and isinstance(new, float)
                              and math.isnan(old) and math.isnan(new))
    if isinstance(old, (tuple, list)) and isinstance(new, (tuple, list)):
        return len(old) == len(new) and all(_same(o, n) for o, n in zip(old, new, strict=True))
    return bool(type(old) is type(new) and old == new)


def _fields(table: str, row: Any) -> dict[str, Any]:
    """A row's values by field: declared fields, then answers and grades, then extra columns."""
    values: dict[str, Any] = {}
    spec = TABLE_BY_ATTR[table]
    for f in spec.fields:
        if f.name not in spec.key:
            values[f.name] = getattr(row, f.name)
    if table == "assessments":
        values.update(row.answers)
        values.update(row.scenarios)
    for header, value in row.extra.items():
        values.setdefault(header, value)
    return values


def _keyed(table: str, rows: list[Any]) -> dict[str, Any]:
    """Rows by key text; a repeated key (an invalid plan) gets " (2)", " (3)"… ."""
    out: dict[str, Any] = {}
    for row in rows:
        key = base = key_text(table, row)
        number = 1
        while key in out:
            number += 1
            key = f"{base} ({number})"
        out[key] = row
    return out


def _compare(result: TableDiff, key: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    for name in [*old, *(n for n in new if n not in old)]:
        before, after = old.get(name), new.get(name)
        if not _same(before, after):
            result.changed.append(FieldChange(key, name, before, after))


def _settings(a: ChainModel, b: ChainModel) -> TableDiff:
    result = TableDiff("settings")
    for spec in SETTINGS_FIELDS:
        before, after = getattr(a.settings, spec.name), getattr(b.settings, spec.name)
        if not _same(before, after):
            result.changed.append(FieldChange(spec.name, SETTING_VALUE, before, after))
    old, new = a.settings.extra, b.settings.extra
    result.removed = [k for k in old if k not in new]
    result.added = [k for k in new if k not in old]
    for key in old:
        if key in new and not _same(old[key], new[key]):
            result.changed.append(FieldChange(key, SETTING_VALUE, old[key], new[key]))
    return result


def diff(a: ChainModel, b: ChainModel) -> Diff:
    """Every difference from plan ``a`` to plan ``b`` (neither is changed)."""
    tables = {"settings": _settings(a, b)}
    for table in DIFF_TABLES[1:]:
        result = TableDiff(table)
        old = _keyed(table, getattr(a, table))
        new = _keyed(table, getattr(b, table))
        result.removed = [k for k in old if k not in new]
        result.added = [k for k in new if k not in old]
        for key, row in old.items():
            if key in new:
                _compare(result, key, _fields(table, row), _fields(table, new[key]))
        tables[table] = result
    return Diff(tables)


# --- for people ----------------------------------------------------------------------

def table_label(table: str, lang: str) -> str:
    """A table as its sheet is named in ``lang``."""
    if table == "settings":
        return "设置" if lang == "zh_CN" else "Settings"
    return TABLE_BY_ATTR[table].sheet_name(lang)


def field_label(table: str, name: str, lang: str) -> str:
    """A field as the workbook's header names it in ``lang`` (an extra column as written)."""
    zh = lang == "zh_CN"
    if table == "settings":
        if name == SETTING_VALUE:
            return "值" if zh else "value"
        return next((s.zh if zh else s.name for s in SETTINGS_FIELDS if s.name == name), name)
    if table == "assessments":
        from models.assessments import columns

        column = next((c for c in columns() if c.key == name), None)
        if column is not None:
            return column.header(lang)
    spec = TABLE_BY_ATTR[table]
    return next((f.header(lang) for f in spec.fields if f.name == name), name)


def value_text(table: str, name: str, value: Any, lang: str) -> str:
    """A value as a workbook cell in ``lang`` shows it (enums and yes/no translated)."""
    zh = lang == "zh_CN"
    if value is None or value in ("", ()):
        return "（空）" if zh else "(empty)"
    spec = None
    if table == "assessments":
        from models.assessments import columns

        column = next((c for c in columns() if c.key == name), None)
        if column is not None and column.item is not None:
            try:
                return str(column.item.display(value, lang))
            except (KeyError, TypeError, ValueError):
                return str(value)
    elif table != "settings":
        spec = next((f for f in TABLE_BY_ATTR[table].fields if f.name == name), None)
    if spec is not None:
        try:
            return str(display(spec, value, lang))
        except (KeyError, TypeError, ValueError, AttributeError):
            return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def diff_lines(result: Diff, lang: str = "en") -> list[str]:
    """The differences as lines to read, table by table, with a closing count."""
    zh = lang == "zh_CN"
    sep = "：" if zh else ": "
    lines: list[str] = []
    for name, table in result.tables.items():
        if not table:
            continue
        label = table_label(name, lang)
        lines.append(f"{label}{sep}" + (f"新增 {len(table.added)}，删除 {len(table.removed)}，"
                                        f"修改 {len(table.changed)}" if zh else
                                        f"{len(table.added)} added, {len(table.removed)} "
                                        f"removed, {len(table.changed)} changed"))
        lines += [f"  + {key}" for key in table.added]
        lines += [f"  - {key}" for key in table.removed]
        for change in table.changed:
            what = (field_label(name, change.key, lang) if name == "settings"
                    else f"{change.key} {field_label(name, change.field, lang)}")
            lines.append(f"  ~ {what}{sep}"
                         f"{value_text(name, change.field, change.old, lang)} → "
                         f"{value_text(name, change.field, change.new, lang)}")
    count = len(result)
    if count == 0:
        lines.append("没有差异" if zh else "no differences")
    else:
        lines.append(f"共 {count} 处差异" if zh else
                     f"{count} difference{'s' if count != 1 else ''}")
    return lines
