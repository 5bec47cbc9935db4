"""The bar above the chain canvas: search, filters (park, size, position, tier, ownership),
"Select matching" and the colour mode of the nodes."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from models.chain import TABLE_BY_ATTR
from models.schema import OWNERSHIPS, SIZES
from ui.canvas import ChainView
from ui.document import Document
from ui.i18n import language, tr, value_text

FILTER_LABELS = {"park": "Park", "size": "Size", "position": "Position", "tier": "Tier",
                 "ownership": "Ownership"}


def _label(key: str) -> str:
    return tr(FILTER_LABELS[key])


def _width_in_chars(text: str) -> int:
    """Width in Latin characters: a Chinese character takes two."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


class FilterBar(QWidget):
    """Filters the canvas and picks what the node colour means."""

    colour_by_changed = Signal(str)  # the nodes are now coloured by "role" or "level"

    def __init__(self, document: Document, canvas: ChainView, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.canvas = canvas
        self.search = QLineEdit(self, clearButtonEnabled=True)
        self.search.returnPressed.connect(lambda: self.canvas.find(self.search.text()))
        self.search.setMinimumWidth(150)
        self.search.setMaximumWidth(280)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 2)  # grows first, up to its maximum width
        self.filters: dict[str, QComboBox] = {}
        for key in FILTER_LABELS:
            combo = QComboBox(self)
            combo.currentIndexChanged.connect(
                lambda _i, c=combo: c.setToolTip(c.currentText()))  # the full name if cut
            # wide enough for "Ownership: All", never as wide as the longest park's name:
            # the bar must not set the window's minimum width (the list shows names in full)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setIconSize(QSize(0, 0))  # no icons: reserve no room for one
            combo.currentIndexChanged.connect(self._apply_filters)
            self.filters[key] = combo
            bar.addWidget(combo)
        self.select = QPushButton(self)
        self.select.clicked.connect(self.select_matching)
        bar.addWidget(self.select)
        bar.addStretch(1)
        self.colour_title = QLabel(self)
        bar.addWidget(self.colour_title)
        self.colour_by = QComboBox(self)
        self.colour_by.addItem("", "role")
        self.colour_by.addItem("", "level")
        self.colour_by.currentIndexChanged.connect(self._on_colour_by)
        bar.addWidget(self.colour_by)
        document.changed.connect(self.fill)
        # the positions and tiers offered are the analysis's: a big chain's comes later (a
        # recovered one offered none until its first edit)
        document.analysed.connect(self.fill)
        # through slots of the bar, so that Qt disconnects them when the bar goes
        document.rows_inserted.connect(self.on_rows_came_or_went)
        document.rows_removed.connect(self.on_rows_came_or_went)
        document.rows_changed.connect(self.on_rows_changed)
        document.model_reset.connect(self.on_model_reset)
        self._held: dict[str, set[str]] | None = None  # the values the firms hold (None: again)
        self._places_seen: object = None
        self._distinct_places: set[tuple[str, int | None]] = set()
        self._options: dict[str, list[str]] = {}
        self._options_language = ""
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language; the choices stay."""
        self.search.setPlaceholderText(tr("Search id or name (Ctrl+F)"))
        self.select.setText(tr("Select matching"))
        self.colour_title.setText(tr("Colour nodes by"))
        for i, text in enumerate((tr("role"), tr("level"))):  # the items' order
            self.colour_by.setItemText(i, text)
        self.fill()  # the filters' options, in the language now

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def select_matching(self) -> None:
        self.document.set_selection(set(self.canvas.matching_ids()))

    def fill(self) -> None:
        """Offer the values the model has, keeping each filter's choice."""
        # the values each column holds, gathered in C (at 100,000 firms a test per firm in
        # Python took half a second on every edit); the combos refilled only when they change
        enterprises = self.document.model.enterprises
        places = self.document.analysis.places
        if self._places_seen is not places:  # (position, tier) pairs: tuples hash in C
            self._places_seen = places
            self._distinct_places = set(map(attrgetter("position", "tier"), places.values()))
        if self._held is None:
            self._held = {key: set(map(attrgetter(key), enterprises))
                          for key in ("park", "size", "ownership")}
        held = self._held
        options = {
            "park": sorted(held["park"] - {""}),
            "size": [s for s in SIZES if s in held["size"]],
            "position": [p for p in ("upstream", "core", "downstream", "detached")
                         if any(position == p for position, _ in self._distinct_places)],
            "tier": sorted({str(tier) for _, tier in self._distinct_places if tier is not None},
                           key=int),
            "ownership": [o for o in OWNERSHIPS if o in held["ownership"]],
        }
        if options == self._options and language() == self._options_language:
            return
        self._options, self._options_language = options, language()
        for key, combo in self.filters.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_label(key), None)  # no filter: just what it filters by
            for value in options[key]:
                if key == "position":
                    shown = tr(value)
                elif key in ("size", "ownership"):
                    shown = value_text(TABLE_BY_ATTR["enterprises"].field(key), value)
                else:  # a park's name or a tier's number, as they are
                    shown = value
                combo.addItem(f"{_label(key)}: {shown}", value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.setMinimumContentsLength(_width_in_chars(combo.itemText(0)) + 1)
            combo.setToolTip(combo.currentText())
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            combo.blockSignals(False)

    # firms came, went or changed park, size or ownership: gather the values again (not
    # after a move or another table's edit)
    def on_rows_came_or_went(self, table: str, _positions: list[int]) -> None:
        if table == "enterprises":
            self._held = None

    def on_rows_changed(self, table: str, _positions: list[int], fields: list[str]) -> None:
        if table == "enterprises" and {"park", "size", "ownership"} & set(fields):
            self._held = None

    def on_model_reset(self) -> None:
        self._held = None

    def _apply_filters(self) -> None:
        criteria = {key: combo.currentData() for key, combo in self.filters.items()}
        if criteria.get("tier") is not None:
            criteria["tier"] = int(criteria["tier"])
        self.canvas.set_filter(**criteria)

    def _on_colour_by(self) -> None:
        mode = self.colour_by.currentData()
        self.canvas.set_colour_by(mode)
        self.colour_by_changed.emit(mode)
