"""WEIGHT KYMOGRAPH: the weight distribution of a projection over time, as one image.

Time runs along x, the weight (log or linear) along y, and the brightness of a pixel is the fraction
of the projection's synapses in that weight bin at that time; the median and the quartiles are drawn
on top. "The shape stays skewed while individual synapses move" is then one picture: the band keeps
its width and asymmetry while the tracked synapses in other views wander inside it. The columns are
accumulated by the frame builder (simcore.engine.frame_views.Kymograph) on a grid fixed at the start.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QComboBox

from ..plots.base import settle, style_plot
from .export import export_button
from .projection_view import ProjectionView


def quantiles(cols: np.ndarray, edges: np.ndarray, qs=(0.25, 0.5, 0.75)) -> np.ndarray:
    """Quantiles (len(qs), T) of each column's distribution, interpolated inside the bins (vectorised)."""
    T = cols.shape[0]
    out = np.full((len(qs), T), np.nan)
    if T == 0:
        return out
    cum = np.cumsum(cols, axis=1)
    total = cum[:, -1:]
    frac = np.where(total > 0, cum / np.where(total > 0, total, 1), 0.0)
    for k, q in enumerate(qs):
        i = np.argmax(frac >= q, axis=1)  # first bin reaching q
        prev = np.where(i > 0, frac[np.arange(T), np.maximum(i - 1, 0)], 0.0)
        here = frac[np.arange(T), i]
        w = np.where(here > prev, (q - prev) / np.where(here > prev, here - prev, 1), 0.5)
        out[k] = edges[i] + w * (edges[i + 1] - edges[i])
        out[k, total[:, 0] <= 0] = np.nan
    return out


class KymographPanel(ProjectionView):
    picker_tip = "Projection whose weight distribution is shown"
    title = "Weight kymograph"
    defer_ms = 15

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scale = QComboBox()
        self.scale.addItems(["log weight", "linear weight"])
        self.scale.setToolTip("Weight axis: logarithmic (multiplicative changes are shifts) or linear")
        self.controls.addWidget(self.picker, 1)
        self.controls.addWidget(self.scale)
        self.controls.addWidget(export_button(self))
        self.plot = style_plot(self.glw.addPlot(), "weight", None)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.plot.addItem(self.image)
        self.lines = [self.plot.plot([], [], pen=pg.mkPen("#ffffff", width=w, style=s))
                      for w, s in ((1, Qt.DashLine), (1.8, Qt.SolidLine), (1, Qt.DashLine))]
        self.scale.currentIndexChanged.connect(lambda *_: self._redraw())
        self.data = (np.zeros(0), np.zeros((0, 1)), np.zeros(2))

    def draw(self, frame: dict) -> None:
        name = self.picked(frame)
        if name is None:
            return
        k = frame["projections"][name]["kymo"]
        log = self.scale.currentIndex() == 0
        cols, edges = (k["log"], k["edges_log"]) if log else (k["lin"], k["edges_lin"])
        t = k["t"]
        self.data = (t, cols, edges)
        self.plot.setLogMode(False, log)
        if len(t) == 0:
            self.image.clear()
            return
        total = cols.sum(axis=1, keepdims=True)
        frac = cols / np.where(total > 0, total, 1)
        # columns come with the frames, so their spacing follows the frame rate: show each on a
        # uniform time grid as the column last recorded at that time
        grid = np.linspace(t[0], t[-1], len(t))
        img = frac[np.clip(np.searchsorted(t, grid + 1e-9, "right") - 1, 0, len(t) - 1)].T  # rows: weight bins
        hi = float(np.percentile(img, 99.5)) or 1.0
        self.image.setImage(img, levels=(0.0, hi), autoLevels=False)
        dt = (t[-1] - t[0]) / max(1, len(t) - 1) if len(t) > 1 else 0.1
        y = np.log10(edges) if log else edges
        self.image.setRect(QRectF(t[0] - dt / 2, y[0], (t[-1] - t[0]) + dt, y[-1] - y[0]))
        q = quantiles(cols, edges)
        for line, row in zip(self.lines, q):
            line.setData(t, row)
        occupied = np.nonzero(cols.sum(axis=0) > 0)[0]
        if len(occupied):
            lo, hi_ = y[max(0, occupied[0] - 1)], y[min(len(y) - 1, occupied[-1] + 2)]
            self.plot.setYRange(lo, hi_, padding=0.02)
        self.plot.setXRange(t[0] - dt / 2, t[-1] + dt / 2, padding=0.0)
        settle(self.plot)

    def csv(self) -> tuple[list[str], np.ndarray]:
        t, cols, edges = self.data
        centres = np.sqrt(edges[:-1] * edges[1:]) if self.scale.currentIndex() == 0 else (edges[:-1] + edges[1:]) / 2
        header = ["t_s"] + [f"w={c:.4g}" for c in centres]
        return header, np.column_stack([t, cols]) if len(t) else np.zeros((0, len(header)))

    def focus(self, kind: str, name: str) -> None:
        if kind == "projection":
            self.picker.select(name)
