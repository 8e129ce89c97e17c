"""Thumbnails of the demos' circuit graphs: drawn like the canvas, stored as
``resources/thumbnails/<stem>.png`` by ``python main.py --make-thumbnails`` so the start page opens
quickly, and rendered on the fly when one is missing."""
from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

import simcore

from .. import style
from .catalog import DEMOS_DIR, ROOT, demo_entries

THUMB_DIR = ROOT / "resources" / "thumbnails"
THUMB_SIZE = QSize(360, 200)


def render_thumbnail(circuit: simcore.Circuit, size: QSize = THUMB_SIZE) -> QImage:
    """The circuit graph as the canvas draws it (regions, projections, rule badges), fitted into ``size``."""
    from .. import layout
    from ..canvas.scene import CircuitScene
    from ..document import CircuitDocument

    circuit = copy.deepcopy(circuit)
    missing = [r.name for r in circuit.regions if r.name not in circuit.layout]
    if missing:
        placed, _ = layout.auto_layout(circuit)
        for name in missing:
            circuit.layout[name] = placed[name]
    class PlainScene(CircuitScene):  # the drawing without the editing grid
        def drawBackground(self, painter, rect):
            painter.fillRect(rect, style.CANVAS_BG)

    doc = CircuitDocument(circuit)
    scene = PlainScene(doc)
    scene.rebuild()
    src = scene.itemsBoundingRect().adjusted(-16, -16, 16, 16)
    image = QImage(size, QImage.Format_ARGB32_Premultiplied)
    image.fill(style.CANVAS_BG)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform)
    k = min(size.width() / src.width(), size.height() / src.height())
    w, h = src.width() * k, src.height() * k
    target = QRectF((size.width() - w) / 2, (size.height() - h) / 2, w, h)
    scene.render(painter, target, src, Qt.KeepAspectRatio)
    painter.setPen(QColor("#d0d4da"))
    painter.drawRect(0, 0, size.width() - 1, size.height() - 1)
    painter.end()
    scene.clear()
    return image


def thumbnail_of(path: Path, circuit: simcore.Circuit) -> QPixmap:
    """The stored thumbnail of the demo at ``path``, or one rendered now when none is stored."""
    png = THUMB_DIR / f"{Path(path).stem}.png"
    if png.exists():
        pix = QPixmap(str(png))
        if not pix.isNull():
            return pix
    return QPixmap.fromImage(render_thumbnail(circuit))


def make_thumbnails(out_dir: Path = THUMB_DIR, root: Path = DEMOS_DIR) -> list[Path]:
    """Write ``<out_dir>/<demo stem>.png`` for every demonstration (needs a QApplication)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in demo_entries(root):
        target = out_dir / f"{entry.path.stem}.png"
        if not render_thumbnail(entry.circuit).save(str(target)):
            raise OSError(f"cannot write {target}")
        written.append(target)
    return written
