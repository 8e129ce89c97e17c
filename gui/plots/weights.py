"""Weight histogram of one projection, with the reference (initial) histogram as a faint overlay."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from .base import CornerText, Panel, settle, style_plot


class ProjectionPicker(QComboBox):
    """Projection chooser shared by the weight panels; plastic projections first."""

    def sync(self, frame: dict) -> bool:
        projs = frame["projections"]
        names = sorted(projs, key=lambda n: (not projs[n]["plastic"], list(projs).index(n)))
        if [self.itemData(i) for i in range(self.count())] == names:
            return False
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        for n in names:
            p = projs[n]
            rules = ", ".join(p["rules"]) or "static"
            self.addItem(f"{n}  ({rules})", n)
        if current in names:
            self.setCurrentIndex(names.index(current))
        self.blockSignals(False)
        return True

    def select(self, name: str) -> bool:
        i = self.findData(name)
        if i >= 0:
            self.setCurrentIndex(i)
        return i >= 0


class WeightHistogramPanel(Panel):
    title = "Weight histogram"
    defer_ms = 18  # drawn in its own event-loop pass (see Panel)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.picker = ProjectionPicker()
        self.picker.setToolTip("Projection whose weights are shown")
        self.log = QCheckBox("log x")
        self.log.setToolTip("Logarithmic weight axis (multiplicative changes become shifts)")
        self.controls.addWidget(self.picker, 1)
        self.controls.addWidget(self.log)
        self.plot = style_plot(self.glw.addPlot(), "synapses", None, "effective weight w = W·g", None)
        self.legend = self.plot.addLegend(offset=(-6, 6), labelTextSize="8pt", brush=(255, 255, 255, 210))
        self.ref = pg.PlotDataItem([0, 1], [0], stepMode="center", fillLevel=0, pen=pg.mkPen("#9aa3ad", width=1),
                                   brush=pg.mkBrush(154, 163, 173, 60), name="reference")
        self.now = pg.PlotDataItem([0, 1], [0], stepMode="center", fillLevel=0, pen=pg.mkPen("#d9603b", width=1.8),
                                   brush=pg.mkBrush(217, 96, 59, 70), name="now")
        self.plot.addItem(self.ref)
        self.plot.addItem(self.now)
        self.text = pg.TextItem("", color="#2b3036", anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 200))
        self.plot.addItem(self.text, ignoreBounds=True)
        self.corner = CornerText(self.plot, self.text, avoid=self.legend)
        self.picker.currentIndexChanged.connect(lambda *_: self._refresh())
        self.log.toggled.connect(lambda *_: self._refresh())
        self.frame = None
        self._mode = None
        self._drawn = None  # (mode, edges, reference counts, counts) last drawn

    def _refresh(self) -> None:
        if self.frame is not None:
            self._drawn = None
            self.draw(self.frame)
            self.plot.enableAutoRange()

    def draw(self, frame: dict) -> None:
        self.frame = frame
        self.picker.sync(frame)
        name = self.picker.currentData()
        if name is None:
            return
        p = frame["projections"][name]
        log = self.log.isChecked()
        mode = (name, log)
        if mode != self._mode:
            self._mode = mode
            self.plot.setLogMode(x=log, y=False)
            self.plot.enableAutoRange()
        e, ref, now = ((p["edges_log"], p["hist_log_ref"], p["hist_log"]) if log else
                       (p["edges"], p["hist_ref"], p["hist"]))
        same = self._drawn is not None and self._drawn[0] == mode and all(
            np.array_equal(a, b) for a, b in zip(self._drawn[1:], (e, ref, now)))
        if not same:  # unchanged bins (static weights) are not set again: no redraw, no repaint
            self._drawn = (mode, e, ref, now)
            self.ref.setData(e, ref)
            self.now.setData(e, now)
        txt = f"{name}: {p['n']:,} synapses"
        if len(p["w_mean"]):
            txt += f"\nmean {p['w_mean'][-1]:.4g}   CV {p['w_cv'][-1]:.3f}"
        if log and p.get("nonpos"):
            txt += f"\n{p['nonpos']:,} weights at 0 (not shown)"
        if txt != getattr(self, "_txt", None):
            self._txt = txt
            self.text.setText(txt)
        settle(self.plot)  # auto-range now, so the text goes to the corner of this frame's range
        self.corner.place()

    def focus(self, kind: str, name: str) -> None:
        if kind == "projection":
            self.picker.select(name)

    def plot_items(self):
        return [self.plot]
