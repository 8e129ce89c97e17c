"""E/I BALANCE: a region's excitatory and inhibitory input, their ratio and their correlation.

Inhibitory plasticity (Vogels, Sprekeler et al. 2011) makes inhibition track excitation: the ratio
settles and the two inputs become correlated over time ("co-tuned"). Shown for one region: the mean
excitatory and inhibitory input state (top), E / I (middle) and the Pearson correlation of the two
over a sliding window (bottom), with the latest values as numbers. Vectorised on the recorded
statistics series (frame["ei"]); nothing per point in Python.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from ..plots.base import E_COLORS, I_COLORS, EventMarkers, Panel, settle, style_plot
from .export import export_button

WINDOWS = {"1 s": 1.0, "2 s": 2.0, "5 s": 5.0, "10 s": 10.0}


def rolling_corr(x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """Pearson correlation of x and y over the last ``n`` samples at every sample (nan before n)."""
    out = np.full(len(x), np.nan)
    if n < 3 or len(x) < n:
        return out
    c = lambda a: np.r_[0.0, np.cumsum(a)]  # noqa: E731
    sx, sy, sxx, syy, sxy = c(x), c(y), c(x * x), c(y * y), c(x * y)
    w = lambda s: s[n:] - s[:-n]  # noqa: E731
    mx, my = w(sx) / n, w(sy) / n
    vx, vy = w(sxx) / n - mx * mx, w(syy) / n - my * my
    cov = w(sxy) / n - mx * my
    ok = (vx > 1e-24) & (vy > 1e-24)
    out[n - 1:] = np.where(ok, cov / np.sqrt(np.where(ok, vx * vy, 1.0)), np.nan)
    return out


class EIBalancePanel(Panel):
    title = "E/I balance"
    defer_ms = 6

    def __init__(self, parent=None):
        super().__init__(parent)
        self.region = QComboBox()
        self.region.setToolTip("Region whose excitatory and inhibitory input is shown")
        self.window = QComboBox()
        self.window.addItems(list(WINDOWS))
        self.window.setCurrentText("2 s")
        self.window.setToolTip("Window of the running correlation")
        self.controls.addWidget(self.region, 1)
        self.controls.addWidget(self.window)
        self.controls.addWidget(self.info)
        self.controls.addWidget(export_button(self))
        self.p_in = style_plot(self.glw.addPlot(row=0, col=0), "input", None)
        self.p_ratio = style_plot(self.glw.addPlot(row=1, col=0), "E / I", None)
        self.p_corr = style_plot(self.glw.addPlot(row=2, col=0), "corr(E, I)", None)
        for p in (self.p_ratio, self.p_corr):
            p.setXLink(self.p_in)
        for p in (self.p_in, self.p_ratio):  # one time axis, under the x-linked stack: each axis painted
            p.hideAxis("bottom")              # costs as much as its curves (gui.bench --views)
        self.p_corr.setYRange(-1, 1, padding=0.05)
        self.legend = self.p_in.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))
        self.e = self.p_in.plot([], [], pen=pg.mkPen(E_COLORS[0], width=1.6), name="excitatory")
        self.i = self.p_in.plot([], [], pen=pg.mkPen(I_COLORS[0], width=1.6), name="inhibitory")
        self.ratio = self.p_ratio.plot([], [], pen=pg.mkPen("#2b3036", width=1.4))
        self.p_ratio.addLine(y=1.0, pen=pg.mkPen("#9aa3ad", width=1, style=Qt.DashLine))
        self.corr = self.p_corr.plot([], [], pen=pg.mkPen("#2a9d8f", width=1.6))
        self.p_corr.addLine(y=0.0, pen=pg.mkPen("#9aa3ad", width=1))
        self.markers = EventMarkers(self.p_in, labels=False)
        self.region.currentIndexChanged.connect(lambda *_: self._redraw())
        self.window.currentIndexChanged.connect(lambda *_: self._redraw())
        self.frame = None
        self._names = None
        self.data = np.zeros((0, 5))

    def _redraw(self) -> None:
        if self.frame is not None:
            self.draw(self.frame)

    def _sync(self, frame: dict) -> None:
        vals = frame["ei"]["values"]
        names = [n for i, n in enumerate(frame["regions"])
                 if len(vals) and np.isfinite(vals[-1, 2 * i]) and np.isfinite(vals[-1, 2 * i + 1])]
        if names == self._names:
            return
        current = self.region.currentText()
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItems(names)
        if current in names:
            self.region.setCurrentText(current)
        self.region.blockSignals(False)
        self._names = names

    def draw(self, frame: dict) -> None:
        self.frame = frame
        self._sync(frame)
        name = self.region.currentText()
        if not name:
            self.info.setText("no region with excitatory and inhibitory input")
            return
        i = frame["regions"].index(name)
        t = frame["ei"]["t"]
        e, inh = frame["ei"]["values"][:, 2 * i], frame["ei"]["values"][:, 2 * i + 1]
        ratio = np.where(np.abs(inh) > 1e-12, e / np.where(np.abs(inh) > 1e-12, inh, 1.0), np.nan)
        step = float(np.median(np.diff(t))) if len(t) > 2 else 0.1
        n = max(3, int(round(WINDOWS[self.window.currentText()] / max(step, 1e-6))))
        corr = rolling_corr(e, inh, n)
        self.data = np.column_stack([t, e, inh, ratio, corr])
        self.e.setData(t, e)
        self.i.setData(t, inh)
        self.ratio.setData(t, ratio)
        self.corr.setData(t, corr)
        if len(t):
            self.info.setText(f"E/I {ratio[-1]:.3g}   corr {corr[-1]:+.2f}" if np.isfinite(corr[-1])
                              else f"E/I {ratio[-1]:.3g}")
        self.markers.update(frame["fired"])
        settle(self.p_in, self.p_ratio, self.p_corr)

    def csv(self) -> tuple[list[str], np.ndarray]:
        return ["t_s", "excitatory_input", "inhibitory_input", "e_over_i", "running_corr"], self.data

    def focus(self, kind: str, name: str) -> None:
        if kind == "region" and self.region.findText(name) >= 0:
            self.region.setCurrentText(name)

    def clear(self) -> None:
        super().clear()
        self.markers.clear()
