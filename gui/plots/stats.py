"""Weight statistics over time per projection (mean, CV, rank correlation) and tracked synapses."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QLabel

from .base import EventMarkers, Panel, settle, style_plot
from .weights import ProjectionPicker

PROJ_COLORS = ["#d9603b", "#3a6fb5", "#2a9d8f", "#8a4fb3", "#e39b2d", "#b23a48", "#4f97c9", "#5b8c3a"]


class WeightStatsPanel(Panel):
    title = "Weight statistics"
    defer_ms = 18  # drawn in its own event-loop pass (see Panel)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.only_plastic = QCheckBox("plastic projections only")
        self.only_plastic.setChecked(True)
        self.controls.addWidget(self.only_plastic)
        self.controls.addStretch(1)
        self.mean = style_plot(self.glw.addPlot(row=0, col=0), "mean w", None, "", None)
        self.cv = style_plot(self.glw.addPlot(row=1, col=0), "CV of w", None, "", None)
        self.rank = style_plot(self.glw.addPlot(row=2, col=0), "rank ρ", None)  # short: fits a 50 px plot
        self.rank.getAxis("left").setToolTip("Spearman rank correlation of the weights with the reference weights")
        for p in (self.cv, self.rank):
            p.setXLink(self.mean)
        self.rank.setYRange(0, 1.02)
        self.legend = self.mean.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))
        self.curves: dict[str, tuple] = {}
        self.markers = [EventMarkers(p, labels=False) for p in (self.mean, self.cv, self.rank)]
        self.only_plastic.toggled.connect(lambda *_: self.clear())
        self.focused = ""

    def clear(self) -> None:
        super().clear()
        for name, cs in self.curves.items():
            for plot, c in zip((self.mean, self.cv, self.rank), cs):
                plot.removeItem(c)
            self.legend.removeItem(name)
        self.curves.clear()
        for m in self.markers:
            m.clear()

    def draw(self, frame: dict) -> None:
        projs = frame["projections"]
        shown = [n for n in projs if projs[n]["plastic"] or not self.only_plastic.isChecked()]
        if not shown:
            shown = list(projs)
        if list(self.curves) != shown:
            self.clear()
            for i, n in enumerate(shown):
                pen = pg.mkPen(PROJ_COLORS[i % len(PROJ_COLORS)], width=1.6)
                self.curves[n] = (self.mean.plot([], [], pen=pen, name=n), self.cv.plot([], [], pen=pen),
                                  self.rank.plot([], [], pen=pen))
            self.focus("projection", self.focused)
        for n, (cm, cc, cr) in self.curves.items():
            p = projs[n]
            t = p["stats_t"]
            cm.setData(t, p["w_mean"])
            cc.setData(t, np.nan_to_num(p["w_cv"]))
            cr.setData(t, p["rank_corr"])
        for m in self.markers:
            m.update(frame["fired"])
        settle(self.mean, self.cv, self.rank)

    def focus(self, kind: str, name: str) -> None:
        if kind != "projection":
            return
        self.focused = name
        for i, (n, cs) in enumerate(self.curves.items()):
            color = pg.mkColor(PROJ_COLORS[i % len(PROJ_COLORS)])
            if name in self.curves and n != name:
                color.setAlpha(60)
            for c in cs:
                c.setPen(pg.mkPen(color, width=2.6 if n == name else 1.6))


class TrackedPanel(Panel):
    title = "Tracked synapses"
    defer_ms = 18

    def __init__(self, parent=None):
        super().__init__(parent)
        self.picker = ProjectionPicker()
        self.controls.addWidget(self.picker, 1)
        self.plot = style_plot(self.glw.addPlot(), "w", None)
        self.curves: list[pg.PlotDataItem] = []
        self.markers = EventMarkers(self.plot, labels=False)
        self.picker.currentIndexChanged.connect(lambda *_: self.plot.enableAutoRange())

    def draw(self, frame: dict) -> None:
        self.picker.sync(frame)
        name = self.picker.currentData()
        if name is None:
            return
        tr = frame["projections"][name]["tracked"]
        k = tr.shape[1] - 1 if tr.ndim == 2 else 0
        while len(self.curves) < k:
            hue = len(self.curves) * 0.61803 % 1.0
            self.curves.append(self.plot.plot([], [], pen=pg.mkPen(pg.hsvColor(hue, 0.65, 0.75), width=1.3)))
        for j, c in enumerate(self.curves):
            if j < k and len(tr):
                c.setData(tr[:, 0], tr[:, 1 + j])
            else:
                c.setData([], [])
        title = f"{k} tracked synapses of {name}"
        if title != getattr(self, "_title", None):  # a new title re-lays out the plot
            self._title = title
            self.plot.setTitle(title, size="9pt", color="#6b7480")
        self.markers.update(frame["fired"])
        settle(self.plot)

    def focus(self, kind: str, name: str) -> None:
        if kind == "projection":
            self.picker.select(name)

    def plot_items(self):
        return [self.plot]
