"""The digital health check (数字化体检) in the app: the chain's level distribution,
one enterprise's score by dimension (radar), level (or no level), gap with the grade
texts to reach, recommended projects (one click to assign), and the assessment form
that scores as you answer."""

from __future__ import annotations

import datetime as _dt
import math
import textwrap
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.chain import TABLE_BY_ATTR, Assessment, Assignment
from models.indicators import Item, ScenarioSpec, default_indicator_set, level_name, maturity_of_level
from planner.health import LEVELS, ChainHealth, EnterpriseHealth, score
from ui import palette
from ui.analysis import unavailable
from ui.document import Document
from ui.i18n import language, tr, value_text


def _name(thing: Any) -> str:
    return thing.name_zh if language() == "zh_CN" else thing.name_en


def _level(level: int) -> str:
    return level_name(level, language())


class WheelSafeComboBox(QComboBox):
    """A combo box that ignores the wheel unless focused, so scrolling a form never
    changes an answer."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: Any) -> None:  # Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class RadarChart(pg.PlotWidget):
    """Score by item group as a share of each group's maximum, on a radar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, background="w")
        self.setAspectLocked(True)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setMouseEnabled(False, False)
        self.getPlotItem().setMenuEnabled(False)
        self.setMinimumSize(200, 180)
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
            # a label starts at its spoke's end and runs away from the centre, long ones on
            # two lines, so neighbours at the bottom (English names are long) never overlap
            side = 0.5 if abs(math.cos(a)) < 0.2 else (0.0 if math.cos(a) > 0 else 1.0)
            text = pg.TextItem(textwrap.fill(label, 12), color=palette.INK, anchor=(side, 0.5))
            text.setPos(1.08 * math.cos(a), 1.24 * math.sin(a))
            self.addItem(text)
        xs = [s * math.cos(a) for s, a in zip([*shares, shares[0]], [*angles, angles[0]],
                                               strict=True)]
        ys = [s * math.sin(a) for s, a in zip([*shares, shares[0]], [*angles, angles[0]],
                                               strict=True)]
        self.plot(xs, ys, pen=pg.mkPen(palette.BLUE, width=2.5), symbol="o", symbolSize=6,
                  symbolBrush=palette.BLUE)
        self.setRange(xRange=(-2.1, 2.1), yRange=(-1.5, 1.5), padding=0)  # room for labels


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
        self.projects = QTableWidget(0, 5, self)
        self.projects.setHorizontalHeaderLabels([tr("Project"), tr("Lifts to the next level"),
                                                 tr("Benefit-cost ratio"), tr("Benefit"), ""])
        self.projects.verticalHeader().setVisible(False)
        self.projects.verticalHeader().setDefaultSectionSize(24)
        self.projects.horizontalHeader().setStretchLastSection(True)
        self.edit = QPushButton(tr("Assess…"), self)
        self.edit.clicked.connect(self.assess_selected)
        self._lay_out()
        self._stale = True
        document.analysed.connect(self.refresh)
        document.selection_changed.connect(self._follow_selection)
        self.refresh()

    def _lay_out(self) -> None:
        """Chain on the left, enterprise on the right; each side a vertical splitter whose
        tables keep at least four rows visible, and the long gap text scrolls, so the tab
        fits a 1366×768 screen with the docks open."""
        rows = 4
        self.distribution.setMinimumHeight(24 + rows * 20)
        self.enterprises.setMinimumHeight(rows * 20)
        self.projects.setMinimumHeight(26 + rows * 24 + 16)  # + a horizontal scroll bar
        chain = QWidget(self)
        chain_layout = QVBoxLayout(chain)
        chain_layout.setContentsMargins(0, 0, 0, 0)
        chain_layout.addWidget(QLabel(tr("Levels across the chain"), chain))
        chain_layout.addWidget(self.distribution, 1)
        assessed = QWidget(self)
        assessed_layout = QVBoxLayout(assessed)
        assessed_layout.setContentsMargins(0, 0, 0, 0)
        assessed_layout.addWidget(QLabel(tr("Assessed enterprises"), assessed))
        assessed_layout.addWidget(self.enterprises, 1)
        assessed_layout.addWidget(self.edit)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.setChildrenCollapsible(False)
        left.addWidget(chain)
        left.addWidget(assessed)
        left.setSizes([200, 300])
        words = QWidget(self)
        words_layout = QVBoxLayout(words)
        words_layout.setContentsMargins(0, 0, 4, 0)
        words_layout.addWidget(self.title)
        words_layout.addWidget(self.gap, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(words)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.setChildrenCollapsible(False)
        top.addWidget(self.radar)
        top.addWidget(scroll)
        top.setSizes([360, 400])
        fits = QWidget(self)
        fits_layout = QVBoxLayout(fits)
        fits_layout.setContentsMargins(0, 0, 0, 0)
        fits_layout.addWidget(QLabel(tr("Projects that fit: what lifts this firm to its next "
                                        "level first, then best benefit-to-cost"), fits))
        fits_layout.addWidget(self.projects, 1)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setChildrenCollapsible(False)
        right.addWidget(top)
        right.addWidget(fits)
        right.setSizes([300, 200])
        splitter = QSplitter(self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([380, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def showEvent(self, event: Any) -> None:  # Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Show the health check of the latest analysis (``ui.analysis``); while the tab
        is hidden in a shown window, only remember to."""
        if self.window().isVisible() and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        analysis = self.document.analysis
        why = unavailable(analysis)
        if why or analysis.health is None:
            if why:  # no figures of an older model: say why instead
                self.health = None
                self.enterprises.clear()
                self.distribution.setRowCount(0)
                self.projects.setRowCount(0)
                self.radar.clear()
                self.gap.setText("")
                self.title.setText(why)
            return
        self.health = analysis.health
        current = self._current_id()
        self.enterprises.blockSignals(True)
        self.enterprises.clear()
        for row in self.health.enterprises:
            item = QListWidgetItem(f"{row.enterprise} · {row.name}   "
                                   f"{_level(row.result.level)} · "
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
                rows.append((f"{label}: {self._group_text(dimension, group)}",
                             counts))
        table = self.distribution
        table.setRowCount(len(rows))
        table.setColumnCount(1 + len(LEVELS))
        table.setHorizontalHeaderLabels([""] + [_level(n) for n in LEVELS])
        for r, (label, counts) in enumerate(rows):
            head = QTableWidgetItem(label)
            head.setToolTip(label)  # long park names are cut in the column
            table.setItem(r, 0, head)
            for column, level in enumerate(LEVELS, start=1):
                item = QTableWidgetItem(str(counts.get(str(level), 0)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(r, column, item)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, min(130, table.columnWidth(0)))  # the level counts stay in view
        for column in range(1, 1 + len(LEVELS)):
            table.setColumnWidth(column, max(44, table.columnWidth(column)))

    @staticmethod
    def _group_text(dimension: str, group: str) -> str:
        if dimension == "position":
            return tr(group)
        if dimension in ("size", "ownership"):
            return value_text(TABLE_BY_ATTR["enterprises"].field(dimension), group)
        return group

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
        groups = self.indicators.groups
        self.radar.show_scores([_name(g) for g in groups],
                               [result.by_group.get(g.key, 0.0) / g.max for g in groups])
        lines = [f"<h3>{row.name}</h3>",
                 f"<b>{_level(result.level)}</b> · {tr('score')} "
                 f"{result.base_score:.1f} / 100 · {row.date}"]
        lines += [f"{_name(d)}: {result.by_dimension.get(d.key, 0.0):.1f} / {d.max:g}"
                  for d in dims]
        self.title.setText("<br>".join(lines))
        self.gap.setText(self._gap_text(result))
        for r, fit in enumerate(row.fitting):
            self.projects.insertRow(r)
            needs = f"  ({tr('with {0} first', ', '.join(fit.needs))})" if fit.needs else ""
            self.projects.setItem(r, 0, QTableWidgetItem(f"{fit.project} — {fit.name}{needs}"))
            lifted = [self.indicators.scenario(k) for k in fit.lifts]
            self.projects.setItem(r, 1, QTableWidgetItem(
                "、".join(_name(s) for s in lifted if s) if language() == "zh_CN"
                else ", ".join(_name(s) for s in lifted if s)))
            ratio = "—" if fit.ratio is None else f"{fit.ratio:.2f}"
            self.projects.setItem(r, 2, QTableWidgetItem(ratio))
            self.projects.setItem(r, 3, QTableWidgetItem(f"{fit.annual_benefit:,.1f}"))
            button = QPushButton(tr("Assign"), self.projects)
            button.clicked.connect(lambda _=False, p=(*fit.needs, fit.project), e=row.enterprise:
                                   self.assign(e, p))
            self.projects.setCellWidget(r, 4, button)
        self.projects.resizeColumnsToContents()
        self.projects.setColumnWidth(0, min(self.projects.columnWidth(0), 360))

    def _gap_text(self, result: Any) -> str:
        gap = result.gap
        if gap is None:
            return tr("Top level reached.")
        parts = [f"<b>{tr('To reach {0}', _level(gap.next_level))}</b>"]
        if gap.base_needed > 0:
            parts.append(tr("{0:.1f} more points of the base score (needs {1:g})",
                            gap.base_needed, gap.min_base))
        if gap.scenarios_short or gap.constrained_short:
            parts.append(tr("{0} more scenarios at grade {1} ({2} constrained)",
                            gap.scenarios_short, gap.scenario_grade, gap.constrained_short))
        parts += [f"· {_name(i)}: {i.points:g}/{i.max:g}" for i in gap.items[:5]]
        zh = language() == "zh_CN"
        parts += [f"· <b>{_name(s)}</b>{' *' if s.constrained else ''}: {s.current} → {s.target}"
                  f"<br><span style='color:#555'>&nbsp;&nbsp;{s.target_zh if zh else s.target_en}"
                  "</span>" for s in gap.scenarios[:6]]
        return "<br>".join(parts)

    def assign(self, enterprise: str, projects: tuple[str, ...]) -> None:
        """Assign a recommended project with the prerequisites it needs, one after the
        other from the scenario's start (each starts when the one before is live), as
        one undo step."""
        scenario = self.document.current_scenario()
        if scenario is None:
            return
        catalogue = {p.id: p for p in self.document.model.projects}
        year, rows = scenario.start_year, []
        for project in projects:
            rows.append(Assignment(scenario=scenario.name, enterprise=enterprise,
                                   project=project, start_year=year))
            year += catalogue[project].duration
        self.document.add_rows("assignments", rows,
                               tr("Assign {0} to {1} enterprises", " + ".join(projects), 1))

    def assess_selected(self) -> None:
        enterprise = self._current_id()
        if len(self.document.selected_enterprises) == 1:
            enterprise = next(iter(self.document.selected_enterprises))
        if enterprise is None:  # say what to do rather than nothing
            QMessageBox.information(self, tr("Assess…").rstrip("…"),
                                    tr("Select the enterprise to assess first: click it on the "
                                       "chain or in the Enterprises table, then press Assess…."))
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
        self.result_label = QLabel(self)  # before the editors, whose signals update it
        self.result_label.setStyleSheet("font-size: 13pt; font-weight: 600")
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        self.editors: dict[str, Any] = {}
        ind = self.indicators
        for dimension in ind.dimensions:
            box = QGroupBox(f"{_name(dimension)} ({dimension.max:g})", body)
            form = QFormLayout(box)
            for group in (g for g in ind.groups if g.dimension == dimension.key):
                form.addRow(QLabel(f"<b>{_name(group)}</b> ({group.max:g})", box))
                for item in (i for i in ind.items if i.group == group.key):
                    label = QLabel(_name(item), box)
                    label.setToolTip(item.question_zh if language() == "zh_CN"
                                     else item.question_en)
                    form.addRow(label, self._editor(item, answers.get(item.key)))
            body_layout.addWidget(box)
        box = QGroupBox(tr("Business scenarios (grade 0–4)"), body)
        form = QFormLayout(box)
        self.grades: dict[str, QComboBox] = {}
        self.grade_texts: dict[str, QLabel] = {}
        for group in ind.scenario_groups:
            form.addRow(QLabel(f"<b>{_name(group)}</b>", box))
            for spec in (s for s in ind.scenarios if s.group == group.key):
                form.addRow(_name(spec) + (" *" if spec.constrained else ""),
                            self._grade_editor(spec, int(grades.get(spec.key, 0))))
        body_layout.addWidget(box)
        body_layout.addWidget(QLabel(tr("* constrained scenario (约束性)"), body))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.update_score()

    def _option_text(self, option: Any) -> str:
        label = option.label_zh if language() == "zh_CN" else option.label_en
        return f"{option.key} · {label} ({option.points:g})"

    def _editor(self, item: Item, value: Any) -> QWidget:
        if item.type == "single":
            combo = WheelSafeComboBox(self)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(28)
            combo.addItem("—", None)
            for option in item.options:
                combo.addItem(self._option_text(option), option.key)
                combo.setItemData(combo.count() - 1, self._option_text(option),
                                  Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(self.update_score)
            combo.currentIndexChanged.connect(
                lambda _=0, c=combo: c.setToolTip(c.currentText()))
            combo.setToolTip(combo.currentText())
            self.editors[item.key] = combo
            return combo
        box = QWidget(self)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        chosen = set(value or ())
        boxes = []
        for option in item.options:
            check = QCheckBox(box)
            check.setChecked(option.key in chosen)
            check.setProperty("key", option.key)
            check.toggled.connect(lambda on, c=check, i=item: self._on_tick(i, c, on))
            text = QLabel(self._option_text(option), box)
            text.setWordWrap(True)
            text.setBuddy(check)
            text.mousePressEvent = lambda _e, c=check: c.toggle()  # the text ticks too
            row = QHBoxLayout()
            row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            box_layout.addLayout(row)
            boxes.append(check)
        self.editors[item.key] = boxes
        return box

    def _on_tick(self, item: Item, check: QCheckBox, on: bool) -> None:
        """"None" (无) stands alone: ticking it clears the others, and the others clear it."""
        if on:
            exclusive = item.option(check.property("key")).exclusive  # type: ignore[union-attr]
            for other in self.editors[item.key]:
                if other is not check and other.isChecked() and (
                        exclusive or item.option(other.property("key")).exclusive):  # type: ignore[union-attr]
                    other.blockSignals(True)
                    other.setChecked(False)
                    other.blockSignals(False)
        self.update_score()

    def _grade_editor(self, spec: ScenarioSpec, grade: int) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        combo = WheelSafeComboBox(box)
        lang = language()
        for value, (zh, en) in enumerate(self.indicators.grade_names):
            combo.addItem(f"{value} · {zh if lang == 'zh_CN' else en}", value)
        text = QLabel(box)
        text.setWordWrap(True)
        text.setStyleSheet("color: #555")

        def show(index: int) -> None:
            text.setText(spec.grade_text(index, lang))
            text.setVisible(index > 0)

        combo.setCurrentIndex(grade)
        show(grade)
        combo.currentIndexChanged.connect(show)
        combo.currentIndexChanged.connect(self.update_score)
        layout.addWidget(combo)
        layout.addWidget(text)
        self.grades[spec.key] = combo
        self.grade_texts[spec.key] = text
        return box

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                if editor.currentData() is not None:
                    result[key] = editor.currentData()
            else:
                ticked = tuple(c.property("key") for c in editor if c.isChecked())
                if ticked:
                    result[key] = ticked
        return result

    def scenario_grades(self) -> dict[str, int]:
        return {key: int(combo.currentData()) for key, combo in self.grades.items()}

    def update_score(self) -> None:
        result = score(self.answers(), self.scenario_grades(), self.indicators)
        self.result = result
        self.result_label.setText(tr("Score {0:.1f} / 100 · {1}", result.base_score,
                                     _level(result.level)))

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
        document.set_values([(enterprise, "maturity", maturity_of_level(self.result.level))], "")
        document.undo_stack.endMacro()
        self.accept()

