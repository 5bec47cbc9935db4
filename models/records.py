"""Turning raw records (workbook rows, JSON objects) into model rows, and back.

Both file formats meet here, so a value is read the same way wherever it
comes from, and every problem is reported with its place.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import operator
import re
from collections.abc import Callable, Container, Iterable
from typing import Any

from models.background import give_way
from models.chain import SCHEMA_VERSION, SETTINGS_FIELDS, Settings, TableSpec
from models.problems import ERROR, Problem
from models.schema import (
    BLANK,
    CoerceError,
    FieldSpec,
    Kind,
    coerce,
    column_ok,
    normalise,
    reader,
)


def expected_problem(spec: FieldSpec, table: tuple[str, str], row: int | None, key: str,
                     column: str, value: Any) -> Problem:
    return Problem(ERROR, ("expected " + spec.expected("en"), "应为" + spec.expected("zh_CN")),
                   table, row, key, column, value, True)


def build_row(table: TableSpec, raw: dict[str, Any], extra: dict[str, Any],
              place: tuple[str, str], row: int | None, headers: dict[str, str],
              problems: list[Problem]) -> Any:
    """One model row from ``raw`` (field name -> value); problems are appended.

    ``place`` names the sheet or table (English, Chinese) as the user knows it;
    ``headers`` maps field names to the column titles the user wrote, so a
    message names the column as the user sees it. Returns None when a value
    could not be read.
    """
    values: dict[str, Any] = {}
    ok = True
    for spec, read_value in _readers(table):
        value = raw.get(spec.name)
        try:
            read = read_value(value)
        except CoerceError:
            ok = False
            key = " → ".join(str(raw.get(k) or "") for k in table.key)
            problems.append(expected_problem(spec, place, row, key,
                                             headers.get(spec.name, spec.name), value))
        else:
            if read is not BLANK:
                values[spec.name] = read
    if not ok:
        return None
    return table.cls(**values, extra=extra)


_READERS: dict[str, list[tuple[FieldSpec, Any]]] = {}


def _readers(table: TableSpec) -> list[tuple[FieldSpec, Any]]:
    if table.attr not in _READERS:
        _READERS[table.attr] = [(spec, _exactly(spec, reader(spec))) for spec in table.fields]
    return _READERS[table.attr]


def _exactly(spec: FieldSpec, read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A whole-number field refuses a JSON integer it could not keep exactly (a workbook
    holds numbers as doubles); other fields read as they do."""
    if spec.kind is not Kind.INT:
        return read

    def read_whole(value: Any) -> Any:
        if (type(value) is int and abs(value) > EXACT_INTEGER) or isinstance(value, LongNumber):
            raise CoerceError
        return read(value)

    return read_whole


REFUSED: Any = object()  # what ``read_column`` gives for a value ``build_row`` would refuse


def read_column(table: TableSpec, spec: FieldSpec, values: list[Any]
                ) -> tuple[list[Any], bool, bool]:
    """A column's values read exactly as ``build_row`` reads each one (``BLANK`` for an
    empty optional value, ``REFUSED`` for a value it would report), a column at a time;
    whether it may hold either marker (a column read whole holds neither: looking for the
    markers in a column of 300,000 values is itself a pass over them); and whether it is
    known to pass ``schema.column_ok`` (validation's test, then spared): text kept as it
    is, or a column read once per distinct value whose readings all pass.

    The per-value reader stays the one rule: a column of floats for a number field is
    checked finite by NumPy, a text column without surrounding spaces is kept as it is,
    and any other column of text (enums, yes/no, lists) is read once per distinct value
    and looked up; a column of mixed kinds is read value by value.
    """
    read = next(r for f, r in _readers(table) if f.name == spec.name)

    def safely(value: Any) -> Any:
        try:
            return read(value)
        except CoerceError:
            return REFUSED

    kind = spec.kind
    types = set(map(type, values))
    if types == {float} and kind in (Kind.NUM, Kind.OPT_NUM, Kind.INT, Kind.OPT_INT):
        import numpy as np

        array = np.array(values, dtype=float)
        if kind is Kind.NUM or kind is Kind.OPT_NUM:
            if np.isfinite(array).all():
                return values, False, False
        elif np.isfinite(array).all() and (array == np.trunc(array)).all() \
                and np.abs(array).max() < 2.0**62:
            whole: list[Any] = array.astype(np.int64).tolist()
            return whole, False, False
    elif types == {str}:
        if kind is Kind.KEY or kind is Kind.TEXT:
            if list(map(str.strip, values)) == values:  # no value starts or ends with a space
                if "" not in values:  # text, none blank: column_ok's test, passed
                    return values, False, True
                empty = safely("")
                return [empty if v == "" else v for v in values], empty in (BLANK, REFUSED), \
                    False
        else:
            seen = {value: safely(value) for value in set(values)}
            readings = list(seen.values())
            marked = any(v is BLANK or v is REFUSED for v in readings)
            # column_ok holds for a column when it holds for each value: its readings decide
            clean = not marked and kind is not Kind.CHOICES and column_ok(spec, readings)
            return list(map(seen.__getitem__, values)), marked, clean
    return list(map(safely, values)), True, False


