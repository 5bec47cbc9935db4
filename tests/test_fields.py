"""Field kinds: what a field shows, typed back, is the value it held — in English and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from models.chain import TABLE_BY_ATTR, Assessment, Enterprise, ProjectType, Scenario
from models.indicators import default_indicator_set
from tests.conftest import small_chain
from tests.field_values import another, type_text, values
from ui.fields import (
    AnswerKind,
    ChoiceEditor,
    FieldError,
    FieldKind,
    GradeKind,
    LineEditor,
    date_kind,
    kinds_of,
)
from ui.i18n import set_language

LANGS = ("en", "zh_CN")


def every_kind() -> list[tuple[str, FieldKind]]:
    found = []
    for attr, table in TABLE_BY_ATTR.items():
        for name, kind in kinds_of(table.cls).items():
            found.append((f"{attr}.{name}", kind))
    found.append(("assessments.date", date_kind()))
    ind = default_indicator_set()
    found += [(f"answer.{i.key}", AnswerKind(i)) for i in ind.items]
    found += [(f"grade.{s.key}", GradeKind(s.key, s.name_zh, s.name_en)) for s in ind.scenarios]
    return found


KINDS = every_kind()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "kind"), KINDS, ids=[n for n, _ in KINDS])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_what_a_field_shows_reads_back_as_the_same_value(name, kind, lang, data):
    value = data.draw(values(kind))
    assert kind.problem(value, lang) == ""
    shown = kind.text(value, lang)
    back = kind.read(shown, lang)
    assert back == value and type(back) is type(value), (name, shown)


def kind(table: str, name: str) -> FieldKind:
    return kinds_of(TABLE_BY_ATTR[table].cls)[name]


@pytest.mark.parametrize("lang", LANGS)
def test_shares_are_shown_and_typed_in_percent(lang):
    benefit = kind("projects", "benefit_rate")
    core = kind("assignments", "core_share")
    assert benefit.text(0.3, lang) == "30%"
    assert benefit.text(0.025, lang) == "2.5%"
    assert benefit.read("2%", lang) == 0.02  # once stored as 200 %
    assert core.read("60%", lang) == 0.6  # once stored as 0 %
    for typed in ("30", "30%", "30 %", "３０％", " 30% "):
        assert core.read(typed, lang) == 0.3
    assert benefit.read("0.5", lang) == 0.005  # a bare number is a percentage too
    assert "30" in benefit.placeholder(lang)
    with pytest.raises(FieldError, match="100%"):
        core.read("120%", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_amounts_counts_and_years(lang):
    revenue = kind("enterprises", "revenue")
    assert revenue.text(25000.0, lang) == "25,000"
    assert revenue.text(1234.5678, lang) == "1,234.5678"  # shown exactly, never rounded away
    for typed in ("25,000", "25000", "25 000", "25，000"):
        assert revenue.read(typed, lang) == 25000.0
    assert kind("enterprises", "employees").text(12000, lang) == "12,000"
    assert kind("scenarios", "start_year").text(2026, lang) == "2026"
    assert kind("scenarios", "start_year").read("2,026", lang) == 2026
    assert kind("scenarios", "subsidy_cap").read("", lang) is None
    assert revenue.read("", lang) == 0.0  # an emptied number takes the field's default
    with pytest.raises(FieldError):
        revenue.read("30%", lang)  # a percent sign in an amount is a slip, not a number
    with pytest.raises(FieldError):
        kind("enterprises", "employees").read("12.5", lang)


def test_choices_show_in_the_interface_language_and_read_in_either():
    size = kind("enterprises", "size")
    connected = kind("enterprises", "platform_connected")
    awareness = kind("enterprises", "awareness")
    assert size.text("medium", "zh_CN") == "中型" and size.text("medium", "en") == "medium"
    assert size.read("中型", "en") == "medium" and size.read("Medium", "zh_CN") == "medium"
    assert connected.text(True, "zh_CN") == "是" and connected.text(False, "en") == "no"
    assert connected.read("否", "en") is False and connected.read("yes", "zh_CN") is True
    assert awareness.text("very_familiar", "en") == "very familiar"
    assert awareness.read("very familiar", "en") == "very_familiar"


def test_a_refusal_says_what_was_expected_in_the_interface_language():
    revenue = kind("enterprises", "revenue")
    with pytest.raises(FieldError, match="expected a number"):
        revenue.read("lots", "en")
    with pytest.raises(FieldError, match="应为数字"):
        revenue.read("很多", "zh_CN")
    with pytest.raises(FieldError, match="one of large, medium"):
        kind("enterprises", "size").read("huge", "en")


def test_lists_dates_and_answers():
    sizes = kind("projects", "eligible_sizes")
    assert sizes.text(("medium", "large"), "zh_CN") == "中型、大型"
    assert sizes.read("中型，大型", "en") == ("medium", "large")
    assert sizes.read("", "en") == ()
    date = date_kind()
    assert date.read("2025/3/31", "en") == "2025-03-31"
    with pytest.raises(FieldError):
        date.read("31.3.2025", "en")
    item = next(i for i in default_indicator_set().items if i.banded)
    answer = AnswerKind(item)
    assert answer.read("45%", "en") == answer.read("45", "en")  # a rate picks its band
    assert answer.read("", "en") is None


def test_editors_show_the_text_the_cells_show(qtbot):
    share = kind("scenarios", "discount_rate")
    editor = share.editor(None, "zh_CN")
    qtbot.addWidget(editor)
    assert isinstance(editor, LineEditor)
    editor.set_value(0.08)
    assert editor.text() == "8%" and "30%" in editor.placeholderText()
    editor.selectAll()
    qtbot.keyClicks(editor, "6.5")
    assert editor.value() == 0.065
    qtbot.keyClicks(editor, "x")
    assert "百分比" in editor.problem() and "#fde7e9" in editor.styleSheet()


def test_a_value_longer_than_its_field_shows_its_start(qtbot):
    """The inspector's fields are narrow: a long name is read from its beginning."""
    editor = kind("enterprises", "name").editor(None, "en")
    qtbot.addWidget(editor)
    editor.resize(90, 26)
    editor.show()
    editor.set_value("Lanhai Nacelle Systems 澜海短舱")
    assert editor.cursorPosition() == 0
    assert editor.cursorRect().left() < 10  # the caret, and the text's start, at the left


