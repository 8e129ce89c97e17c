"""Export of one view: the picture as PNG or SVG, its data as CSV (a button menu on the view)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton


def save(panel, path: str) -> str:
    """Write ``panel`` to ``path``: PNG or SVG of its plots, or CSV of its data (by suffix)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        header, rows = panel.csv()
        np.savetxt(path, np.asarray(rows, float).reshape(-1, len(header)), delimiter=",",
                   header=",".join(header), comments="", fmt="%.8g")
    else:
        save_picture(panel.glw, path, panel.title)
    return path


def save_picture(view, path: str, title: str) -> str:
    """A plot widget's picture: SVG by suffix, else PNG at twice its width (at least 600 px)."""
    if Path(path).suffix.lower() == ".svg":
        _svg(view, path, title)
    else:
        import pyqtgraph.exporters as ex

        exporter = ex.ImageExporter(view.scene())
        exporter.parameters()["width"] = max(600, int(view.width() * 2))
        exporter.export(path)
    return path


def _svg(view, path: str, title: str) -> None:
    """Vector export through QSvgGenerator: pyqtgraph 0.14's SVGExporter cannot parse the path data
    that Qt 6.12 writes (ValueError in its coordinate rewriting), so the scene is rendered directly."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    rect = view.sceneRect()
    gen = QSvgGenerator()
    gen.setFileName(path)
    gen.setSize(QSize(int(rect.width()), int(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setTitle(f"Synaptica: {title}")
    painter = QPainter(gen)
    view.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    painter.end()


def export_button(panel) -> QToolButton:
    """A small "Export" button whose menu saves the view as PNG, SVG or CSV."""
    button = QToolButton()
    button.setText("Export")
    button.setObjectName("viewExport")
    button.setToolTip("Save this view as a picture (PNG, SVG) or its data as CSV")
    button.setPopupMode(QToolButton.InstantPopup)
    menu = QMenu(button)
    for label, suffix in (("PNG image…", ".png"), ("SVG drawing…", ".svg"), ("Data as CSV…", ".csv")):
        menu.addAction(label, lambda s=suffix: _ask(panel, s))
    button.setMenu(menu)
    return button


def _ask(panel, suffix: str) -> None:
    stem = panel.title.lower().replace(" ", "_").replace("/", "").replace("(", "").replace(")", "")
    path, _ = QFileDialog.getSaveFileName(panel, f"Export {panel.title}", stem + suffix, f"*{suffix}")
    if path:
        save(panel, path)
