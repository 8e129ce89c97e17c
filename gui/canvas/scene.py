"""The scene follows the document's signals; it never edits the circuit itself."""
from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsScene

from .. import style
from ..document import CircuitDocument
from .items import ProjectionItem, RegionItem

PARALLEL_SPACING = 26.0


class CircuitScene(QGraphicsScene):
    """Regions and projections of one document, kept in step with it."""

    selection_summary = Signal(str, str)  # ("region" | "projection" | "" , name)

    def __init__(self, doc: CircuitDocument, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.regions: dict[str, RegionItem] = {}
        self.projections: dict[str, ProjectionItem] = {}
        self.snap_to_grid = True
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        doc.reset.connect(self.rebuild)
        doc.region_added.connect(self._region_added)
        doc.region_removed.connect(self._region_removed)
        doc.region_changed.connect(self._region_changed)
        doc.region_renamed.connect(self._region_renamed)
        doc.region_moved.connect(self._region_moved)
        doc.projection_added.connect(self._projection_added)
        doc.projection_removed.connect(self._projection_removed)
        doc.projection_changed.connect(self._projection_changed)
        doc.projection_renamed.connect(self._projection_renamed)
        self.selectionChanged.connect(self._emit_selection)
        self.rebuild()

    # -- building ---------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and create them again from the document."""
        self.clear()
        self.regions.clear()
        self.projections.clear()
        for r in self.doc.circuit.regions:
            self._region_added(r.name, reroute=False)
        for p in self.doc.circuit.projections:
            self._projection_added(p.name, reroute=False)
        self.reroute_all()

    def _region_added(self, name: str, reroute: bool = True) -> None:
        item = RegionItem(name, self.doc.circuit.region(name))
        item.snap_to_grid = False
        item.setPos(QPointF(*self.doc.position(name)))
        item.snap_to_grid = self.snap_to_grid
        self.addItem(item)
        self.regions[name] = item

    def _region_removed(self, name: str) -> None:
        item = self.regions.pop(name)
        self.removeItem(item)

    def _region_changed(self, name: str) -> None:
        item = self.regions[name]
        item.set_region(self.doc.circuit.region(name))
        for e in item.edges:
            e.update_geometry()

    def _region_renamed(self, old: str, new: str) -> None:
        item = self.regions.pop(old)
        item.name = new
        self.regions[new] = item
        item.set_region(self.doc.circuit.region(new))
        for p in self.doc.circuit.projections:  # projection names do not change, their ends do
            if p.name in self.projections:
                self.projections[p.name].set_projection(p)

    def _region_moved(self, name: str) -> None:
        item = self.regions[name]
        pos = QPointF(*self.doc.position(name))
        if item.pos() != pos:
            item.snap_to_grid = False
            item.setPos(pos)
            item.snap_to_grid = self.snap_to_grid

    def _projection_added(self, name: str, reroute: bool = True) -> None:
        p = self.doc.circuit.projection(name)
        src, tgt = self.regions[p.source], self.regions[p.target]
        item = ProjectionItem(name, p, src, tgt)
        src.edges.append(item)
        if tgt is not src:
            tgt.edges.append(item)
        self.addItem(item)
        self.projections[name] = item
        if reroute:
            self.reroute_pair(p.source, p.target)

    def _projection_removed(self, name: str) -> None:
        item = self.projections.pop(name)
        for end in {item.source, item.target}:
            if item in end.edges:
                end.edges.remove(item)
        self.removeItem(item)
        self.reroute_pair(item.source.name, item.target.name)

    def _projection_changed(self, name: str) -> None:
        self.projections[name].set_projection(self.doc.circuit.projection(name))

    def _projection_renamed(self, old: str, new: str) -> None:
        item = self.projections.pop(old)
        item.name = new
        self.projections[new] = item
        item.set_projection(self.doc.circuit.projection(new))

    # -- routing of parallel edges and loops --------------------------------------------------
    def _pair_groups(self, only=None):
        groups = defaultdict(list)
        for p in self.doc.circuit.projections:
            key = tuple(sorted((p.source, p.target)))
            if only is None or key == only:
                groups[key].append(p.name)
        return groups

    def reroute_pair(self, a: str, b: str) -> None:
        key = tuple(sorted((a, b)))
        self._route(self._pair_groups(only=key).get(key, []), a == b)

    def reroute_all(self) -> None:
        for (a, b), names in self._pair_groups().items():
            self._route(names, a == b)

    def _route(self, names, is_loop: bool) -> None:
        n = len(names)
        for i, name in enumerate(names):
            item = self.projections.get(name)
            if item is None:
                continue
            if is_loop:
                item.set_route(0.0, i)
            else:
                item.set_route((i - (n - 1) / 2) * PARALLEL_SPACING, 0)

    # -- selection ------------------------------------------------------------------------------
    def selected_region_names(self) -> list[str]:
        return [i.name for i in self.selectedItems() if isinstance(i, RegionItem)]

    def selected_projection_names(self) -> list[str]:
        return [i.name for i in self.selectedItems() if isinstance(i, ProjectionItem)]

    def select_names(self, names) -> None:
        names = set(names)
        self.blockSignals(True)
        self.clearSelection()
        for n in names:
            item = self.regions.get(n) or self.projections.get(n)
            if item is not None:
                item.setSelected(True)
        self.blockSignals(False)
        self._emit_selection()

    def _emit_selection(self) -> None:
        items = self.selectedItems()
        if len(items) == 1:
            kind = "region" if isinstance(items[0], RegionItem) else "projection"
            self.selection_summary.emit(kind, items[0].name)
        else:
            self.selection_summary.emit("", "")

    def set_snap(self, on: bool) -> None:
        self.snap_to_grid = on
        for item in self.regions.values():
            item.snap_to_grid = on

    def items_rect(self) -> QRectF:
        return self.itemsBoundingRect()

    # -- background grid ----------------------------------------------------------------------
    def drawBackground(self, painter, rect: QRectF) -> None:
        painter.fillRect(rect, style.CANVAS_BG)
        scale = painter.worldTransform().m11()
        step = style.GRID if scale > 0.6 else style.GRID * 5
        for colour, every in ((style.GRID_MINOR, step), (style.GRID_MAJOR, style.GRID * 5)):
            if every == step and step == style.GRID * 5 and colour is style.GRID_MINOR:
                continue
            painter.setPen(QPen(colour, 0))
            x = (rect.left() // every) * every
            while x < rect.right():
                painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
                x += every
            y = (rect.top() // every) * every
            while y < rect.bottom():
                painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
                y += every
