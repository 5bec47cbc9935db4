"""Field declarations shared by the data classes, validation and both file formats.

Every column of the file formats is declared once, as dataclass metadata made by ``col``:
its Chinese alias, its kind (which decides how a cell or JSON value is read),
its range and its allowed values. The workbook reader, the JSON reader, the
writers and the validator all read these declarations; none repeats them.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Kind(Enum):
    TEXT = "text"  # free text, default ""
    KEY = "key"  # required text, trimmed (ids and references)
    ENUM = "enum"  # one of ``choices``
    BOOL = "bool"
    INT = "int"  # whole number
    NUM = "num"  # number
    OPT_NUM = "opt_num"  # number or empty (None)
    OPT_INT = "opt_int"  # whole number or empty (None)
    CHOICES = "choices"  # list of values from ``choices`` (sizes, ownerships)
    RAISES = "raises"  # (business scenario, grade) pairs of the health check


# Allowed values with their Chinese labels, in display order.
ROLES = {"core": "核心企业", "supplier": "供应商", "distributor": "经销商",
         "customer": "客户", "service": "服务商"}
SIZES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
OWNERSHIPS = {"soe": "国有", "private": "民营", "foreign": "外资", "other": "其他"}
AWARENESS = {"very_familiar": "非常了解", "aware": "了解", "heard_of": "听说过",
             "unaware": "不了解"}
CRITICALITY = {"low": "低", "medium": "中", "high": "高"}
SCOPES = {"enterprise": "企业", "park": "园区"}
CATEGORIES = {"infrastructure": "基础设施", "operations": "生产经营", "management": "管理",
              "collaboration": "协同", "security": "安全"}
YES_NO = {True: "是", False: "否"}

_TRUE = {"yes", "y", "true", "1", "是", "t"}
_FALSE = {"no", "n", "false", "0", "否", "f"}
_LIST_SEPARATORS = re.compile(r"[,，;；、]")
_THOUSANDS = re.compile(r"[,，_\s\u00a0]")


def normalise(text: str) -> str:
    """The form in which sheet names, headers and enum values are matched."""
    return re.sub(r"[\s_\-]+", "", text).casefold()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    zh: str
    kind: Kind
    required: bool = False
    choices: dict[Any, str] | None = None
    lo: float | None = None
    hi: float | None = None
    percent: bool = False  # shown as a percentage in the workbook
    amount: bool = False  # shown with thousands separators in the workbook
    doc: tuple[str, str] = ("", "")  # (English, Chinese) one-line help

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh_CN" else self.name

    def expected(self, lang: str = "en") -> str:
        """What a valid value looks like, for error messages."""
        zh = lang == "zh_CN"
        if self.kind is Kind.ENUM and self.choices:
            values = list(self.choices.values() if zh else self.choices)
            return ("以下之一：" + "、".join(values)) if zh else "one of " + ", ".join(values)
        if self.kind is Kind.BOOL:
            return "是或否" if zh else "yes or no"
        if self.kind is Kind.CHOICES and self.choices:
            values = list(self.choices.values() if zh else self.choices)
            return (f"{'、'.join(values)}中的若干项，以逗号或顿号分隔" if zh
                    else f"values from {', '.join(values)} separated by commas")
        if self.kind is Kind.RAISES:
            from models.indicators import RAISES_EXPECTED

            return RAISES_EXPECTED[zh]
        if self.kind in (Kind.INT, Kind.OPT_INT):
            return ("整数" if zh else "a whole number") + _range_text(self.lo, self.hi, zh)
        if self.kind in (Kind.NUM, Kind.OPT_NUM):
            return ("数字" if zh else "a number") + _range_text(self.lo, self.hi, zh)
        return ("非空文本" if zh else "non-empty text") if self.required else ("文本" if zh else "text")


def _range_text(lo: float | None, hi: float | None, zh: bool) -> str:
    fmt = "{:g}".format
    if lo is not None and hi is not None:
        return f"（{fmt(lo)}–{fmt(hi)}）" if zh else f" from {fmt(lo)} to {fmt(hi)}"
    if lo is not None:
        return f"（≥ {fmt(lo)}）" if zh else f" ≥ {fmt(lo)}"
    return ""


_DEFAULTS = {Kind.TEXT: "", Kind.KEY: "", Kind.BOOL: False, Kind.OPT_NUM: None,
             Kind.OPT_INT: None}


def col(zh: str, kind: Kind, default: Any = dataclasses.MISSING, *, required: bool = False,
        choices: dict[Any, str] | None = None, lo: float | None = None,
        hi: float | None = None, percent: bool = False, amount: bool = False,
        doc: tuple[str, str] = ("", "")) -> Any:
    """A dataclass field carrying its ``FieldSpec`` (the name is filled in later)."""
    meta = {"spec": {"zh": zh, "kind": kind, "required": required, "choices": choices, "lo": lo,
                         "hi": hi, "percent": percent, "amount": amount, "doc": doc}}
    if kind in (Kind.CHOICES, Kind.RAISES):
        return dataclasses.field(default_factory=tuple, metadata=meta)
    if default is dataclasses.MISSING and not required:
        default = _DEFAULTS.get(kind, dataclasses.MISSING)
    return dataclasses.field(default=default, metadata=meta)


def field_specs(cls: type) -> tuple[FieldSpec, ...]:
    """The declared columns of a data class, in declaration (= column) order."""
    return tuple(FieldSpec(name=f.name, **f.metadata["spec"])
                 for f in dataclasses.fields(cls) if "spec" in f.metadata)


class CoerceError(ValueError):
    """A value that cannot be read as its field's kind (``FieldSpec.expected`` says why)."""


