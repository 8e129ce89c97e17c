"""Graphics items: they draw a region or a projection and hold its name, nothing else.

Geometry of projections (curved parallel edges, self loops, clipping at node outlines) is
computed here; edits go through the document, never through the items.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

import simcore

from .. import style

HANDLE_RADIUS = 6.0
CONNECT_ZONE = 10.0  # pressing this close to a node's outline starts a connection


def rule_abbrev(kind_name: str) -> str:
    """Short badge text of a rule: an upper-case word of its label (STDP), else its initials."""
    try:
        k = simcore.kind("rule", kind_name)
    except KeyError:
        return kind_name[:4]
    if "abbrev" in k.info:
        return k.info["abbrev"]
    words = k.label.split()
    caps = [w for w in words if len(w) > 1 and w.isupper()]
    if caps:
        return caps[-1]
    return words[-1].capitalize() if len(words[-1]) <= 9 else "".join(w[0] for w in words).upper()


def _hover_enter(item, event):
    """Items redraw highlighted while the mouse is over them (shared by both item classes; plain
    functions rather than a mixin, since mixins on QGraphicsItem subclasses crash some PySide6 builds)."""
    item.hovered = True
    item.update()


def _hover_leave(item, event):
    item.hovered = False
    item.update()


class RegionItem(QGraphicsItem):
    """A region node: role-specific outline and colour, name, model label and size."""

    Type = QGraphicsItem.UserType + 1

    def __init__(self, name: str, region, scene_hooks=None):
        super().__init__()
        self.name = name
        self.edges: list["ProjectionItem"] = []
        self.hovered = False
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsSelectable
                      | QGraphicsItem.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.snap_to_grid = True
        self.set_region(region)

    def type(self):
        return self.Type

    def set_region(self, region) -> None:
        self.prepareGeometryChange()
        self.role, self.region = region.role, region
        self._shape = style.role_shape(region.role)
        try:
            label = simcore.kind("neuron", region.model).label
        except KeyError:
            label = region.model
        self.model_label = label
        self.size_label = f"{region.size:,} {'unit' if region.size == 1 else 'units'}" \
            if not simcore.kind("neuron", region.model).info.get("spiking", True) else f"{region.size:,} neurons"
        self.setToolTip(f"<b>{region.name}</b><br>{label}, {region.role}<br>{region.size:,} cells"
                        "<br><i>Drag from the edge (or Shift+drag) to connect</i>")
        self.update()

    # -- geometry -----------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._shape.boundingRect().adjusted(-8, -8, 8, 8)

    def shape(self) -> QPainterPath:
        return self._shape

    def outline_contains(self, scene_pt: QPointF) -> bool:
        return self._shape.contains(self.mapFromScene(scene_pt))

    def in_connect_zone(self, scene_pt: QPointF) -> bool:
        """Near the outline (or on the handle): pressing here starts a connection, not a move."""
        p = self.mapFromScene(scene_pt)
        if (p - self.handle_pos()).manhattanLength() <= HANDLE_RADIUS * 2:
            return True
        stroker = QPainterPathStroker()
        stroker.setWidth(CONNECT_ZONE)
        return stroker.createStroke(self._shape).contains(p)

    def handle_pos(self) -> QPointF:
        w = self._shape.boundingRect().width()
        return QPointF(w / 2, 0)

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemPositionChange and self.snap_to_grid:
            return QPointF(style.snap(value.x()), style.snap(value.y()))
        if change == QGraphicsItem.ItemPositionHasChanged:
            for e in self.edges:
                e.update_geometry()
        return super().itemChange(change, value)

    # -- painting -------------------------------------------------------------------------------
    hoverEnterEvent = _hover_enter
    hoverLeaveEvent = _hover_leave

    def paint(self, painter, option, widget=None):
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        edge = style.ROLE_EDGE[self.role]
        selected = self.isSelected()
        if selected:
            painter.setPen(QPen(style.SELECTION, 7, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
            painter.drawPath(self._shape)
        painter.setPen(QPen(edge, 2.2 if (selected or self.hovered) else 1.6))
        painter.setBrush(QBrush(style.ROLE_FILL[self.role]))
        painter.drawPath(self._shape)
        self._paint_text(painter)
        if self.hovered or selected:
            painter.setPen(QPen(edge, 1.5))
            painter.setBrush(QBrush(QColor("white")))
            painter.drawEllipse(self.handle_pos(), HANDLE_RADIUS, HANDLE_RADIUS)
            painter.drawLine(self.handle_pos() + QPointF(-3, 0), self.handle_pos() + QPointF(3, 0))
            painter.drawLine(self.handle_pos() + QPointF(0, -3), self.handle_pos() + QPointF(0, 3))

    def _paint_text(self, painter):
        rect = self._shape.boundingRect()
        inner = rect.width() * (0.56 if self.role == "modulatory" else 0.82)
        lines = [(self.name, style.ui_font(10.5, True), style.TEXT),
                 (self.model_label, style.ui_font(8.5), style.TEXT_MUTED),
                 (self.size_label, style.ui_font(8.5), style.TEXT_MUTED)]
        heights = [QFontMetricsF(f).height() for _, f, _ in lines]
        y = -sum(heights) / 2
        for (text, font, colour), h in zip(lines, heights):
            fm = QFontMetricsF(font)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QRectF(-inner / 2, y, inner, h), Qt.AlignCenter,
                             fm.elidedText(text, Qt.ElideRight, inner))
            y += h

    def name_rect(self) -> QRectF:
        """Scene rectangle of the name line (where the in-place rename editor goes)."""
        rect = self._shape.boundingRect()
        h = QFontMetricsF(style.ui_font(10.5, True)).height()
        total = h + 2 * QFontMetricsF(style.ui_font(8.5)).height()
        w = rect.width() * 0.8
        return self.mapRectToScene(QRectF(-w / 2, -total / 2 - 2, w, h + 4))


def _quad(p0, p1, p2, t):
    return p0 * (1 - t) ** 2 + p1 * (2 * (1 - t) * t) + p2 * t ** 2


def _clip(contains, point_at, inside_t: float, outside_t: float) -> float:
    """Binary search for the parameter where a curve leaves a node outline."""
    for _ in range(14):
        mid = (inside_t + outside_t) / 2
        if contains(point_at(mid)):
            inside_t = mid
        else:
            outside_t = mid
    return outside_t


class ProjectionItem(QGraphicsItem):
    """An arrow styled by synapse type, with a badge listing its rules.

    ``offset`` bends the edge sideways so parallel projections between the same pair are drawn
    apart; ``loop_index`` nests self loops.
    """

    Type = QGraphicsItem.UserType + 2

    def __init__(self, name: str, projection, source: RegionItem, target: RegionItem):
        super().__init__()
        self.name, self.source, self.target = name, source, target
        self.offset, self.loop_index = 0.0, 0
        self.setFlags(QGraphicsItem.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self.hovered = False
        self._path, self._hit = QPainterPath(), QPainterPath()
        self._tip, self._dir, self._badge_at = QPointF(), QPointF(1, 0), QPointF()
        self.set_projection(projection)

    def type(self):
        return self.Type

    def set_projection(self, p) -> None:
        self.synapse = p.synapse
        self.badge = ""
        if p.rules:
            ab = [rule_abbrev(r.kind) + ("" if r.enabled else "\u2009(off)") for r in p.rules]
            self.badge = " · ".join(ab) if len(ab) <= 2 else f"{len(ab)} rules"
        rules = "".join(f"<br>• {simcore.kind('rule', r.kind).label}{'' if r.enabled else ' (disabled)'}"
                        for r in p.rules)
        self.setToolTip(f"<b>{p.name}</b>: {p.source} → {p.target}<br>{p.synapse} synapses, "
                        f"{p.connectivity.kind.replace('_', ' ')}, weights {p.weights.kind.replace('_', ' ')}"
                        f"{rules}")
        self.update_geometry()

    def set_route(self, offset: float, loop_index: int) -> None:
        self.offset, self.loop_index = offset, loop_index
        self.update_geometry()

    # -- geometry ---------------------------------------------------------------------------
    def update_geometry(self) -> None:
        self.prepareGeometryChange()
        if self.source is self.target:
            self._loop_geometry()
        else:
            self._edge_geometry()
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        self._hit = stroker.createStroke(self._path)
        self._hit.addEllipse(self._tip, 8, 8)
        self._hit.addRect(self._badge_rect())
        self._bounds = self._hit.boundingRect().adjusted(-4, -4, 4, 4)
        self.update()

    def _edge_geometry(self):
        a, b = self.source.scenePos(), self.target.scenePos()
        d = b - a
        length = math.hypot(d.x(), d.y()) or 1.0
        normal = QPointF(-d.y() / length, d.x() / length)
        # the same side for A->B and B->A would overlap; the pair's canonical order decides the side
        sign = 1.0 if self.source.name <= self.target.name else -1.0
        ctrl = (a + b) / 2 + normal * (2 * self.offset * sign)
        at = lambda t: _quad(a, ctrl, b, t)  # noqa: E731
        t0 = _clip(self.source.outline_contains, at, 0.0, 0.5)
        t1 = _clip(self.target.outline_contains, at, 1.0, 0.5)
        start, end = at(t0), at(t1)
        # sub-curve [t0, t1] of the quadratic Bezier (blossoming)
        c = a * ((1 - t0) * (1 - t1)) + ctrl * ((1 - t0) * t1 + t0 * (1 - t1)) + b * (t0 * t1)
        path = QPainterPath(start)
        path.quadTo(c, end)
        self._path = path
        tangent = end - c
        n = math.hypot(tangent.x(), tangent.y()) or 1.0
        self._tip, self._dir = end, tangent / n
        self._badge_at = at((t0 + t1) / 2)

    def _loop_geometry(self):
        node = self.source
        rect = node.sceneBoundingRect().adjusted(8, 8, -8, -8)
        k = self.loop_index
        cx, top = rect.center().x(), rect.top()
        spread = 22 + 10 * k
        height = 56 + 26 * k
        a = self._top_point(node, cx - spread)
        b = self._top_point(node, cx + spread)
        c1 = QPointF(cx - spread - 34 - 8 * k, top - height)
        c2 = QPointF(cx + spread + 34 + 8 * k, top - height)
        path = QPainterPath(a)
        path.cubicTo(c1, c2, b)
        self._path = path
        d = b - c2
        n = math.hypot(d.x(), d.y()) or 1.0
        self._tip, self._dir = b, d / n
        self._badge_at = QPointF(cx, top - height * 0.75)

    @staticmethod
    def _top_point(node: RegionItem, x: float) -> QPointF:
        centre = node.scenePos()
        top = node.sceneBoundingRect().top() - 1
        at = lambda t: QPointF(x, centre.y() + (top - centre.y()) * t)  # noqa: E731
        return at(_clip(node.outline_contains, at, 0.0, 1.0))

    def label_anchor(self) -> QPointF:
        """Scene point where the badge (and the rename editor) sits."""
        return QPointF(self._badge_at)

    def _badge_rect(self) -> QRectF:
        if not self.badge:
            return QRectF(self._badge_at, self._badge_at)
        fm = QFontMetricsF(style.ui_font(7.5, True))
        w, h = fm.horizontalAdvance(self.badge) + 10, fm.height() + 3
        return QRectF(self._badge_at.x() - w / 2, self._badge_at.y() - h / 2, w, h)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._hit

    # -- painting -------------------------------------------------------------------------------
    hoverEnterEvent = _hover_enter
    hoverLeaveEvent = _hover_leave

    def paint(self, painter, option, widget=None):
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        colour = style.SYNAPSE_COLOR.get(self.synapse, style.TEXT)
        width = 2.6 if (self.hovered or self.isSelected()) else 1.8
        if self.isSelected():
            painter.setPen(QPen(style.SELECTION, width + 5, Qt.SolidLine, Qt.RoundCap))
            painter.drawPath(self._path)
        pen = QPen(colour, width, Qt.DashLine if self.synapse == "modulatory" else Qt.SolidLine, Qt.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(self._path)
        self._paint_head(painter, colour, width)
        if self.badge:
            r = self._badge_rect()
            painter.setPen(QPen(colour, 1.2))
            painter.setBrush(QBrush(QColor("white")))
            painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
            painter.setFont(style.ui_font(7.5, True))
            painter.setPen(colour.darker(130))
            painter.drawText(r, Qt.AlignCenter, self.badge)

    def _paint_head(self, painter, colour, width):
        tip, d = self._tip, self._dir
        n = QPointF(-d.y(), d.x())
        painter.setPen(QPen(colour, width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        if self.synapse == "excitatory":
            painter.setBrush(QBrush(colour))
            painter.drawPolygon(QPolygonF([tip, tip - d * 12 + n * 5.5, tip - d * 12 - n * 5.5]))
        elif self.synapse == "inhibitory":
            painter.setBrush(QBrush(colour))
            painter.drawEllipse(tip - d * 5, 4.5, 4.5)
        elif self.synapse == "shunting":
            painter.setPen(QPen(colour, 3.2, Qt.SolidLine, Qt.FlatCap))
            painter.drawLine(tip - d * 2 + n * 7, tip - d * 2 - n * 7)
        else:  # modulatory: open diamond
            painter.setBrush(QBrush(QColor("white")))
            painter.drawPolygon(QPolygonF([tip, tip - d * 7 + n * 5, tip - d * 14, tip - d * 7 - n * 5]))
