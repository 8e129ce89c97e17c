"""One palette for the whole app: role and synapse colours, node shapes, fonts.

Roles are told apart by colour AND shape (colour-blind safe): excitatory = warm rounded
rectangle, inhibitory = blue hexagon, modulatory = purple diamond.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QPainterPath, QPolygonF

ROLE_FILL = {"excitatory": QColor("#fde3d3"), "inhibitory": QColor("#dbe8f8"), "modulatory": QColor("#ece0f5")}
ROLE_EDGE = {"excitatory": QColor("#d9603b"), "inhibitory": QColor("#3a6fb5"), "modulatory": QColor("#8a4fb3")}
SYNAPSE_COLOR = {"excitatory": QColor("#d9603b"), "inhibitory": QColor("#3a6fb5"),
                 "shunting": QColor("#2a9d8f"), "modulatory": QColor("#8a4fb3")}
SELECTION = QColor("#f2b705")
TEXT = QColor("#22262b")
TEXT_MUTED = QColor("#5c6570")
CANVAS_BG = QColor("#f7f8fa")
GRID_MINOR = QColor("#eceef2")
GRID_MAJOR = QColor("#dfe2e8")
GRID = 20.0

NODE_SIZE = {"excitatory": (156.0, 72.0), "inhibitory": (168.0, 76.0), "modulatory": (176.0, 96.0)}


def ui_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(point_size)
    f.setBold(bold)
    return f


def role_shape(role: str) -> QPainterPath:
    """The node outline of a role, centred on (0, 0)."""
    w, h = NODE_SIZE.get(role, NODE_SIZE["excitatory"])
    path = QPainterPath()
    if role == "inhibitory":
        d = h / 2.0 * 0.6
        pts = [(-w / 2 + d, -h / 2), (w / 2 - d, -h / 2), (w / 2, 0), (w / 2 - d, h / 2), (-w / 2 + d, h / 2), (-w / 2, 0)]
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts]))
        path.closeSubpath()
    elif role == "modulatory":
        pts = [(0, -h / 2), (w / 2, 0), (0, h / 2), (-w / 2, 0)]
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts]))
        path.closeSubpath()
    else:
        path.addRoundedRect(QRectF(-w / 2, -h / 2, w, h), 14, 14)
    return path


def snap(value: float, grid: float = GRID) -> float:
    return round(value / grid) * grid
