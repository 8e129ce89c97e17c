"""Export the circuit drawing (PNG, SVG) and the circuit graph (GraphML)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

import networkx as nx

from . import layout, style

MARGIN = 40.0


def _source_rect(scene) -> QRectF:
    return scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _render(scene, painter, target: QRectF, source: QRectF) -> None:
    selected = scene.selectedItems()
    for item in selected:  # a drawing shows the circuit, not the current selection
        item.setSelected(False)
    painter.fillRect(target, style.CANVAS_BG)
    scene.render(painter, target, source)
    for item in selected:
        item.setSelected(True)


def export_png(scene, path: str, scale: float = 2.0) -> None:
    src = _source_rect(scene)
    image = QImage(QSize(max(1, int(src.width() * scale)), max(1, int(src.height() * scale))),
                   QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    _render(scene, painter, QRectF(0, 0, image.width(), image.height()), src)
    painter.end()
    if not image.save(path):
        raise OSError(f"cannot write {path}")


def export_svg(scene, path: str, title: str = "Synaptica circuit") -> None:
    src = _source_rect(scene)
    gen = QSvgGenerator()
    gen.setFileName(path)
    gen.setSize(QSize(int(src.width()), int(src.height())))
    gen.setViewBox(QRectF(0, 0, src.width(), src.height()))
    gen.setTitle(title)
    painter = QPainter(gen)
    _render(scene, painter, QRectF(0, 0, src.width(), src.height()), src)
    painter.end()


def export_graphml(circuit, path: str) -> None:
    nx.write_graphml(layout.graph(circuit, with_positions=True), path)
