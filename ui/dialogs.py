"""Small dialogs: add an enterprise or a link, assign a project, name a scenario, list problems.

Every value is typed into its field kind's editor (``ui.fields``), so a dialog reads a
share, a year or an amount exactly as a table cell does. A dialog keeps OK disabled and
says why underneath until its input is valid, and says before anything happens what an
action will leave out.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain import Assignment, ChainModel, Enterprise, Link, Scenario
from models.problems import Problem
from models.validation import Place
from ui.fields import kinds_of
from ui.i18n import language, tr

_ERROR_STYLE = "color: #b00020"
_HINT_STYLE = "color: palette(placeholder-text)"


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(_HINT_STYLE)
    return label


class _Form(QDialog):
    """A form with an error line; OK stays disabled until the input is valid."""

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
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

    def accept(self) -> None:
        if not self.problem():
            super().accept()


class EnterpriseDialog(_Form):
    def __init__(self, model: ChainModel, parent: QWidget | None = None):
        super().__init__(tr("Add enterprise…").rstrip("…"), parent)
        self.taken = {e.id for e in model.enterprises}
        number = len(self.taken) + 1
        while f"E{number:03d}" in self.taken:
            number += 1
        kinds, lang = kinds_of(Enterprise), language()
        self.id = QLineEdit(f"E{number:03d}", self)
        self.name = QLineEdit(tr("New enterprise"), self)
        self.role = kinds["role"].editor(self, lang)
        self.role.set_value("supplier" if model.core() else "core")
        self.size = kinds["size"].editor(self, lang)
        self.size.set_value("small")
        self.form.addRow(tr("Enterprise id"), self.id)
        self.form.addRow(tr("Name"), self.name)
        self.form.addRow(tr("Role"), self.role)
        self.form.addRow(tr("Size"), self.size)
        for edit in (self.id, self.name):
            edit.textChanged.connect(self.check)
        self.check()

    def problem(self) -> str:
        if not self.id.text().strip() or not self.name.text().strip():
            return tr("Enter an id and a name.")
        if self.id.text().strip() in self.taken:
            return tr("An enterprise with id {0} exists already.", self.id.text().strip())
        return ""

    def enterprise(self) -> Enterprise:
        return Enterprise(id=self.id.text().strip(), name=self.name.text().strip(),
                          role=self.role.value(), size=self.size.value())


# --- links -----------------------------------------------------------------------------------

def link_order(ids: list[str], model: ChainModel, where: dict[str, Place] | None = None
               ) -> list[str]:
    """Two firms as (supplier, buyer): the one further upstream supplies the other.

    Upstream tier t counts -t, the core 0, downstream tier t +t; a detached firm counts
    by its role (a supplier upstream, a distributor or customer downstream). Firms at the
    same place keep the order given.
    """
    where = where or {}
    roles = {e.id: e.role for e in model.enterprises}
    by_role = {"supplier": -1, "core": 0, "service": 0, "distributor": 1, "customer": 1}

    def rank(e_id: str) -> float:
        place = where.get(e_id)
        if place is None or place.tier is None or place.position == "detached":
            return by_role.get(roles.get(e_id, ""), 0) * 0.5
        return {"upstream": -1, "downstream": 1}.get(place.position, 0) * place.tier

    return sorted(ids, key=rank)


class FirmField(QLineEdit):
    """An enterprise chosen by id or by name: a completer over "id · name" entries."""

    SEPARATOR = " · "

    def __init__(self, model: ChainModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.entries = {e.id: f"{e.id}{self.SEPARATOR}{e.name}" for e in model.enterprises}
        self.by_name: dict[str, list[str]] = {}
        for e in model.enterprises:
            self.by_name.setdefault(e.name.strip().casefold(), []).append(e.id)
        self.setPlaceholderText(tr("Type an id or part of a name"))
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(300)  # the completer's list is as wide: room for "id · name"
        completer = QCompleter(list(self.entries.values()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(8)
        self.setCompleter(completer)

    def set_firm(self, e_id: str) -> None:
        self.setText(self.entries.get(e_id, e_id))

    def firm(self) -> str | None:
        """The id of the firm typed or picked, or None if the text names none (or several)."""
        text = self.text().strip()
        if not text:
            return None
        if text in self.entries:
            return text
        same = [e_id for e_id in self.entries if e_id.casefold() == text.casefold()]
        if len(same) == 1:  # an id typed in the other case
            return same[0]
        head = text.split(self.SEPARATOR.strip())[0].strip()
        if self.SEPARATOR.strip() in text and head in self.entries:
            return head
        named = self.by_name.get(text.casefold(), [])
        return named[0] if len(named) == 1 else None


class LinkDialog(_Form):
    """Supplier and buyer side by side (a completer's list never covers the other), and the
    link's yearly trade value; prefilled from the selection, upstream firm first."""

    def __init__(self, model: ChainModel, supplier: str = "", buyer: str = "",
                 parent: QWidget | None = None):
        super().__init__(tr("Add link…").rstrip("…"), parent)
        self.taken = {(lk.supplier, lk.buyer) for lk in model.links}
        self.supplier = FirmField(model, self)
        self.buyer = FirmField(model, self)
        if supplier:
            self.supplier.set_firm(supplier)
        if buyer:
            self.buyer.set_firm(buyer)
        pair = QGridLayout()
        pair.addWidget(QLabel(tr("Supplier (id or name)"), self), 0, 0)
        pair.addWidget(QLabel(tr("Buyer (id or name)"), self), 0, 2)
        pair.addWidget(self.supplier, 1, 0)
        arrow = QLabel("→", self)
        arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pair.addWidget(arrow, 1, 1)
        pair.addWidget(self.buyer, 1, 2)
        pair.addWidget(_hint(tr("Goods flow from the supplier to the buyer."), self), 2, 0, 1, 3)
        pair.setColumnStretch(0, 1)
        pair.setColumnStretch(2, 1)
        self.form.addRow(pair)
        link_kinds = kinds_of(Link)
        self.value = link_kinds["annual_value"].editor(self, language())
        self.value.set_value(0.0)
        self.value_label = tr("Annual trade value")
        self.form.addRow(self.value_label, self.value)
        for edit in (self.supplier, self.buyer, self.value):
            edit.textChanged.connect(self.check)
        self.check()

    def problem(self) -> str:
        ends = []
        for field, label in ((self.supplier, tr("Supplier")), (self.buyer, tr("Buyer"))):
            firm = field.firm()
            if firm is None:
                text = field.text().strip()
                return (tr("{0}: no enterprise has the id or name {1}", label, text) if text
                        else tr("Choose the supplier and the buyer."))
            ends.append(firm)
        if ends[0] == ends[1]:
            return tr("A link needs two different enterprises.")
        if (ends[0], ends[1]) in self.taken:
            return tr("Link {0} → {1} exists already.", *ends)
        problem = self.value.problem()
        return f"{self.value_label}: {problem}" if problem else ""

    def link(self) -> Link:
        return Link(supplier=self.supplier.firm() or "", buyer=self.buyer.firm() or "",
                    annual_value=self.value.value())


# --- assigning -------------------------------------------------------------------------------

class AssignDialog(_Form):
    """Project, start year and core share for the selected enterprises; says beforehand
    which of them will be left out and why."""

    def __init__(self, model: ChainModel, scenario: Scenario, chosen: list[str] | int,
                 parent: QWidget | None = None, project: str = ""):
        super().__init__(tr("Assign project…").rstrip("…"), parent)
        self.model, self.scenario = model, scenario
        self.chosen = list(chosen) if not isinstance(chosen, int) else []
        self._decided: tuple[list[str], list[str], list[str]] | None = None
        lang = language()
        kinds = kinds_of(Assignment)
        self.project = QComboBox(self)
        for p in model.projects:
            self.project.addItem(f"{p.id} — {p.name}", p.id)
        self.project.setCurrentIndex(max(0, self.project.findData(project)))
        self.project.setEnabled(bool(model.projects))
        self.start = kinds["start_year"].editor(self, lang)
        self.start.set_value(scenario.start_year)
        self.share = kinds["core_share"].editor(self, lang)
        self.share.set_value(0.0)
        self.anyway = QCheckBox(tr("Assign it to them anyway"), self)
        self.anyway.setVisible(False)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.form.addRow(tr("Scenario"), QLabel(scenario.name, self))
        self.form.addRow(tr("Project"), self.project)
        self.form.addRow("", _hint(tr("To add a project: Projects table ▸ Add project, or drag "
                                      "one from the Catalogue onto the chain."), self))
        self.form.addRow(tr("Start year"), self.start)
        self.form.addRow(tr("Core share"), self.share)
        self.form.addRow("", self.summary)
        self.form.addRow("", self.anyway)
        self.setMinimumWidth(460)
        self.project.currentIndexChanged.connect(self.check)
        self.anyway.toggled.connect(self.check)
        for edit in (self.start, self.share):
            edit.textChanged.connect(self.check)
        self.check()

    def left_out(self) -> tuple[list[str], list[str]]:
        """The chosen enterprises (ids) that already have the project in this scenario, and
        those whose size the project is not meant for."""
        project = self.model.project_index().get(self.project.currentData() or "")
        if project is None:
            return [], []
        taken = {a.enterprise for a in self.model.assignments
                 if a.scenario == self.scenario.name and a.project == project.id}
        sizes = {e.id: e.size for e in self.model.enterprises}
        already = [e for e in self.chosen if e in taken]
        unsuited = [e for e in self.chosen if e not in taken and project.eligible_sizes
                    and sizes.get(e) not in project.eligible_sizes]
        return already, unsuited

    def enterprises(self) -> list[str]:
        """The enterprises the project will be assigned to (decided when OK is pressed)."""
        if self._decided is not None:
            return self._decided[2]
        already, unsuited = self.left_out()
        out = set(already) | (set() if self.anyway.isChecked() else set(unsuited))
        return [e for e in self.chosen if e not in out]

    def check(self) -> None:
        already, unsuited = self.left_out()
        self.anyway.setVisible(bool(unsuited))
        self.summary.setText(self.describe(already, unsuited))
        super().check()

    def describe(self, already: list[str], unsuited: list[str]) -> str:
        project = self.project.currentData() or ""
        count = len(self.enterprises())
        lines = [tr("Assign {0} to {1} of the {2} selected enterprises.", project, count,
                    len(self.chosen))]
        lines += self._reasons(already, unsuited, self.enterprises())
        return "\n".join(lines)

    def accept(self) -> None:
        if not self.problem():
            self._decided = (*self.left_out(), self.enterprises())  # before the model changes
        super().accept()

    def report(self, added: int) -> str:
        """What assigning did, for the status bar (after OK)."""
        project = self.project.currentData() or ""
        return " ".join([tr("Assigned {0} to {1} of {2} selected enterprises.", project, added,
                            len(self.chosen)), *self._reasons(*self._decided)])

    def _reasons(self, already: list[str], unsuited: list[str], targets: list[str]
                 ) -> list[str]:
        project = self.project.currentData() or ""
        lines = []
        if already:
            lines.append(tr("{0} left out: they have {1} in this scenario already ({2}).",
                            len(already), project, _some(already)))
        if unsuited and not self.anyway.isChecked():
            sizes = self.model.project_index()[project].eligible_sizes
            shown = kinds_of(Enterprise)["size"]
            lines.append(tr("{0} left out: {1} is meant for {2} enterprises only ({3}).",
                            len(unsuited), project,
                            ("、" if language() == "zh_CN" else ", ").join(
                                shown.text(s, language()) for s in sizes), _some(unsuited)))
        spec = self.model.project_index().get(project)
        if spec is not None and spec.min_maturity > 1:
            levels = {e.id: e.maturity for e in self.model.enterprises}
            low = [e for e in targets if levels.get(e, 1) < spec.min_maturity]
            if low:
                lines.append(tr("{0} of them are below level {1}, which {2} needs: the plan "
                                "will warn about them ({3}).", len(low), spec.min_maturity,
                                project, _some(low)))
        return lines

    def problem(self) -> str:
        if not self.project.count():
            return tr("The catalogue has no project yet: add projects in the Projects table or "
                      "drag them from the Catalogue, then assign.")
        for editor, label in ((self.start, tr("Start year")), (self.share, tr("Core share"))):
            problem = editor.problem()
            if problem:
                return f"{label}: {problem}"
        if self.chosen and not self.enterprises():
            return tr("Every selected enterprise is left out (see above).")
        return ""

    def values(self) -> tuple[str, int, float]:
        return self.project.currentData(), self.start.value(), self.share.value()


def _some(ids: list[str], shown: int = 5) -> str:
    more = len(ids) - shown
    text = ", ".join(ids[:shown])
    return text + (" " + tr("and {0} more", more) if more > 0 else "")


# --- scenarios -------------------------------------------------------------------------------

class ScenarioNameDialog(_Form):
    """A scenario's name (new, duplicate or rename): not empty, not another scenario's."""

    def __init__(self, model: ChainModel, title: str, suggestion: str, current: str = "",
                 parent: QWidget | None = None):
        super().__init__(title, parent)
        self.taken = {s.name for s in model.scenarios} - {current}
        self.name = QLineEdit(suggestion, self)
        self.name.selectAll()
        self.name.setMinimumWidth(260)
        self.form.addRow(tr("Scenario name"), self.name)
        self.name.textChanged.connect(self.check)
        self.check()

    def problem(self) -> str:
        name = self.name.text().strip()
        if not name:
            return tr("Enter a name.")
        if name in self.taken:
            return tr("A scenario with that name exists already.")
        return ""

    def value(self) -> str:
        return self.name.text().strip()


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
