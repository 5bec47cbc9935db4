"""The digital health check (数字化体检) in the app: the chain's level distribution,
one enterprise's score by dimension (radar), level, gap and fitting projects (one
click to assign), and the assessment form that scores as you answer."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain import Assessment
from models.indicators import Item, default_indicator_set
from planner.health import ChainHealth, EnterpriseHealth, assess, score
from ui import palette
from ui.document import Document
from ui.i18n import language, tr


def _name(thing: Any) -> str:
    return thing.name_zh if language() == "zh_CN" else thing.name_en


class RadarChart(pg.PlotWidget):
    """Score by dimension as a share of each dimension's maximum, on a radar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background="w")
        self.setAspectLocked(True)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setMouseEnabled(False, False)
        self.getPlotItem().setMenuEnabled(False)
        self.setMinimumSize(260, 240)
        self.values: list[float] = []

    def show_scores(self, labels: list[str], shares: list[float]) -> None:
        self.clear()
        self.values = shares
        n = len(labels)
        angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
        for ring in (0.25, 0.5, 0.75, 1.0):  # grid rings
            xs = [ring * math.cos(a) for a in [*angles, angles[0]]]
            ys = [ring * math.sin(a) for a in [*angles, angles[0]]]
            self.plot(xs, ys, pen=pg.mkPen(palette.GREY, width=0.6))
        for a, label in zip(angles, labels, strict=True):
            self.plot([0, math.cos(a)], [0, math.sin(a)], pen=pg.mkPen(palette.GREY, width=0.6))
            text = pg.TextItem(label, color=palette.INK, anchor=(0.5, 0.5))
            text.setPos(1.25 * math.cos(a), 1.18 * math.sin(a))
            self.addItem(text)
        xs = [s * math.cos(a) for s, a in zip([*shares, shares[0]], [*angles, angles[0]],
                                               strict=True)]
        ys = [s * math.sin(a) for s, a in zip([*shares, shares[0]], [*angles, angles[0]],
                                               strict=True)]
        self.plot(xs, ys, pen=pg.mkPen(palette.BLUE, width=2.5), symbol="o", symbolSize=6,
                  symbolBrush=palette.BLUE)
        self.setRange(xRange=(-1.5, 1.5), yRange=(-1.35, 1.35), padding=0)


