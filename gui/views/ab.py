"""A/B FORKED RUNS: fork the running (or paused) simulation into a second branch that differs from
now on by one change, run both, and see them overlaid.

Branch A is the live view's simulation; "Fork B" copies it in A's engine (simcore Simulation.fork:
the same state, history and random streams) and hands the copy to an engine of its own (a process,
as A's, unless ``SYNAPTICA_ENGINE=thread``), where the
change (``path = value``, several separated by ``;``, e.g. ``E.homeostasis.enabled = false``) is
applied. Until then the branches share the past bit for bit. The panel mirrors the live plots for
both branches, A solid and B dashed: the population rate of every region, the mean weight of every
projection and the weight histograms of the plastic projections, all drawn from the branches' frames.

A circuit that declares a fork (``fork`` in the file, e.g. the runaway demo) arms the panel: Run stops
A at the fork time, forks B with the declared changes there and runs both on; the main Run and Pause
drive both branches from then on, and a reset of A drops B and arms the fork again.
"""
from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QPushButton

from ..plots.base import E_COLORS, I_COLORS, Panel, region_colors, settle, style_plot
from .export import export_button

POLL_MS = 30
MAX_REGIONS = 8      # rate curves per branch (the first regions of the circuit): a big circuit stays fast
MAX_PROJECTIONS = 8  # mean-weight curves per branch (plastic projections first)
MAX_HISTS = 3        # histogram plots side by side (plastic projections first)
DRAW_EVERY_S = 0.1   # the panel redraws (from A's or B's frames) at most this often while running
SMOOTH_S = 0.1       # rates are drawn as running means over this long (the live rate plot's default)
PROJ_COLORS = E_COLORS + I_COLORS


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


def parse_changes(text: str) -> list[tuple[str, object]]:
    """Several changes separated by ``;`` (see :func:`parse_change`)."""
    return [c for c in (parse_change(part) for part in text.split(";")) if c is not None]


def change_text(fork) -> str:
    """The change field's text for a declared fork."""
    def value(v):
        return ("true" if v else "false") if isinstance(v, bool) else f"{v:g}" if isinstance(v, float) else str(v)
    return "; ".join(f"{ch.target}.{ch.param} = {value(ch.value)}" for ch in fork.changes)


def plastic_first(frame: dict) -> list[str]:
    projs = frame["projections"]
    return sorted(projs, key=lambda n: (not projs[n]["plastic"], list(projs).index(n)))


