"""Plan ▸ Optimise… runs off the GUI thread and adds the plan as one undoable scenario, or
says why there is none and adds nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models.files import save_model
from planner.cli import main
from tests.conftest import small_chain
from ui import i18n
from ui.document import Document
from ui.optimise_dialog import OptimiseDialog, OptimiseResultDialog


@pytest.fixture
def lang(request):
    """The interface language for one test (English again afterwards)."""
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def type_value(qtbot, spin, text: str) -> None:
    """Select the spin box's number and type another, as a planner would."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Tab)


def optimise_in_dialog(qtbot, document: Document, core: str, government: str) -> OptimiseDialog:
    dialog = OptimiseDialog(document)
    qtbot.addWidget(dialog)
    dialog.show()
    type_value(qtbot, dialog.core_budget, core)
    type_value(qtbot, dialog.government_budget, government)
    type_value(qtbot, dialog.time_limit, "20")
    with qtbot.waitSignal(dialog.runner.finished, timeout=60_000):
        qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    return dialog


def test_optimised_plan_arrives_as_a_new_scenario_and_undoes_in_one_step(qtbot):
    document = Document(small_chain())
    dialog = optimise_in_dialog(qtbot, document, "1000", "1000")
    assert dialog.result is not None and dialog.result.changed
    assert not dialog.isVisible()  # accepted
    result = dialog.result
    assert result.scenario.name == "Base (optimised)"
    assert document.model.scenario("Base (optimised)") is not None
    assert document.scenario == "Base (optimised)"
    added = [a for a in document.model.assignments if a.scenario == "Base (optimised)"]
    assert len(added) == len(result.assignments) >= 2  # Base's two rows are kept
    document.undo_stack.undo()
    assert document.model.scenario("Base (optimised)") is None
    assert all(a.scenario == "Base" for a in document.model.assignments)


@pytest.mark.parametrize(("lang", "reason"), [
    ("en", "the core budget over the horizon (6.4 > 1.0)"),
    ("zh_CN", "规划期内核心企业预算（6.4 > 1.0）"),
], indirect=["lang"])
def test_infeasible_plan_says_which_budget_and_adds_nothing(qtbot, lang, reason):
    # in Base the core pays half of S1's platform onboarding: (16 − 20 % subsidy) / 2 = 6.4
    document = Document(small_chain())
    dialog = optimise_in_dialog(qtbot, document, "1", "1000")
    assert dialog.result.status == "infeasible"
    assert dialog.isVisible()  # stays open: the planner can change the budget and retry
    assert reason in dialog.status.text()
    assert dialog.start.isEnabled()
    assert [s.name for s in document.model.scenarios] == ["Base"]  # no copy of Base
    assert not document.undo_stack.canUndo()


def test_cancel_before_a_run_closes_the_dialog(qtbot):
    dialog = OptimiseDialog(Document(small_chain()))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


@pytest.mark.parametrize("lang", ["en", "zh_CN"], indirect=True)
def test_result_dialog_lists_additions_by_name_with_the_command_lines_figures(
        qtbot, capsys, tmp_path, lang):
    model = small_chain()
    path = tmp_path / "chain.json"
    save_model(model, path)
    document = Document(model)
    dialog = optimise_in_dialog(qtbot, document, "1000", "1000")
    result = dialog.result
    shown = OptimiseResultDialog(result)
    qtbot.addWidget(shown)
    assert shown.table.rowCount() == len(result.additions) > 0
    # the same file and settings on the command line print the same figures
    code = main(["optimise", str(path), "--scenario", "Base", "--core-budget", "1000",
                 "--government-budget", "1000", "--time-limit", "20", "--explain", "100",
                 "--out", str(tmp_path / "out.json"), "--lang", lang])
    assert code == 0
    printed = capsys.readouterr().out
    names = {e.id: e.name for e in model.enterprises}
    for row, addition in enumerate(result.additions):
        enterprise = shown.table.item(row, 0).text()
        assert enterprise == f"{addition.enterprise} {names[addition.enterprise]}"
        assert shown.table.item(row, 1).text() == addition.project_label()
        npv = shown.table.item(row, 3).text()
        why = shown.table.item(row, 4).text()
        assert why == addition.why.text(lang)
        assert f"{enterprise} — {addition.project_label()}" in printed
        line = next(x for x in printed.splitlines()
                    if f"{enterprise} — {addition.project_label()}" in x)
        assert npv in line and why in line
    assert ("净现值" if lang == "zh_CN" else "NPV") in shown.table.horizontalHeaderItem(3).text()
