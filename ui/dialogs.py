"""Small dialogs: add an enterprise or a link, assign a project, list problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain import ChainModel, Enterprise, Link, Scenario
from models.problems import Problem
from models.schema import ROLES, SIZES
from ui.i18n import language, tr


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _enum_combo(parent: QWidget, choices: dict[str, str], current: str) -> QComboBox:
    combo = QComboBox(parent)
    for value, zh in choices.items():
        combo.addItem(zh if language() == "zh_CN" else value, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class _Form(QDialog):
    """A form with an error line that stays disabled (OK) until the input is valid."""

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = _buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def check(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def problem(self) -> str:
        return ""


class EnterpriseDialog(_Form):
    def __init__(self, model: ChainModel, parent: QWidget | None = None):
        super().__init__(tr("Add enterprise…").rstrip("…"), parent)
        self.taken = {e.id for e in model.enterprises}
        number = len(self.taken) + 1
        while f"E{number:03d}" in self.taken:
            number += 1
        self.id = QLineEdit(f"E{number:03d}", self)
        self.name = QLineEdit(tr("New enterprise"), self)
        self.role = _enum_combo(self, ROLES, "supplier" if model.core() else "core")
        self.size = _enum_combo(self, SIZES, "small")
        self.form.addRow(tr("Enterprise id"), self.id)
        self.form.addRow(tr("Name"), self.name)
        self.form.addRow(tr("Role"), self.role)
        self.form.addRow(tr("Size"), self.size)
        for edit in (self.id, self.name):
            edit.textChanged.connect(self.check)
        self.check()

    def problem(self) -> str:
        if not self.id.text().strip() or not self.name.text().strip():
            return tr("expected {0}", "非空文本" if language() == "zh_CN" else "non-empty text")
        if self.id.text().strip() in self.taken:
            return tr("An enterprise with id {0} exists already.", self.id.text().strip())
        return ""

    def enterprise(self) -> Enterprise:
        return Enterprise(id=self.id.text().strip(), name=self.name.text().strip(),
                          role=self.role.currentData(), size=self.size.currentData())


class LinkDialog(_Form):
    def __init__(self, model: ChainModel, supplier: str = "", buyer: str = "",
                 parent: QWidget | None = None):
        super().__init__(tr("Add link…").rstrip("…"), parent)
        ids = [e.id for e in model.enterprises]
        self.ids = set(ids)
        self.taken = {(lk.supplier, lk.buyer) for lk in model.links}
        self.supplier = QLineEdit(supplier, self)
        self.buyer = QLineEdit(buyer, self)
        for edit in (self.supplier, self.buyer):
            completer = QCompleter(ids, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
            edit.textChanged.connect(self.check)
        self.value = QDoubleSpinBox(self, maximum=1e12, decimals=1)
        self.form.addRow(tr("Supplier id"), self.supplier)
        self.form.addRow(tr("Buyer id"), self.buyer)
        self.form.addRow("年交易额" if language() == "zh_CN" else "Annual value", self.value)
        self.check()

    def problem(self) -> str:
        supplier, buyer = self.supplier.text().strip(), self.buyer.text().strip()
        for value in (supplier, buyer):
            if value not in self.ids:
                return tr("expected {0}", tr("Enterprise id")) + (f": {value}" if value else "")
        if supplier == buyer:
            return "供应方与采购方不能相同" if language() == "zh_CN" else \
                "a link needs two different enterprises"
        if (supplier, buyer) in self.taken:
            return tr("Link {0} → {1} exists already.", supplier, buyer)
        return ""

    def link(self) -> Link:
        return Link(supplier=self.supplier.text().strip(), buyer=self.buyer.text().strip(),
                    annual_value=self.value.value())


class AssignDialog(_Form):
    """Project, start year and core share for the selected enterprises."""

    def __init__(self, model: ChainModel, scenario: Scenario, count: int,
                 parent: QWidget | None = None, project: str = ""):
        super().__init__(tr("Assign project…").rstrip("…"), parent)
        self.project = QComboBox(self)
        for p in model.projects:
            self.project.addItem(f"{p.id} — {p.name}", p.id)
        self.project.setCurrentIndex(max(0, self.project.findData(project)))
        self.start = QSpinBox(self)
        self.start.setRange(scenario.start_year - 20, scenario.start_year + scenario.horizon + 20)
        self.start.setValue(scenario.start_year)
        self.share = QDoubleSpinBox(self, minimum=0, maximum=100, decimals=1, suffix=" %")
        self.form.addRow(tr("Scenario"), QLabel(scenario.name, self))
        self.form.addRow(tr("Project"), self.project)
        self.form.addRow(tr("Start year"), self.start)
        self.form.addRow(tr("Core share"), self.share)
        self.form.addRow("", QLabel(tr("{0} enterprises selected", count), self))
        self.check()

    def problem(self) -> str:
        return "" if self.project.count() else tr("The catalogue has no project yet.")

    def values(self) -> tuple[str, int, float]:
        return self.project.currentData(), self.start.value(), self.share.value() / 100


class ProblemsDialog(QDialog):
    """Every problem of a file that could not be opened, in one list."""

    def __init__(self, title: str, problems: list[Problem], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 420)
        text = QPlainTextEdit(self, readOnly=True)
        text.setPlainText("\n".join(p.text(language()) for p in problems))
        label = QLabel(tr("The file has {0} problems; your current model is unchanged.",
                          len(problems)), self)
        label.setWordWrap(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        box.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(text)
        layout.addWidget(box)
        self.text = text


class YearCostsDialog(QDialog):
    """The assignments behind one year's cost and benefit, largest cost first."""

    def __init__(self, document: Any, result: Any, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Where the cost of {0} comes from", year))
        self.resize(760, 420)
        rows = result.trace.for_year(int(year - result.years[0]))
        rows.sort(key=lambda r: -(r["capex"] + r["opex"]))
        assignments = document.model.assignments
        headers = [tr("Enterprise id"), tr("Project"), tr("Start year"), tr("Capex"),
                   tr("Subsidy"), tr("Opex"), tr("Benefit")]
        self.table = QTableWidget(len(rows), len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        for r, row in enumerate(rows):
            a = assignments[row["assignment"]]
            values = [a.enterprise, a.project, str(a.start_year)] + [
                f"{row[k]:,.2f}" for k in ("capex", "subsidy", "opex", "benefit")]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        total = sum(r["capex"] + r["opex"] for r in rows)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{tr('Cost')} {year}: {total:,.2f}", self))
        layout.addWidget(self.table)
        layout.addWidget(box)


def ask(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted
