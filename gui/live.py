"""The live simulation view: ``install(main_window)`` adds the Run toolbar, the live controls, the
plot docks, the status-bar readouts and the Simulation menu to the editor's MainWindow.

Data flow: :class:`gui.sim.controller.SimController` pulls the newest frame from the engine process
at ~30 Hz and emits ``frame``; each visible panel redraws from it. Nothing here touches the engine
directly.
"""
from __future__ import annotations

import os

from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QMessageBox, QProgressBar, QToolButton, QWidget

from . import files, views
from .plots.activity import EIPanel, VoltagePanel
from .plots.base import TextThrottle
from .plots.iocurve import IOCurvePanel
from .plots.raster import RasterPanel
from .plots.rates import RatePanel
from .plots.relative import RelativeWeightingPanel
from .plots.stats import TrackedPanel, WeightStatsPanel
from .plots.weights import WeightHistogramPanel
from .sim import jobs
from .sim.controller import SPEEDS, SimController
from .sim.controls import LiveControls

STATE_KEY = "live/windowState"
LAYOUT_VERSION = 4  # 4: optional panels start hidden (tabs readable at 1366x768)
STEP_S = 0.1
FAST_PANELS = ("Population rates", "Spike raster", "Membrane potential", "E/I input")
# Shown on demand (Simulation > Panels, the Panels button): with them all in tabs, a tab group of seven
# panels in a 580 px column elides every title ("Spike r…", "E/I …") at 1366x768.
OPTIONAL_PANELS = ("Tracked synapses", "Input–output curve", "What each rule did", "Weight kymograph",
                   "W(t) − W(0)", "E/I balance", "A/B fork")


