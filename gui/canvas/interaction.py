"""Mouse and keyboard on the canvas: zoom, pan, rubber band, moves, drag-to-connect, drops,
in-place rename. Every edit becomes a command on the document's undo stack."""
from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsView, QLineEdit

import simcore

from .. import commands, style
from ..document import CircuitDocument, name_problem
from .items import ProjectionItem, RegionItem
from .legend import legend_height, paint_legend
from .scene import CircuitScene

KIND_MIME = "application/x-synaptica-kind"
MIN_SCALE, MAX_SCALE = 0.08, 4.0


def region_base_name(model: str) -> str:
    k = simcore.kind("neuron", model)
    return k.info.get("prefix") or k.label.split()[0]


class CircuitView(QGraphicsView):
    """The editor's view of a :class:`CircuitScene`."""

    status_message = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, scene: CircuitScene, doc: CircuitDocument, parent=None):
        super().__init__(scene, parent)
        self.doc = doc
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.FullViewportUpdate)  # the legend overlay stays put
        self.setAcceptDrops(True)
        self.setFrameShape(QGraphicsView.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # pan with middle drag / Space+drag
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSceneRect(QRectF(-50000, -50000, 100000, 100000))
        self._pan_from: QPointF | None = None
        self._space = False
        self._connect_from: RegionItem | None = None
        self._rubber_line: QGraphicsLineItem | None = None
        self._press_positions: dict[str, QPointF] = {}
        self._editor: QLineEdit | None = None
        self.show_legend = True

    def drawForeground(self, painter, rect):
        if self.show_legend:
            painter.save()
            painter.resetTransform()
            paint_legend(painter, QRectF(self.viewport().rect()))
            painter.restore()

    # -- zoom and fit -----------------------------------------------------------------------------
    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        s = self.scale_factor()
        factor = max(MIN_SCALE / s, min(MAX_SCALE / s, factor))
        self.scale(factor, factor)
        self.zoom_changed.emit(self.scale_factor())

    def wheelEvent(self, event):
        self.zoom_by(1.0015 ** event.angleDelta().y())

    def fit(self, max_scale: float = 1.25, min_scale: float = 0.0) -> None:
        """Show every item; never magnify a tiny circuit beyond ``max_scale`` nor shrink it below
        ``min_scale`` (labels stay readable; the rest is a pan away). A drawing too large for a finite
        view transform shows its centre at 100 %."""
        rect = self.scene().itemsBoundingRect()
        huge = not all(math.isfinite(v) and abs(v) < 1e12 for v in (rect.left(), rect.right(), rect.top(), rect.bottom()))
        if huge:
            self.resetTransform()
            self.centerOn(0, 0)
        elif rect.isEmpty():
            self.resetTransform()
            self.centerOn(0, 0)
        else:
            # keep the circuit clear of the legend drawn in the bottom-left corner of the viewport
            bottom = 60.0
            for _ in range(3):
                self.fitInView(rect.adjusted(-60, -60, 60, bottom), Qt.KeepAspectRatio)
                if not self.show_legend:
                    break
                bottom = 60.0 + legend_height() / max(self.scale_factor(), 1e-6)
            if self.scale_factor() > max_scale or self.scale_factor() < min_scale:
                k = max_scale if self.scale_factor() > max_scale else min_scale
                self.resetTransform()
                self.scale(k, k)
                self.centerOn(rect.center())
        self.zoom_changed.emit(self.scale_factor())

    # -- mouse ----------------------------------------------------------------------------------
    def _region_at(self, view_pos, slack: int = 5) -> RegionItem | None:
        """The region under the cursor, counting a few pixels around its outline (the connect zone)."""
        for item in self.items(view_pos):
            if isinstance(item, RegionItem):
                return item
        area = QRect(view_pos.x() - slack, view_pos.y() - slack, 2 * slack, 2 * slack)
        for item in self.items(area):
            if isinstance(item, RegionItem):
                return item
        return None

    def mousePressEvent(self, event):
        if event.button() == Qt.MiddleButton or (event.button() == Qt.LeftButton and self._space):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.ClosedHandCursor)
            return
        if event.button() == Qt.LeftButton:
            region = self._region_at(event.position().toPoint())
            scene_pt = self.mapToScene(event.position().toPoint())
            if region and (event.modifiers() & Qt.ShiftModifier or region.in_connect_zone(scene_pt)):
                self._start_connect(region, scene_pt)
                return
            self._press_positions = {n: i.pos() for n, i in self.scene().regions.items()}
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._pan_from is not None:
            d = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(d.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(d.y()))
            return
        if self._connect_from is not None:
            end = self.mapToScene(event.position().toPoint())
            self._rubber_line.setLine(QLineF(self._connect_from.scenePos(), end))
            return
        scene_pt = self.mapToScene(event.position().toPoint())
        region = self._region_at(event.position().toPoint())
        connecting = region is not None and region.in_connect_zone(scene_pt)
        self.viewport().setCursor(Qt.CrossCursor if connecting else Qt.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.OpenHandCursor if self._space else Qt.ArrowCursor)
            return
        if self._connect_from is not None:
            self._finish_connect(self._region_at(event.position().toPoint()))
            return
        super().mouseReleaseEvent(event)
        self._commit_moves()

    def mouseDoubleClickEvent(self, event):
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, (RegionItem, ProjectionItem)):
            self.start_rename(item.name)
            return
        super().mouseDoubleClickEvent(event)

    def _commit_moves(self) -> None:
        moves = {}
        for name, item in self.scene().regions.items():
            before = self._press_positions.get(name)
            if before is not None and item.pos() != before:
                moves[name] = (list(self.doc.position(name)), [item.pos().x(), item.pos().y()])
        self._press_positions = {}
        if moves:
            text = f"Move {next(iter(moves))}" if len(moves) == 1 else f"Move {len(moves)} regions"
            self.doc.undo_stack.push(commands.MoveRegions(self.doc, moves, text))

    # -- drag to connect ------------------------------------------------------------------------
    def _start_connect(self, region: RegionItem, scene_pt: QPointF) -> None:
        self._connect_from = region
        self._rubber_line = QGraphicsLineItem(QLineF(region.scenePos(), scene_pt))
        self._rubber_line.setPen(QPen(style.ROLE_EDGE[region.role], 2, Qt.DashLine))
        self._rubber_line.setZValue(10)
        self.scene().addItem(self._rubber_line)
        self.status_message.emit(f"Connect {region.name} to … (release over a region)")

    def _finish_connect(self, target: RegionItem | None) -> None:
        source = self._connect_from
        self.scene().removeItem(self._rubber_line)
        self._connect_from = self._rubber_line = None
        if target is None:
            self.status_message.emit("Connection cancelled")
            return
        self.connect_regions(source.name, target.name)

    def connect_regions(self, source: str, target: str) -> str | None:
        """Add a projection source -> target; return its name (None and a message if refused)."""
        cmd = commands.connect(self.doc, source, target)
        if isinstance(cmd, str):
            self.status_message.emit(cmd)
            return None
        self.doc.undo_stack.push(cmd)
        self.scene().select_names([cmd.projection.name])
        self.status_message.emit(f"Added projection {cmd.projection.name}")
        return cmd.projection.name

    # -- keyboard -------------------------------------------------------------------------------
    def keyPressEvent(self, event):
        if event.key() == Qt.Key_Space and not event.isAutoRepeat() and self._editor is None:
            self._space = True
            self.viewport().setCursor(Qt.OpenHandCursor)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event):
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(Qt.ArrowCursor)
            return
        super().keyReleaseEvent(event)

    # -- drops from the palette -------------------------------------------------------------------
    def dragEnterEvent(self, event):
        if event.mimeData().hasFormat(KIND_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event):
        if event.mimeData().hasFormat(KIND_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event):
        if not event.mimeData().hasFormat(KIND_MIME):
            return super().dropEvent(event)
        model = bytes(event.mimeData().data(KIND_MIME)).decode()
        self.add_region(model, self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

    def add_region(self, model: str, scene_pos: QPointF) -> str:
        """Create a region of ``model`` with defaults and a unique name at ``scene_pos``."""
        name = self.doc.unique_name(region_base_name(model))
        region = simcore.make_region(name, model)
        pos = (style.snap(scene_pos.x()), style.snap(scene_pos.y())) if self.scene().snap_to_grid \
            else (scene_pos.x(), scene_pos.y())
        self.doc.undo_stack.push(commands.AddRegion(self.doc, region, pos))
        self.scene().select_names([name])
        self.setFocus()
        return name

    # -- rename in place ----------------------------------------------------------------------------
    def start_rename(self, name: str) -> QLineEdit | None:
        scene = self.scene()
        item = scene.regions.get(name) or scene.projections.get(name)
        if item is None:
            return None
        if isinstance(item, RegionItem):
            rect = self.mapFromScene(item.name_rect()).boundingRect()
        else:
            centre = self.mapFromScene(item.label_anchor())
            rect = QRect(centre.x() - 70, centre.y() - 12, 140, 24)
        editor = QLineEdit(name, self.viewport())
        editor.setObjectName("renameEditor")
        editor.setAlignment(Qt.AlignCenter)
        editor.setGeometry(rect.adjusted(-6, -2, 6, 2))
        editor.selectAll()
        editor.show()
        editor.setFocus()
        self._editor = editor
        editor.editingFinished.connect(lambda: self._finish_rename(name, editor))
        return editor

    def _finish_rename(self, old: str, editor: QLineEdit) -> None:
        if self._editor is not editor:
            return
        self._editor = None
        new = editor.text().strip()
        editor.deleteLater()
        self.setFocus()
        self.rename(old, new)

    def rename(self, old: str, new: str) -> bool:
        if new == old:
            return False
        problem = name_problem(new) or (f"the name {new!r} is already used" if new in self.doc.names() else None)
        if problem:
            self.status_message.emit(f"Cannot rename {old}: {problem}")
            return False
        self.doc.undo_stack.push(commands.Rename(self.doc, old, new))
        return True
