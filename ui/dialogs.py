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
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain import Assignment, ChainModel, Enterprise, Link, ParkAssignment, Scenario
from models.problems import Problem
from models.validation import Place
from ui.canvas_items import shown_name
from ui.fields import FieldError, kinds_of
from ui.i18n import language, tr
from ui.parks import (
    assign_to_parks,
    is_park_project,
    park_name,
    park_projects,
    park_row,
    park_selection,
)

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
    """Project, start year and shares; says beforehand who gets it and who pays what.

    An enterprise project goes to the selected enterprises (with the core's share), and
    the dialog says which of them will be left out and why. A park project goes to parks
    (those of the selected enterprises offered first and ticked): the government and the
    core pay their shares and the park's operator the rest.
    """

    def __init__(self, model: ChainModel, scenario: Scenario, chosen: list[str] | int,
                 parent: QWidget | None = None, project: str = "",
                 parks: list[str] | None = None):
        super().__init__(tr("Assign project…").rstrip("…"), parent)
        self.model, self.scenario = model, scenario
        self.chosen = list(chosen) if not isinstance(chosen, int) else []
        self._decided: tuple[list[str], list[str], list[str]] | None = None
        self._decided_parks: tuple[list[str], list[str]] | None = None
        lang = language()
        kinds = kinds_of(Assignment)
        self.project = QComboBox(self)
        for p in model.projects:
            label = f"{p.id} — {p.name}"
            if p.scope == "park":
                label += "  [" + tr("park project") + "]"
            self.project.addItem(label, p.id)
        wanted = project or ("" if self.chosen or not parks else next(
            (p.id for p in model.projects if p.scope == "park"), ""))
        self.project.setCurrentIndex(max(0, self.project.findData(wanted)))
        self.project.setEnabled(bool(model.projects))
        self.start = kinds["start_year"].editor(self, lang)
        self.start.set_value(scenario.start_year)
        self.share = kinds["core_share"].editor(self, lang)
        self.share.set_value(0.0)
        self.anyway = QCheckBox(tr("Assign it to them anyway"), self)
        self.anyway.setVisible(False)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        # a park project: which parks, and the government's and the core's shares
        park_kinds = kinds_of(ParkAssignment)
        self.parks = QListWidget(self)
        firsts = list(dict.fromkeys([*(parks or []), *self._parks_of_chosen()]))
        ids = firsts + [k for k in model.park_ids() if k not in firsts]
        counts: dict[str, int] = {}
        for e in model.enterprises:
            counts[e.park] = counts.get(e.park, 0) + 1
        for k in ids:  # by name in the interface language; the id on hover
            text = shown_name(park_name(model, k)) + "  " + tr("({0} firms)", counts.get(k, 0))
            item = QListWidgetItem(text, self.parks)
            item.setToolTip(k)
            item.setData(Qt.ItemDataRole.UserRole, k)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if k in firsts
                               else Qt.CheckState.Unchecked)
        rows = max(2, min(len(ids), 6))
        self.parks.setFixedHeight(rows * self.parks.sizeHintForRow(0) + 2 * self.parks.frameWidth()
                                  if ids else 40)
        self.government = park_kinds["government_share"].editor(self, lang)
        self.government.set_value(0.0)
        self.core = park_kinds["core_share"].editor(self, lang)
        self.core.set_value(0.0)
        self.form.addRow(tr("Scenario"), QLabel(scenario.name, self))
        self.form.addRow(tr("Project"), self.project)
        self.form.addRow("", _hint(tr("To add a project: Projects table ▸ Add project, or drag "
                                      "one from the Catalogue onto the chain."), self))
        self.form.addRow(tr("Parks"), self.parks)
        self.form.addRow(tr("Start year"), self.start)
        self.form.addRow(tr("Core share"), self.share)
        self.form.addRow(tr("Government share"), self.government)
        self.form.addRow(tr("Core share"), self.core)
        self.form.addRow("", self.summary)
        self.form.addRow("", self.anyway)
        self.setMinimumWidth(500)
        self.project.currentIndexChanged.connect(self.check)
        self.anyway.toggled.connect(self.check)
        self.parks.itemChanged.connect(self.check)
        for edit in (self.start, self.share, self.government, self.core):
            edit.textChanged.connect(self.check)
        self.check()

    # --- which kind of project ---------------------------------------------------------
    def _parks_of_chosen(self) -> list[str]:
        chosen = set(self.chosen)
        return list(dict.fromkeys(e.park for e in self.model.enterprises
                                  if e.id in chosen and e.park))

    @property
    def is_park(self) -> bool:
        """The chosen project is a park project: it goes to parks."""
        return is_park_project(self.model.project_index().get(self.project.currentData() or ""))

    def _show_mode(self) -> None:
        park = self.is_park
        for widget in (self.parks, self.government, self.core):
            self.form.setRowVisible(widget, park)
        self.form.setRowVisible(self.share, not park)

    # --- enterprises ----------------------------------------------------------------------
    def left_out(self) -> tuple[list[str], list[str]]:
        """The chosen enterprises (ids) that already have the project in this scenario, and
        those whose size the project is not meant for."""
        project = self.model.project_index().get(self.project.currentData() or "")
        if project is None or self.is_park:
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
        if self.is_park:
            return []
        already, unsuited = self.left_out()
        out = set(already) | (set() if self.anyway.isChecked() else set(unsuited))
        return [e for e in self.chosen if e not in out]

    # --- parks ----------------------------------------------------------------------------
    def ticked_parks(self) -> list[str]:
        return [self.parks.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.parks.count())
                if self.parks.item(i).checkState() == Qt.CheckState.Checked]

    def park_targets(self) -> tuple[list[str], list[str]]:
        """(parks it goes to, ticked parks that have it in this scenario already)."""
        if self._decided_parks is not None:
            return self._decided_parks
        project = self.project.currentData() or ""
        taken = {b.park for b in park_projects(self.model, self.scenario.name)
                 if b.project == project}
        ticked = self.ticked_parks()
        return [k for k in ticked if k not in taken], [k for k in ticked if k in taken]

    def _parks_left_out(self, already: list[str]) -> str:
        names = [shown_name(park_name(self.model, k)) for k in already]
        return tr("{0} parks left out: they have {1} in this scenario already ({2}).",
                  len(already), self.project.currentData() or "", _some(names))

    def _shares(self) -> tuple[float, float] | None:
        try:
            return self.government.value(), self.core.value()
        except FieldError:
            return None

    def _who_pays(self) -> list[str]:
        spec = self.model.project_index().get(self.project.currentData() or "")
        shares = self._shares()
        if spec is None or shares is None:
            return []
        government, core = shares
        operator = max(0.0, 1.0 - government - core)
        targets, already = self.park_targets()
        lines = [tr("Assign {0} to {1} parks: every member firm benefits once it is live.",
                    spec.id, len(targets))]
        if already:
            lines.append(self._parks_left_out(already))
        operators = [shown_name(r.operator) for k in targets
                     if (r := park_row(self.model, k)) is not None and r.operator.strip()]
        who = tr("the park operator")
        if operators:
            who += f" ({_some(list(dict.fromkeys(operators)), 3)})"
        lines.append(tr("Who pays (capex {0}, then {1} a year, per park): government {2}, "
                        "core {3}, {4} {5}.", _amount(spec.capex), _amount(spec.opex),
                        _pct(government), _pct(core), who, _pct(operator)))
        return lines

    # --- both -----------------------------------------------------------------------------
    def check(self) -> None:
        self._show_mode()
        already, unsuited = self.left_out()
        self.anyway.setVisible(bool(unsuited) and not self.is_park)
        self.summary.setText(self.describe(already, unsuited))
        super().check()

    def describe(self, already: list[str], unsuited: list[str]) -> str:
        if self.is_park:
            return "\n".join(self._who_pays())
        project = self.project.currentData() or ""
        count = len(self.enterprises())
        lines = [tr("Assign {0} to {1} of the {2} selected enterprises.", project, count,
                    len(self.chosen))]
        lines += self._reasons(already, unsuited, self.enterprises())
        return "\n".join(lines)

    def accept(self) -> None:
        if not self.problem():  # decided before the model changes
            if self.is_park:
                self._decided_parks = self.park_targets()
            else:
                self._decided = (*self.left_out(), self.enterprises())
        super().accept()

    def report(self, added: int) -> str:
        """What assigning did, for the status bar (after OK)."""
        project = self.project.currentData() or ""
        if self.is_park:
            already = self.park_targets()[1]
            text = tr("Assigned {0} to {1} parks.", project, added)
            if already:
                text += " " + self._parks_left_out(already)
            return text
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
        if self.is_park:
            editors = ((self.start, tr("Start year")), (self.government, tr("Government share")),
                       (self.core, tr("Core share")))
        else:
            editors = ((self.start, tr("Start year")), (self.share, tr("Core share")))
        for editor, label in editors:
            problem = editor.problem()
            if problem:
                return f"{label}: {problem}"
        if self.is_park:
            if not self.parks.count():
                return tr("The model has no park: name parks in the Enterprises' Park column "
                          "or add them in the Parks table.")
            if not self.ticked_parks():
                return tr("Tick the parks to assign it to.")
            if not self.park_targets()[0]:
                return tr("Every ticked park has it already (see above).")
            shares = self._shares()
            if shares is not None and sum(shares) > 1 + 1e-9:
                return tr("The government's and the core's shares add up to more than 100%.")
            return ""
        if not self.chosen:
            return tr("An enterprise project goes to enterprises: select them first (canvas, "
                      "table or filters), or choose a park project.")
        if not self.enterprises():
            return tr("Every selected enterprise is left out (see above).")
        return ""

    def values(self) -> tuple[str, int, float]:
        return self.project.currentData(), self.start.value(), self.share.value()

    def park_values(self) -> tuple[str, list[str], int, float, float]:
        """(project, parks, start year, government share, core share) of a park project."""
        return (self.project.currentData(), self.park_targets()[0], self.start.value(),
                self.government.value(), self.core.value())


