"""Field kinds: how each kind of value is shown, typed, read back and checked, in both languages.

One object per kind of value — share (a percentage), amount, year, count, number, choice,
yes/no, list of sizes, list of scenario grades, text, id, date, a health-check answer —
knows four things: ``text`` (what a cell, the inspector or a dialog shows), ``parse`` (what a
planner typed, read back), ``problem`` (what is wrong with a value, in words) and ``editor``
(the one widget that edits it). Tables, the inspector, dialogs and forms all use these, so
the rule holds everywhere: what is shown, typed back, stores the same value.

The rules a planner sees in each editor's placeholder and tooltip:

- a share is always typed in percent: ``30``, ``30%`` and ``30 %`` all mean 30 %
  (``0.5`` means 0.5 %); it is shown as ``30%``;
- amounts and counts are shown with thousands separators and read with or without them;
- years are shown and read as plain whole numbers;
- choices and yes/no are shown in the interface language and read in either language.

Numbers are shown exactly (the shortest decimal that reads back as the same number), so
showing never rounds a value away.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from models.assessments import DATE_EXPECTED, read_date, valid_date
from models.indicators import GRADE_EXPECTED, Item, raises_text, read_grade, valid_grade
from models.schema import (
    BLANK,
    YES_NO,
    CoerceError,
    FieldSpec,
    Kind,
    coerce,
    display,
    value_check,
)

ZH = "zh_CN"
_SEPARATORS = re.compile(r"[,，_\s\u00a0\u202f'’]")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
_PERCENT = ("%", "％")
_INVALID_STYLE = "background: #fde7e9;"


class FieldError(ValueError):
    """Typed text or a value that a field does not accept; ``str(error)`` says why."""


def _zh(lang: str) -> bool:
    return lang == ZH


# --- numbers, exactly ---------------------------------------------------------------------

def decimal_of(value: float | int) -> Decimal:
    """The shortest decimal that reads back as ``value`` (0.3, not 0.299999…)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def decimal_text(number: Decimal, grouped: bool) -> str:
    """A decimal in plain notation (no exponent), thousands grouped if asked, no trailing zeros."""
    number = number.normalize()
    if number == 0:
        return "0"
    if abs(number.adjusted()) > 18:  # astronomically large or small: keep it readable and exact
        return str(number)
    return format(number, ",f" if grouped else "f")


def parse_decimal(text: str) -> Decimal:
    """A typed number: thousands separators (``,`` ``，`` spaces) and full-width digits allowed."""
    cleaned = _SEPARATORS.sub("", text.strip().translate(_FULL_WIDTH))
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise FieldError from None
    if not number.is_finite():
        raise FieldError
    return number


# --- kinds ----------------------------------------------------------------------------------

class FieldKind:
    """How one kind of value is shown, typed, read back, checked and edited."""

    numeric = False  # right-aligned in tables
    choices: tuple[Any, ...] = ()  # the values of a choice (enum, yes/no), in display order

    def __init__(self, spec: FieldSpec, default: Any = None):
        self.spec = spec
        self.default = default  # what an emptied optional field stores

    # showing
    def text(self, value: Any, lang: str) -> str:
        return "" if value is None else str(value)

    def sort_key(self, value: Any) -> Any:
        return self.text(value, "en").casefold()

    # reading back
    def parse(self, text: str, lang: str) -> Any:
        """Typed ``text`` as a value (not yet checked against the field's range)."""
        raise NotImplementedError

    def read(self, text: str, lang: str) -> Any:
        """Typed ``text`` as a checked value; an emptied optional field gives its default.

        Raises FieldError saying, in ``lang``, what was expected.
        """
        if not text.strip():
            if self.spec.required:
                raise FieldError(self.expected_message(lang))
            return self.default
        try:
            value = self.parse(text, lang)
        except (FieldError, CoerceError):
            raise FieldError(self.expected_message(lang)) from None
        problem = self.problem(value, lang)
        if problem:
            raise FieldError(problem)
        return value

    def check(self, value: Any) -> bool:
        return value_check(self.spec)(value)

    def problem(self, value: Any, lang: str) -> str:
        """What is wrong with a value, or "" when the field accepts it."""
        return "" if self.check(value) else self.expected_message(lang)

    def expected(self, lang: str) -> str:
        return self.spec.expected(lang)

    def expected_message(self, lang: str) -> str:
        return ("应为" if _zh(lang) else "expected ") + self.expected(lang)

    # help
    def placeholder(self, lang: str) -> str:
        return ""

    def hint(self, lang: str) -> str:
        """The tooltip of the field: what it means and how to type it."""
        doc = self.spec.doc[1 if _zh(lang) else 0]
        rule = self.placeholder(lang) or self.expected(lang)
        return f"{doc}\n{rule}" if doc else rule

    # editing
    def editor(self, parent: QWidget | None, lang: str) -> FieldEditor:
        return LineEditor(self, lang, parent)


