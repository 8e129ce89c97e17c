"""A/B FORKED RUNS: fork the running (or paused) simulation into a second branch that differs from
now on by one change, run both, and see them overlaid.

Branch A is the live view's simulation; "Fork B" copies it in A's worker (simcore Simulation.fork:
the same state, history and random streams) and hands the copy to a worker of its own, where the
change (a "set" path and value, e.g. ``Neurons.homeostasis.enabled = false``) is applied. Until then
the branches share the past bit for bit; afterwards the plot shows the population rate of the chosen
region and the mean weight of the chosen projection, A solid and B dashed.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

from ..plots.base import E_COLORS, I_COLORS, Panel, settle, style_plot
from .export import export_button

POLL_MS = 30


def parse_change(text: str):
    """``"path = value"`` -> (path, value) with value a bool, number or text; None for empty text."""
    if not text.strip():
        return None
    path, sep, raw = text.partition("=")
    if not sep:
        raise ValueError("write the change as path = value, e.g. Neurons.homeostasis.enabled = false")
    raw = raw.strip()
    low = raw.lower()
    if low in ("true", "on", "yes", "false", "off", "no"):
        value = low in ("true", "on", "yes")
    else:
        try:
            value = float(raw)
        except ValueError:
            value = raw
    return path.strip(), value


class ABPanel(Panel):
    title = "A/B fork"

    def __init__(self, live=None, parent=None):
        super().__init__(parent)
        self.live = live
        self.worker_b = None
        self.change = QLineEdit()
        self.change.setObjectName("abChange")
        self.change.setPlaceholderText("change in B, e.g. Neurons.homeostasis.enabled = false")
        self.fork_button = QPushButton("Fork B")
        self.fork_button.setToolTip("Copy the simulation as it is now into branch B and apply the change there")
        self.run_button = QPushButton("Run both")
        self.pause_button = QPushButton("Pause both")
        self.region = QComboBox()
        self.region.setToolTip("Region whose population rate is compared")
        self.proj = QComboBox()
        self.proj.setToolTip("Projection whose mean weight is compared")
        for w in (self.change,):
            self.controls.addWidget(w, 2)
        for w in (self.fork_button, self.run_button, self.pause_button, self.region, self.proj, self.info,
                  export_button(self)):
            self.controls.addWidget(w)
        self.fork_button.clicked.connect(self.fork)
        self.run_button.clicked.connect(self.run_both)
        self.pause_button.clicked.connect(self.pause_both)
        self.p_rate = style_plot(self.glw.addPlot(row=0, col=0), "rate", "Hz")
        self.p_w = style_plot(self.glw.addPlot(row=1, col=0), "mean weight", None)
        self.p_w.setXLink(self.p_rate)
        for p in (self.p_rate, self.p_w):
            p.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))
        self.rate = {b: self.p_rate.plot([], [], pen=pg.mkPen(E_COLORS[0] if b == "A" else I_COLORS[0], width=1.6,
                                                                style=Qt.SolidLine if b == "A" else Qt.DashLine),
                                         name=f"{b}") for b in "AB"}
        self.wmean = {b: self.p_w.plot([], [], pen=pg.mkPen(E_COLORS[0] if b == "A" else I_COLORS[0], width=1.6,
                                                             style=Qt.SolidLine if b == "A" else Qt.DashLine),
                                       name=f"{b}") for b in "AB"}
        self.fork_line = None
        self.frames = {"A": None, "B": None}
        self.fork_t = None
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self._poll_b)
        if live is not None:
            live.ctl.frame.connect(self._on_a)
        self.region.currentIndexChanged.connect(lambda *_: self._redraw())
        self.proj.currentIndexChanged.connect(lambda *_: self._redraw())

    # -- branches ------------------------------------------------------------------------------------
    def fork(self) -> None:
        """Fork A's simulation now (in A's worker) and start branch B from the copy, with the change."""
        from ..sim import jobs
        from ..sim.worker import SimWorker

        try:
            change = parse_change(self.change.text())
        except ValueError as err:
            self.info.setText(str(err))
            return
        ctl = self.live.ctl
        ctl.ensure_loaded()
        if self.worker_b is None:
            self.worker_b = SimWorker()
            self.worker_b.start()
        wb = self.worker_b

        def forked(twin):
            self.fork_t = twin.t
            wb.adopt(twin)
        ctl.call(jobs.fork, forked, args=(change,))
        self.info.setText("forking…")
        self.timer.start()

    def run_both(self) -> None:
        self.live.ctl.run()
        if self.worker_b is not None:
            self.worker_b.play()

    def pause_both(self) -> None:
        self.live.ctl.pause()
        if self.worker_b is not None:
            self.worker_b.pause()

    def shutdown(self) -> None:
        self.timer.stop()
        if self.worker_b is not None:
            self.worker_b.stop(2.0)
            self.worker_b = None

    def _poll_b(self) -> None:
        wb = self.worker_b
        if wb is None:
            return
        if wb.state == "error":
            self.info.setText(f"B stopped: {wb.error}")
        f = wb.latest
        if f is not None and not wb.taken:
            wb.taken = True
            self.frames["B"] = f
            self._redraw()

    # -- drawing -------------------------------------------------------------------------------------
    def update_frame(self, frame: dict) -> None:
        pass  # A's frames come straight from its controller (_on_a), B's from B's worker (_poll_b)

    def _on_a(self, frame: dict) -> None:
        self.frames["A"] = frame
        if self.worker_b is not None and self.isVisible():
            self._redraw()

    def _sync(self, frame: dict) -> None:
        for box, names in ((self.region, list(frame["regions"])), (self.proj, list(frame["projections"]))):
            if [box.itemText(i) for i in range(box.count())] != names:
                cur = box.currentText()
                box.blockSignals(True)
                box.clear()
                box.addItems(names)
                if cur in names:
                    box.setCurrentText(cur)
                box.blockSignals(False)

    def _redraw(self) -> None:
        fa = self.frames["A"]
        if fa is None:
            return
        self._sync(fa)
        region, proj = self.region.currentText(), self.proj.currentText()
        for b, f in self.frames.items():
            if f is None or region not in f["regions"] or proj not in f["projections"]:
                self.rate[b].setData([], [])
                self.wmean[b].setData([], [])
                continue
            i = f["regions"].index(region)
            self.rate[b].setData(f["rates"]["t"], f["rates"]["values"][:, i])
            p = f["projections"][proj]
            self.wmean[b].setData(p["stats_t"], p["w_mean"])
        if self.fork_t is not None and self.fork_line is None:
            self.fork_line = self.p_rate.addLine(x=self.fork_t, pen=pg.mkPen("#7a3fa0", width=1, style=Qt.DashLine))
        fb = self.frames["B"]
        if fb is not None:
            self.info.setText(f"A t = {fa['t']:.2f} s, B t = {fb['t']:.2f} s (fork at {self.fork_t:.2f} s)")
        settle(self.p_rate, self.p_w)

    def csv(self):
        """Rate of the chosen region and mean weight of the chosen projection, per branch (long format)."""
        rows = []
        region, proj = self.region.currentText(), self.proj.currentText()
        for k, (b, f) in enumerate(self.frames.items()):
            if f is None or region not in f["regions"]:
                continue
            i = f["regions"].index(region)
            rows += [(k, 0, t, v) for t, v in zip(f["rates"]["t"], f["rates"]["values"][:, i])]
            if proj in f["projections"]:
                p = f["projections"][proj]
                rows += [(k, 1, t, v) for t, v in zip(p["stats_t"], p["w_mean"])]
        return ["branch_0A_1B", "series_0rate_1wmean", "t_s", "value"], np.array(rows, float).reshape(-1, 4)

    def clear(self) -> None:
        super().clear()
        self.frames["A"] = None