def defaults(table: TableSpec) -> dict[str, Any]:
    """Each field's default value (a fresh one for fields with a default factory)."""
    found = {}
    for f in dataclasses.fields(table.cls):
        if f.default is not dataclasses.MISSING:
            found[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            found[f.name] = f.default_factory()
    return found


def rows_of_columns(table: TableSpec, columns: dict[str, list[Any]], count: int,
                    marked: Container[str] | None = None,
                    taken: dict[tuple[str, str], list[Any]] | None = None) -> list[Any]:
    """Rows built from read columns (``BLANK``: the field's default; absent columns too);
    ``marked``, if given, names the only columns that may hold ``BLANK``. ``taken``, if
    given, receives each column as the rows hold it (for ``Columns``: no pass over the
    rows to take it again)."""
    blank = defaults(table)
    filled = {}
    for name, values in columns.items():
        if (marked is None or name in marked) and BLANK in values:  # (identity first)
            default = blank[name]
            filled[name] = [default if v is BLANK else v for v in values]
        else:
            filled[name] = values
    make = row_maker(table, list(filled))
    if taken is not None:
        tupled = {spec.name for spec in table.fields if spec.kind is Kind.CHOICES}
        taken.update(((table.attr, name), values) for name, values in filled.items()
                     if name not in tupled)  # (a list field's rows hold tuples)
    if not filled:
        return [make() for _ in range(count)]
    return list(map(make, *filled.values()))


_MAKERS: dict[tuple[str, tuple[str, ...]], Callable[..., Any]] = {}


def row_maker(table: TableSpec, names: list[str]) -> Callable[..., Any]:
    """A function taking one value per named column and returning the row, every other
    field at its default. The values are checked by the caller; lists become tuples for
    list fields.

    The row is made and its slots set directly, as the dataclass's ``__init__`` would
    (the classes have no ``__post_init__``): a keyword call per row took twice as long
    at 100,000 firms, and a dict per row built by zip longer still.
    """
    key = (table.attr, tuple(names))
    if key not in _MAKERS:
        cls = table.cls
        assert not hasattr(cls, "__post_init__")
        known = {spec.name for spec in table.fields}
        assert all(n in known and n.isidentifier() for n in names)
        tupled = {spec.name for spec in table.fields if spec.kind is Kind.CHOICES}
        fields = [f.name for f in dataclasses.fields(cls)]
        lines = [f"def make({', '.join(names)}):", "    row = new(cls)"]
        for name in fields:
            if name == "extra":
                value = "{}"
            elif name in names:
                value = f"tuple({name})" if name in tupled else name
            else:
                value = f"default[{name!r}]"
            lines.append(f"    row.{name} = {value}")
        lines.append("    return row")
        scope: dict[str, Any] = {"cls": cls, "new": object.__new__, "default": defaults(table)}
        exec("\n".join(lines), scope)
        _MAKERS[key] = scope["make"]
    return _MAKERS[key]


def build_settings(raw: dict[str, Any], extra: dict[str, Any], rows: dict[str, int],
                   place: tuple[str, str], problems: list[Problem]) -> Settings:
    values = {}
    for spec in SETTINGS_FIELDS:
        if spec.name not in raw:
            continue
        try:
            read = _exactly(spec, functools.partial(coerce, spec))(raw[spec.name])
        except CoerceError:
            problems.append(expected_problem(spec, place, rows.get(spec.name),
                                             spec.name, "value", raw[spec.name]))
        else:
            if read is not BLANK:
                values[spec.name] = read
    version = values.get("schema_version", SCHEMA_VERSION)
    if version > SCHEMA_VERSION:
        problems.append(Problem(
            ERROR, (f"this file is format version {version}; this program reads up to version "
                    f"{SCHEMA_VERSION}: please update Chain Digitalisation Planner",
                    f"此文件为第 {version} 版格式，本程序最高支持第 {SCHEMA_VERSION} 版，请升级程序"),
            place, rows.get("schema_version"), "schema_version", "value"))
    # older versions are migrated on read; version 1 is the first, so nothing to do yet
    values["schema_version"] = SCHEMA_VERSION
    return Settings(**values, extra=extra)


def record_of(row: Any) -> dict[str, Any]:
    """A model row as a plain dict of its declared fields (tuples as lists)."""
    result = {}
    for f in dataclasses.fields(row):
        if f.name == "extra":
            continue
        value = getattr(row, f.name)
        result[f.name] = list(value) if isinstance(value, tuple) else value
    return result



# --- what both formats can hold -------------------------------------------------------------

CELL_TEXT_LIMIT = 32_767  # characters a workbook cell holds
EXACT_INTEGER = 2**53  # whole numbers up to this are kept exactly by a workbook's numbers
# control characters XML cannot hold (a carriage return it would turn into a line feed), and
# an underscore that would start an escape: written as _xHHHH_, as Excel does. (The reader
# decodes _x0000_ to _x00FF_ only; U+FFFE and U+FFFF are written as they are, and read so.)
_ESCAPED = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_SHORT_TEXT = CELL_TEXT_LIMIT // len("_x0000_")  # text this short fits even fully escaped


def cell_text(text: str) -> str:
    """Text as a workbook cell stores it; the reader turns the escapes back."""
    return _ESCAPED.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def cell_length(text: str) -> int:
    return len(text) if len(text) <= _SHORT_TEXT else len(cell_text(text))


class LongNumber(str):
    """A JSON whole number too long to be read as one (over 300 digits), kept as its digits:
    read as text it is that text, read as a number it is refused."""


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds half of a surrogate pair, which is not a character (a JSON
    file may spell one as \\ud800; it cannot be saved or printed)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` cannot be kept in both formats, or None."""
    if has_surrogate(text):
        shown = text.encode("utf-8", "backslashreplace").decode()
        return (f"holds an unpaired surrogate ({_surrogates(shown)}), which is not a "
                "character: remove it", f"含有不成对的代理项（{_surrogates(shown)}），不是有效字符，请删除")
    return None


def _surrogates(shown: str) -> str:
    return ", ".join(dict.fromkeys(re.findall(r"\\ud[89a-f][0-9a-f]{2}", shown)))


def long_text_problem(text: str) -> tuple[str, str] | None:
    length = cell_length(text)
    if length <= CELL_TEXT_LIMIT:
        return None
    return (f"text of {length:,} characters (as a workbook stores it): a workbook cell holds at "
            f"most {CELL_TEXT_LIMIT:,}; shorten it", f"文本长 {length:,} 个字符（按工作簿存储计），"
            f"而工作簿单元格最多容纳 {CELL_TEXT_LIMIT:,} 个，请缩短")


def value_problem(value: Any) -> tuple[str, str] | None:
    """Why ``value`` cannot be an unknown column's value in both formats, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, LongNumber):
        return (f"a whole number of {len(value.lstrip('-')):,} digits cannot be kept exactly "
                f"(at most {EXACT_INTEGER:,})", f"整数位数过多（{len(value.lstrip('-')):,} 位），"
                f"无法精确保存（最大 {EXACT_INTEGER:,}）")
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, int):
        if abs(value) > EXACT_INTEGER:
            return (f"a whole number this large cannot be kept exactly (at most "
                    f"{EXACT_INTEGER:,})", f"整数过大，无法精确保存（最大 {EXACT_INTEGER:,}）")
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return ("expected a finite number (not NaN or infinity)", "应为有限的数（不能是 NaN 或无穷大）")
        return None
    return (f"expected text, a number or yes/no, not {_kind_of(value)}",
            f"应为文本、数或是/否，而不是{_kind_of(value, zh=True)}")


def _kind_of(value: Any, zh: bool = False) -> str:
    if isinstance(value, dict):
        return "对象" if zh else "an object"
    if isinstance(value, list | tuple):
        return "列表" if zh else "a list"
    return type(value).__name__


def _blank_value(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_extra(raw: Any, reserved: frozenset[str], place: tuple[str, str], row: int | None,
               key: str, problems: list[Problem], keep_blank: bool = False) -> dict[str, Any]:
    """A record's unknown columns as both formats keep them; problems are appended.

    Names are trimmed (a workbook header is) and must not be blank, repeat, or be
    the name of a column of the format (``reserved``: normalised names); values must
    be text, numbers or yes/no a workbook cell holds. A blank value is no value
    (for settings, ``keep_blank``, it is kept as None, as a key without a value).
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(ERROR, ("expected an object of unknown columns and their values",
                                        "应为对象（未知列及其值）"), place, row, key, "extra"))
        return {}
    extra: dict[str, Any] = {}
    for name, value in raw.items():
        where = name if isinstance(name, str) else str(name)
        if has_surrogate(where):
            problems.append(Problem(ERROR, text_problem(where) or ("", ""), place, row, key,
                                    where.encode("utf-8", "backslashreplace").decode()))
            continue
        trimmed = where.strip()
        if not trimmed:
            problems.append(Problem(ERROR, ("an unknown column needs a name", "未知列必须有名称"),
                                    place, row, key, where, value, True))
            continue
        if normalise(trimmed) in reserved:
            problems.append(Problem(ERROR, (
                f"'{trimmed}' is already a name the format uses: rename this unknown column or "
                "setting", f"“{trimmed}”已是规定格式使用的名称，请为此未知列或设置项改名"),
                place, row, key, trimmed))
            continue
        if trimmed in extra:
            problems.append(Problem(ERROR, (f"a second unknown column named '{trimmed}'",
                                            f"重复的未知列“{trimmed}”"), place, row, key, trimmed))
            continue
        if _blank_value(value):
            if keep_blank:
                extra[trimmed] = None
            continue
        why = value_problem(value)
        if why is not None:
            problems.append(Problem(ERROR, why, place, row, key, trimmed,
                                    _shown(value), True))
            continue
        extra[trimmed] = value
    return extra


def _shown(value: Any) -> Any:
    """A value as a message may show it (lists and objects as JSON)."""
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)[:60]
    return value  # Problem.text shows an unpaired surrogate as its code


def reserved_names(fields: Any) -> frozenset[str]:
    """The normalised names (English and Chinese) of a table's declared columns."""
    return frozenset(normalise(n) for spec in fields for n in (spec.name, spec.zh))


class Columns:
    """The columns of a model's tables, each taken from its rows once: validation and the
    export check read the same lists, and a column validation found clean (every value
    passes its rule: of its kind, finite, among its choices) spares the export check the
    same test. For one unchanged model: made afresh for each load or check."""

    def __init__(self, model: Any, taken: dict[tuple[str, str], list[Any]] | None = None,
                 clean: Iterable[tuple[str, str]] = ()) -> None:
        """``taken``: columns already at hand, (table attr, field) -> the field's value in
        each row, in order (as a reader built the rows from them: ``rows_of_columns``);
        ``clean``: those of them known to pass ``schema.column_ok`` (``read_column``)."""
        self.model = model
        self.taken: dict[tuple[str, str], list[Any]] = dict(taken or {})
        # (table, field) found clean by the reader or by validation
        self.clean: set[tuple[str, str]] = {key for key in clean if key in self.taken}
        self.memo: dict[Any, Any] = {}  # what checks derive from the columns, taken once

    def __call__(self, table: TableSpec, name: str) -> list[Any]:
        key = (table.attr, name)
        if key not in self.taken:
            give_way()
            self.taken[key] = list(map(operator.attrgetter(name), self.model.rows(table)))
        return self.taken[key]


def export_problems(model: Any, workbook: bool, columns: Columns | None = None,
                    pause: Callable[[], None] = lambda: None) -> list[Problem]:
    """What keeps ``model`` from being written and read back the same, each with its row
    and field: an unpaired surrogate, a number that is not finite, an unknown column a
    reader would refuse; with ``workbook`` also text longer than a cell and whole numbers
    a workbook's doubles cannot keep exactly. Empty when the model can be written.

    ``columns``: the model's columns as validation took them (``Columns``); ``pause``:
    called between columns (see ``native.dumps``)."""
    from models.chain import ASSESSMENTS, SETTINGS_FIELDS, TABLES

    columns = columns if columns is not None else Columns(model)

    found: list[Problem] = []
    place = ("Settings", "设置")
    settings = model.settings
    for spec in SETTINGS_FIELDS:
        value = getattr(settings, spec.name)
        bad = _field_problems(spec, [value], workbook)
        if bad:
            found.append(Problem(ERROR, bad[0][1], place, None, spec.name, "value",
                                 _shown(value), True, column_zh="值"))
    found += _extra_problems(settings.extra, reserved_names(SETTINGS_FIELDS), place, None, "",
                             workbook, keep_blank=True)
    for table in (*TABLES, ASSESSMENTS):
        rows = model.rows(table)
        where = (table.sheet, table.zh[0])
        for spec in table.fields:
            pause()
            values = columns(table, spec.name)
            clean = (table.attr, spec.name) in columns.clean
            for index, why in _field_problems(spec, values, workbook, clean):
                found.append(Problem(ERROR, why, where, None, table.key_of(rows[index]),
                                     spec.name, _shown(values[index]), True, index, spec.zh))
        reserved = reserved_names(table.fields)
        if table is ASSESSMENTS:
            from models.assessments import header_aliases

            reserved = frozenset(header_aliases())
        names: dict[str, tuple[str, str] | None] = {}
        for index in itertools.compress(range(len(rows)), map(operator.attrgetter("extra"), rows)):
            row = rows[index]
            found += _extra_problems(row.extra, reserved, where, index, table.key_of(row),
                                     workbook, names=names)
        if table is not ASSESSMENTS:
            continue
        for index, row in enumerate(rows):
            answers = {**row.answers, **row.scenarios}
            for name, value in answers.items():  # health-check answers and grades
                for item in value if isinstance(value, tuple | list) else (value,):
                    why_item = value_problem(item) if isinstance(item, str | float | int) \
                        else None
                    if why_item is None and workbook and isinstance(item, str):
                        why_item = long_text_problem(item)
                    if why_item:
                        found.append(Problem(ERROR, why_item, where, None, table.key_of(row),
                                             name, _shown(item), True, index))
    # the row each would be written to (a workbook's first row holds the headers)
    first = 2 if workbook else 1
    return [dataclasses.replace(p, row=p.index + first) if p.index is not None else p
            for p in found]


def _field_problems(spec: FieldSpec, values: list[Any], workbook: bool, clean: bool = False
                    ) -> list[tuple[int, tuple[str, str]]]:
    """(position, why) of the values of one column that cannot be written. ``clean``: every
    value passes ``value_check`` (so each is readable, and a number finite)."""
    found = [] if clean else [
        (i, ("expected " + spec.expected("en"), "应为" + spec.expected("zh_CN")))
        for i in _unreadable(spec, values)]
    if spec.kind not in _WRITTEN_AS_IS:
        return found  # choices, yes/no, lists: a value read is a value written
    # (a clean column of text holds text alone: no pass over 300,000 values to say so)
    types: set[type] = {str} if clean and spec.kind in (Kind.TEXT, Kind.KEY) and values \
        else set(map(type, values))
    if found:  # a value of another kind: nothing more to say about it
        bad = {i for i, _ in found}
        values = [None if i in bad else v for i, v in enumerate(values)]
        types.add(type(None))
    if spec.kind in (Kind.TEXT, Kind.KEY):
        texts = values if types == {str} else [v for v in values if type(v) is str]
        joined = "".join(texts)
        if not joined.isascii() and has_surrogate(joined):
            found += [(i, why) for i, v in enumerate(values)
                      if type(v) is str and (why := text_problem(v)) is not None]
        if workbook and texts and max(map(len, texts)) > _SHORT_TEXT:
            found += [(i, why) for i, v in enumerate(values)
                      if type(v) is str and (why := long_text_problem(v)) is not None]
    elif spec.kind in (Kind.NUM, Kind.OPT_NUM, Kind.INT, Kind.OPT_INT):
        if not clean:
            numbers = values if types == {float} else [v for v in values if type(v) is float]
            try:
                finite = math.isfinite(math.fsum(numbers))
            except OverflowError:
                finite = False
            if not finite:
                found += [(i, why) for i, v in enumerate(values)
                          if type(v) is float and (why := value_problem(v)) is not None]
        whole = values if types == {int} else \
            [v for v in values if type(v) is int] if int in types else []
        if workbook and whole and (max(whole) > EXACT_INTEGER or min(whole) < -EXACT_INTEGER):
            found += [(i, why) for i, v in enumerate(values)
                      if type(v) is int and (why := value_problem(v)) is not None]
    return found


_WRITTEN_AS_IS = (Kind.TEXT, Kind.KEY, Kind.NUM, Kind.OPT_NUM, Kind.INT, Kind.OPT_INT)
_TYPES: dict[Kind, set[type]] = {Kind.TEXT: {str}, Kind.KEY: {str}, Kind.BOOL: {bool},
                                 Kind.INT: {int}, Kind.NUM: {int, float},
                                 Kind.OPT_NUM: {int, float, type(None)},
                                 Kind.OPT_INT: {int, type(None)}}


def _unreadable(spec: FieldSpec, values: list[Any]) -> list[int]:
    """Positions of values a reader would refuse (of another kind, a required one blank, an
    enum value not among its choices): written, they would not read back at all. A value out
    of its range reads back as it is and is left to validation."""
    kind = spec.kind
    wanted = _TYPES.get(kind)
    if wanted is not None:
        bad = [] if set(map(type, values)) <= wanted else \
            [i for i, v in enumerate(values) if type(v) not in wanted]
        if kind in (Kind.TEXT, Kind.KEY) and spec.required and values and not bad \
                and min(map(len, map(str.strip, values))) == 0:
            bad = [i for i, v in enumerate(values) if not v.strip()]
        return bad
    if kind is Kind.ENUM:
        choices = spec.choices or {}
        try:
            if set(values) <= choices.keys():
                return []
        except TypeError:  # an unhashable value
            pass
        return [i for i, v in enumerate(values)
                if not isinstance(v, str | int | bool) or v not in choices]
    if kind is Kind.CHOICES:
        allowed = spec.choices or {}
        return [i for i, v in enumerate(values)
                if not isinstance(v, tuple | list) or not all(
                    isinstance(item, str) and item in allowed for item in v)]
    if kind is Kind.RAISES:
        from models.indicators import valid_raises

        return [i for i, v in enumerate(values) if not valid_raises(v)]
    return []


def _extra_problems(extra: dict[str, Any], reserved: frozenset[str], place: tuple[str, str],
                    index: int | None, key: str, workbook: bool, keep_blank: bool = False,
                    names: dict[str, tuple[str, str] | None] | None = None) -> list[Problem]:
    """Why a row's unknown columns would not read back the same (names as a workbook
    header and a reader take them; values as a cell holds them). ``names`` remembers what
    was found of each name, which repeats on every row of a table."""
    found: list[Problem] = []
    if names is None:
        names = {}
    for raw_name, value in extra.items():
        name = raw_name if isinstance(raw_name, str) else str(raw_name)  # keys are text
        if name in names:
            why = names[name]
        else:
            why = names[name] = _name_problem(name, reserved, workbook)
        if why is None:
            kind = type(value)
            if kind is str:
                if value.strip() and (not value.isascii() or len(value) > _SHORT_TEXT):
                    why = text_problem(value) or (long_text_problem(value) if workbook else None)
            elif kind is float:
                if not math.isfinite(value):
                    why = value_problem(value)
            elif kind is not bool and value is not None:
                why = value_problem(value)
        if why is not None:
            shown = name.encode("utf-8", "backslashreplace").decode() if has_surrogate(
                name) else name
            found.append(Problem(ERROR, why, place, None, key, shown, _shown(value),
                                 not _blank_value(value) or keep_blank, index))
    return found


def _name_problem(name: str, reserved: frozenset[str], workbook: bool
                  ) -> tuple[str, str] | None:
    why = text_problem(name)
    if why is None and not name.strip():
        why = ("an unknown column needs a name", "未知列必须有名称")
    if why is None and name != name.strip():
        why = ("an unknown column's name may not start or end with a space (a workbook "
               "header is trimmed)", "未知列名首尾不能有空白（工作簿表头会去除首尾空白）")
    if why is None and normalise(name) in reserved:
        why = (f"'{name}' is already a name the format uses: rename this unknown column or "
               "setting", f"“{name}”已是规定格式使用的名称，请为此未知列或设置项改名")
    if why is None and workbook:
        why = long_text_problem(name)
    return why
