"""WHAT EACH RULE DID: per projection, the cumulative weight change each rule made, stacked over time.

The engine accumulates every rule's total weight change (its contribution) and records it with the
weight statistics; shown per synapse (total / number of synapses), positive parts stacked upwards
and negative parts downwards from zero, with the net change as a line. So "STDP pushes up, scaling
takes back" reads as two bands on either side of zero and a net line that stays near it.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel

from ..plots.base import EventMarkers, settle, style_plot
from .export import export_button
from .projection_view import ProjectionView

RULE_COLORS = ["#d9603b", "#2a9d8f", "#5a55b3", "#e39b2d", "#3a6fb5", "#b05fa0", "#8c5a2b"]


def stacked(contrib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper edges (T, R) of each rule's band: positives stacked up, negatives down."""
    pos, neg = np.clip(contrib, 0, None), np.clip(contrib, None, 0)
    up = np.cumsum(pos, axis=1)
    down = np.cumsum(neg, axis=1)
    pos_mask = contrib >= 0
    upper = np.where(pos_mask, up, down - neg)
    lower = np.where(pos_mask, up - pos, down)
    return lower, upper


class RuleContributionPanel(ProjectionView):
    picker_tip = "Projection whose rules are shown"
    title = "What each rule did"
    defer_ms = 12

    def __init__(self, parent=None):
        super().__init__(parent)
        self.controls.addWidget(self.picker, 1)
        self.controls.addWidget(self.info)
        self.controls.addWidget(export_button(self))
        self.plot = style_plot(self.glw.addPlot(), "cumulative Δw per synapse", None)
        self.legend = self.plot.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))
        self.zero = self.plot.addLine(y=0, pen=pg.mkPen("#9aa3ad", width=1))
        self.net = None
        self.bands: list = []
        self.markers = EventMarkers(self.plot, labels=False)
        self._key = None
        self.data = (np.zeros(0), np.zeros((0, 0)), [])

    def _rebuild(self, rules: list[str]) -> None:
        for lo, hi, fill in self.bands:
            self.plot.removeItem(fill)
        if self.net is not None:
            self.plot.removeItem(self.net)
        self.legend.clear()
        self.bands = []
        for i, r in enumerate(rules):
            color = pg.mkColor(RULE_COLORS[i % len(RULE_COLORS)])
            lo, hi = pg.PlotDataItem([], []), pg.PlotDataItem([], [])
            fill = pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(color.red(), color.green(), color.blue(), 150))
            self.plot.addItem(fill)
            # the legend's sample: a plain line in the band's colour (a FillBetweenItem has no sample look)
            self.legend.addItem(pg.PlotDataItem([], [], pen=pg.mkPen(color, width=6)), f"{i + 1}. {r}")
            self.bands.append((lo, hi, fill))
        self.net = self.plot.plot([], [], pen=pg.mkPen("#2b3036", width=1.6), name="net change")

    def draw(self, frame: dict) -> None:
        name = self.picked(frame)
        if name is None:
            return
        p = frame["projections"][name]
        rules = list(p["rules"])
        if self._key != (name, tuple(rules)):
            self._key = (name, tuple(rules))
            self._rebuild(rules)
        t = p["stats_t"]
        c = p["contrib"] / max(1, p["n"])
        self.data = (t, c, rules)
        if not rules:
            self.info.setText("static weights: no rule")
            self.net.setData([], [])
            return
        lower, upper = stacked(c)
        for i, (lo, hi, _) in enumerate(self.bands):
            lo.setData(t, lower[:, i])
            hi.setData(t, upper[:, i])
        self.net.setData(t, c.sum(axis=1))
        if len(t):
            last = c[-1]
            self.info.setText("  ".join(f"{r}: {v:+.3g}" for r, v in zip(rules, last)) + f"  net {last.sum():+.3g}")
        self.markers.update(frame["fired"])
        settle(self.plot)

    def csv(self) -> tuple[list[str], np.ndarray]:
        t, c, rules = self.data
        header = ["t_s"] + [f"{i + 1}_{r}_dw_per_synapse" for i, r in enumerate(rules)] + ["net_dw_per_synapse"]
        return header, np.column_stack([t, c, c.sum(axis=1) if c.size else np.zeros(len(t))]) if len(t) else \
            np.zeros((0, len(header)))

    def focus(self, kind: str, name: str) -> None:
        if kind == "projection":
            self.picker.select(name)

    def clear(self) -> None:
        super().clear()
        self.markers.clear()
