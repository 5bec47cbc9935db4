"""The Policy panel: the current scenario's policy instruments, grouped as a consultant
thinks of them — grants, running-cost subsidy, level condition (事后奖补), targeting, tax
relief, loans — each with a one-line plain-language help. Every change is one undo step
(``Document.set_values``); the panel follows scenario switches, renames, undo/redo and a
new model. What the numbers mean: docs/method.md, "Parks and policy instruments".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.chain import Scenario
from models.schema import OWNERSHIPS, FieldSpec, Kind
from ui.document import Document
from ui.fields import FieldError, LineEditor, ShareKind, kinds_of
from ui.i18n import language, tr

# (group title, group help, ((field, label, help), ...)); English, shown through tr
GROUPS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Grants", "The government pays this share of a firm's project capex once, by the "
     "firm's size.", (
        ("subsidy_micro", "Micro firms", ""),
        ("subsidy_small", "Small firms", ""),
        ("subsidy_medium", "Medium firms", ""),
        ("subsidy_large", "Large firms", ""),
        ("subsidy_cap", "Cap per firm",
         "Most subsidy one firm gets in all; empty = no cap."),
    )),
    ("Running-cost subsidy", "Pays part of an SME's yearly running cost (e.g. a cloud "
     "subscription) after go-live.", (
        ("opex_subsidy", "Share of running cost",
         "Share of an SME's yearly opex the government pays."),
        ("opex_subsidy_years", "For years", "How many years from go-live it is paid."),
    )),
    ("Level condition", "事后奖补: subsidies are paid only once the firm has reached a "
     "digital level; until then they wait, and are never paid if it never gets there.", ()),
    ("Targeting", "Only firms of the ticked ownerships get grants, running-cost and interest "
     "subsidies; none ticked = all firms.", ()),
    ("Tax", "Tax relief returns a share of a firm's own digital spending, for every firm.", (
        ("tax_relief_rate", "Tax relief rate",
         "Share of a firm's own digital spending returned as tax relief."),
    )),
    ("Loans", "A bank loan pays part of an SME's own capex; it is repaid in equal yearly "
     "instalments, and the government may pay part of the interest (贷款贴息).", (
        ("loan_share", "Share financed by loan",
         "Share of an SME's own capex paid with a bank loan."),
        ("loan_rate", "Interest rate", "The loan's yearly interest rate."),
        ("loan_years", "Years to repay", "Equal yearly instalments over this many years."),
        ("interest_subsidy", "Interest subsidy",
         "Share of the loan interest the government pays (贷款贴息)."),
    )),
)

OWNERSHIP_LABELS = {"soe": "State-owned", "private": "Private", "foreign": "Foreign-owned",
                    "other": "Other ownership"}


def policy_texts() -> list[str]:
    """Every English text of ``GROUPS`` and ``OWNERSHIP_LABELS`` (the catalogue's test)."""
    texts = list(OWNERSHIP_LABELS.values())
    for title, help_text, fields in GROUPS:
        texts += [title, help_text, *(t for _, label, line in fields for t in (label, line) if t)]
    return texts


def field_label(field: str) -> str:
    """The label a policy field has on the panel (in the interface language)."""
    for _title, _help, fields in GROUPS:
        for name, label, _ in fields:
            if name == field:
                return tr(label)
    return {"subsidy_min_level": tr("Pay once the firm reaches"),
            "subsidy_ownership": tr("Ownerships")}.get(field, field)


def _help_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5F6368;")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    return label


class LevelBox(QComboBox):
    """None (pay at once) or a level 1–4; the wheel changes it only once focused."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.addItem(tr("None: pay at once"), None)
        for level in range(1, 5):
            self.addItem(tr("Level {0}", level), level)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_level(self, level: int | None) -> None:
        self.setCurrentIndex(0 if level is None else max(0, self.findData(level)))

    def wheelEvent(self, event: Any) -> None:  # Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class TaxHelper(QWidget):
    """Works a tax relief rate out from the super-deduction and the income tax rate:
    100 % super-deduction × 25 % income tax = 25 %."""

    def __init__(self, panel: PolicyPanel):
        super().__init__(panel)
        lang = language()
        kind = ShareKind(FieldSpec("rate", "比例", Kind.NUM, lo=0, hi=2, percent=True), 0.0)
        self.deduction = LineEditor(kind, lang, self)
        self.income_tax = LineEditor(kind, lang, self)
        self.deduction.set_value(1.0)
        self.income_tax.set_value(0.25)
        for editor in (self.deduction, self.income_tax):
            editor.setMaximumWidth(70)
            editor.textChanged.connect(self._show_product)
        self.product = QLabel(self)
        self.use = QPushButton(self)
        self.use.clicked.connect(lambda: panel.commit("tax_relief_rate", self.rate()))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(tr("Super-deduction"), self), 0, 0)
        grid.addWidget(self.deduction, 0, 1)
        grid.addWidget(QLabel(tr("× income tax"), self), 1, 0)
        grid.addWidget(self.income_tax, 1, 1)
        grid.addWidget(self.product, 2, 0)
        grid.addWidget(self.use, 2, 1)
        grid.setColumnStretch(0, 1)
        self._show_product()

    def rate(self) -> float | None:
        try:
            return min(1.0, round(self.deduction.value() * self.income_tax.value(), 10))
        except (FieldError, TypeError):
            return None

    def _show_product(self) -> None:
        rate = self.rate()
        text = "—" if rate is None else f"{rate * 100:.4g}%"
        self.product.setText(tr("= {0} relief", text))
        self.use.setText(tr("Use {0}", text))
        self.use.setEnabled(rate is not None)


class PolicyPanel(QWidget):
    """The current scenario's policy fields, editable; one undo step per change."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        lang = language()
        kinds = kinds_of(Scenario)
        self.editors: dict[str, LineEditor] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(8)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        column.addWidget(self.heading)
        self.problem = QLabel(self)  # what was wrong with the last typed value
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B3261E;")
        self.problem.hide()
        column.addWidget(self.problem)
        self.groups: dict[str, QGroupBox] = {}
        for title, help_text, fields in GROUPS:
            box = QGroupBox(tr(title), self)
            self.groups[title] = box
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(8)
            grid.setVerticalSpacing(2)
            grid.setColumnStretch(0, 1)
            row = 0
            grid.addWidget(_help_label(tr(help_text), box), row, 0, 1, 2)
            row += 1
            for name, label, help_line in fields:
                editor = LineEditor(kinds[name], lang, box)
                editor.setObjectName(f"policy_{name}")
                editor.setMinimumWidth(70)
                editor.setMaximumWidth(110)
                editor.edited.connect(lambda n=name: self._on_edited(n))
                self.editors[name] = editor
                caption = QLabel(tr(label), box)
                caption.setBuddy(editor)
                caption.setWordWrap(True)
                grid.addWidget(caption, row, 0)
                grid.addWidget(editor, row, 1)
                row += 1
                if help_line:
                    grid.addWidget(_help_label(tr(help_line), box), row, 0, 1, 2)
                    row += 1
            if title == "Level condition":
                self.level = LevelBox(box)
                self.level.setObjectName("policy_subsidy_min_level")
                self.level.activated.connect(self._on_level)
                caption = QLabel(field_label("subsidy_min_level"), box)
                caption.setWordWrap(True)
                caption.setBuddy(self.level)
                grid.addWidget(caption, row, 0)
                grid.addWidget(self.level, row, 1)
            elif title == "Targeting":
                self.ownerships: dict[str, QCheckBox] = {}
                boxes = QGridLayout()
                for i, value in enumerate(OWNERSHIPS):
                    text = OWNERSHIPS[value] if lang == "zh_CN" else tr(OWNERSHIP_LABELS[value])
                    check = QCheckBox(text, box)
                    check.setObjectName(f"policy_ownership_{value}")
                    check.clicked.connect(self._on_ownership)
                    self.ownerships[value] = check
                    boxes.addWidget(check, i // 2, i % 2)
                grid.addLayout(boxes, row, 0, 1, 2)
            elif title == "Tax":
                self.tax_helper = TaxHelper(self)
                grid.addWidget(_help_label(tr(
                    "E.g. a 100% super-deduction of R&D spending (研发费用加计扣除) at 25% "
                    "income tax returns 100% × 25% = 25% of the spending:"), box),
                    row, 0, 1, 2)
                grid.addWidget(self.tax_helper, row + 1, 0, 1, 2)
            column.addWidget(box)
        column.addStretch(1)
        for signal in (document.rows_changed, document.rows_inserted, document.rows_removed):
            signal.connect(self._on_rows)
        document.scenario_changed.connect(self.refresh)
        document.model_reset.connect(self.refresh)
        self.refresh()

    # --- showing -------------------------------------------------------------------------
    def scenario(self) -> Scenario | None:
        return self.document.current_scenario()

    def refresh(self) -> None:
        """Show the current scenario's values (or nothing to edit without a scenario)."""
        scenario = self.scenario()
        self.problem.hide()
        for box in self.groups.values():
            box.setEnabled(scenario is not None)
        if scenario is None:
            self.heading.setText(tr("No scenario yet: create one (Plan ▸ New scenario…) "
                                    "to set its policy."))
            for editor in self.editors.values():
                editor.set_value(None)
            return
        self.heading.setText(tr("Policy of scenario {0}", scenario.name))
        for name, editor in self.editors.items():
            editor.set_value(getattr(scenario, name))
        self.level.set_level(scenario.subsidy_min_level)
        chosen = set(scenario.subsidy_ownership)
        for value, check in self.ownerships.items():
            check.setChecked(value in chosen)

    def _on_rows(self, table: str, *_: Any) -> None:
        if table == "scenarios":
            self.refresh()

    # --- editing -------------------------------------------------------------------------
    def commit(self, name: str, value: Any) -> None:
        """Set one policy field of the current scenario: one undo step (nothing if equal)."""
        scenario = self.scenario()
        if scenario is None:
            return
        if getattr(scenario, name) == value:
            self.refresh()  # show it as stored (e.g. "30 %" typed, "30%" shown)
            return
        self.document.set_values([(scenario, name, value)],
                                 tr("Set {0} of {1}", field_label(name), scenario.name))

    def _on_edited(self, name: str) -> None:
        editor = self.editors[name]
        try:
            value = editor.value()
        except FieldError as error:
            self.problem.setText(f"{field_label(name)}: {error}")
            self.problem.show()
            return
        self.problem.hide()
        self.commit(name, value)

    def _on_level(self, _index: int) -> None:
        self.commit("subsidy_min_level", self.level.currentData())

    def _on_ownership(self) -> None:
        chosen = tuple(v for v, check in self.ownerships.items() if check.isChecked())
        self.commit("subsidy_ownership", chosen)
