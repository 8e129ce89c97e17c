"""A small key in the canvas corner: role shapes and synapse arrowheads (drawn in view pixels)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF

from .. import style

ROW = 18.0


def legend_height() -> float:
    """Pixels the legend takes at the bottom of the viewport, its margin included."""
    return ROW * 4 + 12 + 20


def paint_legend(painter, viewport: QRectF) -> None:
    roles = ("excitatory", "inhibitory", "modulatory")
    synapses = ("excitatory", "inhibitory", "shunting", "modulatory")
    box = QRectF(viewport.left() + 10, viewport.bottom() - 10 - ROW * 4 - 12, 290, ROW * 4 + 12)
    painter.save()
    painter.setRenderHint(painter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#d5d9e0"), 1))
    painter.setBrush(QBrush(QColor(255, 255, 255, 225)))
    painter.drawRoundedRect(box, 6, 6)
    painter.setFont(style.ui_font(8))
    x0, y = box.left() + 10, box.top() + 6
    painter.setPen(style.TEXT_MUTED)
    painter.drawText(QRectF(x0, y, 120, ROW), Qt.AlignVCenter, "Regions")
    painter.drawText(QRectF(x0 + 120, y, 160, ROW), Qt.AlignVCenter, "Synapses")
    for i, role in enumerate(roles):
        cy = y + ROW * (i + 1.5)
        painter.save()
        painter.translate(x0 + 12, cy)
        painter.scale(22 / 176.0, 13 / 96.0)
        painter.setPen(QPen(style.ROLE_EDGE[role], 10))
        painter.setBrush(style.ROLE_FILL[role])
        painter.drawPath(style.role_shape(role))
        painter.restore()
        painter.setPen(style.TEXT)
        painter.drawText(QRectF(x0 + 28, cy - ROW / 2, 90, ROW), Qt.AlignVCenter, role)
    for i, syn in enumerate(synapses):
        cy = y + ROW * 0.5 + (i + 1) * ROW * 0.75 + 4
        _arrow(painter, syn, QPointF(x0 + 122, cy), QPointF(x0 + 158, cy))
        painter.setPen(style.TEXT)
        painter.drawText(QRectF(x0 + 166, cy - ROW / 2, 100, ROW), Qt.AlignVCenter, syn)
    painter.restore()


def _arrow(painter, synapse: str, a: QPointF, b: QPointF) -> None:
    colour = style.SYNAPSE_COLOR[synapse]
    painter.setPen(QPen(colour, 1.6, Qt.DashLine if synapse == "modulatory" else Qt.SolidLine))
    painter.drawLine(a, b)
    d, n = QPointF(1, 0), QPointF(0, 1)
    painter.setPen(QPen(colour, 1.4))
    if synapse == "excitatory":
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([b, b - d * 8 + n * 4, b - d * 8 - n * 4]))
    elif synapse == "inhibitory":
        painter.setBrush(colour)
        painter.drawEllipse(b - d * 3.5, 3.5, 3.5)
    elif synapse == "shunting":
        painter.setPen(QPen(colour, 3, Qt.SolidLine, Qt.FlatCap))
        painter.drawLine(b + n * 5, b - n * 5)
    else:
        painter.setBrush(QColor("white"))
        painter.drawPolygon(QPolygonF([b, b - d * 5 + n * 4, b - d * 10, b - d * 5 - n * 4]))
