"""Input–output curve: a population's rate against the rate of its input, one point per protocol step.

A stimulus stepped through a run traces how a population responds; repeating the sweep under different
conditions (no inhibition, subtractive, shunting) gives one curve per phase, and the fitted line of each
(:func:`simcore.iocurve.fit`) gives its gain and threshold, the same numbers the ``io_gain`` and
``io_threshold`` claims check. The curve comes from the recorded rates and the protocol events that
fired, so it grows live, one point per finished step.

What is plotted is set by the circuit's ``view.io_curve`` block when it has one::

    "io_curve": {"input": "Stimulus", "target": "Neurons",
                 "phases": [{"label": "no inhibition", "from_s": 0.0, "to_s": 4.5}, ...]}

otherwise the two region pickers choose, and the whole run is one curve.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from simcore import iocurve

from .base import Panel, nice_ceil, settle, style_plot

PHASE_COLORS = ["#2b3036", "#d9603b", "#3a6fb5", "#2a9d8f", "#8a4fb3", "#e39b2d"]


class IOCurvePanel(Panel):
    title = "Input–output curve"
    defer_ms = 24  # drawn in its own event-loop pass (see Panel)

    def __init__(self, circuit=lambda: None, parent=None):
        super().__init__(parent)
        self.circuit = circuit
        self.input_box, self.target_box = QComboBox(), QComboBox()
        self.input_box.setToolTip("Region whose rate is the x axis (the stimulus)")
        self.target_box.setToolTip("Region whose rate is plotted against it")
        for label, box in (("input", self.input_box), ("output", self.target_box)):
            self.controls.addWidget(QLabel(label))
            self.controls.addWidget(box, 1)
            box.currentIndexChanged.connect(lambda *_: self._redraw())
        self.info.setWordWrap(True)
        self.info.setContentsMargins(6, 0, 6, 2)
        self.layout().addWidget(self.info)  # gain and threshold of each curve, under the plot
        self.plot = style_plot(self.glw.addPlot(), "output rate", "Hz", "input rate", "Hz")
        self.legend = self.plot.addLegend(offset=(8, 6), labelTextSize="8.5pt", brush=(255, 255, 255, 215))
        self.items: list = []
        self._regions: tuple | None = None
        self._spec_key = None
        self._ymax = self._xmax = 0.0
        self._last = None

    # -- what to plot ---------------------------------------------------------------------------
    def spec(self) -> dict:
        """{"input", "target", "phases": [(label, from_s, to_s)]} from the view block or the pickers."""
        c = self.circuit()
        view = (getattr(c, "view", None) or {}).get("io_curve") or {}
        phases = [(str(p.get("label", "")), p.get("from_s"), p.get("to_s")) for p in view.get("phases", [])]
        return {"input": self.input_box.currentText() or view.get("input", ""),
                "target": self.target_box.currentText() or view.get("target", ""),
                "phases": phases or [("", None, None)]}

    def _sync_regions(self, frame: dict) -> None:
        regions = tuple(frame["regions"])
        if regions == self._regions:
            return
        self._regions = regions
        view = (getattr(self.circuit(), "view", None) or {}).get("io_curve") or {}
        for box, want, fallback in ((self.input_box, view.get("input"), regions[0] if regions else ""),
                                    (self.target_box, view.get("target"), regions[-1] if regions else "")):
            box.blockSignals(True)
            box.clear()
            box.addItems(list(regions))
            box.setCurrentText(want if want in regions else fallback)
            box.blockSignals(False)

    # -- drawing ----------------------------------------------------------------------------------
    def clear(self) -> None:
        super().clear()
        for item in self.items:
            self.plot.removeItem(item)
        self.legend.clear()
        self.items.clear()
        self._spec_key = None
        self._ymax = self._xmax = 0.0
        self._last = None
        self.info.setText("")

    def _redraw(self) -> None:
        if self._last is not None:
            self._spec_key = None
            self.draw(self._last)

    def _build(self, spec: dict) -> None:
        for item in self.items:
            self.plot.removeItem(item)
        self.legend.clear()
        self.items = []
        for i, (label, _, _) in enumerate(spec["phases"]):
            color = PHASE_COLORS[i % len(PHASE_COLORS)]
            pts = pg.PlotDataItem([], [], pen=pg.mkPen(color, width=1.4), symbol="o", symbolSize=7,
                                  symbolBrush=color, symbolPen=pg.mkPen("w", width=0.8), name=label or "curve")
            line = pg.PlotDataItem([], [], pen=pg.mkPen(color, width=1.2, style=Qt.DashLine))
            self.plot.addItem(line)
            self.plot.addItem(pts)
            self.items += [pts, line]

    def draw(self, frame: dict) -> None:
        self._last = frame
        self._sync_regions(frame)
        spec = self.spec()
        key = (spec["input"], spec["target"], tuple(spec["phases"]))
        if key != self._spec_key:
            self._build(spec)
            self._spec_key = key
        regions = list(frame["regions"])
        r = frame["rates"]
        t, values = r["t"], r["values"]
        if spec["input"] not in regions or spec["target"] not in regions or len(t) == 0:
            return
        x = values[:, regions.index(spec["input"])]
        y = values[:, regions.index(spec["target"])]
        fired = [time for time, _ in frame.get("fired", [])]
        now = float(frame["t"])
        summary = []
        for i, (label, lo, hi) in enumerate(spec["phases"]):
            pts_item, line_item = self.items[2 * i], self.items[2 * i + 1]
            lo = float(t[0]) - (t[1] - t[0] if len(t) > 1 else 0.0) if lo is None else float(lo)
            hi = now if hi is None else min(float(hi), now)
            pts = iocurve.points(t, x, y, iocurve.step_edges(fired, lo, hi)) if hi > lo else np.zeros((0, 2))
            pts_item.setData(pts[:, 0], pts[:, 1])
            gain, threshold = iocurve.fit(pts)
            if np.isfinite(gain) and np.isfinite(threshold):
                xs = np.array([threshold, pts[:, 0].max()])
                line_item.setData(xs, gain * (xs - threshold))
                summary.append(f"{label or 'curve'}: gain {gain:.2f}, threshold {threshold:.1f} Hz")
            else:
                line_item.setData([], [])
            if len(pts):
                self._xmax = max(self._xmax, float(pts[:, 0].max()))
                self._ymax = max(self._ymax, float(pts[:, 1].max()))
        self.plot.setXRange(0, nice_ceil(self._xmax * 1.05), padding=0)
        self.plot.setYRange(0, nice_ceil(self._ymax * 1.1), padding=0)
        settle(self.plot)
        text = "   ".join(summary)
        if text != self.info.text():
            self.info.setText(text)

    def focus(self, kind: str, name: str) -> None:
        pass