def assign_project(window: Any, document: Any, project: str = "") -> None:
    """The Assign dialog for the selected enterprises (or the selected park) in the current
    scenario; what it assigns is one undo step and is said in the window's status bar."""
    from PySide6.QtWidgets import QMessageBox

    scenario = document.current_scenario()
    if scenario is None:
        QMessageBox.information(window, tr("Assign project…"),
                                tr("The model has no scenario yet: create one first."))
        return
    model = document.model
    chosen = [e.id for e in model.enterprises if e.id in document.selected_enterprises]
    park = park_selection(document).park
    if not chosen and not park and not any(p.scope == "park" for p in model.projects):
        QMessageBox.information(window, tr("Assign project…"),
                                tr("Select enterprises first (canvas, table or filters)."))
        return
    dialog = AssignDialog(model, scenario, chosen, window, project, [park] if park else None)
    if not ask(dialog):
        return
    if dialog.is_park:
        project_id, parks, start_year, government, core = dialog.park_values()
        added = assign_to_parks(document, parks, project_id, start_year, government, core)
    else:
        project_id, start_year, share = dialog.values()
        added = document.assign(dialog.enterprises(), project_id, start_year, share)
    window.statusBar().showMessage(dialog.report(added), 15000)


def _pct(share: float) -> str:
    return f"{share * 100:.4g}%"


def _amount(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


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
