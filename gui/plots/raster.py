"""Spike raster of chosen regions, drawn as one pre-coloured image at screen resolution.

The last 2 s of recorded spikes are binned into an image whose pixels match the view
(``simcore.engine.frames.raster_image``: one ``np.zeros`` and one fancy assignment), so the cost does
not grow with thousands of neurons or tens of thousands of spikes, and no spike is lost to image
scaling. The panel tells the engine its view (regions shown, size in pixels, colours) and the engine
bins and colours the frames it sends, so a running raster costs the GUI thread no binning; a frame that comes without
an image of the current view (the first after a resize, a frame built before) is binned here.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QTransform
from PySide6.QtWidgets import QMenu, QToolButton

from simcore.engine.frames import RASTER_WINDOW_S as WINDOW_S, raster_image

from .base import EventMarkers, Panel, region_colors, scrolling_time_axis, settle, show_x, style_plot


def argb(rgba: np.ndarray) -> tuple[int, ...]:
    """(n, 4) uint8 RGBA rows as 32-bit ARGB values (QImage's Format_ARGB32: the colours pyqtgraph's
    indexed image of this table is converted to when it is painted, so the pixels are the same)."""
    c = np.asarray(rgba, np.uint32)
    return tuple(int(v) for v in (c[:, 3] << 24) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2])


class RasterImage(pg.GraphicsObject):
    """The binned raster shown as the engine coloured it: ``image`` is (rows, width) uint32 ARGB
    (``raster_image`` with the view's palette), wrapped in a QImage without a copy and painted with one
    ``drawImage``. pyqtgraph's ImageItem applied levels and a lookup table to the index image and built
    a new indexed QImage, which the painter converted to ARGB once more, on every paint.

    ``setRect`` places the image in view coordinates as ``ImageItem.setRect`` does and changes the
    item's transform only when the place does (``placements`` counts the changes)."""

    def __init__(self):
        super().__init__()
        self.image = None
        self._qimage = None
        self._rect = None
        self.placements = 0

    def setImage(self, image: np.ndarray) -> None:
        image = np.ascontiguousarray(image, np.uint32)
        if self.image is None or image.shape != self.image.shape:
            self.prepareGeometryChange()
            self._rect = None
        self.image = image
        h, w = image.shape
        self._qimage = QImage(image.data, w, h, 4 * w, QImage.Format_ARGB32)
        self.update()

    def setRect(self, rect: QRectF) -> None:
        if self.image is None:
            return
        h, w = self.image.shape
        key = (rect.left(), rect.top(), rect.width(), rect.height(), w, h)
        if key == self._rect:
            return
        self._rect = key
        tr = QTransform()
        tr.translate(rect.left(), rect.top())
        tr.scale(rect.width() / w, rect.height() / h)
        self.setTransform(tr)
        self.placements += 1

    def clear(self) -> None:
        if self.image is not None:
            self.prepareGeometryChange()
        self.image = self._qimage = self._rect = None
        self.update()

    def boundingRect(self) -> QRectF:
        if self.image is None:
            return QRectF()
        h, w = self.image.shape
        return QRectF(0.0, 0.0, float(w), float(h))

    def paint(self, painter, *args) -> None:
        if self._qimage is not None:
            h, w = self.image.shape
            painter.drawImage(QRectF(0.0, 0.0, float(w), float(h)), self._qimage)


class RasterPanel(Panel):
    title = "Spike raster"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pick = QToolButton()
        self.pick.setText("regions ▾")
        self.pick.setPopupMode(QToolButton.InstantPopup)
        self.menu = QMenu(self.pick)
        self.pick.setMenu(self.menu)
        self.controls.addWidget(self.pick)
        self.controls.addStretch(1)
        self.controls.addWidget(self.info)
        self.plot = style_plot(self.glw.addPlot(), "neuron", None)
        self.plot.showGrid(x=False, y=False)
        self.plot.disableAutoRange()
        scrolling_time_axis(self.plot)
        self.plot.setMouseEnabled(x=False, y=True)
        self.image = RasterImage()
        self.plot.addItem(self.image)
        self.separators: list[pg.InfiniteLine] = []
        self.markers = EventMarkers(self.plot, labels=False)
        self.shown: list[str] = []
        self._regions = None
        self._layout_key = None
        self.spikes_drawn = 0
        self.view = None        # what the raster shows: regions, size in pixels and colours (the engine bins for it)
        self.palette = (0,)     # ARGB per index: transparent, then one colour per region
        self.on_view = None     # called with a new view (the live view tells the engine)
        self.binned_here = 0    # frames binned on this (the GUI) thread, not in the engine

    def _build(self, frame) -> None:
        self.menu.clear()
        self.region_actions = {}
        for i, name in enumerate(frame["regions"]):
            if not frame["spiking"][i]:
                continue
            act = self.menu.addAction(f"{name}  ({frame['raster_rows'][i]} of {frame['sizes'][i]} neurons)")
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda *_: self._choose())
            self.region_actions[name] = act
        colors = region_colors(frame)
        lut = np.zeros((len(frame["regions"]) + 1, 4), np.ubyte)
        lut[0] = (255, 255, 255, 0)
        for i, name in enumerate(frame["regions"]):
            c = colors[name]
            lut[i + 1] = (int(c.red() * 0.8), int(c.green() * 0.8), int(c.blue() * 0.8), 255)
        self.palette = argb(lut)
        self._regions = tuple(frame["regions"])
        self._choose()

    def _choose(self) -> None:
        self.shown = [n for n, a in self.region_actions.items() if a.isChecked()]
        self._layout_key = None

    def clear(self) -> None:
        self.image.clear()
        self.markers.clear()
        self._regions = None

    def update_frame(self, frame: dict) -> None:
        if self._regions != tuple(frame["regions"]):
            self._build(frame)
        names = frame["regions"]
        rows = {n: frame["raster_rows"][i] for i, n in enumerate(names)}
        offsets, total = {}, 0
        for n in self.shown:
            offsets[n] = total
            total += rows[n]
        self._layout_rows(offsets, rows, total)
        vb = self.plot.getViewBox().sceneBoundingRect()
        view = {"regions": list(self.shown), "width": int(vb.width()), "height": int(vb.height()),
                "palette": self.palette}
        if view != self.view:
            self.view = view
            if self.on_view is not None:
                self.on_view(view)  # the engine bins the next frames at this size
        binned = frame.get("raster_image")
        if binned is None or binned["view"] != view:
            if len(frame["raster"]["t"]) or binned is None:
                binned = raster_image(frame, view)  # no image of this size came with the frame: bin here
                self.binned_here += 1
            # else: the frame's image was binned for the size before (one frame, shown stretched)
        img, t0, span, n_drawn = binned["image"], binned["t0"], binned["span"], binned["spikes"]
        self.spikes_drawn = n_drawn
        show_x(self.plot, t0, t0 + span)
        if img is not self.image.image:  # the same frame again (a paused redraw): nothing to colour
            self.image.setImage(img)
        self.image.setRect(QRectF(t0, 0, span, max(total, 1)))
        self.markers.update(frame["fired"])
        settle(self.plot)
        txt = f"{n_drawn} spikes in the last {WINDOW_S:g} s"
        self.texts.set(self.info, txt, force=not frame.get("running", False))

    def _layout_rows(self, offsets, rows, total) -> None:
        key = (tuple(offsets.items()), total)
        if key == self._layout_key:
            return
        self._layout_key = key
        for line in self.separators:
            self.plot.removeItem(line)
        self.separators = []
        ticks = []
        for n, o in offsets.items():
            ticks.append((o + rows[n] / 2, n))
            if o > 0:
                line = pg.InfiniteLine(pos=o, angle=0, pen=pg.mkPen("#b8bec6", width=1))
                self.plot.addItem(line)
                self.separators.append(line)
        self.plot.getAxis("left").setTicks([ticks, []])
        self.plot.setYRange(0, max(total, 1), padding=0.01)
        self.plot.setLabel("left", "neurons")

    def focus(self, kind: str, name: str) -> None:
        if kind == "region" and name in getattr(self, "region_actions", {}):
            self.region_actions[name].setChecked(True)

    def plot_items(self):
        return [self.plot]
