"""Plan ▸ Optimise…: budgets and options, a background run with progress and Cancel,
and the optimised plan added as a new scenario (one undo step), or, when it is infeasible
or adds nothing, why (texts from planner.optimise in the interface language)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.document import Document
from ui.i18n import language, tr
from ui.worker import BackgroundRunner, TaskState


def _run(model: Any, scenario: str, options: dict[str, Any], state: TaskState) -> Any:
    from planner.optimise import optimise

    return optimise(model, scenario, progress=state.progress, cancel=lambda: state.cancelled,
                    **options)


class OptimiseResultDialog(QDialog):
    """What the optimiser chose and why: each addition by name, what it adds to the plan's
    NPV, why it starts in its year and which limits it meets (the command line's figures)."""

    def __init__(self, result: Any, parent: QWidget | None = None):
        from planner.optimise import NPV_MEANING

        super().__init__(parent)
        lang = language()
        self.setWindowTitle(result.scenario.name)
        self.resize(1200, 600)
        layout = QVBoxLayout(self)
        self.head = QLabel(result.summary(lang), self)
        self.head.setWordWrap(True)
        layout.addWidget(self.head)
        notes = result.notes(lang)
        self.notes = QLabel("\n".join(notes), self)
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        headers = [tr("Enterprise"), tr("Project"), tr("Start year"), tr("NPV"),
                   tr("Why this year"), tr("Binding constraints")]
        self.table = QTableWidget(len(result.additions), len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrap, never cut with "…"
        self.table.verticalHeader().setVisible(False)
        for r, addition in enumerate(result.additions):
            values = [addition.enterprise_label(), addition.project_label(),
                      str(addition.start_year), addition.npv_text(lang),
                      addition.why.text(lang), addition.tight_text(lang)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if c in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        for c, width in enumerate((190, 210, 70, 130, 320, 220)):
            self.table.setColumnWidth(c, width)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        # wrapped texts need the row heights again whenever a column's width changes
        header.sectionResized.connect(lambda *_: self._fit_rows())
        # budgets over the horizon bind every addition alike: they are in the notes above
        self.table.setColumnHidden(5, not any(a.tight for a in result.additions))
        self._fit_rows()
        layout.addWidget(self.table, 1)
        note = QLabel(NPV_MEANING[lang == "zh_CN"], self)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fit_rows(self) -> None:
        """Rows tall enough for every wrapped cell.

        WORKAROUND: Qt 6.8–6.11 sizes a wrapped cell of mixed Chinese and digits a line short
        (resizeRowsToContents), so the height is measured here with the cell's own width.
        """
        table = self.table
        table.resizeRowsToContents()
        metrics = table.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        columns = [c for c in range(table.columnCount())
                   if not table.isColumnHidden(c) and table.columnWidth(c) > 40]
        for row in range(table.rowCount()):
            needed = max((metrics.boundingRect(QRect(0, 0, table.columnWidth(c) - 20, 10_000),
                                               flags, table.item(row, c).text()).height()
                          for c in columns), default=0)
            table.setRowHeight(row, max(table.rowHeight(row), needed + 8))


class OptimiseDialog(QDialog):
    """Ask for budgets and options, run the optimiser off the GUI thread, adopt the result."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.result: Any = None
        self.setWindowTitle(tr("Optimise plan"))
        self.setMinimumWidth(460)
        scenario = document.current_scenario()
        self.scenario = QComboBox(self)
        for s in document.model.scenarios:
            self.scenario.addItem(s.name)
        if scenario is not None:
            self.scenario.setCurrentText(scenario.name)
        unit = document.model.settings.amount_unit + " " + document.model.settings.currency
        self.core_budget = self._amount(1000.0, unit)
        self.government_budget = self._amount(500.0, unit)
        self.per_year = QCheckBox(tr("Budgets are per year"), self)
        self.objective = QComboBox(self)
        self.objective.addItem(tr("Net present value"), "npv")
        self.objective.addItem(tr("Connected share at the end (NPV breaks ties)"), "coverage")
        self.objective.addItem(tr("Expected NPV (weighted by who takes part)"), "expected-npv")
        self.objective.setItemData(2, tr(
            "Each assignment counts with the probability that its firm takes part (its "
            "awareness class's participation rate) and benefits at their mean; no coaching is "
            "added; budgets and cost caps hold with everyone taking part"),
            Qt.ItemDataRole.ToolTipRole)
        self.core_share = QDoubleSpinBox(self, minimum=0, maximum=100, decimals=1, suffix=" %")
        self.sme_cap = QDoubleSpinBox(self, minimum=0, maximum=100, decimals=2, suffix=" %",
                                      value=2.0)
        self.park_government = QDoubleSpinBox(self, minimum=0, maximum=100, decimals=1,
                                              suffix=" %", value=50.0)
        self.park_government.setToolTip(tr(
            "Share of new park projects the government pays; the park operator pays the rest"))
        self.park_core = QDoubleSpinBox(self, minimum=0, maximum=100, decimals=1, suffix=" %")
        self.time_limit = QDoubleSpinBox(self, minimum=1, maximum=3600, decimals=0,
                                         suffix=" s", value=60)
        form = QFormLayout()
        form.addRow(tr("Scenario"), self.scenario)
        form.addRow(tr("Core enterprise budget"), self.core_budget)
        form.addRow(tr("Government budget"), self.government_budget)
        form.addRow("", self.per_year)
        form.addRow(tr("Objective"), self.objective)
        form.addRow(tr("Core share of new projects"), self.core_share)
        form.addRow(tr("SME yearly cost cap (of revenue)"), self.sme_cap)
        form.addRow(tr("Government share of new park projects"), self.park_government)
        form.addRow(tr("Core share of new park projects"), self.park_core)
        form.addRow(tr("Time limit"), self.time_limit)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.start = QPushButton(tr("Optimise"), self)
        self.start.setDefault(True)
        self.buttons.addButton(self.start, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start.clicked.connect(self.run)
        self.cancel.clicked.connect(self.stop)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.runner = BackgroundRunner(self)
        self.runner.progress.connect(lambda f: self.progress.setValue(int(f * 100)))
        self.runner.finished.connect(self._on_finished)

    def _amount(self, value: float, unit: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self, minimum=0, maximum=1e12, decimals=1, value=value)
        spin.setSuffix(" " + unit)
        spin.setGroupSeparatorShown(True)
        return spin

    def options(self) -> dict[str, Any]:
        return {"core_budget": self.core_budget.value(),
                "government_budget": self.government_budget.value(),
                "per_year": self.per_year.isChecked(), "objective": self.objective.currentData(),
                "core_share": self.core_share.value() / 100,
                "sme_cost_cap": self.sme_cap.value() / 100,
                "park_government_share": self.park_government.value() / 100,
                "park_core_share": self.park_core.value() / 100,
                "time_limit": self.time_limit.value()}

    def run(self) -> None:
        if self.document.analysis.errors:
            self.status.setText(tr("Model has errors"))
            return
        if self.park_government.value() + self.park_core.value() > 100:
            self.status.setText(tr("The park shares add up to more than 100 %"))
            return
        self.start.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(tr("Optimising…"))
        self.runner.run(_run, self.document.model, self.scenario.currentText(), self.options())

    def stop(self) -> None:
        if self.runner.busy:
            self.runner.cancel()
            self.status.setText(tr("Cancelled"))
            self.start.setEnabled(True)
            self.progress.hide()
        else:
            self.reject()

    def _on_finished(self, result: Any, error: object) -> None:
        self.start.setEnabled(True)
        self.progress.hide()
        if result is None:
            self.status.setText(str(error).strip().splitlines()[-1] if error else "")
            return
        self.result = result
        if not result.changed:  # infeasible or nothing to add: say why, add nothing
            lang = language()
            self.status.setText("\n".join([result.summary(lang), *result.notes(lang)]))
            return
        self.adopt(result)
        self.accept()

    def adopt(self, result: Any) -> None:
        """Add the optimised scenario and its assignments as one undo step, and show it."""
        document = self.document
        document.undo_stack.beginMacro(tr("Optimise plan"))
        document.add_rows("scenarios", [result.scenario], "")
        document.add_rows("assignments", list(result.assignments), "")
        if result.park_assignments:
            document.add_rows("park_assignments", list(result.park_assignments), "")
        document.undo_stack.endMacro()
        document.set_scenario(result.scenario.name)
        self.summary = result.summary(language())
        if self.parent() is not None and hasattr(self.parent(), "statusBar"):
            self.parent().statusBar().showMessage(self.summary, 15000)  # type: ignore[union-attr]