class LiveView(QObject):
    """Everything the live view adds to a window; reachable as ``main_window.live``."""

    def __init__(self, win):
        super().__init__(win)
        self.win = win
        self.ctl = SimController(win.document, self)
        self._build_actions()
        self._build_status()
        self._build_docks()
        self._build_menu()
        c = self.ctl
        c.frame.connect(self._on_frame)
        c.state_changed.connect(self._on_state)
        c.message.connect(lambda m: win.statusBar().showMessage(m, 6000))
        c.event_fired.connect(self._on_event)
        c.stale_changed.connect(self._on_stale)
        c.finished.connect(self._on_finished)
        self.finished_run = False
        win.document.region_added.connect(self._update_run_enabled)
        win.document.region_removed.connect(self._update_run_enabled)
        win.scene.selection_summary.connect(self.focus)
        win.document.reset.connect(self._document_reset)
        win.installEventFilter(self)
        from PySide6.QtWidgets import QApplication
        QApplication.instance().aboutToQuit.connect(self.ctl.shutdown)  # no engine running at exit
        self.frames_drawn = 0
        self.panel_updates: dict[str, int] = {}  # update_frame calls per panel (what hidden panels cost: none)
        self._drawn_projections = None
        self.texts = TextThrottle()
        self._raised_controls = False
        self._at_start = False  # reset to t = 0 and not yet advanced: "ready", not "paused" or "finished"
        self._on_state("idle")

    # -- toolbar ------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        win = self.win
        tb = win.addToolBar("Simulation")
        tb.setObjectName("simToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar = tb

        def act(text, slot, key=None, tip=""):
            a = QAction(text, win)
            if key:
                a.setShortcut(QKeySequence(key))
            a.setStatusTip(tip)
            a.setToolTip(f"{tip} ({key})" if key else tip)
            a.triggered.connect(lambda *_: slot())
            tb.addAction(a)
            return a
        self.run_action = act("▶ Run", self.run, "F5",
                              "Run to the circuit's duration, then on (live changes apply at once)")
        self.pause_action = act("❚❚ Pause", self.ctl.pause, "F6", "Pause the simulation")
        self.step_action = act("▸| Step", lambda: self.ctl.step(STEP_S), "F7",
                               f"Advance {STEP_S * 1000:.0f} ms of simulated time")
        self.reset_action = act("⟲ Reset", self.reset, "Ctrl+R", "Back to t = 0 (rebuilds after structural edits)")
        tb.addSeparator()
        tb.addWidget(QLabel(" speed "))
        self.speed = QComboBox(objectName="speedCombo")
        for label, factor in SPEEDS.items():
            self.speed.addItem("as fast as possible" if factor is None else f"{label} real time", factor)
        self.speed.setToolTip("Simulated seconds per wall-clock second")
        self.speed.currentIndexChanged.connect(lambda *_: self.ctl.set_speed(self.speed.currentData()))
        tb.addWidget(self.speed)

    def _build_status(self) -> None:
        sb = self.win.statusBar()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setVisible(False)
        self.busy_label = QLabel("")
        self.state_label = QLabel("")
        self.stale_label = QLabel("")
        self.stale_label.setStyleSheet("color: #b45309; font-weight: 600;")
        self.time_label = QLabel("t = 0.000 s")
        self.time_label.setMinimumWidth(110)
        self.rtf_label = QLabel("")
        self.rtf_label.setMinimumWidth(120)
        for w in (self.busy, self.busy_label, self.stale_label, self.state_label, self.time_label, self.rtf_label):
            sb.addPermanentWidget(w)

    # -- plot docks -----------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        win = self.win
        self.controls = LiveControls(self.ctl, win.document)
        self.panels = {
            "Population rates": RatePanel(lambda: win.document.circuit),
            "Spike raster": RasterPanel(),
            "Relative weighting": RelativeWeightingPanel(self.ctl.set_reference),
            "Weight histogram": WeightHistogramPanel(),
            "Weight statistics": WeightStatsPanel(),
            "Tracked synapses": TrackedPanel(),
            "E/I input": EIPanel(),
            "Membrane potential": VoltagePanel(),
            "Input–output curve": IOCurvePanel(lambda: win.document.circuit),
        }
        self.panels["Spike raster"].on_view = self.ctl.set_raster_view  # the engine bins the raster
        d = {name: win.add_dock(name, w, Qt.BottomDockWidgetArea) for name, w in self.panels.items()}
        self.docks = d
        self.controls_dock = win.add_dock("Live controls", self.controls, Qt.LeftDockWidgetArea)
        win.tabifyDockWidget(win.docks["Regions"], self.controls_dock)
        win.docks["Regions"].raise_()
        # default arrangement: activity | relative weighting | weights, details in tabs
        win.splitDockWidget(d["Population rates"], d["Relative weighting"], Qt.Horizontal)
        win.splitDockWidget(d["Relative weighting"], d["Weight histogram"], Qt.Horizontal)
        win.splitDockWidget(d["Population rates"], d["Spike raster"], Qt.Vertical)
        win.tabifyDockWidget(d["Weight histogram"], d["Weight statistics"])
        win.tabifyDockWidget(d["Weight statistics"], d["Tracked synapses"])
        win.tabifyDockWidget(d["Spike raster"], d["E/I input"])
        win.tabifyDockWidget(d["E/I input"], d["Membrane potential"])
        win.tabifyDockWidget(d["Membrane potential"], d["Input–output curve"])
        if "Protocol" in win.docks:
            win.tabifyDockWidget(d["Input–output curve"], win.docks["Protocol"])
        views.install(self, d)
        for name in OPTIONAL_PANELS:
            d[name].hide()
        d["Weight histogram"].raise_()
        d["Spike raster"].raise_()
        win.resizeDocks([d["Population rates"], d["Relative weighting"], d["Weight histogram"]], [520, 430, 430],
                        Qt.Horizontal)
        win.resizeDocks([d["Population rates"], d["Spike raster"]], [230, 230], Qt.Vertical)
        self._default_state = win.saveState(LAYOUT_VERSION)
        self.restore_layout()

    def reset_layout(self) -> None:
        """Back to the default arrangement of the panels (and forget the remembered one)."""
        files.settings().remove(STATE_KEY)
        self.win.restoreState(self._default_state, LAYOUT_VERSION)

    def restore_layout(self) -> None:
        state = files.settings().value(STATE_KEY)
        if state is not None:
            self.win.restoreState(state, LAYOUT_VERSION)

    def save_layout(self) -> None:
        s = files.settings()
        spaces = getattr(self.win, "workspaces", None)
        watching = spaces is None or spaces.mode == "watch" or "watch" not in spaces._states
        # the remembered arrangement is the live one, also when the window closes in the Edit layout
        s.setValue(STATE_KEY, self.win.saveState(LAYOUT_VERSION) if watching else spaces._states["watch"])
        s.sync()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.win and event.type() == QEvent.Close:
            self.save_layout()
            QTimer.singleShot(0, self._after_close)
        return False

    def _after_close(self) -> None:
        if not self.win.isVisible():
            self.ctl.shutdown()

    # -- menu ---------------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        bar = self.win.menuBar()
        view_menu = next((a.menu() for a in bar.actions() if a.text() == "&View"), None)
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addAction("Reset panel layout", self.reset_layout)
        menu = bar.addMenu("&Simulation")
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is not None:  # keep Help last
            bar.insertMenu(help_menu, menu)
        for a in (self.run_action, self.pause_action, self.step_action, self.reset_action):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction("Set reference weights now", self.ctl.set_reference)
        exp = menu.addMenu("Export")
        exp.addAction("Plots as PNG…", lambda: self._export_plots("png"))
        exp.addAction("Plots as SVG…", lambda: self._export_plots("svg"))
        exp.addAction("Recorded data as NPZ…", self._export_npz)
        exp.addAction("Recorded data as NWB…", self._export_nwb)
        exp.addAction("Population rates as CSV…", self._export_csv)
        self._threads_menu(menu.addMenu("Threads"))
        menu.addSeparator()
        panels = self.panels_menu = menu.addMenu("Panels")
        for dock in list(self.docks.values()) + [self.controls_dock]:
            panels.addAction(dock.toggleViewAction())
        button = QToolButton(text="Panels ▾", objectName="panelsButton", popupMode=QToolButton.InstantPopup)
        button.setMenu(panels)
        button.setToolTip("Show or hide plot panels (more views: rule contributions, kymograph, A/B fork …)")
        self.toolbar.addSeparator()
        self.toolbar.addWidget(button)

    def _threads_menu(self, menu) -> None:
        """Simulation > Threads: automatic (the engine's choice for the network's size, leaving the
        window a core) or a fixed number; kept in the settings, applied to the running engine at once.
        Results are the same for any choice; only the speed changes."""
        from PySide6.QtGui import QActionGroup

        from .files import settings
        from .sim.engine_loop import engine_threads
        from simcore.engine.threads import cores

        stored = settings().value("engine/threads", None)
        if stored is not None and str(stored).isdigit() and "SYNAPTICA_ENGINE_THREADS" not in os.environ:
            if int(stored) > 0:
                os.environ["SYNAPTICA_ENGINE_THREADS"] = str(stored)
        now = engine_threads() or 0
        group = QActionGroup(menu)
        self.thread_actions = {}
        for n in range(0, cores() + 1):
            a = menu.addAction("Automatic" if n == 0 else f"{n} thread{'s' * (n > 1)}")
            a.setCheckable(True)
            a.setChecked(n == now)
            a.setToolTip("the same results for any number: only the speed changes")
            group.addAction(a)
            a.triggered.connect(lambda _=False, n=n: self.set_threads(n))
            self.thread_actions[n] = a

    def set_threads(self, n: int) -> None:
        """Use ``n`` threads (0: automatic) from now on, in this engine and the next ones."""
        from .files import settings
        from .sim import jobs

        if n > 0:
            os.environ["SYNAPTICA_ENGINE_THREADS"] = str(n)
        else:
            os.environ.pop("SYNAPTICA_ENGINE_THREADS", None)
        settings().setValue("engine/threads", n)
        self.thread_actions[n].setChecked(True)
        self.ctl.call(jobs.set_threads, args=(n,), done=lambda used: self.win.statusBar().showMessage(
            f"the simulation steps on {used} thread{'s' * (used != 1)}", 4000))

    # -- following the controller ---------------------------------------------------------------------
    def _event_words(self, fired: list) -> list:
        """The engine's event log in words from the declarations (``Noise->Neurons: STDP switched
        off``), translated once per event; starts again after a reset or another circuit."""
        from .demo.events import EventWords

        cache = getattr(self, "_words_cache", None)
        if cache is None or len(fired) < len(cache[1]) or cache[0].circuit is not self.win.document.circuit:
            cache = self._words_cache = (EventWords(self.win.document.circuit), [])
        words, done = cache
        done.extend((t, words(text)) for t, text in fired[len(done):])
        return list(done)

    def _on_frame(self, frame: dict) -> None:
        frame = dict(frame, fired=self._event_words(frame["fired"]))
        running = frame.get("running", False)
        # activity panels follow every frame; weight panels only when the frame brings new weight
        # parts (the engine refreshes those a few times a second, see gui.sim.engine_loop) and on
        # the last frame of a run: a panel whose data did not change is not touched (no setData, no paint)
        projections = frame.get("projections")
        fresh = projections is not self._drawn_projections or not running
        self._drawn_projections = projections
        for name, panel in self.panels.items():
            if name not in FAST_PANELS and not fresh:
                continue
            if shown(self.docks[name]):
                panel.update_frame(frame)
                self.panel_updates[name] = self.panel_updates.get(name, 0) + 1
        self.controls.update_frame(frame)
        self.frames_drawn += 1
        self.ctl.want("voltage", shown(self.docks["Membrane potential"]))  # hidden: not sent
        if not shown(self.docks["Spike raster"]):  # hidden: no image binned (sent again when shown)
            self.panels["Spike raster"].view = None
            self.ctl.set_raster_view(None)
        if self._at_start and frame["t"] > 0:
            self._at_start = False
            self._on_state(self.ctl.state)
        rtf = frame.get("rtf", float("nan"))
        running = frame.get("running", False)
        self.texts.set(self.time_label, f"t = {frame['t']:.3f} s", force=not running)
        # at t = 0 after a reset the frame still carries the speed of the run before: not shown
        self.texts.set(self.rtf_label, f"{rtf:.2f}× real time" if np.isfinite(rtf) and not self._at_start else "",
                       force=not running)

    def _on_state(self, state: str) -> None:
        busy = state in ("loading", "compiling")
        self.busy.setVisible(busy)
        self.busy_label.setText(self.ctl.worker.status if busy else "")
        if busy:
            QTimer.singleShot(200, self._refresh_busy)
        labels = {"idle": "not started", "loading": "building…", "compiling": "compiling…", "running": "● running",
                  "paused": "paused", "error": "⚠ stopped"}
        if self._at_start and state == "paused":
            labels["paused"] = "ready at t = 0"
        self.state_label.setText(labels.get(state, state))
        self.state_label.setStyleSheet("color: #2e7d32;" if state == "running" else
                                       "color: #c0392b;" if state == "error" else "color: #5c6570;")
        self._update_run_enabled()
        self.pause_action.setEnabled(state == "running")
        if state == "error":
            # after the worker's own messages of this poll, and kept until the next message
            QTimer.singleShot(0, lambda: self.win.statusBar().showMessage(error_text(self.ctl.worker.error), 0))
        if state == "running" and not self._raised_controls:
            self._raised_controls = True
            self.controls_dock.raise_()

    def _update_run_enabled(self, *_) -> None:
        """Run and Step need something to simulate; Run is off while running."""
        has = bool(self.win.document.circuit.regions)
        self.run_action.setEnabled(has and self.ctl.state != "running")
        self.step_action.setEnabled(has)
        tip = "" if has else " (the circuit is empty)"
        self.run_action.setStatusTip("Run the simulation" + tip)

    def _refresh_busy(self) -> None:
        if self.ctl.state in ("loading", "compiling"):
            self.busy_label.setText(self.ctl.worker.status)
            QTimer.singleShot(200, self._refresh_busy)

    def _on_event(self, t: float, text: str) -> None:
        from .demo.events import EventWords

        self.win.statusBar().showMessage(f"t = {t:.3f} s: {EventWords(self.win.document.circuit)(text)}", 6000)

    def _on_stale(self, stale: bool) -> None:
        self.stale_label.setText("⚠ circuit changed — Reset to apply" if stale else "")
        self.reset_action.setText("⟲ Reset (apply changes)" if stale else "⟲ Reset")

    def _document_reset(self) -> None:
        """Another circuit (File > New, Open, an example): nothing of the previous one stays on screen."""
        for p in self.panels.values():
            p.clear()
        self.finished_run = False
        self._words_cache = None
        self.time_label.setText("t = 0.000 s")
        self.rtf_label.setText("")
        self._on_state(self.ctl.state if self.ctl.loaded else "idle")

    def run(self) -> None:
        """Run until the circuit's ``duration_s`` (a demonstration's protocol ends there; the state
        then reads "finished" and the plots keep the whole run); Run again continues without end."""
        if not self.win.document.circuit.regions:
            self.win.statusBar().showMessage("Nothing to run: add a region from the palette first", 6000)
            return
        t = self.ctl.last["t"] if self.ctl.last and self.ctl.loaded and not self.ctl.stale else 0.0
        duration = float(self.win.document.circuit.settings.duration_s)
        self.finished_run = False
        self.ctl.run(until=duration if t < duration - 1e-9 else None)

    def _on_finished(self) -> None:
        if self.ctl.worker.state == "paused" and self.ctl._until is None and not self.ctl.goes_on():
            self.finished_run = True
            self.state_label.setText("■ finished")
            self.state_label.setStyleSheet("color: #1f4e99; font-weight: 600;")
            t = self.ctl.last["t"]
            end = ("the circuit's duration" if abs(t - float(self.win.document.circuit.settings.duration_s)) < 1e-6
                   else "the time asked for")
            self.win.statusBar().showMessage(f"Finished: t = {t:.1f} s, {end}. Run continues, Reset starts again.",
                                             10000)

    def reset(self) -> None:
        """Back to t = 0: nothing of the run before stays on screen (plots, "finished", its speed)."""
        self.finished_run = False
        for p in self.panels.values():
            p.clear()
        self.ctl.reset()
        self.controls.sim_reset()
        self._at_start = True
        self.rtf_label.setText("")
        self._on_state(self.ctl.state)

    def focus(self, kind: str, name: str) -> None:
        """A region or projection was selected on the canvas: point the plots at it."""
        if not kind:
            return
        for panel in self.panels.values():
            panel.focus(kind, name)
        if kind == "projection":
            for title in ("Relative weighting", "Weight histogram"):
                self.docks[title].raise_()

    # -- export -------------------------------------------------------------------------------------
    def _ask(self, title, suffix, filt) -> str:
        start = str(Path(self.win.document.path or self.win.document.circuit.name).with_suffix(suffix))
        path, _ = QFileDialog.getSaveFileName(self.win, title, start, filt)
        return path

    def _export_plots(self, fmt: str) -> None:
        path = self._ask(f"Export plots as {fmt.upper()}", f".{fmt}", f"{fmt.upper()} (*.{fmt})")
        if path:
            written = export_plots(self, path, fmt)
            self.win.statusBar().showMessage(f"Exported {len(written)} plots next to {path}", 6000)

    def _export_npz(self) -> None:
        path = self._ask("Export recorded data", ".npz", "NumPy archive (*.npz)")
        if not path:
            return
        self.ctl.call(jobs.write_npz, args=(path,),
                      done=lambda _r: self.win.statusBar().showMessage(f"Wrote {path}", 6000))

    def _export_nwb(self) -> None:
        """The recording with the circuit as it was when the simulation was built (so the file re-runs it)."""
        if not self.ctl.loaded:
            self.win.statusBar().showMessage("Nothing recorded yet: run the simulation first", 6000)
            return
        path = self._ask("Export recording as NWB", ".nwb", "Neurodata Without Borders (*.nwb)")
        if not path:
            return
        import simcore
        built = self.ctl.loaded_circuit
        text = simcore.dumps(built) if built is not None else None
        self.ctl.call(jobs.write_nwb, lambda err: QMessageBox.critical(self.win, "Export failed", err) if err else
                      self.win.statusBar().showMessage(f"Wrote {path}", 6000), args=(path, text))

    def _export_csv(self) -> None:
        path = self._ask("Export population rates", ".csv", "CSV (*.csv)")
        if path:
            self.ctl.call(jobs.write_rates_csv, args=(path,),
                          done=lambda _r: self.win.statusBar().showMessage(f"Wrote {path}", 6000))

    # -- scripted runs (CLI --run, benchmarks) --------------------------------------------------------
    def run_then(self, duration_s: float, callback) -> None:
        """Run from the current state for ``duration_s`` of simulated time, then call ``callback()``
        once the last frame has been drawn."""
        def done():
            if self.ctl.goes_on():
                return  # a stop on the way (a declared fork): the run goes on to its end
            self.ctl.finished.disconnect(done)
            QTimer.singleShot(100, callback)
        self.ctl.finished.connect(done)
        self.ctl.ensure_loaded()
        t0 = self.ctl.last["t"] if self.ctl.last else 0.0
        self.ctl.run(until=t0 + duration_s)


def shown(dock) -> bool:
    """Whether any of ``dock`` is on screen (not closed, not behind another tab, not covered)."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def error_text(error: str) -> str:
    """What stopped the simulation, what to try, and that Reset starts again."""
    advice = ""
    if "runaway" in error or "above" in error:
        advice = "Try weaker excitatory weights, a lower input rate, more inhibition or a homeostatic rule. "
    elif "NaN" in error or "infinite" in error:
        advice = "Try smaller weights or learning rates, or a smaller time step (dt). "
    return f"⚠ Simulation stopped: {error or 'unknown error'}. {advice}Reset (Ctrl+R) starts again from t = 0."


def export_plots(live: LiveView, path: str, fmt: str = "png") -> list[str]:
    """Write every plot panel as ``<stem>-<panel>.<fmt>``; return the paths."""
    from .views.export import save_picture

    stem = Path(path).with_suffix("")
    return [save_picture(panel.glw, f"{stem}-{title.lower().replace(' ', '_').replace('/', '')}.{fmt}", title)
            for title, panel in live.panels.items()]


write_rates_csv = jobs.write_rates_csv  # runs in the engine (gui.sim.jobs); kept here for callers


_GC = None


def install(win) -> LiveView:
    """Add the live simulation view to ``win`` (a :class:`gui.main_window.MainWindow`)."""
    global _GC
    if _GC is None:
        # With a worker thread, Python's cyclic GC may run in the worker and destroy Qt objects of
        # closed windows there (seen as rare hangs inside Qt). Collect only in the GUI thread, on a
        # timer (pyqtgraph's recipe for threaded Qt apps).
        from pyqtgraph.util.garbage_collector import GarbageCollector
        _GC = GarbageCollector(interval=0.5)
    win.live = LiveView(win)
    worker = win.live.ctl.worker
    win.destroyed.connect(lambda *_: worker.stop(1.0))  # a plain callable: runs after the window is gone
    return win.live
