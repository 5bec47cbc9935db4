"""The health check in the app: the panel shows the engine's levels; the form scores live."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox

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
    first = health.enterprises[0]
    assert f"Level {first.result.level}" in panel.enterprises.item(0).text()
    assert panel.radar.values == pytest.approx(
        [first.result.by_dimension[d.key] / d.max for d in panel.indicators.dimensions])


def test_fitting_project_is_assigned_with_one_click(qtbot, document):
    panel = HealthPanel(document)
    qtbot.addWidget(panel)
    row = next(r for r in panel.health.enterprises
               if r.fitting and not any(a.enterprise == r.enterprise and a.project ==
                                        r.fitting[0].project and a.scenario == document.scenario
                                        for a in document.model.assignments))
    panel.show_enterprise(row.enterprise)
    before = len(document.model.assignments)
    panel.projects.cellWidget(0, 3).click()
    assert len(document.model.assignments) == before + 1
    added = document.model.assignments[-1]
    assert (added.enterprise, added.project, added.scenario) == (
        row.enterprise, row.fitting[0].project, document.scenario)


def test_form_scores_as_you_answer_and_saves_one_undo_step(qtbot, document):
    enterprise = document.model.enterprises[3].id
    form = AssessmentForm(document, enterprise)
    qtbot.addWidget(form)
    start = form.result.base_score
    combo = next(e for e in form.editors.values() if isinstance(e, QComboBox))
    combo.setCurrentIndex(combo.count() - 1)  # the best option of a single-choice item
    checks = next(e for e in form.editors.values() if isinstance(e, list))
    for check in checks:
        assert isinstance(check, QCheckBox)
        check.setChecked(True)
    assert form.result.base_score > start
    assert f"{form.result.base_score:.1f}" in form.result_label.text()
    count = len(document.model.assessments)
    form.save()
    assert len(document.model.assessments) in (count, count + 1)
    latest = max((a for a in document.model.assessments if a.enterprise == enterprise),
                 key=lambda a: a.date)
    assert latest.answers == form.answers()
    assert document.model.enterprise_index()[enterprise].maturity == form.result.level
    document.undo_stack.undo()
    assert len(document.model.assessments) == count
