"""The Qt side of a simulation: owns the engine handle, pulls the newest frame at ~30 Hz, routes live edits.

The engine runs in its own process (:class:`gui.sim.engine_handle.ProcessEngine`; ``SYNAPTICA_ENGINE=thread``
runs it in a thread of this process instead, for comparison). The GUI thread never waits on it: every
request is a picklable message (``worker.send(name, *args)``, vocabulary in :mod:`gui.sim.engine_loop`),
and the frame timer only picks up ``worker.latest``. If the engine process dies, the controller says
so, keeps the last frame and the document, and the next Reset or Run starts a new engine.

Edits of the document while a simulation exists are classified against a shadow copy of the
circuit: a changed parameter declared ``live`` becomes ``sim.set(path, value)`` at the next chunk;
anything structural (regions, sizes, connectivity, non-live parameters, protocol, settings) marks
the simulation *stale*: it keeps running the old circuit until Reset rebuilds it.
"""
from __future__ import annotations

import copy
import gc
import math
import os
import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal

import simcore

from .engine_handle import ProcessEngine
from .worker import SimWorker

POLL_MS = 5           # how often the GUI looks for a new frame (a few attribute reads when there is none)
FRAME_S = 1 / 36      # frame cadence while running: at most ~36 frames drawn per second
SPEEDS = {"max": None, "0.5x": 0.5, "1x": 1.0, "2x": 2.0, "10x": 10.0}


def make_engine(kind: str | None = None):
    """``"process"`` (default) or ``"thread"`` (``SYNAPTICA_ENGINE`` chooses when ``kind`` is None)."""
    kind = kind or os.environ.get("SYNAPTICA_ENGINE", "process")
    if kind == "thread":
        return SimWorker()
    if kind != "process":
        raise ValueError(f"SYNAPTICA_ENGINE must be 'process' or 'thread', not {kind!r}")
    return ProcessEngine()


