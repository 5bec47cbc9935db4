"""Dialogs driven like a planner: Add link by name with the completer, Assign saying who is
left out and why, naming and renaming a scenario (one undo step), in both languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from models.chain import ChainModel, Link
from tests.field_values import type_text
from ui.dialogs import AssignDialog, LinkDialog
from ui.document import Document
from ui.i18n import set_language

LANGS = ("en", "zh_CN")


@pytest.fixture(params=LANGS)
def lang(request):
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.fixture
def window(qtbot, chain):
    from ui.main_window import MainWindow

    QSettings().clear()
    win = MainWindow(Document(chain))
    qtbot.addWidget(win, before_close_func=lambda w: w.document.undo_stack.setClean())
    win.show()
    return win


def ok_button(dialog: QDialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def answer(qtbot, fill: Callable[[QDialog], None], press_ok: bool = True) -> list[QDialog]:
    """Fill in the next modal dialog like a user, then press OK (or Cancel)."""
    seen: list[QDialog] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "no dialog opened"
        seen.append(dialog)
        fill(dialog)
        box = dialog.findChild(QDialogButtonBox)
        button = box.button(QDialogButtonBox.StandardButton.Ok if press_ok
                            else QDialogButtonBox.StandardButton.Cancel)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def pick_from_completer(qtbot, field, typed: str) -> None:
    """Type part of a name, then choose the first proposal with the keys."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    type_text(qtbot, field, typed)
    popup = field.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible()


def test_add_link_chooses_firms_by_name_and_the_list_never_covers_the_other_field(qtbot, chain,
                                                                                  lang):
    dialog = LinkDialog(chain)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    dialog.supplier.setFocus()
    qtbot.waitUntil(dialog.supplier.hasFocus)
    type_text(qtbot, dialog.supplier, "machin")
    popup = dialog.supplier.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert not global_rect(popup).intersects(global_rect(dialog.buyer))
    assert dialog.buyer.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.supplier.text() == "S2 · Tier-2 Machining"
    pick_from_completer(qtbot, dialog.buyer, "tier-1")
    assert dialog.buyer.text() == "S1 · Tier-1 Supplier"
    assert not ok_button(dialog).isEnabled()  # S2 → S1 exists already
    assert "S2 → S1" in dialog.error.text()
    dialog.buyer.clear()
    type_text(qtbot, dialog.buyer, "c")  # an id typed alone is enough
    dialog.value.selectAll()
    type_text(qtbot, dialog.value, "1,200")
    assert ok_button(dialog).isEnabled(), dialog.error.text()
    assert dialog.link() == Link(supplier="S2", buyer="C", annual_value=1200.0)


def test_add_link_refuses_a_name_that_matches_no_firm(qtbot, chain, lang):
    dialog = LinkDialog(chain, "S1")
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.buyer, "nobody")
    assert not ok_button(dialog).isEnabled()
    assert "nobody" in dialog.error.text()


@pytest.mark.parametrize(("selected", "supplier", "buyer"),
                         [({"C", "S2"}, "S2", "C"), ({"D1", "S1"}, "S1", "D1")])
def test_add_link_prefills_the_selected_firms_upstream_first(qtbot, window, selected, supplier,
                                                             buyer):
    window.document.set_selection(selected)
    seen = answer(qtbot, lambda d: None)
    window.actions_by_id["add_link"].trigger()
    assert (seen[0].supplier.firm(), seen[0].buyer.firm()) == (supplier, buyer)
    links = [(lk.supplier, lk.buyer) for lk in window.document.model.links]
    assert links[-1] == (supplier, buyer)