def _enum_lookup(choices: dict[Any, str]) -> dict[str, Any]:
    table = {}
    for value, zh in choices.items():
        table[normalise(str(value))] = value
        table[normalise(zh)] = value
    return table


_LOOKUPS: dict[int, dict[str, Any]] = {}


def _lookup(choices: dict[Any, str]) -> dict[str, Any]:
    key = id(choices)
    if key not in _LOOKUPS:
        _LOOKUPS[key] = _enum_lookup(choices)
    return _LOOKUPS[key]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number_of(value: Any) -> float:
    if isinstance(value, bool):
        raise CoerceError
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = _THOUSANDS.sub("", value.strip())
        scale = 1.0
        if text.endswith(("%", "％")):
            text, scale = text[:-1], 0.01
        try:
            number = float(text) * scale
        except ValueError:
            raise CoerceError from None
    else:
        raise CoerceError
    if not math.isfinite(number):
        raise CoerceError
    return number


BLANK: Any = object()  # what ``coerce`` returns for an empty optional value: use the default


def coerce(spec: FieldSpec, value: Any) -> Any:
    """Read a cell or JSON value as ``spec`` says; an empty optional value gives ``BLANK``.

    Raises CoerceError for a value of the wrong kind. Ranges are not checked
    here: that is validation's job, so a model built in code is checked too.
    """
    kind = spec.kind
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        if kind in (Kind.TEXT, Kind.KEY):
            return value.isoformat() if not isinstance(value, _dt.timedelta) else str(value)
        raise CoerceError
    if _is_blank(value):
        if spec.required:
            raise CoerceError
        return BLANK
    if kind is Kind.TEXT or kind is Kind.KEY:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an id typed as 1001 arrives as 1001.0
        text = str(value)
        return text.strip() if kind is Kind.KEY else text
    if kind is Kind.ENUM:
        assert spec.choices is not None
        found = _lookup(spec.choices).get(normalise(str(value)))
        if found is None:
            raise CoerceError
        return found
    if kind is Kind.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = normalise(str(value))
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CoerceError
    if kind is Kind.CHOICES:
        assert spec.choices is not None
        items = value if isinstance(value, (list, tuple)) else _LIST_SEPARATORS.split(str(value))
        chosen = []
        lookup = _lookup(spec.choices)
        for item in items:
            if _is_blank(item):
                continue
            found = lookup.get(normalise(str(item)))
            if found is None:
                raise CoerceError
            chosen.append(found)
        return tuple(chosen)
    if kind is Kind.RAISES:
        # the scenarios are the indicator set's, which is data read by models.indicators
        from models.indicators import read_raises

        return read_raises(value)
    number = number_of(value)
    if kind in (Kind.INT, Kind.OPT_INT):
        if not number.is_integer():
            raise CoerceError
        return int(number)
    return number


def reader(spec: FieldSpec) -> Callable[[Any], Any]:
    """``coerce`` for one field, with a fast path for the value types cells usually hold.

    Reading a 10,000-firm workbook calls this ~400,000 times; the fast paths take
    the common cases (a float for a number, a known spelling of an enum, plain text)
    and leave everything else to ``coerce``.
    """
    kind = spec.kind
    if kind is Kind.NUM or kind is Kind.OPT_NUM:
        def read_number(v: Any) -> Any:
            return v if type(v) is float and math.isfinite(v) else coerce(spec, v)
        return read_number
    if kind is Kind.INT:
        def read_int(v: Any) -> Any:
            return int(v) if type(v) is float and v.is_integer() else coerce(spec, v)
        return read_int
    if kind is Kind.KEY or kind is Kind.TEXT:
        def read_text(v: Any) -> Any:
            if type(v) is str and v and not v[0].isspace() and not v[-1].isspace():
                return v
            return coerce(spec, v)
        return read_text
    if kind is Kind.ENUM and spec.choices:
        exact = {str(value): value for value in spec.choices}
        exact.update({label: value for value, label in spec.choices.items()})

        def read_enum(v: Any) -> Any:
            found = exact.get(v) if type(v) is str else None
            return found if found is not None else coerce(spec, v)
        return read_enum
    return lambda v: coerce(spec, v)


