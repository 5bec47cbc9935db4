"""How the canvas is used with mouse and keys: select, move, pan, draw a link, drop a project.

``CanvasTools`` holds the state of what the user is doing (a drag, a rubber band, a link
being drawn, a project dragged over a node) and handles the view's mouse, key and drop
events. Every edit goes back through the document's methods, each one undo step; a
drag-move is pushed once, on release.

  - left-drag on the background: rubber-band selection (Ctrl adds to the selection);
  - middle-drag, or Space + left-drag: pan;
  - click a node or a link: select it (Ctrl-click toggles);
  - left-drag a node: move it (and the other selected nodes) — one undo step on release;
  - Shift + left-drag from a node to another: add a link supplier → buyer (Esc cancels);
  - click a park's box (the band of its members, or its label): select the park; Delete
    deletes it (its park projects go, its members keep no park) — one undo step;
  - drop a project (mime ``application/x-chainplan-project``, the project id in UTF-8)
    on a node: assign it in the current scenario from the scenario's start year; a park
    project on a park's box: assign it to the park (the operator pays until shares are
    set). A park project over a firm, or an enterprise project over a park, is refused
    with a word in the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView

from models.chain import Link
from ui import palette
from ui.canvas_items import Z_DRAFT, NodeItem
from ui.i18n import tr
from ui.parks import assign_to_parks, delete_park_edits, park_name, refusal

if TYPE_CHECKING:
    from ui.canvas_view import ChainView

MIME_PROJECT = "application/x-chainplan-project"


class CanvasTools:
    """The interaction state of one ``ChainView`` and its event handlers."""

    def __init__(self, view: ChainView):
        self.view = view
        self.document = view.document
        self._press_positions: dict[str, QPointF] = {}
        self._pan_from: QPointF | None = None
        self._space = False
        self._draft: QGraphicsPathItem | None = None
        self._draft_from: NodeItem | None = None
        self._rubber = False
        self._link_click = False
        self._selection_pending = False
        self._drop_node: NodeItem | None = None
        self._park_press: tuple[QPointF, str | None] | None = None  # a press on the background
        self._said = ""  # the last refusal said while dragging (said once per target)

    # --- selection ---------------------------------------------------------------------
    def dragged_ids(self) -> set[str]:
        """The enterprises whose nodes are being dragged (their items must stay)."""
        return set(self._press_positions)

    def on_scene_selection_changed(self) -> None:
        if self.view.syncing:
            return
        if self._rubber:  # sync once, on release
            self._selection_pending = True
            return
        self._push_selection()

    def _push_selection(self) -> None:
        self._selection_pending = False
        view = self.view
        ids = {item.e_id for item in view.scene().selectedItems() if isinstance(item, NodeItem)}
        self.document.set_selection(ids, set(view.selected_links))

    def _click_link(self, key: tuple[str, str], ctrl: bool) -> None:
        if ctrl:
            links = set(self.view.selected_links) ^ {key}
            ids = set(self.document.selected_enterprises)
        else:
            links, ids = {key}, set()
        self.document.set_selection(ids, links)

    def _clear_selected_links(self) -> None:
        self.view.selected_links = set()
        self.view.refresh_links()

    # --- mouse and keys --------------------------------------------------------------------
    def mouse_press(self, event: Any) -> None:
        view = self.view
        button = event.button()
        modifiers = event.modifiers()
        pos = event.position()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton
                                                     and self._space):
            self._pan_from = pos
            view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button != Qt.MouseButton.LeftButton:
            QGraphicsView.mousePressEvent(view, event)
            return
        node = view.node_at(pos)
        if modifiers & Qt.KeyboardModifier.ShiftModifier and node is not None:
            self._start_draft(node)
            event.accept()
            return
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if node is None:
            key = view.link_at(view.mapToScene(pos.toPoint()))
            if key is not None:
                self._click_link(key, ctrl)
                self._link_click = True
                event.accept()
                return
            if not ctrl:
                self._clear_selected_links()
            self._park_press = (pos, view.park_at(pos))
            self._rubber = True
            QGraphicsView.mousePressEvent(view, event)
            return
        if not ctrl and not node.isSelected() and view.selected_links:
            self._clear_selected_links()
        QGraphicsView.mousePressEvent(view, event)
        self._press_positions = {item.e_id: item.pos() for item in view.scene().selectedItems()
                                 if isinstance(item, NodeItem)}
        self._press_positions.setdefault(node.e_id, node.pos())

    def mouse_move(self, event: Any) -> None:
        view = self.view
        pos = event.position()
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = pos
            hbar, vbar = view.horizontalScrollBar(), view.verticalScrollBar()
            hbar.setValue(hbar.value() - round(delta.x()))
            vbar.setValue(vbar.value() - round(delta.y()))
            event.accept()
            return
        if self._draft is not None:
            self._update_draft(view.mapToScene(pos.toPoint()))
            event.accept()
            return
        QGraphicsView.mouseMoveEvent(view, event)
        if self._press_positions:
            view.follow_nodes(list(self._press_positions))

    def mouse_release(self, event: Any) -> None:
        view = self.view
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton,
                                                              Qt.MouseButton.LeftButton):
            self._pan_from = None
            view.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space
                                      else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if self._draft is not None and event.button() == Qt.MouseButton.LeftButton:
            self._finish_draft(view.node_at(event.position()))
            event.accept()
            return
        if self._link_click and event.button() == Qt.MouseButton.LeftButton:
            self._link_click = False
            event.accept()
            return
        QGraphicsView.mouseReleaseEvent(view, event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        event.accept()  # the rubber band and the moves are ours even where no item took it
        if self._press_positions:
            view.follow_nodes(list(self._press_positions))
        if self._rubber:
            self._rubber = False
            self._push_selection()
            press, self._park_press = self._park_press, None
            if press is not None:  # a click (not a rubber band) on a park's box selects it
                start, park = press
                still = (event.position() - start).manhattanLength() < 4
                if still or park is None:
                    self.view.parks.set(park if still and park else "")
        elif self._selection_pending:
            self._push_selection()
        pressed, self._press_positions = self._press_positions, {}
        moved = {}
        for e_id, before in pressed.items():
            item = view.node_item(e_id)
            if item is not None and item.pos() != before:
                moved[e_id] = (item.pos().x(), item.pos().y())
        if moved:
            self.document.move_enterprises(moved)

    def key_press(self, event: Any) -> bool:
        """Space (pan), Esc (cancel a link being drawn), Delete (the selected park); False
        if the key is not ours."""
        park = self.view.parks.park
        if event.key() == Qt.Key.Key_Delete and park:
            self.document.apply(delete_park_edits(self.document.model, [park]),
                                tr("Delete park {0}", park))
            event.accept()
            return True
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.view.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return True
        if event.key() == Qt.Key.Key_Escape and self._draft is not None:
            self._cancel_draft()
            event.accept()
            return True
        return False

    def key_release(self, event: Any) -> bool:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.view.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return True
        return False

    # --- drawing a new link ---------------------------------------------------------------
    def _start_draft(self, node: NodeItem) -> None:
        self._draft_from = node
        self._draft = QGraphicsPathItem()
        pen = QPen(palette.INK, 1.6, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._draft.setPen(pen)
        self._draft.setZValue(Z_DRAFT)
        self.view.scene().addItem(self._draft)
        self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._update_draft(node.pos())

    def _update_draft(self, to: QPointF) -> None:
        if self._draft is None or self._draft_from is None:
            return
        start = self._draft_from.pos()
        path = QPainterPath(start)
        bend = max(40.0, abs(to.x() - start.x()) * 0.5)
        path.cubicTo(start + QPointF(bend, 0), to - QPointF(bend, 0), to)
        self._draft.setPath(path)

    def _cancel_draft(self) -> None:
        if self._draft is not None:
            self.view.scene().removeItem(self._draft)
        self._draft = None
        self._draft_from = None
        self.view.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def _finish_draft(self, target: NodeItem | None) -> None:
        source = self._draft_from
        self._cancel_draft()
        if source is None or target is None or target is source:
            return
        key = (source.e_id, target.e_id)
        if any((lk.supplier, lk.buyer) == key for lk in self.document.model.links):
            return
        self.document.add_link(Link(supplier=source.e_id, buyer=target.e_id))

    # --- drops ------------------------------------------------------------------------------
    def _drop_project(self, event: Any) -> str | None:
        mime = event.mimeData()
        if self.document.current_scenario() is None or not mime.hasFormat(MIME_PROJECT):
            return None
        project = bytes(mime.data(MIME_PROJECT).data()).decode("utf-8", "replace").strip()
        return project if project in self.document.model.project_index() else None

    def _set_drop_node(self, node: NodeItem | None) -> None:
        if node is not self._drop_node:
            if self._drop_node is not None:
                self._drop_node.drop_target = False
                self._drop_node.update()
            self._drop_node = node
            if node is not None:
                node.drop_target = True
                node.update()

    def _target(self, event: Any, project: str) -> tuple[NodeItem | None, str | None, str]:
        """Where a dragged project would go: (node, park, why not); at most one of node and
        park, and a reason when the project does not go there."""
        view = self.view
        node = view.node_at(event.position())
        park = None if node is not None else view.park_at(event.position())
        if node is None and park is None:
            return None, None, ""
        return node, park, refusal(self.document.model, project, on_park=park is not None)

    def _say(self, text: str) -> None:
        if text and text != self._said:
            self.view.status_message.emit(text)
        self._said = text

    def _set_drop_park(self, park: str | None) -> None:
        decorations = self.view.decorations
        if (park or "") != decorations.drop_park:
            decorations.drop_park = park or ""
            self.view.viewport().update()

    def drag_enter(self, event: Any) -> None:
        self._said = ""
        if self._drop_project(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def drag_move(self, event: Any) -> None:
        project = self._drop_project(event)
        node, park, why = self._target(event, project) if project else (None, None, "")
        self._say(why)
        ok = not why and (node is not None or park is not None)
        self._set_drop_node(node if ok else None)
        self._set_drop_park(park if ok else None)
        if ok:
            event.acceptProposedAction()
        else:
            event.ignore()

    def drag_leave(self, event: Any) -> None:
        self._set_drop_node(None)
        self._set_drop_park(None)
        event.accept()

    def drop(self, event: Any) -> None:
        project = self._drop_project(event)
        self._set_drop_node(None)
        self._set_drop_park(None)
        scenario = self.document.current_scenario()
        if project is None or scenario is None:
            event.ignore()
            return
        node, park, why = self._target(event, project)
        if why:
            self._said = ""
            self._say(why)
            event.ignore()
            return
        if park is not None:
            added = assign_to_parks(self.document, [park], project, scenario.start_year, 0.0, 0.0)
            name = park_name(self.document.model, park)
            self._say(tr("Assigned {0} to park {1} from {2}; its operator pays all until you set "
                         "the government's and the core's shares (Park projects table).",
                         project, name, scenario.start_year) if added
                      else tr("{0} has {1} in this scenario already. Nothing was changed.",
                              name, project))
            event.acceptProposedAction()
            return
        if node is None:
            event.ignore()
            return
        self.document.assign([node.e_id], project, start_year=scenario.start_year, core_share=0.0)
        event.acceptProposedAction()