def test_assign_says_beforehand_who_is_left_out_and_why(qtbot, chain, lang):
    scenario = chain.scenarios[0]
    dialog = AssignDialog(chain, scenario, ["C", "S1", "S2", "D1"], project="ERP")
    qtbot.addWidget(dialog)
    dialog.show()
    summary = dialog.summary.text()
    # S1 has ERP in Base already
    assert ("1 left out" in summary and "S1" in summary) if lang == "en" \
        else ("排除 1 家" in summary and "S1" in summary)
    assert dialog.enterprises() == ["C", "S2", "D1"]
    dialog.project.setCurrentIndex(dialog.project.findData("MES"))  # medium and large only
    summary = dialog.summary.text()
    assert "S2" in summary and "D1" in summary
    assert ("2 left out: MES is meant for medium, large" in summary if lang == "en"
            else "仅适用于中型、大型" in summary)
    assert dialog.enterprises() == ["C", "S1"]
    assert dialog.anyway.isVisible()
    qtbot.mouseClick(dialog.anyway, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.anyway.height() // 2))  # on the box
    assert dialog.enterprises() == ["C", "S1", "S2", "D1"]


def test_assign_when_every_firm_is_left_out_cannot_be_confirmed(qtbot, chain, lang):
    dialog = AssignDialog(chain, chain.scenarios[0], ["S1"], project="ERP")
    qtbot.addWidget(dialog)
    assert not ok_button(dialog).isEnabled()
    assert dialog.error.text()


def test_assign_with_an_empty_catalogue_says_how_to_add_a_project(qtbot, chain, lang):
    chain.projects = []
    chain.assignments = []
    dialog = AssignDialog(chain, chain.scenarios[0], ["S1"])
    qtbot.addWidget(dialog)
    assert not ok_button(dialog).isEnabled()
    assert ("Projects table" in dialog.error.text() if lang == "en"
            else "“项目”表" in dialog.error.text())


def test_assign_from_the_window_reports_what_it_did(qtbot, window):
    window.document.set_selection({"C", "S1", "S2", "D1"})

    def fill(dialog):
        dialog.project.setCurrentIndex(dialog.project.findData("ERP"))
        dialog.share.selectAll()
        type_text(qtbot, dialog.share, "25%")

    answer(qtbot, fill)
    window.actions_by_id["assign"].trigger()
    model = window.document.model
    added = [(a.enterprise, a.core_share) for a in model.assignments if a.project == "ERP"]
    assert added == [("S1", 0.0), ("C", 0.25), ("S2", 0.25), ("D1", 0.25)]
    message = window.statusBar().currentMessage()
    assert "Assigned ERP to 3 of 4" in message and "1 left out" in message


def test_renaming_a_scenario_is_one_undo_step(qtbot, window):
    document = window.document

    def rename(dialog):
        dialog.name.clear()
        type_text(qtbot, dialog.name, "Plan A")

    answer(qtbot, rename)
    window.actions_by_id["rename_scenario"].trigger()
    model = document.model
    assert [s.name for s in model.scenarios] == ["Plan A"]
    assert {a.scenario for a in model.assignments} == {"Plan A"}
    assert document.scenario == "Plan A" and document.undo_stack.count() == 1
    window.actions_by_id["undo"].trigger()
    assert [s.name for s in model.scenarios] == ["Base"]
    assert {a.scenario for a in model.assignments} == {"Base"}
    assert document.scenario == "Base"
    window.actions_by_id["redo"].trigger()
    assert {a.scenario for a in model.assignments} == {"Plan A"}
    assert document.scenario == "Plan A"


def test_a_scenario_name_that_is_taken_cannot_be_confirmed(qtbot, window):
    window.document.add_scenario(type(window.document.model.scenarios[0])(
        name="Other", start_year=2026))
    states = []

    def fill(dialog):
        dialog.name.clear()
        type_text(qtbot, dialog.name, "Base")
        states.append((ok_button(dialog).isEnabled(), dialog.error.text()))

    answer(qtbot, fill, press_ok=False)
    window.actions_by_id["new_scenario"].trigger()
    assert states == [(False, "A scenario with that name exists already.")]
    assert [s.name for s in window.document.model.scenarios] == ["Base", "Other"]


def test_add_enterprise_offers_roles_and_sizes_in_the_interface_language(qtbot, lang):
    from ui.dialogs import EnterpriseDialog

    dialog = EnterpriseDialog(ChainModel())
    qtbot.addWidget(dialog)
    labels = [dialog.size.itemText(i) for i in range(dialog.size.count())]
    assert labels == (["large", "medium", "small", "micro"] if lang == "en"
                      else ["大型", "中型", "小型", "微型"])
    assert dialog.role.value() == "core"  # the first firm of an empty chain