class ABPanel(Panel):
    title = "A/B fork"
    defer_ms = 22  # drawn in its own event-loop pass (see Panel)

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
        self.controls.addWidget(self.change, 2)
        for w in (self.fork_button, self.run_button, self.pause_button, self.info, export_button(self)):
            self.controls.addWidget(w)
        self.fork_button.clicked.connect(lambda *_: self.fork())
        self.run_button.clicked.connect(self.run_both)
        self.pause_button.clicked.connect(self.pause_both)
        self.p_rate = style_plot(self.glw.addPlot(row=0, col=0, colspan=MAX_HISTS), "rate", "Hz")
        self.p_w = style_plot(self.glw.addPlot(row=1, col=0, colspan=MAX_HISTS), "mean weight", None)
        self.p_w.setXLink(self.p_rate)
        self.p_rate.hideAxis("bottom")  # one time axis under the two x-linked plots (axis painting is costly)
        for p in (self.p_rate, self.p_w):
            _legend(p)
        self.p_hist: list[pg.PlotItem] = []
        self.labels = {"A": "A", "B": "B"}
        self.curves: dict[tuple, pg.PlotDataItem] = {}  # (kind, name, branch) -> curve
        self.refs: dict[str, pg.PlotDataItem] = {}      # histogram of the reference weights, per projection
        self._shape = None
        self.fork_line = None
        self.frames = {"A": None, "B": None}
        self.fork_t = None
        self.declared = None      # the circuit's fork (simcore.model.Fork), armed until it happened
        self._then = None         # where the run asked for goes on after a declared fork: (until,)
        self._resuming = False    # forking at a declared fork, after which the run goes on
        self._drawn = 0.0
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self._poll_b)
        if live is not None:
            live.ctl.frame.connect(self._on_a)
            live.ctl.finished.connect(self._on_a_finished)
            live.ctl.followers.append(self)
            doc = getattr(getattr(live, "win", None), "document", None)
            if doc is not None:
                doc.reset.connect(lambda: self.arm(doc.circuit.fork))
                self.arm(doc.circuit.fork)

    # -- a fork declared by the circuit ----------------------------------------------------------------
    def _show_dock(self) -> None:
        from PySide6.QtWidgets import QDockWidget

        w = self.parent()
        while w is not None and not isinstance(w, QDockWidget):
            w = w.parent()
        if w is not None and w.isHidden():
            w.show()

    def arm(self, fork) -> None:
        """Take the circuit's declared fork (or None): its changes fill the field, its labels the legends;
        the next Run stops at its time to fork there. Any branch B of the previous circuit is dropped."""
        self.drop_b()
        self.declared = fork
        if fork is not None:
            self._show_dock()  # an optional panel, hidden by default: a circuit that declares a fork is about it
            self.change.setText(change_text(fork))
            self.labels = {"A": f"A: {fork.label_a}", "B": f"B: {fork.label_b}"}
            self.info.setText(f"fork at {fork.time_s:g} s: {change_text(fork)} in B")
        else:
            self.labels = {"A": "A", "B": "B"}
        self._shape = None  # legends carry the labels: rebuilt at the next draw

    def on_run(self, until):
        """(SimController follower) A is asked to run until ``until``: with a declared fork still ahead,
        A first stops at its time; B, once forked, runs along."""
        t = self._t_a()
        if self.declared is not None and self.worker_b is None and t < self.declared.time_s - 1e-9:
            self._then = (until,)
            return self.declared.time_s
        if self.worker_b is not None:
            self._play_b(until)
        return until

    def goes_on(self) -> bool:
        """(SimController follower) A stopped at the declared fork and goes on once B is forked."""
        return self._then is not None or self._resuming

    def on_pause(self) -> None:
        self._then = None
        if self.worker_b is not None:
            self.worker_b.pause()

    def _on_a_finished(self) -> None:
        f = self.live.ctl.last
        d = self.declared
        if d is None or self.worker_b is not None or f is None or abs(f["t"] - d.time_s) > 1e-9:
            return
        then, self._then = self._then, None
        self.fork([(f"{ch.target}.{ch.param}", ch.value) for ch in d.changes], then=then)

    def _t_a(self) -> float:
        f = self.live.ctl.last if self.live is not None else None
        return float(f["t"]) if f is not None else 0.0

    # -- branches ------------------------------------------------------------------------------------
    def fork(self, changes=None, then=None) -> None:
        """Fork A's simulation now (in A's worker) and start branch B from the copy, with the changes
        (default: the change field's). ``then`` = (until,): run both on once B is there."""
        from ..sim import jobs
        from ..sim.controller import make_engine

        if changes is None:
            try:
                changes = parse_changes(self.change.text())
            except ValueError as err:
                self.info.setText(str(err))
                return
        ctl = self.live.ctl
        ctl.ensure_loaded()
        self.drop_b()
        # B in an engine of the same kind as A's: a process of its own by default, so that simulating B
        # costs the window's process nothing (in a thread it competed with drawing for the GIL)
        self.worker_b = wb = make_engine()
        wb.start()

        self._resuming = then is not None

        def forked(twin):
            self._resuming = False
            if self.worker_b is not wb:
                return  # dropped meanwhile (another circuit, a reset)
            self.fork_t = twin.t
            wb.adopt(twin)
            if ctl.speed is not None:
                wb.send("speed", ctl.speed)
            if then is not None:
                ctl.run(then[0])  # the follower hook plays B along
            elif ctl.state == "running":  # forked while A runs: B runs along at once
                self._play_b(ctl._until)
        ctl.call(jobs.fork_many, forked, args=(list(changes),))
        self.info.setText("forking…")
        self.timer.start()

    def _play_b(self, until) -> None:
        if self.live.ctl.speed is not None:
            self.worker_b.send("speed", self.live.ctl.speed)
        self.worker_b.play(until)

    def run_both(self) -> None:
        self.live.ctl.run()  # B follows (on_run)

    def pause_both(self) -> None:
        self.live.ctl.pause()  # B follows (on_pause)

    def drop_b(self) -> None:
        """End branch B (a new circuit, a reset of A, the window closing)."""
        self.timer.stop()
        self._resuming = False
        if self.worker_b is not None:
            self.worker_b.stop(1.0)
            self.worker_b = None
        self.frames["B"] = None
        self.fork_t = None
        if self.fork_line is not None:
            for p in (self.p_rate, self.p_w):
                p.removeItem(self.fork_line[p is self.p_w])
            self.fork_line = None

    def shutdown(self) -> None:
        self.drop_b()
        if self.live is not None and self in self.live.ctl.followers:
            self.live.ctl.followers.remove(self)

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
            if self.frames["A"] is not None and self.isVisible():
                self._request(self.frames["A"], f.get("running", False))

    # -- drawing -------------------------------------------------------------------------------------
    def _on_a(self, frame: dict) -> None:
        """Every frame of A (cheap bookkeeping; drawing follows the live view's schedule): a jump back
        before the fork (a reset of A) ends B and arms a declared fork again."""
        self.frames["A"] = frame
        if self.fork_t is not None and frame["t"] < self.fork_t - 1e-9:
            self.drop_b()
            self.info.setText("A went back before the fork: B dropped" +
                              (f"; fork again at {self.declared.time_s:g} s" if self.declared else ""))

    def update_frame(self, frame: dict) -> None:
        self.frames["A"] = frame
        self._request(frame, frame.get("running", False))

    def _request(self, frame: dict, running: bool) -> None:
        """Draw in a pass of its own, at most every DRAW_EVERY_S while running: A's and B's frames
        both ask, and one draw shows both (the newest frame of each)."""
        wait = (self._drawn + DRAW_EVERY_S - time.perf_counter()) * 1000.0 if running else 0.0
        self._defer_draw(frame, max(self.defer_ms, wait), hurry=not running)  # the last frame of a run: no waiting

    def _build(self, fa: dict) -> None:
        """Curves for the regions and projections of A's frame, and one histogram plot per plastic
        projection (up to MAX_HISTS); legends say which line is which branch."""
        regions = fa["regions"][:MAX_REGIONS]
        projs = plastic_first(fa)[:MAX_PROJECTIONS]
        hists = [n for n in plastic_first(fa) if fa["projections"][n]["plastic"]][:MAX_HISTS] or projs[:1]
        shape = (tuple(regions), tuple(projs), tuple(hists), tuple(self.labels.values()))
        if shape == self._shape:
            return
        self._shape = shape
        for p in (self.p_rate, self.p_w):
            for item in p.listDataItems():
                p.removeItem(item)
            p.legend.clear()
        for p in self.p_hist:
            self.glw.removeItem(p)
        self.curves.clear()
        self.refs.clear()
        self.p_hist = []
        for k, name in enumerate(hists):
            p = style_plot(self.glw.addPlot(row=2, col=k), "synapses", None, f"weight ({name})", None)
            self.p_hist.append(p)
        colors = region_colors(fa)
        for p in self.p_hist:
            _legend(p)
        for i, name in enumerate(regions):
            for b in "AB":
                self.curves[("rate", name, b)] = self.p_rate.plot(
                    [], [], pen=_pen(colors[name], b), name=f"{name} · {self.labels[b]}", skipFiniteCheck=True)
        for i, name in enumerate(projs):
            color = QColor(PROJ_COLORS[i % len(PROJ_COLORS)])
            for b in "AB":
                self.curves[("w", name, b)] = self.p_w.plot([], [], pen=_pen(color, b),
                                                            name=f"{name} · {self.labels[b]}")
        for p, name in zip(self.p_hist, hists):
            self.refs[name] = p.plot([0, 1], [0], stepMode="center", fillLevel=0, pen=pg.mkPen("#9aa3ad", width=1),
                                     brush=pg.mkBrush(154, 163, 173, 50), name="reference")
            for b in "AB":
                self.curves[("hist", name, b)] = p.plot(
                    [0, 1], [0], stepMode="center", pen=_pen(QColor("#d9603b" if b == "A" else "#3a6fb5"), b),
                    fillLevel=0 if b == "A" else None, brush=pg.mkBrush(217, 96, 59, 60) if b == "A" else None,
                    name=self.labels[b])
        self._fork_lines()

    def _fork_lines(self) -> None:
        if self.fork_t is not None and self.fork_line is None:
            pen = pg.mkPen("#7a3fa0", width=1, style=Qt.DashLine)
            self.fork_line = (self.p_rate.addLine(x=self.fork_t, pen=pen), self.p_w.addLine(x=self.fork_t, pen=pen))

    def draw(self, frame: dict) -> None:
        self._drawn = time.perf_counter()
        fa = self.frames["A"] = frame
        self._build(fa)
        self._fork_lines()
        for (kind, name, b), curve in self.curves.items():
            f = self.frames[b]
            if f is None or (kind == "rate" and name not in f["regions"]) or \
                    (kind != "rate" and name not in f["projections"]):
                curve.setData([], [])
                continue
            if kind == "rate":
                t = f["rates"]["t"]
                curve.setData(t, smooth(f["rates"]["values"][:, f["regions"].index(name)], _bins(t)))
            elif kind == "w":
                p = f["projections"][name]
                curve.setData(p["stats_t"], p["w_mean"])
            else:
                p = f["projections"][name]
                curve.setData(p["edges"], p["hist"])
                if b == "A":
                    self.refs[name].setData(p["edges"], p["hist_ref"])
        fb = self.frames["B"]
        if fb is not None and self.fork_t is not None:
            self.info.setText(f"A t = {fa['t']:.2f} s, B t = {fb['t']:.2f} s (fork at {self.fork_t:.2f} s)")
        settle(self.p_rate, self.p_w, *self.p_hist)

    def csv(self):
        """Every drawn series of both branches, long format: branch (0 A, 1 B), series (0 rate of a
        region, 1 mean weight of a projection), index of the region or projection in A's frame, t, value."""
        rows = []
        fa = self.frames["A"]
        if fa is None:
            return ["branch_0A_1B", "series_0rate_1wmean", "index", "t_s", "value"], np.zeros((0, 5))
        regions, projs = list(fa["regions"]), list(fa["projections"])
        for k, (b, f) in enumerate(self.frames.items()):
            if f is None:
                continue
            for name in f["regions"]:
                if name in regions:
                    v = f["rates"]["values"][:, f["regions"].index(name)]
                    rows += [(k, 0, regions.index(name), t, x) for t, x in zip(f["rates"]["t"], v)]
            for name, p in f["projections"].items():
                if name in projs:
                    rows += [(k, 1, projs.index(name), t, x) for t, x in zip(p["stats_t"], p["w_mean"])]
        return ["branch_0A_1B", "series_0rate_1wmean", "index", "t_s", "value"], np.array(rows, float).reshape(-1, 5)

    def plot_items(self):
        return [self.p_rate, self.p_w, *self.p_hist]

    def clear(self) -> None:
        super().clear()
        self.frames["A"] = None


def _pen(color, branch: str):
    return pg.mkPen(color, width=1.6, style=Qt.SolidLine if branch == "A" else Qt.DashLine)


def _legend(plot: pg.PlotItem):
    return plot.addLegend(offset=(-6, 4), labelTextSize="8pt", brush=(255, 255, 255, 210))


def _bins(t: np.ndarray) -> int:
    return max(1, int(round(SMOOTH_S / (t[1] - t[0])))) if len(t) > 1 else 1


def smooth(x: np.ndarray, n: int) -> np.ndarray:
    """Running mean over the last ``n`` samples (fewer at the start): causal, so the shared past of the
    two branches stays identical sample for sample."""
    if n <= 1 or len(x) == 0:
        return x
    c = np.cumsum(np.r_[0.0, x])
    k = np.arange(1, len(x) + 1)
    lo = np.maximum(k - n, 0)
    return (c[k] - c[lo]) / (k - lo)
