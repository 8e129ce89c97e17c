"""The palette of region kinds: one entry per registered neuron model, with a painted icon.

Dragging an entry carries the model name (``KIND_MIME``); the canvas creates the region. A
double-click adds the region at the centre of the view (keyboard-friendly alternative).
"""
from __future__ import annotations

import math
import random

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

import simcore

from .. import style
from ..canvas.interaction import KIND_MIME

ICON = 40


def kind_icon(model: str) -> QIcon:
    """A small glyph of what the model does (membrane trace, spike train, sigmoid ...)."""
    k = simcore.kind("neuron", model)
    role = k.info["roles"][0]
    pm = QPixmap(ICON * 2, ICON * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.translate(ICON / 2, ICON / 2)
    p.scale(ICON / 200.0, ICON / 110.0)
    p.setPen(QPen(style.ROLE_EDGE[role], 5))
    p.setBrush(style.ROLE_FILL[role])
    p.drawPath(style.role_shape(role))
    p.resetTransform()
    p.setPen(QPen(style.ROLE_EDGE[role].darker(140), 1.6, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
    p.setBrush(Qt.NoBrush)
    _glyph(p, k.info.get("icon", model), QRectF(10, 12, ICON - 20, ICON - 24))
    p.end()
    return QIcon(pm)


def _glyph(p: QPainter, icon: str, r: QRectF) -> None:
    path = QPainterPath()
    x0, y0, w, h = r.x(), r.y(), r.width(), r.height()
    if icon in ("lif", "adex"):  # membrane charging, then a spike and reset
        path.moveTo(x0, y0 + h)
        for i in range(2):
            xs = x0 + i * w / 2
            path.quadTo(xs + w * 0.2, y0 + h * 0.35, xs + w * 0.4, y0 + h * 0.3)
            path.lineTo(xs + w * 0.42, y0 - (h * 0.2 if icon == "adex" else 0))
            path.lineTo(xs + w * 0.45, y0 + h)
    elif icon in ("poisson", "pattern", "spike_train"):  # spike raster
        rng = random.Random(3)
        ticks = {"pattern": [0.05, 0.2, 0.3, 0.55, 0.6, 0.85], "poisson": sorted(rng.random() for _ in range(6))}.get(
            icon, [0.05, 0.25, 0.45, 0.65, 0.85])
        for t in ticks:
            path.moveTo(x0 + t * w, y0 + h)
            path.lineTo(x0 + t * w, y0)
    elif icon == "rate":  # sigmoid transfer function
        path.moveTo(x0, y0 + h)
        for i in range(21):
            x = i / 20
            path.lineTo(x0 + x * w, y0 + h - h / (1 + math.exp(-10 * (x - 0.5))))
    else:  # modulatory: slow wave
        path.moveTo(x0, y0 + h / 2)
        for i in range(21):
            x = i / 20
            path.lineTo(x0 + x * w, y0 + h / 2 - h / 2 * math.sin(2 * math.pi * x))
    p.drawPath(path)


class Palette(QListWidget):
    """Region kinds to drag onto the canvas."""

    activated_kind = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setIconSize(QSize(ICON, ICON))
        self.setSpacing(2)
        self.setUniformItemSizes(True)
        self.setMinimumWidth(180)
        for name, k in simcore.kinds("neuron").items():
            item = QListWidgetItem(kind_icon(name), f"{k.label}\n{' / '.join(k.info['roles'])}")
            item.setData(Qt.UserRole, name)
            item.setToolTip(f"<b>{k.label}</b><br>{k.help}<br><i>Drag onto the canvas</i>")
            item.setSizeHint(QSize(170, ICON + 10))
            self.addItem(item)
        self.itemDoubleClicked.connect(lambda it: self.activated_kind.emit(it.data(Qt.UserRole)))

    def mimeData(self, items):
        data = QMimeData()
        if items:
            data.setData(KIND_MIME, items[0].data(Qt.UserRole).encode())
        return data

    def mimeTypes(self):
        return [KIND_MIME]

    def model_names(self) -> list[str]:
        return [self.item(i).data(Qt.UserRole) for i in range(self.count())]