class HealthPanel(QWidget):
    """The chain's levels, and the selected enterprise's health check."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.indicators = default_indicator_set()
        self.health: ChainHealth | None = None
        self.enterprises = QListWidget(self)
        self.enterprises.currentItemChanged.connect(self._on_pick)
        self.distribution = QTableWidget(self)
        self.distribution.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.distribution.verticalHeader().setVisible(False)
        self.distribution.verticalHeader().setDefaultSectionSize(20)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.radar = RadarChart(self)
        self.gap = QLabel(self)
        self.gap.setWordWrap(True)
        self.gap.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.projects = QTableWidget(0, 4, self)
        self.projects.setHorizontalHeaderLabels([tr("Project"), tr("Benefit-cost ratio"),
                                                 tr("Benefit"), ""])
        self.projects.verticalHeader().setVisible(False)
        self.projects.verticalHeader().setDefaultSectionSize(24)
        self.projects.horizontalHeader().setStretchLastSection(True)
        self.edit = QPushButton(tr("Assess…"), self)
        self.edit.clicked.connect(self.assess_selected)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(tr("Levels across the chain"), left))
        left_layout.addWidget(self.distribution, 1)
        left_layout.addWidget(QLabel(tr("Assessed enterprises"), left))
        left_layout.addWidget(self.enterprises, 2)
        left_layout.addWidget(self.edit)
        right = QWidget(self)
        top = QHBoxLayout()
        top.addWidget(self.radar, 1)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.gap, 1)
        top.addLayout(text, 1)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(top, 3)
        right_layout.addWidget(QLabel(tr("Projects that fit, best benefit-to-cost first"), right))
        right_layout.addWidget(self.projects, 2)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([380, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        document.analysed.connect(self.refresh)
        document.selection_changed.connect(self._follow_selection)
        self.refresh()

    def refresh(self) -> None:
        if self.document.analysis.errors:
            self.health = None
            self.title.setText(tr("Model has errors"))
            return
        self.health = assess(self.document.model, self.document.scenario, self.indicators)
        current = self._current_id()
        self.enterprises.blockSignals(True)
        self.enterprises.clear()
        for row in self.health.enterprises:
            item = QListWidgetItem(f"{row.enterprise} · {row.name}   "
                                   f"{tr('Level {0}', row.result.level)} · "
                                   f"{row.result.base_score:.1f}", self.enterprises)
            item.setData(Qt.ItemDataRole.UserRole, row.enterprise)
        self.enterprises.blockSignals(False)
        self._fill_distribution()
        self.show_enterprise(current or (self.health.enterprises[0].enterprise
                                         if self.health.enterprises else None))

    def _current_id(self) -> str | None:
        item = self.enterprises.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _fill_distribution(self) -> None:
        assert self.health is not None
        data = self.health.distribution
        rows = [(tr("All"), data["total"])]
        for dimension, label in (("position", tr("Position")), ("tier", tr("Tier")),
                                 ("size", tr("Size")), ("ownership", tr("Ownership")),
                                 ("park", tr("Park"))):
            for group, counts in data["by"].get(dimension, {}).items():
                rows.append((f"{label}: {tr(group) if dimension == 'position' else group}",
                             counts))
        table = self.distribution
        table.setRowCount(len(rows))
        table.setColumnCount(5)
        table.setHorizontalHeaderLabels([""] + [tr("Level {0}", n) for n in range(1, 5)])
        for r, (label, counts) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(label))
            for level in range(1, 5):
                item = QTableWidgetItem(str(counts.get(str(level), 0)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(r, level, item)
        table.resizeColumnsToContents()
        for column in range(1, 5):
            table.setColumnWidth(column, 48)

    def _follow_selection(self) -> None:
        selected = self.document.selected_enterprises
        if len(selected) == 1:
            self.show_enterprise(next(iter(selected)))

    def _on_pick(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_enterprise(item.data(Qt.ItemDataRole.UserRole))

    def row(self, enterprise: str | None) -> EnterpriseHealth | None:
        if self.health is None or enterprise is None:
            return None
        return next((r for r in self.health.enterprises if r.enterprise == enterprise), None)

    def show_enterprise(self, enterprise: str | None) -> None:
        row = self.row(enterprise)
        self.projects.setRowCount(0)
        if row is None:
            self.title.setText(tr("Not assessed yet: select an enterprise and press Assess…"))
            self.gap.setText("")
            self.radar.clear()
            return
        for i in range(self.enterprises.count()):
            if self.enterprises.item(i).data(Qt.ItemDataRole.UserRole) == enterprise:
                self.enterprises.blockSignals(True)
                self.enterprises.setCurrentRow(i)
                self.enterprises.blockSignals(False)
        result = row.result
        dims = self.indicators.dimensions
        self.radar.show_scores([_name(d) for d in dims],
                               [result.by_dimension.get(d.key, 0.0) / d.max for d in dims])
        lines = [f"<h3>{row.name}</h3>",
                 f"<b>{tr('Level {0}', result.level)}</b> · {tr('score')} "
                 f"{result.base_score:.1f} / 100 · {row.date}"]
        lines += [f"{_name(d)}: {result.by_dimension.get(d.key, 0.0):.1f} / {d.max:g}"
                  for d in dims]
        self.title.setText("<br>".join(lines))
        self.gap.setText(self._gap_text(result))
        for r, fit in enumerate(row.fitting):
            self.projects.insertRow(r)
            self.projects.setItem(r, 0, QTableWidgetItem(f"{fit.project} — {fit.name}"))
            ratio = "—" if fit.ratio is None else f"{fit.ratio:.2f}"
            self.projects.setItem(r, 1, QTableWidgetItem(ratio))
            self.projects.setItem(r, 2, QTableWidgetItem(f"{fit.annual_benefit:,.1f}"))
            button = QPushButton(tr("Assign"), self.projects)
            button.clicked.connect(lambda _=False, p=fit.project, e=row.enterprise:
                                   self.assign(e, p))
            self.projects.setCellWidget(r, 3, button)
        self.projects.resizeColumnsToContents()
        self.projects.setColumnWidth(0, min(self.projects.columnWidth(0), 360))

    def _gap_text(self, result: Any) -> str:
        gap = result.gap
        if gap is None:
            return tr("Top level reached.")
        parts = [f"<b>{tr('To reach level {0}', gap.next_level)}</b>"]
        if gap.base_needed > 0:
            parts.append(tr("{0:.1f} more points of the base score (needs {1:g})",
                            gap.base_needed, gap.min_base))
        if gap.scenarios_short or gap.constrained_short:
            parts.append(tr("{0} more scenarios at grade {1} ({2} constrained)",
                            gap.scenarios_short, gap.scenario_grade, gap.constrained_short))
        parts += [f"· {_name(i)}: {i.points:g}/{i.max:g}" for i in gap.items[:5]]
        parts += [f"· {_name(s)}: {s.current} → {s.target}" for s in gap.scenarios[:6]]
        return "<br>".join(parts)

    def assign(self, enterprise: str, project: str) -> None:
        scenario = self.document.current_scenario()
        if scenario is None:
            return
        self.document.assign([enterprise], project, scenario.start_year, 0.0)

    def assess_selected(self) -> None:
        enterprise = self._current_id()
        if len(self.document.selected_enterprises) == 1:
            enterprise = next(iter(self.document.selected_enterprises))
        if enterprise is None:
            return
        self.form = AssessmentForm(self.document, enterprise, self)
        self.form.open()


class AssessmentForm(QDialog):
    """One enterprise's assessment, grouped by dimension; score and level update live."""

    def __init__(self, document: Document, enterprise: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.enterprise = document, enterprise
        self.indicators = default_indicator_set()
        self.setWindowTitle(tr("Health check of {0}", enterprise))
        self.resize(720, 760)
        previous = [a for a in document.model.assessments if a.enterprise == enterprise]
        self.previous = max(previous, key=lambda a: a.date) if previous else None
        answers = dict(self.previous.answers) if self.previous else {}
        grades = dict(self.previous.scenarios) if self.previous else {}
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        self.editors: dict[str, Any] = {}
        for dimension in self.indicators.dimensions:
            box = QGroupBox(f"{_name(dimension)} ({dimension.max:g})", body)
            form = QFormLayout(box)
            for item in self.indicators.items:
                if item.dimension == dimension.key:
                    form.addRow(_name(item), self._editor(item, answers.get(item.key)))
            body_layout.addWidget(box)
        box = QGroupBox(tr("Business scenarios (grade 0–4)"), body)
        form = QFormLayout(box)
        self.grades: dict[str, QComboBox] = {}
        for spec in self.indicators.scenarios:
            combo = QComboBox(box)
            for grade, (zh, en) in enumerate(self.indicators.grade_names):
                combo.addItem(f"{grade} · {zh if language() == 'zh_CN' else en}", grade)
            combo.setCurrentIndex(int(grades.get(spec.key, 0)))
            combo.currentIndexChanged.connect(self.update_score)
            self.grades[spec.key] = combo
            form.addRow(_name(spec) + (" *" if spec.constrained else ""), combo)
        body_layout.addWidget(box)
        body_layout.addWidget(QLabel(tr("* constrained scenario (约束性)"), body))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.result_label = QLabel(self)
        self.result_label.setStyleSheet("font-size: 13pt; font-weight: 600")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.update_score()

    def _editor(self, item: Item, value: Any) -> QWidget:
        tip = item.source
        if item.type == "single":
            combo = QComboBox(self)
            combo.addItem("—", None)
            for option in item.options:
                label = option.label_zh if language() == "zh_CN" else option.label_en
                combo.addItem(f"{label} ({option.points:g})", option.key)
                combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(self.update_score)
            combo.setToolTip(tip)
            self.editors[item.key] = combo
            return combo
        if item.type == "multiple":
            box = QWidget(self)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            chosen = set(value or ())
            boxes = []
            for option in item.options:
                label = option.label_zh if language() == "zh_CN" else option.label_en
                check = QCheckBox(f"{label} ({option.points:g})".replace("&", "&&"), box)
                check.setChecked(option.key in chosen)
                check.toggled.connect(self.update_score)
                check.setProperty("key", option.key)
                boxes.append(check)
                box_layout.addWidget(check)
            self.editors[item.key] = boxes
            return box
        spin = QDoubleSpinBox(self, decimals=2)
        spin.setRange(item.min_value if item.min_value is not None else 0.0,
                      item.max_value if item.max_value is not None else 1e9)
        spin.setValue(float(value) if isinstance(value, (int, float)) else spin.minimum())
        spin.setToolTip(tip + "\n" + ", ".join(f"≥ {b.min:g}: {b.points:g}" for b in item.bins))
        spin.valueChanged.connect(self.update_score)
        self.editors[item.key] = spin
        return spin

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                if editor.currentData() is not None:
                    result[key] = editor.currentData()
            elif isinstance(editor, list):
                result[key] = [c.property("key") for c in editor if c.isChecked()]
            else:
                result[key] = editor.value()
        return result

    def scenario_grades(self) -> dict[str, int]:
        return {key: int(combo.currentData()) for key, combo in self.grades.items()}

    def update_score(self) -> None:
        result = score(self.answers(), self.scenario_grades(), self.indicators)
        self.result = result
        self.result_label.setText(tr("Score {0:.1f} / 100 · level {1}", result.base_score,
                                     result.level))

    def save(self) -> None:
        """Record today's assessment (one undo step); the same day's one is replaced."""
        today = _dt.date.today().isoformat()
        row = Assessment(enterprise=self.enterprise, date=today, answers=self.answers(),
                         scenarios=self.scenario_grades())
        document = self.document
        same_day = [a for a in document.model.assessments
                    if a.enterprise == self.enterprise and a.date == today]
        document.undo_stack.beginMacro(tr("Health check of {0}", self.enterprise))
        if same_day:
            document.delete_rows("assessments", same_day)
        document.add_rows("assessments", [row], "")
        enterprise = document.model.enterprise_index()[self.enterprise]
        document.set_values([(enterprise, "maturity", self.result.level)], "")
        document.undo_stack.endMacro()
        self.accept()