class TextKind(FieldKind):
    """Free text (stored as typed) or an id (trimmed; required ids may not be empty)."""

    def parse(self, text: str, lang: str) -> Any:
        return text.strip() if self.spec.kind is Kind.KEY else text

    def read(self, text: str, lang: str) -> Any:
        if self.spec.kind is Kind.TEXT and not self.spec.required:
            return text  # free text is stored as typed
        if not text.strip() and not self.spec.required:
            return ""
        return super().read(text, lang)

    def placeholder(self, lang: str) -> str:
        return ("必填" if _zh(lang) else "required") if self.spec.required else ""


class NumberKind(FieldKind):
    """A number; ``grouped`` shows thousands separators (amounts)."""

    numeric = True

    def __init__(self, spec: FieldSpec, default: Any = None, grouped: bool = False):
        super().__init__(spec, default)
        self.grouped = grouped

    def text(self, value: Any, lang: str) -> str:
        if value is None:
            return ""
        return decimal_text(decimal_of(value), self.grouped)

    def sort_key(self, value: Any) -> Any:
        return float("-inf") if value is None else float(value)

    def parse(self, text: str, lang: str) -> Any:
        if text.strip().endswith(_PERCENT):
            raise FieldError
        return float(parse_decimal(text))

    def placeholder(self, lang: str) -> str:
        if self.grouped:
            return "金额，如 25,000 或 25000" if _zh(lang) else "an amount, e.g. 25,000 or 25000"
        return ""


class ShareKind(NumberKind):
    """A share of a whole, stored as a fraction (0.3) and shown and typed in percent (30%)."""

    def text(self, value: Any, lang: str) -> str:
        if value is None:
            return ""
        return decimal_text(decimal_of(value).scaleb(2), False) + "%"

    def parse(self, text: str, lang: str) -> Any:
        text = text.strip()
        if text.endswith(_PERCENT):
            text = text[:-1]
        return float(parse_decimal(text).scaleb(-2))

    def placeholder(self, lang: str) -> str:
        return ("百分比：30、30% 均表示 30%" if _zh(lang)
                else "in percent: 30 or 30% both mean 30 %")

    def expected_message(self, lang: str) -> str:
        return super().expected_message(lang) + ("；" if _zh(lang) else "; ") + \
            self.placeholder(lang)

    def expected(self, lang: str) -> str:
        lo, hi = self.spec.lo, self.spec.hi
        zh = _zh(lang)
        what = "百分比" if zh else "a percentage"
        if lo is not None and hi is not None:
            return f"{what}（{lo * 100:g}%–{hi * 100:g}%）" if zh \
                else f"{what} from {lo * 100:g}% to {hi * 100:g}%"
        if lo is not None:
            return f"{what}（≥ {lo * 100:g}%）" if zh else f"{what} ≥ {lo * 100:g}%"
        return what


class WholeKind(NumberKind):
    """A whole number: a count (thousands grouped) or a year or level (plain)."""

    def text(self, value: Any, lang: str) -> str:
        if value is None:
            return ""
        return f"{value:,d}" if self.grouped else str(value)

    def parse(self, text: str, lang: str) -> Any:
        number = parse_decimal(text)
        if number != number.to_integral_value():
            raise FieldError
        return int(number)

    def placeholder(self, lang: str) -> str:
        return ""


