"""RELATIVE WEIGHTING: each sampled synapse's weight now against its weight at the reference time.

Log-log axes, so a pure multiplicative scaling w -> s w (synaptic scaling) moves every point by the
same distance parallel to the diagonal: the relative weighting (the ranks, the ratios between
synapses) is kept, and the Spearman rank correlation stays 1. Hebbian plasticity instead spreads
the cloud across the diagonal and lowers the rank correlation. Shown: the diagonal w = w_ref, the
median scaling line w = s w_ref, the inter-quartile band of the ratios, and the numbers.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from .base import CornerText, Panel, settle, style_plot
from .weights import ProjectionPicker


def move_points(scatter: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> None:
    """New positions for the same number of alike points, without ``setData``: that rebuilds every
    point's record and looks up its symbol one by one in Python (~4 ms for 2000 points, each time the
    weights change). The positions are what the item reads when it paints; its bounds are recomputed."""
    data = scatter.data
    if len(data) != len(x) or not len(x):
        scatter.setData(x, y)
        return
    data["x"] = x
    data["y"] = y
    scatter.prepareGeometryChange()
    scatter.informViewBoundsChanged()
    scatter.bounds = [None, None]
    scatter.invalidate()
    scatter.sigPlotChanged.emit(scatter)


class RelativeWeightingPanel(Panel):
    title = "Relative weighting"
    defer_ms = 9  # drawn in its own event-loop pass (see Panel)

    def __init__(self, on_set_reference=None, parent=None):
        super().__init__(parent)
        self.picker = ProjectionPicker()
        self.picker.setToolTip("Projection whose sampled synapses are shown")
        self.ref_button = QPushButton("Set reference now")
        self.ref_button.setToolTip("Take the current weights as the reference (x axis, rank correlation)")
        if on_set_reference:
            self.ref_button.clicked.connect(on_set_reference)
        self.controls.addWidget(self.picker, 1)
        self.controls.addWidget(self.ref_button)
        self.plot = style_plot(self.glw.addPlot(), "w now", None, "w at reference", None)
        self.plot.setLogMode(x=True, y=True)
        self.plot.setAspectLocked(True)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.band = pg.FillBetweenItem(pg.PlotDataItem([0, 1], [0, 0]), pg.PlotDataItem([0, 1], [0, 0]),
                                       brush=pg.mkBrush(42, 157, 143, 55))
        self.plot.addItem(self.band)
        self.diag = self.plot.plot([], [], pen=pg.mkPen("#2b3036", width=1.2))
        self.median = self.plot.plot([], [], pen=pg.mkPen("#2a9d8f", width=1.6, style=Qt.DashLine))
        self.scatter = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(217, 96, 59, 110))
        self.plot.addItem(self.scatter)
        self.text = pg.TextItem("", color="#2b3036", anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 215),
                                border=pg.mkPen("#d0d4da"))
        self.plot.addItem(self.text, ignoreBounds=True)
        self.corner = CornerText(self.plot, self.text)
        self.picker.currentIndexChanged.connect(lambda *_: self._refresh())
        self.frame = None
        self._range = None
        self._last = None
        self._lines = self._place = None  # what the lines and the text were last set to
        self._html = ""
        self.rho = float("nan")
        self.scale = float("nan")

    def _refresh(self) -> None:
        self._range = None
        self._last = None
        self._lines = self._place = None
        if self.frame is not None:
            self.draw(self.frame)

    def draw(self, frame: dict) -> None:
        self.frame = frame
        self.picker.sync(frame)
        name = self.picker.currentData()
        if name is None:
            return
        p = frame["projections"][name]
        x, y = p["scatter_ref"], p["scatter_now"]
        pos = np.r_[x[x > 0], y[y > 0]]
        if not len(pos):
            self.scatter.setData([], [])
            self.text.setHtml("<i>no positive weights</i>")
            return
        floor = pos.min() / 2  # zero weights are drawn on the floor of the axes
        if self._last is None or self._last[0] != name or not (np.array_equal(self._last[1], x)
                                                                  and np.array_equal(self._last[2], y)):
            self._last = (name, x, y)
            lx, ly = np.log10(np.maximum(x, floor)), np.log10(np.maximum(y, floor))
            move_points(self.scatter, lx, ly)  # scatter items take log10 coordinates in a log-mode plot
        lo, hi = math.floor(np.log10(pos.min()) * 4) / 4 - 0.25, math.ceil(np.log10(pos.max()) * 4) / 4 + 0.25
        if self._range is None or lo < self._range[0] or hi > self._range[1]:
            self._range = (min(lo, (self._range or (lo, hi))[0]), max(hi, (self._range or (lo, hi))[1]))
            self.plot.setRange(xRange=self._range, yRange=self._range, padding=0)
        a, b = self._range
        grid = np.array([a - 1, b + 1])
        s = p["median_ratio"]
        q1, q3 = p["ratio_iqr"]
        lines = (self._range, s, q1, q3)
        if lines != self._lines:  # the same lines are not set again (each setData repaints the plot)
            self._lines = lines
            self.diag.setData(10 ** grid, 10 ** grid)
            if np.isfinite(s) and s > 0:
                self.median.setData(10 ** grid, 10 ** (grid + np.log10(s)))
                # the band's curves are not plot children: they take log10 coordinates directly
                self.band.curves[0].setData(grid, grid + np.log10(max(q1, 1e-12)))
                self.band.curves[1].setData(grid, grid + np.log10(max(q3, 1e-12)))
        rho = p["rank_now"]
        self.rho, self.scale = rho, s
        zeros = int((y <= 0).sum())
        html = (f"<b>{name}</b> — {len(x):,} of {p['n']:,} synapses<br>"
                + (f"Spearman ρ(w, w<sub>ref</sub>) = <b>{rho:.3f}</b><br>" if np.isfinite(rho) else
                   "Spearman ρ(w, w<sub>ref</sub>) <b>undefined</b> (constant weights: no ranks to keep)<br>")
                + f"median w/w<sub>ref</sub> = <b>{s:.3f}</b> "
                f"<span style='color:#6b7480'>(IQR {q1:.3f}–{q3:.3f})</span><br>"
                f"<span style='color:#6b7480'>reference t = {frame['reference_t']:.2f} s"
                + (f"; {zeros} at 0" if zeros else "") + "</span>")
        if html != self._html:
            self._html = html
            self.text.setHtml(html)
        settle(self.plot)
        # the numbers go in the corner of the visible view that the cloud leaves empty: bottom-right
        # when weights grew (the aspect lock can make the view wider than the data, so use the view)
        self.corner.set_corner((1, 1) if np.isfinite(s) and s >= 1 else (0, 0))

    def focus(self, kind: str, name: str) -> None:
        if kind == "projection":
            self.picker.select(name)

    def plot_items(self):
        return [self.plot]