class SimController(QObject):
    frame = Signal(object)            # the newest frame (dict of arrays)
    state_changed = Signal(str)       # idle, loading, compiling, running, paused, error
    message = Signal(str)             # for the status bar
    event_fired = Signal(float, str)  # protocol events and live actions, as the engine logs them
    stale_changed = Signal(bool)
    finished = Signal()               # a run(until=...) reached its end and its frame was shown

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.worker = make_engine()
        if isinstance(self.worker, SimWorker):
            self.worker.start()  # the engine process starts with the first command
        self.loaded = False
        self.stale = False
        self.speed: float | None = None
        self.last: dict | None = None
        self.frames_shown = 0
        self._seq = 0
        self._state = "idle"
        self._n_fired = 0
        self._until: float | None = None
        self._calls: dict[int, object] = {}  # call id -> done callback (None: result ignored)
        self._wanted: dict[str, bool] = {}
        self._raster_view: dict | None = None
        # objects with on_run(until) -> until, on_pause() and goes_on() (True when a stop is theirs and
        # the run goes on after it): other engines that follow
        self.followers: list = []
        self._shadow = copy.deepcopy(document.circuit)
        self.loaded_circuit = None  # the circuit the current simulation was built from (exports re-run it)
        self._due = 0.0
        # a precise timer: a coarse one (the default) fires up to 5% late, and frames would then land on
        # every second 15 ms tick (22-25 fps) instead of keeping the cadence
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self._follow_document()

    # -- commands ---------------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        if not self.loaded or self.stale:
            self._thaw_heap()
            self._freeze_after = self.worker.loads  # freeze at the first frame of the next load
            self._min_load = self.worker.loads + 1  # frames of the previous simulation are not shown
            self.worker.load(copy.deepcopy(self.doc.circuit))
            self.loaded_circuit = copy.deepcopy(self.doc.circuit)
            if self.speed is not None:  # a new engine process starts as fast as possible
                self.worker.send("speed", self.speed)
            for part, on in self._wanted.items():
                self.worker.send("want", part, on)
            if self._raster_view is not None:
                self.worker.send("raster_view", self._raster_view)
            self._shadow = copy.deepcopy(self.doc.circuit)
            self.loaded = True
            self._edited_live = False
            self._n_fired = 0
            self._set_stale(False)

    def run(self, until: float | None = None) -> None:
        """Run (until simulated time ``until`` in seconds, or until paused); after an error it starts
        again from t = 0."""
        if self.worker.state == "error":
            self.loaded = False
        self.ensure_loaded()
        for follower in self.followers:  # e.g. the A/B fork: stop first at the fork time, run branch B along
            until = follower.on_run(until)
        self._until = until
        self.worker.send("play", until)

    def goes_on(self) -> bool:
        """True when the run just stopped at a follower's point (e.g. a declared fork) and goes on from there."""
        return any(f.goes_on() for f in self.followers)

    def pause(self) -> None:
        if self.loaded:
            self.worker.send("pause")
        for follower in self.followers:
            follower.on_pause()

    def step(self, seconds: float = 0.1) -> None:
        self.ensure_loaded()
        self.worker.send("step", seconds)

    def reset(self) -> None:
        """Back to t = 0 as a fresh start of the document's circuit: rebuilds when it changed
        structurally, when parameters were edited live (the engine's reset replays the circuit it
        was built from) and after an error (a blow-up leaves the worker stopped)."""
        self._n_fired = 0
        if not self.loaded or self.stale or self._edited_live or self.worker.state == "error":
            self.loaded = False
            self.ensure_loaded()
        else:
            self.worker.send("reset")
        self.message.emit("reset to t = 0")

    def set_speed(self, factor: float | None) -> None:
        self.speed = factor
        if self.loaded:
            self.worker.send("speed", factor)

    def want(self, part: str, on: bool) -> None:
        """Whether the window shows a frame part now (``"voltage"``): the engine leaves out what no one sees."""
        if self._wanted.get(part, True) != on:
            self._wanted[part] = on
            if self.loaded:
                self.worker.send("want", part, on)

    def set_raster_view(self, view: dict | None) -> None:
        """How the raster panel shows the raster (regions, size in pixels; None: not shown): the engine
        sends it binned to that size (``simcore.engine.frames.raster_image``) instead of the spikes."""
        if view != self._raster_view:
            self._raster_view = view
            if self.loaded:
                self.worker.send("raster_view", view)

    def submit(self, fn, note: str | None = None) -> None:
        """Run ``fn(sim)`` in the engine between chunks (no-op before a simulation exists); ``fn`` must be
        picklable (a module-level function or a ``functools.partial`` of one)."""
        if self.loaded:
            self.call(fn, note=note)

    _edited_live = False
    _min_load = 0

    def set_param(self, path: str, value) -> None:
        self._edited_live = self.loaded
        if self.loaded:
            self.worker.send("set", path, value)

    def action(self, action: str, target: str, param: str = "", value=0.0) -> None:
        """A live action through the engine's protocol path (so it is logged and marked on the plots)."""
        self.ensure_loaded()
        self.worker.send("event", action, target, param, value)

    def reward(self, region: str, amount: float = 1.0) -> None:
        self.action("reward", region, "", float(amount))

    def set_gate(self, region: str, on: bool) -> None:
        self.action("set", region, "gate", bool(on))

    def block(self, region: str, on: bool) -> None:
        self.action("block" if on else "unblock", region)

    def set_rate(self, region: str, hz: float) -> None:
        self.action("set", region, "rate_hz", float(hz))

    def pulse(self, region: str, hz: float, duration_s: float) -> None:
        """A brief stimulus: the source's rate jumps to ``hz`` for ``duration_s``, then returns."""
        self.ensure_loaded()
        self.worker.send("pulse", region, float(hz), float(duration_s))

    def set_reference(self) -> None:
        if self.loaded:
            self.worker.send("reference")

    def call(self, fn, done=None, args=(), note: str | None = None) -> None:
        """Run ``fn(sim, *args)`` in the engine; ``done(result)`` is called later in the GUI thread.
        ``fn`` must be picklable (a module-level function, e.g. from :mod:`gui.sim.jobs`, or a
        ``functools.partial`` of one). A failure is reported on the status bar instead."""
        if not self.loaded:
            return
        self._calls[self.worker.call(fn, args, note)] = done
        self.timer.setInterval(POLL_MS)  # its result is looked for at the quick pace (see poll)

    def shutdown(self) -> None:
        """Stop the frame timer and end the engine (at once, in any state)."""
        self.timer.stop()
        self.worker.stop(1.0)
        self._thaw_heap()

    # -- garbage collection -----------------------------------------------------------------------
    # Cyclic GC runs only in the GUI thread, on a timer (gui.live.install: a collection started in the
    # worker could destroy Qt objects there). Once numba, pyqtgraph and Qt are loaded and a kernel
    # compiled, the heap holds ~180k long-lived objects, and every full (generation 2) collection
    # scanned them all: ~100 ms of GUI stall about once a minute. After a simulation is loaded
    # they are frozen (gc.freeze: moved out of the collected generations, still freed by reference
    # counting); a new load thaws them first, so the cycles of the old simulation get collected.
    _frozen = False
    _freeze_after: int | None = None

    def _freeze_heap(self) -> None:
        if not SimController._frozen:
            gc.collect()
            gc.freeze()
            SimController._frozen = True

    @staticmethod
    def _thaw_heap() -> None:
        if SimController._frozen:
            gc.unfreeze()
            SimController._frozen = False

    # -- the frame timer --------------------------------------------------------------------------
    def poll(self) -> None:
        """Pass on what the engine sent (state, messages, results, the newest frame), then set when to
        look again: while a run streams frames, at the next frame's due time (polling every POLL_MS in
        between found nothing new six times out of seven, each wake-up a pass of the event loop on the
        GUI thread); otherwise, and while results are awaited, every POLL_MS."""
        try:
            self._poll()
        finally:
            self._schedule_poll()

    def _schedule_poll(self) -> None:
        interval = POLL_MS
        if self._streaming() and not self._calls and self.loaded:
            wait_ms = math.ceil((self._due - time.perf_counter()) * 1000)
            interval = min(max(POLL_MS, wait_ms), math.ceil(FRAME_S * 1000))
        if self.timer.interval() != interval:
            self.timer.setInterval(interval)

    def _last_running(self) -> bool:
        """The last frame shown was one of a run (the next ones keep the cadence)."""
        return self.last is not None and bool(self.last.get("running", False))

    def _streaming(self) -> bool:
        """A run is under way and its frames are being shown (the first one has been)."""
        return self._state == "running" and self._last_running()

    def _poll(self) -> None:
        w = self.worker
        state = w.state
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)
        while w.messages:
            self.message.emit(w.messages.popleft())
        if w.dead and self.loaded:  # the engine process died: the next Reset or Run starts a new one
            self.loaded = False
            self._calls.clear()
        if self._calls and w.results:
            self._deliver_results()
        if w.seq == self._seq or w.latest is None:
            return
        if not self.loaded or w.latest.get("load", 0) < self._min_load:
            return  # a late frame of a simulation that was dropped (another circuit was opened)
        now = time.perf_counter()
        f = w.latest
        if now < self._due and f.get("running", False) and self._last_running():
            return  # the first frame of a run is shown at once (Run answers now), the others on cadence
        # a fixed cadence (due times advance by FRAME_S, not "FRAME_S after the last one"), so poll
        # granularity does not add up; after a gap it restarts instead of bursting to catch up
        self._due = max(self._due + FRAME_S, now + FRAME_S / 2)
        self._seq = w.seq
        w.taken = True
        self.last = f
        fired = f["fired"]
        if len(fired) < self._n_fired:
            self._n_fired = 0
        for t, text in fired[self._n_fired:]:
            self.event_fired.emit(t, text)
        self._n_fired = len(fired)
        self.frame.emit(f)
        self.frames_shown += 1
        if self._freeze_after is not None and f.get("load", 0) > self._freeze_after:
            self._freeze_after = None  # the first frame of the new simulation: its kernel is compiled
            self._freeze_heap()  # one pause of ~0.1 s, at the end of a load the user waits for anyway
        if self._until is not None and f["t"] >= self._until - 1e-9 and not f.get("running", False):
            self._until = None
            self.finished.emit()

    def _deliver_results(self) -> None:
        for call_id in [i for i in self._calls if i in self.worker.results]:
            done = self._calls.pop(call_id)
            ok, value = self.worker.results.pop(call_id)
            if not ok:
                self.message.emit(f"not done: {value}")
            elif done is not None:
                done(value)

    @property
    def state(self) -> str:
        return self._state

    # -- following the document -------------------------------------------------------------------
    def _follow_document(self) -> None:
        d = self.doc
        d.region_changed.connect(self._region_changed)
        d.projection_changed.connect(self._projection_changed)
        for sig in (d.region_added, d.region_removed, d.projection_added, d.projection_removed):
            sig.connect(lambda *_: self._structural("regions or projections changed"))
        for sig in (d.region_renamed, d.projection_renamed):
            sig.connect(lambda *_: self._structural("a name changed"))
        d.protocol_changed.connect(lambda: self._structural("the protocol changed"))
        d.settings_changed.connect(self._settings_changed)
        d.reset.connect(self._document_reset)

    def _document_reset(self) -> None:
        """Another circuit was opened: drop the simulation, and prepare the new one in the background
        so that its plots show the state at t = 0 (initial weights, reference histograms) before Run."""
        self.pause()
        self.loaded = False
        self.last = None
        self._shadow = copy.deepcopy(self.doc.circuit)
        self._set_stale(False)
        QTimer.singleShot(0, self._preload)

    def _preload(self) -> None:
        import simcore
        from simcore.validate import check_document

        circuit = self.doc.circuit
        if self.loaded or not circuit.regions:
            return
        try:
            check_document(simcore.to_dict(circuit))
        except simcore.CircuitError:
            return  # the editor shows what is wrong; Run will say it again
        self.ensure_loaded()

    def _set_stale(self, stale: bool, why: str = "") -> None:
        if stale != self.stale:
            self.stale = stale
            self.stale_changed.emit(stale)
        if stale and why:
            self.message.emit(f"Structure changed ({why}): press Reset to rebuild the simulation")

    def _structural(self, why: str) -> None:
        if self.loaded:  # before the first run the shadow is taken at load time: nothing to track
            self._set_stale(True, why)

    def _settings_changed(self) -> None:
        if not self.loaded:
            return
        c, s = self.doc.circuit, self._shadow
        if (c.settings, c.recording) != (s.settings, s.recording):
            self._structural("settings changed")
        s.name, s.title = c.name, c.title

    def _region_changed(self, name: str) -> None:
        if not self.loaded or self.stale:
            return
        new = self.doc.circuit.region(name)
        try:
            old = self._shadow.region(name)
        except Exception:
            return self._structural("a region changed")
        if (old.model, old.size, old.role) != (new.model, new.size, new.role):
            return self._set_stale(True, f"{name}: model, size or role")
        kind = simcore.kind("neuron", new.model)
        for p in kind.params:
            if old.params.get(p.name) != new.params.get(p.name):
                if not p.live:
                    self._set_stale(True, f"{name}.{p.name} applies after a reset")
                else:
                    self.set_param(f"{name}.{p.name}", new.params[p.name])
                    self.message.emit(f"{name}.{p.name} = {new.params[p.name]} (live)")
        self._replace_shadow_region(new)

    def _replace_shadow_region(self, new) -> None:
        regions = self._shadow.regions
        for i, r in enumerate(regions):
            if r.name == new.name:
                regions[i] = copy.deepcopy(new)

    def _projection_changed(self, name: str) -> None:
        if not self.loaded or self.stale:
            return
        new = self.doc.circuit.projection(name)
        try:
            old = self._shadow.projection(name)
        except Exception:
            return self._structural("a projection changed")
        same = (old.synapse, old.connectivity, old.weights, old.delay) == \
               (new.synapse, new.connectivity, new.weights, new.delay)
        if not same or [r.kind for r in old.rules] != [r.kind for r in new.rules]:
            self._set_stale(True, f"{name}: connectivity, weights or rule list")
        else:
            for i, (ro, rn) in enumerate(zip(old.rules, new.rules)):
                if ro.enabled != rn.enabled:
                    self.set_param(f"{name}.rules.{i}.enabled", rn.enabled)
                    self.message.emit(f"{name}: rule {i + 1} {'enabled' if rn.enabled else 'disabled'} (live)")
                kind = simcore.kind("rule", rn.kind)
                for p in kind.params:
                    if ro.params.get(p.name) != rn.params.get(p.name):
                        if p.live:
                            self.set_param(f"{name}.rules.{i}.{p.name}", rn.params[p.name])
                            self.message.emit(f"{name}.{rn.kind}.{p.name} = {rn.params[p.name]} (live)")
                        else:
                            self._set_stale(True, f"{name}.{p.name} applies after a reset")
        ps = self._shadow.projections
        for i, p in enumerate(ps):
            if p.name == name:
                ps[i] = copy.deepcopy(new)