class ChoiceKind(FieldKind):
    """One of a fixed list of values (an enum or yes/no), shown in the interface language."""

    def __init__(self, spec: FieldSpec, default: Any = None):
        super().__init__(spec, default)
        self.choices = tuple(spec.choices or ()) if spec.kind is Kind.ENUM else (True, False)

    def text(self, value: Any, lang: str) -> str:
        if self.spec.kind is Kind.BOOL:
            return YES_NO[bool(value)] if _zh(lang) else ("yes" if value else "no")
        if _zh(lang):
            return str((self.spec.choices or {}).get(value, value))
        return str(value).replace("_", " ")

    def sort_key(self, value: Any) -> Any:
        return self.choices.index(value) if value in self.choices else len(self.choices)

    def parse(self, text: str, lang: str) -> Any:
        value = coerce(self.spec, text)
        if value is BLANK:
            raise FieldError
        return value

    def placeholder(self, lang: str) -> str:
        return self.expected(lang)

    def expected(self, lang: str) -> str:
        if self.spec.kind is Kind.BOOL:
            return "是或否" if _zh(lang) else "yes or no"
        labels = [self.text(c, lang) for c in self.choices]
        return ("以下之一：" + "、".join(labels)) if _zh(lang) else "one of " + ", ".join(labels)

    def editor(self, parent: QWidget | None, lang: str) -> FieldEditor:
        return ChoiceEditor(self, lang, parent)


class ListKind(FieldKind):
    """A list: sizes or ownerships, or (scenario, grade) pairs of the health check."""

    def text(self, value: Any, lang: str) -> str:
        if self.spec.kind is Kind.RAISES:
            return raises_text(value, lang)
        return display(self.spec, value, lang)

    def parse(self, text: str, lang: str) -> Any:
        value = coerce(self.spec, text)
        return () if value is BLANK else value

    def read(self, text: str, lang: str) -> Any:
        return () if not text.strip() else super().read(text, lang)

    def placeholder(self, lang: str) -> str:
        if self.spec.kind is Kind.CHOICES:
            choices = list((self.spec.choices or {}).items())[:2][::-1]
            example = "、".join(zh for _, zh in choices) if _zh(lang) else \
                ", ".join(value for value, _ in choices)
            return (f"以逗号或顿号分隔，如 {example}；空为全部" if _zh(lang)
                    else f"separated by commas, e.g. {example}; empty = all")
        return self.expected(lang)


class DateKind(FieldKind):
    """A date, stored and shown as 2025-03-31; typed also as 2025/3/31 or 2025年3月31日."""

    def parse(self, text: str, lang: str) -> Any:
        return read_date(text)

    def check(self, value: Any) -> bool:
        return valid_date(value)

    def expected(self, lang: str) -> str:
        return DATE_EXPECTED[1 if _zh(lang) else 0]

    def placeholder(self, lang: str) -> str:
        return "如 2025-03-31" if _zh(lang) else "e.g. 2025-03-31"


class AnswerKind(FieldKind):
    """A health-check answer: an option's letter (or letters), or a rate for banded items."""

    def __init__(self, item: Item):
        super().__init__(FieldSpec(item.key, item.name_zh, Kind.TEXT), None)
        self.item = item

    def text(self, value: Any, lang: str) -> str:
        return "" if value is None else self.item.display(value, lang)

    def parse(self, text: str, lang: str) -> Any:
        value = self.item.read(text)
        return None if value is BLANK else value

    def read(self, text: str, lang: str) -> Any:
        return None if not text.strip() else super().read(text, lang)

    def check(self, value: Any) -> bool:
        return value is None or self.item.valid(value)

    def expected(self, lang: str) -> str:
        return self.item.expected(lang)

    def hint(self, lang: str) -> str:
        question = self.item.question_zh if _zh(lang) else self.item.question_en
        options = "\n".join(f"{o.key}: {o.label_zh if _zh(lang) else o.label_en}"
                            for o in self.item.options)
        return "\n".join(part for part in (self.item.label(lang), question, options,
                                           self.expected(lang)) if part)


class GradeKind(FieldKind):
    """A business scenario's grade in a health check: 0–4, empty when not graded."""

    numeric = True

    def __init__(self, key: str, name_zh: str, name_en: str):
        super().__init__(FieldSpec(key, name_zh, Kind.INT, lo=0, hi=4), None)
        self.name_en = name_en

    def sort_key(self, value: Any) -> Any:
        return -1 if value is None else value

    def parse(self, text: str, lang: str) -> Any:
        return read_grade(text.strip())

    def read(self, text: str, lang: str) -> Any:
        return None if not text.strip() else super().read(text, lang)

    def check(self, value: Any) -> bool:
        return value is None or valid_grade(value)

    def expected(self, lang: str) -> str:
        return GRADE_EXPECTED[1 if _zh(lang) else 0]

    def hint(self, lang: str) -> str:
        return (self.spec.zh if _zh(lang) else self.name_en) + "\n" + self.expected(lang)


