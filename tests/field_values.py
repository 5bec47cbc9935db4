"""Values a planner could store in each field kind (``ui.fields``), and typing them like one.

``values`` gives hypothesis strategies; ``type_text`` types text into a widget key by key
(Chinese characters arrive as key events carrying text, as an input method sends them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from models.indicators import MULTIPLE, default_indicator_set
from models.schema import Kind
from ui.fields import (
    AnswerKind,
    ChoiceKind,
    DateKind,
    FieldKind,
    GradeKind,
    ListKind,
    NumberKind,
    ShareKind,
    TextKind,
    WholeKind,
)

# what a planner types: Latin letters, digits, punctuation, Chinese (no control characters)
_ALPHABET = st.sampled_from(list("abcXYZ019 -_.()&/·企业链数字化园区有限公司"))
BIG = 1e12  # amounts beyond a trillion are not a planner's


def _text(required: bool, key: bool) -> st.SearchStrategy[str]:
    text = st.text(_ALPHABET, min_size=1 if required or key else 0, max_size=16)
    if key:
        return text.map(str.strip).filter(bool)
    if required:
        return text.filter(lambda t: bool(t.strip()))
    return text


def values(kind: FieldKind) -> st.SearchStrategy[Any]:
    """Valid stored values of ``kind`` (each one the field accepts)."""
    spec = kind.spec
    if isinstance(kind, AnswerKind):
        item = kind.item
        keys = [o.key for o in item.options]
        if item.type == MULTIPLE:
            exclusive = {o.key for o in item.options if o.exclusive}
            plain = [k for k in keys if k not in exclusive]
            subsets = st.lists(st.sampled_from(plain), min_size=1, unique=True).map(
                lambda chosen: tuple(k for k in keys if k in chosen))
            return st.one_of(st.none(), subsets, *(st.just((k,)) for k in exclusive))
        return st.one_of(st.none(), st.sampled_from(keys))
    if isinstance(kind, GradeKind):
        return st.one_of(st.none(), st.integers(0, 4))
    if isinstance(kind, DateKind):
        return st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
    if isinstance(kind, ChoiceKind):
        return st.sampled_from(kind.choices)
    if isinstance(kind, ListKind):
        if spec.kind is Kind.CHOICES:
            values = list(spec.choices or {})
            return st.lists(st.sampled_from(values), max_size=len(values), unique=True).map(
                lambda chosen: tuple(v for v in values if v in chosen))
        scenarios = [s.key for s in default_indicator_set().scenarios]
        return st.dictionaries(st.sampled_from(scenarios), st.integers(1, 4), max_size=4).map(
            lambda grades: tuple((k, grades[k]) for k in scenarios if k in grades))
    if isinstance(kind, WholeKind):
        lo = int(spec.lo) if spec.lo is not None else -10**6
        hi = int(spec.hi) if spec.hi is not None else 10**9
        integers = st.integers(lo, hi)
        return st.one_of(st.none(), integers) if spec.kind is Kind.OPT_INT else integers
    if isinstance(kind, NumberKind):
        lo = spec.lo if spec.lo is not None else -BIG
        hi = spec.hi if spec.hi is not None else (10.0 if isinstance(kind, ShareKind) else BIG)
        numbers = st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(
            lambda x: 0.0 if x == 0 else x)  # -0.0 is stored as 0
        return st.one_of(st.none(), numbers) if spec.kind is Kind.OPT_NUM else numbers
    assert isinstance(kind, TextKind)
    return _text(spec.required, spec.kind is Kind.KEY)


def another(kind: FieldKind, value: Any, lang: str) -> Any:
    """A valid value of ``kind`` that is shown differently from ``value``."""
    spec = kind.spec
    if isinstance(kind, AnswerKind):
        first = kind.item.options[0].key
        candidates: list[Any] = [None, (first,) if kind.item.type == MULTIPLE else first]
    elif isinstance(kind, GradeKind):
        candidates = [None, 0]
    elif isinstance(kind, DateKind):
        candidates = ["2000-01-01", "2001-01-01"]
    elif isinstance(kind, ChoiceKind):
        candidates = list(kind.choices[:2])
    elif isinstance(kind, ListKind):
        first = default_indicator_set().scenarios[0].key
        candidates = [(), (next(iter(spec.choices or {})),) if spec.kind is Kind.CHOICES
                      else ((first, 1),)]
    elif isinstance(kind, WholeKind):
        low = int(spec.lo) if spec.lo is not None else 0
        candidates = [low, low + 1] + ([None] if spec.kind is Kind.OPT_INT else [])
    elif isinstance(kind, NumberKind):
        candidates = [0.0, 1.0] + ([None] if spec.kind is Kind.OPT_NUM else [])
    else:
        candidates = ["zz", "yy"]
    shown = kind.text(value, lang)
    return next(c for c in candidates if kind.text(c, lang) != shown)


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))