def test_a_choice_never_changes_on_the_wheel_unless_focused(qtbot):
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    other = kind("enterprises", "name").editor(form, "en")
    size = kind("enterprises", "size").editor(form, "en")
    layout.addWidget(other)
    layout.addWidget(size)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    assert isinstance(size, ChoiceEditor)
    size.set_value("small")
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)

    def wheel() -> None:
        centre = QPointF(size.rect().center())
        event = QWheelEvent(centre, QPointF(size.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(size, event)

    wheel()
    assert size.value() == "small"
    size.setFocus()
    qtbot.waitUntil(size.hasFocus)
    wheel()
    assert size.value() == "micro"


@pytest.mark.parametrize("row", [Enterprise(id="E", name="N", role="core", size="small"),
                                 ProjectType(id="P", name="N", category="management"),
                                 Scenario(name="S", start_year=2026),
                                 Assessment(enterprise="E", date="2025-03-31")])
def test_every_default_value_is_shown_and_read_back(row):
    table = next(t for t in TABLE_BY_ATTR.values() if t.cls is type(row))
    for name, field_kind in kinds_of(table.cls).items():
        value = getattr(row, name)
        for lang in LANGS:
            assert field_kind.read(field_kind.text(value, lang), lang) == value, name


# --- the inspector uses the same kinds ---------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("table", ["enterprises", "links"])
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_the_inspector_shows_typed_back_stores_the_same_value(qtbot, table, lang, data):
    """Every field of the inspected enterprise or link: store a value, store another, type the
    text the inspector showed for the first into its editor and press Enter."""
    from ui.document import Document
    from ui.inspector import Inspector

    set_language(lang)
    try:
        chain = small_chain()
        document = Document(chain)
        inspector = Inspector(document)
        qtbot.addWidget(inspector)
        inspector.resize(360, 700)
        inspector.show()
        inspector.activateWindow()
        qtbot.waitExposed(inspector)
        row = chain.enterprises[1] if table == "enterprises" else chain.links[0]
        if table == "enterprises":
            document.set_selection({row.id})
        else:
            document.set_selection(set(), {(row.supplier, row.buyer)})
        for name, field_kind in kinds_of(type(row)).items():
            value = data.draw(values(field_kind), name)
            document.set_values([(row, name, value)], "store")
            editor = inspector.editors[name]
            shown = field_kind.text(value, lang)
            if isinstance(editor, LineEditor):
                assert editor.text() == shown
            else:
                assert editor.currentText() == shown
            document.set_values([(row, name, another(field_kind, value, lang))], "another")
            editor.setFocus()
            qtbot.waitUntil(editor.hasFocus)
            if isinstance(editor, LineEditor):
                editor.selectAll()
                if shown:
                    type_text(qtbot, editor, shown)
                else:
                    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
            else:
                type_text(qtbot, editor, shown.split(" ", maxsplit=1)[0])
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            stored = getattr(row, name)
            assert stored == value and type(stored) is type(value), (name, shown, stored)
            assert inspector.error.text() == ""
    finally:
        set_language("en")