def value_check(spec: FieldSpec) -> Callable[[Any], bool]:
    """A fast test of whether a value of the field is within its rule (validation)."""
    kind, lo, hi = spec.kind, spec.lo, spec.hi
    if kind is Kind.ENUM:
        choices = spec.choices or {}
        return lambda v: v in choices
    if kind is Kind.CHOICES:
        allowed = spec.choices or {}
        return lambda v: isinstance(v, tuple) and all(item in allowed for item in v)
    if kind is Kind.BOOL:
        return lambda v: v is True or v is False
    if kind is Kind.RAISES:
        from models.indicators import valid_raises

        return valid_raises
    if kind in (Kind.TEXT, Kind.KEY):
        if spec.required:
            return lambda v: type(v) is str and bool(v.strip())
        return lambda v: type(v) is str
    numeric = (int,) if kind in (Kind.INT, Kind.OPT_INT) else (int, float)
    low = -math.inf if lo is None else lo
    high = math.inf if hi is None else hi
    optional = kind in (Kind.OPT_NUM, Kind.OPT_INT)

    def check(v: Any) -> bool:
        if v is None:
            return optional
        # NaN fails both comparisons; bool is excluded by the exact type test
        return type(v) in numeric and low <= v <= high and v not in (math.inf, -math.inf)

    return check


def column_ok(spec: FieldSpec, values: list[Any]) -> bool:
    """Whether every value of a column passes ``value_check(spec)``, decided a column at a
    time (a set of types, a set of values, NumPy's minimum and maximum).

    True is exact; False only says "look value by value" (``value_check`` then names
    each): a 100,000-firm chain is checked without a Python call per value.
    """
    kind, lo, hi = spec.kind, spec.lo, spec.hi
    types = set(map(type, values))
    if kind is Kind.TEXT or kind is Kind.KEY:
        if not types <= {str}:
            return False
        return not spec.required or all(map(str.strip, values))
    if kind is Kind.ENUM:
        try:
            return set(values) <= (spec.choices or {}).keys()
        except TypeError:  # an unhashable value
            return False
    if kind is Kind.BOOL:
        return types <= {bool}
    if kind is Kind.CHOICES:
        allowed = spec.choices or {}
        try:
            return types <= {tuple} and all(item in allowed for item in set().union(*values))
        except TypeError:  # an unhashable item
            return False
    if kind is Kind.RAISES:
        return False
    optional = kind in (Kind.OPT_NUM, Kind.OPT_INT)
    numeric = {int} if kind in (Kind.INT, Kind.OPT_INT) else {int, float}
    if not types <= numeric | ({type(None)} if optional else set()):
        return False
    if type(None) in types:
        values = [v for v in values if v is not None]
    if not values:
        return True
    if float not in types:  # whole numbers, compared exactly
        return (lo is None or min(values) >= lo) and (hi is None or max(values) <= hi)
    import numpy as np

    try:
        array = np.array(values, dtype=float)
    except OverflowError:  # a whole number beyond a double
        return False
    # NaN and the infinities fail; an int rounded to a double is only near the bounds when
    # it is beyond 2**53, far from any bound a field has
    return bool(np.isfinite(array).all()) and (lo is None or bool(array.min() >= lo)) and (
        hi is None or bool(array.max() <= hi))


def display(spec: FieldSpec, value: Any, lang: str) -> Any:
    """A model value as written in a workbook cell in ``lang``."""
    zh = lang == "zh_CN"
    if spec.kind is Kind.ENUM:
        assert spec.choices is not None
        return spec.choices.get(value, value) if zh else value
    if spec.kind is Kind.BOOL:
        return YES_NO[bool(value)] if zh else ("yes" if value else "no")
    if spec.kind is Kind.CHOICES:
        choices = spec.choices or {}
        return ("、" if zh else ", ").join(choices[s] if zh else s for s in value)
    if spec.kind is Kind.RAISES:
        from models.indicators import raises_text

        return raises_text(value, lang)
    return value