def kind_of(spec: FieldSpec, default: Any = None) -> FieldKind:
    """The kind of a declared field (``default``: what an emptied optional field stores)."""
    kind = spec.kind
    if kind in (Kind.ENUM, Kind.BOOL):
        return ChoiceKind(spec, default)
    if kind in (Kind.CHOICES, Kind.RAISES):
        return ListKind(spec, ())
    if kind in (Kind.INT, Kind.OPT_INT):
        # years and levels read plainly (2026, 3); counts are grouped (12,000)
        plain = spec.name.endswith("year") or (spec.hi is not None and spec.hi <= 50)
        return WholeKind(spec, default, grouped=not plain)
    if kind in (Kind.NUM, Kind.OPT_NUM):
        if spec.percent:
            return ShareKind(spec, default)
        return NumberKind(spec, default, grouped=spec.amount)
    return TextKind(spec, default if default is not None else "")


def kinds_of(cls: type) -> dict[str, FieldKind]:
    """The kind of every declared field of a data class, with its default."""
    from models.schema import field_specs

    defaults: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            defaults[f.name] = f.default_factory()
    return {spec.name: kind_of(spec, defaults.get(spec.name)) for spec in field_specs(cls)}


def date_kind() -> DateKind:
    return DateKind(FieldSpec("date", "日期", Kind.KEY, required=True,
                              doc=("Assessment date, like 2025-03-31", "评测日期，如 2025-03-31")))


# --- editors ---------------------------------------------------------------------------------

class FieldEditor:
    """What every field editor offers: show a value, and read back what was typed."""

    kind: FieldKind

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        """The edited value, checked; raises FieldError saying what was expected."""
        raise NotImplementedError

    def problem(self) -> str:
        try:
            self.value()
        except FieldError as error:
            return str(error)
        return ""


class LineEditor(QLineEdit, FieldEditor):
    """A line edit showing a value as its kind shows it, red while the text is not valid."""

    edited = Signal()  # the planner finished an edit (Enter or focus left) with a new text

    def __init__(self, kind: FieldKind, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind, self.lang = kind, lang
        self._shown = ""
        self.setPlaceholderText(kind.placeholder(lang))
        self.setToolTip(kind.hint(lang))
        if kind.numeric:
            self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textEdited.connect(self._show_check)
        self.editingFinished.connect(self._on_editing_finished)

    def set_value(self, value: Any) -> None:
        self._shown = self.kind.text(value, self.lang)
        self.setText(self._shown)
        self.setCursorPosition(0)  # a long name shows its start, not its end
        self.setStyleSheet("")

    def value(self) -> Any:
        return self.kind.read(self.text(), self.lang)

    def changed(self) -> bool:
        """Whether the text differs from the value last shown."""
        return self.text() != self._shown

    def set_completions(self, entries: list[str]) -> None:
        """Offer these texts while typing (ids of the rows a reference may name)."""
        completer = QCompleter(entries, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)

    def _show_check(self) -> None:
        problem = self.problem()
        self.setStyleSheet(f"QLineEdit {{ {_INVALID_STYLE} }}" if problem else "")
        self.setToolTip(problem or self.kind.hint(self.lang))

    def _on_editing_finished(self) -> None:
        if self.changed():
            self.edited.emit()


class ChoiceEditor(QComboBox, FieldEditor):
    """A drop-down of the kind's choices in the interface language (typing a label picks it).

    The wheel changes it only once it has focus, so scrolling a form never changes a value.
    """

    edited = Signal()  # the planner picked a value

    def __init__(self, kind: FieldKind, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind, self.lang = kind, lang
        for choice in kind.choices:
            self.addItem(kind.text(choice, lang), choice)
        self.setToolTip(kind.hint(lang))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.activated.connect(lambda _index: self.edited.emit())

    def set_value(self, value: Any) -> None:
        for index in range(self.count()):
            if self.itemData(index) == value and type(self.itemData(index)) is type(value):
                self.setCurrentIndex(index)
                return
        self.setCurrentIndex(0)

    def value(self) -> Any:
        return self.currentData()

    def changed(self) -> bool:
        return True

    def wheelEvent(self, event: Any) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
