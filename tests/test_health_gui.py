"""The health check in the app: the panel shows the engine's levels; the form scores live."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from examples import example_path
from models.files import load_model
from planner.health import assess
from ui.document import Document
from ui.health import AssessmentForm, HealthPanel


@pytest.fixture
def document():
    return Document(load_model(example_path("shipbuilding.xlsx")).model)


def test_panel_lists_every_assessed_enterprise_with_its_level(qtbot, document):
    panel = HealthPanel(document)
    qtbot.addWidget(panel)
    health = assess(document.model, document.scenario)
    assert panel.enterprises.count() == len(health.enterprises) > 0
    texts = [panel.enterprises.item(i).text() for i in range(panel.enterprises.count())]
    for row, text in zip(health.enterprises, texts, strict=True):
        assert (f"level {row.result.level}" if row.result.level else "no level") in text
    first = health.enterprises[0]
    assert panel.radar.values == pytest.approx(
        [first.result.by_group[g.key] / g.max for g in panel.indicators.groups])
    headers = [panel.distribution.horizontalHeaderItem(c).text()
               for c in range(panel.distribution.columnCount())]
    assert headers[1:] == ["no level", "level 1", "level 2", "level 3", "level 4"]
    none = sum(1 for r in health.enterprises if r.result.level == 0)
    assert none > 0 and panel.distribution.item(0, 1).text() == str(none)


def test_recommended_project_is_assigned_with_one_click(qtbot, document):
    panel = HealthPanel(document)
    qtbot.addWidget(panel)
    row = next(r for r in panel.health.enterprises
               if r.fitting and r.fitting[0].lifts and not any(
                   a.enterprise == r.enterprise and a.project == r.fitting[0].project
                   and a.scenario == document.scenario for a in document.model.assignments))
    panel.show_enterprise(row.enterprise)
    lifted = panel.indicators.scenario(row.fitting[0].lifts[0])
    assert lifted.name_en in panel.projects.item(0, 1).text()
    before = len(document.model.assignments)
    qtbot.mouseClick(panel.projects.cellWidget(0, 4), Qt.MouseButton.LeftButton)
    assert len(document.model.assignments) == before + 1
    added = document.model.assignments[-1]
    assert (added.enterprise, added.project, added.scenario) == (
        row.enterprise, row.fitting[0].project, document.scenario)


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(4, widget.height() // 2))


def test_form_scores_as_you_answer_and_saves_one_undo_step(qtbot, document):
    enterprise = next(e.id for e in document.model.enterprises
                      if e.role != "core" and not any(a.enterprise == e.id
                                                       for a in document.model.assessments))
    form = AssessmentForm(document, enterprise)
    qtbot.addWidget(form)
    form.show()
    assert form.result.base_score == 0 and "no level" in form.result_label.text()
    collected = form.editors["data_collection"]  # a multiple choice: A (none), B … O
    click(qtbot, collected[1])
    click(qtbot, collected[2])
    assert form.answers()["data_collection"] == ("B", "C")
    assert form.result.base_score == pytest.approx(1.4)
    click(qtbot, collected[0])  # none clears the others
    assert form.answers()["data_collection"] == ("A",)
    click(qtbot, collected[3])  # and another option clears none
    assert form.answers()["data_collection"] == ("D",)
    system = form.editors["system_coverage"]
    system.setFocus()
    qtbot.keyClick(system, Qt.Key.Key_End)  # the best option, by keyboard
    assert form.answers()["system_coverage"] == "E"
    assert f"{form.result.base_score:.1f}" in form.result_label.text()
    # a grade shows what it means for this scenario
    grade = form.grades["quality"]
    grade.setFocus()
    qtbot.keyClick(grade, Qt.Key.Key_Down)
    qtbot.keyClick(grade, Qt.Key.Key_Down)
    quality = form.indicators.scenario("quality")
    assert form.grade_texts["quality"].text() == quality.grade_text(2, "en")
    count = len(document.model.assessments)
    qtbot.mouseClick(form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert len(document.model.assessments) == count + 1
    latest = document.model.assessments[-1]
    assert (latest.enterprise, latest.answers) == (enterprise, form.answers())
    assert document.model.enterprise_index()[enterprise].maturity == max(1, form.result.level)
    document.undo_stack.undo()
    assert len(document.model.assessments) == count


def test_the_wheel_never_changes_an_answer_it_scrolls_past(qtbot, document):
    form = AssessmentForm(document, document.model.enterprises[3].id)
    qtbot.addWidget(form)
    form.show()
    combo = form.grades["finance"]
    before = combo.currentIndex()
    event = QWheelEvent(QPointF(5, 5), QPointF(combo.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(combo, event)
    assert combo.currentIndex() == before


def test_a_project_with_a_prerequisite_is_assigned_with_it_in_one_step(qtbot):
    document = Document(load_model(example_path("aircraft.xlsx")).model)
    document.set_scenario("No programme")  # nothing planned: prerequisites come along
    panel = HealthPanel(document)
    qtbot.addWidget(panel)
    row = next(r for r in panel.health.enterprises if r.fitting and r.fitting[0].needs)
    fit = row.fitting[0]
    panel.show_enterprise(row.enterprise)
    assert f"with {', '.join(fit.needs)} first" in panel.projects.item(0, 0).text()
    before = len(document.model.assignments)
    qtbot.mouseClick(panel.projects.cellWidget(0, 4), Qt.MouseButton.LeftButton)
    added = document.model.assignments[before:]
    assert [a.project for a in added] == [*fit.needs, fit.project]
    catalogue = {p.id: p for p in document.model.projects}
    for first, then in itertools.pairwise(added):  # each starts once the one before is live
        assert then.start_year == first.start_year + catalogue[first.project].duration
    document.undo_stack.undo()
    assert len(document.model.assignments) == before
