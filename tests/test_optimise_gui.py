"""Plan ▸ Optimise… runs off the GUI thread and adds the plan as one undoable scenario."""

from __future__ import annotations

from tests.conftest import small_chain
from ui.document import Document
from ui.optimise_dialog import OptimiseDialog


def test_optimised_plan_arrives_as_a_new_scenario_and_undoes_in_one_step(qtbot):
    document = Document(small_chain())
    dialog = OptimiseDialog(document)
    qtbot.addWidget(dialog)
    dialog.core_budget.setValue(1000)
    dialog.government_budget.setValue(1000)
    dialog.time_limit.setValue(20)
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        dialog.start.click()
    result = dialog.result
    assert result.scenario.name == "Base (optimised)"
    assert document.model.scenario("Base (optimised)") is not None
    assert document.scenario == "Base (optimised)"
    added = [a for a in document.model.assignments if a.scenario == "Base (optimised)"]
    assert len(added) == len(result.assignments) >= 2  # Base's two rows are kept
    document.undo_stack.undo()
    assert document.model.scenario("Base (optimised)") is None
    assert all(a.scenario == "Base" for a in document.model.assignments)


def test_cancel_before_a_run_closes_the_dialog(qtbot):
    dialog = OptimiseDialog(Document(small_chain()))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.cancel.click()
    assert not dialog.isVisible()


def test_result_dialog_explains_every_addition(qtbot):
    from planner.optimise import optimise
    from ui.optimise_dialog import OptimiseResultDialog

    result = optimise(small_chain(), "Base", 1000, 1000, time_limit=20)
    dialog = OptimiseResultDialog(result)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(result.additions)
    for row, addition in enumerate(result.additions):
        assert dialog.table.item(row, 0).text() == addition.enterprise
        assert dialog.table.item(row, 4).text() == addition.why_year
